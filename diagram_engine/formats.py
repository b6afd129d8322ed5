"""Export formats: the records of a dataset folder written the way trainers read them.

The native folder (``shards/*.jsonl`` and ``images/``) is the ``jsonl`` format; the others are
built from it, shard by shard, so that a resumable run can export each shard as soon as it is
done and join the pieces once every shard is:

* :func:`export_shard` writes the files of one format for one finished shard;
* :func:`finalize` joins the per-shard files of one format into what the consumer reads.

Every file is written under ``<name>.<tag>.tmp`` (``folder.tmp_path``) and renamed into place, so an interrupted export
leaves the previous file (or none), never a partial one. The bytes depend on the records and
the image files only: the same shard always gives byte-identical files (for ``parquet``, with
the same pyarrow version, whose name is in the file footer). docs/formats.md describes each
format and how to load it.

Training examples: one per problem variant (``<problem id>-<variant>``) and one per sample for
the caption (``<sample id>-caption``), in that order within a sample: the caption first, then
each problem's ``text_dominant``, ``text_lite`` and ``vision_dominant``. ``llava``,
``sharegpt``, ``imagefolder`` and ``parquet`` hold one entry per example; ``webdataset`` holds
one tar sample per dataset sample (the record and its images).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
from contextlib import contextmanager
from pathlib import Path

from .folder import tmp_path
from .errors import UserError

__all__ = ["CAPTION_PROMPTS", "FORMATS", "IMAGEFOLDER_FEATURES", "VARIANTS", "caption_prompt",
           "check_format_available", "examples", "export_shard", "finalize", "parquet_schema"]

FORMATS = ("jsonl", "llava", "sharegpt", "imagefolder", "parquet", "webdataset")
VARIANTS = ("text_dominant", "text_lite", "vision_dominant")

# The instruction of a caption example; one of these, picked by a stable hash of the example id.
CAPTION_PROMPTS = (
    "Describe the diagram in detail.",
    "What does this figure show? Describe everything that is drawn.",
    "Write a complete description of the image, including every label and marked value.",
)

IMAGE_TOKEN = "<image>"
PARQUET_ROW_GROUP = 100          # rows per row group: ~100 images, a few MB
PARQUET_COMPRESSION = "snappy"   # text columns; the image bytes are stored uncompressed (PLAIN)
_SHARD = re.compile(r"shard-[0-9]{6,}")
_CHUNK = 1 << 20


# --- the examples --------------------------------------------------------------------------

def _dumps(obj) -> str:
    """One-line JSON, the same bytes for the same value (keys keep the order they were built in)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _stable_index(key: str, n: int) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % n


def caption_prompt(example_id: str) -> str:
    """The caption instruction of an example, a pure function of its id."""
    return CAPTION_PROMPTS[_stable_index(example_id, len(CAPTION_PROMPTS))]


def examples(record: dict) -> list[dict]:
    """The training examples of one record: its caption, then every problem variant.

    Each is a flat dict: ``id``, ``sample_id``, ``problem_id`` (None for the caption),
    ``variant`` (``caption`` or the variant name), ``image`` (path relative to the dataset
    folder), ``question``, ``solution`` (the steps joined with newlines; the caption for the
    caption example), ``answer`` (``answer.text``; the caption), ``question_type``
    (``caption`` for the caption), ``choices``, ``answer_index``, ``caption`` and ``domain``.
    """
    sid, caption, domain = record["id"], record["caption"], record["domain"]
    cid = f"{sid}-caption"
    out = [{"id": cid, "sample_id": sid, "problem_id": None, "variant": "caption", "image": record["image"],
            "question": caption_prompt(cid), "solution": caption, "answer": caption, "question_type": "caption",
            "choices": None, "answer_index": None, "caption": caption, "domain": domain}]
    for p in record["problems"]:
        for v in VARIANTS:
            var = p["variants"][v]
            out.append({"id": f"{p['id']}-{v}", "sample_id": sid, "problem_id": p["id"], "variant": v,
                        "image": var["image"], "question": var["question"], "solution": "\n".join(var["solution"]),
                        "answer": p["answer"]["text"], "question_type": p["question_type"],
                        "choices": list(p["choices"]) if p.get("choices") is not None else None,
                        "answer_index": p.get("answer_index"), "caption": caption, "domain": domain})
    return out


