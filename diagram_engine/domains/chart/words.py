"""Chart wording: the caption, the question in three variants, the solution, the choices.

Variants: the givens are the table values a solution works from. ``text_dominant`` states
them all, ``text_lite`` all but one (one whose change moves the answer; every one when the
answer is a category or a series), ``vision_dominant`` none, and not the chart's title or
measure either; the chart prints every value a worked-out question needs (value labels), so
one image serves the three variants. A recognition question (read a value, the largest
category, a colour, the number of series, the axis label) states its answer in no variant:
every variant reads it off the chart, and text_dominant states only what the reading starts
from (the value axis, the legend: ``_context``). Each solution reads what its variant leaves
to the chart, then works in at least two steps. All English lives in
``templates/chart/*.yaml``; the words a sample's phrasings share (the chart's noun, the
category noun and its plural, the measure with its unit, where the series are named) are
worked out once here (:class:`_Nouns`), so every sentence of a sample says them alike.
"""
from __future__ import annotations

import numpy as np

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
from ...exact import fmt_latex, sympy_str
from .build import ROUND, ChartState
from .data import Table
from .questions import CAsk, answer_text, answer_value, exact_number, value_text
from .vocabulary import unit_repeats_measure

__all__ = ["answer_text", "lower", "plural", "quantity", "words"]

# the kinds that draw no legend: their series are named on an axis (bubble rows, heat-map rows),
# in the panel titles, or there are none (box plots: the groups are the categories)
NO_LEGEND = ("bubble", "heatmap", "panels", "box", "histogram")
SCALES = ("thousand", "million", "billion")


def _exact(ask: CAsk) -> str | None:
    if ask.kind in ("number", "count"):
        return sympy_str(exact_number(ask.answer))
    return None


def _latex(ask: CAsk, answer: str) -> str:
    if ask.kind in ("number", "count") and not ask.percent:
        v = exact_number(ask.answer)
        if v.is_Integer:
            return fmt_latex(v)
    return answer.replace("%", r"\%")


def lower(text: str) -> str:
    """``text`` in lower case for the middle of a sentence, but with its acronyms kept: a word
    with two capitals or a capital and a digit stays as it is (GDP growth, R&D spending, CO2)."""
    def one(w: str) -> str:
        caps = sum(ch.isupper() for ch in w)
        return w if caps >= 2 or (caps and any(ch.isdigit() for ch in w)) else w.lower()
    return " ".join(one(w) for w in text.split(" "))


def plural(noun: str) -> str:
    """The plural of a vocabulary noun (its last word): cities, boxes, years, age groups, cafés;
    a noun that already ends in s (species, series) stays."""
    if noun.endswith(("ss", "sh", "ch", "x")):
        return noun + "es"
    if noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def quantity(measure: str, unit: str) -> tuple[str, str]:
    """The measure with its unit, as a sentence says it (``visitors in thousands``, ``GDP
    growth in percent``, ``goals``) and in brackets (``visitors (thousands)``, ``GDP growth
    (%)``, ``goals``). A unit that only repeats the measure is left out (no "goals in goals"),
    a scale of the measure's own noun is said as a scale ("thousand visitors" of visitors:
    thousands), a rate of it joins it (hospital beds per 1,000 people)."""
    m = lower(measure)
    if unit_repeats_measure(measure, unit):
        return m, m
    words = unit.split()
    own = {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in m.lower().split()}
    head = words[0].lower()
    if unit == "%":
        return f"{m} in percent", f"{m} (%)"
    if unit.startswith("% of "):
        return f"{m} as a percentage of {unit[5:]}", f"{m} ({unit})"
    if head in SCALES and len(words) == 2 and words[1].rstrip("s").lower() in own:
        return f"{m} in {head}s", f"{m} ({head}s)"
    if head in SCALES and len(words) >= 2:
        return f"{m} in {head}s of {' '.join(words[1:])}", f"{m} ({unit})"
    if len(words) >= 3 and words[1] == "per" and head.rstrip("s") in own:
        return f"{m} {' '.join(words[1:])}", f"{m} {' '.join(words[1:])}"
    if unit.startswith("out of "):
        return f"{m} {unit}", f"{m} ({unit})"
    return f"{m} in {unit}", f"{m} ({unit})"


