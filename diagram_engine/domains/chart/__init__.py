"""Charts made as plotting programs: the program is the textual truth behind the picture,
and every answer is checked against the values read back from the drawn artists."""
from ...registry import register
from .. import Domain, register_domain
from .program import KINDS, THEMES
from .questions import QUESTIONS, SUPPORT
from .rule import QUESTION_KINDS, ChartRule
from .sample import make_sample

__all__ = ["ChartRule", "make_sample"]

assert tuple(QUESTIONS) == QUESTION_KINDS, "rule.QUESTION_KINDS and the questions differ"

_KIND_DOCS = {"bar": "vertical bars, grouped when there are several series",
              "percent": "100% stacked bars: each whole split into the shares of its parts",
              "barline": "bars with their running total as a line on a second axis",
              "radar": "a polygon per series over spokes for named categories",
              "heatmap": "a grid of series by categories coloured by value, with a colour bar",
              "scatter": "points over years with a dashed least-squares trend line",
              "stacked": "vertical bars with the series stacked on one another",
              "area": "lines with the area under each filled",
              "donut": "a ring of whole-number shares summing to 100%",
              "hbar": "horizontal bars, grouped when there are several series",
              "line": "lines with markers over ordered or named categories",
              "pie": "a pie of whole-number shares summing to 100%",
              "stackedarea": "the series stacked as filled layers over ordered categories",
              "bubble": "a grid of bubbles, one row per series, with areas proportional to the values",
              "histogram": "the counts of a sample of values in equal bins",
              "box": "box plots: whiskers to the minimum and maximum, a box from quartile to quartile, the median",
              "panels": "two subplots side by side: one series as bars, the other as a line, on a shared axis"}
for _k in KINDS:
    register("construction", _k, f"chart: {_KIND_DOCS[_k]}", domain="chart")
for _q in QUESTION_KINDS:
    register("target", _q, f"chart question, asked of: {', '.join(sorted(SUPPORT[_q]))}", domain="chart")
for _t in THEMES:
    register("decoration", _t, f"chart theme {_t}: palette, font, grid, legend place and figure size",
             domain="chart")

register_domain(Domain("chart", ChartRule, make_sample,
                       "Charts as plotting programs, with recognition and reasoning questions.", None, None))
