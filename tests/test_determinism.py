"""Determinism: a sample is a pure function of (rule set, base seed, index).

The same dataset comes out byte for byte whatever the worker count (and the same images and
records whatever the shard size); a sample
built alone with ``generate_one`` equals the same sample built in a batch, also in a fresh
interpreter with another ``PYTHONHASHSEED``; ``diagram-engine regenerate`` confirms a stored
sample and notices a tampered one; and a different seed really gives a different dataset (so
the equalities above are not trivially true).
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from diagram_engine import generate, generate_one

DOMAIN = "plane-geometry"
SEED = 314
COUNT = 40
# 19 samples per shard: shards 0-18, 19-37, 38-39. The parent hands workers spans of at most
# 16 samples inside a shard, so the worker run sees several shards and, inside the first two,
# a full 16-sample chunk and a short one.
SHARD = 19
SIZE = 256


def _tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (relative POSIX path -> bytes)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _records(root: Path) -> list[str]:
    lines = []
    for shard in sorted((root / "shards").glob("shard-*.jsonl")):
        with open(shard, encoding="utf-8", newline="") as f:
            lines.extend(f)
    return lines


def _run(out: Path, workers: int, seed: int = SEED) -> Path:
    summary = generate(DOMAIN, COUNT, out, seed=seed, workers=workers, size=SIZE, shard_size=SHARD,
                       progress=False)
    assert summary.count == COUNT
    return out


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> Path:
    return _run(tmp_path_factory.mktemp("det-w1") / "ds", workers=1)


@pytest.fixture(scope="module")
def parallel(tmp_path_factory) -> Path:
    return _run(tmp_path_factory.mktemp("det-w2") / "ds", workers=2)


@pytest.fixture(scope="module")
def serial_tree(serial) -> dict[str, bytes]:
    return _tree(serial)


# --- (a) worker count -------------------------------------------------------------------------

def test_dataset_layout(serial_tree):
    """The folder holds what docs/record.md lists, and nothing half-written."""
    names = set(serial_tree)
    shards = COUNT // SHARD + (COUNT % SHARD > 0)
    for k in range(shards):
        assert f"shards/shard-{k:06d}.jsonl" in names
        assert f"shards/shard-{k:06d}.done.json" in names
    assert "manifest.json" in names
    assert not [n for n in names if n.endswith(".tmp")]
    top = {n.split("/")[0] for n in names}
    assert top == {"manifest.json", "run.json", "shards", "images", "svg"}
    for i in range(COUNT):
        sid = f"{DOMAIN}-{i:09d}"
        assert f"images/{sid}.png" in names and f"svg/{sid}.svg" in names


def test_workers_1_and_2_write_identical_bytes(serial_tree, parallel):
    par = _tree(parallel)
    assert sorted(par) == sorted(serial_tree), "the two runs wrote different file lists"
    differ = [name for name in serial_tree if serial_tree[name] != par[name]]
    assert not differ, f"files that differ between workers=1 and workers=2: {differ[:10]}"
    # the comparison covered everything the brief cares about
    assert {n.split("/")[0] for n in par} >= {"shards", "images", "svg", "manifest.json"}


def test_shard_size_changes_only_the_shard_files(serial, serial_tree, tmp_path):
    """Shards of 7 (six shards, one 7-sample chunk each) with two workers: the same images,
    SVGs and record lines in the same order."""
    out = tmp_path / "ds"
    generate(DOMAIN, COUNT, out, seed=SEED, workers=2, size=SIZE, shard_size=7, progress=False)
    other = _tree(out)
    media = sorted(n for n in serial_tree if n.startswith(("images/", "svg/")))
    assert media == sorted(n for n in other if n.startswith(("images/", "svg/")))
    assert [n for n in media if serial_tree[n] != other[n]] == []
    assert len(list((out / "shards").glob("*.jsonl"))) == 6
    assert _records(out) == _records(serial)
    m1, m2 = (json.loads(t["manifest.json"]) for t in (serial_tree, other))
    differ = {k for k in m1.keys() | m2.keys() if m1.get(k) != m2.get(k)}
    assert differ == {"shard_size", "shards", "command"}


def test_done_files_hash_what_was_written(serial, serial_tree):
    """Each .done.json lists the SHA-256 of exactly the files its shard wrote."""
    listed: set[str] = set()
    for done in sorted((serial / "shards").glob("*.done.json")):
        d = json.loads(done.read_text(encoding="utf-8"))
        for rel, h in d["sha256"].items():
            assert hashlib.sha256(serial_tree[rel]).hexdigest() == h, rel
        listed |= set(d["sha256"])
    assert listed == {n for n in serial_tree if n not in ("manifest.json", "run.json") and not n.endswith(".done.json")}


def test_manifest_describes_the_run(serial):
    m = json.loads((serial / "manifest.json").read_text(encoding="utf-8"))
    assert (m["count"], m["base_seed"], m["shard_size"], m["image_size"]) == (COUNT, SEED, SHARD, SIZE)
    assert m["shards"] == len(list((serial / "shards").glob("*.jsonl")))
    assert sum(m["counts_per_rule"].values()) == COUNT


# --- (b) generate_one == the batch ----------------------------------------------------------

INDICES = (0, 7, 18, 19, 33, 39)     # first and last of shards, middle of a worker chunk


@pytest.mark.parametrize("index", INDICES)
def test_generate_one_equals_batch_sample(serial, serial_tree, index):
    s = generate_one(DOMAIN, SEED, index, size=SIZE)
    lines = _records(serial)
    assert len(lines) == COUNT
    assert s.id == f"{DOMAIN}-{index:09d}"
    assert s.record_line() == lines[index]
    stored = {n: b for n, b in serial_tree.items()
              if n.startswith((f"images/{s.id}.", f"images/{s.id}__", f"svg/{s.id}."))}
    assert sorted(s.files) == sorted(stored)
    for rel, data in s.files.items():
        assert data == stored[rel], rel


# --- (c) a fresh interpreter with another hash seed ------------------------------------------

def _digest(samples) -> str:
    h = hashlib.sha256()
    for s in samples:
        h.update(s.record_line().encode())
        for rel in sorted(s.files):
            h.update(rel.encode() + b"\0" + s.files[rel])
    return h.hexdigest()


_CHILD = """
import hashlib, sys
from diagram_engine import generate_one
h = hashlib.sha256()
for i in map(int, sys.argv[1:]):
    s = generate_one("plane-geometry", {seed}, i, size={size})
    h.update(s.record_line().encode())
    for rel in sorted(s.files):
        h.update(rel.encode() + b"\\0" + s.files[rel])
