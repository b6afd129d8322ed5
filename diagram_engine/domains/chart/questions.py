"""Questions on a chart: recognition (read a value, the largest category, how many series)
and reasoning (a difference, a percent change, an average, the largest rise).

Each builder picks what to ask so the answer is unambiguous (a clear maximum, a rise larger
than every other by a margin), computes it exactly from the table, and says how to compute
it again from any values (``recompute``): the drawing step recomputes it from the values
read back from the drawn chart (the domain's ``check`` re-measures it from the record's
series). Every builder is ``builder(table, rng) -> CAsk``; one that cannot ask its question
of the table raises ``Rejected("question", detail)``.

A builder draws what it asks (the cell, the pair of categories, the series) with ``rng``, so
the same builder run again on the same table is a *sibling question*: its answer is drawn
from the same distribution as the key's, which is what the wrong options are made of
(``build._options``). ``moved`` tells whether changing a cell changes the answer, which
decides what text_lite may leave to the picture and each variant's ``image_needed``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from ...core import Ask
from ...errors import Rejected
from ...writing import t
from .data import BOX_STATS, Table
from .vocabulary import axis_label

__all__ = ["QUESTIONS", "SUPPORT", "CAsk", "answer_text", "answer_value", "exact_number", "least_squares", "moved",
           "round_text", "value_text"]


@dataclass
class CAsk(Ask):
    """A chart question. ``answer`` is an exact number, a word, or ``[from, to]``; ``kind`` is
    number | word | count | pair.

    ``givens`` are the table cells (series index, category index) a solution works from, which
    the text may state (text_dominant states them all); ``reads`` the cells it reads off the
    chart and no text ever states (those of a recognition question: the asked cell, or the
    cells compared to find the largest category or series: stating them would state the
    answer); ``picture_only`` marks an answer that is a fact of the picture and of
    no cell (how many series, a colour, the axis label). ``make_steps`` writes the solution
    steps (slot, variables), only for the question kept: sibling questions drawn for the
    options need their answer alone."""
    givens: list = field(default_factory=list)
    recompute: Callable | None = None    # values[s][c] (floats) -> the answer
    needs_values: bool = True            # the picture must print the values (value labels)
    percent: bool = False                # the answer is a percentage
    extra: dict = field(default_factory=dict)
    reads: list = field(default_factory=list)
    picture_only: bool = False
    make_steps: Callable | None = None

    def finish(self) -> CAsk:
        """The question with its solution steps written."""
        if self.make_steps is not None and not self.steps:
            self.steps = self.make_steps()
        return self

    @property
    def cells(self) -> list:
        """Every table cell the solution reads, stated or not."""
        return [g for g in self.reads + self.givens if isinstance(g[0], int)]


def answer_value(ask: CAsk, a=None):
    """The answer (or another answer ``a`` of the same question) as the re-measure gives it:
    a word, a pair of words, or a float."""
    a = ask.answer if a is None else a
    if ask.kind in ("word", "pair"):
        return list(a) if ask.kind == "pair" else a
    return float(a)


def answer_text(ask: CAsk, pb=None, rng=None, a=None) -> str:
    """The answer (or another answer ``a`` of the same question) as written."""
    a = ask.answer if a is None else a
    if ask.kind == "word":
        return str(a)
    if ask.kind == "pair":
        return pb.say("answer.pair", rng, a=a[0], b=a[1])
    if ask.kind == "count":
        return t(sp.Integer(a))
    return round_text(a) + ("%" if ask.percent else "")


def _no(tb: Table, what: str) -> Rejected:
    """The rejection of a question the table cannot ask clearly."""
    return Rejected("question", f"the {getattr(tb.topic, 'id', '')} table gives no clear {what} question")


def value_text(v, decimals: int) -> str:
    """A value as the chart prints it: 45, 12.5, 7.0 (exact rationals of the table)."""
    return t(v) if decimals == 0 else f"{float(v):.{decimals}f}"


def exact_number(v):
    """``v`` as an exact sympy number: a table's values and the answers worked out from them
    already are (``nsimplify`` would search for a closed form, 13 ms a call)."""
    return v if isinstance(v, sp.Rational) else sp.Integer(v) if isinstance(v, int) else sp.nsimplify(v)


def round_text(v, places: int = 2) -> str:
    """An exact result written exactly when ``places`` decimals hold it, else rounded to
    them: 12, 166.5, 4.25, 13.33."""
    v = exact_number(v)
    if v.is_Integer:
        return t(v)
    text = f"{float(v):.{places}f}"
    return text.rstrip("0").rstrip(".") if v.is_Rational and 10 ** places % v.q == 0 else text


def _number(text: str):
    """A category or bin edge as a number (2019, 150), or None (Kraków, 150–155)."""
    try:
        return sp.Rational(text)
    except (TypeError, ValueError):
        return None


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _series_i(rng, tb: Table) -> int:
    return int(rng.integers(len(tb.series)))


def _vt(tb: Table):
    return lambda v: value_text(v, tb.decimals)


def q_read_value(tb: Table, rng) -> CAsk:
    s, c = _series_i(rng, tb), int(rng.integers(len(tb.categories)))
    v = tb.values[s][c]
    many = len(tb.series) > 1
    return CAsk("read-value", {"measure": "value", "of": tb.series[s], "at": tb.categories[c]}, v, "number",
                (_slot("ask.read-value", tb), {"series": tb.series[s], "category": tb.categories[c], "many": many,
                                               "noun": _noun(tb)}),
                reads=[(s, c)], recompute=lambda vals: vals[s][c],
                make_steps=lambda: [("read-value.find", {"series": tb.series[s], "category": tb.categories[c],
                                                         "many": many, "hist": _is_hist(tb)}),
                                    ("read-value", {"series": tb.series[s], "category": tb.categories[c],
                                                    "many": many, "value": value_text(v, tb.decimals)})])


def _clear_extreme(vals, sign, margin) -> int | None:
    order = sorted(range(len(vals)), key=lambda i: -sign * vals[i])
    if len(vals) < 2 or sign * (vals[order[0]] - vals[order[1]]) < margin:
        return None
    return order[0]


def _is_box(tb: Table) -> bool:
    return tb.series == BOX_STATS


def _is_hist(tb: Table) -> bool:
    return hasattr(tb.topic, "widths")


def _slot(name: str, tb: Table) -> str:
    """The ask slot: box plots and histograms have their own wording."""
    return name + (".box" if _is_box(tb) else ".histogram" if _is_hist(tb) else "")


def q_largest(tb: Table, rng) -> CAsk:
    s = 2 if _is_box(tb) else _series_i(rng, tb)        # a box plot: the median
    vals = [float(v) for v in tb.values[s]]
    word = _pick(rng, ["max", "min"])
    sign = 1 if word == "max" else -1
    span = max(vals) - min(vals)
    i = _clear_extreme(vals, sign, 0.08 * max(span, 1e-9))
    if i is None:
        raise _no(tb, "extreme")
    many = len(tb.series) > 1

    def steps():
        order = sorted(range(len(vals)), key=lambda j: -sign * vals[j])
        return [("extreme.order", {"which": word, "box": _is_box(tb),
                                   "values": [{"category": tb.categories[j], "value": value_text(tb.values[s][j],
                                                                                                 tb.decimals)}
                                              for j in order]}),
                ("extreme", {"category": tb.categories[i], "value": value_text(tb.values[s][i], tb.decimals),
                             "which": word, "box": _is_box(tb)})]
    return CAsk("extreme", {"measure": "argmax" if word == "max" else "argmin", "of": tb.series[s]},
                tb.categories[i], "word",
                (_slot("ask.extreme", tb), {"series": tb.series[s], "which": word, "many": many, "noun": _noun(tb)}),
                reads=[(s, c) for c in range(len(vals))], needs_values=False, make_steps=steps,
                recompute=lambda v: tb.categories[max(range(len(v[s])), key=lambda j: sign * v[s][j])])


def q_series_count(tb: Table, rng) -> CAsk:
    n = len(tb.series)
    if n < 2:
        raise _no(tb, "series-count")
    return CAsk("series-count", {"measure": "count"}, sp.Integer(n), "count", ("ask.series-count", {}),
                recompute=lambda v: len(v), needs_values=False, picture_only=True,
                make_steps=lambda: [("series-count.legend", {"names": list(tb.series)}),
                                    ("series-count", {"n": n})])


def _noun(tb: Table) -> str:
    """The noun of the table's categories: a box plot's groups are the topic's series (regions,
    years), a histogram counts its distribution's noun."""
    if _is_box(tb):
        return tb.topic.series.noun
    return getattr(tb.topic, "category_noun", None) or getattr(tb.topic, "noun", "")


