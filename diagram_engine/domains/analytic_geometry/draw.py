"""Coordinate-plane pictures: every figure drawn to scale (equal-scale axes) with its points and
labels. The base image writes the given ``text_lite`` leaves to it into its label; the
vision-dominant image writes every given."""
from __future__ import annotations

from ...core import DrawnPicture
from ...errors import Rejected
from ...render.plot import Mark, Plot, Shape, draw_plot
from .build import AnalyticState
from .figures import Fig, pt_text

__all__ = ["draw", "labels_for"]


def draw(job, built) -> list[DrawnPicture]:
    """The base image (the given text_lite leaves to it labelled) and the vision-dominant image
    (every given labelled)."""
    st: AnalyticState = built.state
    everything = st.figs + st.extras
    out = []
    for v in ("text_lite", "vision_dominant"):
        r = _plot(everything, st.window, st.step, st.grid, st.hidden[v], job.options.size)
        if v == "text_lite":
            _ticks_kept(r, [(n, xy) for f in everything for n, xy in f.points.items() if n not in st.hidden[v]],
                        st.step)
        out.append(DrawnPicture(r.drawing, r.labels, [round(x, 9) for x in r.to_pixels]))
    return out


def labels_for(f: Fig, shown: set) -> tuple[dict, str | None]:
    """(point name -> label, the figure's own label): a given in ``shown`` is written into the
    label (``A(1, -2)``, ``l: y = 2x + 1``), every other label is a name alone. A circle
    given by its equation labels its centre with the name only: the equation is the given."""
    pts = {n: f"{n}{pt_text(xy)}" if n in shown and n in f.units() else n for n, xy in f.points.items()}
    if f.kind in ("point", "segment", "polygon"):
        return pts, None
    if f.name in f.units() and f.name in shown:
        return pts, f.unit_text(f.name)
    return pts, f.name


def label_every(values, step: float) -> int:
    """Every how many ticks the kept tick labels are (1, 2, 5 or 10): the largest spacing
    that all of them follow."""
    for e in (10, 5, 2):
        if values and all(abs(v / (e * step) - round(v / (e * step))) < 1e-9 for v in values):
            return e
    return 1


def _ticks_kept(r, points: list, step: float) -> None:
    """Where the axes number their ticks (every one, or every 2nd when they are crowded), the
    number at the coordinates of each point labelled by its name alone (``points``: (name,
    xy) pairs) is there: a reader finds such a point by the grid and its numbers. A stroke or
    label in the way of one rejects the picture (``labels``)."""
    for axis, i in (("x", 0), ("y", 1)):
        kept = {round(float(lb.text.replace("\u2212", "-")), 9) for lb in r.ticks.get(axis, [])}
        spacing = label_every(sorted(kept), step) * step
        for name, xy in points:
            v = float(xy[i])
            if v != 0 and abs(v / spacing - round(v / spacing)) < 1e-9 and round(v, 9) not in kept:
                raise Rejected("labels", f"the tick label {axis} = {v:g} at {name} has no room")


def _plot(figs: list, window, step, grid, shown: set, size: int):
    shapes, marks = [], []
    for f in figs:
        pts, label = labels_for(f, shown)
        lines = f.outline(window)
        if f.kind == "hyperbola":
            shapes += [Shape(f"{f.name}-{i}", tuple(ln), label=label if i == 0 else None)
                       for i, ln in enumerate(lines)]
            p = f.p
            m = float(p["b"] / p["a"])
            for s in ((1, -1) if p.get("asymptotes", True) else ()):       # the asymptotes, dashed
                shapes.append(Shape(f"{f.name}-asymptote-{s}", _line_pts(float(p["h"]), float(p["k"]), s * m, window),
                                    dashed=True))
        elif f.kind == "polygon":
            shapes.append(Shape(f.name, tuple(lines[0][:-1]), closed=True, label=label))
        elif f.kind != "point":
            shapes.append(Shape(f.name, tuple(lines[0]), label=label))
        for n, (x, y) in f.points.items():
            marks.append(Mark(n, float(x), float(y), pts[n]))
    (x0, x1), (y0, y1) = window
    plot = Plot((float(x0), float(x1)), (float(y0), float(y1)), step, step, (), (), tuple(marks), grid, None, size,
                shapes=tuple(shapes), equal_scale=True)
    return draw_plot(plot)


def _line_pts(h, k, m, window):
    (x0, x1), _ = window
    L = 3 * (x1 - x0)
    return ((h - L, k - m * L), (h + L, k + m * L))
