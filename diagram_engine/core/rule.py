"""What every domain's rule model shares, and pydantic's errors turned into ``RuleError``s.

A domain's rule model subclasses :class:`RuleBase` (strict: unknown keys are errors, loaded
rules are frozen). :func:`pydantic_errors` is used by every YAML file the engine validates with
a pydantic model (rule files, a domain's data files), so each error names the file, the line
and the field, and a misspelt key suggests the right one.
"""
from __future__ import annotations

import difflib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import RuleError
from ..yamlio import line_of, loc_text

__all__ = ["Strict", "RuleBase", "SLUG", "check_range", "pydantic_errors"]

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


# --- pydantic's errors as RuleErrors ---------------------------------------------------------

def _message(err: dict, model_fields: dict, value_known: bool) -> str:
    t = err["type"]
    if t == "extra_forbidden":
        key = str(err["loc"][-1])
        near = difflib.get_close_matches(key, list(model_fields), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        return f"unknown key '{key}'{hint}"
    msg = err["msg"]
    if t == "value_error":
        msg = msg.removeprefix("Value error, ")
    elif t == "tuple_type":
        msg = "expected a list of two values, like [3, 15]"
    elif t in ("too_short", "too_long") and "Tuple" in msg:
        msg = "expected exactly two values, like [3, 15]"
    if t == "literal_error" or (value_known and t != "missing" and "input" in err
                                and not isinstance(err["input"], (dict, list))):
        return f"{msg} (got {_short(err.get('input'))})"
    return msg


def _short(v, limit: int = 60) -> str:
    r = repr(v)
    return r if len(r) <= limit else r[:limit - 5] + "...'" if isinstance(v, str) else r[:limit] + "..."


def _model_fields_at(model, loc) -> dict:
    """Field names of the model that owns the last element of ``loc``."""
    cur = model
    key_next = False           # the element after a dict[str, Model] field is a key: skip it
    for p in loc[:-1]:
        if isinstance(p, int) or key_next:
            key_next = False
            continue
        f = getattr(cur, "model_fields", {}).get(p)
        if f is None:
            return {}
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            cur = ann
        elif getattr(ann, "__origin__", None) is list:
            args = getattr(ann, "__args__", ())
            if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], BaseModel):
                cur = args[0]
        elif getattr(ann, "__origin__", None) is dict:
            # dict[str, Model]: the next element of loc is a key
            args = getattr(ann, "__args__", ())
            if len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
                cur = args[1]
                key_next = True
        else:
            return {}
    return getattr(cur, "model_fields", {})


def pydantic_errors(e: ValidationError, model, path: str, lines) -> list[RuleError]:
    """Every error of a failed ``model.model_validate`` of the YAML file ``path`` (whose
    ``lines`` map key paths to line numbers), as RuleErrors."""
    errs = e.errors()
    out: list[RuleError] = []
    # a misspelt key also makes the real key "missing": report the misspelling, not both
    meant = set()
    for x in errs:
        if x["type"] == "extra_forbidden":
            loc = tuple(x["loc"])
            near = difflib.get_close_matches(str(loc[-1]), list(_model_fields_at(model, loc)), n=1)
            if near:
                meant.add(loc[:-1] + (near[0],))
    for x in errs:
        loc = tuple(p for p in x["loc"] if not (isinstance(p, str) and p.startswith(("function-", "tuple["))))
        if x["type"] == "missing" and loc in meant:
            continue
        # pydantic tags union branches in loc ("str", "float"): drop them from the field path
        loc = tuple(p for p in loc if p not in ("str", "float", "int", "constrained-str"))
        out.append(RuleError(path, line_of(lines, loc), loc_text(loc),
                             _message(x, _model_fields_at(model, loc), True)))
    return out
