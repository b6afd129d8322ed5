"""Analytic geometry read as a reviewer reads it: every shown computation true of the numbers
as printed, no step that repeats itself, options that are different mathematical objects with
one right, positions a person agrees with, windows that fit the figures, tick numbers at the
points a reader locates on the grid, phrasings that vary, captions with a vocabulary.

The text is read back independently of the engine: equality chains are split at " = " and
every side that is made of numbers alone is evaluated (sympy), options are parsed into
points, sets of points, lines and curves in any form, and positions are measured from the
scene's coordinates. Records come from several seeds (``RECORDS``), so a defect that shows in
one sample in a hundred is caught.
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import pytest
import sympy as sp
import yaml
from sympy.parsing.sympy_parser import implicit_multiplication_application, parse_expr, standard_transformations

from diagram_engine.audit import caption_words
from diagram_engine.domains.analytic_geometry.questions import KINDS
from diagram_engine.pipeline import RuleSet, generate_one

DOMAIN = "analytic-geometry"
RULESET = RuleSet.load(DOMAIN)
SEEDS = (3, 404, 9090)
PER_SEED = 170
TEMPLATES = Path(__file__).parent.parent / "templates" / "analytic-geometry" / "text.yaml"


@functools.cache
def records() -> tuple:
    return tuple(generate_one(DOMAIN, seed=s, index=i, ruleset=RULESET).record
                 for s in SEEDS for i in range(PER_SEED))


def problems():
    for r in records():
        for p in r["problems"]:
            yield r, p


def solution_lines(p):
    for v in p["variants"].values():
        yield from v["solution"]


# --- reading mathematics back from text -----------------------------------------------------------

X, Y = sp.symbols("x y")
_T = standard_transformations + (implicit_multiplication_application,)
_NUMERIC = re.compile(r"^[0-9√²()+\-−·/. ]+$")
_L = r"[^\W\d_²³]"
_STOP = re.compile(rf"(?<!{_L})(?!Δ[xy](?!{_L})){_L}{{2,}}|[,;:]|\s-\s(?={_L}{{2,}})")


def to_sympy(s: str):
    s = s.strip().replace("−", "-").replace("·", "*").replace("²", "**2")
    s = re.sub(r"√\(", "sqrt(", s)
    s = re.sub(r"√(\d+)", r"sqrt(\1)", s)
    if "√" in s or "±" in s:
        raise ValueError(s)
    return parse_expr(s, local_dict={"x": X, "y": Y, "sqrt": sp.sqrt}, transformations=_T)


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _bare(s: str) -> str:
    s = s.strip().rstrip(".,;:").strip().replace(" ", "")
    while s.startswith("(") and s.endswith(")") and _balanced(s[1:-1]):
        s = s[1:-1]
    return s


def _terms(s: str) -> tuple:
    """A side's additive terms in any order, so "√17 + 4√2" repeats "4√2 + √17"."""
    s, out, depth, cur = _bare(s), [], 0, ""
    for ch in s:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch in "+-" and depth == 0 and cur and cur[-1] not in "·/^(":
            out.append(cur)
            cur = "" if ch == "+" else "-"
            continue
        cur += ch
    out.append(cur)
    return tuple(sorted(_bare(x) for x in out))


def _lead(p: str) -> str:
    m = _STOP.search(p)
    return p[:m.start()] if m else p


def _trail(p: str) -> str:
    last = None
    for m in _STOP.finditer(p):
        last = m
    return p[last.end():] if last else p


def chains(sentence: str) -> list[list[str]]:
    """The sides of each ``a = b = c`` chain of a sentence (words end a side)."""
    parts = sentence.split(" = ")
    out, cur = [], []
    for i, p in enumerate(parts):
        if i == 0:
            cur = [_trail(p).strip()]
            continue
        lead = _lead(p)
        if i == len(parts) - 1 or p[len(lead):].strip():
            cur.append(lead.strip())
            out.append(cur)
            cur = [_trail(p).strip()]
        else:
            cur.append(p.strip())
    return [c for c in out if len(c) >= 2]


def numeric(side: str):
    s = side.strip().rstrip(".,;:").strip()
    if not s or not re.search(r"\d", s) or not _NUMERIC.match(s) or not _balanced(s) \
            or s.endswith(("+", "-", "−", "·", "/")) or s.startswith(("+", "·", "/", ")")):
        return None
    try:
        return sp.nsimplify(to_sympy(s))
    except Exception:
        return None


