"""Analytic geometry: figures on a coordinate plane, their relations exact, every answer re-measured.

``build`` picks the question and builds its figures answer-first (exactly), adds other figures
apart from them and chooses which givens each variant leaves to its image; ``check``
re-measures the target from the scene alone, in floats; ``draw`` draws the plane to scale,
the base image and the vision-dominant one; ``words`` writes the caption, the three variants
and the solution.
"""
from __future__ import annotations

from ...core import Domain, register
from ...registry import register as register_entry
from . import build, check, draw, words
from .questions import QUESTIONS
from .rule import EXTRA_KINDS, QUESTION_KINDS, AnalyticRule

__all__ = ["AnalyticGeometry", "AnalyticRule"]

assert tuple(QUESTIONS) == QUESTION_KINDS, "rule.QUESTION_KINDS and the questions differ"

_DOCS = {
    "distance": "distance between two lattice points (a whole number or a surd)",
    "midpoint": "midpoint of a segment",
    "slope": "slope of the line through two points",
    "line-equation": "equation of the line through two points (y = mx + b or x = c)",
    "line-relation": "whether two lines are parallel, perpendicular, coincident or only intersecting",
    "line-intersection": "intersection of a line in slope form with one in general form",
    "line-circle": "where a line given by its equation meets a circle (a secant or a tangent)",
    "circle-circle": "the common points of two circles, through their common chord",
    "circle-equation": "equation of the circle with a given centre through a given point",
    "circle-tangent": "tangent line to a circle at a point on it",
    "point-circle": "whether a point is inside, on or outside a circle",
    "area": "area of a lattice triangle or quadrilateral (shoelace formula)",
    "perimeter": "perimeter of a lattice triangle or quadrilateral",
    "centroid": "centroid of a triangle",
    "circumcenter": "circumcentre of a triangle (perpendicular bisectors)",
    "orthocenter": "orthocentre of a triangle (altitudes)",
    "foci": "foci of an ellipse or hyperbola, focus of a parabola",
    "vertices": "vertices of an ellipse (major axis), hyperbola or parabola",
    "eccentricity": "eccentricity of an ellipse or hyperbola",
    "asymptotes": "asymptotes of a hyperbola",
    "line-conic": "where a line meets an ellipse, hyperbola or parabola",
    "position": "where one figure lies relative to another (left, upper right, ...)",
}
for _q in QUESTION_KINDS:
    register_entry("target", _q, f"analytic-geometry question: {_DOCS[_q]}", domain="analytic-geometry")
for _name, (_doc, _params) in check.MEASURES.items():
    register_entry("measure", _name, _doc, _params, domain="analytic-geometry")
for _k in EXTRA_KINDS:
    register_entry("decoration", _k, f"analytic-geometry extra figure: a {_k} drawn apart from the others",
                   domain="analytic-geometry")


@register
class AnalyticGeometry(Domain):
    name = "analytic-geometry"
    doc = "Figures on a coordinate plane: points, lines, polygons, circles and conics."
    rule_model = AnalyticRule
    object_types = ("axes", "segment", "line", "polygon", "circle", "ellipse", "parabola", "hyperbola")

    def build(self, job):
        return build.build(job)

    def check(self, scene, target):
        return check.check(scene, target)

    def draw(self, job, built):
        return draw.draw(job, built)

    def words(self, job, built, pictures):
        return words.words(job, built, pictures)
