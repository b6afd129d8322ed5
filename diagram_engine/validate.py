"""``rules validate``: every error of every rule file, before a long run finds them.

A rule is checked in three layers, each collecting all it finds:

1. the file itself: YAML syntax, keys, types, ranges (``rules.check_rule_file``), the rule's
   own shapes and expressions, checked structurally and against their drawn coordinates;
2. its ids against the other files and the shipped rules;
3. its templates: the slots it needs exist, and a few samples are built with a phrasebook
   that renders *every* phrasing of each slot they use, so an unknown variable or a broken
   phrasing is found even where the sample's rng would not have picked it. A rule whose
   ranges let no sample be built is reported too.
"""
from __future__ import annotations

from pathlib import Path

from .errors import NoSampleError, Rejected, RuleError, RuleErrors
from .pipeline import Options, RuleSet, _build
from .rules import check_rule_file, collect_rule_files, shipped_rules_dir
from .yamlio import line_of, load_yaml_with_lines

__all__ = ["validate_paths", "check_rule_samples"]


def validate_paths(paths, templates: str | None = None, samples: int = 12) -> tuple[list[RuleError], int]:
    """(errors, number of files) for the rule files in ``paths`` (files or folders)."""
    files = collect_rule_files(paths)
    # ids already taken by the shipped rules: generate always loads them with --rules
    shipped: dict[str, tuple[str, str]] = {}
    for f in collect_rule_files([shipped_rules_dir()]):
        rule, _ = check_rule_file(f)
        if rule is not None:
            shipped.setdefault(rule.id, (str(Path(f).resolve()), rule.digest))
    errors: list[RuleError] = []
    valid = []
    given: dict[str, str] = {}
    for f in files:
        rule, errs = check_rule_file(f)
        errors += errs
        if rule is None:
            continue
        here = str(Path(f).resolve())
        # a copy of a shipped rule (the checkout's rules/ beside an installed engine) is that rule
        clash = given.get(rule.id) or (shipped[rule.id][0] if rule.id in shipped
                                       and shipped[rule.id] != (here, rule.digest)
                                       and shipped[rule.id][1] != rule.digest else None)
        if clash:
            errors.append(RuleError(str(f), rule.id_line, "id", f"duplicate rule id '{rule.id}' (also in {clash})"))
            continue
        given[rule.id] = here
        valid.append(rule)
    for rule in valid:
        errors += check_rule_samples(rule, templates, samples)
    return errors, len(files)


def check_rule_samples(rule, templates: str | None = None, samples: int = 12) -> list[RuleError]:
    """Template and sample errors of one loaded rule."""
    opts = Options(templates=str(Path(templates).resolve()) if templates else None, check_templates=True)
    try:
        opts.phrasebook_for(rule)
    except RuleErrors as e:
        return e.errors
    except RuleError as e:
        return [e]
    rs = RuleSet(rule.domain, [rule])
    found: dict[str, RuleError] = {}
    for i in range(samples):
        try:
            _build(rs.rules[0], 0, i, opts)
        except RuleErrors as e:
            for x in e.errors:
                found.setdefault(str(x), x)
        except RuleError as e:
            found.setdefault(str(e), e)
        except Rejected as e:      # pragma: no cover - _build retries rejections itself
            found.setdefault(str(e), RuleError(rule.path, rule.id_line, "", str(e)))
        except NoSampleError as e:
            # no sample after all attempts: the ranges leave no room; name the range to blame
            lines = load_yaml_with_lines(Path(rule.path))[1]
            line = line_of(lines, (e.field,)) if e.field and (e.field,) in lines else rule.id_line
            field = e.field if e.field and (e.field,) in lines else ""
            found.setdefault(str(e), RuleError(rule.path, line, field, str(e)))
            break
    return list(found.values())