def rounding_faults(sentence: str) -> list[str]:
    """``a ≈ b`` where b is not a rounded to b's printed digits (computed from a as printed)."""
    out = []
    for m in re.finditer(r"([0-9√²()+\-−·/. ]+?) ≈ (-?\d+(?:\.(\d+))?)", sentence):
        a, b, decimals = numeric(m.group(1)), float(m.group(2)), len(m.group(3) or "")
        if a is not None and abs(float(a) - b) > 0.5 * 10 ** -decimals + 1e-12:
            out.append(f"{m.group(0)!r} does not round so")
    return out


def chain_faults(sentence: str) -> list[str]:
    out = rounding_faults(sentence)
    for ch in chains(sentence):
        for a, b in zip(ch, ch[1:]):
            if _bare(a) and _terms(a) == _terms(b):
                out.append(f"{a!r} = {b!r} repeats a side")
            va, vb = numeric(a), numeric(b)
            if va is not None and vb is not None and sp.simplify(va - vb) != 0:
                out.append(f"{a!r} = {b!r} is false as printed")
    return out


def test_the_chain_reader_catches_the_defects_it_is_for():
    assert chain_faults("c = √(a² + b²) = √5 = √5.")
    assert chain_faults("So x = 0 and y = (0) = 0: the lines meet at (0, 0).")
    assert chain_faults("BC = √(-5² + 4²) = √41.")                      # -5² is -25 as printed
    assert chain_faults("Adding the sides: √17 + 4√2 + √89 = √17 + √89 + 4√2.")
    assert chain_faults("(8.41)² = 70.75")
    assert chain_faults("so (8.41)² ≈ 70.75.") and not chain_faults("so (8.41)² ≈ 70.73.")
    assert chain_faults("3.37 + 0.0133·5 ≈ 3.43") and not chain_faults("3.37 + 0.0133·5 ≈ 3.44")
    assert not chain_faults("AB = √((-5)² + 4²) = √(25 + 16) = √41.")
    assert not chain_faults("Then x = -3, y = (-2)·(-3) - 5 = 1: the intersection is (-3, 1).")


def test_no_equality_chain_repeats_a_side_or_is_false_as_printed():
    """Over every solution line of every variant: no "= √5 = √5", "= (0) = 0", "1/2 = 1/2", no
    reordered sum shown as a step, and every side made of numbers equals the next one as
    printed (a negative square in parentheses, a quotient of the printed values)."""
    bad = []
    for _, p in problems():
        for s in solution_lines(p):
            for f in chain_faults(s):
                bad.append((p["question_type"], s, f))
    assert not bad, f"{len(bad)} faults, e.g. {bad[:5]}"


_REPEAT = re.compile(r"(?<![\w/√.(-])((?:\S+ = )?-?[\d/√]+) (?:and|or) \1(?=[ .,;:)]|$)")


def test_the_repeat_reader_catches_what_it_is_for():
    assert re.search(_REPEAT, "So x = 2 and x = 2.") and not re.search(_REPEAT, "Its roots x = 9/5 and 5 give")


def test_no_step_says_the_same_thing_twice():
    """No substitution that leaves its equation as it was ("put y into x - 3 = 0 to get
    x - 3 = 0"), and no "x = 2 and x = 2" or "1/2 and 1/2"."""
    bad = []
    for _, p in problems():
        for s in solution_lines(p):
            m = re.search(r"into (.+?)(?: to get |: | gives | becomes | leaves )(.+?)\.?$", s)
            if m and _bare(m.group(1)).replace("=0", "") == _bare(m.group(2)).replace("=0", ""):
                bad.append(s)
            m = re.search(_REPEAT, s)
            if m:
                bad.append(s)
    assert not bad, bad[:5]


# --- options as mathematical objects ------------------------------------------------------------

def _equation(eq: str):
    left, right = eq.split("=")
    e = sp.Poly(sp.expand(to_sympy(left) - to_sympy(right)), X, Y)
    terms = sorted(e.terms())
    lead = terms[-1][1]
    return ("curve", tuple((mono, sp.nsimplify(c / lead)) for mono, c in terms))


def as_object(text: str):
    """A point, a set of points, an equation (normalised: any form of one line or curve is
    one object), a set of equations, a number or a word."""
    s = text.strip()
    if not re.search(r"\d", s) and re.fullmatch(r"[a-z ,]+", s):
        return ("word", s)
    if s.startswith("(") and "," in s and "=" not in s:
        return ("points", frozenset((sp.nsimplify(to_sympy(a)), sp.nsimplify(to_sympy(b)))
                                    for a, b in re.findall(r"\(([^,()]+), ([^()]+)\)", s)))
    if "=" in s:
        objs = frozenset(_equation(q) for q in s.split(" and "))
        return ("equations", objs)
    return ("number", sp.nsimplify(to_sympy(s)))


