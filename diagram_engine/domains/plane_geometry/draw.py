"""Plane-geometry pictures: the figure to scale, its marks, and its labels placed clear of
every stroke. The base image shows some givens; when it leaves any out, the vision-dominant
variant gets its own image showing them all."""
from __future__ import annotations

import math

import numpy as np

from ...core import DrawnPicture
from ...errors import Rejected
from ...exact import to_float
from ...render import Drawing, Labeler, text_box
from ...render.draw import stroke_mask
from .build import PlaneState
from .derive import Construction, Derivation
from .quantities import given_text

__all__ = ["draw"]


def draw(job, built) -> list[DrawnPicture]:
    """The base image (showing a random, non-empty part of the givens: text_lite must need the
    picture), and the vision-dominant image with every given when the base leaves some out."""
    st: PlaneState = built.state
    con, der, rng, size = st.con, st.der, job.rng, job.options.size
    g = der.givens
    k_show = int(rng.integers(1, len(g) + 1))
    shown = sorted(int(i) for i in rng.permutation(len(g))[:k_show])
    st.shown = [g[i] for i in shown]
    px = _Px(list(con.pts.values()), _all_arc_pts(con), size)
    to_pixels = [round(v, 9) for v in px.affine()]
    pictures = [DrawnPicture(*_draw(con, der, px, size, st.shown, st.diag), to_pixels)]
    st.vd_image = 0
    if len(st.shown) < len(g):
        pictures.append(DrawnPicture(*_draw(con, der, px, size, list(g), st.diag), to_pixels))
        st.vd_image = 1
    return pictures


MAX_TICKS = 4


def tick_classes(con: Construction) -> list[tuple[str, str, int]]:
    """Every ticked side once, with its class's tick count: the shapes' equal-side groups, one
    class per group across the whole figure (a group of one shape and a group of another that
    tick a common side are one class), numbered 1, 2, 3, ... in drawing order, so sides with
    the same count are equal and sides of different lengths never share a count."""
    parent: dict = {}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    side_class: dict[frozenset, tuple] = {}
    order: list[frozenset] = []
    for i, sh in enumerate(con.shapes):
        for a, b, n in sh.ticks:
            cls = (i, n)
            parent.setdefault(cls, cls)
            side = frozenset((a, b))
            if side in side_class:
                parent[find(cls)] = find(side_class[side])
            else:
                side_class[side] = cls
                order.append(side)
    number: dict = {}
    out = []
    for side in order:
        root = find(side_class[side])
        number.setdefault(root, len(number) + 1)
        a, b = sorted(side)
        out.append((a, b, number[root]))
    if len(number) > MAX_TICKS:
        raise Rejected("marks", f"{len(number)} classes of equal sides: more than {MAX_TICKS} tick counts")
    return out


class _Px:
    def __init__(self, pts, arcs, size):
        xs = [p[0] for p in pts] + [a[0] for a in arcs]
        ys = [p[1] for p in pts] + [a[1] for a in arcs]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        margin = 0.13 * size
        span = max(x1 - x0, y1 - y0, 1e-9)
        self.k = (size - 2 * margin) / span
        self.cx = size / 2 - self.k * (x0 + x1) / 2
        self.cy = size / 2 + self.k * (y0 + y1) / 2

    def __call__(self, p):
        return (self.k * p[0] + self.cx, -self.k * p[1] + self.cy)

    def affine(self):
        return [self.k, 0.0, self.cx, 0.0, -self.k, self.cy]


def _arc_extreme_pts(c, r, a0, a1):
    out = []
    n = 16
    for i in range(n + 1):
        a = math.radians(a0 + (a1 - a0) * i / n)
        out.append((c[0] + r * math.cos(a), c[1] + r * math.sin(a)))
    return out


def _ang(p, v):
    return math.degrees(math.atan2(p[1] - v[1], p[0] - v[0]))


def _all_arc_pts(con):
    out = []
    for sh in con.shapes:
        if sh.arc is not None:
            a = sh.arc
            c = con.pts[a["center"]] if "center" in a else a["center_xy"]
            out += _arc_extreme_pts(c, a["radius"], a["start_deg"], a["end_deg"])
    if con.circle is not None:
        c = con.pts[con.circle.center]
        out += _arc_extreme_pts(c, to_float(con.circle.radius), 0, 360)
    return out


