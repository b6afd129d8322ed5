"""The rule model of the plane-geometry domain (what a rule YAML file may say)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["PlaneRule", "ShapeKind", "TargetKind"]

ShapeKind = Literal["triangle", "right-triangle", "isosceles-triangle", "equilateral-triangle",
                    "square", "rectangle", "parallelogram", "rhombus", "trapezoid",
                    "regular-polygon", "sector", "semicircle"]
TargetKind = Literal["length", "angle", "area", "perimeter", "arc", "shaded", "radius"]
DecorationKind = Literal["inscribed-circle", "circumscribed-circle"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _range(v, lo_min: int, hi_max: int, what: str):
    lo, hi = v
    if lo > hi:
        raise ValueError(f"empty range [{lo}, {hi}]: the first number must not exceed the second")
    if lo < lo_min or hi > hi_max:
        raise ValueError(f"{what} must lie within [{lo_min}, {hi_max}], got [{lo}, {hi}]")
    return v


class Attach(_Strict):
    """How many shapes to attach after the base, and which kinds."""
    count: tuple[int, int] = (0, 0)
    shapes: list[ShapeKind] = Field(default_factory=list)

    @field_validator("count")
    @classmethod
    def _count(cls, v):
        return _range(v, 0, 3, "attach.count")

    @model_validator(mode="after")
    def _need_shapes(self):
        if self.count[1] > 0 and not self.shapes:
            raise ValueError("attach.count allows attached shapes but attach.shapes is empty")
        return self


class Decorate(_Strict):
    """Circles drawn in or around the last shape, with the region between them shaded."""
    chance: float = Field(0.0, ge=0.0, le=1.0)
    kinds: list[DecorationKind] = Field(default_factory=list)


class PlaneRule(_Strict):
    """A plane-geometry problem family: a base shape, 0-3 attached shapes, a target."""
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    domain: Literal["plane-geometry"]
    description: str = ""
    weight: float = Field(1.0, gt=0, le=1000)
    base: list[ShapeKind] = Field(min_length=1)
    attach: Attach = Attach()
    decorate: Decorate = Decorate()
    targets: list[TargetKind] = Field(min_length=1)
    steps: tuple[int, int] = (1, 8)
    lengths: tuple[int, int] = (3, 15)
    angles: list[int] = Field(default_factory=lambda: [30, 45, 60], min_length=1)
    sector_angles: list[int] = Field(default_factory=lambda: [30, 45, 60, 90, 120, 135, 150],
                                     min_length=1)
    polygon_sides: list[Literal[5, 6, 8]] = Field(default_factory=lambda: [5, 6, 8], min_length=1)
    answer: Literal["exact", "decimal"] = "exact"
    decimals: int = Field(2, ge=0, le=6)
    multiple_choice: float = Field(0.5, ge=0.0, le=1.0)

    @field_validator("steps")
    @classmethod
    def _steps(cls, v):
        return _range(v, 1, 20, "steps")

    @field_validator("lengths")
    @classmethod
    def _lengths(cls, v):
        return _range(v, 1, 1000, "lengths")

    @field_validator("angles", "sector_angles")
    @classmethod
    def _angles(cls, v):
        for a in v:
            if not 1 <= a <= 179:
                raise ValueError(f"angles are degrees in [1, 179], got {a}")
        return v

    @model_validator(mode="after")
    def _shaded_needs_circle(self):
        if "shaded" in self.targets and not self.decorate.kinds:
            raise ValueError("target 'shaded' needs decorate.kinds (a circle to shade against)")
        if set(self.targets) <= {"shaded", "radius"} and self.decorate.chance < 1:
            raise ValueError("targets are only shaded/radius, so decorate.chance must be 1")
        return self
