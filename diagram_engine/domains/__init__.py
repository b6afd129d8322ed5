"""The one registry of domains, sorted by name so every machine sees the same order."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Domain", "DOMAINS", "register_domain"]


@dataclass(frozen=True)
class Domain:
    name: str
    rule_model: Any                  # pydantic model of the domain's rule files
    make_sample: Callable            # (rule, rng, options) -> Sample parts
    doc: str = ""
    # (spec, path, lines, digest) -> (compiled, [(loc, message)]): checks that need the whole rule
    compile: Callable | None = None
    # spec -> [(loc, slot)]: template slots the rule needs besides the shipped ones
    required_slots: Callable | None = None


DOMAINS: dict[str, Domain] = {}


def register_domain(d: Domain) -> Domain:
    if d.name in DOMAINS:
        raise ValueError(f"domain {d.name} registered twice")
    DOMAINS[d.name] = d
    return d


def _load() -> None:
    from . import analytic_geometry, chart, function, plane_geometry  # noqa: F401  (each registers itself)


_load()
DOMAINS = dict(sorted(DOMAINS.items()))
