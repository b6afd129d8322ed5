"""The rule model of the function domain (what a function rule YAML file may say)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ...core.rule import RuleBase, check_range

__all__ = ["FunctionRule", "FAMILY_KINDS", "QUESTION_KINDS"]

FAMILY_KINDS = ("linear", "quadratic", "cubic", "quartic", "sine", "cosine", "tangent",
                "exponential", "logarithm", "absolute", "rational", "piecewise")
QUESTION_KINDS = ("zeros", "y-intercept", "value", "maximum", "minimum", "local-maxima",
                  "local-minima", "increasing", "decreasing", "period", "vertical-asymptote",
                  "horizontal-asymptote", "derivative", "tangent-line", "integral", "identify",
                  "symmetry", "range", "match", "domain")
FamilyKind = Literal[FAMILY_KINDS]
QuestionKind = Literal[QUESTION_KINDS]


class FunctionRule(RuleBase):
    """A function-graph problem family: which functions, which questions, how they are drawn."""
    domain: Literal["function"]
    families: list[FamilyKind] = Field(min_length=1, description="Function families; one is picked "
                                       "for each sample among those that can answer the question.")
    questions: list[QuestionKind] = Field(min_length=1, description="What may be asked.")
    window: tuple[int, int] = Field((5, 7), description="[min, max] within [3, 12]: the half-width "
                                    "W of the x window [-W, W]; polynomial-like families close in "
                                    "on their features inside it.")
    coefficients: tuple[int, int] = Field((-5, 5), description="[min, max] within [-20, 20]: the "
                                          "range of integer parameters such as a vertex height.")
    grid: float = Field(0.7, ge=0, le=1, description="The chance of drawing grid lines.")
    title: float = Field(0.4, ge=0, le=1, description="The chance of a title with the function "
                         "above the graph, written as the variants shown with that image state it "
                         "(the base image: the text_lite form with one letter; the "
                         "vision-dominant image: letters only).")

    @field_validator("window")
    @classmethod
    def _window(cls, v):
        return check_range(v, 3, 12, "window")

    @field_validator("coefficients")
    @classmethod
    def _coefficients(cls, v):
        lo, hi = check_range(v, -20, 20, "coefficients")
        if hi - lo < 2:
            raise ValueError("coefficients need a range of at least three integers")
        return v
