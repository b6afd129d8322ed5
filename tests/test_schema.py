"""The shipped JSON Schema of a sample record (diagram_engine/schema/record.schema.json).

Every record of a small generated dataset must validate, and records with real faults (a
dotted id, three choices, a missing ``verified``, a three-number bbox, ...) must not.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import diagram_engine
from diagram_engine.core.registry import DOMAINS
from diagram_engine import generate

SCHEMA_PATH = Path(diagram_engine.__file__).parent / "schema" / "record.schema.json"
COUNT = 60
SHARD = 25


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema) -> Draft202012Validator:
    return Draft202012Validator(schema)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("schema-dataset")
    summary = generate("plane-geometry", COUNT, out, seed=3, workers=1, shard_size=SHARD,
                       progress=False)
    assert summary.count == COUNT
    return out


@pytest.fixture(scope="module")
def records(dataset) -> list[dict]:
    out = []
    for shard in sorted((dataset / "shards").glob("shard-*.jsonl")):
        with open(shard, encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f)
    return out


def _errors(validator, rec) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(rec)]


def _first(records, pred) -> dict:
    for r in records:
        if pred(r):
            return copy.deepcopy(r)
    raise AssertionError("the test dataset has no record of the kind this test needs")


def _is_mc(r):
    return r["problems"][0]["choices"] is not None


def _objects(r, type_, shape=None):
    return [o for o in r["scene"]["objects"]
            if o["type"] == type_ and (shape is None or o.get("shape") == shape)]


# --- the schema and the dataset ------------------------------------------------------------------

def test_schema_is_valid_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_is_packaged(schema):
    """Users load the schema from the installed package; it must be there and current."""
    from importlib.resources import files
    installed = files("diagram_engine").joinpath("schema/record.schema.json")
    assert installed.is_file()
    assert json.loads(installed.read_text(encoding="utf-8")) == schema
    checkout = Path(__file__).resolve().parents[1] / "diagram_engine" / "schema" / "record.schema.json"
    if checkout.is_file():   # running from a source tree: the installed copy is this one
        assert json.loads(checkout.read_text(encoding="utf-8")) == schema


def test_every_record_validates(validator, records):
    assert len(records) == COUNT
    bad = {r.get("id"): _errors(validator, r) for r in records}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, json.dumps(bad, indent=1, ensure_ascii=False)[:4000]


def test_dataset_exercises_the_schema(records):
    """The positive test above means something only if the records cover the branches."""
    types = {(o["type"], o.get("shape") if o["type"] == "sector" else None)
             for r in records for o in r["scene"]["objects"]}
    for want in [("polygon", None), ("sector", "sector"), ("sector", "semicircle"), ("circle", None),
                 ("region", None), ("segment", None)]:
        assert want in types, f"no {want} object in the test dataset"
    assert any(_is_mc(r) for r in records) and any(not _is_mc(r) for r in records)
    measures = {p["target"]["measure"] for r in records for p in r["problems"]}
    assert {"length", "angle", "area", "perimeter", "arc-length"} <= measures


def test_records_agree_with_the_folder(dataset, records):
    """What the schema cannot say: ids follow the index, paths point at written files."""
    for i, r in enumerate(records):
        sid = r["id"]
        assert sid == f"plane-geometry-{i:09d}" and r["seed"]["index"] == i
        assert r["image"] == f"images/{sid}.png" and r["svg"] == f"svg/{sid}.svg"
        assert (dataset / r["image"]).is_file() and (dataset / r["svg"]).is_file()
        for k, p in enumerate(r["problems"]):
            assert p["id"] == f"{sid}-q{k}"
            for v in p["variants"].values():
                assert v["image"] == r["image"] or v["image"].startswith(f"images/{sid}__vd")
                assert (dataset / v["image"]).is_file()
    shards = sorted((dataset / "shards").glob("shard-*.jsonl"))
    assert len(shards) == -(-COUNT // SHARD)
    for s in shards:
        assert s.with_name(s.name.replace(".jsonl", ".done.json")).is_file()


# --- records with faults must fail -----------------------------------------------------------------

def _p(r):
    return r["problems"][0]


def _set_dotted_id(r):
    r["id"] = "plane-geometry.000000001"


def _set_short_index(r):
    r["id"] = "plane-geometry-42"


def _set_bad_domain(r):
    r["domain"] = "geometry"


def _drop_verified(r):
    del _p(r)["verified"]


def _verified_as_string(r):
    _p(r)["verified"]["numeric"] = "true"


def _three_choices(r):
    p = _p(r)
    keep = p["choices"][p["answer_index"]]
    p["choices"] = [c for c in p["choices"] if c != keep][:2] + [keep]
    p["answer_index"] = 2


def _duplicate_choice(r):
    p = _p(r)
    p["choices"][(p["answer_index"] + 1) % 4] = p["choices"][p["answer_index"]]


def _answer_index_out_of_range(r):
    _p(r)["answer_index"] = 4


def _choices_without_answer_index(r):
    _p(r)["answer_index"] = None


def _answer_index_without_choices(r):
    _p(r)["choices"] = None


def _bbox_three_numbers(r):
    r["labels"][0]["bbox"] = r["labels"][0]["bbox"][:3]


def _bbox_as_strings(r):
    r["labels"][0]["bbox"] = [str(v) for v in r["labels"][0]["bbox"]]


def _bad_label_kind(r):
    r["labels"][0]["kind"] = "vertex"


def _empty_caption(r):
    r["caption"] = ""


def _no_problems(r):
    r["problems"] = []


def _width_as_string(r):
    r["width"] = str(r["width"])


def _drop_seed_digest(r):
    del r["seed"]["rule_digest"]


def _to_pixels_five(r):
    r["scene"]["to_pixels"] = r["scene"]["to_pixels"][:5]


def _drop_to_pixels(r):
    del r["scene"]["to_pixels"]


def _point_with_three_coords(r):
    name = next(iter(r["scene"]["points"]))
    r["scene"]["points"][name] = r["scene"]["points"][name] + [0.0]


def _unknown_object_type(r):
    r["scene"]["objects"][0]["type"] = "triangle"


def _polygon_without_vertices(r):
    del _objects(r, "polygon")[0]["vertices"]


def _sector_without_radius(r):
    del _objects(r, "sector")[0]["radius"]


def _sector_without_ends(r):
    del _objects(r, "sector")[0]["ends"]


def _sector_degrees_out_of_range(r):
    _objects(r, "sector")[0]["end_deg"] = 400.0


def _circle_negative_radius(r):
    _objects(r, "circle")[0]["radius"] = -1.0


def _region_bad_op(r):
    _objects(r, "region")[0]["op"] = "minus"


def _problem_id_without_q(r):
    _p(r)["id"] = r["id"] + "-0"


def _target_without_measure(r):
    del _p(r)["target"]["measure"]


def _length_target_one_point(r):
    _p(r)["target"] = {"measure": "length", "of": ["A"]}


def _angle_target_without_vertex(r):
    _p(r)["target"] = {"measure": "angle", "from": "A", "to": "C"}


def _given_missing_variant_flag(r):
    del _p(r)["givens"][0]["in_image"]["vision_dominant"]


def _given_flag_not_bool(r):
    _p(r)["givens"][0]["in_text"]["text_lite"] = 0


def _no_givens(r):
    _p(r)["givens"] = []


def _variant_missing(r):
    del _p(r)["variants"]["text_lite"]


def _variant_without_solution(r):
    del _p(r)["variants"]["vision_dominant"]["solution"]


def _variant_image_elsewhere(r):
    _p(r)["variants"]["text_dominant"]["image"] = "/tmp/x.png"


def _answer_value_string(r):
    a = _p(r)["answer"]
    a["value"] = str(a["value"])


def _answer_without_latex(r):
    del _p(r)["answer"]["latex"]


def _empty_solution(r):
    _p(r)["solution"] = []


def _solution_not_strings(r):
    _p(r)["solution"] = [1, 2]


def _zero_steps(r):
    _p(r)["steps"] = 0


def _negative_error(r):
    _p(r)["verified"]["max_abs_err"] = -1e-9


FAULTS = [
    (_set_dotted_id, None), (_set_short_index, None), (_set_bad_domain, None),
    (_drop_verified, None), (_verified_as_string, None),
    (_three_choices, _is_mc), (_duplicate_choice, _is_mc), (_answer_index_out_of_range, _is_mc),
    (_choices_without_answer_index, _is_mc), (_answer_index_without_choices, _is_mc),
    (_bbox_three_numbers, None), (_bbox_as_strings, None), (_bad_label_kind, None),
    (_empty_caption, None), (_no_problems, None), (_width_as_string, None),
    (_drop_seed_digest, None), (_to_pixels_five, None), (_drop_to_pixels, None),
    (_point_with_three_coords, None), (_unknown_object_type, None),
    (_polygon_without_vertices, lambda r: _objects(r, "polygon")),
    (_sector_without_radius, lambda r: _objects(r, "sector")),
    (_sector_without_ends, lambda r: _objects(r, "sector")),
    (_sector_degrees_out_of_range, lambda r: _objects(r, "sector")),
    (_circle_negative_radius, lambda r: _objects(r, "circle")),
    (_region_bad_op, lambda r: _objects(r, "region")),
    (_problem_id_without_q, None), (_target_without_measure, None),
    (_length_target_one_point, None), (_angle_target_without_vertex, None),
    (_given_missing_variant_flag, None), (_given_flag_not_bool, None), (_no_givens, None),
    (_variant_missing, None), (_variant_without_solution, None), (_variant_image_elsewhere, None),
    (_answer_value_string, None), (_answer_without_latex, None), (_empty_solution, None),
    (_solution_not_strings, None), (_zero_steps, None), (_negative_error, None),
]


@pytest.mark.parametrize("fault,needs", FAULTS, ids=[f.__name__.strip("_") for f, _ in FAULTS])
def test_faulty_record_fails(validator, records, fault, needs):
    rec = _first(records, needs or (lambda r: True))
    assert not _errors(validator, rec), "the record must be valid before the fault is introduced"
    fault(rec)
    assert _errors(validator, rec), f"the schema accepted a record after {fault.__name__}"


def _missing(field):
    def f(r):
        del r[field]
    f.__name__ = f"_missing_{field}"
    return f


@pytest.mark.parametrize("field", ["id", "domain", "rule", "seed", "image", "svg", "width", "height",
                                   "caption", "scene", "labels", "problems"])
def test_every_documented_field_is_required(validator, records, field):
    rec = copy.deepcopy(records[0])
    _missing(field)(rec)
    assert _errors(validator, rec)


# --- what the schema must keep accepting ------------------------------------------------------------

def test_new_fields_are_allowed(validator, records):
    """Fields may be added later: the top level and the documented objects stay open."""
    rec = copy.deepcopy(records[0])
    rec["license"] = "CC-BY-4.0"
    rec["scene"]["objects"][0]["color"] = "black"
    _p(rec)["difficulty"] = 3
    _p(rec)["variants"]["text_only"] = dict(_p(rec)["variants"]["text_dominant"])
    _p(rec)["givens"][0]["in_text"]["text_only"] = True
    assert not _errors(validator, rec)


def test_every_registered_domain_needs_to_pixels(validator, records):
    rec = copy.deepcopy(records[0])
    del rec["scene"]["to_pixels"]
    for d in DOMAINS:
        rec["domain"] = d
        assert _errors(validator, rec), d


def test_the_generated_lists_are_up_to_date():
    """``python -m diagram_engine.core.schema`` writes the domains and object types of the
    registry into the record schema and the rule schema from the rule models: neither is stale."""
    from diagram_engine.core.schema import RULE_SCHEMA, record_schema_text, rule_schema_text
    assert SCHEMA_PATH.read_text(encoding="utf-8") == record_schema_text(), \
        "record.schema.json is stale: run python -m diagram_engine.core.schema"
    assert RULE_SCHEMA.read_text(encoding="utf-8") == rule_schema_text(), \
        "rule.schema.json is stale: run python -m diagram_engine.core.schema"
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$defs"]["domain"]["enum"] == list(DOMAINS)


def test_other_object_types_validate(validator, records):
    rec = copy.deepcopy(records[0])
    rec["scene"]["objects"] += [
        {"type": "function", "name": "f", "expr": "x**2 - 4", "domain": [-3, 3]},
        {"type": "line", "name": "l", "coeffs": [1, -1, 2]},
        {"type": "ellipse", "name": "c", "expr": "x**2/4 + y**2 - 1"},
        {"type": "series", "name": "s", "kind": "bar", "labels": ["a", "b"], "values": [1, 2.5]},
        {"type": "sector", "name": "arc1", "shape": "sector", "center": "A", "radius": 2.0, "start_deg": 0, "end_deg": 90,
         "ends": ["B", "C"]},
    ]
    assert not _errors(validator, rec)
    rec["scene"]["objects"][-4]["coeffs"] = [1, -1]
    assert _errors(validator, rec)
