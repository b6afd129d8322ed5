"""The ``diagram-engine`` command line, run for real in a subprocess.

Bad options must be refused with click's usage block (or one line on stderr), a non-zero exit
code, no traceback, a message naming the option, and nothing written: the --out folder is
not created, and an existing one is left as it was. Broken rule files and templates have
their own table in test_bad_inputs.py.
"""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "bad_inputs"
SHIPPED = REPO / "rules" / "plane-geometry"
CLI = [sys.executable, "-m", "diagram_engine.cli"]


def run(*args, cwd=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=120,
                          cwd=cwd, **kw)


def gen(out, *args) -> list:
    """A generate command line that would succeed but for ``args``."""
    return ["generate", "--domain", "plane-geometry", "--count", "2", "--size", "64", "--workers", "1",
            "--out", out, *args]


# --- the table of bad inputs ----------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    args: tuple            # "{out}" is replaced by the case's --out folder
    expect: str            # fragment the message must contain; "{bad}" is tests/bad_inputs
    usage: bool = False    # click's usage block rather than the engine's single line


CASES = [
    Case("count-zero", ("generate", "--domain", "plane-geometry", "--count", "0", "--out", "{out}"),
         "'--count'", usage=True),
    Case("count-negative", ("generate", "--domain", "plane-geometry", "--count", "-3", "--out", "{out}"),
         "'--count'", usage=True),
    Case("count-not-a-number", ("generate", "--domain", "plane-geometry", "--count", "abc", "--out", "{out}"),
         "'--count'", usage=True),
    Case("size-too-small", tuple(gen("{out}", "--size", "10")), "'--size'", usage=True),
    Case("workers-zero", tuple(gen("{out}", "--workers", "0")), "'--workers'", usage=True),
    Case("unknown-domain-option", ("generate", "--domain", "solid-geometry", "--count", "2", "--out", "{out}"),
         "'--domain'", usage=True),
    Case("missing-out", ("generate", "--domain", "plane-geometry", "--count", "2"), "'--out'", usage=True),
    Case("missing-rules-path", tuple(gen("{out}", "--rules", "{bad}/no-such-file.yaml")), "'--rules'",
         usage=True),
    Case("only-rules-without-rules", tuple(gen("{out}", "--only-rules")), "--only-rules", usage=True),
    Case("missing-templates-path", tuple(gen("{out}", "--templates", "{bad}/no-such-folder")), "'--templates'",
         usage=True),
    Case("shard-size-zero", tuple(gen("{out}", "--shard-size", "0")), "'--shard-size'", usage=True),
    Case("seed-negative", tuple(gen("{out}", "--seed", "-1")), "'--seed'", usage=True),
    Case("count-too-large", ("generate", "--domain", "plane-geometry", "--count", "1000000000", "--out", "{out}"),
         "'--count'", usage=True),
    Case("unknown-rasterizer", tuple(gen("{out}", "--rasterizer", "skia")), "'--rasterizer'", usage=True),
    Case("templates-folder-without-the-domain", tuple(gen("{out}", "--templates", "{bad}")),
         "no template files in"),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    """Runs every case once, a few at a time (two tests look at each result).

    Each case runs in its own empty folder; its --out is a subfolder that must not appear.
    """
    # folders made here, not in the threads: pytest's temporary-folder factory is not thread-safe
    roots = {case.id: tmp_path_factory.mktemp(case.id) for case in CASES}

    def one(case: Case):
        root = roots[case.id]
        out = root / "out"
        args = [a.replace("{out}", str(out)).replace("{bad}", str(BAD)) for a in case.args]
        return case.id, (run(*args, cwd=root), out, root)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(pool.map(one, CASES))


@pytest.fixture()
def result(results):
    return lambda case: results[case.id]


def _is_one_error_line(stderr: str) -> bool:
    lines = stderr.rstrip("\n").split("\n")
    return len(lines) == 1 and lines[0].startswith("Error: ")


def _is_usage_block(stderr: str) -> bool:
    lines = stderr.rstrip("\n").split("\n")
    return (len(lines) == 4 and lines[0].startswith("Usage: diagram-engine generate")
            and lines[1].startswith("Try 'diagram-engine generate --help'") and lines[2] == ""
            and lines[3].startswith("Error: "))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_cleanly(case, result):
    r, out, root = result(case)
    assert r.returncode not in (0, None), r.stdout
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    if case.usage:
        assert _is_usage_block(r.stderr), r.stderr
    else:
        assert _is_one_error_line(r.stderr), r.stderr
        assert r.returncode == 2
    assert r.stdout == ""
    assert not out.exists(), "the --out folder was created"
    assert sorted(p.name for p in root.iterdir()) == [], "something was written next to --out"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_message_names_the_place(case, result):
    r, _, _ = result(case)
    expect = case.expect.replace("{bad}", str(BAD))
    assert expect in r.stderr


# --- rules validate --------------------------------------------------------------------------------

def test_rules_validate_finds_a_duplicate_id():
    r = run("rules", "validate", BAD / "duplicate-id.yaml")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "duplicate rule id 'chain-area'" in r.stderr


@pytest.mark.slow
def test_rules_validate_shipped_rules_pass():
    r = run("rules", "validate", SHIPPED)
    assert r.returncode == 0, r.stderr
    n = len(list(SHIPPED.glob("*.yaml")))
    assert f"{n} rule file(s) valid" in r.stdout
    assert r.stderr == ""


def test_rules_validate_missing_path_is_a_usage_error(tmp_path):
    r = run("rules", "validate", tmp_path / "nope.yaml")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert "does not exist" in r.stderr


# --- --out handling ---------------------------------------------------------------------------------

def _snapshot(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*"))}


def test_non_empty_out_is_refused_without_overwrite(tmp_path):
    out = tmp_path / "out"
    (out / "images").mkdir(parents=True)
    (out / "notes.txt").write_text("mine\n")
    (out / "images" / "keep.png").write_bytes(b"not really a png")
    before = _snapshot(out)
    r = run(*gen(out))
    assert r.returncode == 2
    assert _is_one_error_line(r.stderr), r.stderr
    assert "'--out'" in r.stderr and "--overwrite" in r.stderr
    assert "Traceback" not in r.stderr
    assert _snapshot(out) == before


def test_out_that_is_a_file_is_refused(tmp_path):
    out = tmp_path / "out"
    out.write_text("a file\n")
    r = run(*gen(out))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert "--out" in r.stderr
    assert out.read_text() == "a file\n"


@pytest.mark.slow
def test_overwrite_with_a_bad_rule_leaves_the_dataset_alone(tmp_path):
    """Errors surface before --overwrite deletes anything."""
    out = tmp_path / "out"
    r = run(*gen(out))
    assert r.returncode == 0, r.stderr
    before = _snapshot(out)
    assert any(k.startswith("images/") for k in before)
    r = run(*gen(out, "--overwrite", "--rules", BAD / "empty-range.yaml"))
    assert r.returncode == 2
    assert _is_one_error_line(r.stderr), r.stderr
    assert _snapshot(out) == before


# --- a good run ---------------------------------------------------------------------------------------

def test_small_run_prints_a_summary_and_no_progress_bar(tmp_path):
    out = tmp_path / "out"
    r = run("generate", "--domain", "plane-geometry", "--count", "12", "--size", "64", "--workers", "1",
            "--seed", "5", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "samples/s" in r.stdout
    assert "rejections" in r.stdout
    assert "wrote 12 samples" in r.stdout
    assert r.stderr == "", "stderr is not a TTY: no progress bar, nothing else"
    assert len(list((out / "images").glob("*.png"))) >= 12


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_shows_on_a_tty(tmp_path):
    """The negative check above means something: on a terminal the bar is drawn."""
    import fcntl
    import struct
    import termios
    master, slave = os.openpty()
    # a real terminal size: tqdm draws nothing on a 0-column terminal
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        p = subprocess.run([*CLI, *gen(str(tmp_path / "out"))], stdout=subprocess.PIPE, stderr=slave,
                           stdin=subprocess.DEVNULL, timeout=120)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:
            break
        if not b:
            break
        chunks.append(b)
    os.close(master)
    tty = b"".join(chunks).decode(errors="replace")
    assert p.returncode == 0
    assert "2/2" in tty and "sample/s" in tty and "100%" in tty
