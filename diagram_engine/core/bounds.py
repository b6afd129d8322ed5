"""Bounds declared once: the library's check, the command line's type and the help text.

Each option of ``generate`` with a range is one :class:`Range`. The library checks a value with
:meth:`Range.check`, whose error names the Python argument (``size=10: must be between 64 and
4096``); the command line builds its click type from the same object (:meth:`Range.click`), so
click names the flag (``Invalid value for '--size': 10 is not in the range 64<=x<=4096``). The
two never disagree about the bounds.

>>> SIZE.check("size", 512)
512
>>> SIZE.check("size", 10)
Traceback (most recent call last):
...
diagram_engine.errors.OptionError: size=10: must be between 64 and 4096
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import OptionError

__all__ = ["Range", "COUNT", "SEED", "WORKERS", "SIZE", "SHARD_SIZE", "choice"]


@dataclass(frozen=True)
class Range:
    """Whole numbers from ``lo`` to ``hi``, both included."""
    lo: int
    hi: int

    def check(self, arg: str, value) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise OptionError(arg, value, f"must be a whole number between {self.lo} and {self.hi}")
        if not self.lo <= value <= self.hi:
            raise OptionError(arg, value, f"must be between {self.lo} and {self.hi}")
        return value

    def click(self):
        import click
        return click.IntRange(self.lo, self.hi)

    def text(self) -> str:
        return f"{self.lo}-{self.hi}"


def choice(arg: str, value, known) -> str:
    """``value`` when it is one of ``known``, else an OptionError listing them."""
    if value not in known:
        raise OptionError(arg, value, f"must be one of {', '.join(map(str, known))}")
    return value


COUNT = Range(1, 100_000_000)
SEED = Range(0, 2 ** 63 - 1)
WORKERS = Range(1, 512)
SIZE = Range(64, 4096)
SHARD_SIZE = Range(1, 1_000_000)
