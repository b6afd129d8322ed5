"""The safety net around symbolic steps: it fires on a runaway step, and only then."""
from __future__ import annotations

import threading
import time

import pytest

from diagram_engine.deadline import StepTimeout, time_limit


def test_a_runaway_step_is_stopped_with_its_name():
    t0 = time.perf_counter()
    with pytest.raises(StepTimeout, match="spinning forever took longer than 0.2 s"):
        with time_limit(0.2, "spinning forever"):
            while True:
                pass
    assert time.perf_counter() - t0 < 2


def test_a_quick_step_passes_and_the_timer_is_cleared():
    with time_limit(0.2, "quick"):
        x = sum(range(1000))
    time.sleep(0.3)             # a leftover timer would fire here
    assert x == 499500


def test_outside_the_main_thread_it_does_nothing():
    out = []

    def work():
        with time_limit(0.05, "in a thread"):
            time.sleep(0.1)
        out.append("done")
    th = threading.Thread(target=work)
    th.start()
    th.join()
    assert out == ["done"]
