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
``templates/chart/*.yaml``.
"""
from __future__ import annotations

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

__all__ = ["answer_text", "words"]


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
    table cell (series, category) or a descriptive one (``_context``)."""

    def __init__(self, pb, rng, table: Table, vt: list[list[str]], kind: str):
        self.pb, self.rng, self.table, self.vt, self.kind = pb, rng, table, vt, kind
        self.pie = kind in ROUND

    def _described(self, key: str):
        tb = self.table
        return {"axis": f"{tb.measure} ({tb.unit})", "whole": "100%",
                "legend": list(tb.categories if self.pie else tb.series), "categories": list(tb.categories)}[key]

    def fact(self, g) -> str:
        tb = self.table
        if len(g) == 1:
            noun = tb.topic.series.noun if self.kind == "percent" else getattr(tb.topic, "category_noun", "")
            return self.pb.say("fact." + g[0], self.rng, value=self._described(g[0]), pie=self.pie,
                               place=self.pb.say("place." + self.kind, self.rng), nouns=_plural(noun) if noun else "")
        s, c = g
        return self.pb.say("fact.value", self.rng, series=tb.series[s], category=tb.categories[c],
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
    noun = pb.say("noun." + kind, rng)
    vt = [[value_text(v, table.decimals) for v in row] for row in table.values]
    caption = _caption(pb, rng, kind, table, st.title, noun, vt, built.scene, ask, st.printed)
    answer = answer_text(ask, pb, rng)
    choices, answer_index, option_values = st.options if st.options is not None else (None, None, None)
    ask_text = pb.say(ask.ask[0], rng, **ask.ask[1])
    tail = instruction(pb, rng, choices)
    context = _context(ask, kind)
    givens = list(ask.givens) + context
    hidden = {v: set(cells) | (set(context) if v != "text_dominant" else set()) for v, cells in st.hidden.items()}
    facts = _Facts(pb, rng, table, vt, kind)
    common = {"mark": pb.say("mark." + kind, rng), "place": pb.say("place." + kind, rng), "pie": kind in ROUND,
              "many": len(table.series) > 1, "labels": built.scene["objects"][-1]["value_labels"]}
    steps = [pb.say(slot, rng, kind=kind, **{**common, **ctx}) for slot, ctx in ask.steps]
    final = final_line(pb, rng, answer_index, answer)
    variants = _variants(pb, rng, kind, table, st.title, noun, facts, givens, hidden, ask, ask_text, tail,
                         steps + [final])
    given_records = _givens(facts, givens, hidden)
    result = Answer(answer, _latex(ask, answer), _exact(ask), round_value(answer_value(ask)))
    return Words(caption, [Worded(ask.qtype, ask.target, given_records, variants, choices, answer_index, result,
                                  len(ask.steps), option_values=option_values, image_needed=st.image_needed)])


def _caption(pb, rng, kind: str, table: Table, title: str, noun: str, vt, scene: dict, ask: CAsk,
             printed: frozenset) -> str:
    """The chart, its axes and series, the values it prints (of a series whose values are not
    printed, the order of its categories instead: the caption says what the picture shows,
    and a value drawn only as a bar's height would be a hidden fact), the main feature, the
    colours (but not when the colour is asked: a colour's name is drawn nowhere, so the
    caption would be the only place that names it). When the question asks for the largest or
    smallest, no ranking or peak is stated: the caption would answer it in words."""
    topic = table.topic
    # the categories of a 100% bar chart are the wholes (the topic's series: regions...)
    cnoun = topic.series.noun if kind == "percent" else getattr(topic, "category_noun", "")
    shown = [all((i, c) in printed for c in range(len(table.categories))) for i in range(len(table.series))]
    ranked = ask.qtype != "extreme"

    def order(i: int) -> list[str]:
        return [table.categories[c] for c in sorted(range(len(table.categories)), key=lambda c: -table.values[i][c])]
    if kind == "histogram":
        bins = [c.replace("–", " to ") for c in table.categories]     # a bin by its drawn edges
        tallest = [bins[table.categories.index(c)] for c in order(0)]
        cap = [pb.say("caption.histogram", rng, noun=noun, title=title, variable=topic.variable, unit=topic.unit,
                      count_noun=topic.noun, bins=len(table.categories), lo=table.categories[0].split("–")[0],
                      hi=table.categories[-1].split("–")[1], shown=shown[0], order=tallest if ranked else [],
                      pairs=[f"{c}: {v}" for c, v in zip(bins, vt[0])])]
    elif kind == "box":
        cap = [pb.say("caption.box", rng, noun=noun, title=title, measure=table.measure, unit=table.unit,
                      groups=list(table.categories), gnoun=topic.series.noun)]
        if all(shown):
            cap += [pb.say("caption.box-values", rng, group=g, stats=[vt[k][c] for k in range(5)])
                    for c, g in enumerate(table.categories)]
        elif ranked:
            cap.append(pb.say("caption.box-order", rng, groups=order(2), gnoun=topic.series.noun))
    else:
        cap = [pb.say("caption.chart", rng, noun=noun, title=title, measure=table.measure, unit=table.unit,
                      cnoun=cnoun, cnouns=_plural(cnoun), categories=list(table.categories), series=list(table.series),
                      many=len(table.series) > 1, pie=kind in ROUND)]
    series_rows = [] if kind in ("histogram", "box") else list(enumerate(table.series))
    for i, name in series_rows:
        many = len(table.series) > 1
        if shown[i]:
            cap.append(pb.say("caption.values", rng, series=name, many=many, unit=table.unit,
                              pairs=[f"{c}: {v}" for c, v in zip(table.categories, vt[i])], pie=kind in ROUND))
        elif ranked:
            cap.append(pb.say("caption.order", rng, series=name, many=many, order=order(i), pie=kind in ROUND,
                              mark=pb.say("mark." + kind, rng)))
        else:
            cap.append(pb.say("caption.unprinted", rng, series=name, many=many, mark=pb.say("mark." + kind, rng)))
        if table.ordered and len(table.categories) > 2:
            row = [float(v) for v in table.values[i]]
            trend = pb.say("trend." + ("up" if row[-1] > row[0] else "down" if row[-1] < row[0] else "flat"), rng)
            top = max(range(len(row)), key=lambda j: row[j])
            slot = "caption.trend" if shown[i] else "caption.trend.plain"
            cap.append(pb.say(slot if ranked else slot + ".bare", rng, series=name, many=many,
                              trend=trend, first=table.categories[0], last=table.categories[-1], vfirst=vt[i][0],
                              vlast=vt[i][-1], top=table.categories[top], vtop=vt[i][top]))
    with_names = [o for o in scene["objects"] if o.get("color_names")]
    if with_names and ask.qtype != "colour":
        parts = (list(zip(table.categories, with_names[0]["color_names"])) if kind in ROUND else
                 [(o["name"], o["color_names"][0]) for o in with_names])
        cap.append(pb.say("caption.colours", rng, pairs=[{"what": w, "colour": c} for w, c in parts],
                          pie=kind in ROUND))
    return " ".join(cap)


def _plural(noun: str) -> str:
    """An English plural good enough for the vocabulary's category nouns: cities, boxes, years."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def _variants(pb, rng, kind: str, table: Table, title: str, noun: str, facts: _Facts, givens: list, hidden: dict,
              ask: CAsk, ask_text: str, tail: str, solution: list[str]) -> dict[str, Variant]:
    """Each variant's question (the chart it is about and the givens it states, then the ask)
    and solution (the givens it reads off the chart, then the steps). vision_dominant names
    neither the chart's title nor its measure (the picture shows them); a question on the
    axis label states neither in any variant."""
    cnoun = getattr(table.topic, "category_noun", "")
    out = {}
    for v in VARIANTS:
        stated = [facts.fact(g) for g in givens if g not in hidden[v] and len(g) == 2]
        context = [facts.fact(g) for g in givens if g not in hidden[v] and len(g) == 1]
        slot = "desc.vision" if v == "vision_dominant" else "desc.plain" if ask.qtype == "axis-measure" else "desc"
        parts = [pb.say(slot, rng, noun=noun, title=title, measure=table.measure, unit=table.unit, cnoun=cnoun)]
        if stated:
            parts.append(pb.say("desc.values", rng, facts=stated, unit=table.unit))
        if context:
            parts.append(pb.say("desc.context", rng, facts=context))
        parts.append(ask_text)
        read = [facts.fact(g) for g in givens if g in hidden[v] and len(g) == 2]     # cells read off the chart
        lead = [pb.say("read.values", rng, facts=read, unit=table.unit)] if read else []
        out[v] = Variant(" ".join(parts) + "\n" + tail, 0, lead + solution)
    return out


def _givens(facts: _Facts, givens: list, hidden: dict) -> list[Given]:
    """The givens: every variant's image shows them; the text of those that do not hide them."""
    return [Given(facts.fact(g), facts.quantity(g), facts.value(g),
                  in_text=frozenset(v for v in VARIANTS if g not in hidden[v]), in_image=frozenset(VARIANTS))
            for g in givens]
