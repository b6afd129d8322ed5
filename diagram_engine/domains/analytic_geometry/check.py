"""The independent check of analytic geometry: a target re-measured from a record's scene alone.

The ``analytic-geometry`` domain derives its answers exactly (sympy); this module checks
them the way a user's own checker would, knowing only ``scene`` and the question's
``target``, in floating point (numpy), without sympy and without the record's exact fields.
It never sees the derivation: it imports none of the domain's other modules.

Scene: ``points`` ``{name: [x, y]}`` and ``objects``, each ``{"type", "name", ...}``:
``segment`` (``ends``), ``line`` (``coeffs`` [a, b, c] for ax + by + c = 0, optionally
``through`` [P, Q], checked), ``polygon`` (``vertices``, simple, in order), ``circle``
(``center`` a point name, ``radius``, optionally ``expr``, checked) and ``ellipse``,
``parabola``, ``hyperbola`` (``expr``: the curve is expr = 0). Other objects (``axes``) are
not read. A name in a target is a point or an object (never both); only the objects a
target names are read, and checked.

Measures (``target["of"]`` names what is measured):

* ``point`` P: [x, y]. ``distance`` [P, Q], [P, line] or two parallel lines: a float.
  ``midpoint`` [P, Q] or a segment: [x, y].
* ``slope`` of a line, a segment or [P, Q] (vertical: error); ``y-intercept`` (vertical:
  error) and ``x-intercept`` (horizontal: error) of a line: floats. ``line-equation`` of a
  line, a segment or [P, Q]: canonical coefficients (below).
* ``relation`` [X, Y]: a word (below). ``intersections`` [X, Y] of two lines or segments, a
  line or segment and a circle or conic, or two circles: a sorted list of points, [] when
  none, an error when infinitely many. ``tangent-line`` of a circle or conic ``at`` a point
  on it: canonical coefficients.
* ``area`` and ``perimeter`` of a polygon; ``centroid``, ``circumcenter``, ``orthocenter``,
  ``incenter`` of a three-vertex polygon: [x, y].
* ``circle-equation`` of a circle: [h, k, r²]; ``center`` of a circle, ellipse or hyperbola;
  ``radius`` of a circle; ``eccentricity`` (a circle: 0), ``foci`` and ``vertices`` (not of a
  circle), ``axis-lengths`` [2a, 2b] (major or transverse first) of an ellipse or hyperbola,
  ``asymptotes`` of a hyperbola (a sorted list of canonical coefficients).
* ``position`` [X, Y]: a direction word (below).

How, in short:

* A conic's ``expr`` is parsed with :mod:`diagram_engine.expr` (never ``eval``) and
  evaluated at 25 grid points; least squares gives A x² + B xy + C y² + D x + E y + F,
  which must reproduce the expression at 7 more points within ``FIT_TOL`` of its values
  (else it is not a polynomial of degree 2). The form is scaled so that its quadratic part
  has norm 1, then classified by the eigenvalues of [[A, B/2], [B/2, C]]: |det| below 1e-9
  is a parabola, det > 0 an ellipse (a circle when the eigenvalues agree to 1e-9), det < 0
  a hyperbola; degenerate and empty conics are errors, and so is a class other than the
  declared ``type`` (a declared ellipse may be a circle). Centre, semi-axes, foci,
  vertices and asymptotes come from the eigenvectors, so rotated conics work too.
* A circle is the form (x - h)² + (y - k)² - r² from its centre point and radius; its
  ``expr``, if any, must give the same centre and radius.
* A line or segment ``X`` meets a circle or conic ``q`` where q(P + t·d) = 0, with d the
  line's unit direction and P the foot of the conic's centre (parabola: vertex) on it. The
  quadratic α t² + β t + γ is solved in vertex form: at its turning point T, if
  |q(T)| <= tol·|grad q(T)| (the line misses the curve or cuts it by less than ``tol``; the
  discriminant is zero within tolerance) T is one double point; else the roots are
  T ± sqrt(-q(T)/α) when real. When |α| <= 1e-9 (along an asymptote or a parabola's axis)
  the one root -γ/β is taken, none if it lies more than 1e9 figure sizes away.
* Two circles meet on their radical line, at distance x = (d² + r1² - r2²) / (2d) from the
  first centre along the line of centres, ± sqrt(r1² - x²) across it; the case (tangent,
  none, two points) is the one ``relation`` finds.
* Segments are lines clipped to their ends (within ``tol``).

Tolerances: ``tol = REL_TOL * size``, where size is the largest of 1, every coordinate of
every scene point and the extent of each object in the question (a line: its distance from
the origin; a conic: |centre| plus its semi-axes; a parabola: |vertex| plus its focal
distance). A point is on a line, circle or conic when its distance (for a curve,
|q(P)| / |grad q(P)|) is at most ``tol``; circles are tangent, concentric or identical when
the distances and radii agree within ``tol``. Directions are dimensionless: two lines are
parallel (perpendicular) when the sine (cosine) of their angle is at most ``ANGLE_TOL``, and
a line is vertical (horizontal) when its unit normal's y (x) component is at most
``ANGLE_TOL``.

Return conventions (every number a Python float, never -0.0):

* a point is ``[x, y]``; a list of points is sorted by x, then y, where x values within
  ``tol`` count as equal; lists of lines are sorted by their canonical coefficients the same
  way.
* a line is its canonical coefficients ``[a, b, c]`` of ax + by + c = 0, scaled so that the
  first of a, b that is nonzero equals 1 (a component below ``ANGLE_TOL`` of the normal's
  length is taken as 0): y = 2x + 3 is [1, -0.5, 1.5], x = 4 is [1, 0, -4], y = 5 is
  [0, 1, -5].
* ``foci`` and ``vertices``: the two foci / the two ends of the major (transverse) axis of an
  ellipse (hyperbola), sorted; a parabola's one focus / vertex as a one-point list.
* ``relation`` words: lines (or segments, taken as their lines): ``parallel``,
  ``perpendicular``, ``intersecting`` (neither), ``coincident``; line and circle: ``secant``,
  ``tangent``, ``disjoint``; two circles: ``separate``, ``externally tangent``,
  ``intersecting``, ``internally tangent``, ``contained``, ``concentric`` (different radii,
  same centre), ``identical``; a point and a line: ``on``, ``above``, ``below`` (a vertical
  line: ``left``, ``right``); a point and a circle or conic: ``on``, ``inside``, ``outside``,
  where inside is the side of the curve holding its foci (a circle's centre): a hyperbola's
  inside is the two regions beyond its branches, a parabola's the region it curves around.
  The pair may come in either order: the word says where the point is, or what the line is
  to the circle; the two-line and two-circle words are symmetric.
* ``position`` of [X, Y] is where X lies seen from Y: the direction of the vector from Y's
  reference point to X's (a point: itself; a circle or an ellipse or hyperbola: its centre;
  a parabola: its vertex; a polygon: the mean of its vertices; a segment: its midpoint), in
  eight 45° sectors centred on the axes (``right`` is within ±22.5° of +x, then ``upper
  right``, ``above``, ``upper left``, ``left``, ``lower left``, ``below``, ``lower right``).
  A direction within ``SECTOR_MARGIN`` (5°) of a sector's edge is an error: ambiguous.

>>> scene = {"points": {"A": [0, 0], "B": [4, 0], "C": [0, 3]},
...          "objects": [{"type": "polygon", "name": "ABC", "vertices": ["A", "B", "C"]},
...                      {"type": "ellipse", "name": "E", "expr": "x**2/25 + y**2/9 - 1"}]}
>>> check(scene, {"measure": "incenter", "of": "ABC"})
[1.0, 1.0]
>>> [[round(v, 9) + 0.0 for v in p] for p in check(scene, {"measure": "foci", "of": "E"})]
[[-4.0, 0.0], [4.0, 0.0]]
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import LinearRing

from ...errors import MeasureError
from ...expr import ExprError, parse

__all__ = ["ANGLE_TOL", "FIT_TOL", "MEASURES", "REL_TOL", "SECTOR_MARGIN", "AnalyticMeasureError", "check"]

REL_TOL = 1e-9          # lengths, relative to the figure's size
ANGLE_TOL = 1e-9        # sines and cosines of angles, shares of a unit normal
FIT_TOL = 1e-9          # a conic expression's misfit, relative to its largest sampled value
SECTOR_MARGIN = 5.0     # degrees: a position this close to a sector's edge is ambiguous
_FAR = 1e9              # figure sizes: a crossing farther away than this counts as none
_DIRS = ("right", "upper right", "above", "upper left", "left", "lower left", "below", "lower right")
_GRID = [(float(x), float(y)) for x in range(-2, 3) for y in range(-2, 3)]
_CHECK = [(0.37, -1.13), (2.71, 0.58), (-1.91, 2.23), (3.3, -2.9), (-0.77, -3.41), (1.3, 3.7),
          (-2.6, -0.2)]


class AnalyticMeasureError(MeasureError):
    """The scene is inconsistent, or the target has no single answer in it (a MeasureError,
    so a VerificationError and a ValueError too)."""


_Err = AnalyticMeasureError


# --- the things a name can stand for --------------------------------------------------------

@dataclass(frozen=True)
class _Point:
    name: str
    xy: np.ndarray

    @property
    def size(self) -> float:
        return float(np.abs(self.xy).max())


@dataclass(frozen=True)
class _Line:
    """n·X + c = 0 with a unit normal n; a segment also has its two ends."""
    name: str
    n: np.ndarray
    c: float
    ends: tuple = ()

    @property
    def size(self) -> float:
        return abs(self.c)

    @property
    def d(self) -> np.ndarray:
        return np.array([-self.n[1], self.n[0]])

    def side(self, p) -> float:
        """Signed distance of p from the line."""
        return float(self.n @ p + self.c)

    def foot(self, p) -> np.ndarray:
        return p - self.side(p) * self.n

    def holds(self, p, tol: float) -> bool:
        """p (on the line) is within the segment, or the line is a line."""
        if not self.ends:
            return True
        e0, e1 = self.ends
        s = float((p - e0) @ (e1 - e0)) / np.linalg.norm(e1 - e0)
        return -tol <= s <= np.linalg.norm(e1 - e0) + tol

    def canonical(self) -> list[float]:
        return _canonical(self.n[0], self.n[1], self.c)


@dataclass(frozen=True)
class _Conic:
    """q(X) = XᵀMX + g·X + f = 0 and what the classification gives."""
    name: str
    kind: str                   # circle, ellipse, parabola or hyperbola
    M: np.ndarray
    g: np.ndarray
    f: float
    ref: np.ndarray             # centre; a parabola's vertex
    u: np.ndarray               # unit direction of the major / transverse axis or the parabola's axis
    a: float                    # semi-axes (a circle: r, r; a parabola: focal distance, 0)
    b: float
    foci: tuple
    vertices: tuple
    e: float

    @property
    def size(self) -> float:
        return float(np.linalg.norm(self.ref)) + self.a + self.b

    def q(self, p) -> float:
        return float(p @ self.M @ p + self.g @ p + self.f)

    def grad(self, p) -> np.ndarray:
        return 2 * self.M @ p + self.g

    def inner(self) -> np.ndarray:
        """A point on the inside: a focus, or a circle's centre."""
        return self.foci[0] if self.foci else self.ref


