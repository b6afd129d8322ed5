"""Shared fixtures and options of the test suite.

* ``--update-golden`` rewrites ``tests/golden/digests.json`` from the current code instead of
  comparing against it (see tests/test_golden.py): run it only when an output change is meant.
* Hypothesis runs derandomized (the same examples on every run and machine), so CI never
  fails on a case it did not meet before; ``HYPOTHESIS_PROFILE=explore`` draws fresh examples
  for a local bug hunt.
"""
from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("default", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/digests.json from the current output")
