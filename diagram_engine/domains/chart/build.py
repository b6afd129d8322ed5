"""A chart sample's scene and problem: the question, the chart kind, the topic and its data
table, the theme, the ask (answer-first, exact), its options, what each variant leaves to the
picture, the plotting program, and the scene.

Options are the answers of sibling questions on the same chart (another cell, pair, series;
``_options``), or of the same question on a neighbouring table (the values drawn again as
they were drawn), so the key is exchangeable with them. A question that reads one value off
the chart (a bar, a box statistic, a slice) prints no value and offers four cells far enough
apart to tell apart by eye (``_read_options``). A worked-out answer never equals a value of
the table (it would read as copied from the text or the picture).

The scene holds one ``series`` object per data series and one ``chart`` object (title, axis
labels, the value axis, theme, value labels; a histogram's sample and bin edges); where a
colour question could be asked, each series also names its colours (the theme's, which the
drawing step checks the drawn artists use).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ...core import VARIANTS, Attachment, Built, Posed, number_key
from ...errors import Rejected, VerificationError
from .data import (
    Table,
    box_table,
    crossing_table,
    cumulative_table,
    histogram_table,
    percent_table,
    redraw,
    sample_table,
    shares_table,
)
from .program import ROUND_KINDS, THEMES, ChartSpec, program
from .questions import (
    QUESTIONS,
    SUPPORT,
    CAsk,
    answer_text,
    answer_value,
    moved,
    value_text,
)
from .vocabulary import axis_label, load_vocabulary

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
    options: tuple | None = None     # (choices, answer index, option values), or None: free-form
    hidden: dict | None = None       # variant -> the givens its text leaves to the picture
    image_needed: dict | None = None     # variant -> whether a change of what it leaves to the picture
    #                                      moves the answer
    printed: frozenset = frozenset()     # the (series, category) cells whose values the chart prints


# the chart kinds that stack their series (the stack's height is their sum) or run a total over
# the categories: only topics whose values add up that way are drawn so
STACKS = ("stacked", "stackedarea")
RUNS = ("barline",)
# the questions that call one value a multiple or a percent change of another
RATIOS = ("ratio", "percent-change")


def _total_axis(spec, kind: str, topic) -> bool:
    """Whether a total can be asked of ``topic`` on a ``kind`` chart: over the series at a
    category (several series) when its values add up over the series, or over the categories
    of one series when they add up over the categories."""
    lo, hi = _series_range(spec, kind, "", topic)
    return (topic.adds_over_series and hi >= 2) or (topic.adds_over_categories and lo == 1)


def _topics(spec, kind: str, qkind: str = ""):
    """The topics a ``kind`` chart asking ``qkind`` may be about: the kind's shape (ordered
    categories for a line, parts of a whole for a pie) and what the values are (a stack, a
    total or a running total only of values that add up that way; a ratio or a percent change
    only on a ratio scale)."""
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
    if kind in STACKS:                  # a stack's height is the sum of its series
        pool = [tp for tp in pool if tp.adds_over_series]
    if kind in RUNS:                    # a running total over the categories, of the one series the title names
        pool = [tp for tp in pool if tp.adds_over_categories and not tp.mentions_series]
    if qkind == "total":
        pool = [tp for tp in pool if _total_axis(spec, kind, tp)]
    if qkind in RATIOS:
        pool = [tp for tp in pool if tp.ratio_scale]
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
    if qkind == "total":                # the total runs over an axis whose values add up
        if not topic.adds_over_series:
            hi = 1
        if not topic.adds_over_categories:
            lo = max(lo, 2)
        if lo > hi:
            raise Rejected("topics", f"no total of {topic.id} can be asked on a {kind} chart", "topics")
        return lo, hi
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
        return table, title, topic.series.noun.capitalize(), axis_label(table.measure, table.unit), extra
    elif qkind == "crossing" and kind == "line":          # built to cross exactly once
        table = crossing_table(rng, topic, max(n_cat, 3))
    else:
        lo, hi = _series_range(spec, kind, qkind, topic)
        table = sample_table(rng, topic, n_cat, int(rng.integers(lo, hi + 1)))
    if len(table.series) == 1 and topic.mentions_series:
        raise Rejected("topics", f"the title of {topic.id} names its series, and this chart has one")
    title = topic.fill_title()
    ylabel = axis_label(table.measure, table.unit) if kind not in ROUND + ("radar", "bubble") else ""
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


def _crowded(kind: str, table: Table) -> bool:
    """Whether the chart prints only some values (several lines, radar polygons, bar + line)."""
    return kind in ("line", "radar", "barline") and len(table.series) > 1


def _marks(spec, rng, pb, kind: str, table: Table, ask: CAsk, decoys, answer: str, hide: bool):
    """(value labels on, markers, the arrow note, the cells labelled) of the picture. A crowded
    chart prints the values asked about and those of sibling questions (``decoys``), so that
    the printed values do not single out the cells asked about; a question that reads one
    value off the axes (``hide``) prints none. The arrow note never points at the answer."""
    labels_on = not hide and (ask.needs_values or bool(rng.random() < spec.value_labels))
    if ask.picture_only and any(value_text(v, table.decimals) == answer for row in table.values for v in row):
        labels_on = False               # a count asked for is not printed as some value too
    markers = kind != "line" or bool(rng.random() < 0.75)
    note = ()
    if kind == "line" and len(table.series) == 1 and rng.random() < 0.4 and ask.qtype != "extreme":
        row = [float(v) for v in table.values[0]]
        top = max(range(len(row)), key=lambda j: row[j])
        text = value_text(table.values[0][top], table.decimals)
        if (max(row) - sorted(row)[-2] >= 0.08 * (max(row) - min(row)) and 0 < top < len(row) - 1
                and text != answer):    # an arrow to a clear peak
            note = (top, pb.say("note.peak", rng, value=text, category=table.categories[top]))
    labelled = None
    if _crowded(kind, table):
        labelled = tuple(sorted(set(ask.cells) | set(decoys))) if ask.needs_values else ()
        labels_on = labels_on and bool(labelled)
    return labels_on, markers, note, labelled


def _copies(ask: CAsk, table: Table, stated=None) -> bool:
    """Whether a worked-out number answer equals a value of the table (a given the text
    states, or a value the chart may print: a difference equal to another bar's value reads
    as copied from the picture) or one of ``stated``."""
    if ask.kind not in ("number", "count") or ask.reads or ask.picture_only:
        return False
    a = number_key(ask.answer)
    return a in (stated or ()) or any(number_key(v) == a for row in table.values for v in row)


def _ask(qkind: str, table: Table, rng) -> CAsk:
    """The question, drawn again (up to 8 times) while its worked-out answer would copy a value
    of the table (a difference equal to one of the two values, an average equal to one)."""
    for _ in range(8):
        ask = QUESTIONS[qkind](table, rng)
        if not _copies(ask, table):
            return ask
    raise Rejected("copied", f"every {qkind} question drawn repeats a value of the table")


PAIRS = ("largest-increase", "crossing")      # answers "A to B": always multiple choice


def _options(job, spec, kind: str, qkind: str, table: Table):
    """(the question, (choices, answer index, option values), the other options' cells), or
    None: the question drawn together with its options.

    The options are the answers of four sibling questions on the chart (the builder drawn
    again on the same table: another cell, pair, series), the key one of the four at random;
    when the chart has too few different answers, the key's question on the chart and three
    on neighbouring tables (its values drawn again as they were drawn; for the axis label,
    another topic's), the four drawn again together until they differ. Either way the key is
    drawn as the wrong options are and cannot be told from them (drawing the key first and
    then wrong options unlike it would favour a common answer as the key). A colour question
    takes siblings only: a colour drawn nowhere on the chart would give the key away. No
    worked-out answer, key or wrong, equals a value of the table."""
    rng, pb = job.rng, job.pb
    stated = {number_key(v) for row in table.values for v in row}

    def ask_on(tb: Table, r):
        try:
            b = QUESTIONS[qkind](tb, r)
        except Rejected:
            return None
        return None if _copies(b, tb, stated) else b

    def done(asks: list, index: int):
        texts = [answer_text(b, pb, rng) for b in asks]
        cells = {g for i, b in enumerate(asks) if i != index for g in b.cells}
        return asks[index], (texts, index, [answer_value(b) for b in asks]), cells

    if qkind != "axis-measure":
        for _ in range(6):                      # siblings: the set first, then the key in it
            asks: dict = {}
            for _ in range(16):
                b = ask_on(table, rng)
                if b is not None:
                    asks.setdefault(answer_text(b, pb, rng), b)
                if len(asks) == 4:
                    return done(list(asks.values()), int(rng.integers(4)))
    if qkind in ("colour", "series-count"):
        return None

    def neighbour(r):
        if qkind == "axis-measure":     # a topic this chart could have had (one naming its series needs two)
            tp = _pick(r, [tp for tp in _topics(spec, kind) if len(table.series) > 1 or not tp.mentions_series])
            return replace(key, answer=axis_label(tp.measure, tp.unit))
        try:
            tb = redraw(table, r)
        except Rejected:
            return None
        return ask_on(tb, r)
    for _ in range(30):                         # the key on the chart, three neighbours, drawn together
        key = ask_on(table, rng)
        if key is None:
            continue
        asks = [key] + [neighbour(rng) for _ in range(3)]
        if any(b is None for b in asks) or len({answer_text(b, pb, rng) for b in asks}) < 4:
            continue
        index = int(rng.integers(4))
        asks[0], asks[index] = asks[index], asks[0]
        return done(asks, index)
    return None


# how far apart (a share of the table's value span) the four options of a question that reads
# one value off the axes must lie, so that the picture tells them apart: colours and layers read
# less precisely than bar heights. The span runs from zero where the value axis starts at zero,
# else from the smallest value (lines, box plots, scatter plots, the colour scale of a heat map)
SPREAD = {"heatmap": 0.15, "stackedarea": 0.12, "radar": 0.1, "stacked": 0.1, "percent": 0.1}
SPREAD_DEFAULT = 0.08
FROM_LOWEST = ("line", "box", "scatter", "heatmap")


def read_gap(kind: str, table: Table) -> float:
    """How far apart the options of a question that reads one value of ``table`` must lie."""
    flat = [float(v) for row in table.values for v in row]
    low = min(flat) if kind in FROM_LOWEST else min(0.0, min(flat))
    return SPREAD.get(kind, SPREAD_DEFAULT) * (max(flat) - low)


def _reads_one(qkind: str, kind: str) -> bool:
    """Whether the question reads one value off the chart (a bar, a box statistic, a slice)."""
    return qkind in ("read-value", "box-stat") or (qkind == "share" and kind in ROUND)


def _read_options(job, kind: str, qkind: str, table: Table):
    """(the question, its options, no cells to print) of a question that reads one value off
    the chart. No value
    is printed (the answer would be drawn on its own image), so the value is read against the
    axis (a slice by its angle) and the question is multiple choice: four sibling questions
    on the chart (four cells drawn as the question draws its cell), far enough apart for the
    picture to tell them apart, and the key one of the four at random. The option set is
    drawn first and the key from it, so the key is exchangeable with the others exactly."""
    rng, pb = job.rng, job.pb
    gap = read_gap(kind, table)
    for _ in range(40):
        asks: dict = {}
        for _ in range(12):
            b = QUESTIONS[qkind](table, rng)
            asks.setdefault(answer_text(b, pb, rng), b)
            if len(asks) == 4:
                break
        vals = [float(b.answer) for b in asks.values()]
        if len(vals) == 4 and all(abs(x - y) >= gap for i, x in enumerate(vals) for y in vals[i + 1:]):
            index = int(rng.integers(4))
            ask = list(asks.values())[index]
            ask.needs_values = False
            return ask, (list(asks), index, [answer_value(b) for b in asks.values()]), set()
    raise Rejected("question", f"the {kind} chart has no four clearly different values to offer")


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _decoys(qkind: str, table: Table, ask: CAsk, rng) -> set:
    """The cells of sibling questions a crowded chart prints beside those asked about when the
    question has no options (a multiple-choice one prints its options' cells): those of up to
    three siblings drawn for it."""
    out: set = set()
    for _ in range(6):
        try:
            b = QUESTIONS[qkind](table, rng)
        except Rejected:
            continue
        if b.target != ask.target:
            out |= set(b.cells)
        if len(out - set(ask.cells)) >= 3:
            break
    return out


def _variant_cells(ask: CAsk, table: Table, rng):
    """(the givens each variant leaves to the picture, image_needed per variant).

    text_lite leaves out one given whose change moves the answer (any, for a number), or,
    when the answer is a category or series (the largest one, where two lines cross), every
    given: with all values but one stated, the largest stated one would be the answer most
    of the time, and the picture would not be needed. vision_dominant leaves out every
    given. image_needed says, per variant, whether changing one of the cells its text leaves
    to the picture (the asked cell of a recognition question, in every variant) changes the
    answer; a fact of the picture that is no cell (a count, a colour, the axis label) always
    does."""
    vals = table.floats()
    lite: list = []
    if ask.kind in ("word", "pair"):
        lite = list(ask.givens)
    elif ask.givens:
        movers = [g for g in ask.givens if moved(ask, vals, [g])]
        lite = [_pick(rng, movers or ask.givens)]
    hidden = {"text_dominant": [], "text_lite": lite, "vision_dominant": list(ask.givens)}
    needed = {v: bool(ask.picture_only or moved(ask, vals, ask.reads + hidden[v])) for v in VARIANTS}
    return hidden, needed


def _scene(kind: str, table: Table, title: str, xlabel: str, ylabel: str, theme: str, labels_on: bool,
           extra: dict, names: list[str] | None, colours: list[str] | None) -> dict:
    scene = {"points": {}, "objects": [
        {"type": "series", "name": name, "kind": kind, "labels": list(table.categories),
         "values": [float(v) for v in table.values[i]]} for i, name in enumerate(table.series)]}
    if names is not None:
        for i, obj in enumerate(scene["objects"]):
            k = slice(None) if kind in ROUND else slice(i, i + 1)
            obj["colors"], obj["color_names"] = colours[k], names[k]
    value_axis = ylabel if kind == "histogram" else axis_label(table.measure, table.unit)
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
    topics = _topics(spec, kind, qkind)
    topic = topics[int(rng.integers(len(topics)))]
    table, title, xlabel, ylabel, extra = _table(spec, rng, pb, kind, qkind, topic)
    theme = spec.themes[int(rng.integers(len(spec.themes)))]
    n_colours = len(table.categories) if kind in ROUND else len(table.series)
    names = _colour_names(pb, rng, theme, n_colours) if kind in SUPPORT["colour"] else None
    colours = None
    if names is not None:
        table = replace(table, colour_names=tuple(names))
        colours = [h.lower() for h in THEMES[theme]["colors"][:n_colours]]
    hide = _reads_one(qkind, kind)
    found = None
    if hide:
        found = _read_options(job, kind, qkind, table)
    elif bool(rng.random() < spec.multiple_choice) or qkind in PAIRS:
        found = _options(job, spec, kind, qkind, table)
    ask, options, option_cells = found if found is not None else (_ask(qkind, table, rng), None, None)
    decoys = ()
    if _crowded(kind, table) and ask.needs_values:
        decoys = option_cells if option_cells is not None else _decoys(qkind, table, ask, rng)
    hidden, image_needed = _variant_cells(ask, table, rng)
    ask.finish()
    labels_on, markers, note, labelled = _marks(spec, rng, pb, kind, table, ask, decoys, answer_text(ask, pb, rng),
                                                hide)
    cs = ChartSpec(kind, title, table.categories, table.series, tuple(tuple(float(v) if table.decimals else int(v)
                                                                         for v in row) for row in table.values),
                   xlabel, ylabel, theme, labels_on, table.decimals, unit=table.unit, markers=markers, note=note,
                   labelled=labelled, **extra)
    code = program(cs)
    scene = _scene(kind, table, title, xlabel, ylabel, theme, labels_on, extra, names, colours)
    posed = Posed(ask.target, answer_value(ask), exact=True, what=f"{ask.qtype} ({ask.target})")
    every = {(i, c) for i in range(len(table.series)) for c in range(len(table.categories))}
    printed = frozenset() if not labels_on else frozenset(every if labelled is None else labelled)
    state = ChartState(kind, table, ask, title, extra, colours, code, options, hidden, image_needed, printed)
    return Built(scene, [posed], state, attachments=[Attachment("program", "code", ".py", code)])