@dataclass(frozen=True)
class _Polygon:
    name: str
    pts: tuple

    @property
    def size(self) -> float:
        return max(float(np.abs(p).max()) for p in self.pts)


def _kind(t) -> str:
    if isinstance(t, _Conic):
        return t.kind
    if isinstance(t, _Line):
        return "segment" if t.ends else "line"
    return "point" if isinstance(t, _Point) else "polygon"


def _canonical(a: float, b: float, c: float) -> list[float]:
    h = math.hypot(a, b)
    a, b, c = a / h, b / h, c / h
    a, b = (0.0 if abs(a) <= ANGLE_TOL else a), (0.0 if abs(b) <= ANGLE_TOL else b)
    k = a if a != 0 else b
    return [a / k, b / k, c / k]


def _through(name: str, p, q, tol: float, ends: bool) -> _Line:
    d = q - p
    length = float(np.linalg.norm(d))
    if length <= tol:
        raise _Err(f"{name}: its two points coincide")
    n = np.array([-d[1], d[0]]) / length
    return _Line(name, n, -float(n @ p), (p, q) if ends else ())


# --- conics from their equations --------------------------------------------------------------

def _quadratic(name: str, src) -> np.ndarray:
    """[A, B, C, D, E, F] of the expression, fitted numerically and checked."""
    try:
        e = parse(src, ("x", "y"))
    except ExprError as err:
        raise _Err(f"{name}: bad expression {src!r}: {err}") from None
    pts = _GRID + _CHECK
    vals = []
    for x, y in pts:
        try:
            vals.append(e({"x": x, "y": y}))
        except (ArithmeticError, ValueError):
            raise _Err(f"{name}: {src!r} is undefined at ({x}, {y}), not a conic") from None
    v = np.array(vals)
    xy = np.array(pts)
    X = np.column_stack([xy[:, 0] ** 2, xy[:, 0] * xy[:, 1], xy[:, 1] ** 2, xy[:, 0], xy[:, 1], np.ones(len(pts))])
    coef = np.linalg.lstsq(X[:len(_GRID)], v[:len(_GRID)], rcond=None)[0]
    if not np.abs(X @ coef - v).max() <= FIT_TOL * max(1.0, float(np.abs(v).max())):
        raise _Err(f"{name}: {src!r} is not a polynomial of degree 2 in x and y")
    return coef


