"""The rule model of the analytic-geometry domain (what such a rule YAML file may say)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ...core.rule import RuleBase, check_range

__all__ = ["EXTRA_KINDS", "QUESTION_KINDS", "AnalyticRule"]

QUESTION_KINDS = ("distance", "midpoint", "slope", "line-equation", "line-relation", "line-intersection",
                  "line-circle", "circle-circle", "circle-equation", "circle-tangent", "point-circle",
                  "area", "perimeter", "centroid", "circumcenter", "orthocenter", "foci", "vertices",
                  "eccentricity", "asymptotes", "line-conic", "position")
EXTRA_KINDS = ("point", "segment", "triangle", "circle")
QuestionKind = Literal[QUESTION_KINDS]
ExtraKind = Literal[EXTRA_KINDS]


class AnalyticRule(RuleBase):
    """A coordinate-plane problem family: which questions, which window, what else is drawn."""
    domain: Literal["analytic-geometry"]
    questions: list[QuestionKind] = Field(min_length=1, description="What may be asked; one is "
                                          "picked per sample.")
    window: tuple[int, int] = Field((7, 9), description="[min, max] within [5, 15]: half the width "
                                    "of the square window; the window is placed so both axes show.")
    extras: tuple[int, int] = Field((0, 2), description="[min, max] within [0, 3]: how many other "
                                    "figures are drawn besides the question's, apart from every "
                                    "figure and described in the caption.")
    extra_kinds: list[ExtraKind] = Field(["point", "segment", "triangle", "circle"], min_length=1,
                                         description="What the other figures may be.")
    grid: float = Field(0.8, ge=0, le=1, description="The chance of drawing grid lines.")

    @field_validator("window")
    @classmethod
    def _window(cls, v):
        return check_range(v, 5, 15, "window")

    @field_validator("extras")
    @classmethod
    def _extras(cls, v):
        return check_range(v, 0, 3, "extras")
