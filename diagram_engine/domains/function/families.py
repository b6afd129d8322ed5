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

from dataclasses import dataclass, field

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
    sym: sp.Expr                   # exact
    f: object                      # float evaluator x -> y
    features: Features
    writer: object                 # (values dict, var) -> text
    expr_writer: object = None     # values dict -> expression syntax
    pieces: list | None = None     # piecewise: [(a, b, closed_a, closed_b, expr, sym, f)]
    mode: str = ""

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
        vals = {k: (k if k in hidden else v) for k, v in self.params.items()}
        if self.pieces:
            return sp.Piecewise(*[(_compile(src, hidden)[0], cond) for src, cond in
                                  FAMILIES["piecewise"].sources(vals)])
        return _compile(self.expr_writer(vals), hidden)[0]

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

    def build(self, rng, rule, window, mode) -> Fn:
        p = self.sample(rng, rule, window, mode)
        window = self.narrow(p, window)
        feats = self.features(p, window)
        if self.focused:
            window = _focus(feats, window)
            feats = self.features(p, window)
        ex = self.expr(p)
        sym, f = _compile(ex)
        return Fn(self.name, p, self.letters, window, ex, sym, f, feats, self.write, self.expr, mode=mode)


def _focus(feats: Features, window) -> tuple[int, int]:
    """A window two units beyond the outermost zero, extremum or the y-axis, at least 6 wide,
    inside ``window``: polynomials grow fast, and the picture is about the features."""
    xs = list(feats.zeros or []) + [x for x, _, _ in (feats.extrema or [])] or [0]
    if min(xs) - 4 <= 0 <= max(xs) + 4:
        xs.append(0)          # show the y-axis when it is near
    lo, hi = int(sp.floor(min(xs))) - 2, int(sp.ceiling(max(xs))) + 2
    while hi - lo < 6:
        lo, hi = lo - 1, hi + 1
    return max(lo, window[0]), min(hi, window[1])


def _inner(window, margin=1):
    return list(range(window[0] + margin, window[1] - margin + 1))


class Linear(Family):
    name, letters = "linear", ("m", "b")
    focused = True

    def sample(self, rng, rule, window, mode):
        m = _nonzero(rng, *rule.coefficients) / _pick(rng, [1, 1, 2])
        r = I(_pick(rng, _inner(window)))           # the zero
        return {"m": m, "b": -m * r}

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
    modes = ("roots", "vertex", "symmetric")
    focused = True

    def sample(self, rng, rule, window, mode):
        a = _pick(rng, [I(1), I(-1), I(2), I(-2), R(1, 2), R(-1, 2)])
        inner = _inner(window)
        if mode == "roots":
            r1, r2 = sorted(int(v) for v in rng.choice(inner, 2, replace=False))
            h = R(r1 + r2, 2)
            k = -a * R(r2 - r1, 2) ** 2
        else:
            h = I(0) if mode == "symmetric" else I(_pick(rng, inner))
            k = I(int(rng.integers(rule.coefficients[0], rule.coefficients[1] + 1)))
        return {"a": a, "h": h, "k": k, "b": -2 * a * h, "c": a * h * h + k}

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


