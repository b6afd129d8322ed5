"""Runs that are interrupted, cut into slices, mixed over domains, or spread over a cluster:
each must end byte-identical to one uninterrupted local run.

* A run killed with SIGKILL in the middle of a shard, then started again with ``--resume``,
  finishes the job; nothing half-written is left where a reader would take it for data.
* Slices written with ``--shard-index I --num-shards N`` (into separate folders or one
  shared folder) and joined with ``merge`` give the same dataset.
* ``--executor dask`` on a local Dask cluster gives the same dataset as the process pool.
* ``--mix`` holds its shares, records them in the manifest, and every sample can be rebuilt.
"""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from diagram_engine import generate
from diagram_engine.dataset import merge, regenerate
from diagram_engine.errors import UserError

CLI = [sys.executable, "-m", "diagram_engine.cli"]
ARGS = ["--domain", "function", "--count", "36", "--seed", "5", "--shard-size", "6", "--format", "llava",
        "--format", "webdataset"]
FMTS = ("llava", "webdataset")


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """The uninterrupted run, with the command line's defaults."""
    out = tmp_path_factory.mktemp("ref") / "data"
    r = subprocess.run([*CLI, "generate", *ARGS, "--out", str(out), "--workers", "2"], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return tree(out)


@pytest.mark.slow
def test_sigkill_mid_shard_then_resume_is_byte_identical(tmp_path, reference):
    out = tmp_path / "data"
    p = subprocess.Popen([*CLI, "generate", *ARGS, "--out", str(out), "--workers", "2"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        # wait until one shard is done and the next one is being written, then kill everything
        while time.monotonic() < deadline:
            if (out / "shards" / "shard-000001.done.json").exists() and list((out / "images").glob("*")):
                break
            if p.poll() is not None:
                pytest.fail("the run ended before it could be killed")
            time.sleep(0.02)
        os.killpg(p.pid, signal.SIGKILL)
    finally:
        p.wait(timeout=30)
    killed = tree(out)
    assert "manifest.json" not in killed                     # not taken for a finished dataset
    assert "llava/llava.json" not in killed                  # nor the joined formats
    assert any(k.endswith(".done.json") for k in killed)
    assert len([k for k in killed if k.endswith(".done.json")]) < 6
    # every file a reader can see under a final name is whole (a partial one is still *.tmp)
    for k, data in killed.items():
        if k.endswith(".jsonl"):
            lines = data.decode().splitlines()
            assert len(lines) == 6 and all(json.loads(line)["id"] for line in lines), k
        if k.endswith(".tar"):
            with tarfile.open(fileobj=io.BytesIO(data)) as tf:
                assert len([m for m in tf.getmembers() if m.name.endswith(".json")]) == 6, k
    # the same command without --resume refuses the folder
    r = subprocess.run([*CLI, "generate", *ARGS, "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "--resume" in r.stderr
    r = subprocess.run([*CLI, "generate", *ARGS, "--out", str(out), "--resume", "--workers", "1"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "already done" in r.stdout
    assert tree(out) == reference


def test_resume_refuses_a_different_run(tmp_path):
    out = tmp_path / "data"
    generate("function", 6, out, seed=1, shard_size=3, workers=1, progress=False)
    with pytest.raises(UserError, match=r"different run .*seed: 1 then, 2 now"):
        generate("function", 6, out, seed=2, shard_size=3, workers=1, progress=False, resume=True)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="no run to resume"):
        generate("function", 6, tmp_path / "other", seed=1, workers=1, progress=False, resume=True)


def test_resume_of_a_finished_run_changes_nothing(tmp_path):
    out = tmp_path / "data"
    generate("function", 6, out, seed=1, shard_size=3, workers=1, progress=False)
    before = tree(out)
    s = generate("function", 6, out, seed=1, shard_size=3, workers=1, progress=False, resume=True)
    assert s.count == 0 and s.skipped == 2 and s.finished
    assert tree(out) == before


def test_slices_in_separate_folders_merge_into_the_full_run(tmp_path, reference):
    slices = []
    for i in range(4):
        out = tmp_path / f"slice{i}"
        s = generate("function", 36, out, seed=5, shard_size=6, workers=1, progress=False, shard_index=i,
                     num_shards=4, formats=FMTS)
        assert not s.finished and not (out / "manifest.json").exists()
        slices.append(out)
    with pytest.raises(UserError, match="not done in any source"):
        merge(slices[:3], tmp_path / "partial")
    assert not (tmp_path / "partial").exists()
    merge(slices, tmp_path / "all")
    assert tree(tmp_path / "all") == reference


def test_slices_sharing_one_folder_finish_it(tmp_path, reference):
    out = tmp_path / "shared"
    for i in (2, 0, 1):
        s = generate("function", 36, out, seed=5, shard_size=6, workers=1, progress=False, shard_index=i,
                     num_shards=3, resume=True, formats=FMTS)
    assert s.finished                # the last slice to finish writes the manifest
    assert tree(out) == reference


def test_a_mixed_run_holds_its_shares_and_rebuilds(tmp_path):
    out = tmp_path / "mix"
    generate(None, 120, out, seed=3, shard_size=40, workers=2, progress=False,
             mix="plane-geometry=0.5,function=0.25,analytic-geometry=0.25")
    m = json.loads((out / "manifest.json").read_text())
    assert m["mix"] == {"analytic-geometry": 0.25, "function": 0.25, "plane-geometry": 0.5}
    counts = m["counts"]["domain"]
    assert sum(counts.values()) == 120
    assert 40 <= counts["plane-geometry"] <= 80 and 15 <= counts["function"] <= 45
    assert sum(m["counts"]["variant"].values()) == 3 * sum(m["counts"]["question_type"].values())
    first = json.loads((out / "shards" / "shard-000001.jsonl").read_text().splitlines()[0])
    s, diffs = regenerate(out, first["id"])
    assert diffs == []
    with pytest.raises(UserError, match="is from"):
        other = next(d for d in ("function", "plane-geometry", "analytic-geometry") if d != first["domain"])
        regenerate(out, f"{other}-{first['seed']['index']:09d}")


def test_the_manifest_counts_rules_question_types_and_variants(tmp_path):
    out = tmp_path / "data"
    generate("analytic-geometry", 12, out, seed=1, shard_size=5, workers=1, progress=False)
    m = json.loads((out / "manifest.json").read_text())
    records = [json.loads(line) for f in sorted((out / "shards").glob("*.jsonl")) for line in f.read_text().splitlines()]
    qtypes = {}
    for r in records:
        for p in r["problems"]:
            qtypes[p["question_type"]] = qtypes.get(p["question_type"], 0) + 1
    assert m["counts"]["question_type"] == dict(sorted(qtypes.items()))
    assert m["counts"]["variant"] == {v: 12 for v in ("text_dominant", "text_lite", "vision_dominant")}
    assert sum(m["counts_per_rule"].values()) == 12
    assert "--domain analytic-geometry" in m["command"] and "--resume" not in m["command"]


@pytest.mark.slow
def test_dask_executor_matches_the_process_pool(tmp_path, reference):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        s = generate("function", 36, tmp_path / "dask", seed=5, shard_size=6, progress=False,
                     executor="dask", scheduler=cluster.scheduler_address, formats=FMTS)
    assert s.count == 36 and s.finished
    assert tree(tmp_path / "dask") == reference


def test_dask_needs_a_scheduler(tmp_path):
    pytest.importorskip("dask.distributed")
    with pytest.raises(UserError, match="scheduler=None"):
        generate("function", 6, tmp_path / "d", seed=1, progress=False, executor="dask")
    assert not (tmp_path / "d" / "manifest.json").exists()


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def _damage(root: Path, how: str) -> None:
    if how == "deleted image":
        next((root / "images").glob("*.png")).unlink()
    elif how == "flipped png byte":
        p = sorted((root / "images").glob("*.png"))[7]
        data = bytearray(p.read_bytes())
        data[len(data) // 2] ^= 0xFF
        p.write_bytes(bytes(data))
    elif how == "empty tar":
        next((root / "webdataset").glob("*.tar")).write_bytes(b"")
    elif how == "deleted llava shard":
        next((root / "llava").glob("shard-*.json")).unlink()
    elif how == "truncated svg":
        p = sorted((root / "svg").glob("*.svg"))[3]
        p.write_bytes(p.read_bytes()[:100])


@pytest.mark.parametrize("how", ["deleted image", "flipped png byte", "empty tar", "deleted llava shard",
                                 "truncated svg"])
def test_resume_checks_every_kept_file_and_rewrites_a_damaged_shard(tmp_path, reference, how):
    out = tmp_path / "data"
    _write_tree(out, reference)
    _damage(out, how)
    s = generate("function", 36, out, seed=5, shard_size=6, workers=1, progress=False, resume=True, formats=FMTS)
    assert s.repaired == 1 and s.skipped == 5 and s.finished
    assert tree(out) == reference


def test_merge_refuses_a_source_with_a_damaged_file(tmp_path, reference):
    slices = []
    for i in range(2):
        out = tmp_path / f"slice{i}"
        generate("function", 36, out, seed=5, shard_size=6, workers=1, progress=False, shard_index=i,
                 num_shards=2, formats=FMTS)
        slices.append(out)
    _damage(slices[1], "flipped png byte")
    with pytest.raises(UserError, match="not done in any source"):
        merge(slices, tmp_path / "all")
    assert not (tmp_path / "all").exists()
    generate("function", 36, slices[1], seed=5, shard_size=6, workers=1, progress=False, shard_index=1,
             num_shards=2, resume=True, formats=FMTS)
    merge(slices, tmp_path / "all")
    assert tree(tmp_path / "all") == reference


# ---- one writer per shard: a lock file per run, stale locks removed, live slices' files kept ----

@pytest.fixture
def other_run(tmp_path):
    """A live process standing in for another run on this host; yields a function that writes
    its lock into a folder (for shards [a, b])."""
    from diagram_engine import folder
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])

    def lock(out: Path, a: int, b: int, exclusive: bool = False) -> str:
        t = f"{folder._host()}-{p.pid}"
        (out / folder.LOCKS).mkdir(parents=True, exist_ok=True)
        (out / folder.LOCKS / f"{t}.json").write_text(json.dumps(
            {"host": folder._host(), "pid": p.pid, "shards": [a, b], "exclusive": exclusive}))
        return t
    yield lock
    p.kill()
    p.wait()


def test_a_run_refuses_shards_another_live_run_writes(tmp_path, other_run):
    out = tmp_path / "data"
    generate("function", 12, out, seed=1, shard_size=3, workers=1, progress=False, shard_index=0, num_shards=2)
    before = tree(out)
    other_run(out, 2, 3)
    with pytest.raises(UserError, match="being written by another run .*pid"):
        generate("function", 12, out, seed=1, shard_size=3, workers=1, progress=False, shard_index=1,
                 num_shards=2, resume=True)
    with pytest.raises(UserError, match="cannot replace the folder"):
        generate("function", 12, out, seed=1, shard_size=3, workers=1, progress=False, overwrite=True)
    after = {k: v for k, v in tree(out).items() if not k.startswith(".locks")}
    assert after == before                     # nothing touched


def test_a_slice_keeps_a_live_slices_temporary_files_and_removes_dead_ones(tmp_path, other_run):
    from diagram_engine import folder
    out = tmp_path / "data"
    generate("function", 12, out, seed=1, shard_size=3, workers=1, progress=False, shard_index=0, num_shards=2)
    live = other_run(out, 2, 3)
    (out / "images" / f"function-000000007.png.{live}.tmp").write_bytes(b"in flight")
    dead = f"{folder._host()}-999999999"
    (out / "images" / f"function-000000001.png.{dead}.tmp").write_bytes(b"left by a killed run")
    (out / folder.LOCKS / f"{dead}.json").write_text(json.dumps({"host": folder._host(), "pid": 999999999,
                                                                  "shards": [0, 1]}))
    s = generate("function", 12, out, seed=1, shard_size=3, workers=1, progress=False, shard_index=0,
                 num_shards=2, resume=True)
    assert s.skipped == 2
    assert (out / "images" / f"function-000000007.png.{live}.tmp").exists()
    assert not (out / "images" / f"function-000000001.png.{dead}.tmp").exists()
    assert not (out / folder.LOCKS / f"{dead}.json").exists()      # the stale lock is gone
    assert [p.name for p in (out / folder.LOCKS).iterdir()] == [f"{live}.json"]   # ours is released


def test_a_failed_first_slice_leaves_a_live_slices_work(tmp_path, other_run, monkeypatch):
    from diagram_engine import dataset
    out = tmp_path / "data"
    other_run(out, 2, 3)                      # the other slice started at the same time

    def boom(*a, **k):                        # ... and wrote a sample while this one failed
        (out / "images" / "function-000000009.png").write_bytes(b"the other slice's sample")
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(dataset, "_run", boom)
    with pytest.raises(RuntimeError):
        generate("function", 12, out, seed=1, shard_size=3, workers=1, progress=False, shard_index=0,
                 num_shards=2, resume=True)
    assert (out / "images" / "function-000000009.png").exists()


def test_verify_checks_a_finished_dataset(tmp_path, reference):
    from click.testing import CliRunner

    from diagram_engine.cli import cli
    out = tmp_path / "data"
    _write_tree(out, reference)
    r = CliRunner().invoke(cli, ["verify", str(out)])
    assert r.exit_code == 0 and "every file matches" in r.output
    _damage(out, "flipped png byte")
    _damage(out, "deleted llava shard")
    r = CliRunner().invoke(cli, ["verify", str(out)])
    assert r.exit_code == 1 and "2 problem(s)" in r.stderr and "changed" in r.stderr
