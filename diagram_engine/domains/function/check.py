"""The function domain's independent check: questions about function graphs re-measured
from a record's scene alone (it may import nothing of the domain's derivation).

The ``function`` domain derives its answers exactly (sympy); this module checks them the way
a user's own checker would, knowing only ``scene`` and the question's ``target``: it parses
each function object's ``expr`` (or its ``pieces``) with :mod:`diagram_engine.expr` and
measures with floating point alone, without solving anything symbolically.

How, in short:

* Every function is cut into *segments*: the whole domain for one expression, or each
  piece clipped to the domain (a piece's ``closed`` flags say whether its ends belong to it).
* A segment is sampled densely (about 4000 points over the domain, a prime count so that
  the grid does not land on "nice" numbers). Runs of defined samples are bounded by the
  segment's ends or by the last defined point before a gap (found by bisection); a bound
  where ``|f|`` keeps growing as it is approached is a pole.
* Discrete local extrema of the samples are refined by golden-section search and then by
  Newton steps on a fourth-order central difference of ``f'`` (unless the point is a kink,
  where golden section alone is exact). A refined "extremum" that blows up is a pole.
* Zeros: sign changes between consecutive samples (the refined extrema are merged in, so two
  zeros inside one sample step are found too) refined by bisection to adjacent floats, and
  rejected as poles when ``|f|`` grows instead of shrinking; touching zeros are refined
  extrema whose value is zero to ``1e-11`` of the function's typical size.
* Roots of multiplicity three or more (and extrema where f'' vanishes too) are blurred by
  rounding when the expression is written expanded (in floats, x**3 - 6*x**2 + 12*x - 8 is
  rounding noise for |x - 2| < 3e-5); those are redone by bisection at 60 digits with
  mpmath, on the same expression.
* Derivatives are Ridders-extrapolated central differences, integrals adaptive
  Gauss-Legendre, limits at infinity values far out (``10`` ... ``1e16``) that must settle.

Everything is relative to the domain's width ``w`` and the function's typical size (the
median of ``|f|`` over the samples), so the same tolerances work for any units.

Conventions where a question could be read two ways:

* ``vertical-asymptotes`` lists poles in the closed domain, ends included (tan(pi*x/4) on
  [-6, 6] has poles at -6 and 6); a pole found at a gap's edge is the last defined point,
  within about 1e-16 * w of the true place.
* ``maximum``/``minimum``/``argmax``/``argmin`` need the extreme value to be attained (a
  supremum approached at an open end is an error); ``range``, ``amplitude`` and ``midline``
  use the infimum and supremum, attained or not.
* A piecewise function's breakpoint is a local extremum when f there is strictly above (or
  below) the values on both sides, jumps included.
* Intervals of monotonicity are reported as ``[a, b, a_in, b_in]``: an end belongs to the
  interval where f is defined there (a turning point, the domain's closed end, a gap's edge
  where f does not blow up) and not at a pole or an open end (3/(x - 1) + 1 decreases on
  [-6, 1) and (1, 6], two intervals, never one); a stretch where f is constant belongs to
  neither.
* ``domain`` is the set where f is defined, on the whole real line, as a list of intervals
  ``[lo, hi, lo_in, hi_in]`` (``None`` for an unbounded end, the flags say whether a finite end
  belongs to it). Inside the plotted domain it comes from the analysis: a pole is never in
  the domain; the edge of a gap is, unless f blows up there (log(x - 2) at 2: open; at a
  gap edge the bound is the last defined point, within about 1e-16 * w). Beyond the plotted
  domain, 10 widths on each side are analyzed the same way: f defined all through them with
  no pole counts as defined out to infinity, f undefined all through them as undefined;
  anything else (tan's poles repeating) is an error, as its domain is not a finite list of
  intervals this measure could see whole.

>>> scene = {"points": {}, "objects": [
...     {"type": "function", "name": "f", "expr": "x**2 - 4", "domain": [-6, 6], "pieces": None}]}
>>> check(scene, {"measure": "zeros", "of": "f"})
[-2.0, 2.0]
"""
from __future__ import annotations

import ast
import itertools
import math
from collections.abc import Callable

import mpmath

from ...errors import MeasureError
from ...expr import ExprError, parse

__all__ = ["MEASURES", "evaluate", "check"]

_F = [("of", "a function name")]
_AT = _F + [("at", "x")]
_ON = _F + [("on", "[a, b] (default: the function's domain)")]
MEASURES = {
    "zeros": ("the x where f is 0, in increasing order", _F),
    "value": ("f at a point", _AT),
    "y-intercept": ("f(0)", _F),
    "maximum": ("the largest value of f on an interval (attained)", _ON),
    "minimum": ("the smallest value of f on an interval (attained)", _ON),
    "argmax": ("where f takes its maximum on an interval", _ON),
    "argmin": ("where f takes its minimum on an interval", _ON),
    "local-maxima": ("the x of the local maxima", _F),
    "local-minima": ("the x of the local minima", _F),
    "derivative": ("f'(x) at a point", _AT),
    "tangent-line": ("[m, b] of the tangent y = mx + b at a point", _AT),
    "integral": ("the definite integral of f", _F + [("from", "a"), ("to", "b")]),
    "period": ("the least period of f", _F),
    "vertical-asymptotes": ("the x of the poles in the closed domain", _F),
    "horizontal-asymptote": ("the finite limit of f at -oo or +oo", _F),
    "increasing": ("the intervals [a, b, a_in, b_in] where f increases (flags: the end belongs to it)", _F),
    "decreasing": ("the intervals [a, b, a_in, b_in] where f decreases (flags: the end belongs to it)", _F),
    "intersections": ("the x where two functions meet", [("of", "[f, g]: two function names")]),
    "range": ("[inf, sup] of f on an interval", _ON),
    "amplitude": ("(sup - inf) / 2 over the domain", _F),
    "midline": ("(sup + inf) / 2 over the domain", _F),
    "symmetry": ("even, odd or neither", _F),
    "graph-match": ("which of several expressions is the plotted f (an index)", _F + [("choices", "expressions")]),
    "domain": ("where f is defined on the real line: [lo, hi, lo_in, hi_in] intervals", _F),
}

_NAN, _INF = math.nan, math.inf
_EPS = 2.220446049250313e-16
_SAMPLES = 4001                   # sample intervals over a whole domain (a prime)
_PHI = (math.sqrt(5.0) - 1.0) / 2.0

Fn = Callable[[float], float]


def _error(message: str) -> Exception:
    return MeasureError(message)


def _finite(v: float) -> bool:
    return -_INF < v < _INF


# --- expressions --------------------------------------------------------------------------------

def _compile(source, what: str) -> Fn:
    """The float function of an expression in ``x``: NaN wherever it is undefined or overflows.

    The function carries ``.mp``, the same expression evaluated with mpmath (or None), used
    only to pin down roots of multiplicity three or more, which floats cannot resolve.
    """
    try:
        e = parse(source, ["x"], degrees=False)
    except ExprError as err:
        raise _error(f"{what}: bad expression {source!r}: {err}") from None
    call = e._call          # Expr's float evaluator itself (Expr.__call__ only wraps it in float())
    env = {"x": 0.0}

    def g(x: float) -> float:
        env["x"] = x
        try:
            v = float(call(env))
        except (ArithmeticError, ValueError):          # ZeroDivisionError, OverflowError, domain
            return _NAN
        return v if -_INF < v < _INF else _NAN

    g.mp = _mp_compile(source)      # type: ignore[attr-defined]
    return g


def _mp_pow(a, b):
    if a < 0 and b != mpmath.floor(b):
        raise ValueError("negative base")
    if a == 0 and b < 0:
        raise ZeroDivisionError("0 ** negative")
    return mpmath.power(a, b)


def _mp_domain(ok: Callable, fn: Callable) -> Callable:
    def call(*args):
        if not ok(*args):
            raise ValueError("outside the domain")
        return fn(*args)
    return call


