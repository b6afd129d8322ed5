"""Safe arithmetic expressions from rule files.

Rule files are untrusted input: anyone can write one, and a formula such as
``PQ*PS*sin(QPS)/2`` must never reach ``eval``, ``exec``, ``sympy.sympify`` or
``parse_expr`` (all of which run Python code). Here the source is only *parsed*
(``ast.parse(..., mode="eval")`` executes nothing), the tree is checked against a small
whitelist, and the sympy expression, a fast float evaluator (nested closures over the
``math`` module) and a written-order formula template are built from the tree by hand.

>>> e = parse("PQ*PS*sin(QPS)/2", ["PQ", "PS", "QPS"], degrees=True)
>>> e.sympy, e({"PQ": 2.0, "PS": 3.0, "QPS": 90.0})
(PQ*PS*sin(pi*QPS/180)/2, 3.0)
>>> e.pattern(["PQ", "PS", "QPS"])
'{0} · {1} · sin({2}) / 2'

Size limits keep a hostile formula from exhausting time or memory (``9**9**9``, huge
literals, deep nesting). Every problem is an :class:`ExprError` with a one-line message
and, where known, the 1-based column.
"""
from __future__ import annotations

import ast
import difflib
import math
import operator
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any

import sympy as sp

from .registry import register

__all__ = ["FUNCTIONS", "MAX_DEPTH", "MAX_DIGITS", "MAX_EXPONENT", "MAX_INT", "MAX_LENGTH", "MAX_NODES",
           "Expr", "ExprError", "parse", "symbol"]

MAX_LENGTH, MAX_NODES, MAX_DEPTH = 500, 200, 30
MAX_INT, MAX_DIGITS, MAX_EXPONENT = 10**9, 12, 64
_MAX_BITS = 1000          # size of the exact numbers built on the way (about 300 digits)

Num = Callable[[Mapping[str, float]], float]   # a compiled float evaluator

# name -> (fewest args, most args or None, sympy function, math function)
_FUNCS: dict[str, tuple[int, int | None, Callable[..., sp.Expr], Callable[..., float]]] = {
    "sqrt": (1, 1, sp.sqrt, math.sqrt), "abs": (1, 1, sp.Abs, abs), "exp": (1, 1, sp.exp, math.exp),
    "log": (1, 2, sp.log, math.log), "min": (2, None, sp.Min, min), "max": (2, None, sp.Max, max),
    "sin": (1, 1, sp.sin, math.sin), "cos": (1, 1, sp.cos, math.cos), "tan": (1, 1, sp.tan, math.tan),
    "asin": (1, 1, sp.asin, math.asin), "acos": (1, 1, sp.acos, math.acos), "atan": (1, 1, sp.atan, math.atan),
}
_TRIG, _ARC = ("sin", "cos", "tan"), ("asin", "acos", "atan")     # take / return degrees when asked
FUNCTIONS: tuple[str, ...] = tuple(sorted(_FUNCS))
_CONSTANTS: dict[str, tuple[sp.Expr, float]] = {"pi": (sp.pi, math.pi), "e": (sp.E, math.e)}
_BINOPS: dict[type, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]] = {
    ast.Add: (operator.add, operator.add), ast.Sub: (operator.sub, operator.sub),
    ast.Mult: (operator.mul, operator.mul), ast.Div: (operator.truediv, operator.truediv),
    ast.Pow: (operator.pow, math.pow),   # math.pow: a ValueError, never a complex, for (-8)**(1/3)
}
_BAD_OPS = {ast.BitXor: ("^", "'^' is not a power here; write x**2"), ast.FloorDiv: ("//", "'//' is not allowed; write a / b"),
            ast.Mod: ("%", "'%' is not allowed"), ast.MatMult: ("@", "'@' is not allowed"), ast.BitAnd: ("&", ""),
            ast.BitOr: ("|", ""), ast.LShift: ("<<", ""), ast.RShift: (">>", "")}
