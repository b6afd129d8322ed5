"""Questions about one sampled function: what is asked, the exact answer, the solution steps.

Every question works from the function's exact features (``families.py``); its target is one
of the measures of the domain's check (``check.py``), so the answer is re-measured from the expression
alone. Steps are ``(slot, variables)`` pairs: the wording lives in ``templates/function/``.

A builder is ``builder(fn, rng, fixed=None) -> Ask``. What the question states besides the
function (the x of a value, the bounds of an integral, the letter asked) is its ``fixed``
part: given ``fixed``, the builder asks the same question with those values and raises
``Rejected`` when it cannot. That is how the answers of neighbouring problems (the options)
and of the same problem with a parameter changed (image dependence) are found.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ...core import Ask as BaseAsk
from ...errors import Rejected
from ...exact import has_symbolic_trig, try_text
from .families import FAMILIES, Fn, X, _compile, coef, join, par, power, shift, t
from .families import _poly_text as family_poly_text

__all__ = ["Ask", "QUESTIONS", "domain_text", "interval_text", "intervals_text", "line_text", "monotone_intervals"]


@dataclass
class Ask(BaseAsk):
    """A function question (``kind``: number, numbers, intervals, pair, domain, word, line or
    choice), with what only function questions need:"""
    avoid_x: set = field(default_factory=set)      # x where no reading mark may go (they would show the answer)
    hide: tuple = ()               # parameters hidden in every variant (the asked parameter)
    choices: list | None = None    # match questions: the option texts
    fixed: dict = field(default_factory=dict)      # what the question states: {"x0": 2}, {"lo": .., "hi": ..}
    shape: tuple = ()              # parameters of the form's shape (k, h) text_lite and vision_dominant
    #                                leave to the picture: the answer depends on them alone
    uses_letters: bool = True      # whether the answer depends on the form's letters (else no marked
    #                                points are needed to find it)


def _fixed(fixed, name, default):
    return fixed[name] if fixed and name in fixed else default


def interval_text(a, b, open_a=False, open_b=False) -> str:
    return f"{'(' if open_a else '['}{t(a)}, {t(b)}{')' if open_b else ']'}"


def domain_text(ivs) -> str:
    """Intervals (lo, hi, lo_in, hi_in) with ±oo ends as people write them: (-∞, 2) ∪ (2, ∞)."""
    def end(v):
        return "∞" if v == sp.oo else "-∞" if v == -sp.oo else t(v)
    if len(ivs) == 1 and ivs[0][0] == -sp.oo and ivs[0][1] == sp.oo:
        return "all real numbers"
    return " ∪ ".join(f"{'[' if lo_in else '('}{end(lo)}, {end(hi)}{']' if hi_in else ')'}"
                      for lo, hi, lo_in, hi_in in ivs)


def _values_text(vals) -> list[str]:
    return [t(v) for v in vals]


# --- zeros ------------------------------------------------------------------------------------

def _factored(fn: Fn) -> str:
    """The polynomial as a(x - r1)(x - r2)...: its zeros written in (a factor x stands first,
    without brackets: 2x(x - 3))."""
    p = fn.params
    if fn.family == "quadratic":
        a, h, k = p["a"], p["h"], p["k"]
        s = sp.sqrt(-k / a)
        roots = sorted({h - s, h + s}, key=float)
        if len(roots) == 1:
            return coef(a, power(f"({shift('x', roots[0])})", 2) if roots[0] != 0 else power("x", 2))
    else:
        a, roots = p["coeffs"][0], p["roots"]
    body = ("x" if 0 in roots else "") + "".join(f"({shift('x', r)})" for r in roots if r != 0)
    return coef(a, body)


def _zeros_steps(fn: Fn) -> list:
    p, z = fn.params, fn.features.zeros
    eq = fn.text() if not fn.pieces else ""
    xs = _values_text(z)
    fam = fn.family
    if fam in ("quadratic", "cubic", "quartic"):
        return [("zeros.factor", {"eq": eq, "factored": _factored(fn), "xs": xs})]
    if fam == "linear":
        return [("zeros.linear", {"eq": eq, "x": xs[0], "m": t(p["m"]), "b": t(p["b"]) if p["b"] != 0 else None})]
    if fam in ("sine", "cosine", "tangent"):
        fname = {"sine": "sin", "cosine": "cos", "tangent": "tan"}[fam]
        arg = f"πx/{t(p['k'])}" if p.get("c", 0) == 0 else f"π{par(shift('x', p['c']))}/{t(p['k'])}"
        ratio = t(-p["d"] / p["a"])
        period = t(2 * p["k"]) if fam != "tangent" else t(p["k"])
        return [("zeros.trig", {"eq": eq, "fn": fname, "arg": arg, "ratio": ratio, "xs": xs, "period": period})]
    if fam == "exponential":
        b = p["b"]
        return [("zeros.exponential", {"eq": eq, "power": f"{par(t(b))}ˣ", "rhs": t(-p["d"] / p["a"]),
                                       "base": t(b), "xs": xs})]
    if fam == "logarithm":
        n = -p["d"] / p["a"]
        sub = t(p["b"]).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
        return [("zeros.logarithm", {"eq": eq, "log": f"log{sub}({shift('x', p['h'])})",
                                     "n": t(n), "arg": shift("x", p["h"]), "rhs": t(p["b"] ** n), "xs": xs})]
    if fam == "absolute":
        r = -p["k"] / p["a"]
        return [("zeros.absolute", {"eq": eq, "inner": f"|{shift('x', p['h'])}|", "r": t(r), "xs": xs})]
    if fam == "rational":
        return [("zeros.rational", {"eq": eq, "frac": f"{t(p['a'])}/{par(shift('x', p['h']))}",
                                    "rhs": t(-p["k"]), "xs": xs})]
    if fam == "piecewise":
        pw = FAMILIES["piecewise"]
        parts = []
        for i, (a, b, ca, cb, _, sym, _) in enumerate(fn.pieces):
            body, cond = pw.piece_text(p, i, "x")
            m, c = sym.coeff(X, 1), sym.coeff(X, 0)
            zx = -c / m if m != 0 else None
            inside = zx is not None and ((a < zx < b) or (zx == a and ca) or (zx == b and cb))
            parts.append({"body": body, "cond": cond, "x": t(zx) if zx is not None else None, "inside": inside})
        return [("zeros.piecewise", {"parts": parts, "xs": xs})]
    raise Rejected("question", f"no zeros steps for {fam}")


def q_zeros(fn: Fn, rng, fixed=None):
    z = fn.features.zeros
    if not z:
        raise Rejected("question", f"no zeros question of this {fn.family}")
    return Ask("zeros", {"measure": "zeros", "of": "f"}, list(z), "numbers", ("ask.zeros", {}),
               _zeros_steps(fn), [], set(z))


# --- values ----------------------------------------------------------------------------------

def _value_step(fn: Fn, x0) -> tuple[str, dict]:
    v = fn.value(x0)
    if fn.pieces:
        i = fn.piece_at(x0)
        body, cond = FAMILIES["piecewise"].piece_text(fn.params, i, f"({t(x0)})")
        return ("value.piece", {"x0": t(x0), "cond": cond, "subst": body, "value": t(v)})
    return ("value", {"x0": t(x0), "subst": fn.text(var=f"({t(x0)})"), "value": t(v)})


def _nice(v) -> bool:
    v = sp.sympify(v)
    return bool(v.is_Rational) and v.q <= 12 and abs(v) < 1000


def q_value(fn: Fn, rng, fixed=None):
    w = fn.window

    def askable(x) -> bool:          # inside, defined, a nice value other than x itself
        try:
            v = fn.value(x)
        except ValueError:
            return False
        if v.is_finite is False or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return False
        return _nice(v) and v != x
    xs = [fixed["x0"]] if fixed else range(w[0] + 1, w[1])
    cands = [x for x in xs if x != 0 and w[0] < x < w[1] and askable(x)]
    if not fixed and fn.pieces and fn.mode == "jump" and rng.random() < 0.5:
        cands = [int(x) for x in fn.params["t"] if x != 0 and askable(x)] or cands   # which side owns the jump?
    if not cands:
        raise Rejected("question", f"no value question of this {fn.family}")
    x0 = sp.Integer(cands[int(rng.integers(len(cands)))] if len(cands) > 1 else cands[0])
    v = fn.value(x0)
    return Ask("value", {"measure": "value", "of": "f", "at": float(x0)}, v, "number",
               ("ask.value", {"x0": t(x0)}), [_value_step(fn, x0)], [], {x0}, fixed={"x0": int(x0)})


def q_y_intercept(fn: Fn, rng, fixed=None):
    w = fn.window
    if not (w[0] < 0 < w[1]) or not fn.defined_at(0) or not _nice(fn.value(0)):
        raise Rejected("question", f"no y-intercept question of this {fn.family}")
    v = fn.value(0)
    return Ask("y-intercept", {"measure": "y-intercept", "of": "f"}, v, "number", ("ask.y-intercept", {}),
               [_value_step(fn, sp.Integer(0))], [], {sp.Integer(0)})


# --- extrema on the window -------------------------------------------------------------------

def _stated(answer, *numbers):
    """The answer is one of the numbers the question states (an x0, a bound of the window): the
    question would print its own answer. Such a draw is refused, for the key and for its
    neighbours alike, so the options stay exchangeable."""
    if answer in numbers:
        raise Rejected("question", f"the answer {t(answer)} is a number the question states")


def _extreme(fn: Fn, rng, which: str, stated: bool = True):
    ext = fn.features.extrema
    if ext is None or fn.features.vertical or fn.features.defined_from is not None:
        raise Rejected("question", f"no {which} question of this {fn.family}")
    w = fn.window
    ends = [(sp.Integer(w[0]), fn.value(w[0])), (sp.Integer(w[1]), fn.value(w[1]))]
    if not all(sp.sympify(v).is_Rational for _, v in ends):
        raise Rejected("question", f"no {which} question of this {fn.family}")
    cands = [(x, y) for x, y, _ in ext] + ends
    key = (lambda c: c[1]) if which == "maximum" else (lambda c: -c[1])
    best = max(cands, key=lambda c: float(key(c)))
    if stated:
        _stated(best[1], w[0], w[1])
    local = [f"({t(x)}, {t(y)})" for x, y, kind in ext if kind == ("max" if which == "maximum" else "min")]
    steps = [(f"extreme.{which}", {"local": local, "ends": [f"f({t(x)}) = {t(y)}" for x, y in ends],
                                   "lo": t(w[0]), "hi": t(w[1]), "value": t(best[1])})]
    # no mark where f takes its extreme value (a sine has many such points): it would show it
    at_best = {c[0] for c in cands if c[1] == best[1]}
    return Ask(which, {"measure": which, "of": "f", "on": [float(w[0]), float(w[1])]}, best[1], "number",
               (f"ask.{which}", {"lo": t(w[0]), "hi": t(w[1])}), steps, [], at_best)


def q_maximum(fn, rng, fixed=None):
    return _extreme(fn, rng, "maximum")


def q_minimum(fn, rng, fixed=None):
    return _extreme(fn, rng, "minimum")


def _critical_steps(fn: Fn, kind: str) -> list:
    """How the local extrema are found: the vertex formula, f' = 0, or the sine's peaks."""
    p, ext = fn.params, fn.features.extrema
    xs = [x for x, _, k in ext if k == kind]
    fam = fn.family
    if fam == "quadratic":
        a, h = p["a"], p["h"]
        b = -2 * a * h
        return [("critical.vertex", {"a": t(a), "b": t(b), "h": t(h), "k": t(p["k"]),
                                     "up": bool(a > 0)})]
    if fam in ("cubic", "quartic"):
        d = sp.Poly(p["coeffs"], X).diff(X)
        return [("critical.derivative", {"d": _poly_text(d.all_coeffs()), "crit": _values_text([x for x, _, _ in ext]),
                                         "xs": _values_text(xs), "which": kind})]
    if fam == "absolute":
        return [("critical.absolute", {"h": t(p["h"]), "k": t(p["k"]), "up": bool(p["a"] > 0)})]
    if fam in ("sine", "cosine"):
        return [("critical.trig", {"fn": "sin" if fam == "sine" else "cos", "xs": _values_text(xs), "which": kind,
                                   "period": t(2 * p["k"]), "value": t(p["d"] + (abs(p["a"]) if kind == "max" else -abs(p["a"])))})]
    raise Rejected("question", f"no extremum steps for {fam}")


def _poly_text(coeffs) -> str:
    return family_poly_text([sp.nsimplify(c) for c in coeffs], "x")


def _local(fn: Fn, rng, kind: str):
    ext = fn.features.extrema
    if not ext or not any(k == kind for _, _, k in ext):
        raise Rejected("question", f"no local-{kind} question of this {fn.family}")
    xs = [x for x, _, k in ext if k == kind]
    measure = "local-maxima" if kind == "max" else "local-minima"
    # a V's turning point is x = h of a|x - h| + k: text_lite and vision_dominant leave h to the
    # picture (the corner), else the stated form would answer
    shape = ("h",) if fn.family == "absolute" else ()
    return Ask(measure, {"measure": measure, "of": "f"}, xs, "numbers", (f"ask.{measure}", {}),
               _critical_steps(fn, kind), [], set(xs), shape=shape)


def q_local_maxima(fn, rng, fixed=None):
    return _local(fn, rng, "max")


def q_local_minima(fn, rng, fixed=None):
    return _local(fn, rng, "min")


# --- monotony, period, asymptotes ------------------------------------------------------------

def monotone_intervals(fn: Fn, ivs) -> list[tuple]:
    """Intervals of monotony (a, b) with whether each end belongs to them, (a, b, a_in, b_in):
    not at a vertical asymptote nor where the domain starts open (a logarithm's h); a turning
    point and a window end where f is defined do."""
    va = set(fn.features.vertical)
    start = fn.features.defined_from
    return [(a, b, not (a in va or a == start), b not in va) for a, b in ivs]


def intervals_text(ivs) -> str:
    """Intervals of monotony as people write them: each on its own, "(-7, 1) and (1, 7)" (f
    decreases on each, not on their union, so no ∪)."""
    parts = [interval_text(a, b, not a_in, not b_in) for a, b, a_in, b_in in ivs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _ivs_text(fn: Fn, ivs) -> list[str]:
    return [interval_text(a, b, not a_in, not b_in) for a, b, a_in, b_in in monotone_intervals(fn, ivs)]


def _monotone(fn: Fn, rng, which: str):
    f = fn.features
    ivs = f.increasing if which == "increasing" else f.decreasing
    if ivs is None or not ivs or fn.family in ("cubic", "quartic") and f.extrema is None:
        raise Rejected("question", f"no {which} question of this {fn.family}")
    why = [("monotone", {"inc": _ivs_text(fn, f.increasing), "dec": _ivs_text(fn, f.decreasing),
                         "turns": [f"({t(x)}, {t(y)})" for x, y, _ in (f.extrema or [])],
                         "asymptotes": _values_text(f.vertical)})]
    steps = (_critical_steps(fn, "max") if f.extrema and fn.family in ("cubic", "quartic", "quadratic") else []) + why
    # where a tangent, a hyperbola or a logarithm breaks is its k or h: text_lite and
    # vision_dominant leave it to the picture (the dashed asymptotes), else the form would say
    shape = {"tangent": ("k",), "rational": ("h",), "logarithm": ("h",), "absolute": ("h",)}.get(fn.family, ())
    return Ask(which, {"measure": which, "of": "f"}, monotone_intervals(fn, ivs), "intervals", (f"ask.{which}", {}),
               steps, [], set(), shape=shape)


def q_increasing(fn, rng, fixed=None):
    return _monotone(fn, rng, "increasing")


def q_decreasing(fn, rng, fixed=None):
    return _monotone(fn, rng, "decreasing")


def q_period(fn: Fn, rng, fixed=None):
    """The period: from the form, 2π (or π) over the coefficient of x; when the form leaves k to
    the picture (text_lite, vision_dominant), read off the graph: the answer depends on k alone."""
    T = fn.features.period
    if T is None:
        raise Rejected("question", f"no period question of this {fn.family}")
    fname = {"sine": "sin", "cosine": "cos", "tangent": "tan"}[fn.family]
    base = "2π" if fn.family != "tangent" else "π"
    k = fn.params["k"]
    steps = [("period", {"fn": fname, "base": base, "b": "π" if k == 1 else f"π/{t(k)}", "T": t(T)})]
    return Ask("period", {"measure": "period", "of": "f"}, T, "number", ("ask.period", {}), steps, [],
               shape=("k",), uses_letters=False)


def q_vertical_asymptote(fn: Fn, rng, fixed=None):
    """The vertical asymptotes: a tangent's follow from k (left to the picture in text_lite and
    vision_dominant); a hyperbola's or a logarithm's one asymptote is x = h, the form's own
    parameter, so h is left to the picture in every variant (stating it would state the answer)."""
    va = fn.features.vertical
    if not va:
        raise Rejected("question", f"no vertical-asymptote question of this {fn.family}")
    fam = fn.family
    p = fn.params
    if fam == "tangent":
        step = ("asymptote.tangent", {"k": t(p["k"]), "xs": _values_text(va)})
    elif fam == "logarithm":
        step = ("asymptote.logarithm", {"arg": shift("x", p["h"]), "h": t(p["h"]), "rises": bool(p["a"] < 0)})
    else:
        step = ("asymptote.rational", {"den": shift("x", p["h"]), "h": t(p["h"])})
    if fam == "tangent":
        return Ask("vertical-asymptote", {"measure": "vertical-asymptotes", "of": "f"}, list(va), "numbers",
                   ("ask.vertical-asymptote", {}), [step], [], shape=("k",), uses_letters=False)
    return Ask("vertical-asymptote", {"measure": "vertical-asymptotes", "of": "f"}, list(va), "numbers",
               ("ask.vertical-asymptote", {}), [step], [], hide=("h",), uses_letters=False)


def q_horizontal_asymptote(fn: Fn, rng, fixed=None):
    """y = d of a·bˣ + d, y = k of a/(x - h) + k: the form's own letter, so it is left to the
    picture in every variant (read from the marked points); the answer depends on it alone."""
    ha = fn.features.horizontal
    if ha is None:
        raise Rejected("question", f"no horizontal-asymptote question of this {fn.family}")
    p = fn.params
    if fn.family == "exponential":
        side = "-∞" if p["b"] > 1 else "∞"
        step = ("asymptote.exponential", {"power": f"{par(t(p['b']))}ˣ", "side": side, "d": t(ha)})
        letter = "d"
    else:
        step = ("asymptote.horizontal", {"frac": f"{t(p['a'])}/{par(shift('x', p['h']))}", "k": t(ha)})
        letter = "k"
    return Ask("horizontal-asymptote", {"measure": "horizontal-asymptote", "of": "f"}, ha, "number",
               ("ask.horizontal-asymptote", {}), [step], [], hide=(letter,))


# --- calculus -------------------------------------------------------------------------------

def _poly(fn: Fn):
    p = fn.params
    if fn.family in ("cubic", "quartic"):
        return sp.Poly(p["coeffs"], X)
    if fn.family == "quadratic":
        return sp.Poly(p["a"] * (X - p["h"]) ** 2 + p["k"], X)
    if fn.family == "linear":
        return sp.Poly(p["m"] * X + p["b"], X)
    return None


def _poly_subst(coeffs, x0) -> str:
    return family_poly_text([sp.nsimplify(c) for c in coeffs], f"({t(x0)})")


def _dtext(fn: Fn, var: str) -> str | None:
    """f′ written out with ``var`` for x, by the textbook rule of the family (None: no one
    formula, as for |x| and piecewise functions, or none asked here, as for tan)."""
    p, fam = fn.params, fn.family
    poly = _poly(fn)
    if poly is not None:
        return family_poly_text([sp.nsimplify(c) for c in poly.diff(X).all_coeffs()], var)
    if fam in ("sine", "cosine"):
        arg = FAMILIES[fam]._arg(p, var)
        c = p["a"] * sp.pi / p["k"]
        return coef(c, f"cos({arg})") if fam == "sine" else coef(-c, f"sin({arg})")
    if fam == "exponential":
        return FAMILIES[fam].write({"a": p["a"] * sp.log(p["b"]), "b": p["b"], "d": 0}, var)
    if fam == "logarithm":
        den = f"{par(shift(var, p['h']))} ln {t(p['b'])}" if shift(var, p["h"]) != "x" else f"x ln {t(p['b'])}"
        return f"{t(p['a'])}/({den})"
    if fam == "rational":
        return f"{t(-p['a'])}/{power(par(shift(var, p['h'])), 2)}"
    return None


def _slope_steps(fn: Fn, x0, v) -> list[tuple[str, dict]]:
    """The steps that find f′(x0) = v: differentiate, then evaluate at x0 (a line piece's
    slope is read in one)."""
    if fn.pieces:
        body, cond = FAMILIES["piecewise"].piece_text(fn.params, fn.piece_at(x0), "x")
        return [("derivative.piece", {"x0": t(x0), "cond": cond, "body": body, "value": t(v)})]
    if fn.family == "absolute":
        p = fn.params
        return [("derivative.absolute", {"x0": t(x0), "h": t(p["h"]), "a": t(p["a"]),
                                         "right": bool(x0 > p["h"]), "value": t(v)})]
    subst = _dtext(fn, f"({t(x0)})")
    # f′ a constant (a line): "f′(-1) = -3 = -3" would say one thing twice
    return [("derivative.rule", {"d": _dtext(fn, "x")}),
            ("derivative.at", {"x0": t(x0), "subst": subst if subst != t(v) else None, "value": t(v),
                               "constant": _dtext(fn, "x") == t(v)})]


def _slope_at(fn: Fn, x0):
    """The exact f′(x0), or None where f is not differentiable there (a corner, a breakpoint)."""
    if fn.pieces:
        if any(x0 in (a, b) for a, b, *_ in fn.pieces):
            return None
        return fn.pieces[fn.piece_at(x0)][5].coeff(X, 1)
    if fn.family == "absolute":
        return None if x0 == fn.params["h"] else fn.params["a"] * (1 if x0 > fn.params["h"] else -1)
    d = fn.__dict__.get("_derivative")
    if d is None:
        d = fn.__dict__["_derivative"] = sp.diff(fn.sym, X)
    return d.xreplace({X: x0})


_CALCULUS = ("linear", "quadratic", "cubic", "quartic", "sine", "cosine", "exponential", "logarithm",
             "rational", "absolute", "piecewise")


def _slope_points(fn: Fn, only=None) -> list:
    """(x0, f′(x0)) at integers inside the window where f′ has a readable exact value (at
    ``only`` alone, when given)."""
    if fn.family not in _CALCULUS:
        return []
    w = fn.window
    out = []
    for x in range(w[0] + 1, w[1]):
        if only is not None and x != only:
            continue
        x0 = sp.Integer(x)
        if not fn.defined_at(x0):
            continue
        v = _slope_at(fn, x0)
        if v is None or v.has(sp.zoo, sp.nan) or has_symbolic_trig(v) or try_text(v) is None or v == x0:
            continue
        out.append((x0, v))
    return out


def _at(pts, rng, fixed):
    """One of the (x0, value) candidates: the stated x0 when ``fixed`` says it, else at random."""
    if fixed:
        pts = [q for q in pts if q[0] == fixed["x0"]]
        if not pts:
            raise Rejected("question", f"nothing to ask at x = {fixed['x0']}")
        return pts[0]
    return pts[int(rng.integers(len(pts)))]


def q_derivative(fn: Fn, rng, fixed=None):
    pts = _slope_points(fn, None if not fixed else fixed["x0"])
    if not pts:
        raise Rejected("question", f"no derivative question of this {fn.family}")
    x0, v = _at(pts, rng, fixed)
    return Ask("derivative", {"measure": "derivative", "of": "f", "at": float(x0)}, v, "number",
               ("ask.derivative", {"x0": t(x0)}), _slope_steps(fn, x0, v), [], fixed={"x0": int(x0)})


def q_tangent_line(fn: Fn, rng, fixed=None):
    # a line's tangent is the line itself; elsewhere slope and intercept must read as numbers
    if fn.family in ("linear", "piecewise", "absolute"):
        raise Rejected("question", f"no tangent-line question of this {fn.family}")
    pts = [(x0, m) for x0, m in _slope_points(fn, None if not fixed else fixed["x0"])
           if fn.value(x0).is_Rational and (m.is_Rational or x0 == 0)]
    if not pts:
        raise Rejected("question", f"no tangent-line question of this {fn.family}")
    x0, m = _at(pts, rng, fixed)
    y0 = fn.value(x0)
    b = sp.expand(y0 - m * x0)
    steps = [*_slope_steps(fn, x0, m),
             ("value", {"x0": t(x0), "subst": fn.text(var=f"({t(x0)})"), "value": t(y0)}),
             ("tangent", {"x0": t(x0), "y0": t(y0), "m": t(m), "line": line_text(m, b),
                          "point_slope": _point_slope(m, x0, y0, line_text(m, b))})]
    return Ask("tangent-line", {"measure": "tangent-line", "of": "f", "at": float(x0)}, (m, b), "line",
               ("ask.tangent-line", {"x0": t(x0)}), steps, [], {x0}, fixed={"x0": int(x0)})


def _point_slope(m, x0, y0, line: str) -> str | None:
    """y - y0 = m(x - x0), or None when it is the line's own equation (x0 = y0 = 0)."""
    rhs = coef(m, par(shift("x", x0))) if m != 0 else "0"
    ps = f"{shift('y', y0)} = {rhs}"
    return None if ps.replace("(x)", "x") == line else ps


