"""Random mutations of the rules we ship never produce a traceback.

Hypothesis takes a shipped rule (or the custom-rule example, which defines its own shape
with expressions and templates), changes it the way a user's typo or a bad edit would, and
loads it. The only outcomes allowed are a clean list of RuleErrors, or a valid rule; a valid
rule must then either give a sample or refuse with a UserError (ranges that fit nothing).
"""
from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagram_engine.errors import RuleError, UserError
from diagram_engine.pipeline import RuleSet, generate_one
from diagram_engine.rules import check_rule_file

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for p in (REPO / "rules").rglob("*.yaml") if "vocabulary" not in p.parts) + [REPO / "examples" / "custom-rule" / "right-kite.yaml"]
RULES = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in SOURCES]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["square", "right-kite", "PQ*PS", "sqrt(PQ**2)", "__import__('os')", "PQ.__class__",
                     "9**9**9", "area", "QPS", "P", "", "-1", "1e400", "{{ x }}"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                      max_leaves=8)


def _paths(obj, prefix=()):
    """Every key path into a nested dict/list."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


@st.composite
def mutated(draw):
    rule = copy.deepcopy(draw(st.sampled_from(RULES)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(rule) if p]
        path = draw(st.sampled_from(paths))
        parent = rule
        for k in path[:-1]:
            parent = parent[k]
        op = draw(st.sampled_from(["replace", "delete", "rename", "add"]))
        key = path[-1]
        if op == "replace":
            parent[key] = draw(values)
        elif op == "delete":
            del parent[key]
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = parent.pop(key)
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
        if not isinstance(rule, dict):
            break
    return rule


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(rule=mutated())
def test_mutated_rules_give_clean_errors_or_samples(rule, tmp_path):
    folder = tmp_path / "m"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "templates").mkdir(parents=True)
    shutil.copy(REPO / "examples" / "custom-rule" / "templates" / "right-kite.yaml", folder / "templates")
    path = folder / "mutated.yaml"
    path.write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    loaded, errors = check_rule_file(path)
    if errors:
        assert loaded is None
        for e in errors:
            assert isinstance(e, RuleError) and e.path and str(e).startswith(str(e.path))
            assert "Traceback" not in str(e) and "\n" not in str(e)
        return
    rs = RuleSet(loaded.domain, [loaded])
    try:
        s = generate_one(loaded.domain, seed=0, index=0, ruleset=rs)
    except UserError as e:
        assert "\n" not in str(e)
        return
    assert s.record["problems"]
