"""``rules validate`` checks the chart vocabulary too: the shipped one when no path is given,
every YAML file under a ``vocabulary/`` folder of a given folder, and a given file inside a
folder named ``vocabulary``. A broken vocabulary is reported like a broken rule: FILE:LINE:
field: message for every error, a count, exit code 2, no traceback."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from diagram_engine.cli import cli
from diagram_engine.domains.chart.vocabulary import check_vocabulary, default_path
from diagram_engine.rules import (
    collect_rule_files,
    collect_data_files,
    shipped_rules_dir,
)

SHIPPED_TEXT = default_path().read_text(encoding="utf-8")
SHIPPED_TOPICS = yaml.safe_load(SHIPPED_TEXT)["topics"]
CLI = [sys.executable, "-m", "diagram_engine.cli"]


def invoke(*args):
    return CliRunner().invoke(cli, ["rules", "validate", *map(str, args)], catch_exceptions=False)


def copy_vocabulary(root: Path, text: str = SHIPPED_TEXT, name: str = "topics.yaml") -> Path:
    """``root/chart/vocabulary/<name>`` holding ``text``: the shipped layout."""
    p = root / "chart" / "vocabulary" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


# --- editing one topic of the shipped text --------------------------------------------------------

def _topic_span(lines: list[str], i: int) -> tuple[int, int]:
    """[first, end) lines of topic ``i``, within the ``topics:`` block (other top-level keys
    may follow it)."""
    top = lines.index("topics:\n")
    end = next((n for n in range(top + 1, len(lines)) if re.match(r"[A-Za-z_]", lines[n])), len(lines))
    starts = [n for n in range(top, end) if lines[n].startswith("  - id: ")]
    assert len(starts) == len(SHIPPED_TOPICS), "the shipped topics are written '  - id: ...'"
    while lines[end - 1].strip() == "" or lines[end - 1].lstrip().startswith("#"):
        end -= 1
    return starts[i], (starts[i + 1] if i + 1 < len(starts) else end)


def set_key(text: str, i: int, key: str, value: str) -> tuple[str, int]:
    """``text`` with ``key: value`` in topic ``i`` (replacing the key and its block value, or
    added after the id); returns the new text and the 1-based line of the key."""
    lines = text.splitlines(keepends=True)
    a, b = _topic_span(lines, i)
    for n in range(a, b):
        m = re.match(rf"(  - |    ){re.escape(key)}:", lines[n])
        if m:
            end = n + 1
            while end < b and lines[end].startswith("      "):      # the key's block value
                end += 1
            lines[n:end] = [f"{m.group(1)}{key}: {value}\n"]
            return "".join(lines), n + 1
    lines.insert(a + 1, f"    {key}: {value}\n")
    return "".join(lines), a + 2


def first_topic(kind: str) -> int:
    return next(i for i, t in enumerate(SHIPPED_TOPICS) if t["categories"]["kind"] == kind)


def _flow(d: dict) -> str:
    return yaml.safe_dump(d, default_flow_style=True, sort_keys=False, width=10_000).strip()


def _unknown_key(text):
    return set_key(text, 1, "colour", "red") + ("topics[1].colour", "unknown key 'colour'")


def _empty_series_names(text):
    series = dict(SHIPPED_TOPICS[1]["series"], names=[])
    return set_key(text, 1, "series", _flow(series)) + ("topics[1].series.names", "at least 4")


def _empty_category_names(text):
    i = first_topic("names")
    cats = dict(SHIPPED_TOPICS[i]["categories"], names=[])
    cats.pop("count", None)
    return set_key(text, i, "categories", _flow(cats)) + (f"topics[{i}].categories.names",
                                                          "at least 8 names, got 0")


def _min_above_max(text):
    lo, hi = SHIPPED_TOPICS[0]["value_range"]
    return set_key(text, 0, "value_range", f"[{hi}, {lo}]") + ("topics[0].value_range",
                                                              "must be less than the second")


def _duplicate_id(text):
    return set_key(text, 1, "id", SHIPPED_TOPICS[0]["id"]) + (
        "topics[1].id", f"duplicate topic id '{SHIPPED_TOPICS[0]['id']}'")


def _unknown_trend(text):
    i = first_topic("years")
    return set_key(text, i, "trends", "[rising, wobbly]") + (f"topics[{i}].trends[1]", "wobbly")


def _years_without_first(text):
    i = first_topic("years")
    cats = {k: v for k, v in SHIPPED_TOPICS[i]["categories"].items() if k != "first"}
    return set_key(text, i, "categories", _flow(cats)) + (f"topics[{i}].categories.kind", "needs 'first")


BROKEN = [_unknown_key, _empty_series_names, _empty_category_names, _min_above_max, _duplicate_id,
          _unknown_trend, _years_without_first]


# --- the shipped rules and vocabulary -------------------------------------------------------------

def test_no_path_validates_the_shipped_rules_and_vocabulary():
    res = invoke("--samples", "0")
    assert res.exit_code == 0, res.output
    n_rules = len(collect_rule_files([shipped_rules_dir()]))
    assert res.stdout.splitlines() == [f"{n_rules} rule file(s) valid", "1 vocabulary file(s) valid"]
    assert res.stderr == ""


def test_the_shipped_rules_folder_holds_the_shipped_vocabulary():
    found = collect_data_files([shipped_rules_dir()])
    assert [(d.name, p.resolve()) for d, p in found] == [("chart", default_path().resolve())]
    assert default_path().resolve() not in {p.resolve() for p in collect_rule_files([shipped_rules_dir()])}


# --- a good copy ----------------------------------------------------------------------------------

def test_a_good_copy_passes_as_a_folder_a_vocabulary_folder_and_a_file(tmp_path):
    p = copy_vocabulary(tmp_path / "my-rules")
    for arg in (tmp_path / "my-rules", p.parent, p):
        res = invoke(arg)
        assert res.exit_code == 0, res.output
        assert res.stdout.splitlines() == ["1 vocabulary file(s) valid"], arg
        assert res.stderr == ""


def test_every_yaml_file_of_a_vocabulary_folder_is_checked_once(tmp_path):
    root = tmp_path / "my-rules"
    p = copy_vocabulary(root)
    copy_vocabulary(root, name="more.yaml")
    copy_vocabulary(root / "deeper" / "still", name="other.yaml")
    (p.parent / "notes.txt").write_text("not yaml", encoding="utf-8")
    res = invoke(root, p.parent, p)                 # the same file given three ways: once
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["3 vocabulary file(s) valid"]


def test_rule_files_beside_a_vocabulary_are_still_rule_files(tmp_path):
    root = tmp_path / "my-rules"
    copy_vocabulary(root)
    shutil.copy(next(p for p in collect_rule_files([shipped_rules_dir() / "plane-geometry"])),
                root / "rule.yaml")
    rule = yaml.safe_load((root / "rule.yaml").read_text(encoding="utf-8"))
    (root / "rule.yaml").write_text((root / "rule.yaml").read_text(encoding="utf-8").replace(
        f"id: {rule['id']}", "id: a-copy-of-a-shipped-rule", 1), encoding="utf-8")
    res = invoke("--samples", "1", root)
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["1 rule file(s) valid", "1 vocabulary file(s) valid"]


# --- broken copies --------------------------------------------------------------------------------

@pytest.mark.parametrize("breaker", BROKEN, ids=[b.__name__.strip("_") for b in BROKEN])
def test_a_broken_copy_names_the_file_the_line_and_the_field(tmp_path, breaker):
    text, line, field, words = breaker(SHIPPED_TEXT)
    p = copy_vocabulary(tmp_path / "my-rules", text)
    _, errors = check_vocabulary(p)
    assert [(e.line, e.field) for e in errors] == [(line, field)], [str(e) for e in errors]
    for arg in (tmp_path / "my-rules", p):
        res = invoke(arg)
        assert res.exit_code == 2, res.output
        assert res.stdout == ""
        err = res.stderr.splitlines()
        assert err[0].startswith(f"{p}:{line}: {field}: "), err
        assert words in err[0]
        assert err[1:] == ["1 error(s) in 1 file(s)"]


def test_every_error_of_a_file_is_listed(tmp_path):
    text, l1, f1, _ = _min_above_max(SHIPPED_TEXT)
    text, l2, f2, _ = _unknown_key(text)
    text, l3, f3, _ = _empty_series_names(text)
    p = copy_vocabulary(tmp_path, text)
    res = invoke(tmp_path)
    assert res.exit_code == 2, res.output
    err = res.stderr.splitlines()
    assert [e.split(": ")[:2] for e in err[:-1]] == [[f"{p}:{l1}", f1], [f"{p}:{l2}", f2], [f"{p}:{l3}", f3]]
    assert err[-1] == "3 error(s) in 1 file(s)"


def test_errors_of_several_files_are_counted_per_file(tmp_path):
    a = copy_vocabulary(tmp_path, _duplicate_id(SHIPPED_TEXT)[0], name="a.yaml")
    b = copy_vocabulary(tmp_path, _years_without_first(SHIPPED_TEXT)[0], name="b.yaml")
    copy_vocabulary(tmp_path, name="good.yaml")
    res = invoke(tmp_path)
    assert res.exit_code == 2
    err = res.stderr.splitlines()
    assert [e.split(":")[0] for e in err[:-1]] == [str(a), str(b)]
    assert err[-1] == "2 error(s) in 2 file(s)"


@pytest.mark.parametrize("text,line,words", [
    ("", None, "empty"),
    ("- id: a\n", 1, "mapping"),
    ("topics: [\n", 2, "YAML error"),
])
def test_a_file_that_is_no_vocabulary_at_all(tmp_path, text, line, words):
    p = copy_vocabulary(tmp_path, text)
    res = invoke(p)
    assert res.exit_code == 2
    first = res.stderr.splitlines()[0]
    assert first.startswith(f"{p}:{line}: " if line else f"{p}: "), first
    assert words in first


def test_the_real_command_prints_no_traceback(tmp_path):
    text, line, field, words = _min_above_max(SHIPPED_TEXT)
    p = copy_vocabulary(tmp_path / "my-rules", text)
    r = subprocess.run([*CLI, "rules", "validate", str(tmp_path / "my-rules")], capture_output=True,
                       text=True, timeout=120, check=False)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert r.stderr.splitlines() == [f"{p}:{line}: {field}: " + check_vocabulary(p)[1][0].message,
                                     "1 error(s) in 1 file(s)"]
    assert words in r.stderr
