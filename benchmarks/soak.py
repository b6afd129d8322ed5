"""Soak test: many samples per domain over many seeds, looking for what breaks at scale.

Builds every sample exactly as ``generate`` does (``pipeline.build_sample``: build, check,
draw, word, rasterize; nothing is written to disk) on a pool of worker processes, and
reports per domain:

* engine errors: attempts that failed their verification or raised an unexpected
  exception (a run survives them by building the sample from its next attempt; each one is
  a bug to fix), grouped by the first words of their message;
* fatal failures: samples that no attempt could build (a rule that gives nothing, a step
  over its time limit), by exception type;
* rejections by reason (what the attempts were refused for, and how many attempts a sample
  takes on average);
* repeats: base images (PNG bytes) seen before, and repeated (image, question) pairs;
* the slowest samples, with the command that rebuilds each.

    python benchmarks/soak.py                                  # 2,000 per domain, seeds 0-4
    python benchmarks/soak.py --domain function --count 20000 --seeds 60602,7,8
    python benchmarks/soak.py --count 100000 --start 0 --stop 50000 --json part1.json   # a slice
    python benchmarks/soak.py --join part1.json part2.json      # join the slices' reports

``--count N`` samples per domain are spread over the seeds (N / len(seeds) each, indices
``0 .. N/len(seeds) - 1``); ``--start``/``--stop`` take a slice of that index range so a long
soak can run in parts, and ``--join`` adds the parts' JSON reports up (the repeat counts of
a joined report are over the whole: each part keeps its image digests). Not part of CI.
Exit status 1 when any engine error or fatal failure was seen.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if (ROOT / "diagram_engine").is_dir() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from diagram_engine.core.registry import DOMAINS  # noqa: E402
from diagram_engine.pipeline import Options, RuleSet, build_sample  # noqa: E402

CHUNK = 25
SLOWEST = 10
_W: dict = {}


def _init(domain: str) -> None:
    _W["rs"] = RuleSet.load(domain)
    _W["opts"] = Options(svg=False)


def _reason(message: str) -> str:
    """A failure's group: its message without numbers and quoted values."""
    m = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    m = re.sub(r"-?\d+(\.\d+)?", "N", m)
    return m[:140]


def _run(span: tuple[int, int, int]) -> list[dict]:
    seed, a, b = span
    rs, opts = _W["rs"], _W["opts"]
    out = []
    for i in range(a, b):
        rule = rs.pick(seed, i)
        t0 = time.perf_counter()
        row = {"seed": seed, "index": i, "rule": rule.id}
        try:
            s = build_sample(rule, seed, i, opts)
        except Exception as e:          # a sample no attempt could build: reported, the soak goes on
            row.update(fatal=type(e).__name__, message=str(e)[:400], seconds=time.perf_counter() - t0)
            out.append(row)
            continue
        row["seconds"] = time.perf_counter() - t0
        row["attempts"] = s.record["seed"]["attempt"] + 1
        row["rejections"] = s.rejections
        row["errors"] = [{"error": e["error"], "message": e["message"][:400], "attempt": e["attempt"],
                          "where": e["where"][-1:]} for e in s.errors]
        row["image"] = hashlib.sha256(s.png).hexdigest()[:20]
        # (image, question) per problem variant, each with the image the variant shows
        row["questions"] = [hashlib.sha256(s.files[v["image"]] + v["question"].encode()).hexdigest()[:20]
                            for p in s.record["problems"] for v in p["variants"].values()]
        out.append(row)
    return out