def _analyse(name: str, coef) -> _Conic:
    A, B, C, D, E, F = coef
    M = np.array([[A, B / 2], [B / 2, C]])
    norm = float(np.linalg.norm(M))
    if norm <= FIT_TOL * float(np.abs(coef).max()):
        raise _Err(f"{name}: the equation has no x², xy or y² term: not a conic")
    M, g, f = M / norm, np.array([D, E]) / norm, F / norm
    lam, vec = np.linalg.eigh(M)
    if abs(lam[0] * lam[1]) <= 1e-9:
        i = int(np.argmax(np.abs(lam)))
        p, u = vec[:, i], vec[:, 1 - i]
        gp, gu = float(g @ p), float(g @ u)
        if abs(gu) <= 1e-9 * max(1.0, float(np.linalg.norm(g))):
            raise _Err(f"{name}: degenerate conic (parallel lines, one line or nothing)")
        focal = -gu / (4 * lam[i])          # (s - s0)² = 4·focal·(t - t0) along p, u
        vertex = -gp / (2 * lam[i]) * p - (f - gp * gp / (4 * lam[i])) / gu * u
        u = u if focal > 0 else -u
        return _Conic(name, "parabola", M, g, f, vertex, u, abs(focal), 0.0, (vertex + abs(focal) * u,),
                      (vertex,), 1.0)
    center = np.linalg.solve(M, -g / 2)
    f0 = f + float(g @ center) / 2          # q(centre + s·v_i) = f0 + λ_i s²
    if abs(f0) <= 1e-10 * (1 + float(center @ center)):
        raise _Err(f"{name}: degenerate conic (two crossing lines or one point)")
    s = -f0 / lam                           # squared semi-axes along the eigenvectors
    if (s < 0).all():
        raise _Err(f"{name}: the equation has no real points")
    if (s > 0).all():
        i = int(np.argmax(s))
        a, b = math.sqrt(s[i]), math.sqrt(s[1 - i])
        if abs(lam[0] - lam[1]) <= 1e-9:
            return _Conic(name, "circle", M, g, f, center, np.array([1.0, 0.0]), a, a, (), (), 0.0)
        kind, c = "ellipse", math.sqrt(a * a - b * b)
    else:
        i = int(np.argmax(s))
        a, b = math.sqrt(s[i]), math.sqrt(-s[1 - i])
        kind, c = "hyperbola", math.hypot(a, b)
    u = vec[:, i]
    return _Conic(name, kind, M, g, f, center, u, a, b, (center - c * u, center + c * u),
                  (center - a * u, center + a * u), c / a)


