"""One chart sample: data, question, program, picture, checks, words.

Checked twice: the values read back from the drawn artists must equal the table, and the
answer recomputed from those read-back values must equal the exact answer; then
``measure_chart`` re-measures the target from the record's series.

Variants: the givens are the table values the solution reads. ``text_dominant`` states
them all, ``text_lite`` all but one, ``vision_dominant`` none; the chart prints every value
a question needs (value labels), so one image serves the three variants. Questions that
need no printed value (the largest category, how many series) ask about the picture alone.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import sympy as sp

from ...errors import Rejected, VerificationError
from ...exact import fmt_latex, sympy_str
from ...measure import measure
from ...problems import agree, instruction, with_options
from ...writing import t
from .data import cumulative_table, percent_table, sample_table, shares_table
from .program import ChartSpec, program
from .questions import AXIS, QUESTIONS, SUPPORT, CAsk, round_text, value_text
from .render import run_program

__all__ = ["make_sample", "VARIANTS"]

VARIANTS = ("text_dominant", "text_lite", "vision_dominant")
LETTERS = "ABCD"
NOUNS = {"percent": "100% stacked bar chart", "barline": "bar and line chart", "bar": "bar chart", "hbar": "horizontal bar chart", "stacked": "stacked bar chart", "line": "line chart",
         "area": "area chart", "pie": "pie chart", "donut": "donut chart", "radar": "radar chart",
         "heatmap": "heat map", "scatter": "scatter plot"}
ROUND = ("pie", "donut")


@dataclass
class Built:
    record: dict
    rendered: dict
    drawings: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)


def _topics(rule, kind: str):
    from .vocabulary import load_vocabulary
    voc = load_vocabulary()
    pool = [voc.by_id[i] for i in rule.spec.topics] if rule.spec.topics else list(voc.topics)
    if kind in ROUND:
        pool = [tp for tp in pool if tp.shares]
    if kind in ("line", "area"):        # a line joins ordered categories only
        pool = [tp for tp in pool if tp.categories.kind in ("years", "months")]
    if kind == "scatter":               # points over numeric years, with a fitted trend
        pool = [tp for tp in pool if tp.categories.kind == "years"]
    if kind == "percent":               # wholes split into parts
        pool = [tp for tp in pool if tp.shares]
    if kind == "barline":               # a running total needs an order
        pool = [tp for tp in pool if tp.categories.kind in ("years", "months")]
    if kind == "radar":                 # spokes for named categories
        pool = [tp for tp in pool if tp.categories.kind == "names" and not tp.shares]
    if not pool:
        raise Rejected("topics", f"no topic of this rule suits a {kind} chart", "topics")
    return pool


def answer_text(ask: CAsk, a=None) -> str:
    a = ask.answer if a is None else a
    if ask.kind == "word":
        return str(a)
    if ask.kind == "pair":
        return f"{a[0]} to {a[1]}"
    if ask.kind == "count":
        return t(sp.Integer(a))
    return round_text(a) + ("%" if ask.percent else "")


def _value(ask: CAsk):
    if ask.kind in ("word", "pair"):
        return ask.answer
    return float(ask.answer)


def make_sample(rule, rng, options) -> Built:
    spec = rule.spec
    t0 = time.perf_counter()
    qkinds = [q for q in spec.questions if SUPPORT[q] & set(spec.charts)]
    if not qkinds:
        raise Rejected("question", "no listed chart suits the questions", "questions")
    qkind = qkinds[int(rng.integers(len(qkinds)))]
    kinds = [k for k in spec.charts if k in SUPPORT[qkind]]
    kind = kinds[int(rng.integers(len(kinds)))]
    topics = _topics(rule, kind)
    topic = topics[int(rng.integers(len(topics)))]
    n_cat = int(rng.integers(spec.categories[0], spec.categories[1] + 1))
    if kind in ROUND:
        table = shares_table(rng, topic, n_cat)
    elif kind == "percent":
        hi = max(2, min(spec.series[1] + 1, 5))
        table = percent_table(rng, topic, n_cat, int(rng.integers(2, hi + 1)))
    elif kind == "barline":
        table = cumulative_table(rng, topic, n_cat)
    else:
        lo = 2 if qkind in ("series-count", "crossing") else spec.series[0]
        hi = max(lo, min(spec.series[1], len(topic.series.names)))
        if kind in ("area", "scatter"):  # filled areas hide one another; a trend fits one series
            lo = hi = 1
        if kind == "heatmap":           # rows of a grid
            lo, hi = 3, max(3, min(5, len(topic.series.names)))
        table = sample_table(rng, topic, n_cat, int(rng.integers(lo, hi + 1)))
    if len(table.series) == 1 and topic.mentions_series:
        raise Rejected("topics", f"the title of {topic.id} names its series, and this chart has one")
    ask = QUESTIONS[qkind](table, rng)
    if ask is None:
        raise Rejected("question", f"the {topic.id} table gives no clear {qkind} question")
    theme = spec.themes[int(rng.integers(len(spec.themes)))]
    labels_on = ask.needs_values or bool(rng.random() < spec.value_labels)
    nouns = {"category_noun": topic.category_noun, "series_noun": topic.series.noun}
    title = topic.title.format(**nouns)
    ylabel = f"{table.measure} ({table.unit})" if kind not in ROUND + ("radar",) else ""
    xlabel = topic.category_noun.capitalize() if kind not in ROUND + ("radar",) else ""
    if kind == "hbar":
        xlabel, ylabel = ylabel, xlabel
    if kind == "percent":
        xlabel, ylabel = topic.series.noun.capitalize(), "Share (%)"
        for c in range(len(table.categories)):
            if sum(row[c] for row in table.values) != 100:
                raise VerificationError(f"percent bar {table.categories[c]} does not sum to 100")
    cs = ChartSpec(kind, title, table.categories, table.series, tuple(tuple(float(v) if table.decimals else int(v)
                                                                         for v in row) for row in table.values),
                   xlabel, ylabel, theme, labels_on, table.decimals, unit=table.unit)
    code = program(cs)
    t1 = time.perf_counter()
    drawn = run_program(code, kind, len(table.series))
    t2 = time.perf_counter()

    # check 1: the drawn artists hold the table, and the answer follows from them
    if kind in ROUND:
        total = sum(float(v) for v in table.values[0])
        agree(drawn.readback["shares"], [100 * float(v) / total for v in table.values[0]], "pie wedges")
        read = [drawn.readback["shares"]]
    else:
        agree([[float(v) for v in row] for row in drawn.readback["values"]], table.floats(), "drawn values")
        read = drawn.readback["values"]
    want = _value(ask)
    if ask.qtype == "axis-measure":
        shown = {drawn.readback.get(k) for k in ("xlabel", "ylabel", "clabel")}
        if ask.answer not in shown:
            raise VerificationError(f"axis-measure: {ask.answer!r} is not an axis label of the chart ({shown})")
    if kind == "scatter":
        from .questions import least_squares
        agree(drawn.readback["x"], [float(c) for c in table.categories], "scatter x")
        agree(drawn.readback["trend"], [float(v) for v in least_squares(
            [sp.Integer(int(c)) for c in table.categories], list(table.values[0]))], "drawn trend line")
    err = agree(ask.recompute(read), want, f"{ask.qtype} from the drawn chart")
    # check 2: the target re-measured from the record's series
    scene = {"points": {}, "objects": [
        {"type": "series", "name": name, "kind": kind, "labels": list(table.categories),
         "values": [float(v) for v in table.values[i]]} for i, name in enumerate(table.series)]}
    scene["objects"].append({"type": "chart", "name": "chart", "title": title, "xlabel": xlabel, "ylabel": ylabel,
                             "value_axis": f"{table.measure} ({table.unit})", "unit": table.unit, "theme": theme,
                             "value_labels": labels_on})
    err = max(err, agree(measure(scene, ask.target), want, f"{ask.qtype} ({ask.target})"))
    t3 = time.perf_counter()

    record = _words(rule, rng, options, kind, table, ask, title, scene, drawn, err)
    t4 = time.perf_counter()
    return Built(record, {"pngs": [drawn.png], "svg": drawn.svg, "program": code},
                 timings={"sample": t1 - t0, "layout": t2 - t1, "verify": t3 - t2, "text": t4 - t3})


def _words(rule, rng, options, kind, table, ask: CAsk, title, scene, drawn, err) -> dict:
    spec = rule.spec
    pb = options.phrasebook_for(rule)
    topic = table.topic
    noun = NOUNS[kind]
    vt = [[value_text(v, table.decimals) for v in row] for row in table.values]

    # caption: the chart, its axes and series, every value, the main feature
    cap = [pb.say("caption.chart", rng, noun=noun, title=title, measure=table.measure, unit=table.unit,
                  cnoun=topic.category_noun, categories=list(table.categories), series=list(table.series),
                  many=len(table.series) > 1, pie=kind in ROUND)]
    for i, name in enumerate(table.series):
        cap.append(pb.say("caption.values", rng, series=name, many=len(table.series) > 1, unit=table.unit,
                          pairs=[f"{c}: {v}" for c, v in zip(table.categories, vt[i])], pie=kind in ROUND))
        if table.ordered and len(table.categories) > 2:
            row = [float(v) for v in table.values[i]]
            trend = "rises" if row[-1] > row[0] else "falls" if row[-1] < row[0] else "ends where it starts"
            top = max(range(len(row)), key=lambda j: row[j])
            cap.append(pb.say("caption.trend", rng, series=name, many=len(table.series) > 1, trend=trend,
                              first=table.categories[0], last=table.categories[-1], vfirst=vt[i][0],
                              vlast=vt[i][-1], top=table.categories[top], vtop=vt[i][top]))
    caption = " ".join(cap)

    # the question
    answer = answer_text(ask)
    mc, choices, answer_index = with_options(bool(rng.random() < spec.multiple_choice) or ask.kind == "pair",
                                             ask.wrong, lambda w: answer_text(ask, w), rng, answer)
    ask_text = pb.say(ask.ask[0], rng, **ask.ask[1])
    tail = instruction(pb, rng, choices)
    givens = list(ask.givens)
    lite = givens[int(rng.integers(len(givens)))] if givens else None
    hidden = {"text_dominant": set(), "text_lite": {lite} if lite else set(), "vision_dominant": set(givens)}

    axis = f"{table.measure} ({table.unit})"

    def fact(g):
        if g == AXIS:
            return f"value axis: {axis}"
        s, c = g
        return (f"{table.series[s]}, {table.categories[c]}: {vt[s][c]}" if len(table.series) > 1
                else f"{table.categories[c]}: {vt[s][c]}")

    def quantity(g):
        return "value axis" if g == AXIS else f"{table.series[g[0]]}|{table.categories[g[1]]}"

    def gvalue(g):
        return axis if g == AXIS else float(table.values[g[0]][g[1]])
    questions, solutions = {}, {}
    steps = [pb.say(slot, rng, **ctx) for slot, ctx in ask.steps]
    final = f"Answer: {LETTERS[answer_index]}" if mc else pb.say("answer.free", rng, answer=answer)
    for v in VARIANTS:
        stated = [fact(g) for g in givens if g not in hidden[v]]
        parts = [pb.say("desc", rng, noun=noun, title=title, measure=table.measure, unit=table.unit,
                        cnoun=topic.category_noun)]
        if stated:
            parts.append(pb.say("desc.values", rng, facts=stated, unit=table.unit))
        parts.append(ask_text)
        questions[v] = " ".join(parts) + "\n" + tail
        read = [fact(g) for g in givens if g in hidden[v]]
        lead = [pb.say("read.values", rng, facts=read, unit=table.unit)] if read else []
        if not givens and v != "text_dominant":
            lead = []
        solutions[v] = lead + steps + [final]
    problem = {
        "question_type": ask.qtype,
        "target": ask.target,
        "givens": [{"fact": fact(g), "quantity": quantity(g), "value": gvalue(g),
                    "in_text": {v: g not in hidden[v] for v in VARIANTS},
                    "in_image": {v: True for v in VARIANTS}} for g in givens],
        "variants": {v: {"question": questions[v], "image": 0, "solution": solutions[v]} for v in VARIANTS},
        "choices": choices,
        "answer_index": answer_index,
        "answer": {"text": answer, "latex": _latex(ask, answer), "exact": _exact(ask), "value": _value(ask)},
        "solution": solutions["text_dominant"],
        "steps": len(ask.steps),
        "verified": {"exact": True, "numeric": True, "max_abs_err": float(f"{err:.3g}")},
    }
    return {"width": drawn.width, "height": drawn.height, "caption": caption,
            "scene": dict(scene, to_pixels=drawn.to_pixels), "labels": drawn.labels, "problems": [problem]}


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

