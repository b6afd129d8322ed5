"""What the domains share when they turn an answer into a problem: the two checks agreeing,
and wrong options for multiple choice."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from .errors import VerificationError

__all__ = ["agree", "wrong_options", "with_options", "instruction"]

LETTERS = "ABCD"

REL_TOL = 1e-6      # the record's promise: answer.value equals the re-measure within 1e-6 relative


def _flat(v) -> list:
    if isinstance(v, (list, tuple)):
        return [y for x in v for y in _flat(x)]
    return [v] if v is None or isinstance(v, (bool, str)) else [float(v)]


def agree(got, want, what: str) -> float:
    """The largest difference between the re-measured ``got`` and the derived ``want``.

    Both are numbers, words or nested lists of them; numbers must agree within 1e-6 of the
    larger of 1 and the answer's largest number, everything else (a word, None for an
    unbounded end, a flag) exactly. Anything else raises ``VerificationError`` naming
    ``what``: a disagreement is a bug, never a rejected sample.
    """
    g, w = _flat(got), _flat(want)
    exact = [(a, b) for a, b in zip(g, w) if not isinstance(b, float)]
    if len(g) != len(w) or any(a != b or type(a) is not type(b) for a, b in exact):
        raise VerificationError(f"{what}: derived {want!r}, re-measured {got!r}")
    nums = [(a, b) for a, b in zip(g, w) if isinstance(b, float)]
    if any(not isinstance(a, float) for a, _ in nums):
        raise VerificationError(f"{what}: derived {want!r}, re-measured {got!r}")
    err = max((abs(a - b) for a, b in nums), default=0.0)
    if not err <= REL_TOL * max([1.0] + [abs(b) for _, b in nums]):
        raise VerificationError(f"{what}: derived {want!r}, re-measured {got!r}")
    return err


def wrong_options(wrong: Sequence, write: Callable, rng, answer: str, n: int = 3) -> list[str] | None:
    """``n`` wrong options in a random order: each written by ``write``, different from the
    answer and from each other (a candidate ``write`` cannot write is skipped); None when
    there are not enough."""
    seen, out = {answer}, []
    for i in [int(i) for i in rng.permutation(len(wrong))]:
        try:
            txt = write(wrong[i])
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not txt or txt in seen:
            continue
        seen.add(txt)
        out.append(txt)
        if len(out) == n:
            return out
    return None


def with_options(mc: bool, wrong: Sequence, write: Callable, rng, answer: str):
    """(mc, choices, answer_index): with ``mc``, three wrong options and the answer at a
    random place among four; without (or when there are not three distinct wrong options),
    free-form."""
    if not mc:
        return False, None, None
    options = wrong_options(wrong, write, rng, answer)
    if options is None:
        return False, None, None
    answer_index = int(rng.integers(4))
    options.insert(answer_index, answer)
    return True, options, answer_index


def instruction(pb, rng, choices) -> str:
    """The line after a question: the instruction, and the options A-D under it."""
    if choices is None:
        return pb.say("instruction.free", rng)
    return pb.say("instruction.mc", rng) + "\n" + pb.say(
        "choices", rng, choices=[f"{LETTERS[i]}. {c}" for i, c in enumerate(choices)])
