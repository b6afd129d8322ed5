"""Label placement: every label clear of every stroke, of every other label, inside the canvas.

Strokes are straight segments in PNG pixels (arcs are tessellated). A label is tried at its
candidate centres in order of preference; the first box that clears everything is kept. A
label with no clear candidate makes ``place`` return None and the caller rejects the sample.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .draw import text_box

__all__ = ["Label", "Labeler", "arc_segments"]


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


def arc_segments(cx, cy, r, a0, a1, step_deg=6.0):
    """Segments approximating an arc (pixel space, math-ccw degrees)."""
    n = max(2, int(math.ceil(abs(a1 - a0) / step_deg)))
    a = np.radians(np.linspace(a0, a1, n + 1))
    xs, ys = cx + r * np.cos(a), cy - r * np.sin(a)
    return np.stack([xs[:-1], ys[:-1], xs[1:], ys[1:]], axis=1)


def _hits(boxes: np.ndarray, segs: np.ndarray) -> np.ndarray:
    """For each box (C, 4), does any segment (N, 4) meet it? Liang-Barsky, vectorised."""
    if len(segs) == 0:
        return np.zeros(len(boxes), dtype=bool)
    x0, y0, x1, y1 = (segs[:, i][None, :] for i in range(4))
    bx0, by0, bx1, by1 = (boxes[:, i][:, None] for i in range(4))
    dx, dy = x1 - x0, y1 - y0
    t0 = np.zeros((len(boxes), len(segs)))
    t1 = np.ones_like(t0)
    ok = np.ones_like(t0, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, x0 - bx0), (dx, bx1 - x0), (-dy, y0 - by0), (dy, by1 - y0)):
            p = np.broadcast_to(p, t0.shape)
            q = np.broadcast_to(q, t0.shape)
            zero = p == 0
            ok &= ~(zero & (q < 0))
            t = q / np.where(zero, 1.0, p)
            neg, pos = (p < 0), (p > 0)
            t0 = np.where(neg, np.maximum(t0, t), t0)
            t1 = np.where(pos, np.minimum(t1, t), t1)
    return (ok & (t0 <= t1)).any(axis=1)


class Labeler:
    def __init__(self, width: int, height: int, segs: np.ndarray, pad: float, margin: float = 2.0):
        self.w, self.h = width, height
        self.segs = segs
        self.pad = pad
        self.margin = margin
        self.placed: list[Label] = []

    def add_segments(self, segs: np.ndarray) -> None:
        self.segs = np.concatenate([self.segs, segs]) if len(self.segs) else segs

    def place(self, text: str, kind: str, centers, size: float) -> Label | None:
        """Place ``text`` at the first clear candidate centre; None when none is clear."""
        c = np.asarray(centers, dtype=float)
        # most labels fit at one of their first candidates: test those first
        for lo, hi in ((0, 8), (8, len(c))):
            if lo >= len(c):
                break
            got = self._place(text, kind, c[lo:hi], size)
            if got is not None:
                return got
        return None

    def _place(self, text: str, kind: str, c: np.ndarray, size: float) -> Label | None:
        xb, yb, tw, th = text_box(text, size)
        boxes = np.stack([c[:, 0] - tw / 2, c[:, 1] - th / 2, c[:, 0] + tw / 2, c[:, 1] + th / 2], axis=1)
        m = self.margin
        inside = ((boxes[:, 0] >= m) & (boxes[:, 1] >= m) & (boxes[:, 2] <= self.w - m)
                  & (boxes[:, 3] <= self.h - m))
        p = self.pad
        grown = boxes + np.array([-p, -p, p, p])
        free = inside & ~_hits(grown, self.segs)
        if self.placed:
            other = np.array([lb.bbox for lb in self.placed])
            q = 2.0
            ov = ((grown[:, None, 0] < other[None, :, 2] + q) & (grown[:, None, 2] > other[None, :, 0] - q)
                  & (grown[:, None, 1] < other[None, :, 3] + q) & (grown[:, None, 3] > other[None, :, 1] - q))
            free &= ~ov.any(axis=1)
        idx = np.flatnonzero(free)
        if len(idx) == 0:
            return None
        b = boxes[idx[0]]
        lab = Label(text, kind, float(b[0] - xb), float(b[1] - yb), size,
                    (float(b[0]), float(b[1]), float(b[2]), float(b[3])))
        self.placed.append(lab)
        return lab
