"""Function content that is right and reads right (issue 17), each promise over many samples:
symmetry verdicts the window shows and the check agrees with, monotony intervals open where f
is undefined, options that are different objects, solution lines that never say one thing
twice."""
from __future__ import annotations

import functools
import re

import numpy as np
import pytest

from diagram_engine.domains.function.check import check
from diagram_engine.domains.function.families import make
from diagram_engine.domains.function.questions import QUESTIONS
from diagram_engine.errors import MeasureError, Rejected
from diagram_engine.pipeline import RuleSet, generate_one

DOMAIN = "function"
RULESET = RuleSet.load(DOMAIN)


def _scene(fn, window=None):
    w = window or fn.window
    return {"points": {}, "objects": [{"type": "function", "name": "f", "expr": fn.expr,
                                       "domain": [float(w[0]), float(w[1])], "pieces": None}]}


# --- 1. symmetry: what the window shows, derived and re-measured alike -----------------------

SYMMETRY_FAMILIES = ("linear", "quadratic", "cubic", "quartic", "sine", "cosine", "absolute")


@pytest.mark.parametrize("family", SYMMETRY_FAMILIES)
def test_symmetry_verdicts_agree_with_the_check_on_every_symmetric_window(family):
    """The derivation asks symmetry only where the window shows the verdict, and the check
    measures the same verdict there (-|x + 2| + 2 on [-2, 2] is -x: odd on the window, neither
    on the line; a run once stopped on it). Narrow windows included: they are where a V's
    corner or a line's piece leaves the picture."""
    spec = RULESET.by_id["graph-properties"].spec
    rng = np.random.default_rng(17)
    asked = 0
    for _ in range(60):
        for mode in ("", "symmetric", "even", "odd", "neither"):
            try:
                fn = make(family, rng, spec, (-7, 7), mode)
            except Rejected:
                continue
            for half in (2, 3, 5, 7):
                fn2 = fn.variant({"window": (-half, half)})
                try:
                    ask = QUESTIONS["symmetry"](fn2, rng)
                except Rejected:
                    continue
                asked += 1
                got = check(_scene(fn2), ask.target)
                assert got == ask.answer, (fn.expr, half, ask.answer, got)
                # the worked example agrees with the verdict
                ctx = ask.steps[0][1]
                if ask.answer == "neither":
                    assert ctx["f1"] != ctx["fm1"] and ctx["f1"] != _neg(ctx["fm1"]), (fn.expr, ctx)
    assert asked >= 40


def _neg(text: str) -> str:
    return text[1:] if text.startswith("-") else "-" + text if text != "0" else "0"


def test_the_check_refuses_a_symmetry_the_window_alone_shows():
    fn = {"type": "function", "name": "f", "expr": "(-1)*abs(x - (-2)) + 2", "domain": [-2.0, 2.0],
          "pieces": None}
    with pytest.raises(MeasureError, match="not beyond it"):
        check({"points": {}, "objects": [fn]}, {"measure": "symmetry", "of": "f"})
    fn["domain"] = [-7.0, 7.0]
    assert check({"points": {}, "objects": [fn]}, {"measure": "symmetry", "of": "f"}) == "neither"


# --- 2. monotony: open where f is undefined, each interval on its own ------------------------

MONOTONE_FAMILIES = ("linear", "quadratic", "cubic", "quartic", "sine", "cosine", "tangent", "exponential",
                     "logarithm", "absolute", "rational")


def _monotone_asks(family, n=40, seed=3):
    spec = RULESET.by_id["absolute-rational"].spec
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        half = int(rng.integers(4, 8))
        try:
            fn = make(family, rng, spec, (-half, half), "critical")
        except Rejected:
            continue
        for q in ("increasing", "decreasing"):
            try:
                out.append((fn, QUESTIONS[q](fn, rng)))
            except Rejected:
                pass
    return out


