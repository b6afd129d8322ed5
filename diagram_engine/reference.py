"""What ``rules list`` and ``rules schema`` print: the vocabulary and the JSON Schema of rule files."""
from __future__ import annotations

from .core.registry import DOMAINS
from .registry import KINDS, entries

__all__ = ["domains_text", "vocabulary_text"]
_TITLES = {"construction": "Constructions: what a rule builds (shapes, function families, chart kinds)",
           "decoration": "Decorations and looks",
           "target": "Targets: what a problem asks (question kinds)",
           "measure": "Measures: how a record's target is re-measured from its scene (measure(scene, target))",
           "expression-function": "Functions in rule expressions",
           "template-filter": "Template filters (besides Jinja's built-in ones)"}


def domains_text() -> str:
    """Each domain: its one-line doc, and the data files and folders it reads."""
    lines = ["Domains:"]
    width = max(len(d) for d in DOMAINS) + 2
    for name, dom in DOMAINS.items():
        lines.append(f"  {name:<{width}}{dom.doc}")
        if getattr(dom, "data_folder", None):
            lines.append(f"  {'':<{width}}  data files: YAML under a '{dom.data_folder}/' folder")
    return "\n".join(lines) + "\n"


def vocabulary_text() -> str:
    """Every registered entry with its parameters, grouped by kind, then by domain (entries every
    domain shares first)."""
    lines: list[str] = []
    for kind in KINDS:
        es = entries(kind)
        if not es:
            continue
        lines.append(_TITLES[kind] + ":")
        width = max(len(e.name) for e in es) + 2
        groups: dict[str | None, list] = {}
        for e in es:
            groups.setdefault(e.domain, []).append(e)
        for dom, group in groups.items():
            indent = "  "
            if dom is not None:             # entries of one domain under its name
                lines.append(f"  {dom}:")
                indent = "    "
            for e in group:
                lines.append(f"{indent}{e.name:<{width}}{e.doc}")
                for p, doc in e.params:
                    lines.append(f"{indent}{'':<{width}}  {p}: {doc}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
