"""Golden digests: the engine's output, byte for byte, for fixed seeds.

``tests/golden/digests.json`` holds the SHA-256 (first 16 hex digits) of the record line and
of every file (PNG, SVG, chart program) of

* samples 0-19 of each domain's shipped rule set, and
* samples 0-2 of each shipped rule on its own,

at base seed 0 and the default options. Any change to a byte of the output fails here, naming
the sample and the part that changed. When a change is meant, regenerate the file once and
commit it with the change:

    pytest tests/test_golden.py --update-golden

The bytes also depend on the libraries that draw and encode them: matplotlib draws the charts
(another release lays text out differently), cairo, CairoSVG and Pillow rasterize and encode
every image. The file records their versions under ``_environment``; where an installed one
differs, the affected domains are checked for building the same bytes twice and the digest
comparison is skipped, naming both versions (regenerate to compare again). The float noise
of NumPy and the maths library does not reach the output (``verified.max_abs_err`` is a
bound), so it is not part of the environment.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from diagram_engine import generate_one
from diagram_engine.pipeline import RuleSet
from diagram_engine.core.registry import DOMAINS

GOLDEN = Path(__file__).parent / "golden" / "digests.json"
SEED = 0
PER_DOMAIN = 20
PER_RULE = 3


ENV_KEY = "_environment"
RENDERERS = {"matplotlib": {"chart"}}          # the domains a library draws; others draw all


def _environment() -> dict[str, str]:
    from importlib.metadata import version

    import cairocffi
    env = {name: version(name) for name in ("matplotlib", "pillow", "cairosvg", "cairocffi")}
    env["cairo"] = cairocffi.cairo_version_string()
    return env


def _changed_renderers(stored: dict, domain: str) -> list[str]:
    want, have = stored.get(ENV_KEY, {}), _environment()
    return [f"{k} {want.get(k)} (stored) vs {have[k]} (installed)" for k in sorted(have)
            if want.get(k) != have[k] and domain in RENDERERS.get(k, DOMAINS)]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _digest(sample) -> dict:
    return {"id": sample.id, "record": _sha(sample.record_line().encode()),
            "files": {k: _sha(v) for k, v in sorted(sample.files.items())}}


def _cases() -> list[tuple[str, str, str | None]]:
    """(key, domain, rule id or None for the whole rule set)."""
    out = []
    for d in sorted(DOMAINS):
        out.append((d, d, None))
        out += [(f"{d}/{r.id}", d, r.id) for r in RuleSet.load(d).rules]
    return out


CASES = _cases()


def _build(domain: str, rule_id: str | None) -> list[dict]:
    rs = RuleSet.load(domain)
    n = PER_DOMAIN if rule_id is None else PER_RULE
    return [_digest(generate_one(domain, seed=SEED, index=i, rule_id=rule_id, ruleset=rs)) for i in range(n)]


def _stored() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}


@pytest.fixture(scope="module")
def golden(request):
    update = request.config.getoption("--update-golden")
    stored = {} if update else _stored()
    yield stored
    if update:
        got = {key: _build(d, r) for key, d, r in CASES}
        got[ENV_KEY] = _environment()
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _diff(want: list[dict], got: list[dict]) -> list[str]:
    out = []
    for w, g in zip(want, got):
        if w == g:
            continue
        parts = ["record"] if w["record"] != g["record"] else []
        files = sorted(set(w["files"]) | set(g["files"]))
        parts += [f for f in files if w["files"].get(f) != g["files"].get(f)]
        out.append(f"{g['id']}: {', '.join(parts) or 'id'}")
    if len(want) != len(got):
        out.append(f"{len(got)} samples built, {len(want)} stored")
    return out


@pytest.mark.parametrize("key,domain,rule_id", CASES, ids=[c[0] for c in CASES])
def test_output_matches_the_golden_digests(golden, request, key, domain, rule_id):
    if request.config.getoption("--update-golden"):
        pytest.skip("regenerating the golden digests")
    assert key in golden, (f"no golden digests for {key}: regenerate them with "
                           "`pytest tests/test_golden.py --update-golden`")
    built = _build(domain, rule_id)
    changed = _changed_renderers(golden, domain)
    if changed:
        again = _build(domain, rule_id)
        assert not _diff(built, again), "the same sample built twice differs"
        pytest.skip(f"{key}: the golden digests were made with other drawing libraries ("
                    + "; ".join(changed) + "); built twice identically, not compared: "
                    "regenerate with `pytest tests/test_golden.py --update-golden`")
    diffs = _diff(golden[key], built)
    assert not diffs, "output changed:\n  " + "\n  ".join(diffs)


def test_every_stored_case_still_exists(golden):
    """A renamed or removed rule leaves no stale digests behind."""
    assert set(golden) - {ENV_KEY} <= {c[0] for c in CASES}


def test_the_golden_digests_name_the_drawing_libraries(golden, request):
    if request.config.getoption("--update-golden"):
        pytest.skip("regenerating the golden digests")
    assert set(golden.get(ENV_KEY, {})) == set(_environment()), (
        "regenerate the golden digests: `pytest tests/test_golden.py --update-golden`")
