"""Building a function-graph sample answer-first: the family and its exact features, the
question, the letters each variant leaves to the picture and the marked points that fix them,
and the scene the check re-measures.

Variants follow MathVerse: the question always states the function's form; what it leaves
to the picture are parameter values. ``text_dominant`` states every value (except a
parameter the question asks to read off the graph), ``text_lite`` leaves one more letter
to be read from a marked point of the base image, ``vision_dominant`` states the form with
letters only and gets its own image whose marked points fix every letter. The solution
first reads the marked points and solves the linear equations they give, exactly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ...core import Built, Posed
from ...deadline import time_limit
from ...errors import Rejected, VerificationError
from ...exact import to_float
from .families import X, Fn, make
from .questions import QUESTIONS, Ask

__all__ = ["build", "FunctionState", "SUPPORT", "MODES"]


SYMBOLIC_LIMIT = 10.0     # seconds; the symbolic steps take milliseconds (see deadline.py)

# which families can answer which question, and the construction each question wants
_SMOOTH = {"linear", "quadratic", "cubic", "quartic", "sine", "cosine", "tangent", "exponential",
           "logarithm", "absolute", "rational"}
SUPPORT = {
    "zeros": _SMOOTH | {"piecewise"},
    "y-intercept": _SMOOTH | {"piecewise"}, "value": _SMOOTH | {"piecewise"},
    "maximum": {"linear", "quadratic", "cubic", "quartic", "sine", "cosine", "absolute", "exponential"},
    "minimum": {"linear", "quadratic", "cubic", "quartic", "sine", "cosine", "absolute", "exponential"},
    "local-maxima": {"quadratic", "cubic", "quartic", "sine", "cosine", "absolute"},
    "local-minima": {"quadratic", "cubic", "quartic", "sine", "cosine", "absolute"},
    "increasing": set(_SMOOTH), "decreasing": set(_SMOOTH),
    "period": {"sine", "cosine", "tangent"},
    "vertical-asymptote": {"tangent", "logarithm", "rational"},
    "horizontal-asymptote": {"exponential", "rational"},
    "derivative": {"linear", "quadratic", "cubic", "quartic", "sine", "cosine", "exponential", "logarithm",
                   "rational", "absolute", "piecewise"},
    "tangent-line": {"quadratic", "cubic", "quartic", "sine", "cosine", "exponential", "logarithm", "rational"},
    "integral": {"linear", "quadratic", "cubic", "quartic", "absolute", "piecewise"},
    "domain": {"logarithm", "rational"},
    "identify": {"linear", "quadratic", "sine", "cosine", "exponential", "rational"},
    "symmetry": {"linear", "quadratic", "cubic", "quartic", "sine", "cosine", "absolute"},
    "range": {"linear", "quadratic", "cubic", "quartic", "sine", "cosine", "absolute", "exponential"},
    "match": set(_SMOOTH),
}
MODES = {"zeros": "roots", "local-maxima": "critical", "local-minima": "critical", "increasing": "critical",
         "decreasing": "critical", "maximum": "critical", "minimum": "critical"}


@dataclass
class FunctionState:
    """What drawing and wording need of a built sample: the function, the question, the letters
    each variant hides and the marked points of the text-dominant reading, the base image and
    the vision-dominant image."""
    fn: Fn
    ask: Ask
    hidden: dict
    marks: dict               # "td", "base", "vd" -> [(x, y)]


# --- reading marks: which points fix the hidden letters ----------------------------------------

def _mark_candidates(fn: Fn, avoid: set) -> list:
    """Integer x where f has a simple exact value (quarters at most): readable marks."""
    w = fn.window
    out = []
    for x in range(w[0], w[1] + 1):
        try:
            yf = fn.f(float(x))
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        if not math.isfinite(yf) or abs(yf * 4 - round(yf * 4)) > 1e-9 or abs(yf) > 1e6:
            continue                      # a float check first: exact values only where promising
        xx = sp.Integer(x)
        if xx in avoid:
            continue
        y = fn.value(xx)
        if y.is_Rational and y.q <= 4:
            out.append((xx, y))
    return out


def _solve_marks(fn: Fn, hidden: tuple, marks: list):
    """Exact values of the hidden letters from the points, or None when they do not fix them."""
    if not hidden:
        return {}
    form = fn.form_expr(hidden)
    syms = [sp.Symbol(h, real=True) for h in hidden]
    rows, rhs = [], []
    for x0, y0 in marks:
        ex = sp.expand(form.subs(X, x0))
        row = [ex.coeff(s) for s in syms]
        rest = sp.expand(ex - sum(c * s for c, s in zip(row, syms)))
        if any(c.has(*syms) for c in row) or rest.has(*syms):
            return None                    # not linear in the letters
        rows.append(row)
        rhs.append(y0 - rest)
    m = sp.Matrix(rows)
    if m.rows != m.cols or m.det() == 0:
        return None
    sol = m.LUsolve(sp.Matrix(rhs))
    return {h: sp.nsimplify(v) for h, v in zip(hidden, sol)}


def _pick_marks(fn: Fn, rng, hidden: tuple, avoid: set, taken=()) -> list:
    """``taken`` plus as many more marked points as it takes to fix the hidden letters (one
    point per letter); points with small |y| preferred."""
    taken = list(taken)
    need = len(hidden) - len(taken)
    if need <= 0:
        return taken
    cands = [c for c in _mark_candidates(fn, avoid) if c[0] not in {m[0] for m in taken}]
    cands.sort(key=lambda c: (abs(c[1]), abs(c[0])))
    pool = cands[:max(8, need + 3)]
    for _ in range(12):
        if len(pool) < need:
            break
        idx = sorted(int(i) for i in rng.choice(len(pool), need, replace=False))
        marks = taken + [pool[i] for i in idx]
        sol = _solve_marks(fn, hidden, marks)
        if sol is not None:
            if any(sol[h] != fn.param_value(h) for h in hidden):
                raise VerificationError(f"marks {marks} give {sol} for {fn.expr}")
            return marks
    raise Rejected("marks", "no marked points fix the hidden parameters")


def _mode(family: str, qkind: str, rng) -> str:
    """The construction a question wants: roots for zeros, critical points for extrema."""
    if family in ("sine", "cosine") and qkind != "symmetry":
        return "zeros" if qkind == "zeros" else ""
    if family == "piecewise":
        return ("continuous", "jump")[int(rng.integers(2))]
    if qkind == "symmetry":               # even and odd functions as often as neither
        if rng.random() < 0.65:
            return "symmetric"
        return "critical" if family in ("cubic", "quartic") else "vertex"
    if qkind in MODES:
        return MODES[qkind] if family != "quadratic" else ("roots" if qkind == "zeros" else "vertex")
    return ("roots", "critical", "vertex")[int(rng.integers(3))]


# --- the sample -------------------------------------------------------------------------------

def build(job) -> Built:
    rule, rng, spec = job.rule, job.rng, job.spec
    qkinds = [q for q in spec.questions if SUPPORT[q] & set(spec.families)]
    qkind = qkinds[int(rng.integers(len(qkinds)))]
    fams = [f for f in spec.families if f in SUPPORT[qkind]]
    family = fams[int(rng.integers(len(fams)))]
    half = int(rng.integers(spec.window[0], spec.window[1] + 1))
    with time_limit(SYMBOLIC_LIMIT, f"sampling a {family} function ({rule.id})"):
        fn = make(family, rng, spec, (-half, half), _mode(family, qkind, rng))
    with time_limit(SYMBOLIC_LIMIT, f"the {qkind} question on {fn.expr or fn.family} ({rule.id})"):
        ask = QUESTIONS[qkind](fn, rng)
    # hidden letters per variant, and the marks that fix them
    letters = tuple(fn.letters)
    extra = [h for h in letters if h not in ask.hide]
    lite_extra = (extra[int(rng.integers(len(extra)))],) if extra else ()
    hidden = {"text_dominant": tuple(ask.hide), "text_lite": tuple(ask.hide) + lite_extra,
              "vision_dominant": letters}
    if len(hidden["text_lite"]) == len(hidden["text_dominant"]):
        raise Rejected("variants", "nothing more to leave to the picture in text_lite")
    with time_limit(SYMBOLIC_LIMIT, f"choosing marked points on {fn.expr or fn.family} ({rule.id})"):
        td_marks = _pick_marks(fn, rng, hidden["text_dominant"], ask.avoid_x)
        base_marks = _pick_marks(fn, rng, hidden["text_lite"], ask.avoid_x, td_marks)
        vd_marks = _pick_marks(fn, rng, letters, ask.avoid_x)
    posed = Posed(ask.target, answer_value(ask), exact=True, what=f"{ask.qtype} ({ask.target})")
    state = FunctionState(fn, ask, hidden, {"td": td_marks, "base": base_marks, "vd": vd_marks})
    return Built(_scene(fn, base_marks, vd_marks), [posed], state)


def _scene(fn: Fn, base_marks, vd_marks) -> dict:
    pts = {}
    for i, (x, y) in enumerate(base_marks):
        pts[f"P{i + 1}"] = [float(x), float(y)]
    for i, (x, y) in enumerate(vd_marks):
        pts[f"Q{i + 1}"] = [float(x), float(y)]
    w = fn.window
    pieces = None
    if fn.pieces:
        pieces = [{"expr": src, "from": float(a), "to": float(b), "closed": [bool(ca), bool(cb)]}
                  for a, b, ca, cb, src, _, _ in fn.pieces]
    objs = [{"type": "function", "name": "f", "expr": fn.expr, "domain": [float(w[0]), float(w[1])],
             "family": fn.family, "pieces": pieces}]
    for i, x in enumerate(fn.features.vertical):
        objs.append({"type": "line", "name": f"asymptote-{i + 1}", "coeffs": [1.0, 0.0, -float(x)],
                     "style": "dashed"})
    if fn.features.horizontal is not None:
        objs.append({"type": "line", "name": "asymptote-h", "coeffs": [0.0, 1.0, -float(fn.features.horizontal)],
                     "style": "dashed"})
    return {"points": pts, "objects": objs}


def answer_value(ask: Ask):
    """The answer as the check measures it: floats, nested lists of them, a word or an index."""
    a = ask.answer
    if ask.kind == "number":
        return to_float(a)
    if ask.kind == "numbers":
        return [to_float(v) for v in a]
    if ask.kind == "intervals":
        return [[to_float(lo), to_float(hi)] for lo, hi in a]
    if ask.kind in ("line", "pair"):
        return [to_float(a[0]), to_float(a[1])]
    if ask.kind == "domain":
        return [[None if not lo.is_finite else to_float(lo), None if not hi.is_finite else to_float(hi),
                 bool(lo_in), bool(hi_in)] for lo, hi, lo_in, hi_in in a]
    return a          # a word, or the index of the matching option
