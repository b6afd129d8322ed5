"""Every shipped function rule, a dozen samples each at a fixed seed.

Each test checks one promise on every sample of one rule: the answer equals the target
re-measured numerically from the scene's expression alone; the record fits the schema;
labels are inside the canvas and apart; the variants leave what they claim to the picture;
the marked points are on the curve and fix the hidden letters; options and answer lines
are well formed. Plus determinism across worker counts.
"""
from __future__ import annotations

import functools
import re

import pytest

from diagram_engine import generate, measure
from diagram_engine.domains.function.check import evaluate
from diagram_engine.pipeline import RuleSet, generate_one

DOMAIN = "function"
SEED = 424242
N = 12
VARIANTS = ("text_dominant", "text_lite", "vision_dominant")
RULESET = RuleSet.load(DOMAIN)
RULE_IDS = sorted(r.id for r in RULESET.rules)


@functools.cache
def samples(rule_id: str):
    return tuple(generate_one(DOMAIN, seed=SEED, index=i, rule_id=rule_id, ruleset=RULESET) for i in range(N))


def test_there_are_function_rules():
    assert len(RULE_IDS) >= 6


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_labels_inside_and_apart(rule_id):
    for s in samples(rule_id):
        boxes = [lb["bbox"] for lb in s.record["labels"]]
        w, h = s.record["width"], s.record["height"]
        for b in boxes:
            assert 0 <= b[0] < b[2] <= w and 0 <= b[1] < b[3] <= h, b
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_marked_points_lie_on_the_curve(rule_id):
    for s in samples(rule_id):
        f = evaluate(s.record["scene"], "f")        # piecewise-aware, from the record alone
        for name, (x, y) in s.record["scene"]["points"].items():
            assert abs(f(x) - y) <= 1e-9 * max(1.0, abs(y)), (name, x, y)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_variants_leave_the_hidden_values_to_the_picture(rule_id):
    for s in samples(rule_id):
        p = s.record["problems"][0]
        letters = [g for g in p["givens"] if not g["quantity"].startswith("point:")]
        for v in ("text_lite", "vision_dominant"):
            q = p["variants"][v]["question"]
            for g in letters:
                if not g["in_text"][v]:
                    # the letter stands in the stated form, the value never does
                    assert re.search(rf"(?<![A-Za-z]){g['quantity']}(?![a-z])", q), (g, q)
            # the domain changed what the variant leaves to the picture and the answer moved
            assert p["image_needed"][v], (v, q)
        # text_lite states less than text_dominant, vision-dominant states the form only
        assert any(g["in_text"]["text_dominant"] and not g["in_text"]["text_lite"] for g in letters) \
            or p["variants"]["text_lite"]["question"] != p["variants"]["text_dominant"]["question"]
        assert all(not g["in_text"]["vision_dominant"] for g in p["givens"])
        # marked points are givens the image shows, never the text
        for g in p["givens"]:
            if g["quantity"].startswith("point:"):
                assert not any(g["in_text"].values()) and any(g["in_image"].values())


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_solutions_and_options(rule_id):
    for s in samples(rule_id):
        p = s.record["problems"][0]
        for v in VARIANTS:
            last = p["variants"][v]["solution"][-1]
            if p["choices"]:
                assert last == f"Answer: {'ABCD'[p['answer_index']]}"
            else:
                assert last == f"The answer is {p['answer']['text']}."
        if p["choices"]:
            assert len(p["choices"]) == 4 and len(set(p["choices"])) == 4
            assert p["choices"][p["answer_index"]] == p["answer"]["text"]
            for i, c in enumerate(p["choices"]):
                assert f"{'ABCD'[i]}. {c}" in p["variants"]["text_dominant"]["question"]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_vd_solution_reads_every_letter(rule_id):
    """Every letter vision_dominant leaves to its marked points is solved for in its solution."""
    for s in samples(rule_id):
        p = s.record["problems"][0]
        sol = " ".join(p["variants"]["vision_dominant"]["solution"])
        for g in p["givens"]:
            if g["quantity"].startswith("point:") or not g["in_image"]["vision_dominant"]:
                continue
            assert f"{g['quantity']} = {g['fact'].split(' = ', 1)[1]}" in sol, (g, sol)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    a, b = tmp_path_factory.mktemp("fa"), tmp_path_factory.mktemp("fb")
    generate(DOMAIN, 24, a, seed=7, workers=1, shard_size=10, progress=False)
    generate(DOMAIN, 24, b, seed=7, workers=2, shard_size=10, progress=False)
    return a, b


