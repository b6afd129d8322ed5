"""Rule files: YAML -> typed, frozen rule models, with errors naming file, line and field.

:func:`check_rule_file` collects every error of a file (what ``rules validate`` prints);
:func:`load_rule_file` raises them together as one :class:`RuleErrors`, which reads as its
first error plus a count (what ``generate`` prints as its one line).
"""
from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import RuleError, RuleErrors, UserError
from .seeding import digest
from .yamlio import line_of, load_yaml_with_lines, loc_text, read_small_file

__all__ = ["LoadedRule", "check_rule_file", "load_rule_file", "load_rules", "shipped_rules_dir",
           "collect_rule_files", "collect_data_files", "data_folder_domain", "template_files"]

MAX_RULE_FILES = 10_000


@dataclass(frozen=True)
class LoadedRule:
    id: str
    domain: str
    spec: Any            # the domain's pydantic model instance
    digest: str
    path: str
    id_line: int | None = None
    compiled: Any = field(default=None, compare=False, repr=False)   # the domain's compiled form
    templates: tuple[str, ...] = ()      # the rule's own template files, resolved

    @property
    def weight(self) -> float:
        return float(self.spec.weight)


def shipped_rules_dir() -> Path:
    from .resources import data_dir
    return data_dir("rules")


def _message(err: dict, model_fields: dict, value_known: bool) -> str:
    t = err["type"]
    if t == "extra_forbidden":
        key = str(err["loc"][-1])
        near = difflib.get_close_matches(key, list(model_fields), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        return f"unknown key '{key}'{hint}"
    msg = err["msg"]
    if t == "value_error":
        msg = msg.removeprefix("Value error, ")
    elif t == "tuple_type":
        msg = "expected a list of two values, like [3, 15]"
    elif t in ("too_short", "too_long") and "Tuple" in msg:
        msg = "expected exactly two values, like [3, 15]"
    if t == "literal_error" or (value_known and t != "missing" and "input" in err
                                and not isinstance(err["input"], (dict, list))):
        return f"{msg} (got {_short(err.get('input'))})"
    return msg


def _short(v, limit: int = 60) -> str:
    r = repr(v)
    return r if len(r) <= limit else r[:limit - 5] + "...'" if isinstance(v, str) else r[:limit] + "..."


def _model_fields_at(model, loc) -> dict:
    """Field names of the model that owns the last element of ``loc``."""
    cur = model
    key_next = False           # the element after a dict[str, Model] field is a key: skip it
    for p in loc[:-1]:
        if isinstance(p, int) or key_next:
            key_next = False
            continue
        f = getattr(cur, "model_fields", {}).get(p)
        if f is None:
            return {}
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            cur = ann
        elif getattr(ann, "__origin__", None) is list:
            args = getattr(ann, "__args__", ())
            if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], BaseModel):
                cur = args[0]
        elif getattr(ann, "__origin__", None) is dict:
            # dict[str, Model]: the next element of loc is a key
            args = getattr(ann, "__args__", ())
            if len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
                cur = args[1]
                key_next = True
        else:
            return {}
    return getattr(cur, "model_fields", {})


def _pydantic_errors(e: ValidationError, model, path: str, lines) -> list[RuleError]:
    errs = e.errors()
    out: list[RuleError] = []
    # a misspelt key also makes the real key "missing": report the misspelling, not both
    meant = set()
    for x in errs:
        if x["type"] == "extra_forbidden":
            loc = tuple(x["loc"])
            near = difflib.get_close_matches(str(loc[-1]), list(_model_fields_at(model, loc)), n=1)
            if near:
                meant.add(loc[:-1] + (near[0],))
    for x in errs:
        loc = tuple(p for p in x["loc"] if not (isinstance(p, str) and p.startswith(("function-", "tuple["))))
        if x["type"] == "missing" and loc in meant:
            continue
        # pydantic tags union branches in loc ("str", "float"): drop them from the field path
        loc = tuple(p for p in loc if p not in ("str", "float", "int", "constrained-str"))
        out.append(RuleError(path, line_of(lines, loc), loc_text(loc),
                             _message(x, _model_fields_at(model, loc), True)))
    return out


def template_files(spec, path: Path) -> list[Path]:
    return [(Path(path).parent / t) for t in getattr(spec, "templates", [])]