def _circle(name: str, center, r: float) -> _Conic:
    M, g = np.eye(2), -2 * center
    return _Conic(name, "circle", M, g, float(center @ center) - r * r, center, np.array([1.0, 0.0]),
                  r, r, (), (), 0.0)


# --- the scene ---------------------------------------------------------------------------------

def _finite(v, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise _Err(f"{what} must be a finite number, got {v!r}")
    return float(v)


class _Scene:
    def __init__(self, scene):
        if not isinstance(scene, dict):
            raise _Err(f"a scene must be a mapping, got {type(scene).__name__}")
        points, objects = scene.get("points") or {}, scene.get("objects") or []
        if not isinstance(points, dict) or not isinstance(objects, list):
            raise _Err("a scene has a mapping of points and a list of objects")
        self.points = {}
        for n, xy in points.items():
            if not isinstance(xy, (list, tuple)) or len(xy) != 2:
                raise _Err(f"point {n}: coordinates must be [x, y], got {xy!r}")
            self.points[n] = np.array([_finite(v, f"point {n}") for v in xy])
        self.objects = {}
        for o in objects:
            if not isinstance(o, dict) or "name" not in o or "type" not in o:
                raise _Err(f"a scene object needs a type and a name, got {o!r}")
            self.objects[o["name"]] = o
        self.base = max([1.0] + [float(np.abs(p).max()) for p in self.points.values()])
        self._built = {}

    def tol(self, *things) -> float:
        return REL_TOL * max([self.base] + [t.size for t in things])

    def pt(self, name) -> np.ndarray:
        if not isinstance(name, str) or name not in self.points:
            raise _Err(f"no point named {name!r} in the scene (points: {', '.join(sorted(self.points))})")
        return self.points[name]

    def get(self, name):
        if not isinstance(name, str) or (name not in self.objects and name not in self.points):
            raise _Err(f"no point or object named {name!r} in the scene (points: "
                       f"{', '.join(sorted(self.points))}; objects: {', '.join(sorted(self.objects))})")
        if name in self.objects and name in self.points:
            raise _Err(f"{name!r} names both a point and an object")
        if name in self.points:
            return _Point(name, self.points[name])
        if name not in self._built:
            self._built[name] = self._build(self.objects[name])
        return self._built[name]

    def _build(self, o):
        name, t = o["name"], o["type"]
        if t == "segment":
            p, q = (self.pt(n) for n in _names(o.get("ends"), 2, f"{name}: ends"))
            return _through(name, p, q, self.tol(), ends=True)
        if t == "line":
            coeffs = o.get("coeffs")
            if not isinstance(coeffs, (list, tuple)) or len(coeffs) != 3:
                raise _Err(f"{name}: coeffs must be [a, b, c], got {coeffs!r}")
            a, b, c = (_finite(v, f"{name}: coeffs") for v in coeffs)
            h = math.hypot(a, b)
            if h == 0:
                raise _Err(f"{name}: a = b = 0 is not a line")
            line = _Line(name, np.array([a, b]) / h, c / h)
            if "through" in o:
                tol = self.tol(line)
                pts = [self.pt(n) for n in _names(o["through"], 2, f"{name}: through")]
                if any(abs(line.side(p)) > tol for p in pts) or np.linalg.norm(pts[1] - pts[0]) <= tol:
                    raise _Err(f"{name}: coeffs {list(coeffs)} do not give the line through {o['through']}")
            return line
        if t == "polygon":
            vs = o.get("vertices")
            if not isinstance(vs, (list, tuple)) or len(vs) < 3:
                raise _Err(f"{name}: a polygon needs at least three vertices, got {vs!r}")
            pts = tuple(self.pt(n) for n in vs)
            if not LinearRing([tuple(p) for p in pts]).is_simple or _shoelace(pts) <= self.tol() * self.base:
                raise _Err(f"{name}: the polygon {vs} is self-intersecting or degenerate")
            return _Polygon(name, pts)
        if t == "circle":
            center = self.pt(o.get("center"))
            r = _finite(o.get("radius"), f"{name}: radius")
            if r <= 0:
                raise _Err(f"{name}: radius must be positive, got {r}")
            circle = _circle(name, center, r)
            if "expr" in o:
                fit = _analyse(name, _quadratic(name, o["expr"]))
                tol = self.tol(circle)
                if fit.kind != "circle" or np.linalg.norm(fit.ref - center) > tol or abs(fit.a - r) > tol:
                    raise _Err(f"{name}: expr {o['expr']!r} is not the circle about {o['center']} of radius {r}")
            return circle
        if t in ("ellipse", "parabola", "hyperbola"):
            conic = _analyse(name, _quadratic(name, o.get("expr")))
            if conic.kind != t and not (t == "ellipse" and conic.kind == "circle"):
                raise _Err(f"{name}: declared a {t}, but {o.get('expr')!r} is a {conic.kind}")
            return conic
        raise _Err(f"{name}: objects of type {t!r} are not measured here")


def _names(v, n: int, what: str) -> list:
    if not isinstance(v, (list, tuple)) or len(v) != n:
        raise _Err(f"{what} must be a list of {n} names, got {v!r}")
    return list(v)


def _shoelace(pts) -> float:
    return abs(sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(pts, pts[1:] + pts[:1]))) / 2