@pytest.mark.parametrize("family", MONOTONE_FAMILIES)
def test_monotony_intervals_are_open_where_f_is_undefined_and_never_joined(family):
    """3/(x - 1) + 1 decreases on [-7, 1) and on (1, 7], not on "[-7, 1] ∪ [1, 7]" (58 of 3,000
    problems wrote that): an end is open at an asymptote and where the domain starts open, f
    is monotone on each interval written, the intervals are listed one by one, and the check
    measures the same ends with the same openness."""
    from diagram_engine.domains.function.answers import answer_text
    from diagram_engine.domains.function.build import answer_value
    from diagram_engine.core.problem import agree
    asks = _monotone_asks(family)
    assert len(asks) >= 10
    for fn, ask in asks:
        text = answer_text(ask)
        assert "∪" not in text, text
        bad = set(fn.features.vertical) | ({fn.features.defined_from} - {None})
        for a, b, a_in, b_in in ask.answer:
            assert a_in == (a not in bad) and b_in == (b not in bad), (fn.expr, ask.answer)
            lo, hi = float(a), float(b)
            ys = [fn.f(lo + (hi - lo) * (k + 0.5) / 50) for k in range(50)]
            d = 1 if ask.qtype == "increasing" else -1
            assert all(d * (y2 - y1) > 0 for y1, y2 in zip(ys, ys[1:])), (fn.expr, a, b)
            for end, inside in ((a, a_in), (b, b_in)):
                want = ("[" if end == a else "]") if inside else ("(" if end == a else ")")
                assert want in text
        agree(check(_scene(fn), ask.target), answer_value(ask), f"{ask.qtype} of {fn.expr}")


# --- 5. plots a person can read: read back from the records ----------------------------------

PLOT_SEED = 5150
PLOT_N = 160


@functools.cache
def plot_records():
    from diagram_engine import generate
    return tuple(s.record for s in generate(DOMAIN, PLOT_N, seed=PLOT_SEED))


def _num(text: str) -> float:
    text = text.replace("−", "-")
    if "/" in text:
        p, q = text.split("/")
        return float(p) / float(q)
    return float(text)


def _ticks(r, axis: str):
    """(value, bbox) of the record's tick labels on ``axis``. An x tick label lies within its
    width of its tick, in the row of labels under the x-axis (the commonest row of such labels);
    the others are the y axis's."""
    a, _, c, _, e, f = r["scene"]["to_pixels"]
    labs = []
    for lb in r["labels"]:
        if lb["kind"] == "tick":
            b = lb["bbox"]
            labs.append((_num(lb["text"]), b, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2))
    near = [round(cy) for v, b, cx, cy in labs if abs(a * v + c - cx) <= 1.2 * (b[2] - b[0]) + 2]
    row = max(set(near), key=near.count) if near else None
    out = []
    for v, b, cx, cy in labs:
        is_x = row is not None and abs(a * v + c - cx) <= 1.2 * (b[2] - b[0]) + 2 and -1 <= cy - row <= 14
        if (axis == "x") == is_x:
            out.append((v, b))
    return out


def test_tick_labels_stay_on_their_side_of_the_axis():
    """x tick labels below the x-axis, y tick labels left of the y-axis, in every picture (they
    used to jump across the axis where the curve ran under them)."""
    for r in plot_records():
        a, _, c, _, e, f = r["scene"]["to_pixels"]
        xs, ys = _ticks(r, "x"), _ticks(r, "y")
        yv = [v for v, _ in ys]
        if yv and min(yv) < 0 < max(yv):          # the x-axis is the line y = 0
            for v, b in xs:
                assert b[1] > f, (r["id"], v, b, f)
        xv = [v for v, _ in xs]
        if xv and min(xv) < 0 < max(xv):          # the y-axis is the line x = 0
            for v, b in ys:
                assert b[2] < c, (r["id"], v, b, c)


def test_tick_labels_at_zeros_and_the_y_intercept_are_kept():
    """Where a zero or the y-intercept falls on a labelled tick, its label is drawn (the curve
    runs through the place under the tick at a zero: such labels used to be dropped)."""
    missing = 0
    seen = 0
    for r in plot_records():
        obj = r["scene"]["objects"][0]
        scene = {"points": {}, "objects": [obj]}
        xs = sorted(v for v, _ in _ticks(r, "x"))
        ys = sorted(v for v, _ in _ticks(r, "y"))
        if len(xs) < 2 or len(ys) < 2:
            continue
        sx = min(b - a for a, b in zip(xs, xs[1:]))
        sy = min(b - a for a, b in zip(ys, ys[1:]))
        if sx <= 0 or sy <= 0:
            continue
        try:
            zeros = check(scene, {"measure": "zeros", "of": "f"})
        except MeasureError:
            zeros = []
        lo, hi = obj["domain"]
        for z in zeros:
            if lo < z < hi and abs(z) > 1e-9 and abs(z / sx - round(z / sx)) < 1e-9:
                seen += 1
                missing += not any(abs(z - v) < 1e-9 for v in xs)
        if lo < 0 < hi:
            try:
                y0 = check(scene, {"measure": "y-intercept", "of": "f"})
            except MeasureError:
                continue
            if abs(y0) > 1e-9 and abs(y0 / sy - round(y0 / sy)) < 1e-9 and ys[0] < y0 < ys[-1]:
                seen += 1
                missing += not any(abs(y0 - v) < 1e-9 for v in ys)
    assert seen >= 60
    assert missing == 0, f"{missing} of {seen} tick labels at zeros and intercepts dropped"


