"""Function answers written as people write them (the answer line and the options)."""
from __future__ import annotations

from ...exact import fmt_decimal, to_float
from .families import t
from .questions import Ask, domain_text, interval_text, intervals_text, line_text

__all__ = ["answer_text", "rule_decimals"]


def answer_text(ask: Ask, value=None, decimals: int | None = None) -> str:
    """``value`` (the answer by default) written as an answer of ``ask``'s kind; a number as a
    decimal with ``decimals`` places when given (rules with ``answer: decimal``)."""
    a = ask.answer if value is None else value
    if decimals is not None and ask.kind == "number":
        return fmt_decimal(to_float(a), decimals)
    if ask.kind == "number":
        return t(a)
    if ask.kind == "numbers":
        return ", ".join(t(v) for v in a)
    if ask.kind == "intervals":
        return intervals_text(a)
    if ask.kind == "line":
        return line_text(*a)
    if ask.kind == "pair":
        return interval_text(*a)
    if ask.kind == "domain":
        return domain_text(a)
    if ask.kind == "choice":
        return ask.choices[a]
    return str(a)


def rule_decimals(spec) -> int | None:
    return spec.decimals if spec.answer == "decimal" else None
