"""Building a function-graph sample answer-first: the family and its exact features, the
question, what each variant leaves to the picture and the marked points that fix it, the
options, and the scene the check re-measures.

Variants follow MathVerse: the question always states the function's form; what it leaves
to the picture are parameter values. ``text_dominant`` states every value except those the
question must not state (the asked parameter, a letter whose value the answer repeats);
``text_lite`` leaves at least one more to the picture, one the answer depends on;
``vision_dominant`` states the form with letters only. Letters are read from marked points
(the solution solves the linear equations they give, exactly); the shape parameters a
question is about (a period's k, an asymptote's h) from the drawn curve itself.

Image dependence is measured, not assumed: for each variant, each parameter it leaves to the
picture is changed to another value it could have taken and the answer is derived again
(:func:`_moves`); ``image_needed`` says whether some change moved it. Options are the answers
of neighbouring problems (:func:`_options`): the same question, with what it states, asked
of functions of the same family drawn afresh from the same distribution.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from ...core import Built, Posed, number_key
from ...core.problem import VARIANTS
from ...deadline import time_limit
from ...errors import Rejected, VerificationError
from ...exact import to_float
from .answers import answer_text, rule_decimals
from .families import SYMMETRY_WORDS, Fn, X, make
from .questions import QUESTIONS, Ask, match_options

__all__ = ["build", "FunctionState", "SUPPORT", "MODES", "answer_value", "value_of", "canonical"]


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
    # (a piecewise-linear function's slope at x0 is the slope its form states: no picture needed)
    "derivative": {"linear", "quadratic", "cubic", "quartic", "sine", "cosine", "exponential", "logarithm",
                   "rational", "absolute"},
    "tangent-line": {"quadratic", "cubic", "quartic", "sine", "cosine", "exponential", "logarithm", "rational"},
    "integral": {"linear", "quadratic", "cubic", "quartic", "absolute", "piecewise"},
    "domain": {"logarithm", "rational"},
    "identify": {"linear", "quadratic", "sine", "cosine", "exponential", "rational"},
    # families whose symmetry the form's letters decide (a cosine's or a V's is decided by its
    # shift, which the form states: the text alone would answer)
    "symmetry": {"linear", "quadratic", "cubic", "quartic", "sine"},
    "range": {"linear", "quadratic", "cubic", "quartic", "sine", "cosine", "absolute", "exponential"},
    "match": set(_SMOOTH),
}
MODES = {"zeros": "roots", "local-maxima": "critical", "local-minima": "critical", "increasing": "critical",
         "decreasing": "critical", "maximum": "critical", "minimum": "critical"}
# the symmetry a family can have (its mode builds one): each word is the answer equally often
WORDS = {"linear": ("odd", "neither"), "quadratic": ("even", "neither"), "cubic": ("odd", "neither"),
         "quartic": ("even", "neither"), "sine": ("odd", "neither")}


@dataclass
class FunctionState:
    """What drawing and wording need of a built sample: the function, the question, the
    parameters each variant leaves to the picture and the marked points of the text-dominant
    reading, the base image and the vision-dominant image, the options and whether each
    variant needs its image."""
    fn: Fn
    ask: Ask
    hidden: dict              # variant -> parameters it leaves to the picture
    marks: dict               # "td", "base", "vd" -> [(x, y)]
    options: tuple | None = None      # (choices, answer_index, option values) or None: free-form
    image_needed: dict = field(default_factory=dict)
    frame: object = None      # draw's Frame (set by draw)


# --- reading marks: which points fix the hidden letters ----------------------------------------

def _mark_candidates(fn: Fn, avoid: set, avoid_y=None, avoid_point=None) -> list:
    """Integer x where f has a simple exact value (quarters at most): readable marks; none at
    an x in ``avoid`` or at the height ``avoid_y`` (the answer: a mark would print it), nor at
    the point ``avoid_point`` (an answer that is a pair of numbers: a slope and an intercept)."""
    w = fn.window
    out = []
    for x in range(w[0], w[1] + 1):
        try:
            yf = fn.f(float(x))
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        if not math.isfinite(yf) or abs(yf * 4 - round(yf * 4)) > 1e-9 or abs(yf) > 1e6:
            continue                      # a float check first: exact values only where promising
        if avoid_y is not None and abs(yf - avoid_y) <= 1e-9 * max(1.0, abs(avoid_y)):
            continue
        xx = sp.Integer(x)
        if xx in avoid:
            continue
        y = fn.value(xx)
        if y.is_Rational and y.q <= 4 and (avoid_point is None or (float(xx), float(y)) != avoid_point):
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
        ex = sp.expand(form.xreplace({X: x0}))
        row = [ex.coeff(s) for s in syms]
        rest = sp.expand(ex - sum(c * s for c, s in zip(row, syms)))
        if any(c.has(*syms) for c in row) or rest.has(*syms):
            return None                    # not linear in the letters
        rows.append(row)
        rhs.append(y0 - rest)
    if len(rows) != len(syms):
        return None
    if all(isinstance(v, sp.Rational) for row in rows for v in row) and all(isinstance(v, sp.Rational) for v in rhs):
        sol = _gauss(rows, rhs)          # the usual case: exact rationals, eliminated directly
        return None if sol is None else dict(zip(hidden, sol))
    m = sp.Matrix(rows)
    if m.det() == 0:
        return None
    sol = m.LUsolve(sp.Matrix(rhs))
    return {h: sp.nsimplify(v) for h, v in zip(hidden, sol)}


def _gauss(rows, rhs):
    """The solution of a square system of rationals (Gauss-Jordan), or None when it is singular."""
    a = [list(r) + [b] for r, b in zip(rows, rhs)]
    n = len(a)
    for c in range(n):
        piv = next((r for r in range(c, n) if a[r][c] != 0), None)
        if piv is None:
            return None
        a[c], a[piv] = a[piv], a[c]
        pv = a[c][c]
        a[c] = [v / pv for v in a[c]]
        for r in range(n):
            if r != c and a[r][c] != 0:
                fct = a[r][c]
                a[r] = [v - fct * w for v, w in zip(a[r], a[c])]
    return [a[r][n] for r in range(n)]


def _pick_marks(fn: Fn, rng, hidden: tuple, avoid: set, taken=(), avoid_y=None, not_this=None,
                avoid_point=None) -> list:
    """``taken`` plus as many more marked points as it takes to fix the hidden letters (one
    point per letter); points with small |y| preferred; never the set ``not_this``."""
    taken = list(taken)
    need = len(hidden) - len(taken)
    if need <= 0:
        return taken
    cands = [c for c in _mark_candidates(fn, avoid, avoid_y, avoid_point) if c[0] not in {m[0] for m in taken}]
    # points among the features' heights first (the turning points and the x-axis): a mark far
    # above them would stretch the frame and flatten them; then small |y|
    ys = [float(y) for _, y, _ in (fn.features.extrema or [])] + [0.0]
    lo, hi = min(ys), max(ys)
    cands.sort(key=lambda c: (max(0.0, lo - float(c[1]), float(c[1]) - hi), abs(c[1]), abs(c[0])))
    pool = cands[:max(8, need + 3)]
    for _ in range(12):
        if len(pool) < need:
            break
        idx = sorted(int(i) for i in rng.choice(len(pool), need, replace=False))
        marks = taken + [pool[i] for i in idx]
        if not_this is not None and set(marks) == set(not_this):
            continue
        sol = _solve_marks(fn, hidden, marks)
        if sol is not None:
            if any(sol[h] != fn.param_value(h) for h in hidden):
                raise VerificationError(f"marks {marks} give {sol} for {fn.expr}")
            return marks
    raise Rejected("marks", "no marked points fix the hidden parameters")


def _mode(family: str, qkind: str, rng) -> str:
    """The construction a question wants: roots for zeros, critical points for extrema, the
    period or the asymptotes drawn at random when they are asked."""
    if qkind == "match":
        return "match"
    if family in ("sine", "cosine"):
        return {"zeros": "zeros", "period": "period"}.get(qkind, "")
    if family == "tangent":
        return "shape" if qkind in ("period", "vertical-asymptote") else "zeros" if qkind == "zeros" else ""
    if family == "piecewise":
        return ("continuous", "jump")[int(rng.integers(2))]
    if qkind in MODES:
        return MODES[qkind] if family != "quadratic" else ("roots" if qkind == "zeros" else "vertex")
    return ("roots", "critical", "vertex")[int(rng.integers(3))]


# --- answers as values, compared as mathematical objects -------------------------------------

def value_of(kind: str, a):
    """An answer of ``kind`` as the check measures it: floats, nested lists of them, a word or
    an index."""
    if kind == "number":
        return to_float(a)
    if kind == "numbers":
        return [to_float(v) for v in a]
    if kind == "intervals":
        return [[to_float(lo), to_float(hi), bool(lo_in), bool(hi_in)] for lo, hi, lo_in, hi_in in a]
    if kind in ("line", "pair"):
        return [to_float(a[0]), to_float(a[1])]
    if kind == "domain":
        return [[None if not lo.is_finite else to_float(lo), None if not hi.is_finite else to_float(hi),
                 bool(lo_in), bool(hi_in)] for lo, hi, lo_in, hi_in in a]
    return a          # a word, or the index of the matching option


def answer_value(ask: Ask):
    return value_of(ask.kind, ask.answer)


def canonical(kind: str, a):
    """The answer as a mathematical object, to compare: zeros as a set in any order, intervals
    as sorted pairs, numbers to 9 digits (so "-2, 2" and "2, -2" are one option)."""
    v = value_of(kind, a)
    if kind == "number":
        return number_key(v)
    if kind == "numbers":
        return tuple(sorted(number_key(x) for x in v))
    if kind == "intervals":
        return tuple(sorted((number_key(lo), number_key(hi), lo_in, hi_in) for lo, hi, lo_in, hi_in in v))
    if kind in ("line", "pair"):
        return tuple(number_key(x) for x in v)
    if kind == "domain":
        return tuple(sorted(((None if lo is None else number_key(lo), None if hi is None else number_key(hi),
                              lo_in, hi_in) for lo, hi, lo_in, hi_in in v), key=str))
    return v


def _scalar(v):
    """One number (or a one-element list of one), to 9 digits; else None: only such answers can
    repeat a parameter's value."""
    if isinstance(v, (list, tuple)) and len(v) == 1:
        v = v[0]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(f"{float(v):.9g}")