_BAD_NODES = {ast.Subscript: "subscripts ('[...]') are not allowed", ast.Lambda: "lambda is not allowed",
              ast.ListComp: "comprehensions are not allowed", ast.SetComp: "comprehensions are not allowed",
              ast.DictComp: "comprehensions are not allowed", ast.GeneratorExp: "comprehensions are not allowed",
              ast.Compare: "comparisons are not allowed",
              ast.BoolOp: "'and' and 'or' are not allowed", ast.IfExp: "'... if ... else ...' is not allowed",
              ast.JoinedStr: "f-strings are not allowed", ast.NamedExpr: "':=' is not allowed",
              ast.List: "lists are not allowed", ast.Tuple: "tuples are not allowed (a stray comma?)",
              ast.Dict: "dicts are not allowed", ast.Set: "sets are not allowed", ast.Starred: "'*' unpacking is not allowed"}

_SYMBOLS: dict[str, sp.Symbol] = {}


def symbol(name: str) -> sp.Symbol:
    """The one real sympy Symbol used for variable ``name`` everywhere."""
    s = _SYMBOLS.get(name)
    if s is None:
        s = _SYMBOLS.setdefault(name, sp.Symbol(name, real=True))
    return s


class ExprError(ValueError):
    """A bad expression: ``.message`` is one line, ``.col`` the 1-based column or None."""

    def __init__(self, message: str, col: int | None = None):
        self.message, self.col = message, col
        super().__init__(f"{message} (column {col})" if col and "column" not in message else message)

    def __reduce__(self):
        return (type(self), (self.message, self.col))


@dataclass(frozen=True)
class Expr:
    """A checked expression: its exact sympy form, a fast float evaluator and a template."""
    source: str
    sympy: sp.Expr
    names: tuple[str, ...]       # variables used, in order of first appearance
    degrees: bool = field(repr=False)
    _call: Num = field(repr=False, compare=False)
    _tree: ast.Expression = field(repr=False, compare=False)

    def __call__(self, values: Mapping[str, float]) -> float:
        """Float value (math module only); math errors propagate, a missing name is a KeyError."""
        return float(self._call(values))

    def exact(self, values: Mapping[str, sp.Expr]) -> sp.Expr:
        """The exact value with ``values`` substituted for the variables."""
        return self.sympy.xreplace({symbol(n): _exact_value(values[n]) for n in self.names})

    def pattern(self, order: Sequence[str]) -> str:
        """The formula as written, variable ``name`` shown as ``{order.index(name)}``."""
        missing = [n for n in self.names if n not in order]
        if missing:
            raise ValueError(f"pattern: names {missing} are not in order {list(order)}")
        return _Writer(_normalize(self.source)[0], list(order), set(self.names)).write(self._tree.body)[0]

    def __reduce__(self):
        return (partial(parse, degrees=self.degrees), (self.source, self.names))


def _exact_value(v: Any) -> sp.Expr:
    if isinstance(v, sp.Basic):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return sp.Integer(v)
    raise TypeError(f"exact values must be sympy expressions or ints, got {type(v).__name__}")


def _normalize(source: str) -> tuple[str, int]:
    """Newlines become spaces and leading blanks are dropped; returns the text and that offset."""
    text = source.replace("\r", " ").replace("\n", " ")
    body = text.lstrip(" \t")
    return body, len(text) - len(body)


def _suggest(word: str, candidates: Sequence[str]) -> str:
    scored = [(difflib.SequenceMatcher(None, word.lower(), c.lower()).ratio(), -i, c) for i, c in enumerate(candidates)]
    best = max(scored, default=(0.0, 0, ""))
    return f"; did you mean '{best[2]}'?" if best[0] >= 0.5 else ""


def _bits(e: sp.Expr) -> int:
    """Size in bits of the largest exact number in ``e``."""
    return max((r.p.bit_length() + r.q.bit_length() for r in e.atoms(sp.Rational)), default=0)


def _depth(node: ast.AST) -> int:
    """Nesting depth; a chain like a + b - c + d counts once, as sympy flattens it."""
    best = 0
    for child in ast.iter_child_nodes(node):
        d = _depth(child)
        if (isinstance(node, ast.BinOp) and child is node.left and isinstance(child, ast.BinOp)
                and _PREC.get(type(child.op)) == _PREC.get(type(node.op))):
            d -= 1
        best = max(best, d)
    return best + isinstance(node, ast.expr)