class _Nouns:
    """The words every phrasing of one sample shares, drawn once: the chart's noun, what one
    value is drawn as (``mark``, ``marks``) and where it is measured (``place``), the nouns of
    the category axis and of the series with their plurals, the measure with its unit, and
    where the series are named (``named``: the legend, the row labels, the panel titles;
    ``legend``: whether the chart has a legend)."""

    def __init__(self, pb, rng, kind: str, table: Table, value_axis: str):
        topic = table.topic
        self.kind, self.pie = kind, kind in ROUND
        self.noun = pb.say("noun." + kind, rng)
        self.mark = pb.say("mark." + kind, rng)
        self.marks = plural(self.mark)
        self.place = pb.say("place." + kind, rng)
        self.named = pb.say("named." + kind, rng)
        self.legend = kind not in NO_LEGEND and len(table.series) > 1
        hist = hasattr(topic, "widths")
        # the category axis: a 100% bar chart's and a box plot's categories are the topic's
        # series (the wholes, the groups), a histogram's its bins
        if hist:
            self.cnoun = "bin"
        elif kind in ("percent", "box"):
            self.cnoun = topic.series.noun
        else:
            self.cnoun = topic.category_noun
        self.snoun = "series" if hist or kind == "box" else (topic.category_noun if kind == "percent"
                                                              else topic.series.noun)
        self.cnouns, self.snouns = plural(self.cnoun), plural(self.snoun)
        if hist:                        # the count axis: "Number of patients"
            self.quantity = self.quantity_p = lower(value_axis)
        else:
            self.quantity, self.quantity_p = quantity(table.measure, table.unit)
        self.measure = lower(table.measure)
        self.ordered = table.ordered

    def ctx(self) -> dict:
        return {k: getattr(self, k) for k in ("noun", "mark", "marks", "place", "named", "legend", "cnoun", "cnouns",
                                              "snoun", "snouns", "quantity", "quantity_p", "measure", "pie",
                                              "ordered")}


def _context(ask: CAsk, kind: str) -> list:
    """The descriptive givens of a question that reads its answer off the chart (it has no
    table cell to state: stating the asked cell would state the answer): what its reading
    starts from, which text_dominant states and the other variants leave to the picture. The
    value axis a value is read against, the whole a slice is part of, the legend a colour is
    found in, the categories a count or the axis label is asked beside."""
    if ask.givens:
        return []
    if ask.qtype == "colour":
        return [("legend",)]
    if ask.qtype in ("series-count", "axis-measure"):
        return [("categories",)]
    return [("whole",)] if kind in ROUND else [("axis",)]


class _Facts:
    """How the givens of a question read: the fact, its quantity and its value. A given is a
    table cell (series, category) or a descriptive one (``_context``). A given reads the same
    wherever the sample states it (the question, the reading step, the record's givens)."""

    def __init__(self, pb, rng, table: Table, vt: list[list[str]], nouns: _Nouns, value_axis: str):
        self.pb, self.rng, self.table, self.vt, self.nouns = pb, rng, table, vt, nouns
        self.pie = nouns.pie
        self.value_axis = value_axis
        self._said: dict = {}
        self._style = int(rng.integers(2 ** 31))     # one phrasing of fact.value for every value of the sample

    def _described(self, key: str):
        tb = self.table
        return {"axis": self.value_axis, "whole": "100%",
                "legend": list(tb.categories if self.pie else tb.series), "categories": list(tb.categories)}[key]

    def fact(self, g) -> str:
        if g not in self._said:
            self._said[g] = self._say(g)
        return self._said[g]

    def _say(self, g) -> str:
        tb, n = self.table, self.nouns
        if len(g) == 1:
            return self.pb.say("fact." + g[0], self.rng, value=self._described(g[0]), **n.ctx())
        s, c = g
        return self.pb.say("fact.value", np.random.default_rng(self._style), series=tb.series[s],
                           category=tb.categories[c],
                           value=self.vt[s][c], many=len(tb.series) > 1)

    def quantity(self, g) -> str:
        if len(g) == 1:
            return {"axis": "value axis", "whole": "whole", "legend": "legend", "categories": "categories"}[g[0]]
        return f"{self.table.series[g[0]]}|{self.table.categories[g[1]]}"

    def value(self, g):
        if len(g) == 1:
            v = self._described(g[0])
            return ", ".join(v) if isinstance(v, list) else v
        return float(self.table.values[g[0]][g[1]])