def _line_coeffs(sc, name):
    for o in sc["objects"]:
        if o.get("name") == name and o["type"] == "line":
            return o["coeffs"]
    raise KeyError(name)


def _relation_truths(sc) -> dict:
    """What each line-relation text says, true or false of the scene's lines l and m."""
    (a1, b1, c1), (a2, b2, c2) = _line_coeffs(sc, "l"), _line_coeffs(sc, "m")
    cross = a1 * b2 - a2 * b1
    same = abs(cross) < 1e-9 and abs(a1 * c2 - a2 * c1) < 1e-9 and abs(b1 * c2 - b2 * c1) < 1e-9
    perp = abs(a1 * a2 + b1 * b2) < 1e-9
    meet = abs(cross) > 1e-9
    return {"parallel": abs(cross) < 1e-9 and not same, "coincident": same, "perpendicular": perp,
            "intersecting": meet, "intersecting but not perpendicular": meet and not perp}


def test_options_are_different_objects_and_only_the_key_is_right():
    """Four options, four different objects ("y = 2x + 1" and "2x - y + 1 = 0" would be one),
    the key the answer; of a word question's options exactly one is true of the figure as the
    words read ("intersecting" is true of perpendicular lines too)."""
    bad, n = [], 0
    for r, p in problems():
        if not p["choices"]:
            continue
        n += 1
        objs = [as_object(c) for c in p["choices"]]
        if len(set(objs)) != len(objs) or [i for i, o in enumerate(objs) if o == as_object(p["answer"]["text"])] \
                != [p["answer_index"]]:
            bad.append((p["question_type"], p["choices"], p["answer"]["text"]))
        if p["question_type"] == "line-relation":
            truth = _relation_truths(r["scene"])
            if [c for c in p["choices"] if truth[c]] != [p["choices"][p["answer_index"]]]:
                bad.append((p["choices"], p["answer"]["text"], truth))
    assert n > 150
    assert not bad, bad[:5]


# --- positions a person agrees with -----------------------------------------------------------------

_DIRS = {"right": 0, "upper right": 45, "above": 90, "upper left": 135, "left": 180, "lower left": 225,
         "below": 270, "lower right": 315}


def _figure(sc, name):
    """(reference point, box) of a figure of the scene, from its coordinates."""
    pts = sc["points"]
    if name in pts:
        return tuple(pts[name]), (*pts[name], *pts[name])
    for o in sc["objects"]:
        if o.get("name") != name:
            continue
        if o["type"] == "circle":
            (h, k), r = pts[o["center"]], o["radius"]
            return (h, k), (h - r, k - r, h + r, k + r)
        ps = [pts[v] for v in (o.get("ends") or o.get("vertices"))]
        xs, ys = [q[0] for q in ps], [q[1] for q in ps]
        return (sum(xs) / len(xs), sum(ys) / len(ys)), (min(xs), min(ys), max(xs), max(ys))
    raise KeyError(name)


def _clear(sc, f1, f2, word) -> bool:
    """f1 lies ``word`` of f2 beyond doubt: the offset of the reference points within 15° of
    the direction, and f1's box wholly beyond f2's that way (both ways for a corner)."""
    (p1, b1), (p2, b2) = _figure(sc, f1), _figure(sc, f2)
    ang = math.degrees(math.atan2(p1[1] - p2[1], p1[0] - p2[0])) % 360
    if abs((ang - _DIRS[word] + 180) % 360 - 180) > 15:
        return False
    right, left, up, down = b1[0] > b2[2], b1[2] < b2[0], b1[1] > b2[3], b1[3] < b2[1]
    return {"right": right, "left": left, "above": up, "below": down, "upper right": right and up,
            "upper left": left and up, "lower left": left and down, "lower right": right and down}[word]


_RELATION = re.compile(r"(the (?:triangle|quadrilateral|circle|ellipse|segment) (\S+)).*?(upper left|upper right|"
                       r"lower left|lower right|above|below|left|right|higher up|further down).*?the "
                       r"(?:triangle|quadrilateral|circle|ellipse|segment) ([^\s.]+)", re.IGNORECASE)


