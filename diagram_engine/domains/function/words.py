"""Function-graph wording: caption, three question variants, solutions, options, the answer
in its forms.

All English lives in ``templates/function/*.yaml``; this module decides what is said. The
caption says what the base image shows (the kind of function, the window, its title as
drawn, the marked points and dashed asymptotes with the labels drawn on them), never a
feature the picture only implies: a zero or an extremum could be the answer.
"""
from __future__ import annotations

import re

import sympy as sp

from ...core import (
    VARIANTS,
    Answer,
    Given,
    Variant,
    Worded,
    Words,
    final_line,
    instruction,
    round_value,
)
from ...errors import Rejected
from ...exact import fmt_latex, sympy_str, to_float
from .answers import answer_text, rule_decimals
from .build import FunctionState
from .draw import _samples
from .families import Fn, t
from .questions import Ask

__all__ = ["words", "answer_text", "answer_latex", "answer_exact"]


def _pt(x, y) -> str:
    return f"({t(x)}, {t(y)})"


def _reading(pb, rng, fn: Fn, hidden: tuple, marks: list) -> list[str]:
    """Steps that read the marked points and solve for the hidden letters (the shape
    parameters are read already: they are written in)."""
    if not hidden:
        return []
    pts = [_pt(x, y) for x, y in marks]
    eqs = [f"{t(y)} = {fn.text_at(x, f'({t(x)})', hidden)}" for x, y in marks]
    sols = [f"{h} = {t(fn.param_value(h))}" for h in hidden]
    return [pb.say("read.points", rng, points=pts, n=len(pts)),
            pb.say("solve.letters", rng, form=fn.text(hidden=hidden), equations=eqs, solutions=sols,
                   n=len(hidden)),
            pb.say("so.f", rng, expr=fn.text())]


def _read_shape(pb, rng, fn: Fn, name: str) -> str:
    """The step that reads a shape parameter off the drawn curve: k from two maxima a period
    apart (or two asymptotes of a tangent), h from the dashed vertical asymptote."""
    p, f = fn.params, fn.features
    if name == "h" and fn.family == "absolute":
        return pb.say("read.corner", rng, h=t(p["h"]))
    if name == "h":
        return pb.say("read.asymptote", rng, h=t(p["h"]))
    if fn.family == "tangent":
        x1, x2 = f.vertical[:2]
        return pb.say("read.period.tangent", rng, x1=t(x1), x2=t(x2), k=t(p["k"]))
    ext = f.extrema or []
    for kind in ("max", "min"):
        xs = [x for x, _, k in ext if k == kind]
        if len(xs) >= 2:
            return pb.say("read.period.trig", rng, x1=t(xs[0]), x2=t(xs[1]), T=t(xs[1] - xs[0]), k=t(p["k"]),
                          which=kind)
    raise Rejected("variants", "the graph shows no two maxima or minima to read the period from")


_NUMBER = re.compile(r"-?\d+(?:[./]\d+)?")
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four"}


def _drawn_numbers(picture) -> set[str]:
    """The numbers the picture prints (tick labels, marked points, asymptote labels, title)."""
    out = set()
    for lb in picture.labels:
        out.update(_NUMBER.findall(str(lb.text).replace("\u2212", "-")))
    return out


def _moves(fn: Fn) -> list[list[str]]:
    """Which way the drawn curve goes, left to right, on each of its branches: "rise" and
    "fall" in turn (a flat stretch is left out)."""
    out = []
    for run in _samples(fn, 240):
        ys = [y for _, y in run if y is not None]
        if len(ys) < 3:
            continue
        tol = 1e-9 * (max(ys) - min(ys) + 1.0)
        seq: list[str] = []
        for y1, y2 in zip(ys, ys[1:]):
            if abs(y2 - y1) <= tol:
                continue
            m = "rise" if y2 > y1 else "fall"
            if not seq or seq[-1] != m:
                seq.append(m)
        if seq:
            out.append(seq)
    return out


