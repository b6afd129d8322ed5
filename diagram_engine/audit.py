"""How much a dataset's problems need their images: a data curator's report.

``audit(path)`` reads a dataset folder written by ``generate`` (its shards, their
``.done.json`` digests and the images), computes the figures of docs/audit.md for the whole
dataset, each domain, each rule and each question type, and returns a :class:`Report`:
``.text()`` for people, ``.to_json()`` for tools (also written to ``DIR/audit.json``) and
``.check(thresholds)`` for a CI gate. Nothing here knows a domain: domains, rules, question
types and variants are read from the records.

The options-only classifiers need scikit-learn (the ``audit`` extra); without it those two
figures are reported as not computed, with the reason, and everything else still runs.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import re
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from .core.problem import VARIANTS
from .errors import UserError

__all__ = ["METRICS", "MIN_GROUP", "MIN_MC_FOR_QTYPE_THRESHOLD", "Metric", "Report", "audit", "contains_answer",
           "parse_number", "parse_thresholds", "strip_options", "wilson"]

MIN_GROUP = 30                      # a group with fewer applicable problems gets no figure
MIN_MC_FOR_QTYPE_THRESHOLD = 200    # options_only thresholds also apply to question types this large
MIN_NEVER_RIGHT = 20                # an option text in this many problems' choices and never the key
FOLDS = 5
NO_TICK_KINDS = ("tick", "axis")    # label kinds left out of label_leak_no_ticks


@dataclass(frozen=True)
class Metric:
    direction: str      # "max": lower is better (--max); "min": higher is better (--min)
    unit: str           # "fraction", "bits", "count", "steps"
    meaning: str


VOCAB_RECORDS = 1000
_CAPTION_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def caption_words(captions) -> set[str]:
    """The distinct words of some captions: runs of letters, lower-cased; single letters and
    all-capital names (points, segments, triangles: A, AB, KLM) are left out.

    >>> sorted(caption_words(["Triangle ABC has AB = 8 and a right angle at B.", "A circle's radius"]))
    ['and', 'angle', 'at', "circle's", 'has', 'radius', 'right', 'triangle']
    """
    out: set[str] = set()
    for c in captions:
        for w in _CAPTION_WORD.findall(c or ""):
            if len(w) > 1 and not w.isupper():
                out.add(w.lower())
    return out


def _metrics() -> dict[str, Metric]:
    m = {
        "options_only": Metric("max", "fraction", "accuracy of a classifier that sees only the option texts "
                               "at picking the key (multiple-choice problems, cross-validated by record)"),
        "options_question": Metric("max", "fraction", "the same, seeing the vision_dominant question's words too"),
        "key_rank": Metric("max", "fraction", "largest |share of a rank - 1/k| of the key's rank among the "
                           "sorted numeric options (all options numbers)"),
        "answer_equals_given": Metric("max", "fraction", "answer value equal to a given's value (problems not "
                                      "marked recall)"),
        "target_in_givens": Metric("max", "fraction", "a given is the asked quantity itself"),
        "caption_leak": Metric("max", "fraction", "answer text in the caption and in no label of the base image"),
    }
    for v in VARIANTS:
        m[f"label_leak.{v}"] = Metric("max", "fraction", f"answer text drawn on the {v} image (any label)")
    for v in VARIANTS:
        m[f"label_leak_no_ticks.{v}"] = Metric("max", "fraction", f"answer text drawn on the {v} image, "
                                               "tick and axis labels left out")
    for v in VARIANTS:
        m[f"question_leak.{v}"] = Metric("max", "fraction", f"answer text in the {v} question outside the options")
    m.update({
        "duplicate_images": Metric("max", "fraction", "records whose base image repeats an earlier record's"),
        "distinct_images": Metric("min", "fraction", "distinct base images / records"),
        "duplicate_image_questions": Metric("max", "fraction", "problems with a variant whose (image, question) "
                                            "pair is an earlier problem's"),
        "duplicate_scenes": Metric("max", "fraction", "records whose scene repeats an earlier record's"),
        "identical_variants": Metric("max", "fraction", "text_lite and vision_dominant with the same question "
                                     "and the same image"),
        "image_dependence": Metric("min", "fraction", "text_lite and vision_dominant problem variants whose "
                                   "record says image_needed"),
        "image_dependence.text_lite": Metric("min", "fraction", "text_lite problems whose record says image_needed"),
        "image_dependence.vision_dominant": Metric("min", "fraction", "vision_dominant problems whose record says "
                                                   "image_needed"),
        "top_answer": Metric("max", "fraction", "share of the most common answer text"),
        "answer_entropy": Metric("min", "bits", "entropy of the answer texts"),
        "distinct_answers": Metric("min", "fraction", "distinct answer texts / problems"),
        "never_right": Metric("max", "count", f"option texts in at least {MIN_NEVER_RIGHT} problems' choices that "
                              "are never the key"),
        "caption_words": Metric("min", "count", "distinct words in the captions (lower-cased; names of points and "
                                "segments, single letters and numbers left out)"),
        "caption_words_1k": Metric("min", "count", f"the same over the first {VOCAB_RECORDS:,} records' captions "
                                   "(comparable across dataset sizes)"),
        "few_steps": Metric("max", "fraction", "problems with fewer than 2 steps"),
        "mean_steps": Metric("min", "steps", "mean number of steps"),
    })
    return m


METRICS: dict[str, Metric] = _metrics()
_CLASSIFIERS = ("options_only", "options_question")


# --- text: normalising, matching the answer, stripping the options -----------------------------------

_TRANSLATE = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-",
                            "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " "})
_SPACES = re.compile(r"\s+")


def _norm(s) -> str:
    """Unicode minus and dashes to ``-``, every run of white space to one space, trimmed."""
    return _SPACES.sub(" ", str(s).translate(_TRANSLATE)).strip()


_LEFT_NUM = r"(?<![\w.√π/^\-])"                 # not glued to a number, a root, a fraction or a minus
_LEFT_SIGNED = r"(?<![\w.)])"
_RIGHT_NUM = r"(?![\w√π°²³⁴/^']|\.\d)"          # not continued into a bigger number or a product
_PATTERNS: dict[str, re.Pattern | None] = {}


def _pattern(answer: str) -> re.Pattern | None:
    a = _norm(answer)
    if a in _PATTERNS:
        return _PATTERNS[a]
    if not a:
        _PATTERNS[a] = None
        return None
    body = r"\s*".join(re.escape(p) for p in a.split(" "))
    first, last = a[0], a[-1]
    left = _LEFT_SIGNED if first in "-+" else _LEFT_NUM if (first.isalnum() or first in "√π") else ""
    right = _RIGHT_NUM if (last.isalnum() or last in "π°%") else ""
    flags = re.IGNORECASE if len(a) >= 3 and any(c.isalpha() for c in a) else 0
    _PATTERNS[a] = p = re.compile(left + body + right, flags)
    return p


def contains_answer(text: str, answer: str) -> bool:
    """Whether ``answer`` occurs in ``text`` as a whole token (docs/audit.md, "Matching").

    Both are normalised (Unicode minus, spaces; a space in the answer may be absent in the
    text). A number matches only a whole number: ``2`` is not in ``12``, ``2.5``, ``-2``,
    ``1/2``, ``2√3``, ``2π``, ``2x`` or ``x²``; a word only a whole word (``even`` is not in
    ``uneven``). Answers of three or more characters with a letter match in any case.

    >>> contains_answer("AB = 12 and CD = 2.5", "2")
    False
    >>> contains_answer("the point (-2, 3) and x = 2.", "2")
    True
    >>> contains_answer("Is f even?", "even")
    True
    """
    p = _pattern(answer)
    if p is None:
        return False
    t = _norm(text)
    signed = _norm(answer)[:1] in "-+"
    for m in p.finditer(t):
        left, right = t[:m.start()], t[m.end():]
        if _CONTINUED_RIGHT.match(right) or _CONTINUED_LEFT.search(left) or (
                not signed and _MINUS_LEFT.search(left)):
            continue
        return True
    return False


_CONTINUED_RIGHT = re.compile(r"\s*[-+*/·×^]\s*[\w(√π]")       # "y = 3x" is not in "y = 3x + 1"
_CONTINUED_LEFT = re.compile(r"[\w)]\s*[+*/·×^]\s*$")           # "2" is not in "5 + 2"
_MINUS_LEFT = re.compile(r"[\w)]\s*-\s*$")                       # nor in "5 - 2"


_OPTION_LINE = re.compile(r"^\s*\(?([A-Za-z])[.):]\s*(.*?)\s*$")


def strip_options(question: str, choices) -> str:
    """The question without its options: every line ``X. <option>`` (or ``(X) ...``, ``X) ...``)
    whose text is one of ``choices`` is dropped, then any ``X. <option>`` left inside a line."""
    if not choices:
        return question
    opts = {_norm(c) for c in choices}
    kept = []
    for line in question.split("\n"):
        m = _OPTION_LINE.match(line)
        if m and _norm(m[2]) in opts:
            continue
        kept.append(line)
    out = "\n".join(kept)
    for i, c in enumerate(choices):
        if i < 26:
            out = out.replace(f"{chr(65 + i)}. {c}", " ")
    return out


# --- numbers in option texts --------------------------------------------------------------------------

_NUM_CACHE: dict[str, float | None] = {}
_ALLOWED = set("0123456789.π√()+-*·×/^²³")


class _Parser:
    """expr := term (('+'|'-') term)*; term := unary ((*|/|implicit) unary)*;
    unary := ('-'|'+') unary | power; power := atom ('^' unary | '²' | '³')*;
    atom := number | π | √ power | '(' expr ')'"""

    def __init__(self, s: str):
        self.s, self.i = s, 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def expr(self) -> float:
        v = self.term()
        while self.peek() in ("+", "-"):
            op = self.s[self.i]
            self.i += 1
            w = self.term()
            v = v + w if op == "+" else v - w
        return v

    def term(self) -> float:
        v = self.unary()
        while True:
            c = self.peek()
            if c in ("*", "·", "×", "/"):
                self.i += 1
                w = self.unary()
                v = v * w if c != "/" else v / w
            elif c and (c.isdigit() or c in "π√(."):
                v = v * self.unary()
            else:
                return v

    def unary(self) -> float:
        c = self.peek()
        if c in ("-", "+"):
            self.i += 1
            v = self.unary()
            return -v if c == "-" else v
        return self.power()

    def power(self) -> float:
        v = self.atom()
        while True:
            c = self.peek()
            if c == "^":
                self.i += 1
                v = v ** self.unary()
            elif c == "²":
                self.i += 1
                v = v * v
            elif c == "³":
                self.i += 1
                v = v * v * v
            else:
                return v

    def atom(self) -> float:
        c = self.peek()
        if c.isdigit() or c == ".":
            m = re.compile(r"\d*\.?\d+|\d+\.").match(self.s, self.i)
            if not m:
                raise ValueError(self.s)
            self.i = m.end()
            return float(m[0])
        if c == "π":
            self.i += 1
            return math.pi
        if c == "√":
            self.i += 1
            v = self.power()
            if v < 0:
                raise ValueError(self.s)
            return math.sqrt(v)
        if c == "(":
            self.i += 1
            v = self.expr()
            if self.peek() != ")":
                raise ValueError(self.s)
            self.i += 1
            return v
        raise ValueError(self.s)


def parse_number(text) -> float | None:
    """The value of an option text that is one number, or None: integers, decimals, fractions,
    √, π, + and -, implied products and powers (``14√3/3``, ``12π - 9√3``, ``-23/4``,
    ``135/2°``, ``35.49%``); a trailing ° or % is dropped. Points, intervals, equations and
    words are not numbers.

    >>> round(parse_number("14√3/3"), 6)
    8.082904
    >>> parse_number("(-2, 3)") is None
    True
    """
    if not isinstance(text, str):
        return None
    if text in _NUM_CACHE:
        return _NUM_CACHE[text]
    s = _norm(text).replace(" ", "")
    while s and s[-1] in "°%":
        s = s[:-1]
    v = None
    if s and set(s) <= _ALLOWED and any(c.isdigit() for c in s) | ("π" in s):
        p = _Parser(s)
        try:
            x = p.expr()
            if p.i == len(s) and isinstance(x, float) and math.isfinite(x):
                v = x
        except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
            v = None
    _NUM_CACHE[text] = v
    return v


# --- loading ------------------------------------------------------------------------------------------

@dataclass
class _Problem:
    rec: int                # index of its record (the group of cross-validation)
    domain: str
    rule: str
    qtype: str
    p: dict                 # the problem's record
    r: dict                 # the sample's record


def _load(path, max_records):
    root = Path(path)
    if not root.exists():
        raise UserError(f"{path}: no such folder")
    if not root.is_dir():
        raise UserError(f"{path}: not a folder (give the dataset folder that generate wrote)")
    shards = sorted((root / "shards").glob("shard-*.jsonl"))
    if not shards:
        raise UserError(f"{path} is not a dataset folder: it has no shards/shard-*.jsonl "
                        "(make one with diagram-engine generate)")
    notes: list[str] = []
    manifest = None
    if (root / "manifest.json").is_file():
        try:
            manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise UserError(f"{root / 'manifest.json'}:{e.lineno}: not valid JSON: {e.msg}") from None
    else:
        notes.append("the folder has no manifest.json")
    digests: dict[str, str] = {}
    records: list[dict] = []
    incomplete = 0
    for shard in shards:
        done = shard.with_name(shard.name[:-len(".jsonl")] + ".done.json")
        if done.is_file():
            try:
                digests.update(json.loads(done.read_text(encoding="utf-8")).get("sha256") or {})
            except (json.JSONDecodeError, AttributeError):
                notes.append(f"{done.name} is not valid JSON: its digests are not used")
        else:
            incomplete += 1
        with shard.open(encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise UserError(f"{shard}:{lineno}: not valid JSON: {e.msg}") from None
                if not isinstance(rec, dict) or not isinstance(rec.get("problems"), list):
                    raise UserError(f"{shard}:{lineno}: not a sample record (no problems list)")
                records.append(rec)
                if max_records is not None and len(records) >= max_records:
                    break
        if max_records is not None and len(records) >= max_records:
            break
    if incomplete:
        notes.append(f"{incomplete} shard(s) have no .done.json (an unfinished run?): read as they are")
    if not records:
        raise UserError(f"{path}: the shards hold no records")
    return root, manifest, digests, records, notes


def _problems(records: list[dict], manifest) -> list[_Problem]:
    fallback = manifest.get("domain") if isinstance(manifest, dict) and isinstance(manifest.get("domain"), str) \
        else "unknown"
    out = []
    for i, r in enumerate(records):
        dom = str(r.get("domain") or fallback)
        rule = str(r.get("rule") or "unknown")
        for p in r["problems"]:
            if isinstance(p, dict):
                out.append(_Problem(i, dom, rule, str(p.get("question_type") or "unknown"), p, r))
    return out


# --- figures ------------------------------------------------------------------------------------------

def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The 95 % Wilson score interval of k successes in n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def _small(n: int, min_n: int) -> str:
    return "no problem it applies to" if n == 0 else f"too few: n={n} < {min_n}"


def _fraction(flags, min_n: int, interval: bool = False) -> dict:
    """A share over the problems a figure applies to (flags None do not count)."""
    vals = [bool(f) for f in flags if f is not None]
    n, k = len(vals), sum(vals)
    fig: dict = {"value": round(k / n, 6) if n >= min_n and n else None, "n": n, "count": k}
    if interval and n >= min_n and n:
        lo, hi = wilson(k, n)
        fig["lo"], fig["hi"] = round(lo, 6), round(hi, 6)
    if not (n >= min_n and n):
        fig["skipped"] = _small(n, min_n)
    return fig


def _unavailable(reason: str, n: int = 0) -> dict:
    return {"value": None, "n": n, "unavailable": reason}


def _values_equal(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return False
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, str) and isinstance(b, str):
        return _norm(a).casefold() == _norm(b).casefold()
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_values_equal(x, y) for x, y in zip(a, b))
    return False


def _answer_equals_given(p: dict) -> bool:
    value = (p.get("answer") or {}).get("value")
    return any(_values_equal(value, g.get("value")) for g in p.get("givens") or [] if isinstance(g, dict))


def _leaves(v) -> list[str]:
    if isinstance(v, (list, tuple)):
        return [y for x in v for y in _leaves(x)]
    if isinstance(v, bool) or v is None:
        return []
    if isinstance(v, float):
        return [f"{v:g}"]
    return [str(v)]


def _names_target(quantity: str, target: dict) -> bool:
    """Whether a given's ``quantity`` names exactly what ``target`` asks about (docs/audit.md):
    each part of the quantity (split at ``:`` and ``|``) is one of the target's operands, the
    operands written together (in order or reversed; an angle as from, vertex, to), an
    operand's suffix after ``-``, or (3 letters or more) the start of the target's measure,
    and together the parts name every operand."""
    measure = str(target.get("measure", "")).replace("-", "").lower()
    ops = [s for k, v in target.items() if k != "measure" for s in _leaves(v)]
    if not ops:
        return False
    whole = {"".join(ops), "".join(reversed(ops))}
    if {"vertex", "from", "to"} <= set(target):
        seq = [_leaves(target[k]) for k in ("from", "vertex", "to")]
        if all(len(x) == 1 for x in seq):
            whole = {seq[0][0] + seq[1][0] + seq[2][0], seq[2][0] + seq[1][0] + seq[0][0]}
    used: set[int] = set()
    for part in [x for x in re.split(r"[:|]", quantity) if x]:
        hit = {i for i, s in enumerate(ops) if s == part}
        if not hit:
            hit = {i for i, s in enumerate(ops) if s.endswith(("-" + part, "_" + part))}
        if not hit and len(ops) > 1 and part in whole:
            hit = set(range(len(ops)))
        if not hit:
            if len(part) >= 3 and measure.startswith(part.lower()):
                continue
            return False
        used |= hit
    return used == set(range(len(ops)))


def _target_in_givens(p: dict) -> bool:
    target = p.get("target")
    if not isinstance(target, dict):
        return False
    value = (p.get("answer") or {}).get("value")
    return any(isinstance(g, dict) and _names_target(str(g.get("quantity", "")), target)
               and _values_equal(value, g.get("value")) for g in p.get("givens") or [])


def _entropy(counts: Counter) -> float:
    n = sum(counts.values())
    return -sum(c / n * math.log2(c / n) for c in counts.values() if c) if n else 0.0


def _chi2_sf(x: float, df: int) -> float:
    """P(chi-square with df degrees of freedom > x), exact for integer df (series)."""
    if x <= 0:
        return 1.0
    if df % 2 == 0:
        term = s = 1.0
        for k in range(1, df // 2):
            term *= (x / 2) / k
            s += term
        return min(1.0, math.exp(-x / 2) * s)
    s = math.erfc(math.sqrt(x / 2))
    term = math.sqrt(2 * x / math.pi) * math.exp(-x / 2)
    for k in range(1, (df + 1) // 2):
        s += term
        term *= x / (2 * k + 1)
    return min(1.0, max(0.0, s))


# --- the options-only classifiers ----------------------------------------------------------------------

OPTION_FEATURES = ("value", "is_numeric", "n_numeric", "rank", "zscore", "ratio_median", "log_magnitude",
                   "is_negative", "is_integer", "has_sqrt", "has_pi", "has_fraction", "has_decimal", "length",
                   "length_rel", "length_rank", "digits", "dup_text", "dup_value", "nearest", "centrality",
                   "n_double", "n_half", "n_negated", "same_form", "similarity_mean", "similarity_max")
HASH_BUCKETS = 64
_WORD = re.compile(r"[^\W\d_]+|\d+(?:\.\d+)?", re.UNICODE)


def _bigrams(s: str) -> set[str]:
    s = _norm(s).lower()
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def _option_rows(choices: list[str]) -> list[list[float]]:
    """One row of OPTION_FEATURES per option, from the option set alone (never its position)."""
    nan = float("nan")
    k = len(choices)
    texts = [_norm(c) for c in choices]
    vals = [parse_number(c) for c in choices]
    nums = sorted(v for v in vals if v is not None)
    nn = len(nums)
    mean = sum(nums) / nn if nn else nan
    sd = math.sqrt(sum((v - mean) ** 2 for v in nums) / nn) if nn else nan
    med = (nums[(nn - 1) // 2] + nums[nn // 2]) / 2 if nn else nan
    span = (nums[-1] - nums[0]) if nn > 1 else None
    lens = [len(t) for t in texts]
    mean_len = sum(lens) / k if k else 1.0
    norm_texts = [t.replace(" ", "").casefold() for t in texts]
    grams = [_bigrams(t) for t in texts]

    def form(t: str, v) -> tuple:
        return (v is not None, "√" in t, "π" in t, "/" in t, "." in t, t.startswith("-"))

    forms = [form(t, v) for t, v in zip(texts, vals)]
    rows = []
    for i, (t, v) in enumerate(zip(texts, vals)):
        others = [j for j in range(k) if j != i]
        ov = [vals[j] for j in others if vals[j] is not None]
        row = {
            "value": v if v is not None else nan,
            "is_numeric": float(v is not None),
            "n_numeric": float(nn),
            "rank": (sum(1 for w in nums if w < v) / (nn - 1)) if v is not None and nn > 1 else nan,
            "zscore": ((v - mean) / sd if sd > 0 else 0.0) if v is not None else nan,
            "ratio_median": (v / med if med != 0 else nan) if v is not None else nan,
            "log_magnitude": (math.log10(abs(v)) if v != 0 else nan) if v is not None else nan,
            "is_negative": float(v is not None and v < 0),
            "is_integer": float(v is not None and abs(v - round(v)) < 1e-9),
            "has_sqrt": float("√" in t), "has_pi": float("π" in t), "has_fraction": float("/" in t),
            "has_decimal": float(re.search(r"\d\.\d", t) is not None),
            "length": float(lens[i]),
            "length_rel": lens[i] / mean_len if mean_len else nan,
            "length_rank": sum(1 for j in others if lens[j] < lens[i]) / max(1, k - 1),
            "digits": float(sum(c.isdigit() for c in t)),
            "dup_text": float(any(norm_texts[j] == norm_texts[i] for j in others)),
            "dup_value": float(v is not None and any(math.isclose(v, w, rel_tol=1e-9, abs_tol=1e-12) for w in ov)),
            "nearest": (min(abs(v - w) for w in ov) / span if span else 0.0) if v is not None and ov and
            span is not None else nan,
            "centrality": (sum(abs(v - w) for w in ov) / len(ov) / span if span else 0.0) if v is not None and ov and
            span is not None else nan,
            "n_double": float(sum(1 for w in ov if v is not None and v != 0 and math.isclose(w, 2 * v, rel_tol=1e-9))),
            "n_half": float(sum(1 for w in ov if v is not None and v != 0 and math.isclose(w, v / 2, rel_tol=1e-9))),
            "n_negated": float(sum(1 for w in ov if v is not None and v != 0 and math.isclose(w, -v, rel_tol=1e-9))),
            "same_form": float(sum(1 for j in others if forms[j] == forms[i])),
            "similarity_mean": (sum(len(grams[i] & grams[j]) / len(grams[i] | grams[j]) for j in others)
                                / len(others)) if others else nan,
            "similarity_max": max((len(grams[i] & grams[j]) / len(grams[i] | grams[j]) for j in others),
                                  default=nan),
        }
        rows.append([row[f] for f in OPTION_FEATURES])
    return rows


def _question_rows(question: str, choices: list[str]) -> tuple[list[float], list[list[float]]]:
    """The vision_dominant question's hashed words (shared by the options) and, per option,
    whether its text and its number occur in the question."""
    q = strip_options(question, choices)
    bag = [0.0] * HASH_BUCKETS
    numbers = set()
    for w in _WORD.findall(_norm(q).lower()):
        bag[zlib.crc32(w.encode("utf-8")) % HASH_BUCKETS] = 1.0
        v = parse_number(w)
        if v is not None:
            numbers.add(round(v, 9))
    per = []
    for c in choices:
        v = parse_number(c)
        per.append([float(contains_answer(q, c)), float(v is not None and round(v, 9) in numbers)])
    return bag, per


def _classify(probs: list[_Problem]) -> tuple[dict, dict]:
    """Out-of-fold correctness of the two classifiers, per problem index: ({i: bool}, {i: bool});
    raises ImportError without scikit-learn. One model per domain; a domain with too few
    multiple-choice problems or records gets none (its problems are left out)."""
    import sklearn.ensemble  # noqa: F401  (ImportError here: the caller reports it)
    try:        # one thread: as fast at these sizes, far faster on a busy machine, repeatable
        from threadpoolctl import threadpool_limits
        limit = threadpool_limits(1)
    except ImportError:
        limit = contextlib.nullcontext()
    with limit:
        return _fit(probs)


def _fit(probs: list[_Problem]) -> tuple[dict, dict]:
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold

    by_domain: dict[str, list[int]] = defaultdict(list)
    for i, pr in enumerate(probs):
        ch = pr.p.get("choices")
        ai = pr.p.get("answer_index")
        if isinstance(ch, list) and len(ch) >= 2 and isinstance(ai, int) and 0 <= ai < len(ch):
            by_domain[pr.domain].append(i)
    results: tuple[dict, dict] = ({}, {})
    for idx in by_domain.values():
        if len(idx) < MIN_GROUP or len({probs[i].rec for i in idx}) < FOLDS:
            continue
        base_rows, q_rows, y, owner, groups = [], [], [], [], []
        for i in idx:
            p = probs[i].p
            ch = [str(c) for c in p["choices"]]
            vd = ((p.get("variants") or {}).get("vision_dominant") or {}).get("question") or ""
            bag, per = _question_rows(str(vd), ch)
            for j, row in enumerate(_option_rows(ch)):
                base_rows.append(row)
                q_rows.append(row + per[j] + bag)
                y.append(int(j == p["answer_index"]))
                owner.append(i)
                groups.append(probs[i].rec)
        y_arr, g_arr = np.array(y), np.array(groups)
        for which, rows in enumerate((base_rows, q_rows)):
            X = np.array(rows, dtype=float)
            score = np.zeros(len(y_arr))
            for train, test in GroupKFold(n_splits=FOLDS).split(X, y_arr, g_arr):
                cols = ~np.all(np.isnan(X[train]), axis=0)     # an all-missing column breaks the binning
                if not cols.any():
                    continue                                    # nothing to learn from: every option ties
                clf = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=15,
                                                     min_samples_leaf=10, early_stopping=False, random_state=0)
                clf.fit(X[train][:, cols], y_arr[train])
                score[test] = clf.predict_proba(X[test][:, cols])[:, 1]
            per_problem: dict[int, list[int]] = defaultdict(list)
            for row_i, o in enumerate(owner):
                per_problem[o].append(row_i)
            ties = np.random.default_rng(0)         # a tie is broken at random, never by position
            for o, rows_of in per_problem.items():
                top = max(score[r] for r in rows_of)
                best = [r for r in rows_of if score[r] >= top - 1e-12]
                pick = best[int(ties.integers(len(best)))] if len(best) > 1 else best[0]
                results[which][o] = bool(y_arr[pick] == 1)
    return results


# --- images -------------------------------------------------------------------------------------------

class _Digests:
    def __init__(self, root: Path, known: dict[str, str]):
        self.root, self.known, self.read, self.missing = root, known, 0, set()
        self.cache: dict[str, str | None] = {}

    def __call__(self, rel) -> str | None:
        if not isinstance(rel, str):
            return None
        if rel in self.cache:
            return self.cache[rel]
        d = self.known.get(rel)
        if d is None:
            try:
                d = hashlib.sha256((self.root / rel).read_bytes()).hexdigest()
                self.read += 1
            except OSError:
                self.missing.add(rel)
        self.cache[rel] = d
        return d


def _repeats(keys: list) -> tuple[list, int]:
    """Per item: whether its key repeats an earlier item's (None for no key); the largest count."""
    seen: Counter = Counter()
    out = []
    for k in keys:
        if k is None:
            out.append(None)
            continue
        out.append(seen[k] > 0)
        seen[k] += 1
    return out, max(seen.values(), default=0)


