"""The cost of the simplest matplotlib chart on this machine: a floor under the chart domain.

Every chart sample is drawn by its matplotlib program, so no chart can cost less than
matplotlib needs for the simplest chart there is. This script measures that chart (one axes,
five bars, five category labels, a title and two axis labels; no value labels, no legend,
no ``tight_layout``, no SVG and none of the engine's checks) the way the chart programs draw
it: a new ``Figure`` on the Agg canvas, drawn, and encoded as an RGB PNG with Pillow.

It reports the CPU time per chart of each stage (building the artists, the Agg draw, the PNG
encode), the charts per second that this floor allows one worker and two, and the same chart
drawn on one reused figure (``fig.clear()`` between charts) to show whether reusing a figure
per worker pays.

    python benchmarks/chart_floor.py                 # 7 rounds of 60 charts
    python benchmarks/chart_floor.py --rounds 3 --n 30

CPU time (``time.process_time``) is used, and the median of the rounds is reported, since
wall time on a shared machine is noisy.
"""
from __future__ import annotations

import argparse
import io
import statistics
import time

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

CATS, VALUES = ["North", "South", "East", "West", "Centre"], [42, 57, 31, 66, 48]


def _build(fig: Figure) -> None:
    ax = fig.add_subplot()
    ax.bar(range(len(CATS)), VALUES, width=0.6, color="#4c72b0")
    ax.set_xticks(range(len(CATS)), CATS)
    ax.set_title("Sales by region", y=1.0, pad=6)
    ax.set_xlabel("Region")
    ax.set_ylabel("Sales (units)")


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    rgba = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    rgba.convert("RGB").save(buf, format="png")
    return buf.getvalue()


def fresh() -> tuple[float, float, float]:
    """One chart on a new figure: (build, draw, encode) CPU seconds."""
    t0 = time.process_time()
    fig = Figure(figsize=(6.4, 4.8), dpi=100)
    FigureCanvasAgg(fig)
    _build(fig)
    t1 = time.process_time()
    fig.canvas.draw()
    t2 = time.process_time()
    _png(fig)
    return t1 - t0, t2 - t1, time.process_time() - t2


_REUSED = Figure(figsize=(6.4, 4.8), dpi=100)
FigureCanvasAgg(_REUSED)


def reused() -> float:
    """One chart on the one reused figure, cleared first: CPU seconds."""
    t0 = time.process_time()
    _REUSED.clear()
    _build(_REUSED)
    _REUSED.canvas.draw()
    _png(_REUSED)
    return time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7, help="rounds (default 7); the median is reported")
    ap.add_argument("--n", type=int, default=60, help="charts per round (default 60)")
    args = ap.parse_args()
    for _ in range(10):          # warm up: imports, font cache, first-use costs
        fresh()
        reused()
    stages, reuse = [], []
    for _ in range(args.rounds):
        runs = [fresh() for _ in range(args.n)]
        stages.append([1000 * sum(r[i] for r in runs) / args.n for i in range(3)])
        reuse.append(1000 * sum(reused() for _ in range(args.n)) / args.n)
    build, draw, encode = (statistics.median(s[i] for s in stages) for i in range(3))
    total = statistics.median(sum(s) for s in stages)
    print(f"matplotlib {matplotlib.__version__}, median of {args.rounds} rounds of {args.n} charts (CPU time)")
    print(f"new figure:    {total:6.1f} ms per chart (build {build:.1f}, Agg draw {draw:.1f}, PNG encode {encode:.1f})")
    print(f"reused figure: {statistics.median(reuse):6.1f} ms per chart (cleared and drawn again)")
    print(f"ceiling: {1000 / total:.1f} charts/s with 1 worker, {2000 / total:.1f} with 2 "
          "(before any check, question, SVG or file)")


if __name__ == "__main__":
    main()
