"""What ``rules list`` and ``rules schema`` print: the vocabulary and the JSON Schema of rule files."""
from __future__ import annotations

import json

from .core.registry import DOMAINS
from .registry import KINDS, entries

__all__ = ["rule_schema", "rule_schema_text", "vocabulary_text"]
_TITLES = {"construction": "Shape constructions (base / attach.shapes)",
           "decoration": "Decorations (decorate.kinds)",
           "target": "Targets: what a problem asks (targets)",
           "measure": "Measures: how a record's target is re-measured from its scene",
           "expression-function": "Functions in rule expressions (shapes.*.points, formulas)",
           "template-filter": "Template filters (besides Jinja's built-in ones)"}


def vocabulary_text() -> str:
    """Every registered entry with its parameters, grouped by kind."""
    lines: list[str] = []
    for kind in KINDS:
        es = entries(kind)
        if not es:
            continue
        lines.append(_TITLES[kind] + ":")
        width = max(len(e.name) for e in es) + 2
        for e in es:
            lines.append(f"  {e.name:<{width}}{e.doc}")
            for p, doc in e.params:
                lines.append(f"  {'':<{width}}  {p}: {doc}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def rule_schema() -> dict:
    """The JSON Schema of a rule file: one of the domains' rule models, told apart by `domain`."""
    defs: dict = {}
    refs = []
    for dom in DOMAINS.values():
        s = dom.rule_model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(s.pop("$defs", {}))
        title = dom.rule_model.__name__
        defs[title] = s
        refs.append({"$ref": f"#/$defs/{title}"})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "diagram-engine rule file",
            "description": "A rule file of diagram-engine: one problem family. See docs/writing-rules.md.",
            "oneOf": refs, "$defs": dict(sorted(defs.items()))}


def rule_schema_text() -> str:
    return json.dumps(rule_schema(), indent=2, ensure_ascii=False) + "\n"