def line_text(m, b) -> str:
    return "y = " + join([coef(m, "x") if m != 0 else "", t(b) if b != 0 or m == 0 else ""])


def q_integral(fn: Fn, rng, fixed=None):
    poly = _poly(fn)
    if poly is None:
        return _integral_of_lines(fn, rng, fixed)
    w = fn.window
    if fixed:
        lo, hi = fixed["lo"], fixed["hi"]
        if not (w[0] <= lo < hi <= w[1] and hi - lo <= 4):
            raise Rejected("question", f"no integral over [{lo}, {hi}] of this {fn.family}")
    else:
        lo = int(rng.integers(w[0], w[1] - 1))
        hi = int(rng.integers(lo + 1, min(w[1], lo + 4) + 1))
    F = poly.integrate(X)
    val = F.eval(hi) - F.eval(lo)
    _stated(val, lo, hi)
    flo = t(F.eval(lo))
    steps = [("integral.antiderivative", {"F": _poly_text(F.all_coeffs())}),
             ("integral", {"F": _poly_text(F.all_coeffs()), "lo": t(lo), "hi": t(hi), "Fhi": t(F.eval(hi)),
                           "Flo": f"({flo})" if flo.startswith("-") else flo, "value": t(val)})]
    return Ask("integral", {"measure": "integral", "of": "f", "from": float(lo), "to": float(hi)}, val,
               "number", ("ask.integral", {"lo": t(lo), "hi": t(hi)}), steps, [], fixed={"lo": lo, "hi": hi})