def _shape(fn: Fn) -> dict:
    """What the caption may say of the curve's shape: never a number, a symmetry or a
    period, only what any reader sees (which way it goes, how it turns, its branches)."""
    p, fam = fn.params, fn.family
    moves = _moves(fn)
    ctx = {"family": fam, "moves": moves[0] if moves else [], "branches": len(moves), "up": None,
           "pieces": 0, "jumps": False, "grows": None}
    if fam in ("quadratic", "absolute"):
        ctx["up"] = bool(p["a"] > 0)
    elif fam == "exponential":
        ctx["grows"] = bool((p["a"] > 0) == (p["b"] > 1))
        ctx["right"] = bool(p["b"] > 1)          # the side where |f| grows without bound
    elif fam in ("logarithm", "tangent", "rational"):
        ctx["up"] = bool(p["a"] > 0)
    elif fam == "piecewise":
        ctx["pieces"] = _NUMBER_WORDS.get(len(fn.pieces), str(len(fn.pieces)))
        ctx["jumps"] = fn.mode == "jump"
    return ctx


def _caption(pb, rng, st: FunctionState, picture, noun: str) -> str:
    """What the base image shows, sentence by sentence: the graph and its x window, the
    curve's shape, the axes and their ticks, the curve's name, the title, the asymptotes,
    the piece ends, the marked points. A number is written only where the picture prints it
    (a window end without a tick label is not named), so the caption gives away nothing the
    picture does not show."""
    fn, fr, ask, marks = st.fn, st.frame, st.ask, st.marks
    drawn = _drawn_numbers(picture)

    def shown(*vals) -> bool:
        return all(str(v) in drawn for v in vals)
    w = fn.window
    lo, hi = t(w[0]), t(w[1])
    cap = [pb.say("caption.graph", rng, noun=noun, lo=lo, hi=hi, numbers=shown(lo, hi))]
    cap.append(pb.say("caption.shape", rng, **_shape(fn), rise=pb.word("rise", rng), fall=pb.word("fall", rng)))
    if fr is not None:
        y_lo, y_hi = fr.y_range
        ys = [v for v in (y_lo, y_hi) if float(v).is_integer()]
        y_ends = [t(sp.Integer(int(v))) for v in ys] if len(ys) == 2 else []
        xstep, ystep = t(sp.nsimplify(fr.x_step)), t(sp.nsimplify(fr.y_step))
        cap.append(pb.say("caption.axes", rng, grid=fr.grid, xstep=xstep, ystep=ystep,
                          steps=shown(xstep, ystep), ylo=y_ends[0] if y_ends else None,
                          yhi=y_ends[1] if y_ends else None, yrange=bool(y_ends) and shown(*y_ends),
                          origin=any(lb.text == "O" for lb in picture.labels)))
        if fr.curve.label:
            cap.append(pb.say("caption.curve", rng, name=fr.curve.label))
        if fr.title:
            cap.append(pb.say("caption.title", rng, title=f"{fr.title} = {fn.text(hidden=st.hidden['text_lite'])}"))
        for kind in ("vertical", "horizontal"):
            lines = [a for a in fr.asymptotes if a.kind == kind]
            axis = [a for a in lines if a.value == 0]       # the asymptote is an axis itself
            named = [a.label for a in lines if a.label and a.value != 0]
            plain = len(lines) - len(named) - len(axis)
            if axis:
                cap.append(pb.say("caption.asymptote.axis", rng, vertical=kind == "vertical"))
            if named:
                cap.append(pb.say("caption.asymptote", rng, lines=named, n=len(named), vertical=kind == "vertical"))
            if plain:
                cap.append(pb.say("caption.asymptote.plain", rng, n=plain, vertical=kind == "vertical",
                                  more=bool(named)))
    if fn.pieces and fn.mode == "jump":
        cap.append(pb.say("caption.dots", rng))
    if marks["base"]:
        cap.append(pb.say("caption.marks", rng, points=[_pt(x, y) for x, y in marks["base"]],
                          n=len(marks["base"])))
    return " ".join(c for c in cap if c)


