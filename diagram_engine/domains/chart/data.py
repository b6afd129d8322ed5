"""Data tables with meaning: a topic from the vocabulary, values with controlled properties.

Values are drawn from the topic's range and shaped by a trend over ordered categories
(rising, falling, a peak, a dip, steady), then rounded to the topic's decimals. The table is
exact (sympy rationals): the answers are computed from it, and checked again against the
values read back from the drawn chart.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
import sympy as sp

from ...errors import Rejected

__all__ = [
    "BOX_STATS",
    "Table",
    "box_table",
    "crossing_table",
    "cumulative_table",
    "histogram_table",
    "percent_table",
    "redraw",
    "sample_table",
    "shares_table",
]


@dataclass(frozen=True)
class Table:
    topic: object                      # the vocabulary topic
    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[sp.Rational, ...], ...]      # values[s][c], exact
    ordered: bool                      # categories are years or months (a trend makes sense)
    decimals: int
    unit: str
    measure: str
    colour_names: tuple[str, ...] | None = None     # the names of the series' (a pie: slices') colours, in
    #                                                  order, once the theme is known (the colour question)
    source: tuple = ()                 # how the values were drawn, for :func:`redraw`: (maker, *its arguments)

    def column(self, s: int) -> tuple:
        return self.values[s]

    def floats(self) -> list[list[float]]:
        return [[float(v) for v in row] for row in self.values]


def _round(x: float, decimals: int) -> sp.Rational:
    q = 10 ** decimals
    return sp.Rational(round(x * q), q)


def _trend(rng, shape: str, n: int, lo: float, hi: float) -> list[float]:
    span = hi - lo
    base = lo + span * rng.uniform(0.15, 0.35)
    top = lo + span * rng.uniform(0.7, 0.95)
    xs = [i / (n - 1) for i in range(n)] if n > 1 else [0.0]
    if shape == "rising":
        ys = [base + (top - base) * x for x in xs]
    elif shape == "falling":
        ys = [top - (top - base) * x for x in xs]
    elif shape == "peak":
        k = rng.uniform(0.35, 0.65)
        ys = [base + (top - base) * (1 - abs(x - k) / max(k, 1 - k)) for x in xs]
    elif shape == "dip":
        k = rng.uniform(0.35, 0.65)
        ys = [top - (top - base) * (1 - abs(x - k) / max(k, 1 - k)) for x in xs]
    else:
        mid = (base + top) / 2
        ys = [mid for _ in xs]
    noise = span * 0.06
    return [min(hi, max(lo, y + rng.uniform(-noise, noise))) for y in ys]


def sample_table(rng, topic, n_cat: int, n_series: int) -> Table:
    """A table of ``n_series`` series over ``n_cat`` categories of ``topic``."""
    cats = tuple(topic.categories_for(rng, n_cat))
    series = tuple(topic.series_for(rng, n_series)) if n_series > 1 else (topic.measure,)
    ordered = topic.categories.kind in ("years", "months")
    rows = _sample_rows(rng, topic, n_cat, n_series)
    return Table(topic, cats, series, rows, ordered, topic.decimals, topic.unit, topic.measure,
                 source=("sample",))


def _sample_rows(rng, topic, n_cat: int, n_series: int) -> tuple:
    if topic.values == "shares":
        return tuple(_share_row(rng, topic, n_cat) for _ in range(n_series))
    lo, hi = (float(v) for v in topic.value_range)
    ordered = topic.categories.kind in ("years", "months")
    rows = []
    for _ in range(n_series):
        if ordered and topic.trends:
            shape = topic.trends[int(rng.integers(len(topic.trends)))]
            raw = _trend(rng, shape, n_cat, lo, hi)
        else:
            raw = [rng.uniform(lo, hi) for _ in range(n_cat)]
        rows.append(tuple(_round(v, topic.decimals) for v in raw))
    if any(v <= 0 for row in rows for v in row):
        raise Rejected("data", "a value rounded to zero or below")
    return tuple(rows)


def _share_row(rng, topic, n_cat: int) -> tuple:
    """The shares (percent) of ``n_cat`` of the topic's parts in one whole: the parts drawn
    with the rest of the whole (the parts not shown), so the row sums to at most 100 (exactly
    100 when every part is shown), each share rounded down to the topic's decimals and within
    its value range."""
    lo, hi = (float(v) for v in topic.value_range)
    rest = len(topic.categories.names) - n_cat
    q = 10 ** topic.decimals
    for _ in range(40):
        w = rng.dirichlet([2.0] * n_cat + ([2.0 * rest] if rest else []))
        row = [sp.Rational(int(100 * x * q), q) for x in w[:n_cat]]
        if all(max(lo, 1) <= v <= hi for v in row):
            if not rest:            # every part shown: the shares fill the whole
                row[max(range(n_cat), key=lambda i: row[i])] += 100 - sum(row)
            return tuple(row)
    raise Rejected("data", f"no shares of {topic.id} within its value range")


def shares_table(rng, topic, n_cat: int) -> Table:
    """Whole-number percentages over ``n_cat`` parts that sum to exactly 100 (a pie)."""
    cats = tuple(topic.categories_for(rng, n_cat)) if topic.categories.kind == "names" else \
        tuple(topic.series_for(rng, n_cat))
    return Table(topic, cats, ("Share",), (_shares(rng, n_cat),), False, 0, "%", "Share", source=("shares",))


def _shares(rng, n_cat: int) -> tuple:
    for _ in range(50):
        w = rng.dirichlet([2.0] * n_cat)
        parts = [max(3, round(100 * x)) for x in w]
        parts[int(max(range(n_cat), key=lambda i: parts[i]))] += 100 - sum(parts)
        if min(parts) >= 3 and len(set(parts)) == n_cat:
            return tuple(sp.Integer(p) for p in parts)
    raise Rejected("data", "no distinct shares")


def _parts(rng, k: int) -> list[int]:
    """k distinct whole-number percentages, each at least 4, summing to exactly 100."""
    for _ in range(50):
        w = rng.dirichlet([2.0] * k)
        parts = [max(4, round(100 * x)) for x in w]
        parts[int(max(range(k), key=lambda i: parts[i]))] += 100 - sum(parts)
        if min(parts) >= 4 and len(set(parts)) == k:
            return parts
    raise Rejected("data", "no distinct shares")


def percent_table(rng, topic, n_cat: int, k: int) -> Table:
    """Per whole (a category of the chart: the topic's series, e.g. countries), the shares of
    its ``k`` parts (the topic's named categories, e.g. energy sources), summing to 100."""
    wholes = tuple(topic.series_for(rng, min(n_cat, len(topic.series.names))))
    parts = tuple(topic.categories_for(rng, k))
    return Table(topic, wholes, parts, _percent_rows(rng, len(wholes), k), False, 0, "%", "Share",
                 source=("percent",))


def _percent_rows(rng, n_wholes: int, k: int) -> tuple:
    cols = [_parts(rng, k) for _ in range(n_wholes)]
    return tuple(tuple(sp.Integer(cols[c][s]) for c in range(n_wholes)) for s in range(k))


def cumulative_table(rng, topic, n_cat: int) -> Table:
    """One series over ordered categories and its running total (a bar + line chart)."""
    base = sample_table(rng, topic, n_cat, 1)
    return Table(topic, base.categories, (topic.measure, "Cumulative total"), _running(base.values[0]),
                 base.ordered, base.decimals, base.unit, base.measure, source=("cumulative",))


def _running(row: tuple) -> tuple:
    run, total = [], sp.Integer(0)
    for v in row:
        total += v
        run.append(total)
    return (row, tuple(run))


BOX_STATS = ("minimum", "lower quartile", "median", "upper quartile", "maximum")


def box_table(rng, topic, n_groups: int) -> Table:
    """Five-number summaries (minimum, quartiles, median, maximum) of the topic's measure for
    ``n_groups`` of its series (a box plot). Consecutive statistics of a group are at least
    6% of the range apart, so the box, whiskers and their labels read clearly."""
    groups = tuple(topic.series_for(rng, min(n_groups, len(topic.series.names))))
    return Table(topic, groups, BOX_STATS, _box_rows(rng, topic, len(groups)), False, topic.decimals, topic.unit,
                 topic.measure, source=("box",))


def _box_rows(rng, topic, n_groups: int) -> tuple:
    lo, hi = (float(v) for v in topic.value_range)
    span = hi - lo
    cols = []
    for _ in range(n_groups):
        for _ in range(50):
            xs = sorted(_round(v, topic.decimals) for v in rng.uniform(lo, hi, 5))
            if all(float(b - a) >= 0.06 * span for a, b in pairwise(xs)) and xs[0] > 0:
                cols.append(xs)
                break
        else:
            raise Rejected("data", "no five-number summary with clear gaps")
    return tuple(tuple(col[s] for col in cols) for s in range(5))


def _draw(rng, shape: str, lo: float, hi: float, n: int) -> list[float]:
    span = hi - lo
    out: list[float] = []
    if shape == "normal":
        mu, sd = lo + span * rng.uniform(0.35, 0.65), span * rng.uniform(0.13, 0.2)
    while len(out) < n:
        if shape == "normal":
            xs = rng.normal(mu, sd, n)
        elif shape == "right-skewed":
            xs = lo + rng.gamma(2.0, span * rng.uniform(0.1, 0.18), n)
        elif shape == "left-skewed":
            xs = hi - rng.gamma(2.0, span * rng.uniform(0.1, 0.18), n)
        elif shape == "uniform":
            xs = rng.uniform(lo, hi, n)
        else:                          # bimodal: two humps
            pick = rng.random(n) < 0.5
            xs = [rng.normal(lo + span * (0.28 if p else 0.72), span * 0.08) for p in pick]
        out += [float(x) for x in xs if lo <= x < hi]
    return out[:n]


def histogram_table(rng, dist, width: float, n: int, count_noun: str) -> tuple[Table, tuple, tuple]:
    """A sample of ``n`` values of the distribution ``dist``, counted in bins of ``width``
    from its range's low end. Returns the table (one series of counts; the categories are the
    bins, "150–155"), the sample and the bin edges. A bin holds its left edge; the last holds
    both edges (as numpy and matplotlib count)."""
    lo, hi = (sp.nsimplify(v) for v in dist.range)
    w = sp.nsimplify(width)
    k = dist.bins(width)
    edges = tuple(lo + i * w for i in range(k + 1))
    shape = dist.shapes[int(rng.integers(len(dist.shapes)))]
    sample = tuple(min(_round(x, dist.decimals), hi) for x in _draw(rng, shape, float(lo), float(hi), n))
    counts = [0] * k
    for v in sample:
        counts[min(int((v - lo) // w), k - 1)] += 1
    places = 0 if all(e == int(e) for e in edges) else 1
    label = [t_edge(e, places) for e in edges]
    cats = tuple(f"{a}–{b}" for a, b in pairwise(label))
    table = Table(dist, cats, (dist.variable,), (tuple(sp.Integer(c) for c in counts),), False, 0, count_noun,
                  count_noun, source=("histogram", n))
    return table, sample, edges


def _histogram_rows(rng, dist, n_bins: int, n: int) -> tuple:
    """The counts of a fresh sample of ``n`` values in the same ``n_bins`` bins, counted in
    floats (a neighbour's counts: a value on a bin edge may land on either side)."""
    lo, hi = (float(v) for v in dist.range)
    shape = dist.shapes[int(rng.integers(len(dist.shapes)))]
    xs = np.minimum(np.round(np.array(_draw(rng, shape, lo, hi, n)) * 10 ** dist.decimals) / 10 ** dist.decimals, hi)
    k = np.minimum(((xs - lo) // ((hi - lo) / n_bins)).astype(int), n_bins - 1)
    counts = np.bincount(k, minlength=n_bins)
    return (tuple(sp.Integer(int(c)) for c in counts),)


def t_edge(e, places: int) -> str:
    return str(int(e)) if places == 0 else f"{float(e):.{places}f}"


def crossing_table(rng, topic, n_cat: int) -> Table:
    """Two series over ordered categories that cross exactly once, built answer-first: the
    crossing step k is drawn, then one series runs below the other up to category k and above
    it from k + 1 on, each time by 5-20 % of the topic's range (so no tie, and the order is
    plain to see)."""
    cats = tuple(topic.categories_for(rng, n_cat))
    names = tuple(topic.series_for(rng, 2))
    return Table(topic, cats, names, _crossing_rows(rng, topic, n_cat), True, topic.decimals, topic.unit,
                 topic.measure, source=("crossing",))


def _crossing_rows(rng, topic, n_cat: int) -> tuple:
    lo, hi = (float(v) for v in topic.value_range)
    span = hi - lo
    k = int(rng.integers(0, n_cat - 1))                 # the crossing is between k and k + 1
    shape = topic.trends[int(rng.integers(len(topic.trends)))] if topic.trends else "steady"
    base = [min(hi - 0.22 * span, max(lo + 0.22 * span, v)) for v in _trend(rng, shape, n_cat, lo, hi)]
    a, b = [], []
    for i, m in enumerate(base):
        gap = span * rng.uniform(0.05, 0.2)
        sign = -1 if i <= k else 1                      # a below b, then above
        a.append(_round(m + sign * gap / 2, topic.decimals))
        b.append(_round(m - sign * gap / 2, topic.decimals))
    if any(v <= 0 for v in a + b):
        raise Rejected("data", "a value rounded to zero or below")
    return (tuple(a), tuple(b)) if rng.random() < 0.5 else (tuple(b), tuple(a))


def redraw(table: Table, rng) -> Table:
    """The same chart with its values drawn again as they were drawn (the same topic,
    categories and series, a fresh trend, fresh shares, a fresh sample): a neighbouring
    table, whose answers are exchangeable with this one's. Rejected like the first draw."""
    maker, *args = table.source or ("sample",)
    tp, n_cat, n_series = table.topic, len(table.categories), len(table.series)
    if maker == "sample":
        rows = _sample_rows(rng, tp, n_cat, n_series)
    elif maker == "shares":
        rows = (_shares(rng, n_cat),)
    elif maker == "percent":
        rows = _percent_rows(rng, n_cat, n_series)
    elif maker == "cumulative":
        rows = _running(_sample_rows(rng, tp, n_cat, 1)[0])
    elif maker == "box":
        rows = _box_rows(rng, tp, n_cat)
    elif maker == "crossing":
        rows = _crossing_rows(rng, tp, n_cat)
    elif maker == "histogram":
        rows = _histogram_rows(rng, tp, n_cat, args[0])
    else:
        raise ValueError(f"unknown table maker {maker!r}")
    return replace(table, values=rows)
