"""Writing datasets: the output folder of docs/record.md, shard by shard, with workers."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import RuleErrors, UserError
from .pipeline import Options, RuleSet, Sample, _build, iter_samples, parse_id

__all__ = ["generate", "regenerate", "Summary", "library_versions"]

DEFAULT_SHARD = 1000
CHUNK = 16   # indices per worker task: small enough to balance, large enough to amortise


@dataclass
class Summary:
    count: int = 0
    seconds: float = 0.0
    rejections: dict[str, dict[str, int]] = field(default_factory=dict)
    per_rule: dict[str, int] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)
    out: str | None = None

    @property
    def samples_per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0

    def add(self, w: "Written") -> None:
        self.count += 1
        self.per_rule[w.rule] = self.per_rule.get(w.rule, 0) + 1
        if w.rejections:
            d = self.rejections.setdefault(w.rule, {})
            for k, v in w.rejections.items():
                d[k] = d.get(k, 0) + v
        for k, v in w.timings.items():
            self.stages[k] = self.stages.get(k, 0.0) + v

    def text(self) -> str:
        lines = [f"wrote {self.count} samples to {self.out} in {self.seconds:.1f} s "
                 f"({self.samples_per_second:.1f} samples/s)"]
        if self.rejections:
            lines.append("rejections per rule:")
            for rule in sorted(self.rejections):
                parts = ", ".join(f"{k} {v}" for k, v in sorted(self.rejections[rule].items()))
                lines.append(f"  {rule}: {parts}")
        else:
            lines.append("rejections: none")
        return "\n".join(lines)


def library_versions() -> dict[str, str]:
    import importlib.metadata as md
    out = {"python": sys.version.split()[0]}
    for name in ("sympy", "numpy", "shapely", "cairocffi", "cairosvg", "jinja2", "pydantic", "pyyaml"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    try:
        import cairocffi
        out["cairo"] = cairocffi.cairo_version_string()
    except Exception:  # the version is informative only
        pass
    return out


@dataclass
class Written:
    """What is left of a sample once its files are on disk: its record line and checksums."""
    rule: str
    line: bytes
    hashes: dict[str, str]
    rejections: dict[str, int]
    timings: dict[str, float]


def _write_files(out: Path, s: Sample) -> Written:
    """Write a sample's image and SVG files (each atomically); keep the record line for the shard."""
    t = time.perf_counter()
    hashes = {}
    for rel, data in s.files.items():
        _atomic_write(out / rel, data)
        hashes[rel] = hashlib.sha256(data).hexdigest()
    timings = dict(s.timings)
    timings["write"] = time.perf_counter() - t
    return Written(s.record["rule"], s.record_line().encode(), hashes, s.rejections, timings)


# --- workers --------------------------------------------------------------------------------
# Each worker builds a span of samples and writes their files itself, so the parent only
# appends record lines to the shard: no image bytes cross between processes.
_W: dict = {}


def _worker_init(domain, rule_paths, include_shipped, opts, seed, out):
    _W["rs"] = RuleSet.load(domain, rule_paths, include_shipped)
    _W["opts"] = opts
    _W["seed"] = seed
    _W["out"] = Path(out)
    for r in _W["rs"].rules:
        opts.phrasebook_for(r)


def _worker_run(span) -> list[Written]:
    rs, opts, seed, out = _W["rs"], _W["opts"], _W["seed"], _W["out"]
    return [_write_files(out, s) for s in iter_samples(rs, seed, range(*span), opts)]


