"""Chart options the key cannot be told from, answers that are not copied, variants that need
the picture.

Most tests build charts without drawing them (``build`` alone is fast: the options, the
variants' hidden cells and ``image_needed`` are all decided there); a few whole samples check
what only the record shows (the question texts, the labels, the caption).
"""
from __future__ import annotations

import functools
import re
from collections import Counter

import numpy as np
import pytest
import sympy as sp

from diagram_engine.audit import strip_options
from diagram_engine.core import VARIANTS, Job, number_key
from diagram_engine.domains.chart import build as chart_build
from diagram_engine.domains.chart.build import read_gap
from diagram_engine.domains.chart.data import Table, redraw, sample_table
from diagram_engine.domains.chart.questions import moved, q_largest, q_read_value
from diagram_engine.domains.chart.vocabulary import load_vocabulary
from diagram_engine.errors import Rejected
from diagram_engine.pipeline import Options, RuleSet, generate_one

DOMAIN = "chart"
RULESET = RuleSet.load(DOMAIN)
RULES = {r.id: r for r in RULESET.rules}
OPTIONS = Options()


@functools.cache
def builds(rule_id: str, n: int = 120, seed: int = 11):
    """Up to ``n`` charts of a rule, built but not drawn (rejected attempts skipped)."""
    out = []
    for i in range(n):
        try:
            out.append(chart_build.build(Job(RULES[rule_id], np.random.default_rng([seed, i]), OPTIONS)))
        except Rejected:
            continue
    return tuple(out)


def _numeric(choices):
    try:
        return [float(c.rstrip("%")) for c in choices]
    except ValueError:
        return None


def test_a_read_value_offers_four_cells_of_its_chart_far_enough_apart():
    """The options of a question that reads one value are the values of four cells of the same
    chart, apart by the kind's spread of the value span, and the key is one of them at random."""
    seen = 0
    index = Counter()
    for rule_id in ("bar", "line", "stacked-bar", "heatmap", "radar"):
        for b in builds(rule_id):
            st = b.state
            if st.ask.qtype != "read-value":
                continue
            _, key, values = st.options
            cells = {float(v) for row in st.table.values for v in row}
            assert set(values) <= cells and len(set(values)) == 4
            gap = read_gap(st.kind, st.table)
            assert gap >= 0.08 * (max(cells) - min(cells)) > 0
            assert all(abs(x - y) >= gap for i, x in enumerate(values) for y in values[i + 1:])
            assert values[key] == float(st.ask.answer)
            assert b.scene["objects"][-1]["value_labels"] is False       # read against the axis
            index[key] += 1
            seen += 1
    assert seen >= 30 and len(index) == 4


def test_the_key_is_not_the_middle_of_its_options():
    """Over many charts, the key's rank among the sorted numeric options is spread over the
    four ranks (not the centre of a set of transforms of the answer)."""
    ranks = Counter()
    for rule_id in ("bar", "grouped-bar", "histogram", "horizontal-bar", "subplots", "box-plot", "pie"):
        for b in builds(rule_id):
            if b.state.options is None:
                continue
            choices, key, _ = b.state.options
            vals = _numeric(choices)
            if vals is None or len(set(vals)) < 4:
                continue
            ranks[sorted(vals).index(vals[key])] += 1
    n = sum(ranks.values())
    assert n >= 200
    assert all(0.15 <= ranks[k] / n <= 0.35 for k in range(4)), ranks


def test_no_worked_out_answer_or_option_repeats_a_value_of_its_table():
    for rule_id in ("bar", "grouped-bar", "histogram", "subplots", "stacked-bar"):
        for b in builds(rule_id):
            st = b.state
            if st.ask.reads or st.ask.picture_only or st.ask.kind not in ("number", "count"):
                continue
            cells = {number_key(v) for row in st.table.values for v in row}
            assert number_key(st.ask.answer) not in cells, st.ask.qtype
            if st.options is not None:
                assert not {number_key(v) for v in st.options[2]} & cells, st.ask.qtype


