"""Textbook graphs on a coordinate plane, on the project's display list.

Shared by the domains that draw on axes: function graphs (curves y = f(x)) and coordinate-plane
figures (points, segments, lines, polygons, sampled conics as :class:`Shape` polylines).

``draw_plot`` turns a :class:`Plot` (a window, tick steps, curves made of pieces, asymptotes,
marked points, shapes, a title) into a :class:`~diagram_engine.render.draw.Drawing` plus the
labels it placed and the affine map from problem units to PNG pixels. Everything is
deterministic: the same plot always gives the same display list.

Drawing model
-------------
* The window ``x_range`` x ``y_range`` maps affinely onto a square canvas less a margin (for tick
  labels, the title and the arrowheads); each axis is to scale, the two scales may differ.
* With ``equal_scale`` one unit has the same pixel length on both axes (circles look round):
  once the margins are decided, the plotting box shrinks along the axis with more pixels per
  unit, centred in the space it had, so the two scales are exactly equal. Ticks, grid, axes,
  labels and ``Rendered.to_pixels`` all follow the shrunk box.
* The axes are the lines x = 0 and y = 0 when those lie in the window, else the window's
  bottom / left edge; arrowheads at the positive ends, the names "x" and "y" next to them, tick
  marks at every multiple of the steps, and an "O" once at the origin when both axes cross there.
* Curves are sampled adaptively in pixel space: a base step of ``_BASE_PX`` pixels, each segment
  split while its midpoint lies more than ``_TOL_PX`` from the chord (down to 1/64 px). Points
  where a piece's function raises are gaps; a segment that stays steep and non-linear at the
  finest width is a jump (a pole such as 1/(x - 2), or a step) and is not drawn. Next to a gap
  the sampler bisects towards the edge of the domain until the curve has left the window, so a
  curve near a vertical asymptote runs to the window's edge. The polylines are then clipped to
  the window (a curve that leaves and comes back gives separate sub-paths); pieces are never
  joined to each other.
* Open circles (open piece ends, hollow marks) are drawn as circles with the curve cut away
  inside them: the ink model has no white paint, so the circle is hollow by construction.
* Shapes are polylines given in problem units (``closed``: a polygon's boundary, never filled),
  mapped like the curves and clipped to the window rectangle (Liang-Barsky, in problem units,
  the crossing points put exactly on the window's pixel edges): a line given by two far-away
  points comes out as its visible chord; a polygon partly outside gives the visible parts of
  its boundary, a closed shape wholly inside one closed sub-path. They are full-ink strokes
  (``width`` times the curve stroke, dashed like the asymptotes when ``dashed``), cut inside
  open circles like the curves, drawn after the grid, axes and curves and before the marked
  points, which sit on top.
* Grid lines are light strokes (``ink`` < 1): they are left out of the stroke mask, so labels may
  sit on them.

Labels go through :class:`~diagram_engine.render.layout.Labeler` against the mask of every
full-ink stroke (shapes included): tick labels first at their fixed places (moved further out or
across the axis, always level with their tick, or dropped, when a stroke is in the way; at least
two per axis must stay), then the
axis names, the origin, the title, the marked points, the asymptote labels, the curve names and
the shape names (kind "legend", like the curve names: around points every 28 px along the
shape, the most up-right first, places inside the window before places outside it). A required
label with no room raises ``Rejected("labels", ...)``.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from ..errors import Rejected
from .draw import Drawing, stroke_mask, text_box
from .layout import Label, Labeler

__all__ = ["Piece", "Curve", "Asymptote", "Mark", "Shape", "Plot", "Rendered", "nice_step", "tick_values",
           "format_tick", "auto_y_range", "draw_plot", "MINUS"]

MINUS = "\u2212"          # the minus sign textbooks print in tick labels

# sampling, in pixels
_BASE_PX = 4.0            # base sampling step along x
_TOL_PX = 0.5             # largest distance of a curve point from the drawn chord
_MIN_W_PX = 1.0 / 64.0    # finest subdivision along x
_EDGE_W_PX = 1e-4         # finest bisection towards the edge of a function's domain
_JUMP_PX = 2.0            # a finest-level segment taller than this that is not straight: a jump
_MAX_EVALS = 40000        # evaluation budget per piece (pathological functions)

# ink
_GRID_INK = 0.22


# --- the plot description ------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """One continuous stretch of a curve: ``f`` drawn over ``[a, b]``.

    ``f`` is a float evaluator; it may raise ``ValueError``, ``ZeroDivisionError`` or
    ``OverflowError`` (or return a complex number, inf or nan) where it is undefined: those
    points are gaps. ``closed_a``/``closed_b`` say whether the ends belong to the graph; with
    ``end_marks`` a closed end gets a filled dot and an open end an open circle (ends on the
    window's edge get neither: the window cuts the curve there).
    """
    f: Callable[[float], float]
    a: float
    b: float
    closed_a: bool = True
    closed_b: bool = True
    end_marks: bool = False


@dataclass(frozen=True)
class Curve:
    """A named graph made of pieces that are never joined to each other."""
    name: str
    pieces: tuple[Piece, ...]
    label: str | None = None      # e.g. "f" or "y = 2x + 1", placed near the curve's right end


@dataclass(frozen=True)
class Asymptote:
    """A dashed line x = value ("vertical") or y = value ("horizontal")."""
    kind: str
    value: float
    label: str | None = None      # e.g. "x = 2", placed next to the line


@dataclass(frozen=True)
class Mark:
    """A marked point: a dot (or an open circle when ``hollow``) with an optional label."""
    name: str
    x: float
    y: float
    label: str | None
    hollow: bool = False


@dataclass(frozen=True)
class Shape:
    """A polyline (or closed polygon) in problem units: segments, polygons, lines, sampled conics."""
    name: str
    points: tuple[tuple[float, float], ...]   # >= 2 points
    closed: bool = False
    dashed: bool = False
    label: str | None = None                  # placed next to the shape, like a curve label (kind "legend")
    width: float = 1.0                        # stroke width relative to the curve stroke


@dataclass(frozen=True)
class Plot:
    """A graph on a coordinate plane: window, ticks, curves, asymptotes, marked points, title, shapes.

    ``equal_scale``: one problem unit has the same pixel length on both axes (circles look round).
    """
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    x_step: float
    y_step: float
    curves: tuple[Curve, ...]
    asymptotes: tuple[Asymptote, ...] = ()
    marks: tuple[Mark, ...] = ()
    grid: bool = False
    title: str | None = None
    size: int = 512
    tick_labels: bool = True
    shapes: tuple[Shape, ...] = ()
    equal_scale: bool = False


@dataclass
class Rendered:
    """What ``draw_plot`` gives back.

    ``labels``: every text drawn, with kinds "tick", "axis" (x, y, O), "point", "title",
    "legend" (curve and shape labels) and "other" (asymptote labels). ``to_pixels`` =
    [a, b, c, d, e, f]: px = a*x + b*y + c, py = d*x + e*y + f (PNG pixels, y down; with
    ``equal_scale``, a == -e). ``window``: the window rectangle in pixels (left, top, right,
    bottom). ``curves``: per curve name, the drawn polylines in pixels (after clipping), one
    list of points per sub-path. ``ticks``: the tick labels kept on each axis ("x", "y"), the
    same objects as in ``labels``. ``shapes``: per shape name, the drawn polylines in pixels
    (after clipping); a closed shape wholly inside the window is one polyline that ends at its
    first point.
    """
    drawing: Drawing
    labels: list[Label]
    to_pixels: list[float]
    window: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    curves: dict[str, list[list[tuple[float, float]]]] = field(default_factory=dict)
    ticks: dict[str, list[Label]] = field(default_factory=dict)
    shapes: dict[str, list[list[tuple[float, float]]]] = field(default_factory=dict)


# --- numbers -------------------------------------------------------------------------------------
def nice_step(span: float, target: int = 8) -> float:
    """The step 1, 2 or 5 x 10^k that cuts ``span`` into about ``target`` intervals."""
    if not (span > 0 and math.isfinite(span)) or target < 1:
        raise ValueError(f"nice_step needs a positive finite span and target, got {span!r}, {target!r}")
    k = math.floor(math.log10(span / target))
    best = None
    for j in (k - 1, k, k + 1):
        for m in (1, 2, 5):
            step = float(Decimal(m).scaleb(j))
            score = abs(math.log(span / step / target))
            if best is None or score < best[0] - 1e-12:
                best = (score, step)
    return best[1]


def _dec(step: float) -> Decimal:
    return Decimal(repr(float(step)))


def tick_values(lo: float, hi: float, step: float) -> list[float]:
    """Every multiple of ``step`` in ``[lo, hi]``, as exact-looking floats (3 * 0.1 -> 0.3)."""
    if not (step > 0 and math.isfinite(step)):
        raise ValueError(f"tick step must be positive and finite, got {step!r}")
    if not lo <= hi:
        raise ValueError(f"tick range is empty: [{lo!r}, {hi!r}]")
    eps = 1e-9
    k0 = math.ceil(lo / step - eps)
    k1 = math.floor(hi / step + eps)
    if k1 - k0 > 10000:
        raise ValueError(f"{k1 - k0 + 1} ticks of {step!r} in [{lo!r}, {hi!r}]: too many")
    ds = _dec(step)
    return [float(Decimal(k) * ds) for k in range(k0, k1 + 1)]


def format_tick(v: float) -> str:
    """A tick label: "3", "−2", "0.5", "−1.5" (never "-0" or "2.0"; minus sign U+2212)."""
    v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"cannot format tick value {v!r}")
    r = round(v)
    if abs(v - r) <= 1e-9 * max(1.0, abs(v)):
        s = str(int(r))
    else:
        s = format(v, ".10g")
    if s.startswith("-"):
        s = MINUS + s[1:]
    return s


def _round_out(lo: float, hi: float, step: float) -> tuple[float, float]:
    ds = _dec(step)
    k0 = math.floor(lo / step + 1e-9)
    k1 = math.ceil(hi / step - 1e-9)
    return float(Decimal(k0) * ds), float(Decimal(k1) * ds)


def _ev(f, x: float):
    """f(x) as a finite float, or None where f is undefined."""
    try:
        y = f(x)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    if type(y) is not float:
        if isinstance(y, complex):
            return None
        try:
            y = float(y)
        except OverflowError:
            return None
    if y - y != 0.0:          # inf or nan
        return None
    return y


def auto_y_range(curves: Iterable[Curve], x_range: tuple[float, float], include: Iterable[float] = (),
                 clip: float = 1.0, target: int = 8) -> tuple[float, float]:
    """A y window showing the interesting part of ``curves`` over ``x_range``.

    The pieces are sampled at about 400 points over the window's width. Values beyond
    ``clip`` times the 10-90 percentile band outside that band are dropped (the blow-up next to
    a vertical asymptote); the values in ``include`` (marked points, asymptote heights) are
    always shown. The range gets 6% headroom, takes in 0 when 0 is near (so the x-axis shows:
    within half the span), and is rounded outward to multiples of ``nice_step(span, target)``.
    """
    x0, x1 = float(x_range[0]), float(x_range[1])
    if not x0 < x1:
        raise ValueError(f"empty x range {x_range!r}")
    vals: list[float] = []
    for c in curves:
        for p in c.pieces:
            a, b = max(float(p.a), x0), min(float(p.b), x1)
            if not a < b:
                continue
            n = max(16, int(400 * (b - a) / (x1 - x0)))
            f = p.f
            for i in range(n + 1):
                y = _ev(f, a + (b - a) * i / n)
                if y is not None:
                    vals.append(y)
    lo = hi = None
    if vals:
        arr = np.asarray(vals, dtype=float)
        p10, p90 = np.percentile(arr, [10.0, 90.0])
        band = float(p90 - p10)
        kept = arr[(arr >= p10 - clip * band) & (arr <= p90 + clip * band)]
        lo, hi = float(kept.min()), float(kept.max())
    for v in include:
        v = float(v)
        if not math.isfinite(v):
            continue
        lo = v if lo is None else min(lo, v)
        hi = v if hi is None else max(hi, v)
    if lo is None:
        return (-5.0, 5.0)
    span = hi - lo
    if span <= 1e-9 * max(1.0, abs(lo), abs(hi)):
        # a constant: show it with 0 and some room around
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        span = hi - lo
        if span <= 0:
            lo, hi, span = -1.0, 1.0, 2.0
        lo, hi = lo - 0.25 * span, hi + 0.25 * span
        span = hi - lo
    if lo > 0 and lo <= 0.5 * span:
        lo = 0.0
    elif hi < 0 and -hi <= 0.5 * span:
        hi = 0.0
    span = hi - lo
    lo, hi = lo - 0.06 * span, hi + 0.06 * span
    return _round_out(lo, hi, nice_step(hi - lo, target))


# --- curve sampling --------------------------------------------------------------------------------
class _Sampler:
    """Adaptive sampling of one piece into pixel polylines (unclipped; gaps split runs)."""

    def __init__(self, f, kx, cx, ky, cy, top, bottom, margin):
        self.f = f
        self.kx, self.cx, self.ky, self.cy = kx, cx, ky, cy
        self.top, self.bottom = top - margin, bottom + margin
        self.evals = 0
        self.out: list = []            # (px, py) points and None (a break)

    def y(self, x):
        self.evals += 1
        v = _ev(self.f, x)
        return None if v is None else self.cy - self.ky * v

    def run(self, a: float, b: float) -> list[list[tuple[float, float]]]:
        kx, cx = self.kx, self.cx
        n = max(2, math.ceil((b - a) * kx / _BASE_PX))
        out = self.out
        xs = [a + (b - a) * i / n for i in range(n)] + [b]
        ys = [self.y(x) for x in xs]
        # |second difference| / 8 estimates a chord's distance from the curve: where it is
        # small on both sides of a base segment, the segment is drawn without a midpoint probe
        smooth = [False] * (n + 1)
        lim = 2.0 * _TOL_PX
        for i in range(1, n):
            y0, y1, y2 = ys[i - 1], ys[i], ys[i + 1]
            if y0 is not None and y1 is not None and y2 is not None and abs(y0 - 2.0 * y1 + y2) <= lim:
                smooth[i] = True
        top, bottom = self.top, self.bottom
        out.append(None if ys[0] is None else (kx * a + cx, ys[0]))
        for i in range(n):
            ya, yb = ys[i], ys[i + 1]
            if ((smooth[i] or i == 0) and (smooth[i + 1] or i + 1 == n) and (smooth[i] or smooth[i + 1])
                    and top <= ya <= bottom and top <= yb <= bottom):
                out.append((kx * xs[i + 1] + cx, yb))
            else:
                self.refine(xs[i], ya, xs[i + 1], yb)
        runs, cur = [], []
        for p in out:
            if p is None:
                if len(cur) > 1:
                    runs.append(cur)
                cur = []
            else:
                cur.append(p)
        if len(cur) > 1:
            runs.append(cur)
        return runs

    def refine(self, xa, ya, xb, yb):
        """Append the points after xa up to xb (pixel y None: undefined)."""
        out, kx = self.out, self.kx
        w = (xb - xa) * kx
        top, bottom = self.top, self.bottom
        if ya is None or yb is None:
            if ya is None and yb is None:
                out.append(None)
                return
            # towards the edge of the domain: stop once the curve has left the window
            if (ya is not None and not top <= ya <= bottom) or (yb is not None and not top <= yb <= bottom) \
                    or w <= _EDGE_W_PX or self.evals > _MAX_EVALS:
                out.append(None if yb is None else (kx * xb + self.cx, yb))
                return
            xm = 0.5 * (xa + xb)
            ym = self.y(xm)
            self.refine(xa, ya, xm, ym)
            self.refine(xm, ym, xb, yb)
            return
        if (ya < top and yb < top) or (ya > bottom and yb > bottom) or self.evals > _MAX_EVALS:
            out.append((kx * xb + self.cx, yb))      # wholly outside the window: clipped anyway
            return
        xm = 0.5 * (xa + xb)
        ym = self.y(xm)
        if ym is None:
            self.refine(xa, ya, xm, None)
            self.refine(xm, None, xb, yb)
            return
        h = yb - ya
        dv = abs(ym - 0.5 * (ya + yb))
        perp = dv * w / math.hypot(w, h)
        if perp <= _TOL_PX and (abs(h) <= _JUMP_PX or dv <= 0.3 * abs(h)):
            out.append((kx * xb + self.cx, yb))
            return
        if w <= _MIN_W_PX:
            if abs(h) > _JUMP_PX:
                out.append(None)                   # a jump: never joined
            out.append((kx * xb + self.cx, yb))
            return
        self.refine(xa, ya, xm, ym)
        self.refine(xm, ym, xb, yb)


def _clip_run(run, top, bottom):
    """Cut a polyline (x already inside the window) to top <= y <= bottom; returns sub-runs."""
    out, cur = [], []
    px, py = run[0]
    pin = top <= py <= bottom
    if pin:
        cur.append((px, py))
    for x, y in run[1:]:
        inside = top <= y <= bottom
        if pin and inside:
            cur.append((x, y))
        elif pin:
            e = top if y < top else bottom
            cur.append((px + (x - px) * (e - py) / (y - py), e))
            out.append(cur)
            cur = []
        elif inside:
            e = top if py < top else bottom
            cur = [(px + (x - px) * (e - py) / (y - py), e), (x, y)]
        elif (py < top and y > bottom) or (py > bottom and y < top):
            e0, e1 = (top, bottom) if py < top else (bottom, top)
            out.append([(px + (x - px) * (e0 - py) / (y - py), e0),
                        (px + (x - px) * (e1 - py) / (y - py), e1)])
        px, py, pin = x, y, inside
    if cur:
        out.append(cur)
    return [r for r in out if len(r) > 1 and (r[0] != r[-1] or len(r) > 2)]


def _cut_disc(runs, cx, cy, r):
    """Remove the parts of the polylines inside the disc (cx, cy, r)."""
    r2 = r * r
    out = []
    for run in runs:
        xs = [p[0] for p in run]
        ys = [p[1] for p in run]
        if min(xs) > cx + r or max(xs) < cx - r or min(ys) > cy + r or max(ys) < cy - r:
            out.append(run)
            continue
        cur = []
        p0 = run[0]
        in0 = (p0[0] - cx) ** 2 + (p0[1] - cy) ** 2 < r2
        if not in0:
            cur.append(p0)
        for p1 in run[1:]:
            in1 = (p1[0] - cx) ** 2 + (p1[1] - cy) ** 2 < r2
            dx, dy = p1[0] - p0[0], p1[1] - p0[1]
            A = dx * dx + dy * dy
            fx, fy = p0[0] - cx, p0[1] - cy
            B = 2 * (fx * dx + fy * dy)
            C = fx * fx + fy * fy - r2
            disc = B * B - 4 * A * C
            ts = []
            if A > 0 and disc > 0:
                sq = math.sqrt(disc)
                ts = [t for t in ((-B - sq) / (2 * A), (-B + sq) / (2 * A)) if 0.0 < t < 1.0]
            if not in0 and not in1 and len(ts) == 2:
                cur.append((p0[0] + ts[0] * dx, p0[1] + ts[0] * dy))
                out.append(cur)
                cur = [(p0[0] + ts[1] * dx, p0[1] + ts[1] * dy), p1]
            elif not in0 and in1:
                t = ts[0] if ts else 1.0
                cur.append((p0[0] + t * dx, p0[1] + t * dy))
                out.append(cur)
                cur = []
            elif in0 and not in1:
                t = ts[-1] if ts else 0.0
                cur = [(p0[0] + t * dx, p0[1] + t * dy), p1]
            elif not in0:
                cur.append(p1)
            p0, in0 = p1, in1
        out.append(cur)
    return [r_ for r_ in out if len(r_) > 1]


# --- label candidates ------------------------------------------------------------------------------
_ANG = np.radians(np.arange(0, 360, 15, dtype=float))
_UNIT = np.stack([np.cos(_ANG), np.sin(_ANG)], axis=1)
# preference among equally free directions: up-right first (pixel y points down)
_PREF = np.argsort(np.abs((_ANG + math.pi / 4 + math.pi) % (2 * math.pi) - math.pi), kind="stable")


class _Segs:
    """Straight stroke pieces (x0, y0, x1, y1) in pixels, with their bounding boxes."""

    def __init__(self, segs):
        self.a = np.asarray(segs, dtype=float).reshape(-1, 4)
        self.lo = np.minimum(self.a[:, :2], self.a[:, 2:])
        self.hi = np.maximum(self.a[:, :2], self.a[:, 2:])


def _stroke_dirs(segs: _Segs, p, radii) -> list[float]:
    """Angles (pixel frame) at which the strokes ``segs`` cross circles of ``radii`` around p."""
    if not len(segs.a):
        return []
    rmax = max(radii)
    near = ((segs.lo <= (p[0] + rmax, p[1] + rmax)) & (segs.hi >= (p[0] - rmax, p[1] - rmax))).all(axis=1)
    out = []
    px, py = p
    for x0, y0, x1, y1 in segs.a[near].tolist():
        dx, dy = x1 - x0, y1 - y0
        A = dx * dx + dy * dy
        if A <= 0.0:
            continue
        fx, fy = x0 - px, y0 - py
        Bq = 2.0 * (fx * dx + fy * dy)
        f2 = fx * fx + fy * fy
        for r in radii:
            disc = Bq * Bq - 4.0 * A * (f2 - r * r)
            if disc < 0.0:
                continue
            sq = math.sqrt(disc)
            for t in ((-Bq - sq) / (2.0 * A), (-Bq + sq) / (2.0 * A)):
                if 0.0 <= t <= 1.0:
                    out.append(math.atan2(fy + t * dy, fx + t * dx))
    return out


_UNIT_L = _UNIT.tolist()
_PREF_L = _PREF.tolist()


def _around(p, segs, tw, th, r0, extras, radii):
    """Candidate centres around p, directions with the most room between strokes first."""
    dirs = _stroke_dirs(segs, p, radii)
    if dirs:
        diff = np.abs((_ANG[:, None] - np.asarray(dirs)[None, :] + math.pi) % (2 * math.pi) - math.pi)
        gap = np.round(np.degrees(diff.min(axis=1)) / 10.0).tolist()      # in 10-degree steps
        order = sorted(_PREF_L, key=lambda k: -gap[k])      # stable: preference breaks ties
    else:
        order = _PREF_L
    units = [_UNIT_L[k] for k in order]
    out = []
    for extra in extras:
        for ux, uy in units:
            dd = r0 + extra + abs(ux) * tw / 2 + abs(uy) * th / 2
            out.append((p[0] + ux * dd, p[1] + uy * dd))
    return out


def _inside_first(anchors, segs, tw, th, r0, scale, win):
    """Label places around each anchor in turn (``_around``), those inside the window first."""
    later = []
    for anchor in anchors:
        for q in _around(anchor, segs, tw, th, r0, (0.0, 5.0 * scale), (10.0 * scale, 22.0 * scale)):
            if _inside(_box(q, tw, th), win):
                yield q
            else:
                later.append(q)
    yield from later


def _box(c, tw, th):
    return (c[0] - tw / 2, c[1] - th / 2, c[0] + tw / 2, c[1] + th / 2)


def _inside(b, win):
    return b[0] >= win[0] and b[1] >= win[1] and b[2] <= win[2] and b[3] <= win[3]


# --- the plot ----------------------------------------------------------------------------------------
class _Layout:
    """Pixel sizes of one plot."""

    def __init__(self, size: int):
        s = size / 512.0
        self.s = s
        self.font_tick = max(8.0, round(13.0 * s, 1))
        self.font_axis = max(9.0, round(15.0 * s, 1))
        self.font_label = max(8.5, round(14.0 * s, 1))
        self.font_title = max(9.0, round(16.0 * s, 1))
        self.w_axis = max(1.0, round(1.3 * s, 2))
        self.w_curve = max(1.6, round(2.4 * s, 2))
        self.w_asym = max(1.0, round(1.3 * s, 2))
        self.w_grid = max(0.8, round(1.0 * s, 2))
        self.dash = (round(6.0 * s, 2), round(4.0 * s, 2))
        self.tick = max(2.5, 3.5 * s)           # tick half-length
        self.ext = 16.0 * s                     # axis beyond the window at the positive end
        self.arrow_len = max(6.0, 9.0 * s)
        self.arrow_hw = max(2.5, 3.5 * s)
        self.pad = max(1.0, 2.0 * s)            # Labeler pad
        # label box to the centre line of the stroke it belongs to: clear of the stroke's half
        # width and antialiasing by more than the Labeler's pad
        self.gap = self.pad + max(1.5, 2.0 * s) + 0.5 * self.w_axis
        self.dot_r = max(2.2, 3.6 * s)
        self.hole_r = max(2.8, 4.3 * s)
        self.w_hole = max(1.2, round(1.6 * s, 2))
        self.edge = 4.0 * s                     # free border around the whole picture


def draw_plot(plot: Plot) -> Rendered:
    """Draw ``plot``; raises ``Rejected("labels", ...)`` when a required label has no room.

    In steps: check the plot, fit the window into the canvas (margins, scales, axes), draw the
    strokes (grid, asymptotes, axes, ticks, curves, shapes, points), then place the labels
    against the strokes (ticks, axis names, the origin, the title, marks, asymptotes, curve and
    shape names) and write them.
    """
    _validate(plot)
    lay = _Layout(int(plot.size))
    fr = _Frame(plot, lay)
    d = Drawing(fr.size, fr.size)
    st = _draw_strokes(d, plot, fr, lay)
    labels, ticks_x, ticks_y = _place_labels(d, plot, fr, lay, st)
    for lb in labels:
        d.text(lb.x, lb.y, lb.text, lb.size)
    return Rendered(d, labels, [fr.kx, 0.0, fr.cx, 0.0, -fr.ky, fr.cy], (fr.L, fr.T, fr.R, fr.B), st.curve_runs,
                    {"x": list(ticks_x), "y": list(ticks_y)}, st.shape_runs)


def _validate(plot: Plot) -> None:
    size = int(plot.size)
    if size < 96:
        raise ValueError(f"plot size {size} is too small")
    x0, x1 = map(float, plot.x_range)
    y0, y1 = map(float, plot.y_range)
    if not (x0 < x1 and y0 < y1 and all(map(math.isfinite, (x0, x1, y0, y1)))):
        raise ValueError(f"bad window {plot.x_range!r} x {plot.y_range!r}")
    names = [c.name for c in plot.curves]
    if len(set(names)) != len(names):
        raise ValueError(f"curve names must be distinct: {names}")
    for c in plot.curves:
        for p in c.pieces:
            if not (p.a < p.b and math.isfinite(p.a) and math.isfinite(p.b)):
                raise ValueError(f"curve {c.name}: piece [{p.a!r}, {p.b!r}] is empty")
    shape_names = [sh.name for sh in plot.shapes]
    if len(set(shape_names)) != len(shape_names):
        raise ValueError(f"shape names must be distinct: {shape_names}")
    for sh in plot.shapes:
        if len(sh.points) < 2:
            raise ValueError(f"shape {sh.name}: needs at least two points, got {len(sh.points)}")
        if not all(len(q) == 2 and math.isfinite(q[0]) and math.isfinite(q[1]) for q in sh.points):
            raise ValueError(f"shape {sh.name}: points must be finite (x, y) pairs")
        if not (sh.width > 0 and math.isfinite(sh.width)):
            raise ValueError(f"shape {sh.name}: width must be positive, got {sh.width!r}")


class _Frame:
    """The window fitted into the canvas: the ticks and their texts, the margins they need,
    the plotting box ``L, T, R, B`` (shrunk along one axis with ``equal_scale``), the scales
    and offsets of ``X``/``Y`` (problem units to pixels), and where the axes run."""

    def __init__(self, plot: Plot, lay: _Layout):
        self.size = size = int(plot.size)
        x0, x1 = map(float, plot.x_range)
        y0, y1 = map(float, plot.y_range)
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1
        self.xt = xt = tick_values(x0, x1, plot.x_step)
        self.yt = yt = tick_values(y0, y1, plot.y_step)
        x_axis_at_zero = y0 <= 0.0 <= y1
        y_axis_at_zero = x0 <= 0.0 <= x1
        self.origin = x_axis_at_zero and y_axis_at_zero

        # margins: tick labels left and below, arrowheads and axis names right and above, the title
        self.ytxt = ytxt = {v: format_tick(v) for v in yt}
        self.xtxt = xtxt = {v: format_tick(v) for v in xt}
        self.th_tick = th_tick = text_box("0123456789", lay.font_tick)[3]
        if plot.tick_labels and yt:
            wmax = max(text_box(t, lay.font_tick)[2] for t in ytxt.values())
            left = lay.edge + wmax + lay.tick + lay.gap + lay.pad
        else:
            left = lay.edge + lay.tick + lay.pad
        bottom = lay.edge + (th_tick + lay.tick + lay.gap + lay.pad if plot.tick_labels else lay.tick + lay.pad)
        if plot.tick_labels and xt:
            left = max(left, lay.edge + text_box(xtxt[xt[0]], lay.font_tick)[2] / 2)
        wx = text_box("x", lay.font_axis)[2]
        right = lay.ext + lay.gap + wx + lay.edge + lay.pad
        title_h = 0.0
        if plot.title:
            title_h = text_box(plot.title, lay.font_title)[3]
        top = lay.edge + lay.ext + 0.5 * th_tick + (title_h + 2 * lay.gap + lay.edge if plot.title else 0.0)
        L, T, R, B = left, top, size - right, size - bottom
        kx = (R - L) / (x1 - x0)
        ky = (B - T) / (y1 - y0)
        top_shift = 0.0                             # how far the box's top moved down (equal scale)
        if plot.equal_scale:
            # one unit, one length on both axes: the box shrinks along the axis with more pixels per
            # unit, centred in the space it had
            k = min(kx, ky)
            if kx > k:
                w = k * (x1 - x0)
                L = L + 0.5 * ((R - L) - w)
                R = L + w
            elif ky > k:
                h = k * (y1 - y0)
                top_shift = 0.5 * ((B - T) - h)
                T = T + top_shift
                B = T + h
            kx = ky = k
        self.L, self.T, self.R, self.B = L, T, R, B
        self.kx, self.ky, self.top_shift = kx, ky, top_shift
        self.cx = L - kx * x0
        self.cy = B + ky * y0
        self.ax = self.X(0.0) if y_axis_at_zero else L        # pixel x of the y-axis
        self.ay = self.Y(0.0) if x_axis_at_zero else B        # pixel y of the x-axis
        self.tipx, self.tipy = R + lay.ext, T - lay.ext       # the arrowheads' tips

    def X(self, x):
        return self.kx * x + self.cx

    def Y(self, y):
        return self.cy - self.ky * y


@dataclass
class _Strokes:
    """What the drawn strokes leave for the labels to avoid and follow."""
    segs: list = field(default_factory=list)          # every full-ink straight stroke, in pixels
    asym_px: list = field(default_factory=list)       # (asymptote, its line in pixels)
    curve_runs: dict = field(default_factory=dict)    # curve name -> drawn polylines
    shape_runs: dict = field(default_factory=dict)    # shape name -> drawn polylines
    mark_px: list = field(default_factory=list)       # (mark, px, py)


def _draw_strokes(d: Drawing, plot: Plot, fr: _Frame, lay: _Layout) -> _Strokes:
    st = _Strokes()
    if plot.grid:                       # light, under everything
        subs = [[("M", fr.X(v), fr.T), ("L", fr.X(v), fr.B)] for v in fr.xt]
        subs += [[("M", fr.L, fr.Y(v)), ("L", fr.R, fr.Y(v))] for v in fr.yt]
        if subs:
            d.path(subs, stroke=lay.w_grid, ink=_GRID_INK)
    holes = _holes(plot, fr)
    _draw_asymptotes(d, plot, fr, lay, holes, st)
    _draw_axes(d, fr, lay, holes, st)
    end_dots, end_holes = _draw_curves(d, plot, fr, lay, holes, st)
    _draw_shapes(d, plot, fr, lay, holes, st)
    _draw_points(d, plot, fr, lay, end_dots, end_holes, st)
    return st


def _holes(plot: Plot, fr: _Frame) -> list[tuple[float, float]]:
    """Centres of the open circles (open piece ends inside the window, hollow marks): the curves
    are cut inside them."""
    holes = []
    for c in plot.curves:
        for p in c.pieces:
            if not p.end_marks:
                continue
            for xe, closed, inward in ((p.a, p.closed_a, 1.0), (p.b, p.closed_b, -1.0)):
                # no mark where the window cuts the curve: only at ends inside the window
                if not closed and fr.x0 < xe < fr.x1:
                    ye = _end_value(p, xe, inward)
                    if ye is not None and fr.y0 <= ye <= fr.y1:
                        holes.append((fr.X(xe), fr.Y(ye)))
    for m in plot.marks:
        if m.hollow:
            holes.append((fr.X(m.x), fr.Y(m.y)))
    return holes


def _draw_asymptotes(d: Drawing, plot: Plot, fr: _Frame, lay: _Layout, holes, st: _Strokes) -> None:
    for a in plot.asymptotes:
        if a.kind == "vertical":
            if not fr.x0 <= a.value <= fr.x1:
                raise ValueError(f"vertical asymptote x = {a.value} is outside the window")
            px = fr.X(a.value)
            line = [(px, fr.T), (px, fr.B)]
        elif a.kind == "horizontal":
            if not fr.y0 <= a.value <= fr.y1:
                raise ValueError(f"horizontal asymptote y = {a.value} is outside the window")
            py = fr.Y(a.value)
            line = [(fr.L, py), (fr.R, py)]
        else:
            raise ValueError(f"asymptote kind must be 'vertical' or 'horizontal', got {a.kind!r}")
        runs = [line]
        for h in holes:
            runs = _cut_disc(runs, h[0], h[1], lay.hole_r)
        for run in runs:
            d.polyline(run, stroke=lay.w_asym, dash=lay.dash)
            st.segs.extend((p[0], p[1], q[0], q[1]) for p, q in zip(run, run[1:]))
        st.asym_px.append((a, line))


def _draw_axes(d: Drawing, fr: _Frame, lay: _Layout, holes, st: _Strokes) -> None:
    """Both axes with arrowheads, and the tick marks (none at the crossing of the axes)."""
    ax, ay, tipx, tipy = fr.ax, fr.ay, fr.tipx, fr.tipy
    for run in _cut_all([[(fr.L, ay), (tipx - 0.5 * lay.arrow_len, ay)]], holes, lay.hole_r):
        d.polyline(run, stroke=lay.w_axis)
        st.segs.append((run[0][0], run[0][1], run[-1][0], run[-1][1]))
    for run in _cut_all([[(ax, fr.B), (ax, tipy + 0.5 * lay.arrow_len)]], holes, lay.hole_r):
        d.polyline(run, stroke=lay.w_axis)
        st.segs.append((run[0][0], run[0][1], run[-1][0], run[-1][1]))
    al, hw = lay.arrow_len, lay.arrow_hw
    d.polyline([(tipx, ay), (tipx - al, ay - hw), (tipx - al, ay + hw)], closed=True, stroke=lay.w_axis,
               fill=1.0)
    d.polyline([(ax, tipy), (ax - hw, tipy + al), (ax + hw, tipy + al)], closed=True, stroke=lay.w_axis,
               fill=1.0)
    st.segs += [(tipx - al, ay - hw, tipx, ay), (tipx - al, ay + hw, tipx, ay),
                (ax - hw, tipy + al, ax, tipy), (ax + hw, tipy + al, ax, tipy)]
    ticks = []
    for v in fr.xt:
        px = fr.X(v)
        if abs(px - ax) > 0.5:
            ticks.append([("M", px, ay - lay.tick), ("L", px, ay + lay.tick)])
    for v in fr.yt:
        py = fr.Y(v)
        if abs(py - ay) > 0.5:
            ticks.append([("M", ax - lay.tick, py), ("L", ax + lay.tick, py)])
    if ticks:
        d.path(ticks, stroke=lay.w_axis)


def _draw_curves(d: Drawing, plot: Plot, fr: _Frame, lay: _Layout, holes, st: _Strokes):
    """Each curve sampled, clipped and cut inside the open circles; returns the filled and the
    open end dots of its pieces (drawn with the points, on top)."""
    end_dots, end_holes = [], []
    for c in plot.curves:
        runs_c = []
        for p in c.pieces:
            a, b = max(float(p.a), fr.x0), min(float(p.b), fr.x1)
            if not a < b:
                continue
            smp = _Sampler(p.f, fr.kx, fr.cx, fr.ky, fr.cy, fr.T, fr.B, 2.0 * lay.w_curve)
            for run in smp.run(a, b):
                runs_c.extend(_clip_run(run, fr.T, fr.B))
            if p.end_marks:
                for xe, closed, inward in ((p.a, p.closed_a, 1.0), (p.b, p.closed_b, -1.0)):
                    if fr.x0 < xe < fr.x1:
                        ye = _end_value(p, xe, inward)
                        if ye is not None and fr.y0 <= ye <= fr.y1:
                            (end_dots if closed else end_holes).append((fr.X(xe), fr.Y(ye)))
        runs_c = _cut_all(runs_c, holes, lay.hole_r)
        st.curve_runs[c.name] = runs_c
        if runs_c:
            d.path([[("M", *r[0])] + [("L", *q) for q in r[1:]] for r in runs_c], stroke=lay.w_curve)
            for r in runs_c:
                st.segs.extend((p[0], p[1], q[0], q[1]) for p, q in zip(r, r[1:]))
    return end_dots, end_holes


def _draw_shapes(d: Drawing, plot: Plot, fr: _Frame, lay: _Layout, holes, st: _Strokes) -> None:
    """Polylines in problem units, clipped to the window (under the marked points)."""
    for sh in plot.shapes:
        runs_s, ring = _clip_shape(sh, (fr.x0, fr.y0, fr.x1, fr.y1), (fr.L, fr.T, fr.R, fr.B), fr.X, fr.Y)
        cut = _cut_all(runs_s, holes, lay.hole_r)
        ring = ring and cut == runs_s
        runs_s = cut
        st.shape_runs[sh.name] = runs_s
        if runs_s:
            if ring:
                subs = [[("M", *runs_s[0][0])] + [("L", *q) for q in runs_s[0][1:-1]] + [("Z",)]]
            else:
                subs = [[("M", *r[0])] + [("L", *q) for q in r[1:]] for r in runs_s]
            d.path(subs, stroke=round(lay.w_curve * sh.width, 2), dash=lay.dash if sh.dashed else None)
            for r in runs_s:
                st.segs.extend((p[0], p[1], q[0], q[1]) for p, q in zip(r, r[1:]))


def _draw_points(d: Drawing, plot: Plot, fr: _Frame, lay: _Layout, end_dots, end_holes, st: _Strokes) -> None:
    for hx, hy in end_holes:
        d.path([_circle(hx, hy, lay.hole_r)], stroke=lay.w_hole)
    for px, py in end_dots:
        d.dot(px, py, lay.dot_r)
    for m in plot.marks:
        if not (fr.x0 <= m.x <= fr.x1 and fr.y0 <= m.y <= fr.y1):
            raise Rejected("window", f"point {m.name} ({m.x:g}, {m.y:g}) is outside the window")
        px, py = fr.X(m.x), fr.Y(m.y)
        if m.hollow:
            d.path([_circle(px, py, lay.hole_r)], stroke=lay.w_hole)
        else:
            d.dot(px, py, lay.dot_r)
        st.mark_px.append((m, px, py))


class _Placer:
    """Places labels against the stroke mask: optional ones (dropped when they have no room) and
    required ones (over the tick labels when nowhere else, else ``Rejected``)."""

    def __init__(self, d: Drawing, plot: Plot, lay: _Layout):
        self.lab = Labeler(int(plot.size), int(plot.size), stroke_mask(d), pad=lay.pad)
        self.tick_labels = plot.tick_labels
        self.labels: list[Label] = []
        self.tick_sets: tuple = ([], [])

    def required(self, text, kind, cands, size_, what):
        """Place a label that must be shown; ``cands``: a list, or a function giving an iterable."""
        got = self.lab.place(text, kind, cands() if callable(cands) else cands, size_)
        if got is None and self.tick_labels:
            got = _place_over_ticks(self.lab, text, kind, cands() if callable(cands) else cands, size_,
                                    self.tick_sets, self.labels)
        if got is None:
            raise Rejected("labels", f"no room for {what}")
        self.labels.append(got)
        return got


def _place_labels(d: Drawing, plot: Plot, fr: _Frame, lay: _Layout, st: _Strokes):
    """(labels kept, x tick labels, y tick labels)."""
    pl = _Placer(d, plot, lay)
    ticks_x, ticks_y = _place_ticks(pl, plot, fr, lay)
    pl.labels += ticks_x + ticks_y
    pl.tick_sets = (ticks_x, ticks_y)
    _place_axis_names(pl, fr, lay)
    if plot.title:
        _, _, tw, th = text_box(plot.title, lay.font_title)
        cyt = lay.edge + th / 2 + lay.pad + fr.top_shift      # the title stays just above the box
        pl.required(plot.title, "title", [(fr.size / 2, cyt), ((fr.L + fr.R) / 2, cyt), (fr.L + tw / 2, cyt)],
                    lay.font_title, "the title")
    _place_names(pl, plot, fr, lay, st)
    kept = {id(lb) for lb in pl.lab.placed}
    return [lb for lb in pl.labels if id(lb) in kept], ticks_x, ticks_y


def _place_ticks(pl: _Placer, plot: Plot, fr: _Frame, lay: _Layout):
    """Tick labels: fixed places first, another place level with the tick next, else dropped;
    at least two must stay on each axis."""
    ticks_x: list[Label] = []
    ticks_y: list[Label] = []
    if not plot.tick_labels:
        return ticks_x, ticks_y
    fx_, fs = lay.font_tick, lay.gap
    ax, ay = fr.ax, fr.ay
    xs = [v for v in fr.xt if not (fr.origin and v == 0.0)]
    for v in _thin(xs, plot.x_step, fr.kx, [text_box(fr.xtxt[v], fx_)[2] for v in xs], lay):
        t = fr.xtxt[v]
        tw, th = text_box(t, fx_)[2:]
        px = fr.X(v)
        cyl = ay + lay.tick + fs + th / 2
        # centred on its tick, so it never reads as the next tick's value: below the axis,
        # a little lower, or above it
        cands = [(px, cyl), (px, cyl + 4 * lay.s), (px, ay - lay.tick - fs - th / 2)]
        got = pl.lab.place(t, "tick", cands, fx_)
        if got is not None:
            ticks_x.append(got)
    ys = [v for v in fr.yt if not (fr.origin and v == 0.0)]
    for v in _thin(ys, plot.y_step, fr.ky, [fr.th_tick] * len(ys), lay):
        t = fr.ytxt[v]
        tw, th = text_box(t, fx_)[2:]
        py = fr.Y(v)
        cxl = ax - lay.tick - fs - tw / 2
        cands = [(cxl, py), (cxl - 4 * lay.s, py), (ax + lay.tick + fs + tw / 2, py)]
        got = pl.lab.place(t, "tick", cands, fx_)
        if got is not None:
            ticks_y.append(got)
    if len(ticks_x) < 2:
        raise Rejected("labels", f"only {len(ticks_x)} x tick labels have room")
    if len(ticks_y) < 2:
        raise Rejected("labels", f"only {len(ticks_y)} y tick labels have room")
    return ticks_x, ticks_y


def _place_axis_names(pl: _Placer, fr: _Frame, lay: _Layout) -> None:
    """'x' and 'y' next to the arrowheads, and 'O' at the origin when it has room."""
    ax, ay, tipx, tipy, hw = fr.ax, fr.ay, fr.tipx, fr.tipy, lay.arrow_hw
    fa = lay.font_axis
    _, _, tw, th = text_box("x", fa)
    cands = []
    for e in (0.0, 2.0 * lay.s, 5.0 * lay.s):
        g = lay.gap + e
        cands += [(tipx + g + tw / 2, ay), (tipx - tw / 2, ay + hw + g + th / 2), (tipx - tw / 2, ay - hw - g - th / 2)]
    pl.required("x", "axis", cands, fa, "the x-axis name")
    _, _, tw, th = text_box("y", fa)
    cands = []
    for e in (0.0, 2.0 * lay.s, 5.0 * lay.s):
        g = lay.gap + e
        cands += [(ax + hw + g + tw / 2, tipy + th / 2), (ax - hw - g - tw / 2, tipy + th / 2),
                  (ax + hw + g + tw / 2, tipy + th), (ax - hw - g - tw / 2, tipy + th)]
    pl.required("y", "axis", cands, fa, "the y-axis name")
    if fr.origin:
        _, _, tw, th = text_box("O", lay.font_tick)
        g = lay.gap + 1.0 * lay.s
        cands = [(ax - g - tw / 2, ay + g + th / 2), (ax - g - 3 * lay.s - tw / 2, ay + g + 3 * lay.s + th / 2),
                 (ax - g - tw / 2, ay - g - th / 2), (ax + g + tw / 2, ay + g + th / 2)]
        got = pl.lab.place("O", "axis", cands, lay.font_tick)
        if got is not None:
            pl.labels.append(got)


def _place_names(pl: _Placer, plot: Plot, fr: _Frame, lay: _Layout, st: _Strokes) -> None:
    """The marked points' labels, the asymptotes' labels, and the curve and shape names."""
    win = (fr.L, fr.T, fr.R, fr.B)
    seg_arr = _Segs(st.segs)
    for m, px, py in st.mark_px:
        if not m.label:
            continue
        _, _, tw, th = text_box(m.label, lay.font_label)
        r0 = (lay.hole_r if m.hollow else lay.dot_r) + lay.gap
        cands = _around((px, py), seg_arr, tw, th, r0, (0.0, 4.0 * lay.s, 9.0 * lay.s, 15.0 * lay.s),
                        (10.0 * lay.s, 22.0 * lay.s))
        pl.required(m.label, "point", cands, lay.font_label, f"the label of point {m.name}")

    for a, line in st.asym_px:
        if not a.label:
            continue
        _, _, tw, th = text_box(a.label, lay.font_label)
        g = lay.gap + lay.w_asym
        cands = []
        if a.kind == "vertical":
            px = line[0][0]
            for k in range(12):
                yc = fr.T + th / 2 + lay.gap + k * (fr.B - fr.T) / 12
                cands += [(px + g + tw / 2, yc), (px - g - tw / 2, yc)]
        else:
            py = line[0][1]
            for k in range(12):
                xc = fr.R - tw / 2 - lay.gap - k * (fr.R - fr.L) / 12
                cands += [(xc, py - g - th / 2), (xc, py + g + th / 2)]
        cands.sort(key=lambda c: not _inside(_box(c, tw, th), win))
        pl.required(a.label, "other", cands, lay.font_label, f"the label of asymptote {a.kind} {a.value:g}")

    # curve names near the right end of each curve
    for c in plot.curves:
        if not c.label:
            continue
        runs_c = st.curve_runs.get(c.name) or []
        if not runs_c:
            raise Rejected("labels", f"curve {c.name} is not visible in the window")
        _, _, tw, th = text_box(c.label, lay.font_label)

        # anchors from the right end backwards, candidates inside the window first
        pl.required(c.label, "legend", lambda runs_c=runs_c, tw=tw, th=th: _inside_first(
            _anchors(runs_c, 28.0 * lay.s, 8), seg_arr, tw, th, lay.gap + lay.w_curve / 2, lay.s, win),
            lay.font_label, f"the label of curve {c.name}")

    # shape names next to the shape, up-right places first
    for sh in plot.shapes:
        if not sh.label:
            continue
        runs_s = st.shape_runs.get(sh.name) or []
        if not runs_s:
            raise Rejected("labels", f"shape {sh.name} is not visible in the window")
        _, _, tw, th = text_box(sh.label, lay.font_label)
        r0 = lay.gap + 0.5 * lay.w_curve * sh.width

        pl.required(sh.label, "legend", lambda runs_s=runs_s, tw=tw, th=th, r0=r0: _inside_first(
            _shape_anchors(runs_s, 28.0 * lay.s, 32), seg_arr, tw, th, r0, lay.s, win),
            lay.font_label, f"the label of shape {sh.name}")


def _clip_segment(p, q, win):
    """Liang-Barsky: the part of the segment p-q inside ``win`` = (x0, y0, x1, y1), as the
    parameters (t0, t1) and the window edges they lie on (None: an end of the segment), or None."""
    x0, y0, x1, y1 = win
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1, e0, e1 = 0.0, 1.0, None, None
    for den, num, edge in ((-dx, p[0] - x0, "L"), (dx, x1 - p[0], "R"), (-dy, p[1] - y0, "B"), (dy, y1 - p[1], "T")):
        if den == 0.0:
            if num < 0.0:
                return None                 # parallel to this edge and outside it
            continue
        t = num / den
        if den < 0.0:                       # entering across this edge
            if t > t1:
                return None
            if t > t0:
                t0, e0 = t, edge
        else:                               # leaving across this edge
            if t < t0:
                return None
            if t < t1:
                t1, e1 = t, edge
    return t0, t1, e0, e1


def _clip_shape(sh: Shape, win, box, X, Y):
    """A shape's polyline(s) in pixels, clipped to the window; (runs, whether it is a whole ring).

    The clipping is done in problem units (far-away points lose no precision); points where a
    run crosses the window's edge are put exactly on the pixel edge of ``box``.
    """
    L, T, R, B = box
    pts = [(float(q[0]), float(q[1])) for q in sh.points]
    if sh.closed:
        pts.append(pts[0])

    def pix(p, q, t, edge):
        if t == 0.0:
            u = p
        elif t == 1.0:
            u = q
        else:
            u = (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))
        a, b = X(u[0]), Y(u[1])
        if edge == "L":
            a = L
        elif edge == "R":
            a = R
        elif edge == "B":
            b = B
        elif edge == "T":
            b = T
        return (a, b)

    runs, cur = [], []
    whole = True
    for p, q in zip(pts, pts[1:]):
        got = _clip_segment(p, q, win)
        if got is None:
            whole = False
            if cur:
                runs.append(cur)
                cur = []
            continue
        t0, t1, e0, e1 = got
        if t0 > 0.0 or t1 < 1.0:
            whole = False
        if t0 > 0.0 or not cur:
            if cur:
                runs.append(cur)
            cur = [pix(p, q, t0, e0)]
        b = pix(p, q, t1, e1)
        if b != cur[-1]:
            cur.append(b)
        if t1 < 1.0:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    runs = [r for r in runs if len(r) > 1]
    if sh.closed and not whole and len(runs) > 1 and runs[0][0] == runs[-1][-1]:
        # the ring's first point is inside: one run goes on through it
        runs = [runs[-1] + runs[0][1:]] + runs[1:-1]
    ring = sh.closed and whole and len(runs) == 1 and len(runs[0]) > 2
    return runs, ring


def _shape_anchors(runs, spacing, count):
    """Points along the polylines every ``spacing`` pixels (and their ends), up-right first."""
    pts = []
    for run in runs:
        pts.append(run[0])
        acc = 0.0
        for p, q in zip(run, run[1:]):
            seg = math.hypot(q[0] - p[0], q[1] - p[1])
            while seg > 0.0 and acc + seg >= spacing:
                t = (spacing - acc) / seg
                p = (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))
                seg -= spacing - acc
                acc = 0.0
                pts.append(p)
            acc += seg
        if pts[-1] != run[-1]:
            pts.append(run[-1])
    pts.sort(key=lambda p: -round(p[0] - p[1], 6))      # pixel y points down: up-right first
    if len(pts) <= count:
        return pts
    # the most up-right places first, then a spread of the others
    head = pts[:count // 2]
    rest = pts[count // 2:]
    stride = len(rest) / (count - len(head))
    return head + [rest[int(i * stride)] for i in range(count - len(head))]


def _circle(x, y, r):
    return [("M", x + r, y), ("A", x, y, r, 0.0, 360.0), ("Z",)]


def _cut_all(runs, holes, r):
    for h in holes:
        runs = _cut_disc(runs, h[0], h[1], r)
    return runs


def _end_value(p: Piece, xe: float, inward: float):
    """The value (or the one-sided limit) of a piece at its end ``xe``."""
    y = _ev(p.f, xe)
    if y is None:
        y = _ev(p.f, xe + inward * 1e-9 * max(1.0, abs(p.b - p.a)))
    return y


def _thin(vals, step, k, widths, lay):
    """Tick values to label: every tick, or every 2nd / 5th / 10th when the labels are crowded."""
    if not vals:
        return []
    need = max(widths) + 2 * lay.pad + 4.0
    for every in (1, 2, 5, 10, 20, 50):
        if every * step * k >= need or every == 50:
            if every == 1:
                return list(vals)
            return [v for v in vals if round(v / step) % every == 0]
    return list(vals)


def _anchors(runs, spacing, count):
    """Points along the rightmost-ending polyline, from its right end backwards."""
    run = max(runs, key=lambda r: (max(r[-1][0], r[0][0]), len(r)))
    if run[0][0] > run[-1][0]:
        run = run[::-1]
    out = [run[-1]]
    acc = 0.0
    for p, q in zip(run[::-1], run[-2::-1]):
        acc += math.hypot(q[0] - p[0], q[1] - p[1])
        if acc >= spacing:
            out.append(q)
            acc = 0.0
            if len(out) >= count:
                break
    return out


def _place_over_ticks(lab: Labeler, text, kind, cands, size_, tick_sets, labels):
    """Place a required label by dropping tick labels in its way (keeping two per axis)."""
    _, _, tw, th = text_box(text, size_)
    q = lab.pad + 2.0
    ticks = {id(t) for ts in tick_sets for t in ts}
    for c in cands:
        b = _box(c, tw, th)
        blocking = {id(t) for t in lab.placed if id(t) in ticks and b[0] < t.bbox[2] + q
                    and b[2] > t.bbox[0] - q and b[1] < t.bbox[3] + q and b[3] > t.bbox[1] - q}
        if not blocking:
            continue
        if any(len([t for t in ts if id(t) not in blocking]) < 2 for ts in tick_sets):
            continue
        keep = lab.placed
        lab.placed = [t for t in keep if id(t) not in blocking]
        got = lab.place(text, kind, [c], size_)
        if got is None:
            lab.placed = keep
            continue
        for ts in tick_sets:
            ts[:] = [t for t in ts if id(t) not in blocking]
        labels[:] = [t for t in labels if id(t) not in blocking]
        return got
    return None
