"""The independent check of plane geometry: a target re-measured from a record's scene alone.

This module never sees the derivation (a test forbids it to import the domain's other
modules): it reads ``scene.points`` and ``scene.objects`` as a user's own checker would, and
measures lengths, angles, areas and arcs with floating point.
"""
from __future__ import annotations

import math

from shapely.geometry import Point, Polygon

from ...errors import MeasureError

__all__ = ["MEASURES", "check"]

# what each target measures: {measure: (one-line doc, [(parameter, what it is)])}
MEASURES = {
    "length": ("distance between two points", [("of", "[P, Q]: two point names")]),
    "angle": ("unsigned angle at a vertex, 0-180 degrees",
              [("vertex", "the vertex"), ("from", "a point on one ray"), ("to", "a point on the other ray")]),
    "area": ("area of a polygon (shoelace), sector, circle or difference region", [("of", "object name")]),
    "perimeter": ("perimeter of a polygon, sector (two radii + arc), semicircle (diameter + arc) or circle",
                  [("of", "object name")]),
    "arc-length": ("arc length of a sector or semicircle", [("of", "object name")]),
    "radius": ("radius of a circle (re-measured from the figure it is tied to) or sector", [("of", "object name")]),
}


class _Objects(dict):
    def __missing__(self, name):
        raise MeasureError(f"no object named {name!r} in the scene (known: {', '.join(sorted(self))})")


def _objects(scene) -> dict:
    return _Objects((o["name"], o) for o in scene["objects"])


def _pt(scene, name):
    try:
        x, y = scene["points"][name]
    except KeyError:
        raise MeasureError(f"no point named {name!r} in the scene") from None
    return float(x), float(y)


def _dist(scene, a, b) -> float:
    return math.dist(_pt(scene, a), _pt(scene, b))


def _ccw_sweep(scene, o) -> tuple[float, float]:
    """(radius, swept angle in radians) of a sector or arc, measured from its points."""
    c = _pt(scene, o["center"])
    p0, p1 = _pt(scene, o["ends"][0]), _pt(scene, o["ends"][1])
    r0, r1 = math.dist(c, p0), math.dist(c, p1)
    if abs(r0 - r1) > 1e-9 * max(r0, 1.0):
        raise MeasureError(f"{o['name']}: ends are not on one circle ({r0} vs {r1})")
    if "radius" in o and abs(float(o["radius"]) - r0) > 1e-7 * max(r0, 1.0):
        raise MeasureError(f"{o['name']}: radius {o['radius']} disagrees with its points ({r0})")
    if r0 <= 0:
        raise MeasureError(f"{o['name']}: zero radius")
    u = (p0[0] - c[0], p0[1] - c[1])
    v = (p1[0] - c[0], p1[1] - c[1])
    ang = math.atan2(u[0] * v[1] - u[1] * v[0], u[0] * v[0] + u[1] * v[1])
    if ang <= 1e-12:
        ang += 2 * math.pi
    return r0, ang


def _shoelace(scene, names) -> float:
    pts = [_pt(scene, n) for n in names]
    s = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        s += x0 * y1 - x1 * y0
    return abs(s) / 2


def _circle_radius(scene, o, objs) -> float:
    """Radius measured from the figure the circle is tied to, checked against the record."""
    c = _pt(scene, o["center"])
    rel = o.get("relation")
    r = float(o["radius"])
    if rel in ("inscribed", "circumscribed"):
        poly = objs[o["of"]]
        names = poly["vertices"]
        if rel == "circumscribed":
            ds = [math.dist(c, _pt(scene, n)) for n in names]
        else:
            ds = []
            for a, b in zip(names, names[1:] + names[:1]):
                pa, pb = _pt(scene, a), _pt(scene, b)
                ex, ey = pb[0] - pa[0], pb[1] - pa[1]
                ds.append(abs(ex * (c[1] - pa[1]) - ey * (c[0] - pa[0])) / math.hypot(ex, ey))
        if max(ds) - min(ds) > 1e-7 * max(ds):
            raise MeasureError(f"{o['name']}: not {rel} in {o['of']} (distances {ds})")
        if abs(ds[0] - r) > 1e-7 * r:
            raise MeasureError(f"{o['name']}: radius {r} disagrees with the figure ({ds[0]})")
        return ds[0]
    return r


