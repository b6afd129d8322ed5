"""Coordinate-plane wording: caption, three question variants, solutions, options.

All English lives in ``templates/analytic-geometry/*.yaml``; this module decides what is said.
"""
from __future__ import annotations

import re

from ...exact import sympy_str
from ...problems import instruction, with_options
from ...writing import t
from .figures import Fig, pt_text
from .questions import Ask, answer_text, direction_word
from .sample import VARIANTS

__all__ = ["write"]

LETTERS = "ABCD"
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
    return pb.say("fig.conic", rng, name=f.name, noun=noun(f), eq=eq)


def reading(f: Fig, hidden: set) -> list[str]:
    """The hidden givens of ``f`` as a solution reads them off the figure."""
    out = []
    for u in f.units():
        if u in hidden:
            out.append(f"{u} = {pt_text(f.points[u])}" if u in f.points else f.unit_text(u))
    return out


def caption_of(pb, rng, f: Fig) -> str:
    k = f.kind
    if k == "point":
        return pb.say("caption.point", rng, name=f.name, xy=pt_text(f.points[f.name]))
    if k in ("segment", "polygon"):
        return pb.say(f"caption.{k}", rng, name=f.name, noun=noun(f), points=_pts(f))
    if k == "line":
        through = _pts(f) if f.form == "points" else []
        return pb.say("caption.line", rng, name=f.name, eq=f.equation(), through=through)
    if k == "circle":
        import sympy as sp
        center = f.p["center"]
        return pb.say("caption.circle", rng, name=f.name, eq=f.equation(),
                      center=f"{center}{pt_text((f.p['h'], f.p['k']))}", r=t(sp.sqrt(f.p["r2"])),
                      on=_pts(f, skip={center}))
    return pb.say(f"caption.{k}", rng, name=f.name, eq=f.equation(), center=pt_text((f.p["h"], f.p["k"])))


def _latex(text: str) -> str:
    text = re.sub(r"√(\d+)", r"\\sqrt{\1}", text)
    return text.replace("π", r"\pi ").replace("²", "^2").replace("·", r"\cdot ")


def write(rule, rng, ask: Ask, figs: list, extras: list, hidden: dict, scene, base, window, value, err,
          options) -> dict:
    spec = rule.spec
    pb = options.phrasebook_for(rule)
    (x0, x1), (y0, y1) = window

    # caption: the base image, every figure with its coordinates or equation
    everything = figs + extras
    cap = [pb.say("caption.window", rng, x0=t(x0), x1=t(x1), y0=t(y0), y1=t(y1),
                  grid=scene["objects"][0]["grid"])]
    cap += [caption_of(pb, rng, f) for f in everything]
    closed = [f for f in everything if f.kind in ("polygon", "circle", "ellipse", "segment")]
    if len(closed) >= 2 and ask.qtype != "position":
        f1, f2 = closed[0], closed[1]
        a1, a2 = f1.anchor(), f2.anchor()
        word = direction_word((a1[0] - a2[0], a1[1] - a2[1]))
        if word is not None:
            cap.append(pb.say("caption.relation", rng, f1=f"the {noun(f1)} {f1.name}",
                              f2=f"the {noun(f2)} {f2.name}", word=word))
    caption = " ".join(cap)

    # the question
    answer = answer_text(ask.kind, ask.answer)
    mc, choices, answer_index = with_options(bool(rng.random() < spec.multiple_choice), ask.wrong,
                                             lambda w: answer_text(ask.kind, w), rng, answer)
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
    final = f"Answer: {LETTERS[answer_index]}" if mc else pb.say("answer.free", rng, answer=answer)
    solutions = {}
    for v in VARIANTS:
        read = [r for f in figs for r in reading(f, hidden[v])]
        lead = [pb.say("read.given", rng, facts=read, n=len(read))] if read else []
        solutions[v] = lead + steps + [final]

    givens = []
    for f in figs:
        for u in f.units():
            g = {"fact": f.unit_text(u), "quantity": u, "value": f.unit_value(u)}
            if u == f.name and f.kind in ("circle", "ellipse", "hyperbola", "parabola"):
                g["exact"] = sympy_str(f.sym()) + " = 0"
            g["in_text"] = {v: u not in hidden[v] for v in VARIANTS}
            g["in_image"] = {v: u in hidden[v] for v in VARIANTS}
            givens.append(g)
    problem = {
        "question_type": ask.qtype,
        "target": ask.target,
        "givens": givens,
        "variants": {v: {"question": questions[v], "image": 0 if v != "vision_dominant" else 1,
                         "solution": solutions[v]} for v in VARIANTS},
        "choices": choices,
        "answer_index": answer_index,
        "answer": {"text": answer, "latex": _latex(answer), "exact": _exact(ask),
                   "value": value if not isinstance(value, float) else round(value, 12)},
        "solution": solutions["text_dominant"],
        "steps": len(ask.steps),
        "verified": {"exact": True, "numeric": True, "max_abs_err": float(f"{err:.3g}")},
    }
    return {"caption": caption,
            "scene": dict(scene, to_pixels=[round(v, 9) for v in base.to_pixels]),
            "labels": [lb.record() for lb in base.labels],
            "problems": [problem]}


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
