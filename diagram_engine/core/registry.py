"""The registry of domains: every package under ``diagram_engine/domains/`` that registers one,
found by walking the folder, sorted by name so every machine sees (and picks) them in the same
order. Nothing lists the domains by hand: a new domain is a new package."""
from __future__ import annotations

import importlib
import pkgutil
from types import MappingProxyType

from .contract import Domain, registered

__all__ = ["DOMAINS", "get_domain", "domain_names"]


def _discover() -> dict[str, Domain]:
    from .. import domains as package
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        before = set(registered())
        importlib.import_module(f"{package.__name__}.{info.name}")
        new = set(registered()) - before
        if len(new) != 1:
            raise ImportError(f"diagram_engine.domains.{info.name} registers {len(new)} domains; "
                              "a domain package registers exactly one (core.contract.register)")
    return dict(sorted(registered().items()))


DOMAINS = MappingProxyType(_discover())


def domain_names() -> list[str]:
    return list(DOMAINS)


def get_domain(name: str, arg: str = "domain") -> Domain:
    """The domain called ``name``; an OptionError naming ``arg`` when there is none."""
    from ..errors import OptionError
    try:
        return DOMAINS[name]
    except (KeyError, TypeError):
        raise OptionError(arg, name, f"must be one of {', '.join(DOMAINS)}") from None
