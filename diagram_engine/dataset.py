"""Writing datasets: the output folder of docs/record.md, shard by shard, with workers.

A run is fixed by its :class:`Plan` (domains and shares, count, seed, shard size, image
options, rules, formats). ``run.json`` holds the plan and the digests of the rules and
templates from the first moment, so ``--resume`` can finish exactly that run and ``merge``
can join its slices. A shard is a contiguous index range: its record lines are written
under a temporary name and renamed into place, then its export-format files are written,
and last its ``.done.json`` marker with counts and checksums. A shard without a valid
marker is built again, byte for byte the same. ``manifest.json`` is written when every
shard is done.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .version import __version__
from .core.bounds import COUNT, SEED, SHARD_SIZE, WORKERS, Range, choice
from .errors import OptionError, RuleErrors, UserError, WorkerDied
from .folder import LOCKS, FolderLock, live_locks, remove_stale_tmp, set_tag, tag, tmp_path
from .core.registry import DOMAINS
from .formats import FORMATS, check_format_available, export_shard
from .formats import finalize as finalize_format
from .pipeline import Options, Sample, _build, iter_samples, load_ruleset, parse_id

__all__ = ["generate", "regenerate", "merge", "Summary", "Plan", "library_versions", "FORMATS", "EXECUTORS"]

FORMAT_DIRS = tuple(f for f in FORMATS if f != "jsonl")     # where each format's files go
EXECUTORS = ("process", "dask")

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
    skipped: int = 0              # shards already done (a resumed run)
    finished: bool = False        # every shard is done and manifest.json is written
    written: list = field(default_factory=list)   # what a Dask task hands back
    errors: list = field(default_factory=list)    # engine bugs met on the way (pipeline.bug_entry), in order
    dataset_errors: int = 0       # a finished dataset: the engine bugs of all its shards (kept ones too)
    repaired: int = 0             # shards marked done whose files did not match their hashes (written again)

    @property
    def samples_per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0

    def add(self, w: "Written", keep: bool = False) -> None:
        if keep:
            self.written.append(w)
        self.count += 1
        self.per_rule[w.rule] = self.per_rule.get(w.rule, 0) + 1
        self.errors.extend(w.errors)
        if w.rejections:
            d = self.rejections.setdefault(w.rule, {})
            for k, v in w.rejections.items():
                d[k] = d.get(k, 0) + v
        for k, v in w.timings.items():
            self.stages[k] = self.stages.get(k, 0.0) + v

    def text(self) -> str:
        lines = [f"wrote {self.count} samples to {self.out} in {self.seconds:.1f} s "
                 f"({self.samples_per_second:.1f} samples/s)"]
        if self.skipped:
            lines.append(f"{self.skipped} shard(s) were already done and kept (every file checked against its hash)")
        if self.repaired:
            lines.append(f"{self.repaired} shard(s) marked done had a missing or changed file and were written again")
        if not self.finished:
            lines.append("this slice is done; when every slice is, join them with: diagram-engine merge "
                         "SLICE_DIR... --out DIR")
        if self.rejections:
            lines.append("rejections per rule:")
            for rule in sorted(self.rejections):
                parts = ", ".join(f"{k} {v}" for k, v in sorted(self.rejections[rule].items()))
                lines.append(f"  {rule}: {parts}")
        else:
            lines.append("rejections: none")
        if self.errors or self.dataset_errors:
            lines.append(self.error_line())
        return "\n".join(lines)

    def error_line(self) -> str:
        """One line on the engine bugs the run met (none of them is in the data); empty when none."""
        if not self.errors and not self.dataset_errors:
            return ""
        where = Path(self.out or ".") / ("errors.jsonl" if self.finished else "shards/*.done.json")
        if self.errors:
            n = len({e["id"] for e in self.errors})
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(_tally(e["error"] for e in self.errors).items()))
            what = f"{len(self.errors)} attempt(s) of {n} sample(s) hit a bug in diagram-engine ({kinds})"
        else:
            what = f"{self.dataset_errors} attempt(s) in the kept shards hit a bug in diagram-engine"
        return (f"engine errors: {what}; each sample was built from a later attempt, so the data is verified; "
                f"details and the call that repeats each are in {where} (please report them)")


def _tally(keys) -> dict[str, int]:
    out: dict[str, int] = {}
    for k in keys:
        out[k] = out.get(k, 0) + 1
    return out


def library_versions() -> dict[str, str]:
    import importlib.metadata as md
    out = {"python": sys.version.split()[0]}
    for name in ("sympy", "numpy", "shapely", "cairocffi", "cairosvg", "jinja2", "pydantic", "pyyaml", "mpmath",
                 "pyarrow", "dask", "distributed"):
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
    counts: dict[str, list[str]] = field(default_factory=dict)   # kind -> keys this sample counts for
    errors: list = field(default_factory=list)                   # the sample's engine bugs (pipeline.bug_entry)


def _write_files(out: Path, s: Sample) -> Written:
    """Write a sample's image and SVG files (each atomically); keep the record line for the shard."""
    t = time.perf_counter()
    hashes = {}
    for rel, data in s.files.items():
        _atomic_write(out / rel, data)
        hashes[rel] = hashlib.sha256(data).hexdigest()
    timings = dict(s.timings)
    timings["write"] = time.perf_counter() - t
    rec = s.record
    counts = {"rule": [rec["rule"]], "domain": [rec["domain"]],
              "question_type": [p["question_type"] for p in rec["problems"]],
              "variant": [v for p in rec["problems"] for v in p["variants"]]}
    return Written(rec["rule"], s.record_line().encode(), hashes, s.rejections, timings, counts, s.errors)


