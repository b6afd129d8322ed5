"""The independent check of charts: a target re-measured from a record's scene alone (floats).

This module never sees the data table, the question builders or the drawn figure (a test
forbids it to import the domain's other modules): it reads the scene's ``series`` objects,
``{"type": "series", "name", "kind", "labels": [categories], "values": [numbers]}`` (and,
where the chart names its colours, ``colors`` and ``color_names``), and its ``chart`` object,
as a user's own checker would. ``MEASURES`` says what each target measures.
"""
from __future__ import annotations

from ...errors import MeasureError

__all__ = ["MEASURES", "ChartMeasureError", "check"]

_SERIES = ("of", "the series' name")

# what each target measures: {measure: (one-line doc, [(parameter, what it is)])}
MEASURES = {
    "value": ("the value of a series at a category", [_SERIES, ("at", "a category")]),
    "argmax": ("the category with a series' largest value (a tie is an error: two answers)", [_SERIES]),
    "argmin": ("the category with a series' smallest value (a tie is an error: two answers)", [_SERIES]),
    "count": ("how many series the chart has", []),
    "difference": ("value(to) - value(from) of a series", [_SERIES, ("from", "a category"), ("to", "a category")]),
    "percent-change": ("100 * (value(to) - value(from)) / value(from) of a series",
                       [_SERIES, ("from", "a category"), ("to", "a category")]),
    "average": ("the mean of a series' values", [_SERIES]),
    "largest-increase": (("[from, to]: the consecutive categories of a series' largest rise (a tie or no rise "
                          "is an error)"), [_SERIES]),
    "share": ("100 * value / total of a category in a one-series chart", [_SERIES, ("at", "a category")]),
    "axis-label": ("what the value axis measures, as the chart object states it", []),
    "trend-forecast": (("a series' least-squares line over numeric categories (years), evaluated at a later "
                        "one"), [_SERIES, ("at", "a later category (a year)")]),
    "crossing": (("[from, to]: the consecutive categories between which one of two series overtakes the "
                  "other (an error unless exactly once)"), [("of", "[A, B]: two series names")]),
    "total": (("the sum over the series at a category; or of a series' values: all, from a category on, or "
               "up to one (inclusive)"), [("at", "a category: the sum over the series there"),
                                          ("of", "a series' name: the sum of its values"),
                                          ("from", "optional, with of: the first category summed"),
                                          ("to", "optional, with of: the last category summed")]),
    "ratio": ("the value at num divided by the value at den",
              [("num", "[series, category]"), ("den", "[series, category]")]),
    "gap": ("value of A - value of B at a category", [("of", "[A, B]: two series names"), ("at", "a category")]),
    "argmax-series": ("the series with the largest value at a category (a tie is an error)",
                      [("at", "a category")]),
    "argmin-series": ("the series with the smallest value at a category (a tie is an error)",
                      [("at", "a category")]),
    "colour": ("the name of a series' colour (a pie: of one slice), from the series' color_names",
               [_SERIES, ("at", "a pie: the slice (category)")]),
}


class ChartMeasureError(MeasureError):
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


def check(scene: dict, target: dict):
    """Measure a chart ``target`` from ``scene`` alone."""
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
