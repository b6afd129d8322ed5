"""The analytic-geometry check (domains/analytic_geometry/check.py) on hand-built coordinate-plane
scenes.

Every expected value below is worked out by hand from the figure (foci from c² = a² ± b²,
tangent lines from the radius, triangle centres of the 3-4-5 triangle, ...), never by
running the code; the property tests at the end check what any answer must satisfy.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from diagram_engine import measure as measure_scene
from diagram_engine.domains.analytic_geometry.check import MEASURES, AnalyticMeasureError, check
from diagram_engine.errors import MeasureError, VerificationError

S2, S3 = math.sqrt(2), math.sqrt(3)

POINTS = {
    "O": [0, 0], "O2": [0, 0], "A": [0, 0], "B": [4, 0], "C": [0, 3],
    "P": [0, 5], "Q": [3, 0], "R": [1, 3], "T": [3, 4], "U": [4, 2], "V": [4, 7], "W": [0, 3],
    "K": [8, 0], "L": [2, 0], "M": [6, 0], "N": [10, 0], "F": [1, 0], "Z": [0, 1],
    "S1": [0, 0], "S2": [4, 4], "S3": [0, 4], "S4": [4, 0], "S5": [1, 1], "S6": [10, 0], "S7": [6, 6],
    "V5": [5, 0], "V3": [3, 0], "S8": [0, 2], "S9": [2, 4], "D": [0, -1], "E2": [4, 2], "X9": [10, 2], "Y9": [1, 0.404], "Y8": [1, 0.5272], "Y7": [1, 0.3172],
}


def line(name, a, b, c, through=None):
    o = {"type": "line", "name": name, "coeffs": [a, b, c]}
    if through:
        o["through"] = through
    return o


def circle(name, center, r, expr=None):
    o = {"type": "circle", "name": name, "center": center, "radius": r}
    if expr:
        o["expr"] = expr
    return o


def conic(kind, name, expr):
    return {"type": kind, "name": name, "expr": expr}


def seg(name, p, q):
    return {"type": "segment", "name": name, "ends": [p, q]}


def poly(name, vs):
    return {"type": "polygon", "name": name, "vertices": vs}


OBJECTS = [
    {"type": "axes", "name": "axes", "x_range": [-10, 10], "y_range": [-10, 10]},
    line("l", 2, -1, 1),                    # y = 2x + 1
    line("m", -4, 2, 6),                    # y = 2x - 3, parallel to l
    line("k", 1, 2, 0),                     # y = -x/2, perpendicular to l
    line("j", 1, -1, 0),                    # y = x
    line("l2", 4, -2, 2),                   # l again
    line("v", 1, 0, -4),                    # x = 4
    line("h", 0, 1, -5),                    # y = 5
    line("x0", 1, 0, 0),                    # x = 0
    line("t5", 0, 1, -5 - 1e-12),           # y = 5 + 1e-12: tangent to ω within tolerance
    line("s5", 0, 1, -4.9999),              # y = 4.9999: a secant of ω
    line("y0", 0, 1, 0),                    # the x-axis
    line("as", 4, -3, 0),                   # y = 4x/3, an asymptote of H
    line("pa", 4, -3, 3),                   # y = 4x/3 + 1, parallel to it
    line("y1", 0, 1, -1),                   # y = 1
    line("y3", 0, 1, -3),                   # y = 3
    seg("AB", "A", "B"), seg("UV", "U", "V"), seg("PW", "P", "W"),
    seg("d1", "S1", "S2"), seg("d2", "S3", "S4"), seg("d3", "S1", "S5"), seg("d4", "S5", "S7"),
    seg("d5", "S1", "S6"), seg("d6", "S8", "S9"),
    poly("ABC", ["A", "B", "C"]), poly("ACB", ["A", "C", "B"]),
    poly("SQ", ["S1", "S4", "S2", "S3"]), poly("BOW", ["S1", "S2", "S4", "S3"]),
    circle("ω", "O", 5, "x**2 + y**2 - 25"),
    circle("ext", "K", 3), circle("int", "L", 3), circle("cut", "M", 5), circle("far", "N", 3),
    circle("in", "F", 2), circle("conc", "O2", 2), circle("same", "O2", 5),
    circle("near", "K", 3 + 1e-12),        # tangent to ω within tolerance
    conic("ellipse", "E", "x**2/25 + y**2/9 - 1"),
    conic("ellipse", "E1", "(x - 1)**2/16 + (y + 2)**2/9 - 1"),
    conic("ellipse", "Er", "5*x**2 - 6*x*y + 5*y**2 - 8"),             # u²/4 + v² = 1, u along (1, 1)
    conic("ellipse", "Ec", "x**2/4 + y**2/4 - 1"),                       # a circle, declared an ellipse
    conic("hyperbola", "H", "x**2/9 - y**2/16 - 1"),
    conic("hyperbola", "H1", "(y - 1)**2/4 - (x + 1)**2/5 - 1"),
    conic("hyperbola", "Hr", "x*y - 1"),
    conic("parabola", "G", "y - x**2/8"),
    conic("parabola", "G1", "y - (x - 2)**2/4 - 1"),
    conic("parabola", "G2", "(y-1)**2 - 4*(x+2)"),
    conic("parabola", "Gr", "(x - y)**2 - 4*(x + y) + 4"),              # focus (1, 1), directrix x + y = 0
]
SCENE = {"points": POINTS, "objects": OBJECTS}


def m(measure, of=None, scene=SCENE, **more):
    target = {"measure": measure, **({"of": of} if of is not None else {}), **more}
    return check(scene, target)


def close(got, want, tol=1e-9):
    if isinstance(want, (list, tuple)):
        assert isinstance(got, list) and len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            close(g, w, tol)
    else:
        assert isinstance(got, float) and got == pytest.approx(want, abs=tol), (got, want)


def with_objects(*objects, points=None):
    return {"points": {**POINTS, **(points or {})}, "objects": list(objects)}


# --- points, lines and segments ------------------------------------------------------------------

def test_measures_listed():
    assert len(MEASURES) == len(set(MEASURES)) == 25
    assert {"distance", "intersections", "position", "axis-lengths", "tangent-line"} <= set(MEASURES)


def test_point_distance_midpoint():
    assert m("point", "T") == [3.0, 4.0]
    close(m("distance", ["O", "T"]), 5)
    close(m("distance", ["P", "l"]), 4 / math.sqrt(5))        # (0, 5) to 2x - y + 1 = 0
    close(m("distance", ["l", "P"]), 4 / math.sqrt(5))
    close(m("distance", ["l", "m"]), 4 / math.sqrt(5))        # y = 2x + 1 and y = 2x - 3
    close(m("distance", ["l", "l2"]), 0)
    close(m("distance", ["B", "v"]), 0)
    close(m("midpoint", ["O", "T"]), [1.5, 2])
    close(m("midpoint", "UV"), [4, 4.5])


def test_slope_intercepts_and_equations():
    close(m("slope", "l"), 2)
    close(m("slope", "k"), -0.5)
    close(m("slope", ["O", "T"]), 4 / 3)
    close(m("y-intercept", "l"), 1)
    close(m("x-intercept", "l"), -0.5)
    close(m("x-intercept", "v"), 4)
    close(m("y-intercept", "h"), 5)
    close(m("line-equation", ["C", "R"]), [0, 1, -3])         # (0, 3), (1, 3): y = 3
    close(m("line-equation", "l"), [1, -0.5, 0.5])             # y = 2x + 1
    close(m("line-equation", "m"), [1, -0.5, -1.5])
    close(m("line-equation", "UV"), [1, 0, -4])                # x = 4
    close(m("line-equation", "h"), [0, 1, -5])
    close(m("line-equation", ["O", "T"]), [1, -0.75, 0])


def test_line_equation_examples_of_the_docstring():
    pts = {"P1": [0, 3], "P2": [1, 5], "P3": [4, -1], "P4": [4, 6], "P5": [-2, 5], "P6": [3, 5]}
    scene = with_objects(points=pts)
    close(m("line-equation", ["P1", "P2"], scene), [1, -0.5, 1.5])     # y = 2x + 3
    close(m("line-equation", ["P3", "P4"], scene), [1, 0, -4])         # x = 4
    close(m("line-equation", ["P5", "P6"], scene), [0, 1, -5])         # y = 5
    assert m("line-equation", ["P6", "P5"], scene)[0] == 0.0           # no -0.0, either order


def test_vertical_and_horizontal_errors():
    with pytest.raises(AnalyticMeasureError, match="vertical"):
        m("slope", "v")
    with pytest.raises(AnalyticMeasureError, match="vertical"):
        m("slope", "PW")
    with pytest.raises(AnalyticMeasureError, match="vertical"):
        m("y-intercept", "x0")
    with pytest.raises(AnalyticMeasureError, match="horizontal"):
        m("x-intercept", "h")
    with pytest.raises(AnalyticMeasureError, match="not parallel"):
        m("distance", ["l", "k"])


def test_line_through_is_checked():
    ok = with_objects(line("n", 1, -1, 0, through=["O", "S5"]))
    close(m("slope", "n", ok), 1)
    bad = with_objects(line("n", 1, -1, 1, through=["O", "S5"]))
    with pytest.raises(AnalyticMeasureError, match="through"):
        m("slope", "n", bad)


# --- relations --------------------------------------------------------------------------------

@pytest.mark.parametrize(("of", "word"), [
    (["l", "m"], "parallel"), (["l", "k"], "perpendicular"), (["l", "j"], "intersecting"),
    (["l", "l2"], "coincident"), (["AB", "UV"], "perpendicular"), (["d1", "d4"], "coincident"),
    (["h", "ω"], "tangent"), (["ω", "t5"], "tangent"), (["s5", "ω"], "secant"), (["l", "ω"], "secant"),
    (["v", "far"], "disjoint"), (["y1", "ext"], "secant"),
    (["ω", "ext"], "externally tangent"), (["near", "ω"], "externally tangent"),
    (["ω", "int"], "internally tangent"), (["int", "ω"], "internally tangent"), (["ω", "cut"], "intersecting"),
    (["ω", "far"], "separate"), (["in", "ω"], "contained"), (["ω", "conc"], "concentric"),
    (["ω", "same"], "identical"),
    (["P", "l"], "above"), (["l", "P"], "above"), (["Q", "l"], "below"), (["R", "l"], "on"),
    (["P", "m"], "above"), (["P", "v"], "left"), (["X9", "v"], "right"), (["U", "v"], "on"),
    (["O", "ω"], "inside"), (["T", "ω"], "on"), (["K", "ω"], "outside"),
    (["O", "E"], "inside"), (["P", "E"], "outside"), (["C", "E"], "on"),
    (["O", "H"], "outside"), (["V5", "H"], "inside"), (["V3", "H"], "on"),
    (["Z", "G"], "inside"), (["D", "G"], "outside"), (["E2", "G"], "on"),
])
def test_relation(of, word):
    assert m("relation", of) == word


def test_relation_unsupported_pair():
    with pytest.raises(AnalyticMeasureError, match="relation"):
        m("relation", ["O", "T"])
    with pytest.raises(AnalyticMeasureError, match="relation"):
        m("relation", ["l", "E"])


# --- intersections -----------------------------------------------------------------------------

def test_intersections_lines_and_segments():
    close(m("intersections", ["l", "j"]), [[-1, -1]])
    close(m("intersections", ["l", "m"]), [])
    close(m("intersections", ["v", "y0"]), [[4, 0]])
    close(m("intersections", ["d1", "d2"]), [[2, 2]])
    close(m("intersections", ["d3", "d2"]), [])                # ends short of the crossing
    close(m("intersections", ["d3", "d4"]), [[1, 1]])          # collinear, touching end to end
    close(m("intersections", ["d6", "d4"]), [])                # parallel, apart
    close(m("intersections", ["AB", "x0"]), [[0, 0]])          # at an end of the segment
    with pytest.raises(AnalyticMeasureError, match="infinitely many"):
        m("intersections", ["l", "l2"])
    with pytest.raises(AnalyticMeasureError, match="infinitely many"):
        m("intersections", ["d1", "j"])


def test_intersections_with_circles():
    close(m("intersections", ["j", "ω"]), [[-5 / S2, -5 / S2], [5 / S2, 5 / S2]])
    close(m("intersections", ["ω", "y0"]), [[-5, 0], [5, 0]])
    close(m("intersections", ["x0", "ω"]), [[0, -5], [0, 5]])
    close(m("intersections", ["h", "ω"]), [[0, 5]])
    close(m("intersections", ["t5", "ω"]), [[0, 5]])           # one double point within tolerance
    close(m("intersections", ["v", "far"]), [])
    close(m("intersections", ["d5", "ω"]), [[5, 0]])           # clipped to the segment
    close(m("intersections", ["AB", "ω"]), [])
    x = math.sqrt(5**2 - 4.9999**2)
    close(m("intersections", ["s5", "ω"]), [[-x, 4.9999], [x, 4.9999]])


def test_intersections_of_circles():
    close(m("intersections", ["ω", "ext"]), [[5, 0]])
    close(m("intersections", ["near", "ω"]), [[5, 0]])
    close(m("intersections", ["ω", "int"]), [[5, 0]])
    close(m("intersections", ["cut", "ω"]), [[3, -4], [3, 4]])
    for other in ("far", "in", "conc"):
        assert m("intersections", ["ω", other]) == []
    with pytest.raises(AnalyticMeasureError, match="infinitely many"):
        m("intersections", ["ω", "same"])
    with pytest.raises(AnalyticMeasureError, match="intersections"):
        m("intersections", ["ω", "E"])


def test_intersections_with_conics():
    x = 15 / math.sqrt(34)                                    # y = x on x²/25 + y²/9 = 1
    close(m("intersections", ["j", "E"]), [[-x, -x], [x, x]])
    close(m("intersections", ["y1", "G"]), [[-2 * S2, 1], [2 * S2, 1]])
    close(m("intersections", ["x0", "G"]), [[0, 0]])           # along the axis: one crossing
    close(m("intersections", ["pa", "H"]), [[-6.375, -7.5]])   # parallel to an asymptote: one
    close(m("intersections", ["as", "H"]), [])                 # the asymptote itself: none
    close(m("intersections", ["y0", "H"]), [[-3, 0], [3, 0]])
    close(m("intersections", ["y3", "E"]), [[0, 3]])           # tangent at the top
    close(m("intersections", ["j", "Hr"]), [[-1, -1], [1, 1]])


# --- tangent lines ----------------------------------------------------------------------------

def test_tangent_lines():
    close(m("tangent-line", "ω", at="T"), [1, 4 / 3, -25 / 3])     # 3x + 4y = 25
    close(m("tangent-line", "ω", at="P"), [0, 1, -5])
    close(m("tangent-line", "G", at="E2"), [1, -1, -2])            # y = x - 2 at (4, 2)
    close(m("tangent-line", "E", at="C"), [0, 1, -3])
    close(m("tangent-line", "H", at="V3"), [1, 0, -3])             # the vertex: x = 3
    with pytest.raises(AnalyticMeasureError, match="not on"):
        m("tangent-line", "ω", at="R")
    with pytest.raises(AnalyticMeasureError, match="no point"):
        m("tangent-line", "ω", at="nowhere")


# --- polygons and triangle centres ---------------------------------------------------------------

def test_area_perimeter():
    close(m("area", "ABC"), 6)
    close(m("area", "ACB"), 6)                                 # clockwise: still positive
    close(m("perimeter", "ABC"), 12)
    close(m("area", "SQ"), 16)
    close(m("perimeter", "SQ"), 16)
    with pytest.raises(AnalyticMeasureError, match="self-intersecting"):
        m("area", "BOW")
    with pytest.raises(AnalyticMeasureError, match="polygon"):
        m("area", "ω")


def test_triangle_centres():
    close(m("centroid", "ABC"), [4 / 3, 1])
    close(m("circumcenter", "ABC"), [2, 1.5])
    close(m("orthocenter", "ABC"), [0, 0])
    close(m("incenter", "ABC"), [1, 1])
    close(m("incenter", "ACB"), [1, 1])
    with pytest.raises(AnalyticMeasureError, match="triangle"):
        m("centroid", "SQ")


# --- circles and conics ------------------------------------------------------------------------

def test_circle_measures():
    close(m("circle-equation", "ω"), [0, 0, 25])
    close(m("circle-equation", "ext"), [8, 0, 9])
    close(m("center", "ω"), [0, 0])
    close(m("radius", "cut"), 5)
    close(m("eccentricity", "ω"), 0)
    close(m("radius", "Ec"), 2)
    close(m("eccentricity", "Ec"), 0)
    for measure in ("foci", "vertices", "asymptotes", "axis-lengths"):
        with pytest.raises(AnalyticMeasureError):
            m(measure, "ω")


def test_circle_expr_is_checked():
    good = with_objects(circle("c", "K", 3, "(x - 8)**2 + y**2 - 9"))
    close(m("radius", "c", good), 3)
    for expr in ("(x - 8)**2 + y**2 - 10", "(x - 7)**2 + y**2 - 9", "(x - 8)**2/4 + y**2 - 9"):
        with pytest.raises(AnalyticMeasureError, match="not the circle"):
            m("radius", "c", with_objects(circle("c", "K", 3, expr)))


def test_ellipse():
    close(m("foci", "E"), [[-4, 0], [4, 0]])
    close(m("vertices", "E"), [[-5, 0], [5, 0]])
    close(m("eccentricity", "E"), 0.8)
    close(m("center", "E"), [0, 0])
    close(m("axis-lengths", "E"), [10, 6])
    r7 = math.sqrt(7)
    close(m("foci", "E1"), [[1 - r7, -2], [1 + r7, -2]])
    close(m("vertices", "E1"), [[-3, -2], [5, -2]])
    close(m("eccentricity", "E1"), r7 / 4)
    close(m("center", "E1"), [1, -2])
    close(m("axis-lengths", "E1"), [8, 6])


def test_rotated_ellipse():
    c = S3 / S2                                                # √3 along (1, 1)/√2
    close(m("foci", "Er"), [[-c, -c], [c, c]])
    close(m("vertices", "Er"), [[-S2, -S2], [S2, S2]])
    close(m("eccentricity", "Er"), S3 / 2)
    close(m("axis-lengths", "Er"), [4, 2])


def test_hyperbolas():
    close(m("foci", "H"), [[-5, 0], [5, 0]])
    close(m("vertices", "H"), [[-3, 0], [3, 0]])
    close(m("eccentricity", "H"), 5 / 3)
    close(m("asymptotes", "H"), [[1, -0.75, 0], [1, 0.75, 0]])     # y = ±4x/3
    close(m("axis-lengths", "H"), [6, 8])
    close(m("foci", "H1"), [[-1, -2], [-1, 4]])
    close(m("vertices", "H1"), [[-1, -1], [-1, 3]])
    close(m("eccentricity", "H1"), 1.5)
    close(m("center", "H1"), [-1, 1])
    k = math.sqrt(5) / 2                                       # y - 1 = ±(2/√5)(x + 1)
    close(m("asymptotes", "H1"), [[1, -k, 1 + k], [1, k, 1 - k]])
    close(m("axis-lengths", "H1"), [4, 2 * math.sqrt(5)])
    close(m("foci", "Hr"), [[-S2, -S2], [S2, S2]])             # xy = 1
    close(m("vertices", "Hr"), [[-1, -1], [1, 1]])
    close(m("eccentricity", "Hr"), S2)
    close(m("asymptotes", "Hr"), [[0, 1, 0], [1, 0, 0]])


def test_parabolas():
    close(m("foci", "G"), [[0, 2]])
    close(m("vertices", "G"), [[0, 0]])
    close(m("eccentricity", "G"), 1)
    close(m("foci", "G1"), [[2, 2]])
    close(m("vertices", "G1"), [[2, 1]])
    close(m("foci", "G2"), [[-1, 1]])
    close(m("vertices", "G2"), [[-2, 1]])
    close(m("foci", "Gr"), [[1, 1]])
    close(m("vertices", "Gr"), [[0.5, 0.5]])
    for measure in ("center", "asymptotes", "axis-lengths", "radius"):
        with pytest.raises(AnalyticMeasureError):
            m(measure, "G")


@pytest.mark.parametrize(("kind", "expr", "match"), [
    ("ellipse", "x**3 + y**2 - 1", "not a polynomial of degree 2"),
    ("ellipse", "sqrt(x**2 + y**2) - 1", "not a polynomial of degree 2"),
    ("hyperbola", "1/x - y", "undefined"),
    ("parabola", "x + y - 1", "not a conic"),
    ("ellipse", "x**2 + y**2 + 1", "no real points"),
    ("hyperbola", "x**2 - y**2", "degenerate"),
    ("parabola", "x**2 - 1", "degenerate"),
    ("ellipse", "x^2 + y**2 - 1", "bad expression"),
    ("ellipse", "x**2/9 - y**2/4 - 1", "declared a ellipse, but .* is a hyperbola"),
    ("parabola", "x**2/9 + y**2/4 - 1", "is a ellipse"),
    ("hyperbola", "y - x**2", "is a parabola"),
])
def test_bad_conics(kind, expr, match):
    with pytest.raises(AnalyticMeasureError, match=match):
        m("eccentricity", "X", with_objects(conic(kind, "X", expr)))


# --- position -----------------------------------------------------------------------------------

def test_position():
    assert m("position", ["B", "A"]) == "right"
    assert m("position", ["A", "B"]) == "left"
    assert m("position", ["S5", "O"]) == "upper right"
    assert m("position", ["O", "S5"]) == "lower left"
    assert m("position", ["P", "O"]) == "above"
    assert m("position", ["D", "O"]) == "below"
    assert m("position", ["far", "ABC"]) == "right"           # centre (10, 0) from (4/3, 1)
    assert m("position", ["E1", "far"]) == "left"             # centres (1, -2) and (10, 0)
    assert m("position", ["G1", "G2"]) == "right"             # vertices (2, 1) and (-2, 1)
    assert m("position", ["Y8", "O"]) == "upper right"        # 27.8°: 5.3° from the edge


def test_position_errors():
    with pytest.raises(AnalyticMeasureError, match="ambiguous"):
        m("position", ["Y9", "O"])                             # 22.0°: 0.5° from the edge
    with pytest.raises(AnalyticMeasureError, match="ambiguous"):
        m("position", ["E1", "UV"])                            # (1, -2) from (4, 4.5): 245.2°
    with pytest.raises(AnalyticMeasureError, match="ambiguous"):
        m("position", ["Y7", "O"])                             # 17.6°: 4.9° from the edge
    with pytest.raises(AnalyticMeasureError, match="same place"):
        m("position", ["O", "O2"])
    with pytest.raises(AnalyticMeasureError, match="a line"):
        m("position", ["l", "O"])


# --- bad targets and scenes -----------------------------------------------------------------------

def test_errors_name_what_is_known():
    with pytest.raises(AnalyticMeasureError, match="known: point, distance"):
        m("volume", "ABC")
    with pytest.raises(AnalyticMeasureError, match=r"no point or object named 'nope'.*objects: .*ABC"):
        m("area", "nope")
    with pytest.raises(AnalyticMeasureError, match="not measured here"):
        m("center", "axes")
    with pytest.raises(AnalyticMeasureError, match="wants a polygon"):
        m("perimeter", "l")
    with pytest.raises(AnalyticMeasureError, match="list of 2"):
        m("distance", ["O"])
    with pytest.raises(AnalyticMeasureError, match="no 'of'"):
        m("slope")
    with pytest.raises(AnalyticMeasureError, match="both a point and an object"):
        m("point", "Q", with_objects(line("Q", 1, 0, 0)))
    err = pytest.raises(AnalyticMeasureError, m, "slope", "v").value
    assert isinstance(err, MeasureError) and isinstance(err, VerificationError) and isinstance(err, ValueError)
    # measure() dispatches to this check, and its callers catch MeasureError
    with pytest.raises(MeasureError, match="known: point, distance"):
        measure_scene({"domain": "analytic-geometry", **SCENE}, {"measure": "volume", "of": "ABC"})


def test_only_the_asked_objects_are_read():
    scene = with_objects(conic("ellipse", "bad", "x**3"), poly("ABC", ["A", "B", "C"]))
    close(m("area", "ABC", scene), 6)


# --- properties, on seeded random figures -------------------------------------------------------

def test_random_line_circle_pairs():
    rng = np.random.default_rng(20240611)
    seen = set()
    for i in range(150):
        p, q, c = (np.round(rng.uniform(-9, 9, 2), 3) for _ in range(3))
        r = round(float(rng.uniform(0.5, 8)), 3)
        if i % 5 == 0:                                         # now and then a tangent line
            q = p + np.array([-(p - c)[1], (p - c)[0]])
            r = float(np.linalg.norm(p - c))
        scene = {"points": {"P": list(p), "Q": list(q), "C": list(c)},
                 "objects": [seg("s", "P", "Q"), circle("c", "C", r)]}
        line_ = m("line-equation", "s", scene)
        scene["objects"].append(line("l", *line_))
        pts = m("intersections", ["l", "c"], scene)
        word = m("relation", ["l", "c"], scene)
        seen.add(word)
        assert word == ("disjoint", "tangent", "secant")[len(pts)]
        assert pts == sorted(pts)
        for x, y in pts:
            assert abs(math.dist((x, y), c) - r) <= 1e-7
            assert abs(line_[0] * x + line_[1] * y + line_[2]) / math.hypot(*line_[:2]) <= 1e-7
        for x, y in m("intersections", ["s", "c"], scene):     # the segment's are among the line's
            assert min(math.dist((x, y), p) for p in pts) <= 1e-9
        assert m("distance", ["P", "C"], scene) == m("distance", ["C", "P"], scene)
        assert m("distance", ["C", "l"], scene) == pytest.approx(
            abs(line_[0] * c[0] + line_[1] * c[1] + line_[2]) / math.hypot(*line_[:2]))
    assert seen == {"disjoint", "tangent", "secant"}


def _rotated(kind: str, h: float, k: float, a: float, b: float, t: float) -> str:
    """The conic of semi-axes a, b about (h, k), its axis turned by t: as an expression."""
    c, s = f"{math.cos(t):.10f}", f"{math.sin(t):.10f}"
    u = f"({c}*(x - ({h})) + {s}*(y - ({k})))"
    v = f"(-({s})*(x - ({h})) + {c}*(y - ({k})))"
    sign = "+" if kind == "ellipse" else "-"
    return f"{u}**2/{a}**2 {sign} {v}**2/{b}**2 - 1"


def test_random_rotated_conics():
    rng = np.random.default_rng(7)
    for i in range(30):
        kind = ("ellipse", "hyperbola")[i % 2]
        h, k = (round(float(v), 2) for v in rng.uniform(-5, 5, 2))
        a, b = (round(float(v), 1) for v in rng.uniform(1, 4, 2))
        if kind == "ellipse" and a < b + 0.2:
            a, b = b + 0.5, a
        t = float(rng.uniform(-3, 3))
        scene = {"points": {}, "objects": [conic(kind, "X", _rotated(kind, h, k, a, b, t))]}
        close(m("center", "X", scene), [h, k], 1e-8)
        close(m("axis-lengths", "X", scene), [2 * a, 2 * b], 1e-8)
        f1, f2 = (np.array(f) for f in m("foci", "X", scene))
        c = math.sqrt(a * a - b * b) if kind == "ellipse" else math.hypot(a, b)
        assert np.linalg.norm(f1 - f2) == pytest.approx(2 * c)
        close(m("eccentricity", "X", scene), c / a, 1e-9)
        for phi in rng.uniform(0, 2 * math.pi, 4):             # |PF1| ± |PF2| = 2a on the curve
            along, across = ((a * math.cos(phi), b * math.sin(phi)) if kind == "ellipse"
                             else (a * math.cosh(phi / 3) * (1 if phi < math.pi else -1), b * math.sinh(phi / 3)))
            p = np.array([h + along * math.cos(t) - across * math.sin(t), k + along * math.sin(t) + across * math.cos(t)])
            d1, d2 = np.linalg.norm(p - f1), np.linalg.norm(p - f2)
            assert (d1 + d2 if kind == "ellipse" else abs(d1 - d2)) == pytest.approx(2 * a, abs=1e-8)
            scene["points"]["P"] = list(p)
            assert m("relation", ["P", "X"], scene) == "on"
            tangent = m("tangent-line", "X", scene, at="P")      # it touches the curve at P alone
            scene["objects"].append(line("t", *tangent))
            close(m("intersections", ["t", "X"], scene), [list(p)], 1e-6)
            scene["objects"].pop()