# --- the audit ----------------------------------------------------------------------------------------

def _group_index(probs: list[_Problem]) -> dict[str, dict[str, list[int]]]:
    groups: dict[str, dict[str, list[int]]] = {"overall": {"all": []}, "domain": {}, "rule": {},
                                               "question_type": {}}
    for i, pr in enumerate(probs):
        groups["overall"]["all"].append(i)
        groups["domain"].setdefault(pr.domain, []).append(i)
        groups["rule"].setdefault(f"{pr.domain}/{pr.rule}", []).append(i)
        groups["question_type"].setdefault(f"{pr.domain}/{pr.qtype}", []).append(i)
    for kind in ("domain", "rule", "question_type"):
        groups[kind] = dict(sorted(groups[kind].items()))
    return groups


def _per_problem(probs: list[_Problem], digest) -> dict[str, list]:
    """Every per-problem flag the figures count (None: the figure does not apply)."""
    f: dict[str, list] = defaultdict(list)
    # word answers per question type: a question that names the key beside another of them
    # lists the alternatives ("even, odd or neither?"), which is not stating the answer
    words: dict[tuple, set] = defaultdict(set)
    for pr in probs:
        a = str((pr.p.get("answer") or {}).get("text") or "")
        if a and parse_number(a) is None:
            words[(pr.domain, pr.qtype)].add(a)

    def states(q: str, ans: str, kind: tuple) -> bool:
        if not contains_answer(q, ans):
            return False
        if parse_number(ans) is None and any(w != ans and contains_answer(q, w) for w in words[kind]):
            return False
        return True

    for pr in probs:
        p, r = pr.p, pr.r
        ans = str((p.get("answer") or {}).get("text") or "")
        choices = p.get("choices") if isinstance(p.get("choices"), list) else None
        variants = p.get("variants") if isinstance(p.get("variants"), dict) else {}
        labels = [lab for lab in r.get("labels") or [] if isinstance(lab, dict)]
        label_texts = [str(lab.get("text", "")) for lab in labels]
        no_tick = [str(lab.get("text", "")) for lab in labels if lab.get("kind") not in NO_TICK_KINDS]

        def drawn(texts: list[str], ans: str = ans) -> bool:
            return bool(ans) and any(_norm(t) == _norm(ans) or contains_answer(t, ans) for t in texts)

        recall = p.get("recall") is True
        f["recall"].append(recall)
        f["answer_equals_given"].append(None if recall else _answer_equals_given(p))
        f["recall_equal"].append(_answer_equals_given(p) if recall else None)
        f["target_in_givens"].append(_target_in_givens(p))
        in_labels = drawn(label_texts)
        f["caption_leak"].append(bool(ans) and contains_answer(str(r.get("caption") or ""), ans) and not in_labels)
        for v in VARIANTS:
            var = variants.get(v) if isinstance(variants.get(v), dict) else {}
            same = var.get("image") == r.get("image") and r.get("image") is not None
            f[f"label_leak.{v}"].append(in_labels if same else None)
            f[f"label_leak_no_ticks.{v}"].append(drawn(no_tick) if same else None)
            q = var.get("question")
            f[f"question_leak.{v}"].append(states(strip_options(q, choices), ans, (pr.domain, pr.qtype))
                                           if isinstance(q, str) and ans else None)
        tl, vd = variants.get("text_lite") or {}, variants.get("vision_dominant") or {}
        f["identical_variants"].append(bool(tl) and bool(vd) and tl.get("question") == vd.get("question")
                                       and tl.get("image") == vd.get("image"))
        need = p.get("image_needed") if isinstance(p.get("image_needed"), dict) else None
        for v in ("text_lite", "vision_dominant"):
            f[f"image_needed.{v}"].append(None if need is None or not isinstance(need.get(v), bool) else need[v])
        steps = p.get("steps")
        f["steps"].append(steps if isinstance(steps, int) and not isinstance(steps, bool) else None)
        diff = p.get("difficulty", r.get("difficulty"))
        f["difficulty"].append(diff)
        f["answer"].append(_norm(ans))
        f["mc"].append(choices is not None)
        # the key's rank among sorted numeric options
        rank = None
        if choices and len(choices) == 4 and isinstance(p.get("answer_index"), int) and 0 <= p["answer_index"] < 4:
            vals = [parse_number(str(c)) for c in choices]
            if all(v is not None for v in vals):
                sv = sorted(vals)
                if all(not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in itertools.pairwise(sv)):
                    rank = sv.index(vals[p["answer_index"]]) + 1
                else:
                    rank = "tie"
        f["key_rank"].append(rank)
        # (image, question) pairs of the variants
        pairs = []
        for v in VARIANTS:
            var = variants.get(v) if isinstance(variants.get(v), dict) else {}
            d = digest(var.get("image"))
            pairs.append(None if d is None or not isinstance(var.get("question"), str)
                         else (d, var["question"]))
        f["pairs"].append(pairs)
    return f


