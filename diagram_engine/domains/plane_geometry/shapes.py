"""Plane-geometry shapes: coordinates, exact values and the formula bank (recipes).

Every shape is built on a directed edge P -> Q with its interior on the left of P -> Q, so a
shape attached to edge U -> V of the previous shape is built on V -> U and lies on the far
side of it (MAVIS naming: square CBEF on edge BC of ABCD).

Each shape states its exact values twice, on purpose:

* ``values``: the canonical value of every quantity, computed forwards from the sampled
  parameters when the shape is built;
* ``recipes``: the formula bank, relations that derive one quantity from others, used to
  write the solution.

The derivation evaluates recipes and compares every intermediate with ``values``; a wrong
formula in either is caught at once (see ``derive.py``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from ...errors import Rejected
from ...registry import register
from .rule import BUILTIN_SHAPES

__all__ = ["Recipe", "Shape", "Circle", "L", "A", "BUILDERS", "DECORATORS", "display_name",
           "ATTACHABLE", "TERMINAL"]

X = sp.symbols("x0:5", positive=True)
X0, X1, X2, X3, X4 = X
PI = sp.pi
SQ2, SQ3 = sp.sqrt(2), sp.sqrt(3)
I = sp.Integer


def rad(e):
    return e * PI / 180


def sin(e):
    return sp.sin(rad(e))


def cos(e):
    return sp.cos(rad(e))


def tan(e):
    return sp.tan(rad(e))


def L(a: str, b: str) -> str:
    """Key of the length of segment ab (order-free)."""
    return "len:" + (a + b if a < b else b + a)


def A(a: str, v: str, b: str) -> str:
    """Key of the angle at v between rays va and vb (degrees)."""
    return "ang:" + (a + v + b if a < b else b + v + a)


def display_name(key: str) -> str:
    kind, _, rest = key.partition(":")
    if kind == "len":
        return rest
    if kind == "ang":
        return "∠" + rest
    if kind == "rad":
        return "r"
    if kind == "hgt":
        return "h"
    return rest


@dataclass(frozen=True)
class Recipe:
    """out = expr(ins); ``pattern`` writes the formula with ``{i}`` for input i."""
    out: str
    ins: tuple[str, ...]
    expr: sp.Expr
    kind: str
    pattern: str
    shape: str
    mistakes: tuple[sp.Expr, ...] = ()


@dataclass
class Shape:
    kind: str
    variant: str
    name: str
    verts: list[str]
    values: dict[str, sp.Expr]
    params: list[str]
    recipes: list[Recipe] = field(default_factory=list)
    free_edges: list[tuple[str, str]] = field(default_factory=list)
    incoming: str | None = None
    # drawing: "polygon" (verts in order), "sector" (P, Q=center, R), "semicircle" (P, Q)
    outline: str = "polygon"
    right_angles: list[tuple[str, str, str]] = field(default_factory=list)
    ticks: list[tuple[str, str, int]] = field(default_factory=list)
    arc: dict | None = None          # sector / semicircle geometry
    center_name: str | None = None   # extra point (semicircle centre)

    @property
    def area_key(self) -> str:
        return "area:" + self.name

    @property
    def perim_key(self) -> str:
        return "perim:" + self.name

    @property
    def arc_key(self) -> str:
        return "arc:" + self.name


@dataclass
class Circle:
    """An inscribed or circumscribed circle of the last shape, with its shaded region."""
    kind: str            # inscribed-circle | circumscribed-circle
    of: str
    center: str
    radius: sp.Expr
    values: dict[str, sp.Expr]
    recipes: list[Recipe]


class Ctx:
    """Construction state of one scene: float coordinates and the next free letters."""

    def __init__(self, rng, rule):
        self.rng = rng
        self.rule = rule
        self.pts: dict[str, tuple[float, float]] = {}
        letters = "ABCDEFGHIJKLMNPQRSTUVWXYZ"
        # point names run on from a drawn letter (A, B, C, ... most often; E, F, G, ... or
        # W, X, Y, Z, A, ... otherwise), so the letters alone do not name one figure
        start = 0 if rng.random() < 0.5 else int(rng.integers(len(letters)))
        self._letters = list(letters[start:] + letters[:start])
        self._next = 0
        self.draws: list[tuple[sp.Integer, tuple[int, ...]]] = []   # (value, the values it was drawn from)

    def letter(self) -> str:
        if self._next >= len(self._letters):
            raise Rejected("letters", "ran out of point names")
        c = self._letters[self._next]
        self._next += 1
        return c

    # -- sampling helpers (all draws go through the sample's rng) --------------------
    def choice(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def length_near(self, s_float: float, lo_ratio=0.45, hi_ratio=2.2, exclude=()) -> sp.Integer:
        lo, hi = self.rule.lengths
        cands = [v for v in range(lo, hi + 1)
                 if lo_ratio * s_float <= v <= hi_ratio * s_float and v not in exclude]
        if not cands:
            raise Rejected("proportions", "no length in range fits the shared edge", "lengths")
        return self._drawn(cands)

    def _drawn(self, cands) -> sp.Integer:
        v = I(self.choice(cands))
        self.draws.append((v, tuple(cands)))
        return v

    def angle(self, lo: int, hi: int, exclude=(), pool=None) -> sp.Integer:
        src = pool if pool is not None else self.rule.angles
        cands = [a for a in src if lo <= a <= hi and a not in exclude]
        if not cands:
            raise Rejected("angles", f"no angle of the rule lies in [{lo}, {hi}]",
                           "sector_angles" if pool is self.rule.sector_angles else "angles")
        return self._drawn(cands)


# --- small vector helpers (plain floats: faster than numpy for 2-vectors) -----------------

def _sub(p, q):
    return (p[0] - q[0], p[1] - q[1])


def _add(p, v, k=1.0):
    return (p[0] + k * v[0], p[1] + k * v[1])


def _rot(v, deg_):
    c, s = math.cos(math.radians(deg_)), math.sin(math.radians(deg_))
    return (c * v[0] - s * v[1], s * v[0] + c * v[1])


def _frame(ctx, P, Q):
    p, q = ctx.pts[P], ctx.pts[Q]
    dx, dy = q[0] - p[0], q[1] - p[1]
    s = math.hypot(dx, dy)
    d = (dx / s, dy / s)
    n = (-d[1], d[0])
    return p, q, s, d, n


def _f(e) -> float:
    return float(e) if isinstance(e, (sp.Integer, sp.Rational)) else float(sp.N(e, 17))


def _R(shape, out, ins, expr, kind, pattern, mistakes=()):
    shape.recipes.append(Recipe(out, tuple(ins), expr, kind, pattern, shape.name, tuple(mistakes)))


def _equal_sides(shape, src, others, kind):
    for o in others:
        _R(shape, o, [src], X0, kind, "{0}")
        _R(shape, src, [o], X0, kind, "{0}")


def _poly_edges(verts):
    return [(verts[i], verts[(i + 1) % len(verts)]) for i in range(len(verts))]


def _finish_polygon(shape, P, Q):
    edges = _poly_edges(shape.verts)
    shape.free_edges = [e for e in edges if set(e) != {P, Q}]


def _perimeter_recipe(shape, side_keys, kind="perimeter-sum"):
    pat = " + ".join("{%d}" % i for i in range(len(side_keys)))
    expr = sum(X[i] for i in range(len(side_keys)))
    _R(shape, shape.perim_key, side_keys, expr, kind, pat)


# --- builders: (ctx, P, Q, s_exact, base) -> Shape ------------------------------------------

def build_square(ctx, P, Q, s, base):
    p, q, sf, d, n = _frame(ctx, P, Q)
    R, S = ctx.letter(), ctx.letter()
    ctx.pts[R] = _add(q, n, sf)
    ctx.pts[S] = _add(p, n, sf)
    v = [P, Q, R, S]
    name = "".join(v)
    e1, e2, e3, e4 = L(P, Q), L(Q, R), L(R, S), L(S, P)
    sh = Shape("square", "", name, v, {}, [e1] if base else [])
    sh.values = {e1: s, e2: s, e3: s, e4: s, L(P, R): s * SQ2, L(Q, S): s * SQ2,
                 sh.area_key: s ** 2, sh.perim_key: 4 * s}
    _equal_sides(sh, e1, [e2, e3, e4], "square-sides")
    _R(sh, sh.area_key, [e1], X0 ** 2, "square-area", "{0:p}²", [4 * X0, 2 * X0])
    _R(sh, sh.perim_key, [e1], 4 * X0, "square-perimeter", "4 · {0}", [X0 ** 2, 2 * X0])
    _R(sh, L(P, R), [e1], X0 * SQ2, "square-diagonal", "√2 · {0}", [2 * X0, X0 * SQ3])
    sh.ticks = [(P, Q, 1), (Q, R, 1), (R, S, 1), (S, P, 1)]      # four equal sides and a right angle
    sh.right_angles = [(P, Q, R)]
    _finish_polygon(sh, P, Q)
    return sh


def build_rectangle(ctx, P, Q, s, base):
    p, q, sf, d, n = _frame(ctx, P, Q)
    w = ctx.length_near(sf, 0.4, 2.0, exclude=(s,))
    wf = _f(w)
    R, S = ctx.letter(), ctx.letter()
    ctx.pts[R] = _add(q, n, wf)
    ctx.pts[S] = _add(p, n, wf)
    v = [P, Q, R, S]
    name = "".join(v)
    e1, e2, e3, e4 = L(P, Q), L(Q, R), L(R, S), L(S, P)
    sh = Shape("rectangle", "", name, v, {}, ([e1] if base else []) + [e2])
    diag = sp.sqrt(s ** 2 + w ** 2)
    sh.values = {e1: s, e2: w, e3: s, e4: w, L(P, R): diag, L(Q, S): diag,
                 sh.area_key: s * w, sh.perim_key: 2 * (s + w)}
    _equal_sides(sh, e1, [e3], "opposite-sides")
    _equal_sides(sh, e2, [e4], "opposite-sides")
    _R(sh, sh.area_key, [e1, e2], X0 * X1, "rectangle-area", "{0} · {1}",
       [2 * (X0 + X1), X0 * X1 / 2])
    _R(sh, sh.perim_key, [e1, e2], 2 * (X0 + X1), "rectangle-perimeter", "2 · ({0} + {1})",
       [X0 + X1, X0 * X1])
    _R(sh, L(P, R), [e1, e2], sp.sqrt(X0 ** 2 + X1 ** 2), "pythagoras-diagonal",
       "√({0:p}² + {1:p}²)", [X0 + X1])
    sh.ticks = [(P, Q, 1), (R, S, 1), (Q, R, 2), (S, P, 2)]      # opposite sides equal, a right angle
    sh.right_angles = [(P, Q, R)]
    _finish_polygon(sh, P, Q)
    return sh


def _parallelogram(ctx, P, Q, s, base, rhombus):
    p, q, sf, d, n = _frame(ctx, P, Q)
    th = ctx.angle(25, 80)
    w = s if rhombus else ctx.length_near(sf, 0.45, 2.0)
    wf = sf if rhombus else _f(w)
    u = _rot(d, float(th))
    R, S = ctx.letter(), ctx.letter()
    ctx.pts[R] = _add(q, u, wf)
    ctx.pts[S] = _add(p, u, wf)
    v = [P, Q, R, S]
    name = "".join(v)
    e1, e2, e3, e4 = L(P, Q), L(Q, R), L(R, S), L(S, P)
    aP, aQ, aR, aS = A(S, P, Q), A(P, Q, R), A(Q, R, S), A(R, S, P)
    kind = "rhombus" if rhombus else "parallelogram"
    params = ([e1] if base else []) + ([] if rhombus else [e4]) + [aP]
    sh = Shape(kind, "", name, v, {}, params)
    area = s * w * sin(th)
    sh.values = {e1: s, e2: w, e3: s, e4: w, aP: th, aQ: 180 - th, aR: th, aS: 180 - th,
                 sh.area_key: area, sh.perim_key: 2 * (s + w)}
    if rhombus:
        _equal_sides(sh, e1, [e2, e3, e4], "rhombus-sides")
        _R(sh, sh.area_key, [e1, aP], X0 ** 2 * sin(X1), "rhombus-area", "{0:p}² · sin({1})",
           [X0 ** 2, X0 ** 2 * cos(X1)])
        _R(sh, sh.perim_key, [e1], 4 * X0, "rhombus-perimeter", "4 · {0}", [X0 ** 2, 2 * X0])
        sh.ticks = [(P, Q, 1), (Q, R, 1), (R, S, 1), (S, P, 1)]
    else:
        _equal_sides(sh, e1, [e3], "opposite-sides")
        _equal_sides(sh, e4, [e2], "opposite-sides")
        _R(sh, sh.area_key, [e1, e4, aP], X0 * X1 * sin(X2), "parallelogram-area",
           "{0} · {1} · sin({2})", [X0 * X1, X0 * X1 * cos(X2)])
        _R(sh, sh.perim_key, [e1, e4], 2 * (X0 + X1), "parallelogram-perimeter",
           "2 · ({0} + {1})", [X0 + X1, X0 * X1])
        sh.ticks = [(P, Q, 1), (R, S, 1), (Q, R, 2), (S, P, 2)]  # both pairs of opposite sides equal
    _R(sh, aQ, [aP], 180 - X0, "adjacent-angles", "180° - {0}", [90 - X0, X0])
    _R(sh, aR, [aP], X0, "opposite-angles", "{0}", [180 - X0])
    _R(sh, aS, [aP], 180 - X0, "adjacent-angles", "180° - {0}", [90 - X0, X0])
    _finish_polygon(sh, P, Q)
    return sh


def build_parallelogram(ctx, P, Q, s, base):
    return _parallelogram(ctx, P, Q, s, base, False)


def build_rhombus(ctx, P, Q, s, base):
    return _parallelogram(ctx, P, Q, s, base, True)


def build_trapezoid(ctx, P, Q, s, base):
    """Right trapezoid PQRS: PQ and SR parallel, right angles at P and S."""
    p, q, sf, d, n = _frame(ctx, P, Q)
    h = ctx.length_near(sf, 0.4, 1.4)
    b = ctx.length_near(sf, 0.35, 0.8)
    hf, bf = _f(h), _f(b)
    R, S = ctx.letter(), ctx.letter()
    ctx.pts[S] = _add(p, n, hf)
    ctx.pts[R] = _add(ctx.pts[S], d, bf)
    v = [P, Q, R, S]
    name = "".join(v)
    e1, e2, e3, e4 = L(P, Q), L(Q, R), L(R, S), L(S, P)
    sh = Shape("trapezoid", "right", name, v, {}, ([e1] if base else []) + [e3, e4])
    leg = sp.sqrt(h ** 2 + (s - b) ** 2)
    sh.values = {e1: s, e2: leg, e3: b, e4: h, sh.area_key: (s + b) * h / 2,
                 sh.perim_key: s + b + h + leg}
    _R(sh, sh.area_key, [e1, e3, e4], (X0 + X1) * X2 / 2, "trapezoid-area",
       "({0} + {1}) · {2} / 2", [(X0 + X1) * X2, X0 * X2])
    _R(sh, e2, [e1, e3, e4], sp.sqrt(X2 ** 2 + (X0 - X1) ** 2), "trapezoid-leg",
       "√({2:p}² + ({0} - {1})²)", [X2 + X0 - X1, sp.sqrt(X2 ** 2 + X0 ** 2)])
    _perimeter_recipe(sh, [e1, e2, e3, e4])
    sh.right_angles = [(S, P, Q), (R, S, P)]
    _finish_polygon(sh, P, Q)
    return sh


def build_triangle(ctx, P, Q, s, base):
    """General triangle from two sides and the included angle at P."""
    p, q, sf, d, n = _frame(ctx, P, Q)
    al = ctx.angle(30, 120, exclude=(90,), pool=sorted(set(ctx.rule.angles) | {120}))
    t = ctx.length_near(sf, 0.6, 1.6, exclude=(s,))
    R = ctx.letter()
    ctx.pts[R] = _add(p, _rot(d, float(al)), _f(t))
    v = [P, Q, R]
    name = "".join(v)
    ePQ, eQR, ePR = L(P, Q), L(Q, R), L(P, R)
    aP = A(Q, P, R)
    sh = Shape("triangle", "", name, v, {}, ([ePQ] if base else []) + [ePR, aP])
    third = sp.sqrt(s ** 2 + t ** 2 - 2 * s * t * cos(al))
    sh.values = {ePQ: s, ePR: t, aP: al, eQR: third, sh.area_key: s * t * sin(al) / 2,
                 sh.perim_key: s + t + third}
    _R(sh, sh.area_key, [ePQ, ePR, aP], X0 * X1 * sin(X2) / 2, "triangle-area-sas",
       "{0} · {1} · sin({2}) / 2", [X0 * X1 * sin(X2), X0 * X1 * cos(X2) / 2])
    _R(sh, eQR, [ePQ, ePR, aP], sp.sqrt(X0 ** 2 + X1 ** 2 - 2 * X0 * X1 * cos(X2)),
       "law-of-cosines", "√({0:p}² + {1:p}² - 2 · {0} · {1} · cos({2}))",
       [sp.sqrt(X0 ** 2 + X1 ** 2), sp.sqrt(X0 ** 2 + X1 ** 2 + 2 * X0 * X1 * cos(X2))])
    _perimeter_recipe(sh, [ePQ, eQR, ePR])
    _finish_polygon(sh, P, Q)
    return sh


def build_right_triangle(ctx, P, Q, s, base):
    p, q, sf, d, n = _frame(ctx, P, Q)
    variant = ctx.choice(["leg", "angle", "hypotenuse"])
    R = ctx.letter()
    ePQ, eQR, ePR = L(P, Q), L(Q, R), L(P, R)
    v = [P, Q, R]
    name = "".join(v)
    if variant in ("leg", "angle"):
        # right angle at Q; legs PQ and QR
        aP, aR = A(Q, P, R), A(P, R, Q)
        if variant == "leg":
            t = ctx.length_near(sf, 0.5, 1.8)
            th = None
            params = [eQR]
        else:
            th = ctx.angle(25, 65)
            t = s * tan(th)
            params = [aP]
        tf = _f(t)
        ctx.pts[R] = _add(q, n, tf)
        sh = Shape("right-triangle", variant, name, v, {}, ([ePQ] if base else []) + params)
        hyp = sp.sqrt(s ** 2 + t ** 2) if th is None else s / cos(th)
        sh.values = {ePQ: s, eQR: t, ePR: hyp, sh.area_key: s * t / 2,
                     sh.perim_key: s + t + hyp, A(P, Q, R): I(90)}
        if th is not None:
            sh.values[aP] = th
            sh.values[aR] = 90 - th
            _R(sh, eQR, [ePQ, aP], X0 * tan(X1), "tangent-ratio", "{0} · tan({1})",
               [X0 * sin(X1), X0 / tan(X1)])
            _R(sh, ePR, [ePQ, aP], X0 / cos(X1), "cosine-ratio", "{0} / cos({1})",
               [X0 * cos(X1), X0 / sin(X1)])
            _R(sh, aR, [aP], 90 - X0, "right-triangle-angles", "90° - {0}", [180 - X0])
        _R(sh, ePR, [ePQ, eQR], sp.sqrt(X0 ** 2 + X1 ** 2), "pythagoras", "√({0:p}² + {1:p}²)",
           [X0 + X1, sp.sqrt(sp.Abs(X0 ** 2 - X1 ** 2))])
        _R(sh, sh.area_key, [ePQ, eQR], X0 * X1 / 2, "right-triangle-area", "{0} · {1} / 2",
           [X0 * X1])
        sh.right_angles = [(P, Q, R)]
    else:
        # PQ is the hypotenuse; right angle at R
        th = ctx.angle(25, 65, exclude=(45,))
        aP, aQ = A(Q, P, R), A(P, Q, R)
        ctx.pts[R] = _add(p, _rot(d, float(th)), sf * math.cos(math.radians(float(th))))
        sh = Shape("right-triangle", variant, name, v, {}, ([ePQ] if base else []) + [aP])
        a_, b_ = s * cos(th), s * sin(th)
        sh.values = {ePQ: s, ePR: a_, eQR: b_, aP: th, aQ: 90 - th, A(P, R, Q): I(90),
                     sh.area_key: a_ * b_ / 2, sh.perim_key: s + a_ + b_}
        _R(sh, ePR, [ePQ, aP], X0 * cos(X1), "cosine-ratio-hyp", "{0} · cos({1})",
           [X0 * sin(X1), X0 / cos(X1)])
        _R(sh, eQR, [ePQ, aP], X0 * sin(X1), "sine-ratio-hyp", "{0} · sin({1})",
           [X0 * cos(X1), X0 * tan(X1)])
        _R(sh, aQ, [aP], 90 - X0, "right-triangle-angles", "90° - {0}", [180 - X0])
        _R(sh, sh.area_key, [ePR, eQR], X0 * X1 / 2, "right-triangle-area", "{0} · {1} / 2",
           [X0 * X1])
        sh.right_angles = [(P, R, Q)]
    _perimeter_recipe(sh, [ePQ, eQR, ePR])
    _finish_polygon(sh, P, Q)
    return sh


def build_isosceles_triangle(ctx, P, Q, s, base):
    p, q, sf, d, n = _frame(ctx, P, Q)
    R = ctx.letter()
    v = [P, Q, R]
    name = "".join(v)
    ePQ, eQR, ePR = L(P, Q), L(Q, R), L(P, R)
    variant = ctx.choice(["base", "apex"])
    if variant == "base":
        # PQ is the base, R the apex; base angle b at P and Q
        b = ctx.angle(25, 70, exclude=(60,))
        aP, aQ, aR = A(Q, P, R), A(P, Q, R), A(P, R, Q)
        hgt = "hgt:" + name
        h = s * tan(b) / 2
        mid = _add(p, d, sf / 2)
        ctx.pts[R] = _add(mid, n, _f(h))
        leg = s / (2 * cos(b))
        sh = Shape("isosceles-triangle", "base", name, v, {}, ([ePQ] if base else []) + [aP])
        sh.values = {ePQ: s, eQR: leg, ePR: leg, aP: b, aQ: b, aR: 180 - 2 * b, hgt: h,
                     sh.area_key: s * h / 2, sh.perim_key: s + 2 * leg}
        _R(sh, aQ, [aP], X0, "isosceles-base-angles", "{0}")
        _R(sh, aR, [aP, aQ], 180 - X0 - X1, "angle-sum", "180° - {0} - {1}", [90 - X0, 180 - X0])
        _R(sh, ePR, [ePQ, aP], X0 / (2 * cos(X1)), "isosceles-leg", "({0} / 2) / cos({1})",
           [X0 * cos(X1) / 2, X0 / cos(X1)])
        _R(sh, eQR, [ePR], X0, "isosceles-legs", "{0}")
        _R(sh, hgt, [ePQ, aP], X0 * tan(X1) / 2, "isosceles-height", "({0} / 2) · tan({1})",
           [X0 * tan(X1), X0 * sin(X1) / 2])
        _R(sh, sh.area_key, [ePQ, hgt], X0 * X1 / 2, "triangle-area-base-height",
           "{0} · {1} / 2", [X0 * X1])
        sh.ticks = [(P, R, 1), (Q, R, 1)]
    else:
        # legs QP and QR equal, apex angle f at Q
        f = ctx.angle(30, 150, exclude=(60,), pool=sorted(set(ctx.rule.angles) | {90, 120}))
        aQ, aP, aR = A(P, Q, R), A(Q, P, R), A(P, R, Q)
        ctx.pts[R] = _add(q, _rot((-d[0], -d[1]), -float(f)), sf)
        sh = Shape("isosceles-triangle", "apex", name, v, {}, ([ePQ] if base else []) + [aQ])
        base_len = 2 * s * sin(f / 2)
        sh.values = {ePQ: s, eQR: s, ePR: base_len, aQ: f, aP: (180 - f) / 2,
                     aR: (180 - f) / 2, sh.area_key: s ** 2 * sin(f) / 2,
                     sh.perim_key: 2 * s + base_len}
        _R(sh, eQR, [ePQ], X0, "isosceles-legs", "{0}")
        _R(sh, ePR, [ePQ, aQ], 2 * X0 * sin(X1 / 2), "isosceles-base", "2 · {0} · sin({1} / 2)",
           [X0 * sin(X1 / 2), 2 * X0 * cos(X1 / 2)])
        _R(sh, aP, [aQ], (180 - X0) / 2, "isosceles-base-angle-from-apex", "(180° - {0}) / 2",
           [180 - X0, 90 - X0])
        _R(sh, aR, [aP], X0, "isosceles-base-angles", "{0}")
        _R(sh, sh.area_key, [ePQ, eQR, aQ], X0 * X1 * sin(X2) / 2, "triangle-area-sas",
           "{0} · {1} · sin({2}) / 2", [X0 * X1 * sin(X2), X0 * X1 * cos(X2) / 2])
        sh.ticks = [(P, Q, 1), (Q, R, 1)]
    _perimeter_recipe(sh, [ePQ, eQR, ePR])
    _finish_polygon(sh, P, Q)
    return sh


def build_equilateral_triangle(ctx, P, Q, s, base):
    p, q, sf, d, n = _frame(ctx, P, Q)
    R = ctx.letter()
    mid = _add(p, d, sf / 2)
    ctx.pts[R] = _add(mid, n, sf * math.sqrt(3) / 2)
    v = [P, Q, R]
    name = "".join(v)
    ePQ, eQR, ePR = L(P, Q), L(Q, R), L(P, R)
    sh = Shape("equilateral-triangle", "", name, v, {}, [ePQ] if base else [])
    sh.values = {ePQ: s, eQR: s, ePR: s, A(Q, P, R): I(60), A(P, Q, R): I(60),
                 A(P, R, Q): I(60), sh.area_key: s ** 2 * SQ3 / 4, sh.perim_key: 3 * s}
    _equal_sides(sh, ePQ, [eQR, ePR], "equilateral-sides")
    _R(sh, sh.area_key, [ePQ], X0 ** 2 * SQ3 / 4, "equilateral-area", "√3 · {0:p}² / 4",
       [X0 ** 2 / 2, X0 ** 2 * SQ3 / 2])
    _R(sh, sh.perim_key, [ePQ], 3 * X0, "equilateral-perimeter", "3 · {0}", [X0 ** 2, 2 * X0])
    sh.ticks = [(P, Q, 1), (Q, R, 1), (R, P, 1)]
    _finish_polygon(sh, P, Q)
    return sh


def build_regular_polygon(ctx, P, Q, s, base):
    k = int(ctx.choice(list(ctx.rule.polygon_sides)))
    p, q, sf, d, n = _frame(ctx, P, Q)
    ext = 360.0 / k
    v = [P, Q]
    cur, dirv = q, d
    for _ in range(k - 2):
        dirv = _rot(dirv, ext)
        cur = _add(cur, dirv, sf)
        nm = ctx.letter()
        ctx.pts[nm] = cur
        v.append(nm)
    name = "".join(v)
    e1 = L(P, Q)
    sh = Shape("regular-polygon", str(k), name, v, {}, [e1] if base else [])
    edges = _poly_edges(v)
    interior = I(180) * (k - 2) / k
    area = k * s ** 2 / (4 * sp.tan(PI / k))
    sh.values = {L(a, b): s for a, b in edges}
    sh.values.update({sh.area_key: area, sh.perim_key: k * s})
    for i in range(k):
        sh.values[A(v[i - 1], v[i], v[(i + 1) % k])] = interior
    _equal_sides(sh, e1, [L(a, b) for a, b in edges if L(a, b) != e1], "regular-polygon-sides")
    _R(sh, sh.perim_key, [e1], k * X0, "regular-polygon-perimeter", f"{k} · {{0}}", [X0 * (k - 1)])
    _R(sh, sh.area_key, [e1], k * X0 ** 2 / (4 * sp.tan(PI / k)), "regular-polygon-area",
       f"{k} · {{0:p}}² / (4 · tan({f'{180 // k}°' if 180 % k == 0 else f'180°/{k}'}))", [k * X0 ** 2 / 4])
    sh.ticks = [(a, b, 1) for a, b in edges]
    _finish_polygon(sh, P, Q)
    return sh


def build_sector(ctx, P, Q, s, base):
    """Sector with centre Q through P, turning by th on the left of P -> Q."""
    p, q, sf, d, n = _frame(ctx, P, Q)
    th = ctx.angle(30, 150, pool=ctx.rule.sector_angles)
    R = ctx.letter()
    ctx.pts[R] = _add(q, _rot((-d[0], -d[1]), -float(th)), sf)
    v = [P, Q, R]
    name = "".join(v)
    ePQ, eQR = L(P, Q), L(Q, R)
    aQ = A(P, Q, R)
    sh = Shape("sector", "", name, v, {}, ([ePQ] if base else []) + [aQ], outline="sector")
    arc = PI * s * th / 180
    sh.values = {ePQ: s, eQR: s, aQ: th, sh.arc_key: arc, sh.area_key: PI * s ** 2 * th / 360,
                 sh.perim_key: 2 * s + arc}
    _equal_sides(sh, ePQ, [eQR], "sector-radii")
    _R(sh, sh.arc_key, [ePQ, aQ], PI * X0 * X1 / 180, "arc-length", "2π · {0} · {1} / 360°",
       [PI * X0 ** 2 * X1 / 360, PI * X0 * X1 / 360])
    _R(sh, sh.area_key, [ePQ, aQ], PI * X0 ** 2 * X1 / 360, "sector-area",
       "π · {0:p}² · {1} / 360°", [PI * X0 * X1 / 180, PI * X0 ** 2 * X1 / 180])
    _R(sh, sh.perim_key, [ePQ, sh.arc_key], 2 * X0 + X1, "sector-perimeter", "2 · {0} + {1}",
       [X0 + X1])
    qx, qy = ctx.pts[Q]
    a_end = math.degrees(math.atan2(ctx.pts[P][1] - qy, ctx.pts[P][0] - qx))
    sh.arc = {"center": Q, "radius": sf, "start_deg": a_end - float(th), "end_deg": a_end,
              "ends": [R, P]}
    sh.free_edges = [(Q, R)]
    return sh


def build_semicircle(ctx, P, Q, s, base):
    """Semicircle on diameter PQ, bulging to the left of P -> Q."""
    p, q, sf, d, n = _frame(ctx, P, Q)
    name = P + Q
    ePQ = L(P, Q)
    sh = Shape("semicircle", "", name, [P, Q], {}, [ePQ] if base else [], outline="semicircle")
    sh.values = {ePQ: s, sh.arc_key: PI * s / 2, sh.area_key: PI * s ** 2 / 8,
                 sh.perim_key: s + PI * s / 2}
    _R(sh, sh.arc_key, [ePQ], PI * X0 / 2, "semicircle-arc", "π · {0} / 2",
       [PI * X0, PI * X0 ** 2 / 8])
    _R(sh, sh.area_key, [ePQ], PI * X0 ** 2 / 8, "semicircle-area", "π · ({0} / 2)² / 2",
       [PI * X0 ** 2 / 4, PI * X0 ** 2 / 2])
    _R(sh, sh.perim_key, [ePQ, sh.arc_key], X0 + X1, "semicircle-perimeter", "{0} + {1}",
       [X1, 2 * X0 + X1])
    mid = _add(p, d, sf / 2)
    a0 = math.degrees(math.atan2(d[1], d[0]))
    sh.arc = {"center_xy": mid, "radius": sf / 2, "start_deg": a0, "end_deg": a0 + 180.0,
              "ends": [Q, P]}
    sh.free_edges = []
    return sh


# The registry of built-in shape kinds: the doc and parameters `rules list` prints.
_E = "the edge the shape is built on (the base edge from `lengths`, or the shared edge)"
_SHAPES = [
    ("triangle", build_triangle, "A general triangle from two sides and the included angle.",
     [("side", "second side: an integer from `lengths`, 0.6-1.6 x the edge, not equal to it"),
      ("angle", "the included angle at the edge's first vertex: from `angles` (plus 120) "
                "within 30-120, not 90")]),
    ("right-triangle", build_right_triangle, "A right triangle; the edge is a leg or the hypotenuse.",
     [("variant", "leg (second leg given), angle (acute angle given) or hypotenuse (the edge is "
                  "the hypotenuse), picked at random"),
      ("leg", "second leg: an integer from `lengths`, 0.5-1.8 x the edge"),
      ("angle", "acute angle at the edge's first vertex: from `angles` within 25-65 (not 45 "
                "for the hypotenuse variant)")]),
    ("isosceles-triangle", build_isosceles_triangle, "An isosceles triangle; the edge is its base or a leg.",
     [("variant", "base (edge is the base, base angle given) or apex (edge is a leg, apex angle given)"),
      ("angle", "base angle from `angles` within 25-70, or apex angle from `angles` (plus 90, "
                "120) within 30-150; never 60")]),
    ("equilateral-triangle", build_equilateral_triangle, "An equilateral triangle on the edge.",
     [("side", _E)]),
    ("square", build_square, "A square on the edge.", [("side", _E)]),
    ("rectangle", build_rectangle, "A rectangle with the edge as one side.",
     [("width", "the other side: an integer from `lengths`, 0.4-2.0 x the edge, not equal to it")]),
    ("parallelogram", build_parallelogram, "A parallelogram with the edge as one side.",
     [("side", "the other side: an integer from `lengths`, 0.45-2.0 x the edge"),
      ("angle", "the angle at the edge's first vertex: from `angles` within 25-80")]),
    ("rhombus", build_rhombus, "A rhombus with the edge as one side.",
     [("angle", "the angle at the edge's first vertex: from `angles` within 25-80")]),
    ("trapezoid", build_trapezoid, "A right trapezoid: the edge is the long base, right angles on one leg.",
     [("height", "an integer from `lengths`, 0.4-1.4 x the edge"),
      ("top", "the short base: an integer from `lengths`, 0.35-0.8 x the edge")]),
    ("regular-polygon", build_regular_polygon, "A regular polygon with the edge as one side.",
     [("sides", "from `polygon_sides` (5, 6 or 8)")]),
    ("sector", build_sector, "A circular sector whose radius is the edge, centred at its second vertex.",
     [("angle", "the central angle: from `sector_angles` within 30-150")]),
    ("semicircle", build_semicircle, "A semicircle on the edge as its diameter; always the last shape.",
     [("diameter", _E)]),
]
BUILDERS = {}
for _kind, _build, _doc, _params in _SHAPES:
    BUILDERS[_kind] = _build
    register("construction", _kind, _doc, _params, domain="plane-geometry")
TERMINAL = {"semicircle"}
ATTACHABLE = sorted(BUILDERS)


# --- decorations of the last shape: circles and shaded regions ---------------------------

def _circle_common(ctx, sh: Shape, kind, r_exact, r_recipe, center_xy):
    O = "O"
    ctx.pts[O] = center_xy
    rk, ck, sk = "rad:" + O, "area:circle-" + O, "shaded:" + sh.name
    area_c = PI * r_exact ** 2
    if kind == "inscribed-circle":
        shaded = sh.values[sh.area_key] - area_c
        pattern, mist = "{0} - {1}", [X0 + X1, X1 - X0]
    else:
        shaded = area_c - sh.values[sh.area_key]
        pattern, mist = "{1} - {0}", [X0 + X1, X0 - X1]
    values = {rk: r_exact, ck: area_c, sk: shaded, "circ:" + O: 2 * PI * r_exact}
    recipes = [r_recipe,
               Recipe(ck, (rk,), PI * X0 ** 2, "circle-area", "π · {0:p}²", sh.name,
                      (2 * PI * X0, PI * X0 ** 2 * 4)),
               Recipe("circ:" + O, (rk,), 2 * PI * X0, "circle-circumference", "2π · {0}", sh.name,
                      (PI * X0 ** 2, PI * X0)),
               Recipe(sk, (sh.area_key, ck), X0 - X1 if kind == "inscribed-circle" else X1 - X0,
                      "shaded-difference", pattern, sh.name, tuple(mist))]
    return Circle(kind, sh.name, O, r_exact, values, recipes)


def decorate_inscribed(ctx, sh: Shape):
    v = sh.verts
    e1 = L(v[0], v[1])
    s = sh.values[e1]
    cx = sum(ctx.pts[p][0] for p in v) / len(v)
    cy = sum(ctx.pts[p][1] for p in v) / len(v)
    rk = "rad:O"
    if sh.kind == "square":
        r = s / 2
        rec = Recipe(rk, (e1,), X0 / 2, "square-inradius", "{0} / 2", sh.name, (X0, X0 * SQ2 / 2))
    elif sh.kind == "equilateral-triangle":
        r = s * SQ3 / 6
        rec = Recipe(rk, (e1,), X0 * SQ3 / 6, "equilateral-inradius", "√3 · {0} / 6", sh.name,
                     (X0 * SQ3 / 3, X0 / 2))
    elif sh.kind == "regular-polygon" and sh.variant == "6":
        r = s * SQ3 / 2
        rec = Recipe(rk, (e1,), X0 * SQ3 / 2, "hexagon-inradius", "√3 · {0} / 2", sh.name,
                     (X0, X0 / 2))
    elif sh.kind == "rhombus":
        th = sh.values[A(v[3], v[0], v[1])]
        r = s * sin(th) / 2
        rec = Recipe(rk, (e1, A(v[3], v[0], v[1])), X0 * sin(X1) / 2, "rhombus-inradius",
                     "{0} · sin({1}) / 2", sh.name, (X0 / 2, X0 * cos(X1) / 2))
    else:
        raise Rejected("decoration", f"no inscribed circle for {sh.kind}")
    return _circle_common(ctx, sh, "inscribed-circle", r, rec, (cx, cy))


def decorate_circumscribed(ctx, sh: Shape):
    v = sh.verts
    e1 = L(v[0], v[1])
    s = sh.values[e1]
    rk = "rad:O"
    if sh.kind in ("square", "rectangle"):
        dk = L(v[0], v[2])
        r = sh.values[dk] / 2
        rec = Recipe(rk, (dk,), X0 / 2, "circumradius-diagonal", "{0} / 2", sh.name, (X0,))
        c = ((ctx.pts[v[0]][0] + ctx.pts[v[2]][0]) / 2, (ctx.pts[v[0]][1] + ctx.pts[v[2]][1]) / 2)
    elif sh.kind == "right-triangle" and sh.variant in ("leg", "angle"):
        dk = L(v[0], v[2])
        r = sh.values[dk] / 2
        rec = Recipe(rk, (dk,), X0 / 2, "circumradius-hypotenuse", "{0} / 2", sh.name, (X0,))
        c = ((ctx.pts[v[0]][0] + ctx.pts[v[2]][0]) / 2, (ctx.pts[v[0]][1] + ctx.pts[v[2]][1]) / 2)
    elif sh.kind == "equilateral-triangle":
        r = s * SQ3 / 3
        rec = Recipe(rk, (e1,), X0 * SQ3 / 3, "equilateral-circumradius", "√3 · {0} / 3", sh.name,
                     (X0 * SQ3 / 6, X0 * SQ3 / 2))
        c = (sum(ctx.pts[p][0] for p in v) / 3, sum(ctx.pts[p][1] for p in v) / 3)
    elif sh.kind == "regular-polygon" and sh.variant == "6":
        r = s
        rec = Recipe(rk, (e1,), X0, "hexagon-circumradius", "{0}", sh.name, (X0 * SQ3 / 2,))
        c = (sum(ctx.pts[p][0] for p in v) / 6, sum(ctx.pts[p][1] for p in v) / 6)
    else:
        raise Rejected("decoration", f"no circumscribed circle for {sh.kind}")
    return _circle_common(ctx, sh, "circumscribed-circle", r, rec, c)


DECORATORS = {"inscribed-circle": decorate_inscribed,
              "circumscribed-circle": decorate_circumscribed}
register("decoration", "inscribed-circle", "The incircle of the last shape, the rest of the shape "
         "shaded (square, equilateral triangle, regular hexagon, rhombus).",
         [("radius", "derived from the shape: side / 2, side · √3 / 6, ...")], domain="plane-geometry")
register("decoration", "circumscribed-circle", "The circumcircle of the last shape, the rest of the "
         "circle shaded (square, rectangle, right triangle, equilateral triangle, regular hexagon).",
         [("radius", "derived from the shape: half the diagonal or hypotenuse, side · √3 / 3, ...")],
         domain="plane-geometry")
for _name, _doc in [
        ("length", "a side or diagonal of the last shape"),
        ("angle", "an angle of the last shape, in degrees"),
        ("area", "the area of the last shape"),
        ("perimeter", "the perimeter of the last shape (or a drawn circle's circumference)"),
        ("arc", "the arc length of a sector or semicircle"),
        ("shaded", "the area of the shaded region between the last shape and its circle"),
        ("radius", "the radius of the drawn circle")]:
    register("target", _name, _doc, domain="plane-geometry")

# every shape kind a rule may name is registered, and nothing else
assert tuple(BUILDERS) == BUILTIN_SHAPES, "rule.BUILTIN_SHAPES and the registered builders differ"
