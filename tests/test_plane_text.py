"""Plane geometry text as a person writes it: angles in degrees are whole or decimal numbers
(52.5°, never 105/2°) in answers, options, givens, captions and solutions."""
from __future__ import annotations

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


@pytest.mark.parametrize("rule,seed", [("angles", 17017), ("single-shape", 17018), ("sectors-and-arcs", 17019)])
def test_no_angle_is_written_as_a_fraction(rule, seed):
    halves = 0
    for i in range(60):
        rec = generate_one("plane-geometry", seed=seed, index=i, rule_id=rule).record
        for t in _texts(rec):
            assert not FRACTION_DEGREES.search(t), (rec["id"], t)
        halves += any(re.search(r"\d\.\d+°", t) for t in _texts(rec))
    if rule == "angles":
        assert halves > 0        # half degrees do occur (isosceles base angles), written as decimals