def _group_figures(ix: list[int], probs: list[_Problem], f: dict, rec_keys: dict, clf, min_n: int) -> dict:
    def sel(name: str) -> list:
        return [f[name][i] for i in ix]

    mc_ix = [i for i in ix if f["mc"][i]]
    m: dict[str, dict] = {}
    # 1. the classifiers
    for which, name in enumerate(_CLASSIFIERS):
        if isinstance(clf, str):
            m[name] = _unavailable(clf, len(mc_ix))
            continue
        got = [clf[which][i] for i in mc_ix if i in clf[which]]
        fig = _fraction(got, min_n, interval=True)
        left_out = len(mc_ix) - len(got)
        if got:
            fig["chance"] = round(sum(1 / len(probs[i].p["choices"]) for i in mc_ix if i in clf[which]) / len(got), 6)
        if left_out:
            fig["left_out"] = left_out
            if not got:
                fig["skipped"] = (f"no model: its domain has fewer than {MIN_GROUP} multiple-choice problems "
                                  f"or {FOLDS} records" if mc_ix else _small(0, min_n))
        m[name] = fig
    # 2. the key's rank
    ranks = [r for r in sel("key_rank") if r is not None]
    numeric = [r for r in ranks if r != "tie"]
    k = 4
    n = len(numeric)
    if n >= min_n:
        counts = [sum(1 for r in numeric if r == j) for j in range(1, k + 1)]
        shares = [c / n for c in counts]
        chi2 = sum((c - n / k) ** 2 / (n / k) for c in counts)
        m["key_rank"] = {"value": round(max(abs(s - 1 / k) for s in shares), 6), "n": n,
                         "shares": [round(s, 6) for s in shares], "counts": counts, "chi2": round(chi2, 4),
                         "p": float(f"{_chi2_sf(chi2, k - 1):.3g}"), "ties": len(ranks) - n}
    else:
        m["key_rank"] = {"value": None, "n": n, "ties": len(ranks) - n, "skipped": _small(n, min_n)}
    # 3-5
    m["answer_equals_given"] = _fraction(sel("answer_equals_given"), min_n)
    m["answer_equals_given"]["recall"] = sum(sel("recall"))
    m["answer_equals_given"]["recall_equal"] = sum(1 for x in sel("recall_equal") if x)
    m["target_in_givens"] = _fraction(sel("target_in_givens"), min_n)
    m["caption_leak"] = _fraction(sel("caption_leak"), min_n)
    for v in VARIANTS:
        for name in ("label_leak", "label_leak_no_ticks", "question_leak"):
            m[f"{name}.{v}"] = _fraction(sel(f"{name}.{v}"), min_n)
    # 6. duplicates
    recs = sorted({probs[i].rec for i in ix})
    for name, key in (("duplicate_images", "image"), ("duplicate_scenes", "scene")):
        keys = [rec_keys[key][r] for r in recs]
        flags, most = _repeats(keys)
        fig = _fraction(flags, min_n)
        fig["most_repeated"] = most
        if all(x is None for x in keys):
            fig = _unavailable("no record has one" if key == "scene" else "no base image could be read", len(recs))
        m[name] = fig
    d = m["duplicate_images"]
    m["distinct_images"] = dict(d, value=None if d["value"] is None else round(1 - d["value"], 6),
                                count=d.get("n", 0) - d.get("count", 0)) if "unavailable" not in d else dict(d)
    seen_pairs: Counter = Counter()
    flags = []
    for i in ix:
        pairs = {pair for pair in f["pairs"][i] if pair is not None}
        flags.append(any(seen_pairs[pair] for pair in pairs) if pairs else None)
        seen_pairs.update(pairs)
    m["duplicate_image_questions"] = dict(_fraction(flags, min_n), most_repeated=max(seen_pairs.values(), default=0))
    # 7-8
    m["identical_variants"] = _fraction(sel("identical_variants"), min_n)
    tl, vd = sel("image_needed.text_lite"), sel("image_needed.vision_dominant")
    for name, flags in (("image_dependence", tl + vd), ("image_dependence.text_lite", tl),
                        ("image_dependence.vision_dominant", vd)):
        recorded = sum(1 for x in flags if x is not None)
        if recorded == 0:
            m[name] = _unavailable("not recorded (no problem carries image_needed)", len(flags))
        else:
            m[name] = dict(_fraction(flags, min_n), recorded=recorded, of=len(flags))
    # 9. answers
    answers = Counter(sel("answer"))
    n = len(ix)
    if n >= min_n:
        top, top_n = answers.most_common(1)[0]
        m["top_answer"] = {"value": round(top_n / n, 6), "n": n, "count": top_n, "answer": top}
        m["answer_entropy"] = {"value": round(_entropy(answers), 4), "n": n,
                               "max": round(math.log2(n), 4)}
        m["distinct_answers"] = {"value": round(len(answers) / n, 6), "n": n, "count": len(answers)}
    else:
        for name in ("top_answer", "answer_entropy", "distinct_answers"):
            m[name] = {"value": None, "n": n, "skipped": _small(n, min_n)}
        m["distinct_answers"]["count"] = len(answers)
    seen, right = Counter(), Counter()
    for i in mc_ix:
        ch = [_norm(c) for c in probs[i].p["choices"]]
        seen.update(set(ch))
        right[ch[probs[i].p["answer_index"]]] += 1
    never = sorted(((t, c) for t, c in seen.items() if c >= MIN_NEVER_RIGHT and right[t] == 0),
                   key=lambda tc: (-tc[1], tc[0]))
    m["never_right"] = {"value": len(never), "n": len(mc_ix), "options": [{"text": t, "in": c} for t, c in never[:20]]}
    # 10. caption vocabulary (each record's caption once)
    first = sorted({probs[i].rec: i for i in reversed(ix)}.values())      # one problem per record, in order
    caps = [str(probs[i].r.get("caption") or "") for i in first]
    m["caption_words"] = {"value": len(caption_words(caps)), "n": len(caps)}
    m["caption_words_1k"] = {"value": len(caption_words(caps[:VOCAB_RECORDS])), "n": min(len(caps), VOCAB_RECORDS)}
    # 11. steps
    steps = [s for s in sel("steps") if s is not None]
    fig = _fraction([s < 2 for s in steps], min_n)
    fig["distribution"] = {str(k): v for k, v in sorted(Counter(steps).items())}
    m["few_steps"] = fig
    m["mean_steps"] = ({"value": round(sum(steps) / len(steps), 4), "n": len(steps)} if len(steps) >= min_n
                       else {"value": None, "n": len(steps), "skipped": _small(len(steps), min_n)})
    return m


