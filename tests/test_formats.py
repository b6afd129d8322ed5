"""Export formats (diagram_engine.formats), checked with the libraries that read them."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from diagram_engine import formats, generate
from diagram_engine.errors import UserError
from diagram_engine.formats import (
    CAPTION_PROMPTS,
    FORMATS,
    VARIANTS,
    examples,
    export_shard,
    finalize,
)

INFO = {"name": "diagram-engine-plane-geometry", "domain": "plane-geometry"}
COUNT, SHARD_SIZE = 7, 3          # three shards: 3 + 3 + 1 samples


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _records(out: Path, shard: str) -> list[dict]:
    return [json.loads(line) for line in (out / "shards" / f"{shard}.jsonl").read_text(encoding="utf-8").splitlines()]


def _export_all(out: Path) -> dict[str, str]:
    shards = sorted(p.stem for p in (out / "shards").glob("shard-*.jsonl"))
    hashes: dict[str, str] = {}
    for shard in shards:
        records = _records(out, shard)
        for fmt in FORMATS:
            hashes.update(export_shard(out, shard, records, fmt))
    for fmt in FORMATS:
        hashes.update(finalize(out, fmt, shards, INFO))
    return hashes


@pytest.fixture(scope="module")
def native(tmp_path_factory) -> Path:
    """The native dataset folder only (no export formats)."""
    out = tmp_path_factory.mktemp("native") / "data"
    generate("plane-geometry", COUNT, out, seed=11, workers=1, shard_size=SHARD_SIZE, progress=False)
    return out


@pytest.fixture(scope="module")
def dataset(native, tmp_path_factory):
    """A copy of the native folder with every format exported; (folder, returned hashes, records)."""
    out = tmp_path_factory.mktemp("exported") / "data"
    shutil.copytree(native, out)
    hashes = _export_all(out)
    shards = sorted(p.stem for p in (out / "shards").glob("shard-*.jsonl"))
    records = [r for s in shards for r in _records(out, s)]
    return out, hashes, records


def _n_examples(records) -> int:
    return sum(1 + 3 * len(r["problems"]) for r in records)


def test_examples_ids_are_unique_and_cover_every_variant(dataset):
    _, _, records = dataset
    assert len(records) == COUNT
    exs = [e for r in records for e in examples(r)]
    assert len(exs) == _n_examples(records)
    assert len({e["id"] for e in exs}) == len(exs)
    for r in records:
        es = examples(r)
        assert es[0]["id"] == f"{r['id']}-caption" and es[0]["variant"] == "caption"
        assert es[0]["question"] in CAPTION_PROMPTS and es[0]["solution"] == r["caption"]
        assert [e["id"] for e in es[1:]] == [f"{p['id']}-{v}" for p in r["problems"] for v in VARIANTS]
        assert es == examples(json.loads(json.dumps(r)))       # a pure function of the record
    # the caption prompt is picked by sha256 of the id (never Python's salted hash()), and all are used
    picks = [formats.caption_prompt(f"x-{i}-caption") for i in range(30)]
    assert picks == [CAPTION_PROMPTS[int.from_bytes(hashlib.sha256(f"x-{i}-caption".encode()).digest()[:8], "big")
                                     % len(CAPTION_PROMPTS)] for i in range(30)]
    assert set(picks) == set(CAPTION_PROMPTS)


def test_returned_hashes_are_the_files_on_disk(dataset):
    out, hashes, _ = dataset
    for rel, digest in hashes.items():
        assert _sha(out / rel) == digest, rel
    assert not list(out.rglob("*.tmp"))
    expected = {"llava/llava.json", "sharegpt/data.json", "sharegpt/dataset_info.json", "metadata.jsonl"}
    for s in ("shard-000000", "shard-000001", "shard-000002"):
        expected |= {f"llava/{s}.json", f"sharegpt/{s}.json", f"imagefolder/{s}.jsonl", f"parquet/{s}.parquet",
                     f"webdataset/{s}.tar"}
    assert set(hashes) == expected


def test_llava(dataset):
    out, _, records = dataset
    data = json.loads((out / "llava" / "llava.json").read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == _n_examples(records)
    parts = [e for s in ("shard-000000", "shard-000001", "shard-000002")
             for e in json.loads((out / "llava" / f"{s}.json").read_text(encoding="utf-8"))]
    assert parts == data                                   # the shards joined in order
    assert [e["id"] for e in data] == [e["id"] for r in records for e in examples(r)]
    by_id = {e["id"]: e for r in records for e in examples(r)}
    for entry in data:
        assert set(entry) == {"id", "image", "conversations", "question_type", "domain"}
        assert (out / entry["image"]).is_file()
        conv = entry["conversations"]
        assert [t["from"] for t in conv] == ["human", "gpt"]
        assert sum(t["value"].count("<image>") for t in conv) == 1
        assert conv[0]["value"].startswith("<image>\n")
        ex = by_id[entry["id"]]
        assert conv[0]["value"] == "<image>\n" + ex["question"] and conv[1]["value"] == ex["solution"]
        assert entry["image"] == ex["image"] and entry["question_type"] == ex["question_type"]
    vd = [e for e in data if e["id"].endswith("-vision_dominant")]
    assert any(e["image"].endswith("__vd0.png") for e in vd)


def test_sharegpt_as_llama_factory_reads_it(dataset):
    out, _, records = dataset
    folder = out / "sharegpt"
    info = json.loads((folder / "dataset_info.json").read_text(encoding="utf-8"))
    assert list(info) == [INFO["name"]]
    entry = info[INFO["name"]]
    assert entry == {"file_name": "data.json", "formatting": "sharegpt",
                     "columns": {"messages": "messages", "images": "images"},
                     "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user",
                              "assistant_tag": "assistant"}}
    data = json.loads((folder / entry["file_name"]).read_text(encoding="utf-8"))
    assert len(data) == _n_examples(records) and len({d["id"] for d in data}) == len(data)
    for d in data:
        roles = [m["role"] for m in d["messages"]]
        assert roles == ["user", "assistant"]
        # LLaMA-Factory wants as many <image> tokens as images
        assert sum(m["content"].count("<image>") for m in d["messages"]) == len(d["images"]) == 1
        assert d["messages"][0]["content"].startswith("<image>")
        # image paths resolve against --media_dir, which defaults to --dataset_dir (this folder)
        img = d["images"][0]
        assert not Path(img).is_absolute() and (folder / img).is_file()


def test_imagefolder_metadata(dataset):
    out, _, records = dataset
    rows = [json.loads(line) for line in (out / "metadata.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == _n_examples(records)
    assert [r["id"] for r in rows] == [e["id"] for rec in records for e in examples(rec)]
    keys = ["file_name", "id", "sample_id", "problem_id", "variant", "question", "answer", "solution",
            "question_type", "choices", "answer_index", "caption", "domain"]
    for row in rows:
        assert list(row) == keys
        assert (out / row["file_name"]).is_file()
        assert row["choices"] is None or (isinstance(row["choices"], list) and row["answer_index"] is not None)
    # the metadata file `datasets` reads is the only one: per-shard parts have other names
    names = {"metadata.jsonl", "metadata.csv", "metadata.parquet"}
    assert [p.relative_to(out).as_posix() for p in out.rglob("*") if p.name in names] == ["metadata.jsonl"]
    joined = b"".join((out / "imagefolder" / f"shard-00000{i}.jsonl").read_bytes() for i in range(3))
    assert joined == (out / "metadata.jsonl").read_bytes()


def test_parquet(dataset):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    out, _, records = dataset
    total = 0
    for i in range(3):
        shard = f"shard-00000{i}"
        path = out / "parquet" / f"{shard}.parquet"
        table = pq.read_table(path)
        recs = _records(out, shard)
        exs = [e for r in recs for e in examples(r)]
        assert table.num_rows == len(exs) == _n_examples(recs)
        total += table.num_rows
        assert table.schema.field("image").type == pa.struct([pa.field("bytes", pa.binary()),
                                                               pa.field("path", pa.string())])
        assert table.schema.field("choices").type == pa.list_(pa.string())
        assert table.schema.field("answer_index").type == pa.int64()
        features = json.loads(table.schema.metadata[b"huggingface"])["info"]["features"]
        assert list(features) == table.schema.names
        assert features["image"] == {"_type": "Image"}
        assert features["question"] == {"dtype": "string", "_type": "Value"}
        assert features["choices"] == {"feature": {"dtype": "string", "_type": "Value"}, "_type": "Sequence"}
        assert features["answer_index"] == {"dtype": "int64", "_type": "Value"}
        rows = table.to_pylist()
        for row, e in zip(rows, exs):
            assert row["id"] == e["id"] and row["question"] == e["question"] and row["choices"] == e["choices"]
            assert row["image"]["path"] == e["image"]
            assert row["image"]["bytes"] == (out / e["image"]).read_bytes()
        meta = pq.ParquetFile(path).metadata
        assert all(meta.row_group(g).num_rows <= formats.PARQUET_ROW_GROUP for g in range(meta.num_row_groups))
        columns = {meta.row_group(0).column(c).path_in_schema: meta.row_group(0).column(c)
                   for c in range(meta.num_columns)}
        assert columns["image.bytes"].compression == "UNCOMPRESSED"
        assert columns["question"].compression == "SNAPPY"
    assert total == _n_examples(records)


def test_webdataset(dataset):
    wds = pytest.importorskip("webdataset")
    out, _, _ = dataset
    for i in range(3):
        shard = f"shard-00000{i}"
        tar_path = out / "webdataset" / f"{shard}.tar"
        recs = {r["id"]: r for r in _records(out, shard)}
        lines = set((out / "shards" / f"{shard}.jsonl").read_bytes().splitlines(keepends=True))
        samples = list(wds.WebDataset(str(tar_path), shardshuffle=False))
        assert [s["__key__"] for s in samples] == sorted(recs)
        for s in samples:
            rec = recs[s["__key__"]]
            assert json.loads(s["json"]) == rec
            assert s["json"] in lines                      # the very bytes of the record's shard line
            assert s["png"] == (out / rec["image"]).read_bytes()
            vd = out / "images" / f"{rec['id']}__vd0.png"
            assert {k for k in s if not k.startswith("__")} == ({"json", "png", "vd0.png"} if vd.exists()
                                                                     else {"json", "png"})
            if vd.exists():
                assert s["vd0.png"] == vd.read_bytes()
        with tarfile.open(tar_path) as tar:
            members = tar.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names, key=lambda n: tuple(n.split(".", 1)))
        for m in members:
            assert (m.mtime, m.uid, m.gid, m.uname, m.gname, m.mode, m.isreg()) == (0, 0, 0, "", "", 0o644, True)
            assert m.pax_headers == {}


def test_byte_identical_on_a_second_export(native, dataset, tmp_path):
    out, hashes, _ = dataset
    again = _export_all(out)                               # in place, over the existing files
    assert again == hashes
    fresh = tmp_path / "data"                               # and from scratch, elsewhere
    shutil.copytree(native, fresh)
    assert _export_all(fresh) == hashes


def test_interrupted_export_leaves_no_tmp_and_keeps_the_old_file(native, tmp_path, monkeypatch):
    out = tmp_path / "data"
    shutil.copytree(native, out)
    shard = "shard-000000"
    records = _records(out, shard)
    before = {}
    for fmt in FORMATS:
        before.update(export_shard(out, shard, records, fmt))

    def boom(*args, **kwargs):
        raise OSError("disk full (simulated)")

    for fmt in ("llava", "sharegpt", "imagefolder", "webdataset", "parquet"):
        with monkeypatch.context() as m:
            if fmt == "parquet":
                pq = pytest.importorskip("pyarrow.parquet")
                m.setattr(pq.ParquetWriter, "write_table", boom)
            else:
                calls = {"n": 0}
                real = formats._HashWriter.write

                def write(self, data, calls=calls, real=real):
                    calls["n"] += 1
                    if calls["n"] > 2:                      # fail part-way through
                        raise OSError("disk full (simulated)")
                    return real(self, data)

                m.setattr(formats._HashWriter, "write", write)
            with pytest.raises(OSError, match="simulated"):
                export_shard(out, shard, records, fmt)
        assert not list(out.rglob("*.tmp")), fmt
    for rel, digest in before.items():                     # the files of the earlier export are intact
        assert _sha(out / rel) == digest
    # an interrupted join leaves nothing either
    with monkeypatch.context() as m:
        m.setattr(formats._HashWriter, "write", boom)
        with pytest.raises(OSError):
            finalize(out, "llava", [shard], INFO)
    assert not list(out.rglob("*.tmp")) and not (out / "llava" / "llava.json").exists()


def test_errors(native, tmp_path, monkeypatch):
    records = _records(native, "shard-000000")
    with pytest.raises(UserError, match="unknown format"):
        export_shard(tmp_path, "shard-000000", records, "tfrecord")
    with pytest.raises(ValueError):
        export_shard(tmp_path, "../x", records, "llava")
    with pytest.raises(UserError, match="missing"):
        finalize(tmp_path, "llava", ["shard-000000"], INFO)
    # without pyarrow: one line telling what to install
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(UserError) as err:
        export_shard(native, "shard-000000", records, "parquet")
    assert "pip install 'diagram-engine[parquet]'" in str(err.value) and "\n" not in str(err.value)
    assert not (native / "parquet").exists()


def test_pyarrow_is_imported_only_for_parquet(native, tmp_path):
    out = tmp_path / "data"
    shutil.copytree(native, out)
    script = f"""
