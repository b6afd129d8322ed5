"""A bug in one sample does not kill a run: the attempt is logged and the next one is tried.

The bug is injected by wrapping a domain's independent check so that it fails on some
scenes (chosen by a digest of the scene, so the same attempts fail in any process and with
any worker count). The run must finish, every written sample must still be verified twice,
``errors.jsonl`` and the manifest must list exactly the failed attempts, the output must be
the same with 1 and 2 workers, ``--strict`` must stop at the first one, and the CLI must
exit with its own status (4).
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagram_engine import generate, generate_one
from diagram_engine.cli import cli
from diagram_engine.core.registry import DOMAINS
from diagram_engine.errors import VerificationError

DOMAIN = "function"
COUNT = 24


def _fails(scene: dict) -> bool:
    d = hashlib.sha256(json.dumps(scene, sort_keys=True, default=str).encode()).digest()
    return d[0] % 4 == 0          # about one attempt in four


@pytest.fixture
def buggy(monkeypatch):
    """The function domain's check, failing on about a quarter of the scenes."""
    dom = DOMAINS[DOMAIN]
    real = dom.check

    def check(scene, target):
        if _fails(scene):
            raise VerificationError(f"injected: re-measure of {target.get('measure')} disagrees")
        return real(scene, target)
    monkeypatch.setattr(dom, "check", check)
    return dom


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_a_run_survives_failed_verifications_and_logs_each(tmp_path, buggy):
    out = tmp_path / "one"
    summary = generate(DOMAIN, COUNT, out, seed=5, workers=1, shard_size=10)
    assert summary.finished and summary.count == COUNT
    errors = _lines(out / "errors.jsonl")
    assert errors and errors == summary.errors
    assert [e["index"] for e in errors] == sorted(e["index"] for e in errors)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["errors"]["attempts"] == len(errors)
    assert manifest["errors"]["samples"] == len({e["id"] for e in errors})
    assert manifest["errors"]["by_error"] == {"VerificationError": len(errors)}
    records = {r["id"]: r for sh in sorted((out / "shards").glob("*.jsonl")) for r in _lines(sh)}
    assert len(records) == COUNT
    for e in errors:
        rec = records[e["id"]]
        # the written sample comes from a later attempt than every failed one, and is verified
        assert rec["seed"]["attempt"] > e["attempt"]
        assert e["seed"] == {**rec["seed"], "attempt": e["attempt"]}
        assert e["message"].startswith("injected: ")
        assert e["where"] and all(w.startswith("diagram_engine/") for w in e["where"])
        assert "strict=True" in e["reproduce"] and f"index={e['index']}" in e["reproduce"]
    assert all(p["verified"]["exact"] and p["verified"]["numeric"] for r in records.values() for p in r["problems"])
    # the summary says so in one line
    assert "engine errors: " in summary.text() and "errors.jsonl" in summary.error_line()

    # the same bytes with two workers
    two = tmp_path / "two"
    generate(DOMAIN, COUNT, two, seed=5, workers=2, shard_size=10)
    assert _tree(two) == _tree(out)

    # a sample is rebuilt alone as in the run; strict raises the logged bug again
    e = errors[0]
    alone = generate_one(DOMAIN, seed=5, index=e["index"])
    assert alone.record_line() == json.dumps(records[e["id"]], ensure_ascii=False, separators=(",", ":")) + "\n"
    assert alone.errors == [x for x in errors if x["id"] == e["id"]]
    with pytest.raises(VerificationError, match="injected"):
        generate_one(DOMAIN, seed=5, index=e["index"], strict=True)


def test_strict_stops_at_the_first_bug(tmp_path, buggy):
    with pytest.raises(VerificationError, match="injected"):
        generate(DOMAIN, COUNT, tmp_path / "s", seed=5, workers=1, strict=True)
    assert not (tmp_path / "s").exists()     # nothing half-written


def test_the_cli_exits_4_with_one_line_and_3_with_strict(tmp_path, buggy):
    runner = CliRunner()
    r = runner.invoke(cli, ["generate", "--domain", DOMAIN, "--count", "12", "--seed", "5", "--workers", "1",
                            "--out", str(tmp_path / "c")])
    assert r.exit_code == 4, r.output
    assert r.stderr.count("engine errors: ") == 1
    assert (tmp_path / "c" / "manifest.json").exists()
    r = runner.invoke(cli, ["generate", "--domain", DOMAIN, "--count", "12", "--seed", "5", "--workers", "1",
                            "--strict", "--out", str(tmp_path / "d")])
    assert r.exit_code == 3, r.output
    assert "Internal error" in r.stderr and "Traceback" not in r.output


def test_a_run_without_bugs_writes_no_error_file(tmp_path):
    out = tmp_path / "ok"
    r = subprocess.run([sys.executable, "-m", "diagram_engine.cli", "generate", "--domain", DOMAIN, "--count", "6",
                        "--workers", "1", "--out", str(out)], capture_output=True, text=True, timeout=300,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert not (out / "errors.jsonl").exists()
    assert json.loads((out / "manifest.json").read_text())["errors"] == {"attempts": 0, "samples": 0, "by_error": {}}


# ---- a worker process that dies (an OOM kill) is noticed: its shard is written again, or the
# run ends with a clear error and a resumable folder; never a hang ----

def _dying_worker(monkeypatch, marker: Path | None):
    """Workers that kill themselves (SIGKILL, as the OOM killer does) on the span starting at
    index 16: every time, or only while ``marker`` does not exist (then they create it)."""
    import os
    import signal

    from diagram_engine import dataset
    real = dataset.iter_samples          # what a worker calls for its span (the pool forks after the patch)

    def run(rs, seed, indices, opts):
        if indices.start == 16 and (marker is None or not marker.exists()):
            if marker is not None:
                marker.write_text("died once")
            os.kill(os.getpid(), signal.SIGKILL)
        return real(rs, seed, indices, opts)
    monkeypatch.setattr(dataset, "iter_samples", run)


def test_a_worker_killed_once_is_replaced_and_the_output_is_unchanged(tmp_path, monkeypatch):
    ref = tmp_path / "ref"
    generate("plane-geometry", 40, ref, seed=9, workers=2, shard_size=20)
    _dying_worker(monkeypatch, tmp_path / "died")
    out = tmp_path / "out"
    summary = generate("plane-geometry", 40, out, seed=9, workers=2, shard_size=20)
    assert (tmp_path / "died").exists() and summary.count == 40
    assert _tree(out) == _tree(ref)


def test_a_worker_that_always_dies_ends_the_run_with_a_clear_error(tmp_path, monkeypatch):
    from diagram_engine.errors import WorkerDied
    _dying_worker(monkeypatch, None)
    out = tmp_path / "out"
    with pytest.raises(WorkerDied, match="shard-000000 .*--resume"):
        generate("plane-geometry", 40, out, seed=9, workers=2, shard_size=40)
    r = CliRunner().invoke(cli, ["generate", "--domain", "plane-geometry", "--count", "40", "--seed", "9",
                                 "--workers", "2", "--shard-size", "40", "--out", str(tmp_path / "cli")])
    assert r.exit_code == 5 and "worker process died" in r.stderr and "Traceback" not in r.output