def _draw(con: Construction, der: Derivation, px: _Px, size: int, shown: list[str], diag):
    """Drawing and labels of one image showing the givens ``shown``."""
    d = Drawing(size, size)
    P = {k: px(v) for k, v in con.pts.items()}
    segs, angle_arcs = _strokes(d, con, px, P, size, shown, diag)
    labels = _labels(d, con, der, P, size, shown, segs, angle_arcs)
    for lb in labels:
        d.text(lb.x, lb.y, lb.text, lb.size)
    return d, labels


def _strokes(d: Drawing, con: Construction, px: _Px, P: dict, size: int, shown: list[str], diag):
    """Draw the shapes, the shaded region, dashed segments, right-angle and equal-side marks and
    the arcs of the shown angles; return the straight strokes (label directions) and the angle
    arcs by given."""
    sw = max(1.0, 2.0 * size / 512)
    segs: list[tuple] = []     # straight strokes (and arc end tangents): label directions

    def seg(a, b):
        segs.append((a[0], a[1], b[0], b[1]))

    def arc_ends(cx, cy, r, a0, a1):
        # short tangents at both ends of an arc, pointing along the arc
        for a, sgn in ((a0, 1.0), (a1, -1.0)):
            ar = math.radians(a)
            e = (cx + r * math.cos(ar), cy - r * math.sin(ar))
            t = (-math.sin(ar) * sgn, -math.cos(ar) * sgn)
            seg(e, (e[0] + 8 * t[0], e[1] + 8 * t[1]))

    # shaded region first, under the strokes
    if con.circle is not None:
        c = con.circle
        last = con.shapes[-1]
        cpx = P[c.center]
        r = to_float(c.radius) * px.k
        poly = [("M", *P[last.verts[0]])] + [("L", *P[v]) for v in last.verts[1:]] + [("Z",)]
        circ = [("M", cpx[0] + r, cpx[1]), ("A", cpx[0], cpx[1], r, 0.0, 360.0), ("Z",)]
        d.path([poly, circ], stroke=0, fill=0.22, evenodd=True)
    for i, sh in enumerate(con.shapes):
        if sh.outline == "polygon":
            pts = [P[v] for v in sh.verts]
            d.polyline(pts, closed=True, stroke=sw)
            for a, b in zip(pts, pts[1:] + pts[:1]):
                seg(a, b)
        elif sh.outline == "sector":
            a = sh.arc
            p, q, r_ = P[sh.verts[0]], P[sh.verts[1]], P[sh.verts[2]]
            rr = a["radius"] * px.k
            d.path([[("M", *p), ("L", *q), ("L", *r_),
                     ("A", q[0], q[1], rr, a["start_deg"], a["end_deg"])]], stroke=sw)
            seg(p, q)
            seg(q, r_)
            arc_ends(q[0], q[1], rr, a["start_deg"], a["end_deg"])
        else:
            a = sh.arc
            c = px(a["center_xy"])
            rr = a["radius"] * px.k
            q = P[sh.verts[1]]
            sub = [("M", *q), ("A", c[0], c[1], rr, a["start_deg"], a["end_deg"])]
            if i == 0:
                sub.append(("Z",))
            d.path([sub], stroke=sw)
            arc_ends(c[0], c[1], rr, a["start_deg"], a["end_deg"])
            seg(P[sh.verts[0]], P[sh.verts[1]])
    if con.circle is not None:
        c = con.circle
        cpx = P[c.center]
        r = to_float(c.radius) * px.k
        d.path([[("M", cpx[0] + r, cpx[1]), ("A", cpx[0], cpx[1], r, 0.0, 360.0), ("Z",)]], stroke=sw)
        if c.kind == "circumscribed-circle":
            for v in con.shapes[-1].verts:
                pv = P[v]
                a = math.degrees(math.atan2(-(pv[1] - cpx[1]), pv[0] - cpx[0]))
                arc_ends(cpx[0], cpx[1], r, a, a)
        d.dot(cpx[0], cpx[1], 2.2 * sw)
    for a, b in diag:
        d.polyline([P[a], P[b]], stroke=sw * 0.75, dash=(6 * sw / 2, 4 * sw / 2))
        seg(P[a], P[b])
    # marks: right angles and equal-length ticks
    mk = 9.0 * size / 512
    for sh in con.shapes:
        for a, v, b in sh.right_angles:
            pv, pa, pb = P[v], P[a], P[b]
            ua = _unit(pv, pa)
            ub = _unit(pv, pb)
            p1 = (pv[0] + mk * ua[0], pv[1] + mk * ua[1])
            p2 = (p1[0] + mk * ub[0], p1[1] + mk * ub[1])
            p3 = (pv[0] + mk * ub[0], pv[1] + mk * ub[1])
            d.polyline([p1, p2, p3], stroke=sw * 0.7)
            seg(p1, p2)
            seg(p2, p3)
    for a, b, n in tick_classes(con):
        # n parallel ticks across the middle of the side: sides with equal counts are equal
        pa, pb = P[a], P[b]
        u = _unit(pa, pb)
        nrm = (-u[1], u[0])
        for j in range(n):
            off = (j - (n - 1) / 2) * 0.45 * mk
            m = ((pa[0] + pb[0]) / 2 + off * u[0], (pa[1] + pb[1]) / 2 + off * u[1])
            t1 = (m[0] + mk * 0.7 * nrm[0], m[1] + mk * 0.7 * nrm[1])
            t2 = (m[0] - mk * 0.7 * nrm[0], m[1] - mk * 0.7 * nrm[1])
            d.polyline([t1, t2], stroke=sw * 0.8)
            seg(t1, t2)
    # angle arcs of the shown angle givens
    angle_arcs = {}
    for key in shown:
        if key.startswith("ang:"):
            a, v, b = key[4], key[5], key[6]
            pv, pa, pb = P[v], P[a], P[b]
            a0 = -_ang(pa, pv)  # pixel y is down: flip to math orientation
            a1 = -_ang(pb, pv)
            sweep = (a1 - a0) % 360
            if sweep > 180:
                a0, a1 = a1, a0
                sweep = 360 - sweep
            rr = min(22.0 * size / 512, 0.3 * min(math.dist(pv, pa), math.dist(pv, pb)))
            d.path([[("M", pv[0] + rr * math.cos(math.radians(a0)), pv[1] - rr * math.sin(math.radians(a0))),
                     ("A", pv[0], pv[1], rr, a0, a0 + sweep)]], stroke=sw * 0.7)
            angle_arcs[key] = (pv, rr, a0 + sweep / 2, sweep)
    return segs, angle_arcs