def test_text_lite_and_vision_dominant_need_the_picture():
    """image_needed is true for text_lite and vision_dominant of every chart problem, and for
    text_dominant exactly when the question reads its answer off the chart."""
    for rule_id in sorted(RULES):
        for b in builds(rule_id, 40):
            st = b.state
            assert st.image_needed["text_lite"] and st.image_needed["vision_dominant"], (rule_id, st.ask.qtype)
            assert st.image_needed["text_dominant"] == bool(st.ask.reads or st.ask.picture_only), st.ask.qtype


def test_a_category_answer_leaves_every_value_to_the_picture_in_text_lite():
    """With all values but one stated, the largest stated one would be the answer most of the
    time; so a category or series answer states no value in text_lite."""
    for b in builds("line"):
        st = b.state
        if st.ask.kind in ("word", "pair"):
            assert set(st.hidden["text_lite"]) == set(st.ask.givens)
        elif st.ask.givens:
            assert len(st.hidden["text_lite"]) == 1


def test_moved_sees_whether_a_cell_changes_the_answer():
    R = sp.Rational
    tb = Table(None, ("A", "B", "C", "D"), ("S",), ((R(10), R(40), R(20), R(30)),), False, 0, "u", "m")
    for seed in range(40):
        ask = q_largest(tb, np.random.default_rng(seed))
        if ask.target["measure"] == "argmax":
            break
    vals = tb.floats()
    assert all(moved(ask, vals, [g]) for g in ask.reads)       # any bar can become, or stop being, the tallest
    ask = q_read_value(tb, np.random.default_rng(0))
    assert moved(ask, vals, ask.reads)
    other = [(0, c) for c in range(4) if (0, c) not in ask.reads]
    assert not moved(ask, vals, other)                          # other bars do not change it


def test_a_neighbouring_table_keeps_the_names_and_redraws_the_values():
    voc = load_vocabulary()
    topic = next(tp for tp in voc.topics if tp.categories.kind == "years" and tp.trends)
    tb = sample_table(np.random.default_rng(1), topic, 6, 3)
    nb = redraw(tb, np.random.default_rng(2))
    assert (nb.categories, nb.series, nb.source) == (tb.categories, tb.series, tb.source)
    assert nb.values != tb.values and len(nb.values) == 3 and all(len(r) == 6 for r in nb.values)


@functools.cache
def records(rule_id: str, n: int = 6, seed: int = 4242):
    return tuple(generate_one(DOMAIN, seed=seed, index=i, rule_id=rule_id, ruleset=RULESET).record
                 for i in range(n))


@pytest.mark.parametrize("rule_id", ["bar", "pie", "box-plot", "grouped-bar", "line", "percent-bar"])
def test_no_answer_is_stated_by_its_question_or_drawn_as_a_value(rule_id):
    """No variant's question states the answer (outside the options); a value the question
    reads off the chart is printed nowhere on it; a colour asked for is named nowhere in the
    caption; every solution works in at least two steps."""
    for r in records(rule_id):
        p = r["problems"][0]
        ans = p["answer"]["text"]
        for v in VARIANTS:
            q = strip_options(p["variants"][v]["question"], p["choices"])
            assert not re.search(rf"(?<![\w.]){re.escape(ans)}(?![\w]|\.\d)", q), (v, q)
            assert len(p["variants"][v]["solution"]) >= 3
        assert p["steps"] >= 2
        if p["question_type"] in ("read-value", "box-stat") or (p["question_type"] == "share" and rule_id == "pie"):
            assert p["choices"] is not None
            assert ans.rstrip("%") not in {lb["text"] for lb in r["labels"] if lb["kind"] == "value"}
            assert not any(ans in lb["text"] for lb in r["labels"])
        if p["question_type"] == "colour":
            assert not re.search(rf"\b{re.escape(ans)}\b", r["caption"])
        assert not p["givens"] or all(g["value"] != p["answer"]["value"] for g in p["givens"])