def _details(ix: list[int], f: dict) -> dict:
    diffs = [f["difficulty"][i] for i in ix if f["difficulty"][i] is not None]
    out = {"difficulty": None if not diffs else {str(k): v for k, v in sorted(Counter(map(str, diffs)).items())}}
    return out


def audit(path, *, max_records: int | None = None, json_path=None, min_group: int = MIN_GROUP) -> Report:
    """Audit the dataset folder ``path`` (docs/audit.md) and write its figures to
    ``json_path`` (default ``path/audit.json``). ``max_records``: only the first records."""
    if max_records is not None and (isinstance(max_records, bool) or not isinstance(max_records, int)
                                    or max_records < 1):
        raise UserError(f"max_records={max_records!r}: must be a positive whole number")
    t0 = time.perf_counter()
    root, manifest, known, records, notes = _load(path, max_records)
    probs = _problems(records, manifest)
    if not probs:
        raise UserError(f"{path}: the records hold no problems")
    t_read = time.perf_counter() - t0
    digest = _Digests(root, known)
    rec_keys = {
        "image": [digest(r.get("image")) for r in records],
        "scene": [hashlib.sha256(json.dumps(r["scene"], sort_keys=True, separators=(",", ":"),
                                            ensure_ascii=False).encode("utf-8")).hexdigest()
                  if isinstance(r.get("scene"), dict) else None for r in records],
    }
    f = _per_problem(probs, digest)
    t1 = time.perf_counter()
    try:
        clf: tuple | str = _classify(probs)
    except ImportError:
        clf = "not computed: scikit-learn is not installed (pip install 'diagram-engine[audit]')"
        notes.append("scikit-learn is not installed: the options-only classifiers did not run")
    t_clf = time.perf_counter() - t1
    if digest.missing:
        notes.append(f"{len(digest.missing)} image file(s) named by the records are missing")
    groups = _group_index(probs)
    out_groups: dict = {}
    for kind, named in groups.items():
        out_groups[kind] = {}
        for name, ix in named.items():
            recs = {probs[i].rec for i in ix}
            out_groups[kind][name] = {
                "problems": len(ix), "records": len(recs), "multiple_choice": sum(1 for i in ix if f["mc"][i]),
                "metrics": _group_figures(ix, probs, f, rec_keys, clf, min_group),
                "details": _details(ix, f)}
    data = {
        "dataset": str(root),
        "engine_version": manifest.get("engine_version") if isinstance(manifest, dict) else None,
        "records": len(records),
        "problems": len(probs),
        "multiple_choice": sum(f["mc"]),
        "limit": max_records,
        "domains": list(groups["domain"]),
        "min_group": min_group,
        "images_hashed": {"from_done_json": sum(1 for d in digest.cache if d in known), "read": digest.read,
                          "missing": len(digest.missing)},
        "seconds": {"read": round(t_read, 3), "classifiers": round(t_clf, 3),
                    "total": round(time.perf_counter() - t0, 3)},
        "notes": notes,
        "metrics": {k: {"direction": v.direction, "unit": v.unit, "meaning": v.meaning} for k, v in METRICS.items()},
        "groups": out_groups,
    }
    report = Report(data)
    target = Path(json_path) if json_path is not None else root / "audit.json"
    try:
        target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as e:
        raise UserError(f"cannot write {target}: {e.strerror or e}") from None
    report.json_path = str(target)
    return report