# --- image dependence -------------------------------------------------------------------------

def _tries(v) -> list:
    """Other values a parameter could have been drawn as: 0, v ± 1, -v, 2v (the family refuses
    the ones that make no function of it, such as a zero leading coefficient)."""
    out = []
    for w in (v + 1, -v, I0, v - 1, 2 * v):
        if w != v and w not in out:
            out.append(w)
    return out


I0 = sp.Integer(0)


class _Deriver:
    """The answer of the sample's question again, for the function with some parameters
    changed: the same question with what it states (``ask.fixed``), of the same family on the
    same window, derived from the new parameters' features by the same builder. Cheap: no
    expression is parsed, nothing is solved."""

    def __init__(self, fn: Fn, qkind: str, ask: Ask):
        self.fn, self.qkind, self.ask = fn, qkind, ask
        self.key = canonical(ask.kind, ask.answer)
        self.rng = np.random.default_rng(0)      # the builders draw nothing once ``fixed`` is given
        self.memo: dict = {}

    def moved(self, changes: dict) -> bool | None:
        """Whether the answer changes; None when the changed values make no function of the
        family. A question that cannot be asked of the changed function (its zeros no
        longer exact, no extremum left in the window) has an answer other than this one."""
        memo_key = tuple(sorted((k, str(v)) for k, v in changes.items()))
        if memo_key in self.memo:
            return self.memo[memo_key]
        try:
            fn2 = self.fn.variant(changes)
        except (ValueError, ZeroDivisionError, TypeError):
            self.memo[memo_key] = None
            return None
        try:
            if self.qkind == "symmetry":       # the verdict the family's features give, on the same window
                out = fn2.features.symmetry != self.ask.answer
                self.memo[memo_key] = out
                return out
            a2 = QUESTIONS[self.qkind](fn2, self.rng, fixed=self.ask.fixed)
            out = canonical(a2.kind, a2.answer) != self.key
        except Rejected:
            out = self._refused(fn2)
        except (ValueError, ZeroDivisionError, TypeError):
            out = None
        self.memo[memo_key] = out
        return out

    def _refused(self, fn2: Fn) -> bool | None:
        """The question cannot be asked of the changed function. Where what it asks exists but
        is not a nice exact number (zeros or turning points irrational, a value no fraction
        with a small denominator), the answer moved; where it does not exist at all (no zero,
        no local minimum left, f decreasing everywhere), the changed function contradicts the
        question, and a reader who takes the question as asked would rule it out: not a
        value the picture must decide (None)."""
        f = fn2.features
        if self.qkind == "zeros":
            return True if f.zeros is None else None
        if self.qkind in ("local-maxima", "local-minima"):
            return True if f.extrema is None else None
        if self.qkind in ("increasing", "decreasing"):
            return True if f.increasing is None or (f.extrema is None and fn2.family in ("cubic", "quartic")) \
                else None
        if self.qkind in ("identify", "match", "symmetry"):
            return None
        return True

    def mover(self, name: str) -> bool:
        """Some other value of the parameter ``name`` moves the answer (``window``: the plotted
        window, one end a unit further in or out)."""
        if name == WINDOW:
            lo, hi = self.fn.window
            return any(self.moved({WINDOW: w}) for w in ((lo - 1, hi), (lo + 1, hi), (lo, hi - 1), (lo, hi + 1))
                       if w[1] - w[0] >= 4)
        v = self.fn.params[name]
        return any(self.moved({name: w}) for w in _tries(v))

    def needed(self, hidden) -> bool:
        """Whether changing what ``hidden`` leaves to the picture moves the answer: one
        parameter at a time, then two together (an odd cubic's x² and constant terms only
        matter together)."""
        hidden = list(hidden)
        if any(self.mover(h) for h in hidden):
            return True
        hidden = [h for h in hidden if h != WINDOW]
        for i, h1 in enumerate(hidden):
            for h2 in hidden[i + 1:]:
                v1, v2 = self.fn.params[h1], self.fn.params[h2]
                for w1 in _tries(v1)[:3]:
                    for w2 in _tries(v2)[:3]:
                        if self.moved({h1: w1, h2: w2}):
                            return True
        return False


