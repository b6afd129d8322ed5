"""Wrong options the key cannot be told from.

A multiple-choice problem teaches nothing when its key can be picked from the option set
alone: the centre of ``{a/2, a, 3a/2, 2a}``, the one integer among fractions, the only option
that is not a sign flip of another. The rule here is exchangeability: **the key and the wrong
options are drawn from the same distribution**, so that nothing in the four texts says which
one is the key. The wrong options are the answers of *neighbouring problems*: the same
question on the same kind of figure with its drawn values drawn again (a different side, a
different marked point, a different cell of the same table). A domain supplies ``draw(rng)``,
which builds one neighbour and returns its answer; :func:`exchangeable_options` keeps drawing
until it has three answers that differ from the key and from each other as mathematical
objects (``same``: a canonical form, so "-2, 2" and "2, -2" are one option), and puts the key
at a uniformly random place.

A neighbour drawn as the key was drawn makes the four options four independent draws of one
distribution; conditioned on being distinct they are still exchangeable, so an options-only
classifier is at chance and the key's rank among sorted options is uniform. ``pair``
(an involution ``m`` under which the domain's answers are equally likely, such as swapping a
point's coordinates when the figures are drawn symmetric in x and y) adds plausible-mistake
options without breaking that: the options are then ``{k, m(k), n, m(n)}``, two pairs alike.

The core verifies every wrong option wrong against the independent re-measure of the target
(``check_options``), so a neighbour that happens to have the same answer never stays an
option.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable

from ..errors import Rejected, VerificationError

__all__ = ["exchangeable_options", "number_key", "numbers_key", "check_options"]

DEFAULT_TRIES = 24


def number_key(v) -> Hashable:
    """A number's canonical form for comparing options: its value to 9 significant digits."""
    return float(f"{float(v):.9g}")


def numbers_key(vs) -> Hashable:
    """A set of numbers in any order (zeros, x-coordinates)."""
    return tuple(sorted(number_key(v) for v in vs))


def exchangeable_options(key, draw: Callable, rng, *, write: Callable, same: Callable | None = None,
                         n: int = 3, tries: int = DEFAULT_TRIES, pair: Callable | None = None,
                         pair_chance: float = 0.0, exclude=()):
    """``(choices, answer_index, values)``: the key's text and ``n`` wrong options at random
    places, or None when ``tries`` neighbours give fewer than ``n`` distinct wrong answers.

    ``draw(rng)`` returns the answer of one neighbouring problem (None, or ``Rejected``, when
    the neighbour drawn cannot be asked); ``write(value)`` its text (a value it cannot write
    raises ``ValueError``/``TypeError``, and is skipped); ``same(value)`` a canonical form
    (default: the text); ``pair`` an involution for mistake pairs, used with probability
    ``pair_chance`` (``n`` must then be 3); ``exclude`` canonical forms no option may have
    (the givens' values: an answer never repeats a given, so an option that does would be
    known wrong).
    """
    same = same or write
    try:
        key_text, key_same = write(key), same(key)
    except (TypeError, ValueError, ZeroDivisionError) as e:
        raise VerificationError(f"the answer {key!r} cannot be written: {e}") from e
    seen = {key_same, *exclude}
    texts: list[str] = []
    values: list = []

    def fresh(v):
        """(canonical, text) of a candidate that is new, else None."""
        if v is None:
            return None
        try:
            s, txt = same(v), write(v)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return None
        return None if s in seen or not txt or txt == key_text else (s, txt)

    def add(v, st) -> None:
        seen.add(st[0])
        texts.append(st[1])
        values.append(v)

    paired = False
    if pair is not None and n == 3 and rng.random() < pair_chance:
        mk = pair(key)
        st = fresh(mk)
        if st is not None:
            add(mk, st)
            paired = True
    for _ in range(tries):
        if len(texts) >= n:
            break
        try:
            v = draw(rng)
        except Rejected:
            continue
        st = fresh(v)
        if st is None:
            continue
        if paired:                     # a neighbour with its mistake, or neither
            mv = pair(v)
            mt = fresh(mv)
            if mt is None or mt[0] == st[0]:
                continue
            add(v, st)
            add(mv, mt)
        else:
            add(v, st)
    want = n
    if len(texts) < want:
        return None
    texts, values = texts[:want], values[:want]
    index = int(rng.integers(want + 1))
    texts.insert(index, key_text)
    values.insert(index, key)
    return texts, index, values


def check_options(choices, answer_index, option_values, measured, agree_fn, what: str) -> None:
    """Every wrong option differs from the re-measured target, and the key agrees with it
    (``agree_fn`` is ``core.problem.agree``); a wrong option that measures as the answer is a
    bug (two right options), raised as ``VerificationError``."""
    if option_values is None:
        return
    if len(option_values) != len(choices):
        raise VerificationError(f"{what}: {len(choices)} options, {len(option_values)} option values")
    for i, v in enumerate(option_values):
        if i == answer_index:
            continue
        try:
            agree_fn(measured, v, what)
        except VerificationError:
            continue
        raise VerificationError(f"{what}: option {'ABCD'[i]} ({choices[i]!r}) is right too: the target measures "
                                f"{measured!r}")