# --- workers --------------------------------------------------------------------------------
# Each worker builds a span of samples and writes their files itself, so the parent only
# appends record lines to the shard: no image bytes cross between processes.
_W: dict = {}


def _worker_init(plan, out, strict=False, run_tag=None):
    set_tag(run_tag)              # temporary files carry the run's tag (its lock), not the worker's pid
    _W["rs"] = plan.ruleset()
    _W["opts"] = opts = replace(plan.options(), strict=strict)
    _W["seed"] = plan.seed
    _W["out"] = Path(out)
    for r in _W["rs"].rules:
        opts.phrasebook_for(r)


def _worker_run(span) -> list[Written]:
    rs, opts, seed, out = _W["rs"], _W["opts"], _W["seed"], _W["out"]
    return [_write_files(out, s) for s in iter_samples(rs, seed, range(*span), opts)]


def _spans(start: int, stop: int, chunk: int):
    for a in range(start, stop, chunk):
        yield (a, min(stop, a + chunk))


def _atomic_write(path: Path, data: bytes, durable: bool = False) -> None:
    """Write under a temporary name, then rename. ``durable`` flushes the data to the disk
    before the rename (the shard files, done markers and manifests: a power loss then leaves
    the old file or the whole new one, never an empty one under the final name). Images and
    SVGs are not synced one by one: a resumed run checks them against their shard's hashes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path(path)
    with open(tmp, "wb") as f:
        f.write(data)
        if durable:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)


def _json_bytes(obj, indent=2) -> bytes:
    return (json.dumps(obj, indent=indent, ensure_ascii=False) + "\n").encode()


# --- the plan: everything that decides the bytes of a dataset ---------------------------------

@dataclass(frozen=True)
class Plan:
    mix: tuple[tuple[str, float], ...]      # (domain, share), sorted; one domain has share 1.0
    count: int
    seed: int
    shard_size: int
    size: int
    rasterizer: str
    templates: str | None
    rule_paths: tuple[str, ...]
    include_shipped: bool
    formats: tuple[str, ...]
    svg: bool = True

    @property
    def n_shards(self) -> int:
        return (self.count + self.shard_size - 1) // self.shard_size

    def shard_range(self, sh: int) -> tuple[int, int]:
        return sh * self.shard_size, min(self.count, (sh + 1) * self.shard_size)

    def options(self) -> Options:
        return Options(size=self.size, rasterizer=self.rasterizer, templates=self.templates, svg=self.svg)

    def ruleset(self):
        return load_ruleset(dict(self.mix), self.rule_paths, self.include_shipped)

    def key(self) -> dict:
        d = asdict(self)
        d["mix"] = [[k, v] for k, v in self.mix]
        d["rule_paths"] = list(self.rule_paths)
        d["formats"] = list(self.formats)
        return d

    @classmethod
    def from_key(cls, d: dict) -> "Plan":
        return cls(tuple((k, float(v)) for k, v in d["mix"]), d["count"], d["seed"], d["shard_size"], d["size"],
                   d["rasterizer"], d["templates"], tuple(d["rule_paths"]), d["include_shipped"],
                   tuple(d["formats"]), d.get("svg", True))

    def domain_label(self) -> str:
        return "+".join(k for k, _ in self.mix)


def _run_key(plan: Plan, rs, opts: Options) -> dict:
    """What run.json holds: the plan and the digests a resumed or merged run must match."""
    return {"plan": plan.key(), "engine_version": __version__, "rule_set_digest": rs.digest,
            "templates_digest": {d: opts.templates_digest(d) for d, _ in plan.mix}}


def _parse_mix(domains, mix: str | None) -> tuple[tuple[str, float], ...]:
    given = domains
    if isinstance(domains, str):
        domains = [domains]
    domains = list(domains or [])
    if mix:
        if domains:
            raise OptionError("mix", mix, "cannot be given with {domain=...}: give one of them")
        out = {}
        for part in mix.split(","):
            name, eq, share = part.strip().partition("=")
            try:
                value = float(share)
            except ValueError:
                value = -1.0
            if not eq or not name or not value > 0 or value != value or value == float("inf"):
                raise OptionError("mix", mix, f"{part.strip()!r} is not DOMAIN=SHARE with a positive share "
                                  f"(e.g. {mix_example()})")
            if name in out:
                raise OptionError("mix", mix, f"names {name} twice")
            out[name] = value
    else:
        if not domains:
            raise OptionError("domain", given,
                              "names no domain (give a domain, or {mix=...})")
        if len(set(domains)) != len(domains):
            raise OptionError("domain", domains, "names a domain twice")
        out = {d: 1.0 for d in domains}
    total = sum(out.values())
    return tuple((d, out[d] / total) for d in sorted(out))


# --- generate ---------------------------------------------------------------------------------

def generate(domain, count: int = 100, out=None, *, seed: int = 0,
             workers: int | None = None, size: int = 512, rules=(), shard_size: int = DEFAULT_SHARD,
             overwrite: bool = False, progress: bool | None = None, rasterizer: str = "cairo",
             include_shipped: bool = True, templates: str | None = None, formats=("jsonl",),
             resume: bool = False, shard_index: int | None = None, num_shards: int | None = None,
             executor: str = "process", scheduler: str | None = None, mix: str | None = None,
             svg: bool = True, strict: bool = False):
    """Generate ``count`` samples of ``domain`` (a name, or a list of names sharing the
    samples equally; ``mix="a=0.5,b=0.5"`` states the shares).

    With ``out``, write the dataset folder and return a :class:`Summary`; without, return an
    iterator of :class:`Sample` objects (built in this process). ``formats`` adds export
    formats to the native JSONL folder; ``resume`` finishes an interrupted run in ``out``;
    ``shard_index``/``num_shards`` write one slice of the shards (``merge`` joins slices);
    ``executor="dask"`` runs shards as tasks on the Dask scheduler at ``scheduler``;
    ``svg=False`` writes no SVG files (the records' ``svg`` is null).

    An engine bug in one attempt of a sample (a failed verification, an unexpected
    exception) does not stop the run: the sample is built from its next attempt, as after a
    rejection, and the bug is logged in ``Summary.errors`` and in ``OUT/errors.jsonl`` with
    the call that repeats it. ``strict=True`` stops at the first one instead.
    """
    COUNT.check("count", count)
    SEED.check("seed", seed)
    SHARD_SIZE.check("shard_size", shard_size)
    if workers is None:
        workers = os.cpu_count() or 1
    WORKERS.check("workers", workers)
    formats = (formats,) if isinstance(formats, str) else tuple(formats or ("jsonl",))
    for f in formats:
        choice("formats", f, FORMATS)
    fmts = tuple(sorted(set(formats) | {"jsonl"}, key=FORMATS.index))
    if (shard_index is None) != (num_shards is None):
        which, value = ("shard_index", shard_index) if num_shards is None else ("num_shards", num_shards)
        raise OptionError(which, value, "needs both {shard_index=I} and {num_shards=N}")
    if num_shards is not None:
        Range(1, 1_000_000).check("num_shards", num_shards)
        Range(0, num_shards - 1).check("shard_index", shard_index)
    choice("executor", executor, EXECUTORS)
    if executor == "dask" and out is None:
        raise OptionError("executor", executor, "writes a dataset folder: give {out=DIR}")
    if templates is not None:
        templates = str(Path(templates).resolve())
    plan = Plan(_parse_mix(domain, mix), count, seed, shard_size, size, rasterizer, templates,
                tuple(str(Path(p).resolve()) for p in rules), include_shipped, fmts, bool(svg))
    opts = replace(plan.options(), strict=bool(strict))
    opts.check()
    if "parquet" in fmts:
        check_format_available("parquet")
    rs = plan.ruleset()
    _preflight(rs, opts)
    if out is None:
        return iter_samples(rs, seed, range(count), opts)
    mine = list(range(plan.n_shards))
    if num_shards is not None:
        mine = mine[shard_index * plan.n_shards // num_shards:(shard_index + 1) * plan.n_shards // num_shards]
    return _write_dataset(plan, rs, opts, Path(out), mine, workers, overwrite, resume, progress, executor,
                          scheduler)


PREFLIGHT_SAMPLES = 3


def _preflight(rs, opts: Options) -> None:
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


_DATA = ("shards", "images", "svg")


def _domain_folders() -> tuple[str, ...]:
    """The folders the domains' attachments go to (a chart's program: code/)."""
    return tuple(sorted({f for d in DOMAINS.values() for f in getattr(d, "output_folders", ())}))


def mix_example() -> str:
    """A --mix value over the registered domains, for messages and help."""
    names = list(DOMAINS)[:3]
    shares = {1: ["1"], 2: ["0.6", "0.4"], 3: ["0.5", "0.3", "0.2"]}[len(names)]
    return ",".join(f"{n}={s}" for n, s in zip(names, shares))


def _prepare_out(out: Path, run: dict, overwrite: bool, resume: bool) -> bool:
    """Make ``out`` ready for ``run``; True when it holds an earlier part of the same run."""
    if out.exists() and not out.is_dir():
        raise OptionError("out", str(out), "exists and is not a folder")
    if not (out.is_dir() and any(p.name != LOCKS for p in out.iterdir())):
        return False
    if resume:
        rpath = out / "run.json"
        if not rpath.exists():
            raise OptionError("out", str(out), "holds no run to resume (no run.json): use an empty folder, "
                              "or {overwrite=True}")
        try:
            old = json.loads(rpath.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise UserError(f"{rpath}:{e.lineno}: not valid JSON: {e.msg}") from None
        if old != run:
            diffs = _differences(old, run)
            raise OptionError("out", str(out), f"holds a different run ({diffs}): resume it with the same "
                              "options as before, or start again with {overwrite=True}")
        remove_stale_tmp(out)         # what an interrupted write left behind (not a live slice's files)
        return True
    if not overwrite:
        raise OptionError("out", str(out), "is not empty (pass {resume=True} to finish the run it holds, or "
                          "{overwrite=True} to replace its dataset)")
    for sub in _DATA + _domain_folders() + tuple(FORMAT_DIRS):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    for f in ("manifest.json", "run.json", "metadata.jsonl"):
        if (out / f).exists():
            (out / f).unlink()
    return False


def _differences(old: dict, new: dict, prefix="") -> str:
    out = []
    for k in sorted(set(old) | set(new)):
        a, b = old.get(k), new.get(k)
        if isinstance(a, dict) and isinstance(b, dict):
            d = _differences(a, b, f"{prefix}{k}.")
            if d:
                out.append(d)
        elif a != b:
            out.append(f"{prefix}{k}: {a!r} then, {b!r} now")
    return "; ".join(out)


def _write_dataset(plan: Plan, rs, opts: Options, out: Path, mine: list[int], workers, overwrite, resume,
                   progress, executor, scheduler) -> Summary:
    run = _run_key(plan, rs, opts)
    if out.exists() and not out.is_dir():
        raise OptionError("out", str(out), "exists and is not a folder")
    created_out = not out.exists()
    try:
        return _locked_write(plan, rs, opts, out, mine, workers, overwrite, resume, progress, executor, scheduler,
                             run, created_out)
    finally:
        if created_out and out.is_dir() and not any(out.iterdir()):
            out.rmdir()                # a run that failed at once leaves no empty folder behind


def _locked_write(plan, rs, opts, out, mine, workers, overwrite, resume, progress, executor, scheduler, run,
                  created_out) -> Summary:
    with FolderLock(out, mine, exclusive=overwrite):
        resumed = _prepare_out(out, run, overwrite, resume)
        for sub in _DATA:
            if sub != "svg" or plan.svg:
                (out / sub).mkdir(parents=True, exist_ok=True)
        if not resumed:
            _atomic_write(out / "run.json", _json_bytes(run), durable=True)
        try:
            return _run(plan, rs, opts, out, mine, workers, progress, executor, scheduler)
        except BaseException:
            # a fresh run that failed before finishing any shard leaves the folder as it found it,
            # unless another run (a slice) writes into it too
            others = [lk for lk in live_locks(out) if lk["tag"] != tag()]
            if not resumed and not others and not any((out / "shards").glob("*.done.json")):
                for sub in _DATA + _domain_folders() + tuple(FORMAT_DIRS):
                    shutil.rmtree(out / sub, ignore_errors=True)
                for f in ("run.json",):
                    (out / f).unlink(missing_ok=True)
                if created_out:
                    shutil.rmtree(out, ignore_errors=True)
            raise


def _marker(out: Path, sh: int) -> dict | None:
    """The done marker of shard ``sh`` as written, unchecked (None when missing or torn)."""
    p = out / "shards" / f"shard-{sh:06d}.done.json"
    if not p.exists():
        return None
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def _done(out: Path, sh: int) -> dict | None:
    """The done marker of shard ``sh``, when the shard is complete on disk (its record lines
    hash to what the marker says)."""
    d = _marker(out, sh)
    if d is None:
        return None
    name = f"shard-{sh:06d}"
    shard = out / "shards" / f"{name}.jsonl"
    want = d.get("sha256", {}).get(f"shards/{name}.jsonl")
    if not shard.exists() or hashlib.sha256(shard.read_bytes()).hexdigest() != want:
        return None
    return d


def _finished_manifest(out: Path) -> dict | None:
    """The manifest of a finished dataset, when it is whole (None: write it again)."""
    try:
        m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return m if isinstance(m, dict) and isinstance(m.get("errors"), dict) and "attempts" in m["errors"] else None


def _intact(out: Path, sh: int) -> dict | None:
    """The done marker of shard ``sh`` when every file it lists (records, images, SVGs,
    programs, the formats' shard files) is on disk with the hash it lists; else None (the
    shard is written again, to the same bytes)."""
    d = _done(out, sh)
    if d is None:
        return None
    for rel, want in d.get("sha256", {}).items():
        try:
            data = (out / rel).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != want:
            return None
    return d


def _run(plan: Plan, rs, opts, out: Path, mine: list[int], workers, progress, executor, scheduler) -> Summary:
    summary = Summary(out=str(out))
    t0 = time.perf_counter()
    todo = []
    for sh in mine:
        if _intact(out, sh) is None:
            if _marker(out, sh) is not None:
                summary.repaired += 1     # marked done, but a file it lists is missing or changed
            todo.append(sh)
    if progress is None:
        progress = sys.stderr.isatty()
    from tqdm import tqdm
    total = sum(plan.shard_range(sh)[1] - plan.shard_range(sh)[0] for sh in todo)
    bar = tqdm(total=total, unit="sample", disable=not progress, file=sys.stderr)
    try:
        if executor == "dask":
            _run_dask(plan, out, todo, scheduler, summary, bar, opts.strict)
        else:
            _run_local(plan, rs, opts, out, todo, workers, summary, bar)
    finally:
        bar.close()
    summary.skipped = len(mine) - len(todo)
    summary.seconds = time.perf_counter() - t0
    if all(_done(out, sh) is not None for sh in range(plan.n_shards)):
        kept = _finished_manifest(out) if not todo else None
        # a finished dataset resumed again is only checked: nothing is rewritten (read-only media)
        summary.dataset_errors = (kept or finish(out, plan, rs, opts))["errors"]["attempts"]
        summary.finished = True
    return summary


WORKER_RETRIES = 2    # a shard whose worker process dies is written again this many times, with new workers


def _start_pool(plan, out: Path, workers: int, strict: bool):
    """A pool of worker processes that notices a dead worker: ``concurrent.futures`` raises
    ``BrokenProcessPool`` where ``multiprocessing.Pool`` would wait forever for its result."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    return ProcessPoolExecutor(workers, mp_context=mp.get_context(), initializer=_worker_init,
                               initargs=(plan, str(out.resolve()), strict, tag()))