def _signed(v) -> str:
    """A second operand: -4 written (-4)."""
    return f"({t(v)})" if v < 0 else t(v)


def _lines(fn: Fn, lo, hi) -> list:
    """(a, b, line) pieces of [lo, hi] on which f is the straight line ``line`` (|x| and
    piecewise-linear functions): cut at the corner or the breakpoints inside."""
    if fn.pieces:
        cuts = sorted({lo, hi} | {c for a, b, *_ in fn.pieces for c in (a, b) if lo < c < hi})
        return [(a, b, fn.pieces[fn.piece_at((a + b) / 2)][5]) for a, b in zip(cuts, cuts[1:])]
    p = fn.params
    h = p["h"]
    right, left = sp.expand(p["a"] * (X - h) + p["k"]), sp.expand(-p["a"] * (X - h) + p["k"])
    if hi <= h:
        return [(lo, hi, left)]
    if lo >= h:
        return [(lo, hi, right)]
    return [(lo, h, left), (h, hi, right)]


def _integral_of_lines(fn: Fn, rng, fixed=None):
    """The integral of a function made of line pieces: a sum of signed trapezoids."""
    if fn.family not in ("absolute", "piecewise"):
        raise Rejected("question", f"no integral question of this {fn.family}")
    w = fn.window
    kinks = [fn.params["h"]] if not fn.pieces else [a for a, *_ in fn.pieces[1:]]
    kinks = [int(k) for k in kinks if w[0] < k < w[1]]
    if fixed:
        lo, hi = fixed["lo"], fixed["hi"]
        if not (w[0] <= lo < hi <= w[1] and any(lo < k < hi for k in kinks)):
            raise Rejected("question", f"no integral over [{lo}, {hi}] of this {fn.family}")
    else:
        if not kinks:
            raise Rejected("question", f"no integral question of this {fn.family}")
        k = kinks[int(rng.integers(len(kinks)))]       # an interval across a corner or a breakpoint
        lo = int(rng.integers(max(w[0], k - 4), k))
        hi = int(rng.integers(k + 1, min(w[1], k + 4) + 1))
    parts, total, unsigned = [], sp.Integer(0), sp.Integer(0)
    for a, b, line in _lines(fn, sp.Integer(lo), sp.Integer(hi)):
        ya, yb = line.xreplace({X: a}), line.xreplace({X: b})
        area = (b - a) * (ya + yb) / 2
        total += area
        unsigned += abs(area)
        parts.append({"lo": t(a), "hi": t(b), "line": join([coef(line.coeff(X, 1), "x"), t(line.coeff(X, 0))]),
                      "flo": t(ya), "fhi": t(yb), "area": t(area),
                      "width": f"{t(b)} - {_signed(a)}", "sum": f"{t(ya)} + {_signed(yb)}"})
    _stated(total, lo, hi)
    steps = [("integral.lines", {"parts": parts, "value": t(total)})]
    return Ask("integral", {"measure": "integral", "of": "f", "from": float(lo), "to": float(hi)}, total,
               "number", ("ask.integral", {"lo": t(lo), "hi": t(hi)}), steps, [], fixed={"lo": lo, "hi": hi})


