"""Function families: sampled answer-first, with every feature known exactly.

A family samples its parameters so that the features a question may ask about (zeros,
extrema, asymptotes, intersections) are "nice" exact numbers inside the plotted window:
a quadratic is built from its roots or its vertex, a sine from its amplitude, period and
midline, an exponential from the power of its base that makes the zero an integer. No
equation is ever solved: each feature follows from the parameters by a textbook formula,
and the numeric re-measure (``check.py``) checks it against the expression alone.

Each family also knows how to write itself: the record's expression (in the syntax of
``diagram_engine.expr``), the text people read (``3sin(πx/2) + 1``), and the same text with
some parameters left as letters (the form a question states when the values are in the
picture).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from ...errors import Rejected
from ...expr import parse
from ...writing import SUP as _SUP
from ...writing import coef, join, par, plus, power, shift, t

__all__ = ["Fn", "Features", "FAMILIES", "make"]

X = sp.Symbol("x", real=True)
I = sp.Integer
R = sp.Rational
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _neg(v) -> bool:
    return not isinstance(v, str) and v < 0


def e(v) -> str:
    """A value in the expression syntax of diagram_engine.expr (a letter stays a letter)."""
    if isinstance(v, str):
        return v
    v = sp.sympify(v)
    if isinstance(v, sp.Integer):
        return str(int(v)) if v >= 0 else f"({int(v)})"
    if isinstance(v, sp.Rational):
        return f"({v.p}/{v.q})"
    return f"({sp.sstr(v)})"


# --- features ----------------------------------------------------------------------------------

@dataclass
class Features:
    # None: not known as nice exact numbers, so never asked
    zeros: list | None = None                     # exact x of every zero in the window
    extrema: list | None = field(default_factory=list)   # (x, y, "max" | "min") inside the window
    increasing: list | None = field(default_factory=list)   # (a, b) maximal intervals in the window
    decreasing: list | None = field(default_factory=list)
    vertical: list = field(default_factory=list)  # x of vertical asymptotes in the window
    horizontal: object = None                     # y of the horizontal asymptote
    period: object = None
    symmetry: str = "neither"
    defined_from: object = None                   # the domain starts here (logarithm), open


@dataclass
class Fn:
    """One sampled function: its family, exact parameters and everything derived from them."""
    family: str
    params: dict                   # name -> exact value
    letters: tuple[str, ...]       # parameter names in the order the form shows them
    window: tuple[int, int]
    expr: str                      # expression syntax of diagram_engine.expr (the record's `expr`)
    _sym: object                   # exact: a sympy expression, or a function building it when first needed
    f: object                      # float evaluator x -> y
    features: Features
    writer: object                 # (values dict, var) -> text
    expr_writer: object = None     # values dict -> expression syntax
    pieces: list | None = None     # piecewise: [(a, b, closed_a, closed_b, expr, sym, f)]
    mode: str = ""

    @property
    def sym(self) -> sp.Expr:
        if callable(self._sym):
            self._sym = self._sym()
        return self._sym

    def text(self, var: str = "x", hidden=()) -> str:
        vals = {k: (k if k in hidden else v) for k, v in self.params.items()}
        return self.writer(vals, var)

    def text_at(self, x0, var: str, hidden=()) -> str:
        """The expression that holds at x0 (a piecewise function's piece), written with ``var``."""
        if not self.pieces:
            return self.text(var=var, hidden=hidden)
        vals = {k: (k if k in hidden else v) for k, v in self.params.items()}
        return FAMILIES["piecewise"].piece_text(vals, self.piece_at(x0), var)[0]

    def param_value(self, letter: str):
        return self.params[letter]

    def form_expr(self, hidden) -> sp.Expr:
        """The exact expression with the ``hidden`` letters as symbols (linear in each)."""
        hidden = tuple(hidden)
        memo = self.__dict__.setdefault("_forms", {})
        if hidden not in memo:
            if self.pieces:
                vals = {k: (k if k in hidden else v) for k, v in self.params.items()}
                memo[hidden] = sp.Piecewise(*[(_compile(src, hidden)[0], cond) for src, cond in
                                              FAMILIES["piecewise"].sources(vals)])
            else:
                vals = {**self.params, **{h: sp.Symbol(h, real=True) for h in hidden}}
                memo[hidden] = FAMILIES[self.family].sym(vals)
        return memo[hidden]

    def form(self, var: str = "x") -> str:
        return self.text(var, hidden=self.letters)

    def value(self, x0) -> sp.Expr:
        """The exact value at a rational x0 (sympy evaluates sin(π/6), 2⁻³, ... exactly)."""
        x0 = sp.sympify(x0)
        if self.pieces:
            return self.pieces[self.piece_at(x0)][5].xreplace({X: x0})
        if self.family == "logarithm":
            return _log_value(self.params, x0)
        return self.sym.xreplace({X: x0})

    def piece_at(self, x0) -> int:
        for i, (a, b, ca, cb, _, _, _) in enumerate(self.pieces):
            if (a < x0 < b) or (x0 == a and ca) or (x0 == b and cb):
                return i
        raise ValueError(f"x = {x0} is in no piece")

    def defined_at(self, x0) -> bool:
        try:
            v = self.value(x0)
        except ValueError:
            return False
        return v.is_finite is not False and not v.has(sp.zoo, sp.nan, sp.oo, -sp.oo)

    def variant(self, changes: dict) -> Fn:
        """This function with some parameters changed (``changes``: name -> exact value), on
        the same window, its features derived again from the new values. The result answers
        questions but is not drawn: no expression is parsed and it has no float evaluator.
        ``changes["window"]``: another window. Raises ValueError when the new values make no
        function of the family."""
        fam = FAMILIES[self.family]
        changes = dict(changes)
        window = changes.pop("window", self.window)          # the plotted window itself may change
        if not changes and not self.pieces:
            return replace(self, window=window, features=fam.features(self.params, window), f=None)
        return fam.light(fam.refit(self.params, changes) if changes else self.params, window, self.mode)


def _log_value(p, x0) -> sp.Expr:
    """a·log_b(x0 - h) + d, exact: an integer logarithm when x0 - h is a power of b."""
    arg = x0 - p["h"]
    if arg <= 0:
        return sp.nan
    b = p["b"]
    if arg.is_Integer:
        n, r = 0, int(arg)
        while r % int(b) == 0 and r > 1:
            r //= int(b)
            n += 1
        if r == 1:
            return p["a"] * n + p["d"]
    return p["a"] * sp.log(arg, b) + p["d"]


def _compile(expr: str, letters=()):
    ex = parse(expr, ["x", *letters])
    return ex.sympy.xreplace({sp.Symbol("x", real=True): X}), (lambda x, _c=ex: _c({"x": x}))


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _nonzero(rng, lo, hi, exclude=()):
    vals = [v for v in range(lo, hi + 1) if v != 0 and v not in exclude]
    if not vals:
        raise Rejected("parameters", "no nonzero coefficient in range", "coefficients")
    return I(_pick(rng, vals))


def _intervals(points, window, signs):
    """Split the window at ``points``; ``signs`` gives +1/-1 per piece -> (inc, dec)."""
    cuts = [window[0]] + sorted(p for p in points if window[0] < p < window[1]) + [window[1]]
    inc, dec = [], []
    for (a, b), s in zip(zip(cuts, cuts[1:]), signs):
        (inc if s > 0 else dec).append((a, b))
    return inc, dec


# --- the families ---------------------------------------------------------------------------

class Family:
    name = ""
    letters: tuple[str, ...] = ()
    modes: tuple[str, ...] = ("",)

    def sample(self, rng, rule, window, mode) -> dict:
        raise NotImplementedError

    def write(self, p, var) -> str:
        raise NotImplementedError

    def expr(self, p) -> str:
        raise NotImplementedError

    def features(self, p, window) -> Features:
        raise NotImplementedError

    focused = False      # the window closes in on the features (polynomial-like growth)

    def narrow(self, p, window) -> tuple[int, int]:
        """The window this function is drawn in, inside the rule's ``window``."""
        return window

    nonzero: tuple[str, ...] = ()     # parameters that must not be 0 (a leading coefficient)
    positive: tuple[str, ...] = ()    # parameters that must be positive (a period)

    def refit(self, p, changes) -> dict:
        """``p`` with ``changes`` applied and the parameters derived from them derived again;
        ValueError when they make no function of the family."""
        p2 = {**p, **changes}
        if any(p2[n] == 0 for n in self.nonzero) or any(p2[n] <= 0 for n in self.positive):
            raise ValueError(f"no {self.name} with {changes}")
        return p2

    def sym(self, p) -> sp.Expr:
        """The exact expression, built directly (the same function ``expr`` writes)."""
        raise NotImplementedError

    def light(self, p, window, mode) -> Fn:
        """The Fn of parameters ``p`` on ``window`` without a parsed expression or a float
        evaluator: enough to ask a question of it (the answers of neighbouring problems)."""
        return Fn(self.name, p, self.letters, window, None, lambda: self.sym(p), None, self.features(p, window),
                  self.write, self.expr, mode=mode)

    def build(self, rng, rule, window, mode, light: bool = False) -> Fn:
        p = self.sample(rng, rule, window, mode)
        window = self.narrow(p, window)
        feats = self.features(p, window)
        if self.focused:
            margins = (2 + int(rng.integers(2)), 2 + int(rng.integers(2)))    # not always framed alike
            window = _focus(feats, window, symmetric=mode in SYMMETRY_WORDS, margins=margins)
            feats = self.features(p, window)
        if light:
            return Fn(self.name, p, self.letters, window, None, lambda: self.sym(p), None, feats, self.write,
                      self.expr, mode=mode)
        ex = self.expr(p)
        sym, f = _compile(ex)
        return Fn(self.name, p, self.letters, window, ex, sym, f, feats, self.write, self.expr, mode=mode)


SYMMETRY_WORDS = ("even", "odd", "neither")
# mode "match" (which expression is the graph?): every letter of the form drawn independently
# of the others, so that a letter's value is no clue to the others' (the options differ in
# one letter, drawn afresh: the key's value must be one draw of the same distribution)
MATCH = "match"


def _focus(feats: Features, window, symmetric: bool = False, margins=(2, 2)) -> tuple[int, int]:
    """A window ``margins`` (two or three) units beyond the outermost zero, extremum or the
    y-axis, at least 6 wide, inside ``window``: polynomials grow fast, and the picture is about
    the features. With
    ``symmetric`` (a symmetry question) the window stays symmetric about 0, whatever the
    function, so that the window never tells an even or odd function from one that is neither."""
    xs = list(feats.zeros or []) + [x for x, _, _ in (feats.extrema or [])] or [0]
    if min(xs) - 4 <= 0 <= max(xs) + 4:
        xs.append(0)          # show the y-axis when it is near
    lo, hi = int(sp.floor(min(xs))) - margins[0], int(sp.ceiling(max(xs))) + margins[1]
    while hi - lo < 6:
        lo, hi = lo - 1, hi + 1
    if symmetric:
        half = max(-lo, hi, 3)
        lo, hi = -half, half
    return max(lo, window[0]), min(hi, window[1])


def _inner(window, margin=1):
    return list(range(window[0] + margin, window[1] - margin + 1))


class Linear(Family):
    name, letters = "linear", ("m", "b")
    modes = ("", "odd", "neither", MATCH)
    focused = True
    nonzero = ("m",)

    def sample(self, rng, rule, window, mode):
        m = _nonzero(rng, *rule.coefficients) / _pick(rng, [1, 1, 2])
        if mode == MATCH:
            return {"m": m, "b": I(int(rng.integers(rule.coefficients[0], rule.coefficients[1] + 1)))}
        inner = _inner(window)
        if mode == "odd":
            inner = [0]
        elif mode == "neither":
            inner = [v for v in inner if v != 0]
        r = I(_pick(rng, inner))           # the zero
        return {"m": m, "b": -m * r}

    def sym(self, p):
        return p["m"] * X + p["b"]

    def write(self, p, var):
        return join([coef(p["m"], var), t(p["b"]) if not isinstance(p["b"], str) else p["b"]])

    def expr(self, p):
        return f"{e(p['m'])}*x + {e(p['b'])}"

    def features(self, p, w):
        m, b = p["m"], p["b"]
        z = -b / m
        inc, dec = ([(w[0], w[1])], []) if m > 0 else ([], [(w[0], w[1])])
        sym = "odd" if b == 0 else "neither"
        return Features(zeros=[z] if w[0] <= z <= w[1] else [], increasing=inc, decreasing=dec, symmetry=sym)


class Quadratic(Family):
    """a·x² + b·x + c, built from its two roots ("roots") or its vertex ("vertex")."""
    name, letters = "quadratic", ("a", "b", "c")
    modes = ("roots", "vertex", "symmetric", "even", "neither", MATCH)
    focused = True
    nonzero = ("a",)

    def sample(self, rng, rule, window, mode):
        a = _pick(rng, [I(1), I(-1), I(2), I(-2), R(1, 2), R(-1, 2)])
        if mode == MATCH:
            return self.refit({"a": a, "b": I(int(rng.integers(-4, 5))),
                               "c": I(int(rng.integers(rule.coefficients[0], rule.coefficients[1] + 1)))}, {})
        inner = _inner(window)
        neither = mode == "neither"       # a vertex off the y-axis, from its roots or as a vertex
        if neither:
            mode = ("roots", "vertex")[int(rng.integers(2))]
        if mode == "roots":
            r1, r2 = sorted(int(v) for v in rng.choice(inner, 2, replace=False))
            if neither and r1 + r2 == 0:
                r2 = r2 + 1 if r2 + 1 <= inner[-1] else r2 - 1
                r1, r2 = sorted((r1, r2))
            h = R(r1 + r2, 2)
            k = -a * R(r2 - r1, 2) ** 2
        else:
            if mode in ("symmetric", "even"):
                h = I(0)
            else:
                h = I(_pick(rng, [v for v in inner if v != 0] if neither else inner))
            k = I(int(rng.integers(rule.coefficients[0], rule.coefficients[1] + 1)))
        return {"a": a, "h": h, "k": k, "b": -2 * a * h, "c": a * h * h + k}

    def refit(self, p, changes):
        p2 = super().refit(p, changes)
        a, b, c = p2["a"], p2["b"], p2["c"]
        h = -b / (2 * a)
        return {**p2, "h": h, "k": c - a * h * h}

    def sym(self, p):
        return p["a"] * X ** 2 + p["b"] * X + p["c"]

    def write(self, p, var):
        return _poly_text([p["a"], p["b"], p["c"]], var)

    def expr(self, p):
        return f"{e(p['a'])}*x**2 + {e(p['b'])}*x + {e(p['c'])}"

    def features(self, p, w):
        a, h, k = p["a"], p["h"], p["k"]
        disc = -k / a
        zeros = None
        if disc >= 0:
            s = sp.sqrt(disc)
            zeros = sorted({h - s, h + s}, key=float) if disc > 0 else [h]
            zeros = [z for z in zeros if w[0] <= z <= w[1]]
            if not all(isinstance(sp.nsimplify(z), sp.Rational) for z in zeros):
                zeros = None
        else:
            zeros = []
        ext = [(h, k, "min" if a > 0 else "max")] if w[0] < h < w[1] else []
        inc, dec = _intervals([h], w, (-1, 1) if a > 0 else (1, -1))
        return Features(zeros=zeros, extrema=ext, increasing=inc, decreasing=dec,
                        symmetry="even" if h == 0 else "neither")


def _poly_text(coeffs, var):
    """Coefficients high to low -> 2x³ - x + 4 (a letter stays: ax² + bx + c)."""
    n = len(coeffs) - 1
    terms = []
    for i, c in enumerate(coeffs):
        d = n - i
        if not isinstance(c, str) and c == 0:
            continue
        body = power(var, d) if d > 1 else var if d == 1 else ""
        terms.append(coef(c, body) if body else t(c))
    return join(terms)


# --- polynomial arithmetic on coefficient lists (highest power first), exact and cheap ----------

def _pmul(p, q) -> list:
    out = [I(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return out


def _peval(cs, x):
    v = I(0)
    for c in cs:
        v = v * x + c
    return v


def _pdiff(cs) -> list:
    n = len(cs) - 1
    return [c * (n - i) for i, c in enumerate(cs[:-1])]


def _divisors(n: int) -> list[int]:
    return [int(d) for d in sp.divisors(abs(n))]


def _rational_roots(cs) -> list | None:
    """Every root of the polynomial with coefficients ``cs``, with multiplicity, when all of
    them are rational; None otherwise (the rational root test, then deflation)."""
    cs = [sp.Rational(c) for c in cs]
    while cs and cs[0] == 0:
        cs = cs[1:]
    roots = []
    while len(cs) > 1 and cs[-1] == 0:        # x divides it
        roots.append(I(0))
        cs = cs[:-1]
    while len(cs) > 1:
        lcm = sp.ilcm(*[c.q for c in cs])
        ints = [int(c * lcm) for c in cs]
        found = None
        for q in _divisors(ints[0]):
            for pp in _divisors(ints[-1]):
                for r in (R(pp, q), R(-pp, q)):
                    if _peval(cs, r) == 0:
                        found = r
                        break
                if found is not None:
                    break
            if found is not None:
                break
        if found is None:
            return None
        roots.append(found)
        out, acc = [], I(0)                    # synthetic division by (x - found)
        for c in cs[:-1]:
            acc = acc * found + c
            out.append(acc)
        cs = out
    return sorted(roots)


def _even_humps(roots, least: float = 0.15) -> bool:
    """Whether the humps of the monic polynomial with these distinct roots between its
    neighbouring roots are alike: the lowest at least ``least`` of the highest."""
    hs = []
    for r1, r2 in zip(roots, roots[1:]):
        best = 0.0
        for k in range(1, 16):
            x = r1 + (r2 - r1) * k / 16
            v = 1.0
            for r in roots:
                v *= x - r
            best = max(best, abs(v))
        hs.append(best)
    return not hs or min(hs) >= least * max(hs)


class Polynomial(Family):
    """Degree 3 or 4: from its roots ("roots") or from its critical points ("critical")."""
    name, letters = "polynomial", ()
    LETTERS = "abcde"
    modes = ("roots", "critical", "symmetric", "even", "odd", "neither", MATCH)
    focused = True
    nonzero = ("a",)

    def __init__(self, degree):
        self.degree = degree
        self.name = "cubic" if degree == 3 else "quartic"
        self.letters = tuple(self.LETTERS[:degree + 1])

    def sample(self, rng, rule, window, mode):
        p = self._sample(rng, rule, window, mode)
        p.update(zip(self.letters, p["coeffs"]))
        return p

    def _sample(self, rng, rule, window, mode):
        if mode in SYMMETRY_WORDS:
            return self._symmetric(rng, rule, window, mode)
        if mode == MATCH:            # small independent coefficients; turning points where rational
            lead = _pick(rng, [I(1), I(-1), R(1, 2), R(-1, 2)] if self.degree == 3 else [R(1, 4), R(-1, 4), R(1, 2), R(-1, 2)])
            cs = [lead] + [I(int(rng.integers(-2, 3))) for _ in range(self.degree - 1)]
            cs.append(I(int(rng.integers(rule.coefficients[0], rule.coefficients[1] + 1))))
            crit = _rational_roots(_pdiff(cs))
            return {"crit": sorted(set(crit)) if crit is not None else None, "coeffs": cs}
        inner = _inner(window)
        lead = _pick(rng, [I(1), I(-1), R(1, 2), R(-1, 2)])
        if mode == "roots":
            # roots spread so that the humps between them are alike in height: (x + 5)(x + 4)
            # (x - 3)(x - 5) has a hump of 18 between -5 and -4 under one of 300, flat on its
            # axis at any scale that shows the other
            for _ in range(24):
                rs = sorted(int(v) for v in rng.choice(inner, self.degree, replace=False))
                if all(b - a >= 2 for a, b in zip(rs, rs[1:])) and _even_humps(rs):
                    break
            else:
                raise Rejected("parameters", f"no {self.name} with roots spread for a readable graph")
            scale = R(1, 2) if self.degree == 4 or max(abs(r) for r in rs) > 3 else 1
            cs = [lead * scale]
            for r in rs:
                cs = _pmul(cs, [I(1), I(-r)])
            return {"roots": [I(r) for r in rs], "coeffs": cs}
        if self.degree == 3:
            # turning points at least two apart: one unit apart, the hump between them is a
            # quarter or half a unit high, invisible beside the rest of the curve
            pairs = [(u, v) for u in inner for v in inner if v - u >= 2]
            c1, c2 = pairs[int(rng.integers(len(pairs)))]
            if mode == "symmetric":             # critical points ±c and no constant: odd
                c2 = max(1, abs(c1))
                c1 = -c2
            # f' = 3a(x - c1)(x - c2): critical points at c1 and c2
            a = lead / 2 if abs(c2 - c1) > 3 else lead
            k = I(0) if mode == "symmetric" else I(int(rng.integers(rule.coefficients[0], rule.coefficients[1] + 1)))
            return {"crit": [I(c1), I(c2)], "coeffs": [a, -R(3, 2) * a * (c1 + c2), 3 * a * c1 * c2, k]}
        # a(x² - q²)² + k: extrema at -q, 0, q, the hump a·q⁴ high. q = 2: with q = 1 every
        # integer beyond the turning points is at least nine humps up (a·(x² - 1)² at 2), so no
        # marked point could stand outside them without flattening them
        q = 2
        a = R(lead, 4)
        k = I(int(rng.integers(rule.coefficients[0], rule.coefficients[1] + 1)))
        return {"crit": [I(-q), I(0), I(q)], "coeffs": [a, I(0), -2 * a * q * q, I(0), a * q ** 4 + k]}

    def _symmetric(self, rng, rule, window, word):
        """A polynomial whose symmetry is ``word``: an odd cubic (critical points ±c, no
        constant), an even quartic a(x² - q²)² + k, or one that is neither (a cubic with
        critical points not symmetric about 0 or a constant; a quartic from four roots whose
        set is not symmetric about 0)."""
        if (word == "even") != (self.degree == 4) and word != "neither":
            raise Rejected("parameters", f"no {word} {self.name}")
        if word in ("even", "odd"):
            return self._sample(rng, rule, window, "symmetric" if self.degree == 3 else "critical")
        for _ in range(12):
            p = self._sample(rng, rule, window, "critical" if self.degree == 3 else "roots")
            # the coefficients of x³ and x (quartic), of x² and 1 (cubic): one nonzero is enough
            if any(c != 0 for c in p["coeffs"][1::2]):
                return p
        raise Rejected("parameters", f"no {self.name} that is neither even nor odd")

    def refit(self, p, changes):
        p2 = super().refit(p, changes)
        cs = [p2[k] for k in self.letters]
        p2["coeffs"] = cs
        if "roots" in p:
            p2["roots"] = _rational_roots(cs)
        else:
            crit = _rational_roots(_pdiff(cs))
            p2["crit"] = sorted(set(crit)) if crit is not None else None
        return p2

    def sym(self, p):
        n = self.degree
        return sum(c * X ** (n - i) for i, c in enumerate(p[k] for k in self.letters))

    def write(self, p, var):
        return _poly_text([p[k] for k in self.letters], var)

    def expr(self, p):
        n = self.degree
        pw = {0: "", 1: "*x"}
        return " + ".join(f"{e(p[k])}{pw.get(n - i, f'*x**{n - i}')}" for i, k in enumerate(self.letters)
                          if isinstance(p[k], str) or p[k] != 0)

    def features(self, p, w):
        cs = p["coeffs"]
        d1 = _pdiff(cs)
        if "roots" in p:
            zeros = sorted({r for r in p["roots"] if w[0] <= r <= w[1]}) if p["roots"] is not None else None
            crit = None
        else:
            zeros = None
            crit = p["crit"]
        ext = []
        if crit is not None:
            d2 = _pdiff(d1)
            for c in crit:
                if w[0] < c < w[1]:
                    s = _peval(d2, c)
                    if s != 0:
                        ext.append((c, _peval(cs, c), "min" if s > 0 else "max"))
            cuts = [c for c, _, _ in ext]
            signs = []
            edges = [w[0]] + cuts + [w[1]]
            for a, b in zip(edges, edges[1:]):
                signs.append(1 if _peval(d1, R(a + b, 2)) > 0 else -1)
            inc, dec = _intervals(cuts, w, signs)
        else:
            ext, inc, dec = None, None, None      # irrational critical points: not asked
        cs = p["coeffs"]
        n = len(cs) - 1
        even = all(c == 0 for i, c in enumerate(cs) if (n - i) % 2 == 1)
        odd = all(c == 0 for i, c in enumerate(cs) if (n - i) % 2 == 0)
        return Features(zeros=zeros, extrema=ext, increasing=inc, decreasing=dec,
                        symmetry="even" if even else "odd" if odd else "neither")


class Sinusoid(Family):
    """a·sin(π(x - c)/k) + d (or cos): period 2k, amplitude |a|, midline y = d."""
    letters = ("a", "d")
    modes = ("", "zeros", "symmetric", "period", "odd", "neither", MATCH)
    nonzero = ("a",)
    positive = ("k",)

    def __init__(self, fn):
        self.fn = fn
        self.name = "sine" if fn == "sin" else "cosine"

    def sample(self, rng, rule, window, mode):
        a = _nonzero(rng, -4, 4)
        if mode == "period":
            # the period is asked: k uniform over the periods two of which fit in the widest
            # window the rule allows (the window is widened to fit them, see narrow)
            ks = [k for k in (1, 2, 3, 4) if 2 * k <= rule.window[1]]
        else:
            # at least two periods in the window; sin(πx/k) is rational at integers only where
            # it is 0 for k = 1 and 3, so no marked points could fix a and d: those are cosines'
            base = (2, 2, 3, 4, 1) if self.fn == "cos" else (2, 2, 4)
            ks = [k for k in base if 4 * k <= window[1] - window[0]]
            if not ks and hasattr(rule, "window"):      # a narrow window is widened to two periods
                ks = [k for k in base if 2 * k <= rule.window[1]][:1]
        if not ks:
            raise Rejected("window", "the window is too narrow for two periods", "window")
        k = I(_pick(rng, ks))
        c = I(_pick(rng, [0, 0, 0, 1, -1]))
        d = I(_pick(rng, [0, 0, 1, -1, 2, -2]))
        if mode == "zeros":
            d = _pick(rng, [I(0), a / 2, -a / 2])
        if mode in ("symmetric", "odd", "neither"):     # sin(πx/k) + d: odd exactly when d = 0
            if self.fn != "sin" and mode != "symmetric":
                raise Rejected("parameters", f"no {mode} {self.name} of this form")
            c = I(0)
            if self.fn == "sin":
                d = I(0) if mode in ("symmetric", "odd") else I(_pick(rng, [1, -1, 2, -2]))
        return {"a": a, "k": k, "c": c, "d": d}

    def narrow(self, p, window):
        half = 2 * int(p["k"])            # two periods
        if window[1] - window[0] < 2 * half:
            return (-half, half)
        return window

    def sym(self, p):
        f = sp.sin if self.fn == "sin" else sp.cos
        return p["a"] * f(sp.pi * (X - p["c"]) / p["k"]) + p["d"]

    def _arg(self, p, var):
        k = p["k"]
        inner = shift(var, p["c"])
        num = f"π{par(inner)}" if inner != var else f"π{var}"
        return num if k == 1 else f"{num}/{t(k)}"

    def write(self, p, var):
        return plus(coef(p["a"], f"{self.fn}({self._arg(p, var)})"), p["d"])

    def expr(self, p):
        inner = "x" if p["c"] == 0 else f"(x - {e(p['c'])})"
        return f"{e(p['a'])}*{self.fn}(pi*{inner}/{e(p['k'])}) + {e(p['d'])}"

    def features(self, p, w):
        a, k, c, d = p["a"], p["k"], p["c"], p["d"]
        # phase θ = π(x - c)/k; sin peaks at θ = π/2 + 2πn, cos at θ = 2πn
        peak = R(1, 2) if self.fn == "sin" else I(0)
        xs_max, xs_min = [], []
        n0 = int(sp.floor((w[0] - c) / (2 * k))) - 2
        for n in range(n0, n0 + (w[1] - w[0]) // k + 6):
            for th, lst in ((peak + 2 * n, xs_max), (peak + 1 + 2 * n, xs_min)):
                x = c + k * th
                if w[0] < x < w[1]:
                    lst.append(x)
        if a < 0:
            xs_max, xs_min = xs_min, xs_max
        ext = sorted([(x, d + abs(a), "max") for x in xs_max] + [(x, d - abs(a), "min") for x in xs_min],
                     key=lambda q: q[0])
        zeros = None
        ratio = -d / a
        base = {I(0): [I(0), I(1)], R(1, 2): [R(1, 6), R(5, 6)], R(-1, 2): [R(7, 6), R(11, 6)]}
        if self.fn == "cos":
            base = {I(0): [R(1, 2), R(3, 2)], R(1, 2): [R(1, 3), R(5, 3)], R(-1, 2): [R(2, 3), R(4, 3)]}
        if ratio in base:
            zeros = []
            for n in range(n0, n0 + (w[1] - w[0]) // k + 6):
                for th in base[ratio]:
                    x = c + k * (th + 2 * n)
                    if w[0] <= x <= w[1]:
                        zeros.append(x)
            zeros = sorted(set(zeros))
        cuts = [x for x, _, _ in ext]
        edges = [w[0]] + cuts + [w[1]]
        signs = []
        for lo, hi in zip(edges, edges[1:]):
            mid = R(lo + hi, 2)
            th = sp.pi * (mid - c) / k
            dv = a * (sp.cos(th) if self.fn == "sin" else -sp.sin(th))
            signs.append(1 if dv > 0 else -1)
        inc, dec = _intervals(cuts, w, signs)
        sym = "neither"
        if d == 0 and c == 0 and self.fn == "sin":
            sym = "odd"
        elif c == 0 and self.fn == "cos":
            sym = "even"
        return Features(zeros=zeros, extrema=ext, increasing=inc, decreasing=dec, period=2 * k,
                        symmetry=sym)


class Tangent(Family):
    """a·tan(πx/k) + d: period k, vertical asymptotes at x = k/2 + nk."""
    name, letters = "tangent", ("a", "d")
    modes = ("", "shape", "zeros", MATCH)
    nonzero = ("a",)
    positive = ("k",)

    def sample(self, rng, rule, window, mode):
        a = _nonzero(rng, -3, 3)
        if mode == "shape":
            # the period or the asymptotes are asked: k uniform over the periods of which the
            # widest window the rule allows shows two asymptotes a period apart
            k = I(_pick(rng, [k for k in (2, 3, 4, 5, 6) if k <= rule.window[1]] or [2]))
        else:
            # tan(πx/4) is 0, 1, -1 or undefined at integers, so marked points fix a and d; with
            # k = 2 it is 0 or undefined there, and they could not
            k = I(4)
        if mode == "zeros":             # tan(πx/k) = -d/a at a nice x: d is 0, a or -a
            d = _pick(rng, [I(0), I(0), a, -a])
        else:
            d = I(_pick(rng, [0, 0, 1, -1, 2, -2, 3, -3]))
        return {"a": a, "k": k, "d": d}

    def sym(self, p):
        return p["a"] * sp.tan(sp.pi * X / p["k"]) + p["d"]

    def narrow(self, p, window):
        # an end of the window on an asymptote would leave f undefined there
        k = p["k"]
        lo, hi = window
        if hi < k:                  # two asymptotes (at ±k/2) and the branch between them
            lo, hi = -int(k), int(k)
        while (lo - k / 2) % k == 0:
            lo += 1
        while (hi - k / 2) % k == 0:
            hi -= 1
        return lo, hi

    def write(self, p, var):
        arg = f"π{var}/{t(p['k'])}"
        return plus(coef(p["a"], f"tan({arg})"), p["d"])

    def expr(self, p):
        return f"{e(p['a'])}*tan(pi*x/{e(p['k'])}) + {e(p['d'])}"

    def features(self, p, w):
        a, k, d = p["a"], p["k"], p["d"]
        va = [k / 2 + n * k for n in range(-20, 21) if w[0] < k / 2 + n * k < w[1]]
        # tan(θ) = -d/a: θ = 0 (d = 0), -π/4 (d = a), π/4 (d = -a)
        # tan θ = -d/a with θ = πx/k: θ/π = 0 (d = 0), -1/4 (d = a), 1/4 (d = -a), plus n
        th = {I(0): I(0), I(1): R(-1, 4), I(-1): R(1, 4)}.get(d / a)
        zeros = None if th is None else [k * (th + n) for n in range(-20, 21) if w[0] <= k * (th + n) <= w[1]]
        edges = [w[0]] + va + [w[1]]
        branches = list(zip(edges, edges[1:]))
        inc, dec = (branches, []) if a > 0 else ([], branches)
        return Features(zeros=zeros, increasing=inc, decreasing=dec, vertical=va, period=k,
                        symmetry="odd" if d == 0 else "neither")


class Exponential(Family):
    """a·bˣ + d: horizontal asymptote y = d; the zero an integer when -d/a is a power of b."""
    name, letters = "exponential", ("a", "d")
    modes = ("", MATCH)
    nonzero = ("a",)

    def sym(self, p):
        return p["a"] * p["b"] ** X + p["d"]

    def sample(self, rng, rule, window, mode):
        b = _pick(rng, [I(2), I(3), R(1, 2)])
        a = _nonzero(rng, -3, 3)
        m = int(rng.integers(-1, 3)) if b != R(1, 2) else int(rng.integers(-2, 2))
        if mode == MATCH:
            d = I(_pick(rng, [0, 1, -1, 2, -2, 3, -3]))
        else:
            d = -a * b ** m if mode == "zeros" or rng.random() < 0.5 else I(_pick(rng, [0, 1, -1, 2, -2]))
        # how far the window reaches each side of the zero and the y-axis
        spans = (2, 3) if b == 3 else (3, 4)
        return {"a": a, "b": b, "d": d, "m": I(m), "spans": (_pick(rng, spans), _pick(rng, spans))}

    def narrow(self, p, window):
        # bˣ grows fast: a few units each side of the zero and the y-axis
        left, right = p.get("spans", (3, 3) if p["b"] == 3 else (4, 4))
        z = int(p["m"])
        lo, hi = min(-left, z - 1), max(right, z + 1)
        return max(lo, window[0]), min(hi, window[1])

    def write(self, p, var):
        b = p["b"]
        base = t(b) if not isinstance(b, str) else b
        inner = var.strip("()")
        if var == "x":
            pw = f"{par(base)}ˣ"
        elif inner.lstrip("-").isdigit():
            pw = f"{par(base)}{inner.translate(_SUP)}"     # 2⁻³
        else:
            pw = f"{par(base)}^{par(var)}"
        return plus(coef(p["a"], pw), p["d"])

    def expr(self, p):
        return f"{e(p['a'])}*{e(p['b'])}**x + {e(p['d'])}"

    def features(self, p, w):
        a, b, d = p["a"], p["b"], p["d"]
        ratio = -d / a
        zeros = []
        if ratio > 0:
            m = next((I(n) for n in range(-12, 13) if b ** n == ratio), None)   # bᵐ = -d/a
            if m is None:
                zeros = None                 # not a nice number: no zeros question
            elif w[0] <= m <= w[1]:
                zeros = [m]
        grow = (a > 0) == (b > 1)
        inc, dec = ([(w[0], w[1])], []) if grow else ([], [(w[0], w[1])])
        return Features(zeros=zeros, increasing=inc, decreasing=dec, horizontal=d)


class Logarithm(Family):
    """a·log_b(x - h) + d: defined for x > h, vertical asymptote x = h."""
    name, letters = "logarithm", ("a", "d")
    modes = ("", MATCH)
    nonzero = ("a",)

    def sym(self, p):
        return p["a"] * sp.log(X - p["h"], p["b"]) + p["d"]

    def sample(self, rng, rule, window, mode):
        b = _pick(rng, [I(2), I(3), I(10)])
        a = _nonzero(rng, -3, 3)
        # never h = 0: the asymptote x = 0 would lie under the y-axis, hidden
        h = I(_pick(rng, list(range(window[0] + 1, 0))))
        n = int(rng.integers(0, 2)) if b == 10 else int(rng.integers(0, 3))   # zero at h + bⁿ
        if h + b ** n >= window[1]:
            n = 0
        d = -a * n if mode != MATCH else I(_pick(rng, [0, 1, -1, 2, -2, 3, -3]))
        return {"a": a, "b": b, "h": h, "d": d, "gap": int(rng.integers(1, 4))}

    def narrow(self, p, window):
        # the window starts one to three units left of the asymptote
        return max(int(p["h"]) - p.get("gap", 2), window[0]), window[1]

    def write(self, p, var):
        b = p["b"]
        sub = t(b).translate(_SUB) if not isinstance(b, str) else b
        return plus(coef(p["a"], f"log{sub}({shift(var, p['h'])})"), p["d"])

    def expr(self, p):
        return f"{e(p['a'])}*log(x - {e(p['h'])}, {e(p['b'])}) + {e(p['d'])}"

    def features(self, p, w):
        a, b, h, d = p["a"], p["b"], p["h"], p["d"]
        z = h + b ** (-d / a)
        zeros = [z] if w[0] <= z <= w[1] else []
        inc, dec = ([(h, w[1])], []) if a > 0 else ([], [(h, w[1])])
        return Features(zeros=zeros, increasing=inc, decreasing=dec, vertical=[h], defined_from=h)


class Absolute(Family):
    """a·|x - h| + k: a V (a > 0) or an inverted V with its vertex at (h, k)."""
    name, letters = "absolute", ("a", "k")
    nonzero = ("a",)

    def sym(self, p):
        return p["a"] * sp.Abs(X - p["h"]) + p["k"]
    focused = True

    modes = ("", "symmetric", MATCH)

    def sample(self, rng, rule, window, mode):
        a = _nonzero(rng, -3, 3)
        h = I(0) if mode == "symmetric" else I(_pick(rng, _inner(window, 2)))
        m = _pick(rng, [1, 2, 3])
        if mode == MATCH:
            k = I(_pick(rng, [0, 1, -1, 2, -2, 3, -3]))
        else:
            k = -a * m if mode == "zeros" or rng.random() < 0.6 else I(_pick(rng, [0, 1, -1, 2, -3]))
        return {"a": a, "h": h, "k": k}

    def write(self, p, var):
        return plus(coef(p["a"], f"|{shift(var, p['h'])}|"), p["k"])

    def expr(self, p):
        return f"{e(p['a'])}*abs(x - {e(p['h'])}) + {e(p['k'])}"

    def features(self, p, w):
        a, h, k = p["a"], p["h"], p["k"]
        r = -k / a
        zeros = [] if r < 0 else [h] if r == 0 else [z for z in (h - r, h + r) if w[0] <= z <= w[1]]
        ext = [(h, k, "min" if a > 0 else "max")] if w[0] < h < w[1] else []
        inc, dec = _intervals([h], w, (-1, 1) if a > 0 else (1, -1))
        # as the window shows it: with the corner outside a window [-W, W], f is one line
        # there, odd when it passes through the origin (-|x + 2| + 2 is -x on [-2, 2])
        sym = "even" if h == 0 else "neither"
        if w[0] == -w[1] and abs(h) >= w[1]:
            side = 1 if h < 0 else -1              # |x - h| = side·(x - h) on the window
            if -a * side * h + k == 0:
                sym = "odd"
        return Features(zeros=zeros, extrema=ext, increasing=inc, decreasing=dec, symmetry=sym)


class Rational(Family):
    """a/(x - h) + k: a hyperbola with asymptotes x = h and y = k."""
    name, letters = "rational", ("a", "k")
    modes = ("", MATCH)
    nonzero = ("a",)

    def sym(self, p):
        return p["a"] / (X - p["h"]) + p["k"]

    def sample(self, rng, rule, window, mode):
        a = _nonzero(rng, -4, 4)
        # never h = 0: the asymptote x = 0 would lie under the y-axis, hidden
        h = I(_pick(rng, [v for v in _inner(window, 2) if v != 0]))
        k = I(_pick(rng, [0, 1, -1, 2, -2, 3]))
        if k != 0 and not (-a / k).is_Integer:
            k = I(0) if mode == "zeros" and rng.random() < 0.5 else k
        return {"a": a, "h": h, "k": k}

    def write(self, p, var):
        a = p["a"]
        den = par(shift(var, p["h"]))
        frac = f"-{t(-a)}/{den}" if _neg(a) else f"{t(a) if not isinstance(a, str) else a}/{den}"
        return plus(frac, p["k"])

    def expr(self, p):
        return f"{e(p['a'])}/(x - {e(p['h'])}) + {e(p['k'])}"

    def features(self, p, w):
        a, h, k = p["a"], p["h"], p["k"]
        zeros = [] if k == 0 else [z for z in [h - a / k] if w[0] <= z <= w[1]]
        if zeros and not sp.nsimplify(zeros[0]).is_Rational:
            zeros = None
        ivs = [(w[0], h), (h, w[1])]
        inc, dec = ([], ivs) if a > 0 else (ivs, [])
        return Features(zeros=zeros, increasing=inc, decreasing=dec, vertical=[h], horizontal=k,
                        symmetry="odd" if h == 0 and k == 0 else "neither")


class PiecewiseLinear(Family):
    """Two or three line pieces split at integer breakpoints, joined ("continuous") or with
    jumps ("jump"); each breakpoint belongs to one side, drawn as a filled or open dot."""
    name = "piecewise"
    modes = ("continuous", "jump")
    LETTERS = ("p", "q", "r")

    def sample(self, rng, rule, window, mode):
        n = _pick(rng, [2, 2, 3])
        inner = _inner(window, 2)
        for _ in range(20):
            ts = sorted(int(v) for v in rng.choice(inner, n - 1, replace=False))
            if all(b - a >= 2 for a, b in zip(ts, ts[1:])):
                break
        else:
            raise Rejected("parameters", "no room for the breakpoints", "window")
        ms = []
        for _ in range(n):          # neighbouring pieces never share a slope: they would read as one
            ms.append(_pick(rng, [m for m in (I(1), I(-1), I(2), I(-2), R(1, 2), R(-1, 2))
                                  if not ms or m != ms[-1]]))
        right = [bool(rng.random() < 0.5) for _ in ts]    # the breakpoint belongs to the right piece
        b0 = I(int(rng.integers(-3, 4)))
        bs = [b0]
        for i, t_ in enumerate(ts):
            meet = ms[i] * t_ + bs[i] - ms[i + 1] * t_          # the intercept that joins the pieces
            jump = I(0) if mode == "continuous" else I(_pick(rng, [1, -1, 2, -2, 3]))
            bs.append(meet + jump)
        p = {"m": ms, "t": [I(v) for v in ts], "right": right}
        p.update(zip(self.LETTERS, bs))
        return p

    def letters_for(self, p):
        return self.LETTERS[:len(p["m"])]

    def _parts(self, p):
        """(slope, intercept, lo, hi, closed_lo, closed_hi) per piece, in problem units."""
        ts, right, n = p["t"], p["right"], len(p["m"])
        out = []
        for i in range(n):
            lo = ts[i - 1] if i > 0 else None
            hi = ts[i] if i < n - 1 else None
            out.append((p["m"][i], p[self.LETTERS[i]], lo, hi,
                        i > 0 and right[i - 1], i < n - 1 and not right[i]))
        return out

    def sources(self, p):
        """(expr source, sympy condition) per piece, for the exact Piecewise."""
        out = []
        for m, b, lo, hi, clo, chi in self._parts(p):
            cond = sp.true
            if lo is not None:
                cond = sp.And(cond, X >= lo if clo else X > lo)
            if hi is not None:
                cond = sp.And(cond, X <= hi if chi else X < hi)
            out.append((f"{e(m)}*x + {e(b)}", cond))
        return out

    def write(self, p, var):
        parts = ["{} for {}".format(*self.piece_text(p, i, var)) for i in range(len(p["m"]))]
        return "{" + "; ".join(parts) + "}"

    def expr(self, p):
        return None

    def piece_text(self, p, i: int, var: str) -> tuple[str, str]:
        """(the piece's expression, its condition) written out."""
        m, b, lo, hi, clo, chi = self._parts(p)[i]
        body = join([coef(m, var), t(b) if not isinstance(b, str) else b])
        if lo is not None and hi is not None:             # -1 ≤ x < 1
            return body, f"{t(lo)} {'≤' if clo else '<'} x {'≤' if chi else '<'} {t(hi)}"
        if lo is not None:
            return body, f"x {'≥' if clo else '>'} {t(lo)}"
        return body, f"x {'≤' if chi else '<'} {t(hi)}"

    def build(self, rng, rule, window, mode, light: bool = False) -> Fn:
        return self._fn(self.sample(rng, rule, window, mode), window, mode, light)

    def light(self, p, window, mode) -> Fn:
        return self._fn(p, window, mode, True)

    def _fn(self, p, window, mode, light: bool) -> Fn:
        w0, w1 = window
        pieces = []
        for (m, b, lo, hi, clo, chi), (src, _) in zip(self._parts(p), self.sources(p)):
            if light:
                sym, f = m * X + b, None
            else:
                sym, f = _compile(src)
            pieces.append((I(w0) if lo is None else lo, I(w1) if hi is None else hi,
                           True if lo is None else clo, True if hi is None else chi, src, sym, f))
        fn = Fn(self.name, p, self.letters_for(p), window, None, None, None, Features(), self.write,
                self.expr, pieces=pieces, mode=mode)
        if not light:
            fn.f = _piece_float(pieces)
        fn.features = self._features(fn)
        return fn

    def _features(self, fn) -> Features:
        zeros = []
        for a, b, ca, cb, _, sym, _ in fn.pieces:
            m, c = sym.coeff(X, 1), sym.coeff(X, 0)
            if m == 0:
                if c == 0:
                    return Features(zeros=None, extrema=None, increasing=None, decreasing=None)
                continue
            z = -c / m
            if (a < z < b) or (z == a and ca) or (z == b and cb):
                zeros.append(z)
        # extrema and monotony across jumps are left unasked
        return Features(zeros=sorted(zeros), extrema=None, increasing=None, decreasing=None)


def _piece_float(pieces):
    def f(x):
        for a, b, ca, cb, _, _, g in pieces:
            if (a < x < b) or (x == a and ca) or (x == b and cb):
                return g(x)
        raise ValueError(f"x = {x} is in no piece")
    return f


FAMILIES: dict[str, Family] = {
    "linear": Linear(), "quadratic": Quadratic(), "cubic": Polynomial(3), "quartic": Polynomial(4),
    "sine": Sinusoid("sin"), "cosine": Sinusoid("cos"), "tangent": Tangent(),
    "exponential": Exponential(), "logarithm": Logarithm(), "absolute": Absolute(),
    "rational": Rational(), "piecewise": PiecewiseLinear(),
}


def make(family: str, rng, rule, window, mode: str = "", light: bool = False) -> Fn:
    """A function of ``family`` sampled answer-first on ``window``; ``light``: without the
    parsed expression and float evaluator a drawing needs (a neighbouring problem's function,
    only asked a question).  Its features are the same either way."""
    fam = FAMILIES[family]
    if mode not in fam.modes:
        mode = fam.modes[0]
    return fam.build(rng, rule, window, mode, light)
