"""YAML loading with line numbers, safely (no tags that construct Python objects)."""
from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleError

__all__ = ["load_yaml_with_lines", "read_small_file", "line_of", "loc_text"]


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


_PLAIN = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_BYTES = 1 << 20      # a rule or template file is small text; refuse anything larger
MAX_NODES = 50_000
MAX_DEPTH = 40


class _TooBig(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


def _lines(root) -> dict[tuple, int]:
    """{key path: line} of every node; refuses aliases, and trees too large or too deep."""
    out: dict[tuple, int] = {}
    seen: set[int] = set()
    stack = [(root, (), 0)]
    while stack:
        node, path, depth = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            # an alias (*name): one node reached twice. Aliases can blow a small file up into
            # an enormous tree ("billion laughs"), so rule files do without them.
            raise _TooBig(out.get(path, line), "YAML aliases (*name) are not allowed; write the value out")
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise _TooBig(line, f"more than {MAX_NODES} YAML nodes")
        if depth > MAX_DEPTH:
            raise _TooBig(line, f"nested deeper than {MAX_DEPTH} levels")
        out.setdefault(path, line)
        # children pushed in reverse: visited in document order, so an alias is met after its anchor
        if isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):
                if isinstance(k, (yaml.MappingNode, yaml.SequenceNode)):
                    raise _TooBig(k.start_mark.line + 1, "mapping keys must be plain values")
                out[path + (k.value,)] = k.start_mark.line + 1
                stack.append((v, path + (k.value,), depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in reversed(list(enumerate(node.value))):
                stack.append((v, path + (i,), depth + 1))
    return out


def read_small_file(path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. Anything else (a FIFO, a device
    like /dev/zero, a folder, a larger file) is refused without reading more than ``limit + 1``
    bytes and without waiting: a FIFO is opened non-blocking and refused by its type."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise RuleError(str(path), None, "", f"cannot read: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RuleError(str(path), None, "", "not a regular file (a folder, a FIFO or a device cannot be a "
                            "rule or template file)")
        chunks, size = [], 0
        while True:
            b = os.read(fd, min(1 << 16, limit + 1 - size))
            if not b:
                break
            chunks.append(b)
            size += len(b)
            if size > limit:
                raise RuleError(str(path), None, "", f"the file is larger than {limit >> 10} KiB")
    except OSError as e:
        raise RuleError(str(path), None, "", f"cannot read: {e.strerror or e}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[tuple, int]]:
    """(data, {key path: line}) of a YAML file; errors name the file and line."""
    raw = read_small_file(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise RuleError(str(path), line, "", f"not UTF-8 text (byte {raw[e.start]:#04x} in this line); "
                        "save the file as UTF-8") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
        lines = _lines(node) if node is not None else {}
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(x for x in (e.context, e.problem) if x)
        raise RuleError(str(path), line, "", f"YAML error: {msg}") from None
    except yaml.YAMLError as e:
        raise RuleError(str(path), None, "", f"YAML error: {e}") from None
    except _TooBig as e:
        raise RuleError(str(path), e.line, "", e.message) from None
    except RecursionError:
        raise RuleError(str(path), None, "", f"nested deeper than {MAX_DEPTH} levels") from None
    return data, lines


def line_of(lines: dict[tuple, int], loc: tuple) -> int | None:
    """Line of the deepest known prefix of ``loc``."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get((), None)


def loc_text(loc) -> str:
    """``("attach", "shapes", 1)`` -> ``attach.shapes[1]``."""
    out = ""
    for p in loc:
        if isinstance(p, int):
            out += f"[{p}]"
        elif _PLAIN.match(str(p)):
            out += ("." if out else "") + str(p)
        else:
            out += f"[{json.dumps(str(p), ensure_ascii=False)}]"     # a key with spaces, dots, ...
    return out