def _two(tb: Table, rng, ordered_pair: bool):
    s = 2 if _is_box(tb) else _series_i(rng, tb)
    n = len(tb.categories)
    for _ in range(20):
        a, b = sorted(int(x) for x in rng.choice(n, 2, replace=False))
        if tb.values[s][a] != tb.values[s][b]:
            return s, a, b
    raise Rejected("question", f"the {getattr(tb.topic, 'id', '')} table has no two different values to compare")


def q_difference(tb: Table, rng) -> CAsk:
    s, a, b = _two(tb, rng, False)
    if tb.values[s][a] > tb.values[s][b]:
        a, b = b, a                 # ask how much larger b is than a
    va, vb = tb.values[s][a], tb.values[s][b]
    d = vb - va
    vt = _vt(tb)
    ctx = {"hi": tb.categories[b], "lo": tb.categories[a], "vhi": vt(vb), "vlo": vt(va), "box": _is_box(tb)}
    return CAsk("difference", {"measure": "difference", "of": tb.series[s], "from": tb.categories[a],
                               "to": tb.categories[b]}, d, "number",
                (_slot("ask.difference", tb), {"series": tb.series[s], "hi": tb.categories[b],
                                               "lo": tb.categories[a], "many": len(tb.series) > 1}),
                givens=[(s, a), (s, b)], recompute=lambda v: v[s][b] - v[s][a],
                make_steps=lambda: [("difference.values", ctx), ("difference", dict(ctx, value=vt(d)))])


