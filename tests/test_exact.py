"""diagram_engine.exact: exact values and the way people write them."""
from __future__ import annotations

import math
import re

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from diagram_engine.exact import (UnreadableError, canonical, deg, fmt_decimal, fmt_latex, fmt_text, has_symbolic_trig,
                                  is_exact_nice, num, sympy_str, to_float, try_text)

PI = sp.pi
R2, R3 = sp.sqrt(2), sp.sqrt(3)


def Q(p, q=1):
    return sp.Rational(p, q)


# --- reading the written forms back (independent of the engine's formatter) ---------------------

_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ENV = {"__builtins__": {}, "sqrt": math.sqrt, "pi": math.pi}


def _implicit_mul(s: str) -> str:
    return re.sub(r"(?<=[\d)i])(?=sqrt|pi|\()", "*", s)


def read_text(t: str) -> float:
    s = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "**" + m.group().translate(_SUP), t)
    s = re.sub(r"√(\d+)", r"sqrt(\1)", s).replace("π", "pi").replace("·", "*")
    # "a/b·c" in a denominator: the formatter writes the whole denominator after one '/'
    s = re.sub(r"/([0-9a-z()*]+)", r"/(\1)", _implicit_mul(s))
    return float(eval(s, _ENV))


def read_latex(t: str) -> float:
    s = re.sub(r"\\sqrt\{(\d+)\}", r"sqrt(\1)", t).replace(r"\pi", "pi")
    s = re.sub(r"\^\{(\d+)\}", r"**\1", s)
    while r"\frac" in s:
        s2 = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", s)
        assert s2 != s, t
        s = s2
    return float(eval(_implicit_mul(s), _ENV))


# --- fixed examples -----------------------------------------------------------------------------

TEXT_CASES = [
    (12 * R3, "12√3", r"12\sqrt{3}"),
    (25 * PI / 4, "25π/4", r"\frac{25\pi}{4}"),
    (36 - 9 * PI, "36 - 9π", r"36 - 9\pi"),
    (144 * PI - 216 * R3, "144π - 216√3", r"144\pi - 216\sqrt{3}"),
    (R3 / 4, "√3/4", r"\frac{\sqrt{3}}{4}"),
    (Q(15, 2), "15/2", r"\frac{15}{2}"),
    (sp.Integer(84), "84", "84"),
    (PI / 2, "π/2", r"\frac{\pi}{2}"),
    (18 * PI - 36, "18π - 36", r"18\pi - 36"),
    (49 - 49 * PI / 4, "49 - 49π/4", r"49 - \frac{49\pi}{4}"),
    (3 * R3 * PI / 2, "3√3π/2", r"\frac{3\sqrt{3}\pi}{2}"),
    (2 * PI ** 2, "2π²", r"2\pi^{2}"),
    (sp.sqrt(415), "√415", r"\sqrt{415}"),
    (-R3, "-√3", r"-\sqrt{3}"),
]


@pytest.mark.parametrize("e,text,latex", TEXT_CASES, ids=[c[1] for c in TEXT_CASES])
def test_fmt_text_and_latex(e, text, latex):
    assert fmt_text(e) == text
    assert try_text(e) == text
    assert fmt_latex(e) == latex
    assert is_exact_nice(e)
    assert math.isclose(read_text(text), to_float(e), rel_tol=1e-12)
    assert math.isclose(read_latex(latex), to_float(e), rel_tol=1e-12)


def test_positive_term_leads():
    # people write "144π - 216√3", not "-216√3 + 144π"; all-negative sums stay as they are
    assert fmt_text(-216 * R3 + 144 * PI) == "144π - 216√3"
    assert fmt_text(-9 * PI + 36) == "36 - 9π"
    assert fmt_text(-PI - 3) == "-3 - π"


def test_products_of_sums_are_expanded():
    e = (1 + R3) * R3
    assert fmt_text(e) == "3 + √3"
    assert canonical(e) == 3 + R3


def test_special_angles_are_exact():
    assert sp.tan(deg(30)) == R3 / 3
    assert fmt_text(6 * sp.tan(deg(30))) == "2√3"
    assert is_exact_nice(10 * sp.sin(deg(60)))
    assert not has_symbolic_trig(sp.cos(deg(45)))


def test_general_angles_are_not_nice():
    e = 6 * sp.tan(deg(40))
    assert has_symbolic_trig(e)
    assert not is_exact_nice(e)
    assert math.isclose(to_float(e), 6 * math.tan(math.radians(40)), rel_tol=1e-15)
    assert not is_exact_nice(sp.sqrt(144 * sp.tan(deg(35)) ** 2 + 100))