_MP_FUNCS: dict[str, Callable] = {
    "sqrt": _mp_domain(lambda a: a >= 0, mpmath.sqrt), "abs": mpmath.fabs, "exp": mpmath.exp,
    "log": _mp_domain(lambda a, b=2: a > 0 and b > 0 and b != 1, mpmath.log),
    "min": lambda *a: min(a), "max": lambda *a: max(a),
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan, "atan": mpmath.atan,
    "asin": _mp_domain(lambda a: -1 <= a <= 1, mpmath.asin), "acos": _mp_domain(lambda a: -1 <= a <= 1, mpmath.acos),
}
_MP_OPS: dict[type, Callable] = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                                 ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b, ast.Pow: _mp_pow}


def _mp_compile(source: str) -> Callable | None:
    """An mpmath evaluator of an expression that :func:`parse` accepted (None if it cannot)."""
    text = source.replace("\r", " ").replace("\n", " ").lstrip(" \t")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None

    def build(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            written = (ast.get_source_segment(text, node) or repr(node.value)).replace("_", "")
            return lambda x, v=written: mpmath.mpf(v)      # the decimal as written, not its float
        if isinstance(node, ast.Name):
            if node.id == "x":
                return lambda x: x
            if node.id in ("pi", "e"):
                return (lambda x: +mpmath.pi) if node.id == "pi" else (lambda x: +mpmath.e)
            raise ValueError(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            f = build(node.operand)
            return (lambda x: -f(x)) if isinstance(node.op, ast.USub) else f
        if isinstance(node, ast.BinOp) and type(node.op) in _MP_OPS:
            a, b, op = build(node.left), build(node.right), _MP_OPS[type(node.op)]
            return lambda x: op(a(x), b(x))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _MP_FUNCS:
            fn, args = _MP_FUNCS[node.func.id], [build(a) for a in node.args]
            return lambda x: fn(*[a(x) for a in args])
        raise ValueError(type(node).__name__)

    try:
        return build(tree.body)
    except ValueError:
        return None


def _mp_root(gm: Callable | None, lo: float, hi: float, derivative: bool) -> float | None:
    """Bisection at 60 digits on a sign change of gm (or of its derivative) in [lo, hi]."""
    if gm is None:
        return None
    with mpmath.workdps(60):
        hh = mpmath.mpf(10) ** -15 * (1 + abs(mpmath.mpf(lo)))

        def fn(t):
            try:
                v = (gm(t + hh) - gm(t - hh)) if derivative else gm(t)
            except (ArithmeticError, ValueError):
                return None
            return None if isinstance(v, mpmath.mpc) else v

        a, b = mpmath.mpf(lo), mpmath.mpf(hi)
        fa, fb = fn(a), fn(b)
        if fa is None or fb is None or fa * fb > 0:
            return None
        if fa == 0 or fb == 0:
            return float(a if fa == 0 else b)
        for _ in range(80):
            m = (a + b) / 2
            fm = fn(m)
            if fm is None:
                return None
            if fm == 0:
                return float(m)
            if (fm > 0) == (fa > 0):
                a, fa = m, fm
            else:
                b = m
            if b - a <= mpmath.mpf(10) ** -20 * (1 + abs(a)):
                break
        return float((a + b) / 2)


def _number(v, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _error(f"{what} must be a number, got {v!r}")
    x = float(v)
    if not _finite(x):
        raise _error(f"{what} must be finite, got {v!r}")
    return x


def _interval(v, what: str) -> tuple[float, float]:
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        raise _error(f"{what} must be [a, b], got {v!r}")
    a, b = _number(v[0], what), _number(v[1], what)
    if not a < b:
        raise _error(f"{what} must have a < b, got {v!r}")
    return a, b


# --- segments and their analysis ----------------------------------------------------------------

class _Seg:
    """One analytic stretch of a function: ``g`` on [lo, hi], each end belonging to it or not."""

    def __init__(self, g: Fn, lo: float, hi: float, closed_lo: bool, closed_hi: bool):
        self.g, self.lo, self.hi, self.closed_lo, self.closed_hi = g, lo, hi, closed_lo, closed_hi
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.step = 0.0
        self.zeros: list[float] = []
        self.poles: list[tuple[float, int, int]] = []     # (x, sign approaching from left, from right)
        self.extrema: list[tuple[float, float, int]] = [] # (x, value, +1 max / -1 min), strict, interior
        self.bounds: list[tuple[float, float, int]] = []  # (x, value, side) where g stops being defined
        self.plateaus: list[tuple[float, float, float]] = []   # (x0, x1, value) where g is constant
        self.runs: list[tuple[float, float]] = []         # defined stretches (ends are bounds or poles)
        self.zero_plateau = False

    def sample(self, n: int) -> None:
        lo, hi, g = self.lo, self.hi, self.g
        n = max(n, 1)
        self.step = (hi - lo) / n
        xs = [lo + (hi - lo) * i / n for i in range(n)] + [hi]
        self.xs, self.ys = xs, [g(x) for x in xs]


def _golden_max(h: Fn, a: float, b: float) -> float:
    """argmax of ``h`` on [a, b] by golden-section search (NaN counts as -inf)."""
    def hv(x):
        v = h(x)
        return v if v == v else -_INF
    c, d = b - _PHI * (b - a), a + _PHI * (b - a)
    hc, hd = hv(c), hv(d)
    stop = 4 * _EPS * max(abs(a), abs(b)) + 1e-300
    for _ in range(200):
        if b - a <= stop:
            break
        if hc >= hd:
            b, d, hd = d, c, hc
            c = b - _PHI * (b - a)
            hc = hv(c)
        else:
            a, c, hc = c, d, hd
            d = a + _PHI * (b - a)
            hd = hv(d)
    return c if hc >= hd else d


def _is_kink(g: Fn, x: float, h: float, noise: float) -> bool:
    """Whether ``g`` has a corner at ``x``: second differences shrink like h (not h**2)."""
    g0 = g(x)
    d1 = g(x + h) - 2 * g0 + g(x - h)
    d2 = g(x + h / 10) - 2 * g0 + g(x - h / 10)
    if not (_finite(d1) and _finite(d2)) or abs(d1) <= noise:
        return False
    return abs(d2) > 0.03 * abs(d1)


def _polish(g: Fn, x: float, h: float, s: int, noise: float) -> float:
    """Newton steps on f' (fourth-order central differences) from a golden-section extremum."""
    best = s * g(x)
    for _ in range(8):
        ym2, ym1, y0, yp1, yp2 = g(x - 2 * h), g(x - h), g(x), g(x + h), g(x + 2 * h)
        if not all(_finite(v) for v in (ym2, ym1, y0, yp1, yp2)):
            break
        d1 = (ym2 - 8 * ym1 + 8 * yp1 - yp2) / (12 * h)
        d2 = (yp1 - 2 * y0 + ym1) / (h * h)
        if not s * d2 < 0:
            break
        dx = -d1 / d2
        if not abs(dx) < h:
            break
        xn = x + dx
        v = s * g(xn)
        if not v >= best - noise:
            break
        x, best = xn, max(best, v)
        if abs(dx) <= 4 * _EPS * max(abs(x), h):
            break
    return x


def _blows_up(g: Fn, x0: float, side: int, w: float) -> int:
    """+1 or -1 (the sign of g) if |g| grows without bound approaching x0 from ``side``, else 0."""
    vals = []
    for k in range(3, 12):
        x = x0 + side * w * 10.0 ** -k
        if x == x0:
            break
        v = g(x)
        if v != v:
            return 0
        vals.append(v)
    if len(vals) < 6:
        return 0
    a = [abs(v) for v in vals]
    inc = [a[i + 1] - a[i] for i in range(len(a) - 1)]
    if not all(d > 0 for d in inc[-4:]):
        return 0
    # a limit is approached with shrinking steps; log- or power-like growth keeps its steps
    if not inc[-1] >= 0.5 * inc[-4]:
        return 0
    s = 1 if vals[-1] > 0 else -1
    if any((v > 0) != (s > 0) for v in vals[-4:]):
        return 0
    return s


def _edge(g: Fn, bad: float, good: float, w: float) -> float:
    """The defined point nearest the boundary between an undefined ``bad`` and a defined ``good``."""
    for _ in range(200):
        m = 0.5 * (bad + good)
        if m == bad or m == good or abs(good - bad) <= 1e-16 * w:
            break
        if g(m) == g(m):
            good = m
        else:
            bad = m
    return good


def _bisect(g: Fn, a: float, fa: float, b: float, fb: float, w: float):
    """Bisection on a sign change; returns (a, fa, b, fb) of the final bracket, or a hit."""
    stop = 1e-16 * w
    for _ in range(300):
        m = 0.5 * (a + b)
        if m <= a or m >= b or b - a <= max(2 * _EPS * max(abs(a), abs(b)), stop):
            break
        fm = g(m)
        if fm == 0:
            return m, 0.0, m, 0.0
        if fm != fm:
            return m, _NAN, m, _NAN
        if (fm > 0) == (fa > 0):
            a, fa = m, fm
        else:
            b, fb = m, fm
    return a, fa, b, fb


def _merge_close(xs: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if out and x - out[-1] <= tol:
            continue
        out.append(x)
    return out


def _analyze(seg: _Seg, scale: float, w: float) -> None:
    """Zeros, poles, strict interior extrema, bounds and plateaus of one sampled segment."""
    ys = seg.ys
    n = len(ys)
    h = max(0.1 * seg.step, 1e-9 * w)
    noise = 1e-13 * scale
    ztol = 1e-11 * scale
    zeros: list[tuple[float, int]] = []          # (x, how reliable: 2 exact or touching, 1 bisected, 0 bound)
    poles: list[tuple[float, int, int]] = []
    extrema: list[tuple[float, float, int]] = []

    def add_pole(x, left, right):
        for i, (px, pl, pr) in enumerate(poles):
            if abs(px - x) <= 1e-7 * w:
                poles[i] = (px, pl or left, pr or right)
                return
        poles.append((x, left, right))

    i = 0
    while i < n:
        if ys[i] != ys[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and ys[j + 1] == ys[j + 1]:
            j += 1
        _analyze_run(seg, i, j, scale, w, h, noise, ztol, zeros, add_pole, extrema)
        i = j + 1

    # drop extrema that turned out to be poles, merge and sort
    px = [p[0] for p in poles]
    seg.extrema = sorted(e for e in extrema if all(abs(e[0] - p) > 1e-7 * w for p in px))
    seg.poles = sorted(poles)
    # one zero per cluster, the most reliable kind (exact or touching, then bisected, then a bound)
    zeros = sorted(z for z in zeros if all(abs(z[0] - p) > 1e-7 * w for p in px))
    clusters: list[list[tuple[float, int]]] = []
    for z in zeros:
        if clusters and z[0] - clusters[-1][-1][0] <= 1e-6 * w:
            clusters[-1].append(z)
        else:
            clusters.append([z])
    seg.zeros = [max(c, key=lambda z: z[1])[0] for c in clusters]
    seg.bounds.sort()
    seg.runs.sort()


def _end_zero(g: Fn, x: float, y: float, side: int, scale: float, w: float) -> bool:
    """Whether an end value is a zero: rounding-small, or small and a Newton step from a root."""
    if abs(y) <= 1e-14 * scale:
        return True
    if not abs(y) <= 1e-9 * scale:
        return False
    d = 1e-6 * w
    slope = (g(x + side * d) - y) / (side * d)
    return _finite(slope) and abs(y) <= 1e-10 * w * abs(slope)


def _plateau_edge(g: Fn, y: float, inside: float, outside: float, w: float) -> float:
    """Where g stops being exactly ``y`` between a point on a plateau and one off it."""
    for _ in range(200):
        m = 0.5 * (inside + outside)
        if m == inside or m == outside or abs(outside - inside) <= 1e-16 * w:
            break
        if g(m) == y:
            inside = m
        else:
            outside = m
    return inside


def _degenerate(g: Fn, x: float, y: float, w: float) -> tuple[float, float]:
    """An extremum where f'' vanishes too (x**4, an expanded (x - 2)**4): redo it at 60 digits."""
    hd = 1e-3 * w
    d1 = abs(g(x + hd) - y) + abs(g(x - hd) - y)
    d2 = abs(g(x + hd / 10) - y) + abs(g(x - hd / 10) - y)
    if not (d2 > 0 and d1 > 300 * d2):          # 100 for a parabola-like extremum, 10 at a corner
        return x, y
    xr = _mp_root(getattr(g, "mp", None), x - hd, x + hd, derivative=True)
    if xr is None or not abs(xr - x) < hd or not _finite(g(xr)):
        return x, y
    return xr, g(xr)


def _odd_multiple(g: Fn, x: float, w: float) -> float:
    """A sign-change root of multiplicity 3, 5, ... (rounding blurs it): redo it at 60 digits."""
    hd = 1e-3 * w
    r1 = abs(g(x + hd)) + abs(g(x - hd))
    r2 = abs(g(x + hd / 10)) + abs(g(x - hd / 10))
    if not (r2 > 0 and r1 > 300 * r2):          # 10 for a simple root, 1000 for a triple one
        return x
    xr = _mp_root(getattr(g, "mp", None), x - hd, x + hd, derivative=False)
    return xr if xr is not None and abs(xr - x) < hd else x


def _analyze_run(seg, i, j, scale, w, h, noise, ztol, zeros, add_pole, extrema) -> None:
    g, xs, ys = seg.g, seg.xs, seg.ys
    # the run's two bounds: a segment end, or the last defined point before a gap
    ends = []
    for k, nb, side in ((i, i - 1, 1), (j, j + 1, -1)):
        if nb < 0 or nb >= len(xs):
            xb, at_end = xs[k], True
        else:
            xb, at_end = _edge(g, xs[nb], xs[k], w), False
        s = _blows_up(g, xb, side, w)
        if s:
            add_pole(xb, s if side < 0 else 0, s if side > 0 else 0)
            ends.append((xb, True))
            continue
        yb = g(xb)
        if not at_end:
            seg.bounds.append((xb, yb, side))
            if abs(yb) <= 1e-6 * scale:         # e.g. sqrt(x - 1) at 1: infinitely steep
                zeros.append((xb, 0))
        elif _end_zero(g, xb, yb, side, scale, w):
            zeros.append((xb, 2))
        ends.append((xb, False))
    seg.runs.append((ends[0][0], ends[1][0]))
    if j == i:
        return

    # discrete extrema and plateaus, on groups of equal consecutive samples
    groups = []
    k = i
    while k <= j:
        m = k
        while m + 1 <= j and ys[m + 1] == ys[k]:
            m += 1
        groups.append((k, m))
        k = m + 1
    brackets = []
    for gi, (k0, k1) in enumerate(groups):
        y = ys[k0]
        if k1 - k0 >= 2:
            x0 = xs[k0] if k0 == i else _plateau_edge(g, y, xs[k0], xs[k0 - 1], w)
            x1 = xs[k1] if k1 == j else _plateau_edge(g, y, xs[k1], xs[k1 + 1], w)
            seg.plateaus.append((x0, x1, y))
            if y == 0:
                seg.zero_plateau = True
            continue
        if y == 0:
            zeros.extend((_odd_multiple(g, x, w), 2) for x in xs[k0:k1 + 1])
        if gi == 0 or gi == len(groups) - 1:
            continue
        yp, yn = ys[groups[gi - 1][1]], ys[groups[gi + 1][0]]
        if y > yp and y > yn:
            brackets.append((xs[k0 - 1], xs[k1 + 1], 1, max(abs(yp), abs(yn))))
        elif y < yp and y < yn:
            brackets.append((xs[k0 - 1], xs[k1 + 1], -1, max(abs(yp), abs(yn))))
    # an extremum hidden in the first or last sample interval, next to a run end that is no pole
    for (xb, pole), (ka, kb) in ((ends[0], (i, i + 1)), (ends[1], (j, j - 1))):
        if pole or xb != xs[ka]:
            continue
        d = 1e-3 * (xs[kb] - xs[ka])
        slope = (g(xs[ka] + d) - ys[ka]) / d
        secant = (ys[kb] - ys[ka]) / (xs[kb] - xs[ka])
        if _finite(slope) and slope * secant < 0 and abs(slope) > 1e-6 * abs(secant):
            s = 1 if (slope > 0) == (kb > ka) else -1
            lo, hi = min(xs[ka], xs[kb]), max(xs[ka], xs[kb])
            brackets.append((lo, hi, s, max(abs(ys[ka]), abs(ys[kb]))))

    found = []
    for lo, hi, s, near in brackets:
        x = _golden_max(lambda t, s=s: s * g(t), lo, hi)
        y = g(x)
        if y != y or abs(y) > 10 * near + noise:
            left, right = _blows_up(g, x, -1, w), _blows_up(g, x, 1, w)
            if left or right:
                add_pole(x, left, right)
                continue
        if not _is_kink(g, x, h, noise):
            x = _polish(g, x, h, s, noise)
            y = g(x)
            x, y = _degenerate(g, x, y, w)
        if not _finite(y) or not lo <= x <= hi or any(abs(x - e[0]) <= 1e-7 * w for e in found):
            continue
        found.append((x, y, s))
        if abs(y) <= ztol:
            zeros.append((x, 2))
    lo_run, hi_run = ends[0][0], ends[1][0]
    extrema.extend(e for e in found if lo_run < e[0] < hi_run)

    # sign changes between consecutive samples and refined extrema
    # (a touching zero counts as exactly 0 here, so rounding noise around it makes no sign change)
    pts = sorted([(xs[k], ys[k]) for k in range(i, j + 1)]
                 + [(x, 0.0 if abs(y) <= ztol else y) for x, y, _ in found])
    for (xa, ya), (xb, yb) in itertools.pairwise(pts):
        if not (ya < 0 < yb or yb < 0 < ya):
            continue
        a, fa, b, fb = _bisect(g, xa, ya, xb, yb, w)
        if fa == 0 and fb == 0:
            zeros.append((_odd_multiple(g, a, w), 2))
            continue
        x = 0.5 * (a + b)
        m = min(abs(fa), abs(fb)) if fa == fa else _INF
        if m <= min(abs(ya), abs(yb)) or m <= 1e-12 * scale:
            if not (_blows_up(g, x, -1, w) or _blows_up(g, x, 1, w)):
                zeros.append((_odd_multiple(g, a if abs(fa) <= abs(fb) else b, w), 1))
                continue
        left, right = _blows_up(g, x, -1, w), _blows_up(g, x, 1, w)
        if left or right:
            add_pole(x, left, right)
        # otherwise a jump (e.g. x/abs(x)): neither a zero nor a pole


def _median(vals: list[float]) -> float:
    if not vals:
        return 0.0
    vals = sorted(vals)
    k = len(vals) // 2
    return vals[k] if len(vals) % 2 else 0.5 * (vals[k - 1] + vals[k])


# --- functions ----------------------------------------------------------------------------------

class _Func:
    """A function object of the scene: its pieces, its value and (lazily) its analysis."""

    def __init__(self, name: str, pieces: list[_Seg], domain: tuple[float, float], ends: tuple[Fn, Fn]):
        self.name, self.pieces, self.domain = name, pieces, domain
        self.outer = ends                  # expressions that continue to -inf / +inf
        a, b = domain
        self.w = b - a
        self.segs = []
        for p in pieces:
            lo, hi = max(p.lo, a), min(p.hi, b)
            if lo > hi or (lo == hi and not (p.closed_lo if lo == p.lo else True)):
                continue
            self.segs.append(_Seg(p.g, lo, hi, p.closed_lo if lo == p.lo else True,
                                  p.closed_hi if hi == p.hi else True))
        if not self.segs:
            raise _error(f"{name}: no piece lies in the domain {list(domain)}")
        self._analyzed = False
        self.scale = 1.0

    def __call__(self, x: float) -> float:
        for p in self.pieces:
            if (p.lo < x < p.hi or (x == p.lo and p.closed_lo) or (x == p.hi and p.closed_hi)
                    or (p.lo == x == p.hi)):
                return p.g(x)
        return _NAN

    def analysis(self) -> _Func:
        if not self._analyzed:
            for s in self.segs:
                s.sample(max(64, math.ceil(_SAMPLES * (s.hi - s.lo) / self.w)) if s.hi > s.lo else 0)
            vals = [abs(y) for s in self.segs for y in s.ys if y == y]
            if not vals:
                raise _error(f"{self.name}: not defined anywhere on its domain")
            vals.sort()
            self.scale = max(_median(vals), 1e-3 * vals[int(0.9 * (len(vals) - 1))], 1e-300)
            for s in self.segs:
                if s.hi > s.lo:
                    _analyze(s, self.scale, self.w)
                else:
                    y = s.g(s.lo)
                    if y == y:
                        s.bounds.append((s.lo, y, 0))
                        if abs(y) <= 1e-11 * self.scale:
                            s.zeros.append(s.lo)
            self._analyzed = True
        return self

    # pieces meeting at an interior breakpoint
    def joints(self):
        for s1, s2 in zip(self.segs, self.segs[1:]):
            if s1.hi == s2.lo:
                yield s1, s2, s1.hi


def _function(scene: dict, name) -> _Func:
    if not isinstance(name, str):
        raise _error(f"a function name must be a string, got {name!r}")
    objs = scene.get("objects") if isinstance(scene, dict) else None
    if not isinstance(objs, list):
        raise _error("scene has no list of objects")
    found = [o for o in objs if isinstance(o, dict) and o.get("name") == name]
    if not found:
        known = sorted(str(o.get("name")) for o in objs if isinstance(o, dict) and o.get("type") == "function")
        raise _error(f"no function named {name!r} in the scene (functions: {', '.join(known) or 'none'})")
    if len(found) > 1:
        raise _error(f"two objects are named {name!r}")
    o = found[0]
    if o.get("type") != "function":
        raise _error(f"{name!r} is a {o.get('type')!r}, not a function")
    domain = _interval(o.get("domain"), f"{name}: domain")
    expr, pieces = o.get("expr"), o.get("pieces")
    if (expr is None) == (pieces is None):
        raise _error(f"{name}: give exactly one of expr and pieces")
    if expr is not None:
        g = _compile(expr, name)
        return _Func(name, [_Seg(g, -_INF, _INF, True, True)], domain, (g, g))
    if not isinstance(pieces, list) or not pieces:
        raise _error(f"{name}: pieces must be a non-empty list")
    segs = []
    for k, p in enumerate(pieces):
        what = f"{name}: piece {k + 1}"
        if not isinstance(p, dict):
            raise _error(f"{what} must be a mapping")
        lo, hi = _number(p.get("from"), f"{what}: from"), _number(p.get("to"), f"{what}: to")
        closed = p.get("closed", [True, True])
        if (not isinstance(closed, (list, tuple)) or len(closed) != 2
                or not all(isinstance(c, bool) for c in closed)):
            raise _error(f"{what}: closed must be [bool, bool], got {closed!r}")
        if not (lo < hi or (lo == hi and all(closed))):
            raise _error(f"{what}: from {lo} is not before to {hi}")
        segs.append(_Seg(_compile(p.get("expr"), what), lo, hi, closed[0], closed[1]))
    for k, (s1, s2) in enumerate(itertools.pairwise(segs)):
        if s2.lo < s1.hi:
            raise _error(f"{name}: pieces {k + 1} and {k + 2} overlap or are out of order")
        if s2.lo == s1.hi and s1.closed_hi and s2.closed_lo:
            v1, v2 = s1.g(s1.hi), s2.g(s2.lo)
            if not abs(v1 - v2) <= 1e-9 * max(1.0, abs(v1), abs(v2)):
                raise _error(f"{name}: pieces {k + 1} and {k + 2} both contain x = {s1.hi} "
                             f"with different values ({v1} and {v2})")
    return _Func(name, segs, domain, (segs[0].g, segs[-1].g))


def evaluate(scene: dict, name: str) -> Fn:
    """The float function of the scene's function object ``name`` (piecewise-aware).

    It returns NaN where the function is undefined (outside every piece, at a pole, outside
    log's domain, on overflow). A one-expression function is evaluated anywhere, also outside
    its plotted domain.
    """
    return _function(scene, name)


# --- building blocks of the measures ------------------------------------------------------------

def _zeros(F: _Func) -> list[float]:
    F.analysis()
    out = []
    for s in F.segs:
        if s.zero_plateau:
            raise _error(f"{F.name} is zero on a whole interval: its zeros are not a finite list")
        for z in s.zeros:
            if (abs(z - s.lo) <= 1e-12 * F.w and not s.closed_lo
                    or abs(z - s.hi) <= 1e-12 * F.w and not s.closed_hi):
                continue                # an open end: the point is not in this piece
            out.append(z)
    return _merge_close(out, 1e-8 * F.w)


def _poles(F: _Func) -> list[tuple[float, int, int]]:
    F.analysis()
    out: list[tuple[float, int, int]] = []
    for s in F.segs:
        for p in s.poles:
            if out and abs(p[0] - out[-1][0]) <= 1e-7 * F.w:
                x, l1, r1 = out[-1]
                out[-1] = (x, l1 or p[1], r1 or p[2])
            else:
                out.append(p)
    return out


def _pole_at(s: _Seg, x: float, w: float) -> bool:
    return any(abs(p[0] - x) <= 1e-7 * w for p in s.poles)


def _candidates(F: _Func, p: float, q: float):
    """Values that can be extreme on [p, q]: (value, x, attained), and unbounded (above, below)."""
    F.analysis()
    cands: list[tuple[float, float, bool]] = []
    up = down = False
    any_segment = False
    for s in F.segs:
        lo, hi = max(s.lo, p), min(s.hi, q)
        if lo > hi:
            continue
        clo = s.closed_lo if lo == s.lo else True
        chi = s.closed_hi if hi == s.hi else True
        if lo == hi:
            if clo and chi and not _pole_at(s, lo, F.w):
                v = s.g(lo)
                if v == v:
                    cands.append((v, lo, True))
                    any_segment = True
            continue
        any_segment = True
        ptol = 1e-9 * F.w
        for x, left, right in s.poles:
            if not lo - ptol <= x <= hi + ptol:
                continue
            signs = ([left] if x > lo + ptol else []) + ([right] if x < hi - ptol else [])
            up = up or 1 in signs
            down = down or -1 in signs
        for x, closed in ((lo, clo), (hi, chi)):
            if _pole_at(s, x, F.w):
                continue
            v = s.g(x)
            if v == v:
                cands.append((v, x, closed))
        for x, y, _ in s.extrema:
            if lo < x < hi:
                cands.append((y, x, True))
        for x, y, _ in s.bounds:
            if lo < x < hi:
                cands.append((y, x, True))
        for x0, x1, y in s.plateaus:
            a, b = max(x0, lo), min(x1, hi)
            if a <= b:
                cands.append((y, a, True))
                cands.append((y, b, True))
    if not any_segment:
        raise _error(f"{F.name} is not defined on {[p, q]}")
    return cands, up, down


def _extreme(F: _Func, on, sign: int, *, attained: bool = True, where: bool = False):
    """max (sign=+1) or min (-1) of F over ``on``: its value, or its place with ``where``."""
    p, q = on
    cands, up, down = _candidates(F, p, q)
    word = "maximum" if sign > 0 else "minimum"
    if (up if sign > 0 else down):
        raise _error(f"{F.name} has no {word} on {[p, q]}: it is unbounded (a vertical asymptote)")
    if not cands:
        raise _error(f"{F.name}: nothing to measure on {[p, q]}")
    best = max(sign * v for v, _, _ in cands)
    tol = 1e-9 * max(abs(best), F.scale)
    hits = [(x, ok) for v, x, ok in cands if sign * v >= best - tol]
    reached = [x for x, ok in hits if ok]
    if attained and not reached:
        raise _error(f"the {word} of {F.name} on {[p, q]} is approached at x = {hits[0][0]} but not attained")
    if not where:
        return sign * best
    places = _merge_close(reached, 1e-7 * F.w)
    if len(places) > 1:
        raise _error(f"the {word} of {F.name} on {[p, q]} is attained at several places: {places}")
    return places[0]


def _side(g: Fn, c: float, side: int, fc: float, w: float, margin: float) -> int:
    """+1 if f(c) is above g just to ``side`` of c, -1 if below, 0 if undecided."""
    lim = g(c)
    if _finite(lim) and abs(fc - lim) > 1e3 * margin + 1e-12 * abs(fc):      # a jump
        return 1 if fc > lim else -1
    for k in (7, 6, 5, 4, 3):
        v = g(c + side * w * 10.0 ** -k)
        if _finite(v) and abs(fc - v) > margin:
            return 1 if fc > v else -1
    return 0


def _local(F: _Func, sign: int) -> list[float]:
    F.analysis()
    out = []
    a, b = F.domain
    for s in F.segs:
        out += [x for x, _, k in s.extrema if k == sign and a < x < b]
    margin = 1e-13 * F.scale
    for s1, s2, c in F.joints():
        if not a < c < b or _pole_at(s1, c, F.w) or _pole_at(s2, c, F.w):
            continue
        fc = s1.g(c) if s1.closed_hi else s2.g(c) if s2.closed_lo else _NAN
        if not _finite(fc):
            continue
        sides = [_side(s1.g, c, -1, fc, F.w, margin), _side(s2.g, c, 1, fc, F.w, margin)]
        if sides == [sign, sign]:
            out.append(c)
    return _merge_close(out, 1e-8 * F.w)


def _monotone(F: _Func) -> list[list]:
    """[u, v, direction] for each maximal stretch where F is strictly monotonic (+1 or -1)."""
    F.analysis()
    w = F.w
    tol = 1e-12 * F.scale
    per_seg = []
    for s in F.segs:
        pieces = []
        if s.hi <= s.lo:
            per_seg.append(pieces)
            continue
        for r0, r1 in s.runs:
            cuts = [(r0, "end")]
            cuts += [(x, "pole") for x, _, _ in s.poles if r0 + 1e-9 * w < x < r1 - 1e-9 * w]
            cuts += [(x, "ext") for x, _, _ in s.extrema if r0 < x < r1]
            for x0, x1, _ in s.plateaus:
                cuts += [(x, "flat") for x in (x0, x1) if r0 < x < r1]
            cuts.append((r1, "end"))
            cuts.sort()
            for (u, ku), (v, kv) in itertools.pairwise(cuts):
                if v - u <= 1e-9 * w:
                    continue
                vals = []
                if ku != "pole" and not _pole_at(s, u, w):
                    vals.append(s.g(u))
                vals += [y for x, y in zip(s.xs, s.ys) if u < x < v and y == y
                         and not any(abs(x - p) < 2 * s.step for p, _, _ in s.poles)]
                if kv != "pole" and not _pole_at(s, v, w):
                    vals.append(s.g(v))
                vals = [y for y in vals if y == y]
                if len(vals) < 2:
                    vals = [s.g(u + (v - u) * t) for t in (0.25, 0.5, 0.75)]
                    vals = [y for y in vals if y == y]
                if len(vals) < 2:
                    continue
                diff = vals[-1] - vals[0]
                if abs(diff) <= tol:
                    continue
                pieces.append([u, v, 1 if diff > 0 else -1])
        per_seg.append(pieces)
    # join stretches across breakpoints where the function keeps going the same way
    out: list[list] = []
    prev_seg = None
    for s, pieces in zip(F.segs, per_seg):
        for k, piece in enumerate(pieces):
            if (k == 0 and out and prev_seg is not None and prev_seg.hi == s.lo == piece[0]
                    and out[-1][1] == s.lo and out[-1][2] == piece[2]
                    and not _pole_at(prev_seg, s.lo, w) and not _pole_at(s, s.lo, w)):
                c = s.lo
                left, right = prev_seg.g(c), s.g(c)
                fc = left if prev_seg.closed_hi else right if s.closed_lo else None
                d = piece[2]
                chain = [left] + ([fc] if fc is not None else []) + [right]
                if all(_finite(v) for v in chain) and all(d * (b - a) >= -1e-9 * F.scale
                                                          for a, b in itertools.pairwise(chain)):
                    out[-1][1] = piece[1]
                    continue
            out.append(list(piece))
        if pieces or s.hi > s.lo:
            prev_seg = s
    return out


def _belongs(F: _Func, x: float, inward: int) -> bool:
    """Whether the end ``x`` of a stretch of monotony that lies to the ``inward`` side of it
    (+1: right) belongs to the stretch: f is defined at x, x is no pole (a gap's edge is its
    last defined point, so it belongs unless f blows up there: log(x + 2) at -2 does not), and
    f(x) continues the stretch (a piecewise function that jumps at x gives f(x) to the other
    side)."""
    if any(_pole_at(s, x, F.w) for s in F.segs):
        return False
    y = F(x)
    if not (y == y and abs(y) < _INF):
        return False
    tol = 1e-9 * F.w
    for s in F.segs:
        if s.lo - tol <= x <= s.hi + tol and (s.hi > x + tol if inward > 0 else s.lo < x - tol):
            lim = s.g(x)
            return lim == lim and abs(lim - y) <= 1e-9 * (F.scale + abs(y))
    return False


def _ridders(g: Fn, x: float, h: float) -> tuple[float, float]:
    """Ridders' extrapolation of central differences: (derivative, error estimate)."""
    con, con2 = 1.4, 1.96
    ntab = 10
    a = [[0.0] * ntab for _ in range(ntab)]
    fp, fm = g(x + h), g(x - h)
    if fp != fp or fm != fm:
        return _NAN, _INF
    a[0][0] = (fp - fm) / (2 * h)
    best, err = a[0][0], _INF
    hh = h
    for i in range(1, ntab):
        hh /= con
        fp, fm = g(x + hh), g(x - hh)
        if fp != fp or fm != fm:
            break
        a[0][i] = (fp - fm) / (2 * hh)
        fac = con2
        for j in range(1, i + 1):
            a[j][i] = (a[j - 1][i] * fac - a[j - 1][i - 1]) / (fac - 1)
            fac *= con2
            errt = max(abs(a[j][i] - a[j - 1][i]), abs(a[j][i] - a[j - 1][i - 1]))
            if errt <= err:
                err, best = errt, a[j][i]
        if abs(a[i][i] - a[i - 1][i - 1]) >= 2 * err:
            break
    return best, err


def _deriv(g: Fn, x: float, h0: float, slope_scale: float) -> float:
    """f'(x) by Ridders' method, repeated with smaller steps until two runs agree."""
    results = []
    h = h0
    for _ in range(8):
        d, err = _ridders(g, x, h)
        if _finite(d):
            results.append((err, d))
            if len(results) >= 2 and abs(results[-1][1] - results[-2][1]) <= 1e-9 * (abs(d) + slope_scale):
                return min(results[-2:])[1]
        h /= 8
    if not results:
        raise _error(f"cannot differentiate at x = {x}: the function is not defined around it")
    return min(results)[1]


def _derivative(F: _Func, x0: float) -> float:
    slope_scale = 1e-3 * max(abs(F(x0)) if _finite(F(x0)) else 0.0, 1.0) / F.w
    h0 = 0.01 * F.w
    noise = 1e-12 * max(abs(F(x0)) if _finite(F(x0)) else 1.0, 1.0)
    for p in F.pieces:
        if p.lo < x0 < p.hi:
            g = p.g
            if g(x0) != g(x0):
                raise _error(f"{F.name} is not defined at x = {x0}")
            hmax = min(h0, 0.5 * (x0 - p.lo), 0.5 * (p.hi - x0))
            if _is_kink(g, x0, min(hmax, 1e-4 * F.w), noise):
                raise _error(f"{F.name} has a corner at x = {x0}: no derivative")
            return _deriv(g, x0, hmax, slope_scale)
    # a breakpoint: both pieces must join smoothly there
    left = [p for p in F.pieces if p.hi == x0]
    right = [p for p in F.pieces if p.lo == x0]
    if not left or not right:
        raise _error(f"{F.name} is not defined around x = {x0}")
    pl, pr = left[0], right[0]
    fc = F(x0)
    vl, vr = pl.g(x0), pr.g(x0)
    if not all(_finite(v) for v in (fc, vl, vr)) or not (abs(vl - fc) <= 1e-9 * max(1, abs(fc))
                                                        and abs(vr - fc) <= 1e-9 * max(1, abs(fc))):
        raise _error(f"{F.name} is not continuous at x = {x0}: no derivative")
    hl = min(h0, 0.5 * (x0 - pl.lo))
    hr = min(h0, 0.5 * (pr.hi - x0))
    dl, dr = _deriv(pl.g, x0, hl, slope_scale), _deriv(pr.g, x0, hr, slope_scale)
    if abs(dl - dr) > 1e-7 * max(1.0, abs(dl), abs(dr)):
        raise _error(f"{F.name} has a corner at x = {x0} (slopes {dl} and {dr}): no derivative")
    return 0.5 * (dl + dr)


_GL_NODES = None


def _gauss() -> tuple[list[float], list[float]]:
    global _GL_NODES
    if _GL_NODES is None:
        from numpy.polynomial.legendre import leggauss
        x, wts = leggauss(10)
        _GL_NODES = ([float(v) for v in x], [float(v) for v in wts])
    return _GL_NODES


def _quad(g: Fn, a: float, b: float, tol: float, what: str) -> float:
    """Adaptive Gauss-Legendre (10 points, halving) of g over [a, b]."""
    nodes, weights = _gauss()

    def gl(lo, hi):
        c, r = 0.5 * (lo + hi), 0.5 * (hi - lo)
        s = 0.0
        for t, wt in zip(nodes, weights):
            v = g(c + r * t)
            if v != v:
                raise _error(f"{what}: not defined at x = {c + r * t}")
            s += wt * v
        return s * r

    total = 0.0
    width = b - a
    stack = [(a, b, gl(a, b), 0)]
    evals = 0
    while stack:
        lo, hi, whole, depth = stack.pop()
        m = 0.5 * (lo + hi)
        left, right = gl(lo, m), gl(m, hi)
        evals += 20
        if abs(left + right - whole) <= max(tol * (hi - lo) / width, 1e-15 * abs(left + right)) \
                or depth >= 60 or evals > 100000:
            total += left + right
        else:
            stack.append((lo, m, left, depth + 1))
            stack.append((m, hi, right, depth + 1))
    return total


def _integral(F: _Func, a: float, b: float) -> float:
    if a == b:
        return 0.0
    if a > b:
        return -_integral(F, b, a)
    for x, left, right in _poles(F):
        if a - 1e-9 * F.w <= x <= b + 1e-9 * F.w:
            raise _error(f"the integral of {F.name} from {a} to {b} is improper: a pole at x = {x}")
    lo_d, hi_d = F.domain
    if a < lo_d - 1e-12 * F.w or b > hi_d + 1e-12 * F.w:
        raise _error(f"the integral of {F.name} from {a} to {b} leaves its domain {[lo_d, hi_d]}")
    total = 0.0
    tol = 1e-13 * F.scale * (b - a)
    covered = a
    for p in F.pieces:
        lo, hi = max(p.lo, a), min(p.hi, b)
        if lo >= hi:
            continue
        if lo > covered + 1e-12 * F.w:
            raise _error(f"{F.name} is not defined on ({covered}, {lo})")
        total += _quad(p.g, lo, hi, tol, f"integral of {F.name}")
        covered = hi
    if covered < b - 1e-12 * F.w:
        raise _error(f"{F.name} is not defined on ({covered}, {b})")
    return total


def _limit(g: Fn, side: int) -> float | None:
    """The limit of g at +inf or -inf (``side``) if its values far out settle, else None.

    Values at x = 10, 10**1.5, ..., 10**16; the last stretch of defined ones must settle
    (steps that shrink to nothing): 1/(x - 2) + 3 does, log(x), x**2 and sin(x) do not. A
    stretch cut short by overflow (5/(1 + exp(-x)) at x = -1000) still counts.
    """
    vs = [g(side * 10.0 ** (k / 2)) for k in range(2, 33)]
    tail: list[float] = []
    for v in vs:
        if _finite(v):
            tail.append(v)
        elif tail and len(tail) >= 4:
            break
        else:
            tail = []
    if len(tail) < 4:
        return None
    d = [abs(b - a) for a, b in itertools.pairwise(tail)]
    size = max(1.0, abs(tail[-1]))
    if d[-1] <= 1e-9 * size and d[-2] <= 1e-6 * size and d[-1] <= max(d[-3], 1e-15 * size):
        return tail[-1]
    return None


def _level_periods(F: _Func) -> list[float]:
    """Period candidates that need only one period in view: from a point x0 to the next
    places where f crosses the level f(x0) in the same direction."""
    pts = sorted((x, y) for s in F.segs for x, y in zip(s.xs, s.ys) if y == y)
    n = len(pts)
    out = []
    for k0 in (n // 40, n // 9, n // 4):
        if not 0 < k0 < n - 1:
            continue
        (xp, yp), (x0, c), (xn, yn) = pts[k0 - 1], pts[k0], pts[k0 + 1]
        rising = yn > yp
        if yn == yp or abs(c) > 30 * F.scale or (yn - c) * (c - yp) <= 0:
            continue          # flat, near a pole, or at an extremum: no clean crossing here
        found = 0
        for (xa, ya), (xb, yb) in itertools.pairwise(pts[k0 + 1:]):
            if not ((ya < c <= yb) if rising else (ya > c >= yb)) or xb - xa > 4 * (xn - xp):
                continue
            lo, hi = xa, xb             # f - c changes sign in [lo, hi]
            for _ in range(100):
                m = 0.5 * (lo + hi)
                if m <= lo or m >= hi:
                    break
                v = F(m)
                if v != v:
                    break
                if (v < c) == rising:
                    lo = m
                else:
                    hi = m
            out.append(0.5 * (lo + hi) - x0)
            found += 1
            if found >= 4:
                break
    return out


def _period(F: _Func) -> float:
    F.analysis()
    a, b = F.domain
    w = F.w
    # like features of the graph: maxima, minima, poles, upward and downward zeros
    kinds: list[list[float]] = [[], [], [], [], []]
    for s in F.segs:
        kinds[0] += [x for x, _, k in s.extrema if k == 1]
        kinds[1] += [x for x, _, k in s.extrema if k == -1]
        kinds[2] += [p[0] for p in s.poles]
        for z in s.zeros:
            kinds[3 if s.g(z - 1e-6 * w) < s.g(z + 1e-6 * w) else 4].append(z)
    cands = _level_periods(F)
    for f in kinds:
        f = sorted(f)
        for i in range(len(f)):
            for j in range(i + 1, min(len(f), i + 5)):
                T = f[j] - f[i]
                if T > 1e-6 * w and b - a - T >= 0.2 * T:
                    cands.append(T)
    if not cands:
        if all(not s.extrema and not s.zeros and not s.poles for s in F.segs):
            raise _error(f"{F.name} shows no repeating feature on its domain: no period")
        raise _error(f"{F.name}: no period can be verified on its domain")
    cands.sort()
    big = 30 * F.scale

    def periodic(T: float, m: int) -> bool:
        span = b - a - T
        good = 0
        for k in range(m):
            x = a + span * ((k + 0.5 + 0.1 * _PHI) / m)
            y0, y1 = F(x), F(x + T)
            if (y0 != y0) != (y1 != y1):
                return False
            if y0 != y0 or abs(y0) > big or abs(y1) > big:
                continue
            if abs(y1 - y0) > 1e-7 * (F.scale + abs(y0)):
                return False
            good += 1
        return good >= m // 3

    tried = []
    for T in cands:
        if any(abs(T - t) <= 1e-7 * w for t in tried):
            continue
        tried.append(T)
        if periodic(T, 24) and periodic(T, 400):
            # the most precise estimate: the mean of all candidate distances that agree
            close = [t for t in cands if abs(t - T) <= 1e-7 * w]
            return sum(close) / len(close)
    raise _error(f"{F.name} is not periodic on its domain")


def _symmetry_on(F: _Func, xs, big: float):
    """(even, odd, compared) over the points ``xs`` > 0: whether f(-x) = f(x), f(-x) = -f(x)
    at every point where both are defined and below ``big``, and at how many; None when f is
    defined at one of x and -x but not the other (neither, whatever the rest)."""
    even = odd = True
    good = 0
    for x in xs:
        y1, y2 = F(x), F(-x)
        if (y1 != y1) != (y2 != y2):
            return None
        if y1 != y1 or abs(y1) > big or abs(y2) > big:
            continue
        good += 1
        tol = 1e-9 * (F.scale + abs(y1) + abs(y2))
        even = even and abs(y1 - y2) <= tol
        odd = odd and abs(y1 + y2) <= tol
    return even, odd, good


def _symmetry(F: _Func) -> str:
    """even, odd or neither, as the graph over the plotted domain shows it. The domain must be
    symmetric about 0; and when f is one expression, defined beyond the domain too, what the
    graph shows must hold beyond it (-|x + 2| + 2 is -x on [-2, 2], odd there, and neither
    on the whole line: the graph cannot tell, so that is an error, not a verdict)."""
    a, b = F.domain
    if not a < 0 < b:
        raise _error(f"{F.name}: the domain {[a, b]} does not contain both signs of x")
    if abs(a + b) > 1e-12 * (b - a):
        # f on part of its domain could look odd (or even) and be neither on the rest
        raise _error(f"{F.name}: the domain {[a, b]} is not symmetric about 0, so the graph cannot show "
                     "whether f is even or odd")
    c = min(-a, b)
    F.analysis()
    m = 400
    # the ends themselves too: a piece's end is where a window-only symmetry would break first
    inside = [c * (k + 0.5 + 0.1 * _PHI) / m for k in range(m)] + [c]
    got = _symmetry_on(F, inside, 1e4 * F.scale)
    if got is None:
        return "neither"
    even, odd, good = got
    if good < 20:
        raise _error(f"{F.name}: too few points where f(x) and f(-x) are both defined")
    if even and odd:
        raise _error(f"{F.name} is both even and odd (zero on the symmetric part of its domain)")
    if not (even or odd):
        return "neither"
    word = "even" if even else "odd"
    if len(F.pieces) == 1 and F.pieces[0].lo == -_INF and F.pieces[0].hi == _INF:
        beyond = [c * (1 + 3 * (k + 0.5 + 0.1 * _PHI) / m) for k in range(m)]
        out = _symmetry_on(F, beyond, _INF)
        if out is None or (out[2] and not (out[0] if even else out[1])):
            raise _error(f"{F.name} is {word} on the plotted domain {[a, b]} but not beyond it: the graph "
                         "cannot show its symmetry")
    return word


def _runs(F: _Func, s: _Seg) -> list[list]:
    """The defined stretches of one analyzed segment as [lo, hi, lo_in, hi_in], split at poles."""
    tol = 1e-7 * F.w
    out = []
    for u, v in s.runs:
        cuts = [u] + [p for p, _, _ in s.poles if u + tol < p < v - tol] + [v]
        for k, (lo, hi) in enumerate(itertools.pairwise(cuts)):
            ends = []
            for x, first, at_seg, closed in ((lo, k == 0, s.lo, s.closed_lo), (hi, k == len(cuts) - 2, s.hi,
                                                                               s.closed_hi)):
                if first and x == at_seg:
                    ends.append(closed)           # the segment's own end
                else:                             # a pole is never in the domain; a gap's edge is
                    ends.append(first and not _pole_at(s, x, F.w))
            out.append([lo, hi, ends[0], ends[1]])
    return out


def _domain(F: _Func) -> list[list]:
    F.analysis()
    ivs = [iv for s in F.segs for iv in _runs(F, s)]
    a, b = F.domain
    far = 10 * F.w
    for side, edge in ((-1, a), (1, b)):
        lo, hi = (edge - far, edge) if side < 0 else (edge, edge + far)
        out = _Seg(F, lo, hi, True, True)
        out.sample(_SAMPLES)
        defined = [y == y for y in out.ys]
        if not any(defined[:-1] if side < 0 else defined[1:]):
            continue                              # undefined all the way out
        _analyze(out, F.scale, far)
        if not all(defined) or out.poles:
            raise _error(f"{F.name}: the domain has gaps or poles beyond the plotted domain "
                         f"{[a, b]}; its domain is not measured from this window")
        touching = [iv for iv in ivs if iv[0 if side < 0 else 1] == edge and iv[2 if side < 0 else 3]]
        if not touching:
            raise _error(f"{F.name} is defined beyond x = {edge} but not at it")
        iv = touching[0]
        iv[0 if side < 0 else 1], iv[2 if side < 0 else 3] = None, False
    # stretches that meet at a point of the domain are one interval
    merged: list[list] = []
    for iv in sorted(ivs, key=lambda v: -_INF if v[0] is None else v[0]):
        if merged and merged[-1][1] is not None and iv[0] == merged[-1][1] and (merged[-1][3] or iv[2]):
            merged[-1][1], merged[-1][3] = iv[1], iv[3]
        else:
            merged.append(iv)
    return merged


def _graph_match(F: _Func, choices) -> int:
    if not isinstance(choices, list) or not choices:
        raise _error("graph-match needs a non-empty list of choices")
    gs = [_compile(c, f"choice {i + 1}") for i, c in enumerate(choices)]
    F.analysis()
    a = F.domain[0]
    big = 1e6 * F.scale
    xs = []
    m = 401
    for k in range(m):
        x = a + F.w * (k + 1 - _PHI) / m
        y = F(x)
        if y == y and abs(y) <= big:
            xs.append((x, y))
    if len(xs) < 50:
        raise _error(f"{F.name} is defined at too few points of its domain to compare graphs")
    matches = []
    for i, g in enumerate(gs):
        if all(abs(g(x) - y) <= 1e-7 * (F.scale + abs(y)) for x, y in xs):   # NaN compares False
            matches.append(i)
    if len(matches) != 1:
        raise _error(f"{len(matches)} choices match {F.name} (need exactly one): {matches}")
    return matches[0]


def _minus(f: Fn, g: Fn) -> Fn:
    def d(x: float) -> float:
        return f(x) - g(x)
    fm, gm = getattr(f, "mp", None), getattr(g, "mp", None)
    d.mp = (lambda t: fm(t) - gm(t)) if fm and gm else None      # type: ignore[attr-defined]
    return d


def _difference(F: _Func, G: _Func) -> _Func:
    """F - G on the overlap of their domains, cut at the breakpoints of both."""
    a, b = max(F.domain[0], G.domain[0]), min(F.domain[1], G.domain[1])
    if not a < b:
        raise _error(f"the domains of {F.name} and {G.name} do not overlap")
    pieces = []
    for p in F.pieces:
        for q in G.pieces:
            lo, hi = max(p.lo, q.lo), min(p.hi, q.hi)
            if lo > hi:
                continue
            clo = (p.closed_lo or lo != p.lo) and (q.closed_lo or lo != q.lo)
            chi = (p.closed_hi or hi != p.hi) and (q.closed_hi or hi != q.hi)
            if lo == hi and not (clo and chi):
                continue
            diff = _minus(p.g, q.g)
            pieces.append(_Seg(diff, lo, hi, clo, chi))
    pieces.sort(key=lambda s: (s.lo, s.hi))
    if not pieces:
        raise _error(f"{F.name} and {G.name} are never defined at the same x")
    return _Func(f"{F.name} - {G.name}", pieces, (a, b), (pieces[0].g, pieces[-1].g))


# --- the measure --------------------------------------------------------------------------------

def _on(target: dict, F: _Func) -> tuple[float, float]:
    on = target.get("on")
    if on is None:
        return F.domain
    p, q = _interval(on, "on")
    a, b = F.domain
    if p < a - 1e-12 * F.w or q > b + 1e-12 * F.w:
        raise _error(f"on {[p, q]} leaves the domain {[a, b]} of {F.name}")
    return max(p, a), min(q, b)


def _one(scene: dict, target: dict) -> _Func:
    of = target.get("of")
    if isinstance(of, list):
        raise _error(f"measure {target.get('measure')!r} takes one function, got {of!r}")
    return _function(scene, of)


def check(scene: dict, target: dict):
    """Measure ``target`` about a function graph from ``scene`` alone.

    Returns a float, a list (of floats, or of [a, b] intervals), an int (graph-match) or a
    string (symmetry), depending on ``target["measure"]``, one of :data:`MEASURES`. Raises
    ``MeasureError`` for an unknown measure or name, an inconsistent scene, or a question
    with no single answer.
    """
    return _tidy(_measure(scene, target))


def _tidy(v):
    """-0.0 reads as 0.0 (x + 0.0 turns -0.0 into 0.0 and leaves everything else alone)."""
    if isinstance(v, float):
        return v + 0.0
    if isinstance(v, list):
        return [_tidy(u) for u in v]
    return v


def _measure(scene: dict, target: dict):
    if not isinstance(target, dict):
        raise _error(f"a target must be a mapping, got {target!r}")
    m = target.get("measure")
    if m not in MEASURES:
        raise _error(f"unknown function measure {m!r} (known: {', '.join(MEASURES)})")
    if m == "intersections":
        of = target.get("of")
        if not isinstance(of, list) or len(of) != 2:
            raise _error(f"intersections needs two function names, got {of!r}")
        F, G = _function(scene, of[0]), _function(scene, of[1])
        return _zeros(_difference(F, G))
    F = _one(scene, target)
    if m == "zeros":
        return _zeros(F)
    if m in ("value", "y-intercept"):
        x0 = 0.0 if m == "y-intercept" else _number(target.get("at"), "at")
        v = F(x0)
        if v != v:
            raise _error(f"{F.name} is not defined at x = {x0}")
        return v
    if m in ("maximum", "minimum", "argmax", "argmin"):
        sign = 1 if m in ("maximum", "argmax") else -1
        return _extreme(F, _on(target, F), sign, where=m.startswith("arg"))
    if m in ("range", "amplitude", "midline"):
        on = _on(target, F) if m == "range" else F.domain
        lo = _extreme(F, on, -1, attained=False)
        hi = _extreme(F, on, 1, attained=False)
        return [lo, hi] if m == "range" else (hi - lo) / 2 if m == "amplitude" else (hi + lo) / 2
    if m in ("local-maxima", "local-minima"):
        return _local(F, 1 if m == "local-maxima" else -1)
    if m in ("derivative", "tangent-line"):
        x0 = _number(target.get("at"), "at")
        d = _derivative(F, x0)
        if m == "derivative":
            return d
        y0 = F(x0)
        if y0 != y0:
            raise _error(f"{F.name} is not defined at x = {x0}")
        return [d, y0 - d * x0]
    if m == "integral":
        a, b = _number(target.get("from"), "from"), _number(target.get("to"), "to")
        F.analysis()
        return _integral(F, a, b)
    if m == "period":
        return _period(F)
    if m == "vertical-asymptotes":
        return [x for x, _, _ in _poles(F)]
    if m == "horizontal-asymptote":
        lo, hi = _limit(F.outer[0], -1), _limit(F.outer[1], 1)
        if lo is None and hi is None:
            raise _error(f"{F.name} has no horizontal asymptote (no finite limit at either side)")
        if lo is not None and hi is not None and abs(lo - hi) > 1e-7 * max(1.0, abs(lo), abs(hi)):
            raise _error(f"{F.name} has two horizontal asymptotes: y = {lo} and y = {hi}")
        limit = hi if hi is not None else lo
        # what is left of c/x at x = 1e16 is not a number the exact answer could have
        return 0.0 if abs(limit) <= 1e-12 * max(1.0, F.analysis().scale) else limit
    if m in ("increasing", "decreasing"):
        d = 1 if m == "increasing" else -1
        return [[u, v, _belongs(F, u, 1), _belongs(F, v, -1)] for u, v, k in _monotone(F) if k == d]
    if m == "symmetry":
        return _symmetry(F)
    if m == "graph-match":
        return _graph_match(F, target.get("choices"))
    if m == "domain":
        return _domain(F)
    raise _error(f"unknown function measure {m!r}")     # pragma: no cover (MEASURES is checked above)
