"""Plane-geometry wording: caption, questions in three variants, solutions, choices.

All English lives in ``templates/plane-geometry/*.yaml``; this module only decides what is
said (which facts, in which variant) and hands the facts to the phrasebook.
"""
from __future__ import annotations

import math

import sympy as sp

from ...core import (VARIANTS, Answer, Given, Variant, Words, Worded, exchangeable_options, final_line, instruction,
                     number_key)
from ...exact import fmt_decimal, fmt_latex, has_symbolic_trig, sympy_str, to_float, try_text
from .build import PlaneState
from .derive import Derivation, evaluate
from .quantities import V, degrees_text, formula_name, given_text, val_text
from .shapes import Shape, display_name

__all__ = ["words"]


def _noun_key(sh: Shape) -> str:
    return f"regular-polygon-{sh.variant}" if sh.kind == "regular-polygon" else sh.kind


def _shape_ctx(pb, rng, sh: Shape, prev: Shape | None) -> dict:
    ctx = {"name": sh.name, "kind": sh.kind, "variant": sh.variant,
           "noun": pb.word(_noun_key(sh), rng), "verts": list(sh.verts)}
    if sh.incoming:
        a, b = sh.verts[0], sh.verts[1]
        ctx["edge"] = a + b
    if prev is not None:
        ctx["prev"] = {"name": prev.name, "noun": pb.word(_noun_key(prev), rng)}
    if sh.right_angles:
        ctx["right"] = [f"∠{a}{v}{b}" for a, v, b in sh.right_angles]
        ctx["right_vertex"] = [v for _, v, _ in sh.right_angles]
    if sh.kind == "sector":
        ctx["center"] = sh.verts[1]
        ctx["radii"] = [sh.verts[1] + sh.verts[0], sh.verts[1] + sh.verts[2]]
    if sh.ticks:
        groups: dict[int, list[str]] = {}
        for a, b, n in sh.ticks:
            groups.setdefault(n, []).append(a + b)
        ctx["equal_groups"] = [groups[n] for n in sorted(groups)]
    if sh.kind == "isosceles-triangle":
        (a, b, _), (c, d, _) = sh.ticks
        ctx["equal"] = [a + b, c + d]
    if sh.kind == "semicircle":
        ctx["diameter"] = sh.verts[0] + sh.verts[1]
    if sh.kind == "regular-polygon":
        ctx["sides"] = int(sh.variant)
    return ctx


def _q_phrase(pb, rng, key: str, ctxs: dict) -> tuple[str, bool]:
    """(phrase, is_symbol) naming a quantity in a sentence."""
    kind, _, rest = key.partition(":")
    if kind in ("len", "ang"):
        return display_name(key), True
    if kind == "rad":
        return pb.say("q.radius", rng), False
    if kind == "circ":
        return pb.say("q.circumference", rng), False
    if kind == "hgt":
        return pb.say("q.height", rng, name=rest), False
    if kind == "shaded":
        return pb.say("q.shaded", rng), False
    if kind == "area" and rest.startswith("circle-"):
        return pb.say("q.circle-area", rng), False
    sh = ctxs.get(rest, {"name": rest, "noun": "figure", "kind": ""})
    return pb.say("q." + kind, rng, shape=sh, kind=sh["kind"]), False


def _answer_text(key: str, v: sp.Expr, spec) -> str | None:
    """The answer as written; None when an exact answer has no readable form."""
    if spec.answer == "decimal" or has_symbolic_trig(v):
        t = fmt_decimal(to_float(v), spec.decimals)
    else:
        t = degrees_text(v) if key.startswith("ang:") else try_text(v)
        if t is None:
            return None
    return t + "°" if key.startswith("ang:") else t


def _neighbours(con, der: Derivation, spec):
    """``draw(rng)``: the answer of a neighbouring problem, as ``(exact value, text, float)``:
    the same derivation with every given drawn again from the values it was drawn from (a
    given the construction did not draw keeps its value)."""
    key = der.target
    is_angle = key.startswith("ang:")

    def draw(rng):
        vals = {}
        for g in der.givens:
            cands = con.drawn_from.get(g)
            vals[g] = sp.Integer(cands[int(rng.integers(len(cands)))]) if cands else der.values[g]
        try:
            v = evaluate(der.steps, vals)
            if v.has(sp.I, sp.zoo, sp.nan, sp.oo):
                return None
            f = to_float(v)
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        if not f > 1e-9 or (is_angle and f >= 180 - 1e-9):
            return None
        t = _answer_text(key, v, spec)
        return None if t is None else (v, t, f)
    return draw


