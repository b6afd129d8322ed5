"""Packaging: the wheel holds every package of the source tree without a hand-kept list, the
shipped rules and templates, and the version the package reports."""
from __future__ import annotations

import runpy
import tomllib
from pathlib import Path

import diagram_engine

REPO = Path(__file__).resolve().parent.parent


def test_setup_finds_every_package_of_the_source_tree():
    listed = set(runpy.run_path(str(REPO / "setup.py"), run_name="setup")["packages"]())
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "diagram_engine").rglob("__init__.py")}
    assert found <= listed
    assert {"diagram_engine._data.rules", "diagram_engine._data.templates"} <= listed


def test_pyproject_lists_no_packages_and_reads_the_version_from_the_package():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "packages" not in meta["tool"]["setuptools"]
    assert "version" in meta["project"]["dynamic"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"]["attr"] == "diagram_engine.version.__version__"
    assert diagram_engine.__version__ == runpy.run_path(str(REPO / "diagram_engine" / "version.py"))["__version__"]

