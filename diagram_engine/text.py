"""Wording: phrasebooks of Jinja templates, several phrasings per slot.

A phrasebook is a folder ``templates/<domain>/`` of YAML files, each a mapping from a slot
name to a list of phrasings. Every phrasing is a Jinja template rendered in a sandboxed
environment with undefined names as errors. The sample's rng picks the phrasing.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .errors import RuleError, UserError
from .yamlio import line_of, load_yaml_with_lines

__all__ = ["Phrasebook", "load_phrasebook"]


def _env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["cap"] = lambda s: s[:1].upper() + s[1:] if s else s
    env.filters["join_and"] = _join_and
    env.filters["a"] = lambda w: ("an " if str(w)[:1].lower() in "aeiou" else "a ") + str(w)
    return env


def _join_and(items, word="and"):
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {word} {items[1]}"
    return ", ".join(items[:-1]) + f", {word} " + items[-1]


class Phrasebook:
    def __init__(self):
        self.slots: dict[str, list] = {}      # slot -> [(template, path, line)]
        self.lexicon: dict[str, list] = {}    # word lists (not templates)

    def has(self, slot: str) -> bool:
        return slot in self.slots

    def say(self, slot: str, rng, /, *, kind: str | None = None, **ctx) -> str:
        """Render one phrasing of ``slot`` (``slot.kind`` when that exists)."""
        choices = None
        if kind is not None:
            choices = self.slots.get(f"{slot}.{kind}")
        if choices is None:
            choices = self.slots.get(slot)
        if not choices:
            raise RuleError("templates", None, slot, f"no template slot '{slot}'")
        tpl, path, line = choices[int(rng.integers(len(choices)))] if len(choices) > 1 else choices[0]
        try:
            return tpl.render(**ctx).strip()
        except SecurityError as e:
            raise RuleError(path, line, slot, f"unsafe template: {e}") from None
        except TemplateError as e:
            raise RuleError(path, line, slot, f"template error: {e}") from None

    def word(self, key: str, rng=None) -> str:
        words = self.lexicon[key]
        if rng is None or len(words) == 1:
            return words[0]
        return words[int(rng.integers(len(words)))]


_CACHE: dict[tuple, Phrasebook] = {}


def load_phrasebook(folder: Path) -> Phrasebook:
    folder = Path(folder)
    files = sorted(folder.glob("*.yaml"))
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    if not files:
        raise UserError(f"no template files in {folder}")
    env = _env()
    pb = Phrasebook()
    for f in files:
        data, lines = load_yaml_with_lines(f)
        if not isinstance(data, dict):
            raise RuleError(str(f), 1, "", "a template file maps slot names to lists of phrasings")
        for slot, items in data.items():
            ln = line_of(lines, (slot,))
            if slot == "lexicon":
                if not isinstance(items, dict):
                    raise RuleError(str(f), ln, "lexicon", "the lexicon maps words to lists of synonyms")
                for k, v in items.items():
                    vv = v if isinstance(v, list) else [v]
                    if not vv or not all(isinstance(x, str) for x in vv):
                        raise RuleError(str(f), line_of(lines, ("lexicon", k)), f"lexicon.{k}",
                                        "expected a string or a list of strings")
                    pb.lexicon[k] = vv
                continue
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list) or not items or not all(isinstance(x, str) for x in items):
                raise RuleError(str(f), ln, slot, "expected a non-empty list of template strings")
            out = []
            for i, src in enumerate(items):
                iln = line_of(lines, (slot, i)) or ln
                try:
                    tpl = env.from_string(src)
                except TemplateSyntaxError as e:
                    raise RuleError(str(f), iln, f"{slot}[{i}]", f"template syntax error: {e.message}") from None
                out.append((tpl, str(f), iln))
            pb.slots.setdefault(slot, []).extend(out)
    _CACHE[key] = pb
    return pb