# the questions that speak of "the window shown" without stating it: the picture gives the
# window in every variant, and their answers may depend on it (an interval of monotony ends at
# the window's end, a zero or an asymptote may fall outside it)
WINDOW = "window"
_WINDOW_QUESTIONS = {"zeros", "local-maxima", "local-minima", "increasing", "decreasing", "vertical-asymptote"}


def _match_needed(ask: Ask, hidden) -> bool:
    """A match question's options differ in the hidden letter alone: the picture decides
    between them exactly when that letter is left to it."""
    return ask.hide[0] in hidden


# --- the sample -------------------------------------------------------------------------------

OPTION_DRAWS = 12       # functions drawn for one problem until its options are four different answers


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def build(job) -> Built:
    rule, rng, spec = job.rule, job.rng, job.spec
    qkinds = [q for q in spec.questions if SUPPORT[q] & set(spec.families)]
    qkind = _pick(rng, qkinds)
    fams = [f for f in spec.families if f in SUPPORT[qkind]]
    word = None
    if qkind == "symmetry":               # the verdict first, uniform over what the families allow
        word = _pick(rng, [w for w in SYMMETRY_WORDS if any(w in WORDS[f] for f in fams)])
        fams = [f for f in fams if word in WORDS[f]]
    family = _pick(rng, fams)
    half = int(rng.integers(spec.window[0], spec.window[1] + 1))
    window = (-half, half)
    if qkind != "symmetry":     # not always centred on 0 (a symmetry question needs it centred)
        window = (-half + int(rng.integers(2)), half - int(rng.integers(2)))
    mode = word or _mode(family, qkind, rng)
    mc = qkind not in ("symmetry", "match") and bool(rng.random() < spec.multiple_choice)
    # With options, the function is drawn again until the neighbours' answers and its own are
    # four different ones (see _exchangeable: that keeps the key exchangeable with them); the
    # rest of the problem is built once, for the function kept.
    options = None
    for _ in range(OPTION_DRAWS):
        with time_limit(SYMBOLIC_LIMIT, f"sampling a {family} function ({rule.id})"):
            fn = make(family, rng, spec, window, mode)
        with time_limit(SYMBOLIC_LIMIT, f"the {qkind} question on {fn.expr or fn.family} ({rule.id})"):
            ask = QUESTIONS[qkind](fn, rng)
            if ask.kind == "choice":
                if match_options(fn, ask, lambda r: make(family, r, spec, window, mode, light=True)
                                 .params[ask.hide[0]], rng):
                    options = (list(ask.choices), ask.answer, list(range(len(ask.choices))))
                    break
                continue
        if not mc:
            break
        options = _options(fn, qkind, ask, family, mode, window, spec, rng)
        if options is not None:
            break
    else:
        raise Rejected("options", f"no {OPTION_DRAWS} draws of the {qkind} question gave four different answers")
    value = answer_value(ask)
    hidden, needed = _variants(fn, qkind, ask, value, rng)
    with time_limit(SYMBOLIC_LIMIT, f"choosing marked points on {fn.expr or fn.family} ({rule.id})"):
        td_marks, base_marks, vd_marks = _marks(fn, ask, hidden, value, rng)
    posed = Posed(ask.target, value, exact=True, what=f"{ask.qtype} ({ask.target})")
    state = FunctionState(fn, ask, hidden, {"td": td_marks, "base": base_marks, "vd": vd_marks}, options, needed)
    return Built(_scene(fn, base_marks, vd_marks), [posed], state)