def check_rule_file(path) -> tuple[LoadedRule | None, list[RuleError]]:
    """Load one rule file; return the rule (None when invalid) and every error found."""
    from .core.registry import DOMAINS
    path = Path(path)
    sp = str(path)
    try:
        data, lines = load_yaml_with_lines(path)
    except RuleError as e:
        return None, [e]
    if data is None:
        return None, [RuleError(sp, None, "", "the file is empty; a rule is a mapping with 'id' and 'domain'")]
    top = lines.get((), 1)      # where the content starts, after any leading comments
    if not isinstance(data, dict):
        return None, [RuleError(sp, top, "", f"a rule file holds one mapping, not a {_type_name(data)}")]
    dom = data.get("domain")
    if not isinstance(dom, str) or dom not in DOMAINS:
        known = ", ".join(sorted(DOMAINS))
        if "domain" not in data:
            return None, [RuleError(sp, top, "domain", f"missing: every rule names its domain ({known})")]
        return None, [RuleError(sp, line_of(lines, ("domain",)), "domain",
                                f"unknown domain {dom!r} (known: {known})")]
    domain = DOMAINS[dom]
    model = domain.rule_model
    try:
        spec = model.model_validate(data)
    except ValidationError as e:
        return None, sorted(_pydantic_errors(e, model, sp, lines), key=lambda r: (r.line or 0))
    errors: list[RuleError] = []
    tfiles = template_files(spec, path)
    h = hashlib.sha256()
    root = os.path.realpath(path.parent)
    for i, t in enumerate(tfiles):
        real = os.path.realpath(t)
        if os.path.commonpath([root, real]) != root:
            # an absolute path, '..', or a symlink out of the rule's folder: never read
            errors.append(RuleError(sp, line_of(lines, ("templates", i)), f"templates[{i}]",
                                    f"the template file {spec.templates[i]!r} is outside the rule's folder "
                                    f"({path.parent}); keep a rule's templates next to it"))
        elif not t.is_file():
            looked = f" (looked for {t})" if str(t) != spec.templates[i] else ""
            errors.append(RuleError(sp, line_of(lines, ("templates", i)), f"templates[{i}]",
                                    f"no template file {spec.templates[i]!r} next to the rule{looked}"))
        else:
            try:
                h.update(read_small_file(t))
            except RuleError as e:
                errors.append(RuleError(sp, line_of(lines, ("templates", i)), f"templates[{i}]",
                                        f"the template file {spec.templates[i]!r}: {e.message}"))
    key = {"id": spec.id, "rule": spec.model_dump(mode="json"), "templates": h.hexdigest()}
    if domain.data_files:       # what its samples read besides the rule: a change is a new rule set
        key["data"] = _data_digest(tuple(str(p) for p in domain.data_paths()))
    d = digest(key)
    compiled = None
    if domain.compile is not None and not errors:
        compiled, errs = domain.compile(spec, sp, lines, d)
        errors += [RuleError(sp, line_of(lines, loc), loc_text(loc), msg) for loc, msg in errs]
    if errors:
        return None, sorted(errors, key=lambda r: (r.line or 0))
    return LoadedRule(spec.id, dom, spec, d, sp, line_of(lines, ("id",)), compiled,
                      tuple(str(t) for t in tfiles)), []


def _data_digest(paths: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for p in paths:
        try:
            h.update(Path(p).read_bytes())
        except OSError as e:
            raise UserError(f"cannot read {p}: {e.strerror or e}") from None
    return h.hexdigest()


def _type_name(x) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(x), type(x).__name__)


def load_rule_file(path) -> LoadedRule:
    rule, errors = check_rule_file(path)
    if errors:
        raise RuleErrors(errors)
    return rule


def collect_rule_files(paths) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and not _is_template_dir(q, p))
            files.extend(_inside(q, p) for q in found)
        elif p.exists():
            files.append(p)
        else:
            raise UserError(f"rule path does not exist: {p}")
        if len(files) > MAX_RULE_FILES:
            raise UserError(f"more than {MAX_RULE_FILES} rule files under {p}")
    return files


def _inside(q: Path, root: Path) -> Path:
    """``q``, found under the folder ``root``, when it really lies there (a symlink out of the
    folder is refused: a folder of rules reads nothing outside itself)."""
    r = os.path.realpath(root)
    if os.path.commonpath([r, os.path.realpath(q)]) != r:
        raise RuleError(str(q), None, "", f"a link to a file outside {root} ({os.path.realpath(q)}); "
                        "rule, template and data files are read only inside the folders given")
    return q


def _data_folders() -> dict[str, object]:
    """Folder name -> the domain whose data files (not rules) live in folders of that name."""
    from .core.registry import DOMAINS
    return {d.data_folder: d for d in DOMAINS.values() if getattr(d, "data_folder", None)}


def _is_template_dir(q: Path, root: Path) -> bool:
    """Files under a ``templates/`` folder next to rules are templates, and files under a
    domain's data folder (``Domain.data_folder``) are data it reads: neither is
    a rule."""
    parts = q.relative_to(root).parts[:-1]
    return "templates" in parts or any(f in parts for f in _data_folders())


def data_folder_domain(p):
    """The domain whose data ``p`` is: a folder named like a domain's data folder, or a YAML file
    directly inside one (never a rule file); None otherwise."""
    p = Path(os.path.abspath(p))
    folders = _data_folders()
    if p.is_dir():
        return folders.get(p.name)
    return folders.get(p.parent.name) if p.suffix in (".yaml", ".yml") else None


def collect_data_files(paths) -> list[tuple[object, Path]]:
    """(domain, file) for the domains' data files in ``paths``: a given YAML file inside a data
    folder, every YAML file of a given data folder, and every YAML file under a data folder (at
    any depth) of any other given folder. Each file once."""
    folders = _data_folders()
    found: list[tuple[object, Path]] = []
    for p in paths:
        p = Path(p)
        own = data_folder_domain(p)
        if own is not None:
            files = (sorted(_inside(q, p) for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file())
                     if p.is_dir() else [p])
            found += [(own, f) for f in files]
        elif p.is_dir():
            for q in sorted(p.rglob("*")):
                if q.suffix in (".yaml", ".yml") and q.is_file():
                    hit = [folders[f] for f in q.relative_to(p).parts[:-1] if f in folders]
                    if hit:
                        found.append((hit[-1], _inside(q, p)))
        if len(found) > MAX_RULE_FILES:
            raise UserError(f"more than {MAX_RULE_FILES} data files under {p}")
    seen: set[str] = set()
    out = []
    for dom, f in found:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            out.append((dom, f))
    return out


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
