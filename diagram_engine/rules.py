"""Rule files: YAML -> typed, frozen rule models, with errors naming file, line and field."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import RuleError, UserError
from .seeding import digest
from .yamlio import line_of, load_yaml_with_lines

__all__ = ["LoadedRule", "load_rule_file", "load_rules", "shipped_rules_dir", "collect_rule_files"]


@dataclass(frozen=True)
class LoadedRule:
    id: str
    domain: str
    spec: Any            # the domain's pydantic model instance
    digest: str
    path: str
    id_line: int | None = None

    @property
    def weight(self) -> float:
        return float(self.spec.weight)


def shipped_rules_dir() -> Path:
    from .resources import data_dir
    return data_dir("rules")


def _loc_text(loc: tuple) -> str:
    out = ""
    for p in loc:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def _message(err: dict, model_fields: dict) -> str:
    t = err["type"]
    if t == "extra_forbidden":
        key = str(err["loc"][-1])
        near = difflib.get_close_matches(key, list(model_fields), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        return f"unknown key '{key}'{hint}"
    msg = err["msg"]
    if t == "literal_error":
        return f"{msg} (got {err.get('input')!r})"
    return msg


def _model_fields_at(model, loc) -> dict:
    """Field names of the model that owns the last element of ``loc``."""
    cur = model
    for p in loc[:-1]:
        if isinstance(p, int):
            continue
        f = getattr(cur, "model_fields", {}).get(p)
        if f is None:
            return {}
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            cur = ann
        else:
            return {}
    return getattr(cur, "model_fields", {})


def load_rule_file(path: Path) -> LoadedRule:
    from .domains import DOMAINS
    path = Path(path)
    data, lines = load_yaml_with_lines(path)
    if data is None:
        raise RuleError(str(path), None, "", "the file is empty; a rule is a mapping with 'id' and 'domain'")
    if not isinstance(data, dict):
        raise RuleError(str(path), 1, "", f"a rule file holds one mapping, not a {type(data).__name__}")
    dom = data.get("domain")
    if dom not in DOMAINS:
        known = ", ".join(sorted(DOMAINS))
        raise RuleError(str(path), line_of(lines, ("domain",)), "domain",
                        f"unknown domain {dom!r} (known: {known})")
    model = DOMAINS[dom].rule_model
    try:
        spec = model.model_validate(data)
    except ValidationError as e:
        errs = e.errors()
        # a misspelt key also makes the real key "missing": name the misspelling first
        err = next((x for x in errs if x["type"] == "extra_forbidden"), errs[0])
        loc = tuple(err["loc"])
        raise RuleError(str(path), line_of(lines, loc), _loc_text(loc),
                        _message(err, _model_fields_at(model, loc))) from None
    d = digest({"id": spec.id, "rule": spec.model_dump(mode="json")})
    return LoadedRule(spec.id, dom, spec, d, str(path), line_of(lines, ("id",)))


def collect_rule_files(paths) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml")))
        elif p.exists():
            files.append(p)
        else:
            raise UserError(f"rule path does not exist: {p}")
    return files


def load_rules(extra_paths=(), include_shipped: bool = True) -> list[LoadedRule]:
    """Shipped rules plus the user's, in a stable order; duplicate ids are an error."""
    paths = ([shipped_rules_dir()] if include_shipped else []) + list(extra_paths)
    rules: list[LoadedRule] = []
    seen: dict[str, str] = {}
    for f in collect_rule_files(paths):
        r = load_rule_file(f)
        if r.id in seen:
            raise RuleError(str(f), r.id_line, "id", f"duplicate rule id '{r.id}' (also in {seen[r.id]})")
        seen[r.id] = str(f)
        rules.append(r)
    return rules
