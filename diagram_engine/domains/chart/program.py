"""Charts as plotting programs: the code is the textual truth behind the picture.

``program(spec)`` writes a standalone, deterministic matplotlib script for one chart. The
script defines ``make_figure()`` and, run as a program, saves the PNG; the engine runs the
very same text (``exec`` of code it wrote itself, never of user input) to get the figure,
reads the values back from the drawn artists, and saves the PNG and SVG. So the saved
program reproduces the dataset's PNG byte for byte with the same matplotlib.

A :class:`ChartSpec` holds everything the picture shows: the chart kind, the categories,
the series and their values, the title and axis labels, the theme and whether value
labels are drawn.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["KINDS", "THEMES", "ChartSpec", "program"]

KINDS = ("bar", "hbar", "stacked", "percent", "line", "area", "stackedarea", "pie", "donut", "radar", "heatmap",
         "scatter", "bubble", "histogram", "box", "barline", "panels")

# eight looks: palette, font, grid, legend place, figure size and aspect, spines
THEMES = {
    "classic": {"colors": ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                           "#7f7f7f"], "font": 10, "grid": "y", "legend": "top", "size": [6.4, 4.8],
                "spines": True, "bg": "white"},
    "pastel": {"colors": ["#8dd3c7", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#bebada", "#fccde5",
                          "#bc80bd"], "font": 10, "grid": "both", "legend": "right", "size": [6.4, 4.8],
               "spines": False, "bg": "white"},
    "slate": {"colors": ["#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6d597a", "#355070",
                         "#b56576"], "font": 11, "grid": "y", "legend": "bottom", "size": [7.2, 4.8],
              "spines": False, "bg": "#f7f7f7"},
    "mono": {"colors": ["#222222", "#555555", "#888888", "#aaaaaa", "#333333", "#666666", "#999999", "#bbbbbb"],
             "font": 10, "grid": "none", "legend": "top", "size": [6.0, 4.5], "spines": True,
             "bg": "white"},
    "ocean": {"colors": ["#03045e", "#0077b6", "#00b4d8", "#90e0ef", "#48cae4", "#023e8a", "#0096c7",
                         "#ade8f4"], "font": 10, "grid": "y", "legend": "right", "size": [6.8, 5.0],
              "spines": False, "bg": "white"},
    "earth": {"colors": ["#606c38", "#283618", "#dda15e", "#bc6c25", "#8c6a4f", "#a3b18a", "#588157",
                         "#3a5a40"], "font": 11, "grid": "both", "legend": "top", "size": [6.4, 5.2],
              "spines": True, "bg": "#fefae0"},
    "vivid": {"colors": ["#e63946", "#457b9d", "#f4a261", "#2a9d8f", "#8338ec", "#ff006e", "#3a86ff",
                         "#fb5607"], "font": 10, "grid": "y", "legend": "top", "size": [6.6, 4.6],
              "spines": False, "bg": "white"},
    "print": {"colors": ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3",
                         "#8c8c8c"], "font": 9, "grid": "both", "legend": "right", "size": [6.0, 4.8],
              "spines": True, "bg": "white"},
}


@dataclass(frozen=True)
class ChartSpec:
    kind: str                        # bar | hbar | line | pie
    title: str
    categories: tuple[str, ...]
    series: tuple[str, ...]          # series names (one for a single-series chart)
    values: tuple[tuple[float, ...], ...]   # values[s][c]
    xlabel: str
    ylabel: str
    theme: str
    value_labels: bool
    decimals: int
    dpi: int = 100
    unit: str = ""
    markers: bool = True             # line charts: a marker on each point
    note: tuple = ()                 # line charts: (category index, text) of an arrow note
    sample: tuple = ()               # histogram: the raw values
    edges: tuple = ()                # histogram: the bin edges
    labelled: tuple | None = None    # line, radar, bar+line: the (series, category) cells printed (None: all)


def _cells(spec) -> list:
    """The (series, category) cells whose values are printed, in order."""
    if spec.labelled is None:
        return [(s, c) for s in range(len(spec.series)) for c in range(len(spec.categories))]
    return sorted(tuple(x) for x in spec.labelled)


def _fmt(decimals: int) -> str:
    return f"{{:.{decimals}f}}"


def program(spec: ChartSpec) -> str:
    """The standalone script that draws ``spec`` (the image path is ``{IMAGE}`` until the
    engine knows it)."""
    th = THEMES[spec.theme]
    data = {"categories": list(spec.categories), "series": list(spec.series),
            "values": [list(v) for v in spec.values]}
    if spec.kind == "histogram":
        data["sample"], data["edges"] = list(spec.sample), list(spec.edges)
    extra = ""
    if spec.kind == "bubble":     # bubble areas are proportional to the values; the largest is AREA pt²
        extra = f"AREA = {1300 if len(spec.categories) <= 6 and len(spec.series) <= 3 else 800}\n"
    height = th["size"][1]
    if spec.kind == "hbar":           # the chart grows with its bars: room for each bar's value label
        height = hbar_height(spec, th)
    if spec.kind == "panels":
        axes = "fig.subplots(1, 2, sharey=True)"
    elif spec.kind == "radar":
        axes = 'fig.add_subplot(projection="polar")'
    else:
        axes = "fig.add_subplot()"
    head = f'''"""{spec.title}: a {spec.kind} chart, generated by diagram-engine.

