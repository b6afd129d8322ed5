"""Graphs on a coordinate plane (diagram_engine.render.plot): numbers, mapping, curves, shapes,
equal scale, labels.

Every rendered plot goes through ``problems()``, which lists what is wrong with it: curve or
shape points outside the window (display list) or their ink outside it (rasterized), labels
outside the canvas, overlapping, or over full-ink strokes (``stroke_mask``), fewer than two tick
labels on an axis. ``test_checks_catch_broken_output`` feeds it deliberately broken output, so the checks
are shown to fail when they should.
"""
from __future__ import annotations

import io
import math
import re
import time

import numpy as np
import pytest
from PIL import Image

from diagram_engine.errors import Rejected
from diagram_engine.render.draw import Drawing, png_from_drawing, stroke_mask, svg_from_drawing
from diagram_engine.render.layout import Label
from diagram_engine.render.plot import (
    MINUS,
    Asymptote,
    Curve,
    Mark,
    Piece,
    Plot,
    Rendered,
    Shape,
    auto_y_range,
    draw_plot,
    format_tick,
    nice_step,
    tick_values,
)


# --- helpers ---------------------------------------------------------------------------------------
def gray(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.int16)


def curve_width(r: Rendered) -> float:
    return max(it[2] for it in r.drawing.items if it[0] == "path")


def curve_items(r: Rendered) -> list:
    w = curve_width(r)
    return [it for it in r.drawing.items if it[0] == "path" and it[2] == w]


def px(r: Rendered, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = r.to_pixels
    return a * x + b * y + c, d * x + e * y + f


def segments(runs):
    return [(p, q) for run in runs for p, q in zip(run, run[1:])]


def crossings(runs, x_px: float) -> list:
    """Polyline segments that cross (or touch) the vertical line x = x_px."""
    return [(p, q) for p, q in segments(runs) if min(p[0], q[0]) <= x_px <= max(p[0], q[0])]


def problems(r: Rendered, plot: Plot) -> list[str]:
    out = []
    size = plot.size
    L, T, R, B = r.window
    eps = 1e-6
    # curve points inside the window, in the display list
    for what, drawn_runs in (("curve", r.curves), ("shape", r.shapes)):
        for name, runs in drawn_runs.items():
            for run in runs:
                for x, y in run:
                    if not (L - eps <= x <= R + eps and T - eps <= y <= B + eps):
                        out.append(f"{what} {name} point {(x, y)} outside the window")
                        break
    # the display list draws exactly those runs (shapes drawn at the curve stroke included;
    # a closed sub-path "Z" ends at its first point)
    drawn = [[(c[1], c[2]) if c[0] != "Z" else (sub[0][1], sub[0][2]) for c in sub]
             for it in curve_items(r) for sub in it[1]]
    w = curve_width(r)
    want = [run for runs in r.curves.values() for run in runs]
    want += [run for sh in plot.shapes if round(w * sh.width, 2) == w for run in r.shapes.get(sh.name, [])]
    if sorted(drawn) != sorted(want):
        out.append("curve paths in the display list differ from Rendered.curves")
    # curve ink inside the window, rasterized
    only = Drawing(size, size, list(curve_items(r)))
    ink = gray(png_from_drawing(only)) < 200
    grow = curve_width(r) / 2 + 1.5
    allowed = np.zeros_like(ink)
    rows = slice(max(0, math.floor(T - grow)), math.ceil(B + grow) + 1)
    allowed[rows, max(0, math.floor(L - grow)):math.ceil(R + grow) + 1] = True
    if (ink & ~allowed).any():
        out.append(f"{int((ink & ~allowed).sum())} curve pixels outside the window")
    # labels: inside the canvas, disjoint, clear of full-ink strokes
    mask = stroke_mask(r.drawing)
    for lb in r.labels:
        x0, y0, x1, y1 = lb.bbox
        if x0 < 0 or y0 < 0 or x1 > size or y1 > size:
            out.append(f"label {lb.text!r} outside the canvas")
        if mask[max(0, math.floor(y0)):math.ceil(y1), max(0, math.floor(x0)):math.ceil(x1)].any():
            out.append(f"label {lb.text!r} over a stroke")
    for i, a in enumerate(r.labels):
        for b in r.labels[i + 1:]:
            if a.bbox[0] < b.bbox[2] and b.bbox[0] < a.bbox[2] and a.bbox[1] < b.bbox[3] and b.bbox[1] < a.bbox[3]:
                out.append(f"labels {a.text!r} and {b.text!r} overlap")
    if plot.tick_labels:
        for axis in ("x", "y"):
            if len(r.ticks[axis]) < 2:
                out.append(f"{len(r.ticks[axis])} tick labels on the {axis} axis")
    # every text drawn is a label, and the other way round
    texts = sorted((it[3], round(it[1], 6), round(it[2], 6)) for it in r.drawing.items if it[0] == "text")
    if texts != sorted((lb.text, round(lb.x, 6), round(lb.y, 6)) for lb in r.labels):
        out.append("drawn texts and labels differ")
    return out


def texts(r: Rendered, kind: str) -> list[str]:
    return [lb.text for lb in r.labels if lb.kind == kind]


# --- the plots -------------------------------------------------------------------------------------
def parabola(x):
    return 2 * x * x - 4 * x - 6


def hyperbola(x):
    return 1.0 / (x - 2)


PARABOLA = Plot((-3, 5), (-10, 30), 1, 5, (Curve("f", (Piece(parabola, -3, 5),), label="f"),),
                marks=(Mark("A", -1, 0, "A(−1, 0)"), Mark("B", 3, 0, "B(3, 0)"), Mark("V", 1, -8, "V(1, −8)")),
                title="f(x) = 2x² − 4x − 6", grid=True)
SINE = Plot((-7, 7), (-2, 2), 1, 0.5, (Curve("s", (Piece(math.sin, -7, 7),), label="y = sin x"),),
            marks=(Mark("M", math.pi / 2, 1, "M"),))
HYPERBOLA = Plot((-4, 8), (-5, 5), 1, 1, (Curve("h", (Piece(hyperbola, -4, 8),), label="h"),),
                 asymptotes=(Asymptote("vertical", 2, "x = 2"), Asymptote("horizontal", 0)),
                 marks=(Mark("P", 3, 1, "(3, 1)"),), title="h(x) = 1/(x − 2)")
HYPERBOLA_PIECES = Plot((-4, 8), (-5, 5), 1, 1,
                        (Curve("h", (Piece(hyperbola, -4, 2, True, False), Piece(hyperbola, 2, 8, False, True))),),
                        asymptotes=(Asymptote("vertical", 2, "x = 2"),))
PIECEWISE = Plot((-4, 4), (-3, 5), 1, 1,
                 (Curve("g", (Piece(lambda x: x + 2, -4, 1, True, False, True),
                              Piece(lambda x: 1 - x, 1, 4, True, True, True)), label="g"),),
                 title="g(x) = x + 2 (x < 1), 1 − x (x ≥ 1)")
LOG = Plot((-1, 8), (-3, 3), 1, 1, (Curve("l", (Piece(math.log, 0, 8, False, True),), label="y = ln x"),),
           asymptotes=(Asymptote("vertical", 0),), marks=(Mark("A", 1, 0, "(1, 0)"), Mark("E", math.e, 1, "(e, 1)")))
HOLE = Plot((-2, 6), (-1, 7), 1, 1, (Curve("f", (Piece(lambda x: (x * x - 4) / (x - 2), -2, 6),), label="f"),),
            marks=(Mark("H", 2, 4, "(2, 4)", hollow=True),))
TAN = Plot((-5, 5), (-4, 4), 1, 1, (Curve("t", (Piece(math.tan, -5, 5),)),),
           asymptotes=tuple(Asymptote("vertical", k * math.pi / 2) for k in (-3, -1, 1, 3)), grid=True)
EDGES = Plot((1, 9), (18, 42), 1, 2, (Curve("q", (Piece(lambda x: x * x / 4 + 20, 1, 9),), label="q"),),
             marks=(Mark("A", 4, 24, "A(4, 24)"),))

PLOTS = {"parabola": PARABOLA, "sine": SINE, "hyperbola": HYPERBOLA, "hyperbola-pieces": HYPERBOLA_PIECES,
         "piecewise": PIECEWISE, "log": LOG, "hole": HOLE, "tan": TAN, "edges": EDGES}


# --- numbers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("span, target, step", [
    (10, 8, 1.0), (8, 8, 1.0), (1, 8, 0.1), (0.3, 8, 0.05), (24, 8, 2.0), (40, 8, 5.0), (100, 8, 10.0),
    (16, 8, 2.0), (2.4, 8, 0.2), (0.001, 8, 0.0001), (1e6, 8, 100000.0), (12, 4, 2.0), (30, 4, 10.0),
    (12, 12, 1.0),
])
def test_nice_step_table(span, target, step):
    got = nice_step(span, target)
    assert got == step
    assert repr(got) == repr(step)          # an exact-looking float: 0.2, never 0.20000000000000001


