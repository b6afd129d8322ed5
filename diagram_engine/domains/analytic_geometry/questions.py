"""Questions on the coordinate plane: the values they draw, the exact answer, the figures, the steps.

A question kind (:class:`Kind`) works in three layers:

* ``sample(ctx)`` draws the question's values answer-first, cheaply (sympy integers and
  rationals): a :class:`Draw` maps each *unit* (a given: a point's coordinates, a line's or a
  circle's equation, a conic's shape, a conic's centre) to its value. Intersection points are
  chosen before the line through them, a circle's centre and radius come from a lattice
  offset so lattice points lie on it, a triangle is inscribed in a circle about a lattice
  centre.
* ``solve(draw)`` is the question's answer on *any* values of its units, by closed formulas
  (no equation is solved symbolically): it answers neighbouring problems and the changed
  problems that test image dependence, and must agree with the derivation.
* ``ask(ctx, draw)`` builds the figures, derives the answer again with the textbook steps
  (exact, checked against ``solve``) and words nothing: steps are ``(slot, variables)`` pairs,
  the wording lives in ``templates/analytic-geometry/``. Its target is one of the measures of
  the domain's check (``check.py``), which re-measures the answer from the scene alone.

Options and image dependence (``build.py``) use two more: ``neighbour(ctx, draw, group)``
draws the values of ``group`` (a tuple of units, or None for all) again from the
distribution the key's were drawn from, given the others, so the key and its neighbours'
answers are exchangeable; ``moves(ctx, draw, unit)`` lists changes of one unit (a moved
point, a shifted line, another shape), whose answers say whether the picture's value of
that unit matters.

``QUESTIONS[kind](ctx, rng)`` samples and asks in one call (an :class:`Ask` carrying its
``draw`` and ``spec``). A kind that cannot ask raises ``Rejected``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import sympy as sp

from ...core import Ask as CoreAsk
from ...errors import Rejected, VerificationError
from ...writing import coef, join, par, shift, t
from . import figures as F
from .figures import Fig, X, Y, canonical, integer_form, line_text, pt_text

__all__ = [
    "DIRECTIONS",
    "QUESTIONS",
    "Ask",
    "Ctx",
    "Draw",
    "Kind",
    "answer_key",
    "answer_text",
    "answer_value",
    "apart",
    "coords",
    "direction_word",
    "small_figure",
]

I, R = sp.Integer, sp.Rational
POINT_NAMES = "ABCDFGMNPRSTUVW"      # not E, H (conics), K, Q (circle centres), O (the origin)
DIRECTIONS = ("right", "upper right", "above", "upper left", "left", "lower left", "below", "lower right")


@dataclass
class Ask(CoreAsk):
    """A coordinate-plane question. ``answer`` is an exact number, (x, y), [(x, y)...], a line
    (a, b, c), [lines], a circle (h, k, r2) or a word; ``kind`` says which: number | point |
    points | line | lines | circle | word."""
    figs: list = field(kw_only=True)        # the figures the question is about (their texts are the givens)
    keep_apart: bool = field(default=False, kw_only=True)   # the figures must not overlap (position questions)
    draw: object = field(default=None, kw_only=True)        # the Draw the figures were built from
    spec: object = field(default=None, kw_only=True)        # the Kind that drew it


@dataclass
class Draw:
    """One question's drawn values: ``v`` unit -> value (and, under names starting with ``_``,
    drawn choices that are not givens, like a tangent instead of a secant); ``m`` what stays
    fixed between neighbours (names, forms, the kind of conic)."""
    v: dict
    m: dict

    def but(self, **changes) -> Draw:
        return Draw({**self.v, **changes}, self.m)

    def units(self) -> list[str]:
        return [u for u in self.v if not u.startswith("_")]


class Ctx:
    """The coordinate plane of one sample, as the question builders see it: the window, the
    point names still free, and helpers that draw from the sample's generator ``rng``."""

    def __init__(self, rng, window):
        self.rng = rng
        self.window = window                    # ((x0, x1), (y0, y1)), integers
        self.free = list(POINT_NAMES)

    def pick(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def names(self, n: int) -> list[str]:
        if len(self.free) < n:
            raise Rejected("names", "out of point names")
        out, self.free = self.free[:n], self.free[n:]
        return out

    def lattice(self, margin: int = 1, avoid=()) -> tuple:
        (x0, x1), (y0, y1) = self.window
        for _ in range(50):
            p = (I(int(self.rng.integers(x0 + margin, x1 - margin + 1))),
                 I(int(self.rng.integers(y0 + margin, y1 - margin + 1))))
            if p not in avoid:
                return p
        raise Rejected("window", "no free lattice point", "window")

    def inside(self, p, margin=0.5) -> bool:
        (x0, x1), (y0, y1) = self.window
        return x0 + margin <= p[0] <= x1 - margin and y0 + margin <= p[1] <= y1 - margin

    def sign(self) -> int:
        return 1 if self.rng.random() < 0.5 else -1

    def ints(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return int(self.rng.integers(lo, hi + 1))


def _neg(v) -> str:
    """A value as the second operand of + or -, or as a base of a power: -4 written (-4)."""
    return f"({t(v)})" if v < 0 else t(v)


def _par(v) -> str:
    """A value as a factor of a product: 3, (-2), (1/2), (2√5)."""
    s = t(v)
    return s if s.isdigit() else f"({s})"


def _times(m, v) -> str:
    """m·v written out with the numbers as printed: 2·(-3), (1/2)·4, -(-3) for m = -1, 4 for m = 1."""
    if m == 0:
        return "0"
    if m == 1:
        return _neg(v)
    if m == -1:
        return f"-{_par(v)}" if v != 0 else "0"
    return f"{_par(m)}·{_neg(v)}"


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _bare(s: str) -> str:
    s = s.replace(" ", "")
    while s.startswith("(") and s.endswith(")") and _balanced(s[1:-1]):
        s = s[1:-1]
    return s


def _terms(s: str) -> tuple:
    """The additive terms of a written expression, in any order: "√17 + 4√2" and "4√2 + √17"
    are one sum, "(0)" and "0" one number."""
    s = _bare(s)
    out, depth, cur = [], 0, ""
    for i, ch in enumerate(s):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch in "+-" and depth == 0 and cur and cur[-1] not in "·/^(":
            out.append(cur)
            cur = "" if ch == "+" else "-"
            continue
        cur += ch
    out.append(cur)
    return tuple(sorted(_bare(x) for x in out))


def chain(*sides) -> str:
    """An equality chain ``a = b = c`` with every side that only repeats the side before it
    (the same terms, in another order or in parentheses) left out: each ``=`` shows a step."""
    out: list[str] = []
    for s in sides:
        if s is None or s == "":
            continue
        if out and _terms(out[-1]) == _terms(s):
            continue
        out.append(s)
    return " = ".join(out)


def sort_points(pts) -> list:
    return sorted(pts, key=lambda p: (float(p[0]), float(p[1])))


# --- answers as people write them, as the record stores them, as options compare them ---------

def _exact(*vs) -> None:
    """Raise TypeError on a float: an answer with an irrational intersection (from a moved
    figure) can be compared, never written."""
    for v in vs:
        if isinstance(v, float):
            raise TypeError("an inexact value")


def answer_text(kind: str, a) -> str:
    if kind == "number":
        _exact(a)
        return t(a)
    if kind == "point":
        _exact(*a)
        return pt_text(a)
    if kind == "points":
        _exact(*[c for p in a for c in p])
        return ", ".join(pt_text(p) for p in a) if a else "no intersection"
    if kind == "line":
        _exact(*a)
        return line_text(*a)
    if kind == "lines":
        return " and ".join(line_text(*ln) for ln in a)
    if kind == "circle":
        h, k, r2 = a
        return Fig("circle", "", {}, {"h": h, "k": k, "r2": r2}).equation()
    return str(a)


def answer_value(kind: str, a):
    """The record's ``answer.value``: floats in the shapes the check (``check.py``) returns."""
    f = float
    if kind == "number":
        return f(a)
    if kind in ("point", "circle", "line"):
        return [f(v) for v in a]
    if kind == "points":
        return [[f(x), f(y)] for x, y in a]
    if kind == "lines":
        return [[f(v) for v in ln] for ln in a]
    return a


def _nk(v) -> float:
    return float(f"{float(v):.9g}") + 0.0


def answer_key(kind: str, a):
    """A canonical form of an answer: equal for equal answers however they are written (points
    in any order, a line's equation scaled)."""
    if kind == "number":
        return _nk(a)
    if kind in ("point", "circle"):
        return tuple(_nk(v) for v in a)
    if kind == "points":
        return tuple(sorted(tuple(_nk(v) for v in p) for p in a))
    if kind == "line":
        return _line_key(a)
    if kind == "lines":
        return tuple(sorted(_line_key(ln) for ln in a))
    return str(a)


def _line_key(ln) -> tuple:
    a, b, c = (float(v) for v in ln)
    k = a if abs(a) > 1e-12 else b
    return tuple(_nk(v / k) for v in (a, b, c))


# --- exact helpers --------------------------------------------------------------------------------

def _qsqrt(q):
    """The rational square root of a rational q >= 0, or None when it is irrational."""
    q = sp.Rational(q)
    n, d = int(q.p), int(q.q)
    rn, rd = math.isqrt(n), math.isqrt(d)
    return R(rn, rd) if rn * rn == n and rd * rd == d else None


def _cross(u, v):
    return u[0] * v[1] - u[1] * v[0]


def _sub(p, q):
    return (p[0] - q[0], p[1] - q[1])


def _d2(p, q):
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2


def _line_pts(p, q) -> tuple:
    """Coprime integer (a, b, c) of the line through two distinct rational points."""
    a, b = p[1] - q[1], q[0] - p[0]
    return integer_form(a, b, -(a * p[0] + b * p[1]))


def _meet_lines(l1, l2):
    """The common point of two lines (a, b, c), or None when they are parallel."""
    a1, b1, c1 = l1
    a2, b2, c2 = l2
    det = a1 * b2 - a2 * b1
    if det == 0:
        return None
    return (R(b1 * c2 - b2 * c1) / det, R(a2 * c1 - a1 * c2) / det)


def _quadric(kind: str, c, shape) -> tuple:
    """(A, C, D, E, F) of A x² + C y² + D x + E y + F = 0 for a circle (shape: r²), an ellipse
    (a, b), a hyperbola (a, b, axis) or a parabola (p, axis) about c = (h, k)."""
    h, k = c
    if kind == "circle":
        return I(1), I(1), -2 * h, -2 * k, h * h + k * k - shape
    if kind == "ellipse":
        a2, b2 = shape[0] ** 2, shape[1] ** 2
        return b2, a2, -2 * h * b2, -2 * k * a2, b2 * h * h + a2 * k * k - a2 * b2
    if kind == "hyperbola":
        a2, b2 = shape[0] ** 2, shape[1] ** 2
        s = 1 if shape[2] == "x" else -1         # b²(x-h)² - a²(y-k)² = ±a²b²
        return b2, -a2, -2 * h * b2, 2 * k * a2, b2 * h * h - a2 * k * k - s * a2 * b2
    p, axis = shape
    if axis == "y":                             # (x - h)² = 4p(y - k)
        return I(1), I(0), -2 * h, -4 * p, h * h + 4 * p * k
    return I(0), I(1), -4 * p, -2 * k, k * k + 4 * p * h


def _meet_quadric(line, q):
    """The common points of a line (a, b, c) and a conic without xy term, sorted; exact when
    they are rational, floats otherwise; None when the line lies on the curve."""
    a, b, c = line
    A, C, D, E, Fc = q
    if b != 0:                                  # y = s x + u
        s, u = R(-a) / b, R(-c) / b
        al, be, ga = A + C * s * s, 2 * C * s * u + D + E * s, C * u * u + E * u + Fc

        def pt(x):
            return (x, s * x + u)
    else:                                       # x = x0
        x0 = R(-c) / a
        al, be, ga = C, E, A * x0 * x0 + D * x0 + Fc

        def pt(y):
            return (x0, y)
    if al == 0:
        if be == 0:
            return None if ga == 0 else []
        return [pt(-ga / be)]
    disc = be * be - 4 * al * ga
    if disc < 0:
        return []
    if disc == 0:
        return [pt(-be / (2 * al))]
    r = _qsqrt(disc)
    if r is None:
        rf = math.sqrt(float(disc))
        ts = [(-float(be) - rf) / (2 * float(al)), (-float(be) + rf) / (2 * float(al))]
        return sort_points([tuple(float(v) for v in pt(tv)) for tv in ts])
    return sort_points([pt((-be - r) / (2 * al)), pt((-be + r) / (2 * al))])


@cache
def _on_circle(r2: int) -> tuple:
    """Lattice offsets (dx, dy) with dx² + dy² = r2."""
    r = math.isqrt(r2)
    out = []
    for x in range(-r, r + 1):
        y = math.isqrt(r2 - x * x)
        if y * y == r2 - x * x:
            out += [(x, y)] + ([(x, -y)] if y else [])
    return tuple(sorted(out))


def _fits(ctx: Ctx, h, k, r2, margin: float = 0.5) -> bool:
    r = math.sqrt(float(r2))
    (x0, x1), (y0, y1) = ctx.window
    return x0 + margin <= h - r and h + r <= x1 - margin and y0 + margin <= k - r and k + r <= y1 - margin


def _off_axis(p, q) -> bool:
    """The segment pq does not run along the x- or the y-axis."""
    return not ((p[0] == q[0] == 0) or (p[1] == q[1] == 0))


def _line_ok(line) -> bool:
    """The line is not one of the axes."""
    a, b, c = line
    return not (c == 0 and (a == 0 or b == 0))


def _point_moves(ctx: Ctx, p, n: int = 6, reach: int = 3) -> list:
    out = []
    while len(out) < n:
        dx, dy = ctx.ints(-reach, reach), ctx.ints(-reach, reach)
        if (dx, dy) != (0, 0):
            out.append((p[0] + dx, p[1] + dy))
    return out


def _line_moves(ctx: Ctx, line, n: int = 4) -> list:
    a, b, c = line
    return [integer_form(a, b, c + ctx.sign() * ctx.ints(1, 3)) for _ in range(n)]


def coords(d: Draw) -> set:
    """The coordinates of every point unit: a number answer equal to one would be written in
    the question (a coincidence, not a leak, but read as one)."""
    return {float(c) for u in d.units() for c in (d.v[u] if _is_point(d.v[u]) else ())}


def _is_point(v) -> bool:
    return isinstance(v, tuple) and len(v) == 2 and not isinstance(v[1], str) and not isinstance(v[0], tuple)


class Kind:
    """One question kind; see the module's docstring."""
    qtype = ""
    kind = "number"             # how the answer is written (answer_text's kinds)
    words: tuple = ()           # word answers: the closed set
    groups: tuple = (None,)     # the unit groups a neighbour redraws (None: all), one picked per problem
    avoid_coords = False        # a number answer never equals a coordinate of a given point

    def sample(self, ctx: Ctx, m: dict | None = None) -> Draw:
        raise NotImplementedError

    def solve(self, d: Draw):
        raise NotImplementedError

    def figures(self, d: Draw) -> list:
        """The question's figures on the values ``d`` (any values: a neighbour's, a moved one)."""
        raise NotImplementedError

    def ask(self, ctx: Ctx, d: Draw) -> Ask:
        raise NotImplementedError

    def neighbour(self, ctx: Ctx, d: Draw, group) -> Draw:
        """The values of ``group`` drawn again (None: a new problem of the same kind, same names)."""
        return self.sample(ctx, d.m)

    def moves(self, ctx: Ctx, d: Draw, unit: str) -> list:
        """Draws with ``unit`` changed (a point moved, a line shifted, another shape)."""
        v = d.v[unit]
        if _is_point(v):
            return [d.but(**{unit: p}) for p in _point_moves(ctx, v)]
        raise NotImplementedError(f"{self.qtype}: no moves of {unit}")

    def lite_units(self, d: Draw) -> list[str]:
        """The units text_lite may leave to its picture."""
        return d.units()

    def write(self, a) -> str:
        """The answer as people write it."""
        return answer_text(self.kind, a)

    def options_words(self, d: Draw, key) -> list[str]:
        """The words a multiple-choice word question offers (the closed set)."""
        return list(self.words)

    def checked(self, d: Draw, derived):
        """``derived`` (by the steps) must equal ``solve`` exactly."""
        got = self.solve(d)
        if got is None or answer_key(self.kind, got) != answer_key(self.kind, derived):
            raise VerificationError(f"{self.qtype}: the steps give {derived!r}, the formula {got!r}")
        return derived

    def _key_ok(self, d: Draw) -> bool:
        if not self.avoid_coords:
            return True
        a = self.solve(d)
        return a is not None and float(a) not in coords(d)

    def __call__(self, ctx: Ctx, rng) -> Ask:
        for _ in range(20):
            free = list(ctx.free)
            d = self.sample(ctx)
            if self._key_ok(d):
                break
            ctx.free = free
        else:
            raise Rejected("question", f"{self.qtype}: every answer drawn equals a coordinate")
        a = self.ask(ctx, d)
        a.draw, a.spec = d, self
        return a


# --- points and segments ----------------------------------------------------------------------

_TRIPLES = ((3, 4), (6, 8), (5, 12), (9, 12), (8, 15))


def _distance_offset(ctx: Ctx) -> tuple:
    """A lattice offset: a Pythagorean triple (a whole distance), along a grid line, or any."""
    u = ctx.rng.random()
    if u < 0.45:
        dx, dy = ctx.pick(_TRIPLES)
        if ctx.rng.random() < 0.5:
            dx, dy = dy, dx
    elif u < 0.55:
        dx, dy = (0, ctx.ints(3, 10)) if ctx.rng.random() < 0.5 else (ctx.ints(3, 10), 0)
    else:
        dx, dy = ctx.ints(1, 9), ctx.ints(1, 9)
        while dx * dx + dy * dy < 9:        # a segment that reads as one
            dx, dy = ctx.ints(1, 9), ctx.ints(1, 9)
    return dx * ctx.sign(), dy * ctx.sign()


def _segment_points(ctx: Ctx, offset, start=None):
    """A lattice start and start + offset(), inside the window, the segment off the axes."""
    for _ in range(40):
        pa = start if start is not None else ctx.lattice()
        dx, dy = offset(ctx)
        pb = (pa[0] + dx, pa[1] + dy)
        if (dx, dy) != (0, 0) and ctx.inside(pb, 1) and _off_axis(pa, pb):
            return pa, pb
    raise Rejected("window", "no room for two points", "window")


def _long_offset(ctx: Ctx) -> tuple:
    """A lattice offset at least 3 long: a segment that reads as one, not a dash."""
    for _ in range(20):
        dx, dy = ctx.ints(-7, 7), ctx.ints(-7, 7)
        if dx * dx + dy * dy >= 9:
            return dx, dy
    return 3, 3


class TwoPoints(Kind):
    """Questions on two lattice points A and B (a segment or the line through them)."""
    offset = staticmethod(_long_offset)
    groups = (("B",), ("A",))

    def sample(self, ctx, m=None):
        m = m or {"a": ctx.names(2)}
        pa, pb = _segment_points(ctx, self.offset)
        a, b = m["a"]
        return Draw({a: pa, b: pb}, m)

    def neighbour(self, ctx, d, group):
        if group is None:
            return self.sample(ctx, d.m)
        a, b = d.m["a"]
        moved, fixed = (b, a) if group == ("B",) else (a, b)
        _, pm = _segment_points(ctx, self.offset, start=d.v[fixed])
        return d.but(**{moved: pm})

    def pts(self, d):
        a, b = d.m["a"]
        return a, b, d.v[a], d.v[b]

    def figures(self, d):
        a, b, pa, pb = self.pts(d)
        return [F.segment(a, pa, b, pb)]


class Distance(TwoPoints):
    """The offset is drawn first and the start where the segment fits, so a long Pythagorean
    offset is as likely as a short one wherever it fits at all; a neighbour is a new segment
    (the answer depends on the offset alone)."""
    qtype = "distance"
    avoid_coords = True
    groups = (None,)

    def sample(self, ctx, m=None):
        m = m or {"a": ctx.names(2)}
        (x0, x1), (y0, y1) = ctx.window
        for _ in range(40):
            dx, dy = _distance_offset(ctx)
            xs = (max(x0 + 1, x0 + 1 - dx), min(x1 - 1, x1 - 1 - dx))
            ys = (max(y0 + 1, y0 + 1 - dy), min(y1 - 1, y1 - 1 - dy))
            if xs[0] > xs[1] or ys[0] > ys[1]:
                continue
            pa = (I(ctx.ints(*xs)), I(ctx.ints(*ys)))
            pb = (pa[0] + dx, pa[1] + dy)
            if _off_axis(pa, pb):
                a, b = m["a"]
                return Draw({a: pa, b: pb}, m)
        raise Rejected("window", "no room for two points", "window")

    def solve(self, d):
        _, _, pa, pb = self.pts(d)
        return sp.sqrt(_d2(pa, pb)) if pa != pb else None

    def ask(self, ctx, d):
        a, b, pa, pb = self.pts(d)
        dx, dy = pb[0] - pa[0], pb[1] - pa[1]
        s = dx ** 2 + dy ** 2
        ans = self.checked(d, sp.sqrt(s))
        squares = f"{_neg(dx)}² + {_neg(dy)}²"
        steps = [("distance.diff", {"a": a, "b": b, "dx": chain(f"{t(pb[0])} - {_neg(pa[0])}", t(dx)),
                                    "dy": chain(f"{t(pb[1])} - {_neg(pa[1])}", t(dy))}),
                 ("distance.root", {"a": a, "b": b, "value": t(ans),
                                    "root": chain(f"√({squares})", f"√({t(dx ** 2)} + {t(dy ** 2)})", f"√{t(s)}", t(ans)),
                                    "square": chain(squares, f"{t(dx ** 2)} + {t(dy ** 2)}", t(s)),
                                    "length": chain(f"√{t(s)}", t(ans))})]
        return Ask(self.qtype, {"measure": "distance", "of": [a, b]}, ans, "number", ("ask.distance", {"a": a, "b": b}),
                   steps, figs=self.figures(d))


class Midpoint(TwoPoints):
    qtype = "midpoint"
    kind = "point"

    def solve(self, d):
        _, _, pa, pb = self.pts(d)
        return ((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2)

    def ask(self, ctx, d):
        a, b, pa, pb = self.pts(d)
        m = self.checked(d, (R(pa[0] + pb[0], 2), R(pa[1] + pb[1], 2)))
        steps = [("midpoint.x", {"a": a, "b": b, "xs": f"{t(pa[0])} + {_neg(pb[0])}", "x": t(m[0])}),
                 ("midpoint.y", {"a": a, "b": b, "ys": f"{t(pa[1])} + {_neg(pb[1])}", "y": t(m[1]),
                                 "value": pt_text(m)})]
        return Ask(self.qtype, {"measure": "midpoint", "of": [a, b]}, m, "point", ("ask.midpoint", {"a": a, "b": b}),
                   steps, figs=self.figures(d))


# --- lines -----------------------------------------------------------------------------------

@cache
def _slopes(vertical: bool) -> tuple:
    """Reduced (run, rise) pairs: slopes p/q with q up to 4 and |p| up to 6."""
    out = [(q, p) for q in range(1, 5) for p in range(-6, 7) if math.gcd(q, abs(p)) == 1 and (p != 0 or q == 1)]
    return tuple(out + [(0, 1)] * (len(out) // 9 if vertical else 0))


def _sloped_offset(vertical: bool):
    def offset(ctx: Ctx):
        q, p = ctx.pick(_slopes(vertical))
        n = ctx.sign() * ctx.ints(1, 3)
        return n * q, n * p
    return offset


class Slope(TwoPoints):
    qtype = "slope"
    offset = staticmethod(_sloped_offset(False))
    avoid_coords = True

    def solve(self, d):
        _, _, pa, pb = self.pts(d)
        return R(pb[1] - pa[1]) / (pb[0] - pa[0]) if pb[0] != pa[0] else None

    def figures(self, d):
        a, b, pa, pb = self.pts(d)
        return [F.line_through("l", a, pa, b, pb)]

    def ask(self, ctx, d):
        a, b, pa, pb = self.pts(d)
        m = self.checked(d, R(pb[1] - pa[1]) / (pb[0] - pa[0]))
        return Ask(self.qtype, {"measure": "slope", "of": "l"}, m, "number", ("ask.slope", {"l": "l"}),
                   _slope_steps(a, b, pa, pb, "l"), figs=self.figures(d))


def _slope_steps(a, b, pa, pb, line="") -> list:
    m = R(pb[1] - pa[1]) / (pb[0] - pa[0])
    dy, dx = pb[1] - pa[1], pb[0] - pa[0]
    return [("slope.diff", {"a": a, "b": b, "dy": chain(f"{t(pb[1])} - {_neg(pa[1])}", t(dy)),
                            "dx": chain(f"{t(pb[0])} - {_neg(pa[0])}", t(dx))}),
            ("slope.ratio", {"line": line, "ratio": chain(_ratio(dy, dx), t(m)), "value": t(m)})]


def _ratio(p, q) -> str | None:
    """p/q as printed before it is reduced (None when q is 1: p/1 shows nothing)."""
    return None if q == 1 else f"{t(p)}/{_neg(q)}"


def _slope_step(a, b, pa, pb, line="") -> tuple[str, dict]:
    """One step: the slope through two points."""
    m = R(pb[1] - pa[1]) / (pb[0] - pa[0])
    return ("slope", {"a": a, "b": b, "line": line, "value": t(m),
                      "ratio": chain(f"({t(pb[1])} - {_neg(pa[1])})/({t(pb[0])} - {_neg(pa[0])})",
                                     _ratio(pb[1] - pa[1], pb[0] - pa[0]), t(m))})


def _point_slope_steps(pa, m) -> list:
    k = pa[1] - m * pa[0]
    line = line_text(-m, I(1), -k)
    if m == 0:
        return [("point-slope.flat", {"p": pt_text(pa), "line": line})]
    eq = f"{shift('y', pa[1])} = {coef(m, par(shift('x', pa[0])))}"
    return [("point-slope", {"p": pt_text(pa), "m": t(m), "eq": eq, "line": line, "same": eq == line})]


class LineEquation(TwoPoints):
    qtype = "line-equation"
    kind = "line"
    offset = staticmethod(_sloped_offset(True))

    def solve(self, d):
        _, _, pa, pb = self.pts(d)
        return canonical(*_line_pts(pa, pb)) if pa != pb else None

    def figures(self, d):
        a, b, pa, pb = self.pts(d)
        return [F.line_through("l", a, pa, b, pb)]

    def ask(self, ctx, d):
        a, b, pa, pb = self.pts(d)
        (line,) = self.figures(d)
        ans = self.checked(d, canonical(line.p["a"], line.p["b"], line.p["c"]))
        if pb[0] == pa[0]:
            steps = [("vertical.same", {"a": a, "b": b, "x": t(pa[0])}), ("vertical.line", {"x": t(pa[0])})]
        else:
            m = R(pb[1] - pa[1]) / (pb[0] - pa[0])
            steps = [_slope_step(a, b, pa, pb, "l")] + _point_slope_steps(pa, m)
        return Ask(self.qtype, {"measure": "line-equation", "of": "l"}, ans, "line",
                   ("ask.line-equation", {"l": "l", "a": a, "b": b}), steps, figs=self.figures(d))


def _direction(ctx: Ctx, need_dy=False):
    for _ in range(20):
        dx, dy = ctx.ints(1, 4), ctx.ints(-4, 4)
        if need_dy and dy == 0:
            continue
        g = math.gcd(dx, abs(dy))
        return I(dx // g), I(dy // g)
    raise Rejected("window", "no direction")


def _through(ctx: Ctx, d, avoid=(), start=None):
    """Two lattice points along direction d: a start and start + n·d, inside the window."""
    for _ in range(60):
        p = start if start is not None else ctx.lattice(avoid=avoid)
        n = ctx.ints(1, 3)
        q = (p[0] + n * d[0], p[1] + n * d[1])
        if ctx.inside(q, 1) and q not in avoid and p not in avoid:
            return p, q
    raise Rejected("window", "no room for a line", "window")


def _relation(pa, pb, pc, pd):
    d1, d2 = _sub(pb, pa), _sub(pd, pc)
    if d1 == (0, 0) or d2 == (0, 0):
        return None
    if _cross(d1, d2) == 0:
        return "coincident" if _cross(_sub(pc, pa), d1) == 0 else "parallel"
    return "perpendicular" if d1[0] * d2[0] + d1[1] * d2[1] == 0 else "intersecting"


class LineRelation(Kind):
    """Four relations that exclude each other: two lines are parallel (distinct, never
    meeting), coincident (one line), perpendicular, or intersecting at another angle; the
    question names the four, and the options are those four texts."""
    qtype = "line-relation"
    kind = "word"
    words = ("parallel", "perpendicular", "intersecting", "coincident")
    texts = {"parallel": "parallel", "perpendicular": "perpendicular", "coincident": "coincident",
             "intersecting": "intersecting but not perpendicular"}

    def sample(self, ctx, m=None):
        m = m or {"a": ctx.names(4)}
        word = ctx.pick(self.words)
        d1 = _direction(ctx, need_dy=word == "perpendicular")
        if word in ("parallel", "coincident"):
            d2 = d1
        elif word == "perpendicular":
            d2 = (-d1[1], d1[0]) if d1[1] < 0 else (d1[1], -d1[0])
        else:
            for _ in range(20):
                d2 = _direction(ctx)
                if d2 != d1 and d2[0] * d1[0] + d2[1] * d1[1] != 0:
                    break
            else:
                raise Rejected("window", "no third direction")
        pa, pb = _through(ctx, d1)
        for _ in range(30):
            if word == "coincident":
                s = ctx.sign() * ctx.ints(1, 4)
                pc = (pa[0] + s * d1[0], pa[1] + s * d1[1])
                if not ctx.inside(pc, 1) or pc in (pa, pb):
                    continue
                try:
                    pc, pd = _through(ctx, d2, avoid={pa, pb}, start=pc)
                except Rejected:
                    continue
            else:
                pc, pd = _through(ctx, d2, avoid={pa, pb})
            if _relation(pa, pb, pc, pd) == word:
                break
        else:
            raise Rejected("window", "no second line")
        a, b, c, e = m["a"]
        return Draw({a: pa, b: pb, c: pc, e: pd}, m)

    def solve(self, d):
        return _relation(*(d.v[n] for n in d.m["a"]))

    def moves(self, ctx, d, unit):
        """A point of one line moved so the lines turn parallel (or coincident) and perpendicular,
        and a few random moves."""
        a, b, c, e = d.m["a"]
        pts = {n: d.v[n] for n in (a, b, c, e)}
        mate = {a: b, b: a, c: e, e: c}[unit]
        other = (c, e) if unit in (a, b) else (a, b)
        w = _sub(pts[other[1]], pts[other[0]])
        g = math.gcd(int(w[0]), int(w[1])) or 1
        w = (w[0] / g, w[1] / g)
        out = []
        for s in (1, -1, 2):
            out.append((pts[mate][0] + s * w[0], pts[mate][1] + s * w[1]))
            out.append((pts[mate][0] - s * w[1], pts[mate][1] + s * w[0]))
        out += _point_moves(ctx, pts[unit], 3)
        return [d.but(**{unit: p}) for p in out if p != pts[mate]]

    def figures(self, d):
        a, b, c, e = d.m["a"]
        return [F.line_through("l", a, d.v[a], b, d.v[b]), F.line_through("m", c, d.v[c], e, d.v[e])]

    def ask(self, ctx, d):
        a, b, c, e = d.m["a"]
        pa, pb, pc, pd = (d.v[n] for n in (a, b, c, e))
        word = self.checked(d, _relation(pa, pb, pc, pd))
        l1, l2 = self.figures(d)
        m1 = R(pb[1] - pa[1]) / (pb[0] - pa[0])
        m2 = R(pd[1] - pc[1]) / (pd[0] - pc[0]) if pd[0] != pc[0] else None
        k1 = pa[1] - m1 * pa[0]
        on_l = m1 * pc[0] + k1                   # the y of l at C's x
        steps = [_slope_step(a, b, pa, pb, "l"), _slope_step(c, e, pc, pd, "m") if m2 is not None else
                 ("vertical", {"a": c, "b": e, "x": t(pc[0])}),
                 ("relation." + word, {"m1": t(m1), "m2": t(m2) if m2 is not None else "",
                                       "product": chain(f"{_par(m1)}·{_par(m2)}", t(m1 * m2)) if m2 is not None else "",
                                       "c": c, "pc": pt_text(pc), "xc": t(pc[0]), "yc": t(pc[1]),
                                       "at": chain(join([_times(m1, pc[0]), t(k1)]), t(on_l)), "aty": t(on_l),
                                       "line": line_text(l1.p["a"], l1.p["b"], l1.p["c"])})]
        return Ask(self.qtype, {"measure": "relation", "of": ["l", "m"]}, word, "word", ("ask.line-relation", {}),
                   steps, figs=[l1, l2])

    def write(self, a) -> str:
        return self.texts[a]


_SLOPES = [I(1), I(-1), I(2), I(-2), R(1, 2), R(-1, 2), I(3), I(-3), R(1, 3), R(-1, 3), I(0)]


def _slope_line(p, m) -> tuple:
    """(a, b, c) of the line through p with slope m (None: vertical)."""
    if m is None:
        return integer_form(I(1), I(0), -p[0])
    return integer_form(-m, I(1), -(p[1] - m * p[0]))


def _slope_of(line):
    a, b, _ = line
    return None if b == 0 else R(-a) / b


def _lattice_on(ctx: Ctx, line, margin=2) -> list:
    """The lattice points of a line inside the window (``margin`` from its edges)."""
    a, b, c = line
    (x0, x1), (y0, y1) = ctx.window
    out = []
    if b == 0:
        x = R(-c) / a
        if x.is_Integer and x0 + margin <= x <= x1 - margin:
            out = [(x, I(y)) for y in range(y0 + margin, y1 - margin + 1)]
        return out
    for x in range(x0 + margin, x1 - margin + 1):
        y = R(-c - a * x) / b
        if y.is_Integer and y0 + margin <= y <= y1 - margin:
            out.append((I(x), y))
    return out


class LineIntersection(Kind):
    qtype = "line-intersection"
    kind = "points"
    groups = (("l",), ("m",))

    def sample(self, ctx, m=None):
        m = m or {}
        for _ in range(20):
            p = ctx.lattice(2)
            m1 = ctx.pick([s for s in _SLOPES if s != 0])
            m2 = ctx.pick([s for s in _SLOPES if s != m1] + [None])          # None: a vertical line
            ll, lm = _slope_line(p, m1), _slope_line(p, m2)
            if _line_ok(ll) and _line_ok(lm):
                return Draw({"l": ll, "m": lm}, m)
        raise Rejected("placement", "the lines lie on the axes")

    def neighbour(self, ctx, d, group):
        (moved,) = group
        fixed = "m" if moved == "l" else "l"
        on = _lattice_on(ctx, d.v[fixed])
        if not on:
            raise Rejected("window", "no lattice point on the line")
        ms = _slope_of(d.v[fixed])
        if moved == "l":
            choices = [s for s in _SLOPES if s != 0 and s != ms]
        else:
            choices = [s for s in _SLOPES if s != _slope_of(d.v["l"])] + [None]
        new = _slope_line(ctx.pick(on), ctx.pick(choices))
        if not _line_ok(new):
            raise Rejected("placement", "on an axis")
        return d.but(**{moved: new})

    def moves(self, ctx, d, unit):
        return [d.but(**{unit: ln}) for ln in _line_moves(ctx, d.v[unit])]

    def solve(self, d):
        p = _meet_lines(d.v["l"], d.v["m"])
        return None if p is None else [p]

    def figures(self, d):
        return [F.line_from("l", *d.v["l"], "slope"), F.line_from("m", *d.v["m"], "general")]

    def ask(self, ctx, d):
        l1, l2 = self.figures(d)
        m1 = _slope_of(d.v["l"])
        k1 = -l1.p["c"] / l1.p["b"]
        a, b, c = l2.p["a"], l2.p["b"], l2.p["c"]
        # substitute y = m1·x + k1 into ax + by + c = 0: (a + b·m1)x + (b·k1 + c) = 0
        x = -(b * k1 + c) / (a + b * m1)
        p = self.checked(d, [(x, m1 * x + k1)])[0]
        l1_eq = line_text(-m1, I(1), -k1)
        y_at = chain(join([_times(m1, p[0]), t(k1)]), t(p[1]))
        if b == 0:      # m is vertical: its equation gives x, there is nothing to substitute
            steps = [("intersect.lines.vertical", {"l1": l1_eq, "l2": l1_text(l2), "x": t(p[0])}),
                     ("intersect.lines.solve", {"x": t(p[0]), "y": t(p[1]), "l1rhs": y_at})]
        else:
            steps = [("intersect.lines.sub", {"l1": l1_eq, "l2": l1_text(l2),
                                              "sub": join([coef(a + b * m1, "x"), t(b * k1 + c)])}),
                     ("intersect.lines.solve", {"x": t(p[0]), "y": t(p[1]), "l1rhs": y_at})]
        return Ask(self.qtype, {"measure": "intersections", "of": ["l", "m"]}, [p], "points",
                   ("ask.intersection", {"a": "l", "b": "m", "one": True}), steps, figs=[l1, l2])


def l1_text(fig: Fig) -> str:
    return line_text(fig.p["a"], fig.p["b"], fig.p["c"], fig.form if fig.form != "points" else "slope")


# --- circles ---------------------------------------------------------------------------------

def _radius_offset(ctx: Ctx, lo: int = 4, hi: int = 40) -> tuple:
    for _ in range(60):
        off = (ctx.ints(-6, 6), ctx.ints(-6, 6))
        if lo <= off[0] ** 2 + off[1] ** 2 <= hi:
            return off
    raise Rejected("window", "no radius")


def _centre_for(ctx: Ctx, r2, margin: float = 0.5, avoid=()):
    """A lattice centre for a circle of radius² r2 inside the window."""
    (x0, x1), (y0, y1) = ctx.window
    r = math.sqrt(float(r2))
    lo_x, hi_x = math.ceil(x0 + margin + r), math.floor(x1 - margin - r)
    lo_y, hi_y = math.ceil(y0 + margin + r), math.floor(y1 - margin - r)
    if lo_x > hi_x or lo_y > hi_y:
        raise Rejected("window", "no room for the circle", "window")
    for _ in range(10):
        c = (I(ctx.ints(lo_x, hi_x)), I(ctx.ints(lo_y, hi_y)))
        if c not in avoid:
            return c
    raise Rejected("window", "no room for the circle", "window")


def _lattice_circle(ctx: Ctx, lo: int = 4, hi: int = 36):
    """(centre, offset): a lattice centre and a lattice offset to a point on the circle, drawn
    apart and kept when the circle fits the window, so that, given either, the other is drawn
    as a neighbour redraws it (``_circle_through``, an offset that fits)."""
    for _ in range(80):
        c, off = ctx.lattice(1), _radius_offset(ctx, lo, hi)
        if _fits(ctx, c[0], c[1], off[0] ** 2 + off[1] ** 2) and _off_axis(c, (c[0] + off[0], c[1] + off[1])):
            return c, off
    raise Rejected("window", "no room for the circle", "window")


def _circle_through(ctx: Ctx, pa, lo=4, hi=36):
    """(centre, r²) of a circle about a lattice centre through the lattice point pa, inside the window."""
    for _ in range(40):
        off = _radius_offset(ctx, lo, hi)
        c = (pa[0] - off[0], pa[1] - off[1])
        r2 = I(off[0] ** 2 + off[1] ** 2)
        if _fits(ctx, c[0], c[1], r2):
            return c, r2
    raise Rejected("window", "no room for the circle", "window")


def _circle_moves(ctx: Ctx, d: Draw, unit: str) -> list:
    h, k, r2 = d.v[unit]
    out = [d.but(**{unit: (p[0], p[1], r2)}) for p in _point_moves(ctx, (h, k), 4, 2)]
    out += [d.but(**{unit: (h, k, r2 + s)}) for s in (1, -1, 3) if r2 + s > 0]
    return out


def _quadratic_steps(fig: Fig, line: Fig, xs) -> tuple:
    """Substitute the line into the curve's equation: the quadratic and its roots (known).

    The coefficients come from expanding the substituted equation; its roots must be the
    chosen x (or y, for a vertical line) values, which is checked exactly here."""
    a, b, c = line.p["a"], line.p["b"], line.p["c"]
    eq = fig.sym()
    if b != 0:
        ysub = (-a * X - c) / b
        poly = sp.Poly(sp.expand(eq.xreplace({Y: ysub})), X)
        var = "x"
    else:
        poly = sp.Poly(sp.expand(eq.xreplace({X: -c / a})), Y)
        var = "y"
    cs = poly.all_coeffs()
    while len(cs) < 3:
        cs = [I(0)] + cs
    lead = cs[0]
    if lead == 0:
        raise Rejected("question", "the line meets the curve once (parallel to an axis of the conic)")
    roots = sorted(set(xs), key=float)
    want = sp.expand(lead * sp.prod([(poly.gen - r) ** (2 if len(roots) == 1 else 1) for r in roots]))
    if sp.expand(poly.as_expr() - want) != 0:
        raise VerificationError(f"substituting {line_text(a, b, c)} into {fig.equation()} gives "
                                f"{poly.as_expr()}, not roots {roots}")
    # the equation with coprime integer coefficients and a positive leading one: x² - 2x - 8 = 0
    den = sp.ilcm(*[sp.Rational(v).q for v in cs])
    ints = [int(v * den) for v in cs]
    g = math.gcd(*ints) * (1 if ints[0] > 0 else -1)
    cs = [I(v // g) for v in ints]
    quad = join([coef(cs[0], f"{var}²"), coef(cs[1], var) if cs[1] else "", t(cs[2])]) + " = 0"
    return var, quad, roots


def _curve_steps(curve: Fig, line: Fig, pts: list) -> list:
    """Substitute the line into the curve, solve the quadratic, name the points (two steps)."""
    var, quad, roots = _quadratic_steps(curve, line, [p[0] for p in pts] if line.p["b"] != 0 else [p[1] for p in pts])
    said = l1_text(line) if line.p["b"] != 0 else line_text(line.p["a"], line.p["b"], line.p["c"])    # x = c
    return [("intersect.curve.sub", {"line": said, "curve": curve.equation(), "var": var, "quad": quad}),
            ("intersect.curve.roots", {"var": var, "roots": [t(r) for r in roots], "points": [pt_text(s) for s in pts]})]


def _chord(ctx: Ctx, c, r2, tangent: bool):
    """(a, b, c) of a chord of the lattice circle about c through two of its lattice points, or
    of the tangent at one."""
    offs = _on_circle(int(r2))
    for _ in range(30):
        i, j = (int(v) for v in ctx.rng.choice(len(offs), 2, replace=False))
        p = (c[0] + offs[i][0], c[1] + offs[i][1])
        if tangent:
            d = (-offs[i][1], offs[i][0])
            line = _line_pts(p, (p[0] + d[0], p[1] + d[1]))
        else:
            q = (c[0] + offs[j][0], c[1] + offs[j][1])
            if offs[i][0] == -offs[j][0] and offs[i][1] == -offs[j][1] and ctx.rng.random() < 0.5:
                continue            # a diameter now and then, not always
            line = _line_pts(p, q)
        if _line_ok(line):
            return line
    raise Rejected("question", "no chord of the circle after 30 draws")


class LineCircle(Kind):
    qtype = "line-circle"
    kind = "points"
    groups = (("l",),)

    def sample(self, ctx, m=None):
        m = m or {"form": ctx.pick(["slope", "general"])}
        off = _radius_offset(ctx, 5, 40)
        r2 = I(off[0] ** 2 + off[1] ** 2)
        c = _centre_for(ctx, r2)
        return Draw({"ω": (c[0], c[1], r2), "l": _chord(ctx, c, r2, ctx.rng.random() < 0.3)}, m)

    def neighbour(self, ctx, d, group):
        h, k, r2 = d.v["ω"]
        return d.but(l=_chord(ctx, (h, k), r2, ctx.rng.random() < 0.3))

    def moves(self, ctx, d, unit):
        if unit == "ω":
            return _circle_moves(ctx, d, unit)
        return [d.but(l=ln) for ln in _line_moves(ctx, d.v["l"])]

    def solve(self, d):
        h, k, r2 = d.v["ω"]
        return _meet_quadric(d.v["l"], _quadric("circle", (h, k), r2))

    def figures(self, d):
        return [F.circle("ω", "K", *d.v["ω"]), F.line_from("l", *d.v["l"], d.m["form"])]

    def ask(self, ctx, d):
        circ, line = self.figures(d)
        pts = self.solve(d)
        steps = _curve_steps(circ, line, pts)
        return Ask(self.qtype, {"measure": "intersections", "of": ["l", "ω"]}, pts, "points",
                   ("ask.intersection", {"a": "l", "b": "ω", "one": False}), steps, figs=[circ, line])


def circ_fits(ctx: Ctx, c, r2) -> bool:
    return _fits(ctx, c[0], c[1], r2)


def _circles_meet(c1, c2):
    """The common points of two circles (h, k, r²), by their common chord; None if concentric."""
    la, lb = -2 * c1[0] + 2 * c2[0], -2 * c1[1] + 2 * c2[1]
    if la == 0 and lb == 0:
        return None
    lc = c1[0] ** 2 + c1[1] ** 2 - c1[2] - c2[0] ** 2 - c2[1] ** 2 + c2[2]
    return _meet_quadric((la, lb, lc), _quadric("circle", c1[:2], c1[2]))


class CircleCircle(Kind):
    qtype = "circle-circle"
    kind = "points"

    def sample(self, ctx, m=None):
        for _ in range(150):
            p = ctx.lattice(2)
            dx, dy = ctx.ints(-3, 3), ctx.ints(-3, 3)
            if (dx + dy) % 2 or (dx, dy) == (0, 0):
                continue
            q = (p[0] + dx, p[1] + dy)
            mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
            g = math.gcd(abs(dx), abs(dy))
            u = (I(-dy // g), I(dx // g))              # along the perpendicular bisector
            s1, s2 = ctx.ints(1, 2), -ctx.ints(0, 2)
            c1 = (mid[0] + s1 * u[0], mid[1] + s1 * u[1])
            c2 = (mid[0] + s2 * u[0], mid[1] + s2 * u[1])
            if not all(v.is_Integer for v in c1 + c2):
                continue
            r1, r2 = _d2(p, c1), _d2(p, c2)
            if min(r1, r2) >= 4 and circ_fits(ctx, c1, r1) and circ_fits(ctx, c2, r2) and ctx.inside(q, 1) \
                    and c1 != c2:
                return Draw({"ω": (c1[0], c1[1], r1), "γ": (c2[0], c2[1], r2)}, m or {})
        raise Rejected("window", "no room for two circles", "window")

    def moves(self, ctx, d, unit):
        return _circle_moves(ctx, d, unit)

    def solve(self, d):
        return _circles_meet(d.v["ω"], d.v["γ"])

    def figures(self, d):
        return [F.circle("ω", "K", *d.v["ω"]), F.circle("γ", "Q", *d.v["γ"])]

    def ask(self, ctx, d):
        c1, c2 = d.v["ω"], d.v["γ"]
        o1, o2 = self.figures(d)
        # subtracting the equations leaves the common chord's line
        chord = F.line_from("", -2 * c1[0] + 2 * c2[0], -2 * c1[1] + 2 * c2[1],
                            c1[0] ** 2 + c1[1] ** 2 - c1[2] - c2[0] ** 2 - c2[1] ** 2 + c2[2], "general")
        pts = self.solve(d)
        sub, roots = _curve_steps(o1, chord, pts)
        steps = [("intersect.circles", {"c1": o1.equation(), "c2": o2.equation(), "chord": line_text(
            chord.p["a"], chord.p["b"], chord.p["c"], "general")}),
                 ("intersect.circles.sub", {**sub[1], "chord": line_text(chord.p["a"], chord.p["b"], chord.p["c"],
                                                                          "general")}), roots]
        return Ask(self.qtype, {"measure": "intersections", "of": ["ω", "γ"]}, pts, "points",
                   ("ask.intersection", {"a": "ω", "b": "γ", "one": False}), steps, figs=[o1, o2])


class CircleEquation(Kind):
    qtype = "circle-equation"
    kind = "circle"
    groups = (("A",), ("K",))

    def sample(self, ctx, m=None):
        m = m or {"a": ctx.names(1)[0]}
        c, off = _lattice_circle(ctx)
        return Draw({"K": c, m["a"]: (c[0] + off[0], c[1] + off[1])}, m)

    def neighbour(self, ctx, d, group):
        a = d.m["a"]
        if group == ("A",):
            for _ in range(40):
                off = _radius_offset(ctx, 4, 36)
                c = d.v["K"]
                if _fits(ctx, c[0], c[1], off[0] ** 2 + off[1] ** 2):
                    return d.but(**{a: (c[0] + off[0], c[1] + off[1])})
            raise Rejected("window", "no room")
        c, _ = _circle_through(ctx, d.v[a], 4, 36)
        return d.but(K=c)

    def solve(self, d):
        c, pa = d.v["K"], d.v[d.m["a"]]
        return (c[0], c[1], _d2(c, pa)) if c != pa else None

    def figures(self, d):
        a = d.m["a"]
        (h, k), pa = d.v["K"], d.v[a]
        circ = F.circle("ω", "K", h, k, _d2((h, k), pa), on={a: pa})
        circ.form = "center-point"
        return [circ]

    def ask(self, ctx, d):
        a = d.m["a"]
        (h, k), pa = d.v["K"], d.v[a]
        r2 = _d2((h, k), pa)
        (circ,) = self.figures(d)
        ans = self.checked(d, (h, k, r2))
        steps = [("circle.radius", {"o": "K", "a": a, "dx": f"{t(pa[0])} - {_neg(h)}", "dy": f"{t(pa[1])} - {_neg(k)}",
                                    "r2": t(r2)}),
                 ("circle.equation", {"h": t(h), "k": t(k), "r2": t(r2), "eq": circ.equation()})]
        return Ask(self.qtype, {"measure": "circle-equation", "of": "ω"}, ans, "circle",
                   ("ask.circle-equation", {"c": "ω", "o": "K", "a": a}), steps, figs=self.figures(d))


def _tangent(c, pa) -> tuple:
    """Canonical (a, b, c) of the tangent at pa to the circle about c through pa."""
    u, v = pa[0] - c[0], pa[1] - c[1]
    return canonical(I(u), I(v), -(u * pa[0] + v * pa[1]))


class CircleTangent(Kind):
    qtype = "circle-tangent"
    kind = "line"
    groups = (("A",), ("ω",))

    def sample(self, ctx, m=None):
        m = m or {"a": ctx.names(1)[0]}
        c, off = _lattice_circle(ctx)
        return Draw({"ω": (c[0], c[1], I(off[0] ** 2 + off[1] ** 2)), m["a"]: (c[0] + off[0], c[1] + off[1])}, m)

    def _others_on(self, d):
        h, k, r2 = d.v["ω"]
        pa = d.v[d.m["a"]]
        return [(h + u, k + v) for u, v in _on_circle(int(r2)) if (h + u, k + v) != pa]

    def _centres(self, ctx, d, n=4):
        pa = d.v[d.m["a"]]
        out = []
        for _ in range(n):
            c, r2 = _circle_through(ctx, pa, 4, 36)
            out.append((c[0], c[1], r2))
        return out

    def neighbour(self, ctx, d, group):
        if group == ("A",):
            return d.but(**{d.m["a"]: ctx.pick(self._others_on(d))})
        return d.but(ω=self._centres(ctx, d, 1)[0])

    def moves(self, ctx, d, unit):
        if unit == "ω":
            return [d.but(ω=c) for c in self._centres(ctx, d)]
        return [d.but(**{unit: p}) for p in self._others_on(d)[:6]]

    def solve(self, d):
        h, k, r2 = d.v["ω"]
        pa = d.v[d.m["a"]]
        return _tangent((h, k), pa) if _d2((h, k), pa) == r2 else None

    def figures(self, d):
        a = d.m["a"]
        return [F.circle("ω", "K", *d.v["ω"], on={a: d.v[a]})]

    def ask(self, ctx, d):
        a = d.m["a"]
        h, k, _ = d.v["ω"]
        pa = d.v[a]
        off = (pa[0] - h, pa[1] - k)
        ans = self.checked(d, canonical(I(off[0]), I(off[1]), -(off[0] * pa[0] + off[1] * pa[1])))
        if off[0] == 0 or off[1] == 0:
            # a vertical radius (no x offset) has a horizontal tangent, and the other way round
            dir_ = "horizontal" if off[0] == 0 else "vertical"
            steps = [("tangent.axis.radius", {"o": "K", "a": a, "dir": dir_}),
                     ("tangent.axis.line", {"a": a, "line": line_text(*ans), "dir": dir_})]
        else:
            m_r = R(off[1], off[0])
            steps = [("tangent.circle", {"o": "K", "a": a, "mr": t(m_r), "mt": t(-1 / m_r),
                                         "inv": chain(f"-1/{_par(m_r)}", t(-1 / m_r)),
                                         "ratio": chain(f"({t(pa[1])} - {_neg(k)})/({t(pa[0])} - {_neg(h)})",
                                                        _ratio(off[1], off[0]), t(m_r))})]
            steps += _point_slope_steps(pa, -1 / m_r)
        return Ask(self.qtype, {"measure": "tangent-line", "of": "ω", "at": a}, ans, "line",
                   ("ask.tangent", {"c": "ω", "a": a}), steps, figs=self.figures(d))


class PointCircle(Kind):
    qtype = "point-circle"
    kind = "word"
    words = ("inside", "on", "outside")

    def sample(self, ctx, m=None):
        m = m or {"a": ctx.names(1)[0]}
        word = ctx.pick(self.words)
        off = _radius_offset(ctx, 5, 30)
        r2 = off[0] ** 2 + off[1] ** 2
        h, k = _centre_for(ctx, r2)
        r = math.isqrt(r2)
        for _ in range(40):
            if word == "on":
                o = ctx.pick(_on_circle(r2))
            else:
                o = (ctx.ints(-r - 2, r + 2), ctx.ints(-r - 2, r + 2))
            d2 = o[0] ** 2 + o[1] ** 2
            pa = (h + o[0], k + o[1])
            if ctx.inside(pa, 1) and o != (0, 0) and _word(d2, r2) == word:
                return Draw({"ω": (h, k, I(r2)), m["a"]: pa}, m)
        raise Rejected("window", f"no lattice point {word} the circle", "window")

    def solve(self, d):
        h, k, r2 = d.v["ω"]
        return _word(_d2((h, k), d.v[d.m["a"]]), r2)

    def write(self, a) -> str:
        return f"{a} the circle"          # "on" alone is a word of every sentence

    def moves(self, ctx, d, unit):
        h, k, r2 = d.v["ω"]
        pa = d.v[d.m["a"]]
        d2 = _d2((h, k), pa)
        if unit == "ω":
            return [d.but(ω=(h, k, v)) for v in (d2, d2 + 1, d2 - 1) if v > 0]
        on = _on_circle(int(r2))
        return [d.but(**{unit: (h + u, k + v)}) for u, v in (on[0], (1, 0), (math.isqrt(int(r2)) + 2, 0))]

    def figures(self, d):
        a = d.m["a"]
        return [F.circle("ω", "K", *d.v["ω"]), F.point(a, d.v[a])]

    def ask(self, ctx, d):
        a = d.m["a"]
        h, k, r2 = d.v["ω"]
        pa = d.v[a]
        d2 = _d2((h, k), pa)
        word = self.checked(d, _word(d2, r2))
        cmp = {"inside": "<", "on": "=", "outside": ">"}[word]
        dx, dy = pa[0] - h, pa[1] - k
        steps = [("point-circle.d2", {"a": a, "value": t(I(d2)),
                                      "d2": chain(f"({t(pa[0])} - {_neg(h)})² + ({t(pa[1])} - {_neg(k)})²",
                                                  f"{_neg(dx)}² + {_neg(dy)}²", t(I(d2)))}),
                 ("point-circle.cmp." + word, {"a": a, "value": t(I(d2)), "cmp": cmp, "r2": t(r2), "word": word})]
        return Ask(self.qtype, {"measure": "relation", "of": [a, "ω"]}, word, "word",
                   ("ask.point-circle", {"a": a, "c": "ω"}), steps, figs=self.figures(d))


def _word(d2, r2) -> str:
    return "inside" if d2 < r2 else "on" if d2 == r2 else "outside"


# --- polygons and triangle centres -----------------------------------------------------------

def _polygon(ctx: Ctx, n: int):
    """A convex lattice polygon, counter-clockwise, of reasonable size, its sides off the axes."""
    (x0, x1), (y0, y1) = ctx.window
    for _ in range(80):
        pts = [ctx.lattice(1) for _ in range(n)]
        if len(set(pts)) < n:
            continue
        cx = sum(p[0] for p in pts) / n
        cy = sum(p[1] for p in pts) / n
        pts.sort(key=lambda p: math.atan2(float(p[1] - cy), float(p[0] - cx)))
        ring = list(zip(pts, pts[1:] + pts[:1]))
        area2 = sum(p[0] * q[1] - q[0] * p[1] for p, q in ring)
        convex = all(((q[0] - p[0]) * (s[1] - q[1]) - (q[1] - p[1]) * (s[0] - q[0])) > 0
                     for p, q, s in zip(pts, pts[1:] + pts[:1], pts[2:] + pts[:2]))
        sides = [math.dist([float(v) for v in p], [float(v) for v in q]) for p, q in ring]
        if convex and area2 >= 12 and min(sides) >= 2.5 and area2 <= 0.5 * (x1 - x0) * (y1 - y0) and \
                area2 >= 0.3 * max(sides) ** 2 and \
                all(_off_axis(p, q) for p, q in ring):
            return pts
    raise Rejected("window", "no convex polygon", "window")


class PolygonKind(Kind):
    def sample(self, ctx, m=None):
        if m is None:
            n = ctx.pick([3, 3, 4])
            m = {"names": "".join(ctx.names(n))}
        names = m["names"]
        return Draw(dict(zip(names, _polygon(ctx, len(names)))), m)

    def figures(self, d):
        return [F.polygon(d.m["names"], [d.v[n] for n in d.m["names"]])]

    def ring(self, d):
        names = d.m["names"]
        pts = [d.v[n] for n in names]
        return names, pts, list(zip(pts, pts[1:] + pts[:1]))


class Area(PolygonKind):
    qtype = "area"
    avoid_coords = True

    def solve(self, d):
        _, _, ring = self.ring(d)
        return abs(sum(p[0] * q[1] - q[0] * p[1] for p, q in ring)) / 2

    def ask(self, ctx, d):
        names, _, ring = self.ring(d)
        terms = [f"({t(p[0])}·{_neg(q[1])} - {_neg(q[0])}·{_neg(p[1])})" for p, q in ring]
        vals = [p[0] * q[1] - q[0] * p[1] for p, q in ring]
        area = self.checked(d, abs(sum(vals)) / 2)
        steps = [("shoelace.terms", {"poly": names, "terms": " + ".join(terms), "vals": join([t(v) for v in vals])}),
                 ("shoelace.half", {"poly": names, "sum": t(sum(vals)), "value": t(area)})]
        return Ask(self.qtype, {"measure": "area", "of": names}, area, "number", ("ask.area", {"poly": names}),
                   steps, figs=self.figures(d))


class Perimeter(PolygonKind):
    qtype = "perimeter"

    def solve(self, d):
        _, _, ring = self.ring(d)
        return sum((sp.sqrt(_d2(p, q)) for p, q in ring), I(0))

    def ask(self, ctx, d):
        names, _, ring = self.ring(d)
        sides = []
        total = I(0)
        for (na, nb), (p, q) in zip(zip(names, names[1:] + names[:1]), ring):
            s = _d2(p, q)
            total += sp.sqrt(s)
            dx, dy = q[0] - p[0], q[1] - p[1]
            sides.append({"side": na + nb, "value": t(sp.sqrt(s)),
                          "full": chain(f"√({_neg(dx)}² + {_neg(dy)}²)", f"√{t(s)}", t(sp.sqrt(s))),
                          "short": chain(f"√{t(s)}", t(sp.sqrt(s)))})
        total = self.checked(d, total)
        names_sum = " + ".join(s["side"] for s in sides)
        steps = [("perimeter.sides", {"poly": names, "sides": sides}),
                 ("perimeter.sum", {"poly": names, "sides": sides, "value": t(total), "names": names_sum,
                                    "sum": chain(" + ".join(s["value"] for s in sides), t(total))})]
        return Ask(self.qtype, {"measure": "perimeter", "of": names}, total, "number",
                   ("ask.perimeter", {"poly": names}), steps, figs=self.figures(d))


_CIRCUM_R2 = (5, 10, 13, 25, 25, 50, 65, 85)


def _inscribed_triangle(ctx: Ctx, right_ok: bool):
    """Three lattice points on a circle about a lattice centre: every centre is exact."""
    for _ in range(60):
        r2 = ctx.pick(_CIRCUM_R2)
        try:
            o = _centre_for(ctx, r2, 0.5)
        except Rejected:
            continue
        offs = _on_circle(r2)
        idx = sorted(int(i) for i in ctx.rng.choice(len(offs), 3, replace=False))
        pts = [(o[0] + offs[i][0], o[1] + offs[i][1]) for i in idx]
        if not all(ctx.inside(p, 1) for p in pts):
            continue
        area2 = _cross(_sub(pts[1], pts[0]), _sub(pts[2], pts[0]))
        if abs(area2) < 10 or abs(area2) < 0.3 * max(_d2(p, q) for p, q in zip(pts, pts[1:] + pts[:1])):
            continue                # a sliver of a triangle
        if not right_ok and _right_angled(pts):
            continue
        if area2 < 0:
            pts = [pts[0], pts[2], pts[1]]
        if all(_off_axis(p, q) for p, q in zip(pts, pts[1:] + pts[:1])):
            return pts
    raise Rejected("window", "no triangle", "window")


def _right_angled(pts) -> bool:
    return any((q[0] - p[0]) * (s[0] - p[0]) + (q[1] - p[1]) * (s[1] - p[1]) == 0
               for p, q, s in (pts, pts[1:] + pts[:1], pts[2:] + pts[:2]))


def _solve2(a1, b1, c1, a2, b2, c2):
    """a1 x + b1 y = c1, a2 x + b2 y = c2 by Cramer's rule (exact); None when singular."""
    det = a1 * b2 - a2 * b1
    if det == 0:
        return None
    return (R(c1 * b2 - c2 * b1) / det, R(a1 * c2 - a2 * c1) / det)


def _bisectors(A, B, C):
    """|PA| = |PB| and |PA| = |PC|: 2(xb - xa)x + 2(yb - ya)y = xb² + yb² - xa² - ya²."""
    return ((2 * (B[0] - A[0]), 2 * (B[1] - A[1]), B[0] ** 2 + B[1] ** 2 - A[0] ** 2 - A[1] ** 2),
            (2 * (C[0] - A[0]), 2 * (C[1] - A[1]), C[0] ** 2 + C[1] ** 2 - A[0] ** 2 - A[1] ** 2))


def _altitudes(A, B, C):
    """Through A perpendicular to BC, through B perpendicular to CA."""
    return ((C[0] - B[0], C[1] - B[1], (C[0] - B[0]) * A[0] + (C[1] - B[1]) * A[1]),
            (A[0] - C[0], A[1] - C[1], (A[0] - C[0]) * B[0] + (A[1] - C[1]) * B[1]))


class TriangleCentre(Kind):
    kind = "point"

    def __init__(self, which: str):
        self.qtype = which

    def sample(self, ctx, m=None):
        m = m or {"names": "".join(ctx.names(3))}
        return Draw(dict(zip(m["names"], _inscribed_triangle(ctx, self.qtype != "orthocenter"))), m)

    def figures(self, d):
        return [F.polygon(d.m["names"], [d.v[n] for n in d.m["names"]])]

    def solve(self, d):
        A, B, C = (d.v[n] for n in d.m["names"])
        if _cross(_sub(B, A), _sub(C, A)) == 0:
            return None
        if self.qtype == "centroid":
            return (R(A[0] + B[0] + C[0], 3), R(A[1] + B[1] + C[1], 3))
        e1, e2 = _bisectors(A, B, C) if self.qtype == "circumcenter" else _altitudes(A, B, C)
        return _solve2(*e1, *e2)

    def ask(self, ctx, d):
        names = d.m["names"]
        pts = [d.v[n] for n in names]
        tri = F.polygon(names, pts)
        A, B, C = pts
        na, nb, nc = names
        which = self.qtype
        if which == "centroid":
            ans = (R(A[0] + B[0] + C[0], 3), R(A[1] + B[1] + C[1], 3))
            steps = [("centroid.x", {"tri": names, "xs": " + ".join(_neg(p[0]) if i else t(p[0]) for i, p in enumerate(pts)),
                                     "x": t(ans[0])}),
                     ("centroid.y", {"tri": names, "ys": " + ".join(_neg(p[1]) if i else t(p[1]) for i, p in enumerate(pts)),
                                     "y": t(ans[1]), "value": pt_text(ans)})]
        elif which == "circumcenter":
            e1, e2 = _bisectors(A, B, C)
            ans = _solve2(*e1, *e2)
            steps = [("circumcenter.one", {"tri": names, "side": na + nb, "eq": _eq(*e1)}),
                     ("circumcenter.two", {"tri": names, "side": na + nc, "eq": _eq(*e2)}),
                     ("circumcenter.solve", {"tri": names, "eq1": _eq(*e1), "eq2": _eq(*e2), "value": pt_text(ans)})]
        else:
            e1, e2 = _altitudes(A, B, C)
            ans = _solve2(*e1, *e2)
            o = _solve2(*_bisectors(A, B, C)[0], *_bisectors(A, B, C)[1])
            if ans != (A[0] + B[0] + C[0] - 2 * o[0], A[1] + B[1] + C[1] - 2 * o[1]):
                raise VerificationError(f"orthocentre {ans} of {pts} breaks H = A + B + C - 2O")
            steps = [("orthocenter.one", {"tri": names, "a": na, "side": nb + nc, "eq": _eq(*e1)}),
                     ("orthocenter.two", {"tri": names, "a": nb, "side": nc + na, "eq": _eq(*e2)}),
                     ("orthocenter.solve", {"tri": names, "eq1": _eq(*e1), "eq2": _eq(*e2), "value": pt_text(ans)})]
        ans = self.checked(d, ans)
        return Ask(which, {"measure": which, "of": names}, ans, "point", ("ask." + which, {"tri": names}),
                   steps, figs=[tri])


def _eq(a, b, c) -> str:
    """ax + by = c with its integer coefficients divided by their common factor, the first
    one positive, and no 0x or 0y term."""
    a, b, c = (int(v) for v in (a, b, c))
    g = math.gcd(math.gcd(a, b), c) or 1
    if a < 0 or (a == 0 and b < 0):
        g = -g
    a, b, c = a // g, b // g, c // g
    return join([coef(I(a), "x") if a else "", coef(I(b), "y") if b else ""]) + f" = {t(I(c))}"


# --- conics ----------------------------------------------------------------------------------

_ELLIPSES = tuple((a, b) for a in range(2, 7) for b in range(2, 7) if a != b)
_HYPERBOLAS = tuple((t, c) for t in range(2, 5) for c in range(1, 5))   # (transverse, conjugate) semi-axes
_PARABOLAS = (R(1, 4), R(1, 2), I(1), R(3, 2), I(2), R(-1, 4), R(-1, 2), I(-1), R(-3, 2), I(-2))
_CONIC_NAMES = {"ellipse": ("E", "C"), "hyperbola": ("H", "C"), "parabola": ("Γ", "V")}


def _shape(ctx: Ctx, kind: str) -> tuple:
    if kind == "ellipse":
        return tuple(I(v) for v in ctx.pick(_ELLIPSES))
    if kind == "hyperbola":
        t_, c_ = ctx.pick(_HYPERBOLAS)
        axis = ctx.pick(["x", "y"])
        return (I(t_), I(c_), axis) if axis == "x" else (I(c_), I(t_), axis)
    return ctx.pick(_PARABOLAS), ctx.pick(["x", "y"])


def _extent(kind: str, shape) -> tuple:
    """Half-width and half-height the conic needs about its centre (a hyperbola: its foci and
    a little more, a parabola: its focus and latus rectum, at least 2 units; ``Fig.view_box``)."""
    if kind == "ellipse":
        return shape
    if kind == "hyperbola":
        a, b, axis = shape
        c = math.sqrt(float(a * a + b * b))
        return (c + 1, b + 1) if axis == "x" else (a + 1, c + 1)
    w = max(2.0, 2 * abs(float(shape[0])))
    return w, w


def _conic_fits(ctx: Ctx, kind: str, shape, c) -> bool:
    ex, ey = _extent(kind, shape)
    return ctx.inside((c[0] - ex, c[1] - ey), 0.5) and ctx.inside((c[0] + ex, c[1] + ey), 0.5)


def _conic_centre(ctx: Ctx, kind: str, shape):
    ex, ey = _extent(kind, shape)
    (x0, x1), (y0, y1) = ctx.window
    lo_x, hi_x = math.ceil(x0 + 0.5 + ex), math.floor(x1 - 0.5 - ex)
    lo_y, hi_y = math.ceil(y0 + 0.5 + ey), math.floor(y1 - 0.5 - ey)
    if lo_x > hi_x or lo_y > hi_y:
        raise Rejected("window", f"no room for the {kind}", "window")
    return I(ctx.ints(lo_x, hi_x)), I(ctx.ints(lo_y, hi_y))


def _conic_fig(kind: str, c, shape, asymptotes=False) -> Fig:
    name, centre = _CONIC_NAMES[kind]
    if kind == "ellipse":
        return F.ellipse(name, c[0], c[1], shape[0], shape[1], centre)
    if kind == "hyperbola":
        return F.hyperbola(name, c[0], c[1], shape[0], shape[1], shape[2], centre, asymptotes)
    return F.parabola(name, c[0], c[1], shape[0], shape[1], centre)


def _conic_facts(kind: str, c, shape) -> dict:
    """Foci, vertices and eccentricity, by the textbook formulas."""
    h, k = c
    if kind == "parabola":
        q, axis = shape
        focus = (h, k + q) if axis == "y" else (h + q, k)
        return {"foci": [focus], "vertices": [(h, k)], "e": I(1), "q": q}
    a, b = shape[0], shape[1]
    if kind == "ellipse":
        major_x = a >= b
        big, small = (a, b) if major_x else (b, a)
        c2 = big ** 2 - small ** 2
    else:
        major_x = shape[2] == "x"
        big, small = (a, b) if major_x else (b, a)
        c2 = a ** 2 + b ** 2
    cc = sp.sqrt(c2)
    foci = [(h - cc, k), (h + cc, k)] if major_x else [(h, k - cc), (h, k + cc)]
    verts = [(h - big, k), (h + big, k)] if major_x else [(h, k - big), (h, k + big)]
    return {"foci": foci, "vertices": verts, "e": cc / big, "c": cc, "c2": c2, "big": big, "small": small,
            "major_x": major_x}


class ConicKind(Kind):
    """A conic given by its centre (a parabola: its vertex), a marked point, and its shape."""
    conics: tuple = ("ellipse", "hyperbola", "parabola")
    asymptotes = False      # a hyperbola's asymptotes are not drawn: they would answer the asymptotes
    #                         question and crowd the centre's label

    def sample(self, ctx, m=None):
        if m is None:
            kind = ctx.pick(self.conics)
            name, centre = _CONIC_NAMES[kind]
            m = {"conic": kind, "fig": name, "c": centre}
            if centre in ctx.free:
                ctx.free.remove(centre)
        for _ in range(80):     # centre and shape drawn apart, kept when the conic fits
            shape, c = _shape(ctx, m["conic"]), ctx.lattice(1)
            if _conic_fits(ctx, m["conic"], shape, c):
                return Draw({m["c"]: c, m["fig"]: shape}, m)
        raise Rejected("window", f"no room for the {m['conic']}", "window")

    def neighbour(self, ctx, d, group):
        if group is None:
            return self.sample(ctx, d.m)
        u = group[0]
        kind, c = d.m["conic"], d.m["c"]
        if u == d.m["fig"]:
            for _ in range(20):
                shape = _shape(ctx, kind)
                if _conic_fits(ctx, kind, shape, d.v[c]):
                    return d.but(**{u: shape})
            raise Rejected("window", "no shape fits")
        return d.but(**{c: _conic_centre(ctx, kind, d.v[d.m["fig"]])})

    def moves(self, ctx, d, unit):
        if unit == d.m["fig"]:
            return [d.but(**{unit: _shape(ctx, d.m["conic"])}) for _ in range(6)]
        return super().moves(ctx, d, unit)

    def lite_units(self, d):
        """The shape only: the stated equation would give the centre away."""
        return [u for u in d.units() if u != d.m["c"]]

    def fig(self, d) -> Fig:
        return _conic_fig(d.m["conic"], d.v[d.m["c"]], d.v[d.m["fig"]], self.asymptotes)

    def figures(self, d):
        return [self.fig(d)]

    def facts(self, d) -> dict:
        return _conic_facts(d.m["conic"], d.v[d.m["c"]], d.v[d.m["fig"]])

    def c_steps(self, fig: Fig, f: dict) -> list:
        p = fig.p
        if fig.kind == "parabola":
            q = p["p"]
            way = ("up" if q > 0 else "down") if p["axis"] == "y" else ("right" if q > 0 else "left")
            return [("parabola.facts", {"eq": fig.equation(), "fourp": t(4 * q), "p": t(q), "dist": t(abs(q)),
                                        "way": way, "vertex": pt_text((p["h"], p["k"])),
                                        "focus": pt_text(f["foci"][0]), "axis": p["axis"],
                                        "pv": chain(_ratio(4 * q, 4) or t(4 * q), t(q))})]
        op = "-" if fig.kind == "ellipse" else "+"
        big2, small2 = t(f["big"] ** 2), t(f["small"] ** 2)
        return [("conic.c." + fig.kind, {"eq": fig.equation(), "big": t(f["big"]), "small": t(f["small"]),
                                         "big2": big2, "small2": small2, "c": t(f["c"]),
                                         "c2": chain(f"a² {op} b²", f"{big2} {op} {small2}", t(f["c2"])),
                                         "root": chain(f"√(a² {op} b²)", f"√({big2} {op} {small2})",
                                                       f"√{t(f['c2'])}", t(f["c"])),
                                         "along": "x" if f["major_x"] else "y",
                                         "center": pt_text((p["h"], p["k"]))})]


class ConicProperty(ConicKind):
    def __init__(self, which: str):
        self.qtype = which
        self.kind = "number" if which == "eccentricity" else "points"
        self.conics = {"foci": ("ellipse", "hyperbola", "parabola"), "vertices": ("ellipse", "hyperbola"),
                       "eccentricity": ("ellipse", "hyperbola")}[which]
        self.groups = (("fig",),) if which == "eccentricity" else (("fig",), ("c",))

    def neighbour(self, ctx, d, group):
        return super().neighbour(ctx, d, (d.m[group[0]],))

    def solve(self, d):
        f = self.facts(d)
        return f["e"] if self.qtype == "eccentricity" else sort_points(f[self.qtype])

    def ask(self, ctx, d):
        fig = self.fig(d)
        f = self.facts(d)
        steps = self.c_steps(fig, f)
        if self.qtype == "eccentricity":
            ans = f["e"]
            steps.append(("conic.eccentricity", {"c": t(f["c"]), "big": t(f["big"]), "value": t(ans),
                                                 "e": chain("c/a", f"{t(f['c'])}/{t(f['big'])}", t(ans))}))
        else:
            ans = sort_points(f[self.qtype])
            steps.append(("conic." + self.qtype, {"points": [pt_text(v) for v in ans]}))
        ans = self.checked(d, ans)
        return Ask(self.qtype, {"measure": self.qtype, "of": fig.name}, ans, self.kind,
                   ("ask." + self.qtype, {"fig": fig.name, "conic": fig.kind, "c": d.m["c"]}), steps, figs=[fig])


def _asymptote_lines(c, shape) -> list:
    h, k = c
    a, b, _ = shape
    m = b / a
    return sorted([canonical(-m, I(1), m * h - k), canonical(m, I(1), -m * h - k)],
                  key=lambda ln: [float(v) for v in ln])


class Asymptotes(ConicKind):
    qtype = "asymptotes"
    kind = "lines"
    conics = ("hyperbola",)
    groups = (("H",), ("C",))

    def solve(self, d):
        return _asymptote_lines(d.v["C"], d.v["H"])

    def ask(self, ctx, d):
        fig = self.fig(d)
        p = fig.p
        a, b, h, k = p["a"], p["b"], p["h"], p["k"]
        m = b / a
        lines = self.checked(d, _asymptote_lines((h, k), (a, b, p["axis"])))
        steps = [("asymptotes.form", {"eq": fig.equation(), "a": t(a), "b": t(b), "m": t(m), "center": pt_text((h, k)),
                                      "pair": f"{shift('y', k)} = ±{coef(m, par(shift('x', h)))}"}),
                 ("asymptotes.lines", {"pair": f"{shift('y', k)} = ±{coef(m, par(shift('x', h)))}",
                                       "lines": [line_text(*ln) for ln in lines]})]
        return Ask("asymptotes", {"measure": "asymptotes", "of": "H"}, lines, "lines",
                   ("ask.asymptotes", {"fig": "H", "c": "C"}), steps, figs=[fig])


def _rational_points(kind: str, c, shape, ctx: Ctx) -> list:
    """Points of the conic with rational coordinates inside the window."""
    h, k = c
    out = []
    if kind == "ellipse":
        a, b = shape
        for u, v in [(1, 0), (0, 1), (R(3, 5), R(4, 5)), (R(4, 5), R(3, 5))]:
            for su in (1, -1):
                for sv in (1, -1):
                    out.append((h + su * u * a, k + sv * v * b))
    elif kind == "hyperbola":
        a, b, axis = shape
        for sec, tan in [(1, 0), (R(5, 3), R(4, 3)), (R(5, 4), R(3, 4))]:
            for s1 in (1, -1):
                for s2 in (1, -1):
                    along, across = s1 * sec, s2 * tan
                    out.append((h + along * a, k + across * b) if axis == "x" else (h + across * a, k + along * b))
    else:
        q, axis = shape
        for u in range(-6, 7):
            v = R(u * u, 1) / (4 * q)
            out.append((h + u, k + v) if axis == "y" else (h + v, k + u))
    return sorted({q for q in out if ctx.inside(q, 0.5)}, key=lambda q: (float(q[0]), float(q[1])))


class LineConic(ConicKind):
    qtype = "line-conic"
    kind = "points"
    groups = (("l",),)

    def sample(self, ctx, m=None):
        if m is None:
            m = {"form": ctx.pick(["slope", "general"])}
        for _ in range(10):
            d = super().sample(ctx, {k: v for k, v in m.items() if k != "form"} or None)
            try:
                line = self._chord(ctx, d)
            except Rejected:
                continue
            return Draw({**d.v, "l": line}, {**d.m, "form": m["form"]})
        raise Rejected("question", "no chord of the conic through two rational points")

    def _chord(self, ctx, d):
        kind, c, shape = d.m["conic"], d.v[d.m["c"]], d.v[d.m["fig"]]
        pts = _rational_points(kind, c, shape, ctx)
        if len(pts) < 2:
            raise Rejected("question", f"the {kind} has too few rational points in view")
        for _ in range(30):
            i, j = (int(v) for v in ctx.rng.choice(len(pts), 2, replace=False))
            a, b, _ = line = _line_pts(pts[i], pts[j])
            # a line parallel to a parabola's axis or a hyperbola's asymptote meets it only once
            if kind == "parabola" and ((shape[1] == "y" and b == 0) or (shape[1] == "x" and a == 0)):
                continue
            if kind == "hyperbola" and b != 0 and abs(R(-a) / b) == shape[1] / shape[0]:
                continue
            if _line_ok(line):
                return line
        raise Rejected("question", f"no chord of the {kind} through two rational points")

    def neighbour(self, ctx, d, group):
        return d.but(l=self._chord(ctx, d))

    def moves(self, ctx, d, unit):
        if unit == "l":
            return [d.but(l=ln) for ln in _line_moves(ctx, d.v["l"])]
        return super().moves(ctx, d, unit)

    def solve(self, d):
        kind = d.m["conic"]
        return _meet_quadric(d.v["l"], _quadric(kind, d.v[d.m["c"]], d.v[d.m["fig"]]))

    def figures(self, d):
        return [self.fig(d), F.line_from("l", *d.v["l"], d.m["form"])]

    def ask(self, ctx, d):
        fig, line = self.figures(d)
        pts = self.solve(d)
        if pts is None or len(pts) != 2:
            raise Rejected("question", "the chord does not cross the conic twice")
        steps = _curve_steps(fig, line, pts)
        return Ask(self.qtype, {"measure": "intersections", "of": ["l", fig.name]}, pts, "points",
                   ("ask.intersection", {"a": "l", "b": fig.name, "one": False}), steps, figs=[fig, line])


# --- where one figure lies relative to another ------------------------------------------------

_SMALL = ("circle", "triangle", "segment", "point")


def small_figure(ctx: Ctx, kind: str, circle=("ω", "K")) -> Fig:
    """A figure drawn besides a question's, or one of the two a position question compares:
    a circle of radius 2 or 3, a triangle a few units across and not a sliver (its area at
    least 0.15 of its longest side squared), a segment at least 3 long, or a point."""
    if kind == "circle":
        r = ctx.pick([2, 2, 3])
        c = ctx.lattice(r + 1)
        return F.circle(circle[0], circle[1], c[0], c[1], I(r * r))
    if kind == "triangle":
        names = "".join(ctx.names(3))
        c = ctx.lattice(3)
        for _ in range(30):
            pts = [(c[0] + ctx.ints(-3, 3), c[1] + ctx.ints(-3, 3)) for _ in range(3)]
            area2 = _cross(_sub(pts[1], pts[0]), _sub(pts[2], pts[0]))
            longest = max(_d2(p, q) for p, q in zip(pts, pts[1:] + pts[:1]))
            if abs(area2) >= 6 and abs(area2) >= 0.3 * longest and min(
                    _d2(p, q) for p, q in zip(pts, pts[1:] + pts[:1])) >= 4:
                if area2 < 0:
                    pts = [pts[0], pts[2], pts[1]]
                return F.polygon(names, pts)
        raise Rejected("window", "no small triangle")
    if kind == "segment":
        a, b = ctx.names(2)
        pa, pb = _segment_points(ctx, _long_offset)
        return F.segment(a, pa, b, pb)
    (a,) = ctx.names(1)
    return F.point(a, ctx.lattice(1))


AXIS_WORDS = ("right", "above", "left", "below")
DIAGONAL_WORDS = ("upper right", "upper left", "lower left", "lower right")
CLEAR = 15.0        # degrees: a direction is named only this close to its centre line
GAP = 0.5           # units: and only when one figure lies wholly beyond the other that way


def family(word: str) -> str:
    """"axis" for right, above, left and below; "diagonal" for the four corners."""
    return "axis" if word in AXIS_WORDS else "diagonal"


def bbox(f: Fig, window=None) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a figure's outline (a line's or an open curve's marked points)."""
    if f.kind in ("line", "hyperbola", "parabola"):
        pts = [(float(x), float(y)) for x, y in f.points.values()]
    else:
        pts = [p for ln in f.outline(window) for p in ln]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def clear_direction(f1: Fig, f2: Fig, clear: float = CLEAR, gap: float = GAP) -> str | None:
    """Where f1 lies seen from f2 when nobody would say otherwise, else None: the offset
    between their reference points (``Fig.anchor``, the check's) within ``clear`` degrees of
    one of the eight directions, and f1's whole outline beyond f2's that way by ``gap`` (for
    a corner direction, both ways: wholly to the left of f2 and wholly higher)."""
    a1, a2 = f1.anchor(), f2.anchor()
    v = (a1[0] - a2[0], a1[1] - a2[1])
    if v == (0, 0):
        return None
    ang = math.degrees(math.atan2(v[1], v[0])) % 360
    i = int(round(ang / 45)) % 8
    if abs((ang - 45 * i + 180) % 360 - 180) > clear:
        return None
    word = DIRECTIONS[i]
    b1, b2 = bbox(f1), bbox(f2)
    right, left = b1[0] >= b2[2] + gap, b1[2] <= b2[0] - gap
    up, down = b1[1] >= b2[3] + gap, b1[3] <= b2[1] - gap
    ok = {"right": right, "upper right": right and up, "above": up, "upper left": left and up,
          "left": left, "lower left": left and down, "below": down, "lower right": right and down}[word]
    return word if ok else None


def direction_word(v, margin: float = 10.0) -> str | None:
    """The 45° sector of the vector v; None within ``margin`` degrees of a sector's edge."""
    if v[0] == 0 and v[1] == 0:
        return None
    ang = math.degrees(math.atan2(float(v[1]), float(v[0]))) % 360
    off = (ang + 22.5) % 45
    if off < margin or off > 45 - margin:
        return None
    return DIRECTIONS[int(((ang + 22.5) % 360) // 45)]


def _anchor(kind: str, units: list, v: dict):
    """A small figure's reference point: a circle's centre, else the mean of its points."""
    if kind == "circle":
        return v[units[0]][:2]
    pts = [v[u] for u in units]
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def _small_units(f: Fig) -> tuple:
    return (f.kind, f.name, tuple(f.units()))


def _small_fig(spec, v, centre) -> Fig:
    kind, name, units = spec
    if kind == "circle":
        return F.circle(name, centre, *v[units[0]])
    if kind == "point":
        return F.point(name, v[units[0]])
    if kind == "segment":
        return F.segment(units[0], v[units[0]], units[1], v[units[1]])
    return F.polygon(name, [v[u] for u in units])


class Position(Kind):
    qtype = "position"
    kind = "word"
    words = DIRECTIONS

    def sample(self, ctx, m=None):
        word = ctx.pick(DIRECTIONS)
        i = DIRECTIONS.index(word)
        (x0, x1), (y0, y1) = ctx.window
        span = min(x1 - x0, y1 - y0)
        start = list(ctx.free)
        for _ in range(30):
            ctx.free = list(start)
            f1 = small_figure(ctx, ctx.pick(_SMALL))
            f2 = small_figure(ctx, ctx.pick(_SMALL), ("γ", "Q"))
            a1, a2 = f1.anchor(), f2.anchor()
            ang = math.radians(45 * i + float(ctx.rng.uniform(-12, 12)))
            rho = float(ctx.rng.uniform(4, 0.7 * span))
            want = (a2[0] + rho * math.cos(ang), a2[1] + rho * math.sin(ang))
            f1 = F.translate(f1, (I(round(want[0] - a1[0])), I(round(want[1] - a1[1]))))
            if clear_direction(f1, f2) != word:
                continue
            if F.inside(f1, ctx.window) and not F.on_axis(f1) and apart(f1, f2, ctx.window):
                v = {u: _unit_value(f, u) for f in (f1, f2) for u in f.units()}
                m = {"f1": _small_units(f1), "f2": _small_units(f2),
                     "centres": (f1.p.get("center"), f2.p.get("center"))}
                return Draw(v, m)
        raise Rejected("placement", "no clear direction between the figures")

    def _anchors(self, d, v=None):
        v = v or d.v
        return (_anchor(d.m["f1"][0], list(d.m["f1"][2]), v), _anchor(d.m["f2"][0], list(d.m["f2"][2]), v))

    def solve(self, d):
        e1, e2 = self._anchors(d)
        return direction_word(_sub(e1, e2), 5.0)

    def moves(self, ctx, d, unit):
        """The unit moved so far that its figure's anchor crosses to the other side, then random moves."""
        e1, e2 = self._anchors(d)
        mine = d.m["f1"] if unit in d.m["f1"][2] else d.m["f2"]
        other, me = (e2, e1) if mine is d.m["f1"] else (e1, e2)
        n = 1 if mine[0] == "circle" else len(mine[2])
        shift_ = (2 * n * (other[0] - me[0]), 2 * n * (other[1] - me[1]))
        val = d.v[unit]
        if mine[0] == "circle":
            out = [(val[0] + shift_[0], val[1] + shift_[1], val[2])]
            out += [(p[0], p[1], val[2]) for p in _point_moves(ctx, val[:2], 3)]
        else:
            out = [(val[0] + shift_[0], val[1] + shift_[1])] + _point_moves(ctx, val, 3)
        return [d.but(**{unit: w}) for w in out]

    def options_words(self, d, key):
        """The four words of the key's family: the axis directions or the diagonal ones."""
        i = DIRECTIONS.index(key)
        return [DIRECTIONS[j] for j in range(i % 2, 8, 2)]

    def figures(self, d):
        return [_small_fig(d.m["f1"], d.v, d.m["centres"][0]), _small_fig(d.m["f2"], d.v, d.m["centres"][1])]

    def ask(self, ctx, d):
        f1, f2 = self.figures(d)
        e1, e2 = _exact_anchor(f1), _exact_anchor(f2)
        word = self.checked(d, clear_direction(f1, f2))
        ref = {"circle": "centre", "polygon": "centroid", "segment": "midpoint", "point": "position"}
        dx, dy = e1[0] - e2[0], e1[1] - e2[1]
        steps = [("position.anchors", {"f1": f1.name, "f2": f2.name, "p1": pt_text(e1), "p2": pt_text(e2),
                                       "r1": ref[f1.kind], "r2": ref[f2.kind]}),
                 ("position.offset", {"f1": f1.name, "f2": f2.name, "word": word,
                                      "offset": pt_text((dx, dy)), "hx": t(abs(dx)), "hy": t(abs(dy)),
                                      "xdir": "right" if dx > 0 else "left" if dx < 0 else "",
                                      "ydir": "up" if dy > 0 else "down" if dy < 0 else "",
                                      "one_x": abs(dx) == 1, "one_y": abs(dy) == 1})]
        k1, k2 = (f.kind if f.kind != "polygon" else "triangle" for f in (f1, f2))
        return Ask("position", {"measure": "position", "of": [f1.name, f2.name]}, word, "word",
                   ("ask.position." + family(word), {"f1": f1.name, "f2": f2.name, "k1": k1, "k2": k2}),
                   steps, figs=self.figures(d), keep_apart=True)


def _unit_value(f: Fig, u: str):
    if u in f.points:
        return f.points[u]
    return (f.p["h"], f.p["k"], f.p["r2"])


def _exact_anchor(f: Fig):
    if f.kind in ("circle",):
        return (f.p["h"], f.p["k"])
    pts = list(f.points.values())
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def apart(f1: Fig, f2: Fig, window, gap: float = 0.8) -> bool:
    """The two figures' outlines (filled, for closed ones) stay ``gap`` units apart."""
    from shapely.geometry import LineString, Point, Polygon

    o1, o2 = f1.outline(window)[0], f2.outline(window)[0]
    b1 = (min(p[0] for p in o1), min(p[1] for p in o1), max(p[0] for p in o1), max(p[1] for p in o1))
    b2 = (min(p[0] for p in o2), min(p[1] for p in o2), max(p[0] for p in o2), max(p[1] for p in o2))
    if b1[0] >= b2[2] + gap or b2[0] >= b1[2] + gap or b1[1] >= b2[3] + gap or b2[1] >= b1[3] + gap:
        return True             # boxes apart by the gap: the figures are

    def geom(f):
        lines = f.outline(window)
        if f.kind == "point":
            return Point(lines[0][0])
        if f.kind in ("circle", "ellipse", "polygon"):
            return Polygon(lines[0])
        return LineString(lines[0])
    return geom(f1).distance(geom(f2)) >= gap


KINDS: dict[str, Kind] = {k.qtype: k for k in (
    Distance(), Midpoint(), Slope(), LineEquation(), LineRelation(), LineIntersection(), LineCircle(), CircleCircle(),
    CircleEquation(), CircleTangent(), PointCircle(), Area(), Perimeter(), TriangleCentre("centroid"),
    TriangleCentre("circumcenter"), TriangleCentre("orthocenter"), ConicProperty("foci"), ConicProperty("vertices"),
    ConicProperty("eccentricity"), Asymptotes(), LineConic(), Position())}
QUESTIONS = {q: KINDS[q] for q in ("distance", "midpoint", "slope", "line-equation", "line-relation",
                                   "line-intersection", "line-circle", "circle-circle", "circle-equation",
                                   "circle-tangent", "point-circle", "area", "perimeter", "centroid", "circumcenter",
                                   "orthocenter", "foci", "vertices", "eccentricity", "asymptotes", "line-conic",
                                   "position")}
