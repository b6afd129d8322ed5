"""Plane geometry text as a person writes it: angles in degrees are whole or decimal numbers
(52.5°, never 105/2°) in answers, options, givens, captions and solutions."""
from __future__ import annotations

import functools
import re

import pytest

from diagram_engine import generate_one
from diagram_engine.domains.plane_geometry.quantities import degrees_text

import sympy as sp

FRACTION_DEGREES = re.compile(r"\d\s*/\s*\d+\s*°")


def _texts(rec: dict) -> list[str]:
    out = [rec["caption"]]
    for p in rec["problems"]:
        out.append(p["answer"]["text"])
        out += p.get("choices") or []
        out += [g["fact"] for g in p["givens"]]
        for v in p["variants"].values():
            out.append(v["question"])
            out += v["solution"]
    return out


def test_degrees_text():
    assert degrees_text(sp.Rational(105, 2)) == "52.5"
    assert degrees_text(sp.Rational(135, 4)) == "33.75"
    assert degrees_text(sp.Integer(120)) == "120"
    assert degrees_text(sp.Rational(360, 7)) == "(360/7)"


# (rule, seed, count): the samples both tests read, built once
SAMPLES = (("angles", 17018, 30), ("single-shape", 17018, 30), ("sectors-and-arcs", 17019, 20), ("chain-area", 17020, 60))


@functools.lru_cache(maxsize=None)
def _records(rule: str) -> tuple:
    _, seed, n = next(x for x in SAMPLES if x[0] == rule)
    return tuple(generate_one("plane-geometry", seed=seed, index=i, rule_id=rule).record for i in range(n))


@pytest.mark.parametrize("rule", [x[0] for x in SAMPLES])
def test_no_angle_is_written_as_a_fraction(rule):
    halves = 0
    for rec in _records(rule):
        for t in _texts(rec):
            assert not FRACTION_DEGREES.search(t), (rec["id"], t)
        halves += any(re.search(r"\d\.\d+°", t) for t in _texts(rec))
    if rule == "angles":
        assert halves > 0        # half degrees do occur (isosceles base angles), written as decimals


# ---- captions say what is drawn: the placement sentences checked against the scene's points ----

_HIGHEST = re.compile(r"The highest vertex of ([A-Z]+) is ([A-Z]) and the lowest is ([A-Z])\.")
_ORDER = re.compile(r"Going (clockwise|counterclockwise) around ([A-Z]+), the corners are")
_LIES = re.compile(r"([A-Z]+) lies (to the right of|above and to the right of|above|above and to the left of|"
                   r"to the left of|below and to the left of|below|below and to the right of) ([A-Z]+)\.")
_SECTOR = {"to the right of": 0, "above and to the right of": 45, "above": 90, "above and to the left of": 135,
           "to the left of": 180, "below and to the left of": 225, "below": 270, "below and to the right of": 315}


def _centre(pts, verts):
    return sum(pts[v][0] for v in verts) / len(verts), sum(pts[v][1] for v in verts) / len(verts)


def test_placement_sentences_match_the_drawn_points():
    import math
    seen = {"highest": 0, "order": 0, "lies": 0}
    for rec in _records("chain-area") + _records("sectors-and-arcs"):
        pts = rec["scene"]["points"]
        verts = {o["name"]: o["vertices"] if o.get("vertices") else [o["center"], *o["ends"]]
                 for o in rec["scene"]["objects"] if o.get("vertices") or o.get("type") == "sector"}
        cap = rec["caption"]
        for name, top, bottom in _HIGHEST.findall(cap):
            ys = sorted(verts[name], key=lambda v: pts[v][1])
            assert (ys[-1], ys[0]) == (top, bottom), (rec["id"], cap)
            seen["highest"] += 1
        for turn, name in _ORDER.findall(cap):
            poly = [pts[v] for v in verts[name]]
            area2 = sum(poly[k][0] * poly[(k + 1) % len(poly)][1] - poly[(k + 1) % len(poly)][0] * poly[k][1]
                        for k in range(len(poly)))
            assert (area2 > 0) == (turn == "counterclockwise"), (rec["id"], cap)
            seen["order"] += 1
        for a, where, b in _LIES.findall(cap):
            (xa, ya), (xb, yb) = _centre(pts, verts[a]), _centre(pts, verts[b])
            ang = math.degrees(math.atan2(ya - yb, xa - xb)) % 360
            off = abs((ang - _SECTOR[where] + 180) % 360 - 180)
            assert off <= 15 + 1e-9, (rec["id"], cap, ang)
            seen["lies"] += 1
        m = re.search(r"The marked measurements are ([^.]*)\.", cap)
        assert m is None or " and " in m.group(1), (rec["id"], cap)    # one value is not 'measurements'
    assert all(v > 0 for v in seen.values()), seen
