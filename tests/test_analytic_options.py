"""Analytic geometry: options the key cannot be told from, image dependence measured per
problem and variant, captions that describe the picture, answers spread out.

Each test checks one promise of the question kinds (``questions.Kind``) and of the build:
a neighbour's answer is the answer of its own figures (re-measured by the domain's check), and
so is a moved unit's; options are four distinct mathematical objects with the key among
them, drawn so the key's rank is uniform; a word question offers its closed set and each
word is the answer about equally often; every problem records ``image_needed`` and a unit
the answer does not depend on is found out; text_lite states a given vision_dominant leaves
to its picture; captions never state an asked equation; solutions take two steps or more.
"""
from __future__ import annotations

import collections
import functools
import math

import numpy as np
import pytest

from diagram_engine import measure
from diagram_engine.domains.analytic_geometry.build import (
    _scene,
    _window,
    matters,
    options,
)
from diagram_engine.domains.analytic_geometry.questions import (
    DIRECTIONS,
    KINDS,
    Ctx,
    answer_key,
    answer_value,
)
from diagram_engine.errors import MeasureError, Rejected
from diagram_engine.pipeline import RuleSet, generate_one

DOMAIN = "analytic-geometry"
RULESET = RuleSet.load(DOMAIN)
RULE_IDS = sorted(r.id for r in RULESET.rules)
WINDOW = ((-8, 9), (-8, 9))
NUMERIC = [q for q, k in KINDS.items() if k.kind != "word"]
VARIANTS = ("text_dominant", "text_lite", "vision_dominant")


class _Spec:
    window = (7, 9)


def asks(qtype: str, n: int, seed0: int = 0):
    """(ctx, ask) for up to n seeds the question can be asked at, each on its own window."""
    out = []
    for seed in range(seed0, seed0 + 4 * n):
        rng = np.random.default_rng(seed)
        ctx = Ctx(rng, _window(rng, _Spec))
        try:
            out.append((ctx, KINDS[qtype](ctx, rng)))
        except Rejected:
            continue
        if len(out) == n:
            break
    return out


def flat(v):
    if isinstance(v, (list, tuple)):
        return [y for x in v for y in flat(x)]
    return [float(v)]


def close(got, want, tol=1e-6) -> bool:
    if isinstance(want, str):
        return got == want
    g, w = flat(got), flat(want)
    return len(g) == len(w) and all(abs(a - b) <= tol * max(1.0, abs(b)) for a, b in zip(g, w))


def remeasure(ask, kind, d):
    return measure(_scene(kind.figures(d), WINDOW, 1.0, True), ask.target, domain=DOMAIN)


@functools.cache
def records(rule_id: str, n: int = 40):
    return tuple(generate_one(DOMAIN, seed=2024, index=i, rule_id=rule_id, ruleset=RULESET).record for i in range(n))


@pytest.mark.parametrize("qtype", NUMERIC)
def test_a_neighbours_answer_is_the_answer_of_its_own_figures(qtype):
    """The wrong options are answers of real problems: a neighbour's figures, re-measured by
    the domain's check, give the answer ``solve`` gave it (and it can be written)."""
    kind = KINDS[qtype]
    tried = 0
    for ctx, ask in asks(qtype, 20):
        for group in kind.groups:
            try:
                d2 = kind.neighbour(ctx, ask.draw, group)
            except Rejected:
                continue
            a2 = kind.solve(d2)
            assert a2 is not None, (qtype, d2)
            assert kind.write(a2)
            got = remeasure(ask, kind, d2)
            assert close(got, answer_value(kind.kind, a2)), (qtype, group, got, a2)
            tried += 1
    assert tried >= 15


@pytest.mark.parametrize("qtype", sorted(KINDS))
def test_a_moved_units_answer_agrees_with_the_check(qtype):
    """``solve`` on changed values (the image-dependence test) is the check's answer too, even
    where the intersections turn irrational."""
    kind = KINDS[qtype]
    compared = 0
    for ctx, ask in asks(qtype, 8):
        d = ask.draw
        for unit in d.units():
            for d2 in kind.moves(ctx, d, unit):
                a2 = kind.solve(d2)
                if a2 is None:
                    continue
                try:
                    got = remeasure(ask, kind, d2)
                except MeasureError:
                    continue        # a change the check cannot measure (a crossed polygon, an edge direction)
                assert close(got, answer_value(kind.kind, a2), 1e-6), (qtype, unit, got, a2)
                compared += 1
    assert compared >= 10


