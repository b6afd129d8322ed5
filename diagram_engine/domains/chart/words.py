"""Chart wording: the caption, the question in three variants, the solution, the choices.

Variants: the givens are the table values the solution reads. ``text_dominant`` states them
all, ``text_lite`` all but one, ``vision_dominant`` none; the chart prints every value a
question needs (value labels), so one image serves the three variants. Questions that need
no printed value (the largest category, how many series) ask about the picture alone. All
English lives in ``templates/chart/*.yaml``.
"""
from __future__ import annotations

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
    with_options,
)
from ...exact import fmt_latex, sympy_str
from ...writing import t
from .build import ROUND, ChartState
from .data import Table
from .questions import AXIS, CAsk, answer_value, round_text, value_text

__all__ = ["answer_text", "words"]


def answer_text(ask: CAsk, pb=None, rng=None, a=None) -> str:
    """The answer (or the wrong answer ``a``) as written."""
    a = ask.answer if a is None else a
    if ask.kind == "word":
        return str(a)
    if ask.kind == "pair":
        return pb.say("answer.pair", rng, a=a[0], b=a[1])
    if ask.kind == "count":
        return t(sp.Integer(a))
    return round_text(a) + ("%" if ask.percent else "")


def _exact(ask: CAsk) -> str | None:
    if ask.kind in ("number", "count"):
        return sympy_str(sp.nsimplify(ask.answer))
    return None


def _latex(ask: CAsk, answer: str) -> str:
    if ask.kind in ("number", "count") and not ask.percent:
        v = sp.nsimplify(ask.answer)
        if v.is_Integer:
            return fmt_latex(v)
    return answer.replace("%", r"\%")


class _Facts:
    """How the givens of a question read: the fact, its quantity and its value."""

    def __init__(self, pb, rng, table: Table, ask: CAsk, vt: list[list[str]]):
        self.pb, self.rng, self.table, self.ask, self.vt = pb, rng, table, ask, vt
        self.axis = f"{table.measure} ({table.unit})"

    def fact(self, g) -> str:
        tb = self.table
        if g == AXIS:
            return self.pb.say("fact.axis", self.rng, axis=self.axis)
        if g[0] == "colour":
            return self.pb.say("fact.colour", self.rng, what=self.ask.extra["what"], colour=self.ask.extra["name"])
        s, c = g
        return self.pb.say("fact.value", self.rng, series=tb.series[s], category=tb.categories[c],
                           value=self.vt[s][c], many=len(tb.series) > 1)

    def quantity(self, g) -> str:
        if g[0] == "colour":
            return f"colour|{self.ask.extra['what']}"
        return "value axis" if g == AXIS else f"{self.table.series[g[0]]}|{self.table.categories[g[1]]}"

    def value(self, g):
        if g[0] == "colour":
            return self.ask.extra["name"]
        return self.axis if g == AXIS else float(self.table.values[g[0]][g[1]])


def words(job, built, pictures) -> Words:
    st: ChartState = built.state
    pb, rng, spec = job.pb, job.rng, job.spec
    kind, table, ask = st.kind, st.table, st.ask
    noun = pb.say("noun." + kind, rng)
    vt = [[value_text(v, table.decimals) for v in row] for row in table.values]
    caption = _caption(pb, rng, kind, table, st.title, noun, vt, built.scene)
    answer, choices, answer_index, ask_text, tail = _question(pb, rng, spec, ask)
    givens = list(ask.givens)
    lite = givens[int(rng.integers(len(givens)))] if givens else None
    hidden = {"text_dominant": set(), "text_lite": {lite} if lite else set(), "vision_dominant": set(givens)}
    facts = _Facts(pb, rng, table, ask, vt)
    steps = [pb.say(slot, rng, **ctx) for slot, ctx in ask.steps]
    final = final_line(pb, rng, answer_index, answer)
    variants = _variants(pb, rng, kind, table, st.title, noun, facts, givens, hidden, ask_text, tail,
                         steps + [final])
    given_records = _givens(facts, givens, hidden)
    result = Answer(answer, _latex(ask, answer), _exact(ask), round_value(answer_value(ask)))
    return Words(caption, [Worded(ask.qtype, ask.target, given_records, variants, choices, answer_index, result,
                                  len(ask.steps))])