def test_positions_are_clear_and_the_question_names_its_options():
    """A position answer, and a caption's sentence on where one figure lies from another, holds
    beyond doubt; the question names the alternatives it offers (each option is in its text),
    and the answer is one of them."""
    bad, n = [], 0
    for r, p in problems():
        sc = r["scene"]
        if p["question_type"] == "position":
            n += 1
            f1, f2 = p["target"]["of"]
            if not _clear(sc, f1, f2, p["answer"]["text"]):
                bad.append((r["id"], p["answer"]["text"]))
        if p["question_type"] in ("position", "line-relation", "point-circle"):
            q = p["variants"]["vision_dominant"]["question"].split("\nA. ")[0]
            offered = p["choices"] or [p["answer"]["text"]]
            for c in offered:
                words = c.replace(" the circle", "")
                if not re.search(r"\b" + re.escape(words) + r"\b", q):
                    bad.append((r["id"], c, q))
    assert n > 20
    assert not bad, bad[:5]


def test_caption_relations_are_clear():
    bad, n = [], 0
    for r, _ in problems():
        for sent in re.split(r"(?<=\.) ", r["caption"]):
            if not re.search(r"\b(upper|lower|above|below|left|right|higher up|further down)\b", sent) or \
                    "quadrant" in sent or "axis" in sent or "axes" in sent:
                continue
            names = re.findall(r"the (?:triangle|quadrilateral|circle|ellipse|segment) ([^\s.,]+)", sent)
            if len(names) != 2:
                continue
            n += 1
            word = re.search(r"upper left|upper right|lower left|lower right|above|below|left|right|higher up|"
                             r"further down", sent).group(0)
            word = {"higher up": "above", "further down": "below"}.get(word, word)
            # "X has Y to its left" and "Seen from X, Y is ..." name the reference first
            f1, f2 = (names[1], names[0]) if re.match(r"(Seen from|Relative to|The \w+ \S+ has)", sent) else names
            if not _clear(r["scene"], f1, f2, word):
                bad.append(sent)
    assert n > 5
    assert not bad, bad[:5]


# --- pictures ---------------------------------------------------------------------------------

def _boxes(sc) -> list:
    """(kind, box) of each drawn figure with an extent, and the boxes the window must show."""
    from diagram_engine.domains.analytic_geometry import check as C
    pts, out = sc["points"], []
    for o in sc["objects"][1:]:
        t = o["type"]
        if t in ("segment", "polygon"):
            ps = [pts[n] for n in (o.get("ends") or o.get("vertices"))]
        elif t == "circle":
            (h, k), r = pts[o["center"]], o["radius"]
            ps = [(h - r, k - r), (h + r, k + r)]
        elif t in ("ellipse", "hyperbola", "parabola"):
            K = C._analyse(o["name"], C._quadratic(o["name"], o["expr"]))
            ps = [tuple(v) for v in (K.ref, *K.foci, *K.vertices)]
            if t == "ellipse":
                ex, ey = math.hypot(K.a * K.u[0], K.b * K.u[1]), math.hypot(K.a * K.u[1], K.b * K.u[0])
                ps = [(K.ref[0] - ex, K.ref[1] - ey), (K.ref[0] + ex, K.ref[1] + ey)]
        else:
            continue
        xs, ys = [q[0] for q in ps], [q[1] for q in ps]
        out.append((t, (min(xs), min(ys), max(xs), max(ys))))
    lines = [o["coeffs"] for o in sc["objects"] if o["type"] == "line"]
    for i, (a1, b1, c1) in enumerate(lines):            # where lines cross: the picture shows it
        for a2, b2, c2 in lines[i + 1:]:
            det = a1 * b2 - a2 * b1
            if abs(det) > 1e-9:
                x, y = (b1 * c2 - b2 * c1) / det, (a2 * c1 - a1 * c2) / det
                out.append(("crossing", (x, y, x, y)))
    curves = [o["name"] for o in sc["objects"] if o["type"] in ("circle", "ellipse", "hyperbola", "parabola")]
    for ln in (o["name"] for o in sc["objects"] if o["type"] == "line"):
        for cv in curves:                                # where a line meets a curve, by the check
            for x, y in C.check(sc, {"measure": "intersections", "of": [ln, cv]}):
                out.append(("crossing", (x, y, x, y)))
    out += [("point", (x, y, x, y)) for x, y in pts.values()]
    return out