def _spans(start: int, stop: int, chunk: int):
    for a in range(start, stop, chunk):
        yield (a, min(stop, a + chunk))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _prepare_out(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UserError(f"Invalid value for '--out': {out} exists and is not a folder.")
    if out.is_dir() and any(out.iterdir()):
        if not overwrite:
            raise UserError(f"Invalid value for '--out': {out} is not empty (pass --overwrite to replace "
                            "its dataset).")
        for sub in ("shards", "images", "svg"):
            if (out / sub).exists():
                shutil.rmtree(out / sub)
        if (out / "manifest.json").exists():
            (out / "manifest.json").unlink()


def generate(domain: str = "plane-geometry", count: int = 100, out=None, *, seed: int = 0,
             workers: int | None = None, size: int = 512, rules=(), shard_size: int = DEFAULT_SHARD,
             overwrite: bool = False, progress: bool | None = None, rasterizer: str = "cairo",
             include_shipped: bool = True, templates: str | None = None):
    """Generate ``count`` samples of ``domain``.

    With ``out``, write the dataset folder and return a :class:`Summary`; without, return an
    iterator of :class:`Sample` objects (built in this process).
    """
    if not isinstance(count, int) or count < 1 or count > 100_000_000:
        raise UserError(f"Invalid value for '--count': {count!r} is not in the range 1<=x<=100000000.")
    if not isinstance(seed, int) or not 0 <= seed < 2 ** 63:
        raise UserError(f"Invalid value for '--seed': {seed!r} is not in the range 0<=x<2**63.")
    if not isinstance(shard_size, int) or not 1 <= shard_size <= 1_000_000:
        raise UserError(f"Invalid value for '--shard-size': {shard_size!r} is not in the range 1<=x<=1000000.")
    if workers is None:
        workers = os.cpu_count() or 1
    if not isinstance(workers, int) or not 1 <= workers <= 512:
        raise UserError(f"Invalid value for '--workers': {workers!r} is not in the range 1<=x<=512.")
    if templates is not None:
        templates = str(Path(templates).resolve())
    opts = Options(size=size, rasterizer=rasterizer, templates=templates)
    opts.check()
    rule_paths = [str(Path(p).resolve()) for p in rules]
    rs = RuleSet.load(domain, rule_paths, include_shipped)
    _preflight(rs, opts)
    if out is None:
        return iter_samples(rs, seed, range(count), opts)
    return _write_dataset(rs, Path(out), count, seed, workers, opts, rule_paths, include_shipped,
                          shard_size, overwrite, progress)


PREFLIGHT_SAMPLES = 3


def _preflight(rs: RuleSet, opts: Options) -> None:
    """Errors in the user's rules and templates surface before anything is written.

    Every rule's template slots are checked; the user's own rules (and every rule, with a
    user's template folder) also build a few samples rendering every phrasing of each slot
    they use, as ``rules validate`` does.
    """
    from .rules import shipped_rules_dir
    from .validate import check_rule_samples
    shipped = str(shipped_rules_dir().resolve())
    errors = []
    for r in rs.rules:
        opts.phrasebook_for(r)
        if opts.templates is not None or not str(Path(r.path).resolve()).startswith(shipped):
            errors += check_rule_samples(r, opts.templates, PREFLIGHT_SAMPLES)
    if errors:
        raise RuleErrors(errors)


def _write_dataset(rs, out: Path, count, seed, workers, opts, rule_paths, include_shipped,
                   shard_size, overwrite, progress) -> Summary:
    _prepare_out(out, overwrite)
    created_out = not out.exists()
    for sub in ("shards", "images", "svg"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    try:
        return _run(rs, out, count, seed, workers, opts, rule_paths, include_shipped, shard_size,
                    progress)
    except BaseException:
        # a run that failed before finishing any shard leaves the folder as it found it
        if not any((out / "shards").glob("*.done.json")):
            for sub in ("shards", "images", "svg"):
                shutil.rmtree(out / sub, ignore_errors=True)
            if created_out:
                shutil.rmtree(out, ignore_errors=True)
        raise


def _run(rs, out, count, seed, workers, opts, rule_paths, include_shipped, shard_size,
         progress) -> Summary:
    summary = Summary(out=str(out))
    t0 = time.perf_counter()
    if progress is None:
        progress = sys.stderr.isatty()
    from tqdm import tqdm
    bar = tqdm(total=count, unit="sample", disable=not progress, file=sys.stderr)
    n_shards = (count + shard_size - 1) // shard_size
    pool = None
    if workers > 1:
        import multiprocessing as mp
        pool = mp.get_context().Pool(workers, _worker_init,
                                     (rs.domain, rule_paths, include_shipped, opts, seed, str(out.resolve())))
    try:
        for sh in range(n_shards):
            a, b = sh * shard_size, min(count, (sh + 1) * shard_size)
            _write_shard(out, sh, a, b, rs, seed, opts, pool, summary, bar)
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    finally:
        bar.close()
        if pool is not None:
            pool.close()
            pool.join()
    summary.seconds = time.perf_counter() - t0
    manifest = {
        "domain": rs.domain,
        "count": count,
        "base_seed": seed,
        "shard_size": shard_size,
        "shards": n_shards,
        "format": "jsonl",
        "image_size": opts.size,
        "rasterizer": opts.rasterizer,
        "engine_version": __version__,
        "rule_set_digest": rs.digest,
        "rules": [{"id": r.id, "digest": r.digest, "weight": r.weight,
                   "path": r.path if r.path.startswith(tuple(rule_paths)) or not include_shipped
                   else "shipped:" + Path(r.path).name} for r in rs.rules],
        "rule_paths": rule_paths,
        "include_shipped_rules": include_shipped,
        "templates": opts.templates,
        "templates_digest": opts.templates_digest(rs.domain),
        "counts_per_rule": dict(sorted(summary.per_rule.items())),
        "library_versions": library_versions(),
        "command": _command(rs.domain, count, seed, opts, rule_paths, shard_size),
    }
    _atomic_write(out / "manifest.json", (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    return summary


def _command(domain, count, seed, opts, rule_paths, shard_size) -> str:
    parts = ["diagram-engine", "generate", "--domain", domain, "--count", str(count), "--seed", str(seed),
             "--size", str(opts.size), "--shard-size", str(shard_size)]
    if opts.templates:
        parts += ["--templates", opts.templates]
    if opts.rasterizer != "cairo":
        parts += ["--rasterizer", opts.rasterizer]
    for p in rule_paths:
        parts += ["--rules", p]
    return " ".join(parts)


def _write_shard(out, sh, a, b, rs, seed, opts, pool, summary, bar) -> None:
    name = f"shard-{sh:06d}"
    final = out / "shards" / f"{name}.jsonl"
    tmp = final.with_name(final.name + ".tmp")
    hashes: dict[str, str] = {}
    spans = list(_spans(a, b, CHUNK))
    if pool is None:
        batches = ([_write_files(out, s)] for s in iter_samples(rs, seed, range(a, b), opts))
    else:
        batches = pool.imap(_worker_run, spans)
    try:
        with open(tmp, "wb") as f:
            for batch in batches:
                for w in batch:
                    f.write(w.line)
                    hashes.update(w.hashes)
                    summary.add(w)
                    bar.update(1)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise
    os.replace(tmp, final)
    hashes[f"shards/{final.name}"] = hashlib.sha256(final.read_bytes()).hexdigest()
    done = {"shard": sh, "first_index": a, "count": b - a, "sha256": dict(sorted(hashes.items()))}
    _atomic_write(out / "shards" / f"{name}.done.json", (json.dumps(done, indent=1) + "\n").encode())


def _find_record(out: Path, index: int, shard_size: int) -> str | None:
    p = out / "shards" / f"shard-{index // shard_size:06d}.jsonl"
    if not p.exists():
        return None
    with open(p, encoding="utf-8") as f:
        for i, line in enumerate(f, start=(index // shard_size) * shard_size):
            if i == index:
                return line
    return None


def regenerate(out, sid: str, dest=None) -> tuple[Sample, list[str]]:
    """Rebuild one sample of the dataset in ``out`` from its manifest alone.

    Returns the sample and the list of its files (and record) that differ from ``out``.
    With ``dest``, also writes the rebuilt record and files there.
    """
    out = Path(out)
    mpath = out / "manifest.json"
    if not mpath.exists():
        raise UserError(f"{out} has no manifest.json; is it a dataset folder?")
    try:
        m = json.loads(mpath.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise UserError(f"{mpath}:{e.lineno}: not valid JSON: {e.msg}") from None
    domain, index = parse_id(sid)
    if domain != m["domain"]:
        raise UserError(f"sample {sid} is not from domain {m['domain']}")
    if not 0 <= index < m["count"]:
        raise UserError(f"sample {sid} is outside the dataset (count {m['count']})")
    rs = RuleSet.load(domain, m.get("rule_paths", []), m.get("include_shipped_rules", True))
    if rs.digest != m["rule_set_digest"]:
        raise UserError("the rule files changed since the dataset was made (rule set digest "
                        f"{rs.digest} != {m['rule_set_digest']}); the sample cannot be rebuilt")
    opts = Options(size=m["image_size"], rasterizer=m.get("rasterizer", "cairo"), templates=m.get("templates"))
    opts.check()
    if "templates_digest" in m and opts.templates_digest(domain) != m["templates_digest"]:
        raise UserError("the template files changed since the dataset was made (templates digest "
                        f"{opts.templates_digest(domain)} != {m['templates_digest']}); the sample's "
                        "wording cannot be rebuilt")
    s = _build(rs.pick(m["base_seed"], index), m["base_seed"], index, opts)
    diffs = []
    line = _find_record(out, index, m["shard_size"])
    if line != s.record_line():
        diffs.append("record")
    for rel, data in s.files.items():
        p = out / rel
        if not p.exists() or p.read_bytes() != data:
            diffs.append(rel)
    if dest is not None:
        dest = Path(dest)
        for rel, data in s.files.items():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(dest / rel, data)
        _atomic_write(dest / f"{sid}.json", s.record_line().encode())
    return s, diffs