def _stop_pool(pool, kill: bool) -> None:
    if kill:
        for p in list(getattr(pool, "_processes", {}).values()):   # no public terminate(); the run is ending
            if p.is_alive():
                p.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _run_local(plan, rs, opts, out, todo, workers, summary, bar) -> None:
    from concurrent.futures.process import BrokenProcessPool
    # never more worker processes than there are tasks (--workers 32 --count 1 starts none)
    tasks = sum(-(-(plan.shard_range(sh)[1] - plan.shard_range(sh)[0]) // CHUNK) for sh in todo)
    workers = min(workers, tasks)
    pool = _start_pool(plan, out, workers, opts.strict) if workers > 1 else None
    try:
        for sh in todo:
            for attempt in range(WORKER_RETRIES + 1):
                try:
                    _write_shard(out, sh, plan, rs, opts, pool, summary, bar)
                    break
                except BrokenProcessPool:
                    _stop_pool(pool, kill=True)
                    pool = None
                    if attempt == WORKER_RETRIES:
                        raise WorkerDied(
                            f"a worker process died while writing shard-{sh:06d} ({WORKER_RETRIES + 1} times; "
                            f"killed by the system, out of memory?). The samples written so far are kept: run "
                            f"the same command with --resume to finish (with fewer --workers if memory is "
                            f"short)") from None
                    pool = _start_pool(plan, out, workers, opts.strict)
    except BaseException:
        if pool is not None:
            _stop_pool(pool, kill=True)
            pool = None
        raise
    finally:
        if pool is not None:
            _stop_pool(pool, kill=False)


def _run_dask(plan, out, todo, scheduler, summary, bar, strict=False) -> None:
    """Each shard is one task on a Dask cluster; workers write into ``out`` (a shared folder)."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise OptionError("executor", "dask", "needs dask.distributed: pip install 'diagram-engine[dask]'") from None
    if not scheduler:
        raise OptionError("scheduler", scheduler, "must be the address of a Dask scheduler with "
                          "{executor=dask} (e.g. tcp://10.0.0.5:8786)")
    try:
        client = Client(scheduler, timeout="30s")
    except (OSError, ValueError, TypeError) as e:
        raise OptionError("scheduler", scheduler, f"cannot be reached ({e})") from None
    try:
        key = plan.key()
        futures = [client.submit(shard_task, key, str(out.resolve()), sh, strict, tag(), pure=False) for sh in todo]
        for fut in as_completed(futures):
            written = fut.result()
            for w in written:
                summary.add(w)
            bar.update(len(written))
    finally:
        client.close()


_TASK: dict = {}


def shard_task(plan_key: dict, out: str, sh: int, strict: bool = False, run_tag: str | None = None) -> list["Written"]:
    """One whole shard, built and written where it runs (a Dask task): the same files and
    bytes as a local run."""
    plan = Plan.from_key(plan_key)
    set_tag(run_tag)
    cached = _TASK.get("plan")
    if cached != (plan, strict):
        _TASK.clear()
        _TASK.update(plan=(plan, strict), rs=plan.ruleset(), opts=replace(plan.options(), strict=strict))
    summary = Summary()
    _write_shard(Path(out), sh, plan, _TASK["rs"], _TASK["opts"], None, summary, None, keep=True)
    return summary.written


def _command(plan: Plan) -> str:
    parts = ["diagram-engine", "generate"]
    if len(plan.mix) == 1:
        parts += ["--domain", plan.mix[0][0]]
    else:
        parts += ["--mix", ",".join(f"{d}={v:g}" for d, v in plan.mix)]
    parts += ["--count", str(plan.count), "--seed", str(plan.seed), "--size", str(plan.size), "--shard-size",
              str(plan.shard_size)]
    for f in plan.formats:
        if f != "jsonl":
            parts += ["--format", f]
    if plan.templates:
        parts += ["--templates", plan.templates]
    if plan.rasterizer != "cairo":
        parts += ["--rasterizer", plan.rasterizer]
    if not plan.svg:
        parts.append("--no-svg")
    for p in plan.rule_paths:
        parts += ["--rules", p]
    if not plan.include_shipped:
        parts.append("--only-rules")
    return " ".join(parts)


def finish(out: Path, plan: Plan, rs, opts: Options) -> dict:
    """Every shard is done: join the export formats and write manifest.json."""
    shards = [f"shard-{sh:06d}" for sh in range(plan.n_shards)]
    info = {"name": "diagram-engine-" + plan.domain_label(), "domain": plan.domain_label(), "count": plan.count}
    finals = {}
    for fmt in plan.formats:
        if fmt != "jsonl":
            finals.update(finalize_format(out, fmt, shards, info))
    counts: dict[str, dict[str, int]] = {"rule": {}, "domain": {}, "question_type": {}, "variant": {}}
    # the callers checked every shard with _done just before; the markers are read one at a
    # time, since together they hash every file of the run
    errors: list[dict] = []
    for sh in range(plan.n_shards):
        mark = _marker(out, sh)
        for kind, d in mark.get("counts", {}).items():
            agg = counts.setdefault(kind, {})
            for k, v in d.items():
                agg[k] = agg.get(k, 0) + v
        errors.extend(mark.get("errors", []))
    # the engine bugs the run met, in index order; none of them is in the data
    if errors:
        _atomic_write(out / "errors.jsonl", b"".join(_json_bytes(e, None) for e in errors))
    else:
        (out / "errors.jsonl").unlink(missing_ok=True)
    mix = dict(plan.mix)
    manifest = {
        "domain": plan.domain_label(),
        "mix": mix if len(mix) > 1 else None,
        "count": plan.count,
        "base_seed": plan.seed,
        "shard_size": plan.shard_size,
        "shards": plan.n_shards,
        "format": "jsonl",
        "formats": list(plan.formats),
        "format_files": dict(sorted(finals.items())),
        "image_size": plan.size,
        "rasterizer": plan.rasterizer,
        "svg": plan.svg,
        "engine_version": __version__,
        "rule_set_digest": rs.digest,
        "rules": [{"id": r.id, "domain": r.domain, "digest": r.digest, "weight": r.weight,
                   "path": r.path if r.path.startswith(plan.rule_paths) or not plan.include_shipped
                   else "shipped:" + Path(r.path).name} for r in rs.rules],
        "rule_paths": list(plan.rule_paths),
        "include_shipped_rules": plan.include_shipped,
        "templates": plan.templates,
        "templates_digest": (opts.templates_digest(plan.mix[0][0]) if len(mix) == 1
                             else {d: opts.templates_digest(d) for d in mix}),
        "counts_per_rule": dict(sorted(counts["rule"].items())),
        "counts": {k: dict(sorted(v.items())) for k, v in sorted(counts.items())},
        "errors": {"attempts": len(errors), "samples": len({e["id"] for e in errors}),
                   "by_error": dict(sorted(_tally(e["error"] for e in errors).items()))},
        "library_versions": library_versions(),
        "command": _command(plan),
    }
    _atomic_write(out / "manifest.json", _json_bytes(manifest), durable=True)
    return manifest


def _write_shard(out, sh, plan, rs, opts, pool, summary, bar, keep=False) -> None:
    name = f"shard-{sh:06d}"
    a, b = plan.shard_range(sh)
    final = out / "shards" / f"{name}.jsonl"
    tmp = tmp_path(final)
    hashes: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {"rule": {}, "domain": {}, "question_type": {}, "variant": {}}
    errors: list[dict] = []
    if pool is None:
        batches = ([_write_files(out, s)] for s in iter_samples(rs, plan.seed, range(a, b), opts))
    else:
        batches = pool.map(_worker_run, list(_spans(a, b, CHUNK)))
    written: list[Written] = []       # added to the summary once the whole shard is on disk
    try:
        with open(tmp, "wb") as f:
            for batch in batches:
                for w in batch:
                    f.write(w.line)
                    hashes.update(w.hashes)
                    errors.extend(w.errors)
                    for kind, keys in w.counts.items():
                        for k in keys:
                            counts[kind][k] = counts[kind].get(k, 0) + 1
                    written.append(w)
                    if bar is not None:
                        bar.update(1)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        if bar is not None and written:
            bar.update(-len(written))     # the shard is written again (or the run ends)
        raise
    for w in written:
        summary.add(w, keep)
    os.replace(tmp, final)
    data = final.read_bytes()
    hashes[f"shards/{final.name}"] = hashlib.sha256(data).hexdigest()
    if any(fmt != "jsonl" for fmt in plan.formats):
        records = [json.loads(line) for line in data.decode("utf-8").splitlines()]
        for fmt in plan.formats:
            if fmt != "jsonl":
                hashes.update(export_shard(out, name, records, fmt))
    done = {"shard": sh, "first_index": a, "count": b - a, "sha256": dict(sorted(hashes.items())),
            "counts": {k: dict(sorted(v.items())) for k, v in counts.items()}, "errors": errors}
    _atomic_write(out / "shards" / f"{name}.done.json", (json.dumps(done, indent=1) + "\n").encode(), durable=True)


# --- merging the slices of a run ----------------------------------------------------------------

def merge(sources, dest, progress: bool | None = None) -> dict:
    """Join the slices of one run (written with ``--shard-index``/``--num-shards`` into
    ``sources``) into ``dest`` and finish it: formats joined, manifest written. A source may
    be ``dest`` itself (slices written into one shared folder)."""
    dest = Path(dest)
    sources = [Path(s) for s in sources]
    runs = []
    for src in sources:
        rp = src / "run.json"
        if not rp.exists():
            raise UserError(f"{src} holds no run (no run.json): is it a slice written by generate?")
        try:
            runs.append(json.loads(rp.read_text(encoding="utf-8")))
        except json.JSONDecodeError as e:
            raise UserError(f"{rp}:{e.lineno}: not valid JSON: {e.msg}") from None
    for src, r in zip(sources[1:], runs[1:]):
        if r != runs[0]:
            raise UserError(f"{src} holds a different run from {sources[0]} ({_differences(runs[0], r)})")
    plan = Plan.from_key(runs[0]["plan"])
    owner: dict[int, Path] = {}
    for src in sources:
        for sh in range(plan.n_shards):
            if sh not in owner and _intact(src, sh) is not None:
                owner[sh] = src
    missing = [sh for sh in range(plan.n_shards) if sh not in owner]
    if missing:
        show = ", ".join(f"shard-{sh:06d}" for sh in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise UserError(f"cannot merge: {len(missing)} of {plan.n_shards} shards are not done in any source "
                        f"({show}); finish those slices (run them again with --resume)")
    rs = plan.ruleset()
    opts = plan.options()
    run = _run_key(plan, rs, opts)
    if run != runs[0]:
        raise UserError(f"the rules, templates or engine changed since the slices were made "
                        f"({_differences(runs[0], run)})")
    dest.mkdir(parents=True, exist_ok=True)
    with FolderLock(dest, list(range(plan.n_shards))):
        return _merge_into(dest, owner, plan, rs, opts, run)


def _merge_into(dest: Path, owner: dict, plan: Plan, rs, opts, run: dict) -> dict:
    for sub in _DATA:
        if sub != "svg" or plan.svg:
            (dest / sub).mkdir(parents=True, exist_ok=True)
    if not (dest / "run.json").exists():
        _atomic_write(dest / "run.json", _json_bytes(run))
    for sh, src in sorted(owner.items()):
        if src.resolve() == dest.resolve():
            continue
        mark = _done(src, sh)
        for rel in mark["sha256"]:
            _copy(src / rel, dest / rel)
        _copy(src / "shards" / f"shard-{sh:06d}.done.json", dest / "shards" / f"shard-{sh:06d}.done.json")
    return finish(dest, plan, rs, opts)


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path(dst)
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def _find_record(out: Path, index: int, shard_size: int) -> str | None:
    p = out / "shards" / f"shard-{index // shard_size:06d}.jsonl"
    if not p.exists():
        return None
    with open(p, encoding="utf-8") as f:
        for i, line in enumerate(f, start=(index // shard_size) * shard_size):
            if i == index:
                return line
    return None


def verify(out) -> list[str]:
    """Check a finished dataset folder: the manifest, and every file each shard's done marker
    lists against its SHA-256 (records, images, SVGs, programs, the formats' shard files).
    Returns the problems found, one line each (empty when the folder is whole)."""
    out = Path(out)
    mpath = out / "manifest.json"
    if not mpath.exists():
        raise UserError(f"{out} has no manifest.json; is it a finished dataset folder?")
    try:
        m = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise UserError(f"{mpath}: not readable JSON ({e})") from None
    _check_manifest(m, mpath)
    problems = []
    n_shards = -(-m["count"] // m["shard_size"])
    for sh in range(n_shards):
        name = f"shard-{sh:06d}"
        mark = _marker(out, sh)
        if mark is None:
            problems.append(f"shards/{name}.done.json: missing or not valid JSON")
            continue
        for rel, want in sorted(mark.get("sha256", {}).items()):
            try:
                data = (out / rel).read_bytes()
            except OSError as e:
                problems.append(f"{rel}: {e.strerror or 'cannot be read'}")
                continue
            if hashlib.sha256(data).hexdigest() != want:
                problems.append(f"{rel}: changed ({len(data)} bytes; its hash is not the one {name} recorded)")
    return problems


_MANIFEST_FIELDS = {"domain": str, "count": int, "base_seed": int, "shard_size": int, "rule_set_digest": str,
                    "image_size": int}
_MANIFEST_OPTIONAL = {"mix": (dict, type(None)), "rule_paths": list, "include_shipped_rules": bool,
                      "templates": (str, type(None)), "rasterizer": str, "svg": bool,
                      "templates_digest": (str, dict, type(None))}


def _check_manifest(m, path: Path) -> None:
    """A manifest's fields have the types the engine wrote (a hand-edited one is named, not a
    traceback)."""
    def bad(msg: str):
        raise UserError(f"{path}: {msg}; the file was edited or damaged (regenerate needs it as generate wrote it)")
    if not isinstance(m, dict):
        bad("not a JSON object")
    for k, t in _MANIFEST_FIELDS.items():
        if k not in m:
            bad(f"missing '{k}'")
        if not isinstance(m[k], t) or isinstance(m[k], bool) and t is int:
            bad(f"'{k}' is {m[k]!r}, not a {t.__name__}")
    for k, t in _MANIFEST_OPTIONAL.items():
        if k in m and not isinstance(m[k], t):
            bad(f"'{k}' is {m[k]!r}")
    if m["shard_size"] < 1 or m["count"] < 0:
        bad("'shard_size' must be positive and 'count' not negative")
    mix = m.get("mix")
    if isinstance(mix, dict) and not all(isinstance(k, str) and isinstance(v, (int, float)) for k, v in mix.items()):
        bad("'mix' maps domains to shares")


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
    _check_manifest(m, mpath)
    domain, index = parse_id(sid)
    mix = m.get("mix") or {m["domain"]: 1.0}
    if domain not in mix:
        raise UserError(f"sample {sid} is not from domain {m['domain']}")
    if not 0 <= index < m["count"]:
        raise UserError(f"sample {sid} is outside the dataset (count {m['count']})")
    rs = load_ruleset(mix, m.get("rule_paths", []), m.get("include_shipped_rules", True))
    if rs.digest != m["rule_set_digest"]:
        raise UserError("the rule files changed since the dataset was made (rule set digest "
                        f"{rs.digest} != {m['rule_set_digest']}); the sample cannot be rebuilt")
    opts = Options(size=m["image_size"], rasterizer=m.get("rasterizer", "cairo"), templates=m.get("templates"),
                   svg=m.get("svg", True))
    opts.check()
    want = m.get("templates_digest")
    have = opts.templates_digest(domain)
    if isinstance(want, dict):
        want = want.get(domain)
    if want is not None and have != want:
        raise UserError("the template files changed since the dataset was made (templates digest "
                        f"{have} != {want}); the sample's wording cannot be rebuilt")
    rule = rs.pick(m["base_seed"], index)
    if rule.domain != domain:
        raise UserError(f"sample {index} of this dataset is from {rule.domain}, not {sid}")
    s = _build(rule, m["base_seed"], index, opts)
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