def words(job, built, pictures) -> Words:
    st: ChartState = built.state
    pb, rng = job.pb, job.rng
    kind, table, ask = st.kind, st.table, st.ask
    chart = built.scene["objects"][-1]
    nouns = _Nouns(pb, rng, kind, table, chart["value_axis"])
    vt = [[value_text(v, table.decimals) for v in row] for row in table.values]
    caption = _caption(pb, rng, nouns, table, st.title, vt, built.scene, ask, st.printed)
    answer = answer_text(ask, pb, rng)
    choices, answer_index, option_values = st.options if st.options is not None else (None, None, None)
    common = {**nouns.ctx(), "chart": nouns.noun, "many": len(table.series) > 1, "labels": chart["value_labels"]}
    ask_text = pb.say(ask.ask[0], rng, **{**common, **ask.ask[1]})
    tail = instruction(pb, rng, choices)
    context = _context(ask, kind)
    givens = list(ask.givens) + context
    hidden = {v: set(cells) | (set(context) if v != "text_dominant" else set()) for v, cells in st.hidden.items()}
    facts = _Facts(pb, rng, table, vt, nouns, chart["value_axis"])
    steps = [pb.say(slot, rng, kind=kind, **{**common, **ctx}) for slot, ctx in ask.steps]
    final = final_line(pb, rng, answer_index, answer)
    variants = _variants(pb, rng, nouns, table, st.title, facts, givens, hidden, ask, ask_text, tail,
                         steps + [final])
    given_records = _givens(facts, givens, hidden)
    result = Answer(answer, _latex(ask, answer), _exact(ask), round_value(answer_value(ask)))
    return Words(caption, [Worded(ask.qtype, ask.target, given_records, variants, choices, answer_index, result,
                                  len(ask.steps), option_values=option_values, image_needed=st.image_needed)])


