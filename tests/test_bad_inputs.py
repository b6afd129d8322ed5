"""A corpus of broken inputs, one mistake each: every one must be found and named.

Each ``tests/bad_inputs/<case>.yaml`` is a rule file with exactly one mistake (in the file
itself or in the template file it lists, ``tests/bad_inputs/templates/<case>.yaml``). Its
header pairs it with the error it must produce::

    # What is wrong, in one line.
    # expect-file: templates/<case>.yaml     (optional: the error is in that file)
    # expect-line: 5                         (optional: omitted when the error has no line)
    # expect-field: attach.shapes[0]         (exact; empty when the error has no field)
    # expect-message: unknown shape kind     (a fragment of the message)

For every case:

* ``validate_paths([file])`` reports exactly one error, with that file, line, field and
  message (what ``rules validate`` prints as ``FILE:LINE: field: message``);
* ``generate --rules file`` exits with code 2, prints one line ``Error: FILE:LINE: ...``
  naming that file and line, raises no exception and creates no output folder.

A few cases also run for real in a subprocess, and the cases that smuggle code into a rule
file (a python YAML tag, ``__import__`` in a formula) are checked not to have run it.

Where the engine is wrong today the expectation stays as a user needs it and the case is
marked in ``XFAIL_VALIDATE`` / ``XFAIL_GENERATE`` (strict: a fix makes the mark fail, so it
is removed with the fix).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagram_engine.cli import cli
from diagram_engine.core.registry import DOMAINS
from diagram_engine.validate import validate_paths

BAD = Path(__file__).resolve().parent / "bad_inputs"
MIN_CASES = 55
HEADER_KEYS = ("expect-file", "expect-line", "expect-field", "expect-message")


@dataclass(frozen=True)
class Case:
    name: str
    path: Path           # the rule file
    description: str
    file: Path           # where the error is (resolved)
    line: int | None
    field: str
    message: str


def read_header(path: Path) -> tuple[list[str], dict[str, str]]:
    """(comment lines at the top, {expect-key: value}); the header is ASCII even where the
    rest of the file is not UTF-8."""
    comments = []
    for ln in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        if not ln.startswith("#"):
            break
        comments.append(ln)
    keys: dict[str, str] = {}
    for ln in comments[1:]:
        m = re.match(r"# (expect-[a-z]+):(.*)$", ln)
        if m:
            keys.setdefault(m.group(1), m.group(2).strip())
    return comments, keys


def load_case(path: Path) -> Case:
    comments, h = read_header(path)
    desc = comments[0][1:].strip() if comments else ""
    file = (BAD / h["expect-file"]) if h.get("expect-file") else path
    line = int(h["expect-line"]) if h.get("expect-line") else None
    return Case(path.stem, path, desc, file.resolve(), line, h.get("expect-field", ""), h.get("expect-message", ""))


FILES = sorted(BAD.glob("*.yaml"))
CASES = [load_case(p) for p in FILES]
IDS = [c.name for c in CASES]
BY_NAME = {c.name: c for c in CASES}

# --- what the engine gets wrong today (actual output in the reason) ------------------------------------

# Cases whose message the engine gets wrong (each with what it prints instead). Strict: a
# fix makes the mark fail, so the entry must then be removed.
XFAIL_VALIDATE: dict[str, str] = {}
XFAIL_GENERATE: dict[str, str] = {}


def _params(xfails: dict[str, str]):
    return [pytest.param(c, id=c.name, marks=pytest.mark.xfail(strict=True, reason=xfails[c.name]))
            if c.name in xfails else pytest.param(c, id=c.name) for c in CASES]


def _same_file(a, b) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _domain(rule: Path) -> str:
    m = re.search(r"^domain: *([a-z-]+) *$", rule.read_text(encoding="utf-8", errors="replace"), re.M)
    return m.group(1) if m and m.group(1) in DOMAINS else "plane-geometry"


def _gen_args(out: Path, rule: Path) -> list[str]:
    return ["generate", "--domain", _domain(rule), "--count", "2", "--out", str(out),
            "--rules", str(rule), "--workers", "1", "--size", "64"]


# --- the corpus itself ---------------------------------------------------------------------------------

def test_corpus_is_large_enough():
    assert len(CASES) >= MIN_CASES, f"{len(CASES)} cases in {BAD}"


def test_xfail_marks_name_existing_cases():
    assert set(XFAIL_VALIDATE) | set(XFAIL_GENERATE) <= set(BY_NAME)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_header_is_complete(path):
    comments, h = read_header(path)
    assert comments and not comments[0].startswith("# expect-"), "the first line describes the mistake"
    assert len(comments[0]) > len("# ") + 10, "the description is a sentence"
    tags = [re.match(r"# (expect-[a-z]+):", ln) for ln in comments[1:]]
    tags = [m.group(1) for m in tags if m]
    assert len(tags) == len(set(tags)), f"a header key is repeated: {tags}"
    assert set(tags) <= set(HEADER_KEYS), f"unknown header keys: {set(tags) - set(HEADER_KEYS)}"
    assert "expect-field" in h, "expect-field is required (empty when the error has no field)"
    assert h.get("expect-message"), "expect-message is required"
    case = load_case(path)
    assert case.file.is_file(), f"expect-file {case.file} does not exist"
    if "expect-line" in h:
        assert re.fullmatch(r"[1-9][0-9]*", h["expect-line"]), h["expect-line"]
        n_lines = len(case.file.read_bytes().splitlines())
        assert case.line <= n_lines, f"line {case.line} is past the end of {case.file} ({n_lines} lines)"
    if case.file != path.resolve():
        assert case.file.parent == (BAD / "templates").resolve()


def test_every_template_file_belongs_to_a_case():
    shared = {"right-kite.yaml"}        # the valid right-kite wording the shape cases share
    for t in sorted((BAD / "templates").glob("*.yaml")):
        assert t.name in shared or t.stem in BY_NAME, f"{t} is used by no case"
        assert t.name in shared or f"templates/{t.name}" in BY_NAME[t.stem].path.read_text(), \
            f"{t.stem}.yaml does not list {t}"


# --- rules validate ------------------------------------------------------------------------------------

def _show(errors) -> str:
    return "\n".join(f"  {e.path}:{e.line}: {e.field}: {e.message}" for e in errors) or "  (no error)"


@pytest.mark.parametrize("case", _params(XFAIL_VALIDATE))
def test_validate_names_file_line_field_message(case):
    errors, n = validate_paths([case.path])
    assert n == 1
    want = f"{case.file}:{case.line}: {case.field}: ...{case.message}..."
    matching = [e for e in errors if _same_file(e.path, case.file) and e.line == case.line
                and e.field == case.field and case.message in e.message]
    assert matching, f"expected {want}\ngot:\n{_show(errors)}"
    assert len(errors) == 1, f"one mistake, one error; got:\n{_show(errors)}"


# --- generate (in process) -----------------------------------------------------------------------------

_ERROR_LINE = re.compile(r"Error: (?P<file>.+?\.ya?ml)(?::(?P<line>\d+))?: ")


@pytest.mark.parametrize("case", _params(XFAIL_GENERATE))
def test_generate_refuses_with_one_line(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)        # anything a case managed to run or write would land here
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, _gen_args(out, case.path), catch_exceptions=False)
    assert r.exit_code == 2, f"exit {r.exit_code}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    m = _ERROR_LINE.match(lines[0])
    assert m, f"no FILE:LINE in {lines[0]!r}"
    assert _same_file(m.group("file"), case.file), lines[0]
    assert (int(m.group("line")) if m.group("line") else None) == case.line, lines[0]
    assert r.stdout == ""
    assert not out.exists(), "the --out folder was created"
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "something was written"


# --- code smuggled into a rule file is never run ----------------------------------------------------------

PAYLOAD = "echo hacked > HACKED"      # run anywhere, it would leave ./HACKED in the working folder
CODE_CASES = {"python-tag": "!!python/object/apply:os.system", "expr-import": "__import__('os').system"}


def _payload_control(case: Case, cwd: Path) -> None:
    """Runs the case's payload the unsafe way (yaml.unsafe_load; eval) in ``cwd``, to show that
    the checks below would see it had the engine run it."""
    if case.name == "python-tag":
        code = "import sys, yaml; yaml.unsafe_load(open(sys.argv[1], encoding='utf-8'))"
    else:
        code = ("import sys, yaml; d = yaml.safe_load(open(sys.argv[1], encoding='utf-8'));"
                "eval(d['shapes']['right-kite']['formulas'][1]['expr'])")
    subprocess.run([sys.executable, "-c", code, str(case.path)], cwd=cwd, check=True,
                   capture_output=True, timeout=60)


@pytest.mark.parametrize("name", sorted(CODE_CASES))
def test_code_in_a_rule_file_is_not_run(name, tmp_path, monkeypatch, capfd):
    case = BY_NAME[name]
    text = case.path.read_text(encoding="utf-8")
    assert CODE_CASES[name] in text and PAYLOAD in text
    control = tmp_path / "control"
    control.mkdir()
    _payload_control(case, control)
    assert (control / "HACKED").read_text().strip() == "hacked", "the control did not run the payload"

    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    errors, _ = validate_paths([case.path])
    assert any(_same_file(e.path, case.path) and e.line == case.line for e in errors), _show(errors)
    r = CliRunner().invoke(cli, _gen_args(work / "out", case.path), catch_exceptions=False)
    assert r.exit_code == 2, r.stderr
    captured = capfd.readouterr()      # what a shell command would have printed on the real fds
    assert sorted(p.name for p in work.iterdir()) == [], "the payload ran (or something was written)"
    assert "hacked" not in captured.out + captured.err + r.stdout
    for folder in (BAD, BAD.parent, BAD.parent.parent):
        assert not (folder / "HACKED").exists()


# --- a few cases for real, in a subprocess -----------------------------------------------------------------

REAL = ["python-tag", "expr-import", "not-utf8", "yaml-alias", "formula-disagrees", "template-syntax-error"]
REAL_VALIDATE = ["python-tag", "expr-import", "template-mro"]


@pytest.fixture(scope="module")
def real_runs(tmp_path_factory) -> dict:
    """Each command runs once in its own empty working folder, a few at a time."""
    jobs = [("generate", n) for n in REAL] + [("validate", n) for n in REAL_VALIDATE]
    roots = {job: tmp_path_factory.mktemp(f"{job[0]}-{job[1]}") for job in jobs}

    def run(job):
        kind, name = job
        root, path = roots[job], BY_NAME[name].path
        args = _gen_args(root / "out", path) if kind == "generate" else ["rules", "validate", str(path)]
        p = subprocess.run([sys.executable, "-m", "diagram_engine.cli", *args], cwd=root,
                           capture_output=True, text=True, timeout=120)
        return job, (p, root)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(pool.map(run, jobs))


@pytest.mark.parametrize("job", [("generate", n) for n in REAL] + [("validate", n) for n in REAL_VALIDATE],
                         ids=[f"generate-{n}" for n in REAL] + [f"validate-{n}" for n in REAL_VALIDATE])
def test_real_run_refuses_cleanly(job, real_runs):
    p, root = real_runs[job]
    case = BY_NAME[job[1]]
    assert p.returncode == 2, f"exit {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}"
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout, p.stderr
    assert "hacked" not in p.stdout
    assert sorted(x.name for x in root.iterdir()) == [], "something was written (or the payload ran)"
    lines = p.stderr.splitlines()
    if job[0] == "generate":
        assert p.stdout == ""
        assert len(lines) == 1 and lines[0].startswith("Error: "), p.stderr
        m = _ERROR_LINE.match(lines[0])
        assert m and _same_file(m.group("file"), case.file), lines[0]
    else:
        assert lines and lines[-1].startswith("1 error(s)"), p.stderr
        assert any(_same_file(ln.split(":", 1)[0], case.file) for ln in lines[:-1]), p.stderr


def test_validating_the_whole_folder_reports_every_case():
    """One run over the folder: each case's expected error is among the errors, at its place."""
    errors, n = validate_paths([BAD])
    assert n == len(CASES)
    got = {(str(Path(e.path).resolve()), e.line, e.field) for e in errors}
    for c in CASES:
        assert (str(c.file.resolve()), c.line, c.field) in got, c.name
