"""A question, built answer-first: the one result of every domain's question builders.

A question builder is ``builder(subject, rng) -> Ask``: ``subject`` is what the domain has
built so far (a function, a coordinate-plane context, a chart's table), ``rng`` the sample's
generator. A builder that cannot ask its question of the subject raises
``Rejected(reason, detail)``; the attempt is then retried, and the reason counted. Domains
subclass :class:`Ask` for what only they need (the marked points a function question must
avoid, the figures of an analytic-geometry question, the cells a chart question reads).
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Ask"]


@dataclass
class Ask:
    qtype: str                      # the record's question_type
    target: dict                    # the record's target: what is asked, machine-readable
    answer: object                  # the exact answer (its form depends on ``kind``)
    kind: str                       # how the answer is written: number, numbers, word, ...
    ask: tuple[str, dict]           # the sentence that asks it: (template slot, its variables)
    steps: list = field(default_factory=list)      # solution steps: (template slot, variables)
    wrong: list = field(default_factory=list)      # answers plausible mistakes give, for options