def _labels(d: Drawing, con: Construction, der: Derivation, P: dict, size: int, shown: list[str], segs,
            angle_arcs) -> list:
    """Place the vertex letters and the shown values clear of the strokes and of each other;
    ``Rejected("labels")`` when one has no room."""
    font = max(9.0, round(16.0 * size / 512, 1))
    allsegs = np.array(segs, dtype=float).reshape(-1, 4)
    lab = Labeler(size, size, stroke_mask(d), pad=2.0)
    labels = []
    # vertex letters
    names = []
    for sh in con.shapes:
        for v in sh.verts:
            if v not in names:
                names.append(v)
    if con.circle is not None:
        names.append(con.circle.center)
    for v in names:
        got = lab.place(v, "point", _vertex_candidates(v, P[v], allsegs, font), font)
        if got is None:
            raise Rejected("labels", f"no room for point label {v}")
        labels.append(got)
    # given values
    for key in shown:
        txt = given_text(key, der.values[key])
        if key.startswith("len:"):
            a, b = key[4], key[5]
            owner = _owner_centroid(con, a, b, P)
            cands = _edge_candidates(P[a], P[b], owner, txt, font)
        else:
            pv, rr, mid, sweep = angle_arcs[key]
            cands = _angle_candidates(pv, rr, mid, sweep, txt, font)
        got = lab.place(txt, "value", cands, font)
        if got is None:
            raise Rejected("labels", f"no room for the value of {key}")
        labels.append(got)
    return labels