def words(job, built, pictures) -> Words:
    st: FunctionState = built.state
    rng, spec, pb = job.rng, job.spec, job.pb
    fn, ask, hidden, marks = st.fn, st.ask, st.hidden, st.marks
    noun = pb.word(fn.family, rng)
    w = fn.window
    letters = set(fn.letters)

    caption = _caption(pb, rng, st, pictures[0], noun)

    # the question
    decimals = rule_decimals(spec)
    answer = answer_text(ask, decimals=decimals)
    choices = answer_index = option_values = None
    if st.options is not None:
        choices, answer_index, option_values = st.options
    ask_text = pb.say(ask.ask[0], rng, **ask.ask[1])
    tail = instruction(pb, rng, choices)
    reads = {"text_dominant": marks["td"], "text_lite": marks["base"], "vision_dominant": marks["vd"]}
    questions = {}
    for v in VARIANTS:
        named = [h for h in fn.letters if h in hidden[v]] + [h for h in hidden[v] if h not in fn.letters]
        parts = [pb.say("desc", rng, expr=fn.text(hidden=hidden[v]), noun=noun, letters=named)]
        if reads[v]:
            parts.append(pb.say("marks", rng, n=len(reads[v])))
        parts.append(ask_text)
        questions[v] = " ".join(parts) + "\n" + tail

    # the solution: the shape read off the curve, the letters solved from the marks, the steps
    steps = [pb.say(slot, rng, **ctx) for slot, ctx in ask.steps]
    final = final_line(pb, rng, answer_index, answer)
    solutions, derived = {}, {}
    for v in VARIANTS:
        shape = [_read_shape(pb, rng, fn, h) for h in hidden[v] if h not in letters]
        lin = tuple(h for h in hidden[v] if h in letters) if ask.uses_letters else ()
        solutions[v] = shape + _reading(pb, rng, fn, lin, reads[v]) + steps + [final]
        derived[v] = (1 if lin else 0) + len(ask.steps)

    givens = _givens(fn, ask, hidden, marks)
    if not givens:
        raise Rejected("variants", "every value is left to the picture and nothing is marked")
    value = built.problems[0].value
    problem = Worded(ask.qtype, ask.target, givens,
                     {v: Variant(questions[v], 0 if v != "vision_dominant" else 1, solutions[v]) for v in VARIANTS},
                     choices, answer_index,
                     Answer(answer, answer_latex(ask), answer_exact(ask), round_value(value)), derived["text_dominant"],
                     option_values=option_values, image_needed=dict(st.image_needed))
    return Words(caption, [problem])


def _givens(fn: Fn, ask: Ask, hidden: dict, marks: dict) -> list[Given]:
    """What the solutions start from: each parameter a variant states (the letters, and the
    shape parameters the question is about), with the variants whose marked points fix it
    instead; and each marked point, shown by the image of the variants it is drawn for. A
    parameter no variant states is found, not given (the asked one among them)."""
    out = []
    names = list(fn.letters) + [s for s in ask.shape if s not in fn.letters]
    for h in names:
        stated = frozenset(v for v in VARIANTS if h not in hidden[v])
        if not stated:
            continue
        shown = frozenset(v for v in VARIANTS if h in hidden[v] and (h not in fn.letters or ask.uses_letters))
        val = fn.param_value(h)
        out.append(Given(f"{h} = {t(val)}", h, round(to_float(val), 12), stated, shown,
                         sympy_str(sp.nsimplify(val))))
    points: dict = {}
    for which, vs in (("base", ("text_dominant", "text_lite")), ("vd", ("vision_dominant",))):
        for x, y in marks[which]:
            points.setdefault((x, y), set()).update(vs)
    for (x, y), vs in points.items():
        out.append(Given(f"{_pt(x, y)} lies on the graph", f"point:{_pt(x, y)}",
                         [round(to_float(x), 12), round(to_float(y), 12)], frozenset(), frozenset(vs)))
    return out


def _exact(v) -> sp.Expr:
    # nsimplify would rewrite 3·ln(2)/2 as ln(2√2): only plain Python numbers go through it
    return v if isinstance(v, sp.Basic) else sp.nsimplify(v)


def answer_latex(ask: Ask) -> str:
    a = ask.answer
    if ask.kind == "number":
        return fmt_latex(_exact(a))
    if ask.kind == "numbers":
        return ", ".join(fmt_latex(_exact(v)) for v in a)
    text = re.sub(r"\bln ", r"\\ln ", answer_text(ask))
    return text.replace("π", r"\pi ").replace("∞", r"\infty").replace("∪", r"\cup")


def answer_exact(ask: Ask) -> str | None:
    a = ask.answer
    if ask.kind == "number":
        return sympy_str(_exact(a))
    if ask.kind == "numbers":
        return "[" + ", ".join(sympy_str(_exact(v)) for v in a) + "]"
    return None
