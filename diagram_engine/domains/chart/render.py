"""Run a chart program, read the values back from its artists, check its text, save it.

The values are re-measured from what matplotlib drew, not from the data table: bar heights
(or widths) from the bar patches, line data from the Line2D objects, wedge angles from the
pie's wedges. Every text the figure shows (title, axis labels, tick labels, value labels,
legend entries) is measured from its window extent: none may overlap another or leave the
figure.
"""
from __future__ import annotations

import io
import math

import matplotlib.patches as mpatches
from matplotlib.colors import to_hex
from matplotlib.text import Text

from ...errors import Rejected

__all__ = ["GAP", "Drawn", "run_program"]

GAP = 1.0           # pixels that must separate two texts


class Drawn:
    """A drawn chart: PNG bytes, SVG text, the values read back, the size, the text boxes, and
    the affine map from data coordinates (category index, value) to PNG pixels."""

    def __init__(self, png: bytes, svg: str | None, readback: dict, width: int, height: int, labels: list,
                 to_pixels: list | None):
        self.png, self.svg, self.readback = png, svg, readback
        self.width, self.height, self.labels, self.to_pixels = width, height, labels, to_pixels


def _texts(fig) -> list:
    """Every text the figure shows, with its label kind: titles, axis labels, the tick labels
    of ticks in view (of every axes: twin, colour bar, second panel), legend entries, value
    labels and annotations. A text the program marks as a category's name (a pie's slice
    names, gid "category") is a ``tick`` like a bar chart's category labels."""
    out = [(fig._suptitle, "title")] if fig._suptitle is not None else []
    for ax in fig.axes:
        out += [(ax.title, "title"), (ax.xaxis.label, "axis"), (ax.yaxis.label, "axis")]
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = min(lo, hi), max(lo, hi)
            eps = 1e-9 * max(1.0, hi - lo)
            for tick in axis.get_major_ticks():
                if lo - eps <= tick.get_loc() <= hi + eps:
                    out.append((tick.label1, "tick"))
        leg = ax.get_legend()
        if leg is not None:
            out += [(t, "legend") for t in leg.get_texts()]
        out += [(t, "tick" if t.get_gid() == "category" else "value") for t in ax.texts]
    return [(t, k) for t, k in out if t.get_visible() and t.get_text().strip()]


def run_program(code: str, kind: str, n_series: int, svg: bool = True) -> Drawn:
    """Execute ``code`` (a program from ``program.program``), return the PNG, SVG, values
    read back from the artists, and the text labels with their pixel boxes."""
    ns: dict = {"__name__": "diagram_engine_chart"}
    exec(compile(code, "<chart program>", "exec"), ns)  # noqa: S102 (the engine's own generated code)
    fig = ns["make_figure"]()
    # the program's own png_bytes draws the figure; the text boxes are then measured with
    # that draw's renderer, so the figure is drawn once for the PNG (and once more for the
    # SVG). It is not cleared afterwards: Figure.clear costs about 4 ms a chart and frees
    # nothing the garbage collector would not.
    png = ns["png_bytes"](fig)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    W, H = fig.canvas.get_width_height()
    boxes = []
    for t, k in _texts(fig):
        bb = Text.get_window_extent(t, renderer)     # the text alone (an annotation's arrow aside)
        if not (bb.x0 >= -0.5 and bb.y0 >= -0.5 and bb.x1 <= W + 0.5 and bb.y1 <= H + 0.5):
            raise Rejected("labels", f"text {t.get_text()!r} leaves the figure")
        boxes.append((t, k, bb))
    for i, (t1, _, b1) in enumerate(boxes):
        for t2, _, b2 in boxes[i + 1:]:
            if b1.x0 < b2.x1 + GAP and b2.x0 < b1.x1 + GAP and b1.y0 < b2.y1 + GAP and b2.y0 < b1.y1 + GAP:
                raise Rejected("labels", f"texts {t1.get_text()!r} and {t2.get_text()!r} overlap")
    labels = [{"text": t.get_text(), "kind": k,
               "bbox": [round(b.x0, 2), round(H - b.y1, 2), round(b.x1, 2), round(H - b.y0, 2)]}
              for t, k, b in boxes]
    readback = _read(fig, ax, kind, n_series, ns)
    readback["xlabel"], readback["ylabel"] = ax.get_xlabel(), ax.get_ylabel()
    readback["clabel"] = fig.axes[1].get_ylabel() if len(fig.axes) > 1 and kind != "panels" else None
    readback["colors"] = _colors(fig, ax, kind, n_series)
    # data (x, y) -> display pixels (y up) -> PNG pixels (y down); a pie's data coordinates
    # put its centre at (0, 0) with radius 1
    m = ax.transData.get_affine().get_matrix()
    to_pixels = [round(float(v), 6) for v in (m[0, 0], m[0, 1], m[0, 2], -m[1, 0], -m[1, 1], H - m[1, 2])]
    svg_text = None
    if svg:
        sbuf = io.StringIO()
        fig.savefig(sbuf, format="svg", metadata={"Date": None, "Creator": None})
        svg_text = sbuf.getvalue()
    return Drawn(png, svg_text, readback, W, H, labels, to_pixels)


