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
from ...measure_chart import measure_chart
from ...problems import agree, instruction, with_options
from ...writing import t
from .data import (box_table, crossing_table, cumulative_table, histogram_table, percent_table, sample_table,
                   shares_table)
from .program import THEMES, ChartSpec, program
from .questions import AXIS, QUESTIONS, SUPPORT, CAsk, round_text, value_text
from .render import run_program

__all__ = ["make_sample", "VARIANTS"]

VARIANTS = ("text_dominant", "text_lite", "vision_dominant")
LETTERS = "ABCD"
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
    if kind == "histogram":             # a sample of one variable
        pool = ([voc.by_distribution[i] for i in rule.spec.topics if i in voc.by_distribution]
                if rule.spec.topics else list(voc.distributions))
        if not pool:
            raise Rejected("topics", "no distribution of this rule suits a histogram", "topics")
        return pool
    pool = [voc.by_id[i] for i in rule.spec.topics if i in voc.by_id] if rule.spec.topics else list(voc.topics)
    if kind in ROUND + ("percent",):   # parts of a whole (percent: wholes split into parts)
        pool = [tp for tp in pool if tp.shares]
    if kind in ("line", "area", "stackedarea", "barline"):    # a line joins ordered categories only
        pool = [tp for tp in pool if tp.categories.kind in ("years", "months")]
    if kind == "scatter":               # points over numeric years, with a fitted trend
        pool = [tp for tp in pool if tp.categories.kind == "years"]
    if kind == "radar":                 # spokes for named categories
        pool = [tp for tp in pool if tp.categories.kind == "names" and not tp.shares]
    if kind in ("area", "scatter"):     # one series: a title naming the series would be wrong
        pool = [tp for tp in pool if not tp.mentions_series]
    if kind in ("stackedarea", "bubble", "panels", "box"):    # series that are not parts of a whole
        pool = [tp for tp in pool if not tp.shares]
    if not pool:
        raise Rejected("topics", f"no topic of this rule suits a {kind} chart", "topics")
    return pool


def answer_text(ask: CAsk, pb=None, rng=None, a=None) -> str:
    a = ask.answer if a is None else a
    if ask.kind == "word":
        return str(a)
    if ask.kind == "pair":
        return pb.say("answer.pair", rng, a=a[0], b=a[1])
    if ask.kind == "count":
        return t(sp.Integer(a))
    return round_text(a) + ("%" if ask.percent else "")


def _value(ask: CAsk):
    if ask.kind in ("word", "pair"):
        return ask.answer
    return float(ask.answer)


def _series_range(spec, kind: str, qkind: str, topic) -> tuple[int, int]:
    """How many series a chart of ``kind`` may have for question ``qkind``."""
    lo, hi = spec.series
    hi = min(hi, len(topic.series.names))
    if qkind in ("series-count", "crossing", "compare", "gap") or kind in ("stackedarea", "bubble"):
        lo = max(lo, 2)
    if qkind == "colour" and kind not in ROUND:
        lo = max(lo, 2)
    if kind in ("area", "scatter"):     # filled areas hide one another; a trend fits one series
        return 1, 1
    if kind == "heatmap":               # rows of a grid
        return 3, max(3, min(5, len(topic.series.names)))
    if kind == "panels":                # one series per panel
        return 2, 2
    if kind in ("stackedarea", "bubble"):
        hi = min(hi, 4)
    return lo, max(lo, hi)


def _table(rule, rng, pb, kind: str, qkind: str, topic):
    """The data table of the chart, its title and axis labels, and the histogram's sample and
    bin edges."""
    spec = rule.spec
    extra = {}
    if kind == "histogram":
        width = topic.widths[int(rng.integers(len(topic.widths)))]
        n = int(rng.integers(topic.count[0], topic.count[1] + 1))
        table, sample, edges = histogram_table(rng, topic, width, n, topic.noun)
        extra = {"sample": tuple(float(v) if topic.decimals else int(v) for v in sample),
                 "edges": tuple(float(e) if e != int(e) else int(e) for e in edges)}
        return table, topic.title, f"{topic.variable} ({topic.unit})", pb.say("axis.count", rng, noun=topic.noun), extra
    n_cat = int(rng.integers(spec.categories[0], spec.categories[1] + 1))
    if kind in ROUND:
        table = shares_table(rng, topic, n_cat)
    elif kind == "percent":
        hi = max(2, min(spec.series[1] + 1, 5))
        table = percent_table(rng, topic, n_cat, int(rng.integers(2, hi + 1)))
    elif kind == "barline":
        table = cumulative_table(rng, topic, n_cat)
    elif kind == "box":
        table = box_table(rng, topic, min(max(n_cat, 3), 6))
        title = pb.say("title.box", rng, measure=topic.measure, noun=topic.series.noun)
        return table, title, topic.series.noun.capitalize(), f"{table.measure} ({table.unit})", extra
    elif qkind == "crossing" and kind == "line":          # built to cross exactly once
        table = crossing_table(rng, topic, max(n_cat, 3))
    else:
        lo, hi = _series_range(spec, kind, qkind, topic)
        table = sample_table(rng, topic, n_cat, int(rng.integers(lo, hi + 1)))
    if len(table.series) == 1 and topic.mentions_series:
        raise Rejected("topics", f"the title of {topic.id} names its series, and this chart has one")
    title = topic.fill_title()
    ylabel = f"{table.measure} ({table.unit})" if kind not in ROUND + ("radar", "bubble") else ""
    xlabel = topic.category_noun.capitalize() if kind not in ROUND + ("radar",) else ""
    if kind == "hbar":
        xlabel, ylabel = ylabel, xlabel
    if kind == "percent":
        xlabel, ylabel = topic.series.noun.capitalize(), pb.say("axis.share", rng)
        for c in range(len(table.categories)):
            if sum(row[c] for row in table.values) != 100:
                raise VerificationError(f"percent bar {table.categories[c]} does not sum to 100")
    return table, title, xlabel, ylabel, extra