@pytest.mark.parametrize("span", [0, -1, math.inf, math.nan])
def test_nice_step_refuses_bad_spans(span):
    with pytest.raises(ValueError):
        nice_step(span)


@pytest.mark.parametrize("lo, hi, step, want", [
    (-3, 5, 1, [-3, -2, -1, 0, 1, 2, 3, 4, 5]),
    (-0.5, 0.5, 0.1, [-0.5, -0.4, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5]),
    (0.05, 0.95, 0.2, [0.2, 0.4, 0.6, 0.8]),
    (-7, 7, 2.5, [-5.0, -2.5, 0.0, 2.5, 5.0]),
    (-10, 30, 5, [-10, -5, 0, 5, 10, 15, 20, 25, 30]),
    (0.30000000000000004, 0.7, 0.1, [0.3, 0.4, 0.5, 0.6, 0.7]),     # fp noise at the edge
    (1.5, 1.9, 1, []),
])
def test_tick_values_table(lo, hi, step, want):
    got = tick_values(lo, hi, step)
    assert got == want
    assert [repr(v) for v in got] == [repr(float(v)) for v in want]    # 0.3, not 0.30000000000000004
    assert all(math.copysign(1.0, v) > 0 for v in got if v == 0)        # no -0.0


@pytest.mark.parametrize("step", [0.1, 0.2, 0.05, 0.3, 0.25, 2.5, 0.001, 1e-5])
def test_tick_values_have_no_fp_noise(step):
    for v in tick_values(-40 * step, 40 * step, step):
        assert len(repr(v)) <= 10, repr(v)
        assert not (v == 0 and math.copysign(1.0, v) < 0)


@pytest.mark.parametrize("v, s", [
    (3, "3"), (-2, "−2"), (0.5, "0.5"), (-1.5, "−1.5"), (0.0, "0"), (-0.0, "0"), (2.0, "2"), (-2.0, "−2"),
    (0.1 + 0.2, "0.3"), (-1e-12, "0"), (1e-13, "0"), (1000000, "1000000"), (-0.25, "−0.25"), (12.5, "12.5"),
    (1 / 3, "0.3333333333"),
])
def test_format_tick_table(v, s):
    got = format_tick(v)
    assert got == s
    assert "-" not in got and "−0" != got


# --- mapping -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["parabola", "sine", "edges"])
def test_to_pixels_maps_window_and_origin(name):
    plot = PLOTS[name]
    r = draw_plot(plot)
    a, b, c, d, e, f = r.to_pixels
    assert b == 0 and d == 0 and a > 0 and e < 0            # affine, y up in the plot, down in pixels
    L, T, R, B = r.window
    (x0, x1), (y0, y1) = plot.x_range, plot.y_range
    assert px(r, x0, y0) == pytest.approx((L, B))
    assert px(r, x1, y1) == pytest.approx((R, T))
    assert px(r, x0, y1) == pytest.approx((L, T))
    # to scale on each axis: equal steps map to equal pixel distances
    assert px(r, x0 + plot.x_step, 0)[0] - px(r, x0, 0)[0] == pytest.approx(a * plot.x_step)
    assert a == pytest.approx((R - L) / (x1 - x0)) and -e == pytest.approx((B - T) / (y1 - y0))
    # a square canvas with a margin on every side
    assert r.drawing.width == r.drawing.height == plot.size
    assert 0 < L < R < plot.size and 0 < T < B < plot.size
    if x0 <= 0 <= x1 and y0 <= 0 <= y1:
        # the axes cross at the origin
        ox, oy = px(r, 0, 0)
        hor = [it for it in r.drawing.items if it[0] == "path" and len(it[1]) == 1 and len(it[1][0]) == 2
               and it[1][0][0][2] == it[1][0][1][2]]
        assert any(abs(sub[0][2] - oy) < 1e-9 for it in hor for sub in it[1])
        assert px(r, 0, 0) == pytest.approx((c, f))
        assert ox == pytest.approx(c)


