"""Numbers and terms written as people write them: 2x, -x, (3/2)x, x - 2, (x + 3)², 2x² - 4x - 6.

Shared by the domains that write expressions and equations (function graphs, analytic
geometry). Values are exact sympy numbers; a ``str`` stands for a parameter letter and is
written as it is.
"""
from __future__ import annotations

import sympy as sp

from .exact import fmt_text

__all__ = ["SUP", "t", "coef", "join", "shift", "plus", "power", "par"]


def t(v) -> str:
    """A value as people write it; a str (a parameter letter) is kept."""
    if isinstance(v, str):
        return v
    return fmt_text(sp.Integer(v) if isinstance(v, int) else v)


def coef(c, body: str) -> str:
    """``c·body`` written compactly: 2x, -x, (3/2)x, a·sin(x), 2·(3)², 2·3^x."""
    if isinstance(c, str):
        dot = body[:3] in ("sin", "cos", "tan", "log") or body[:1].isdigit()
        return f"{c}·{body}" if dot else f"{c}{body}"
    if c == 1:
        return body
    if c == -1:
        return "-" + body
    s = t(c)
    if "/" in s or " " in s:           # (3/2)x, (3 ln 2)x
        s = f"-({s[1:]})" if s.startswith("-") else f"({s})"
    dot = body[:1].isdigit() or (body[:1] == "(" and (body[1:2].isdigit() or body[1:2] == "-"))
    return s + ("·" if dot else "") + body


def join(terms: list[str]) -> str:
    """Terms joined with + and -, a leading minus kept: ['2x²', '-4x', '-6'] -> 2x² - 4x - 6."""
    out = ""
    for i, s in enumerate(x for x in terms if x not in ("", "0")):
        if i == 0:
            out = s
        elif s.startswith("-"):
            out += " - " + s[1:]
        else:
            out += " + " + s
    return out or "0"


def shift(var: str, h) -> str:
    """``var - h`` written: x - 2, x + 3, x (h = 0), x - h."""
    if isinstance(h, str):
        return f"{var} - {h}"
    if h == 0:
        return var
    return f"{var} - {t(h)}" if h > 0 else f"{var} + {t(-h)}"


def plus(body: str, d) -> str:
    if isinstance(d, str):
        return f"{body} + {d}"
    return join([body, t(d)]) if d != 0 else body


SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")      # digits to superscripts: x², 2⁻³


def power(base: str, n: int) -> str:
    return base + str(n).translate(SUP) if n != 1 else base


def par(s: str) -> str:
    """``s`` in parentheses unless it is one number or name, or already wrapped."""
    if s.replace(".", "").isalnum() or (s.startswith("(") and s.endswith(")") and s.count("(") == 1):
        return s
    return f"({s})"