class Polynomial(Family):
    """Degree 3 or 4: from its roots ("roots") or from its critical points ("critical")."""
    name, letters = "polynomial", ()
    LETTERS = "abcde"
    modes = ("roots", "critical", "symmetric")
    focused = True

    def __init__(self, degree):
        self.degree = degree
        self.name = "cubic" if degree == 3 else "quartic"
        self.letters = tuple(self.LETTERS[:degree + 1])

    def sample(self, rng, rule, window, mode):
        p = self._sample(rng, rule, window, mode)
        p.update(zip(self.letters, p["coeffs"]))
        return p

    def _sample(self, rng, rule, window, mode):
        inner = _inner(window)
        lead = _pick(rng, [I(1), I(-1), R(1, 2), R(-1, 2)])
        if mode == "roots":
            rs = sorted(int(v) for v in rng.choice(inner, self.degree, replace=False))
            scale = R(1, 2) if self.degree == 4 or max(abs(r) for r in rs) > 3 else 1
            poly = sp.Poly(lead * scale * sp.prod([X - r for r in rs]), X)
            return {"roots": [I(r) for r in rs], "coeffs": [sp.nsimplify(c) for c in poly.all_coeffs()]}
        if self.degree == 3:
            c1, c2 = sorted(int(v) for v in rng.choice(inner, 2, replace=False))
            if mode == "symmetric":             # critical points ±c and no constant: odd
                c2 = max(1, abs(c1))
                c1 = -c2
            # f' = 3a(x - c1)(x - c2): critical points at c1 and c2
            a = lead / 2 if abs(c2 - c1) > 3 else lead
            k = I(0) if mode == "symmetric" else I(int(rng.integers(rule.coefficients[0], rule.coefficients[1] + 1)))
            poly = sp.Poly(sp.integrate(3 * a * (X - c1) * (X - c2), X) + k, X)
            return {"crit": [I(c1), I(c2)], "coeffs": [sp.nsimplify(c) for c in poly.all_coeffs()]}
        q = _pick(rng, [1, 2])        # a(x² - q²)² + k: extrema at -q, 0, q
        a = R(lead, 4) if q == 2 else lead
        k = I(int(rng.integers(rule.coefficients[0], rule.coefficients[1] + 1)))
        poly = sp.Poly(a * (X ** 2 - q ** 2) ** 2 + k, X)
        return {"crit": [I(-q), I(0), I(q)], "coeffs": [sp.nsimplify(c) for c in poly.all_coeffs()]}

    def write(self, p, var):
        return _poly_text([p[k] for k in self.letters], var)

    def expr(self, p):
        n = self.degree
        pw = {0: "", 1: "*x"}
        return " + ".join(f"{e(p[k])}{pw.get(n - i, f'*x**{n - i}')}" for i, k in enumerate(self.letters)
                          if isinstance(p[k], str) or p[k] != 0)

    def features(self, p, w):
        poly = sp.Poly(p["coeffs"], X)
        d1 = poly.diff(X)
        if "roots" in p:
            zeros = [r for r in p["roots"] if w[0] <= r <= w[1]]
            crit = None
        else:
            zeros = None
            crit = p["crit"]
        ext = []
        if crit is not None:
            d2 = d1.diff(X)
            for c in crit:
                if w[0] < c < w[1]:
                    s = d2.eval(c)
                    if s != 0:
                        ext.append((c, poly.eval(c), "min" if s > 0 else "max"))
            cuts = [c for c, _, _ in ext]
            signs = []
            edges = [w[0]] + cuts + [w[1]]
            for a, b in zip(edges, edges[1:]):
                signs.append(1 if d1.eval(R(a + b, 2)) > 0 else -1)
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
    modes = ("", "zeros", "symmetric")

    def __init__(self, fn):
        self.fn = fn
        self.name = "sine" if fn == "sin" else "cosine"

    def sample(self, rng, rule, window, mode):
        a = _nonzero(rng, -4, 4)
        # at least two periods in the window
        ks = [k for k in (2, 2, 3, 4, 1) if 4 * k <= window[1] - window[0]]
        if not ks:
            raise Rejected("window", "the window is too narrow for two periods", "window")
        k = I(_pick(rng, ks))
        c = I(_pick(rng, [0, 0, 0, 1, -1]))
        d = I(_pick(rng, [0, 0, 1, -1, 2, -2]))
        if mode == "zeros":
            d = _pick(rng, [I(0), a / 2, -a / 2])
        if mode == "symmetric":           # sin(πx/k) is odd, cos(πx/k) + d even
            c = I(0)
            d = I(0) if self.fn == "sin" else d
        return {"a": a, "k": k, "c": c, "d": d}

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

    def sample(self, rng, rule, window, mode):
        a = _nonzero(rng, -3, 3)
        k = I(_pick(rng, [2, 4]))
        d = _pick(rng, [I(0), I(0), a, -a])
        return {"a": a, "k": k, "d": d}

    def narrow(self, p, window):
        # an end of the window on an asymptote would leave f undefined there
        k = p["k"]
        lo, hi = window
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

    def sample(self, rng, rule, window, mode):
        b = _pick(rng, [I(2), I(3), R(1, 2)])
        a = _nonzero(rng, -3, 3)
        m = int(rng.integers(-1, 3)) if b != R(1, 2) else int(rng.integers(-2, 2))
        d = -a * b ** m if mode == "zeros" or rng.random() < 0.5 else I(_pick(rng, [0, 1, -1, 2, -2]))
        return {"a": a, "b": b, "d": d, "m": I(m)}

    def narrow(self, p, window):
        # bˣ grows fast: a few units each side of the zero and the y-axis
        span = 3 if p["b"] == 3 else 4
        z = int(p["m"])
        lo, hi = min(-span, z - 1), max(span, z + 1)
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

    def sample(self, rng, rule, window, mode):
        b = _pick(rng, [I(2), I(3), I(10)])
        a = _nonzero(rng, -3, 3)
        h = I(_pick(rng, list(range(window[0] + 1, 1))))
        n = int(rng.integers(0, 2)) if b == 10 else int(rng.integers(0, 3))   # zero at h + bⁿ
        if h + b ** n >= window[1]:
            n = 0
        return {"a": a, "b": b, "h": h, "d": -a * n}

    def narrow(self, p, window):
        return max(int(p["h"]) - 2, window[0]), window[1]

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
    focused = True

    modes = ("", "symmetric")

    def sample(self, rng, rule, window, mode):
        a = _nonzero(rng, -3, 3)
        h = I(0) if mode == "symmetric" else I(_pick(rng, _inner(window, 2)))
        m = _pick(rng, [1, 2, 3])
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
        return Features(zeros=zeros, extrema=ext, increasing=inc, decreasing=dec,
                        symmetry="even" if h == 0 else "neither")


class Rational(Family):
    """a/(x - h) + k: a hyperbola with asymptotes x = h and y = k."""
    name, letters = "rational", ("a", "k")

    def sample(self, rng, rule, window, mode):
        a = _nonzero(rng, -4, 4)
        h = I(_pick(rng, _inner(window, 2)))
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

    def build(self, rng, rule, window, mode) -> Fn:
        p = self.sample(rng, rule, window, mode)
        w0, w1 = window
        pieces = []
        for (_, _, lo, hi, clo, chi), (src, _) in zip(self._parts(p), self.sources(p)):
            sym, f = _compile(src)
            pieces.append((I(w0) if lo is None else lo, I(w1) if hi is None else hi,
                           True if lo is None else clo, True if hi is None else chi, src, sym, f))
        fn = Fn(self.name, p, self.letters_for(p), window, None, None, None, Features(), self.write,
                self.expr, pieces=pieces, mode=mode)
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


def make(family: str, rng, rule, window, mode: str = "") -> Fn:
    fam = FAMILIES[family]
    if mode not in fam.modes:
        mode = fam.modes[0]
    return fam.build(rng, rule, window, mode)