def test_axes_on_the_window_edges_when_zero_is_outside():
    r = draw_plot(EDGES)
    L, T, R, B = r.window
    lines = [it[1][0] for it in r.drawing.items if it[0] == "path" and len(it[1]) == 1 and len(it[1][0]) == 2]
    assert any(s[0][1:] == (L, B) and s[1][2] == B and s[1][1] > R for s in lines)      # x-axis at the bottom
    assert any(s[0][1:] == (L, B) and s[1][1] == L and s[1][2] < T for s in lines)      # y-axis at the left
    assert "O" not in texts(r, "axis") and sorted(texts(r, "axis")) == ["x", "y"]
    assert problems(r, EDGES) == []


def test_origin_labelled_once():
    r = draw_plot(PARABOLA)
    assert texts(r, "axis").count("O") == 1
    assert "0" not in texts(r, "tick")
    assert sorted(texts(r, "axis")) == ["O", "x", "y"]


# --- rendered plots ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plot_is_clean(name):
    plot = PLOTS[name]
    r = draw_plot(plot)
    assert problems(r, plot) == []
    for m in plot.marks:
        if m.label:
            assert m.label in texts(r, "point")
    if plot.title:
        assert texts(r, "title") == [plot.title]
    for c in plot.curves:
        if c.label:
            assert texts(r, "legend").count(c.label) == 1
        assert r.curves[c.name], f"curve {c.name} drew nothing"
    for a in plot.asymptotes:
        if a.label:
            assert a.label in texts(r, "other")
    kinds = {lb.kind for lb in r.labels}
    assert kinds <= {"tick", "axis", "point", "title", "legend", "other"}
    # every tick label is a formatted multiple of the step, with a real minus sign
    for axis, step, rng in (("x", plot.x_step, plot.x_range), ("y", plot.y_step, plot.y_range)):
        allowed = {format_tick(v) for v in tick_values(*rng, step)}
        assert {lb.text for lb in r.ticks[axis]} <= allowed
        assert all(lb.kind == "tick" for lb in r.ticks[axis])
    assert not any("-" in lb.text for lb in r.labels if lb.kind == "tick")


@pytest.mark.parametrize("size", [256, 384, 768])
@pytest.mark.parametrize("name", ["parabola", "hyperbola", "piecewise", "log"])
def test_plot_is_clean_at_other_sizes(name, size):
    plot = Plot(**{**PLOTS[name].__dict__, "size": size})
    r = draw_plot(plot)
    assert problems(r, plot) == []
    assert len(texts(r, "point")) == sum(1 for m in plot.marks if m.label)


R2 = math.sqrt(2)
OFF_GRID = Plot((-4, 8), (-5, 5), 1, 1, (Curve("h", (Piece(lambda x: 1.0 / (x - R2), -4, 8),)),),
                asymptotes=(Asymptote("vertical", R2, "x = √2"),))


@pytest.mark.parametrize("name", ["hyperbola", "hyperbola-pieces", "off-grid"])
def test_no_segment_joins_across_the_asymptote(name):
    plot = OFF_GRID if name == "off-grid" else PLOTS[name]
    c = R2 if name == "off-grid" else 2.0           # the pole; x = 2 is a base sample, sqrt(2) is not
    r = draw_plot(plot)
    assert problems(r, plot) == []
    x2 = px(r, c, 0)[0]
    runs = r.curves["h"]
    assert crossings(runs, x2) == []
    # both branches run to the window's edge next to the asymptote: down on the left, up on the right
    _, T, _, B = r.window
    left = [run for run in runs if run[-1][0] < x2]
    right = [run for run in runs if run[0][0] > x2]
    assert left and right
    # 1/(x - c) leaves the window y in [-5, 5] at x = c - 0.2 (bottom) and x = c + 0.2 (top)
    end = max(left, key=lambda q: q[-1][0])[-1]
    start = min(right, key=lambda q: q[0][0])[0]
    assert end[1] == pytest.approx(B) and start[1] == pytest.approx(T)
    # (to the sampler's tolerance of 0.5 px)
    assert abs(end[0] - px(r, c - 0.2, 0)[0]) < 0.6 and abs(start[0] - px(r, c + 0.2, 0)[0]) < 0.6


def test_tangent_branches_are_separate():
    r = draw_plot(TAN)
    runs = r.curves["t"]
    assert len(runs) == 5                                   # poles at -3pi/2, -pi/2, pi/2, 3pi/2
    for k in (-3, -1, 1, 3):
        assert crossings(runs, px(r, k * math.pi / 2, 0)[0]) == []
    _, T, _, B = r.window
    # each inner branch spans the full height of the window
    for run in runs[1:-1]:
        assert {round(run[0][1], 6), round(run[-1][1], 6)} == {round(T, 6), round(B, 6)}


def test_log_runs_down_to_the_window_edge():
    r = draw_plot(LOG)
    run = r.curves["l"][0]
    B = r.window[3]
    assert run[0][1] == pytest.approx(B)                    # starts on the bottom edge ...
    assert abs(run[0][0] - px(r, math.exp(-3), 0)[0]) < 0.6     # ... where ln x = -3


def test_domain_edge_is_reached():
    plot = Plot((-3, 3), (-1, 3), 1, 1, (Curve("c", (Piece(lambda x: math.sqrt(4 - x * x), -3, 3),)),))
    r = draw_plot(plot)
    (run,) = r.curves["c"]
    for p, xe in ((run[0], -2.0), (run[-1], 2.0)):
        want = px(r, xe, 0.0)
        assert abs(p[0] - want[0]) < 0.05 and abs(p[1] - want[1]) < 0.5