def _llava(e: dict) -> dict:
    return {"id": e["id"], "image": e["image"],
            "conversations": [{"from": "human", "value": f"{IMAGE_TOKEN}\n{e['question']}"},
                              {"from": "gpt", "value": e["solution"]}],
            "question_type": e["question_type"], "domain": e["domain"]}


def _sharegpt(e: dict) -> dict:
    # LLaMA-Factory joins each image path to --media_dir, which defaults to --dataset_dir
    # (the sharegpt/ folder): "../images/x.png" finds out/images/x.png with no extra option.
    return {"id": e["id"],
            "messages": [{"role": "user", "content": IMAGE_TOKEN + e["question"]},
                         {"role": "assistant", "content": e["solution"]}],
            "images": ["../" + e["image"]]}


_METADATA_KEYS = ("id", "sample_id", "problem_id", "variant", "question", "answer", "solution", "question_type",
                  "choices", "answer_index", "caption", "domain")


def _imagefolder(e: dict) -> dict:
    row = {"file_name": e["image"]}
    row.update((k, e[k]) for k in _METADATA_KEYS)
    return row


# Hugging Face features, serialised as `datasets` 3.x writes them (Features.to_dict). A list is a
# "Sequence": datasets 4 and later write "List" but still read "Sequence"; datasets 3 reads only
# "Sequence".
_STRING = {"dtype": "string", "_type": "Value"}
_FEATURES = {"image": {"_type": "Image"}, "choices": {"feature": _STRING, "_type": "Sequence"},
             "answer_index": {"dtype": "int64", "_type": "Value"}}
# The columns `datasets.load_dataset("imagefolder", ...)` gives metadata.jsonl, for
# ``features=datasets.Features.from_dict(IMAGEFOLDER_FEATURES)``: needed when the first 10 MB of
# metadata.jsonl hold no multiple-choice row (else `choices` and `answer_index` are typed null).
IMAGEFOLDER_FEATURES = json.loads(json.dumps({k: _FEATURES.get(k, _STRING) for k in ("image", *_METADATA_KEYS)}))


# --- writing files atomically ----------------------------------------------------------------

class _HashWriter:
    """A binary file that hashes what goes through it (tarfile also asks for tell())."""

    def __init__(self, f):
        self._f, self._h, self._n = f, hashlib.sha256(), 0

    def write(self, data) -> int:
        self._f.write(data)
        self._h.update(data)
        self._n += len(data)
        return len(data)

    def tell(self) -> int:
        return self._n

    def flush(self) -> None:
        self._f.flush()

    def hexdigest(self) -> str:
        return self._h.hexdigest()


@contextmanager
def _atomic(out: Path, rel: str, hashes: dict[str, str]):
    """Open ``out/rel`` for writing under a temporary name; renamed into place (and hashed) when the
    block ends normally, removed when it raises."""
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path(path)
    try:
        with open(tmp, "wb") as f:
            w = _HashWriter(f)
            yield w
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    hashes[rel] = w.hexdigest()


@contextmanager
def _atomic_path(out: Path, rel: str, hashes: dict[str, str]):
    """Like :func:`_atomic` for writers that want a path (pyarrow): yields the temporary path,
    hashes the finished file."""
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path(path)
    try:
        yield tmp
        h = hashlib.sha256()
        with open(tmp, "rb") as f:
            for block in iter(lambda: f.read(_CHUNK), b""):
                h.update(block)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    hashes[rel] = h.hexdigest()


def _json_list(w: _HashWriter, lines) -> None:
    """A JSON list with one entry per line: ``[``, entries ending with ``,`` but the last, ``]``."""
    w.write(b"[")
    first = True
    for line in lines:
        w.write((b"\n" if first else b",\n") + line.encode("utf-8"))
        first = False
    w.write(b"\n]\n")


