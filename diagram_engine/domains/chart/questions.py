"""Questions on a chart: recognition (read a value, the largest category, how many series)
and reasoning (a difference, a percent change, an average, the largest rise).

Each builder picks what to ask so the answer is unambiguous (a clear maximum, a rise larger
than every other by a margin), computes it exactly from the table, and says how to compute
it again from any values (``recompute``): the sample recomputes it from the values read
back from the drawn chart, and ``measure_chart`` from the record's series.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from ...writing import t
from .data import Table

__all__ = ["CAsk", "QUESTIONS", "SUPPORT", "round_text", "value_text"]


AXIS = ("axis", -1)      # the given "the value axis is labelled ...", not a table cell


@dataclass
class CAsk:
    qtype: str
    target: dict
    answer: object                       # exact number, a word, or [from, to]
    kind: str                            # number | word | count | pair
    ask: tuple[str, dict]
    steps: list
    wrong: list
    givens: list                         # (series index, category index) the solution reads
    recompute: Callable                  # values[s][c] (floats) -> the answer
    needs_values: bool = True            # the picture must print the values (value labels)
    percent: bool = False                # the answer is a percentage
    extra: dict = field(default_factory=dict)


def value_text(v, decimals: int) -> str:
    """A value as the chart prints it: 45, 12.5, 7.0 (exact rationals of the table)."""
    return t(v) if decimals == 0 else f"{float(v):.{decimals}f}"


def round_text(v, places: int = 2) -> str:
    """An exact result written exactly when ``places`` decimals hold it, else rounded to
    them: 12, 166.5, 4.25, 13.33."""
    v = sp.nsimplify(v)
    if v.is_Integer:
        return t(v)
    text = f"{float(v):.{places}f}"
    return text.rstrip("0").rstrip(".") if v.is_Rational and 10 ** places % v.q == 0 else text


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _series_i(rng, tb: Table) -> int:
    return int(rng.integers(len(tb.series)))


def q_read_value(tb: Table, rng) -> CAsk:
    s, c = _series_i(rng, tb), int(rng.integers(len(tb.categories)))
    v = tb.values[s][c]
    others = sorted({x for row in tb.values for x in row} - {v}, key=lambda x: (abs(float(x) - float(v)), float(x)))  # total order: sets iterate by hash
    return CAsk("read-value", {"measure": "value", "of": tb.series[s], "at": tb.categories[c]}, v, "number",
                ("ask.read-value", {"series": tb.series[s], "category": tb.categories[c], "many": len(tb.series) > 1}),
                [], others[:4], [(s, c)], lambda vals: vals[s][c])


def _clear_extreme(vals, sign, margin) -> int | None:
    order = sorted(range(len(vals)), key=lambda i: -sign * vals[i])
    if len(vals) < 2 or sign * (vals[order[0]] - vals[order[1]]) < margin:
        return None
    return order[0]


def q_largest(tb: Table, rng) -> CAsk | None:
    s = _series_i(rng, tb)
    vals = [float(v) for v in tb.values[s]]
    word = _pick(rng, ["max", "min"])
    sign = 1 if word == "max" else -1
    span = max(vals) - min(vals)
    i = _clear_extreme(vals, sign, 0.08 * max(span, 1e-9))
    if i is None:
        return None
    wrong = [c for j, c in enumerate(tb.categories) if j != i]
    return CAsk("extreme", {"measure": "argmax" if word == "max" else "argmin", "of": tb.series[s]},
                tb.categories[i], "word",
                ("ask.extreme", {"series": tb.series[s], "which": word, "many": len(tb.series) > 1}),
                [("extreme", {"category": tb.categories[i], "value": value_text(tb.values[s][i], tb.decimals),
                              "which": word})],
                wrong, [(s, c) for c in range(len(vals))],
                lambda v: tb.categories[max(range(len(v[s])), key=lambda j: sign * v[s][j])], needs_values=False)


def q_series_count(tb: Table, rng) -> CAsk | None:
    n = len(tb.series)
    if n < 2:
        return None
    return CAsk("series-count", {"measure": "count"}, sp.Integer(n), "count", ("ask.series-count", {}),
                [("series-count", {"names": list(tb.series), "n": n})],
                [sp.Integer(n + 1), sp.Integer(n - 1), sp.Integer(len(tb.categories)), sp.Integer(n + 2)],
                [(i, 0) for i in range(n)], lambda v: len(v), needs_values=False)


def _two(tb: Table, rng, ordered_pair: bool):
    s = _series_i(rng, tb)
    n = len(tb.categories)
    for _ in range(20):
        a, b = sorted(int(x) for x in rng.choice(n, 2, replace=False))
        if tb.values[s][a] != tb.values[s][b]:
            return s, a, b
    return None


def q_difference(tb: Table, rng) -> CAsk | None:
    got = _two(tb, rng, False)
    if got is None:
        return None
    s, a, b = got
    if tb.values[s][a] > tb.values[s][b]:
        a, b = b, a                 # ask how much larger b is than a
    va, vb = tb.values[s][a], tb.values[s][b]
    d = vb - va
    return CAsk("difference", {"measure": "difference", "of": tb.series[s], "from": tb.categories[a],
                               "to": tb.categories[b]}, d, "number",
                ("ask.difference", {"series": tb.series[s], "hi": tb.categories[b], "lo": tb.categories[a],
                                    "many": len(tb.series) > 1}),
                [("difference", {"hi": tb.categories[b], "lo": tb.categories[a], "vhi": value_text(vb, tb.decimals),
                                 "vlo": value_text(va, tb.decimals), "value": value_text(d, tb.decimals)})],
                [va + vb, d + 1, -d, vb], [(s, a), (s, b)], lambda v: v[s][b] - v[s][a])


def q_percent_change(tb: Table, rng) -> CAsk | None:
    if not tb.ordered:
        return None
    got = _two(tb, rng, True)
    if got is None:
        return None
    s, a, b = got
    va, vb = tb.values[s][a], tb.values[s][b]
    p = 100 * (vb - va) / va
    return CAsk("percent-change", {"measure": "percent-change", "of": tb.series[s], "from": tb.categories[a],
                                   "to": tb.categories[b]}, p, "number",
                ("ask.percent-change", {"series": tb.series[s], "a": tb.categories[a], "b": tb.categories[b],
                                        "many": len(tb.series) > 1}),
                [("percent-change", {"a": tb.categories[a], "b": tb.categories[b], "va": value_text(va, tb.decimals),
                                     "vb": value_text(vb, tb.decimals), "value": round_text(p)})],
                [100 * (vb - va) / vb, vb - va, -p, 100 * vb / va], [(s, a), (s, b)],
                lambda v: 100 * (v[s][b] - v[s][a]) / v[s][a], percent=True)


def q_average(tb: Table, rng) -> CAsk:
    s = _series_i(rng, tb)
    row = tb.values[s]
    avg = sum(row) / len(row)
    return CAsk("average", {"measure": "average", "of": tb.series[s]}, avg, "number",
                ("ask.average", {"series": tb.series[s], "many": len(tb.series) > 1}),
                [("average", {"values": [value_text(v, tb.decimals) for v in row], "sum": value_text(sum(row), tb.decimals),
                              "n": len(row), "value": round_text(avg)})],
                [sum(row), max(row), avg + 1, (max(row) + min(row)) / 2], [(s, c) for c in range(len(row))],
                lambda v: sum(v[s]) / len(v[s]))


def q_largest_increase(tb: Table, rng) -> CAsk | None:
    if not tb.ordered:
        return None
    s = _series_i(rng, tb)
    row = [float(v) for v in tb.values[s]]
    rises = [row[i + 1] - row[i] for i in range(len(row) - 1)]
    order = sorted(range(len(rises)), key=lambda i: -rises[i])
    span = max(row) - min(row)
    if rises[order[0]] <= 0 or (len(order) > 1 and rises[order[0]] - rises[order[1]] < 0.08 * span):
        return None
    i = order[0]
    pair = [tb.categories[i], tb.categories[i + 1]]
    diffs = [{"a": tb.categories[j], "b": tb.categories[j + 1],
              "d": value_text(tb.values[s][j + 1] - tb.values[s][j], tb.decimals)} for j in range(len(rises))]
    wrong = [[tb.categories[j], tb.categories[j + 1]] for j in range(len(rises)) if j != i]
    return CAsk("largest-increase", {"measure": "largest-increase", "of": tb.series[s]}, pair, "pair",
                ("ask.largest-increase", {"series": tb.series[s], "noun": tb.topic.category_noun,
                                          "many": len(tb.series) > 1}),
                [("largest-increase", {"diffs": diffs, "a": pair[0], "b": pair[1]})], wrong,
                [(s, c) for c in range(len(row))],
                lambda v: [tb.categories[max(range(len(v[s]) - 1), key=lambda j: v[s][j + 1] - v[s][j])],
                           tb.categories[max(range(len(v[s]) - 1), key=lambda j: v[s][j + 1] - v[s][j]) + 1]])


def q_share(tb: Table, rng) -> CAsk:
    c = int(rng.integers(len(tb.categories)))
    v = tb.values[0][c]
    others = sorted({x for x in tb.values[0]} - {v}, key=lambda x: (abs(float(x) - float(v)), float(x)))  # total order: sets iterate by hash
    return CAsk("share", {"measure": "share", "of": tb.series[0], "at": tb.categories[c]}, v, "number",
                ("ask.share", {"category": tb.categories[c]}), [], others[:3] + [100 - v], [(0, c)],
                lambda vals: 100 * vals[0][c] / sum(vals[0]), percent=True)


def _crossings(a, b) -> list[int]:
    """Indices i where a - b changes sign between i and i + 1 (None when a value ties)."""
    d = [x - y for x, y in zip(a, b)]
    if any(v == 0 for v in d):
        return None
    return [i for i in range(len(d) - 1) if (d[i] > 0) != (d[i + 1] > 0)]


def q_crossing(tb: Table, rng) -> CAsk | None:
    if not tb.ordered or len(tb.series) < 2:
        return None
    pairs = [(i, j) for i in range(len(tb.series)) for j in range(i + 1, len(tb.series))]
    i, j = pairs[int(rng.integers(len(pairs)))]
    cr = _crossings(tb.values[i], tb.values[j])
    if cr is None or len(cr) != 1:
        return None
    k = cr[0]
    up = i if tb.values[i][k + 1] > tb.values[j][k + 1] else j      # the series that overtakes
    down = j if up == i else i
    pair = [tb.categories[k], tb.categories[k + 1]]
    wrong = [[tb.categories[m], tb.categories[m + 1]] for m in range(len(tb.categories) - 1) if m != k]
    return CAsk("crossing", {"measure": "crossing", "of": [tb.series[i], tb.series[j]]}, pair, "pair",
                ("ask.crossing", {"a": tb.series[up], "b": tb.series[down], "noun": tb.topic.category_noun}),
                [("crossing", {"a": tb.series[up], "b": tb.series[down], "c0": pair[0], "c1": pair[1],
                               "a0": value_text(tb.values[up][k], tb.decimals),
                               "b0": value_text(tb.values[down][k], tb.decimals),
                               "a1": value_text(tb.values[up][k + 1], tb.decimals),
                               "b1": value_text(tb.values[down][k + 1], tb.decimals)})],
                wrong, [(i, c) for c in range(len(tb.categories))] + [(j, c) for c in range(len(tb.categories))],
                lambda v: [tb.categories[_crossings(v[i], v[j])[0]], tb.categories[_crossings(v[i], v[j])[0] + 1]])


def q_axis_measure(tb: Table, rng) -> CAsk:
    from .vocabulary import load_vocabulary
    label = f"{tb.measure} ({tb.unit})"
    others = sorted({f"{tp.measure} ({tp.unit})" for tp in load_vocabulary().topics} - {label})
    wrong = [others[int(i)] for i in rng.choice(len(others), 4, replace=False)]
    return CAsk("axis-measure", {"measure": "axis-label"}, label, "word", ("ask.axis-measure", {}),
                [("axis-measure", {"label": label})], wrong, [AXIS], lambda v: label, needs_values=False)


def least_squares(xs, ys):
    """(slope, intercept) of the least-squares line, exact for exact inputs."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return slope, my - slope * mx