def parse(source: str, names: Iterable[str], *, degrees: bool = False) -> Expr:
    """Check ``source`` and build an :class:`Expr` over the variables ``names``.

    With ``degrees=True`` trigonometric functions take and inverse ones return degrees.
    """
    if not isinstance(source, str):
        raise ExprError(f"an expression must be a string, not {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise ExprError(f"expression is too long ({len(source)} characters; at most {MAX_LENGTH})")
    text, lead = _normalize(source)
    if not text.strip():
        raise ExprError("empty expression")
    level = 0
    for i, ch in enumerate(text):
        if ord(ch) < 32 and ch != "\t":
            raise ExprError(f"control character {ch!r} is not allowed", lead + i + 1)
        level += (ch in "([{") - (ch in ")]}")
        if level > MAX_DEPTH:
            raise ExprError(f"expression is nested too deeply (more than {MAX_DEPTH} levels)", lead + i + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")       # "'int' object is not callable" for 2(x) etc.
            tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        col = lead + (e.offset if e.offset and e.offset > 0 else len(text) + 1)
        raise ExprError(f"syntax error at column {col}: {e.msg}", col) from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise ExprError(f"cannot parse the expression: {e}") from None
    count = sum(isinstance(n, ast.expr) for n in ast.walk(tree))
    if count > MAX_NODES:
        raise ExprError(f"expression is too complex ({count} parts; at most {MAX_NODES})")
    if _depth(tree) > MAX_DEPTH:
        raise ExprError(f"expression is nested too deeply (more than {MAX_DEPTH} levels)")
    builder = _Builder(text, lead, sorted(set(names)), degrees)
    try:
        exact, call = builder.build(tree.body)
    except ExprError:
        raise
    except (ArithmeticError, TypeError, ValueError) as e:     # from sympy, e.g. max(sqrt(-1), 1)
        raise ExprError(f"cannot compute the expression exactly: {str(e).splitlines()[0] if str(e) else e!r}") from None
    if exact.has(sp.zoo, sp.nan, sp.oo, sp.S.NegativeInfinity):
        raise ExprError("expression is undefined (a division by zero or log(0)?)")
    return Expr(source, exact, tuple(builder.used), degrees, call, tree)


class _Builder:
    """Walks a parsed tree once, checking it and building the exact and the float forms."""

    def __init__(self, text: str, lead: int, names: list[str], degrees: bool):
        self.text, self.lead, self.names, self.known, self.degrees = text, lead, names, set(names), degrees
        self.used: dict[str, None] = {}        # an ordered set
        data = text.encode()
        self._chars = None if text.isascii() else (lambda off: len(data[:off].decode("utf-8", "ignore")))

    def col(self, byte_offset: int) -> int:
        """1-based column in the source of a byte offset in the parsed text."""
        return self.lead + 1 + (self._chars(byte_offset) if self._chars else byte_offset)

    def err(self, message: str, node: ast.AST | None = None, find: str = "") -> ExprError:
        """An error at ``node``, or at the first ``find`` after the end of ``node``."""
        if node is None:
            return ExprError(message)
        if find:
            start = self.col(node.end_col_offset or 0) - self.lead - 1
            return ExprError(message, self.lead + 1 + max(start, self.text.find(find, start)))
        return ExprError(message, self.col(node.col_offset))

    def build(self, node: ast.AST) -> tuple[sp.Expr, Num]:
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise self.err("'not' is not allowed" if isinstance(node.op, ast.Not) else "bit operations are not allowed", node)
            e, f = self.build(node.operand)
            return (-e, lambda v: -f(v)) if isinstance(node.op, ast.USub) else (e, f)
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Attribute):
            raise self.err(f"attribute access ('.{node.attr}') is not allowed", node.value, find=".")
        message = _BAD_NODES.get(type(node), f"'{type(node).__name__}' is not allowed in an expression")
        raise self.err(message, node)

    def number(self, node: ast.Constant) -> tuple[sp.Expr, Num]:
        value, written = node.value, ast.get_source_segment(self.text, node) or ""
        if isinstance(value, bool) or value is None or value is ...:
            raise self.err(f"'{value}' is not allowed; only numbers", node)
        if isinstance(value, (str, bytes)):
            raise self.err("strings are not allowed", node)
        if isinstance(value, complex):
            raise self.err("complex numbers are not allowed", node)
        digits = written.replace("_", "")
        if isinstance(value, int):
            if not digits.isdigit():
                raise self.err(f"write numbers in decimal, not '{written}'", node)
            if value > MAX_INT:
                raise self.err(f"number {written[:20]}{'...' if len(written) > 20 else ''} is too large "
                               f"(at most {MAX_INT} in absolute value)", node)
            exact: sp.Expr = sp.Integer(value)
        else:
            d = Decimal(digits)
            if d and not (-MAX_DIGITS <= d.adjusted() <= 9 and d <= MAX_INT):   # before Fraction() expands 1e999999
                raise self.err(f"number {written} is out of range (at most {MAX_INT}, at least 1e-{MAX_DIGITS})", node)
            if len("".join(map(str, d.as_tuple().digits)).strip("0")) > MAX_DIGITS:
                raise self.err(f"number {written} has more than {MAX_DIGITS} significant digits", node)
            frac = Fraction(d)
            exact = sp.Rational(frac.numerator, frac.denominator)
        x = float(value)
        return exact, lambda v: x

    def name(self, node: ast.Name) -> tuple[sp.Expr, Num]:
        name, written = node.id, ast.get_source_segment(self.text, node)
        if written != name:     # Python folds e.g. 'ＰＱ' to 'PQ'; take it as written
            name = written or name
        elif name in self.known:
            self.used.setdefault(name)
            return symbol(name), lambda v: v[name]
        if name in _CONSTANTS:
            e, x = _CONSTANTS[name]
            return e, lambda v: x
        if name in _FUNCS:
            raise self.err(f"'{name}' is a function; call it like {name}(x)", node)
        shown = ", ".join(self.names[:12]) + (f", ... ({len(self.names)} in all)" if len(self.names) > 12 else "")
        known = f"known: {shown}" if self.names else "no variables are allowed here"
        hint = _suggest(name, self.names + [c for c in _CONSTANTS if c not in self.known])
        raise self.err(f"unknown name '{name}'{hint} ({known})", node)

    def binop(self, node: ast.BinOp) -> tuple[sp.Expr, Num]:
        kind = type(node.op)
        if kind not in _BINOPS:
            text, message = _BAD_OPS[kind]
            raise self.err(message or f"bit operations ('{text}') are not allowed", node.left, find=text)
        (a, fa), (b, fb) = self.build(node.left), self.build(node.right)
        exact_op, float_op = _BINOPS[kind]
        if kind is ast.Pow and b.is_number:
            self.check_power(a, b, node)
        result = exact_op(a, b)
        if _bits(result) > _MAX_BITS:
            raise self.err("numbers in the expression grow too large", node)
        return result, lambda v: float_op(fa(v), fb(v))

    def check_power(self, base: sp.Expr, expo: sp.Expr, node: ast.BinOp) -> None:
        """Refuse powers whose exact value would be huge (9**9**9, (10**9)**64**2)."""
        try:
            size = abs(complex(expo))
        except (TypeError, ValueError):
            size = math.inf
        if not size <= MAX_EXPONENT:
            raise self.err(f"exponent {str(expo)[:20]} is too large (at most {MAX_EXPONENT} in absolute value)", node.left, find="**")
        if _bits(base) * size > _MAX_BITS:
            raise self.err("power is too large to compute exactly", node.left, find="**")

    def call(self, node: ast.Call) -> tuple[sp.Expr, Num]:
        func = node.func
        if not isinstance(func, ast.Name):
            self.build(func)    # reports attribute access, lambdas, ... by name
            raise self.err("only functions can be called; write '*' for a product, e.g. 2*(x + 1)", func, find="(")
        name = func.id
        if node.keywords:
            raise self.err(f"keyword arguments are not allowed in {name}()", node.keywords[0])
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.err(f"'*' arguments are not allowed in {name}()", arg)
        if name in self.known:
            raise self.err(f"'{name}' is a variable, not a function; write {name}*(...) for a product", func)
        if name not in _FUNCS:
            hint = _suggest(name, FUNCTIONS)
            raise self.err(f"function '{name}' is not allowed{hint} (allowed: {', '.join(FUNCTIONS)})", func)
        low, high, exact_fn, fn = _FUNCS[name]
        n = len(node.args)
        if n < low or (high is not None and n > high):
            wanted = (f"{low}" if low == high else f"at least {low}" if high is None else f"{low} or {high}")
            plural = "" if wanted == "1" else "s"
            raise self.err(f"{name} takes {wanted} argument{plural}, got {n}", func)
        built = [self.build(a) for a in node.args]
        args, fs = [e for e, _ in built], [f for _, f in built]
        if self.degrees and name in _TRIG:
            exact, fn = exact_fn(args[0] * sp.pi / 180), (lambda x, g=fn: g(math.radians(x)))
        elif self.degrees and name in _ARC:
            exact, fn = exact_fn(args[0]) * 180 / sp.pi, (lambda x, g=fn: math.degrees(g(x)))
        else:
            exact = exact_fn(*args)
        if n == 1:
            f0 = fs[0]
            return exact, lambda v: fn(f0(v))
        if n == 2:
            f0, f1 = fs
            return exact, lambda v: fn(f0(v), f1(v))
        return exact, lambda v: fn(*[f(v) for f in fs])


_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Pow: 4}
_UNARY, _ATOM = 3, 5
_SUPER = {"2": "²", "3": "³"}