print(h.hexdigest())
"""


@pytest.mark.slow
@pytest.mark.parametrize("hashseed", ["1", "4242"])
def test_sample_is_the_same_in_a_fresh_process(serial, hashseed):
    indices = (0, 7, 19, 39)
    lines = _records(serial)
    here = [generate_one(DOMAIN, SEED, i, size=SIZE) for i in indices]
    assert [s.record_line() for s in here] == [lines[i] for i in indices]
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    r = subprocess.run([sys.executable, "-c", _CHILD.format(seed=SEED, size=SIZE), *map(str, indices)],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == _digest(here)


# --- (d) regenerate ----------------------------------------------------------------------------

def _regenerate(dataset: Path, sid: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "diagram_engine.cli", "regenerate", str(dataset), sid, *extra],
                          capture_output=True, text=True, timeout=120)


def _differing(r: subprocess.CompletedProcess) -> list[str]:
    """The list regenerate prints after 'differs from DIR in:'."""
    assert "differs from" in r.stderr, r.stderr
    return [x.strip() for x in r.stderr.strip().rsplit(" in: ", 1)[1].split(",")]


@pytest.fixture()
def dataset_copy(serial, tmp_path) -> Path:
    """A private copy of the serial dataset, safe to tamper with."""
    dst = tmp_path / "copy"
    for rel, data in _tree(serial).items():
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        (dst / rel).write_bytes(data)
    return dst


@pytest.mark.slow
def test_regenerate_identical_then_tampered_png(dataset_copy):
    sid = f"{DOMAIN}-{21:09d}"
    r = _regenerate(dataset_copy, sid)
    assert r.returncode == 0, r.stderr
    assert "identical" in r.stdout
    png = dataset_copy / "images" / f"{sid}.png"
    data = bytearray(png.read_bytes())
    data[len(data) // 2] ^= 0x01                 # one flipped bit inside the image data
    png.write_bytes(bytes(data))
    r = _regenerate(dataset_copy, sid)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert _differing(r) == [f"images/{sid}.png"]


def test_regenerate_notices_a_changed_record(dataset_copy):
    sid = f"{DOMAIN}-{20:09d}"
    shard = dataset_copy / "shards" / "shard-000001.jsonl"
    lines = shard.read_text(encoding="utf-8").splitlines(keepends=True)
    rec = json.loads(lines[1])
    assert rec["id"] == sid
    rec["caption"] += " "
    lines[1] = json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n"
    shard.write_text("".join(lines), encoding="utf-8")
    r = _regenerate(dataset_copy, sid)
    assert r.returncode == 1
    assert _differing(r) == ["record"]


def test_regenerate_out_writes_the_rebuilt_sample(serial, serial_tree, tmp_path):
    sid = f"{DOMAIN}-{5:09d}"
    r = _regenerate(serial, sid, "--out", str(tmp_path / "rebuilt"))
    assert r.returncode == 0, r.stderr
    rebuilt = _tree(tmp_path / "rebuilt")
    assert rebuilt.pop(f"{sid}.json").decode() == _records(serial)[5]
    assert rebuilt and all(serial_tree[rel] == data for rel, data in rebuilt.items())


# --- (e) the seed matters ------------------------------------------------------------------------

def test_another_seed_gives_another_dataset(serial, serial_tree, tmp_path):
    other = _tree(_run(tmp_path / "ds", workers=1, seed=SEED + 1))
    lines_a, lines_b = _records(serial), _records(tmp_path / "ds")
    assert len(lines_b) == COUNT

    def content(line):            # the record without its seed block, which always differs
        rec = json.loads(line)
        del rec["seed"]
        return rec

    same_records = sum(content(a) == content(b) for a, b in zip(lines_a, lines_b))
    assert same_records <= COUNT // 10, f"{same_records} of {COUNT} records equal across seeds"
    pngs = [n for n in serial_tree if n.startswith("images/") and n in other]
    same_png = sum(serial_tree[n] == other[n] for n in pngs)
    assert same_png <= len(pngs) // 10, f"{same_png} of {len(pngs)} images equal across seeds"
    assert generate_one(DOMAIN, SEED + 1, 3, size=SIZE).record_line() != lines_a[3]
