"""Function-graph wording: caption, three question variants, solutions, options, the answer
in its forms.

All English lives in ``templates/function/*.yaml``; this module decides what is said.
"""
from __future__ import annotations

import re

import sympy as sp

from ...core import (VARIANTS, Answer, Given, Variant, Words, Worded, final_line, instruction, round_value,
                     with_options)
from ...exact import fmt_decimal, fmt_latex, sympy_str, to_float
from .build import FunctionState
from .families import Fn, t
from .questions import Ask, domain_text, interval_text, line_text

__all__ = ["words", "answer_text", "answer_latex", "answer_exact"]


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


def words(job, built, pictures) -> Words:
    st: FunctionState = built.state
    rng, spec, pb = job.rng, job.spec, job.pb
    fn, ask, hidden, marks = st.fn, st.ask, st.hidden, st.marks
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
    decimals = rule_decimals(spec)
    answer = answer_text(ask, decimals=decimals)
    mc = ask.kind == "choice" or bool(rng.random() < spec.multiple_choice)
    choices = answer_index = None
    if ask.kind == "choice":            # matching the graph is a choice by nature
        choices, answer_index = list(ask.choices), ask.answer
    else:
        mc, choices, answer_index = with_options(mc, ask.wrong, lambda v: answer_text(ask, v, decimals),
                                                 rng, answer)
    ask_text = pb.say(ask.ask[0], rng, **ask.ask[1])
    tail = instruction(pb, rng, choices)
    reads = {"text_dominant": marks["td"], "text_lite": marks["base"], "vision_dominant": marks["vd"]}
    questions = {}
    for v in VARIANTS:
        parts = [pb.say("desc", rng, expr=fn.text(hidden=hidden[v]), noun=noun,
                        letters=list(hidden[v]))]
        if reads[v]:
            parts.append(pb.say("marks", rng, n=len(reads[v])))
        parts.append(ask_text)
        questions[v] = " ".join(parts) + "\n" + tail

    # the solution
    steps = [pb.say(slot, rng, **ctx) for slot, ctx in ask.steps]
    final = final_line(pb, rng, answer_index if mc else None, answer)
    solutions = {v: _reading(pb, rng, fn, hidden[v], reads[v]) + steps + [final] for v in VARIANTS}

    givens = [Given(f"{h} = {t(fn.param_value(h))}", h, round(to_float(fn.param_value(h)), 12),
                    frozenset(v for v in VARIANTS if h not in hidden[v]),
                    frozenset(v for v in VARIANTS if h in hidden[v]),
                    sympy_str(sp.nsimplify(fn.param_value(h))))
              for h in fn.letters]
    value = built.problems[0].value
    problem = Worded(ask.qtype, ask.target, givens,
                     {v: Variant(questions[v], 0 if v != "vision_dominant" else 1, solutions[v]) for v in VARIANTS},
                     choices, answer_index,
                     Answer(answer, answer_latex(ask), answer_exact(ask), round_value(value)), len(ask.steps))
    return Words(caption, [problem])


def answer_text(ask: Ask, value=None, decimals: int | None = None) -> str:
    """``value`` (the answer by default) written as an answer of ``ask``'s kind; a number as a
    decimal with ``decimals`` places when given (rules with ``answer: decimal``)."""
    a = ask.answer if value is None else value
    if decimals is not None and ask.kind == "number":
        return fmt_decimal(to_float(a), decimals)
    if ask.kind == "number":
        return t(a)
    if ask.kind == "numbers":
        return ", ".join(t(v) for v in a)
    if ask.kind == "intervals":
        return " ∪ ".join(interval_text(lo, hi) for lo, hi in a)
    if ask.kind == "line":
        return line_text(*a)
    if ask.kind == "pair":
        return interval_text(*a)
    if ask.kind == "domain":
        return domain_text(a)
    if ask.kind == "choice":
        return ask.choices[a]
    return str(a)


def rule_decimals(spec) -> int | None:
    return spec.decimals if spec.answer == "decimal" else None


def _exact(v) -> sp.Expr:
    # nsimplify would rewrite 3·ln(2)/2 as ln(2√2): only plain Python numbers go through it
    return v if isinstance(v, sp.Basic) else sp.nsimplify(v)


def answer_latex(ask: Ask) -> str:
    a = ask.answer
    if ask.kind == "number":
        return fmt_latex(_exact(a))
    if ask.kind == "numbers":
        return ", ".join(fmt_latex(_exact(v)) for v in a)
    text = re.sub(r"\bln ", r"\\ln ", answer_text(ask))
    return text.replace("π", r"\pi ").replace("∞", r"\infty").replace("∪", r"\cup")


def answer_exact(ask: Ask) -> str | None:
    a = ask.answer
    if ask.kind == "number":
        return sympy_str(_exact(a))
    if ask.kind == "numbers":
        return "[" + ", ".join(sympy_str(_exact(v)) for v in a) + "]"
    return None
