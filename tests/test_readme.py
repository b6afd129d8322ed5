"""The README's sample is the sample the Quick start command really writes: its id, caption,
question, solution and answer are those of that sample, built again here."""
from __future__ import annotations

import json
import re
from pathlib import Path

from diagram_engine import generate_one

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _section() -> str:
    return README.split("## A sample", 1)[1].split("\n## ", 1)[0]


def test_the_readme_sample_is_the_one_the_quick_start_writes():
    text = _section()
    sid = re.search(r"This is sample `([a-z-]+-\d{9})`", text)[1]
    domain, index = sid.rsplit("-", 1)
    assert f"diagram-engine generate --domain {domain} --count " in README
    s = generate_one(domain, seed=0, index=int(index))
    p = s.record["problems"][0]
    assert f"> {s.record['caption']}\n" in text
    blocks = re.findall(r"```text\n(.*?)\n```", text, re.S)
    assert blocks == [p["variants"]["text_dominant"]["question"], "\n".join(p["solution"])]
    shown = json.loads(re.search(r"\*\*answer\*\*: `(.*)`", text)[1])
    assert shown == p["answer"]
