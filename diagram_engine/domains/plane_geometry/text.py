"""Plane-geometry wording: caption, questions in three variants, solutions, choices.

All English lives in ``templates/plane-geometry/*.yaml``; this module only decides what is
said (which facts, in which variant) and hands the facts to the phrasebook.
"""
from __future__ import annotations

import sympy as sp

from ...exact import fmt_decimal, fmt_latex, has_symbolic_trig, sympy_str, to_float, try_text
from .derive import Construction, Derivation, evaluate
from .sample import _V, _formula_name, _given_text, _val_text
from .shapes import Shape, display_name

__all__ = ["write"]

LETTERS = "ABCD"


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
        t = try_text(v)
        if t is None:
            return None
    return t + "°" if key.startswith("ang:") else t


def _distractors(der: Derivation, spec, rng, answer_text: str) -> list[str]:
    key = der.target
    a = der.answer
    val = to_float(a)
    seen = {answer_text}
    out: list[str] = []
    cands: list[sp.Expr] = []
    for i, r in enumerate(der.steps):
        for m in r.mistakes:
            vals = {g: der.values[g] for g in der.givens}
            try:
                cands.append(evaluate(der.steps, vals, None, override=(i, m)))
            except (TypeError, ValueError, ZeroDivisionError):
                continue
    order = [int(i) for i in rng.permutation(len(cands))]
    cands = [cands[i] for i in order]
    if key.startswith("ang:"):
        cands += [180 - a, 90 - a, a / 2, 2 * a, a + 15, a - 15, a + 30]
    else:
        cands += [2 * a, a / 2, 3 * a / 2, 2 * a / 3, a + 2, 4 * a]
    for c in cands:
        try:
            f = to_float(c)
        except (TypeError, ValueError):
            continue
        if not (f == f) or f <= 0 or abs(f - val) <= 1e-6 * max(1.0, abs(val)):
            continue
        if key.startswith("ang:") and f >= 180:
            continue
        t = _answer_text(key, c, spec)
        if t is None or t in seen:
            continue
        seen.add(t)
        out.append(t)
        if len(out) == 3:
            break
    return out