def _adds(tb: Table, over: str) -> bool:
    """Whether the table's values add up ``over`` "series" or "categories" (a histogram's
    counts add up over its bins)."""
    return bool(getattr(tb.topic, "adds_over_" + over, True))


def _ratio_scale(tb: Table) -> bool:
    return bool(getattr(tb.topic, "ratio_scale", True))


def q_percent_change(tb: Table, rng) -> CAsk:
    if not tb.ordered or not _ratio_scale(tb):
        raise _no(tb, "percent-change")
    s, a, b = _two(tb, rng, True)
    va, vb = tb.values[s][a], tb.values[s][b]
    p = 100 * (vb - va) / va
    vt = _vt(tb)
    ctx = {"a": tb.categories[a], "b": tb.categories[b], "va": vt(va), "vb": vt(vb), "d": vt(vb - va)}
    return CAsk("percent-change", {"measure": "percent-change", "of": tb.series[s], "from": tb.categories[a],
                                   "to": tb.categories[b]}, p, "number",
                ("ask.percent-change", {"series": tb.series[s], "a": tb.categories[a], "b": tb.categories[b],
                                        "many": len(tb.series) > 1}),
                givens=[(s, a), (s, b)], recompute=lambda v: 100 * (v[s][b] - v[s][a]) / v[s][a], percent=True,
                make_steps=lambda: [("percent-change.change", ctx),
                                    ("percent-change", dict(ctx, value=round_text(p)))])