def _hex(rgba) -> str:
    return to_hex(rgba, keep_alpha=False)


def _colors(fig, ax, kind: str, n_series: int) -> list[str]:
    """The fill or line colour of each series as drawn (pies: of each wedge; one-colour
    kinds: [])."""
    if kind in ("bar", "hbar", "stacked", "percent"):
        return [_hex(cont.patches[0].get_facecolor()) for cont in ax.containers[:n_series]]
    if kind in ("line", "area", "radar"):
        return [_hex(ln.get_color()) for ln in ax.get_lines()[:n_series]]
    if kind in ("stackedarea", "bubble"):
        return [_hex(col.get_facecolor()[0]) for col in ax.collections[:n_series]]
    if kind in ("pie", "donut"):
        return [_hex(p.get_facecolor()) for p in ax.patches if isinstance(p, mpatches.Wedge)]
    return []


def _read(fig, ax, kind: str, n_series: int, ns: dict) -> dict:
    """The data as drawn: {"values": [[...] per series]} (pie: {"shares": [...]} in percent).
    ``ns`` is the program's namespace (its DATA, and a bubble chart's AREA)."""
    data = ns["DATA"]
    if kind == "panels":
        right = fig.axes[1]
        return {"values": [[float(p.get_height()) for p in ax.containers[0].patches],
                           list(map(float, right.get_lines()[0].get_ydata()))]}
    if kind == "stackedarea":      # each layer is a polygon between its bottom and its top edge
        out = []
        for col in ax.collections[:n_series]:
            v = col.get_paths()[0].vertices
            row = []
            for c in range(len(data["categories"])):
                ys = v[abs(v[:, 0] - c) < 1e-9][:, 1]
                row.append(float(ys.max() - ys.min()))
            out.append(row)
        return {"values": out}
    if kind == "bubble":           # areas proportional to the values, the largest AREA pt²
        top = max(max(v) for v in data["values"])
        return {"values": [[float(s) * top / ns["AREA"] for s in col.get_sizes()]
                           for col in ax.collections[:n_series]]}
    if kind == "histogram":
        bars = ax.containers[0].patches
        edges = [float(p.get_x()) for p in bars] + [float(bars[-1].get_x() + bars[-1].get_width())]
        return {"values": [[float(p.get_height()) for p in bars]], "edges": edges}
    if kind == "box":              # rows: lower whisker end, lower quartile, median, upper quartile, upper end
        med = [float(ln.get_ydata()[0]) for ln in ax.get_lines() if ln.get_gid() == "median"]
        whisk = [ln for ln in ax.get_lines() if ln.get_gid() == "whisker"]
        lo = [float(whisk[2 * c].get_ydata()[1]) for c in range(len(med))]
        hi = [float(whisk[2 * c + 1].get_ydata()[1]) for c in range(len(med))]
        boxes = [p.get_path().vertices[:, 1] for p in ax.patches]
        q1 = [float(b.min()) for b in boxes]
        q3 = [float(b.max()) for b in boxes]
        return {"values": [lo, q1, med, q3, hi]}
    if kind == "barline":
        line = fig.axes[1].get_lines()[0]
        return {"values": [[float(p.get_height()) for p in ax.containers[0].patches],
                           list(map(float, line.get_ydata()))]}
    if kind in ("bar", "hbar", "stacked", "percent"):
        out = []
        for cont in ax.containers[:n_series]:
            out.append([float(p.get_width() if kind == "hbar" else p.get_height()) for p in cont.patches])
        return {"values": out}
    if kind in ("line", "area"):
        return {"values": [list(map(float, ln.get_ydata())) for ln in ax.get_lines()[:n_series]]}
    if kind == "radar":        # each series is a closed polygon: its first point repeated at the end
        return {"values": [list(map(float, ln.get_ydata()))[:-1] for ln in ax.get_lines()[:n_series]]}
    if kind == "heatmap":
        grid = ax.images[0].get_array()
        return {"values": [[float(v) for v in row] for row in grid]}
    if kind == "scatter":
        pts = ax.collections[0].get_offsets()
        xs, ys = [float(p[0]) for p in pts], [float(p[1]) for p in pts]
        (x0, x1), (y0, y1) = (ax.get_lines()[0].get_xdata(), ax.get_lines()[0].get_ydata())
        return {"values": [ys], "x": xs, "trend": [float((y1 - y0) / (x1 - x0)), float(y0 - x0 * (y1 - y0) / (x1 - x0))]}
    if kind in ("pie", "donut"):
        wedges = [p for p in ax.patches if isinstance(p, mpatches.Wedge)]
        sweeps = [(w.theta2 - w.theta1) % 360 or 360.0 for w in wedges]
        total = sum(sweeps)
        if not math.isclose(total, 360.0, rel_tol=1e-9):
            raise ValueError(f"pie wedges sweep {total} degrees")
        return {"shares": [float(100.0 * s / 360.0) for s in sweeps]}
    raise ValueError(kind)
