"""Exact values and the way people write them.

Values are sympy expressions built from integers, Rationals, square roots, pi and the
trigonometric functions of angles given in degrees. Special angles evaluate exactly
(``tan(30°) = √3/3``); other angles stay symbolic and are written as decimals.

The formatters below walk the expression tree themselves: ``str(expr)`` and ``float(expr)``
in sympy are slow, and people write ``12√3`` and ``25π/4``, not ``12*sqrt(3)``.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

__all__ = ["deg", "num", "is_exact_nice", "fmt_text", "fmt_latex", "to_float",
           "has_symbolic_trig", "fmt_decimal", "try_text", "UnreadableError", "sympy_str", "canonical"]

_PI = sp.pi
_TRIG = (sp.sin, sp.cos, sp.tan)


def num(x) -> sp.Expr:
    """An exact sympy number from an int, a Fraction-like string or an expression."""
    if isinstance(x, sp.Basic):
        return x
    if isinstance(x, int):
        return sp.Integer(x)
    if isinstance(x, float):
        if x.is_integer():
            return sp.Integer(int(x))
        return sp.Rational(str(x))
    return sp.sympify(x)


def deg(d) -> sp.Expr:
    """Radians of an exact angle in degrees."""
    return num(d) * _PI / 180


def has_symbolic_trig(e: sp.Expr) -> bool:
    return any(isinstance(a, _TRIG) for a in sp.preorder_traversal(e))


def canonical(e: sp.Expr) -> sp.Expr:
    """Expand products of sums so terms combine (``(1+√3)·√3 -> √3 + 3``)."""
    if isinstance(e, sp.Mul) and any(isinstance(a, sp.Add) for a in e.args):
        return sp.expand(e)
    if isinstance(e, sp.Add) and any(isinstance(a, sp.Mul) and any(isinstance(b, sp.Add) for b in a.args)
                                     for a in e.args):
        return sp.expand(e)
    return e


def to_float(e: sp.Expr) -> float:
    """Float value; fast for the shapes of numbers the engine makes."""
    if isinstance(e, sp.Integer):
        return float(int(e))
    if isinstance(e, sp.Rational):
        return int(e.p) / int(e.q)
    return float(sp.N(e, 17))


def is_exact_nice(e: sp.Expr) -> bool:
    """True when the value can be written exactly in a readable form."""
    if has_symbolic_trig(e):
        return False
    try:
        _terms(e)
    except _Unreadable:
        return False
    return True


class UnreadableError(ValueError):
    """The value has no readable exact form (e.g. a nested radical)."""


_Unreadable = UnreadableError


def _angle_deg(arg: sp.Expr) -> str:
    d = arg * 180 / _PI
    if isinstance(d, sp.Integer):
        return f"{int(d)}°"
    if isinstance(d, sp.Rational):
        return f"{float(d):g}°"
    raise _Unreadable(str(arg))


def _factor_parts(f: sp.Expr):
    """(kind, text, latex) of one multiplicative factor; kind orders the factors."""
    if isinstance(f, sp.Pow) and f.base.is_Integer and f.exp == sp.S.Half:
        n = int(f.base)
        return 0, f"√{n}", rf"\sqrt{{{n}}}"
    if f is _PI:
        return 1, "π", r"\pi"
    if isinstance(f, sp.Pow) and f.base is _PI and f.exp.is_Integer and f.exp > 0:
        k = int(f.exp)
        return 1, "π" + _sup(k), rf"\pi^{{{k}}}"
    if isinstance(f, _TRIG):
        name = type(f).__name__
        a = _angle_deg(f.args[0])
        alatex = a.replace("°", "^\\circ")
        return 2, f"{name}({a})", "\\" + f"{name}({alatex})"
    if isinstance(f, sp.log) and f.args[0].is_Integer and f.args[0] > 1:
        n = int(f.args[0])
        return 3, f"ln {n}", rf"\ln {n}"
    raise _Unreadable(str(f))


_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _sup(k: int) -> str:
    return str(k).translate(_SUP)


def _terms(e: sp.Expr):
    """List of (sign, numer_int, denom_int, factor_parts_num, factor_parts_den)."""
    e = canonical(e)
    out = []
    for term in sp.Add.make_args(e):
        coeff, rest = term.as_coeff_Mul()
        if not isinstance(coeff, sp.Rational):
            raise _Unreadable(str(term))
        nums, dens = [], []
        if rest != 1:
            for f in sp.Mul.make_args(rest):
                if isinstance(f, sp.Pow) and f.exp.is_Integer and f.exp < 0:
                    base = f.base if f.exp == -1 else sp.Pow(f.base, -f.exp)
                    dens.append(_factor_parts(base))
                else:
                    nums.append(_factor_parts(f))
        nums.sort(key=lambda p: (p[0], p[1]))
        dens.sort(key=lambda p: (p[0], p[1]))
        out.append((coeff < 0, abs(int(coeff.p)), int(coeff.q), nums, dens))
    # the rational term first, as people write "36 - 9π"
    out.sort(key=lambda t: 0 if not t[3] and not t[4] else 1)
    if out and out[0][0]:
        # lead with a positive term: "144π - 216√3", not "-216√3 + 144π"
        pos = next((i for i, t in enumerate(out) if not t[0]), None)
        if pos is not None:
            out.insert(0, out.pop(pos))
    return out


def _term_text(p: int, q: int, nums, dens) -> str:
    parts = [t for _, t, _ in nums]
    body = ""
    if parts:
        lead = "" if p == 1 else str(p)
        sep = {2: "·", 3: " "}.get(nums[0][0], "") if lead else ""
        body = lead + sep + _join_factors(parts, nums)
    else:
        body = str(p)
    den = "" if q == 1 else str(q)
    if dens:
        dtxt = _join_factors([t for _, t, _ in dens], dens)
        # 3/(2π), 3/(2 ln 2): a denominator with several factors is one group
        den = f"({den}{' ' if dens[0][0] == 3 else ''}{dtxt})" if den else \
            f"({dtxt})" if len(dens) > 1 else dtxt
    if den and nums and nums[-1][0] == 3:
        body = f"({body})"           # (ln 3)/2, not ln 3/2
    return f"{body}/{den}" if den else body


def _join_factors(parts, nums) -> str:
    # √3π reads fine, trig functions get a dot on their own, logarithms a space
    out, cur = "", ""
    for (kind, _, _), txt in zip(nums, parts):
        if kind in (2, 3):
            if cur:
                out += ("·" if out else "") + cur
                cur = ""
            out += ("" if not out else "·" if kind == 2 else " ") + txt
        else:
            cur += txt
    if cur:
        out += ("·" if out else "") + cur
    return out


def fmt_text(e: sp.Expr) -> str:
    """Text as a person writes it.

    >>> fmt_text(12*sp.sqrt(3)), fmt_text(25*sp.pi/4), fmt_text(36 - 9*sp.pi)
    ('12√3', '25π/4', '36 - 9π')
    >>> fmt_text(sp.Rational(15, 2)), fmt_text(sp.sqrt(3)/4)
    ('15/2', '√3/4')
    """
    terms = _terms(e)
    s = ""
    for i, (neg, p, q, nums, dens) in enumerate(terms):
        t = _term_text(p, q, nums, dens)
        if i == 0:
            s = ("-" + t) if neg else t
        else:
            s += (" - " if neg else " + ") + t
    return s


def try_text(e: sp.Expr) -> str | None:
    """``fmt_text`` or None when the value has no readable exact form."""
    try:
        return fmt_text(e)
    except _Unreadable:
        return None


def fmt_latex(e: sp.Expr) -> str:
    r"""LaTeX of a value.

    >>> fmt_latex(25*sp.pi/4), fmt_latex(12*sp.sqrt(3))
    ('\\frac{25\\pi}{4}', '12\\sqrt{3}')
    """
    terms = _terms(e)
    s = ""
    for i, (neg, p, q, nums, dens) in enumerate(terms):
        numtxt = ("" if (p == 1 and nums) else str(p)) + "".join(l for _, _, l in nums)
        dentxt = ("" if q == 1 else str(q)) + "".join(l for _, _, l in dens)
        t = rf"\frac{{{numtxt}}}{{{dentxt}}}" if dentxt else numtxt
        if i == 0:
            s = ("-" + t) if neg else t
        else:
            s += (" - " if neg else " + ") + t
    return s


def fmt_decimal(x: float, places: int) -> str:
    """``x`` rounded to ``places`` decimals, always with that many: 5.03, 13.00.

    A fixed number of decimals keeps multiple-choice options from telling the answer by
    their format.

    >>> fmt_decimal(5.0346, 2), fmt_decimal(3.9999, 2), fmt_decimal(13.0, 2), fmt_decimal(-0.001, 2)
    ('5.03', '4.00', '13.00', '0.00')
    """
    t = f"{x:.{places}f}"
    if t.startswith("-") and float(t) == 0:
        t = t[1:]
    return t


@lru_cache(maxsize=4096)
def _sstr(e: sp.Expr) -> str:
    return sp.sstr(e)


def sympy_str(e: sp.Expr) -> str:
    """A string ``sympy.sympify`` parses back to the same value."""
    return _sstr(e)
