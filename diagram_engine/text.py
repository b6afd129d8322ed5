"""Wording: phrasebooks of Jinja templates, several phrasings per slot.

A phrasebook is a folder ``templates/<domain>/`` of YAML files, each a mapping from a slot
name to a list of phrasings. Every phrasing is a Jinja template rendered in a sandboxed
environment with undefined names as errors. The sample's rng picks the phrasing.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, Undefined, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .errors import RuleError, UserError
from .registry import register
from .yamlio import line_of, load_yaml_with_lines

__all__ = ["Phrasebook", "load_phrasebook"]


MAX_PHRASINGS = 200
MAX_TEMPLATE_CHARS = 2000
MAX_RANGE = 50          # range() in a template: a few dozen items at most
MAX_LOOPS = 3           # {% for %} blocks per phrasing: at most MAX_RANGE ** 3 iterations
MAX_REPEAT = 1000       # 'ab' * n and [..] * n: at most this many characters or items
MAX_OUTPUT = 10_000     # characters one rendered phrasing may produce
MAX_INT_BITS = 256      # an integer a template computes: at most this many bits
# the filters a phrasing may use (an unknown one is an error when the file is read): none of
# them makes text much longer than its input (no center, indent, format, wordwrap, ...)
SAFE_FILTERS = ("abs", "capitalize", "count", "default", "d", "first", "float", "int", "join", "last", "length",
                "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round",
                "select", "selectattr", "sort", "string", "sum", "title", "trim", "truncate", "unique", "upper")
# the methods of str, list and dict a phrasing may call
SAFE_METHODS = frozenset({"upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip", "startswith",
                          "endswith", "split", "rsplit", "count", "find", "index", "isdigit", "isalpha", "get",
                          "keys", "values", "items", "replace", "join"})


def _bounded(v, what: str):
    if isinstance(v, str) and len(v) > MAX_OUTPUT:
        raise SecurityError(f"{what} makes a text of {len(v)} characters (at most {MAX_OUTPUT})")
    if isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"{what} makes an integer of {v.bit_length()} bits (at most {MAX_INT_BITS})")
    return v


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no attribute like ``__class__``, no unsafe calls), plus limits on what
    could exhaust memory or time: string/list repetition (never of nested lists), powers and
    integer sizes, %-formatting (refused), the methods that may be called (SAFE_METHODS), the
    filters (SAFE_FILTERS), range() and loop counts, and the length of what is rendered."""
    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError(f"exponent {right} is too large (at most 64)")
            if isinstance(left, int) and isinstance(right, int) and right > 0 \
                    and left.bit_length() * right > MAX_INT_BITS:
                raise SecurityError(f"a power with more than {MAX_INT_BITS} bits")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                    if len(seq) * n > MAX_REPEAT:
                        raise SecurityError(f"repetition result too long (at most {MAX_REPEAT})")
                    if not isinstance(seq, str) and any(isinstance(x, (list, tuple, dict, str)) for x in seq):
                        raise SecurityError("repeating a list of lists or texts is not allowed")
        elif operator == "%" and isinstance(left, str):
            raise SecurityError("%-formatting of text is not allowed (write the value with {{ }})")
        return _bounded(super().call_binop(context, operator, left, right), f"'{operator}'")

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        # str.format reaches here wrapped by Jinja's sandbox (a function without __self__)
        if (isinstance(owner, (str, list, tuple, dict)) and name not in SAFE_METHODS) or name in ("format",
                                                                                                 "format_map"):
            raise SecurityError(f"the method {getattr(__obj, '__name__', '?')}() is not allowed in a template")
        return _bounded(super().call(__context, __obj, *args, **kwargs), "a call")


def _bounded_filter(f, what: str):
    def bounded(*args, **kwargs):
        return _bounded(f(*args, **kwargs), what)
    if hasattr(f, "jinja_pass_arg"):         # keep what Jinja passes first (the eval context)
        bounded.jinja_pass_arg = f.jinja_pass_arg
    return bounded


def _finalize(v):
    """What a ``{{ }}`` may print: text and numbers. Anything else would print a Python
    representation (a method's memory address, a list's brackets), which differs between runs
    or reads as code."""
    if isinstance(v, (str, int, float, Undefined)) and not isinstance(v, bool):
        return v                  # an undefined name raises its own error when printed
    raise SecurityError(f"a template may print text and numbers only, not {type(v).__name__}")


def _small_range(*args):
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise SecurityError(f"range() of {len(r)} items is too long (at most {MAX_RANGE})")
    return r


for _name, _doc in [("cap", "capitalise the first letter: {{ shape.noun|cap }}"),
                    ("join_and", "join a list as 'A and B' or 'A, B, and C': {{ facts|join_and }} (or join_and('or'))"),
                    ("a", "prefix 'a' or 'an': {{ shape.noun|a }}")]:
    register("template-filter", _name, _doc)


