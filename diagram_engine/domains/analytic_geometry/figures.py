"""Figures on the coordinate plane, with exact coordinates and equations.

A :class:`Fig` is one figure of a sample: a point, a segment, a line, a polygon, a circle, an
ellipse, a parabola or a hyperbola. It holds its exact parameters (sympy rationals, and a
square root only where a distance is one), the named points that belong to it (drawn as
dots), and knows how to write itself (``A(1, -2)``, ``y = 2x + 1``, ``(x - 1)² + (y + 2)² =
25``), how to enter the record (``scene.objects``: the conventions of
the domain's check, ``check.py``), and its outline in floats for drawing and for
keeping figures apart.

Figures are built answer-first by the questions (``questions.py``): points on lattice
positions, lines through two lattice points, circles about lattice centres through lattice
points, conics with axes along the grid, their centre (a parabola's vertex) a marked point,
and foci at exact places.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from ...writing import coef, join, par, power, shift, t

__all__ = [
    "CONICS",
    "Fig",
    "X",
    "Y",
    "canonical",
    "circle",
    "ellipse",
    "hyperbola",
    "inside",
    "integer_form",
    "line_from",
    "line_text",
    "line_through",
    "on_axis",
    "parabola",
    "point",
    "polygon",
    "pt_text",
    "segment",
    "translate",
]

X, Y = sp.symbols("x y", real=True)
CONICS = ("ellipse", "hyperbola", "parabola")
I, R = sp.Integer, sp.Rational


def num(v) -> str:
    """A coordinate as written in a point: a whole or rational part first, "-7 + √5" (not
    "√5 - 7")."""
    if isinstance(v, sp.Add):
        rat = [a for a in v.args if a.is_Rational]
        if rat:
            rest = v - rat[0]
            return join([t(rat[0]), t(rest)])
    return t(v)


def pt_text(p) -> str:
    return f"({num(p[0])}, {num(p[1])})"


def canonical(a, b, c) -> tuple:
    """ax + by + c = 0 scaled so the first nonzero of (a, b) is 1 (the check's form)."""
    a, b, c = (sp.sympify(v) for v in (a, b, c))
    k = a if a != 0 else b
    return (a / k, b / k, c / k)


def integer_form(a, b, c) -> tuple:
    """ax + by + c = 0 with coprime integers, a > 0 (or a = 0 and b > 0)."""
    den = sp.ilcm(*[sp.Rational(v).q for v in (a, b, c)])
    a, b, c = (int(v * den) for v in (a, b, c))
    g = math.gcd(math.gcd(abs(a), abs(b)), abs(c)) or 1
    a, b, c = a // g, b // g, c // g
    if a < 0 or (a == 0 and b < 0):
        a, b, c = -a, -b, -c
    return I(a), I(b), I(c)


def line_text(a, b, c, form: str = "slope") -> str:
    """The line ax + by + c = 0 written as y = mx + k (``slope``; x = k when vertical) or as
    an equation with integer coefficients (``general``)."""
    a, b, c = (sp.sympify(v) for v in (a, b, c))
    if form == "general":
        a, b, c = integer_form(a, b, c)
        return join([coef(a, "x") if a else "", coef(b, "y") if b else "", t(c)]) + " = 0"
    if b == 0:
        return f"x = {t(-c / a)}"
    m, k = -a / b, -c / b
    return "y = " + join([coef(m, "x") if m != 0 else "", t(k) if k != 0 or m == 0 else ""])


def _sq(var: str, h) -> str:
    return power(par(shift(var, h)), 2) if h != 0 else power(var, 2)


def _over(body: str, d) -> str:
    return body if d == 1 else f"{body}/{t(d)}"


def _e(v) -> str:
    """An exact number in the expression syntax of ``diagram_engine.expr``."""
    v = sp.nsimplify(v)
    return f"({sp.sstr(v)})" if v < 0 or not v.is_Integer else sp.sstr(v)


@dataclass
class Fig:
    kind: str                      # point segment line polygon circle ellipse parabola hyperbola
    name: str                      # the figure's name in the text and the record
    points: dict                   # named points of the figure -> exact (x, y); drawn as dots
    p: dict = field(default_factory=dict)     # exact parameters
    form: str = ""                 # how the text gives it (a line: points, slope, general)
    _drawn: dict = field(default_factory=dict, repr=False, compare=False)   # outline per window

    # --- words -------------------------------------------------------------------------------
    def text(self) -> str:
        """What the text states to fix the figure: coordinates or an equation."""
        k, p = self.kind, self.p
        if k == "point":
            (n, xy), = self.points.items()
            return f"{n}{pt_text(xy)}"
        if k in ("segment", "polygon"):
            return ", ".join(f"{n}{pt_text(xy)}" for n, xy in self.points.items())
        if k == "line":
            if self.form == "points":
                return ", ".join(f"{n}{pt_text(xy)}" for n, xy in self.points.items())
            return line_text(p["a"], p["b"], p["c"], self.form)
        if k == "circle":
            on = [f"{n}{pt_text(xy)}" for n, xy in self.points.items() if n != p["center"]]
            if self.form == "center-point":
                return f"centre {p['center']}{pt_text((p['h'], p['k']))}, through " + ", ".join(on)
            return ", ".join([self.equation()] + on)
        return self.equation()

    def equation(self) -> str:
        k, p = self.kind, self.p
        if k == "line":
            return line_text(p["a"], p["b"], p["c"], "slope")
        if k == "circle":
            return f"{_sq('x', p['h'])} + {_sq('y', p['k'])} = {t(p['r2'])}"
        if k == "ellipse":
            return f"{_over(_sq('x', p['h']), p['a'] ** 2)} + {_over(_sq('y', p['k']), p['b'] ** 2)} = 1"
        if k == "hyperbola":
            xs, ys = _over(_sq("x", p["h"]), p["a"] ** 2), _over(_sq("y", p["k"]), p["b"] ** 2)
            return f"{xs} - {ys} = 1" if p["axis"] == "x" else f"{ys} - {xs} = 1"
        if k == "parabola":
            var, sq = ("y", _sq("x", p["h"])) if p["axis"] == "y" else ("x", _sq("y", p["k"]))   # (x - h)² = 4p(y - k)
            side = shift(var, p["k"] if var == "y" else p["h"])
            return f"{sq} = {side if 4 * p['p'] == 1 else coef(4 * p['p'], par(side))}"
        raise ValueError(f"{k} has no equation")

    def units(self) -> list[str]:
        """The givens that fix the figure, by name: a point's coordinates (named by the point),
        an equation (named by the figure). Variants hide givens one unit at a time."""
        if self.kind in ("segment", "polygon", "point") or (self.kind == "line" and self.form == "points") \
                or (self.kind == "circle" and self.form == "center-point"):
            return list(self.points)
        if self.kind == "circle":
            return [self.name] + [n for n in self.points if n != self.p["center"]]
        if self.kind in CONICS:
            return [self.p["center"], self.name]
        return [self.name]

    def unit_text(self, unit: str) -> str:
        """One given as the text states it: ``A(1, -2)`` or ``l: y = 2x + 1``."""
        if unit in self.points:
            return f"{unit}{pt_text(self.points[unit])}"
        given = self.equation() if self.kind == "circle" else self.text()
        return f"{self.name}: {given}"

    def unit_value(self, unit: str):
        """The numbers of one given: [x, y] of a point; canonical [a, b, c] of a line; [h, k, r²]
        of a circle; [h, k, a, b] of an ellipse or hyperbola; [h, k, p] of a parabola."""
        if unit in self.points:
            return [float(v) for v in self.points[unit]]
        p = self.p
        if self.kind == "line":
            return [float(v) for v in canonical(p["a"], p["b"], p["c"])]
        if self.kind == "circle":
            return [float(p["h"]), float(p["k"]), float(p["r2"])]
        if self.kind == "parabola":
            return [float(p["h"]), float(p["k"]), float(p["p"])]
        return [float(p["h"]), float(p["k"]), float(p["a"]), float(p["b"])]

    # --- the record ----------------------------------------------------------------------------
    def sym(self) -> sp.Expr:
        """The exact left side of ``expr = 0`` (circles and conics)."""
        p = self.p
        if self.kind == "circle":
            return (X - p["h"]) ** 2 + (Y - p["k"]) ** 2 - p["r2"]
        if self.kind == "ellipse":
            return (X - p["h"]) ** 2 / p["a"] ** 2 + (Y - p["k"]) ** 2 / p["b"] ** 2 - 1
        if self.kind == "hyperbola":
            s = (X - p["h"]) ** 2 / p["a"] ** 2 - (Y - p["k"]) ** 2 / p["b"] ** 2
            return (s if p["axis"] == "x" else -s) - 1
        if self.kind == "parabola":
            if p["axis"] == "y":
                return (X - p["h"]) ** 2 - 4 * p["p"] * (Y - p["k"])
            return (Y - p["k"]) ** 2 - 4 * p["p"] * (X - p["h"])
        raise ValueError(f"{self.kind} has no expression")

    def expr(self) -> str:
        """The record's ``expr``: the equation's left side minus its right, in expr syntax."""
        p = self.p

        def sq(var, h):
            return f"({var} - {_e(h)})**2" if h != 0 else f"{var}**2"
        if self.kind == "circle":
            return f"{sq('x', p['h'])} + {sq('y', p['k'])} - {_e(p['r2'])}"
        if self.kind == "ellipse":
            return f"{sq('x', p['h'])}/{_e(p['a'] ** 2)} + {sq('y', p['k'])}/{_e(p['b'] ** 2)} - 1"
        if self.kind == "hyperbola":
            xs, ys = f"{sq('x', p['h'])}/{_e(p['a'] ** 2)}", f"{sq('y', p['k'])}/{_e(p['b'] ** 2)}"
            return f"{xs} - {ys} - 1" if p["axis"] == "x" else f"{ys} - {xs} - 1"
        if self.kind == "parabola":
            if p["axis"] == "y":
                return f"{sq('x', p['h'])} - {_e(4 * p['p'])}*(y - {_e(p['k'])})"
            return f"{sq('y', p['k'])} - {_e(4 * p['p'])}*(x - {_e(p['h'])})"
        raise ValueError(f"{self.kind} has no expression")

    def obj(self) -> dict | None:
        """The figure in ``scene.objects`` (a point lives in ``scene.points`` alone)."""
        k, p, names = self.kind, self.p, list(self.points)
        if k == "point":
            return None
        if k == "segment":
            return {"type": "segment", "name": self.name, "ends": names}
        if k == "line":
            o = {"type": "line", "name": self.name, "coeffs": [float(v) for v in canonical(p["a"], p["b"], p["c"])]}
            if names:
                o["through"] = names
            return o
        if k == "polygon":
            return {"type": "polygon", "name": self.name, "vertices": names,
                    "shape": {3: "triangle", 4: "quadrilateral"}.get(len(names), "polygon")}
        if k == "circle":
            return {"type": "circle", "name": self.name, "center": p["center"],
                    "radius": float(sp.sqrt(p["r2"])), "expr": self.expr()}
        return {"type": k, "name": self.name, "expr": self.expr()}

    # --- geometry in floats --------------------------------------------------------------------
    def outline(self, window=None) -> list[list[tuple[float, float]]]:
        """Polylines of the figure (a line: its chord across ``window``; a hyperbola: two branches)."""
        key = (window, self.form, id(self.p))
        got = self._drawn.get(key)
        if got is None:
            got = self._drawn[key] = self._outline(window)
        return got

    def _outline(self, window=None) -> list[list[tuple[float, float]]]:
        k, p = self.kind, self.p
        pts = [(float(x), float(y)) for x, y in self.points.values()]
        if k == "point":
            return [pts]
        if k == "segment":
            return [pts]
        if k == "polygon":
            return [pts + pts[:1]]
        if k == "line":
            return [_chord(float(p["a"]), float(p["b"]), float(p["c"]), window)]
        h, kk = float(p["h"]), float(p["k"])
        n = 128
        if k == "circle":
            r = math.sqrt(float(p["r2"]))
            return [[(h + r * math.cos(2 * math.pi * i / n), kk + r * math.sin(2 * math.pi * i / n))
                     for i in range(n + 1)]]
        if k == "ellipse":
            a, b = float(p["a"]), float(p["b"])
            return [[(h + a * math.cos(2 * math.pi * i / n), kk + b * math.sin(2 * math.pi * i / n))
                     for i in range(n + 1)]]
        if k == "hyperbola":
            a, b = float(p["a"]), float(p["b"])
            reach = _reach(window, h, kk)
            tmax = math.acosh(max(reach / min(a, b), 1.0)) + 0.1
            branches = []
            for s in (1, -1):
                br = []
                for i in range(-n, n + 1):
                    u = tmax * i / n
                    along, across = s * math.cosh(u), math.sinh(u)
                    br.append((h + a * along, kk + b * across) if p["axis"] == "x"
                              else (h + a * across, kk + b * along))
                branches.append(br)
            return branches
        if k == "parabola":
            q = float(p["p"])
            reach = _reach(window, h, kk)
            umax = math.sqrt(4 * abs(q) * reach) + 1.0
            out = []
            for i in range(-n, n + 1):
                u = umax * i / n
                v = u * u / (4 * q)
                out.append((h + u, kk + v) if p["axis"] == "y" else (h + v, kk + u))
            return [out]
        raise ValueError(k)

    def view_box(self) -> tuple[float, float, float, float] | None:
        """(x0, y0, x1, y1): what the window must show of the figure. A closed figure or a
        segment: its outline's box; a line: its marked points (None without any); a hyperbola:
        its vertices and foci a unit further, b + 1 across; a parabola: its vertex, its focus
        and the width of its latus rectum, at least 2 units each way."""
        k, p = self.kind, self.p
        if k in ("point", "segment", "polygon", "circle", "ellipse"):
            pts = [q for ln in self.outline() for q in ln]
        elif k == "line":
            pts = [(float(x), float(y)) for x, y in self.points.values()]
            if not pts:
                return None
        elif k == "hyperbola":
            a, b, h, kk = float(p["a"]), float(p["b"]), float(p["h"]), float(p["k"])
            c = math.hypot(a, b)
            ex, ey = (c + 1, b + 1) if p["axis"] == "x" else (a + 1, c + 1)
            pts = [(h - ex, kk - ey), (h + ex, kk + ey)]
        else:
            q, h, kk = float(p["p"]), float(p["h"]), float(p["k"])
            w = max(2.0, 2 * abs(q))
            along = [0.0, math.copysign(w, q)]
            pts = [(h + s, kk + u) if p["axis"] == "y" else (h + u, kk + s) for s in (-w, w) for u in along]
        xs, ys = [q[0] for q in pts], [q[1] for q in pts]
        return min(xs), min(ys), max(xs), max(ys)

    def anchor(self) -> tuple[float, float]:
        """The figure's reference point for "left of" / "above" (the check's ``position``)."""
        k, p = self.kind, self.p
        pts = [(float(x), float(y)) for x, y in self.points.values()]
        if k in ("circle", "ellipse", "hyperbola"):
            return float(p["h"]), float(p["k"])
        if k == "parabola":
            return float(p["h"]), float(p["k"])
        if k == "segment":
            return ((pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2)
        return (sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts))


def _reach(window, h, k) -> float:
    if window is None:
        return 20.0
    (x0, x1), (y0, y1) = window
    return max(abs(x0 - h), abs(x1 - h), abs(y0 - k), abs(y1 - k)) * 1.5


def _chord(a, b, c, window) -> list[tuple[float, float]]:
    """Two far points of ax + by + c = 0, beyond the window (the renderer clips)."""
    (x0, x1), (y0, y1) = window if window is not None else ((-20, 20), (-20, 20))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    n = math.hypot(a, b)
    d = (a * cx + b * cy + c) / n               # the foot of the window's centre on the line
    fx, fy = cx - a * d / n, cy - b * d / n
    L = 2 * max(x1 - x0, y1 - y0)
    ux, uy = -b / n, a / n
    return [(fx - L * ux, fy - L * uy), (fx + L * ux, fy + L * uy)]


def inside(f: Fig, window, margin: float = 0.3) -> bool:
    (x0, x1), (y0, y1) = window
    if f.kind in ("line", "hyperbola", "parabola"):
        pts = list(f.points.values())
        return all(x0 + margin <= float(x) <= x1 - margin and y0 + margin <= float(y) <= y1 - margin
                   for x, y in pts)
    return all(x0 + margin <= x <= x1 - margin and y0 + margin <= y <= y1 - margin
               for line in f.outline(window) for x, y in line)


def on_axis(f: Fig) -> bool:
    """Whether a drawn straight piece of ``f`` runs along the x- or the y-axis."""
    if f.kind == "line":
        a, b, c = f.p["a"], f.p["b"], f.p["c"]
        return c == 0 and (a == 0 or b == 0)
    if f.kind in ("segment", "polygon"):
        pts = list(f.points.values())
        pairs = list(zip(pts, pts[1:] + pts[:1])) if f.kind == "polygon" else [tuple(pts)]
        return any((p[0] == q[0] == 0) or (p[1] == q[1] == 0) for p, q in pairs)
    return False



# --- constructors ---------------------------------------------------------------------------

def point(name, xy) -> Fig:
    return Fig("point", name, {name: tuple(xy)})


def segment(a, pa, b, pb) -> Fig:
    return Fig("segment", a + b, {a: tuple(pa), b: tuple(pb)})


def line_through(name, a, pa, b, pb, form="points", show_points=True) -> Fig:
    """The line through two points: a(x) + b(y) + c = 0 with a = y2 - y1, b = x1 - x2."""
    A, B = pa[1] - pb[1], pb[0] - pa[0]
    C = -(A * pa[0] + B * pa[1])
    A, B, C = integer_form(A, B, C)
    pts = {a: tuple(pa), b: tuple(pb)} if show_points else {}
    return Fig("line", name, pts, {"a": A, "b": B, "c": C}, form)


def line_from(name, a, b, c, form="slope") -> Fig:
    A, B, C = integer_form(a, b, c)
    return Fig("line", name, {}, {"a": A, "b": B, "c": C}, form)


def polygon(names: str, pts) -> Fig:
    return Fig("polygon", names, {n: tuple(p) for n, p in zip(names, pts)})


def circle(name, center_name, h, k, r2, on=None) -> Fig:
    pts = {center_name: (h, k)}
    if on:
        pts.update(on)
    return Fig("circle", name, pts, {"h": h, "k": k, "r2": r2, "center": center_name})


def ellipse(name, h, k, a, b, center="C") -> Fig:
    """An ellipse with axes along the grid; its centre is a marked point named ``center``."""
    return Fig("ellipse", name, {center: (h, k)}, {"h": h, "k": k, "a": a, "b": b, "center": center})


def hyperbola(name, h, k, a, b, axis, center="C", asymptotes=True) -> Fig:
    """``asymptotes``: whether the picture draws them (dashed)."""
    return Fig("hyperbola", name, {center: (h, k)}, {"h": h, "k": k, "a": a, "b": b, "axis": axis, "center": center,
                                                     "asymptotes": asymptotes})


def parabola(name, h, k, p, axis, center="V") -> Fig:
    """A parabola with its axis along the grid; its vertex is a marked point named ``center``."""
    return Fig("parabola", name, {center: (h, k)}, {"h": h, "k": k, "p": p, "axis": axis, "center": center})


def translate(f: Fig, d) -> Fig:
    """``f`` moved by the vector ``d`` (points, segments, polygons and circles)."""
    pts = {n: (x + d[0], y + d[1]) for n, (x, y) in f.points.items()}
    p = dict(f.p)
    if f.kind == "circle":
        p["h"], p["k"] = p["h"] + d[0], p["k"] + d[1]
    elif f.kind not in ("point", "segment", "polygon"):
        raise ValueError(f"cannot move a {f.kind}")
    return Fig(f.kind, f.name, pts, p, f.form)
