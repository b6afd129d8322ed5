"""A wall-clock safety net around symbolic steps.

Every symbolic step of the engine is bounded by construction (substitution, polynomial
arithmetic of small degree, small linear solves; never ``solve`` or ``integrate``), so the
limit never fires in a correct run, and the output never depends on the machine's speed.
If a step does run away (a bug, or a pathological expression), the run stops with an
error naming the step instead of hanging. The timer uses SIGALRM, so it guards the main
thread of a process (the CLI and its worker processes); elsewhere it does nothing.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from .errors import DiagramEngineError

__all__ = ["time_limit", "StepTimeout"]


class StepTimeout(DiagramEngineError):
    """A symbolic step ran past its time limit: a bug, never a rejection."""


@contextmanager
def time_limit(seconds: float, what: str):
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum, frame):
        raise StepTimeout(f"{what} took longer than {seconds:g} s; this is a bug, please report it")

    old = signal.signal(signal.SIGALRM, fire)
    prev = signal.setitimer(signal.ITIMER_REAL, seconds)[0]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if prev:
            signal.setitimer(signal.ITIMER_REAL, prev)
