"""A coordinate-plane sample's scene and problem: the question and its figures (answer-first,
exact), the other figures drawn apart from them, the axes, which givens each variant leaves to
its image, whether the image is then needed, and the options.

Variants: a figure's *givens* are what fix it, one unit each: a point's coordinates, a line's
or a circle's equation, a conic's centre and its shape. ``text_dominant`` states every given;
``text_lite`` leaves one given that the answer depends on to the base image, where it is
written into a label (``A(1, -2)``, ``l: y = 2x + 1``), so it may state A(1, 2) and leave B to
the picture; ``vision_dominant`` names the figures only, and its own image labels every
given. The solutions of those variants first read the labels off the picture.

Image dependence is measured, not assumed: each unit is changed a few ways (a point moved, a
line shifted, another shape; ``Kind.moves``) and the answer solved again; a unit *matters*
when some change moves the answer. A variant needs its image when a unit it leaves to the
picture matters (``text_dominant`` leaves none).

Options are the answers of neighbouring problems (``Kind.neighbour``): one group of units,
picked per problem, drawn again from the distribution the key's were drawn from, so key and
wrong options are exchangeable (``core.options``); a word question offers its closed set.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ...core import Built, Posed, exchangeable_options
from ...deadline import time_limit
from ...errors import Rejected, VerificationError
from .figures import inside, on_axis, point
from .questions import (
    QUESTIONS,
    Ask,
    Ctx,
    Kind,
    answer_key,
    answer_value,
    apart,
    coords,
    small_figure,
)

__all__ = ["MOVES", "SYMBOLIC_LIMIT", "AnalyticState", "build", "inside", "matters", "on_axis", "options"]

SYMBOLIC_LIMIT = 10.0      # seconds; every step is closed-form arithmetic (see deadline.py)
MOVES = 6                  # changes tried per unit before deciding the answer does not depend on it


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
    image_needed: dict          # variant -> whether a unit it leaves to the image matters
    options: tuple | None       # (choices, answer_index, values) or None: free-form


def _window(rng, spec):
    """A square window of side 2·half holding both axes at least two units from its edges."""
    half = int(rng.integers(spec.window[0], spec.window[1] + 1))
    out = []
    for _ in range(2):
        lo = -int(rng.integers(2, 2 * half - 1))
        out.append((lo, lo + 2 * half))
    return tuple(out)


MIN_SIDE = 10               # units: the smallest window drawn
PAD = 1                     # units between a figure and the window's edge
AXIS_ROOM = 2               # units between an axis and the window's edge


def fit_window(boxes, rng, min_side: int = MIN_SIDE) -> tuple:
    """The square window the picture is drawn in: the smallest one with integer ends that
    holds every box ``PAD`` units from its edges and both axes ``AXIS_ROOM`` units from
    them, at least ``min_side`` wide, plus 0 to 2 units of slack; the room left over is shared
    at random between the two sides, so the figures fill most of the frame."""
    x0 = math.floor(min([b[0] for b in boxes] + [0.0]) - PAD)
    y0 = math.floor(min([b[1] for b in boxes] + [0.0]) - PAD)
    x1 = math.ceil(max([b[2] for b in boxes] + [0.0]) + PAD)
    y1 = math.ceil(max([b[3] for b in boxes] + [0.0]) + PAD)
    x0, y0, x1, y1 = min(x0, -AXIS_ROOM), min(y0, -AXIS_ROOM), max(x1, AXIS_ROOM), max(y1, AXIS_ROOM)
    # 0-2 units of slack, shared at random between the sides: the same figure is then drawn in
    # one of many windows, so pictures do not repeat (a fitted window alone repeated 0.7 % of them)
    side = max(x1 - x0, y1 - y0, min_side) + int(rng.integers(0, 3))
    out = []
    for lo, hi in ((x0, x1), (y0, y1)):
        extra = side - (hi - lo)
        low = int(rng.integers(0, extra + 1))
        out.append((lo - low, lo - low + side))
    return tuple(out)


def view_boxes(figs: list, ask: Ask) -> list:
    """What the window must show: each figure's ``view_box`` and, where the question asks
    where figures meet, the common points (lines carry no marked points)."""
    boxes = [b for b in (f.view_box() for f in figs) if b is not None]
    if ask.target.get("measure") == "intersections":
        boxes += [(float(x), float(y), float(x), float(y)) for x, y in ask.answer]
    return boxes


def _clear_window(window, ask: Ask) -> tuple:
    """The window grown by a unit each way it must when one of its ends is a number answer:
    the caption states the window, and "x from -4 to 13" would read as the distance 13."""
    if ask.kind != "number":
        return window
    v = float(ask.answer)
    for _ in range(6):
        (x0, x1), (y0, y1) = window
        if v in (x1, y1):
            window = ((x0, x1 + 1), (y0, y1 + 1))
        elif v in (x0, y0):
            window = ((x0 - 1, x1), (y0 - 1, y1))
        else:
            break
    return window


def tick_step(side: int) -> float:
    return 1.0 if side <= 20 else 2.0


def _clear_of(f, ask: Ask, window) -> bool:
    """An extra figure stays 0.8 units from every point of the answer (an extra point on the
    orthocentre would show it), and no number of it is a number answer."""
    if ask.kind in ("point", "points"):
        pts = [ask.answer] if ask.kind == "point" else ask.answer
        if not all(apart(f, point("·", p), window) for p in pts):
            return False
    if ask.kind == "number":
        nums = [c for xy in f.points.values() for c in xy] + ([f.p["r2"]] if f.kind == "circle" else [])
        return all(float(v) != float(ask.answer) for v in nums)
    return True


def _extras(ctx: Ctx, spec, figs: list, ask: Ask) -> list:
    """Other figures, each apart from every figure already there (lines included) and clear of
    the answer."""
    n = int(ctx.rng.integers(spec.extras[0], spec.extras[1] + 1))
    out = []
    used = {f.name for f in figs} | {p for f in figs for p in f.points}
    for _ in range(n):
        kinds = [k for k in spec.extra_kinds if k != "circle" or not {"ω", "γ"} <= used]
        kind = ctx.pick(kinds)
        circle = ("ω", "K") if "ω" not in used else ("γ", "Q")
        for _ in range(8):
            free = list(ctx.free)
            try:
                f = small_figure(ctx, kind, circle)
            except Rejected:
                ctx.free = free
                continue
            if inside(f, ctx.window) and not on_axis(f) and all(apart(f, g, ctx.window) for g in figs + out) \
                    and _clear_of(f, ask, ctx.window):
                out.append(f)
                used |= {f.name} | set(f.points)
                break
            ctx.free = free
    return out


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


def matters(kind: Kind, ctx: Ctx, d, unit: str, key, tries: int = MOVES) -> bool:
    """Whether some change of ``unit`` moves the answer (a change with no answer is skipped)."""
    want = answer_key(kind.kind, key)
    for d2 in kind.moves(ctx, d, unit)[:tries]:
        a = kind.solve(d2)
        if a is not None and answer_key(kind.kind, a) != want:
            return True
    return False


def options(kind: Kind, ctx: Ctx, d, key, rng):
    """(choices, answer_index, values): a word question's closed set (four words) in a random
    order; otherwise the key and three answers of neighbouring problems (None when there are
    not three distinct ones, or fewer than four words)."""
    if kind.kind == "word":
        words = kind.options_words(d, key)
        if len(words) != 4:
            return None
        order = [words[int(i)] for i in rng.permutation(len(words))]
        return [kind.write(w) for w in order], order.index(key), order
    group = kind.groups[int(rng.integers(len(kind.groups)))]
    exclude = {answer_key("number", c) for c in coords(d)} if kind.avoid_coords else ()

    def draw(rng):
        return kind.solve(kind.neighbour(ctx, d, group))
    return exchangeable_options(key, draw, rng, write=kind.write,
                                same=lambda v: answer_key(kind.kind, v), exclude=exclude)


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
    units = [u for f in figs for u in f.units()]
    kind, d = ask.spec, ask.draw
    if sorted(units) != sorted(d.units()):
        raise VerificationError(f"{qkind}: the figures' givens {units} are not the drawn units {d.units()}")
    # which givens the answer depends on; text_lite leaves one of those to its picture
    need = {u: matters(kind, ctx, d, u, ask.answer) for u in units}
    allowed = kind.lite_units(d)
    lite_from = [u for u in allowed if need[u]] or allowed
    lite = lite_from[int(rng.integers(len(lite_from)))]
    hidden = {"text_dominant": set(), "text_lite": {lite}, "vision_dominant": set(units)}
    image_needed = {v: any(need[u] for u in hidden[v]) for v in hidden}
    opts = options(kind, ctx, d, ask.answer, rng) if rng.random() < spec.multiple_choice else None
    # the picture's window fits the question's figures; the other figures go inside it
    window = ctx.window = _clear_window(fit_window(view_boxes(figs, ask), rng), ask)
    extras = _extras(ctx, spec, figs, ask)
    step = tick_step(window[0][1] - window[0][0])
    grid = bool(rng.random() < spec.grid)
    scene = _scene(figs + extras, window, step, grid)
    posed = Posed(ask.target, answer_value(ask.kind, ask.answer), exact=True, what=f"{ask.qtype} ({ask.target})")
    return Built(scene, [posed], AnalyticState(ask, figs, extras, window, step, grid, hidden, image_needed, opts))