def _variants(fn: Fn, qkind: str, ask: Ask, value, rng) -> tuple[dict, dict]:
    """What each variant leaves to the picture, and whether that makes it need the picture.

    text_dominant: the parameters the question must not state (``ask.hide``) and every letter
    whose value the answer repeats (else the answer would merely copy a stated value);
    text_lite: those and the question's shape parameters, or one more letter, one that moves
    the answer when text_dominant alone does not need the picture (two together when no one
    letter does); vision_dominant: every letter and shape parameter."""
    letters = tuple(fn.letters)
    td = list(ask.hide)
    a = _scalar(value)
    if a is not None:
        for h in letters + tuple(ask.shape):
            if h not in td and _scalar(to_float(fn.param_value(h))) == a:
                td.append(h)
    td = tuple(td)
    deriver = None if ask.kind == "choice" else _Deriver(fn, qkind, ask)
    pic = (WINDOW,) if qkind in _WINDOW_QUESTIONS else ()

    def needed(hid) -> bool:
        return _match_needed(ask, hid) if deriver is None else deriver.needed(tuple(hid) + pic)

    td_needed = needed(td)
    shape = tuple(s for s in ask.shape if s not in td)
    tl_needed = None
    if shape:
        tl = td + shape
    else:
        extra = [h for h in letters if h not in td]
        if not extra:
            raise Rejected("variants", "nothing more to leave to the picture in text_lite")
        # a letter that moves the answer, uniform among those that do: the first of a random order
        order = [extra[int(i)] for i in rng.permutation(len(extra))]
        first = order[0] if deriver is None else next((h for h in order if deriver.mover(h)), None)
        if first is not None:
            tl, tl_needed = td + (first,), True
        elif td_needed:
            tl, tl_needed = td + (order[0],), True
        else:
            pairs = [(h1, h2) for i, h1 in enumerate(extra) for h2 in extra[i + 1:] if needed((h1, h2))]
            if not pairs:
                raise Rejected("variants", "no value text_lite could leave to the picture moves the answer")
            tl, tl_needed = td + _pick(rng, pairs), True
    vd = tuple(dict.fromkeys(td + tuple(letters) + tuple(ask.shape)))
    hidden = {"text_dominant": td, "text_lite": tl, "vision_dominant": vd}
    if tl_needed is None:
        tl_needed = td_needed or needed(tl)
    # vision_dominant leaves to the picture everything text_lite does, and more
    image_needed = {"text_dominant": td_needed, "text_lite": tl_needed,
                    "vision_dominant": tl_needed or needed(vd)}
    return hidden, image_needed


