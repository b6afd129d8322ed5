"""Drawing a function-graph sample: from the sampled function to the plot renderer (pieces,
window, asymptotes, marks), the base image and the vision-dominant image.

One ``Frame`` (window, ticks, grid, title, asymptote labels) is decided per sample, so the
base image and the vision-dominant image differ only in their marked points.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ...core import DrawnPicture
from ...errors import Rejected
from ...render.plot import Asymptote, Curve, Mark, Piece, Plot, Rendered, auto_y_range, draw_plot, nice_step
from .build import FunctionState
from .families import Fn, t

__all__ = ["Frame", "draw", "frame", "render"]


def draw(job, built) -> list[DrawnPicture]:
    """The base image (the marks that fix the text-lite letters) and the vision-dominant image
    (the marks that fix every letter), in one frame."""
    st: FunctionState = built.state
    fn, marks = st.fn, st.marks
    fr = frame(fn, job.rng, job.spec, marks["base"] + marks["vd"], st.ask)
    out = []
    for which, variant in (("base", "text_lite"), ("vd", "vision_dominant")):
        r = render(fn, fr, job.options.size, marks[which], st.ask, st.hidden[variant])
        out.append(DrawnPicture(r.drawing, r.labels, [round(v, 9) for v in r.to_pixels]))
    return out


@dataclass(frozen=True)
class Frame:
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    x_step: float
    y_step: float
    grid: bool
    title: bool                   # whether the images carry the function as a title
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


def frame(fn: Fn, rng, spec, marks, ask) -> Frame:
    curve = Curve("f", _pieces(fn))
    feats = fn.features
    include = [float(y) for _, y in marks] + [0.0]
    include += [float(y) for _, y, _ in (feats.extrema or [])]
    if feats.horizontal is not None:
        include.append(float(feats.horizontal))
    x_range = (float(fn.window[0]), float(fn.window[1]))
    y_range = auto_y_range((curve,), x_range, include=include)
    width = x_range[1] - x_range[0]
    x_step = 1.0 if width <= 12 else 2.0
    y_step = nice_step(y_range[1] - y_range[0], 8)
    asked = ask.qtype in ("vertical-asymptote", "horizontal-asymptote")
    asy = [Asymptote("vertical", float(x), None if asked else f"x = {t(x)}") for x in feats.vertical]
    if feats.horizontal is not None:
        asy.append(Asymptote("horizontal", float(feats.horizontal),
                             None if asked else f"y = {t(feats.horizontal)}"))
    grid = bool(rng.random() < spec.grid)
    title = bool(rng.random() < spec.title)
    return Frame(x_range, y_range, x_step, y_step, grid, title, curve, tuple(asy))


def render(fn: Fn, fr: Frame, size: int, marks, ask, hidden=None) -> Rendered:
    """One image; its title (when the frame has one) writes f with the ``hidden`` letters,
    as the variants shown with this image state it, so the title never gives a value away."""
    ms = tuple(Mark(f"P{i + 1}", float(x), float(y), f"({t(x)}, {t(y)})") for i, (x, y) in enumerate(marks))
    for m in ms:
        if not (fr.y_range[0] <= m.y <= fr.y_range[1]) or not math.isfinite(m.y):
            raise Rejected("marks", "a marked point falls outside the window")
    title = f"f(x) = {fn.text(hidden=fn.letters if hidden is None else hidden)}" if fr.title else None
    plot = Plot(fr.x_range, fr.y_range, fr.x_step, fr.y_step, (fr.curve,), fr.asymptotes, ms, fr.grid,
                title, size)
    return draw_plot(plot)
