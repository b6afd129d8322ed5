"""Rendering: the two rasterizers agree, and the SVG, the PNG and the label list fit together.

The direct cairo rasterizer (default) and cairosvg (on the written SVG) must give the same
picture up to antialiasing. "The same" is three checks, each measured on the shipped rules
and each shown (test_agreement_check_catches_broken_images) to catch deliberately broken
images:

* no global offset: among the 9 alignments by -1/0/+1 px, the unshifted one fits best
  (catches a 1-px offset of everything, which the next check tolerates by design);
* no unmatched ink: every dark pixel (< 128) of one image has a pixel in the other, within
  1 px, at most 64 gray levels lighter (catches flips, a missing shape or label, an arc
  drawn on the wrong side);
* a small mean absolute difference over the inked pixels (catches wrong or missing fills
  and shading, whole arcs drawn the other way round).

Measured at 256 px on 320 samples (8 rules x 40, seed 123): the best alignment is always
(0, 0), the unmatched ink 0, the ink MAD at most 8.1 (median 0.4). Broken images: unmatched
ink >= 13 (a one-letter label), ink MAD >= 15 for a missing or wrong fill, 50+ for a
shift or a flip. Before the SVG wrote arcs in pieces of at most 90 degrees, near-semicircle
arcs landed up to 0.8 px off in the SVG, and about 2% of samples failed these checks
(test_svg_arcs_are_centred_on_scene_points guards that directly).
"""
from __future__ import annotations

import functools
import io
import math
import re
import struct
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from diagram_engine import generate_one
from diagram_engine.pipeline import RuleSet

DOMAIN = "plane-geometry"
SEED = 2025
SIZE = 256
RULESET = RuleSet.load(DOMAIN)
RULE_IDS = sorted(RULESET.by_id)
SAMPLES = [(rid, i) for rid in RULE_IDS for i in (0, 1)]
SVG_NS = "{http://www.w3.org/2000/svg}"

MAD_MAX = 12.0          # mean |difference| over inked pixels, in gray levels
UNMATCHED_MAX = 2       # dark pixels with no comparably dark pixel within 1 px in the other image
UNMATCHED_GAP = 64      # "comparably dark": at most this many gray levels lighter


@functools.lru_cache(maxsize=None)
def sample(rule_id: str, index: int, rasterizer: str = "cairo", size: int = SIZE):
    return generate_one(DOMAIN, SEED, index, size=size, rule_id=rule_id, rasterizer=rasterizer,
                        ruleset=RULESET)


def gray(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.float64)


