"""Whole-process throughput of ``diagram-engine generate``, and where the time goes per sample.

Runs the real command (``python -m diagram_engine.cli generate ...``) in fresh processes,
each into its own temporary folder, so every figure includes interpreter start-up, imports,
rule and template loading, the worker pool and writing every file. Configurations are run
round-robin (1 worker, 2 workers, 1 worker with cairosvg, then again) so that noise on a
shared machine spreads over all of them rather than landing on one. Reported: the median
wall time and the median samples/s of each configuration, the 2-worker/1-worker speed-up,
and a projection for 100,000 samples at the 2-worker rate.

Then, in this process, one ``diagram_engine.generate(..., workers=1)`` per rasterizer
gives the time per sample of each stage (the engine's ``Sample.timings``, summed in
``Summary.stages``). The stage times are those of each sample's kept attempt; the time of
rejected attempts, the rule pick and record assembly shows up as "other".

    python benchmarks/throughput.py                 # count 2000, 3 repetitions
    python benchmarks/throughput.py --quick         # count 300, 1 repetition (smoke run)
    python benchmarks/throughput.py --json bench.json --no-cairosvg
    python benchmarks/throughput.py --domain function --no-cairosvg
    python benchmarks/throughput.py --domain chart --no-cairosvg --no-svg --count 300
    python benchmarks/throughput.py --no-cairosvg --formats all --memory 20000

Every run also reports the peak resident memory of the main process and of its largest
worker (``ru_maxrss``); ``--formats`` adds a 2-worker run per export format, ``--memory N``
one long run whose peak memory can be set beside the short runs'.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if (ROOT / "diagram_engine").is_dir() and str(ROOT) not in sys.path:
    # benchmark the checkout this file belongs to, in this process and in the subprocesses
    sys.path.insert(0, str(ROOT))

DOMAIN = "plane-geometry"
STAGES = ("build", "check", "draw", "words", "svg", "rasterize", "write")   # the core's steps (core.contract)
PROJECT_TO = 100_000
_RATE = re.compile(r"wrote (\d+) samples to .* in ([0-9.]+) s")


def _env() -> dict:
    env = dict(os.environ)
    if (ROOT / "diagram_engine").is_dir():
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def _dataset_digest(out: Path) -> str:
    """One digest over the shards' .done.json files (which hold the sha256 of every file)."""
    h = hashlib.sha256()
    for p in sorted((out / "shards").glob("*.done.json")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _check_output(out: Path, count: int) -> None:
    lines = 0
    for p in sorted((out / "shards").glob("*.jsonl")):
        with open(p, "rb") as f:
            lines += sum(1 for _ in f)
    pngs = sum(1 for p in (out / "images").iterdir() if "__vd" not in p.name)
    if lines != count or pngs != count:
        raise SystemExit(f"benchmark run wrote {lines} records and {pngs} base images, expected {count}")


# runs the command line in this interpreter, then reports the peak resident set size of the
# process itself and of its largest child (a pool worker), in KiB (Linux ru_maxrss)
_WRAP = """
import json, resource, sys
from diagram_engine.cli import main
sys.argv = ["diagram-engine"] + sys.argv[1:]
try:
    main()
except SystemExit as e:
    code = e.code or 0
else:
    code = 0
self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("RSS " + json.dumps({"main_kib": self_kib, "worker_kib": child_kib}), file=sys.stderr)
sys.exit(code)
"""
_RSS = re.compile(r"^RSS (.*)$", re.M)


def run_cli(count: int, workers: int, rasterizer: str, seed: int, formats=(), extra=()) -> dict:
    """One whole ``generate`` process into a fresh temporary folder; returns its timings and
    peak memory."""
    with tempfile.TemporaryDirectory(prefix="de-bench-") as tmp:
        out = Path(tmp) / "out"
        cmd = [sys.executable, "-c", _WRAP, "generate", "--domain", DOMAIN,
               "--count", str(count), "--out", str(out), "--workers", str(workers),
               "--seed", str(seed), "--rasterizer", rasterizer]
        for f in formats:
            cmd += ["--format", f]
        cmd += list(extra)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=tmp, env=_env(), capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            raise SystemExit(f"command failed ({p.returncode}): {' '.join(cmd[3:])}\n{p.stderr}")
        _check_output(out, count)
        m = _RATE.search(p.stdout)
        engine_s = float(m.group(2)) if m else None
        rss = json.loads(_RSS.findall(p.stderr)[-1])
        return {"wall_s": wall, "samples_per_s": count / wall, "engine_s": engine_s,
                "digest": _dataset_digest(out), "main_rss_mib": rss["main_kib"] / 1024,
                "worker_rss_mib": rss["worker_kib"] / 1024 if workers > 1 else None}


def startup_seconds(repeat: int) -> float:
    """Median wall time of a whole process that generates a single sample."""
    return statistics.median(run_cli(1, 1, "cairo", 0)["wall_s"] for _ in range(max(repeat, 3)))


def stage_times(count: int, rasterizer: str, seed: int) -> dict:
    """Seconds per sample of each stage, in this process, one worker."""
    from diagram_engine import generate
    with tempfile.TemporaryDirectory(prefix="de-bench-stages-") as tmp:
        s = generate(DOMAIN, count, Path(tmp) / "out", seed=seed, workers=1, progress=False,
                     rasterizer=rasterizer)
    per = {k: s.stages.get(k, 0.0) / s.count for k in STAGES}
    per["total"] = s.seconds / s.count
    per["other"] = per["total"] - sum(per[k] for k in STAGES)
    return per


def _fmt_duration(sec: float) -> str:
    if sec < 120:
        return f"{sec:.0f} s"
    if sec < 7200:
        return f"{sec / 60:.1f} min"
    return f"{sec / 3600:.2f} h"


def main(argv=None) -> int:
    global DOMAIN
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=2000, help="samples per run (default 2000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per configuration (default 3)")
    ap.add_argument("--quick", action="store_true", help="smoke run: count 300, repeat 1")
    ap.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    ap.add_argument("--no-cairosvg", action="store_true",
                    help="skip the --rasterizer cairosvg comparison")
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    ap.add_argument("--domain", default=DOMAIN, help=f"the domain to generate (default {DOMAIN})")
    ap.add_argument("--formats", default="", metavar="F,F,...",
                    help="also run 2 workers with each of these --format values ('all' for every one)")
    ap.add_argument("--no-svg", action="store_true",
                    help="also run 1 and 2 workers with --no-svg (no SVG files)")
    ap.add_argument("--memory", type=int, default=0, metavar="N",
                    help="also run N samples with 2 workers, to compare peak memory with --count")
    a = ap.parse_args(argv)
    DOMAIN = a.domain
    if a.quick:
        a.count, a.repeat = 300, 1
    if a.count < 1 or a.repeat < 1:
        ap.error("--count and --repeat must be at least 1")

    configs = [("1 worker", 1, "cairo", ()), ("2 workers", 2, "cairo", ())]
    if not a.no_cairosvg:
        configs.append(("1 worker, cairosvg", 1, "cairosvg", ()))
    if a.no_svg:
        configs += [("1 worker, --no-svg", 1, "cairo", ()), ("2 workers, --no-svg", 2, "cairo", ())]
    fmts = ["llava", "sharegpt", "imagefolder", "parquet", "webdataset"] if a.formats == "all" else \
        [f for f in a.formats.split(",") if f]
    for f in fmts:
        configs.append((f"2 workers, {f}", 2, "cairo", (f,)))

    import diagram_engine
    load0 = os.getloadavg()
    print(f"diagram-engine {diagram_engine.__version__} throughput: {DOMAIN}, --count {a.count}, "
          f"{a.repeat} run(s) per configuration, median reported")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}, "
          f"load average {load0[0]:.2f} at start")
    print()

    runs: dict[str, list[dict]] = {name: [] for name, _, _, _ in configs}
    for rep in range(a.repeat):
        for name, w, r, f in configs:
            res = run_cli(a.count, w, r, a.seed, f, ("--no-svg",) if name.endswith("--no-svg") else ())
            runs[name].append(res)
            print(f"  run {rep + 1}/{a.repeat}  {name:<24} {res['wall_s']:7.2f} s  "
                  f"{res['samples_per_s']:7.1f} samples/s", flush=True)
    startup = startup_seconds(a.repeat)
    print()

    summary = {}
    for name, w, r, f in configs:
        rs = runs[name]
        engine = [x["engine_s"] for x in rs if x["engine_s"] is not None]
        summary[name] = {
            "workers": w, "rasterizer": r, "formats": list(f),
            "peak_main_rss_mib": max(x["main_rss_mib"] for x in rs),
            "peak_worker_rss_mib": max((x["worker_rss_mib"] for x in rs if x["worker_rss_mib"]), default=None),
            "median_wall_s": statistics.median(x["wall_s"] for x in rs),
            "min_wall_s": min(x["wall_s"] for x in rs),
            "max_wall_s": max(x["wall_s"] for x in rs),
            "median_samples_per_s": statistics.median(x["samples_per_s"] for x in rs),
            "median_engine_s": statistics.median(engine) if engine else None,
        }
    print(f"Whole processes (python -m diagram_engine.cli generate, {a.count} samples, "
          f"including start-up and writing):")
    print(f"  {'configuration':<24} {'median wall':>11} {'min-max':>15} {'samples/s':>10} {'in-engine':>10}"
          f" {'peak RSS main/worker':>21}")
    for name in summary:
        s = summary[name]
        spread = f"{s['min_wall_s']:.2f}-{s['max_wall_s']:.2f} s"
        eng = f"{s['median_engine_s']:.1f} s" if s["median_engine_s"] is not None else "-"
        wrk = f"{s['peak_worker_rss_mib']:.0f}" if s["peak_worker_rss_mib"] else "-"
        print(f"  {name:<24} {s['median_wall_s']:9.2f} s {spread:>15} {s['median_samples_per_s']:10.1f} {eng:>10}"
              f" {s['peak_main_rss_mib']:>10.0f} / {wrk:>4} MiB")
    print("  (in-engine: the time the command itself reports, without start-up; peak RSS of the main")
    print("   process and of the largest worker process)")
    one, two = summary["1 worker"], summary["2 workers"]
    speedup = two["median_samples_per_s"] / one["median_samples_per_s"]
    print(f"  speed-up 2 workers / 1 worker: {speedup:.2f}x")
    if "2 workers, --no-svg" in summary:
        n1, n2 = summary["1 worker, --no-svg"], summary["2 workers, --no-svg"]
        print(f"  with --no-svg: speed-up {n2['median_samples_per_s'] / n1['median_samples_per_s']:.2f}x; "
              f"--no-svg / with SVG at 2 workers: {n2['median_samples_per_s'] / two['median_samples_per_s']:.2f}x")
    if "1 worker, cairosvg" in summary:
        c = summary["1 worker, cairosvg"]
        print(f"  cairo / cairosvg at 1 worker: {one['median_samples_per_s'] / c['median_samples_per_s']:.2f}x")
    print(f"  process start-up (generate --count 1): {startup:.2f} s")
    memory = None
    if a.memory:
        res = run_cli(a.memory, 2, "cairo", a.seed)
        base = summary["2 workers"]
        memory = {"count": a.memory, "wall_s": res["wall_s"], "samples_per_s": res["samples_per_s"],
                  "main_rss_mib": res["main_rss_mib"], "worker_rss_mib": res["worker_rss_mib"]}
        print(f"  memory at {a.memory} samples (2 workers): main {res['main_rss_mib']:.0f} MiB, worker "
              f"{res['worker_rss_mib']:.0f} MiB (at {a.count}: {base['peak_main_rss_mib']:.0f} / "
              f"{base['peak_worker_rss_mib']:.0f} MiB), {res['samples_per_s']:.1f} samples/s")
    digests = {name: {x["digest"] for x in runs[name]} for name in runs}
    same = len(digests["1 worker"] | digests["2 workers"]) == 1
    if "2 workers, --no-svg" in digests:
        same = same and len(digests["1 worker, --no-svg"] | digests["2 workers, --no-svg"]) == 1
    print(f"  1-worker and 2-worker outputs byte-identical: {'yes' if same else 'NO'}")
    projected = PROJECT_TO / two["median_samples_per_s"]
    print(f"  projected for {PROJECT_TO:,} samples at the 2-worker rate: {_fmt_duration(projected)}")
    print()

    rasterizers = ["cairo"] + ([] if a.no_cairosvg else ["cairosvg"])
    stages = {r: stage_times(a.count, r, a.seed) for r in rasterizers}
    print(f"Time per sample by stage (in-process, 1 worker, {a.count} samples), ms:")
    print(f"  {'stage':<10}" + "".join(f"{r:>10}" for r in rasterizers) + f"{'share':>8}")
    for k in STAGES + ("other", "total"):
        share = stages["cairo"][k] / stages["cairo"]["total"] * 100
        print(f"  {k:<10}" + "".join(f"{stages[r][k] * 1e3:10.2f}" for r in rasterizers)
              + ("" if k == "total" else f"{share:7.1f}%"))
    print("  (share: of the cairo total; other: rejected attempts, rule pick, record assembly)")
    load1 = os.getloadavg()
    print(f"load average {load1[0]:.2f} at end")

    if a.json:
        doc = {
            "engine_version": diagram_engine.__version__, "domain": DOMAIN, "count": a.count,
            "repeat": a.repeat, "seed": a.seed, "python": platform.python_version(),
            "cpus": os.cpu_count(), "machine": platform.machine(),
            "load_average": {"start": load0[0], "end": load1[0]},
            "runs": runs, "summary": summary, "speedup_2_over_1": speedup,
            "startup_s": startup, "outputs_identical_1_vs_2_workers": same,
            "projected_s": {str(PROJECT_TO): projected}, "memory": memory,
            "stages_ms_per_sample": {r: {k: v * 1e3 for k, v in st.items()} for r, st in stages.items()},
        }
        Path(a.json).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