def _env() -> SandboxedEnvironment:
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, finalize=_finalize,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.globals = {"range": _small_range}
    builtin = env.filters
    env.filters = {name: builtin[name] for name in SAFE_FILTERS}
    for name in ("replace", "join"):          # they could make long texts: their results are bounded
        env.filters[name] = _bounded_filter(builtin[name], name)
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
        self.check_all = False

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
        choice = choices[int(rng.integers(len(choices)))] if len(choices) > 1 else choices[0]
        if self.check_all:
            for other in choices:
                if other is not choice:
                    _render(other, slot, ctx)
        return _render(choice, slot, ctx)

    def checking(self) -> "Phrasebook":
        """A copy that renders every phrasing of a slot whenever the slot is used, so a broken
        phrasing shows up even when the rng would not have picked it (``rules validate``)."""
        pb = Phrasebook()
        pb.slots, pb.lexicon, pb.check_all = self.slots, self.lexicon, True
        return pb

    def word(self, key: str, rng=None) -> str:
        words = self.lexicon.get(key)
        if words is None:
            raise RuleError("templates", None, f"lexicon.{key}", f"no lexicon entry '{key}'")
        if rng is None or len(words) == 1:
            return words[0]
        return words[int(rng.integers(len(words)))]


def _render(choice, slot: str, ctx: dict) -> str:
    tpl, path, line, slot = choice
    try:
        parts, size = [], 0
        for piece in tpl.generate(**ctx):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise SecurityError(f"the phrasing renders more than {MAX_OUTPUT} characters")
            parts.append(piece)
        return "".join(parts).strip()
    except SecurityError as e:
        raise RuleError(path, line, slot, f"unsafe template: {e}") from None
    except TemplateError as e:
        raise RuleError(path, line, slot, f"template error: {e}") from None
    except RecursionError:
        raise RuleError(path, line, slot, "template error: recursion too deep") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as e:
        # an operation the template asked for failed, e.g. 'AB' + 1
        raise RuleError(path, line, slot, f"template error: {type(e).__name__}: {e}") from None


_CACHE: dict[tuple, Phrasebook] = {}


def load_phrasebook(folder: Path, extra_files=()) -> Phrasebook:
    """The phrasebook of ``folder/*.yaml``; each of ``extra_files`` (a rule's own templates)
    then adds its slots, replacing a slot of the same name, and its lexicon words."""
    folder = Path(folder)
    files = sorted(folder.glob("*.yaml"))
    extra = [Path(f) for f in extra_files]
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files + extra)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    if not files:
        raise UserError(f"no template files in {folder}")
    env = _env()
    pb = Phrasebook()
    for f in files:
        _read_file(pb, env, f, replace=False)
    for f in extra:
        _read_file(pb, env, f, replace=True)
    _CACHE[key] = pb
    return pb


def _read_file(pb: Phrasebook, env, f: Path, replace: bool) -> None:
    data, lines = load_yaml_with_lines(f)
    if not isinstance(data, dict):
        raise RuleError(str(f), 1, "", "a template file maps slot names to lists of phrasings")
    replaced: set[str] = set()
    for slot, items in data.items():
        ln = line_of(lines, (slot,))
        if not isinstance(slot, str):
            raise RuleError(str(f), ln, str(slot), "slot names are strings")
        if slot == "lexicon":
            if not isinstance(items, dict):
                raise RuleError(str(f), ln, "lexicon", "the lexicon maps words to lists of synonyms")
            for k, v in items.items():
                vv = v if isinstance(v, list) else [v]
                if not vv or not all(isinstance(x, str) for x in vv):
                    raise RuleError(str(f), line_of(lines, ("lexicon", k)), f"lexicon.{k}",
                                    "expected a string or a list of strings")
                pb.lexicon[str(k)] = vv
            continue
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not items or not all(isinstance(x, str) for x in items):
            raise RuleError(str(f), ln, slot, "expected a non-empty list of template strings")
        if len(items) > MAX_PHRASINGS:
            raise RuleError(str(f), ln, slot, f"more than {MAX_PHRASINGS} phrasings")
        out = []
        for i, src in enumerate(items):
            iln = line_of(lines, (slot, i)) or ln
            if len(src) > MAX_TEMPLATE_CHARS:
                raise RuleError(str(f), iln, f"{slot}[{i}]", f"a phrasing is limited to {MAX_TEMPLATE_CHARS} characters")
            try:
                tree = env.parse(src)
                loops = list(tree.find_all(nodes.For))
                tpl = env.from_string(src)
            except TemplateSyntaxError as e:
                raise RuleError(str(f), iln, f"{slot}[{i}]", f"template syntax error: {e.message}") from None
            if len(loops) > MAX_LOOPS:
                raise RuleError(str(f), iln, f"{slot}[{i}]", f"at most {MAX_LOOPS} for-loops per phrasing")
            if any(loop.recursive for loop in loops):
                raise RuleError(str(f), iln, f"{slot}[{i}]", "recursive for-loops are not allowed in a phrasing")
            for kind, node in (("macros", nodes.Macro), ("call blocks", nodes.CallBlock),
                               ("includes", nodes.Include), ("imports", nodes.Import),
                               ("imports", nodes.FromImport), ("extends", nodes.Extends)):
                if any(True for _ in tree.find_all(node)):
                    raise RuleError(str(f), iln, f"{slot}[{i}]", f"{kind} are not allowed in a phrasing")
            out.append((tpl, str(f), iln, f"{slot}[{i}]"))
        if replace and slot not in replaced:
            pb.slots[slot] = []
            replaced.add(slot)
        pb.slots.setdefault(slot, []).extend(out)
