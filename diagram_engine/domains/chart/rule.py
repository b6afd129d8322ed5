"""The rule model of the chart domain (what a chart rule YAML file may say)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ...core.rule import RuleBase, check_range
from .program import KINDS, THEMES
from .questions import QUESTIONS

__all__ = ["QUESTION_KINDS", "ChartRule"]

QUESTION_KINDS = tuple(QUESTIONS)
ChartKind = Literal[KINDS]
QuestionKind = Literal[QUESTION_KINDS]
ThemeName = Literal[tuple(THEMES)]


class ChartRule(RuleBase):
    """A chart problem family: which chart kinds, which questions, how much data."""
    domain: Literal["chart"]
    charts: list[ChartKind] = Field(min_length=1, description="Chart kinds; one is picked per sample among "
                                    "those that suit the question.")
    questions: list[QuestionKind] = Field(min_length=1, description="What may be asked.")
    topics: list[str] = Field(default_factory=list, description="Topic ids of the chart vocabulary "
                              "(rules/chart/vocabulary/topics.yaml); empty: every topic that fits.")
    categories: tuple[int, int] = Field((4, 7), description="[min, max] within [3, 10]: categories (bars, "
                                        "points, slices) per chart.")
    series: tuple[int, int] = Field((1, 3), description="[min, max] within [1, 4]: series per chart (a pie "
                                    "has one).")
    themes: list[ThemeName] = Field(default_factory=lambda: list(THEMES), min_length=1,
                                    description="Looks to draw from (palette, font, grid, legend, size).")
    value_labels: float = Field(0.5, ge=0, le=1, description="The chance of printing the values on a chart "
                                "whose question does not need them.")

    @field_validator("categories")
    @classmethod
    def _categories(cls, v):
        return check_range(v, 3, 10, "categories")

    @field_validator("series")
    @classmethod
    def _series(cls, v):
        return check_range(v, 1, 4, "series")