# shapes whose defining properties the picture's marks show (ticks, right-angle squares) or its
# outline does: vision_dominant leaves them to the picture; the others keep their sentence
MARKED = frozenset({"square", "rectangle", "parallelogram", "rhombus", "trapezoid", "triangle", "right-triangle",
                    "isosceles-triangle", "equilateral-triangle", "sector", "semicircle"})


def _moves(con, der: Derivation, g: str) -> bool:
    """Whether another value of given ``g`` (the nearest ones it could have been drawn as)
    changes the answer: the answer then depends on where the text leaves ``g``."""
    now = der.values[g]
    cands = con.drawn_from.get(g) or (int(to_float(now)) + 1,)
    near = sorted((c for c in cands if c != now), key=lambda c: (abs(c - to_float(now)), c))[:2]
    want = number_key(to_float(der.answer))
    for c in near:
        vals = {k: der.values[k] for k in der.givens}
        vals[g] = sp.Integer(c)
        try:
            v = evaluate(der.steps, vals)
            if number_key(to_float(v)) != want:
                return True
        except (TypeError, ValueError, ZeroDivisionError):
            continue
    return False


def words(job, built, pictures) -> Words:
    st: PlaneState = built.state
    pb, rng, spec = job.pb, job.rng, job.spec
    con, der = st.con, st.der
    ctxs = {}
    prev = None
    for sh in con.shapes:
        ctxs[sh.name] = _shape_ctx(pb, rng, sh, prev)
        prev = sh
    shapes = [ctxs[sh.name] for sh in con.shapes]
    circle = None
    if con.circle is not None:
        circle = {"kind": con.circle.kind, "center": con.circle.center, "of": ctxs[con.circle.of]}
    facts = {g: f"{display_name(g)} = {given_text(g, der.values[g])}" for g in der.givens}
    caption = _caption(pb, rng, con, shapes, circle, [a + b for a, b in st.diag], [facts[g] for g in st.shown])
    questions, mc_parts = _questions(pb, rng, st, spec, shapes, circle, ctxs, facts)
    answer_text, choices, answer_index, option_values = mc_parts
    steps = _steps(pb, rng, der, spec, ctxs, answer_text)
    final = final_line(pb, rng, answer_index, answer_text)
    reads = {"text_dominant": [], "text_lite": [facts[g] for g in der.givens if g in st.shown],
             "vision_dominant": [facts[g] for g in der.givens]}
    images = {"text_dominant": 0, "text_lite": 0, "vision_dominant": st.vd_image}
    variants = {}
    for v in VARIANTS:
        lead = [pb.say("read", rng, facts=reads[v])] if reads[v] else []
        variants[v] = Variant(questions[v], images[v], lead + steps + [final])
    givens = [Given(facts[g], g, round(to_float(der.values[g]), 12),
                    in_text=frozenset({"text_dominant"} | ({"text_lite"} if g not in st.shown else set())),
                    in_image=frozenset({"vision_dominant"} | ({"text_dominant", "text_lite"} if g in st.shown
                                                              else set())),
                    exact=sympy_str(der.values[g]))
              for g in der.givens]
    moves = {g: _moves(con, der, g) for g in der.givens}
    image_needed = {v: any(moves[g.quantity] for g in givens if v not in g.in_text) for v in VARIANTS}
    angle = der.target.startswith("ang:")
    latex = ((fmt_latex(der.answer) + ("^\\circ" if angle else ""))
             if spec.answer == "exact" and not der.approximate and not (angle and not der.answer.is_Integer)
             else answer_text.replace("°", "^\\circ"))
    answer = Answer(answer_text, latex, sympy_str(der.answer), round(to_float(der.answer), 12))
    return Words(caption, [Worded(st.qtype, st.target, givens, variants, choices, answer_index, answer,
                                  len(der.steps), option_values=option_values, image_needed=image_needed)])


def _centre(con, sh: Shape) -> tuple[float, float]:
    pts = [con.pts[v] for v in sh.verts if v in con.pts]
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


# compass sectors of 45° around a direction (x right, y up as drawn), counter-clockwise from east
_SECTORS = ("right", "upper right", "above", "upper left", "left", "lower left", "below", "lower right")