# --- the domain ----------------------------------------------------------------------------

def q_domain(fn: Fn, rng, fixed=None):
    """Where f is defined: a logarithm's argument must be positive, a denominator nonzero. The
    answer depends on h alone, which text_lite and vision_dominant leave to the picture (the
    dashed asymptote)."""
    p, oo = fn.params, sp.oo
    h = p.get("h")
    if fn.family == "logarithm":
        ans = [(h, oo, False, False)]
        step = ("domain.logarithm", {"arg": shift("x", h), "h": t(h), "domain": domain_text(ans)})
    elif fn.family == "rational":
        ans = [(-oo, h, False, False), (h, oo, False, False)]
        step = ("domain.rational", {"den": shift("x", h), "h": t(h), "domain": domain_text(ans)})
    else:
        raise Rejected("question", f"no domain question of this {fn.family}")
    return Ask("domain", {"measure": "domain", "of": "f"}, ans, "domain", ("ask.domain", {}), [step], [],
               shape=("h",), uses_letters=False)


# --- reading a parameter off the graph -------------------------------------------------------

# the letter, the measure equal to it, and the condition under which it is
_IDENTIFY = {
    "linear": [("b", "y-intercept", None), ("m", "derivative0", None)],
    "quadratic": [("c", "y-intercept", None)],
    "sine": [("d", "midline", None), ("a", "amplitude", "a>0")],
    "cosine": [("d", "midline", None), ("a", "amplitude", "a>0")],
    "exponential": [("d", "horizontal-asymptote", None)],
    "rational": [("k", "horizontal-asymptote", None)],
}


