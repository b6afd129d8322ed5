"""Plane geometry, MAVIS-style: a base shape with up to three shapes attached edge to edge.

``build`` constructs the figure and derives the target backwards over the formula bank,
exactly; ``check`` re-measures it from the coordinates alone; ``draw`` draws it to scale with
its marks and labels; ``words`` writes the caption, the three variants and the solution.
"""
from __future__ import annotations

from ...core import Domain, register
from ...registry import register as register_entry
from . import build, check, draw, words
from .custom import compile_rule, required_slots
from .rule import PlaneRule

__all__ = ["PlaneGeometry"]

for _name, (_doc, _params) in check.MEASURES.items():
    register_entry("measure", _name, _doc, _params, domain="plane-geometry")


@register
class PlaneGeometry(Domain):
    name = "plane-geometry"
    doc = "Base shape plus 0-3 attached shapes; lengths, angles, areas, arcs."
    rule_model = PlaneRule
    object_types = ("polygon", "sector", "circle", "region", "segment")

    def compile(self, spec, path, lines, digest):
        return compile_rule(spec, path, lines, digest)

    def required_slots(self, spec):
        return required_slots(spec)

    def describe_rule(self, rule) -> list[str]:
        """The shape kinds the rule defines, with the values each samples."""
        out = []
        for kind, cs in getattr(rule.compiled, "shapes", {}).items():
            out.append(f"defines shape {kind}: {cs.doc or '(no doc)'}")
            out += [f"  {qn}: {how} in [{lo}, {hi}]" for qn, how, (lo, hi) in cs.params]
        return out

    def build(self, job):
        return build.build(job)

    def check(self, scene, target):
        return check.check(scene, target)

    def draw(self, job, built):
        return draw.draw(job, built)

    def words(self, job, built, pictures):
        return words.words(job, built, pictures)
