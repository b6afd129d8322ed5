"""How plane-geometry quantities are named and written, by the drawing and by the text alike.

Quantities are keys: ``len:AB``, ``ang:ABC`` (degrees), ``area:ABCD``, ``perim:ABC``,
``arc:POQ``, ``rad:O``, ``hgt:ABC``, ``circ:O``, ``shaded:ABCD``.
"""
from __future__ import annotations

import sympy as sp

from ...exact import fmt_decimal, fmt_text, has_symbolic_trig, to_float, try_text
from .shapes import display_name

__all__ = ["V", "is_angle", "val_text", "given_text", "formula_name"]


class V:
    """A value or name for formula patterns; ':p' parenthesises it for a power."""
    __slots__ = ("s",)

    def __init__(self, s: str):
        self.s = s

    def __format__(self, spec: str) -> str:
        if spec == "p" and not (self.s.isdigit() or self.s.isalpha()):
            return f"({self.s})"
        if spec == "" and (" + " in self.s or " - " in self.s or self.s.startswith("-")):
            return f"({self.s})"
        return self.s


def is_angle(key: str) -> bool:
    return key.startswith("ang:")


def degrees_text(v) -> str | None:
    """An angle's exact value in degrees as a person writes it: a whole or terminating decimal
    number (52.5, not 105/2); a fraction that does not terminate in parentheses ((360/7)),
    so that the degree sign reads as part of the whole value; None when unreadable.

    >>> degrees_text(sp.Rational(105, 2)), degrees_text(sp.Integer(30)), degrees_text(sp.Rational(360, 7))
    ('52.5', '30', '(360/7)')
    """
    v = sp.nsimplify(v) if not isinstance(v, sp.Basic) else v
    if isinstance(v, sp.Rational) and not isinstance(v, sp.Integer):
        q = int(v.q)
        twos = fives = 0
        while q % 2 == 0:
            q //= 2
            twos += 1
        while q % 5 == 0:
            q //= 5
            fives += 1
        if q == 1:
            places = max(twos, fives)
            n = abs(int(v.p)) * 10 ** places // int(v.q)          # exact: the decimal terminates
            whole, frac = divmod(n, 10 ** places)
            return ("-" if v < 0 else "") + f"{whole}.{frac:0{places}d}".rstrip("0")
        return f"({int(v.p)}/{int(v.q)})"
    return try_text(v)


def val_text(key: str, v: sp.Expr, places: int, force_decimal: bool = False) -> tuple[str, bool]:
    """(text, approximate) of a value as the solution writes it."""
    exact_t = None if has_symbolic_trig(v) else degrees_text(v) if is_angle(key) else try_text(v)
    if exact_t is None or force_decimal:
        t = fmt_decimal(to_float(v), places)
        approx = exact_t is None or t != exact_t
    else:
        t, approx = exact_t, False
    if is_angle(key):
        t += "°"
    return t, approx


def given_text(key: str, v) -> str:
    """A given's value as the picture and the text write it: 12, 3√2, 30°."""
    return (degrees_text(v) or fmt_text(v)) + "°" if is_angle(key) else fmt_text(v)


def formula_name(key: str) -> str:
    """The quantity's name inside a formula: AB, ∠ABC, S(ABCD), P(ABC), arc(POQ), S(shaded)."""
    kind, _, rest = key.partition(":")
    if kind in ("len", "ang", "rad", "hgt"):
        return display_name(key)
    if kind == "area":
        return f"S({rest.replace('circle-', 'circle ')})"
    if kind == "perim":
        return f"P({rest})"
    if kind == "arc":
        return f"arc({rest})"
    if kind == "shaded":
        return "S(shaded)"
    if kind == "circ":
        return "C"
    return rest
