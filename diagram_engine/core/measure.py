"""``measure(scene, target)``: a record's target re-measured from its scene alone, by the
independent check of the scene's domain (never the code that derived the answer)."""
from __future__ import annotations

from ..errors import MeasureError
from .registry import DOMAINS

__all__ = ["measure"]

def measure(scene: dict, target: dict, domain: str | None = None):
    """Measure ``target`` (a record problem's ``target``) from ``scene`` (the record's
    ``scene``), with the check of the scene's domain: ``scene["domain"]``, or ``domain`` for a
    scene that names none. Raises :class:`~diagram_engine.errors.MeasureError` when the scene
    is inconsistent or cannot answer the target.

    >>> scene = {"domain": "plane-geometry", "points": {"A": [0, 0], "B": [3, 4]}, "objects": []}
    >>> measure(scene, {"measure": "length", "of": ["A", "B"]})
    5.0
    """
    name = domain if domain is not None else scene.get("domain")
    if name is None:
        raise MeasureError("the scene names no domain: pass domain=... (e.g. the record's 'domain')")
    if name not in DOMAINS:
        raise MeasureError(f"unknown domain {name!r} (known: {', '.join(DOMAINS)})")
    return DOMAINS[name].check(scene, target)
