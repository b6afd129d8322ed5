"""``diagram-engine audit`` and ``diagram_engine.audit``: hand-built datasets with known
figures for every metric, the thresholds and the command line's exit codes, and one real run
over two generated domains (slow)."""
from __future__ import annotations

import hashlib
import importlib
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import diagram_engine
from diagram_engine.audit import (
    METRICS,
    Report,
    contains_answer,
    parse_number,
    parse_thresholds,
    strip_options,
    wilson,
)
from diagram_engine.cli import cli
from diagram_engine.errors import UserError

VARIANTS = ("text_dominant", "text_lite", "vision_dominant")


# --- building datasets by hand ------------------------------------------------------------------------

def png(shade: int) -> bytes:
    """A tiny grayscale PNG; the same ``shade`` gives the same bytes."""
    buf = io.BytesIO()
    Image.new("L", (2, 2), shade % 256).save(buf, format="PNG")
    return buf.getvalue()


def problem(*, qtype="q", choices=None, key=None, answer="5", value=5.0, givens=(), questions=None, images=None,
            target=None, steps=2, **extra) -> dict:
    """A problem record; ``givens`` are (quantity, value) pairs; ``questions``/``images`` per variant."""
    questions = questions or {v: f"What is asked ({v})?" for v in VARIANTS}
    if choices is not None:
        questions = {v: q + "\nChoices:\n" + "\n".join(f"{'ABCD'[i]}. {c}" for i, c in enumerate(choices))
                     for v, q in questions.items()}
    p = {
        "question_type": qtype,
        "target": target or {"measure": "thing", "of": "X"},
        "givens": [{"fact": f"{q} = {v}", "quantity": q, "value": v,
                    "in_text": {x: True for x in VARIANTS}, "in_image": {x: False for x in VARIANTS}}
                   for q, v in givens],
        "variants": {v: {"question": questions[v], "image": (images or {}).get(v), "solution": ["..."]}
                     for v in VARIANTS},
        "choices": choices,
        "answer_index": key,
        "answer": {"text": answer, "latex": answer, "exact": None, "value": value},
        "steps": steps,
        "verified": {"exact": True, "numeric": True, "max_abs_err": 0.0},
    }
    p.update(extra)
    return p


def record(i: int, problems: list[dict], *, domain="toy", rule="r1", caption="A figure.", labels=(), shade=None,
           scene=None) -> dict:
    image = f"images/{domain}-{i:09d}.png"
    for p in problems:
        for v in VARIANTS:
            if p["variants"][v]["image"] is None:
                p["variants"][v]["image"] = image
    return {"id": f"{domain}-{i:09d}", "domain": domain, "rule": rule, "image": image, "caption": caption,
            "labels": [{"text": t, "kind": k, "bbox": [0, 0, 1, 1]} for t, k in labels],
            "scene": scene if scene is not None else {"points": {"A": [i, 0]}},
            "problems": problems, "_shade": i if shade is None else shade}


