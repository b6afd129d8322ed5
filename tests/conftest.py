"""Shared fixtures and options of the test suite.

* ``--update-golden`` rewrites ``tests/golden/digests.json`` from the current code instead of
  comparing against it (see tests/test_golden.py): run it only when an output change is meant.
* Hypothesis runs derandomized (the same examples on every run and machine), so CI never
  fails on a case it did not meet before; ``HYPOTHESIS_PROFILE=explore`` draws fresh examples
  for a local bug hunt.
"""
from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("default", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/digests.json from the current output")


# --- shared fixtures ----------------------------------------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "diagram_engine" / "schema"


@pytest.fixture(scope="session")
def record_schema() -> dict:
    """The shipped JSON Schema of a sample record."""
    return json.loads((SCHEMA_DIR / "record.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def record_validator(record_schema):
    from jsonschema import Draft202012Validator
    return Draft202012Validator(record_schema)


@pytest.fixture(scope="session")
def samples_of():
    """``samples_of(domain, seed, n, rule_id=None)``: samples 0..n-1 built once per session (of
    one rule, or of the domain's whole shipped rule set)."""
    from diagram_engine.pipeline import RuleSet, generate_one
    sets: dict = {}
    cache: dict = {}

    def get(domain: str, seed: int, n: int, rule_id: str | None = None) -> tuple:
        key = (domain, seed, n, rule_id)
        if key not in cache:
            rs = sets.setdefault(domain, RuleSet.load(domain))
            cache[key] = tuple(generate_one(domain, seed=seed, index=i, rule_id=rule_id, ruleset=rs)
                               for i in range(n))
        return cache[key]
    return get
