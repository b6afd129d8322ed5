"""A coordinate-plane sample's scene and problem: the question and its figures (answer-first,
exact), the other figures drawn apart from them, the axes, and which givens each variant
leaves to its image.

Variants: a figure's *givens* are what fix it, one unit each: a point's coordinates, or a
line's or a conic's equation. ``text_dominant`` states every given; ``text_lite`` leaves one
given to the base image, where it is written into a label (``A(1, -2)``, ``l: y = 2x + 1``),
so it may state A(1, 2) and leave B to the picture; ``vision_dominant`` names the figures
only, and its own image labels every given. The solutions of those variants first read the
labels off the picture.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...core import Built, Posed
from ...deadline import time_limit
from ...errors import Rejected, VerificationError
from .figures import Fig
from .questions import QUESTIONS, Ask, Ctx, answer_value, apart, small_figure

__all__ = ["AnalyticState", "SYMBOLIC_LIMIT", "build", "inside", "on_axis"]

SYMBOLIC_LIMIT = 10.0      # seconds; every step is closed-form arithmetic (see deadline.py)


@dataclass
class AnalyticState:
    """What drawing and wording need of one built sample."""
    ask: Ask
    figs: list                  # the question's figures (their givens are the problem's)
    extras: list                # the other figures, described in the caption only
    window: tuple               # ((x0, x1), (y0, y1)), integers
    step: float                 # the tick step of both axes
    grid: bool
    hidden: dict                # variant -> the givens (units) it leaves to its image


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


def build(job) -> Built:
    spec, rng = job.spec, job.rng
    qkind = spec.questions[int(rng.integers(len(spec.questions)))]
    window = _window(rng, spec)
    ctx = Ctx(rng, window)
    with time_limit(SYMBOLIC_LIMIT, f"the {qkind} question ({job.rule.id})"):
        ask = QUESTIONS[qkind](ctx, rng)
    figs = list(ask.figs)
    for f in figs:
        if not inside(f, window):
            raise Rejected("window", f"{f.kind} {f.name} leaves the window", "window")
    if any(on_axis(f) for f in figs):
        raise Rejected("placement", "a line or a side lies on an axis, where it cannot be told apart")
    if ask.keep_apart and not apart(figs[0], figs[1], window):
        raise Rejected("placement", "the figures overlap")
    extras = _extras(ctx, spec, figs)
    span = window[0][1] - window[0][0]
    step = 1.0 if span <= 18 else 2.0
    grid = bool(rng.random() < spec.grid)
    scene = _scene(figs + extras, window, step, grid)
    # what each variant leaves to its image: one given in text_lite, every one in vision_dominant
    units = [u for f in figs for u in f.units()]
    lite = units[int(rng.integers(len(units)))]
    hidden = {"text_dominant": set(), "text_lite": {lite}, "vision_dominant": set(units)}
    posed = Posed(ask.target, answer_value(ask.kind, ask.answer), exact=True, what=f"{ask.qtype} ({ask.target})")
    return Built(scene, [posed], AnalyticState(ask, figs, extras, window, step, grid, hidden))
