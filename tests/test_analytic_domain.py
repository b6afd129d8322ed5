"""Every shipped analytic-geometry rule, a dozen samples each at a fixed seed, and every
question kind across many seeds.

Each test checks one promise: the answer equals the target re-measured from the scene alone
(the domain's check, floats only); the record fits the schema; labels are inside the canvas
and apart; the images are to scale (one unit has one pixel length on both axes); the
variants leave what they claim to the picture and the picture holds it; options and answer
lines are well formed; figures that must be apart are. Plus determinism across worker
counts, and one sample rebuilt alone.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from jsonschema import Draft202012Validator

import diagram_engine
from diagram_engine import generate, measure
from diagram_engine.domains.analytic_geometry.build import _scene
from diagram_engine.domains.analytic_geometry.figures import line_text
from diagram_engine.domains.analytic_geometry.questions import (
    QUESTIONS,
    Ctx,
    answer_value,
    apart,
)
from diagram_engine.errors import Rejected
from diagram_engine.pipeline import RuleSet, generate_one

DOMAIN = "analytic-geometry"
SEED = 515151
N = 12
VARIANTS = ("text_dominant", "text_lite", "vision_dominant")
RULESET = RuleSet.load(DOMAIN)
RULE_IDS = sorted(r.id for r in RULESET.rules)
SCHEMA = json.loads((Path(diagram_engine.__file__).parent / "schema" / "record.schema.json").read_text())


@functools.cache
def samples(rule_id: str):
    return tuple(generate_one(DOMAIN, seed=SEED, index=i, rule_id=rule_id, ruleset=RULESET) for i in range(N))


def flat(v):
    if isinstance(v, (list, tuple)):
        return [y for x in v for y in flat(x)]
    return [float(v)]


def close(got, want) -> bool:
    if isinstance(want, str):
        return got == want
    g, w = flat(got), flat(want)
    return len(g) == len(w) and all(abs(a - b) <= 1e-6 * max(1.0, abs(b)) for a, b in zip(g, w))


def test_every_question_kind_is_shipped():
    asked = {q for r in RULESET.rules for q in r.spec.questions}
    assert asked == set(QUESTIONS)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_answer_equals_the_remeasured_target(rule_id):
    for s in samples(rule_id):
        for p in s.record["problems"]:
            got = measure(s.record["scene"], p["target"])
            assert close(got, p["answer"]["value"]), (p["target"], got, p["answer"])


@pytest.mark.parametrize("qkind", sorted(QUESTIONS))
def test_each_question_kind_builds_and_agrees_over_many_seeds(qkind):
    """Builders alone (no drawing): 60 seeds, each answer re-measured from the figures."""
    built = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        ctx = Ctx(rng, ((-7, 9), (-8, 8)))
        try:
            ask = QUESTIONS[qkind](ctx, rng)
        except Rejected:
            continue
        built += 1
        scene = _scene(ask.figs, ctx.window, 1.0, True)
        got = measure(scene, ask.target, domain="analytic-geometry")
        assert close(got, answer_value(ask.kind, ask.answer)), (qkind, seed, ask.target, got, ask.answer)
        if ask.keep_apart:
            assert apart(ask.figs[0], ask.figs[1], ctx.window)
    assert built >= 45, f"{qkind}: only {built} of 60 seeds built"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_records_fit_the_schema(rule_id):
    v = Draft202012Validator(SCHEMA)
    for s in samples(rule_id):
        assert [e.message for e in v.iter_errors(s.record)] == []


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
def test_drawn_to_scale_and_every_point_inside_the_window(rule_id):
    for s in samples(rule_id):
        a, b, c, d, e, f = s.record["scene"]["to_pixels"]
        assert b == 0 and d == 0 and math.isclose(a, -e, rel_tol=1e-9), (a, e)
        axes = s.record["scene"]["objects"][0]
        (x0, x1), (y0, y1) = axes["x_range"], axes["y_range"]
        for name, (x, y) in s.record["scene"]["points"].items():
            assert x0 < x < x1 and y0 < y < y1, (name, x, y)
            px, py = a * x + c, e * y + f
            assert 0 <= px <= s.record["width"] and 0 <= py <= s.record["height"]
        # every point is drawn with its name beside it
        texts = [lb["text"] for lb in s.record["labels"] if lb["kind"] == "point"]
        for name in s.record["scene"]["points"]:
            assert any(t == name or t.startswith(name + "(") for t in texts), (name, texts)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_variants_leave_the_givens_to_the_picture(rule_id):
    """A given is a point's coordinates (fact "A(1, -2)") or an equation ("l: y = 2x + 1").
    text_dominant states every one; text_lite leaves exactly one to the base image, which
    writes it into a label; vision_dominant leaves all to its own image, which writes them all."""
    for s in samples(rule_id):
        p = s.record["problems"][0]
        td = p["variants"]["text_dominant"]["question"]
        base = [lb["text"] for lb in s.record["labels"]]
        assert all(g["in_text"]["text_dominant"] and not g["in_text"]["vision_dominant"] for g in p["givens"])
        assert sum(not g["in_text"]["text_lite"] for g in p["givens"]) == 1
        for g in p["givens"]:
            assert g["fact"].split(": ", 1)[-1] in td, (g, td)
            for v in ("text_lite", "vision_dominant"):
                assert g["in_image"][v] == (not g["in_text"][v])
                if not g["in_text"][v]:
                    q = p["variants"][v]["question"]
                    assert g["quantity"] in q and g["fact"].split(": ", 1)[-1] not in q, (v, g, q)
            if not g["in_text"]["text_lite"]:
                assert g["fact"] in base, (g["fact"], base)
        assert p["variants"]["vision_dominant"]["image"].endswith("__vd0.png")


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_vision_solutions_read_the_figure_first(rule_id):
    for s in samples(rule_id):
        p = s.record["problems"][0]
        td = p["variants"]["text_dominant"]["solution"]
        for v in ("text_lite", "vision_dominant"):
            sol = p["variants"][v]["solution"]
            assert len(sol) == len(td) + 1 and sol[1:] == td


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


def test_captions_state_the_window_and_every_figure():
    for rule_id in RULE_IDS:
        for s in samples(rule_id):
            cap = s.record["caption"]
            axes = s.record["scene"]["objects"][0]
            assert str(int(axes["x_range"][0])) in cap and str(int(axes["y_range"][1])) in cap
            for o in s.record["scene"]["objects"][1:]:
                assert o["name"] in cap, (o["name"], cap)


def test_line_text_forms():
    assert line_text(-2, 1, -3) == "y = 2x + 3"
    assert line_text(1, 0, -4) == "x = 4"
    assert line_text(0, 1, 5) == "y = -5"
    assert line_text(1, 2, -8, "general") == "x + 2y - 8 = 0"
    assert line_text(-1, -2, 8, "general") == "x + 2y - 8 = 0"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    a, b = tmp_path_factory.mktemp("aa"), tmp_path_factory.mktemp("ab")
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
def test_tick_labels_sit_on_their_ticks(rule_id):
    """A tick label's value is where to_pixels puts it: centred on its x tick or level with
    its y tick, so reading the axes gives true coordinates."""
    for s in samples(rule_id):
        a, _, c, _, e, f = s.record["scene"]["to_pixels"]
        ticks = [lb for lb in s.record["labels"] if lb["kind"] == "tick"]
        assert len(ticks) >= 4
        for lb in ticks:
            v = float(lb["text"].replace("\u2212", "-"))
            x0, y0, x1, y1 = lb["bbox"]
            on_x = abs((x0 + x1) / 2 - (a * v + c)) <= 1.0
            on_y = abs((y0 + y1) / 2 - (e * v + f)) <= 1.0
            assert on_x or on_y, (lb, v)