def q_identify(fn: Fn, rng, fixed=None):
    opts = [o for o in _IDENTIFY.get(fn.family, []) if o[2] is None or fn.param_value(o[0]) > 0]
    if fixed:
        opts = [o for o in opts if o[0] == fixed["letter"]]
    if not opts:
        raise Rejected("question", f"no identify question of this {fn.family}")
    letter, measure, _ = opts[int(rng.integers(len(opts)))] if len(opts) > 1 else opts[0]
    v = fn.param_value(letter)
    target = {"measure": measure, "of": "f"}
    if measure == "derivative0":
        target = {"measure": "derivative", "of": "f", "at": 0.0}
    # a mark on the y-axis would show an intercept outright
    avoid = {sp.Integer(0)} if measure == "y-intercept" else set()
    return Ask("identify", target, v, "number", ("ask.identify", {"letter": letter}), [], [],
               avoid, hide=(letter,), fixed={"letter": letter})


# --- symmetry, range, matching the graph -----------------------------------------------------

def _symmetry_witness(fn: Fn, word: str):
    """The x1 > 0 of the window the symmetry step compares f(x1) and f(-x1) at: for "neither",
    one where f(-x1) is neither f(x1) nor -f(x1) (whole, then half units, smallest first;
    Rejected when the window has none: it would look even or odd); else the first x1 where f
    is defined at both."""
    half = fn.window[1]
    for x1 in [sp.Integer(k) for k in range(1, half + 1)] + [sp.Rational(2 * k + 1, 2) for k in range(half)]:
        if not (fn.defined_at(x1) and fn.defined_at(-x1)):
            continue
        f1, fm1 = fn.value(x1), fn.value(-x1)
        if word != "neither" or (sp.expand(f1 - fm1) != 0 and sp.expand(f1 + fm1) != 0):
            return x1
    raise Rejected("question", f"the window {list(fn.window)} does not show that {fn.expr} is {word}")


