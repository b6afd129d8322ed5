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