def test_turning_points_a_question_is_about_stand_apart():
    """Neighbouring turning points of a function asked about its extrema or monotony are at
    least 40 px apart in height (a tenth of the plotting box): a quartic drawn from -40 to 220
    had its turning points a few pixels apart, flat on the axis."""
    n = 0
    for r in plot_records():
        p = r["problems"][0]
        if p["question_type"] not in ("local-maxima", "local-minima", "increasing", "decreasing"):
            continue
        obj = r["scene"]["objects"][0]
        if obj["pieces"]:
            continue
        scene = {"points": {}, "objects": [obj]}
        xs = sorted(check(scene, {"measure": "local-maxima", "of": "f"}) +
                    check(scene, {"measure": "local-minima", "of": "f"}))
        e = r["scene"]["to_pixels"][4]
        ys = [check(scene, {"measure": "value", "of": "f", "at": x}) for x in xs]
        for y1, y2 in zip(ys, ys[1:]):
            n += 1
            assert abs(e * (y2 - y1)) >= 40, (r["id"], obj["expr"], xs, ys, e)
    assert n >= 5


def test_features_asked_along_x_are_a_tenth_of_the_window_apart():
    for r in plot_records():
        p = r["problems"][0]
        if p["question_type"] not in ("zeros", "local-maxima", "local-minima", "vertical-asymptote"):
            continue
        lo, hi = r["scene"]["objects"][0]["domain"]
        vals = sorted(_num(v) if "π" not in v else 0 for v in p["answer"]["text"].split(", ") if v)
        for a, b in zip(vals, vals[1:]):
            assert b - a >= 0.1 * (hi - lo) - 1e-9, (r["id"], p["answer"]["text"], lo, hi)


def test_no_asymptote_hides_under_an_axis_or_labels_like_a_tick():
    for r in plot_records():
        for o in r["scene"]["objects"]:
            if o["type"] == "line" and o["coeffs"][:2] == [1.0, 0.0]:
                assert o["coeffs"][2] != 0, r["id"]          # x = 0: under the y-axis
        texts = {lb["text"] for lb in r["labels"]}
        assert not texts & {"x = 0", "y = 0"}, r["id"]


def test_tall_windows_tick_every_unit_or_more():
    """No ticks every 0.5 on a window taller than four units (most of their labels went)."""
    for r in plot_records():
        ys = sorted(v for v, _ in _ticks(r, "y"))
        if len(ys) >= 2 and ys[-1] - ys[0] > 4:
            assert all(abs(v - round(v)) < 1e-9 for v in ys), (r["id"], ys)


# --- 4. solution lines that say each thing once ---------------------------------------------

_CLAUSE = re.compile(r"(?<=[.;:,])\s+|\s+(?:so|and|or|gives|giving|hence|then|that is|which is|which equals|"
                     r"means|while|but)\s+")


def repeats(line: str) -> list[str]:
    """What a line says twice: a member of an equality chain equal to the next one
    ("f′(-1) = -3 = -3"), one value given twice ("x = 2 and x = 2"), a formula restated as
    itself ("y = 3x, that is y = 3x")."""
    out = []
    for part in _CLAUSE.split(line):
        members = [m.strip(" .,:;") for m in part.split(" = ")]
        out += [f"{a} = {b}" for a, b in zip(members, members[1:]) if a and a == b]
    for a, b in re.findall(r"\b([a-z]) = (\S+?),? (?:and|or) \1 = \2[.,;: ]", line + " "):
        out.append(f"{a} = {b} twice")
    for a, b in re.findall(r"(\S[^,;:]*?), that is (\S[^,;:]*?)[.,;]", line):
        if a.split(" is ")[-1].strip() == b.strip():
            out.append(f"{b} restated")
    return out


