"""Function-graph wording: caption, three question variants, solutions, options.

All English lives in ``templates/function/*.yaml``; this module decides what is said.
"""
from __future__ import annotations

import sympy as sp

from ...exact import sympy_str, to_float
from ...problems import instruction, with_options
from .families import Fn, t
from .questions import Ask
from .sample import VARIANTS, answer_exact, answer_latex, answer_text, rule_decimals

__all__ = ["write"]

LETTERS = "ABCD"


def _pt(x, y) -> str:
    return f"({t(x)}, {t(y)})"


def _reading(pb, rng, fn: Fn, hidden: tuple, marks: list) -> list[str]:
    """Steps that read the marked points and solve for the hidden letters."""
    if not hidden:
        return []
    pts = [_pt(x, y) for x, y in marks]
    eqs = [f"{t(y)} = {fn.text_at(x, f'({t(x)})', hidden)}" for x, y in marks]
    sols = [f"{h} = {t(fn.param_value(h))}" for h in hidden]
    return [pb.say("read.points", rng, points=pts, n=len(pts)),
            pb.say("solve.letters", rng, form=fn.text(hidden=hidden), equations=eqs, solutions=sols,
                   n=len(hidden)),
            pb.say("so.f", rng, expr=fn.text())]


def write(rule, rng, fn: Fn, ask: Ask, hidden: dict, marks: dict, scene, labels, px, value, err,
          options) -> dict:
    spec = rule.spec
    pb = options.phrasebook_for(rule)
    noun = pb.word(fn.family, rng)
    w = fn.window
    feats = fn.features

    # caption: what the base image shows
    cap = [pb.say("caption.graph", rng, noun=noun, expr=fn.text(), lo=t(w[0]), hi=t(w[1]))]
    if feats.zeros:
        cap.append(pb.say("caption.zeros", rng, xs=[t(z) for z in feats.zeros]))
    if feats.extrema:
        pts = [_pt(x, y) for x, y, _ in feats.extrema][:4]
        cap.append(pb.say("caption.extrema", rng, points=pts, more=len(feats.extrema) > 4))
    for x in feats.vertical:
        cap.append(pb.say("caption.asymptote", rng, line=f"x = {t(x)}"))
    if feats.horizontal is not None:
        cap.append(pb.say("caption.asymptote", rng, line=f"y = {t(feats.horizontal)}"))
    if marks["base"]:
        cap.append(pb.say("caption.marks", rng, points=[_pt(x, y) for x, y in marks["base"]],
                          n=len(marks["base"])))
    caption = " ".join(cap)

    # the question
    answer = answer_text(ask, decimals=rule_decimals(spec))
    mc = ask.kind == "choice" or bool(rng.random() < spec.multiple_choice)
    choices = answer_index = None
    if ask.kind == "choice":            # matching the graph is a choice by nature
        choices, answer_index = list(ask.choices), ask.answer
    else:
        mc, choices, answer_index = with_options(mc, ask.wrong, lambda w: answer_text(ask, w, rule_decimals(spec)),
                                                 rng, answer)
    ask_text = pb.say(ask.ask[0], rng, **ask.ask[1])
    tail = instruction(pb, rng, choices)
    n_marks = {"text_dominant": len(marks["td"]), "text_lite": len(marks["base"]),
               "vision_dominant": len(marks["vd"])}
    questions = {}
    for v in VARIANTS:
        parts = [pb.say("desc", rng, expr=fn.text(hidden=hidden[v]), noun=noun,
                        letters=list(hidden[v]))]
        if n_marks[v]:
            parts.append(pb.say("marks", rng, n=n_marks[v]))
        parts.append(ask_text)
        questions[v] = " ".join(parts) + "\n" + tail

    # the solution
    steps = [pb.say(slot, rng, **ctx) for slot, ctx in ask.steps]
    final = f"Answer: {LETTERS[answer_index]}" if mc else pb.say("answer.free", rng, answer=answer)
    reads = {"text_dominant": marks["td"], "text_lite": marks["base"], "vision_dominant": marks["vd"]}
    solutions = {v: _reading(pb, rng, fn, hidden[v], reads[v]) + steps + [final] for v in VARIANTS}

    givens = []
    for h in fn.letters:
        givens.append({"fact": f"{h} = {t(fn.param_value(h))}", "quantity": h,
                       "value": round(to_float(fn.param_value(h)), 12),
                       "exact": sympy_str(sp.nsimplify(fn.param_value(h))),
                       "in_text": {v: h not in hidden[v] for v in VARIANTS},
                       "in_image": {v: h in hidden[v] for v in VARIANTS}})
    problem = {
        "question_type": ask.qtype,
        "target": ask.target,
        "givens": givens,
        "variants": {v: {"question": questions[v], "image": 0 if v != "vision_dominant" else 1,
                         "solution": solutions[v]} for v in VARIANTS},
        "choices": choices,
        "answer_index": answer_index,
        "answer": {"text": answer, "latex": answer_latex(ask), "exact": answer_exact(ask),
                   "value": value if not isinstance(value, float) else round(value, 12)},
        "solution": solutions["text_dominant"],
        "steps": len(ask.steps),
        "verified": {"exact": True, "numeric": True, "max_abs_err": float(f"{err:.3g}")},
    }
    return {"caption": caption,
            "scene": dict(scene, to_pixels=[round(v, 9) for v in px]),
            "labels": [lb.record() for lb in labels],
            "problems": [problem]}