def q_symmetry(fn: Fn, rng, fixed=None):
    if fn.pieces or fn.features.vertical or fn.features.defined_from is not None:
        raise Rejected("question", f"no symmetry question of this {fn.family}")
    w = fn.window
    if not (w[0] < 0 < w[1]) or w[0] != -w[1]:
        # on a window not symmetric about 0 the picture cannot show the symmetry the formula has
        raise Rejected("question", f"no symmetry question of this {fn.family} on {list(w)}")
    word = fn.features.symmetry
    sym = fn.sym
    neg = sp.expand(sym.xreplace({X: -X}))
    poly = _poly(fn)
    fmx = _poly_text([c * (-1) ** (poly.degree() - i) for i, c in enumerate(poly.all_coeffs())]) \
        if poly is not None else None
    # the verdict holds on the whole line (f(-x) ± f(x) expands to 0, or it does not) ...
    even, odd = sp.expand(neg - sym) == 0, sp.expand(neg + sym) == 0
    if (word == "even") != even or (word == "odd") != odd:
        raise Rejected("question", f"symmetry of {fn.expr} is not {word}")
    # ... and the window shows it: a "neither" needs a point of the window where f(x) is
    # neither f(-x) nor -f(x) (-|x + 2| + 2 is -x on [-2, 2]: odd there, so the graph could not
    # tell); that point is the step's example, so its numbers never contradict the verdict
    x1 = _symmetry_witness(fn, word)
    steps = [("symmetry", {"subst": fn.text(var="(-x)"), "fmx": fmx, "verdict": word,
                           "x1": t(x1), "f1": t(fn.value(x1)), "fm1": t(fn.value(-x1))})]
    # free-form: the words even, odd, neither are three, and "both" is never the answer
    return Ask("symmetry", {"measure": "symmetry", "of": "f"}, word, "word", ("ask.symmetry", {}), steps, [])