def q_trend_forecast(tb: Table, rng) -> CAsk | None:
    if tb.topic.categories.kind != "years":
        return None
    xs = [sp.Integer(int(c)) for c in tb.categories]
    nxt = xs[-1] + 1
    slope, icpt = least_squares(xs, list(tb.values[0]))
    pred = slope * nxt + icpt
    return CAsk("trend-forecast", {"measure": "trend-forecast", "of": tb.series[0], "at": str(nxt)}, pred, "number",
                ("ask.trend-forecast", {"year": str(nxt)}),
                [("trend-forecast", {"n": len(xs), "slope": round_text(slope, 4), "mean_x": round_text(sum(xs) / len(xs)),
                                     "mean_y": round_text(sum(tb.values[0]) / len(xs)), "year": str(nxt),
                                     "value": round_text(pred)})],
                [pred + slope, pred - slope, tb.values[0][-1], sum(tb.values[0]) / len(xs)],
                [(0, c) for c in range(len(xs))],
                lambda v: float(least_squares([float(x) for x in xs], v[0])[0] * float(nxt)
                                + least_squares([float(x) for x in xs], v[0])[1]))


QUESTIONS = {"read-value": q_read_value, "extreme": q_largest, "series-count": q_series_count,
             "difference": q_difference, "percent-change": q_percent_change, "average": q_average,
             "largest-increase": q_largest_increase, "share": q_share, "axis-measure": q_axis_measure,
             "trend-forecast": q_trend_forecast, "crossing": q_crossing}
# which chart kinds each question suits
SUPPORT = {"read-value": {"bar", "hbar", "stacked", "percent", "line", "area", "radar", "heatmap", "scatter",
                          "barline"},
           "extreme": {"bar", "hbar", "line", "area", "pie", "donut", "radar", "heatmap", "scatter"},
           "series-count": {"bar", "hbar", "stacked", "percent", "line", "radar"},
           "difference": {"bar", "hbar", "stacked", "percent", "line", "area", "radar", "heatmap", "barline"},
           "percent-change": {"bar", "line", "area", "barline"},
           "average": {"bar", "hbar", "stacked", "line", "area", "radar", "heatmap", "scatter"},
           "largest-increase": {"bar", "line", "area", "barline"}, "share": {"pie", "donut"},
           "axis-measure": {"bar", "hbar", "stacked", "line", "area", "heatmap", "scatter"},
           "trend-forecast": {"scatter"}, "crossing": {"line"}}
