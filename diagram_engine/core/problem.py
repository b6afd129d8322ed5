"""The problem record, written in one place for every domain.

A domain says what a problem is (:class:`Worded`: its givens and where each is shown, the
question and solution of each variant, the options, the answer in its forms); the core checks
the answer (:class:`Checks`) and :func:`write_problem` writes the record of docs/record.md. The
pieces every domain's wording shares live here too: the variants, the option letters (wrong
options are drawn by core.options), the instruction line and the final answer line.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import VerificationError

__all__ = ["VARIANTS", "LETTERS", "REL_TOL", "letter", "agree",
           "instruction", "final_line", "Given", "Variant", "Answer", "Worded", "Checks", "write_problem",
           "round_value", "copied_given"]

VARIANTS = ("text_dominant", "text_lite", "vision_dominant")
LETTERS = "ABCD"

REL_TOL = 1e-6      # the record's promise: answer.value equals the re-measure within 1e-6 relative


def letter(i: int) -> str:
    """The letter of option ``i``: 0 -> 'A'."""
    return LETTERS[i]


# --- the two checks agreeing --------------------------------------------------------------------

def _flat(v) -> list:
    if isinstance(v, (list, tuple)):
        return [y for x in v for y in _flat(x)]
    return [v] if v is None or isinstance(v, (bool, str)) else [float(v)]


def agree(got, want, what: str) -> float:
    """The largest difference between the re-measured ``got`` and the derived ``want``.

    Both are numbers, words or nested lists of them; numbers must agree within 1e-6 of the
    larger of 1 and the answer's largest number, everything else (a word, None for an
    unbounded end, a flag) exactly. Anything else raises ``VerificationError`` naming
    ``what``: a disagreement is a bug, never a rejected sample.

    >>> agree(2.0000000001, 2.0, "length")
    1.000000082740371e-10
    >>> agree(["even"], ["odd"], "symmetry")
    Traceback (most recent call last):
    ...
    diagram_engine.errors.VerificationError: symmetry: derived ['odd'], re-measured ['even']
    """
    g, w = _flat(got), _flat(want)
    exact = [(a, b) for a, b in zip(g, w) if not isinstance(b, float)]
    if len(g) != len(w) or any(a != b or type(a) is not type(b) for a, b in exact):
        raise VerificationError(f"{what}: derived {want!r}, re-measured {got!r}")
    nums = [(a, b) for a, b in zip(g, w) if isinstance(b, float)]
    if any(not isinstance(a, float) for a, _ in nums):
        raise VerificationError(f"{what}: derived {want!r}, re-measured {got!r}")
    err = max((abs(a - b) for a, b in nums), default=0.0)
    if not err <= REL_TOL * max([1.0] + [abs(b) for _, b in nums]):
        raise VerificationError(f"{what}: derived {want!r}, re-measured {got!r}")
    return err


class Checks:
    """The checks that ran on one problem, as its record's ``verified`` reports them.

    ``exact``: the domain derived the answer in exact arithmetic and its own exact checks
    passed (the domain sets it); ``numeric``: the core re-measured the target from the scene
    with the domain's independent check and it agreed; further checks (a chart's values read
    back from the drawn artists) add their error. ``max_abs_err`` bounds the largest error seen
    (``err_bound``), so that float noise of one machine's libraries does not change the record.
    """

    def __init__(self) -> None:
        self.exact = False
        self.numeric = False
        self.max_err = 0.0
        self.ran: list[str] = []

    def agreed(self, got, want, what: str, kind: str) -> float:
        """``agree(got, want, what)``, recorded as a check of ``kind``."""
        err = agree(got, want, what)
        self.max_err = max(self.max_err, err)
        self.ran.append(kind)
        if kind == "numeric":
            self.numeric = True
        return err

    def record(self) -> dict:
        return {"exact": self.exact, "numeric": self.numeric, "max_abs_err": err_bound(self.max_err)}


ERR_BOUNDS = tuple(float(f"1e{k}") for k in range(-9, 31, 3))


def err_bound(err: float) -> float:
    """The record's ``max_abs_err``: the smallest of 1e-9, 1e-6, 1e-3, 1, 1e3, ... that is at
    least ``err``. The raw error of a re-measure is float noise (2.07e-14 with one NumPy and
    libm, 4.44e-14 with another, for the same sample); a bound far above that noise is the
    same on every machine, so records stay byte-identical across environments."""
    for b in ERR_BOUNDS:
        if err <= b:
            return b
    return float(err)


# --- options -------------------------------------------------------------------------------------

def instruction(pb, rng, choices) -> str:
    """The line after a question: the instruction, and the options A-D under it."""
    if choices is None:
        return pb.say("instruction.free", rng)
    return pb.say("instruction.mc", rng) + "\n" + pb.say(
        "choices", rng, choices=[f"{letter(i)}. {c}" for i, c in enumerate(choices)])


def final_line(pb, rng, answer_index: int | None, answer: str) -> str:
    """The solution's last line: ``Answer: C`` for multiple choice, else the template's
    free-form answer line (``The answer is 12√3.``)."""
    if answer_index is not None:
        return f"Answer: {letter(answer_index)}"
    return pb.say("answer.free", rng, answer=answer)


# --- the record ----------------------------------------------------------------------------------

def round_value(v):
    """A float as records store it (12 decimals); anything else as it is."""
    return round(v, 12) if isinstance(v, float) else v


@dataclass
class Given:
    """One given of a problem and where each variant shows it: ``in_text``, the variants whose
    question states it; ``in_image``, those whose image shows it."""
    fact: str                   # as the text states it: "AB = 12"
    quantity: str               # what it is the value of: "len:AB", "a", "Kraków|Bicycle"
    value: object               # its value (a float, a word)
    in_text: frozenset
    in_image: frozenset
    exact: str | None = None    # its exact form (a sympy string), where it has one

    def record(self) -> dict:
        out = {"fact": self.fact, "quantity": self.quantity, "value": self.value}
        if self.exact is not None:
            out["exact"] = self.exact
        out["in_text"] = {v: v in self.in_text for v in VARIANTS}
        out["in_image"] = {v: v in self.in_image for v in VARIANTS}
        return out


@dataclass
class Variant:
    question: str
    image: int                  # which of the sample's images (0: the base image)
    solution: list[str]


@dataclass
class Answer:
    text: str                   # as a person writes it: 12√3
    latex: str
    exact: str | None           # a sympy string, where the answer has one
    value: object               # what the re-measure gives: a float, a word, a list

    def record(self) -> dict:
        return {"text": self.text, "latex": self.latex, "exact": self.exact, "value": self.value}


@dataclass
class Worded:
    """Everything a problem's record says, as its domain words it."""
    qtype: str
    target: dict
    givens: list[Given]
    variants: dict[str, Variant]
    choices: list[str] | None
    answer_index: int | None
    answer: Answer
    steps: int                  # reasoning steps of the solution (before reading the picture)
    option_values: list | None = None   # each option's value as the re-measure gives it (the core
    #                                     verifies every wrong one wrong); None: not checked
    image_needed: dict | None = None    # variant -> whether changing what its text leaves to the
    #                                     picture changes the answer (the domain tried it)
    recall: bool = False                # the rule asks a one-step recall on purpose: the answer may
    #                                     equal a given

    def __post_init__(self):
        if set(self.variants) != set(VARIANTS):
            raise VerificationError(f"variants {sorted(self.variants)}, expected {list(VARIANTS)}")
        if (self.choices is None) != (self.answer_index is None):
            raise VerificationError("choices and answer_index go together")
        if self.option_values is not None and (self.choices is None or len(self.option_values) != len(self.choices)):
            raise VerificationError("option_values go with the choices, one each")
        if self.image_needed is not None and set(self.image_needed) != set(VARIANTS):
            raise VerificationError(f"image_needed names {sorted(self.image_needed)}, expected {list(VARIANTS)}")
        if self.choices is not None and self.choices[self.answer_index] != self.answer.text:
            raise VerificationError(f"option {letter(self.answer_index)} is {self.choices[self.answer_index]!r}, "
                                    f"the answer is {self.answer.text!r}")