def q_range(fn: Fn, rng, fixed=None):
    hi = _extreme(fn, rng, "maximum", stated=False)
    lo = _extreme(fn, rng, "minimum", stated=False)
    w = fn.window
    if (lo.answer, hi.answer) == (w[0], w[1]):
        raise Rejected("question", "the range is the window the question states")
    steps = lo.steps + hi.steps
    ans = (lo.answer, hi.answer)
    return Ask("range", {"measure": "range", "of": "f", "on": [float(w[0]), float(w[1])]}, ans, "pair",
               ("ask.range", {"lo": t(w[0]), "hi": t(w[1])}), steps, [], lo.avoid_x | hi.avoid_x)


def q_match(fn: Fn, rng, fixed=None):
    """Which expression is the graph? One letter of the form (``hide``: left to the picture in
    every variant) tells the options apart; :func:`match_options` draws them."""
    if fn.pieces or not fn.letters:
        raise Rejected("question", f"no match question of this {fn.family}")
    letter = _fixed(fixed, "letter", None) or fn.letters[int(rng.integers(len(fn.letters)))]
    return Ask("match", {"measure": "graph-match", "of": "f", "choices": []}, None, "choice", ("ask.match", {}),
               [], [], hide=(letter,), fixed={"letter": letter})


def _samples(f, xs) -> list:
    out = []
    for x in xs:
        try:
            out.append(f(x))
        except (ValueError, ZeroDivisionError, OverflowError):
            out.append(None)
    return out


