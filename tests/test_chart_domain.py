"""Every shipped chart rule, a few samples each at a fixed seed.

Each sample keeps its plotting program; re-running it in a fresh process reproduces the PNG
byte for byte. Answers equal the target re-measured from the record's series; the values
the engine read back from the drawn artists were checked when the sample was built (a
mismatch stops the run). Text boxes are inside the image and apart; the variants state
fewer values as they go; the record fits the schema; the output does not depend on the
worker count.
"""
from __future__ import annotations

import functools
import json
import re
import subprocess
import sys

import pytest

from diagram_engine import generate
from diagram_engine.domains.chart.program import THEMES, ChartSpec, program
from diagram_engine.domains.chart.render import GAP, run_program
from diagram_engine.errors import Rejected
from diagram_engine.pipeline import RuleSet, generate_one

DOMAIN = "chart"
SEED = 8080
N = 8
VARIANTS = ("text_dominant", "text_lite", "vision_dominant")
RULESET = RuleSet.load(DOMAIN)
RULE_IDS = sorted(r.id for r in RULESET.rules)


@functools.cache
def samples(rule_id: str):
    return tuple(generate_one(DOMAIN, seed=SEED, index=i, rule_id=rule_id, ruleset=RULESET) for i in range(N))


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_text_boxes_inside_and_apart(rule_id):
    for s in samples(rule_id):
        boxes = [lb["bbox"] for lb in s.record["labels"]]
        w, h = s.record["width"], s.record["height"]
        assert boxes and any(lb["kind"] == "title" for lb in s.record["labels"])
        for b in boxes:
            assert -0.5 <= b[0] < b[2] <= w + 0.5 and -0.5 <= b[1] < b[3] <= h + 0.5, b
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                # at least GAP pixels apart (the boxes are rounded to 0.01 px)
                g = GAP - 0.02
                assert a[2] + g <= b[0] or b[2] + g <= a[0] or a[3] + g <= b[1] or b[3] + g <= a[1], (a, b)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_variants_state_fewer_values(rule_id):
    for s in samples(rule_id):
        p = s.record["problems"][0]
        v = p["variants"]
        for g in p["givens"]:
            assert g["in_text"]["text_dominant"] and not g["in_text"]["vision_dominant"] and g["in_image"]["text_lite"]
            assert g["fact"] in v["text_dominant"]["question"]
            assert g["fact"] not in v["vision_dominant"]["question"]
        cells = [g for g in p["givens"] if "|" in g["quantity"]]
        hidden = sum(not g["in_text"]["text_lite"] for g in cells)
        if p["answer"]["value"] is not None and not isinstance(p["answer"]["value"], (str, list)):
            assert hidden == min(1, len(cells))             # a number: one value left to the chart
        else:
            assert hidden == len(cells)                     # a category or series: every value
        # a question that reads its answer off the chart states only what its reading starts from
        assert cells or all(not g["in_text"]["text_lite"] for g in p["givens"])
        assert v["text_lite"]["question"] != v["vision_dominant"]["question"]
        assert s.record["scene"]["objects"][-1]["title"] not in v["vision_dominant"]["question"]
        chart = s.record["scene"]["objects"][-1]
        if chart["value_labels"]:
            # the chart prints what the text leaves out
            texts = {lb["text"] for lb in s.record["labels"]}
            for g in cells:      # the value as the fact writes it ("2019 (North): 45", "45 for 2019 (North)")
                printed = [x for x in re.findall(r"-?\d+(?:\.\d+)?", g["fact"]) if float(x) == g["value"]]
                assert any(x in t for x in printed for t in texts), (g, texts)


@pytest.mark.slow
def test_a_saved_program_reproduces_its_png_in_a_fresh_process(tmp_path):
    for rule_id in RULE_IDS:
        s = samples(rule_id)[0]
        code = s.files[s.record["program"]].decode()
        script = tmp_path / f"{rule_id}.py"
        script.write_text(code)
        out = tmp_path / f"{rule_id}.png"
        r = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True, timeout=120,
                           check=False)
        assert r.returncode == 0, r.stderr
        assert out.read_bytes() == s.png, rule_id


