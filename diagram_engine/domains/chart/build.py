"""A chart sample's scene and problem: the question, the chart kind, the topic and its data
table, the theme, the ask (answer-first, exact), the plotting program, and the scene.

The scene holds one ``series`` object per data series and one ``chart`` object (title, axis
labels, the value axis, theme, value labels; a histogram's sample and bin edges); where a
colour question could be asked, each series also names its colours (the theme's, which the
drawing step checks the drawn artists use).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ...core import Attachment, Built, Posed
from ...errors import Rejected, VerificationError
from .data import (
    Table,
    box_table,
    crossing_table,
    cumulative_table,
    histogram_table,
    percent_table,
    sample_table,
    shares_table,
)
from .program import ROUND_KINDS, THEMES, ChartSpec, program
from .questions import QUESTIONS, SUPPORT, CAsk, answer_value, value_text
from .vocabulary import load_vocabulary

__all__ = ["ROUND", "ChartState", "build"]

ROUND = ROUND_KINDS                 # charts of one whole: a slice per category, a colour per slice


@dataclass
class ChartState:
    """What drawing and wording need of one built chart."""
    kind: str
    table: Table
    ask: CAsk
    title: str
    extra: dict                      # histogram: the sample and the bin edges
    colours: list[str] | None        # the theme's colours of the series (a pie: slices), when named
    code: str                        # the plotting program


def _topics(spec, kind: str):
    voc = load_vocabulary()
    if kind == "histogram":             # a sample of one variable
        pool = ([voc.by_distribution[i] for i in spec.topics if i in voc.by_distribution]
                if spec.topics else list(voc.distributions))
        if not pool:
            raise Rejected("topics", "no distribution of this rule suits a histogram", "topics")
        return pool
    pool = [voc.by_id[i] for i in spec.topics if i in voc.by_id] if spec.topics else list(voc.topics)
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


def _table(spec, rng, pb, kind: str, qkind: str, topic):
    """The data table of the chart, its title and axis labels, and the histogram's sample and
    bin edges."""
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


def _marks(spec, rng, pb, kind: str, table: Table, ask: CAsk):
    """(value labels on, markers, the arrow note, the cells labelled) of the picture."""
    labels_on = ask.needs_values or bool(rng.random() < spec.value_labels)
    markers = kind != "line" or bool(rng.random() < 0.75)
    note = ()
    if kind == "line" and len(table.series) == 1 and rng.random() < 0.4:   # an arrow to a clear peak
        row = [float(v) for v in table.values[0]]
        top = max(range(len(row)), key=lambda j: row[j])
        if max(row) - sorted(row)[-2] >= 0.08 * (max(row) - min(row)) and 0 < top < len(row) - 1:
            note = (top, pb.say("note.peak", rng, value=value_text(table.values[0][top], table.decimals),
                                category=table.categories[top]))
    labelled = None
    if kind in ("line", "radar", "barline") and len(table.series) > 1:   # crowded: only the values asked about
        labelled = tuple(sorted({g for g in ask.givens if isinstance(g[0], int)})) if ask.needs_values else ()
        labels_on = labels_on and bool(labelled)
    return labels_on, markers, note, labelled


def _scene(kind: str, table: Table, title: str, xlabel: str, ylabel: str, theme: str, labels_on: bool,
           extra: dict, names: list[str] | None, colours: list[str] | None) -> dict:
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
    return scene


def build(job) -> Built:
    spec, rng, pb = job.spec, job.rng, job.pb
    qkinds = [q for q in spec.questions if SUPPORT[q] & set(spec.charts)]
    if not qkinds:
        raise Rejected("question", "no listed chart suits the questions", "questions")
    qkind = qkinds[int(rng.integers(len(qkinds)))]
    kinds = [k for k in spec.charts if k in SUPPORT[qkind]]
    kind = kinds[int(rng.integers(len(kinds)))]
    topics = _topics(spec, kind)
    topic = topics[int(rng.integers(len(topics)))]
    table, title, xlabel, ylabel, extra = _table(spec, rng, pb, kind, qkind, topic)
    theme = spec.themes[int(rng.integers(len(spec.themes)))]
    n_colours = len(table.categories) if kind in ROUND else len(table.series)
    names = _colour_names(pb, rng, theme, n_colours) if kind in SUPPORT["colour"] else None
    colours = None
    if names is not None:
        table = replace(table, colour_names=tuple(names))
        colours = [h.lower() for h in THEMES[theme]["colors"][:n_colours]]
    ask = QUESTIONS[qkind](table, rng)
    labels_on, markers, note, labelled = _marks(spec, rng, pb, kind, table, ask)
    cs = ChartSpec(kind, title, table.categories, table.series, tuple(tuple(float(v) if table.decimals else int(v)
                                                                         for v in row) for row in table.values),
                   xlabel, ylabel, theme, labels_on, table.decimals, unit=table.unit, markers=markers, note=note,
                   labelled=labelled, **extra)
    code = program(cs)
    scene = _scene(kind, table, title, xlabel, ylabel, theme, labels_on, extra, names, colours)
    posed = Posed(ask.target, answer_value(ask), exact=True, what=f"{ask.qtype} ({ask.target})")
    state = ChartState(kind, table, ask, title, extra, colours, code)
    return Built(scene, [posed], state, attachments=[Attachment("program", "code", ".py", code)])
