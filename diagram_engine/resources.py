"""Where the shipped rules and templates live (a source checkout or an installed wheel)."""
from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir"]

_ROOT = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``rules`` or ``templates``: the repository's top-level folder in a checkout or an
    editable install, the copy packaged inside ``diagram_engine/_data`` in a wheel."""
    checkout = _ROOT.parent / name
    if checkout.is_dir():
        return checkout
    return _ROOT / "_data" / name