def _marks(fn: Fn, ask: Ask, hidden: dict, value, rng):
    """The marked points that fix each variant's hidden letters (none when the answer does not
    depend on the letters); the vision-dominant image's differ from the base image's when the
    two variants leave the same letters to the picture (else the two would be one problem)."""
    if not ask.uses_letters:
        return [], [], []
    letters = set(fn.letters)
    lin = {v: tuple(h for h in hidden[v] if h in letters) for v in VARIANTS}
    avoid_y = _scalar(value)
    avoid = set(ask.avoid_x)
    if avoid_y is not None and float(avoid_y).is_integer():
        avoid.add(sp.Integer(int(avoid_y)))       # nor at x = the answer: a label would print it
    pair = (tuple(float(v) for v in value) if isinstance(value, list) and len(value) == 2
            and all(isinstance(v, float) for v in value) else None)     # a mark equal to it would be a given it copies
    td_marks = _pick_marks(fn, rng, lin["text_dominant"], avoid, avoid_y=avoid_y, avoid_point=pair)
    base_marks = _pick_marks(fn, rng, lin["text_lite"], avoid, td_marks, avoid_y=avoid_y, avoid_point=pair)
    same = set(lin["text_lite"]) == set(lin["vision_dominant"])
    vd_marks = _pick_marks(fn, rng, lin["vision_dominant"], avoid, avoid_y=avoid_y,
                           not_this=base_marks if same else None, avoid_point=pair)
    return td_marks, base_marks, vd_marks