def soak(domain: str, seeds: list[int], per_seed: int, start: int, stop: int, workers: int) -> dict:
    spans = [(seed, a, min(stop, a + CHUNK)) for seed in seeds for a in range(start, stop, CHUNK)]
    t0 = time.perf_counter()
    rows: list[dict] = []
    with mp.get_context().Pool(workers, _init, (domain,)) as pool:
        done = 0
        last = t0
        for part in pool.imap(_run, spans):
            rows.extend(part)
            done += len(part)
            if time.perf_counter() - last > 30:
                last = time.perf_counter()
                print(f"  {domain}: {done} of {len(seeds) * (stop - start)} samples "
                      f"({done / (last - t0):.1f}/s)", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    return _report(domain, seeds, per_seed, start, stop, rows, seconds)


def _report(domain, seeds, per_seed, start, stop, rows, seconds) -> dict:
    errors: dict[str, dict] = {}
    fatal: dict[str, dict] = {}
    rejections: dict[str, int] = {}
    attempts = 0
    for r in rows:
        if "fatal" in r:
            g = fatal.setdefault(f"{r['fatal']}: {_reason(r['message'])}", {"count": 0, "first": None})
            g["count"] += 1
            g["first"] = g["first"] or {k: r[k] for k in ("seed", "index", "rule", "message")}
            continue
        attempts += r["attempts"]
        for k, v in r["rejections"].items():
            rejections[k] = rejections.get(k, 0) + v
        for e in r["errors"]:
            g = errors.setdefault(f"{e['error']}: {_reason(e['message'])}", {"count": 0, "first": None})
            g["count"] += 1
            g["first"] = g["first"] or {"seed": r["seed"], "index": r["index"], "rule": r["rule"],
                                        "attempt": e["attempt"], "message": e["message"], "where": e["where"]}
    slow = sorted((r for r in rows if "seconds" in r), key=lambda r: -r["seconds"])[:SLOWEST]
    return {"domain": domain, "seeds": seeds, "per_seed": per_seed, "start": start, "stop": stop,
            "samples": len(rows), "seconds": seconds,
            "built": sum(1 for r in rows if "fatal" not in r), "attempts": attempts,
            "engine_errors": errors, "fatal": fatal, "rejections": dict(sorted(rejections.items())),
            "images": [r["image"] for r in rows if "image" in r],
            "pairs": [q for r in rows if "image" in r for q in r["questions"]],
            "slowest": [{"id": f"{domain}-{r['index']:09d}", "seed": r["seed"], "rule": r["rule"],
                         "seconds": round(r["seconds"], 3)} for r in slow]}


def _join(reports: list[dict]) -> dict:
    out = dict(reports[0])
    for k in ("samples", "seconds", "built", "attempts"):
        out[k] = sum(r[k] for r in reports)
    out["start"], out["stop"] = min(r["start"] for r in reports), max(r["stop"] for r in reports)
    for k in ("engine_errors", "fatal"):
        agg: dict[str, dict] = {}
        for r in reports:
            for g, v in r[k].items():
                a = agg.setdefault(g, {"count": 0, "first": v["first"]})
                a["count"] += v["count"]
        out[k] = agg
    rej: dict[str, int] = {}
    for r in reports:
        for g, v in r["rejections"].items():
            rej[g] = rej.get(g, 0) + v
    out["rejections"] = dict(sorted(rej.items()))
    out["images"] = [x for r in reports for x in r["images"]]
    out["pairs"] = [x for r in reports for x in r["pairs"]]
    out["slowest"] = sorted((s for r in reports for s in r["slowest"]), key=lambda s: -s["seconds"])[:SLOWEST]
    return out


def _print(rep: dict) -> None:
    n, built = rep["samples"], rep["built"]
    images = rep["images"]
    dup_images = len(images) - len(set(images))
    dup_pairs = len(rep["pairs"]) - len(set(rep["pairs"]))
    n_err = sum(g["count"] for g in rep["engine_errors"].values())
    n_fatal = sum(g["count"] for g in rep["fatal"].values())
    print(f"== {rep['domain']}: {n} samples (seeds {','.join(map(str, rep['seeds']))}, indices "
          f"{rep['start']}..{rep['stop'] - 1}), {rep['seconds']:.0f} s of wall time "
          f"({n / rep['seconds']:.1f} samples/s)")
    print(f"  engine errors (attempts that failed verification or raised): {n_err}")
    for g, v in sorted(rep["engine_errors"].items(), key=lambda kv: -kv[1]["count"]):
        f = v["first"]
        print(f"    {v['count']:6d}  {g}\n            first: seed {f['seed']} index {f['index']} rule {f['rule']} "
              f"attempt {f['attempt']} at {', '.join(f['where'])}")
    print(f"  fatal (no sample): {n_fatal}")
    for g, v in sorted(rep["fatal"].items(), key=lambda kv: -kv[1]["count"]):
        f = v["first"]
        print(f"    {v['count']:6d}  {g}\n            first: seed {f['seed']} index {f['index']} rule {f['rule']}")
    rej = rep["rejections"]
    total = sum(rej.values())
    print(f"  attempts per sample: {rep['attempts'] / max(built, 1):.2f}; rejections: {total}"
          + ("" if not rej else " (" + ", ".join(f"{k} {v}" for k, v in sorted(rej.items(), key=lambda kv: -kv[1]))
             + ")"))
    print(f"  repeated base images: {dup_images} of {len(images)} "
          f"({100 * (1 - dup_images / max(len(images), 1)):.3f} % distinct); repeated (image, question) pairs: "
          f"{dup_pairs}")
    print("  slowest samples:")
    for s in rep["slowest"]:
        print(f"    {s['seconds']:7.3f} s  {s['id']} seed {s['seed']} ({s['rule']})  rebuild: "
              f"python -c \"import diagram_engine as de; de.generate_one('{rep['domain']}', seed={s['seed']}, "
              f"index={int(s['id'].rsplit('-', 1)[1])})\"")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--domain", action="append", choices=sorted(DOMAINS),
                    help="a domain to soak (repeatable; default: every domain)")
    ap.add_argument("--count", type=int, default=2000, help="samples per domain, spread over the seeds")
    ap.add_argument("--seeds", default="0,1,2,3,4", help="comma-separated base seeds (default 0-4)")
    ap.add_argument("--start", type=int, default=0, help="first index of the slice (per seed)")
    ap.add_argument("--stop", type=int, default=None, help="end of the slice (per seed; default count/seeds)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", type=Path, help="also write the report(s) as JSON")
    ap.add_argument("--join", type=Path, nargs="+", help="join the JSON reports of slices and print them")
    a = ap.parse_args(argv)
    if a.join:
        loaded = [json.loads(p.read_text()) for p in a.join]
        by_dom: dict[str, list] = {}
        for rep in (x for part in loaded for x in (part if isinstance(part, list) else [part])):
            by_dom.setdefault(rep["domain"], []).append(rep)
        reports = [_join(v) for v in by_dom.values()]
    else:
        seeds = [int(x) for x in a.seeds.split(",") if x.strip()]
        per_seed = max(1, a.count // len(seeds))
        stop = per_seed if a.stop is None else min(a.stop, per_seed)
        reports = [soak(d, seeds, per_seed, a.start, stop, a.workers) for d in (a.domain or sorted(DOMAINS))]
        if a.json:
            a.json.write_text(json.dumps(reports))
    for rep in reports:
        _print(rep)
    bad = sum(sum(g["count"] for g in r["engine_errors"].values()) + sum(g["count"] for g in r["fatal"].values())
              for r in reports)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