def q_average(tb: Table, rng) -> CAsk:
    s = _series_i(rng, tb)
    row = tb.values[s]
    avg = sum(row) / len(row)
    vt = _vt(tb)
    ctx = lambda: {"values": [vt(v) for v in row], "sum": vt(sum(row)), "n": len(row), "value": round_text(avg)}
    return CAsk("average", {"measure": "average", "of": tb.series[s]}, avg, "number",
                ("ask.average", {"series": tb.series[s], "many": len(tb.series) > 1}),
                givens=[(s, c) for c in range(len(row))], recompute=lambda v: sum(v[s]) / len(v[s]),
                make_steps=lambda: [("average.sum", ctx()), ("average", ctx())])


def q_largest_increase(tb: Table, rng) -> CAsk:
    if not tb.ordered:
        raise _no(tb, "largest-increase")
    s = _series_i(rng, tb)
    row = [float(v) for v in tb.values[s]]
    rises = [row[i + 1] - row[i] for i in range(len(row) - 1)]
    order = sorted(range(len(rises)), key=lambda i: -rises[i])
    span = max(row) - min(row)
    if rises[order[0]] <= 0 or (len(order) > 1 and rises[order[0]] - rises[order[1]] < 0.08 * span):
        raise _no(tb, "largest-increase")
    i = order[0]
    pair = [tb.categories[i], tb.categories[i + 1]]
    vt = _vt(tb)

    def steps():
        diffs = [{"a": tb.categories[j], "b": tb.categories[j + 1], "d": vt(tb.values[s][j + 1] - tb.values[s][j])}
                 for j in range(len(rises))]
        return [("largest-increase.changes", {"diffs": diffs}),
                ("largest-increase", {"a": pair[0], "b": pair[1], "d": diffs[i]["d"]})]

    def again(v):
        j = max(range(len(v[s]) - 1), key=lambda j: v[s][j + 1] - v[s][j])
        return [tb.categories[j], tb.categories[j + 1]]
    return CAsk("largest-increase", {"measure": "largest-increase", "of": tb.series[s]}, pair, "pair",
                ("ask.largest-increase", {"series": tb.series[s], "noun": tb.topic.category_noun,
                                          "many": len(tb.series) > 1}),
                givens=[(s, c) for c in range(len(row))], recompute=again, make_steps=steps)


def q_share(tb: Table, rng) -> CAsk:
    """The share of one category in a one-series whole: a pie's slice (whole percentages
    summing to 100, read off the chart by the slice's angle: no text states it) or a histogram
    bin's part of the sample (worked out from every bin's count)."""
    c = int(rng.integers(len(tb.categories)))
    row = tb.values[0]
    v, total = row[c], sum(row)
    if v == 0:
        raise _no(tb, "share")
    share = 100 * v / total
    target = {"measure": "share", "of": tb.series[0], "at": tb.categories[c]}
    ask = (_slot("ask.share", tb), {"category": tb.categories[c], "noun": _noun(tb)})
    again = lambda vals: 100 * vals[0][c] / sum(vals[0])
    if total == 100:
        return CAsk("share", target, share, "number", ask, reads=[(0, c)], recompute=again, percent=True,
                    make_steps=lambda: [("share.slice", {"category": tb.categories[c], "value": value_text(v, 0),
                                                         "deg": round_text(sp.Rational(18, 5) * v, 1)}),
                                        ("share.whole", {"category": tb.categories[c], "value": value_text(v, 0),
                                                         "deg": round_text(sp.Rational(18, 5) * v, 1)})])
    ctx = lambda: {"count": value_text(v, 0), "values": [value_text(x, 0) for x in row],
                   "total": value_text(total, 0), "value": round_text(share), "category": tb.categories[c]}
    return CAsk("share", target, share, "number", ask, givens=[(0, k) for k in range(len(row))], recompute=again,
                percent=True, make_steps=lambda: [("share.total", ctx()), ("share", ctx())])


def _crossings(a, b) -> list[int]:
    """Indices i where a - b changes sign between i and i + 1 (None when a value ties)."""
    d = [x - y for x, y in zip(a, b)]
    if any(v == 0 for v in d):
        return None
    return [i for i in range(len(d) - 1) if (d[i] > 0) != (d[i + 1] > 0)]


