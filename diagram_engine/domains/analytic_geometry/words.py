"""Coordinate-plane wording: caption, three question variants, solutions, options.

All English lives in ``templates/analytic-geometry/*.yaml``; this module decides what is said.
"""
from __future__ import annotations

import math
import re

import sympy as sp

from ...core import (
    VARIANTS,
    Answer,
    Given,
    Variant,
    Worded,
    Words,
    final_line,
    instruction,
    round_value,
)
from ...exact import sympy_str
from ...writing import t
from .build import AnalyticState
from .figures import Fig, pt_text
from .draw import label_every
from .questions import Ask, answer_value, clear_direction

__all__ = ["caption_of", "describe", "noun", "reading", "words"]

_NOUNS = {"polygon": None, "segment": "segment", "point": "point", "line": "line", "circle": "circle",
          "ellipse": "ellipse", "parabola": "parabola", "hyperbola": "hyperbola"}


def noun(f: Fig) -> str:
    if f.kind == "polygon":
        return {3: "triangle", 4: "quadrilateral"}.get(len(f.points), "polygon")
    return _NOUNS[f.kind]


def _pts(f: Fig, hidden=frozenset(), skip=()) -> list[str]:
    """The figure's points, each with its coordinates unless the picture holds them."""
    return [n if n in hidden else f"{n}{pt_text(xy)}" for n, xy in f.points.items() if n not in skip]


def describe(pb, rng, f: Fig, hidden: set) -> str:
    """One figure as a question states it: each given written out unless ``hidden``."""
    k = f.kind
    eq = None if f.name in hidden else (f.equation() if k == "circle" else f.text())
    if k == "point":
        return pb.say("fig.point", rng, name=f.name, xy=None if f.name in hidden else pt_text(f.points[f.name]))
    if k in ("segment", "polygon") or (k == "line" and f.form == "points"):
        return pb.say(f"fig.{k}", rng, name=f.name, noun=noun(f), points=_pts(f, hidden))
    if k == "line":
        return pb.say("fig.line.equation", rng, name=f.name, eq=eq)
    if k == "circle":
        center = f.p["center"]
        if f.form == "center-point":
            return pb.say("fig.circle.center", rng, name=f.name, center=_pts(f, hidden)[0],
                          on=_pts(f, hidden, {center}))
        return pb.say("fig.circle", rng, name=f.name, eq=eq, center=center, on=_pts(f, hidden, {center}))
    c = f.p["center"]
    return pb.say("fig.conic", rng, name=f.name, noun=noun(f), eq=eq,
                  center=c if c in hidden else f"{c}{pt_text(f.points[c])}",
                  role="vertex" if k == "parabola" else "centre")


def reading(f: Fig, hidden: set) -> list[str]:
    """The hidden givens of ``f`` as a solution reads them off the figure."""
    out = []
    for u in f.units():
        if u in hidden:
            out.append(f"{u} = {pt_text(f.points[u])}" if u in f.points else f.unit_text(u))
    return out


def caption_of(pb, rng, f: Fig) -> str:
    """One figure as the base image shows it: its points where they are drawn, a line through
    its points or by its equation, a circle by its centre and its points or its equation, a
    conic by its equation and its marked centre. Nothing derived (a radius, a slope, the
    equation of a line drawn through two points) is said: a caption describes the picture."""
    k = f.kind
    if k == "point":
        return pb.say("caption.point", rng, name=f.name, xy=pt_text(f.points[f.name]))
    if k in ("segment", "polygon"):
        return pb.say(f"caption.{k}", rng, name=f.name, noun=noun(f), points=_pts(f))
    if k == "line":
        if f.form == "points":
            return pb.say("caption.line.points", rng, name=f.name, through=_pts(f))
        return pb.say("caption.line", rng, name=f.name, eq=f.equation())
    if k == "circle":
        center = f.p["center"]
        cxy = f"{center}{pt_text((f.p['h'], f.p['k']))}"
        if f.form == "center-point":
            return pb.say("caption.circle.center", rng, name=f.name, center=cxy, on=_pts(f, skip={center}))
        return pb.say("caption.circle", rng, name=f.name, eq=f.equation(), center=cxy, on=_pts(f, skip={center}))
    c = f.p["center"]
    return pb.say(f"caption.{k}", rng, name=f.name, eq=f.equation(), center=f"{c}{pt_text(f.points[c])}",
                  asymptotes=bool(f.p.get("asymptotes", True)))


