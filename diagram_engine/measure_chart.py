"""Re-measure chart questions from a record's ``series`` objects (floats only).

A chart's scene holds one ``series`` object per data series: ``{"type": "series", "name",
"kind", "labels": [categories], "values": [numbers]}``. Targets:

* ``value`` of a series ``at`` a category: the value;
* ``argmax`` / ``argmin`` of a series: the category with the largest / smallest value (a
  tie is an error: the question would have two answers);
* ``count``: how many series the chart has;
* ``difference`` of a series ``from`` one category ``to`` another: value(to) - value(from);
* ``percent-change`` likewise: 100 * (value(to) - value(from)) / value(from);
* ``average`` of a series: the mean of its values;
* ``largest-increase`` of a series over ordered categories: ``[from, to]``, the consecutive
  pair with the largest rise (ties and no rise are errors);
* ``share`` of a category in a one-series chart: 100 * value / total;
* ``crossing`` of two series ``of: [A, B]``: ``[from, to]``, the consecutive categories
  between which one overtakes the other (an error unless that happens exactly once);
* ``axis-label``: what the value axis measures, as the chart object states it;
* ``trend-forecast`` of a series over numeric categories (years) ``at`` a later one: the
  least-squares line through the points, evaluated there;
* ``total`` ``at`` a category: the sum over the series there; ``total`` ``of`` a series: the
  sum of its values, or of those ``from`` a category on, or ``to`` a category (inclusive);
* ``ratio`` of ``num: [series, category]`` to ``den: [series, category]``;
* ``gap`` ``of: [A, B]`` ``at`` a category: value of A - value of B there;
* ``argmax-series`` / ``argmin-series`` ``at`` a category: the series with the largest /
  smallest value there (a tie is an error);
* ``colour`` ``of`` a series: its colour's name (a pie: ``of`` its series ``at`` a slice),
  from the series' ``color_names``.
"""
from __future__ import annotations

from .errors import VerificationError

__all__ = ["MEASURES", "measure_chart"]

MEASURES = ("value", "argmax", "argmin", "count", "difference", "percent-change", "average", "largest-increase",
            "share", "axis-label", "trend-forecast", "crossing", "total", "ratio", "gap", "argmax-series",
            "argmin-series", "colour")


class ChartMeasureError(VerificationError, ValueError):
    """The scene cannot answer the target."""


def _series(scene: dict) -> list[dict]:
    out = [o for o in scene.get("objects", []) if isinstance(o, dict) and o.get("type") == "series"]
    if not out:
        raise ChartMeasureError("the scene has no series")
    return out


def _one(scene: dict, name) -> dict:
    found = [s for s in _series(scene) if s.get("name") == name]
    if len(found) != 1:
        names = ", ".join(str(s.get("name")) for s in _series(scene))
        raise ChartMeasureError(f"no single series named {name!r} (series: {names})")
    return found[0]


def _at(s: dict, label) -> float:
    try:
        return float(s["values"][s["labels"].index(label)])
    except ValueError:
        raise ChartMeasureError(f"series {s['name']!r} has no category {label!r}") from None


def _unique(pairs, what: str):
    best = max(v for _, v in pairs)
    top = [k for k, v in pairs if v == best]
    if len(top) != 1:
        raise ChartMeasureError(f"{what}: {len(top)} categories tie at {best}")
    return top[0]


def measure_chart(scene: dict, target: dict):
    m = target.get("measure")
    if m not in MEASURES:
        raise ChartMeasureError(f"unknown chart measure {m!r} (known: {', '.join(MEASURES)})")
    if m == "count":
        return len(_series(scene))
    if m == "crossing":
        of = target.get("of")
        if not isinstance(of, list) or len(of) != 2:
            raise ChartMeasureError(f"crossing needs two series, got {of!r}")
        a, b = _one(scene, of[0]), _one(scene, of[1])
        d = [float(x) - float(y) for x, y in zip(a["values"], b["values"])]
        ks = [i for i in range(len(d) - 1) if (d[i] > 0) != (d[i + 1] > 0)]
        if any(v == 0 for v in d) or len(ks) != 1:
            raise ChartMeasureError(f"{of[0]} and {of[1]} do not cross exactly once")
        return [a["labels"][ks[0]], a["labels"][ks[0] + 1]]
    if m == "axis-label":
        charts = [o for o in scene["objects"] if o.get("type") == "chart"]
        if len(charts) != 1 or "value_axis" not in charts[0]:
            raise ChartMeasureError("the scene has no chart object naming its value axis")
        return charts[0]["value_axis"]
    if m == "total" and "at" in target:
        return sum(_at(s, target["at"]) for s in _series(scene))
    if m in ("argmax-series", "argmin-series"):
        sign = 1 if m == "argmax-series" else -1
        return _unique([(s["name"], sign * _at(s, target.get("at"))) for s in _series(scene)], m)
    if m == "ratio":
        (sa, ca), (sb, cb) = target.get("num"), target.get("den")
        return _at(_one(scene, sa), ca) / _at(_one(scene, sb), cb)
    if m == "gap":
        of = target.get("of")
        if not isinstance(of, list) or len(of) != 2:
            raise ChartMeasureError(f"gap needs two series, got {of!r}")
        return _at(_one(scene, of[0]), target.get("at")) - _at(_one(scene, of[1]), target.get("at"))
    s = _one(scene, target.get("of"))
    labels, values = s["labels"], [float(v) for v in s["values"]]
    if m == "value":
        return _at(s, target.get("at"))
    if m in ("argmax", "argmin"):
        sign = 1 if m == "argmax" else -1
        return _unique([(c, sign * v) for c, v in zip(labels, values)], m)
    if m in ("difference", "percent-change"):
        a, b = _at(s, target.get("from")), _at(s, target.get("to"))
        return b - a if m == "difference" else 100.0 * (b - a) / a
    if m == "average":
        return sum(values) / len(values)
    if m == "total":
        lo = labels.index(target["from"]) if "from" in target else 0
        hi = labels.index(target["to"]) + 1 if "to" in target else len(values)
        return sum(values[lo:hi])
    if m == "colour":
        names = s.get("color_names") or []
        k = labels.index(target["at"]) if "at" in target else 0
        if k >= len(names):
            raise ChartMeasureError(f"series {s['name']!r} has no colour for {target.get('at', s['name'])!r}")
        return names[k]
    if m == "largest-increase":
        rises = [((labels[i], labels[i + 1]), values[i + 1] - values[i]) for i in range(len(values) - 1)]
        pair = _unique(rises, m)
        if dict(rises)[pair] <= 0:
            raise ChartMeasureError("the series never rises")
        return list(pair)
    if m == "trend-forecast":
        try:
            xs, x = [float(c) for c in labels], float(target.get("at"))
        except (TypeError, ValueError):
            raise ChartMeasureError("a trend needs numeric categories") from None
        n = len(xs)
        mx, my = sum(xs) / n, sum(values) / n
        slope = sum((a - mx) * (b - my) for a, b in zip(xs, values)) / sum((a - mx) ** 2 for a in xs)
        return my + slope * (x - mx)
    total = sum(values)
    return 100.0 * _at(s, target.get("at")) / total