def q_crossing(tb: Table, rng) -> CAsk:
    if not tb.ordered or len(tb.series) < 2:
        raise _no(tb, "crossing")
    pairs = [(i, j) for i in range(len(tb.series)) for j in range(i + 1, len(tb.series))]
    i, j = pairs[int(rng.integers(len(pairs)))]
    cr = _crossings(tb.values[i], tb.values[j])
    if cr is None or len(cr) != 1:
        raise _no(tb, "crossing")
    k = cr[0]
    up = i if tb.values[i][k + 1] > tb.values[j][k + 1] else j      # the series that overtakes
    down = j if up == i else i
    pair = [tb.categories[k], tb.categories[k + 1]]
    vt = _vt(tb)
    ctx = lambda: {"a": tb.series[up], "b": tb.series[down], "c0": pair[0], "c1": pair[1],
                   "a0": vt(tb.values[up][k]), "b0": vt(tb.values[down][k]),
                   "a1": vt(tb.values[up][k + 1]), "b1": vt(tb.values[down][k + 1])}

    def again(v):
        m = _crossings(v[i], v[j])[0]
        return [tb.categories[m], tb.categories[m + 1]]
    return CAsk("crossing", {"measure": "crossing", "of": [tb.series[i], tb.series[j]]}, pair, "pair",
                ("ask.crossing", {"a": tb.series[up], "b": tb.series[down], "noun": tb.topic.category_noun}),
                givens=[(i, c) for c in range(len(tb.categories))] + [(j, c) for c in range(len(tb.categories))],
                recompute=again, make_steps=lambda: [("crossing.before", ctx()), ("crossing", ctx())])


def q_axis_measure(tb: Table, rng) -> CAsk:
    label = axis_label(tb.measure, tb.unit)
    return CAsk("axis-measure", {"measure": "axis-label"}, label, "word", ("ask.axis-measure", {}),
                recompute=lambda v: label, needs_values=False, picture_only=True,
                make_steps=lambda: [("axis-measure.find", {}), ("axis-measure", {"label": label})])


