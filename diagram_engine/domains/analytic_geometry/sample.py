"""One coordinate-plane sample: build, verify, draw and word it.

Variants: a figure's *givens* are what fix it, one unit each: a point's coordinates, or a
line's or a conic's equation. ``text_dominant`` states every given; ``text_lite`` leaves one
given to the base image, where it is written into a label (``A(1, -2)``, ``l: y = 2x + 1``),
so it may state A(1, 2) and leave B to the picture; ``vision_dominant`` names the figures
only, and its own image labels every given. The solutions of those variants first read the
labels off the picture.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from ...deadline import time_limit
from ...errors import Rejected, VerificationError
from ...measure_analytic import measure_analytic
from ...problems import agree
from ...render.plot import Mark, Plot, Shape, draw_plot
from .figures import Fig, pt_text
from .questions import QUESTIONS, Ctx, answer_value, apart, small_figure

__all__ = ["make_sample", "VARIANTS"]

VARIANTS = ("text_dominant", "text_lite", "vision_dominant")
SYMBOLIC_LIMIT = 10.0      # seconds; every step is closed-form arithmetic (see deadline.py)


@dataclass
class Built:
    record: dict
    drawings: list
    timings: dict = field(default_factory=dict)


def _window(rng, spec):
    """A square window of side 2·half holding both axes at least two units from its edges."""
    half = int(rng.integers(spec.window[0], spec.window[1] + 1))
    out = []
    for _ in range(2):
        lo = -int(rng.integers(2, 2 * half - 1))
        out.append((lo, lo + 2 * half))
    return tuple(out)


def _extras(ctx: Ctx, spec, figs: list) -> list:
    """Other figures, each apart from every figure already there (lines included)."""
    n = int(ctx.rng.integers(spec.extras[0], spec.extras[1] + 1))
    out = []
    used = {f.name for f in figs} | {p for f in figs for p in f.points}
    for _ in range(n):
        kinds = [k for k in spec.extra_kinds if k != "circle" or not {"ω", "γ"} <= used]
        kind = ctx.pick(kinds)
        circle = ("ω", "K") if "ω" not in used else ("γ", "Q")
        for _ in range(12):
            free = list(ctx.free)
            try:
                f = small_figure(ctx, kind, circle)
            except Rejected:
                ctx.free = free
                continue
            if inside(f, ctx.window) and not on_axis(f) and all(apart(f, g, ctx.window) for g in figs + out):
                out.append(f)
                used |= {f.name} | set(f.points)
                break
            ctx.free = free
    return out


def inside(f: Fig, window, margin: float = 0.3) -> bool:
    (x0, x1), (y0, y1) = window
    if f.kind in ("line", "hyperbola", "parabola"):
        pts = list(f.points.values())
        return all(x0 + margin <= float(x) <= x1 - margin and y0 + margin <= float(y) <= y1 - margin
                   for x, y in pts)
    return all(x0 + margin <= x <= x1 - margin and y0 + margin <= y <= y1 - margin
               for line in f.outline(window) for x, y in line)


def on_axis(f: Fig) -> bool:
    """Whether a drawn straight piece of ``f`` runs along the x- or the y-axis."""
    if f.kind == "line":
        a, b, c = f.p["a"], f.p["b"], f.p["c"]
        return c == 0 and (a == 0 or b == 0)
    if f.kind in ("segment", "polygon"):
        pts = list(f.points.values())
        pairs = list(zip(pts, pts[1:] + pts[:1])) if f.kind == "polygon" else [tuple(pts)]
        return any((p[0] == q[0] == 0) or (p[1] == q[1] == 0) for p, q in pairs)
    return False


def _scene(figs: list, window, step, grid) -> dict:
    points, objects = {}, []
    for f in figs:
        for n, (x, y) in f.points.items():
            if n in points and points[n] != [float(x), float(y)]:
                raise VerificationError(f"point {n} placed twice: {points[n]} and {(x, y)}")
            points[n] = [float(x), float(y)]
        o = f.obj()
        if o is not None:
            objects.append(o)
    (x0, x1), (y0, y1) = window
    objects.insert(0, {"type": "axes", "name": "axes", "x_range": [float(x0), float(x1)],
                       "y_range": [float(y0), float(y1)], "x_step": step, "y_step": step, "grid": grid})
    return {"points": points, "objects": objects}


# --- drawing ------------------------------------------------------------------------------------

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


def draw(figs: list, window, step, grid, shown: set, size: int):
    shapes, marks = [], []
    for f in figs:
        pts, label = labels_for(f, shown)
        lines = f.outline(window)
        if f.kind == "hyperbola":
            shapes += [Shape(f"{f.name}-{i}", tuple(ln), label=label if i == 0 else None)
                       for i, ln in enumerate(lines)]
            p = f.p
            m = float(p["b"] / p["a"])
            for s in (1, -1):       # the asymptotes, dashed
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


# --- the sample -----------------------------------------------------------------------------------

def make_sample(rule, rng, options) -> Built:
    spec = rule.spec
    t0 = time.perf_counter()
    qkind = spec.questions[int(rng.integers(len(spec.questions)))]
    window = _window(rng, spec)
    ctx = Ctx(rng, window)
    with time_limit(SYMBOLIC_LIMIT, f"the {qkind} question ({rule.id})"):
        ask = QUESTIONS[qkind](ctx)
    figs = list(ask.figs)
    for f in figs:
        if not inside(f, window):
            raise Rejected("window", f"{f.kind} {f.name} leaves the window", "window")
    if any(on_axis(f) for f in figs):
        raise Rejected("placement", "a line or a side lies on an axis, where it cannot be told apart")
    if ask.keep_apart and not apart(figs[0], figs[1], window):
        raise Rejected("placement", "the figures overlap")
    extras = _extras(ctx, spec, figs)
    everything = figs + extras
    t1 = time.perf_counter()

    # second, independent check: re-measure from the scene alone
    span = window[0][1] - window[0][0]
    step = 1.0 if span <= 18 else 2.0
    grid = bool(rng.random() < spec.grid)
    scene = _scene(everything, window, step, grid)
    want = answer_value(ask.kind, ask.answer)
    got = measure_analytic(scene, ask.target)
    err = agree(got, want, f"{ask.qtype} ({ask.target})")
    t2 = time.perf_counter()

    # what each variant leaves to its image: one given in text_lite, every one in vision_dominant
    units = [u for f in figs for u in f.units()]
    lite = units[int(rng.integers(len(units)))]
    hidden = {"text_dominant": set(), "text_lite": {lite}, "vision_dominant": set(units)}
    base = draw(everything, window, step, grid, hidden["text_lite"], options.size)
    vd = draw(everything, window, step, grid, hidden["vision_dominant"], options.size)
    t3 = time.perf_counter()

    from . import text as words
    record = words.write(rule, rng, ask, figs, extras, hidden, scene, base, window, want, err, options)
    t4 = time.perf_counter()
    return Built(record, [base.drawing, vd.drawing], {"sample": t1 - t0, "verify": t2 - t1, "layout": t3 - t2,
                                                      "text": t4 - t3})