def test_windows_fit_the_figures():
    """Each figure with an extent takes at least 0.15 of the window's side, and the window is
    no larger than what it must show (every figure, where lines cross them, both axes) plus a
    few units, or 14 wide (10, up to 2 units of slack that vary the picture, and a unit each way
    when an end would equal a number answer)."""
    small, loose, n = [], [], 0
    for r in records():
        sc = r["scene"]
        ax = sc["objects"][0]
        (x0, x1), (y0, y1) = ax["x_range"], ax["y_range"]
        side = max(x1 - x0, y1 - y0)
        bs = _boxes(sc)
        for t, b in bs:
            if t not in ("point", "crossing", "hyperbola", "parabola"):     # open curves run to the frame
                n += 1
                if max(b[2] - b[0], b[3] - b[1]) < 0.15 * side:
                    small.append((r["id"], t, b, side))
        need = [min([b[0] for _, b in bs] + [-2]), min([b[1] for _, b in bs] + [-2]),
                max([b[2] for _, b in bs] + [2]), max([b[3] for _, b in bs] + [2])]
        if side > max(14, max(need[2] - need[0], need[3] - need[1]) + 8):
            loose.append((r["id"], side, need))
    assert n > 300
    assert not small, f"{len(small)} of {n} figures are slivers of their window, e.g. {small[:3]}"
    assert not loose, f"{len(loose)} of {len(records())} windows are larger than their figures need, e.g. {loose[:3]}"


def _tick_values(r) -> dict:
    """The tick numbers the base image keeps on each axis, read off the label boxes."""
    a, _, c, _, e, f = r["scene"]["to_pixels"]
    out = {"x": set(), "y": set()}
    for lb in r["labels"]:
        if lb["kind"] != "tick":
            continue
        v = float(lb["text"].replace("\u2212", "-"))
        cx, cy = (lb["bbox"][0] + lb["bbox"][2]) / 2, (lb["bbox"][1] + lb["bbox"][3]) / 2
        if abs(a * v + c - cx) < 1.0:
            out["x"].add(v)
        elif abs(e * v + f - cy) < 1.0:
            out["y"].add(v)
    return out


def test_tick_numbers_stand_at_the_points_labelled_by_name():
    """A point the base image labels by its name alone is found by the grid and the axes'
    numbers: where the axis numbers its ticks (every tick, or every second one), the number at
    the point's coordinate is there, not dropped for a stroke or a label in its way."""
    bad = []
    for r in records():
        p = r["problems"][0]
        shown = {g["quantity"] for g in p["givens"] if g["in_image"]["text_lite"]}
        step = r["scene"]["objects"][0]["x_step"]
        ticks = _tick_values(r)
        for i, axis in enumerate("xy"):
            kept = sorted(ticks[axis])
            every = next((e for e in (10, 5, 2) if kept and all(abs(v / (e * step) - round(v / (e * step))) < 1e-9
                                                                   for v in kept)), 1)
            for name, xy in r["scene"]["points"].items():
                v = xy[i]
                if name not in shown and v != 0 and abs(v / (every * step) - round(v / (every * step))) < 1e-9 \
                        and v not in ticks[axis]:
                    bad.append((r["id"], name, axis, v))
    assert not bad, f"{len(bad)} tick numbers missing, e.g. {bad[:5]}"


# --- words ------------------------------------------------------------------------------------

ONE_FORM = {"answer.free", "choices"}     # the final answer line and the options list keep one form


def test_every_slot_has_at_least_five_phrasings():
    slots = yaml.safe_load(TEMPLATES.read_text())
    few = {k: len(v) for k, v in slots.items() if k != "lexicon" and k not in ONE_FORM and len(v) < 5}
    assert not few, few


def test_captions_have_a_vocabulary_and_never_use_a_word_questions_words():
    """The captions of these records use 250 words or more (the audit counts the same way); a
    caption never uses a word of its word question's closed set ("above" on a position
    problem, "parallel" on a line-relation one, "on the circle" on a point-circle one)."""
    caps = [r["caption"] for r in records()]
    assert len(caption_words(caps)) >= 250, len(caption_words(caps))
    bad = []
    for r, p in problems():
        kind = KINDS[p["question_type"]]
        if kind.kind != "word":
            continue
        for w in {kind.write(x) for x in kind.words} | {x for x in kind.words if len(x) > 2}:
            if re.search(r"\b" + re.escape(w) + r"\b", r["caption"], re.IGNORECASE):
                bad.append((p["question_type"], w, r["caption"]))
    assert not bad, bad[:3]


@pytest.mark.parametrize("qtype", ["circle-equation", "line-equation", "circle-tangent", "asymptotes"])
def test_captions_never_give_an_asked_equation(qtype):
    seen = 0
    for r, p in problems():
        if p["question_type"] != qtype:
            continue
        seen += 1
        ans = as_object(p["answer"]["text"])
        for eq in re.findall(r"[^,:;.()]*?=[^,:;]*?(?=[,;.]? |\.$|$)", r["caption"]):
            try:
                got = as_object(eq.strip().rstrip("."))
            except Exception:
                continue
            assert got != ans and not (ans[0] == "equations" and got[0] == "equations" and got[1] & ans[1]), \
                (qtype, eq, r["caption"])
    assert seen >= 5