def write_problem(pid: str, w: Worded, checks: Checks, image_paths: Sequence[str]) -> dict:
    """The record of one problem (docs/record.md)."""
    return {
        "id": pid,
        "question_type": w.qtype,
        "target": w.target,
        "givens": [g.record() for g in w.givens],
        "variants": {v: {"question": w.variants[v].question, "image": image_paths[w.variants[v].image],
                         "solution": w.variants[v].solution} for v in VARIANTS},
        "choices": w.choices,
        "answer_index": w.answer_index,
        "answer": w.answer.record(),
        "solution": w.variants["text_dominant"].solution,
        "steps": w.steps,
        "verified": checks.record(),
        **({"image_needed": {v: bool(w.image_needed[v]) for v in VARIANTS}} if w.image_needed is not None else {}),
        **({"recall": True} if w.recall else {}),
    }


def _scalar(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return ("n", float(f"{float(v):.9g}"))
    if isinstance(v, str):
        return ("w", " ".join(v.lower().split()))
    if isinstance(v, (list, tuple)) and len(v) == 1:
        return _scalar(v[0])
    return None


def copied_given(w: Worded) -> Given | None:
    """The given whose value the answer merely repeats (a length marked equal to the one asked,
    a cell the text states), or None. Only answers that are one number or one word can copy."""
    a = _scalar(w.answer.value)
    if a is None or w.recall:
        return None
    for g in w.givens:
        if _scalar(g.value) == a:
            return g
    return None