def _unit(p, q):
    dx, dy = q[0] - p[0], q[1] - p[1]
    n = math.hypot(dx, dy) or 1.0
    return (dx / n, dy / n)


def _owner_centroid(con, a, b, P):
    for sh in reversed(con.shapes):
        if a in sh.verts and b in sh.verts:
            xs = [P[v][0] for v in sh.verts]
            ys = [P[v][1] for v in sh.verts]
            return (sum(xs) / len(xs), sum(ys) / len(ys))
    return None


_DIRS = [(math.cos(math.radians(a)), math.sin(math.radians(a))) for a in range(0, 360, 15)]


_DIR_ANG = np.radians(np.arange(0, 360, 15))
_DIRS_NP = np.stack([np.cos(_DIR_ANG), np.sin(_DIR_ANG)], axis=1)


def _vertex_candidates(name, p, segs, font):
    """Centres around the vertex, widest gap between incident strokes first."""
    _, _, tw, th = text_box(name, font)
    near0 = np.hypot(segs[:, 0] - p[0], segs[:, 1] - p[1]) < 1.0
    near1 = np.hypot(segs[:, 2] - p[0], segs[:, 3] - p[1]) < 1.0
    dirs = np.concatenate([np.arctan2(segs[near0, 3] - segs[near0, 1], segs[near0, 2] - segs[near0, 0]),
                           np.arctan2(segs[near1, 1] - segs[near1, 3], segs[near1, 0] - segs[near1, 2])])
    if len(dirs):
        diff = np.abs((_DIR_ANG[:, None] - dirs[None, :] + np.pi) % (2 * np.pi) - np.pi)
        gap = diff.min(axis=1)
    else:
        gap = np.full(len(_DIR_ANG), np.pi)
    order = np.argsort(-gap, kind="stable")
    base = 0.5 * math.hypot(tw, th) + 3.0
    out = []
    for extra in (0.0, 4.0, 9.0):
        r = base + extra
        out.append(np.stack([p[0] + _DIRS_NP[order, 0] * r, p[1] + _DIRS_NP[order, 1] * r], axis=1))
    return np.concatenate(out).tolist()


def _edge_candidates(pa, pb, owner, txt, font):
    _, _, tw, th = text_box(txt, font)
    u = _unit(pa, pb)
    n = (-u[1], u[0])
    sides = [1.0, -1.0]
    if owner is not None:
        m = ((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2)
        if (owner[0] - m[0]) * n[0] + (owner[1] - m[1]) * n[1] > 0:
            sides = [-1.0, 1.0]
    off = abs(n[0]) * tw / 2 + abs(n[1]) * th / 2 + 5.0
    out = []
    for extra in (0.0, 5.0, 11.0):
        for side in sides:
            for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78):
                m = (pa[0] + t * (pb[0] - pa[0]), pa[1] + t * (pb[1] - pa[1]))
                out.append((m[0] + side * n[0] * (off + extra), m[1] + side * n[1] * (off + extra)))
    return out


def _angle_candidates(pv, rr, mid_deg, sweep, txt, font):
    """Inside the angle along its bisector (far enough for narrow angles), else outside."""
    _, _, tw, th = text_box(txt, font)
    out = []
    half = math.radians(max(sweep, 1.0) / 2)
    for outside in (False, True):
        for dev in (0, -10, 10, -20, 20):
            if outside and dev:
                continue
            a = math.radians(mid_deg + dev + (180 if outside else 0))
            ux, uy = math.cos(a), -math.sin(a)
            along = abs(ux) * tw / 2 + abs(uy) * th / 2
            across = abs(uy) * tw / 2 + abs(ux) * th / 2
            need = rr + along + 3.0
            if not outside:
                need = max(need, (across + 4.0) / math.sin(min(half, math.pi / 2)) + along)
            for extra in (0.0, 5.0, 11.0, 18.0):
                dist = need + extra
                out.append((pv[0] + ux * dist, pv[1] + uy * dist))
    return out
