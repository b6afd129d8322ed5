"""The wheel holds every package of the source tree (a new domain must be listed in
pyproject.toml, or a plain `pip install .` would leave it out)."""
from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "diagram_engine").rglob("__init__.py")}
    assert found - listed == set(), "packages missing from pyproject.toml"