import json, sys
from pathlib import Path
import diagram_engine.formats as f
out = Path({str(out)!r})
records = [json.loads(l) for l in (out / "shards" / "shard-000000.jsonl").read_text(encoding="utf-8").splitlines()]
for fmt in ("jsonl", "llava", "sharegpt", "imagefolder", "webdataset"):
    f.export_shard(out, "shard-000000", records, fmt)
    f.finalize(out, fmt, ["shard-000000"], {{"name": "x"}})
assert "pyarrow" not in sys.modules, "pyarrow imported"
"""
    subprocess.run([sys.executable, "-c", script], check=True)


def test_loads_with_hugging_face_datasets(dataset, tmp_path, monkeypatch):
    """`datasets` is in the test extra, so this runs wherever the suite does (offline)."""
    import datasets
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    out, _, records = dataset
    ds = datasets.load_dataset("imagefolder", data_files={"train": str(out / "metadata.jsonl")}, split="train",
                               cache_dir=str(tmp_path / "cache"))
    assert ds.num_rows == _n_examples(records)
    assert isinstance(ds.features["image"], datasets.Image)
    pq = datasets.load_dataset("parquet", data_files=sorted(str(p) for p in (out / "parquet").glob("*.parquet")),
                               split="train", cache_dir=str(tmp_path / "cache"))
    assert isinstance(pq.features["image"], datasets.Image) and pq.num_rows == ds.num_rows