def test_jumps_and_undefined_points_are_gaps():
    plot = Plot((-3, 3), (-4, 4), 1, 1, (Curve("f", (Piece(math.floor, -3, 3),)),
                                        Curve("r", (Piece(lambda x: x ** 0.5, -3, 3),))))
    r = draw_plot(plot)
    assert len(r.curves["f"]) == 6                          # a step function: six flat runs
    for run in r.curves["f"]:
        assert max(p[1] for p in run) - min(p[1] for p in run) < 1e-6
    (root,) = r.curves["r"]                                 # x ** 0.5 is complex for x < 0: a gap
    assert root[0][0] == pytest.approx(px(r, 0, 0)[0])


@pytest.mark.parametrize("name, f", [("sine", math.sin), ("parabola", parabola), ("hyperbola", hyperbola),
                                     ("log", math.log)])
def test_polyline_follows_the_curve(name, f):
    """Every point of the true curve inside the window is within ~0.5 px of the drawn polyline."""
    r = draw_plot(PLOTS[name])
    segs = np.array([(p[0], p[1], q[0], q[1]) for runs in r.curves.values() for p, q in segments(runs)])
    a, _, c, _, e, fo = r.to_pixels
    L, T, R, B = r.window
    pts = []
    for X in np.linspace(L + 0.25, R - 0.25, 1500):
        x = (X - c) / a
        try:
            y = f(x)
        except (ValueError, ZeroDivisionError):
            continue
        Y = e * y + fo
        if T + 2 < Y < B - 2:
            pts.append((X, Y))
    P = np.array(pts)
    A, D = segs[None, :, :2], segs[None, :, 2:] - segs[None, :, :2]
    t = np.clip(((P[:, None, :] - A) * D).sum(2) / np.maximum((D * D).sum(2), 1e-12), 0, 1)
    dist = np.sqrt(((A + t[..., None] * D - P[:, None, :]) ** 2).sum(2)).min(axis=1)
    assert dist.max() < 0.75


def test_piecewise_ends_open_and_closed():
    r = draw_plot(PIECEWISE)
    dots = [(it[1], it[2]) for it in r.drawing.items if it[0] == "dot"]
    circles = [it[1][0][1][1:3] for it in r.drawing.items
               if it[0] == "path" and len(it[1][0]) == 3 and it[1][0][1][0] == "A"]
    # closed end inside the window: (1, 0); open end: (1, 3). The ends on the window's edge,
    # (-4, -2) and (4, -3), get no dot: the window cuts the curve there.
    assert any(math.dist(p, px(r, 1, 0)) < 1e-6 for p in dots)
    for x, y in ((-4, -2), (4, -3)):
        assert not any(math.dist(p, px(r, x, y)) < 1e-6 for p in dots), (x, y)
    assert len(circles) == 1 and math.dist(circles[0], px(r, 1, 3)) < 1e-6
    # the open circle is hollow: no curve point inside it
    hole = px(r, 1, 3)
    radius = next(it[1][0][1][3] for it in r.drawing.items if it[0] == "path" and len(it[1][0]) == 3
                  and it[1][0][1][0] == "A")
    for runs in r.curves.values():
        for run in runs:
            assert all(math.dist(p, hole) >= radius - 1e-6 for p in run)
    # the two pieces are never joined
    assert len(r.curves["g"]) == 2


def test_hollow_mark_cuts_the_curve():
    r = draw_plot(HOLE)
    hole = px(r, 2, 4)
    runs = r.curves["f"]
    assert len(runs) == 2
    assert all(math.dist(p, hole) > 3.0 for run in runs for p in run)
    img = gray(png_from_drawing(r.drawing))
    assert img[round(hole[1]), round(hole[0])] > 200         # the centre of the open circle is white


# --- grid and stroke opacity --------------------------------------------------------------------
def test_grid_is_light():
    plot = Plot((-5, 5), (-5, 5), 1, 1, (Curve("f", (Piece(lambda x: 0.5 * x + 4.5, -5, 1),)),), grid=True)
    r = draw_plot(plot)
    svg = svg_from_drawing(r.drawing)
    grid = [p for p in re.findall(r"<path [^>]*>", svg) if "stroke-opacity" in p]
    assert len(grid) == 1 and 'stroke-opacity="0.220"' in grid[0]
    assert grid[0].count("M") == 22                          # 11 vertical and 11 horizontal lines
    img = gray(png_from_drawing(r.drawing))
    # the grid line x = 3, in the empty lower right quadrant, is light grey; the axes are dark
    gx, gy = px(r, 3, -2.5)
    column = img[round(gy) - 3:round(gy) + 4, math.floor(gx) - 1:math.ceil(gx) + 2]
    assert 150 < column.min() < 245
    ax_, ay_ = px(r, 0, -2.5)
    assert img[round(ay_), math.floor(ax_) - 1:math.ceil(ax_) + 2].min() < 100
    # grid lines are not in the stroke mask: labels may sit on them
    mask = stroke_mask(r.drawing)
    assert not mask[round(gy) - 3:round(gy) + 4, math.floor(gx) - 1:math.ceil(gx) + 2].any()
    assert mask[round(ay_), math.floor(ax_) - 1:math.ceil(ax_) + 2].any()
    # without the grid: no light strokes at all, and the same pixel is white
    r2 = draw_plot(Plot(**{**plot.__dict__, "grid": False}))
    assert "stroke-opacity" not in svg_from_drawing(r2.drawing)
    assert gray(png_from_drawing(r2.drawing))[round(gy), round(gx)] == 255


# the SVG the original draw.py wrote for this drawing (before stroke opacity existed)
_GOLDEN_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48" viewBox="0 0 64 48">\n'
    '<rect width="64" height="48" fill="#fff"/>\n'
    '<path d="M4 4L60.25 10L30 40.5Z" fill="none" stroke="#000" stroke-width="2" stroke-linejoin="round"/>\n'
    '<path d="M2 44L62 44" fill="none" stroke="#000" stroke-width="1.3" stroke-linejoin="round" '
    'stroke-dasharray="6 4"/>\n'
    '<path d="M10 10L20 10L20 20ZM40 24A8 8 0 0 0 32 16A8 8 0 0 0 24 24A8 8 0 0 0 32 32A8 8 0 0 0 40 24Z" '
    'fill="#000" fill-opacity="0.22" fill-rule="evenodd"/>\n'
    '<text x="5.5" y="30.25" font-family="DejaVu Sans" font-size="13">A(1, −2)</text>\n'
    '<circle cx="32" cy="24" r="2.5" fill="#000"/>\n</svg>\n')