def _colour_names(pb, rng, theme: str, n: int) -> list[str] | None:
    """The names of the first ``n`` colours of ``theme`` (None when one has no name)."""
    palette = THEMES[theme]["colors"]
    if n > len(palette):
        return None
    names = [pb.say("colour-name", rng, hex=h) for h in palette[:n]]
    return names if all(names) else None


def make_sample(rule, rng, options) -> Built:
    spec = rule.spec
    pb = options.phrasebook_for(rule)
    t0 = time.perf_counter()
    qkinds = [q for q in spec.questions if SUPPORT[q] & set(spec.charts)]
    if not qkinds:
        raise Rejected("question", "no listed chart suits the questions", "questions")
    qkind = qkinds[int(rng.integers(len(qkinds)))]
    kinds = [k for k in spec.charts if k in SUPPORT[qkind]]
    kind = kinds[int(rng.integers(len(kinds)))]
    topics = _topics(rule, kind)
    topic = topics[int(rng.integers(len(topics)))]
    table, title, xlabel, ylabel, extra = _table(rule, rng, pb, kind, qkind, topic)
    theme = spec.themes[int(rng.integers(len(spec.themes)))]
    n_colours = len(table.categories) if kind in ROUND else len(table.series)
    names = _colour_names(pb, rng, theme, n_colours) if kind in SUPPORT["colour"] else None
    ask = QUESTIONS[qkind](table, rng, names) if qkind == "colour" else QUESTIONS[qkind](table, rng)
    if ask is None:
        raise Rejected("question", f"the {getattr(table.topic, 'id', '')} table gives no clear {qkind} question")
    labels_on = ask.needs_values or bool(rng.random() < spec.value_labels)
    markers = kind != "line" or bool(rng.random() < 0.75)
    note = ()
    if kind == "line" and len(table.series) == 1 and rng.random() < 0.4:   # an arrow to a clear peak
        row = [float(v) for v in table.values[0]]
        top = max(range(len(row)), key=lambda j: row[j])
        if sorted(row)[-1] - sorted(row)[-2] >= 0.08 * (max(row) - min(row)) and 0 < top < len(row) - 1:
            note = (top, pb.say("note.peak", rng, value=value_text(table.values[0][top], table.decimals),
                                category=table.categories[top]))
    labelled = None
    if kind in ("line", "radar", "barline") and len(table.series) > 1:   # crowded: only the values asked about
        labelled = tuple(sorted({g for g in ask.givens if isinstance(g[0], int)})) if ask.needs_values else ()
        labels_on = labels_on and bool(labelled)
    cs = ChartSpec(kind, title, table.categories, table.series, tuple(tuple(float(v) if table.decimals else int(v)
                                                                         for v in row) for row in table.values),
                   xlabel, ylabel, theme, labels_on, table.decimals, unit=table.unit, markers=markers, note=note,
                   labelled=labelled, **extra)
    code = program(cs)
    t1 = time.perf_counter()
    drawn = run_program(code, kind, len(table.series), svg=options.svg)
    t2 = time.perf_counter()

    # check 1: the drawn artists hold the table, and the answer follows from them
    if kind in ROUND:
        total = sum(float(v) for v in table.values[0])
        agree(drawn.readback["shares"], [100 * float(v) / total for v in table.values[0]], "pie wedges")
        read = [drawn.readback["shares"]]
    else:
        agree([[float(v) for v in row] for row in drawn.readback["values"]], table.floats(), "drawn values")
        read = drawn.readback["values"]
    if kind == "histogram":
        agree(drawn.readback["edges"], [float(e) for e in extra["edges"]], "histogram bin edges")
    want = _value(ask)
    colours = drawn.readback["colors"]
    if names is not None:               # the drawn colours are the theme's, in order
        if colours != [h.lower() for h in THEMES[theme]["colors"][:n_colours]]:
            raise VerificationError(f"drawn colours {colours} are not the theme's")
    if ask.qtype == "axis-measure":
        shown = {drawn.readback.get(k) for k in ("xlabel", "ylabel", "clabel")}
        if ask.answer not in shown:
            raise VerificationError(f"axis-measure: {ask.answer!r} is not an axis label of the chart ({shown})")
    if kind == "scatter":
        from .questions import least_squares
        agree(drawn.readback["x"], [float(c) for c in table.categories], "scatter x")
        agree(drawn.readback["trend"], [float(v) for v in least_squares(
            [sp.Integer(int(c)) for c in table.categories], list(table.values[0]))], "drawn trend line")
    if ask.qtype == "colour":           # the colour's name, from the drawn artist
        err = agree(pb.say("colour-name", rng, hex=colours[ask.extra["index"]]), want, "colour from the drawn chart")
    else:
        err = agree(ask.recompute(read), want, f"{ask.qtype} from the drawn chart")
    # check 2: the target re-measured from the record's series
    scene = {"points": {}, "objects": [
        {"type": "series", "name": name, "kind": kind, "labels": list(table.categories),
         "values": [float(v) for v in table.values[i]]} for i, name in enumerate(table.series)]}
    if names is not None:
        for i, obj in enumerate(scene["objects"]):
            k = slice(None) if kind in ROUND else slice(i, i + 1)
            obj["colors"], obj["color_names"] = colours[k], names[k]
    value_axis = ylabel if kind == "histogram" else f"{table.measure} ({table.unit})"
    scene["objects"].append({"type": "chart", "name": "chart", "title": title, "xlabel": xlabel, "ylabel": ylabel,
                             "value_axis": value_axis, "unit": table.unit, "theme": theme,
                             "value_labels": labels_on})
    if kind == "histogram":
        scene["objects"][-1].update(sample=[float(v) for v in extra["sample"]],
                                    edges=[float(e) for e in extra["edges"]])
    err = max(err, agree(measure_chart(scene, ask.target), want, f"{ask.qtype} ({ask.target})"))
    t3 = time.perf_counter()

    record = _words(rule, rng, options, kind, table, ask, title, scene, drawn, err)
    t4 = time.perf_counter()
    return Built(record, {"pngs": [drawn.png], "svg": drawn.svg, "program": code},
                 timings={"sample": t1 - t0, "layout": t2 - t1, "verify": t3 - t2, "text": t4 - t3})


