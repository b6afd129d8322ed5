"""Coordinate-plane wording: caption, three question variants, solutions, options.

All English lives in ``templates/analytic-geometry/*.yaml``; this module decides what is said.
"""
from __future__ import annotations

import re

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
from .questions import Ask, answer_value, direction_word

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


def _caption(pb, rng, st: AnalyticState) -> str:
    """The base image: the window, every figure with its coordinates or equation, and where
    the first two closed figures lie relative to each other."""
    (x0, x1), (y0, y1) = st.window
    everything = st.figs + st.extras
    cap = [pb.say("caption.window", rng, x0=t(x0), x1=t(x1), y0=t(y0), y1=t(y1), grid=st.grid)]
    cap += [caption_of(pb, rng, f) for f in everything]
    closed = [f for f in everything if f.kind in ("polygon", "circle", "ellipse", "segment")]
    if len(closed) >= 2 and st.ask.qtype != "position":
        f1, f2 = closed[0], closed[1]
        a1, a2 = f1.anchor(), f2.anchor()
        word = direction_word((a1[0] - a2[0], a1[1] - a2[1]))
        if word is not None:
            cap.append(pb.say("caption.relation", rng, f1=f"the {noun(f1)} {f1.name}",
                              f2=f"the {noun(f2)} {f2.name}", word=word))
    return " ".join(cap)


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
    caption = _caption(pb, rng, st)

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