Run it to draw the chart: python this_file.py [OUT.png]
"""
import io
import math
import sys

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation
from PIL import Image

DATA = {json.dumps(data, ensure_ascii=False)}
TITLE = {json.dumps(spec.title, ensure_ascii=False)}
XLABEL = {json.dumps(spec.xlabel, ensure_ascii=False)}
YLABEL = {json.dumps(spec.ylabel, ensure_ascii=False)}
UNIT = {json.dumps(spec.unit, ensure_ascii=False)}
COLORS = {json.dumps(th["colors"])}
VALUE_LABELS = {spec.value_labels}
LABELLED = {_cells(spec)}
FMT = "{_fmt(spec.decimals)}"
{extra}

def ink(color):
    """Black or white text, whichever reads better on ``color`` (a #rrggbb fill)."""
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "white"


def offset(i, c):
    """Where series i's value label at category c goes, in points: above the point for the
    highest labelled value there, below it for the next, further below for the others."""
    order = sorted((j for j, k in LABELLED if k == c), key=lambda j: -DATA["values"][j][c])
    r = order.index(i)
    return 6 if r == 0 else -6 - 12 * (r - 1)


def png_bytes(fig):
    """Draw the figure with Agg and encode it as an RGB PNG (no metadata, so the bytes
    depend on the drawing alone)."""
    fig.canvas.draw()
    buf = io.BytesIO()
    rgba = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    rgba.convert("RGB").save(buf, format="png")
    return buf.getvalue()


def make_figure():
    matplotlib.rcParams.update({{"font.size": {th["font"]}, "font.family": "DejaVu Sans", "svg.fonttype": "none",
                                "svg.hashsalt": "diagram-engine"}})
    fig = Figure(figsize=({th["size"][0]}, {height}), dpi={spec.dpi})
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("{th["bg"]}")
    ax = {axes}
    for a in fig.axes:
        a.set_facecolor("{th["bg"]}")
    cats, names, values = DATA["categories"], DATA["series"], DATA["values"]
'''
    body = _BODIES[spec.kind](spec, th)
    top_legend = spec.kind == "barline" or (len(spec.series) > 1 and _legend_place(spec, th) == "top"
                                            and spec.kind not in _NO_LEGEND)
    rows = 1 if spec.kind == "barline" or not top_legend else -(-len(spec.series) // _legend_cols(spec, th))
    pad = round((2.4 + 1.4 * (rows - 1)) * th["font"] + 2) if top_legend else 6
    if spec.kind == "radar":           # above the top spoke's label
        pad = round(1.6 * th["font"] + 16)
    # y=1.0 fixes the title's place (matplotlib would otherwise measure the tick labels on every
    # draw to see whether the title must move up; none of these charts has ticks on top)
    title = "    fig.suptitle(TITLE)\n" if spec.kind == "panels" else f"    ax.set_title(TITLE, y=1.0, pad={pad})\n"
    # value labels sit inside the axes: the layout need not measure them (pie labels lie outside)
    skip = "" if spec.kind in ROUND_KINDS else '''    for a in fig.axes:
        for t in a.texts:
            t.set_in_layout(False)
'''
    tail = f'''{title}{skip}    fig.tight_layout()
    return fig


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "{{IMAGE}}"
    with open(out, "wb") as f:
        f.write(png_bytes(make_figure()))
'''
    return head + body + tail


def _xticks(spec, th, share: float = 1.0, ax: str = "ax") -> str:
    """The line that puts the categories under their ticks: level when they fit, upright
    when a label is wider than its slot (slanted labels would fit, but their boxes, which the
    overlap check measures, would not). The fit is estimated from
    the character count (DejaVu Sans averages about 0.62 em), so a crowded axis is turned
    before drawing instead of drawn and rejected; the overlap check after drawing decides."""
    if _upright(spec, th, share):
        return f'    {ax}.set_xticks(range(len(cats)), cats, rotation=90)\n'
    return f"    {ax}.set_xticks(range(len(cats)), cats)\n"


def _upright(spec, th, share: float = 1.0) -> bool:
    """Whether the category labels must stand upright (see _xticks)."""
    widest = max(len(c) for c in spec.categories) * th["font"] * 0.66
    return widest > 0.82 * _slot(spec, th, share)


def _axes_common(th, value_axis: str) -> str:
    grid = th["grid"]
    lines = []
    if grid != "none":
        axis = value_axis if grid != "both" else "both"
        lines.append(f'    ax.grid(True, axis="{axis}", color="#cccccc", linewidth=0.6)\n    ax.set_axisbelow(True)\n')
    if not th["spines"]:
        lines.append('    for side in ("top", "right"):\n        ax.spines[side].set_visible(False)\n')
    lines.append("    ax.set_xlabel(XLABEL)\n    ax.set_ylabel(YLABEL)\n")
    return "".join(lines)


_LEGEND = {   # outside the plotting area, so a legend never hides data
    "top": 'ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(names), frameon=False)',
    "right": 'ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)',
    # below the tick labels and the axis label: a fixed distance under the axes, however tall
    "bottom": ('ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=ax.transAxes + '
               'ScaledTranslation(0, -BELOW, fig.dpi_scale_trans), ncol=len(names), frameon=False)'),
}


def _below(th) -> float:
    """Inches from the bottom of the axes to a legend below them: the ticks, their labels and
    the axis label (about 2.4 lines of the theme's font) and a small gap."""
    return round((14 + 2.4 * th["font"]) / 72, 3)


# a horizontal bar chart's height: the bars' pitch (points per bar: a value label's line and a
# gap) times the bars, over the 0.8 of each category's slot the bars fill, and the text around
# the axes (title, tick labels, axis label, a legend above or below); never less than the
# theme's height
HBAR_PITCH = {True: 1.35, False: 1.15}        # fonts per bar, with and without value labels


def hbar_height(spec, th) -> float:
    bars = len(spec.categories) * len(spec.series)
    axes = bars * HBAR_PITCH[bool(spec.value_labels)] * th["font"] / 0.8 / 72
    around = 1.25 + (0.3 * -(-len(spec.series) // _legend_cols(spec, th))
                     if len(spec.series) > 1 and th["legend"] in ("top", "bottom") else 0)
    return round(max(th["size"][1], around + axes), 2)


def _legend(spec, th) -> str:
    if len(spec.series) < 2:
        return ""
    text = _LEGEND[_legend_place(spec, th)].replace("ncol=len(names)", f"ncol={_legend_cols(spec, th)}")
    return f"    {text.replace('BELOW', str(_below(th)))}\n"


def _legend_cols(spec, th) -> int:
    """Columns of a legend above or below the axes: one row when the entries fit across the
    figure (estimated from their characters), else two rows."""
    n = len(spec.series)
    need = sum(len(name) for name in spec.series) * th["font"] * 0.62 + n * 3.2 * th["font"]
    return n if need <= th["size"][0] * 72 * 0.92 else (n + 1) // 2


def _legend_place(spec, th) -> str:
    """The theme's legend place, but not under upright category labels (they fill that space)."""
    if th["legend"] == "bottom" and spec.kind != "hbar" and _upright(spec, th):
        return "top"
    return th["legend"]


def _slot(spec, th, share: float = 1.0) -> float:
    """The estimated width in points of one category's slot along the x axis."""
    width = th["size"][0] * 72 * (0.62 if th["legend"] == "right" and len(spec.series) > 1 else 0.76) * share
    return width / max(1, len(spec.categories))


def _bar(spec, th) -> str:
    # value labels turn upright when wider than their bar (estimated as for the ticks)
    longest = max(len(_fmt(spec.decimals).format(v)) for row in spec.values for v in row)
    upright = longest * th["font"] * 0.83 * 0.66 > 0.8 * _slot(spec, th) / len(spec.series)
    turn, head = (', rotation=90', 1.3) if upright else ("", 1.18)
    return f'''    n = len(names)
    width = 0.8 / n
    for i, (name, vals) in enumerate(zip(names, values)):
        xs = [c + (i - (n - 1) / 2) * width for c in range(len(cats))]
        bars = ax.bar(xs, vals, width=width * 0.95, color=COLORS[i % len(COLORS)], label=name)
        if VALUE_LABELS:
            ax.bar_label(bars, labels=[FMT.format(v) for v in vals], padding=2, fontsize="small"{turn})
{_xticks(spec, th)}    ax.set_ylim(0, max(max(v) for v in values) * {head})
{_axes_common(th, "y")}{_legend(spec, th)}'''


def _hbar(spec, th) -> str:
    return f'''    n = len(names)
    height = 0.8 / n
    for i, (name, vals) in enumerate(zip(names, values)):
        ys = [c + (i - (n - 1) / 2) * height for c in range(len(cats))]
        bars = ax.barh(ys, vals, height=height * 0.95, color=COLORS[i % len(COLORS)], label=name)
        if VALUE_LABELS:
            ax.bar_label(bars, labels=[FMT.format(v) for v in vals], padding=2, fontsize="small")
    ax.set_yticks(range(len(cats)), cats)
    ax.set_ylim(len(cats) - 0.5, -0.5)      # the first category on top, no blank band above or below
    ax.set_xlim(0, max(max(v) for v in values) * 1.2)
{_axes_common(th, "x")}{_legend(spec, th)}'''


def _stacked(spec, th) -> str:
    return f'''    bottom = [0] * len(cats)
    for i, (name, vals) in enumerate(zip(names, values)):
        bars = ax.bar(range(len(cats)), vals, width=0.6, bottom=bottom, color=COLORS[i % len(COLORS)], label=name)
        if VALUE_LABELS:
            ax.bar_label(bars, labels=[FMT.format(v) for v in vals], label_type="center", fontsize="small",
                         color=ink(COLORS[i % len(COLORS)]))
        bottom = [b + v for b, v in zip(bottom, vals)]
{_xticks(spec, th)}    ax.set_ylim(0, max(bottom) * 1.12)
{_axes_common(th, "y")}{_legend(spec, th)}'''


def _percent(spec, th) -> str:
    return _stacked(spec, th).replace("ax.set_ylim(0, max(bottom) * 1.12)", "ax.set_ylim(0, 100)")


def _barline(spec, th) -> str:
    return f'''    bars = ax.bar(range(len(cats)), values[0], width=0.6, color=COLORS[0], label=names[0])
    if VALUE_LABELS:      # inside the bars, so the line's labels above its points stay clear
        ax.bar_label(bars, labels=[FMT.format(v) if (0, c) in LABELLED else "" for c, v in enumerate(values[0])],
                     label_type="center", fontsize="small", color=ink(COLORS[0]))
{_xticks(spec, th)}    ax.set_ylim(0, max(values[0]) * 1.25)
{_axes_common(th, "y")}    ax2 = ax.twinx()
    ax2.plot(range(len(cats)), values[1], marker="o", markersize=4, linewidth=1.8, color=COLORS[1], label=names[1])
    if VALUE_LABELS:
        for c, v in [(c, v) for c, v in enumerate(values[1]) if (1, c) in LABELLED]:
            ax2.annotate(FMT.format(v), (c, v), textcoords="offset points", xytext=(0, 7), ha="center",
                         fontsize="small", color=COLORS[1],
                         bbox={{"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}})
    ax2.set_ylim(0, max(values[1]) * 1.2)
    ax2.set_ylabel(names[1] + " (" + UNIT + ")")
    handles = [bars, ax2.get_lines()[0]]
    ax.legend(handles, names, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
'''


def _area(spec, th) -> str:
    return f'''    for i, (name, vals) in enumerate(zip(names, values)):
        color = COLORS[i % len(COLORS)]
        ax.plot(range(len(cats)), vals, linewidth=1.6, color=color, label=name)
        ax.fill_between(range(len(cats)), vals, color=color, alpha=0.25, linewidth=0)
        if VALUE_LABELS:
            for c, v in enumerate(vals):
                ax.annotate(FMT.format(v), (c, v), textcoords="offset points", xytext=(0, 5), ha="center",
                            fontsize="small")
{_xticks(spec, th)}    ax.set_ylim(0, max(max(v) for v in values) * 1.25)
    ax.set_xlim(-0.3, len(cats) - 0.7)
{_axes_common(th, "y")}{_legend(spec, th)}'''


def _line(spec, th) -> str:
    marker = 'marker="o", markersize=4, ' if spec.markers else ""
    note = ""
    if spec.note:
        c, text = spec.note
        note = (f"    ax.annotate({json.dumps(text, ensure_ascii=False)}, ({c}, values[0][{c}]), "
                'textcoords="offset points", xytext=(0, 30), ha="center", va="bottom", fontsize="small",\n'
                '                arrowprops={"arrowstyle": "->", "color": "#555555", "shrinkB": 16})\n')
    return f'''    for i, (name, vals) in enumerate(zip(names, values)):
        ax.plot(range(len(cats)), vals, {marker}linewidth=1.8, color=COLORS[i % len(COLORS)], label=name)
        if VALUE_LABELS:
            for c, v in [(c, v) for c, v in enumerate(vals) if (i, c) in LABELLED]:
                dy = offset(i, c)
                ax.annotate(FMT.format(v), (c, v), textcoords="offset points", xytext=(0, dy),
                            ha="center", va="bottom" if dy > 0 else "top", fontsize="small")
{note}{_xticks(spec, th)}    lo, hi = min(min(v) for v in values), max(max(v) for v in values)
    ax.set_ylim(max(0, lo - (hi - lo) * 0.25), hi + (hi - lo) * {0.55 if spec.note else 0.3})
    ax.set_xlim(-0.5, len(cats) - 0.5)
{_axes_common(th, "y")}{_legend(spec, th)}'''


def _stackedarea(spec, th) -> str:
    return f'''    ax.stackplot(range(len(cats)), values, labels=names, colors=COLORS[:len(names)], alpha=0.9,
                 edgecolor="white", linewidth=0.6)
    if VALUE_LABELS:
        bottom = [0] * len(cats)
        for i, vals in enumerate(values):
            for c, v in enumerate(vals):
                side = "left" if c == 0 else "right" if c == len(cats) - 1 else "center"
                ax.text(c + {{"left": 0.04, "right": -0.04, "center": 0}}[side], bottom[c] + v / 2, FMT.format(v),
                        ha=side, va="center", fontsize="small", color=ink(COLORS[i]))
            bottom = [b + v for b, v in zip(bottom, vals)]
    totals = [sum(col) for col in zip(*values)]
{_xticks(spec, th)}    ax.set_xlim(-0.15, len(cats) - 0.85)
    ax.set_ylim(0, max(totals) * 1.1)
{_axes_common(th, "y")}{_legend(spec, th)}'''


def _bubble(spec, th) -> str:
    return '''    top = max(max(v) for v in values)
    for i, (name, vals) in enumerate(zip(names, values)):
        sizes = [AREA * v / top for v in vals]
        ax.scatter(range(len(cats)), [i] * len(cats), s=sizes, color=COLORS[i % len(COLORS)], alpha=0.8,
                   edgecolors="white", linewidths=0.8, label=name, zorder=3)
        if VALUE_LABELS:
            for c, (v, s) in enumerate(zip(vals, sizes)):
                ax.annotate(FMT.format(v), (c, i), textcoords="offset points", xytext=(0, s ** 0.5 / 2 + 1),
                            ha="center", va="bottom", fontsize="small")
''' + _xticks(spec, th) + '''    ax.set_yticks(range(len(names)), names)
    ax.set_xlim(-0.6, len(cats) - 0.4)
    ax.set_ylim(-0.6, len(names) - 0.25)
    ax.invert_yaxis()
''' + _axes_common(th, "x")


def _histogram(spec, th) -> str:
    return f'''    edges = DATA["edges"]
    counts, _, bars = ax.hist(DATA["sample"], bins=edges, color=COLORS[0], edgecolor="white", linewidth=1)
    if VALUE_LABELS:
        ax.bar_label(bars, labels=[str(int(n)) for n in counts], padding=2, fontsize="small")
    places = 0 if all(e == int(e) for e in edges) else 1
    ax.set_xticks(edges, [f"{{e:.{{places}}f}}" for e in edges])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(edges[0] - (edges[1] - edges[0]) * 0.3, edges[-1] + (edges[1] - edges[0]) * 0.3)
    ax.set_ylim(0, max(counts) * 1.18)
{_axes_common(th, "y")}'''


def _box(spec, th) -> str:
    return f'''    keys = ("whislo", "q1", "med", "q3", "whishi")
    stats = [dict(zip(keys, (row[c] for row in values)), label=cat) for c, cat in enumerate(cats)]
    parts = ax.bxp(stats, positions=range(len(cats)), widths=0.42, showfliers=False, patch_artist=True,
                   medianprops={{"color": "black", "linewidth": 1.8, "gid": "median"}},
                   whiskerprops={{"gid": "whisker"}}, capprops={{"gid": "cap"}})
    for c, box in enumerate(parts["boxes"]):
        box.set_facecolor(COLORS[c % len(COLORS)])
        box.set_alpha(0.85)
    if VALUE_LABELS:
        for c, st in enumerate(stats):
            for k in keys:
                ax.annotate(FMT.format(st[k]), (c + 0.23, st[k]), textcoords="offset points", xytext=(3, 0),
                            va="center", fontsize="x-small")
    lo, hi = min(values[0]), max(values[-1])
{_xticks(spec, th)}    ax.set_xlim(-0.6, len(cats) - 0.15)
    ax.set_ylim(max(0, lo - (hi - lo) * 0.12), hi + (hi - lo) * 0.12)
{_axes_common(th, "y")}'''


def _panels(spec, th) -> str:
    common = _axes_common(th, "y").replace("    ax.set_ylabel(YLABEL)\n", "")
    return f'''    left, right = ax
    bars = left.bar(range(len(cats)), values[0], width=0.6, color=COLORS[0])
    right.plot(range(len(cats)), values[1], marker="o", markersize=4, linewidth=1.8, color=COLORS[1])
    if VALUE_LABELS:
        left.bar_label(bars, labels=[FMT.format(v) for v in values[0]], padding=2, fontsize="small")
        for c, v in enumerate(values[1]):
            right.annotate(FMT.format(v), (c, v), textcoords="offset points", xytext=(0, 6), ha="center",
                           fontsize="small")
    left.set_ylim(0, max(max(v) for v in values) * 1.2)
    left.set_ylabel(YLABEL)
    for ax, name in ((left, names[0]), (right, names[1])):
        ax.set_title(name, fontsize="medium", y=1.0)
        {_xticks(spec, th, 0.44).strip()}
        ax.set_xlim(-0.6, len(cats) - 0.4)
{common.replace("    ", "        ")}'''


def _radar(spec, th) -> str:
    return f'''    import math
    angles = [2 * math.pi * c / len(cats) for c in range(len(cats))]
    for i, (name, vals) in enumerate(zip(names, values)):
        color = COLORS[i % len(COLORS)]
        ax.plot(angles + angles[:1], list(vals) + list(vals[:1]), linewidth=1.6, color=color, label=name)
        ax.fill(angles + angles[:1], list(vals) + list(vals[:1]), color=color, alpha=0.12)
        if VALUE_LABELS:
            for c, a, v in [(c, a, v) for c, (a, v) in enumerate(zip(angles, vals)) if (i, c) in LABELLED]:
                dy = offset(i, c)
                ax.annotate(FMT.format(v), (a, v), textcoords="offset points", xytext=(0, dy),
                            ha="center", va="bottom" if dy > 0 else "top", fontsize="small", color=color,
                            bbox={{"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                                  "alpha": 0.85}})
    ax.set_xticks(angles, cats)
    ax.set_ylim(0, max(max(v) for v in values) * 1.3)
    ax.set_yticklabels([])
    ax.tick_params(axis="x", pad=10)
{_radar_legend(spec)}'''


def _radar_legend(spec) -> str:
    """Below the spokes' labels, which reach beyond the polar axes."""
    if len(spec.series) < 2:
        return ""
    return '    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(names), frameon=False)\n'


def _heatmap(spec, th) -> str:
    return '''    import numpy as np
    grid = np.array(values, dtype=float)
    im = ax.imshow(grid, cmap="viridis", aspect="auto")
''' + _xticks(spec, th, 0.8) + '''    ax.set_yticks(range(len(names)), names)
    lo, hi = grid.min(), grid.max()
    for r in range(grid.shape[0]):
        for c in range(grid.shape[1]):
            if VALUE_LABELS:
                shade = (grid[r, c] - lo) / (hi - lo) if hi > lo else 0.5
                ax.text(c, r, FMT.format(values[r][c]), ha="center", va="center", fontsize="small",
                        color="black" if shade > 0.55 else "white")
    fig.colorbar(im, ax=ax, label=YLABEL, shrink=0.85)
    ax.set_xlabel(XLABEL)
'''


def _scatter(spec, th) -> str:
    slot = th["size"][0] * 72 * 0.62 / (len(spec.categories) + 1)
    turn = ", rotation=90" if 4 * th["font"] * 0.66 > 0.82 * slot else ""
    return f'''    xs = [int(c) for c in cats]
    vals = values[0]
    ax.scatter(xs, vals, s=28, color=COLORS[0], label=names[0], zorder=3)
    n = len(xs)
    mx, my = sum(xs) / n, sum(vals) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, vals)) / sum((x - mx) ** 2 for x in xs)
    ends = [xs[0] - 0.5, xs[-1] + 1.5]
    ax.plot(ends, [my + slope * (x - mx) for x in ends], linestyle="--", linewidth=1.4, color=COLORS[1],
            label="trend")
    if VALUE_LABELS:
        for x, v in zip(xs, vals):
            ax.annotate(FMT.format(v), (x, v), textcoords="offset points", xytext=(0, 6), ha="center",
                        fontsize="small")
    ax.set_xticks(xs + [xs[-1] + 1], [str(x) for x in xs] + [str(xs[-1] + 1)]{turn})
    ax.set_xlim(xs[0] - 0.6, xs[-1] + 1.6)
    lo, hi = min(vals), max(vals)
    ax.set_ylim(max(0, lo - (hi - lo) * 0.4), hi + (hi - lo) * 0.45)
{_axes_common(th, "y")}    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
'''


def _donut(spec, th) -> str:
    return _pie(spec, th).replace('"edgecolor": "white"}', '"edgecolor": "white", "width": 0.42}').replace(
        "0.72 * math", "0.79 * math")


def _pie(spec, th) -> str:
    # the slices' names outside (the pie's category labels), their shares inside (value labels)
    return '''    vals = values[0]
    total = sum(vals)
    wedges, names = ax.pie(vals, labels=cats, colors=COLORS[:len(vals)], startangle=90, counterclock=False,
                           wedgeprops={"linewidth": 1, "edgecolor": "white"}, textprops={"fontsize": "small"})
    for t in names:
        t.set_gid("category")
    if VALUE_LABELS:
        for i, (w, v) in enumerate(zip(wedges, vals)):
            mid = math.radians((w.theta1 + w.theta2) / 2)
            ax.text(0.72 * math.cos(mid), 0.72 * math.sin(mid), FMT.format(100 * v / total) + "%", ha="center",
                    va="center", fontsize="small", color=ink(COLORS[i]))
    ax.set_aspect("equal")
'''


_BODIES = {"bar": _bar, "hbar": _hbar, "stacked": _stacked, "percent": _percent, "line": _line, "area": _area,
           "stackedarea": _stackedarea, "pie": _pie, "donut": _donut, "radar": _radar, "heatmap": _heatmap,
           "scatter": _scatter, "bubble": _bubble, "histogram": _histogram, "box": _box, "barline": _barline,
           "panels": _panels}
ROUND_KINDS = ("pie", "donut")
_NO_LEGEND = ("bubble", "panels", "box", "heatmap", "radar")      # series named on an axis or in panel titles