def write(root: Path, records: list[dict], *, done: dict | None = None, manifest: bool = True,
          shard_size: int = 1000) -> Path:
    """The dataset folder: shards (and their .done.json with ``done`` digests), manifest, PNGs."""
    (root / "shards").mkdir(parents=True)
    (root / "images").mkdir()
    for rec in records:
        shade = rec.pop("_shade")
        paths = {rec["image"]} | {v["image"] for p in rec["problems"] for v in p["variants"].values()}
        for k, path in enumerate(sorted(paths)):
            if not (root / path).exists():
                (root / path).write_bytes(png(shade if path == rec["image"] else shade + 1000 + k))
    for s in range(0, len(records), shard_size):
        chunk = records[s:s + shard_size]
        name = f"shard-{s // shard_size:06d}"
        (root / "shards" / f"{name}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chunk), encoding="utf-8")
        if done is not None:
            (root / "shards" / f"{name}.done.json").write_text(json.dumps({"shard": s // shard_size, "sha256": done}))
    if manifest:
        (root / "manifest.json").write_text(json.dumps({"domain": "toy", "count": len(records)}))
    return root


def mc_dataset(root: Path, n: int, pick, *, seed=0, question=None, domain="toy") -> Path:
    """``n`` multiple-choice problems with four distinct integer options; ``pick(options, rng)``
    gives the key's index; ``question(i, options, key)`` the vision_dominant question."""
    rng = np.random.default_rng(seed)
    recs = []
    for i in range(n):
        opts = [int(x) for x in rng.choice(np.arange(1, 200), size=4, replace=False)]
        key = pick(opts, rng, i)
        qs = None
        if question is not None:
            q = question(i, opts, key)
            qs = {v: q for v in VARIANTS}
        ch = [str(o) for o in opts]
        recs.append(record(i, [problem(choices=ch, key=key, answer=ch[key], value=float(opts[key]), questions=qs,
                                       qtype=f"t{i % 2}")], domain=domain, rule=f"rule{i % 3}"))
    return write(root, recs)


def run_audit(root: Path, **kw) -> Report:
    return diagram_engine.audit(root, **kw)


def overall(rep: Report, metric: str) -> dict:
    return rep.figure(metric)


# --- the pieces: matching, numbers, options, intervals ----------------------------------------------

@pytest.mark.parametrize("text, answer, hit", [
    ("AB = 12 and CD = 2.5", "2", False),
    ("x = 1/2 and 2√3 and 2π and 2x and x²", "2", False),
    ("the point (−2, 3)", "2", False),
    ("the point (-2, 3) lies left", "-2", True),
    ("so x = 2.", "2", True),
    ("(2, 3) is marked", "2", True),
    ("f is uneven", "even", False),
    ("Even functions", "even", True),
    ("the answer 363√3/2 − 363π/4 here", "363√3/2 - 363π/4", True),
    ("the answer 363√3/2-363π/4", "363√3/2 - 363π/4", True),
    ("y = 3x + 1", "y = 3x", False),
    ("y = 3x, again", "y = 3x", True),
    ("angle 60°", "60°", True),
    ("angle 160°", "60°", False),
    ("12%", "12%", True),
    ("a Point A", "A", True),
    ("a point", "A", False),
])
def test_answers_match_whole_tokens_only(text, answer, hit):
    assert contains_answer(text, answer) is hit


@pytest.mark.parametrize("text, value", [
    ("14√3/3", 14 * math.sqrt(3) / 3), ("12π - 9√3", 12 * math.pi - 9 * math.sqrt(3)), ("−23/4", -23 / 4),
    ("135/2°", 67.5), ("35.49%", 35.49), ("√145", math.sqrt(145)), ("2(3 + 1)", 8.0), ("3²", 9.0),
    ("(-2, 3)", None), ("[-4, 11]", None), ("y = 2x + 1", None), ("even", None), ("(ln 2)/2", None), ("", None),
    ("1/0", None),
])
def test_option_texts_parse_as_numbers(text, value):
    got = parse_number(text)
    assert (got is None) if value is None else math.isclose(got, value, rel_tol=1e-12)


def test_options_are_stripped_from_the_question():
    q = "What is CD?\nPick one.\nChoices:\nA. 3√13\nB. 12\nC. 6√7\nD. 3√7"
    out = strip_options(q, ["3√13", "12", "6√7", "3√7"])
    assert "3√7" not in out and "12" not in out and "What is CD?" in out
    assert strip_options("A. 5 is it?", None) == "A. 5 is it?"


def test_wilson_interval():
    lo, hi = wilson(50, 100)
    assert math.isclose(lo, 0.4038, abs_tol=1e-3) and math.isclose(hi, 0.5962, abs_tol=1e-3)
    assert wilson(0, 10)[0] == 0.0 and math.isclose(wilson(10, 10)[1], 1.0)


# --- 1, 2: the options-only classifiers and the key's rank ------------------------------------------

def test_key_always_the_largest_is_found_from_the_options_alone(tmp_path):
    root = mc_dataset(tmp_path / "d", 300, lambda o, rng, i: int(np.argmax(o)))
    rep = run_audit(root)
    fig = overall(rep, "options_only")
    assert fig["value"] >= 0.95 and fig["n"] == 300 and fig["chance"] == 0.25
    assert fig["lo"] > 0.9
    kr = overall(rep, "key_rank")
    assert kr["shares"] == [0.0, 0.0, 0.0, 1.0] and kr["value"] == 0.75 and kr["p"] < 1e-50
    # every group: the question types and rules have 100 to 150 problems each
    for kind in ("question_type", "rule"):
        for g in rep.data["groups"][kind].values():
            assert g["metrics"]["options_only"]["value"] >= 0.9


def test_options_drawn_independently_of_the_key_give_chance(tmp_path):
    root = mc_dataset(tmp_path / "d", 400, lambda o, rng, i: int(rng.integers(4)), seed=3)
    rep = run_audit(root)
    fig = overall(rep, "options_only")
    assert 0.15 <= fig["value"] <= 0.35, fig
    assert fig["lo"] < 0.25 + 0.03
    assert overall(rep, "key_rank")["value"] < 0.1


def test_the_question_words_tell_which_extreme(tmp_path):
    """The key is the largest option when the question says 'largest', else the smallest: the
    options alone get about half, the options with the question nearly all."""
    def pick(o, rng, i):
        return int(np.argmax(o)) if i % 2 else int(np.argmin(o))
    root = mc_dataset(tmp_path / "d", 400, pick, question=lambda i, o, k: (
        "Which value is the largest?" if i % 2 else "Which value is the smallest?"))
    rep = run_audit(root)
    alone, with_q = overall(rep, "options_only")["value"], overall(rep, "options_question")["value"]
    assert 0.35 <= alone <= 0.65, alone
    assert with_q >= 0.9, with_q


def test_the_key_position_is_never_seen(tmp_path):
    """The key is always option A, and the four options look alike: the classifier cannot tell
    them apart, and a tie is not broken by position."""
    recs = [record(i, [problem(choices=["P", "Q", "R", "S"], key=0, answer="P", value="P")]) for i in range(200)]
    fig = overall(run_audit(write(tmp_path / "d", recs)), "options_only")
    assert 0.15 <= fig["value"] <= 0.35, fig


def test_the_audit_is_repeatable(tmp_path):
    root = mc_dataset(tmp_path / "d", 80, lambda o, rng, i: int(np.argsort(o)[1]))
    a, b = run_audit(root).to_json(), run_audit(root).to_json()
    a.pop("seconds"), b.pop("seconds")
    assert a == b


def test_without_scikit_learn_the_classifiers_are_not_computed(tmp_path, monkeypatch):
    root = mc_dataset(tmp_path / "d", 40, lambda o, rng, i: 0)
    for name in [m for m in sys.modules if m == "sklearn" or m.startswith("sklearn.")] + ["sklearn"]:
        monkeypatch.setitem(sys.modules, name, None)      # import sklearn... raises ImportError
    rep = run_audit(root)
    fig = overall(rep, "options_only")
    assert fig["value"] is None and "scikit-learn is not installed" in fig["unavailable"]
    assert "scikit-learn is not installed" in rep.text()
    assert overall(rep, "key_rank")["value"] is not None        # the rest still runs
    assert any("options_only [toy]: cannot check" in v for v in rep.check({"options_only": 0.5}))


@pytest.mark.slow
def test_the_classifier_runs_in_well_under_a_minute_on_10000_problems(tmp_path):
    root = mc_dataset(tmp_path / "d", 10_000, lambda o, rng, i: int(rng.integers(4)), seed=5)
    rep = run_audit(root)
    assert overall(rep, "options_only")["n"] == 10_000
    assert rep.data["seconds"]["classifiers"] < 30, rep.data["seconds"]


# --- 3, 4: answers that are givens -----------------------------------------------------------------

def test_answers_equal_to_givens_and_recall(tmp_path):
    recs = []
    for i in range(100):
        if i < 30:      # equal to a given, within 1e-9 relative
            p = problem(answer="6", value=6.0 + 1e-12, givens=[("len:AB", 6.0), ("len:BC", 8.0)])
        elif i < 40:    # equal, on purpose
            p = problem(answer="6", value=6.0, givens=[("len:AB", 6.0)], recall=True)
        elif i < 45:    # a word equal to a word
            p = problem(answer="Solar", value="solar ", givens=[("colour|x", "Solar")])
        elif i < 50:    # a point equal to a point
            p = problem(answer="(1, 2)", value=[1.0, 2.0], givens=[("A", [1.0, 2.0])])
        else:           # near but not equal
            p = problem(answer="6", value=6.0001, givens=[("len:AB", 6.0), ("B", [6.0, 6.0])])
        recs.append(record(i, [p]))
    rep = run_audit(write(tmp_path / "d", recs))
    fig = overall(rep, "answer_equals_given")
    assert (fig["count"], fig["n"]) == (40, 90) and math.isclose(fig["value"], 40 / 90, abs_tol=1e-6)
    assert fig["recall"] == 10 and fig["recall_equal"] == 10


def test_the_target_among_the_givens(tmp_path):
    recs = []
    for i in range(40):
        if i < 10:      # the given is the asked length (named the other way round)
            p = problem(target={"measure": "length", "of": ["C", "D"]}, givens=[("len:DC", 7.0)], value=7.0)
        elif i < 15:    # an angle named from-vertex-to
            p = problem(target={"measure": "angle", "vertex": "A", "from": "C", "to": "D"},
                        givens=[("ang:CAD", 40.0)], value=40.0)
        elif i < 20:    # another angle of the same letters: not the target
            p = problem(target={"measure": "angle", "vertex": "C", "from": "A", "to": "D"},
                        givens=[("ang:CAD", 40.0)], value=40.0)
        elif i < 25:    # a value read off a chart
            p = problem(target={"measure": "value", "of": "North", "at": "2019"},
                        givens=[("North|2019", 45.0)], value=45.0)
        else:           # another length
            p = problem(target={"measure": "length", "of": ["C", "D"]}, givens=[("len:AB", 7.0)], value=7.0)
        recs.append(record(i, [p]))
    fig = overall(run_audit(write(tmp_path / "d", recs)), "target_in_givens")
    assert (fig["count"], fig["n"]) == (20, 40)


# --- 5: leaks -------------------------------------------------------------------------------------------

def test_caption_label_and_question_leaks(tmp_path):
    recs = []
    for i in range(60):
        caption, labels, questions, images = "A triangle ABC.", [("A", "point")], None, None
        if i < 10:      # in the caption only
            caption = "A triangle with AB = 12."
        elif i < 20:    # in the caption and drawn: a label leak, not a caption leak
            caption, labels = "A triangle with AB = 12.", [("12", "value")]
        elif i < 25:    # drawn as a tick label
            labels = [("12", "tick")]
        elif i < 30:    # other numbers that contain 12
            caption, labels = "Sides 120, 1.12, 12.5 and -12.", [("112", "value"), ("(-12, 3)", "point")]
        elif i < 40:    # in the text_dominant question, and only in the options elsewhere
            questions = {"text_dominant": "Given CD = 12, find AB.", "text_lite": "Find AB.",
                         "vision_dominant": "Find AB."}
        elif i < 45:    # vision_dominant has its own image: no label list
            images = {"vision_dominant": f"images/toy-{i:09d}__vd0.png"}
            labels = [("AB = 12", "value")]
        p = problem(answer="12", value=12.0, questions=questions, images=images,
                    choices=["12", "6", "24", "3"], key=0)
        recs.append(record(i, [p], caption=caption, labels=labels))
    rep = run_audit(write(tmp_path / "d", recs))
    assert overall(rep, "caption_leak")["count"] == 10
    drawn = overall(rep, "label_leak.text_dominant")
    assert (drawn["count"], drawn["n"]) == (20, 60)
    assert overall(rep, "label_leak_no_ticks.text_dominant")["count"] == 15
    vd = overall(rep, "label_leak.vision_dominant")
    assert (vd["count"], vd["n"]) == (15, 55)       # the five with their own image are not known
    assert overall(rep, "question_leak.text_dominant")["count"] == 10
    assert overall(rep, "question_leak.text_lite")["count"] == 0        # the options do not count
    assert overall(rep, "question_leak.vision_dominant")["count"] == 0


def test_word_answers_leak_as_whole_words(tmp_path):
    recs = [record(i, [problem(answer="even", value="even", questions={
        "text_dominant": "Is f even or odd?" if i < 12 else "Is f uneven?", "text_lite": "Which?",
        "vision_dominant": "Which?"})], caption="An even curve." if i < 5 else "A curve, unevenly drawn.")
        for i in range(40)]
    rep = run_audit(write(tmp_path / "d", recs))
    assert overall(rep, "question_leak.text_dominant")["count"] == 12
    assert overall(rep, "caption_leak")["count"] == 5


def test_a_question_that_lists_the_alternatives_does_not_state_its_answer(tmp_path):
    words = ["even", "odd", "neither"]
    recs = [record(i, [problem(answer=words[i % 3], value=words[i % 3], questions={
        "text_dominant": "Is f even, odd or neither?" if i < 30 else f"Since f is {words[i % 3]}, what is it?",
        "text_lite": "Which?", "vision_dominant": "Which?"})]) for i in range(40)]
    rep = run_audit(write(tmp_path / "d", recs))
    assert overall(rep, "question_leak.text_dominant")["count"] == 10


# --- 6, 7: duplicates and identical variants -------------------------------------------------------------

def test_duplicate_images_scenes_and_pairs(tmp_path):
    recs = []
    for i in range(50):
        shade = i if i < 40 else i % 5          # 40..49 repeat the images of 0..4: 5 twice each
        scene = {"points": {"A": [i % 45, 0]}}   # 45..49 repeat scenes 0..4
        qs = {v: ("Same question?" if i >= 40 else f"Question {i} {v}?") for v in VARIANTS}
        recs.append(record(i, [problem(questions=qs)], shade=shade, scene=scene))
    rep = run_audit(write(tmp_path / "d", recs))
    d = overall(rep, "duplicate_images")
    assert (d["count"], d["n"], d["most_repeated"]) == (10, 50, 3)
    assert overall(rep, "distinct_images")["value"] == 0.8
    assert overall(rep, "duplicate_scenes")["count"] == 5
    # (image, question): 40..44 have new questions on old images; 45..49 repeat 40..44
    assert overall(rep, "duplicate_image_questions")["count"] == 5
    assert rep.data["images_hashed"]["read"] > 0


def test_done_json_digests_are_used(tmp_path):
    """Two different files that the shard's .done.json says are the same count as duplicates:
    the digest is taken from there, not read again."""
    recs = [record(i, [problem()]) for i in range(40)]
    done = {f"images/toy-{i:09d}.png": ("same" if i < 2 else f"d{i}") for i in range(40)}
    rep = run_audit(write(tmp_path / "d", recs, done=done))
    assert overall(rep, "duplicate_images")["count"] == 1
    assert rep.data["images_hashed"]["read"] == 0 and rep.data["images_hashed"]["from_done_json"] == 40


def test_identical_variants(tmp_path):
    recs = []
    for i in range(40):
        if i < 10:      # same question and image
            qs = {"text_dominant": "Full question?", "text_lite": "Short?", "vision_dominant": "Short?"}
            p = problem(questions=qs)
        elif i < 20:    # same question, another image
            qs = {"text_dominant": "Full question?", "text_lite": "Short?", "vision_dominant": "Short?"}
            p = problem(questions=qs, images={"vision_dominant": f"images/toy-{i:09d}__vd0.png"})
        else:
            p = problem()
        recs.append(record(i, [p]))
    fig = overall(run_audit(write(tmp_path / "d", recs)), "identical_variants")
    assert (fig["count"], fig["n"]) == (10, 40)


# --- 8: image dependence -------------------------------------------------------------------------------

def test_image_needed_absent_is_not_recorded(tmp_path):
    rep = run_audit(write(tmp_path / "d", [record(i, [problem()]) for i in range(40)]))
    fig = overall(rep, "image_dependence")
    assert fig["value"] is None and "not recorded" in fig["unavailable"]
    assert "image needed          not recorded" in rep.text()
    assert rep.check({"image_dependence": 0.5}) == [
        "image_dependence [toy]: cannot check against min 0.5: not recorded (no problem carries image_needed)"]


def test_image_needed_present(tmp_path):
    recs = []
    for i in range(40):
        need = {"text_dominant": False, "text_lite": i < 10, "vision_dominant": i < 30}
        recs.append(record(i, [problem(image_needed=need)]))
    rep = run_audit(write(tmp_path / "d", recs))
    assert overall(rep, "image_dependence.text_lite")["value"] == 0.25
    assert overall(rep, "image_dependence.vision_dominant")["value"] == 0.75
    assert overall(rep, "image_dependence")["value"] == 0.5
    assert rep.check({"image_dependence.vision_dominant": 0.8}) == [
        "image_dependence.vision_dominant [toy]: 0.75 < min 0.8 (n=40)"]


# --- 9, 10, 11: answers, steps, difficulty --------------------------------------------------------------

def test_answer_distribution_and_options_never_right(tmp_path):
    recs = []
    for i in range(64):
        ans = ["1", "2", "3", "4"][i % 4] if i < 32 else "0"
        wrong = [w for w in ["0", "7", "8", "9"] if w != ans][:3]
        if ans == "0":
            wrong = ["7", "8", "9"]
        choices = [ans] + wrong
        recs.append(record(i, [problem(answer=ans, value=float(ans), choices=choices, key=0, steps=i % 3)]))
    rep = run_audit(write(tmp_path / "d", recs))
    top = overall(rep, "top_answer")
    assert top["answer"] == "0" and top["value"] == 0.5
    # half "0", an eighth each of 1..4: 1/2 * 1 + 4 * 1/8 * 3 = 2 bits
    assert math.isclose(overall(rep, "answer_entropy")["value"], 2.0, abs_tol=1e-9)
    assert overall(rep, "distinct_answers")["count"] == 5
    never = overall(rep, "never_right")
    assert never["value"] == 3 and {o["text"] for o in never["options"]} == {"7", "8", "9"}
    assert "'7' in 64 problems" in rep.text()
    steps = overall(rep, "few_steps")
    assert steps["distribution"] == {"0": 22, "1": 21, "2": 21} and steps["count"] == 43
    assert rep.to_json()["groups"]["overall"]["all"]["details"]["difficulty"] is None


def test_difficulty_when_recorded(tmp_path):
    recs = [record(i, [problem(difficulty=1 + i % 3)]) for i in range(30)]
    rep = run_audit(write(tmp_path / "d", recs))
    assert rep.data["groups"]["domain"]["toy"]["details"]["difficulty"] == {"1": 10, "2": 10, "3": 10}
    assert "difficulty            1: 10, 2: 10, 3: 10" in rep.text()


# --- groups, limits, the report ---------------------------------------------------------------------------

def test_groups_by_domain_rule_and_question_type_and_small_groups(tmp_path):
    recs = [record(i, [problem(qtype="big" if i < 40 else "small", answer="12", value=12.0)],
                   domain="toy-a" if i < 45 else "toy-b", caption="AB = 12" if i % 2 else "")
            for i in range(50)]
    rep = run_audit(write(tmp_path / "d", recs))
    g = rep.data["groups"]
    assert set(g["domain"]) == {"toy-a", "toy-b"} and rep.data["domains"] == ["toy-a", "toy-b"]
    assert set(g["question_type"]) == {"toy-a/big", "toy-a/small", "toy-b/small"}
    assert g["question_type"]["toy-a/big"]["problems"] == 40
    assert g["question_type"]["toy-a/big"]["metrics"]["caption_leak"]["value"] == 0.5
    small = g["question_type"]["toy-b/small"]["metrics"]["caption_leak"]
    assert small["value"] is None and small["skipped"] == "too few: n=5 < 30" and small["count"] == 3
    text = rep.text()
    assert "all domains: 50 problems" in text and "toy-b: 5 problems" in text
    assert "Too few problems for figures (< 30)" in text and "toy-b/small" in text
    # a threshold is not checked on a group too small for a figure
    assert rep.check({"caption_leak": 0.1}) == ["caption_leak [toy-a]: 0.4889 > max 0.1 (n=45)"]


def test_limit_reads_the_first_records_and_json_goes_where_asked(tmp_path):
    root = write(tmp_path / "d", [record(i, [problem()]) for i in range(60)], shard_size=25)
    rep = run_audit(root, max_records=30, json_path=tmp_path / "out.json")
    assert rep.data["records"] == 30 and rep.data["limit"] == 30
    assert json.loads((tmp_path / "out.json").read_text()) == rep.to_json()
    assert not (root / "audit.json").exists()
    run_audit(root)
    assert json.loads((root / "audit.json").read_text())["records"] == 60


def test_every_metric_is_in_every_group(tmp_path):
    rep = run_audit(write(tmp_path / "d", [record(i, [problem()]) for i in range(5)]))
    for kind in rep.data["groups"].values():
        for g in kind.values():
            assert set(g["metrics"]) == set(METRICS)
    assert set(rep.data["metrics"]) == set(METRICS)


def test_thresholds_are_parsed_with_their_direction():
    assert parse_thresholds(["options_only=0.4"], ["image_dependence=0.9"]) == {
        "options_only": 0.4, "image_dependence": 0.9}
    for maxima, minima, msg in [
        (["nope=0.1"], [], "unknown metric 'nope'"), (["options_only"], [], "is not NAME=VALUE"),
        (["options_only=abc"], [], "'abc' is not a number"), (["options_only=1.5"], [], "between 0 and 1"),
        (["image_dependence=0.5"], [], "use --min image_dependence=VALUE"),
        ([], ["caption_leak=0.5"], "use --max caption_leak=VALUE")]:
        with pytest.raises(UserError, match=msg):
            parse_thresholds(maxima, minima)


# --- the module and the function --------------------------------------------------------------------------

def test_the_function_and_the_module_are_both_reachable():
    import diagram_engine.audit  # the function keeps the package attribute
    assert callable(diagram_engine.audit) and diagram_engine.audit.__name__ == "audit"
    module = importlib.import_module("diagram_engine.audit")
    assert module is sys.modules["diagram_engine.audit"] and module.Report is Report
    assert module.audit is diagram_engine.audit and diagram_engine.AuditReport is Report
    code = ("from diagram_engine.audit import Report, audit; "
            "import diagram_engine; print(Report.__name__, diagram_engine.audit is audit)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert out.stdout.split() == ["Report", "True"], out.stderr


def test_bad_input_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no such folder"):
        run_audit(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="not a dataset folder"):
        run_audit(tmp_path / "empty")
    root = write(tmp_path / "d", [record(0, [problem()])])
    (root / "shards" / "shard-000000.jsonl").write_text("{not json\n")
    with pytest.raises(UserError, match=r"shard-000000.jsonl:1: not valid JSON"):
        run_audit(root)


# --- the command line ---------------------------------------------------------------------------------------

def invoke(*args):
    return CliRunner().invoke(cli, ["audit", *map(str, args)])


def test_cli_exit_codes(tmp_path):
    root = mc_dataset(tmp_path / "d", 60, lambda o, rng, i: int(np.argmax(o)))
    ok = invoke(root, "--max", "caption_leak=0.5", "--json", tmp_path / "a.json")
    assert ok.exit_code == 0, ok.output
    assert "options only" in ok.output and (tmp_path / "a.json").exists()
    bad = invoke(root, "--max", "options_only=0.5", "--max", "key_rank=0.1", "--min", "distinct_images=0.5")
    assert bad.exit_code == 1, bad.output
    lines = [x for x in bad.output.splitlines() if x.startswith("threshold exceeded:")]
    assert len(lines) == 2 and "options_only [toy]:" in lines[0] and "key_rank [toy]: 0.75 > max 0.1" in lines[1]


@pytest.mark.parametrize("args, message", [
    (("{missing}",), "no such folder"),
    (("{empty}",), "is not a dataset folder"),
    (("{root}", "--max", "nope=0.1"), "Invalid value for '--max': unknown metric 'nope'"),
    (("{root}", "--max", "options_only=high"), "Invalid value for '--max': 'options_only=high': 'high' is not a number"),
    (("{root}", "--max", "image_dependence=0.5"), "use --min image_dependence=VALUE"),
    (("{root}", "--min", "distinct_images=2"), "distinct_images must be between 0 and 1"),
])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    root = write(tmp_path / "d", [record(i, [problem()]) for i in range(3)])
    args = [a.format(missing=tmp_path / "missing", empty=tmp_path / "empty", root=root) for a in args]
    res = invoke(*args)
    assert res.exit_code == 2, res.output
    assert res.output.startswith("Error: ") and message in res.output and res.output.count("\n") == 1
    assert "Traceback" not in res.output
    assert not (root / "audit.json").exists()


def test_cli_in_a_real_process(tmp_path):
    root = write(tmp_path / "d", [record(i, [problem(answer="12", value=12.0)], caption="AB = 12")
                                  for i in range(40)])
    res = subprocess.run([sys.executable, "-m", "diagram_engine.cli", "audit", str(root), "--max",
                          "caption_leak=0.5"], capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 1 and "threshold exceeded: caption_leak [toy]: 1 > max 0.5 (n=40)" in res.stdout
    res = subprocess.run([sys.executable, "-m", "diagram_engine.cli", "audit", str(tmp_path / "nope")],
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 2 and res.stderr.strip().startswith("Error: ") and "Traceback" not in res.stderr


# --- a real dataset ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("audit-real") / "data"
    diagram_engine.generate(["plane-geometry", "function"], 300, out, seed=11, workers=2, svg=False,
                            progress=False)
    return out


@pytest.mark.slow
def test_a_generated_dataset_of_two_domains(generated):
    rep = diagram_engine.audit(generated)
    data = rep.to_json()
    assert data["domains"] == ["function", "plane-geometry"] and data["records"] == 300
    assert data["images_hashed"]["from_done_json"] >= 300 and data["images_hashed"]["missing"] == 0
    records = [json.loads(line) for f in sorted((generated / "shards").glob("*.jsonl"))
               for line in f.read_text(encoding="utf-8").splitlines()]
    for dom in data["domains"]:
        g = data["groups"]["domain"][dom]
        mine = [r for r in records if r["domain"] == dom]
        probs = [p for r in mine for p in r["problems"]]
        assert (g["records"], g["problems"]) == (len(mine), len(probs)) and g["problems"] >= 100
        assert g["multiple_choice"] == sum(p["choices"] is not None for p in probs) > 30
        m = g["metrics"]
        fig = m["options_only"]
        assert fig["n"] == g["multiple_choice"] and 0.0 <= fig["lo"] <= fig["value"] <= fig["hi"] <= 1.0
        assert fig["chance"] == 0.25
        # recounted here from the records and the image files themselves
        same = sum(p["variants"]["text_lite"]["question"] == p["variants"]["vision_dominant"]["question"]
                   and p["variants"]["text_lite"]["image"] == p["variants"]["vision_dominant"]["image"]
                   for p in probs)
        assert m["identical_variants"]["count"] == same
        digests = [hashlib.sha256((generated / r["image"]).read_bytes()).hexdigest() for r in mine]
        assert m["duplicate_images"]["count"] == len(digests) - len(set(digests))
        caption = sum(contains_answer(r["caption"], p["answer"]["text"])
                      and not any(contains_answer(lab["text"], p["answer"]["text"]) for lab in r["labels"])
                      for r in mine for p in r["problems"])
        assert m["caption_leak"]["count"] == caption
        assert m["few_steps"]["n"] == g["problems"]
        assert m["label_leak.text_dominant"]["n"] == g["problems"]
    # question types are per domain, and they cover every problem once
    qts = data["groups"]["question_type"]
    assert any(q.startswith("function/") for q in qts) and any(q.startswith("plane-geometry/") for q in qts)
    assert sum(g["problems"] for g in qts.values()) == data["problems"]
    text = rep.text()
    assert "function:" in text and "plane-geometry:" in text and "By question type" in text
    assert json.loads((generated / "audit.json").read_text(encoding="utf-8")) == data


def test_caption_words_leave_out_letters_names_and_numbers():
    from diagram_engine.audit import caption_words
    words = caption_words(["Triangle ABC has AB = 8 and a right angle at B.", "The circle's radius is 3.",
                           "TRIANGLE KLM", "triangle"])
    assert words == {"triangle", "has", "and", "right", "angle", "at", "the", "circle's", "radius", "is"}