# --- thresholds ---------------------------------------------------------------------------------------

def parse_thresholds(maxima=(), minima=()) -> dict[str, float]:
    """``--max NAME=VALUE`` and ``--min NAME=VALUE`` as ``{name: value}``; a wrong name,
    direction or value raises ``UserError`` (one line)."""
    out: dict[str, float] = {}
    for flag, direction, items in (("--max", "max", maxima), ("--min", "min", minima)):
        for item in items:
            name, sep, raw = str(item).partition("=")
            name = name.strip()
            if not sep or not name:
                raise UserError(f"Invalid value for '{flag}': {item!r} is not NAME=VALUE")
            if name not in METRICS:
                raise UserError(f"Invalid value for '{flag}': unknown metric {name!r} (the metrics: "
                                f"{', '.join(METRICS)})")
            metric = METRICS[name]
            if metric.direction != direction:
                other = "--min" if direction == "max" else "--max"
                better = "higher" if metric.direction == "min" else "lower"
                raise UserError(f"Invalid value for '{flag}': {name} is better {better}: use {other} {name}=VALUE")
            try:
                value = float(raw)
            except ValueError:
                raise UserError(f"Invalid value for '{flag}': {item!r}: {raw.strip()!r} is not a number") from None
            if not math.isfinite(value) or value < 0 or (metric.unit == "fraction" and value > 1):
                bound = "between 0 and 1" if metric.unit == "fraction" else "a number of at least 0"
                raise UserError(f"Invalid value for '{flag}': {item!r}: {name} must be {bound}")
            out[name] = value
    return out