def _caption(pb, rng, kind: str, table: Table, title: str, noun: str, vt, scene: dict) -> str:
    """The chart, its axes and series, every value, the main feature, the colours."""
    topic = table.topic
    chart = next(o for o in scene["objects"] if o["type"] == "chart")
    cnoun = getattr(topic, "category_noun", "")
    if kind == "histogram":
        cap = [pb.say("caption.histogram", rng, noun=noun, title=title, variable=topic.variable, unit=topic.unit,
                      count_noun=topic.noun, n=len(chart["sample"]), bins=len(table.categories),
                      lo=table.categories[0].split("–")[0], hi=table.categories[-1].split("–")[1],
                      pairs=[f"{c}: {v}" for c, v in zip(table.categories, vt[0])])]
    elif kind == "box":
        cap = [pb.say("caption.box", rng, noun=noun, title=title, measure=table.measure, unit=table.unit,
                      groups=list(table.categories), gnoun=topic.series.noun)]
        cap += [pb.say("caption.box-values", rng, group=g, stats=[vt[k][c] for k in range(5)])
                for c, g in enumerate(table.categories)]
    else:
        cap = [pb.say("caption.chart", rng, noun=noun, title=title, measure=table.measure, unit=table.unit,
                      cnoun=cnoun, categories=list(table.categories), series=list(table.series),
                      many=len(table.series) > 1, pie=kind in ROUND)]
    series_rows = [] if kind in ("histogram", "box") else list(enumerate(table.series))
    for i, name in series_rows:
        cap.append(pb.say("caption.values", rng, series=name, many=len(table.series) > 1, unit=table.unit,
                          pairs=[f"{c}: {v}" for c, v in zip(table.categories, vt[i])], pie=kind in ROUND))
        if table.ordered and len(table.categories) > 2:
            row = [float(v) for v in table.values[i]]
            trend = pb.say("trend." + ("up" if row[-1] > row[0] else "down" if row[-1] < row[0] else "flat"), rng)
            top = max(range(len(row)), key=lambda j: row[j])
            cap.append(pb.say("caption.trend", rng, series=name, many=len(table.series) > 1, trend=trend,
                              first=table.categories[0], last=table.categories[-1], vfirst=vt[i][0],
                              vlast=vt[i][-1], top=table.categories[top], vtop=vt[i][top]))
    with_names = [o for o in scene["objects"] if o.get("color_names")]
    if with_names:
        parts = (list(zip(table.categories, with_names[0]["color_names"])) if kind in ROUND else
                 [(o["name"], o["color_names"][0]) for o in with_names])
        cap.append(pb.say("caption.colours", rng, pairs=[{"what": w, "colour": c} for w, c in parts],
                          pie=kind in ROUND))
    return " ".join(cap)


def _question(pb, rng, spec, ask: CAsk):
    """(answer text, choices, answer index, the sentence that asks, the instruction line)."""
    answer = answer_text(ask, pb, rng)
    _, choices, answer_index = with_options(bool(rng.random() < spec.multiple_choice) or ask.kind == "pair",
                                            ask.wrong, lambda w: answer_text(ask, pb, rng, w), rng, answer)
    ask_text = pb.say(ask.ask[0], rng, **ask.ask[1])
    tail = instruction(pb, rng, choices)
    return answer, choices, answer_index, ask_text, tail


def _variants(pb, rng, kind: str, table: Table, title: str, noun: str, facts: _Facts, givens: list, hidden: dict,
              ask_text: str, tail: str, solution: list[str]) -> dict[str, Variant]:
    """Each variant's question (the givens it states, then the ask) and solution (the givens
    it reads off the chart, then the steps)."""
    cnoun = getattr(table.topic, "category_noun", "")
    out = {}
    for v in VARIANTS:
        stated = [facts.fact(g) for g in givens if g not in hidden[v]]
        parts = [pb.say("desc", rng, noun=noun, title=title, measure=table.measure, unit=table.unit,
                        cnoun=cnoun)]
        if stated:
            parts.append(pb.say("desc.values", rng, facts=stated, unit=table.unit))
        parts.append(ask_text)
        read = [facts.fact(g) for g in givens if g in hidden[v]]
        lead = [pb.say("read.values", rng, facts=read, unit=table.unit)] if read else []
        out[v] = Variant(" ".join(parts) + "\n" + tail, 0, lead + solution)
    return out


def _givens(facts: _Facts, givens: list, hidden: dict) -> list[Given]:
    """The givens: every variant's image shows them; the text of those that do not hide them."""
    return [Given(facts.fact(g), facts.quantity(g), facts.value(g),
                  in_text=frozenset(v for v in VARIANTS if g not in hidden[v]), in_image=frozenset(VARIANTS))
            for g in givens]
