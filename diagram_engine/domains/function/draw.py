"""Drawing a function-graph sample: from the sampled function to the plot renderer (pieces,
window, asymptotes, marks), the base image and the vision-dominant image.

One ``Frame`` (window, ticks, grid, title, asymptote labels) is decided per sample, so the
base image and the vision-dominant image differ only in their marked points, their titles
(each writes f as its variants state it) and their asymptote labels: an asymptote is
labelled with its equation only where every variant shown with the image states what fixes
it, and never when the question is about it (the label would be the answer).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import sympy as sp

from ...core import DrawnPicture
from ...errors import Rejected
from ...render.draw import stroke_mask, text_box
from ...render.layout import Labeler
from ...render.plot import _Layout  # the plot's pixel sizes: the tick labels are placed again here
from ...render.plot import (
    Asymptote,
    Curve,
    Mark,
    Piece,
    Plot,
    Rendered,
    draw_plot,
    format_tick,
    nice_step,
    tick_values,
)
from .build import FunctionState
from .families import Fn, t

__all__ = ["Frame", "draw", "frame", "render"]


def draw(job, built) -> list[DrawnPicture]:
    """The base image (the marks that fix the text-lite letters) and the vision-dominant image
    (the marks that fix every letter), in one frame."""
    st: FunctionState = built.state
    fn, marks = st.fn, st.marks
    fr = frame(fn, job.rng, job.spec, marks["base"], st.ask,
               set(st.hidden["text_dominant"]) | set(st.hidden["text_lite"]),
               built.problems[0].value)
    st.frame = fr
    # the vision-dominant image: the same frame with its own y window, fitted to its own marks
    # (a quartic's five marks reach far above its turning points), and no asymptote labels
    vd = refit(fn, fr, job.rng, marks["vd"], st.ask)
    vd = replace(vd, asymptotes=tuple(replace(a, label=None) for a in fr.asymptotes))
    out = []
    for which, variant, f_img in (("base", "text_lite", fr), ("vd", "vision_dominant", vd)):
        r = render(fn, f_img, job.options.size, marks[which], st.ask, st.hidden[variant])
        out.append(DrawnPicture(r.drawing, r.labels, [round(v, 9) for v in r.to_pixels]))
    return out


@dataclass(frozen=True)
class Frame:
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    x_step: float
    y_step: float
    grid: bool
    title: str                    # the title's left side ("f(x)" or "y"), or "" for no title
    curve: Curve
    asymptotes: tuple[Asymptote, ...]


def _pieces(fn: Fn) -> tuple[Piece, ...]:
    if fn.pieces:
        # a piecewise function shows which side owns each breakpoint: filled or open dots
        jumps = fn.mode == "jump"
        return tuple(Piece(f, float(a), float(b), bool(ca), bool(cb), end_marks=jumps)
                     for a, b, ca, cb, _, _, f in fn.pieces)
    w0, w1 = fn.window
    start = fn.features.defined_from
    first = float(start) if start is not None else float(w0)
    cuts = sorted(float(x) for x in fn.features.vertical if first < x < w1)
    edges = [first] + cuts + [float(w1)]
    out = []
    for i, (a, b) in enumerate(zip(edges, edges[1:])):
        open_a = i > 0 or start is not None
        open_b = i < len(edges) - 2
        out.append(Piece(fn.f, a, b, not open_a, not open_b))
    return tuple(out)


# what fixes each asymptote: (family, kind) -> the parameter
_FIXED_BY = {("tangent", "vertical"): "k", ("logarithm", "vertical"): "h", ("rational", "vertical"): "h",
             ("exponential", "horizontal"): "d", ("rational", "horizontal"): "k"}
_ABOUT_ASYMPTOTES = ("vertical-asymptote", "horizontal-asymptote", "domain")


def _samples(fn: Fn, n: int = 480):
    """(x, y) samples of the drawn curve, piece by piece (None where f is undefined)."""
    out = []
    for p in _pieces(fn):
        a, b = p.a, p.b
        run = []
        for k in range(n + 1):
            x = a + (b - a) * k / n
            try:
                y = float(p.f(x))
            except (ValueError, ZeroDivisionError, OverflowError):
                y = None
            run.append((x, y if y is not None and math.isfinite(y) else None))
        out.append(run)
    return out


def _turning_points(fn: Fn, runs) -> list[tuple[float, float]]:
    """The interior turning points of the drawn curve, exact where the family knows them, else
    found on the samples (a polynomial built from its roots); a piecewise function's
    breakpoints with the values on both sides."""
    feats = fn.features
    if feats.extrema is not None and not fn.pieces:
        return [(float(x), float(y)) for x, y, _ in feats.extrema]
    out = []
    if fn.pieces:
        for a, b, ca, cb, _, _, f in fn.pieces:
            for x in (a, b):
                if fn.window[0] < x < fn.window[1]:
                    out.append((float(x), float(f(float(x)))))
        return out
    for run in runs:
        for (_, y0), (x1, y1), (_, y2) in zip(run, run[1:], run[2:]):
            if None in (y0, y1, y2):
                continue
            if (y1 - y0) * (y2 - y1) < 0:
                out.append((x1, y1))
    return out


# the questions whose answer is a feature placed along x, and which features those are
_X_FEATURES = {"zeros": "zeros", "local-maxima": "max", "local-minima": "min", "increasing": "turns",
               "decreasing": "turns", "vertical-asymptote": "poles", "period": "max"}
SEPARATION = 0.1        # features a question asks about: at least this share of the window apart


def shown_points(fn: Fn, ask, marks):
    """What the frame must show: the turning points, the zeros on the x-axis, the marked points,
    the y-intercept, the horizontal asymptote's height, and what the question is about (the
    point at x0, a bound's value, the window's ends for an extreme value)."""
    feats = fn.features
    runs = _samples(fn)
    pts = list(_turning_points(fn, runs))
    pts += [(float(z), 0.0) for z in (feats.zeros or [])]
    pts += [(float(x), float(y)) for x, y in marks]
    if feats.horizontal is not None:
        pts.append((0.0, float(feats.horizontal)))
    w0, w1 = fn.window
    at = []
    if w0 < 0 < w1 and fn.defined_at(0):
        at.append(0)
    fixed = ask.fixed or {}
    if "x0" in fixed:
        at.append(fixed["x0"])
    if "lo" in fixed:
        at += [fixed["lo"], fixed["hi"]]
    if ask.qtype in ("maximum", "minimum", "range"):
        at += [w0, w1]
    # next to a vertical asymptote, enough of each branch to see it run along the dashed line
    near = {"logarithm": sp.Rational(1, 4)}.get(fn.family, sp.Rational(1, 2))
    for h in feats.vertical:
        at += [x for x in (h - near, h + near) if w0 <= x <= w1 and fn.defined_at(x)]
    for x in at:
        try:
            pts.append((float(x), float(fn.value(x))))
        except (ValueError, TypeError):
            continue
    return [(x, y) for x, y in pts if math.isfinite(y)], runs


def _y_window(pts, runs, rng) -> tuple[float, float]:
    """A y window that shows every point of ``pts`` with room around them, a little more of
    the curve where it goes on, and the x-axis when it is near: the features fill the frame
    (a quartic drawn to its ends' values would flatten its turning points onto the axis)."""
    ys = [y for _, y in pts] or [0.0]
    lo, hi = min(ys), max(ys)
    if hi - lo < 2.0:                         # a flat feature set: at least two units tall
        mid = (lo + hi) / 2
        lo, hi = mid - 1.0, mid + 1.0
    span = hi - lo
    if lo > 0 and lo <= 0.5 * span:           # the x-axis when it is near
        lo = 0.0
    elif hi < 0 and -hi <= 0.5 * span:
        hi = 0.0
    span = hi - lo
    lo, hi = lo - 0.08 * span, hi + 0.08 * span
    # where the curve goes on beyond, a little more of it (at most a tenth of the span)
    cy = [y for run in runs for _, y in run if y is not None]
    if cy:
        lo = max(min(cy), lo - 0.1 * span) if min(cy) < lo else lo
        hi = min(max(cy), hi + 0.1 * span) if max(cy) > hi else hi
    step = nice_step(hi - lo, 8)
    more = (0, 0, 0.5, 1)            # not always framed alike
    lo -= step * more[int(rng.integers(4))]
    hi += step * more[int(rng.integers(4))]
    k0, k1 = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return float(k0 * step), float(k1 * step)


def _y_step(y_range, rng) -> float:
    """Ticks about 6, 8 or 10 to the window, never below one unit on a window taller than four
    (ticks every 0.5 on a tall window leave most of them without a label)."""
    span = y_range[1] - y_range[0]
    step = nice_step(span, (6, 8, 10)[int(rng.integers(3))])
    if span > 4 and step < 1:
        step = 1.0
    return step


def check_visible(fn: Fn, ask, fr: "Frame", turns, pts) -> None:
    """Rejected("window") unless a reader can see what is asked: the turning points a
    question is about apart in height by at least a tenth of the y window (bumps a quarter
    high on a window fifty tall look flat), the humps between zeros as high, an extreme value
    that far from the runner-up, and the features a question asks along x (its zeros,
    turning points or asymptotes) at least a tenth of the x window apart."""
    q = ask.qtype
    span_y = fr.y_range[1] - fr.y_range[0]
    least = SEPARATION * span_y
    turns = sorted(turns) if not fn.pieces else []
    if q in ("local-maxima", "local-minima", "increasing", "decreasing"):
        for (_, y1), (_, y2) in zip(turns, turns[1:]):
            if abs(y2 - y1) < least:
                raise Rejected("window", "two turning points are too close in height to tell apart")
    if q == "zeros":
        zs = sorted(float(z) for z in fn.features.zeros or [])
        for x, y in turns:
            if zs and zs[0] < x < zs[-1] and abs(y) < least:
                raise Rejected("window", "a hump between two zeros is too low to see")
    if q in ("maximum", "minimum", "range"):
        w0, w1 = fn.window
        cands = sorted({round(y, 9) for x, y in pts if w0 <= x <= w1 and (x in (w0, w1) or (x, y) in turns)})
        for ys in ((cands[-2:] if q != "minimum" else []), (cands[:2] if q != "maximum" else [])):
            if len(ys) == 2 and ys[1] - ys[0] < least:
                raise Rejected("window", "the extreme value is too close to the next one to tell apart")
    which = _X_FEATURES.get(q)
    if which is None:
        return
    feats = fn.features
    ext = feats.extrema or []
    if which == "zeros":
        xs = [float(z) for z in feats.zeros or []]
    elif which == "poles":
        xs = [float(x) for x in feats.vertical]
    elif which == "turns":
        xs = [float(x) for x, _, _ in ext] + [float(x) for x in feats.vertical]
    else:
        xs = [float(x) for x, _, k in ext if k == which]
    xs = sorted(xs)
    width = fr.x_range[1] - fr.x_range[0]
    for a, b in zip(xs, xs[1:]):
        if b - a < SEPARATION * width - 1e-9:
            raise Rejected("window", f"the {which} asked about are too close together to tell apart")


def frame(fn: Fn, rng, spec, marks, ask, hidden=(), answer=None) -> Frame:
    """The frame of both images. ``hidden``: what a variant shown with the base image leaves to
    the picture (an asymptote fixed by one of them is not labelled); ``answer``: the answer's
    value (no label shows it)."""
    curve = Curve("f", _pieces(fn))
    feats = fn.features
    pts, runs = shown_points(fn, ask, marks)
    x_range = (float(fn.window[0]), float(fn.window[1]))
    y_range = _y_window(pts, runs, rng)
    width = x_range[1] - x_range[0]
    x_step = 1.0 if width <= 12 else 2.0
    y_step = _y_step(y_range, rng)
    about = ask.qtype in _ABOUT_ASYMPTOTES
    answers = [answer] if not isinstance(answer, (list, tuple)) else list(answer)

    def label(kind, v, text):
        if about or _FIXED_BY.get((fn.family, kind)) in hidden:
            return None
        if v == 0:
            return None      # the line is an axis: its label would read as a tick label
        if any(isinstance(a, (int, float)) and not isinstance(a, bool) and abs(a - v) < 1e-9 for a in answers):
            return None
        return text
    asy = [Asymptote("vertical", float(x), label("vertical", float(x), f"x = {t(x)}")) for x in feats.vertical]
    if feats.horizontal is not None:
        asy.append(Asymptote("horizontal", float(feats.horizontal),
                             label("horizontal", float(feats.horizontal), f"y = {t(feats.horizontal)}")))
    grid = bool(rng.random() < spec.grid)
    # the curve named on the image, or not
    curve = replace(curve, label=(None, None, "f", "y = f(x)", "f(x)")[int(rng.integers(5))])
    title = ("f(x)", "y")[int(rng.integers(2))] if rng.random() < spec.title else ""
    fr = Frame(x_range, y_range, x_step, y_step, grid, title, curve, tuple(asy))
    check_visible(fn, ask, fr, _turning_points(fn, runs), pts)
    return fr


def refit(fn: Fn, fr: Frame, rng, marks, ask) -> Frame:
    """``fr`` with the y window and ticks fitted to other marked points."""
    pts, runs = shown_points(fn, ask, marks)
    y_range = _y_window(pts, runs, rng)
    out = replace(fr, y_range=y_range, y_step=_y_step(y_range, rng))
    check_visible(fn, ask, out, _turning_points(fn, runs), pts)
    return out


def render(fn: Fn, fr: Frame, size: int, marks, ask, hidden=None) -> Rendered:
    """One image; its title (when the frame has one) writes f with the ``hidden`` letters,
    as the variants shown with this image state it, so the title never gives a value away."""
    ms = tuple(Mark(f"P{i + 1}", float(x), float(y), f"({t(x)}, {t(y)})") for i, (x, y) in enumerate(marks))
    for m in ms:
        if not (fr.y_range[0] <= m.y <= fr.y_range[1]) or not math.isfinite(m.y):
            raise Rejected("marks", "a marked point falls outside the window")
    title = f"{fr.title} = {fn.text(hidden=fn.letters if hidden is None else hidden)}" if fr.title else None
    plot = Plot(fr.x_range, fr.y_range, fr.x_step, fr.y_step, (fr.curve,), fr.asymptotes, ms, fr.grid,
                title, size)
    r = draw_plot(plot)
    return relabel_ticks(r, plot, key_values(fn, ask))


def key_values(fn: Fn, ask) -> tuple[set, set]:
    """The x and y values whose tick labels a reader needs, never dropped: the zeros and the
    y-intercept always, and what the question is about (its turning points, asymptotes,
    extreme values, the x it names)."""
    feats, q = fn.features, ask.qtype
    ext = feats.extrema or []
    xs = {float(z) for z in feats.zeros or []} | {float(x) for x, y, _ in ext if y == 0}   # touching zeros too
    ys = set()
    if q in ("local-maxima", "local-minima", "increasing", "decreasing", "period"):
        xs |= {float(x) for x, _, _ in ext}
    if q in ("vertical-asymptote", "domain", "increasing", "decreasing"):
        xs |= {float(x) for x in feats.vertical}
    if q in ("maximum", "minimum", "range"):
        ys |= {float(y) for _, y, _ in ext}
    if q in ("horizontal-asymptote", "identify") and feats.horizontal is not None:
        ys.add(float(feats.horizontal))
    w0, w1 = fn.window
    if w0 < 0 < w1 and fn.defined_at(0):
        try:
            ys.add(float(fn.value(0)))
        except (TypeError, ValueError):
            pass
    for k in ("x0", "lo", "hi"):
        if k in (ask.fixed or {}):
            xs.add(float(ask.fixed[k]))
    return xs, ys


def relabel_ticks(r: Rendered, plot: Plot, key: tuple[set, set]) -> Rendered:
    """The tick labels placed again, each on its axis's own side: below the x-axis and left of
    the y-axis, centred on the tick or, where the curve runs through that place (it always
    does at a zero), beside it with an edge at the tick, lower or further left; never across
    the axis (labels that switch sides read as belonging to the curve). A label with no room
    is dropped, except where a reader needs it (``key``: zeros, turning points, asymptotes,
    the y-intercept, a stated x), which rejects the picture."""
    lay = _Layout(int(plot.size))
    a, _, c, _, e, f = r.to_pixels
    L, T, R, B = r.window
    x0, x1 = plot.x_range
    y0, y1 = plot.y_range
    ax = a * 0.0 + c if x0 <= 0.0 <= x1 else L
    ay = f if y0 <= 0.0 <= y1 else B
    origin = x0 <= 0.0 <= x1 and y0 <= 0.0 <= y1
    ticks = {id(lb) for lbs in r.ticks.values() for lb in lbs}
    others = [lb for lb in r.labels if id(lb) not in ticks]
    d = r.drawing
    d.items = [it for it in d.items if it[0] != "text"]
    lab = Labeler(d.width, d.height, stroke_mask(d), pad=lay.pad)
    lab.placed = list(others)
    fs, g = lay.font_tick, lay.gap
    side = lay.gap + 0.5 * lay.w_curve         # clear of a stroke through the tick, pad included
    new = {"x": [], "y": []}
    for axis, step, vals, k in (("x", plot.x_step, tick_values(x0, x1, plot.x_step), a),
                                ("y", plot.y_step, tick_values(y0, y1, plot.y_step), -e)):
        vals = [v for v in vals if not (origin and v == 0.0)]
        texts = {v: format_tick(v) for v in vals}
        widths = [text_box(texts[v], fs)[2] for v in vals] if axis == "x" else [text_box("0", fs)[3]] * len(vals)
        need = (max(widths) if widths else 0.0) + 2 * lay.pad + 4.0
        every = next((n for n in (1, 2, 5, 10, 20, 50) if n * step * k >= need), 50)
        for v in vals:
            if round(v / step) % every:
                continue
            tw, th = text_box(texts[v], fs)[2:]
            if axis == "x":
                px, cy = a * v + c, ay + lay.tick + g + th / 2
                cands = [(px + dx, cy + dy) for dy in (0.0, 4 * lay.s, 8 * lay.s, 12 * lay.s)
                         for dx in (0.0, -(tw / 2 + side), tw / 2 + side)]
            else:
                py, cx = e * v + f, ax - lay.tick - g - tw / 2
                cands = [(cx + dx, py + dy) for dx in (0.0, -4 * lay.s, -8 * lay.s, -12 * lay.s)
                         for dy in (0.0, -(th / 2 + side), th / 2 + side)]
            got = lab.place(texts[v], "tick", cands, fs)
            if got is not None:
                new[axis].append(got)
            elif any(abs(v - kv) <= 1e-9 * max(1.0, abs(kv)) for kv in key[0 if axis == "x" else 1]):
                raise Rejected("labels", f"no room for the {axis} tick label {texts[v]} a reader needs")
        if len(new[axis]) < 2:
            raise Rejected("labels", f"only {len(new[axis])} {axis} tick labels have room")
    labels = new["x"] + new["y"] + others
    for lb in labels:
        d.text(lb.x, lb.y, lb.text, lb.size)
    return replace(r, labels=labels, ticks=new)