@pytest.mark.parametrize("kind", ["bar", "hbar", "stacked", "percent", "line", "area", "stackedarea", "pie",
                                  "donut", "radar", "heatmap", "bubble", "barline", "panels", "box"])
def test_values_are_read_back_from_the_artists(kind):
    vals = ((12, 30, 25, 33),) if kind in ("pie", "donut") else ((12, 30, 25, 41), (20, 18, 36, 27))
    names = ("Share",) if kind in ("pie", "donut") else ("North", "South")
    if kind == "box":
        vals, names = ((5, 8, 3, 9), (9, 12, 7, 14), (12, 15, 11, 18), (16, 21, 14, 22), (22, 27, 19, 30)), \
            ("minimum", "lower quartile", "median", "upper quartile", "maximum")
    spec = ChartSpec(kind, "Test chart", ("A", "B", "C", "D"), names, vals, "Group", "Amount (units)", "classic",
                     True, 0)
    drawn = run_program(program(spec), kind, len(names))
    if kind in ("pie", "donut"):
        assert [round(v, 9) for v in drawn.readback["shares"]] == [12.0, 30.0, 25.0, 33.0]
    else:
        assert [[round(v, 9) for v in row] for row in drawn.readback["values"]] == [[float(v) for v in row]
                                                                                for row in vals]
    if kind not in ("heatmap", "barline", "panels", "box"):      # one colour per series (a pie: per slice)
        assert drawn.readback["colors"] == THEMES["classic"]["colors"][:4 if kind in ("pie", "donut") else 2]


def test_histogram_counts_are_numpy_counts_of_the_programs_sample():
    """The bins hold what numpy counts in the program's own sample (an independent count),
    and that equals the table the engine built by exact arithmetic."""
    import numpy as np

    from diagram_engine.domains.chart.data import histogram_table
    from diagram_engine.domains.chart.vocabulary import load_vocabulary
    for dist in load_vocabulary().distributions:
        for width in dist.widths:
            table, sample, edges = histogram_table(np.random.default_rng(5), dist, width, 120, dist.noun)
            counts, _ = np.histogram([float(v) for v in sample], bins=[float(e) for e in edges])
            assert [int(c) for c in counts] == [int(v) for v in table.values[0]], dist.id
            assert sum(counts) == 120 and all(edges[0] <= v <= edges[-1] for v in sample)
    s = generate_one(DOMAIN, seed=SEED, index=0, rule_id="histogram", ruleset=RULESET)
    chart = s.record["scene"]["objects"][-1]
    counts, _ = np.histogram(chart["sample"], bins=chart["edges"])
    assert [float(c) for c in counts] == s.record["scene"]["objects"][0]["values"]


def test_every_chart_kind_has_a_rule_and_every_question_a_chart():
    from diagram_engine.domains.chart.program import KINDS
    from diagram_engine.domains.chart.questions import SUPPORT
    kinds = {k for r in RULESET.rules for k in r.spec.charts}
    assert kinds == set(KINDS) and len(RULE_IDS) >= 14
    asked = {q for r in RULESET.rules for q in r.spec.questions if SUPPORT[q] & set(r.spec.charts)}
    assert asked == set(SUPPORT)


def test_colour_names_are_distinct_within_a_palette():
    """A palette either names every colour, each differently, or none (then no colour question)."""
    import numpy as np

    from diagram_engine.pipeline import Options
    pb = Options().phrasebook("chart")
    named = 0
    for theme, th in THEMES.items():
        names = [pb.say("colour-name", np.random.default_rng(0), hex=h) for h in th["colors"]]
        assert all(names) or not any(names), theme
        if all(names):
            named += 1
            assert len(set(names)) == len(names), (theme, names)
    assert named >= 4


