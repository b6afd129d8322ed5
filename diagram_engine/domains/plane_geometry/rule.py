"""The rule model of the plane-geometry domain (what a rule YAML file may say).

Pydantic checks each key's type and range (every error at once, with its place). What needs
the whole rule (shape kinds that must exist, the expressions of a shape defined in the file,
template slots) is checked by :func:`check_rule` afterwards, also collecting every error.
The field descriptions are the reference: they go into the JSON Schema of a rule file and
into ``docs/writing-rules.md``.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ...core.rule import SLUG, RuleBase, Strict, check_range

__all__ = ["PlaneRule", "ShapeDef", "FormulaDef", "ParamDef", "TargetKind", "BUILTIN_SHAPES"]

BUILTIN_SHAPES = ("triangle", "right-triangle", "isosceles-triangle", "equilateral-triangle",
                  "square", "rectangle", "parallelogram", "rhombus", "trapezoid",
                  "regular-polygon", "sector", "semicircle")
TargetKind = Literal["length", "angle", "area", "perimeter", "arc", "shaded", "radius"]
DecorationKind = Literal["inscribed-circle", "circumscribed-circle"]
EXPR_MAX = 500


class Attach(Strict):
    """How many shapes to attach after the base, and which kinds."""
    count: tuple[int, int] = Field((0, 0), description="[min, max] within [0, 3]: how many shapes "
                                   "are attached after the base, each on a free edge of the one before.")
    shapes: list[str] = Field(default_factory=list, max_length=32,
                              description="Shape kinds to attach (built-in kinds or kinds defined "
                              "under `shapes`). Required when `count` allows any.")

    @field_validator("count")
    @classmethod
    def _count(cls, v):
        return check_range(v, 0, 3, "attach.count")

    @model_validator(mode="after")
    def _need_shapes(self):
        if self.count[1] > 0 and not self.shapes:
            raise ValueError("attach.count allows attached shapes but attach.shapes is empty")
        return self


class Decorate(Strict):
    """Circles drawn in or around the last shape, with the region between them shaded."""
    chance: float = Field(0.0, ge=0.0, le=1.0, description="0 to 1: the chance of drawing a circle "
                          "in or around the last shape, with the region between them shaded.")
    kinds: list[DecorationKind] = Field(default_factory=list, description="`inscribed-circle` "
                                        "and/or `circumscribed-circle`; shapes without one are left "
                                        "undecorated.")


class ParamDef(Strict):
    """One sampled quantity of a shape defined in the rule file: exactly one of the two keys."""
    length: tuple[float, float] | None = Field(
        None, description="[lo, hi]: an integer length from the rule's `lengths`, between lo and "
        "hi times the edge the shape is built on (0 < lo <= hi <= 10).")
    angle: tuple[int, int] | None = Field(
        None, description="[lo, hi]: a degree value from the rule's `angles` within [lo, hi] "
        "(1 <= lo <= hi <= 179).")

    @field_validator("length")
    @classmethod
    def _length(cls, v):
        if v is not None:
            check_range(v, 0.01, 10, "a length ratio")
            if v[0] <= 0:
                raise ValueError("length ratios must be greater than 0")
        return v

    @field_validator("angle")
    @classmethod
    def _angle(cls, v):
        return v if v is None else check_range(v, 1, 179, "an angle range")

    @model_validator(mode="after")
    def _one(self):
        if (self.length is None) == (self.angle is None):
            raise ValueError("give exactly one of 'length' or 'angle'")
        return self


class FormulaDef(Strict):
    """One relation of a shape's formula bank: ``out = expr``."""
    name: str = Field(pattern=SLUG, description="The formula's name. The reason clause of a "
                      "solution step that uses it is the template slot `reason.<name>`.")
    out: str = Field(max_length=16, description="The quantity it gives: a segment (`PR`), an angle "
                     "(`QPS`, at the middle letter, in degrees), `area` or `perimeter`.")
    expr: str = Field(max_length=EXPR_MAX, description="The value of `out` from other quantities of "
                      "the shape, e.g. `PQ*PS*sin(QPS)/2`. Operators + - * / ** and parentheses; "
                      "functions sqrt, abs, sin, cos, tan (degrees), asin, acos, atan, exp, log, "
                      "min, max; constants pi, e.")
    mistakes: list[str] = Field(default_factory=list, max_length=8,
                                description="Plausible wrong versions of `expr` over the same "
                                "quantities (a dropped factor, a wrong formula): wrong options of "
                                "multiple-choice questions.")