def test_workers_1_and_2_write_identical_bytes(two_runs):
    a, b = two_runs
    fa = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.name != "manifest.json")
    fb = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert fa == fb and fa
    for rel in fa:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_one_sample_alone_equals_the_batch(two_runs):
    a, _ = two_runs
    line = (a / "shards" / "shard-000001.jsonl").read_text().splitlines()[3]
    s = generate_one(DOMAIN, seed=7, index=13)
    assert s.record_line().rstrip("\n") == line
    assert s.png == (a / s.record["image"]).read_bytes()


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_a_title_states_no_more_than_the_text_lite_question(rule_id):
    """The base image is shown with text_dominant and text_lite: its title may write f only as
    text_lite states it, else the title would give away the value left to the marks."""
    titled = 0
    for s in samples(rule_id):
        for lb in s.record["labels"]:
            if lb["kind"] == "title":
                titled += 1
                q = s.record["problems"][0]["variants"]["text_lite"]["question"]
                assert lb["text"].split(" = ", 1)[1] in q, (lb["text"], q)
    assert titled or N < 8, "no sample of this rule has a title"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_no_mark_shows_the_answer_outright(rule_id):
    """A marked point never sits where the asked value is: at an asked zero, extremum or x0."""
    for s in samples(rule_id):
        p = s.record["problems"][0]
        target, val = p["target"], p["answer"]["value"]
        marks = list(s.record["scene"]["points"].values())
        for x, y in marks:
            if target["measure"] in ("maximum", "minimum"):
                assert abs(y - val) > 1e-9, (x, y, target)
            if target["measure"] == "range":
                assert all(abs(y - v) > 1e-9 for v in val), (x, y, target)
            if target["measure"] == "zeros":
                assert all(abs(x - v) > 1e-9 for v in val), (x, y, target)
            if target["measure"] in ("value", "y-intercept"):
                assert abs(x - target.get("at", 0.0)) > 1e-9, (x, y, target)
            if target["measure"] != "graph-match" and isinstance(val, float):
                assert abs(y - val) > 1e-9 and abs(x - val) > 1e-9, (x, y, val)   # no label prints it


# --- calculus beyond polynomials and the domain, question by question -------------------------

def _built(family: str, qkind: str, seeds=range(60)):
    """(fn, ask) pairs of a family for one question kind, over a few seeds."""
    import numpy as np

    from diagram_engine.domains.function.families import make
    from diagram_engine.domains.function.questions import QUESTIONS
    from diagram_engine.errors import Rejected
    spec = RULESET.by_id["calculus"].spec
    out = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        fn = make(family, rng, spec, (-6, 6), "jump" if family == "piecewise" else "")
        try:
            out.append((fn, QUESTIONS[qkind](fn, rng)))
        except Rejected:
            continue
    return out


def _scene_of(fn):
    from diagram_engine.domains.function.build import _scene
    return {"domain": "function", **_scene(fn, [], [])}


@pytest.mark.parametrize("family", ["sine", "cosine", "exponential", "logarithm", "rational", "absolute",
                                    "piecewise"])
def test_derivatives_beyond_polynomials_agree_with_the_numeric_slope(family):
    built = _built(family, "derivative")
    assert len(built) >= 30, family
    for fn, ask in built:
        got = measure(_scene_of(fn), ask.target)
        assert abs(got - float(ask.answer)) <= 1e-6 * max(1.0, abs(float(ask.answer))), (fn.expr, ask.target)


@pytest.mark.parametrize("family", ["absolute", "piecewise"])
def test_integrals_of_line_pieces_cross_a_corner_and_agree(family):
    built = _built(family, "integral")
    assert len(built) >= 30, family
    for fn, ask in built:
        kinks = [fn.params["h"]] if family == "absolute" else [a for a, *_ in fn.pieces[1:]]
        assert any(ask.target["from"] < k < ask.target["to"] for k in kinks), ask.target
        got = measure(_scene_of(fn), ask.target)
        assert abs(got - float(ask.answer)) <= 1e-6 * max(1.0, abs(float(ask.answer))), (fn.params, ask.target)


def test_domain_answers_are_written_in_interval_notation():
    from diagram_engine.domains.function.words import answer_latex, answer_text
    (fn, ask), *_ = _built("logarithm", "domain")
    h = fn.params["h"]
    assert answer_text(ask) == f"({h}, ∞)"
    assert answer_latex(ask) == rf"({h}, \infty)"
    [[lo, hi, lo_in, hi_in]] = measure(_scene_of(fn), ask.target)
    assert abs(lo - float(h)) < 1e-12 and (hi, lo_in, hi_in) == (None, False, False)
    (fn, ask), *_ = _built("rational", "domain")
    h = fn.params["h"]
    assert answer_text(ask) == f"(-∞, {h}) ∪ ({h}, ∞)"
    assert all(_built(f, "domain") == [] for f in ("quadratic", "sine", "piecewise"))
