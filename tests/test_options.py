"""The core's options: neighbours' answers as wrong options, the key exchangeable with them,
equivalent options impossible, every wrong option verified wrong, copied answers refused."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from diagram_engine.core import Answer, Given, Variant, Worded, agree, check_options, exchangeable_options
from diagram_engine.core import numbers_key
from diagram_engine.core.problem import VARIANTS, copied_given
from diagram_engine.errors import Rejected, VerificationError


def _draw_uniform(rng):
    return int(rng.integers(1, 30))


def test_the_key_takes_every_rank_and_place_equally_often():
    ranks, places = Counter(), Counter()
    rng = np.random.default_rng(5)
    n = 4000
    for _ in range(n):
        key = _draw_uniform(rng)                       # the key drawn as the neighbours are
        choices, idx, values = exchangeable_options(key, _draw_uniform, rng, write=str)
        assert choices[idx] == str(key) and values[idx] == key and len(set(choices)) == 4
        ranks[sorted(values).index(key)] += 1
        places[idx] += 1
    for c in (ranks, places):
        assert set(c) == {0, 1, 2, 3}
        assert max(abs(v / n - 0.25) for v in c.values()) < 0.03, c


def test_fixed_transforms_would_fail_the_same_measure():
    # the measure above can fail: the key at the centre of {a/2, a, 3a/2, 2a} is rank 1 always
    ranks = Counter(sorted([k / 2, k, 3 * k / 2, 2 * k]).index(k) for k in range(1, 200))
    assert ranks == Counter({1: 199})


def test_equivalent_options_count_once():
    rng = np.random.default_rng(1)
    pool = [[2, -2], [-2, 2], [1, 3], [3, 1], [0, 4], [4, 0], [5, 6], [6, 5]]

    def draw(r):
        return pool[int(r.integers(len(pool)))]
    for _ in range(200):
        made = exchangeable_options([-2, 2], draw, rng, write=lambda v: ", ".join(map(str, v)), same=numbers_key)
        assert made is not None
        keys = [numbers_key(v) for v in made[2]]
        assert len(set(keys)) == 4 and keys.count(numbers_key([2, -2])) == 1


def test_too_few_neighbours_give_no_options_and_rejections_are_skipped():
    rng = np.random.default_rng(2)
    assert exchangeable_options(1, lambda r: 2, rng, write=str) is None

    def reject(r):
        raise Rejected("nope")
    assert exchangeable_options(1, reject, rng, write=str) is None


def test_excluded_values_are_never_options():
    rng = np.random.default_rng(3)
    for _ in range(100):
        made = exchangeable_options(7, lambda r: int(r.integers(1, 12)), rng, write=str, exclude={"5", "6"})
        assert made is not None and not {"5", "6"} & set(made[0])


def test_mistake_pairs_come_in_pairs():
    rng = np.random.default_rng(4)
    for _ in range(100):
        made = exchangeable_options(3, lambda r: int(r.integers(1, 20)), rng, write=str, pair=lambda v: -v,
                                    pair_chance=1.0)
        values = made[2]
        assert sorted(values) == sorted(-v for v in values)


def test_a_wrong_option_that_is_right_is_a_bug():
    check_options(["1", "2", "3", "4"], 1, [1.0, 2.0, 3.0, 4.0], 2.0, agree, "x")
    with pytest.raises(VerificationError, match="option C"):
        check_options(["1", "2", "2.0", "4"], 1, [1.0, 2.0, 2.0, 4.0], 2.0, agree, "x")


def _worded(answer_value, given_values, recall=False):
    vs = {v: Variant("q", 0, ["s"]) for v in VARIANTS}
    givens = [Given(f"g{i} = {g}", f"g{i}", g, frozenset(VARIANTS), frozenset()) for i, g in enumerate(given_values)]
    return Worded("length", {}, givens, vs, None, None, Answer(str(answer_value), "", None, answer_value), 2,
                  recall=recall)


def test_an_answer_that_repeats_a_given_is_found():
    assert copied_given(_worded(5.0, [3.0, 5.0])).fact == "g1 = 5.0"
    assert copied_given(_worded(5.0, [3.0, 4.0])) is None
    assert copied_given(_worded("even", ["Even"])) is not None
    assert copied_given(_worded(5.0, [5.0], recall=True)) is None
    assert copied_given(_worded([1.0, 2.0], [1.0])) is None      # a list answer is not one value