def match_options(fn: Fn, ask: Ask, draw_value, rng, redraws: int = 8) -> bool:
    """Fill in a match question's options, or return False: the graph's expression and three
    others that differ from it in the hidden letter only, that letter's value drawn as a
    neighbouring problem's (``draw_value(rng)``: its value in a function of the same family
    drawn afresh), so the key is one draw among four of the same distribution, not the centre
    of three edits. Three values are drawn once; the four expressions must be different and
    every two of them must differ visibly on the window (a condition alike for all four, so
    the key is no more the odd one out than any other); else False, and the caller draws the
    function again (see build._exchangeable: drawing the values again would not keep the key
    exchangeable). The key goes to a random place."""
    fam = FAMILIES[fn.family]
    letter = ask.hide[0]
    w = fn.window
    xs = [w[0] + (w[1] - w[0]) * (i + 0.5) / 48 for i in range(48)]

    def curve(f):
        ys = _samples(f, xs)
        finite = [y for y in ys if y is not None and abs(y) < 1e6]
        return ys, (max(finite) - min(finite) or 1.0) if len(finite) >= 10 else None
    key_curve = curve(fn.f)
    if key_curve[1] is None:
        raise Rejected("question", f"no match question of this {fn.family}")
    opts = [(fn.text(), fn.expr, fn.params[letter], key_curve)]
    for _ in range(3):
        for _ in range(redraws):
            try:
                v = draw_value(rng)
                p2 = fam.refit(fn.params, {letter: v})
                src = fam.expr(p2)
                f2 = _compile(src)[1]
            except (Rejected, ValueError, TypeError, KeyError, ZeroDivisionError):
                continue
            c2 = curve(f2)
            if c2[1] is not None:
                opts.append((fam.write(p2, "x"), src, v, c2))
                break
        else:
            return False
    if len({o[0] for o in opts}) < 4 or len({o[2] for o in opts}) < 4:
        return False
    for i, (_, _, _, (yi, si)) in enumerate(opts):
        for _, _, _, (yj, sj) in opts[i + 1:]:
            diff = max((abs(a - b) for a, b in zip(yi, yj) if a is not None and b is not None), default=0.0)
            if diff < max(0.25, 0.1 * max(si, sj)):
                return False          # two options too close to tell apart on the graph
    alts = opts[1:]
    k = int(rng.integers(4))
    order = alts[:k] + [opts[0]] + alts[k:]
    ask.answer = k
    ask.choices = [o[0] for o in order]
    ask.target["choices"] = [o[1] for o in order]
    ask.steps = [("match", {"expr": fn.text(), "letter": "ABCD"[k]})]
    return True


QUESTIONS = {
    "zeros": q_zeros, "y-intercept": q_y_intercept, "value": q_value,
    "maximum": q_maximum, "minimum": q_minimum, "local-maxima": q_local_maxima,
    "local-minima": q_local_minima, "increasing": q_increasing, "decreasing": q_decreasing,
    "period": q_period, "vertical-asymptote": q_vertical_asymptote,
    "horizontal-asymptote": q_horizontal_asymptote, "derivative": q_derivative,
    "tangent-line": q_tangent_line, "integral": q_integral, "identify": q_identify,
    "symmetry": q_symmetry, "range": q_range, "match": q_match, "domain": q_domain,
}

