"""Questions on the coordinate plane: the figures they need, the exact answer, the steps.

Each builder constructs its figures answer-first (the intersection points are chosen before
the line through them, a circle's radius comes from a Pythagorean triple, a triangle is
inscribed in a circle about a lattice centre) and derives the answer with textbook formulas
in exact arithmetic: no equation is solved symbolically. Its target is one of the measures of
the domain's check (``check.py``), which re-measures the answer from the scene alone.
Steps are ``(slot, variables)`` pairs; the wording lives in ``templates/analytic-geometry/``.

Every builder is ``builder(ctx, rng) -> Ask``: ``ctx`` the coordinate plane of the sample
(its window and the point names still free; its helpers draw from the same ``rng``), ``rng``
the sample's generator. A builder that cannot ask its question raises ``Rejected``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from ...core import Ask as CoreAsk
from ...errors import Rejected, VerificationError
from ...writing import coef, join, par, shift, t
from . import figures as F
from .figures import X, Y, Fig, canonical, line_text, pt_text

__all__ = ["Ask", "Ctx", "QUESTIONS", "answer_text"]

I, R = sp.Integer, sp.Rational
POINT_NAMES = "ABCDFGMNPRSTUVW"      # not E, H (conics), K, Q (circle centres), O (the origin)
TRIPLES = [(3, 4, 5), (4, 3, 5), (0, 5, 5), (5, 0, 5), (6, 8, 10), (8, 6, 10), (5, 12, 13), (12, 5, 13)]


@dataclass
class Ask(CoreAsk):
    """A coordinate-plane question. ``answer`` is an exact number, (x, y), [(x, y)...], a line
    (a, b, c), [lines], a circle (h, k, r2) or a word; ``kind`` says which: number | point |
    points | line | lines | circle | word."""
    figs: list = field(kw_only=True)        # the figures the question is about (their texts are the givens)
    keep_apart: bool = field(default=False, kw_only=True)   # the figures must not overlap (position questions)


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


def _neg(v) -> str:
    """A value as the second operand of + or -: -4 written (-4)."""
    return f"({t(v)})" if v < 0 else t(v)


def sort_points(pts) -> list:
    return sorted(pts, key=lambda p: (float(p[0]), float(p[1])))


# --- answers as people write them -----------------------------------------------------------

def answer_text(kind: str, a) -> str:
    if kind == "number":
        return t(a)
    if kind == "point":
        return pt_text(a)
    if kind == "points":
        return ", ".join(pt_text(p) for p in a) if a else "no intersection"
    if kind == "line":
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


# --- points and segments ----------------------------------------------------------------------

def _two_points(ctx: Ctx, nice: bool, need_dx=False, need_dy=False):
    """Two lattice points, |AB| a whole number when ``nice`` (a Pythagorean triple apart)."""
    for _ in range(40):
        pa = ctx.lattice()
        if nice:
            dx, dy, _ = ctx.pick(TRIPLES[:6])
            dx, dy = dx * ctx.sign(), dy * ctx.sign()
        else:
            dx, dy = int(ctx.rng.integers(-7, 8)), int(ctx.rng.integers(-7, 8))
        if (dx, dy) == (0, 0) or (need_dx and dx == 0) or (need_dy and dy == 0):
            continue
        pb = (pa[0] + dx, pa[1] + dy)
        if ctx.inside(pb, 1):
            return pa, pb
    raise Rejected("window", "no room for two points", "window")


def q_distance(ctx: Ctx, rng) -> Ask:
    a, b = ctx.names(2)
    pa, pb = _two_points(ctx, rng.random() < 0.6)
    dx, dy = pb[0] - pa[0], pb[1] - pa[1]
    s = dx ** 2 + dy ** 2
    d = sp.sqrt(s)
    steps = [("distance", {"a": a, "b": b, "pa": pt_text(pa), "pb": pt_text(pb), "dx": f"{t(pb[0])} - {_neg(pa[0])}",
                           "dy": f"{t(pb[1])} - {_neg(pa[1])}", "dx2": t(dx ** 2), "dy2": t(dy ** 2), "sum": t(s),
                           "value": t(d)})]
    wrong = [abs(dx) + abs(dy), s, sp.sqrt(abs(dx ** 2 - dy ** 2)) if dx ** 2 != dy ** 2 else d + 1, d + 1, 2 * d]
    return Ask("distance", {"measure": "distance", "of": [a, b]}, d, "number", ("ask.distance", {"a": a, "b": b}),
               steps, wrong, figs=[F.segment(a, pa, b, pb)])


def q_midpoint(ctx: Ctx, rng) -> Ask:
    a, b = ctx.names(2)
    pa, pb = _two_points(ctx, False)
    m = ((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2)
    steps = [("midpoint", {"a": a, "b": b, "xs": f"{t(pa[0])} + {_neg(pb[0])}", "ys": f"{t(pa[1])} + {_neg(pb[1])}",
                           "value": pt_text(m)})]
    wrong = [((pb[0] - pa[0]) / 2, (pb[1] - pa[1]) / 2), (pa[0] + pb[0], pa[1] + pb[1]), (m[1], m[0]),
             (m[0], -m[1])]
    return Ask("midpoint", {"measure": "midpoint", "of": [a, b]}, m, "point", ("ask.midpoint", {"a": a, "b": b}),
               steps, wrong, figs=[F.segment(a, pa, b, pb)])


# --- lines -----------------------------------------------------------------------------------

def _slope_step(a, b, pa, pb, line="") -> tuple[str, dict]:
    m = (pb[1] - pa[1]) / (pb[0] - pa[0])
    return ("slope", {"a": a, "b": b, "line": line, "dy": f"{t(pb[1])} - {_neg(pa[1])}", "dx": f"{t(pb[0])} - {_neg(pa[0])}",
                      "value": t(m)})


def q_slope(ctx: Ctx, rng) -> Ask:
    a, b = ctx.names(2)
    pa, pb = _two_points(ctx, False, need_dx=True)
    line = F.line_through("l", a, pa, b, pb)
    m = (pb[1] - pa[1]) / (pb[0] - pa[0])
    wrong = [1 / m if m != 0 else I(1), -m, -1 / m if m != 0 else I(-1), m + 1]
    return Ask("slope", {"measure": "slope", "of": "l"}, m, "number", ("ask.slope", {"l": "l"}),
               [_slope_step(a, b, pa, pb, "l")], wrong, figs=[line])


def _point_slope_steps(pa, m) -> list:
    k = pa[1] - m * pa[0]
    return [("point-slope", {"p": pt_text(pa), "m": t(m),
                             "eq": f"{shift('y', pa[1])} = {coef(m, par(shift('x', pa[0])))}" if m != 0
                             else f"y = {t(pa[1])}",
                             "line": line_text(-m, I(1), -k)})]


def q_line_equation(ctx: Ctx, rng) -> Ask:
    a, b = ctx.names(2)
    pa, pb = _two_points(ctx, False, need_dx=rng.random() < 0.9)
    line = F.line_through("l", a, pa, b, pb)
    ans = canonical(line.p["a"], line.p["b"], line.p["c"])
    if pb[0] == pa[0]:
        steps = [("vertical", {"a": a, "b": b, "x": t(pa[0])})]
        wrong = [(I(0), I(1), -pa[0]), (I(1), I(0), pa[0]), (I(0), I(1), -pa[1])]
    else:
        m = (pb[1] - pa[1]) / (pb[0] - pa[0])
        k = pa[1] - m * pa[0]
        steps = [_slope_step(a, b, pa, pb, "l")] + _point_slope_steps(pa, m)
        wrong = [canonical(m, I(1), -k),                 # the slope's sign lost
                 canonical(-m, I(1), -k - 1),                # the intercept off by one
                 canonical(1 / m if m != 0 else I(1), I(1), -k),   # the reciprocal slope
                 canonical(-m, I(1), k)]                     # the intercept's sign lost
    return Ask("line-equation", {"measure": "line-equation", "of": "l"}, ans, "line",
               ("ask.line-equation", {"l": "l", "a": a, "b": b}), steps, wrong, figs=[line])


def _direction(ctx: Ctx, need_dy=False):
    for _ in range(20):
        dx, dy = int(ctx.rng.integers(1, 5)), int(ctx.rng.integers(-4, 5))
        if need_dy and dy == 0:
            continue
        g = math.gcd(dx, abs(dy))
        return I(dx // g), I(dy // g)
    raise Rejected("window", "no direction")


def _through(ctx: Ctx, d, avoid=(), step=None):
    """Two lattice points along direction d: a start and start + n·d, inside the window."""
    for _ in range(60):
        p = ctx.lattice(avoid=avoid)
        n = step or int(ctx.rng.integers(1, 4))
        q = (p[0] + n * d[0], p[1] + n * d[1])
        if ctx.inside(q, 1) and q not in avoid:
            return p, q
    raise Rejected("window", "no room for a line", "window")


def q_line_relation(ctx: Ctx, rng) -> Ask:
    a, b, c, d = ctx.names(4)
    word = ctx.pick(["parallel", "perpendicular", "intersecting"])
    d1 = _direction(ctx, need_dy=word == "perpendicular")
    if word == "parallel":
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
    for _ in range(20):
        pc, pd = _through(ctx, d2, avoid={pa, pb})
        if word != "parallel" or (pc[0] - pa[0]) * d1[1] != (pc[1] - pa[1]) * d1[0]:
            break
    else:
        raise Rejected("window", "parallel lines coincide")
    l1 = F.line_through("l", a, pa, b, pb)
    l2 = F.line_through("m", c, pc, d, pd)
    m1 = (pb[1] - pa[1]) / (pb[0] - pa[0])
    m2 = (pd[1] - pc[1]) / (pd[0] - pc[0]) if pd[0] != pc[0] else None
    steps = [_slope_step(a, b, pa, pb, "l"), _slope_step(c, d, pc, pd, "m") if m2 is not None else
             ("vertical", {"a": c, "b": d, "x": t(pc[0])}),
             ("relation." + word, {"m1": t(m1), "m2": t(m2) if m2 is not None else "", "product": t(m1 * m2)
                                   if m2 is not None else ""})]
    wrong = [w for w in ("parallel", "perpendicular", "intersecting", "coincident") if w != word]
    return Ask("line-relation", {"measure": "relation", "of": ["l", "m"]}, word, "word", ("ask.line-relation", {}),
               steps, wrong, figs=[l1, l2])


_SLOPES = [I(1), I(-1), I(2), I(-2), R(1, 2), R(-1, 2), I(3), I(-3), R(1, 3), R(-1, 3), I(0)]


def q_line_intersection(ctx: Ctx, rng) -> Ask:
    p = ctx.lattice(2)
    m1 = ctx.pick([s for s in _SLOPES if s != 0])
    m2 = ctx.pick([s for s in _SLOPES if s != m1] + [None])          # None: a vertical line
    k1 = p[1] - m1 * p[0]
    l1 = F.line_from("l", -m1, I(1), -k1, "slope")
    if m2 is None:
        l2 = F.line_from("m", I(1), I(0), -p[0], "general")
    else:
        l2 = F.line_from("m", -m2, I(1), -(p[1] - m2 * p[0]), "general")
    a, b, c = l2.p["a"], l2.p["b"], l2.p["c"]
    # substitute y = m1·x + k1 into ax + by + c = 0: (a + b·m1)x + (b·k1 + c) = 0
    steps = [("intersect.lines", {"l1": line_text(-m1, I(1), -k1), "l2": l1_text(l2), "sub": join(
        [coef(a + b * m1, "x"), t(b * k1 + c)]), "x": t(p[0]), "y": t(p[1]), "l1rhs": join(
        [coef(m1, f"({t(p[0])})"), t(k1)])})]
    wrong = [[(p[1], p[0])], [(-p[0], p[1])], [(p[0], -p[1])], [(p[0] + 1, m1 * (p[0] + 1) + k1)]]
    return Ask("line-intersection", {"measure": "intersections", "of": ["l", "m"]}, [p], "points",
               ("ask.intersection", {"a": "l", "b": "m"}), steps, wrong, figs=[l1, l2])


def l1_text(fig: Fig) -> str:
    return line_text(fig.p["a"], fig.p["b"], fig.p["c"], fig.form if fig.form != "points" else "slope")


# --- circles ---------------------------------------------------------------------------------

def _on_circle(r: int) -> list:
    """Lattice offsets on a circle of radius r about the origin."""
    out = set()
    for dx, dy, h in TRIPLES:
        if h == r:
            for sx in (1, -1):
                for sy in (1, -1):
                    out.add((sx * dx, sy * dy))
    out |= {(r, 0), (-r, 0), (0, r), (0, -r)}
    return sorted(out)


def _circle(ctx: Ctx, name="ω", center="K", radii=(5, 5, 5, 3, 4, 2)):
    (x0, x1), (y0, y1) = ctx.window
    for _ in range(40):
        r = ctx.pick(list(radii))
        h = I(int(ctx.rng.integers(x0 + r + 1, x1 - r))) if x1 - x0 > 2 * r + 2 else None
        k = I(int(ctx.rng.integers(y0 + r + 1, y1 - r))) if y1 - y0 > 2 * r + 2 else None
        if h is not None and k is not None:
            return F.circle(name, center, h, k, I(r * r)), r
    raise Rejected("window", "no room for the circle", "window")


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


def _line_meets(name: str, fig: Fig, p, q, form: str) -> tuple[Fig, list]:
    """The line through p and q (points of ``fig``), given by its equation, with the steps."""
    line = F.line_through(name, "", p, "", q, form=form, show_points=False)
    var, quad, roots = _quadratic_steps(fig, line, [p[0], q[0]] if line.p["b"] != 0 else [p[1], q[1]])
    pts = sort_points({p, q})
    step = ("intersect.curve", {"line": l1_text(line), "curve": fig.equation(), "var": var, "quad": quad,
                                "roots": [t(r) for r in roots], "points": [pt_text(s) for s in pts]})
    return line, [step], pts


def q_line_circle(ctx: Ctx, rng) -> Ask:
    circ, r = _circle(ctx)
    h, k = circ.p["h"], circ.p["k"]
    offs = _on_circle(r)
    tangent = rng.random() < 0.3
    form = ctx.pick(["slope", "general"])
    for _ in range(30):
        i, j = (int(v) for v in rng.choice(len(offs), 2, replace=False))
        p = (h + offs[i][0], k + offs[i][1])
        q = (h + offs[j][0], k + offs[j][1]) if not tangent else None
        if tangent:
            # the tangent at p: perpendicular to the radius; q one step along it
            d = (-(p[1] - k), p[0] - h)
            g = math.gcd(int(d[0]), int(d[1]))
            q = (p[0] + d[0] / g, p[1] + d[1] / g)
            line = F.line_through("l", "", p, "", q, form=form, show_points=False)
            var, quad, roots = _quadratic_steps(circ, line, [p[0]] if line.p["b"] != 0 else [p[1]])
            pts = [p]
            steps = [("intersect.curve", {"line": l1_text(line), "curve": circ.equation(), "var": var, "quad": quad,
                                          "roots": [t(r_) for r_ in roots], "points": [pt_text(p)]})]
            break
        if p[0] + q[0] == 2 * h and p[1] + q[1] == 2 * k and rng.random() < 0.5:
            continue            # a diameter now and then, not always
        line, steps, pts = _line_meets("l", circ, p, q, form)
        break
    else:
        raise Rejected("question", "no chord of the circle after 30 draws")
    wrong = [[(y, x) for x, y in pts], [(x, -y) for x, y in pts], [(-x, y) for x, y in pts],
             [pts[0]] if len(pts) > 1 else [pts[0], (2 * h - pts[0][0], 2 * k - pts[0][1])]]
    return Ask("line-circle", {"measure": "intersections", "of": ["l", "ω"]}, pts, "points",
               ("ask.intersection", {"a": "l", "b": "ω"}), steps, wrong, figs=[circ, line])


def q_circle_circle(ctx: Ctx, rng) -> Ask:
    (x0, x1), (y0, y1) = ctx.window
    for _ in range(60):
        p = ctx.lattice(2)
        dx, dy = int(rng.integers(-3, 4)), int(rng.integers(-3, 4))
        if (dx + dy) % 2 or (dx, dy) == (0, 0):
            continue
        q = (p[0] + dx, p[1] + dy)
        mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
        g = math.gcd(abs(dx), abs(dy))
        u = (I(-dy // g), I(dx // g))              # along the perpendicular bisector
        s1, s2 = int(rng.integers(1, 3)), -int(rng.integers(0, 3))
        c1 = (mid[0] + s1 * u[0], mid[1] + s1 * u[1])
        c2 = (mid[0] + s2 * u[0], mid[1] + s2 * u[1])
        if not (c1[0].is_Integer and c1[1].is_Integer and c2[0].is_Integer and c2[1].is_Integer):
            continue
        r1 = (p[0] - c1[0]) ** 2 + (p[1] - c1[1]) ** 2
        r2 = (p[0] - c2[0]) ** 2 + (p[1] - c2[1]) ** 2
        w1, w2 = circ_fits(ctx, c1, r1), circ_fits(ctx, c2, r2)
        if w1 and w2 and ctx.inside(q, 1) and r1 != r2 or (w1 and w2 and ctx.inside(q, 1) and c1 != c2):
            break
    else:
        raise Rejected("window", "no room for two circles", "window")
    o1 = F.circle("ω", "K", c1[0], c1[1], r1)
    o2 = F.circle("γ", "Q", c2[0], c2[1], r2)
    # subtracting the equations leaves the common chord's line
    la = -2 * c1[0] + 2 * c2[0]
    lb = -2 * c1[1] + 2 * c2[1]
    lc = c1[0] ** 2 + c1[1] ** 2 - r1 - c2[0] ** 2 - c2[1] ** 2 + r2
    chord = F.line_from("", la, lb, lc, "general")
    pts = sort_points({p, q})
    var, quad, roots = _quadratic_steps(o1, chord, [p[0], q[0]] if chord.p["b"] != 0 else [p[1], q[1]])
    steps = [("intersect.circles", {"c1": o1.equation(), "c2": o2.equation(), "chord": line_text(
        chord.p["a"], chord.p["b"], chord.p["c"], "general"), "var": var, "quad": quad, "roots": [t(r_) for r_ in roots],
        "points": [pt_text(s) for s in pts]})]
    wrong = [[(y, x) for x, y in pts], [c1, c2], [(-x, y) for x, y in pts], [pts[0]]]
    return Ask("circle-circle", {"measure": "intersections", "of": ["ω", "γ"]}, pts, "points",
               ("ask.intersection", {"a": "ω", "b": "γ"}), steps, wrong, figs=[o1, o2])


def circ_fits(ctx: Ctx, c, r2) -> bool:
    r = math.sqrt(float(r2))
    (x0, x1), (y0, y1) = ctx.window
    return x0 + 0.5 <= c[0] - r and c[0] + r <= x1 - 0.5 and y0 + 0.5 <= c[1] - r and c[1] + r <= y1 - 0.5


def q_circle_equation(ctx: Ctx, rng) -> Ask:
    circ, r = _circle(ctx, radii=(5, 5, 5, 4, 3))
    (a,) = ctx.names(1)
    h, k = circ.p["h"], circ.p["k"]
    off = ctx.pick(_on_circle(r))
    pa = (h + off[0], k + off[1])
    circ.points[a] = pa
    circ.form = "center-point"
    steps = [("circle.radius", {"o": "K", "a": a, "dx": f"{t(pa[0])} - {_neg(h)}", "dy": f"{t(pa[1])} - {_neg(k)}",
                                "r2": t(circ.p["r2"])}),
             ("circle.equation", {"h": t(h), "k": t(k), "r2": t(circ.p["r2"]), "eq": circ.equation()})]
    wrong = [(h, k, I(r)), (-h, -k, circ.p["r2"]), (k, h, circ.p["r2"]), (h, k, 2 * circ.p["r2"])]
    return Ask("circle-equation", {"measure": "circle-equation", "of": "ω"}, (h, k, circ.p["r2"]), "circle",
               ("ask.circle-equation", {"c": "ω", "o": "K", "a": a}), steps, wrong, figs=[circ])


def q_circle_tangent(ctx: Ctx, rng) -> Ask:
    circ, r = _circle(ctx, radii=(5, 5, 5, 3, 4))
    (a,) = ctx.names(1)
    h, k = circ.p["h"], circ.p["k"]
    off = ctx.pick(_on_circle(r))
    pa = (h + off[0], k + off[1])
    circ.points[a] = pa
    # the tangent at A is perpendicular to OA: (xa - h)(x - xa) + (ya - k)(y - ya) = 0
    ta, tb = off[0], off[1]
    tc = -(ta * pa[0] + tb * pa[1])
    ans = canonical(I(ta), I(tb), tc)
    if off[0] == 0 or off[1] == 0:
        # a vertical radius (no x offset) has a horizontal tangent, and the other way round
        steps = [("tangent.axis", {"o": "K", "a": a, "line": line_text(*ans), "dir": "horizontal" if off[0] == 0
                                   else "vertical"})]
    else:
        m_r = R(off[1], off[0])
        steps = [("tangent.circle", {"o": "K", "a": a, "mr": t(m_r), "mt": t(-1 / m_r),
                                     "dy": f"{t(pa[1])} - {_neg(k)}", "dx": f"{t(pa[0])} - {_neg(h)}"})]
        steps += _point_slope_steps(pa, -1 / m_r)
    wrong = [canonical(I(tb), I(-ta), -(tb * pa[0] - ta * pa[1])),           # the radius' line
             canonical(I(ta), I(tb), -(ta * h + tb * k)),                    # through the centre
             canonical(I(ta), I(-tb), -(ta * pa[0] - tb * pa[1])), canonical(I(ta), I(tb), tc + 1)]
    return Ask("circle-tangent", {"measure": "tangent-line", "of": "ω", "at": a}, ans, "line",
               ("ask.tangent", {"c": "ω", "a": a}), steps, wrong, figs=[circ])


def q_point_circle(ctx: Ctx, rng) -> Ask:
    circ, r = _circle(ctx, radii=(5, 4, 3))
    (a,) = ctx.names(1)
    h, k = circ.p["h"], circ.p["k"]
    word = ctx.pick(["inside", "on", "outside"])
    for _ in range(40):
        if word == "on":
            off = ctx.pick(_on_circle(r))
        else:
            off = (int(rng.integers(-r - 2, r + 3)), int(rng.integers(-r - 2, r + 3)))
        d2 = off[0] ** 2 + off[1] ** 2
        pa = (h + off[0], k + off[1])
        if ctx.inside(pa, 1) and off != (0, 0) and ((word == "inside" and d2 < r * r) or (word == "on" and d2 == r * r)
                                                      or (word == "outside" and d2 > r * r)):
            break
    else:
        raise Rejected("window", f"no lattice point {word} the circle", "window")
    point = F.point(a, pa)
    cmp = {"inside": "<", "on": "=", "outside": ">"}[word]
    steps = [("point-circle", {"a": a, "d2": f"({t(pa[0])} - {_neg(h)})² + ({t(pa[1])} - {_neg(k)})²",
                               "value": t(I(d2)), "cmp": cmp, "r2": t(circ.p["r2"]), "word": word})]
    wrong = [w for w in ("inside", "on", "outside") if w != word]
    return Ask("point-circle", {"measure": "relation", "of": [a, "ω"]}, word, "word",
               ("ask.point-circle", {"a": a, "c": "ω"}), steps, wrong, figs=[circ, point])


# --- polygons and triangle centres -----------------------------------------------------------

def _polygon(ctx: Ctx, n: int):
    """A convex lattice polygon, counter-clockwise, of reasonable size."""
    (x0, x1), (y0, y1) = ctx.window
    for _ in range(80):
        pts = [ctx.lattice(1) for _ in range(n)]
        if len(set(pts)) < n:
            continue
        cx = sum(p[0] for p in pts) / n
        cy = sum(p[1] for p in pts) / n
        pts.sort(key=lambda p: math.atan2(float(p[1] - cy), float(p[0] - cx)))
        area2 = sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(pts, pts[1:] + pts[:1]))
        convex = all(((q[0] - p[0]) * (s[1] - q[1]) - (q[1] - p[1]) * (s[0] - q[0])) > 0
                     for p, q, s in zip(pts, pts[1:] + pts[:1], pts[2:] + pts[:2]))
        sides = [math.dist([float(v) for v in p], [float(v) for v in q]) for p, q in zip(pts, pts[1:] + pts[:1])]
        if convex and area2 >= 12 and min(sides) >= 2.5 and area2 <= 0.5 * (x1 - x0) * (y1 - y0):
            return pts, area2 / 2
    raise Rejected("window", "no convex polygon", "window")


def q_area(ctx: Ctx, rng) -> Ask:
    n = ctx.pick([3, 3, 4])
    names = "".join(ctx.names(n))
    pts, area = _polygon(ctx, n)
    poly = F.polygon(names, pts)
    terms = [f"({t(p[0])}·{_neg(q[1])} - {_neg(q[0])}·{_neg(p[1])})" for p, q in zip(pts, pts[1:] + pts[:1])]
    vals = [p[0] * q[1] - q[0] * p[1] for p, q in zip(pts, pts[1:] + pts[:1])]
    steps = [("shoelace", {"poly": names, "terms": " + ".join(terms), "vals": join([t(v) for v in vals]),
                           "sum": t(sum(vals)), "value": t(area)})]
    wrong = [2 * area, area + 1, area / 2, area - 1]
    return Ask("area", {"measure": "area", "of": names}, area, "number", ("ask.area", {"poly": names}),
               steps, wrong, figs=[poly])


def q_perimeter(ctx: Ctx, rng) -> Ask:
    n = ctx.pick([3, 3, 4])
    names = "".join(ctx.names(n))
    pts, _ = _polygon(ctx, n)
    poly = F.polygon(names, pts)
    sides = []
    total = I(0)
    for (na, p), (nb, q) in zip(zip(names, pts), zip(names[1:] + names[:1], pts[1:] + pts[:1])):
        s = (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2
        d = sp.sqrt(s)
        total += d
        sides.append({"side": na + nb, "sq": t(s), "value": t(d)})
    steps = [("perimeter", {"poly": names, "sides": sides, "value": t(total)})]
    wrong = [total + 1, 2 * total, sum(abs(q[0] - p[0]) + abs(q[1] - p[1]) for p, q in zip(pts, pts[1:] + pts[:1])),
             total - sp.sqrt((pts[0][0] - pts[-1][0]) ** 2 + (pts[0][1] - pts[-1][1]) ** 2)]
    return Ask("perimeter", {"measure": "perimeter", "of": names}, total, "number",
               ("ask.perimeter", {"poly": names}), steps, wrong, figs=[poly])


def _inscribed_triangle(ctx: Ctx):
    """Three lattice points on a circle about a lattice centre: every centre is exact."""
    for _ in range(60):
        r = ctx.pick([5, 5, 5, 10]) if min(ctx.window[0][1] - ctx.window[0][0],
                                            ctx.window[1][1] - ctx.window[1][0]) >= 22 else 5
        o = ctx.lattice(r + 1)
        offs = _on_circle(r)
        idx = sorted(int(i) for i in ctx.rng.choice(len(offs), 3, replace=False))
        pts = [(o[0] + offs[i][0], o[1] + offs[i][1]) for i in idx]
        if not all(ctx.inside(p, 1) for p in pts):
            continue
        area2 = (pts[1][0] - pts[0][0]) * (pts[2][1] - pts[0][1]) - (pts[2][0] - pts[0][0]) * (pts[1][1] - pts[0][1])
        if abs(area2) < 10:
            continue
        if area2 < 0:
            pts = [pts[0], pts[2], pts[1]]
        return pts, o
    raise Rejected("window", "no triangle", "window")


def _solve2(a1, b1, c1, a2, b2, c2):
    """a1 x + b1 y = c1, a2 x + b2 y = c2 by Cramer's rule (exact)."""
    det = a1 * b2 - a2 * b1
    return ((c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det)


def q_triangle_centre(ctx: Ctx, rng, which: str) -> Ask:
    names = "".join(ctx.names(3))
    pts, o = _inscribed_triangle(ctx)
    tri = F.polygon(names, pts)
    A, B, C = pts
    na, nb, nc = names
    if which == "centroid":
        ans = ((A[0] + B[0] + C[0]) / 3, (A[1] + B[1] + C[1]) / 3)
        steps = [("centroid", {"tri": names, "xs": " + ".join(_neg(p[0]) if i else t(p[0]) for i, p in enumerate(pts)),
                               "ys": " + ".join(_neg(p[1]) if i else t(p[1]) for i, p in enumerate(pts)),
                               "value": pt_text(ans)})]
    elif which == "circumcenter":
        # |PA| = |PB|: 2(xb - xa)x + 2(yb - ya)y = xb² + yb² - xa² - ya²
        e1 = (2 * (B[0] - A[0]), 2 * (B[1] - A[1]), B[0] ** 2 + B[1] ** 2 - A[0] ** 2 - A[1] ** 2)
        e2 = (2 * (C[0] - A[0]), 2 * (C[1] - A[1]), C[0] ** 2 + C[1] ** 2 - A[0] ** 2 - A[1] ** 2)
        ans = _solve2(*e1, *e2)
        if ans != o:
            raise VerificationError(f"circumcentre {ans} of {pts} is not the centre {o}")
        steps = [("circumcenter", {"tri": names, "ab": na + nb, "ac": na + nc,
                                   "eq1": _eq(*e1), "eq2": _eq(*e2), "value": pt_text(ans)})]
    else:
        # altitudes: through A perpendicular to BC, through B perpendicular to CA
        e1 = (C[0] - B[0], C[1] - B[1], (C[0] - B[0]) * A[0] + (C[1] - B[1]) * A[1])
        e2 = (A[0] - C[0], A[1] - C[1], (A[0] - C[0]) * B[0] + (A[1] - C[1]) * B[1])
        ans = _solve2(*e1, *e2)
        if ans != (A[0] + B[0] + C[0] - 2 * o[0], A[1] + B[1] + C[1] - 2 * o[1]):
            raise VerificationError(f"orthocentre {ans} of {pts} breaks H = A + B + C - 2O")
        steps = [("orthocenter", {"tri": names, "a": na, "b": nb, "bc": nb + nc, "ca": nc + na,
                                  "eq1": _eq(*e1), "eq2": _eq(*e2), "value": pt_text(ans)})]
    cen = ((A[0] + B[0] + C[0]) / 3, (A[1] + B[1] + C[1]) / 3)
    ortho = (A[0] + B[0] + C[0] - 2 * o[0], A[1] + B[1] + C[1] - 2 * o[1])
    wrong = [w for w in (cen, o, ortho, (A[0] + B[0] + C[0], A[1] + B[1] + C[1]), (ans[1], ans[0])) if w != ans]
    return Ask(which, {"measure": which, "of": names}, ans, "point", ("ask." + which, {"tri": names}),
               steps, wrong, figs=[tri])


def _eq(a, b, c) -> str:
    return join([coef(a, "x"), coef(b, "y")]) + f" = {t(c)}"


# --- conics ----------------------------------------------------------------------------------

_ELLIPSES = [(5, 4), (5, 3), (4, 5), (3, 5), (3, 2), (2, 3), (4, 2), (4, 3), (3, 4), (5, 2), (2, 4)]
_HYPERBOLAS = [(3, 4), (4, 3), (2, 1), (1, 2), (2, 2), (3, 3), (1, 1), (2, 3), (3, 2)]


def _conic(ctx: Ctx, kind: str) -> Fig:
    (x0, x1), (y0, y1) = ctx.window
    for _ in range(60):
        if kind == "ellipse":
            a, b = (I(v) for v in ctx.pick(_ELLIPSES))
            ex, ey = a, b
        elif kind == "hyperbola":
            a, b = (I(v) for v in ctx.pick(_HYPERBOLAS))
            axis = ctx.pick(["x", "y"])
            c = sp.sqrt(a * a + b * b)
            ex, ey = (c + 1, b + 1) if axis == "x" else (a + 1, c + 1)
        else:
            p = ctx.pick([R(1, 2), I(1), I(-1), R(-1, 2), I(2), R(1, 4)])
            axis = ctx.pick(["x", "y"])
            ex = ey = 2
        h = int(ctx.rng.integers(x0 + 1, x1))
        k = int(ctx.rng.integers(y0 + 1, y1))
        if not (x0 + 0.5 <= h - ex and h + ex <= x1 - 0.5 and y0 + 0.5 <= k - ey and k + ey <= y1 - 0.5):
            continue
        if kind == "ellipse":
            return F.ellipse("E", I(h), I(k), a, b)
        if kind == "hyperbola":
            return F.hyperbola("H", I(h), I(k), a, b, axis)
        return F.parabola("Γ", I(h), I(k), p, axis)
    raise Rejected("window", f"no room for the {kind}", "window")


def _conic_facts(fig: Fig) -> dict:
    """Centre, semi-axes, c, foci, vertices and eccentricity, by the textbook formulas."""
    p = fig.p
    h, k = p["h"], p["k"]
    if fig.kind == "parabola":
        q = p["p"]
        focus = (h, k + q) if p["axis"] == "y" else (h + q, k)
        return {"foci": [focus], "vertices": [(h, k)], "e": I(1), "q": q}
    a, b = p["a"], p["b"]
    if fig.kind == "ellipse":
        major_x = a >= b
        big, small = (a, b) if major_x else (b, a)
        c = sp.sqrt(big ** 2 - small ** 2)
    else:
        major_x = p["axis"] == "x"
        big, small = (a, b) if major_x else (b, a)
        c = sp.sqrt(a ** 2 + b ** 2)
    foci = [(h - c, k), (h + c, k)] if major_x else [(h, k - c), (h, k + c)]
    verts = [(h - big, k), (h + big, k)] if major_x else [(h, k - big), (h, k + big)]
    return {"foci": foci, "vertices": verts, "e": c / big, "c": c, "big": big, "small": small, "major_x": major_x}


def q_conic_property(ctx: Ctx, rng, which: str) -> Ask:
    kinds = {"foci": ["ellipse", "hyperbola", "parabola"], "vertices": ["ellipse", "hyperbola", "parabola"],
             "eccentricity": ["ellipse", "hyperbola"]}[which]
    fig = _conic(ctx, ctx.pick(kinds))
    if fig.kind == "ellipse" and fig.p["a"] == fig.p["b"]:
        raise Rejected("question", "a circle has no foci")
    f = _conic_facts(fig)
    p = fig.p
    if fig.kind == "parabola":
        four_p = 4 * p["p"]
        steps = [("parabola.facts", {"eq": fig.equation(), "fourp": t(four_p), "p": t(p["p"]), "vertex": pt_text((p["h"], p["k"])),
                                     "focus": pt_text(f["foci"][0]), "axis": p["axis"]})]
    else:
        steps = [("conic.c." + fig.kind, {"eq": fig.equation(), "big": t(f["big"]), "small": t(f["small"]),
                                          "big2": t(f["big"] ** 2), "small2": t(f["small"] ** 2), "c": t(f["c"]),
                                          "c2": t(f["c"] ** 2), "along": "x" if f["major_x"] else "y",
                                          "center": pt_text((p["h"], p["k"]))})]
    if which == "foci":
        ans, kind = sort_points(f["foci"]), "points"
        steps.append(("conic.foci", {"points": [pt_text(v) for v in ans]}))
        alt = [sort_points(f["vertices"])]
        if fig.kind != "parabola":
            c2 = sp.sqrt(abs(f["big"] ** 2 + (f["small"] ** 2 if fig.kind == "ellipse" else -f["small"] ** 2)))
            h, k = p["h"], p["k"]
            alt.append(sort_points([(h - c2, k), (h + c2, k)] if f["major_x"] else [(h, k - c2), (h, k + c2)]))
            alt.append(sort_points([(y, x) for x, y in ans]))
        else:
            alt += [[(p["h"], p["k"] - p["p"])] if p["axis"] == "y" else [(p["h"] - p["p"], p["k"])],
                    [(p["h"], p["k"] + 4 * p["p"])] if p["axis"] == "y" else [(p["h"] + 4 * p["p"], p["k"])]]
        wrong = alt
        target = {"measure": "foci", "of": fig.name}
    elif which == "vertices":
        ans, kind = sort_points(f["vertices"]), "points"
        steps.append(("conic.vertices", {"points": [pt_text(v) for v in ans]}))
        wrong = [sort_points(f["foci"]), sort_points([(y, x) for x, y in ans])]
        if fig.kind != "parabola":
            h, k = p["h"], p["k"]
            s = f["small"]
            wrong.append(sort_points([(h, k - s), (h, k + s)] if f["major_x"] else [(h - s, k), (h + s, k)]))
        else:
            wrong.append([(p["h"], -p["k"])])
        target = {"measure": "vertices", "of": fig.name}
    else:
        ans, kind = f["e"], "number"
        steps.append(("conic.eccentricity", {"c": t(f["c"]), "big": t(f["big"]), "value": t(f["e"])}))
        wrong = [f["small"] / f["big"], f["big"] / f["c"] if f["c"] != 0 else I(2), f["c"] / f["small"],
                 1 - f["e"] if f["e"] < 1 else f["e"] + 1]
        target = {"measure": "eccentricity", "of": fig.name}
    return Ask(which, target, ans, kind, ("ask." + which, {"fig": fig.name, "conic": fig.kind}), steps,
               [w for w in wrong if w != ans], figs=[fig])


def q_asymptotes(ctx: Ctx, rng) -> Ask:
    fig = _conic(ctx, "hyperbola")
    p = fig.p
    a, b, h, k = p["a"], p["b"], p["h"], p["k"]
    m = b / a
    lines = sorted([canonical(-m, I(1), m * h - k), canonical(m, I(1), -m * h - k)], key=lambda ln: [float(v) for v in ln])
    steps = [("asymptotes", {"eq": fig.equation(), "a": t(a), "b": t(b), "m": t(m),
                             "pair": f"{shift('y', k)} = ±{coef(m, par(shift('x', h)))}",
                             "lines": [line_text(*ln) for ln in lines]})]
    flip = 1 / m
    wrong = [sorted([canonical(-flip, I(1), flip * h - k), canonical(flip, I(1), -flip * h - k)],
                    key=lambda ln: [float(v) for v in ln]),
             sorted([canonical(-m, I(1), -m * h - k), canonical(m, I(1), m * h - k)], key=lambda ln: [float(v) for v in ln]),
             sorted([canonical(-m, I(1), m * h + k), canonical(m, I(1), -m * h + k)], key=lambda ln: [float(v) for v in ln])]
    return Ask("asymptotes", {"measure": "asymptotes", "of": "H"}, lines, "lines", ("ask.asymptotes", {"fig": "H"}),
               steps, [w for w in wrong if w != lines], figs=[fig])


def _rational_points(fig: Fig, ctx: Ctx) -> list:
    """Points of the conic with rational coordinates inside the window."""
    p = fig.p
    h, k = p["h"], p["k"]
    out = []
    if fig.kind == "ellipse":
        for u, v in [(1, 0), (0, 1), (R(3, 5), R(4, 5)), (R(4, 5), R(3, 5))]:
            for su in (1, -1):
                for sv in (1, -1):
                    out.append((h + su * u * p["a"], k + sv * v * p["b"]))
    elif fig.kind == "hyperbola":
        for sec, tan in [(1, 0), (R(5, 3), R(4, 3)), (R(5, 4), R(3, 4))]:
            for s1 in (1, -1):
                for s2 in (1, -1):
                    along, across = s1 * sec, s2 * tan
                    out.append((h + along * p["a"], k + across * p["b"]) if p["axis"] == "x"
                               else (h + across * p["a"], k + along * p["b"]))
    else:
        for u in range(-6, 7):
            v = R(u * u, 1) / (4 * p["p"])
            out.append((h + u, k + v) if p["axis"] == "y" else (h + v, k + u))
    return sorted({q for q in out if ctx.inside(q, 0.5)}, key=lambda q: (float(q[0]), float(q[1])))


def q_line_conic(ctx: Ctx, rng) -> Ask:
    fig = _conic(ctx, ctx.pick(["ellipse", "hyperbola", "parabola"]))
    pts = _rational_points(fig, ctx)
    for _ in range(30):
        if len(pts) < 2:
            break
        i, j = (int(v) for v in rng.choice(len(pts), 2, replace=False))
        p, q = pts[i], pts[j]
        line = F.line_through("l", "", p, "", q, show_points=False)
        a, b = line.p["a"], line.p["b"]
        # a line parallel to a parabola's axis or a hyperbola's asymptote meets it only once
        if fig.kind == "parabola" and ((fig.p["axis"] == "y" and b == 0) or (fig.p["axis"] == "x" and a == 0)):
            continue
        if fig.kind == "hyperbola" and b != 0 and abs(-a / b) == fig.p["b"] / fig.p["a"]:
            continue
        line, steps, sol = _line_meets("l", fig, p, q, ctx.pick(["slope", "general"]))
        break
    else:
        raise Rejected("question", f"no chord of the {fig.kind} through two rational points")
    if len(pts) < 2:
        raise Rejected("question", f"the {fig.kind} has too few rational points in view")
    wrong = [[(y, x) for x, y in sol], [(-x, y) for x, y in sol], [(x, -y) for x, y in sol], [sol[0]]]
    return Ask("line-conic", {"measure": "intersections", "of": ["l", fig.name]}, sol, "points",
               ("ask.intersection", {"a": "l", "b": fig.name}), steps,
               [w for w in wrong if sort_points(w) != sol], figs=[fig, line])


# --- where one figure lies relative to another ------------------------------------------------

_DIRS = ["right", "upper right", "above", "upper left", "left", "lower left", "below", "lower right"]


def small_figure(ctx: Ctx, kind: str, circle=("ω", "K")) -> Fig:
    if kind == "circle":
        r = ctx.pick([1, 2, 2, 3])
        c = ctx.lattice(r + 1)
        return F.circle(circle[0], circle[1], c[0], c[1], I(r * r))
    if kind == "triangle":
        names = "".join(ctx.names(3))
        c = ctx.lattice(3)
        for _ in range(30):
            pts = [(c[0] + int(ctx.rng.integers(-2, 3)), c[1] + int(ctx.rng.integers(-2, 3))) for _ in range(3)]
            area2 = (pts[1][0] - pts[0][0]) * (pts[2][1] - pts[0][1]) - (pts[2][0] - pts[0][0]) * (pts[1][1] - pts[0][1])
            if abs(area2) >= 4:
                if area2 < 0:
                    pts = [pts[0], pts[2], pts[1]]
                return F.polygon(names, [(I(x), I(y)) for x, y in pts])
        raise Rejected("window", "no small triangle")
    if kind == "segment":
        a, b = ctx.names(2)
        pa, pb = _two_points(ctx, False)
        return F.segment(a, pa, b, pb)
    (a,) = ctx.names(1)
    return F.point(a, ctx.lattice(1))


def direction_word(v) -> str | None:
    """The 45° sector of the vector v; None within 10° of a sector's edge (ambiguous)."""
    ang = math.degrees(math.atan2(v[1], v[0])) % 360
    sector = int(((ang + 22.5) % 360) // 45)
    off = ((ang + 22.5) % 45)
    if off < 10 or off > 35:
        return None
    return _DIRS[sector]


def q_position(ctx: Ctx, rng) -> Ask:
    kinds = ["circle", "triangle", "segment", "point"]
    for _ in range(30):
        f1 = small_figure(ctx, ctx.pick(kinds))
        f2 = small_figure(ctx, ctx.pick(kinds), ("γ", "Q"))
        a1, a2 = f1.anchor(), f2.anchor()
        word = direction_word((a1[0] - a2[0], a1[1] - a2[1]))
        if word is not None and apart(f1, f2, ctx.window):
            break
        ctx.free = list(POINT_NAMES)                # start over with every name
    else:
        raise Rejected("placement", "no clear direction between the figures")
    e1, e2 = _exact_anchor(f1), _exact_anchor(f2)
    steps = [("position", {"f1": f1.name, "f2": f2.name, "p1": pt_text(e1), "p2": pt_text(e2),
                           "k1": f1.kind, "k2": f2.kind, "word": word,
                           "offset": pt_text((e1[0] - e2[0], e1[1] - e2[1]))})]
    i = _DIRS.index(word)
    wrong = [_DIRS[(i + 4) % 8], _DIRS[(i + 2) % 8], _DIRS[(i + 6) % 8], _DIRS[(i + 1) % 8]]
    return Ask("position", {"measure": "position", "of": [f1.name, f2.name]}, word, "word",
               ("ask.position", {"f1": f1.name, "f2": f2.name, "k1": f1.kind if f1.kind != "polygon" else "triangle",
                                 "k2": f2.kind if f2.kind != "polygon" else "triangle"}),
               steps, wrong, figs=[f1, f2], keep_apart=True)


def _exact_anchor(f: Fig):
    if f.kind in ("circle",):
        return (f.p["h"], f.p["k"])
    pts = list(f.points.values())
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def apart(f1: Fig, f2: Fig, window, gap: float = 0.8) -> bool:
    """The two figures' outlines (filled, for closed ones) stay ``gap`` units apart."""
    from shapely.geometry import LineString, Point, Polygon

    def geom(f):
        lines = f.outline(window)
        if f.kind == "point":
            return Point(lines[0][0])
        if f.kind in ("circle", "ellipse", "polygon"):
            return Polygon(lines[0])
        return LineString(lines[0])
    return geom(f1).distance(geom(f2)) >= gap


QUESTIONS = {
    "distance": q_distance, "midpoint": q_midpoint, "slope": q_slope, "line-equation": q_line_equation,
    "line-relation": q_line_relation, "line-intersection": q_line_intersection,
    "line-circle": q_line_circle, "circle-circle": q_circle_circle, "circle-equation": q_circle_equation,
    "circle-tangent": q_circle_tangent, "point-circle": q_point_circle, "area": q_area,
    "perimeter": q_perimeter, "centroid": lambda c, rng: q_triangle_centre(c, rng, "centroid"),
    "circumcenter": lambda c, rng: q_triangle_centre(c, rng, "circumcenter"),
    "orthocenter": lambda c, rng: q_triangle_centre(c, rng, "orthocenter"),
    "foci": lambda c, rng: q_conic_property(c, rng, "foci"),
    "vertices": lambda c, rng: q_conic_property(c, rng, "vertices"),
    "eccentricity": lambda c, rng: q_conic_property(c, rng, "eccentricity"), "asymptotes": q_asymptotes,
    "line-conic": q_line_conic, "position": q_position,
}
