"""Function graphs: one function per plot, its features exact, its problems verified."""
from ...registry import register
from .. import Domain, register_domain
from .families import FAMILIES
from .rule import FAMILY_KINDS, QUESTION_KINDS, FunctionRule
from .sample import SUPPORT, make_sample

__all__ = ["FunctionRule", "make_sample"]

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
    register("construction", _name, f"function family: {_FAMILY_DOCS[_name]}",
             [("families", ", ".join(sorted(q for q, fs in SUPPORT.items() if _name in fs)))],
             domain="function")
for _q in QUESTION_KINDS:
    register("target", _q, f"function question, asked of: {', '.join(sorted(SUPPORT[_q]))}",
             domain="function")

register_domain(Domain("function", FunctionRule, make_sample,
                       "Graphs of functions; zeros, extrema, asymptotes, periods, calculus.",
                       compile_rule, None))
