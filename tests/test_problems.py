"""The shared checks of problems: the two answers agreeing, and wrong options."""
from __future__ import annotations

import pytest

from diagram_engine.errors import VerificationError
from diagram_engine.core.problem import agree


@pytest.mark.parametrize("got, want", [
    (2.0, 2.0), (2.0000001, 2.0), (1e6 + 0.5, 1e6), ([1.0, 2.0], [1, 2]), ("odd", "odd"),
    ([[None, 1.0, False, False]], [[None, 1.0, False, False]]), (3, 3),
])
def test_agreeing_answers(got, want):
    assert agree(got, want, "x") <= 1e-6 * max(1.0, abs(float(want if not isinstance(want, (list, str)) else 1)))


@pytest.mark.parametrize("got, want", [
    (2.001, 2.0),                                  # a real difference
    ([1.0], [1.0, 2.0]),                           # a missing zero
    ("even", "odd"),                               # another word
    ([[None, 1.0, True, False]], [[None, 1.0, False, False]]),   # an end that belongs
    ([[0.0, 1.0]], [[None, 1.0]]),                 # a finite end for an unbounded one
    ([None], [0.0]),                               # nothing measured for a number
])
def test_disagreeing_answers_stop_the_run(got, want):
    with pytest.raises(VerificationError, match="derived"):
        agree(got, want, "what")