# --- answers ------------------------------------------------------------------------------------

def _tidy(v):
    """Python floats, lists for arrays, and no -0.0."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_tidy(u) for u in v]
    return v if isinstance(v, str) else float(v) + 0.0


def _sorted(items, tol: float) -> list:
    """Sorted lexicographically, values within ``tol`` counting as equal."""
    def cmp(p, q):
        for a, b in zip(p, q):
            if abs(a - b) > tol:
                return -1 if a < b else 1
        return 0
    return sorted((_tidy(i) for i in items), key=functools.cmp_to_key(cmp))


def _parallel(L1: _Line, L2: _Line) -> bool:
    return abs(float(L1.n[0] * L2.n[1] - L1.n[1] * L2.n[0])) <= ANGLE_TOL


def _line_gap(L1: _Line, L2: _Line) -> float:
    """Distance between two parallel lines."""
    return abs(L1.c - math.copysign(1.0, float(L1.n @ L2.n)) * L2.c)


def _meet_lines(L1: _Line, L2: _Line, tol: float) -> list:
    if not _parallel(L1, L2):
        p = np.linalg.solve(np.array([L1.n, L2.n]), -np.array([L1.c, L2.c]))
        return [p] if L1.holds(p, tol) and L2.holds(p, tol) else []
    if _line_gap(L1, L2) > tol:
        return []
    if not (L1.ends or L2.ends):
        raise _Err(f"{L1.name} and {L2.name} coincide: infinitely many common points")
    d = L1.d
    spans = [sorted(float(e @ d) for e in L.ends) if L.ends else [-math.inf, math.inf] for L in (L1, L2)]
    lo, hi = max(spans[0][0], spans[1][0]), min(spans[0][1], spans[1][1])
    if hi - lo > tol:
        raise _Err(f"{L1.name} and {L2.name} overlap: infinitely many common points")
    return [] if hi - lo < -tol else [-L1.c * L1.n + (lo + hi) / 2 * d]


def _line_conic(L: _Line, C: _Conic, tol: float) -> list:
    """Where the line meets the curve (see the module's docstring)."""
    d, p0 = L.d, L.foot(C.ref)
    alpha, beta, gamma = float(d @ C.M @ d), float(C.grad(p0) @ d), C.q(p0)
    if abs(alpha) <= ANGLE_TOL:
        return [p0 - gamma / beta * d] if abs(gamma) < abs(beta) * _FAR * tol / REL_TOL else []
    turn = p0 - beta / (2 * alpha) * d
    low = C.q(turn)
    if abs(low) <= tol * float(np.linalg.norm(C.grad(turn))):
        return [turn]
    if low / alpha > 0:
        return []
    s = math.sqrt(-low / alpha)
    return [turn - s * d, turn + s * d]


def _circles(C1: _Conic, C2: _Conic, tol: float) -> str:
    d, r1, r2 = float(np.linalg.norm(C2.ref - C1.ref)), C1.a, C2.a
    if d <= tol:
        return "identical" if abs(r1 - r2) <= tol else "concentric"
    if abs(d - (r1 + r2)) <= tol:
        return "externally tangent"
    if d > r1 + r2:
        return "separate"
    if abs(d - abs(r1 - r2)) <= tol:
        return "internally tangent"
    return "contained" if d < abs(r1 - r2) else "intersecting"


def _on_curve(C: _Conic, p, tol: float) -> bool:
    return abs(C.q(p)) <= tol * float(np.linalg.norm(C.grad(p)))


def _anchor(t) -> np.ndarray:
    if isinstance(t, _Point):
        return t.xy
    if isinstance(t, _Conic):
        return t.ref
    if isinstance(t, _Polygon):
        return sum(t.pts) / len(t.pts)
    if t.ends:
        return (t.ends[0] + t.ends[1]) / 2
    raise _Err(f"{t.name}: a line has no place to say where it lies")


# --- the measures ---------------------------------------------------------------------------

def _of(t: dict):
    if "of" not in t:
        raise _Err(f"{t['measure']}: the target has no 'of'")
    return t["of"]


def _one(S: _Scene, t: dict, *kinds: str):
    x = S.get(_of(t))
    if _kind(x) not in kinds and not (isinstance(x, _Conic) and "conic" in kinds):
        raise _Err(f"{t['measure']} of {x.name}: wants a {' or '.join(kinds)}, got a {_kind(x)}")
    return x


def _pair(S: _Scene, t: dict) -> tuple:
    a, b = _names(_of(t), 2, f"{t['measure']}: of")
    return S.get(a), S.get(b)


def _two_points(S: _Scene, t: dict) -> tuple:
    """[P, Q] or a segment's name."""
    of = _of(t)
    if isinstance(of, str):
        seg = _one(S, t, "segment")
        return seg.ends
    return tuple(S.pt(n) for n in _names(of, 2, f"{t['measure']}: of"))


def _line_of(S: _Scene, t: dict) -> _Line:
    """A line's or a segment's name, or [P, Q]."""
    if isinstance(_of(t), str):
        return _one(S, t, "line", "segment")
    p, q = _two_points(S, t)
    return _through("the line through " + " and ".join(t["of"]), p, q, S.tol(), ends=False)


def _nonvertical(L: _Line, what: str) -> _Line:
    if abs(L.n[1]) <= ANGLE_TOL:
        raise _Err(f"{L.name} is vertical: it has no {what}")
    return L


def _distance(S, t):
    x, y = _pair(S, t)
    if isinstance(x, _Line) and isinstance(y, _Point):
        x, y = y, x
    kinds = _kind(x), _kind(y)
    if kinds == ("point", "point"):
        return float(np.linalg.norm(x.xy - y.xy))
    if kinds == ("point", "line"):
        return abs(y.side(x.xy))
    if kinds == ("line", "line"):
        if not _parallel(x, y):
            raise _Err(f"{x.name} and {y.name} are not parallel: no distance between them")
        return _line_gap(x, y)
    raise _Err(f"distance: between two points, a point and a line or two parallel lines, not a {kinds[0]} "
               f"and a {kinds[1]}")


def _midpoint(S, t):
    p, q = _two_points(S, t)
    return (p + q) / 2


def _slope(S, t):
    L = _nonvertical(_line_of(S, t), "slope")
    return -L.n[0] / L.n[1]


def _y_intercept(S, t):
    L = _nonvertical(_one(S, t, "line"), "y-intercept")
    return -L.c / L.n[1]


def _x_intercept(S, t):
    L = _one(S, t, "line")
    if abs(L.n[0]) <= ANGLE_TOL:
        raise _Err(f"{L.name} is horizontal: it has no x-intercept")
    return -L.c / L.n[0]


def _relation(S, t):
    x, y = _pair(S, t)
    rank = {"point": 0, "line": 1, "segment": 1}
    if rank.get(_kind(x), 2) > rank.get(_kind(y), 2):
        x, y = y, x
    tol, kinds = S.tol(x, y), (_kind(x), _kind(y))
    if kinds == ("point", "line"):
        s = y.side(x.xy)
        if abs(s) <= tol:
            return "on"
        if abs(y.n[1]) <= ANGLE_TOL:
            return "right" if s * y.n[0] > 0 else "left"
        return "above" if s * y.n[1] > 0 else "below"
    if kinds[0] == "point" and isinstance(y, _Conic):
        if _on_curve(y, x.xy, tol):
            return "on"
        return "inside" if y.q(x.xy) * y.q(y.inner()) > 0 else "outside"
    if isinstance(x, _Line) and isinstance(y, _Line):
        if _parallel(x, y):
            return "coincident" if _line_gap(x, y) <= tol else "parallel"
        return "perpendicular" if abs(float(x.n @ y.n)) <= ANGLE_TOL else "intersecting"
    if kinds == ("line", "circle"):
        return ("disjoint", "tangent", "secant")[len(_line_conic(x, y, tol))]
    if kinds == ("circle", "circle"):
        return _circles(x, y, tol)
    raise _Err(f"relation: of a point and a line, circle or conic, two lines, a line and a circle or two "
               f"circles, not a {kinds[0]} and a {kinds[1]}")


def _intersections(S, t):
    x, y = _pair(S, t)
    if isinstance(y, _Line) and not isinstance(x, _Line):
        x, y = y, x
    tol = S.tol(x, y)
    if isinstance(x, _Line) and isinstance(y, _Line):
        pts = _meet_lines(x, y, tol)
    elif isinstance(x, _Line) and isinstance(y, _Conic):
        pts = [p for p in _line_conic(x, y, tol) if x.holds(p, tol)]
    elif _kind(x) == _kind(y) == "circle":
        word = _circles(x, y, tol)
        if word == "identical":
            raise _Err(f"{x.name} and {y.name} are the same circle: infinitely many common points")
        if word in ("separate", "contained", "concentric"):
            return []
        v = y.ref - x.ref
        d = float(np.linalg.norm(v))
        u = v / d
        along = (d * d + x.a ** 2 - y.a ** 2) / (2 * d)     # where the radical line crosses the centres' line
        foot = x.ref + along * u
        if word.endswith("tangent"):
            return [_tidy(foot)]
        across = math.sqrt(max(x.a ** 2 - along ** 2, 0.0)) * np.array([-u[1], u[0]])
        pts = [foot - across, foot + across]
    else:
        raise _Err(f"intersections: of lines or segments with each other or with a circle or conic, or of two "
                   f"circles, not a {_kind(x)} and a {_kind(y)}")
    return _sorted(pts, tol)


def _tangent_line(S, t):
    C = _one(S, t, "conic")
    p = S.pt(t.get("at"))
    if not _on_curve(C, p, S.tol(C)):
        raise _Err(f"{t.get('at')} is not on {C.name}: no tangent line there")
    n = C.grad(p)                   # never zero on a non-degenerate conic
    return _canonical(n[0], n[1], -float(n @ p))


def _perimeter(S, t):
    P = _one(S, t, "polygon")
    return sum(float(np.linalg.norm(q - p)) for p, q in zip(P.pts, P.pts[1:] + P.pts[:1]))


def _triangle(S, t) -> tuple:
    P = _one(S, t, "polygon")
    if len(P.pts) != 3:
        raise _Err(f"{t['measure']} of {P.name}: wants a triangle, got {len(P.pts)} vertices")
    return P.pts


def _circumcenter(S, t):
    A, B, C = _triangle(S, t)
    b, c = B - A, C - A
    d = 2 * (b[0] * c[1] - b[1] * c[0])
    return A + np.array([c[1] * (b @ b) - b[1] * (c @ c), b[0] * (c @ c) - c[0] * (b @ b)]) / d


def _orthocenter(S, t):
    A, B, C = _triangle(S, t)
    return A + B + C - 2 * _circumcenter(S, t)


def _incenter(S, t):
    A, B, C = _triangle(S, t)
    a, b, c = (float(np.linalg.norm(v)) for v in (C - B, A - C, B - A))
    return (a * A + b * B + c * C) / (a + b + c)


def _center(S, t):
    C = _one(S, t, "conic")
    if C.kind == "parabola":
        raise _Err(f"{C.name} is a parabola: it has no centre")
    return C.ref


def _radius(S, t):
    C = _one(S, t, "conic")
    if C.kind != "circle":
        raise _Err(f"{C.name} is a {C.kind}, not a circle: it has no radius")
    return C.a


def _circle_equation(S, t):
    C = _one(S, t, "circle")
    return [*C.ref, C.a ** 2]


def _noncircle(S, t) -> _Conic:
    C = _one(S, t, "conic")
    if C.kind == "circle":
        raise _Err(f"{C.name} is a circle: it has no {t['measure']}")
    return C


def _special_points(S, t, which: str) -> list:
    C = _noncircle(S, t)
    return _sorted(getattr(C, which), S.tol(C))


def _central(S, t) -> _Conic:
    C = _noncircle(S, t)
    if C.kind == "parabola":
        raise _Err(f"{C.name} is a parabola: it has no {t['measure']}")
    return C


def _asymptotes(S, t):
    H = _one(S, t, "hyperbola")
    w = np.array([-H.u[1], H.u[0]])
    lines = [_through(H.name, H.ref, H.ref + H.a * H.u + s * H.b * w, 0.0, ends=False).canonical() for s in (1, -1)]
    return _sorted(lines, S.tol(H))


def _position(S, t):
    x, y = _pair(S, t)
    v = _anchor(x) - _anchor(y)
    if np.linalg.norm(v) <= S.tol(x, y):
        raise _Err(f"position: {x.name} and {y.name} are at the same place")
    ang = math.degrees(math.atan2(v[1], v[0])) % 360
    sector, off = divmod(ang + 22.5, 45)
    if not SECTOR_MARGIN <= off <= 45 - SECTOR_MARGIN:
        raise _Err(f"position of {x.name} from {y.name}: direction {ang:.2f}° is within {SECTOR_MARGIN}° of the "
                   f"edge between two directions (ambiguous)")
    return _DIRS[int(sector) % 8]


_MEASURES = {
    "point": lambda S, t: _one(S, t, "point").xy,
    "distance": _distance,
    "midpoint": _midpoint,
    "slope": _slope,
    "y-intercept": _y_intercept,
    "x-intercept": _x_intercept,
    "line-equation": lambda S, t: _line_of(S, t).canonical(),
    "circle-equation": _circle_equation,
    "relation": _relation,
    "intersections": _intersections,
    "tangent-line": _tangent_line,
    "area": lambda S, t: _shoelace(_one(S, t, "polygon").pts),
    "perimeter": _perimeter,
    "centroid": lambda S, t: sum(_triangle(S, t)) / 3,
    "circumcenter": _circumcenter,
    "orthocenter": _orthocenter,
    "incenter": _incenter,
    "center": _center,
    "radius": _radius,
    "foci": lambda S, t: _special_points(S, t, "foci"),
    "vertices": lambda S, t: _special_points(S, t, "vertices"),
    "eccentricity": lambda S, t: _one(S, t, "conic").e,
    "asymptotes": _asymptotes,
    "axis-lengths": lambda S, t: [2 * _central(S, t).a, 2 * _central(S, t).b],
    "position": _position,
}
_OF = "of"
# what each measure gives, and its parameters (`rules list`; the module docstring has the details)
MEASURES = {
    "point": ("a named point: [x, y]", [(_OF, "a point name")]),
    "distance": ("between two points, a point and a line, or two parallel lines", [(_OF, "[X, Y]")]),
    "midpoint": ("of [P, Q] or a segment: [x, y]", [(_OF, "[P, Q] or a segment name")]),
    "slope": ("of a line, a segment or [P, Q]", [(_OF, "a line, a segment or [P, Q]")]),
    "y-intercept": ("where a line crosses the y-axis", [(_OF, "a line name")]),
    "x-intercept": ("where a line crosses the x-axis", [(_OF, "a line name")]),
    "line-equation": ("canonical coefficients [a, b, c] of ax + by + c = 0", [(_OF, "a line, a segment or [P, Q]")]),
    "circle-equation": ("[h, k, r²] of (x - h)² + (y - k)² = r²", [(_OF, "a circle name")]),
    "relation": ("a word: parallel, perpendicular, tangent, secant, inside, on, outside, ...", [(_OF, "[X, Y]")]),
    "intersections": ("the common points of two figures, sorted", [(_OF, "[X, Y]")]),
    "tangent-line": ("canonical coefficients of the tangent at a point",
                     [(_OF, "a circle or conic"), ("at", "a point on it")]),
    "area": ("of a polygon (shoelace)", [(_OF, "a polygon name")]),
    "perimeter": ("of a polygon", [(_OF, "a polygon name")]),
    "centroid": ("of a triangle: [x, y]", [(_OF, "a three-vertex polygon")]),
    "circumcenter": ("of a triangle: [x, y]", [(_OF, "a three-vertex polygon")]),
    "orthocenter": ("of a triangle: [x, y]", [(_OF, "a three-vertex polygon")]),
    "incenter": ("of a triangle: [x, y]", [(_OF, "a three-vertex polygon")]),
    "center": ("of a circle, ellipse or hyperbola: [x, y]", [(_OF, "a figure name")]),
    "radius": ("of a circle", [(_OF, "a circle name")]),
    "foci": ("of an ellipse, hyperbola or parabola", [(_OF, "a conic name")]),
    "vertices": ("of an ellipse (major axis), hyperbola or parabola", [(_OF, "a conic name")]),
    "eccentricity": ("of a circle (0), ellipse or hyperbola", [(_OF, "a figure name")]),
    "asymptotes": ("of a hyperbola: sorted canonical coefficients", [(_OF, "a hyperbola name")]),
    "axis-lengths": ("[2a, 2b] of an ellipse or hyperbola, major or transverse first", [(_OF, "a conic name")]),
    "position": ("where the first figure lies relative to the second: a direction word", [(_OF, "[X, Y]")]),
}
assert list(MEASURES) == list(_MEASURES)


def check(scene: dict, target: dict):
    """Measure ``target`` (a record problem's target) from ``scene`` alone.

    Returns a float, a point ``[x, y]``, a list of points or of lines, line coefficients or a
    word, depending on ``target["measure"]``, one of :data:`MEASURES` (see the module's
    docstring for each one's convention). Raises :class:`AnalyticMeasureError` for an unknown
    measure or name, an inconsistent scene, or a question with no single answer.
    """
    if not isinstance(target, dict):
        raise _Err(f"a target must be a mapping, got {target!r}")
    m = target.get("measure")
    if m not in _MEASURES:
        raise _Err(f"unknown analytic measure {m!r} (known: {', '.join(MEASURES)})")
    return _tidy(_MEASURES[m](_Scene(scene), target))