@pytest.mark.parametrize("qtype", sorted(KINDS))
def test_options_are_four_distinct_objects_with_the_key_and_three_wrong(qtype):
    kind = KINDS[qtype]
    made = 0
    for ctx, ask in asks(qtype, 15):
        opts = options(kind, ctx, ask.draw, ask.answer, ctx.rng)
        if opts is None:
            continue
        choices, index, values = opts
        made += 1
        assert len(choices) == 4 == len(set(choices)) == len(values)
        assert choices[index] == kind.write(ask.answer) and values[index] == ask.answer
        keys = [answer_key(kind.kind, v) for v in values]
        assert len(set(keys)) == 4, (qtype, choices)
        measured = remeasure(ask, kind, ask.draw)
        for i, v in enumerate(values):
            assert close(measured, answer_value(kind.kind, v)) == (i == index), (qtype, choices, i)
    if qtype == "point-circle":
        assert made == 0            # three words: always free-form
    else:
        assert made >= 10


def test_word_questions_offer_their_closed_set():
    for ctx, ask in asks("line-relation", 20):
        choices, index, _ = options(KINDS["line-relation"], ctx, ask.draw, ask.answer, ctx.rng)
        kind = KINDS["line-relation"]
        assert sorted(choices) == sorted(kind.write(w) for w in kind.words)
        assert choices[index] == kind.write(ask.answer)
    for ctx, ask in asks("position", 40):
        choices, index, _ = options(KINDS["position"], ctx, ask.draw, ask.answer, ctx.rng)
        family = {DIRECTIONS[i] for i in range(DIRECTIONS.index(ask.answer) % 2, 8, 2)}
        assert set(choices) == family and choices[index] == ask.answer, (ask.answer, choices)


@pytest.mark.parametrize("qtype, lo, hi", [("line-relation", 0.17, 0.33), ("point-circle", 0.24, 0.43),
                                           ("position", 0.07, 0.19)])
def test_each_word_is_the_answer_about_equally_often(qtype, lo, hi):
    n = 320
    counts = collections.Counter(ask.answer for _, ask in asks(qtype, n))
    assert set(counts) == set(KINDS[qtype].words)
    for c in counts.values():
        assert lo <= c / n <= hi, (qtype, counts)


@pytest.mark.parametrize("qtype", ["distance", "slope", "area", "eccentricity", "perimeter"])
def test_the_keys_rank_among_numeric_options_is_spread(qtype):
    kind = KINDS[qtype]
    ranks = collections.Counter()
    for ctx, ask in asks(qtype, 160, seed0=5000):
        opts = options(kind, ctx, ask.draw, ask.answer, ctx.rng)
        if opts is None:
            continue
        values = [float(v) for v in opts[2]]
        ranks[sorted(values).index(values[opts[1]])] += 1
    n = sum(ranks.values())
    assert n >= 120
    assert all(0.13 <= ranks[r] / n <= 0.37 for r in range(4)), (qtype, ranks)


@pytest.mark.parametrize("qtype, top", [("distance", 0.2), ("eccentricity", 0.2), ("slope", 0.12),
                                        ("circle-equation", 0.06), ("area", 0.1)])
def test_answers_are_not_concentrated(qtype, top):
    counts = collections.Counter(answer_key(KINDS[qtype].kind, ask.answer) for _, ask in asks(qtype, 300, 9000))
    assert counts.most_common(1)[0][1] / sum(counts.values()) <= top, counts.most_common(3)


def test_an_irrelevant_unit_is_found_out():
    """An eccentricity does not depend on where the centre is: its centre never matters, its
    shape always does, and text_lite leaves the shape to the picture."""
    kind = KINDS["eccentricity"]
    for ctx, ask in asks("eccentricity", 10):
        d = ask.draw
        assert not matters(kind, ctx, d, d.m["c"], ask.answer)
        assert matters(kind, ctx, d, d.m["fig"], ask.answer)
    for rec in records("conics", 40):
        p = rec["problems"][0]
        if p["question_type"] == "eccentricity":
            hidden = [g["quantity"] for g in p["givens"] if not g["in_text"]["text_lite"]]
            assert hidden == [p["target"]["of"]], hidden