class _Writer:
    """Writes a checked tree as a template: ``{i}`` per variable, · / √ ² π |x| for people."""

    def __init__(self, text: str, order: list[str], variables: set[str]):
        self.text, self.order, self.variables = text, order, variables

    def write(self, node: ast.AST, spec: str = "") -> tuple[str, int]:
        """(text, precedence); ``spec`` is added to a bare variable's placeholder."""
        if isinstance(node, ast.Name):
            if node.id in self.variables:
                return f"{{{self.order.index(node.id)}{spec}}}", _ATOM
            return ("π" if node.id == "pi" else node.id), _ATOM
        if isinstance(node, ast.Constant):
            return ast.get_source_segment(self.text, node) or str(node.value), _ATOM
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return self.write(node.operand, spec)
            return "-" + self.wrap(node.operand, _UNARY), _UNARY
        if isinstance(node, ast.BinOp):
            prec = _PREC[type(node.op)]
            if isinstance(node.op, ast.Pow):
                base = self.wrap(node.left, _ATOM, spec=":p")
                expo = ast.get_source_segment(self.text, node.right)
                if isinstance(node.right, ast.Constant) and expo in _SUPER:
                    return base + _SUPER[expo], prec
                return f"{base}^{self.wrap(node.right, _ATOM, spec=':p')}", prec
            sign = {ast.Add: " + ", ast.Sub: " - ", ast.Mult: " · ", ast.Div: " / "}[type(node.op)]
            # a divisor's value is parenthesised unless it is a plain number: 2 · 4 / (4√2)
            right = self.wrap(node.right, prec + 1, spec=":p" if isinstance(node.op, ast.Div) else "")
            return self.wrap(node.left, prec) + sign + right, prec
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        name, args = node.func.id, node.args
        if name == "sqrt":
            inner, p = self.write(args[0])
            return ("√" + inner if p == _ATOM and isinstance(args[0], (ast.Name, ast.Constant)) else f"√({inner})"), _UNARY
        if name == "abs":
            return f"|{self.write(args[0])[0]}|", _ATOM
        return f"{name}({', '.join(self.write(a)[0] for a in args)})", _ATOM

    def wrap(self, node: ast.AST, need: int, spec: str = "") -> str:
        """The operand, in parentheses when it binds less tightly than ``need``."""
        text, prec = self.write(node, spec)
        return text if prec >= need else f"({text})"


_DOCS = {"sqrt": "square root", "abs": "absolute value", "exp": "e to the power x",
         "log": "natural logarithm log(x), or log(x, b) to base b", "min": "least of two or more values",
         "max": "greatest of two or more values", "sin": "sine (of degrees in plane geometry)",
         "cos": "cosine (of degrees in plane geometry)", "tan": "tangent (of degrees in plane geometry)",
         "asin": "inverse sine (in degrees in plane geometry)", "acos": "inverse cosine (in degrees in plane geometry)",
         "atan": "inverse tangent (in degrees in plane geometry)"}
for _f in FUNCTIONS:
    register("expression-function", _f, _DOCS[_f])
register("expression-function", "pi, e", "the constants π and e; operators + - * / ** and parentheses")