def test_the_repeat_finder_finds_repeats():
    assert repeats("Substituting x = 1 gives f′(1) = -5 = -5.")
    assert repeats("Set 2log₂(x) = 0: log₂(x) = 0, so x = 1 and x = 1.")
    assert repeats("The tangent through (0, 0) with slope 3 is y = 3x, that is y = 3x.")
    assert not repeats("So f′(-1) = 2·(-1) + 1 = -1.")
    assert not repeats("f(1) = f(-1) = 3, so f is even.")


def _all_phrasings(slot, ctx):
    from diagram_engine.pipeline import Options
    from diagram_engine.text import _render
    pb = Options().phrasebook(DOMAIN)
    return [_render(choice, slot, ctx) for choice in pb.slots[slot]]


ASK_FAMILIES = ("linear", "quadratic", "cubic", "quartic", "sine", "cosine", "tangent", "exponential",
                "logarithm", "absolute", "rational", "piecewise")


@pytest.mark.parametrize("family", ASK_FAMILIES)
def test_no_solution_step_says_a_thing_twice(family):
    """Every phrasing of every step of every question a family answers, over many functions:
    "f′(-1) = -3 = -3" and "x = 2 and x = 2" (30 of 3,000 problems) no longer occur."""
    from diagram_engine.domains.function.build import SUPPORT
    spec = RULESET.by_id["calculus"].spec
    rng = np.random.default_rng(4)
    lines = 0
    for q, fams in SUPPORT.items():
        if family not in fams or q in ("match",):
            continue
        for _ in range(12):
            mode = {"zeros": "roots"}.get(q, "critical")
            try:
                fn = make(family, rng, spec, (-6, 6), "zeros" if family in ("sine", "cosine", "tangent",
                                                                            "exponential") and q == "zeros" else mode)
                ask = QUESTIONS[q](fn, rng)
            except Rejected:
                continue
            for slot, ctx in ask.steps:
                for text in _all_phrasings(slot, ctx):
                    lines += 1
                    assert not repeats(text), (slot, text, repeats(text))
    assert lines >= 20


def test_no_line_of_a_recorded_solution_says_a_thing_twice():
    for r in plot_records():
        for var in r["problems"][0]["variants"].values():
            for line in var["solution"]:
                assert not repeats(line), (r["id"], line)


# --- 3. no two right options --------------------------------------------------------------

def _as_object(text: str):
    """An option as a mathematical object: a list of numbers as a set ("2, -2" is "-2, 2"),
    intervals as a set of their texts, anything else its text without spaces."""
    t = text.replace(" ", "").replace("−", "-")
    if re.fullmatch(r"[-\d/π,.√]+", t):
        return ("set", frozenset(t.split(",")))
    if re.fullmatch(r"([\[(][^\])]*[\])](,|and)?)+", t):
        return ("intervals", frozenset(re.findall(r"[\[(][^\])]*[\])]", t)))
    return ("text", t)


def test_options_are_different_objects_over_many_problems():
    """"-2, 2" and "2, -2" were offered side by side (42 of 3,000 problems): options are
    compared as sets, and every wrong option's value was checked against the re-measure."""
    n = 0
    for r in plot_records():
        p = r["problems"][0]
        if p["choices"]:
            n += 1
            objs = [_as_object(c) for c in p["choices"]]
            assert len(set(objs)) == 4, (r["id"], p["choices"])
    assert n >= 40


@pytest.mark.parametrize("family", ("quadratic", "cubic", "quartic", "sine", "cosine", "absolute"))
def test_zeros_options_are_different_sets(family):
    from diagram_engine.domains.function.build import _options, canonical
    spec = RULESET.by_id["polynomial-features"].spec
    rng = np.random.default_rng(8)
    got = 0
    for _ in range(40):
        mode = "zeros" if family in ("sine", "cosine") else "roots"
        try:
            fn = make(family, rng, spec, (-6, 6), mode)
            ask = QUESTIONS["zeros"](fn, rng)
        except Rejected:
            continue
        out = _options(fn, "zeros", ask, family, mode, (-6, 6), spec, rng)
        if out is None:
            continue
        got += 1
        choices, index, values = out
        assert len({frozenset(v) for v in values}) == 4, choices
        assert len({_as_object(c) for c in choices}) == 4, choices
        assert canonical("numbers", ask.answer) == tuple(sorted(canonical("number", v) for v in ask.answer))
    assert got >= 8