def least_squares(xs, ys):
    """(slope, intercept) of the least-squares line, exact for exact inputs."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return slope, my - slope * mx


def q_trend_forecast(tb: Table, rng) -> CAsk:
    if tb.topic.categories.kind != "years":
        raise _no(tb, "trend-forecast")
    xs = [sp.Integer(int(c)) for c in tb.categories]
    nxt = xs[-1] + 1
    slope, icpt = least_squares(xs, list(tb.values[0]))
    pred = slope * nxt + icpt
    ctx = lambda: {"n": len(xs), "slope": round_text(slope, 4), "mean_x": round_text(sum(xs) / len(xs)),
                   "mean_y": round_text(sum(tb.values[0]) / len(xs)), "year": str(nxt), "value": round_text(pred)}
    fx = [float(x) for x in xs]
    return CAsk("trend-forecast", {"measure": "trend-forecast", "of": tb.series[0], "at": str(nxt)}, pred, "number",
                ("ask.trend-forecast", {"year": str(nxt)}),
                givens=[(0, c) for c in range(len(xs))],
                recompute=lambda v: float(least_squares(fx, v[0])[0] * float(nxt) + least_squares(fx, v[0])[1]),
                make_steps=lambda: [("trend-forecast.fit", ctx()), ("trend-forecast", ctx())])


def q_total(tb: Table, rng) -> CAsk:
    """With several series: the total of one category over the series (a stack's height).
    With one: the sum over the categories, all of them or those from (or up to) a category
    (a histogram: how many values lie at or above / below a bin edge)."""
    vt = _vt(tb)
    if not _adds(tb, "series" if len(tb.series) > 1 else "categories"):
        raise _no(tb, "total")          # rates, averages, indices, or shares of different wholes
    if len(tb.series) > 1:
        c = int(rng.integers(len(tb.categories)))
        col = [row[c] for row in tb.values]
        total = sum(col)
        ctx = lambda: {"values": [vt(v) for v in col], "value": vt(total), "category": tb.categories[c],
                       "parts": [{"series": n, "value": vt(v)} for n, v in zip(tb.series, col)], "part": "category"}
        return CAsk("total", {"measure": "total", "at": tb.categories[c]}, total, "number",
                    ("ask.total.category", {"category": tb.categories[c], "noun": _noun(tb)}),
                    givens=[(i, c) for i in range(len(col))], recompute=lambda v: sum(row[c] for row in v),
                    make_steps=lambda: [("total.parts", ctx()), ("total", ctx())])
    row = tb.values[0]
    n = len(row)
    part = _pick(rng, ["all", "from", "to"]) if n > 3 else "all"
    k = int(rng.integers(1, n)) if part != "all" else 0
    lo, hi = {"all": (0, n), "from": (k, n), "to": (0, k)}[part]
    total = sum(row[lo:hi])
    target = {"measure": "total", "of": tb.series[0]}
    if part == "from":
        target["from"] = tb.categories[lo]
    if part == "to":
        target["to"] = tb.categories[hi - 1]
    edge = tb.categories[k].split("–")[0] if part != "all" else ""
    named = {edge, tb.categories[lo], tb.categories[hi - 1]} if part != "all" else set()
    if any(_number(x) == total for x in named):     # "how many below 30?" answered by 30
        raise _no(tb, "total")
    ctx = lambda: {"values": [vt(v) for v in row[lo:hi]], "value": vt(total), "part": part,
                   "first": tb.categories[lo], "last": tb.categories[hi - 1], "n": hi - lo,
                   "parts": [{"series": tb.categories[j], "value": vt(row[j])} for j in range(lo, hi)]}
    return CAsk("total", target, total, "number",
                (_slot("ask.total", tb), {"part": part, "first": tb.categories[lo], "last": tb.categories[hi - 1],
                                          "edge": edge, "noun": _noun(tb), "unit": tb.unit}),
                givens=[(0, i) for i in range(lo, hi)], recompute=lambda v: sum(v[0][lo:hi]),
                make_steps=lambda: [("total.parts", ctx()), ("total", ctx())])


def q_ratio(tb: Table, rng) -> CAsk:
    """How many times one value is another: two categories of a series, or (with several
    series) two series at one category."""
    if not _ratio_scale(tb):
        raise _no(tb, "ratio")
    if len(tb.series) > 1 and rng.random() < 0.5:
        c = int(rng.integers(len(tb.categories)))
        i, j = (int(x) for x in rng.choice(len(tb.series), 2, replace=False))
        a, b = (i, c), (j, c)
    else:
        s = _series_i(rng, tb)
        i, j = (int(x) for x in rng.choice(len(tb.categories), 2, replace=False))
        a, b = (s, i), (s, j)
    va, vb = tb.values[a[0]][a[1]], tb.values[b[0]][b[1]]
    if va < vb:
        a, b, va, vb = b, a, vb, va
    if vb == 0 or va == vb:
        raise _no(tb, "ratio")
    r = va / vb
    many = len(tb.series) > 1

    def name(g):
        return {"series": tb.series[g[0]], "category": tb.categories[g[1]]}
    vt = _vt(tb)
    ctx = lambda: {"a": name(a), "b": name(b), "many": many, "va": vt(va), "vb": vt(vb), "value": round_text(r)}
    return CAsk("ratio", {"measure": "ratio", "num": [tb.series[a[0]], tb.categories[a[1]]],
                          "den": [tb.series[b[0]], tb.categories[b[1]]]}, r, "number",
                ("ask.ratio", {"a": name(a), "b": name(b), "many": many, "same": a[0] == b[0]}),
                givens=[a, b], recompute=lambda v: v[a[0]][a[1]] / v[b[0]][b[1]],
                make_steps=lambda: [("ratio.values", ctx()), ("ratio", ctx())])


def q_gap(tb: Table, rng) -> CAsk:
    """How far apart two series are at one category (a box plot: the interquartile range or
    the range of a group)."""
    if len(tb.series) < 2:
        raise _no(tb, "gap")
    c = int(rng.integers(len(tb.categories)))
    if _is_box(tb):
        i, j = (3, 1) if rng.random() < 0.5 else (4, 0)
    else:
        i, j = (int(x) for x in rng.choice(len(tb.series), 2, replace=False))
        if tb.values[i][c] < tb.values[j][c]:
            i, j = j, i
    vi, vj = tb.values[i][c], tb.values[j][c]
    if vi == vj:
        raise _no(tb, "gap")
    d = vi - vj
    vt = _vt(tb)
    ctx = {"a": tb.series[i], "b": tb.series[j], "va": vt(vi), "vb": vt(vj), "value": vt(d),
           "category": tb.categories[c], "box": _is_box(tb), "iqr": i == 3}
    return CAsk("gap", {"measure": "gap", "of": [tb.series[i], tb.series[j]], "at": tb.categories[c]}, d, "number",
                (_slot("ask.gap", tb), {"a": tb.series[i], "b": tb.series[j], "category": tb.categories[c],
                                        "iqr": i == 3}),
                givens=[(i, c), (j, c)], recompute=lambda v: v[i][c] - v[j][c],
                make_steps=lambda: [("gap.values", ctx), ("gap", ctx)])


def q_compare(tb: Table, rng) -> CAsk:
    """Which series is largest at one category (clearly: by 8% of the value range)."""
    if len(tb.series) < 2:
        raise _no(tb, "compare")
    c = int(rng.integers(len(tb.categories)))
    col = [float(row[c]) for row in tb.values]
    span = max(float(v) for row in tb.values for v in row) - min(float(v) for row in tb.values for v in row)
    which = _pick(rng, ["max", "min"])
    sign = 1 if which == "max" else -1
    i = _clear_extreme(col, sign, 0.08 * max(span, 1e-9))
    if i is None:
        raise _no(tb, "compare")
    ctx = lambda: {"category": tb.categories[c], "which": which, "series": tb.series[i],
                   "values": [{"series": tb.series[k], "value": value_text(tb.values[k][c], tb.decimals)}
                              for k in sorted(range(len(col)), key=lambda k: -sign * col[k])]}
    return CAsk("compare", {"measure": "argmax-series" if which == "max" else "argmin-series",
                            "at": tb.categories[c]}, tb.series[i], "word",
                ("ask.compare", {"category": tb.categories[c], "which": which, "noun": tb.topic.series.noun}),
                reads=[(k, c) for k in range(len(tb.series))],
                recompute=lambda v: tb.series[max(range(len(v)), key=lambda k: sign * v[k][c])],
                make_steps=lambda: [("compare.order", ctx()), ("compare", ctx())])


def q_box_stat(tb: Table, rng) -> CAsk:
    """One statistic of one group of a box plot, read off its printed value."""
    if not _is_box(tb):
        raise _no(tb, "box-stat")
    s, c = int(rng.integers(5)), int(rng.integers(len(tb.categories)))
    v = tb.values[s][c]
    ctx = {"stat": tb.series[s], "category": tb.categories[c], "value": value_text(v, tb.decimals), "which": s}
    return CAsk("box-stat", {"measure": "value", "of": tb.series[s], "at": tb.categories[c]}, v, "number",
                ("ask.box-stat", {"stat": tb.series[s], "category": tb.categories[c]}),
                reads=[(s, c)], recompute=lambda vals: vals[s][c],
                make_steps=lambda: [("box-stat.find", ctx), ("box-stat", ctx)])


def q_colour(tb: Table, rng) -> CAsk:
    """The colour of one series (a pie: of one slice), named by the table's ``colour_names``
    (the names of the series' or slices' colours in order, set once the theme is known)."""
    names = tb.colour_names
    if not names or len(set(names)) != len(names):
        raise _no(tb, "colour")
    pie = len(tb.series) == 1
    k = int(rng.integers(len(names)))
    what = tb.categories[k] if pie else tb.series[k]
    target = {"measure": "colour", "of": tb.series[0], "at": what} if pie else {"measure": "colour", "of": what}
    ctx = {"what": what, "colour": names[k], "pie": pie}
    # recompute is not the check here: drawing names the drawn artist's colour instead
    return CAsk("colour", target, names[k], "word", ("ask.colour", {"what": what, "pie": pie}),
                recompute=lambda v: names[k], needs_values=False, picture_only=True,
                extra={"index": k, "what": what, "name": names[k]},
                make_steps=lambda: [("colour.find", ctx), ("colour", ctx)])


def moved(ask: CAsk, values: list[list[float]], cells) -> bool:
    """Whether changing one of ``cells`` (one at a time: up or down by a quarter of the value
    range, or past the smallest or the largest value) moves the answer: the variant that
    leaves those cells to the picture needs its picture. A change that leaves the question
    unanswerable (no crossing any more, a division by zero) moves it too."""
    want = answer_value(ask)
    flat = [x for row in values for x in row]
    top, bottom = max(flat), min(flat)
    step = max(0.25 * (top - bottom), 1.0)
    for s, c in cells:
        v = values[s][c]
        for x in (v + step, v - step, top + step, bottom - step):
            vals = [list(row) for row in values]
            vals[s][c] = x
            try:
                got = ask.recompute(vals)
            except (ArithmeticError, IndexError, TypeError, ValueError):
                return True
            if isinstance(want, float):
                if abs(float(got) - want) > 1e-9 * max(1.0, abs(want)):
                    return True
            elif got != want:
                return True
    return False


QUESTIONS = {"read-value": q_read_value, "extreme": q_largest, "series-count": q_series_count,
             "difference": q_difference, "percent-change": q_percent_change, "average": q_average,
             "largest-increase": q_largest_increase, "share": q_share, "axis-measure": q_axis_measure,
             "trend-forecast": q_trend_forecast, "crossing": q_crossing, "total": q_total, "ratio": q_ratio,
             "gap": q_gap, "compare": q_compare, "box-stat": q_box_stat, "colour": q_colour}
# which chart kinds each question suits
SUPPORT = {"read-value": {"bar", "hbar", "stacked", "percent", "line", "area", "stackedarea", "radar", "heatmap",
                          "scatter", "histogram", "barline", "panels"},     # not bubbles: no scale to read against
           "extreme": {"bar", "hbar", "line", "area", "pie", "donut", "radar", "heatmap", "scatter", "bubble",
                       "histogram", "box", "panels"},
           "series-count": {"bar", "hbar", "stacked", "percent", "line", "stackedarea", "radar", "bubble"},
           "difference": {"bar", "hbar", "stacked", "percent", "line", "area", "stackedarea", "radar", "heatmap",
                          "bubble", "histogram", "box", "barline", "panels"},
           "percent-change": {"bar", "line", "area", "stackedarea", "barline", "panels"},
           "average": {"bar", "hbar", "stacked", "line", "area", "stackedarea", "radar", "heatmap", "scatter",
                       "bubble", "panels"},
           "largest-increase": {"bar", "line", "area", "stackedarea", "barline", "panels"},
           "share": {"pie", "donut", "histogram"},
           "axis-measure": {"bar", "hbar", "stacked", "line", "area", "stackedarea", "heatmap", "scatter", "box",
                            "panels"},
           "trend-forecast": {"scatter"}, "crossing": {"line"},
           "total": {"bar", "hbar", "stacked", "stackedarea", "bubble", "histogram", "panels"},
           "ratio": {"bar", "hbar", "line", "bubble", "histogram", "panels"},
           "gap": {"bar", "hbar", "line", "bubble", "box", "panels"},
           "compare": {"bar", "hbar", "line", "stackedarea", "bubble", "radar", "panels"},
           "box-stat": {"box"},
           "colour": {"bar", "hbar", "stacked", "percent", "line", "area", "stackedarea", "radar", "bubble", "pie",
                      "donut"}}
