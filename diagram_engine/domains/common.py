"""What every domain's rule model shares: strict models, ranges, and the common keys."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Strict", "RuleBase", "SLUG", "check_range"]

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"


class Strict(BaseModel):
    """Unknown keys are errors; loaded rules are frozen."""
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_range(v, lo_min, hi_max, what: str):
    lo, hi = v
    if lo > hi:
        raise ValueError(f"empty range [{lo}, {hi}]: the first number must not exceed the second")
    if lo < lo_min or hi > hi_max:
        raise ValueError(f"{what} must lie within [{lo_min}, {hi_max}], got [{lo}, {hi}]")
    return v


class RuleBase(Strict):
    """The keys of every rule file, whatever its domain."""
    id: str = Field(pattern=SLUG, description="Lower-case letters, digits and '-', up to 64 "
                    "characters; unique among the loaded rules.")
    description: str = Field("", max_length=500, description="Free text, shown by `rules list`.")
    weight: float = Field(1.0, gt=0, le=1000, description="How often the rule is picked, relative "
                          "to the other rules of the domain.")
    templates: list[str] = Field(default_factory=list, max_length=8,
                                 description="Template files (paths relative to this rule file) "
                                 "whose slots add to, or replace, the shipped wording for this rule's "
                                 "samples.")
    answer: Literal["exact", "decimal"] = Field("exact", description="`exact` (12√3, 25π/4) or "
                                                "`decimal` (rounded to `decimals` places).")
    decimals: int = Field(2, ge=0, le=6, description="Decimal places of decimal answers.")
    multiple_choice: float = Field(0.5, ge=0.0, le=1.0, description="The share of problems with "
                                   "four options A-D.")
