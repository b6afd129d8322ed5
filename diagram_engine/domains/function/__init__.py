"""Function graphs: one function per plot, its features exact, its problems verified.

``build`` samples a function of a family answer-first (its zeros, extrema, asymptotes exact),
asks the question and picks the marked points that fix what each variant leaves to the
picture; ``check`` re-measures the target numerically from the scene's expression alone;
``draw`` plots the base and the vision-dominant images; ``words`` writes the caption, the
three variants and the solution.
"""
from __future__ import annotations

from ...core import Domain, register
from ...registry import register as register_entry
from . import build, check, draw, words
from .build import SUPPORT
from .families import FAMILIES
from .rule import FAMILY_KINDS, QUESTION_KINDS, FunctionRule

__all__ = ["Functions"]

assert tuple(FAMILIES) == FAMILY_KINDS, "rule.FAMILY_KINDS and the families differ"
assert set(SUPPORT) == set(QUESTION_KINDS), "rule.QUESTION_KINDS and the questions differ"


def compile_rule(spec, path, lines, digest):
    """Whole-rule checks: every question can be asked of at least one listed family."""
    errors = []
    for i, q in enumerate(spec.questions):
        if not SUPPORT[q] & set(spec.families):
            errors.append((("questions", i), f"no listed family answers '{q}' (it needs one of: "
                           f"{', '.join(sorted(SUPPORT[q]))})"))
    return None, errors


_FAMILY_DOCS = {
    "linear": "mx + b, built from its zero",
    "quadratic": "ax² + bx + c, built from its two roots or its vertex",
    "cubic": "a cubic, built from three roots or from its two turning points",
    "quartic": "a quartic, built from four roots or as a(x² - q²)² + k (turning points -q, 0, q)",
    "sine": "a·sin(π(x - c)/k) + d: period 2k, amplitude |a|, midline y = d",
    "cosine": "a·cos(π(x - c)/k) + d: period 2k, amplitude |a|, midline y = d",
    "tangent": "a·tan(πx/k) + d: period k, asymptotes at x = k/2 + nk",
    "exponential": "a·bˣ + d (b = 2, 3 or 1/2): asymptote y = d, an integer zero",
    "logarithm": "a·log_b(x - h) + d (b = 2, 3, 10): asymptote x = h, zero at h + bⁿ",
    "absolute": "a|x - h| + k: a V with vertex (h, k)",
    "rational": "a/(x - h) + k: asymptotes x = h and y = k",
    "piecewise": "two or three line pieces, joined or with jumps; each breakpoint on one side",
}
for _name in FAMILY_KINDS:
    register_entry("construction", _name, f"function family: {_FAMILY_DOCS[_name]}",
             [("families", ", ".join(sorted(q for q, fs in SUPPORT.items() if _name in fs)))],
             domain="function")
for _q in QUESTION_KINDS:
    register_entry("target", _q, f"function question, asked of: {', '.join(sorted(SUPPORT[_q]))}",
             domain="function")

for _name, (_doc, _params) in check.MEASURES.items():
    register_entry("measure", _name, _doc, _params, domain="function")


@register
class Functions(Domain):
    name = "function"
    doc = "Graphs of functions; zeros, extrema, asymptotes, periods, calculus."
    rule_model = FunctionRule
    object_types = ("function", "line")

    def compile(self, spec, path, lines, digest):
        return compile_rule(spec, path, lines, digest)

    def describe_rule(self, rule) -> list[str]:
        spec = rule.spec
        return [f"families: {', '.join(spec.families)}", f"questions: {', '.join(spec.questions)}"]

    def build(self, job):
        return build.build(job)

    def check(self, scene, target):
        return check.check(scene, target)

    def draw(self, job, built):
        return draw.draw(job, built)

    def words(self, job, built, pictures):
        return words.words(job, built, pictures)
