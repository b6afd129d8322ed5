"""Plane-geometry problems need their pictures: tick classes that mean what they say, variants
that differ, image dependence per variant, no repeated pictures, options the key cannot be
told from."""
from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from diagram_engine.domains.plane_geometry.derive import Construction
from diagram_engine.domains.plane_geometry.draw import tick_classes
from diagram_engine.domains.plane_geometry.shapes import Shape
from diagram_engine.errors import Rejected

N = 120


@pytest.fixture(scope="module")
def samples(samples_of):
    return samples_of("plane-geometry", 31, N)


def _con(*shapes):
    return Construction(list(shapes), None, {}, {}, [], [])


def test_tick_classes_are_numbered_across_the_figure():
    # a rhombus and an isosceles triangle on different sides: two classes, never one count
    rh = Shape("rhombus", "", "ABCD", list("ABCD"), {}, [], ticks=[("A", "B", 1), ("B", "C", 1), ("C", "D", 1),
                                                                     ("D", "A", 1)])
    tri = Shape("isosceles-triangle", "", "CBE", list("CBE"), {}, [], ticks=[("C", "E", 1), ("B", "E", 1)])
    got = {frozenset((a, b)): n for a, b, n in tick_classes(_con(rh, tri))}
    assert {got[frozenset("AB")], got[frozenset("CE")]} == {1, 2}
    assert got[frozenset("CE")] == got[frozenset("BE")]
    # a square on a side of the rhombus ticks the shared side: one class, each side ticked once
    sq = Shape("square", "", "CBFG", list("CBFG"), {}, [], ticks=[("C", "B", 1), ("B", "F", 1), ("F", "G", 1),
                                                                    ("G", "C", 1)])
    marks = tick_classes(_con(rh, sq))
    assert len(marks) == 7 and {n for _, _, n in marks} == {1}


def test_more_tick_classes_than_a_reader_can_count_are_rejected():
    shapes = [Shape("x", "", f"s{i}", [], {}, [], ticks=[(f"P{i}", f"Q{i}", 1)]) for i in range(5)]
    with pytest.raises(Rejected, match="tick counts"):
        tick_classes(_con(*shapes))


def test_vision_dominant_leaves_values_and_marked_properties_to_the_picture(samples):
    for s in samples:
        p = s.record["problems"][0]
        vd, lite = p["variants"]["vision_dominant"], p["variants"]["text_lite"]
        assert (vd["question"], vd["image"]) != (lite["question"], lite["image"])
        for g in p["givens"]:
            assert g["fact"] not in vd["question"]
            assert g["in_image"]["vision_dominant"]
        assert " is a square" not in vd["question"] and "is a rectangle" not in vd["question"]


def test_image_dependence_is_recorded_and_nearly_always_true(samples):
    needed = Counter()
    for s in samples:
        p = s.record["problems"][0]
        assert set(p["image_needed"]) == {"text_dominant", "text_lite", "vision_dominant"}
        assert p["image_needed"]["text_dominant"] is False
        for v in ("text_lite", "vision_dominant"):
            needed[v] += p["image_needed"][v]
    assert needed["vision_dominant"] >= 0.98 * N and needed["text_lite"] >= 0.95 * N, needed


def test_no_picture_repeats(samples):
    digests = Counter(hashlib.sha256(s.files[s.record["image"]]).hexdigest() for s in samples)
    assert max(digests.values()) == 1


def test_no_answer_repeats_a_given_and_no_option_is_equal_to_another(samples):
    for s in samples:
        p = s.record["problems"][0]
        values = {round(g["value"], 9) for g in p["givens"] if isinstance(g["value"], float)}
        assert round(p["answer"]["value"], 9) not in values
        if p["choices"]:
            assert len(set(p["choices"])) == 4


def test_the_key_is_not_the_centre_of_its_options(samples_of):
    """The key's rank among the options sorted by value is spread over all four ranks."""
    from diagram_engine.audit import parse_number
    ranks = Counter()
    for s in samples_of("plane-geometry", 32, 300):
        p = s.record["problems"][0]
        if not p["choices"]:
            continue
        nums = [parse_number(c) for c in p["choices"]]
        if None in nums:
            continue
        ranks[sorted(nums).index(nums[p["answer_index"]])] += 1
    n = sum(ranks.values())
    assert n >= 100 and set(ranks) == {0, 1, 2, 3}
    # uniform ranks: each share within 0.25 ± 0.12 (3.5 standard deviations at n = 100); the
    # centre of fixed transforms {a/2, a, 3a/2, 2a} would put every key at rank 1
    assert max(abs(c / n - 0.25) for c in ranks.values()) < 0.12, ranks
