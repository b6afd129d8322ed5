"""Charts made as plotting programs: the program is the textual truth behind the picture,
and every answer is checked against the values read back from the drawn artists.

``build`` picks the question, the chart kind, a topic of the vocabulary and its data table,
asks the question answer-first (exactly) and writes the plotting program; ``check``
re-measures the target from the record's series alone; ``draw`` runs the program and checks
the drawn figure against the table and the answer; ``words`` writes the caption, the three
variants and the solution.
"""
from __future__ import annotations

from ...core import Domain, register
from ...registry import register as register_entry
from . import build, check, draw, words
from .program import KINDS, THEMES
from .questions import QUESTIONS, SUPPORT
from .rule import QUESTION_KINDS, ChartRule
from .vocabulary import check_vocabulary

__all__ = ["Charts"]

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
    register_entry("construction", _k, f"chart: {_KIND_DOCS[_k]}", domain="chart")
for _q in QUESTION_KINDS:
    register_entry("target", _q, f"chart question, asked of: {', '.join(sorted(SUPPORT[_q]))}", domain="chart")
for _t in THEMES:
    register_entry("decoration", _t, f"chart theme {_t}: palette, font, grid, legend place and figure size",
                   domain="chart")
for _name, (_doc, _params) in check.MEASURES.items():
    register_entry("measure", _name, _doc, _params, domain="chart")


@register
class Charts(Domain):
    name = "chart"
    doc = "Charts as plotting programs, with recognition and reasoning questions."
    rule_model = ChartRule
    object_types = ("series", "chart")
    output_folders = ("code",)
    data_folder = "vocabulary"          # rules/chart/vocabulary/*.yaml: the topics, checked, never rules
    data_files = ("vocabulary/topics.yaml",)    # the vocabulary the samples draw from: in every rule's digest

    def check_data_file(self, path) -> list:
        """Every error of a chart vocabulary file."""
        return check_vocabulary(path)[1]

    def build(self, job):
        return build.build(job)

    def check(self, scene, target):
        return check.check(scene, target)

    def draw(self, job, built):
        return draw.draw(job, built)

    def words(self, job, built, pictures):
        return words.words(job, built, pictures)
