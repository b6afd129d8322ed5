"""The domain contract, tested once for every registered domain: a new domain is covered by
these tests with no new test file.

For each domain: samples are deterministic and independent of the hash seed; every record fits
the record schema, names its domain and writes only the object types the domain declares; the
domain's check re-measures every target from the scene alone and agrees with the answer the
record states (and the record says that check ran); bad options are refused with the argument
named; the check refuses what it cannot measure.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from diagram_engine import generate_one, measure
from diagram_engine.core import VARIANTS, agree
from diagram_engine.core.registry import DOMAINS
from diagram_engine.errors import MeasureError, OptionError, UserError
from diagram_engine.pipeline import RuleSet

SEED = 7070
PER_RULE = 3
NAMES = list(DOMAINS)
RULES = [(d, r.id) for d in NAMES for r in RuleSet.load(d).rules]


def _digest(s) -> str:
    h = hashlib.sha256(s.record_line().encode())
    for name in sorted(s.files):
        h.update(name.encode())
        h.update(s.files[name])
    return h.hexdigest()


def test_every_domain_ships_rules():
    assert {d for d, _ in RULES} == set(NAMES)


@pytest.mark.parametrize("domain", NAMES)
def test_the_same_sample_twice_is_byte_identical(domain, samples_of):
    a = samples_of(domain, SEED, 3)
    b = [generate_one(domain, seed=SEED, index=i) for i in range(3)]
    assert [_digest(s) for s in a] == [_digest(s) for s in b]
    assert len({_digest(s) for s in a}) == 3                    # other indices, other samples
    assert _digest(generate_one(domain, seed=SEED + 1, index=0)) != _digest(a[0])


@pytest.mark.slow
@pytest.mark.parametrize("domain", NAMES)
def test_samples_do_not_depend_on_the_hash_seed(domain, samples_of):
    """Separate processes (a resumed run, another machine's slice, a Dask worker) have their own
    hash seed: set iteration order must never decide anything."""
    code = ("import hashlib, sys; from diagram_engine import generate_one\n"
            "for i in range(3):\n"
            "    s = generate_one(sys.argv[1], seed=int(sys.argv[2]), index=i)\n"
            "    h = hashlib.sha256(s.record_line().encode())\n"
            "    for n in sorted(s.files): h.update(n.encode()); h.update(s.files[n])\n"
            "    print(h.hexdigest())\n")
    want = [_digest(s) for s in samples_of(domain, SEED, 3)]
    for hs in ("1", "4242"):
        r = subprocess.run([sys.executable, "-c", code, domain, str(SEED)], capture_output=True, text=True,
                           timeout=600, env={**os.environ, "PYTHONHASHSEED": hs})
        assert r.returncode == 0, r.stderr
        assert r.stdout.split() == want, f"PYTHONHASHSEED={hs}"


@pytest.mark.parametrize("domain,rule_id", RULES)
def test_records_fit_the_schema_and_the_domain(domain, rule_id, samples_of, record_validator):
    dom = DOMAINS[domain]
    for s in samples_of(domain, SEED, PER_RULE, rule_id):
        rec = s.record
        assert [e.message for e in record_validator.iter_errors(rec)] == []
        assert rec["domain"] == rec["scene"]["domain"] == domain and rec["rule"] == rule_id
        assert {o["type"] for o in rec["scene"]["objects"]} <= set(dom.object_types)
        for p in rec["problems"]:
            assert set(p["variants"]) == set(VARIANTS)
            for v in p["variants"].values():
                assert v["image"] in s.files
        for key in (a for a in ("program",) if a in rec):
            assert rec[key] in s.files


@pytest.mark.parametrize("domain,rule_id", RULES)
def test_the_check_agrees_with_every_answer(domain, rule_id, samples_of):
    for s in samples_of(domain, SEED, PER_RULE, rule_id):
        for p in s.record["problems"]:
            got = measure(s.record["scene"], p["target"])
            agree(got, p["answer"]["value"], f"{s.id}: {p['target']}")
            assert p["verified"]["numeric"] is True
            assert isinstance(p["verified"]["exact"], bool)
            assert p["verified"]["max_abs_err"] <= 1e-6 * max([1.0] + [abs(x) for x in _numbers(got)])


def _numbers(v) -> list[float]:
    if isinstance(v, (list, tuple)):
        return [y for x in v for y in _numbers(x)]
    return [float(v)] if isinstance(v, (int, float)) and not isinstance(v, bool) else []


@pytest.mark.parametrize("domain", NAMES)
def test_the_check_refuses_what_it_cannot_measure(domain, samples_of):
    scene = samples_of(domain, SEED, 1)[0].record["scene"]
    with pytest.raises(MeasureError):
        measure(scene, {"measure": "no-such-measure", "of": "nothing"})
    with pytest.raises(MeasureError):
        measure({k: v for k, v in scene.items() if k != "domain"}, {"measure": "x"})


@pytest.mark.parametrize("domain", NAMES)
@pytest.mark.parametrize("kwargs,message", [
    ({"size": 10}, "size=10: must be between 64 and 4096"),
    ({"size": "big"}, "size='big'"),
    ({"rasterizer": "ink"}, "rasterizer='ink'"),
    ({"rule_id": "no-such-rule"}, "rule_id='no-such-rule'"),
])
def test_bad_options_are_refused_naming_the_argument(domain, kwargs, message):
    with pytest.raises(OptionError) as e:
        generate_one(domain, seed=SEED, index=0, **kwargs)
    assert message in str(e.value)


def test_an_unknown_domain_is_refused_naming_the_argument():
    with pytest.raises(UserError, match="domain='no-such-domain': must be one of"):
        generate_one("no-such-domain")