def _shift(m: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """``m`` moved by (dy, dx) pixels, the uncovered border filled with white."""
    out = np.full_like(m, 255.0)
    h, w = m.shape
    out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        m[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def ink_mad(a: np.ndarray, b: np.ndarray) -> float:
    ink = (a < 250) | (b < 250)
    return float(np.abs(a - b)[ink].mean()) if ink.any() else 0.0


def _neighbourhood_min(m: np.ndarray) -> np.ndarray:
    return np.min([_shift(m, dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)], axis=0)


def unmatched_ink(a: np.ndarray, b: np.ndarray) -> int:
    return int(((a < 128) & (_neighbourhood_min(b) > a + UNMATCHED_GAP)).sum()
               + ((b < 128) & (_neighbourhood_min(a) > b + UNMATCHED_GAP)).sum())


def best_offset(a: np.ndarray, b: np.ndarray) -> tuple[int, int]:
    scores = {(dy, dx): ink_mad(a, _shift(b, dy, dx)) for dy in (-1, 0, 1) for dx in (-1, 0, 1)}
    return min(scores, key=lambda k: (scores[k], k != (0, 0)))


def disagreements(a: np.ndarray, b: np.ndarray) -> list[str]:
    """Why ``b`` is not the same picture as ``a`` (empty: it is)."""
    out = []
    if a.shape != b.shape:
        return [f"shapes {a.shape} != {b.shape}"]
    off = best_offset(a, b)
    if off != (0, 0):
        out.append(f"b fits a best when moved by {off} px")
    n = unmatched_ink(a, b)
    if n > UNMATCHED_MAX:
        out.append(f"{n} px of ink without a counterpart within 1 px")
    mad = ink_mad(a, b)
    if mad > MAD_MAX:
        out.append(f"mean |difference| over ink {mad:.2f} > {MAD_MAX}")
    return out


def rasterize_svg(svg: str, size: int = SIZE) -> np.ndarray:
    import cairosvg
    return gray(cairosvg.svg2png(bytestring=svg.encode(), output_width=size, output_height=size))


def _pngs(s) -> dict[str, bytes]:
    return {k: v for k, v in s.files.items() if k.endswith(".png")}


# --- the two rasterizers agree ------------------------------------------------------------------

@pytest.mark.parametrize("rule_id,index", SAMPLES, ids=[f"{r}-{i}" for r, i in SAMPLES])
def test_rasterizers_agree(rule_id, index):
    a, b = sample(rule_id, index), sample(rule_id, index, "cairosvg")
    assert a.record == b.record
    assert a.files[a.record["svg"]] == b.files[b.record["svg"]]
    pa, pb = _pngs(a), _pngs(b)
    assert sorted(pa) == sorted(pb)
    for rel in pa:
        A, B = gray(pa[rel]), gray(pb[rel])
        assert (A < 128).sum() > 100, f"{rel} is (nearly) blank"
        assert not disagreements(A, B), (rel, disagreements(A, B))


def _fault_images(s) -> dict[str, np.ndarray]:
    """Deliberately broken versions of the cairosvg picture of ``s``."""
    B = rasterize_svg(s.svg)
    faults = {"shift-x": _shift(B, 0, 1), "shift-y": _shift(B, 1, 0), "shift-xy": _shift(B, -1, -1),
              "flip-y": B[::-1].copy(), "flip-x": B[:, ::-1].copy()}
    lines = s.svg.split("\n")
    outlines = [k for k, ln in enumerate(lines) if ln.startswith("<path") and 'stroke-width="1"' in ln]
    for n, k in enumerate(outlines):
        faults[f"missing-shape-{n}"] = rasterize_svg("\n".join(ln for j, ln in enumerate(lines) if j != k))
    texts = [k for k, ln in enumerate(lines) if ln.startswith("<text")]
    faults["missing-label"] = rasterize_svg("\n".join(ln for j, ln in enumerate(lines) if j != texts[0]))
    for k in outlines:
        m = re.search(r"A([\d.]+) [\d.]+ 0 [01] ([01]) ", lines[k])
        if m and float(m.group(1)) > 20:
            flipped = lines[k][:m.start(2)] + str(1 - int(m.group(2))) + lines[k][m.end(2):]
            faults["arc-other-way"] = rasterize_svg("\n".join(flipped if j == k else ln
                                                              for j, ln in enumerate(lines)))
            break
    if "fill-opacity" in s.svg:
        faults["no-fill"] = rasterize_svg(re.sub(r'fill-opacity="[\d.]+"', 'fill-opacity="0"', s.svg))
        faults["darker-fill"] = rasterize_svg(re.sub(r'fill-opacity="[\d.]+"', 'fill-opacity="0.5"', s.svg))
        faults["nonzero-fill"] = rasterize_svg(s.svg.replace(' fill-rule="evenodd"', ""))
    return faults


# shaded circles + full circles, a sector with its arc, plain polygons with angle marks
FAULT_SAMPLES = [("shaded-circles", 0), ("sectors-and-arcs", 1), ("chain-perimeter", 1), ("angles", 0)]


@pytest.mark.parametrize("rule_id,index", FAULT_SAMPLES, ids=[f"{r}-{i}" for r, i in FAULT_SAMPLES])
def test_agreement_check_catches_broken_images(rule_id, index):
    """The thresholds above are not so loose that a real fault passes."""
    s = sample(rule_id, index)
    A = gray(s.png)
    assert not disagreements(A, rasterize_svg(s.svg)), "control: the intact SVG must agree"
    faults = _fault_images(s)
    assert {"shift-x", "flip-y", "missing-label", "missing-shape-0"} <= set(faults)
    if rule_id in ("shaded-circles", "sectors-and-arcs"):
        assert "arc-other-way" in faults
    if rule_id == "shaded-circles":
        assert "no-fill" in faults
    missed = [name for name, F in faults.items() if not disagreements(A, F)]
    assert not missed, f"broken images that pass the agreement check: {missed}"


# --- PNG format -----------------------------------------------------------------------------------

def _ihdr(png: bytes) -> tuple[int, int, int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    w, h, depth, colour = struct.unpack(">IIBB", png[16:26])
    return w, h, depth, colour


@pytest.mark.parametrize("rasterizer", ["cairo", "cairosvg"])
@pytest.mark.parametrize("size", [64, 256, 300])
def test_png_is_8bit_gray_of_the_requested_size(size, rasterizer):
    """docs/record.md: PNGs are 8-bit grayscale, --size pixels square (both rasterizers)."""
    for rule_id in ("shaded-circles", "chain-area"):
        s = generate_one(DOMAIN, SEED, 1, size=size, rule_id=rule_id, rasterizer=rasterizer,
                         ruleset=RULESET)
        assert (s.record["width"], s.record["height"]) == (size, size)
        for rel, png in _pngs(s).items():
            assert _ihdr(png) == (size, size, 8, 0), rel         # 8-bit, colour type 0 = gray
            im = Image.open(io.BytesIO(png))
            im.load()
            assert im.mode == "L" and im.size == (size, size)


# --- SVG and labels ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rule_id,index", SAMPLES, ids=[f"{r}-{i}" for r, i in SAMPLES])
def test_svg_and_labels(rule_id, index):
    s = sample(rule_id, index)
    rec = s.record
    root = ET.fromstring(s.files[rec["svg"]])
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height")) == (str(rec["width"]), str(rec["height"]))
    assert root.get("viewBox") == f"0 0 {rec['width']} {rec['height']}"
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    labels = rec["labels"]
    assert labels, "a diagram without labels"
    # docs/record.md: the labels are the <text> elements of the SVG, in the same order
    assert texts == [lab["text"] for lab in labels]
    for lab in labels:
        x0, y0, x1, y1 = lab["bbox"]
        assert 0 <= x0 < x1 <= rec["width"] and 0 <= y0 < y1 <= rec["height"], lab


def test_label_bbox_holds_the_label_ink():
    """A bbox is where the label's ink is: dark pixels inside it, and erasing the label's
    <text> element from the SVG clears most of them."""
    for rule_id, index in SAMPLES[::3]:
        s = sample(rule_id, index)
        A = gray(s.png)
        lines = s.svg.split("\n")
        texts = [k for k, ln in enumerate(lines) if ln.startswith("<text")]
        for lab, k in zip(s.record["labels"], texts):
            x0, y0, x1, y1 = lab["bbox"]
            box = (slice(math.floor(y0), math.ceil(y1) + 1), slice(math.floor(x0), math.ceil(x1) + 1))
            assert (A[box] < 128).sum() >= 3, lab
            without = rasterize_svg("\n".join(ln for j, ln in enumerate(lines) if j != k))
            assert (without[box] < 128).sum() < (A[box] < 128).sum() / 2, lab


# --- SVG arc geometry ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"[MLAZ]|-?\d+(?:\.\d+)?")


def _arcs(d: str):
    """(start, r, large, sweep, end) of every arc command of an SVG path (absolute M/L/A/Z only)."""
    toks, i, cur, start, out = _TOKEN.findall(d), 0, None, None, []
    while i < len(toks):
        op = toks[i]
        i += 1
        if op in ("M", "L"):
            cur = (float(toks[i]), float(toks[i + 1]))
            i += 2
            if op == "M":
                start = cur
        elif op == "A":
            r, _, _, large, sweep, x, y = toks[i:i + 7]
            i += 7
            out.append((cur, float(r), int(large), int(sweep), (float(x), float(y))))
            cur = (float(x), float(y))
        elif op == "Z":
            cur = start
        else:
            raise AssertionError(f"unexpected path token {op!r} in {d!r}")
    return out


def _arc_centre(p0, r, large, sweep, p1):
    """The centre an SVG renderer uses (SVG 1.1 implementation notes F.6.5-F.6.6, no rotation)."""
    (x1, y1), (x2, y2) = p0, p1
    xp, yp = (x1 - x2) / 2, (y1 - y2) / 2
    half = math.hypot(xp, yp)
    r = max(r, half)                                     # radii too small are scaled up
    k = math.sqrt(max(0.0, r * r - half * half)) / half
    if large == sweep:
        k = -k
    return (x1 + x2) / 2 + k * yp, (y1 + y2) / 2 - k * xp, half / r


def _arc_offsets(samples):
    """For every SVG arc: (distance from its centre to the nearest scene point in px, chord / 2r)."""
    out = []
    for s in samples:
        a, b, c, d, e, f = s.record["scene"]["to_pixels"]
        pts = [(a * x + b * y + c, d * x + e * y + f) for x, y in s.record["scene"]["points"].values()]
        for p in ET.fromstring(s.svg).iter(f"{SVG_NS}path"):
            for arc in _arcs(p.get("d")):
                cx, cy, ratio = _arc_centre(*arc)
                out.append((min(math.hypot(cx - x, cy - y) for x, y in pts), ratio))
    return out


def _arc_samples():
    return [generate_one(DOMAIN, 123, i, size=SIZE, rule_id=r, ruleset=RULESET)
            for r in RULE_IDS for i in range(10)]


@functools.lru_cache(maxsize=None)
def arc_offsets():
    samples = _arc_samples()
    circles = sum(o["type"] == "circle" or o.get("shape") == "semicircle"
                  for s in samples for o in s.record["scene"]["objects"])
    return circles, tuple(_arc_offsets(samples))


def test_svg_arcs_are_centred_on_scene_points():
    """Every SVG arc, read the way an SVG renderer reads it, is centred on the scene point it
    belongs to: angle marks on their vertex, sectors, semicircles and circles on their centre.

    A wrong sweep or large-arc flag moves the centre across the chord; an arc whose chord is
    near a diameter (a semicircle or half a circle in one piece) is ill-conditioned, and
    rounding its numbers to 0.01 px moved its centre by up to 0.8 px before the SVG split
    arcs into pieces of at most 90 degrees.
    """
    circles, offs = arc_offsets()
    assert circles >= 5, "the samples hold too few circles and semicircles to test"
    assert len(offs) >= 60
    worst = sorted(offs)[-5:]
    assert worst[-1][0] < 0.05, worst
