"""Chart figures fitted to what they hold: a horizontal bar chart grows with its bars only as
much as their value labels need, and no large blank band is left in the picture (between the
axes and a legend below them, above the first bar or below the last).

The programs are run as the engine runs them and the PNG and the drawn artists are measured.
"""
from __future__ import annotations

import functools
import io

import numpy as np
import pytest
from PIL import Image

from diagram_engine.core.contract import Job
from diagram_engine.domains.chart import build as chart_build
from diagram_engine.domains.chart.program import THEMES, ChartSpec, program
from diagram_engine.domains.chart.render import run_program
from diagram_engine.errors import Rejected
from diagram_engine.pipeline import Options, RuleSet
from diagram_engine.seeding import rng_for

RULESET = RuleSet.load("chart")
MAX_BLANK = 40          # pixels: the tallest band of rows that hold nothing but the background


def _run(code: str):
    ns: dict = {"__name__": "chart_layout_test"}
    exec(compile(code, "<chart program>", "exec"), ns)  # noqa: S102 (the engine's own generated code)
    fig = ns["make_figure"]()
    png = ns["png_bytes"](fig)
    return fig, Image.open(io.BytesIO(png)).convert("RGB")


def _blank_band(img: Image.Image, bg: str) -> int:
    """The tallest run of rows whose every pixel is the background colour."""
    a = np.asarray(img).astype(int)
    want = np.array([int(bg[i:i + 2], 16) for i in (1, 3, 5)]) if bg != "white" else np.array([255, 255, 255])
    blank = np.all(np.abs(a - want).sum(axis=2) <= 6, axis=1)
    best = run = 0
    for b in blank:
        run = run + 1 if b else 0
        best = max(best, run)
    return best


@functools.cache
def _hbars(n: int = 60, seed: int = 4242) -> tuple:
    """Built horizontal bar charts of several series (the ones that grow), as generated."""
    rule = RULESET.by_id["horizontal-bar"]
    out = []
    for i in range(n):
        for attempt in range(20):
            try:
                built = chart_build.build(Job(rule, rng_for(seed, rule.digest, i, attempt), Options(svg=False)))
            except Rejected:
                continue
            if len(built.state.table.series) > 1:
                out.append(built)
            break
    return tuple(out[:24])


def test_horizontal_bars_are_as_thick_as_their_labels_need_and_no_band_is_blank():
    tall = 0
    for built in _hbars():
        st = built.state
        th = THEMES[built.scene["objects"][-1]["theme"]]
        fig, img = _run(st.code)
        r = fig.canvas.get_renderer()
        ax = fig.axes[0]
        box = ax.get_window_extent(r)
        bars = [p.get_window_extent(r) for p in ax.patches]
        n_bars = len(bars)
        assert n_bars == len(st.table.categories) * len(st.table.series)
        w, h = img.size
        assert _blank_band(img, th["bg"]) <= MAX_BLANK, (w, h, _blank_band(img, th["bg"]))
        # nothing blank above the first bar or below the last: at most a quarter of a category
        slot = box.height / len(st.table.categories)
        top, bottom = max(b.y1 for b in bars), min(b.y0 for b in bars)
        assert box.y1 - top <= 0.25 * slot and bottom - box.y0 <= 0.25 * slot, (box, top, bottom, slot)
        if h > th["size"][1] * 100 + 1:     # grown past the theme's height: only as far as the labels need
            tall += 1
            per_bar_pt = box.height / n_bars * 72 / 100
            assert per_bar_pt <= 2.5 * th["font"], (per_bar_pt, th["font"], w, h)
    assert tall >= 3


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_the_largest_horizontal_bar_chart_fits_and_keeps_its_labels_apart(theme):
    cats = tuple(f"Category {i}" for i in range(10))
    series = ("North", "South", "East", "West")
    values = tuple(tuple(float(10 + (7 * s + 3 * c) % 40) for c in range(10)) for s in range(4))
    spec = ChartSpec("hbar", "A chart of forty bars", cats, series, values, "Value (units)", "Category", theme, True, 0)
    drawn = run_program(program(spec), "hbar", 4, svg=False)     # rejects overlapping or cut texts
    assert drawn.height <= 1300, drawn.height
    fig, img = _run(program(spec))
    assert _blank_band(img, THEMES[theme]["bg"]) <= MAX_BLANK