@pytest.mark.parametrize("e, text, latex", [
    (8 * sp.log(2), "8 ln 2", r"8\ln 2"),
    (3 / (2 * sp.log(2)), "3/(2 ln 2)", r"\frac{3}{2\ln 2}"),
    (sp.log(3) / 2, "(ln 3)/2", r"\frac{\ln 3}{2}"),
    (8 * sp.log(2) - 16, "8 ln 2 - 16", r"8\ln 2 - 16"),
    (3 / (2 * sp.pi), "3/(2π)", r"\frac{3}{2\pi}"),
    (-sp.log(2), "-ln 2", r"-\ln 2")])
def test_natural_logarithms_of_integers_read_as_people_write_them(e, text, latex):
    assert fmt_text(e) == text
    assert fmt_latex(e) == latex
    assert is_exact_nice(e)


@pytest.mark.parametrize("e", [sp.log(Q(3, 2)), sp.E, sp.sqrt(R2 / 4 + Q(1, 2)), sp.Float(2.5), 2 ** R2],
                         ids=["log-of-fraction", "e", "nested-root", "float", "irrational-power"])
def test_unreadable_values(e):
    assert try_text(e) is None
    assert not is_exact_nice(e)
    with pytest.raises(UnreadableError):
        fmt_text(e)
    with pytest.raises(UnreadableError):
        fmt_latex(e)


@pytest.mark.parametrize("x,places,want", [
    (5.0301, 2, "5.03"), (12.0, 2, "12.00"), (12.0000001, 2, "12.00"), (7, 0, "7"), (7.0, 3, "7.000"),
    (3.9999, 2, "4.00"), (-0.001, 2, "0.00"),
    (1234.5678, 1, "1234.6"), (13.061464156268, 2, "13.06"), (0.5, 2, "0.50"), (2.7, 0, "3"),
    (20.371548787463, 2, "20.37"), (3.14159, 4, "3.1416"),
])
def test_fmt_decimal(x, places, want):
    assert fmt_decimal(x, places) == want


def test_num_and_deg():
    assert num(3) == 3 and isinstance(num(3), sp.Integer)
    assert num(3.0) == 3 and isinstance(num(3.0), sp.Integer)
    assert num(2.5) == Q(5, 2)
    assert num("1/3") == Q(1, 3)
    assert num(R3) is R3
    assert deg(30) == PI / 6 and deg(Q(45, 2)) == PI / 8


def test_to_float():
    assert to_float(Q(1, 3)) == 1 / 3
    assert to_float(sp.Integer(7)) == 7.0
    assert to_float(12 * R3) == pytest.approx(12 * math.sqrt(3), rel=1e-15)
    assert to_float(36 - 9 * PI) == pytest.approx(36 - 9 * math.pi, rel=1e-15)


@pytest.mark.parametrize("e", [c[0] for c in TEXT_CASES] + [6 * sp.tan(deg(40)), Q(-5, 2)])
def test_sympy_str_round_trips(e):
    assert sp.sympify(sympy_str(e)) == e


# --- properties ----------------------------------------------------------------------------------

ints = st.integers(min_value=-60, max_value=60)
dens = st.integers(min_value=1, max_value=12)
radicands = st.sampled_from([2, 3, 5, 6, 7, 10, 11])


@st.composite
def nice_values(draw):
    """Sums of a rational, a rational multiple of a square root and of π (any may be zero)."""
    a, b, c = draw(ints), draw(ints), draw(ints)
    qa, qb, qc = draw(dens), draw(dens), draw(dens)
    n = draw(radicands)
    return Q(a, qa) + Q(b, qb) * sp.sqrt(n) + Q(c, qc) * PI * draw(st.sampled_from([1, sp.sqrt(n)]))


@settings(max_examples=150, deadline=None)
@given(nice_values())
def test_written_forms_read_back_to_the_value(e):
    assert is_exact_nice(e)
    t, lt = fmt_text(e), fmt_latex(e)
    want = to_float(e)
    assert math.isclose(read_text(t), want, rel_tol=1e-12, abs_tol=1e-12), (e, t)
    assert math.isclose(read_latex(lt), want, rel_tol=1e-12, abs_tol=1e-12), (e, lt)
    if t.startswith("-"):
        # a sum leads with a positive term when it has one
        assert " + " not in t, (e, t)


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=6))
def test_fmt_decimal_is_within_half_a_unit(x, places):
    t = fmt_decimal(x, places)
    assert re.fullmatch(r"\d+(\.\d{%d})?" % places if places else r"\d+", t), t
    assert abs(float(t) - x) <= 0.5 * 10 ** -places * (1 + 1e-9) + 1e-9
