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

from ...core import DrawnPicture
from ...errors import Rejected
from ...render.plot import (
    Asymptote,
    Curve,
    Mark,
    Piece,
    Plot,
    Rendered,
    auto_y_range,
    draw_plot,
    nice_step,
)
from .build import FunctionState
from .families import Fn, t

__all__ = ["Frame", "draw", "frame", "render"]


def draw(job, built) -> list[DrawnPicture]:
    """The base image (the marks that fix the text-lite letters) and the vision-dominant image
    (the marks that fix every letter), in one frame."""
    st: FunctionState = built.state
    fn, marks = st.fn, st.marks
    fr = frame(fn, job.rng, job.spec, marks["base"] + marks["vd"], st.ask,
               set(st.hidden["text_dominant"]) | set(st.hidden["text_lite"]),
               built.problems[0].value)
    st.frame = fr
    out = []
    for which, variant in (("base", "text_lite"), ("vd", "vision_dominant")):
        f_img = fr if which == "base" else replace(
            fr, asymptotes=tuple(replace(a, label=None) for a in fr.asymptotes))
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


def frame(fn: Fn, rng, spec, marks, ask, hidden=(), answer=None) -> Frame:
    """The frame of both images. ``hidden``: what a variant shown with the base image leaves to
    the picture (an asymptote fixed by one of them is not labelled); ``answer``: the answer's
    value (no label shows it)."""
    curve = Curve("f", _pieces(fn))
    feats = fn.features
    include = [float(y) for _, y in marks] + [0.0]
    include += [float(y) for _, y, _ in (feats.extrema or [])]
    if feats.horizontal is not None:
        include.append(float(feats.horizontal))
    x_range = (float(fn.window[0]), float(fn.window[1]))
    y_range = auto_y_range((curve,), x_range, include=include)
    # a little more room below or above and denser or sparser y ticks, at random: the same
    # function is not always framed alike
    step = nice_step(y_range[1] - y_range[0], 8)
    more = (0, 0.5, 1, 1.5, 2)
    y_range = (y_range[0] - step * more[int(rng.integers(5))], y_range[1] + step * more[int(rng.integers(5))])
    width = x_range[1] - x_range[0]
    x_step = 1.0 if width <= 12 else 2.0
    y_step = nice_step(y_range[1] - y_range[0], (6, 8, 10)[int(rng.integers(3))])
    about = ask.qtype in _ABOUT_ASYMPTOTES
    answers = [answer] if not isinstance(answer, (list, tuple)) else list(answer)

    def label(kind, v, text):
        if about or _FIXED_BY.get((fn.family, kind)) in hidden:
            return None
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
    return Frame(x_range, y_range, x_step, y_step, grid, title, curve, tuple(asy))


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
    return draw_plot(plot)