# --- the report ---------------------------------------------------------------------------------------

def _f(fig: dict, digits: int = 3) -> str:
    v = fig.get("value")
    if v is None:
        return "-"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


class Report:
    """The figures of one audit: ``text()``, ``to_json()``, ``check(thresholds)``."""

    def __init__(self, data: dict):
        self.data = data
        self.json_path: str | None = None

    def to_json(self) -> dict:
        return json.loads(json.dumps(self.data))

    def figure(self, metric: str, kind: str = "overall", name: str = "all") -> dict:
        """The figure of ``metric`` for one group (``kind``: overall, domain, rule, question_type)."""
        return self.data["groups"][kind][name]["metrics"][metric]

    def check(self, thresholds: dict[str, float]) -> list[str]:
        """The violations of ``thresholds`` (``{metric: limit}``, the direction is the metric's):
        each domain's figure, and for the classifiers every question type with at least
        MIN_MC_FOR_QTYPE_THRESHOLD multiple-choice problems. A figure left out for a small
        group is not checked; one that is not recorded or not computed is a violation."""
        out = []
        for name, limit in thresholds.items():
            if name not in METRICS:
                raise UserError(f"unknown metric {name!r} (the metrics: {', '.join(METRICS)})")
            metric = METRICS[name]
            places = [("domain", d) for d in self.data["groups"]["domain"]]
            if name in _CLASSIFIERS:
                places += [("question_type", q) for q, g in self.data["groups"]["question_type"].items()
                           if g["multiple_choice"] >= MIN_MC_FOR_QTYPE_THRESHOLD]
            for kind, gname in places:
                fig = self.figure(name, kind, gname)
                v = fig.get("value")
                if v is None:
                    if "unavailable" in fig:
                        out.append(f"{name} [{gname}]: cannot check against {metric.direction} {limit:g}: "
                                   f"{fig['unavailable']}")
                    continue
                bad = v > limit if metric.direction == "max" else v < limit
                if bad:
                    sign = ">" if metric.direction == "max" else "<"
                    out.append(f"{name} [{gname}]: {v:.4g} {sign} {metric.direction} {limit:g} (n={fig.get('n')})")
        return out

    # --- text ---------------------------------------------------------------------------------------

    def text(self) -> str:
        d = self.data
        lines = [f"Audit of {d['dataset']}: {d['records']} records, {d['problems']} problems "
                 f"({d['multiple_choice']} multiple choice), {len(d['domains'])} domain(s): {', '.join(d['domains'])}"
                 + (f" (first {d['limit']} records)" if d["limit"] else ""),
                 (f"Audited in {d['seconds']['total']:.1f} s (classifiers {d['seconds']['classifiers']:.1f} s). "
                  f"Figures are fractions of problems; a group with fewer than {d['min_group']} problems a figure "
                  "applies to gets none ('-'). Definitions: docs/audit.md.")]
        for note in d["notes"]:
            lines.append(f"Note: {note}")
        groups = d["groups"]
        blocks = [("all domains", groups["overall"]["all"])] if len(d["domains"]) > 1 else []
        blocks += list(groups["domain"].items())
        for title, g in blocks:
            lines += ["", *self._block(title, g)]
        for kind, title in (("question_type", "By question type"), ("rule", "By rule")):
            lines += ["", (f"{title} (n problems, mc multiple choice; columns as above, leaks per variant "
                           "td/tl/vd):"), *self._table(groups[kind])]
        never = [(q, o) for q, g in groups["question_type"].items() for o in g["metrics"]["never_right"]["options"]]
        lines.append("")
        if never:
            lines.append(f"Options never right (in {MIN_NEVER_RIGHT} or more problems' choices of a question type, "
                         "never the key):")
            lines += [f"  {q}: {o['text']!r} in {o['in']} problems" for q, o in never[:40]]
            if len(never) > 40:
                lines.append(f"  ... and {len(never) - 40} more (audit.json)")
        else:
            lines.append(f"No option text is never right (in {MIN_NEVER_RIGHT} or more problems' choices of a "
                         "question type).")
        skipped = sorted({f"{kind}/{name}" for kind in ("rule", "question_type")
                          for name, g in groups[kind].items() if g["problems"] < d["min_group"]})
        if skipped:
            lines.append(f"Too few problems for figures (< {d['min_group']}): {len(skipped)} group(s): "
                         + ", ".join(s.split("/", 1)[1] for s in skipped[:12]) + (" ..." if len(skipped) > 12 else ""))
        if self.json_path:
            lines.append(f"Figures written to {self.json_path}")
        return "\n".join(lines)

    @staticmethod
    def _why(fig: dict) -> str:
        return fig.get("unavailable") or fig.get("skipped") or ""

    def _block(self, title: str, g: dict) -> list[str]:
        m = g["metrics"]
        out = [f"{title}: {g['problems']} problems in {g['records']} records, {g['multiple_choice']} multiple choice"]

        def row(label: str, text: str) -> None:
            out.append(f"  {label:<22}{text}")

        for name, label in (("options_only", "options only"), ("options_question", "options + question")):
            fig = m[name]
            if fig.get("value") is None:
                row(label, f"- ({self._why(fig)}; n={fig.get('n', 0)})")
            else:
                extra = f", {fig['left_out']} left out" if fig.get("left_out") else ""
                row(label, f"{fig['value']:.3f} [{fig['lo']:.3f}, {fig['hi']:.3f}] vs chance {fig['chance']:.3f} "
                    f"(n={fig['n']}{extra})")
        kr = m["key_rank"]
        if kr.get("value") is None:
            row("key rank", f"- ({self._why(kr)}; {kr.get('ties', 0)} with tied values)")
        else:
            row("key rank", "shares of ranks 1-4 (smallest first) " + " ".join(f"{s:.2f}" for s in kr["shares"])
                + f"; max deviation {kr['value']:.3f}, chi2 {kr['chi2']:.1f} (p={kr['p']:.2g}), n={kr['n']}")
        aeg = m["answer_equals_given"]
        row("answer = a given", f"{_f(aeg)} ({aeg['count']} of {aeg['n']}); marked recall: {aeg['recall']} "
            f"({aeg['recall_equal']} equal to a given)")
        row("target among givens", f"{_f(m['target_in_givens'])} ({m['target_in_givens']['count']} of "
            f"{m['target_in_givens']['n']})")
        row("caption leak", f"{_f(m['caption_leak'])} ({m['caption_leak']['count']} of {m['caption_leak']['n']})")
        for name, label in (("label_leak", "answer drawn"), ("label_leak_no_ticks", "  (no tick labels)"),
                            ("question_leak", "answer in question")):
            parts = []
            for v in VARIANTS:
                fig = m[f"{name}.{v}"]
                parts.append(f"{v} {_f(fig)} (n={fig['n']})")
            row(label, "; ".join(parts))
        di, dq, ds = m["duplicate_images"], m["duplicate_image_questions"], m["duplicate_scenes"]
        row("duplicates", f"base images {_f(di)} (most repeated {di.get('most_repeated', '-')}x); "
            f"image+question {_f(dq)}; scenes {_f(ds)}" + (f" ({ds['unavailable']})" if "unavailable" in ds else ""))
        row("identical variants", f"{_f(m['identical_variants'])} (text_lite = vision_dominant, "
            f"{m['identical_variants']['count']} of {m['identical_variants']['n']})")
        idp = m["image_dependence"]
        if "unavailable" in idp:
            row("image needed", "not recorded")
        else:
            row("image needed", f"{_f(idp)} overall; text_lite {_f(m['image_dependence.text_lite'])}, "
                f"vision_dominant {_f(m['image_dependence.vision_dominant'])} (recorded for {idp['recorded']} "
                f"of {idp['of']} problem variants)")
        ta = m["top_answer"]
        if ta.get("value") is None:
            row("answers", f"{m['distinct_answers'].get('count')} distinct ({self._why(ta)})")
        else:
            row("answers", f"{m['distinct_answers']['count']} distinct ({_f(m['distinct_answers'])} of problems), "
                f"entropy {m['answer_entropy']['value']:.2f} bits, top {ta['answer']!r} {ta['value']:.3f}")
        row("caption words", f"{m['caption_words']['value']} distinct in {m['caption_words']['n']} captions; "
            f"{m['caption_words_1k']['value']} in the first {m['caption_words_1k']['n']}")
        fs = m["few_steps"]
        dist = ", ".join(f"{k}: {v}" for k, v in fs["distribution"].items())
        row("steps", f"fewer than 2: {_f(fs)}; mean {_f(m['mean_steps'], 2)}; counts {{{dist}}}")
        diff = g["details"]["difficulty"]
        row("difficulty", "not recorded" if diff is None else ", ".join(f"{k}: {v}" for k, v in diff.items()))
        return out

    def _table(self, named: dict) -> list[str]:
        cols = [("opts", "options_only"), ("opt+q", "options_question"), ("rank", "key_rank"),
                ("=given", "answer_equals_given"), ("capt", "caption_leak"), ("drawn", "label_leak.text_dominant"),
                ("q.td", "question_leak.text_dominant"), ("q.tl", "question_leak.text_lite"),
                ("q.vd", "question_leak.vision_dominant"), ("ident", "identical_variants"),
                ("dupimg", "duplicate_images"), ("<2stp", "few_steps"), ("top", "top_answer"),
                ("H", "answer_entropy")]
        width = max([len(n) for n in named] + [10])
        head = f"  {'group':<{width}} {'n':>6} {'mc':>6} " + " ".join(f"{c:>6}" for c, _ in cols)
        out = [head]
        for name, g in named.items():
            m = g["metrics"]
            cells = [(_f(m[k], 2) if k == "answer_entropy" else _f(m[k], 3)) for _, k in cols]
            out.append(f"  {name:<{width}} {g['problems']:>6} {g['multiple_choice']:>6} "
                       + " ".join(f"{c:>6}" for c in cells))
        return out
