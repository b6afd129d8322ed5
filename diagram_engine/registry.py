"""The one registry of the vocabulary rule files can use, with a one-line doc per entry.

Rule files refer to these by name: shape constructions, decorations, targets (question
kinds), measures, and the functions of rule expressions. ``diagram-engine rules list``
prints the registry, so a user can write rules without reading Python. Entries are kept in
a sorted order so every machine lists (and picks) them the same way.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Entry", "register", "entries", "KINDS"]

KINDS = ("construction", "decoration", "target", "measure", "expression-function", "template-filter")


@dataclass(frozen=True)
class Entry:
    kind: str                               # one of KINDS
    name: str
    doc: str                                # one line
    params: tuple[tuple[str, str], ...] = ()  # (parameter, what it is and where its values come from)
    domain: str | None = None


_REGISTRY: dict[tuple[str, str, str | None], Entry] = {}


def register(kind: str, name: str, doc: str, params=(), domain: str | None = None) -> Entry:
    if kind not in KINDS:
        raise ValueError(f"unknown registry kind {kind!r}")
    key = (kind, name, domain)
    if key in _REGISTRY:
        raise ValueError(f"{kind} {name!r} registered twice")
    if not doc or "\n" in doc:
        raise ValueError(f"{kind} {name!r}: the doc is one non-empty line")
    e = _REGISTRY[key] = Entry(kind, name, doc, tuple(params), domain)
    return e


def entries(kind: str | None = None, domain: str | None = None) -> list[Entry]:
    """Registered entries, sorted by kind (in KINDS order), domain and name."""
    out = [e for e in _REGISTRY.values()
           if (kind is None or e.kind == kind) and (domain is None or e.domain in (None, domain))]
    return sorted(out, key=lambda e: (KINDS.index(e.kind), e.domain or "", e.name))