def _words(rule, rng, options, kind, table, ask: CAsk, title, scene, drawn, err) -> dict:
    spec = rule.spec
    pb = options.phrasebook_for(rule)
    topic = table.topic
    noun = pb.say("noun." + kind, rng)
    vt = [[value_text(v, table.decimals) for v in row] for row in table.values]
    chart = next(o for o in scene["objects"] if o["type"] == "chart")
    cnoun = getattr(topic, "category_noun", "")

    # caption: the chart, its axes and series, every value, the main feature
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
    caption = " ".join(cap)

    # the question
    answer = answer_text(ask, pb, rng)
    mc, choices, answer_index = with_options(bool(rng.random() < spec.multiple_choice) or ask.kind == "pair",
                                             ask.wrong, lambda w: answer_text(ask, pb, rng, w), rng, answer)
    ask_text = pb.say(ask.ask[0], rng, **ask.ask[1])
    tail = instruction(pb, rng, choices)
    givens = list(ask.givens)
    lite = givens[int(rng.integers(len(givens)))] if givens else None
    hidden = {"text_dominant": set(), "text_lite": {lite} if lite else set(), "vision_dominant": set(givens)}

    axis = f"{table.measure} ({table.unit})"

    def fact(g):
        if g == AXIS:
            return pb.say("fact.axis", rng, axis=axis)
        if g[0] == "colour":
            return pb.say("fact.colour", rng, what=ask.extra["what"], colour=ask.extra["name"])
        s, c = g
        return pb.say("fact.value", rng, series=table.series[s], category=table.categories[c], value=vt[s][c],
                      many=len(table.series) > 1)

    def quantity(g):
        if g[0] == "colour":
            return f"colour|{ask.extra['what']}"
        return "value axis" if g == AXIS else f"{table.series[g[0]]}|{table.categories[g[1]]}"

    def gvalue(g):
        if g[0] == "colour":
            return ask.extra["name"]
        return axis if g == AXIS else float(table.values[g[0]][g[1]])
    questions, solutions = {}, {}
    steps = [pb.say(slot, rng, **ctx) for slot, ctx in ask.steps]
    final = f"Answer: {LETTERS[answer_index]}" if mc else pb.say("answer.free", rng, answer=answer)
    for v in VARIANTS:
        stated = [fact(g) for g in givens if g not in hidden[v]]
        parts = [pb.say("desc", rng, noun=noun, title=title, measure=table.measure, unit=table.unit,
                        cnoun=cnoun)]
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
        "answer": {"text": answer, "latex": _latex(ask, answer), "exact": _exact(ask), "value": _value(ask) if ask.kind in ("word", "pair") else round(_value(ask), 12)},
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