def _direction(dx: float, dy: float) -> str | None:
    """Where a point lies seen from another, as a person would say it: one of ``_SECTORS``,
    or None when the direction is within 7.5° of a sector's edge (no one word is clearly right)."""
    ang = math.degrees(math.atan2(dy, dx)) % 360
    k = int(((ang + 22.5) % 360) // 45)
    off = abs(((ang + 22.5) % 45) - 22.5)       # distance from the sector's middle
    return _SECTORS[k] if off <= 15 else None


def _layout(con, sh: Shape) -> dict:
    """What the picture shows of one shape's placement: its highest, lowest, leftmost and
    rightmost vertices (when one is clearly so), the turn of its vertex order, how its first
    side lies."""
    pts = {v: con.pts[v] for v in sh.verts if v in con.pts}
    span = max(max(p[0] for p in pts.values()) - min(p[0] for p in pts.values()),
               max(p[1] for p in pts.values()) - min(p[1] for p in pts.values()), 1e-9)
    out: dict = {}
    if sh.outline != "polygon":
        return out                  # an arc may reach past its end points
    for key, axis, sign in (("top", 1, 1), ("bottom", 1, -1), ("leftmost", 0, -1), ("rightmost", 0, 1)):
        ranked = sorted(pts, key=lambda v: -sign * pts[v][axis])
        if len(ranked) > 1 and sign * (pts[ranked[0]][axis] - pts[ranked[1]][axis]) > 0.08 * span:
            out[key] = ranked[0]
    if len(sh.verts) >= 3:
        poly = [pts[v] for v in sh.verts]
        area2 = sum(poly[i][0] * poly[(i + 1) % len(poly)][1] - poly[(i + 1) % len(poly)][0] * poly[i][1]
                    for i in range(len(poly)))
        out["turn"] = "counterclockwise" if area2 > 0 else "clockwise"
        (x0, y0), (x1, y1) = poly[0], poly[1]
        ang = math.degrees(math.atan2(y1 - y0, x1 - x0)) % 180
        out["side"] = sh.verts[0] + sh.verts[1]
        out["lie"] = ("horizontal" if min(ang, 180 - ang) < 2 else "vertical" if abs(ang - 90) < 2 else
                      "rising" if 8 < ang < 82 else "falling" if 98 < ang < 172 else None)
    return out


def _caption(pb, rng, con, shapes: list[dict], circle, dashed: list[str], shown_facts: list[str]) -> str:
    """What the base image shows: the shapes and how they are attached and placed (which
    shape lies where of the one before, the base shape's vertex order and extreme vertices,
    how its first side lies), marks, the circle and its shading, dashed segments, the values
    written on the figure. Every sentence is read off the drawing; none states a hidden value."""
    by_name = {sh.name: sh for sh in con.shapes}
    nouns = [s["noun"] for s in shapes]
    cap = []
    if len(shapes) > 1 and rng.random() < 0.5:
        cap.append(pb.say("caption.overview", rng, count=len(shapes), nouns=nouns))
    cap.append(pb.say("caption.base", rng, shape=shapes[0], kind=shapes[0]["kind"]))
    lay = _layout(con, by_name[shapes[0]["name"]])
    if lay.get("turn") and rng.random() < 0.6:
        cap.append(pb.say("caption.order", rng, shape=shapes[0], turn=lay["turn"]))
    if lay.get("top") and lay.get("bottom") and rng.random() < 0.5:
        cap.append(pb.say("caption.extremes", rng, shape=shapes[0], top=lay["top"], bottom=lay["bottom"],
                          left=lay.get("leftmost"), right=lay.get("rightmost")))
    elif lay.get("lie") and rng.random() < 0.6:
        cap.append(pb.say("caption.side", rng, shape=shapes[0], side=lay["side"], lie=lay["lie"]))
    for s in shapes[1:]:
        cap.append(pb.say("caption.attach", rng, shape=s, kind=s["kind"]))
        here, there = _centre(con, by_name[s["name"]]), _centre(con, by_name[s["prev"]["name"]])
        where = _direction(here[0] - there[0], here[1] - there[1])
        if where is not None and s["kind"] != "semicircle" and rng.random() < 0.7:     # a semicircle has no name
            cap.append(pb.say("caption.placed", rng, shape=s, where=where))
    for s in shapes:
        if s.get("right"):
            cap.append(pb.say("caption.right-angle", rng, shape=s, angles=s["right"]))
        if s.get("equal_groups"):
            cap.append(pb.say("caption.ticks", rng, shape=s))
    if circle:
        cap.append(pb.say("caption." + circle["kind"], rng, circle=circle))
        cap.append(pb.say("caption.shaded", rng, circle=circle))
    for name in dashed:
        cap.append(pb.say("caption.dashed", rng, segment=name))
    cap.append(pb.say("caption.values", rng, facts=shown_facts, one=len(shown_facts) == 1))
    if rng.random() < 0.4:
        cap.append(pb.say("caption.letters", rng, many=len(shapes) > 1, circle=circle is not None))
    return " ".join(cap)


def _questions(pb, rng, st: PlaneState, spec, shapes, circle, ctxs, facts):
    """The question of each variant (properties, the givens it states, the ask, the options),
    and (answer text, choices, answer index)."""
    der = st.der
    props = [pb.say("prop." + s["kind"], rng, shape=s) for s in shapes]
    if circle:
        props.append(pb.say("prop." + circle["kind"], rng, circle=circle))
    desc = [pb.say("desc.attach", rng, shape=s, kind=s["kind"]) for s in shapes[1:]]
    tphrase, _ = _q_phrase(pb, rng, der.target, ctxs)
    ask = pb.say("ask", rng, quantity=tphrase, qtype=st.qtype)
    answer_text = _answer_text(der.target, der.answer, spec)
    choices = answer_index = None
    option_values = None
    if rng.random() < spec.multiple_choice:
        key = (der.answer, answer_text, to_float(der.answer))
        made = exchangeable_options(key, _neighbours(st.con, der, spec), rng, write=lambda o: o[1],
                                    same=lambda o: number_key(o[2]),
                                    exclude={number_key(to_float(der.values[g])) for g in der.givens})
        if made is not None:
            choices, answer_index, vals = made
            option_values = [round(o[2], 12) for o in vals]
    tail = instruction(pb, rng, choices)

    def question(texts_given):
        parts = list(props)
        if texts_given:
            parts.append(pb.say("given", rng, facts=texts_given))
        parts.append(ask)
        return " ".join(parts) + "\n" + tail

    all_facts = [facts[g] for g in der.givens]
    hidden_facts = [facts[g] for g in der.givens if g not in st.shown]
    # vision_dominant: the question alone; the values and the marked properties are the picture's
    vd_props = [p for p, sh in zip(props, shapes) if sh["kind"] not in MARKED]
    vd = " ".join(vd_props + [ask]) + "\n" + tail
    questions = {"text_dominant": " ".join(desc + [question(all_facts)]) if desc else question(all_facts),
                 "text_lite": question(hidden_facts),
                 "vision_dominant": vd}
    return questions, (answer_text, choices, answer_index, option_values)


def _steps(pb, rng, der: Derivation, spec, ctxs, answer_text: str) -> list[str]:
    """One line per formula of the derivation (the formula, the substitution, the result), and
    a rounding line when the answer is a decimal of the last result."""
    steps = []
    places = spec.decimals
    last_res = None
    for r in der.steps:
        names = [V(formula_name(k)) for k in r.ins]
        vals = [V(val_text(k, der.values[k], places)[0]) for k in r.ins]
        formula = r.pattern.format(*names)
        subst = r.pattern.format(*vals)
        res, approx = val_text(r.out, der.values[r.out], places)
        chain = [formula]
        if subst != formula:
            chain.append(subst)
        if res != chain[-1]:
            chain.append(res)
        chain_txt = " = ".join(chain[:-1]) + (" ≈ " if approx else " = ") + chain[-1] \
            if len(chain) > 1 else chain[0]
        out, sym = _q_phrase(pb, rng, r.out, ctxs)
        reason = pb.say("reason." + r.kind, rng, shape=ctxs.get(r.shape, {"name": r.shape}))
        steps.append(pb.say("step", rng, reason=reason, out=out, symbol=sym, chain=chain_txt))
        last_res = res
    if last_res != answer_text:
        # a decimal answer after an exact (or differently rounded) last step
        out, sym = _q_phrase(pb, rng, der.target, ctxs)
        steps.append(pb.say("round", rng, out=out, symbol=sym, value=answer_text, places=places))
    return steps
