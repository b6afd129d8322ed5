"""The package list, found rather than listed (everything else is in pyproject.toml).

Every package under ``diagram_engine/``, so a new domain needs no entry anywhere, and the
shipped rules and templates, packaged inside the wheel as ``diagram_engine/_data/{rules,
templates}`` from the top-level ``rules/`` and ``templates/`` folders.
"""
from setuptools import find_packages, setup

DATA_PACKAGES = ("diagram_engine._data.rules", "diagram_engine._data.templates")


def packages() -> list[str]:
    return sorted(find_packages(include=["diagram_engine", "diagram_engine.*"])) + list(DATA_PACKAGES)


if __name__ == "__main__":
    setup(packages=packages())