def _list_entries(path: Path):
    """The entry lines of a file written by :func:`_json_list`, streamed."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line in ("[", "]", ""):
                continue
            yield line.removesuffix(",")


# --- per format ----------------------------------------------------------------------------

def _check_shard(shard: str) -> None:
    if not isinstance(shard, str) or not _SHARD.fullmatch(shard):
        raise ValueError(f"shard must look like 'shard-000003', not {shard!r}")


def check_format_available(fmt: str) -> None:
    """Raise UserError when ``fmt`` is unknown or needs a package that is not installed."""
    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if fmt == "parquet":
        _pyarrow()


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UserError("the parquet format needs pyarrow: pip install 'diagram-engine[parquet]'") from None
    return pyarrow, pyarrow.parquet


def export_shard(out: Path, shard: str, records: list[dict], fmt: str) -> dict[str, str]:
    """Write the files of format ``fmt`` for one finished shard (``shard`` like "shard-000003"),
    from its parsed records and the image files already in ``out``; every file is written under a
    temporary name and renamed into place. Returns {path relative to out: sha256 hex} of what it wrote."""
    check_format_available(fmt)
    _check_shard(shard)
    out = Path(out)
    hashes: dict[str, str] = {}
    if fmt == "jsonl":
        return hashes
    if fmt in ("llava", "sharegpt"):
        entry = _llava if fmt == "llava" else _sharegpt
        with _atomic(out, f"{fmt}/{shard}.json", hashes) as w:
            _json_list(w, (_dumps(entry(e)) for r in records for e in examples(r)))
    elif fmt == "imagefolder":
        with _atomic(out, f"imagefolder/{shard}.jsonl", hashes) as w:
            for r in records:
                for e in examples(r):
                    w.write((_dumps(_imagefolder(e)) + "\n").encode("utf-8"))
    elif fmt == "parquet":
        _export_parquet(out, shard, records, hashes)
    elif fmt == "webdataset":
        _export_webdataset(out, shard, records, hashes)
    return hashes


def finalize(out: Path, fmt: str, shards: list[str], info: dict) -> dict[str, str]:
    """Join the per-shard files of ``fmt`` into what the consumer reads (after every shard is done),
    atomically; ``info`` carries the dataset name/domain for dataset_info.json etc. Returns {relpath: sha256}."""
    check_format_available(fmt)
    out = Path(out)
    for s in shards:
        _check_shard(s)
    hashes: dict[str, str] = {}
    part = {"llava": "llava/{}.json", "sharegpt": "sharegpt/{}.json", "imagefolder": "imagefolder/{}.jsonl",
            "parquet": "parquet/{}.parquet", "webdataset": "webdataset/{}.tar"}.get(fmt)
    if part is None:   # jsonl: the native folder is the format
        return hashes
    parts = [out / part.format(s) for s in shards]
    missing = [str(p.relative_to(out)) for p in parts if not p.is_file()]
    if missing:
        raise UserError(f"{out}: cannot finish the {fmt} format, {len(missing)} shard file(s) missing "
                        f"(first: {missing[0]}); export those shards again (generate --resume)")
    if fmt in ("llava", "sharegpt"):
        final = "llava/llava.json" if fmt == "llava" else "sharegpt/data.json"
        with _atomic(out, final, hashes) as w:
            _json_list(w, (line for p in parts for line in _list_entries(p)))
        if fmt == "sharegpt":
            entry = {"file_name": "data.json", "formatting": "sharegpt",
                     "columns": {"messages": "messages", "images": "images"},
                     "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user",
                              "assistant_tag": "assistant"}}
            name = str(info.get("name") or "diagram-engine")
            with _atomic(out, "sharegpt/dataset_info.json", hashes) as w:
                w.write((json.dumps({name: entry}, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    elif fmt == "imagefolder":
        with _atomic(out, "metadata.jsonl", hashes) as w:
            for p in parts:
                with open(p, "rb") as f:
                    for block in iter(lambda: f.read(_CHUNK), b""):
                        w.write(block)
    # parquet and webdataset: the per-shard files are the dataset; nothing to join
    return hashes


# --- parquet -------------------------------------------------------------------------------

# (column, Hugging Face feature as `datasets` serialises it in the schema metadata)
_PARQUET_COLUMNS = tuple((k, _FEATURES.get(k, _STRING)) for k in (
    "id", "sample_id", "problem_id", "variant", "image", "question", "solution", "answer", "question_type",
    "choices", "answer_index", "caption", "domain"))


def parquet_schema():
    """The Arrow schema of the parquet files, with the ``huggingface`` metadata `datasets` reads."""
    pa, _ = _pyarrow()
    types = {"image": pa.struct([pa.field("bytes", pa.binary()), pa.field("path", pa.string())]),
             "choices": pa.list_(pa.string()), "answer_index": pa.int64()}
    features = {name: feature for name, feature in _PARQUET_COLUMNS}
    # the very serialisation of datasets' ArrowWriter._build_metadata / Features.arrow_schema
    meta = {b"huggingface": json.dumps({"info": {"features": features}}).encode()}
    return pa.schema([pa.field(name, types.get(name, pa.string())) for name, _ in _PARQUET_COLUMNS], metadata=meta)


def _parquet_options() -> dict:
    """Writer options, all fixed (no pyarrow default left to change under us): text columns
    snappy-compressed, the image struct's leaves stored as is (PLAIN, uncompressed), as
    `datasets` itself writes embedded images; statistics only on the short columns."""
    blobs = ("image.bytes", "image.path")
    leaves = [("choices.list.element" if n == "choices" else n) for n, _ in _PARQUET_COLUMNS if n != "image"]
    return {"version": "2.6", "data_page_version": "1.0", "use_compliant_nested_type": True,
            "compression": {**{leaf: PARQUET_COMPRESSION for leaf in leaves}, **{b: "none" for b in blobs}},
            "use_dictionary": ["sample_id", "problem_id", "variant", "question_type", "domain"],
            "column_encoding": {b: "PLAIN" for b in blobs},
            "write_statistics": ["id", "sample_id", "variant", "question_type", "answer_index", "domain"],
            "store_schema": True, "write_page_index": False}


def _export_parquet(out: Path, shard: str, records: list[dict], hashes: dict) -> None:
    pa, pq = _pyarrow()
    schema = parquet_schema()
    rows: list[dict] = []
    with _atomic_path(out, f"parquet/{shard}.parquet", hashes) as tmp:
        with pq.ParquetWriter(str(tmp), schema, **_parquet_options()) as writer:

            def flush():
                writer.write_table(pa.Table.from_pylist(rows, schema=schema), row_group_size=PARQUET_ROW_GROUP)
                rows.clear()

            for r in records:
                cache: dict[str, bytes] = {}
                for e in examples(r):
                    rel = e["image"]
                    if rel not in cache:
                        cache[rel] = (out / rel).read_bytes()
                    row = {k: e[k] for k, _ in _PARQUET_COLUMNS if k != "image"}
                    row["image"] = {"bytes": cache[rel], "path": rel}
                    rows.append(row)
                    if len(rows) == PARQUET_ROW_GROUP:
                        flush()
            if rows:
                flush()


# --- webdataset ----------------------------------------------------------------------------

_EXTRA_IMAGE = re.compile(r"__([a-z0-9]+)\.png")


def _webdataset_members(out: Path, record: dict) -> list[tuple[str, bytes]]:
    """The tar members of one sample, sorted by extension: <id>.json, <id>.png, <id>.vd0.png..."""
    key = record["id"]
    if "." in key or "/" in key:
        raise ValueError(f"sample id {key!r} cannot be a webdataset key (no dots or slashes)")
    members = [(f"{key}.json", (_dumps(record) + "\n").encode("utf-8")),
               (f"{key}.png", (out / record["image"]).read_bytes())]
    extra = sorted({v["image"] for p in record["problems"] for v in p["variants"].values()} - {record["image"]})
    for rel in extra:   # images/<id>__vd0.png -> <id>.vd0.png
        m = _EXTRA_IMAGE.fullmatch(rel[len(f"images/{key}"):]) if rel.startswith(f"images/{key}__") else None
        if m is None:
            raise ValueError(f"{key}: unexpected variant image name {rel!r}")
        members.append((f"{key}.{m.group(1)}.png", (out / rel).read_bytes()))
    members.sort(key=lambda m: m[0].split(".", 1)[1])
    return members


def _export_webdataset(out: Path, shard: str, records: list[dict], hashes: dict) -> None:
    # members grouped by key (samples sorted by id), then by extension, one sample in memory at a time
    with _atomic(out, f"webdataset/{shard}.tar", hashes) as w:
        with tarfile.open(fileobj=w, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            for record in sorted(records, key=lambda r: r["id"]):
                for name, data in _webdataset_members(out, record):
                    ti = tarfile.TarInfo(name)
                    ti.size, ti.mtime, ti.mode, ti.type = len(data), 0, 0o644, tarfile.REGTYPE
                    ti.uid = ti.gid = 0
                    ti.uname = ti.gname = ""
                    tar.addfile(ti, io.BytesIO(data))