def _latex(text: str) -> str:
    text = re.sub(r"√(\d+)", r"\\sqrt{\1}", text)
    return text.replace("π", r"\pi ").replace("²", "^2").replace("·", r"\cdot ")


def _exact(ask: Ask) -> str | None:
    a = ask.answer
    if ask.kind == "number":
        return sympy_str(a)
    if ask.kind in ("point", "line", "circle"):
        return "[" + ", ".join(sympy_str(v) for v in a) + "]"
    if ask.kind == "points":
        return "[" + ", ".join("[" + ", ".join(sympy_str(v) for v in p) + "]" for p in a) + "]"
    if ask.kind == "lines":
        return "[" + ", ".join("[" + ", ".join(sympy_str(v) for v in ln) + "]" for ln in a) + "]"
    return None


def _banned(ask: Ask) -> re.Pattern | None:
    """The words a caption may not use on this problem: a word question's closed set (a
    caption that says "above" on a position problem answers it in words)."""
    kind = ask.spec
    if kind is None or kind.kind != "word":
        return None
    words = {kind.write(w) for w in kind.words} | {w for w in kind.words if len(w) > 2}
    return re.compile(r"\b(" + "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def _ok(sentence: str, banned) -> str:
    return "" if banned is not None and banned.search(sentence) else sentence


def _quadrant(x: float, y: float) -> int | None:
    if abs(x) < 1e-9 or abs(y) < 1e-9:
        return None
    return (1 if y > 0 else 4) if x > 0 else (2 if y > 0 else 3)


def _pieces(f: Fig, window) -> list:
    """The straight pieces of a figure's drawn outline (a line: its chord inside the window)."""
    if f.kind == "line":
        (p, q), = f.outline(window)
        t0, t1 = 0.0, 1.0
        for i, (lo, hi) in enumerate(window):          # clip the chord to the window
            d = q[i] - p[i]
            if d == 0:
                continue
            a, b = sorted(((lo - p[i]) / d, (hi - p[i]) / d))
            t0, t1 = max(t0, a), min(t1, b)
        if t0 >= t1:
            return []
        at = [(p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t) for t in (t0, t1)]
        return [tuple(at)]
    return [(a, b) for ln in f.outline(window) for a, b in zip(ln, ln[1:])] or \
        [(pt, pt) for ln in f.outline(window) for pt in ln]


def _quadrants(pieces) -> tuple[list, bool]:
    """(the quadrants the pieces pass through, whether they touch an axis): each piece is cut
    where it crosses an axis and the middle of each part placed."""
    qs, touch = set(), False
    for a, b in pieces:
        ts = {0.0, 1.0}
        for i in (0, 1):
            d = b[i] - a[i]
            if d != 0 and 0 < -a[i] / d < 1:
                ts.add(-a[i] / d)
        ts = sorted(ts)
        for u, v in zip(ts, ts[1:]):
            m = (u + v) / 2
            q = _quadrant(a[0] + (b[0] - a[0]) * m, a[1] + (b[1] - a[1]) * m)
            if q is not None:
                qs.add(q)
        touch = touch or any(abs(c) < 1e-9 for c in (*a, *b))
    return sorted(qs), touch


def _holds_origin(f: Fig) -> bool:
    p = f.p
    if f.kind == "circle":
        return p["h"] ** 2 + p["k"] ** 2 < p["r2"]
    if f.kind == "ellipse":
        return (p["h"] / p["a"]) ** 2 + (p["k"] / p["b"]) ** 2 < 1
    if f.kind == "polygon":
        pts = [(float(x), float(y)) for x, y in f.points.values()]
        signs = {math.copysign(1, (b[0] - a[0]) * (0 - a[1]) - (b[1] - a[1]) * (0 - a[0]))
                 for a, b in zip(pts, pts[1:] + pts[:1])}
        return len(signs) == 1
    return False


def _where(pb, rng, f: Fig, window) -> str:
    """One sentence on where a figure lies: a point's quadrant or axis; the quadrants a
    figure's outline passes through, or that it surrounds the origin; a line's direction
    and the quadrants its drawn part crosses; the way a conic opens."""
    name, nn = f.name, noun(f)
    if f.kind == "point":
        x, y = (float(v) for v in f.points[name])
        if x == 0 and y == 0:
            return pb.say("where.point", rng, kind="origin", name=name)
        if x == 0 or y == 0:
            axis, v = ("y", y) if x == 0 else ("x", x)
            return pb.say("where.point", rng, kind="axis", name=name, axis=axis,
                          sign="positive" if v > 0 else "negative")
        return pb.say("where.point", rng, kind="quadrant", name=name, q=pb.word(f"quadrant{_quadrant(x, y)}"))
    if f.kind in ("hyperbola", "parabola", "ellipse"):
        p = f.p
        if f.kind == "ellipse":
            shape = "wide" if p["a"] > p["b"] else "tall"
        elif f.kind == "hyperbola":
            shape = "sideways" if p["axis"] == "x" else "updown"
        else:
            shape = ("up" if p["p"] > 0 else "down") if p["axis"] == "y" else ("right" if p["p"] > 0 else "left")
        return pb.say(f"where.{f.kind}", rng, kind=shape, name=name)
    qs, touches = _quadrants(_pieces(f, window))
    words = [pb.word(f"quadrant{q}") for q in qs]
    if f.kind == "line":
        a, b = f.p["a"], f.p["b"]
        way = "vertical" if b == 0 else "horizontal" if a == 0 else "rising" if -a / b > 0 else "falling"
        m = abs(a / b) if b != 0 else None
        steep = "" if m is None or way == "horizontal" else "steep" if m >= 2 else "gentle" if m <= sp.Rational(1, 2) \
            else ""
        return pb.say("where.line", rng, kind=way, name=name, steep=steep, qs=words, n=len(words))
    if f.kind != "segment" and _holds_origin(f):
        return pb.say("where.figure", rng, kind="origin", name=name, noun=nn)
    if not words:
        return ""
    kind = ("touch" if touches else "one") if len(words) == 1 else "two" if len(words) == 2 else "more"
    return pb.say("where.figure", rng, kind=kind, name=name, noun=nn,
                  qs=words, n=len(words))


def _ticks(picture, window, step: float) -> tuple[int, bool]:
    """(every how many ticks the axes are numbered, whether no number of that spacing is
    missing), from the tick labels the base image kept."""
    a, _, c, _, e, f = picture.to_pixels
    kept = {"x": set(), "y": set()}
    for lb in picture.labels:
        if lb.kind != "tick":
            continue
        v = float(lb.text.replace("\u2212", "-"))
        cx, cy = (lb.bbox[0] + lb.bbox[2]) / 2, (lb.bbox[1] + lb.bbox[3]) / 2
        kept["x" if abs(a * v + c - cx) < abs(e * v + f - cy) else "y"].add(round(v, 9))
    every = max(label_every(sorted(kept["x"]), step), label_every(sorted(kept["y"]), step))
    full = True
    for axis, (lo, hi) in zip("xy", window):
        sp_ = every * step
        want = {round(k * sp_, 9) for k in range(math.ceil(lo / sp_), math.floor(hi / sp_) + 1) if k != 0}
        full = full and want <= kept[axis]
    return every, full


def _caption(pb, rng, st: AnalyticState, picture) -> str:
    """The base image: the window and its axes, every figure with its coordinates or
    equation and where it lies, the labels, and where two closed figures lie relative to
    each other when that is clear. Never a word of a word question's closed set."""
    (x0, x1), (y0, y1) = st.window
    banned = _banned(st.ask)
    everything = st.figs + st.extras
    cap = [pb.say("caption.window", rng, x0=t(x0), x1=t(x1), y0=t(y0), y1=t(y1), grid=st.grid)]
    origin = any(lb.kind == "axis" and lb.text == "O" for lb in picture.labels)
    every, full = _ticks(picture, st.window, st.step)
    cap.append(pb.say("caption.axes", rng, every=every, full=full, step=int(st.step), origin=origin, grid=st.grid))
    for f in everything:
        cap.append(caption_of(pb, rng, f))
        cap.append(_ok(_where(pb, rng, f, st.window), banned))
    shown = st.hidden["text_lite"]
    given = [f.unit_text(u) if u not in f.points else f"{u}{pt_text(f.points[u])}"
             for f in st.figs for u in f.units() if u in shown]
    named = [f.name for f in everything if f.kind not in ("point", "segment", "polygon")]
    points = [n for f in everything for n in f.points]
    cap.append(pb.say("caption.labels", rng, points=points, n=len(points), named=named, given=given))
    closed = [f for f in everything if f.kind in ("polygon", "circle", "ellipse", "segment")]
    if len(closed) >= 2 and st.ask.qtype != "position":
        f1, f2 = closed[0], closed[1]
        word = clear_direction(f1, f2)
        if word is not None:
            cap.append(_ok(pb.say("caption.relation", rng, f1=f"the {noun(f1)} {f1.name}",
                                  f2=f"the {noun(f2)} {f2.name}", word=word), banned))
    return " ".join(c for c in cap if c)


def _givens(figs: list, hidden: dict) -> list[Given]:
    """One given per unit of each figure: the text states it unless the variant leaves it to
    its image, which then shows it."""
    out = []
    for f in figs:
        for u in f.units():
            exact = (sympy_str(f.sym()) + " = 0"
                     if u == f.name and f.kind in ("circle", "ellipse", "hyperbola", "parabola") else None)
            out.append(Given(f.unit_text(u), u, f.unit_value(u),
                             in_text=frozenset(v for v in VARIANTS if u not in hidden[v]),
                             in_image=frozenset(v for v in VARIANTS if u in hidden[v]), exact=exact))
    return out


def words(job, built, pictures) -> Words:
    st: AnalyticState = built.state
    pb, rng = job.pb, job.rng
    ask, figs, hidden = st.ask, st.figs, st.hidden
    caption = _caption(pb, rng, st, pictures[0])

    # the question
    answer = ask.spec.write(ask.answer)
    choices, answer_index, option_values = None, None, None
    if st.options is not None:
        choices, answer_index, values = st.options
        option_values = [answer_value(ask.kind, v) for v in values]
    ask_text = pb.say(ask.ask[0], rng, **ask.ask[1])
    tail = instruction(pb, rng, choices)
    questions = {}
    for v in VARIANTS:
        descs = [describe(pb, rng, f, hidden[v]) for f in figs]
        parts = [pb.say("desc", rng, figs=descs, n=len(descs))]
        if hidden[v]:
            parts.append(pb.say("desc.read", rng, n=len(hidden[v])))
        parts.append(ask_text)
        questions[v] = " ".join(parts) + "\n" + tail

    # the solution: read what the image holds, then the steps
    steps = [pb.say(slot, rng, **ctx) for slot, ctx in ask.steps]
    final = final_line(pb, rng, answer_index, answer)
    variants = {}
    for v in VARIANTS:
        read = [r for f in figs for r in reading(f, hidden[v])]
        lead = [pb.say("read.given", rng, facts=read, n=len(read))] if read else []
        variants[v] = Variant(questions[v], 1 if v == "vision_dominant" else 0, lead + steps + [final])

    result = Answer(answer, _latex(answer), _exact(ask), round_value(built.problems[0].value))
    return Words(caption, [Worded(ask.qtype, ask.target, _givens(figs, hidden), variants, choices, answer_index,
                                  result, len(ask.steps), option_values=option_values,
                                  image_needed=dict(st.image_needed))])
