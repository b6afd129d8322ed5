"""Rule, template and data files are untrusted: nothing outside the folders given is read,
only regular files are read, and never more than the size limit (no hang on a FIFO, no
gigabytes from /dev/zero)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from diagram_engine.errors import RuleError, UserError
from diagram_engine.rules import check_rule_file, collect_rule_files
from diagram_engine.validate import validate_paths
from diagram_engine.yamlio import MAX_BYTES, load_yaml_with_lines

RULE = """id: {id}
domain: plane-geometry
base: [square]
targets: [area]
steps: [1, 3]
"""


def _errors(path) -> list:
    rule, errors = check_rule_file(path)
    assert rule is None
    return errors


def test_a_template_symlinked_out_of_the_folder_is_not_read(tmp_path):
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("prop.square: ['TOP SECRET {{ shape.name }}']\n")
    rules = tmp_path / "rules"
    (rules / "templates").mkdir(parents=True)
    os.symlink(secret, rules / "templates" / "mine.yaml")
    (rules / "r.yaml").write_text(RULE.format(id="linked") + "templates: [templates/mine.yaml]\n")
    errors = _errors(rules / "r.yaml")
    assert len(errors) == 1 and errors[0].field == "templates[0]" and "outside the rule's folder" in errors[0].message
    assert "TOP SECRET" not in str(errors[0])


def test_a_rule_symlinked_into_a_folder_from_outside_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(RULE.format(id="elsewhere"))
    rules = tmp_path / "rules"
    rules.mkdir()
    os.symlink(outside, rules / "r.yaml")
    with pytest.raises(RuleError, match="outside"):
        collect_rule_files([rules])


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "r.yaml"
    os.mkfifo(fifo)
    got: list = []
    t = threading.Thread(target=lambda: got.append(_errors(fifo)), daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "reading a FIFO hung"
    assert "not a regular file" in got[0][0].message


def test_a_device_is_refused_without_reading_it(tmp_path):
    errors = _errors(Path("/dev/zero"))
    assert "not a regular file" in errors[0].message


def test_a_large_file_is_refused_after_reading_the_limit(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.write(b"# " + b"x" * (MAX_BYTES + 10) + b"\n")
    with pytest.raises(RuleError, match="larger than"):
        load_yaml_with_lines(big)


def test_validate_reports_an_outside_template_with_file_line_field(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(RULE.format(id="abs") + "templates: [/etc/passwd]\n")
    errors, n = validate_paths([rules / "r.yaml"])
    assert n == 1 and errors[0].line == 6 and errors[0].field == "templates[0]"
    assert isinstance(errors[0], UserError) and "outside" in errors[0].message


# ---- the file system says no: one line and a status, never a traceback ----

def _cli(args):
    from click.testing import CliRunner
    from diagram_engine.cli import cli
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_out_under_a_file_or_with_a_long_name_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    for out in (tmp_path / "file" / "data", tmp_path / ("n" * 300)):
        r = _cli(["generate", "--domain", "function", "--count", "2", "--workers", "1", "--out", out])
        assert r.exit_code in (2, 6), r.output
        assert "Traceback" not in r.output and r.stderr.startswith("Error: ")


@pytest.mark.parametrize("err", ["ENOSPC", "EROFS"])
def test_a_full_or_read_only_disk_is_one_line_and_resumable(tmp_path, monkeypatch, err):
    import errno

    from diagram_engine import dataset
    real = dataset._write_files
    calls = {"n": 0}

    def failing(out, s):
        calls["n"] += 1
        if calls["n"] == 9:                # after the first shard of 6 is done
            raise OSError(getattr(errno, err), os.strerror(getattr(errno, err)), str(out / s.record["image"]))
        return real(out, s)
    monkeypatch.setattr(dataset, "_write_files", failing)
    out = tmp_path / "data"
    args = ["generate", "--domain", "function", "--count", "12", "--shard-size", "6", "--workers", "1", "--seed", "4",
            "--out", out]
    r = _cli(args)
    assert r.exit_code == 6 and "Traceback" not in r.output
    assert r.stderr.count("\n") == 1 and ("--resume" in r.stderr or "another --out" in r.stderr)
    monkeypatch.setattr(dataset, "_write_files", real)
    r = _cli(args + ["--resume"])
    assert r.exit_code == 0, r.output
    assert (out / "manifest.json").exists()


def test_resuming_a_finished_dataset_rewrites_nothing(tmp_path):
    from diagram_engine import generate
    out = tmp_path / "data"
    generate("function", 4, out, seed=2, workers=1, progress=False)
    stamp = (out / "manifest.json").stat().st_mtime_ns
    s = generate("function", 4, out, seed=2, workers=1, progress=False, resume=True)
    assert s.finished and s.count == 0
    assert (out / "manifest.json").stat().st_mtime_ns == stamp


@pytest.mark.parametrize("edit", [lambda m: m.pop("count"), lambda m: m.update(shard_size=0),
                                  lambda m: m.update(image_size="big"), lambda m: m.update(mix=[1]),
                                  lambda m: m.update(base_seed=None)])
def test_a_hand_edited_manifest_is_named_not_a_traceback(tmp_path, edit):
    import json

    from diagram_engine import generate
    out = tmp_path / "data"
    generate("function", 2, out, seed=2, workers=1, progress=False)
    m = json.loads((out / "manifest.json").read_text())
    edit(m)
    (out / "manifest.json").write_text(json.dumps(m))
    r = _cli(["regenerate", out, "function-000000001"])
    assert r.exit_code == 2 and "manifest.json" in r.stderr and "Traceback" not in r.output


def test_an_unusable_scheduler_address_is_one_line(tmp_path):
    pytest.importorskip("dask.distributed")
    r = _cli(["generate", "--domain", "function", "--count", "2", "--executor", "dask", "--scheduler", "notaurl",
              "--out", tmp_path / "d"])
    assert r.exit_code == 2 and "scheduler" in r.stderr and "Traceback" not in r.output


def test_sample_ids_take_ascii_digits_only():
    from diagram_engine.pipeline import parse_id
    assert parse_id("function-000000042") == ("function", 42)
    for bad in ("function-٠٠٤٢", "function-４２", "function-42a", "function-"):
        with pytest.raises(UserError, match="not a sample id"):
            parse_id(bad)