def _golden_drawing(**kw) -> Drawing:
    d = Drawing(64, 48)
    d.polyline([(4, 4), (60.25, 10), (30, 40.5)], closed=True, stroke=2.0, **kw)
    d.polyline([(2, 44), (62, 44)], stroke=1.3, dash=(6.0, 4.0), **kw)
    d.path([[("M", 10, 10), ("L", 20, 10), ("L", 20, 20), ("Z",)],
            [("M", 40, 24), ("A", 32, 24, 8, 0.0, 360.0), ("Z",)]], stroke=0, fill=0.22, evenodd=True, **kw)
    d.text(5.5, 30.25, "A(1, −2)", 13.0)
    d.dot(32, 24, 2.5)
    return d


def test_stroke_ink_is_backward_compatible():
    old = _golden_drawing()
    assert svg_from_drawing(old) == _GOLDEN_SVG
    assert [len(it) for it in old.items if it[0] == "path"] == [6, 6, 6]       # the original layout
    full = _golden_drawing(ink=1.0)
    assert full.items == old.items
    assert png_from_drawing(full) == png_from_drawing(old)


def test_stroke_ink_below_one():
    d = Drawing(40, 40)
    d.polyline([(5, 20.5), (35, 20.5)], stroke=3.0, ink=0.5)
    d.polyline([(20.5, 5), (20.5, 35)], stroke=3.0)
    assert 'stroke-opacity="0.500"' in svg_from_drawing(d)
    assert svg_from_drawing(d).count("stroke-opacity") == 1
    for rast in ("cairo", "cairosvg"):
        img = gray(png_from_drawing(d, rast))
        assert 120 <= img[20, 10] <= 135, rast                # half ink: mid grey, in both rasterizers
        assert img[10, 20] < 10, rast
    mask = stroke_mask(d)
    assert not mask[20, 10] and mask[10, 20]
    with pytest.raises(ValueError):
        d.path([[("M", 0, 0), ("L", 1, 1)]], ink=0.0)


# --- auto window -------------------------------------------------------------------------------------
def _curves(f, a, b):
    return [Curve("f", (Piece(f, a, b),))]


def test_auto_y_range():
    lo, hi = auto_y_range(_curves(parabola, -3, 5), (-3, 5))
    assert lo <= -8 and hi >= 24 and lo > -20 and hi < 40
    step = nice_step(hi - lo)
    assert lo / step == round(lo / step) and hi / step == round(hi / step)
    # the blow-up next to a pole is clipped
    lo, hi = auto_y_range(_curves(hyperbola, -5, 5), (-5, 5))
    assert -10 <= lo < -1 and 1 < hi <= 10
    # included values are always shown, with headroom
    lo, hi = auto_y_range(_curves(hyperbola, -5, 5), (-5, 5), include=(7.5,))
    assert hi > 7.5
    # 0 is taken in when it is near (x-axis shown), not when it is far
    lo, hi = auto_y_range(_curves(lambda x: x + 2, 0, 5), (0, 5))
    assert lo <= 0 < hi
    lo, hi = auto_y_range(_curves(lambda x: x + 100, -5, 5), (-5, 5))
    assert lo > 80
    lo, hi = auto_y_range(_curves(lambda x: -x - 2, 0, 5), (0, 5))
    assert lo < 0 <= hi
    # a constant shows with room; nothing drawable gives a default window
    lo, hi = auto_y_range(_curves(lambda x: 3.0, -5, 5), (-5, 5))
    assert lo <= 0 and hi > 3
    assert auto_y_range(_curves(lambda x: math.sqrt(-1 - x * x), -5, 5), (-5, 5)) == (-5.0, 5.0)
    # exact-looking results
    lo, hi = auto_y_range(_curves(lambda x: 0.01 * x, -5, 5), (-5, 5))
    assert len(repr(lo)) < 10 and len(repr(hi)) < 10


# --- rejections ----------------------------------------------------------------------------------
def test_rejections():
    base = {**SINE.__dict__, "marks": ()}
    with pytest.raises(Rejected) as e:
        draw_plot(Plot(**{**base, "title": "a title far too long for the canvas " * 4}))
    assert e.value.reason == "labels"
    with pytest.raises(Rejected) as e:
        draw_plot(Plot(**{**base, "marks": (Mark("L", 0, 0, "a point label far too long to fit anywhere " * 3),)}))
    assert e.value.reason == "labels"
    with pytest.raises(Rejected) as e:                  # one y tick only: fewer than two tick labels
        draw_plot(Plot(**{**base, "y_range": (-1.2, 1.2), "y_step": 2}))
    assert e.value.reason == "labels"
    with pytest.raises(Rejected) as e:
        draw_plot(Plot(**{**base, "marks": (Mark("Z", 0, 5, "Z"),)}))
    assert e.value.reason == "window"
    with pytest.raises(ValueError):
        draw_plot(Plot(**{**base, "x_range": (1, 1)}))
    with pytest.raises(ValueError):
        draw_plot(Plot(**{**base, "asymptotes": (Asymptote("oblique", 1),)}))


def test_crowded_tick_labels_are_thinned_not_lost():
    plot = Plot((-20, 20), (-20, 20), 1, 1, (Curve("f", (Piece(lambda x: 0.5 * x, -20, 20),)),), size=256)
    r = draw_plot(plot)
    assert problems(r, plot) == []
    vals = sorted(float(lb.text.replace(MINUS, "-")) for lb in r.ticks["x"])
    assert len(vals) >= 4
    every = min(b - a for a, b in zip(vals, vals[1:]))
    assert every in (2, 5, 10) and all(v % every == 0 for v in vals)    # every 2nd / 5th / 10th tick