def _options(fn: Fn, qkind: str, ask: Ask, family: str, mode: str, window, spec, rng):
    """Four options: the key and the answers of three neighbouring problems, the same question
    (stating what this one states) of a function of the same family and construction drawn
    afresh, so the key is one of four draws of one distribution; options equal as
    mathematical objects count once. None (free-form) when the draws give fewer than three."""
    decimals = rule_decimals(spec)

    def draw(r):
        fn2 = make(family, r, spec, window, mode, light=True)
        return QUESTIONS[qkind](fn2, r, fixed=ask.fixed).answer

    def write(v):
        return answer_text(ask, v, decimals)

    same = (lambda v: write(v)) if decimals is not None else (lambda v: canonical(ask.kind, v))

    def excluded(v) -> bool:
        # No option is refused for repeating a value the text states. The key never repeats
        # one because the letter it equals is left to the picture (``_variants``), not because
        # such keys are refused; refusing neighbours that equal a stated value would make the
        # values letters often take (0, ±1) rarer among the wrong options than among the keys,
        # and the options would give the key away. (vision_dominant states no value at all.)
        return False
    with time_limit(SYMBOLIC_LIMIT, f"options of the {qkind} question"):
        got = _exchangeable(ask.answer, draw, rng, write=write, same=same, excluded=excluded)
    if got is None:
        return None
    choices, index, values = got
    return choices, index, [value_of(ask.kind, v) for v in values]


def _exchangeable(key, draw, rng, *, write, same, excluded, n: int = 3, sets: int = 1, redraws: int = 8):
    """The key's text and ``n`` wrong options at random places, exactly exchangeable with it,
    or None (the problem is then free-form). ``n`` neighbours are drawn independently (one
    that cannot be asked is drawn again: each is one draw of the neighbours' distribution);
    the problem gets options only when their answers and the key's are all different. The
    multiple-choice problems are then the four answers drawn alike and conditioned on being
    distinct, so the key is any one of them with the same chance, even when a few values are
    much likelier than the rest (a midline of 0, drawn a third of the time). Drawing again
    until the answers differ (or keeping the first distinct ones) would not do: a key of a
    likely value leaves fewer ways for the others to differ from it, and a set that had to be
    drawn for longer around such a key would make it the key more often than chance.
    ``sets`` > 1 trades that exactness for more multiple-choice problems."""
    key_same, key_text = same(key), write(key)
    for _ in range(sets):
        vals = []
        for _ in range(n):
            for _ in range(redraws):
                try:
                    v = draw(rng)
                except Rejected:
                    continue
                if v is not None and not excluded(v):
                    vals.append(v)
                    break
            else:
                return None
        try:
            sames, texts = [same(v) for v in vals], [write(v) for v in vals]
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue
        if len(set(sames) | {key_same}) == n + 1 and len(set(texts) | {key_text}) == n + 1 and all(texts):
            index = int(rng.integers(n + 1))
            texts.insert(index, key_text)
            vals.insert(index, key)
            return texts, index, vals
    return None


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
