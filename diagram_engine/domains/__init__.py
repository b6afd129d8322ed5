"""The domains: one package each, found by ``core.registry`` (nothing here lists them).

A domain package registers one ``core.Domain`` subclass with ``core.register``. (Packages not
yet moved to the contract register a legacy entry with ``register_domain``.)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Domain", "LEGACY", "register_domain"]


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

    def describe_rule(self, rule) -> list[str]:
        return []


LEGACY: dict[str, Domain] = {}


def register_domain(d: Domain) -> Domain:
    if d.name in LEGACY:
        raise ValueError(f"domain {d.name} registered twice")
    LEGACY[d.name] = d
    return d
