"""Rule files as a product: the schema, `rules list`, `rules validate`, rule-defined shapes,
template safety, and the custom rule in examples/ generated end to end.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

import diagram_engine
from diagram_engine import generate, measure
from diagram_engine.cli import cli
from diagram_engine.errors import RuleError, RuleErrors
from diagram_engine.pipeline import Options, RuleSet, generate_one
from diagram_engine.registry import entries
from diagram_engine.rules import check_rule_file, load_rule_file, shipped_rules_dir
from diagram_engine.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent
SCHEMA_PATH = Path(diagram_engine.__file__).parent / "schema" / "rule.schema.json"
EXAMPLE = REPO / "examples" / "custom-rule"
KITE = EXAMPLE / "right-kite.yaml"
SHIPPED = sorted(p for p in (REPO / "rules").rglob("*.yaml") if "vocabulary" not in p.parts)


def invoke(*args):
    return CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)


def write_rule(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --- the JSON Schema ------------------------------------------------------------------------

def test_shipped_schema_is_what_rules_schema_prints():
    res = invoke("rules", "schema")
    assert res.exit_code == 0
    assert res.output == SCHEMA_PATH.read_text(encoding="utf-8"), \
        "rule.schema.json is stale: run `diagram-engine rules schema > diagram_engine/schema/rule.schema.json`"


@pytest.fixture(scope="module")
def rule_validator():
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SHIPPED + [KITE], ids=lambda p: p.name)
def test_every_rule_we_ship_satisfies_the_schema(path, rule_validator):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [e.message for e in rule_validator.iter_errors(data)] == []


@pytest.mark.parametrize("change", [
    {"targts": ["area"]},                       # unknown key
    {"steps": "many"},                          # wrong type
    {"multiple_choice": 2},                     # out of range
    {"answer": "fraction"},                     # not one of the choices
    {"attach": {"count": [0, 1], "shapes": ["square"], "extra": 1}},
])
def test_schema_refuses_what_the_loader_refuses(change, rule_validator, tmp_path):
    data = yaml.safe_load((REPO / "rules" / "plane-geometry" / "chain-area.yaml").read_text())
    data.update(change)
    assert list(rule_validator.iter_errors(data)), "the schema let a bad rule through"
    _, errors = check_rule_file(write_rule(tmp_path, yaml.safe_dump(data)))
    assert errors, "the loader let a bad rule through"


# --- rules list -------------------------------------------------------------------------------

def test_rules_list_prints_the_whole_vocabulary():
    res = invoke("rules", "list")
    assert res.exit_code == 0
    for e in entries():
        assert e.name in res.output and e.doc in res.output
        for p, doc in e.params:
            assert f"{p}: {doc}" in res.output
    for kind in ("construction", "decoration", "target", "measure", "expression-function",
                 "template-filter"):
        assert entries(kind), f"nothing registered as {kind}"
    for f in SHIPPED:
        assert yaml.safe_load(f.read_text())["id"] in res.output


def test_rules_list_shows_shapes_defined_in_rule_files():
    res = invoke("rules", "list", "--rules", EXAMPLE)
    assert res.exit_code == 0
    assert "right-kite" in res.output and "PS: length in [0.5, 1.6]" in res.output


# --- rules validate -------------------------------------------------------------------------------

@pytest.mark.slow
def test_shipped_rules_and_the_example_validate():
    res = invoke("rules", "validate", shipped_rules_dir(), EXAMPLE)
    assert res.exit_code == 0, res.output
    assert f"{len(SHIPPED) + 1} rule file(s) valid" in res.output


def test_validate_lists_every_error_of_a_file_in_line_order(tmp_path):
    p = write_rule(tmp_path, "\n".join([
        "id: several-errors",
        "domain: plane-geometry",
        "base: [square]",
        "targets: [area, volume]",       # line 4: not a target
        "steps: [5, 2]",                 # line 5: empty range
        "weight: -1",                    # line 6: must be > 0
        "colour: red",                   # line 7: unknown key
    ]) + "\n")
    errors, n = validate_paths([p])
    assert n == 1
    got = [(e.line, e.field) for e in errors]
    assert got == [(4, "targets[1]"), (5, "steps"), (6, "weight"), (7, "colour")]
    res = invoke("rules", "validate", p)
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert lines[:4] == [str(e) for e in errors]
    assert lines[-1] == "4 error(s) in 1 file(s)"


def test_generate_names_the_first_error_and_counts_the_rest(tmp_path):
    p = write_rule(tmp_path, "id: two\ndomain: plane-geometry\nbase: [square]\ntargets: [area]\nweight: 0\n"
                             "steps: [3, 1]\n")
    out = tmp_path / "out"
    res = invoke("generate", "--domain", "plane-geometry", "--count", "2", "--out", out, "--rules", p)
    assert res.exit_code == 2
    assert res.output.count("\n") == 1
    assert f"{p}:5: weight:" in res.output and "(and 1 more error;" in res.output
    assert not out.exists()


# --- rule-defined shapes ---------------------------------------------------------------------------

def test_the_example_rule_defines_a_working_shape():
    rule = load_rule_file(KITE)
    cs = rule.compiled.shapes["right-kite"]
    assert cs.verts == ("P", "Q", "R", "S") and [f.name for f in cs.formulas][:2] == [
        "right-kite-diagonal", "right-kite-area"]


def test_a_formula_that_drifts_from_the_drawing_stops_the_sample_at_its_line():
    """The load-time check samples a dozen parameter sets; a sample re-checks every value it
    derives, so a formula wrong only for some values still cannot produce a wrong answer."""
    rule = load_rule_file(KITE)
    cs = rule.compiled.shapes["right-kite"]
    from diagram_engine.expr import parse
    bad = dataclasses.replace(cs.formulas[1], expr=parse("PQ*PS/2", ["PQ", "PS"], degrees=True))
    broken = dataclasses.replace(cs, formulas=(cs.formulas[0], bad) + cs.formulas[2:])
    rule.compiled.shapes["right-kite"] = broken
    rule.compiled.builders["right-kite"] = broken
    with pytest.raises(RuleError) as e:
        for i in range(40):
            generate_one("plane-geometry", seed=1, index=i, ruleset=RuleSet("plane-geometry", [rule]))
    assert e.value.path == str(KITE) and e.value.field == "shapes.right-kite.formulas[1].expr"
    assert e.value.line == 31 and "the drawn shape measures" in e.value.message


@pytest.fixture(scope="module")
def kite_dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("kites")
    s = generate("plane-geometry", 40, out, seed=5, workers=1, rules=[EXAMPLE], include_shipped=False,
                 progress=False)
    assert s.count == 40
    recs = [json.loads(x) for x in (out / "shards" / "shard-000000.jsonl").read_text().splitlines()]
    return out, recs


def test_the_custom_rule_generates_end_to_end(kite_dataset):
    out, recs = kite_dataset
    kinds = {o.get("shape") for r in recs for o in r["scene"]["objects"]}
    assert "right-kite" in kinds
    asked = {p["question_type"] for r in recs for p in r["problems"]}
    assert {"area", "length", "perimeter"} <= asked
    validator = Draft202012Validator(json.loads((SCHEMA_PATH.parent / "record.schema.json").read_text()))
    for r in recs:
        assert list(validator.iter_errors(r)) == []
        for p in r["problems"]:
            assert abs(measure(r["scene"], p["target"]) - p["answer"]["value"]) <= 1e-6 * max(1, p["answer"]["value"])
        assert (out / r["image"]).is_file()


def test_kite_wording_comes_from_the_rules_own_templates(kite_dataset):
    _, recs = kite_dataset
    kite_recs = [r for r in recs if any(o.get("shape") == "right-kite" for o in r["scene"]["objects"])]
    assert kite_recs
    for r in kite_recs:
        q = r["problems"][0]["variants"]["text_dominant"]["question"]
        assert "kite" in q.lower(), q
    reasons = " ".join(" ".join(r["problems"][0]["solution"]) for r in kite_recs)
    assert "kite" in reasons


def test_equal_side_groups_are_drawn_with_distinct_tick_counts():
    rule = load_rule_file(KITE)
    rs = RuleSet("plane-geometry", [rule])
    for i in range(30):
        s = generate_one("plane-geometry", seed=2, index=i, ruleset=rs)
        if any(o.get("shape") == "right-kite" for o in s.record["scene"]["objects"]):
            break
    else:
        pytest.fail("no kite in 30 samples")
    ticks = s.svg.count("<line") + s.svg.count("<path")
    assert ticks > 0
    # two groups: one tick on PQ, QR and two on PS, RS -> 6 tick strokes in the kite
    from diagram_engine.domains.plane_geometry.derive import construct
    from diagram_engine.seeding import rng_for
    con = construct(rule.spec, rng_for(2, rule.digest, i, s.record["seed"]["attempt"]),
                    rule.compiled.builders)
    kite = [sh for sh in con.shapes if sh.kind == "right-kite"][0]
    assert sorted(n for _, _, n in kite.ticks) == [1, 1, 2, 2]


# --- templates are sandboxed ---------------------------------------------------------------------

@pytest.mark.parametrize("phrasing,fragment", [
    ("{{ shape.__class__ }}", "unsafe"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ range.__globals__ }}", "unsafe"),
    ("{{ shape.name.__globals__ }}", "no attribute '__globals__'"),
    ("{{ 'ab' * 100000 }}", "too long"),
    ("{% for i in range(100000) %}x{% endfor %}", "range()"),
    ("{{ shape.name + 1 }}", "TypeError"),
    ("{{ shape.nmae }}", "has no attribute 'nmae'"),
    ("{{ cycler }}", "undefined"),
    ("{{ lipsum(10000) }}", "undefined"),
])
def test_templates_cannot_reach_outside_or_run_away(phrasing, fragment, tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.yaml").write_text(yaml.safe_dump({"prop.square": [phrasing]}))
    p = write_rule(tmp_path, "id: t\ndomain: plane-geometry\ntemplates: [templates/t.yaml]\n"
                             "base: [square]\ntargets: [area]\nsteps: [1, 2]\n")
    errors, _ = validate_paths([p], samples=2)
    assert len(errors) == 1
    e = errors[0]
    assert e.path == str(tmp_path / "templates" / "t.yaml") and e.line == 2 and e.field == "prop.square[0]"
    assert fragment in e.message


def test_too_many_loops_in_one_phrasing(tmp_path):
    (tmp_path / "templates").mkdir()
    loop = "{% for i in range(50) %}{% endfor %}"
    (tmp_path / "templates" / "t.yaml").write_text(yaml.safe_dump({"prop.square": [loop * 4]}))
    p = write_rule(tmp_path, "id: t\ndomain: plane-geometry\ntemplates: [templates/t.yaml]\n"
                             "base: [square]\ntargets: [area]\n")
    errors, _ = validate_paths([p], samples=1)
    assert [e.field for e in errors] == ["prop.square[0]"] and "for-loops" in errors[0].message


def test_validate_renders_phrasings_the_rng_would_not_pick(tmp_path):
    """Twenty phrasings, one broken: building a couple of samples normally would likely miss
    it; validation renders every phrasing of each slot it uses."""
    (tmp_path / "templates").mkdir()
    good = ["{{ shape.name }} is a square."] * 19
    (tmp_path / "templates" / "t.yaml").write_text(
        yaml.safe_dump({"prop.square": good + ["{{ shape.side }} is a square."]}))
    p = write_rule(tmp_path, "id: t\ndomain: plane-geometry\ntemplates: [templates/t.yaml]\n"
                             "base: [square]\ntargets: [area]\n")
    errors, _ = validate_paths([p], samples=1)
    assert [(e.line, e.field) for e in errors] == [(21, "prop.square[19]")]


def test_a_rule_template_replaces_the_shipped_slot(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.yaml").write_text(yaml.safe_dump({"prop.square": ["{{ shape.name }} is a SQUARE."]}))
    p = write_rule(tmp_path, "id: t\ndomain: plane-geometry\ntemplates: [templates/t.yaml]\n"
                             "base: [square]\ntargets: [area]\n")
    rule = load_rule_file(p)
    s = generate_one("plane-geometry", seed=0, index=0, ruleset=RuleSet("plane-geometry", [rule]))
    assert "is a SQUARE." in s.record["problems"][0]["variants"]["text_dominant"]["question"]
    pb = Options().phrasebook_for(rule)
    assert len(pb.slots["prop.square"]) == 1


def test_rule_errors_survive_pickling():
    import pickle
    e = RuleErrors([RuleError("a.yaml", 3, "x", "bad"), RuleError("a.yaml", 5, "y", "worse")])
    e2 = pickle.loads(pickle.dumps(e))
    assert str(e2) == str(e) and [str(x) for x in e2.errors] == [str(x) for x in e.errors]


def test_validate_refuses_one_id_in_two_of_the_given_files(tmp_path):
    text = "id: twice\ndomain: plane-geometry\nbase: [square]\ntargets: [area]\n"
    a, b = write_rule(tmp_path, text, "a.yaml"), write_rule(tmp_path, text, "b.yaml")
    errors, n = validate_paths([a, b], samples=1)
    assert n == 2
    assert [(e.path, e.line, e.field) for e in errors] == [(str(b), 1, "id")]
    assert f"duplicate rule id 'twice' (also in {a})" in errors[0].message


def test_a_named_rule_file_of_another_domain_is_an_error_a_folder_is_filtered(tmp_path):
    src = (shipped_rules_dir() / "analytic-geometry" / "conics.yaml").read_text(encoding="utf-8")
    rule = tmp_path / "rules" / "my-conics.yaml"
    rule.parent.mkdir()
    rule.write_text(src.replace("id: conics", "id: my-conics"), encoding="utf-8")
    line = next(i for i, l in enumerate(rule.read_text().splitlines(), 1) if l.startswith("domain:"))
    with pytest.raises(RuleError) as info:
        RuleSet.load("plane-geometry", [rule])
    assert (info.value.line, info.value.field) == (line, "domain")
    assert "use --domain analytic-geometry" in info.value.message
    r = CliRunner().invoke(cli, ["generate", "--mix", "plane-geometry=1,function=1", "--count", "1",
                                 "--out", str(tmp_path / "out"), "--rules", str(rule)])
    assert r.exit_code == 2 and r.stderr.startswith(f"Error: {rule}:{line}: domain: ")
    assert not (tmp_path / "out").exists()
    # a folder may hold several domains' rules: each run takes its own
    assert "my-conics" not in RuleSet.load("plane-geometry", [rule.parent]).by_id
    assert "my-conics" in RuleSet.load("analytic-geometry", [rule]).by_id
