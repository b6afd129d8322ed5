"""Label placement: every label clear of every stroke, of every other label, inside the canvas.

The strokes are rasterized once into an ink mask (the same cairo drawing as the picture), so
"touches no stroke" means exactly that: no inked pixel under the label's box grown by a pad.
A label is tried at its candidate centres in order of preference; the first clear box is
kept. A label with no clear candidate makes ``place`` return None and the caller rejects the
sample. ``_hits`` (segments against boxes) is kept for checks in tests and tools.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .draw import text_box

__all__ = ["Label", "Labeler"]


@dataclass(frozen=True)
class Label:
    text: str
    kind: str
    x: float          # text origin (baseline, left)
    y: float
    size: float
    bbox: tuple[float, float, float, float]

    def record(self) -> dict:
        return {"text": self.text, "kind": self.kind,
                "bbox": [round(v, 2) for v in self.bbox]}


class Labeler:
    """Places labels against an ink mask of the strokes and against each other."""

    def __init__(self, width: int, height: int, mask: np.ndarray, pad: float, margin: float = 2.0):
        self.w, self.h = width, height
        self.mask = mask
        self.pad = pad
        self.margin = margin
        self.placed: list[Label] = []

    def _clear(self, b) -> bool:
        m, p = self.margin, self.pad
        if b[0] < m or b[1] < m or b[2] > self.w - m or b[3] > self.h - m:
            return False
        x0, y0 = max(0, int(b[0] - p)), max(0, int(b[1] - p))
        x1, y1 = min(self.w, int(math.ceil(b[2] + p)) + 1), min(self.h, int(math.ceil(b[3] + p)) + 1)
        if self.mask[y0:y1, x0:x1].any():
            return False
        q = p + 2.0
        for lb in self.placed:
            o = lb.bbox
            if b[0] < o[2] + q and b[2] > o[0] - q and b[1] < o[3] + q and b[3] > o[1] - q:
                return False
        return True

    def place(self, text: str, kind: str, centers, size: float) -> Label | None:
        """Place ``text`` at the first clear candidate centre; None when none is clear."""
        xb, yb, tw, th = text_box(text, size)
        for cx, cy in centers:
            b = (cx - tw / 2, cy - th / 2, cx + tw / 2, cy + th / 2)
            if self._clear(b):
                lab = Label(text, kind, float(b[0] - xb), float(b[1] - yb), size,
                            (float(b[0]), float(b[1]), float(b[2]), float(b[3])))
                self.placed.append(lab)
                return lab
        return None
