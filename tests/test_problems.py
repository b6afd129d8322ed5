"""The shared checks of problems: the two answers agreeing, and wrong options."""
from __future__ import annotations

import pytest

from diagram_engine.errors import VerificationError
from diagram_engine.core.problem import Checks, agree, err_bound


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


@pytest.mark.parametrize("err,bound", [(0.0, 1e-9), (2.07e-14, 1e-9), (4.44e-14, 1e-9), (1e-9, 1e-9),
                                       (1.0000001e-9, 1e-6), (3e-4, 1e-3), (7.5, 1e3), (2e40, 2e40)])
def test_the_recorded_error_is_a_bound(err, bound):
    assert err_bound(err) == bound and err_bound(err) >= err


def test_float_noise_of_different_machines_gives_the_same_record():
    records = []
    for noise in (0.0, 2.07e-14, 4.44e-14):
        c = Checks()
        c.agreed(3.5 + noise, 3.5, "x", "numeric")
        records.append(c.record())
    assert records[0] == records[1] == records[2] == {"exact": False, "numeric": True, "max_abs_err": 1e-9}