def _caption(pb, rng, nouns: _Nouns, table: Table, title: str, vt, scene: dict, ask: CAsk,
             printed: frozenset) -> str:
    """The chart, its axes and series, the values it prints (of a series whose values are not
    printed, the order of its categories instead: the caption says what the picture shows,
    and a value drawn only as a bar's height would be a hidden fact), the main feature, the
    colours (but not when the colour is asked: a colour's name is drawn nowhere, so the
    caption would be the only place that names it). When the question asks for the largest or
    smallest, no ranking or peak is stated: the caption would answer it in words."""
    kind, topic = nouns.kind, table.topic
    n = nouns.ctx()
    shown = [all((i, c) in printed for c in range(len(table.categories))) for i in range(len(table.series))]
    ranked = ask.qtype != "extreme"
    many = len(table.series) > 1

    def order(i: int) -> list[str]:
        return [table.categories[c] for c in sorted(range(len(table.categories)), key=lambda c: -table.values[i][c])]
    if kind == "histogram":
        bins = [c.replace("–", " to ") for c in table.categories]     # a bin by its drawn edges
        tallest = [bins[table.categories.index(c)] for c in order(0)]
        cap = [pb.say("caption.histogram", rng, title=title, variable=lower(topic.variable), unit=topic.unit,
                      count_noun=topic.noun, bins=len(table.categories), lo=table.categories[0].split("–")[0],
                      hi=table.categories[-1].split("–")[1], **n)]
        if shown[0]:
            cap.append(pb.say("caption.histogram.counts", rng, pairs=[f"{c}: {v}" for c, v in zip(bins, vt[0])], **n))
        elif ranked:
            cap.append(pb.say("caption.histogram.order", rng, order=tallest, count_noun=topic.noun, **n))
        else:
            cap.append(pb.say("caption.histogram.unprinted", rng, **n))
    elif kind == "box":
        cap = [pb.say("caption.box", rng, title=title, groups=list(table.categories), **n)]
        if all(shown):
            cap += [pb.say("caption.box-values", rng, group=g, stats=[vt[k][c] for k in range(5)])
                    for c, g in enumerate(table.categories)]
        elif ranked:
            cap.append(pb.say("caption.box-order", rng, groups=order(2), **n))
    else:
        cap = [pb.say("caption.chart", rng, kind=kind, title=title, categories=list(table.categories), many=many,
                      **n)]
        if many:
            cap.append(pb.say("caption.series", rng, kind=kind, series=list(table.series), **n))
    series_rows = [] if kind in ("histogram", "box") else list(enumerate(table.series))
    for i, name in series_rows:
        if shown[i]:
            pct = "%" if nouns.pie else ""
            cap.append(pb.say("caption.values", rng, series=name, many=many, unit=table.unit,
                              pairs=[f"{c}: {v}{pct}" for c, v in zip(table.categories, vt[i])], **n))
        elif ranked:
            cap.append(pb.say("caption.order", rng, series=name, many=many, order=order(i), **n))
        else:
            cap.append(pb.say("caption.unprinted", rng, series=name, many=many, **n))
        if table.ordered and len(table.categories) > 2:
            row = [float(v) for v in table.values[i]]
            trend = pb.say("trend." + ("up" if row[-1] > row[0] else "down" if row[-1] < row[0] else "flat"), rng)
            top = max(range(len(row)), key=lambda j: row[j])
            slot = "caption.trend" if shown[i] else "caption.trend.plain"
            cap.append(pb.say(slot if ranked else slot + ".bare", rng, series=name, many=many,
                              trend=trend, first=table.categories[0], last=table.categories[-1], vfirst=vt[i][0],
                              vlast=vt[i][-1], top=table.categories[top], vtop=vt[i][top], **n))
    with_names = [o for o in scene["objects"] if o.get("color_names")]
    if with_names and ask.qtype != "colour":
        parts = (list(zip(table.categories, with_names[0]["color_names"])) if nouns.pie else
                 [(o["name"], o["color_names"][0]) for o in with_names])
        slot = "caption.colours" if len(parts) > 1 else "caption.colours.one"
        cap.append(pb.say(slot, rng, pairs=[{"what": w, "colour": c} for w, c in parts], **n))
    return " ".join(cap)


def _variants(pb, rng, nouns: _Nouns, table: Table, title: str, facts: _Facts, givens: list, hidden: dict,
              ask: CAsk, ask_text: str, tail: str, solution: list[str]) -> dict[str, Variant]:
    """Each variant's question (the chart it is about and the givens it states, then the ask)
    and solution (the givens it reads off the chart, then the steps). vision_dominant names
    neither the chart's title nor its measure (the picture shows them); a question on the
    axis label states neither in any variant."""
    n = nouns.ctx()
    out = {}
    for v in VARIANTS:
        stated = [facts.fact(g) for g in givens if g not in hidden[v] and len(g) == 2]
        context = [facts.fact(g) for g in givens if g not in hidden[v] and len(g) == 1]
        slot = "desc.vision" if v == "vision_dominant" else "desc.plain" if ask.qtype == "axis-measure" else "desc"
        parts = [pb.say(slot, rng, title=title, **n)]
        if stated:
            parts.append(pb.say("desc.values", rng, facts=stated, unit=table.unit, **n))
        if context:
            parts.append(pb.say("desc.context", rng, facts=context, **n))
        parts.append(ask_text)
        read = [facts.fact(g) for g in givens if g in hidden[v] and len(g) == 2]     # cells read off the chart
        lead = [pb.say("read.values", rng, facts=read, unit=table.unit, **n)] if read else []
        out[v] = Variant(" ".join(parts) + "\n" + tail, 0, lead + solution)
    return out


def _givens(facts: _Facts, givens: list, hidden: dict) -> list[Given]:
    """The givens: every variant's image shows them; the text of those that do not hide them."""
    return [Given(facts.fact(g), facts.quantity(g), facts.value(g),
                  in_text=frozenset(v for v in VARIANTS if g not in hidden[v]), in_image=frozenset(VARIANTS))
            for g in givens]
