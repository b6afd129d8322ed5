"""YAML loading with line numbers, safely (no tags that construct Python objects)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import RuleError

__all__ = ["load_yaml_with_lines", "line_of"]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    keys = set()
    for k, _ in node.value:
        key = loader.construct_object(k, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", k.start_mark)
        keys.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _lines(node, path=()) -> dict[tuple, int]:
    out = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            out[path + (key,)] = k.start_mark.line + 1
            for p, ln in _lines(v, path + (key,)).items():
                if p != path + (key,):
                    out[p] = ln
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out.update(_lines(v, path + (i,)))
    return out


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[tuple, int]]:
    """(data, {key path: line}) of a YAML file; errors name the file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise RuleError(str(path), None, "", f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise RuleError(str(path), None, "", "not UTF-8 text") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(x for x in (e.context, e.problem) if x)
        raise RuleError(str(path), line, "", f"YAML error: {msg}") from None
    except yaml.YAMLError as e:
        raise RuleError(str(path), None, "", f"YAML error: {e}") from None
    lines = _lines(node) if node is not None else {}
    return data, lines


def line_of(lines: dict[tuple, int], loc: tuple) -> int | None:
    """Line of the deepest known prefix of ``loc``."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get((), None)