def test_the_orthocentre_is_never_a_vertex():
    for _, ask in asks("orthocenter", 80):
        assert tuple(ask.answer) not in set(ask.draw.v.values())


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_problem_records_which_variants_need_their_image(rule_id):
    recs = records(rule_id)
    for rec in recs:
        p = rec["problems"][0]
        assert set(p["image_needed"]) == set(VARIANTS)
        assert p["image_needed"]["text_dominant"] is False
    for v in ("text_lite", "vision_dominant"):
        share = sum(rec["problems"][0]["image_needed"][v] for rec in recs) / len(recs)
        assert share >= 0.98, (rule_id, v, share)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_text_lite_states_a_given_vision_dominant_leaves_to_its_picture(rule_id):
    for rec in records(rule_id):
        p = rec["problems"][0]
        lite = [g for g in p["givens"] if g["in_text"]["text_lite"]]
        assert lite and not any(g["in_text"]["vision_dominant"] for g in p["givens"])
        assert p["variants"]["text_lite"]["question"] != p["variants"]["vision_dominant"]["question"]
        for g in lite:
            assert g["fact"].split(": ", 1)[-1] in p["variants"]["text_lite"]["question"]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_captions_and_questions_never_state_the_answer(rule_id):
    """A caption describes the picture: a line drawn through two points by its points, a circle
    by its centre and a point on it, never the asked equation, slope or point; no variant's
    question (options left out) states the answer either. A word question names its closed set
    ("above, below, to the left of, or to the right of"): that lists the key beside the others,
    it does not state it."""
    for rec in records(rule_id):
        p = rec["problems"][0]
        ans = p["answer"]["text"]
        if p["question_type"] in ("distance", "slope", "area", "eccentricity"):
            continue            # a number may equal a coordinate of the caption's points
        assert ans not in rec["caption"], (ans, rec["caption"])
        kind = KINDS[p["question_type"]]
        others = [kind.write(w) for w in kind.words if kind.write(w) != ans] if kind.kind == "word" else []
        for v in VARIANTS:
            q = p["variants"][v]["question"].split("\nA. ")[0]
            assert ans not in q or sum(w in q for w in others) >= 2, (v, ans, q)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_solutions_take_at_least_two_steps(rule_id):
    for rec in records(rule_id):
        p = rec["problems"][0]
        assert p["steps"] >= 2 and len(p["solution"]) == p["steps"] + 1


def test_no_hyperbola_is_drawn_with_its_asymptotes():
    """They would answer the asymptotes question and crowd the centre's label."""
    for qtype in ("asymptotes", "foci", "vertices", "eccentricity", "line-conic"):
        for _, ask in asks(qtype, 12):
            for f in ask.figs:
                if f.kind == "hyperbola":
                    assert f.p["asymptotes"] is False


def test_distances_are_whole_numbers_and_surds_from_many_triples():
    answers = collections.Counter(float(ask.answer) for _, ask in asks("distance", 400, 300))
    whole = {v for v in answers if v == int(v)}
    assert {5.0, 10.0, 13.0, 15.0} <= whole
    assert sum(c for v, c in answers.items() if v != int(v)) / sum(answers.values()) >= 0.35
    assert not any(math.isclose(v, 0) for v in answers)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_no_extra_figure_marks_the_answer(rule_id):
    """A point drawn besides the question's figures keeps away from every answer point."""
    for rec in records(rule_id):
        p = rec["problems"][0]
        v = p["answer"]["value"]
        if not isinstance(v, list) or not v or isinstance(v[0], str):
            continue
        pts = [v] if not isinstance(v[0], list) else v
        if len(pts[0]) != 2:
            continue            # a line or a circle
        givens = {g["quantity"] for g in p["givens"]}
        for name, xy in rec["scene"]["points"].items():
            if name not in givens and name not in ("K", "Q", "C", "V"):
                assert all(math.dist(xy, q) >= 0.8 for q in pts), (name, xy, pts)