class ShapeDef(Strict):
    """A polygon kind defined in the rule file, built on an edge like the built-in shapes."""
    doc: str = Field("", max_length=300, description="One line on what the shape is.")
    vertices: list[str] = Field(min_length=3, max_length=8, description="Vertex names in order "
                                "(single capital letters, counter-clockwise). The first two are the "
                                "edge the shape is built on; in a sample they take that edge's "
                                "letters and the others the next free letters.")
    params: dict[str, ParamDef] = Field(default_factory=dict, max_length=6,
                                        description="Quantities sampled for each shape, besides the "
                                        "edge: a segment with `length` or an angle with `angle`. "
                                        "They are the shape's givens.")
    points: dict[str, tuple[str | float, str | float]] = Field(
        description="[x, y] of every vertex after the first two, as expressions of the edge (e.g. "
        "`PQ`) and the params, in a frame where the first vertex is (0, 0), the second (edge, 0) "
        "and the shape lies above the edge.")
    equal: list[list[str]] = Field(default_factory=list, max_length=4,
                                   description="Groups of equal sides, e.g. [[PQ, QR], [RS, SP]]: "
                                   "drawn with 1, 2, ... tick marks, and usable as solution steps.")
    right_angles: list[str] = Field(default_factory=list, max_length=8,
                                    description="Angles drawn with a right-angle mark, e.g. QPS.")
    formulas: list[FormulaDef] = Field(min_length=1, max_length=40,
                                       description="The shape's formula bank. Values are derived "
                                       "from the params through these formulas, and every formula "
                                       "is checked against the drawn coordinates.")


class PlaneRule(RuleBase):
    """A plane-geometry problem family: a base shape, 0-3 attached shapes, a target."""
    domain: Literal["plane-geometry"]
    shapes: dict[str, ShapeDef] = Field(default_factory=dict, max_length=8,
                                        description="Shape kinds defined in this file, usable in "
                                        "`base` and `attach.shapes` of this rule.")
    base: list[str] = Field(min_length=1, max_length=32, description="Shape kinds; one is picked "
                            "for the base shape.")
    attach: Attach = Attach()
    decorate: Decorate = Decorate()
    targets: list[TargetKind] = Field(min_length=1, description="What may be asked about the last "
                                      "shape.")
    steps: tuple[int, int] = Field((1, 8), description="[min, max] within [1, 20]: how many "
                                   "derivation steps the solution may have.")
    lengths: tuple[int, int] = Field((3, 15), description="[min, max] within [1, 1000]: integer "
                                     "lengths (the base edge, widths, other sides).")
    angles: list[int] = Field(default_factory=lambda: [30, 45, 60], min_length=1, max_length=64,
                              description="Degrees, 1-179, that sampled angles may take.")
    sector_angles: list[int] = Field(default_factory=lambda: [30, 45, 60, 90, 120, 135, 150],
                                     min_length=1, max_length=64,
                                     description="Degrees that sector angles may take (30-150 used).")
    polygon_sides: list[Literal[5, 6, 8]] = Field(default_factory=lambda: [5, 6, 8], min_length=1,
                                                  description="Side counts of `regular-polygon`.")

    @field_validator("steps")
    @classmethod
    def _steps(cls, v):
        return check_range(v, 1, 20, "steps")

    @field_validator("lengths")
    @classmethod
    def _lengths(cls, v):
        return check_range(v, 1, 1000, "lengths")

    @field_validator("angles", "sector_angles")
    @classmethod
    def _angles(cls, v):
        for a in v:
            if not 1 <= a <= 179:
                raise ValueError(f"angles are degrees in [1, 179], got {a}")
        return v
