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


def val_text(key: str, v: sp.Expr, places: int, force_decimal: bool = False) -> tuple[str, bool]:
    """(text, approximate) of a value as the solution writes it."""
    exact_t = None if has_symbolic_trig(v) else try_text(v)
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
    t = fmt_text(v)
    return t + "°" if is_angle(key) else t


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
