"""Using diagram-engine as a library: one sample, a small dataset, and an independent re-measure.

    python examples/library_use.py [OUT]        # OUT defaults to examples-out/
"""
import json
import sys
from pathlib import Path

from diagram_engine import generate, generate_one, measure

out = Path(sys.argv[1] if len(sys.argv) > 1 else "examples-out")
out.mkdir(parents=True, exist_ok=True)

# 1. One sample, built in memory. The same (domain, seed, index) always gives the same bytes.
sample = generate_one("plane-geometry", seed=0, index=42)
problem = sample.record["problems"][0]
print(f"{sample.id} (rule {sample.record['rule']})")
print("caption: ", sample.record["caption"])
print("question:", problem["variants"]["text_dominant"]["question"])
print("solution:")
for line in problem["solution"]:
    print("   ", line)
print("answer:  ", problem["answer"]["text"], f"(exact {problem['answer']['exact']})")
(out / f"{sample.id}.png").write_bytes(sample.png)
(out / f"{sample.id}.svg").write_text(sample.svg, encoding="utf-8")
print(f"saved {out / (sample.id + '.png')} and {out / (sample.id + '.svg')}")
print()

# 2. A small dataset on disk: shards of JSON records, PNGs, SVGs and a manifest.
data = out / "dataset"
summary = generate("plane-geometry", 20, data, workers=1, overwrite=True)
print(summary.text())
print()

# 3. Read the first record back and check its answer against the drawn scene.
first_shard = sorted((data / "shards").glob("*.jsonl"))[0]
with open(first_shard, encoding="utf-8") as f:
    record = json.loads(f.readline())
p = record["problems"][0]
measured = measure(record["scene"], p["target"])
print(f"{record['id']}: {p['question_type']} {json.dumps(p['target'], ensure_ascii=False)}")
print(f"answer {p['answer']['text']} = {p['answer']['value']}, re-measured from the scene: {measured:.9g}")
assert abs(measured - p["answer"]["value"]) <= 1e-6 * max(1.0, abs(p["answer"]["value"]))
print("the answer matches the drawing")
