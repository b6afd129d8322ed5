"""The JSON Schemas the engine ships, and the parts of them the registered domains decide.

``diagram_engine/schema/record.schema.json`` is written by hand except two lists, which come
from the registry: the domains, and the scene object types they write (``Domain.object_types``).
``diagram_engine/schema/rule.schema.json`` is generated whole from the domains' rule models.
After adding a domain (or an object type), write both files again::

    python -m diagram_engine.core.schema

The test suite fails while either file is stale.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .registry import DOMAINS

__all__ = ["RECORD_SCHEMA", "RULE_SCHEMA", "domain_names", "object_types", "record_schema", "record_schema_text",
           "rule_schema", "rule_schema_text", "main"]

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
RECORD_SCHEMA = SCHEMA_DIR / "record.schema.json"
RULE_SCHEMA = SCHEMA_DIR / "rule.schema.json"

# the generated lists sit right after their "$comment" line
_LIST = re.compile(r'("\$comment": "The (registered domains|scene object types)[^"]*",\n\s*"enum": )\[[^\]]*\]')


def domain_names() -> list[str]:
    return list(DOMAINS)


def object_types() -> list[str]:
    """Every scene object type a registered domain writes, each once, domain by domain."""
    out: list[str] = []
    for dom in DOMAINS.values():
        out += [t for t in dom.object_types if t not in out]
    return out


def record_schema_text() -> str:
    """The shipped record schema's text with the two generated lists as the registry says."""
    text = RECORD_SCHEMA.read_text(encoding="utf-8")
    lists = {"registered domains": domain_names(), "scene object types": object_types()}

    def fill(m):
        return m[1] + _wrapped(lists[m[2]], len(m[1].split("\n")[-1]) + 1)
    return _LIST.sub(fill, text)


def _wrapped(items: list[str], column: int, width: int = 110) -> str:
    """A JSON list of strings starting at ``column``, wrapped before ``width``."""
    lines, cur = [], ""
    for w in (json.dumps(i) for i in items):
        if cur and column + len(cur) + len(w) + 3 > width:
            lines.append(cur + ",")
            cur = w
        else:
            cur = f"{cur}, {w}" if cur else w
    lines.append(cur)
    return "[" + ("\n" + " " * column).join(lines) + "]"


def record_schema() -> dict:
    return json.loads(record_schema_text())


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


def main() -> None:
    RECORD_SCHEMA.write_text(record_schema_text(), encoding="utf-8")
    RULE_SCHEMA.write_text(rule_schema_text(), encoding="utf-8")
    print(f"wrote {RECORD_SCHEMA} and {RULE_SCHEMA}")


if __name__ == "__main__":
    main()