# --- the checks above really check ---------------------------------------------------------------
def test_checks_catch_broken_output():
    r = draw_plot(HYPERBOLA)
    assert problems(r, HYPERBOLA) == []
    _, T, _, B = r.window
    # a polyline joining the two branches across x = 2
    x2 = px(r, 2, 0)[0]
    assert crossings([[(x2 - 5, B), (x2 + 5, T)]], x2)
    # a curve drawn beyond the window
    bad = Rendered(Drawing(r.drawing.width, r.drawing.height, list(r.drawing.items)), list(r.labels),
                   r.to_pixels, r.window, {k: [list(run) for run in v] for k, v in r.curves.items()}, r.ticks)
    run = bad.curves["h"][0]
    run.append((run[-1][0] + 1, B + 30))
    w = curve_width(r)
    bad.drawing.items = [it for it in bad.drawing.items if not (it[0] == "path" and it[2] == w)]
    bad.drawing.path([[("M", *p[0])] + [("L", *q) for q in p[1:]] for p in bad.curves["h"]], stroke=w)
    assert any("outside the window" in p for p in problems(bad, HYPERBOLA))
    assert any("curve pixels outside" in p for p in problems(bad, HYPERBOLA))
    # a label moved onto the curve, and two labels on top of each other
    mid = bad.curves["h"][1][len(bad.curves["h"][1]) // 2]
    lb = r.labels[0]
    w_, h_ = lb.bbox[2] - lb.bbox[0], lb.bbox[3] - lb.bbox[1]
    box = (mid[0] - w_ / 2, mid[1] - h_ / 2, mid[0] + w_ / 2, mid[1] + h_ / 2)
    moved = Label(lb.text, lb.kind, lb.x, lb.y, lb.size, box)
    twin = Rendered(r.drawing, [moved] + r.labels[1:] + [r.labels[1]], r.to_pixels, r.window, r.curves, r.ticks)
    found = problems(twin, HYPERBOLA)
    assert any("over a stroke" in p for p in found) and any("overlap" in p for p in found)
    # too few tick labels
    few = Rendered(r.drawing, r.labels, r.to_pixels, r.window, r.curves, {"x": r.ticks["x"][:1], "y": r.ticks["y"]})
    assert any("tick labels on the x axis" in p for p in problems(few, HYPERBOLA))


# --- determinism and speed ----------------------------------------------------------------------
def test_deterministic():
    a, b = draw_plot(PARABOLA), draw_plot(PARABOLA)
    assert a.drawing.items == b.drawing.items
    assert svg_from_drawing(a.drawing) == svg_from_drawing(b.drawing)
    assert [lb.record() for lb in a.labels] == [lb.record() for lb in b.labels]


def test_fast():
    plots = [PLOTS[n] for n in ("parabola", "sine", "hyperbola", "piecewise", "log")] * 10
    draw_plot(PARABOLA)                                   # font metrics and imports warm
    t = time.perf_counter()
    for p in plots:
        draw_plot(p)
    elapsed = time.perf_counter() - t
    assert elapsed < 3.0, f"50 plots took {elapsed:.2f} s"


# --- shapes: polylines and polygons in problem units -------------------------------------------
SQUARE = ((-3.0, -1.0), (1.0, -1.0), (1.0, 3.0), (-3.0, 3.0))    # no side on an axis


def circle_points(cx, cy, r, n=120):
    return tuple((cx + r * math.cos(2 * math.pi * k / n), cy + r * math.sin(2 * math.pi * k / n)) for k in range(n))


def shape_plot(*shapes, **kw) -> Plot:
    return Plot(**{"x_range": (-5, 5), "y_range": (-5, 5), "x_step": 1, "y_step": 1, "curves": (), "shapes": shapes,
                   **kw})


def shape_items(r: Rendered, sh: Shape) -> list:
    """The display-list paths that draw exactly the shape's runs."""
    want = sorted(r.shapes[sh.name])
    out = []
    for it in r.drawing.items:
        if it[0] != "path":
            continue
        drawn = [[(c[1], c[2]) if c[0] != "Z" else (sub[0][1], sub[0][2]) for c in sub] for sub in it[1]]
        if sorted(drawn) == want:
            out.append(it)
    return out


def on_edge(p, win) -> bool:
    L, T, R, B = win
    return p[0] in (L, R) or p[1] in (T, B)


def inked(img, p, r=1) -> bool:
    x, y = round(p[0]), round(p[1])
    return img[y - r:y + r + 1, x - r:x + r + 1].min() < 128


@pytest.mark.parametrize("a, b", [((-100, -100), (100, 100)), ((-100, -50), (100, 50)), ((1, -100), (2, 100)),
                                  ((-1e9, 3), (1e9, 3)), ((100, 100), (-100, -100))])
def test_shape_line_is_clipped_to_the_visible_chord(a, b):
    sh = Shape("l", (a, b))
    plot = shape_plot(sh)
    r = draw_plot(plot)
    assert problems(r, plot) == []
    (run,) = r.shapes["l"]
    assert len(run) == 2
    # both ends exactly on the window's pixel edges, on the true line
    for p in run:
        assert on_edge(p, r.window), p
    ia, ib = px(r, *a), px(r, *b)
    for p in run:
        cross = (ib[0] - ia[0]) * (p[1] - ia[1]) - (ib[1] - ia[1]) * (p[0] - ia[0])
        assert abs(cross) / math.dist(ia, ib) < 1e-6
    if a == (-100, -100):
        L, T, R, B = r.window
        assert run == [(L, B), (R, T)]                      # the diagonal, corner to corner
    # drawn once, as that chord, at the curve stroke, and no ink beyond the window
    (item,) = shape_items(r, sh)
    assert item[4] is None and item[2] == curve_width(r)
    img = gray(png_from_drawing(Drawing(plot.size, plot.size, [item])))
    L, T, R, B = r.window
    g = item[2] / 2 + 1.5
    outside = np.ones_like(img, dtype=bool)
    outside[math.floor(T - g):math.ceil(B + g) + 1, math.floor(L - g):math.ceil(R + g) + 1] = False
    assert (img[outside] > 200).all()


def test_shape_outside_the_window_draws_nothing():
    plot = shape_plot(Shape("far", ((6, 6), (9, 7), (8, 12)), closed=True), Shape("l", ((-9, 6), (9, 6))))
    r = draw_plot(plot)
    assert r.shapes == {"far": [], "l": []}
    with pytest.raises(Rejected) as e:
        draw_plot(shape_plot(Shape("far", ((6, 6), (9, 7)), label="far")))
    assert e.value.reason == "labels"
    for bad in (Shape("one", ((0, 0),)), Shape("nan", ((0, 0), (math.nan, 1))), Shape("w", ((0, 0), (1, 1)), width=0)):
        with pytest.raises(ValueError):
            draw_plot(shape_plot(bad))
    with pytest.raises(ValueError):
        draw_plot(shape_plot(Shape("s", ((0, 0), (1, 1))), Shape("s", ((0, 1), (1, 0)))))


def test_closed_polygon_draws_all_sides():
    closed, open_ = Shape("sq", SQUARE, closed=True), Shape("sq", SQUARE)
    r = draw_plot(shape_plot(closed))
    (run,) = r.shapes["sq"]
    assert len(run) == 5 and run[0] == run[-1]
    (item,) = shape_items(r, closed)
    assert item[1][0][-1] == ("Z",)                          # one closed sub-path: joined corners
    img = gray(png_from_drawing(r.drawing))
    mids = [((p[0] + q[0]) / 2, (p[1] + q[1]) / 2) for p, q in zip(SQUARE, SQUARE[1:] + SQUARE[:1])]
    for m in mids:
        assert inked(img, px(r, *m)), m
    assert not inked(img, px(r, -1.5, 1.5), 2)               # the boundary only, never filled
    # not closed: the fourth side is missing
    r2 = draw_plot(shape_plot(open_))
    img2 = gray(png_from_drawing(r2.drawing))
    assert [inked(img2, px(r2, *m)) for m in mids] == [True, True, True, False]
    assert r2.shapes["sq"] == [run[:-1]]


def test_polygon_partly_outside_is_clipped_as_its_boundary():
    tri = Shape("t", ((-3, -3), (9, -3), (-3, 9)), closed=True)
    plot = shape_plot(tri)
    r = draw_plot(plot)
    assert problems(r, plot) == []
    runs = r.shapes["t"]
    # one run through the corner (-3, -3): up the left side to the top edge, and from the right
    # edge along the bottom side; the hypotenuse x + y = 6 shows from (1, 5) to (5, 1)
    assert len(runs) == 2
    assert all(on_edge(run[0], r.window) and on_edge(run[-1], r.window) for run in runs)
    assert any(len(run) == 3 and run[1] == pytest.approx(px(r, -3, -3)) for run in runs)
    hyp = next(run for run in runs if len(run) == 2)
    assert [v for p in sorted(hyp) for v in p] == pytest.approx([v for p in sorted([px(r, 1, 5), px(r, 5, 1)])
                                                                 for v in p])
    img = gray(png_from_drawing(r.drawing))
    assert not inked(img, px(r, -1.5, -1.5), 2)              # not filled
    for p in ((-2, 5), (5, -1.5)):                           # no stroke along the window's edges
        assert not inked(img, px(r, *p), 1), p


def test_dashed_shape_is_dashed():
    seg = ((-4, -3.5), (4, -3.5))
    for dashed in (True, False):
        sh = Shape("d", seg, dashed=dashed)
        r = draw_plot(shape_plot(sh))
        (item,) = shape_items(r, sh)
        svg = svg_from_drawing(Drawing(512, 512, [item]))
        assert ("stroke-dasharray" in svg) == dashed
        img = gray(png_from_drawing(Drawing(512, 512, [item])))
        (xa, y), (xb, _) = px(r, *seg[0]), px(r, *seg[1])
        row = img[round(y), math.ceil(xa) + 1:math.floor(xb) - 1]
        if dashed:
            assert (row < 60).sum() > 0.4 * len(row) and (row > 200).sum() > 0.2 * len(row)
        else:
            assert (row < 60).all()
    # dashed like the asymptotes
    r = draw_plot(Plot(**{**HYPERBOLA.__dict__, "shapes": (Shape("d", seg, dashed=True),)}))
    asym = next(it for it in r.drawing.items if it[0] == "path" and it[4])
    assert shape_items(r, Shape("d", seg, dashed=True))[0][4] == asym[4]


def test_shape_width_and_stroke_mask():
    sh = Shape("w", ((-4, -1.5), (4, -1.5)), width=2.0)
    r = draw_plot(Plot(**{**SINE.__dict__, "shapes": (sh,)}))
    (item,) = shape_items(r, sh)
    w = max(it[2] for it in r.drawing.items if it[0] == "path" and it is not item)     # the sine's stroke
    assert item[2] == pytest.approx(2 * w)
    # the shape is in the stroke mask (labels keep off it), as thick as it is drawn
    mask = stroke_mask(r.drawing)
    x, y = px(r, 1, -1.5)
    col = mask[:, round(x)]
    assert col[round(y)] and col[round(y - w)] and col[round(y + w)]
    assert not col[round(y - 2 * w - 2)] and not col[round(y + 2 * w + 2)]


def test_shape_labels_are_placed_clear_inside_the_canvas():
    shapes = (Shape("l", ((-100, -60), (100, 60)), label="l"),
              Shape("sq", SQUARE, closed=True, label="ABCD"),
              Shape("c", circle_points(2, 1, 2.5), closed=True, dashed=True, label="C"),
              Shape("seg", ((-4, 3), (-1, 4)), label="AB = √10"))
    plot = Plot((-5, 5), (-5, 5), 1, 1, (Curve("f", (Piece(lambda x: 0.2 * x * x - 4, -5, 5),), label="f"),),
                marks=(Mark("A", -2, -2, "A(−2, −2)"), Mark("P", 2, 2, "P")), grid=True, title="shapes",
                shapes=shapes)
    r = draw_plot(plot)
    assert problems(r, plot) == []
    assert sorted(texts(r, "legend")) == sorted(["f", "l", "ABCD", "C", "AB = √10"])
    for lb in r.labels:
        assert 0 <= lb.bbox[0] and 0 <= lb.bbox[1] and lb.bbox[2] <= plot.size and lb.bbox[3] <= plot.size
    # each shape label sits near its shape: within 40 px of a drawn point of it
    for sh in shapes:
        lb = next(lb for lb in r.labels if lb.text == sh.label)
        c = ((lb.bbox[0] + lb.bbox[2]) / 2, (lb.bbox[1] + lb.bbox[3]) / 2)
        pts = [p for run in r.shapes[sh.name] for p in run]
        segs = [(p, q) for run in r.shapes[sh.name] for p, q in zip(run, run[1:])]
        near = min(_seg_dist(c, p, q) for p, q in segs)
        assert near < 40, (sh.label, near, len(pts))
    # marks are drawn on top of the shapes: every shape path comes before the dots
    items = r.drawing.items
    last_shape = max(items.index(it) for sh in shapes for it in shape_items(r, sh))
    assert all(i > last_shape for i, it in enumerate(items) if it[0] == "dot")
    # at a larger size too (at 256 px this crowded figure is rightly rejected)
    for size in (768,):
        p2 = Plot(**{**plot.__dict__, "size": size})
        assert problems(draw_plot(p2), p2) == []


def _seg_dist(c, p, q):
    dx, dy = q[0] - p[0], q[1] - p[1]
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((c[0] - p[0]) * dx + (c[1] - p[1]) * dy) / (dx * dx + dy * dy)))
    return math.dist(c, (p[0] + t * dx, p[1] + t * dy))