def test_overlapping_text_is_rejected():
    # thin neighbouring slices put their labels on one another
    spec = ChartSpec("pie", "Crowded", ("A long name", "Another long name", "A third long name", "Rest"), ("Share",),
                     ((1, 1, 1, 97),), "", "", "classic", True, 0)
    with pytest.raises(Rejected, match="overlap"):
        run_program(program(spec), "pie", 1)
    # a title wider than the figure
    spec = ChartSpec("bar", "A title far too long " * 6, ("A", "B"), ("S",), ((1, 2),), "Group", "Amount", "classic",
                     True, 0)
    with pytest.raises(Rejected, match="leaves"):
        run_program(program(spec), "bar", 1)


def test_every_theme_draws():
    for theme in THEMES:
        spec = ChartSpec("line", "Theme " + theme, ("2019", "2020", "2021", "2022"), ("North", "South"),
                         ((10, 12, 15, 14), (8, 9, 13, 16)), "Year", "Amount (units)", theme, False, 0)
        assert run_program(program(spec), "line", 2, svg=False).png.startswith(b"\x89PNG")


@pytest.mark.slow
def test_workers_1_and_2_write_identical_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate(DOMAIN, 10, a, seed=3, workers=1, shard_size=5, progress=False)
    generate(DOMAIN, 10, b, seed=3, workers=2, shard_size=5, progress=False)
    fa = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert fa == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and p.name != "manifest.json")
    for rel in fa:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_sibling_questions_do_not_depend_on_set_order():
    """The options of a read-value question are the values of other cells, drawn by the
    sample's generator: the same for any hash seed (sympy hashes change with PYTHONHASHSEED
    between processes, which once made two identical runs differ; nothing here iterates a
    set)."""
    import numpy as np
    import sympy as sp

    from diagram_engine.domains.chart.data import Table
    from diagram_engine.domains.chart.questions import q_read_value
    R = sp.Rational
    row = (R(802, 10), R(797, 10), R(807, 10), R(79), R(80), R(814, 10))
    tb = Table(None, tuple("ABCDEF"), ("S",), (row,), False, 1, "u", "m")
    rng = np.random.default_rng(3)
    answers = [q_read_value(tb, rng).answer for _ in range(12)]
    assert answers == [q_read_value(tb, r).answer for r in [np.random.default_rng(3)] for _ in range(12)]
    assert set(answers) <= set(row)


@pytest.mark.parametrize("value, text", [("333/2", "166.5"), ("43/10", "4.3"), ("1001/6", "166.83"),
                                         ("17/4", "4.25"), ("12", "12"), ("-7/20", "-0.35"), ("2/3", "0.67"),
                                         ("-3391/15", "-226.07")])
def test_results_are_written_exactly_or_to_two_decimals(value, text):
    import sympy as sp

    from diagram_engine.domains.chart.questions import exact_number, round_text
    assert round_text(sp.Rational(value)) == text
    # an exact value stays the rational it is (sympy.nsimplify turned -3391/15 into a product of powers)
    assert exact_number(sp.Rational(value)) == sp.Rational(value)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_numbers_are_never_written_in_exponent_form(rule_id):
    import re
    for s in samples(rule_id):
        p = s.record["problems"][0]
        for text in [p["answer"]["text"], *p["solution"], s.record["caption"]]:
            assert not re.search(r"\de[+-]\d", text), text


def test_no_svg_leaves_the_svg_out_and_the_rest_unchanged(tmp_path, record_validator):
    """--no-svg writes no svg/ folder and records svg: null; every other byte is the same."""
    a, b = tmp_path / "a", tmp_path / "b"
    generate(DOMAIN, 6, a, seed=4, workers=1, progress=False)
    generate(DOMAIN, 6, b, seed=4, workers=1, progress=False, svg=False)
    assert (a / "svg").is_dir() and not (b / "svg").exists()
    v = record_validator
    ra = [json.loads(x) for x in (a / "shards" / "shard-000000.jsonl").read_text().splitlines()]
    rb = [json.loads(x) for x in (b / "shards" / "shard-000000.jsonl").read_text().splitlines()]
    for x, y in zip(ra, rb):
        assert y["svg"] is None and not list(v.iter_errors(y))
        assert dict(x, svg=None) == y
        assert (a / x["image"]).read_bytes() == (b / y["image"]).read_bytes()
    assert json.loads((b / "manifest.json").read_text())["command"].endswith("--no-svg")
