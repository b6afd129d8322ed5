"""Contact sheets: 24 samples per domain on one page, to look at as a person would.

Each sample is one cell: its base image, and beside it the image its vision-dominant variant
shows (or a note that it is the same picture), with the sample id, the question type and the
text_lite question's first line under them. One command regenerates every sheet kept in
``docs/images/``:

    python examples/contact_sheets.py                       # all domains -> docs/images/contact-<domain>.png
    python examples/contact_sheets.py --domain chart --seed 7 --out /tmp/sheets

The samples are built in this process with ``diagram_engine.generate_one`` (seed 2024 by
default, indices 0-23), so a sheet changes exactly when the engine's output does.
"""
from __future__ import annotations

import argparse
import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import diagram_engine as de
from diagram_engine.core.registry import DOMAINS

ROOT = Path(__file__).resolve().parent.parent
TILE = 230           # pixels per image tile (square box; the image is fitted inside)
COLS = 4             # samples per row (each sample takes two tiles)
COUNT = 24
TEXT_H = 64
PAD = 8


def _font(size: int):
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _fit(png: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(png)).convert("RGB")
    im.thumbnail((TILE, TILE), Image.LANCZOS)
    box = Image.new("RGB", (TILE, TILE), "white")
    box.paste(im, ((TILE - im.width) // 2, (TILE - im.height) // 2))
    return box


def sheet(domain: str, seed: int = 2024, count: int = COUNT) -> Image.Image:
    """The contact sheet of samples 0..count-1 of ``domain`` at ``seed``."""
    rows = (count + COLS - 1) // COLS
    cell_w, cell_h = 2 * TILE + 3 * PAD, TILE + TEXT_H + 2 * PAD
    page = Image.new("RGB", (COLS * cell_w, rows * cell_h + 40), (236, 236, 236))
    draw = ImageDraw.Draw(page)
    small, title = _font(11), _font(16)
    draw.text((PAD, 10), f"{domain}: samples 0-{count - 1} of seed {seed} (left: base image; right: the "
                         f"vision_dominant variant's image)", fill="black", font=title)
    for i in range(count):
        s = de.generate_one(domain, seed=seed, index=i)
        rec = s.record
        p = rec["problems"][0]
        x, y = (i % COLS) * cell_w + PAD, (i // COLS) * cell_h + 40 + PAD
        page.paste(_fit(s.png), (x, y))
        vd = p["variants"]["vision_dominant"]["image"]
        if vd != rec["image"]:
            page.paste(_fit(s.files[vd]), (x + TILE + PAD, y))
        else:
            draw.rectangle((x + TILE + PAD, y, x + 2 * TILE + PAD, y + TILE), fill=(250, 250, 250))
            draw.text((x + TILE + 2 * PAD, y + TILE // 2), "vision_dominant: same image", fill="gray", font=small)
        q = p["variants"]["text_lite"]["question"].split("\n")[0]
        lines = [f"{rec['id'].rsplit('-', 1)[1].lstrip('0') or '0'} · {rec['rule']} · {p['question_type']} · "
                 f"answer {p['answer']['text']}"] + textwrap.wrap(q, 78)[:3]
        draw.multiline_text((x, y + TILE + 4), "\n".join(lines), fill="black", font=small, spacing=2)
    return page


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--domain", action="append", choices=sorted(DOMAINS), help="default: every domain")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--count", type=int, default=COUNT)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    for d in a.domain or sorted(DOMAINS):
        path = a.out / f"contact-{d}.png"
        # a palette of 128 colours keeps the files small; the images are line drawings and charts
        sheet(d, a.seed, a.count).quantize(128, dither=Image.Dither.NONE).save(path, optimize=True)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