def _area(scene, name, objs) -> float:
    o = objs[name]
    t = o["type"]
    if t == "polygon":
        return _shoelace(scene, o["vertices"])
    if t == "sector":
        r, a = _ccw_sweep(scene, o)
        return 0.5 * r * r * a
    if t == "circle":
        r = _circle_radius(scene, o, objs)
        return math.pi * r * r
    if t == "region":
        if o["op"] != "difference":
            raise MeasureError(f"region op {o['op']} not measurable")
        outer, inner = o["of"]
        if not _shapely(scene, objs[outer]).buffer(2e-3 * _size(scene)).contains(
                _shapely(scene, objs[inner])):
            raise MeasureError(f"{name}: {inner} is not inside {outer}")
        return _area(scene, outer, objs) - _area(scene, inner, objs)
    raise MeasureError(f"no area for {t}")


def _size(scene) -> float:
    xs = [p[0] for p in scene["points"].values()]
    ys = [p[1] for p in scene["points"].values()]
    return max(max(xs) - min(xs), max(ys) - min(ys), 1.0)


def _shapely(scene, o):
    t = o["type"]
    if t == "polygon":
        return Polygon([_pt(scene, n) for n in o["vertices"]])
    if t == "circle":
        return Point(_pt(scene, o["center"])).buffer(float(o["radius"]), 64)
    if t == "sector":
        c = _pt(scene, o["center"])
        r, a = _ccw_sweep(scene, o)
        p0 = _pt(scene, o["ends"][0])
        a0 = math.atan2(p0[1] - c[1], p0[0] - c[0])
        ring = [(c[0] + r * math.cos(a0 + a * i / 64), c[1] + r * math.sin(a0 + a * i / 64))
                for i in range(65)]
        return Polygon(ring + [c])
    raise MeasureError(f"no outline for {t}")


def _perimeter(scene, name, objs) -> float:
    o = objs[name]
    t = o["type"]
    if t == "polygon":
        v = o["vertices"]
        return sum(_dist(scene, a, b) for a, b in zip(v, v[1:] + v[:1]))
    if t == "sector":
        r, a = _ccw_sweep(scene, o)
        chord = _dist(scene, o["ends"][0], o["ends"][1])
        # a semicircle's straight side is its diameter; a sector's are its two radii
        straight = chord if o.get("shape") == "semicircle" else 2 * r
        return straight + r * a
    if t == "circle":
        return 2 * math.pi * _circle_radius(scene, o, objs)
    raise MeasureError(f"no perimeter for {t}")


def check(scene: dict, target: dict) -> float:
    """Measure a plane-geometry ``target`` from ``scene`` alone."""
    m = target["measure"]
    objs = _objects(scene)
    if m == "length":
        a, b = target["of"]
        return _dist(scene, a, b)
    if m == "angle":
        v = _pt(scene, target["vertex"])
        a, b = _pt(scene, target["from"]), _pt(scene, target["to"])
        u = (a[0] - v[0], a[1] - v[1])
        w = (b[0] - v[0], b[1] - v[1])
        if math.hypot(*u) == 0 or math.hypot(*w) == 0:
            raise MeasureError(f"angle at {target['vertex']}: a ray has zero length")
        return math.degrees(abs(math.atan2(u[0] * w[1] - u[1] * w[0], u[0] * w[0] + u[1] * w[1])))
    if m == "area":
        return _area(scene, target["of"], objs)
    if m == "perimeter":
        return _perimeter(scene, target["of"], objs)
    if m == "arc-length":
        r, a = _ccw_sweep(scene, objs[target["of"]])
        return r * a
    if m == "radius":
        o = objs[target["of"]]
        if o["type"] == "sector":
            return _ccw_sweep(scene, o)[0]
        return _circle_radius(scene, o, objs)
    raise MeasureError(f"unknown measure {m}")
