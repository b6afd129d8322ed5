"""Seeds and digests.

Every sample owns one ``numpy.random.Generator`` built from
``SeedSequence([base_seed, rule_digest, index, attempt, stream])``; nothing else in the engine
draws random numbers. Digests come from hashlib (never ``hash()``, which changes between
processes).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

__all__ = ["digest", "digest_int", "rng_for", "STREAM_SAMPLE", "STREAM_PICK_RULE"]

STREAM_SAMPLE = 0
STREAM_PICK_RULE = 1


def digest(obj: Any) -> str:
    """A stable 16-hex-digit digest of a JSON-serialisable object.

    >>> digest({"a": 1}) == digest({"a": 1})
    True
    """
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def digest_int(hex_digest: str) -> int:
    return int(hex_digest, 16)


def rng_for(base_seed: int, rule_digest: str, index: int, attempt: int = 0,
            stream: int = STREAM_SAMPLE) -> np.random.Generator:
    """The random generator of one attempt at one sample.

    >>> a = rng_for(0, "00ff", 5).integers(1 << 30)
    >>> b = rng_for(0, "00ff", 5).integers(1 << 30)
    >>> bool(a == b)
    True
    """
    seq = np.random.SeedSequence([int(base_seed), digest_int(rule_digest), int(index),
                                  int(attempt), int(stream)])
    return np.random.Generator(np.random.PCG64(seq))