def write(rule, rng, con: Construction, der: Derivation, scene, target, qtype, shown_keys,
          vd_index, labels_base, px, size, value, err, options) -> dict:
    spec = rule.spec
    pb = options.phrasebook_for(rule)
    shapes = con.shapes
    ctxs = {}
    prev = None
    for sh in shapes:
        ctxs[sh.name] = _shape_ctx(pb, rng, sh, prev)
        prev = sh
    shape_list = [ctxs[sh.name] for sh in shapes]
    circle = None
    if con.circle is not None:
        circle = {"kind": con.circle.kind, "center": con.circle.center, "of": ctxs[con.circle.of]}
    facts = {g: f"{display_name(g)} = {_given_text(g, der.values[g])}" for g in der.givens}
    diag = [o["name"] for o in scene["objects"] if o["type"] == "segment"]

    # caption: what the base image shows
    cap = [pb.say("caption.base", rng, shape=shape_list[0], kind=shape_list[0]["kind"])]
    for s in shape_list[1:]:
        cap.append(pb.say("caption.attach", rng, shape=s, kind=s["kind"]))
    for s in shape_list:
        if s.get("right"):
            cap.append(pb.say("caption.right-angle", rng, shape=s, angles=s["right"]))
        if s.get("equal_groups"):
            cap.append(pb.say("caption.ticks", rng, shape=s))
    if circle:
        cap.append(pb.say("caption." + circle["kind"], rng, circle=circle))
        cap.append(pb.say("caption.shaded", rng, circle=circle))
    for dname in diag:
        cap.append(pb.say("caption.dashed", rng, segment=dname))
    shown_facts = [facts[g] for g in shown_keys]
    cap.append(pb.say("caption.values", rng, facts=shown_facts))
    caption = " ".join(cap)

    # question parts
    props = [pb.say("prop." + s["kind"], rng, shape=s) for s in shape_list]
    if circle:
        props.append(pb.say("prop." + circle["kind"], rng, circle=circle))
    desc = [pb.say("desc.attach", rng, shape=s, kind=s["kind"]) for s in shape_list[1:]]
    tphrase, _ = _q_phrase(pb, rng, der.target, ctxs)
    ask = pb.say("ask", rng, quantity=tphrase, qtype=qtype)
    answer_text = _answer_text(der.target, der.answer, spec)
    mc = bool(rng.random() < spec.multiple_choice)
    choices = None
    answer_index = None
    if mc:
        wrong = _distractors(der, spec, rng, answer_text)
        if len(wrong) == 3:
            answer_index = int(rng.integers(4))
            choices = list(wrong)
            choices.insert(answer_index, answer_text)
        else:
            mc = False
    if mc:
        tail = pb.say("instruction.mc", rng) + "\n" + pb.say(
            "choices", rng, choices=[f"{LETTERS[i]}. {c}" for i, c in enumerate(choices)])
    else:
        tail = pb.say("instruction.free", rng)

    def question(texts_given):
        parts = list(props)
        if texts_given:
            parts.append(pb.say("given", rng, facts=texts_given))
        parts.append(ask)
        return " ".join(parts) + "\n" + tail

    all_facts = [facts[g] for g in der.givens]
    hidden_facts = [facts[g] for g in der.givens if g not in shown_keys]
    q_td = " ".join(desc + [question(all_facts)]) if desc else question(all_facts)
    q_tl = question(hidden_facts)
    q_vd = question([])

    # solution
    steps = []
    places = spec.decimals
    last_res = None
    for r in der.steps:
        names = [_V(_formula_name(k)) for k in r.ins]
        vals = [_V(_val_text(k, der.values[k], places)[0]) for k in r.ins]
        formula = r.pattern.format(*names)
        subst = r.pattern.format(*vals)
        res, approx = _val_text(r.out, der.values[r.out], places)
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
    final = f"Answer: {LETTERS[answer_index]}" if mc else pb.say("answer.free", rng, answer=answer_text)

    def solution(read_facts):
        lines = []
        if read_facts:
            lines.append(pb.say("read", rng, facts=read_facts))
        return lines + steps + [final]

    shown_facts_all = [facts[g] for g in der.givens if g in shown_keys]
    sol_td = solution([])
    sol_tl = solution(shown_facts_all)
    sol_vd = solution(all_facts)

    givens = []
    for g in der.givens:
        inb = g in shown_keys
        givens.append({"fact": facts[g], "quantity": g, "value": round(to_float(der.values[g]), 12),
                       "exact": sympy_str(der.values[g]),
                       "in_text": {"text_dominant": True, "text_lite": not inb, "vision_dominant": False},
                       "in_image": {"text_dominant": inb, "text_lite": inb, "vision_dominant": True}})
    ans_exact = der.answer
    problem = {
        "question_type": qtype,
        "target": target,
        "givens": givens,
        "variants": {
            "text_dominant": {"question": q_td, "image": 0, "solution": sol_td},
            "text_lite": {"question": q_tl, "image": 0, "solution": sol_tl},
            "vision_dominant": {"question": q_vd, "image": vd_index, "solution": sol_vd},
        },
        "choices": choices,
        "answer_index": answer_index,
        "answer": {"text": answer_text,
                   "latex": (fmt_latex(ans_exact) + ("^\\circ" if der.target.startswith("ang:") else ""))
                   if spec.answer == "exact" and not der.approximate else answer_text.replace("°", "^\\circ"),
                   "exact": sympy_str(ans_exact), "value": round(value, 12)},
        "solution": sol_td,
        "steps": len(der.steps),
        "verified": {"exact": True, "numeric": True, "max_abs_err": float(f"{err:.3g}")},
    }
    return {
        "caption": caption,
        "scene": dict(scene, to_pixels=[round(v, 9) for v in px.affine()],
                      exact={g: sympy_str(v) for g, v in der.values.items()}),
        "labels": [lb.record() for lb in labels_base],
        "problems": [problem],
    }