# --- equal scale -------------------------------------------------------------------------------------
@pytest.mark.parametrize("xr, yr", [((-10, 10), (-3, 3)), ((-2, 2), (-8, 8)), ((-5, 5), (-5, 5))])
def test_equal_scale(xr, yr):
    circle = Shape("c", circle_points(0.5, 0.5, 1.5), closed=True, label="C")
    base = Plot(xr, yr, 1, 1, (Curve("f", (Piece(lambda x: 0.5 * x, *xr),), label="f"),),
                marks=(Mark("A", 1, 1, "A"),), grid=True, title="x² + y² = r²", shapes=(circle,))
    plot = Plot(**{**base.__dict__, "equal_scale": True})
    r, r0 = draw_plot(plot), draw_plot(base)
    assert problems(r, plot) == []
    a, b, _, d, e, _ = r.to_pixels
    assert b == d == 0 and a > 0 and a == -e                  # one unit, one length, exactly
    L, T, R, B = r.window
    (x0, x1), (y0, y1) = xr, yr
    assert px(r, x0, y0) == pytest.approx((L, B)) and px(r, x1, y1) == pytest.approx((R, T))
    # the box shrank along one axis only, centred in the space it had
    L0, T0, R0, B0 = r0.window
    a0, e0 = r0.to_pixels[0], -r0.to_pixels[4]
    assert a == pytest.approx(min(a0, e0))
    assert (L + R) / 2 == pytest.approx((L0 + R0) / 2) and (T + B) / 2 == pytest.approx((T0 + B0) / 2)
    if a0 > e0:
        assert (T, B) == (T0, B0) and R - L < R0 - L0
    elif e0 > a0:
        assert (L, R) == (L0, R0) and B - T < B0 - T0
    # ticks, grid and axes follow the box
    grid = next(it for it in r.drawing.items if it[0] == "path" and len(it) > 6)
    xs = {round(sub[0][1], 6) for sub in grid[1] if sub[0][1] == sub[1][1]}
    assert xs == {round(px(r, v, 0)[0], 6) for v in tick_values(x0, x1, 1)}
    oy = px(r, 0, 0)[1]
    assert any(abs(sub[0][2] - oy) < 1e-9 and sub[0][1] == L for it in r.drawing.items if it[0] == "path"
               for sub in it[1] if len(sub) == 2 and sub[0][0] == "M")
    for lb in r.ticks["x"]:
        v = float(lb.text.replace(MINUS, "-"))
        assert abs((lb.bbox[0] + lb.bbox[2]) / 2 - px(r, v, 0)[0]) < 20
    title = next(lb for lb in r.labels if lb.kind == "title")
    assert 0 < T - title.bbox[3] < 40                        # the title stays just above the box
    # the circle is round: equal pixel width and height, in the display list and in the picture
    (run,) = r.shapes["c"]
    w = max(p[0] for p in run) - min(p[0] for p in run)
    h = max(p[1] for p in run) - min(p[1] for p in run)
    assert w == pytest.approx(h, abs=1e-9) and w == pytest.approx(3 * a, rel=1e-3)
    (item,) = shape_items(r, circle)
    ink = np.argwhere(gray(png_from_drawing(Drawing(plot.size, plot.size, [item]))) < 128)
    (iy0, ix0), (iy1, ix1) = ink.min(axis=0), ink.max(axis=0)
    assert abs((ix1 - ix0) - (iy1 - iy0)) <= 1
    if xr != (-5, 5):
        (run0,) = r0.shapes["c"]                            # without equal scale: an ellipse
        w0 = max(p[0] for p in run0) - min(p[0] for p in run0)
        h0 = max(p[1] for p in run0) - min(p[1] for p in run0)
        assert abs(w0 - h0) > 10


# --- the additions leave existing plots alone ---------------------------------------------------------
def test_defaults_leave_function_plots_byte_identical():
    kw = {"x_range": (-4, 8), "y_range": (-5, 5), "x_step": 1, "y_step": 1,
          "curves": (Curve("h", (Piece(hyperbola, -4, 2, True, False), Piece(hyperbola, 2, 8, False, True)),
                           label="h"),
                     Curve("g", (Piece(lambda x: 0.5 * x - 1, -4, 8),), label="g")),
          "asymptotes": (Asymptote("vertical", 2, "x = 2"), Asymptote("horizontal", 0)),
          "marks": (Mark("P", 3, 1, "(3, 1)"), Mark("H", 6, 2, "H", hollow=True)), "grid": True,
          "title": "h(x) = 1/(x − 2)"}
    plain = draw_plot(Plot(**kw))
    explicit = draw_plot(Plot(**kw, shapes=(), equal_scale=False))
    assert svg_from_drawing(explicit.drawing) == svg_from_drawing(plain.drawing)
    assert png_from_drawing(explicit.drawing) == png_from_drawing(plain.drawing)
    assert explicit.to_pixels == plain.to_pixels and explicit.window == plain.window
    assert [lb.record() for lb in explicit.labels] == [lb.record() for lb in plain.labels]
    assert plain.shapes == {}
    # positional construction (the fields before shapes) still works
    assert Plot(*kw.values()) == Plot(**kw)
