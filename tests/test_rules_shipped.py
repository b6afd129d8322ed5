"""Every shipped plane-geometry rule, a dozen samples each at a fixed seed.

Each test checks one promise of docs/record.md on every sample of one rule: the answer
re-measured from the scene, labels inside the canvas and apart, the SVG and PNG agreeing
with the labels, the question variants stating exactly the givens they claim to state, the
final solution lines, and the rule's own targets and step range.
"""
from __future__ import annotations

import functools
import html
import io
import math
import re
from collections import Counter

import numpy as np
import pytest
import sympy as sp
from PIL import Image

from diagram_engine import measure
from diagram_engine.pipeline import RuleSet, generate_one

DOMAIN = "plane-geometry"
SEED = 20250
N = 12
LETTERS = "ABCD"
VARIANTS = ("text_dominant", "text_lite", "vision_dominant")

RULESET = RuleSet.load(DOMAIN)
RULES = {r.id: r for r in RULESET.rules}
RULE_IDS = sorted(RULES)

# rule.spec.targets -> the question types a problem of that target may have
QUESTION_TYPES = {"length": {"length"}, "angle": {"angle"}, "area": {"area"},
                  "perimeter": {"perimeter", "circumference"}, "arc": {"arc-length"},
                  "shaded": {"shaded-area"}, "radius": {"radius"}}


@functools.lru_cache(maxsize=None)
def samples(rule_id: str):
    return tuple(generate_one(DOMAIN, seed=SEED, index=i, rule_id=rule_id, ruleset=RULESET)
                 for i in range(N))


def each_problem(rule_id):
    for s in samples(rule_id):
        for p in s.record["problems"]:
            yield s, s.record, p


def rel_close(a: float, b: float, rel: float = 1e-6) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def value_of_text(t: str) -> float:
    """The number an exact answer text like ``18π - 36`` or ``3√3π/2`` stands for."""
    s = t.removesuffix("°")
    assert re.fullmatch(r"[0-9√π·/ +\-⁰¹²³⁴⁵⁶⁷⁸⁹.]+", s), f"unexpected characters in {t!r}"
    s = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "**" + m.group().translate(_SUP), s)
    s = re.sub(r"√(\d+)", r"sqrt(\1)", s).replace("π", "pi").replace("·", "*")
    s = re.sub(r"(?<=[\d)i])(?=sqrt|pi)", "*", s)
    return float(eval(s, {"__builtins__": {}}, {"sqrt": math.sqrt, "pi": math.pi}))


def fact_in(question: str, fact: str) -> bool:
    """``fact`` ("AB = 8") stated in ``question``, not merely a prefix of "AB = 81"."""
    return re.search(re.escape(fact) + r"(?![0-9√π/]|\.[0-9])", question) is not None


def fact_value(fact: str) -> str:
    return fact.split(" = ", 1)[1]


def svg_texts(svg: str):
    """(text, x, y, font size) of every <text> element, in document order."""
    out = []
    for attrs, body in re.findall(r"<text([^>]*)>([^<]*)</text>", svg):
        a = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        out.append((html.unescape(body), float(a["x"]), float(a["y"]), float(a["font-size"])))
    return out


def gray(png: bytes) -> np.ndarray:
    im = Image.open(io.BytesIO(png))
    im.load()
    return np.asarray(im.convert("L"))


def target_key(t: dict) -> str | None:
    """The quantity key (as in givens[].quantity) of a length or angle target."""
    if t["measure"] == "length":
        return "len:" + "".join(sorted(t["of"]))
    if t["measure"] == "angle":
        a, b = sorted([t["from"], t["to"]])
        return "ang:" + a + t["vertex"] + b
    return None


# --- the rules themselves -----------------------------------------------------------------------

def test_shipped_rules_are_collected():
    assert len(RULE_IDS) >= 8
    for rid in RULE_IDS:
        assert RULES[rid].domain == DOMAIN
        assert RULES[rid].path.endswith(".yaml")


# --- answers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_answer_equals_remeasured_target(rule_id):
    for _, rec, p in each_problem(rule_id):
        got = measure(rec["scene"], p["target"])
        want = p["answer"]["value"]
        assert rel_close(got, want), f"{p['id']}: measured {got}, answer.value {want}"
        assert p["verified"] == {**p["verified"], "exact": True, "numeric": True}
        assert p["verified"]["max_abs_err"] <= 1e-6 * max(1.0, abs(want))


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_exact_strings_agree_with_values(rule_id):
    for _, rec, p in each_problem(rule_id):
        ans = p["answer"]
        assert rel_close(float(sp.sympify(ans["exact"])), ans["value"], 1e-9), p["id"]
        for g in p["givens"]:
            assert rel_close(float(sp.sympify(g["exact"])), g["value"], 1e-9), (p["id"], g)
            assert rec["scene"]["exact"][g["quantity"]] == g["exact"], (p["id"], g["quantity"])


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_answer_text_states_the_value(rule_id):
    spec = RULES[rule_id].spec
    for _, _, p in each_problem(rule_id):
        text, value = p["answer"]["text"], p["answer"]["value"]
        assert text.endswith("°") == (p["target"]["measure"] == "angle"), p["id"]
        if spec.answer == "decimal":
            digits = text.removesuffix("°")
            assert re.fullmatch(r"\d+(\.\d{%d})?" % spec.decimals, digits), (p["id"], text)
            assert abs(float(digits) - value) <= 0.5 * 10 ** -spec.decimals + 1e-9, (p["id"], text, value)
        else:
            assert rel_close(value_of_text(text), value, 1e-9), (p["id"], text, value)


# --- labels, SVG and PNG --------------------------------------------------------------------------

@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_labels_inside_the_canvas_and_apart(rule_id):
    for s in samples(rule_id):
        rec = s.record
        w, h = rec["width"], rec["height"]
        boxes = [lb["bbox"] for lb in rec["labels"]]
        assert boxes, s.id
        for x0, y0, x1, y1 in boxes:
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, (s.id, (x0, y0, x1, y1))
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                assert not overlap, (s.id, rec["labels"][i], rec["labels"][j])


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_labels_are_the_svg_texts(rule_id):
    """Every label is drawn in the SVG, in record order, at its bbox; nothing else is."""
    for s in samples(rule_id):
        texts = svg_texts(s.svg)
        labels = s.record["labels"]
        assert [t[0] for t in texts] == [lb["text"] for lb in labels], s.id
        for (txt, x, y, size), lb in zip(texts, labels):
            x0, y0, x1, y1 = lb["bbox"]
            # (x, y) is the pen position: at the left of the ink (a "J" overhangs it a little)
            # and on the baseline, within the ink's height (or a little below, for "°")
            assert abs(x - x0) <= 0.3 * size, (s.id, txt, x, lb["bbox"])
            assert y0 < y <= y1 + 0.3 * size, (s.id, txt, y, lb["bbox"])


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_pngs_decode_and_show_the_labels(rule_id):
    for s in samples(rule_id):
        rec = s.record
        pngs = {k: v for k, v in s.files.items() if k.endswith(".png")}
        assert rec["image"] in pngs
        for rel, data in pngs.items():
            im = Image.open(io.BytesIO(data))
            im.load()
            assert im.size == (rec["width"], rec["height"]), (s.id, rel, im.size)
        base = gray(s.png)
        for lb in rec["labels"]:
            x0, y0, x1, y1 = (int(round(v)) for v in lb["bbox"])
            assert base[y0:y1 + 1, x0:x1 + 1].min() < 100, f"{s.id}: no ink under label {lb}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_point_labels_sit_at_their_points(rule_id):
    """scene.to_pixels maps each named point next to its letter in the image."""
    for s in samples(rule_id):
        sc = s.record["scene"]
        a, b, c, d, e, f = sc["to_pixels"]
        for lb in s.record["labels"]:
            if lb["kind"] != "point":
                continue
            assert lb["text"] in sc["points"], (s.id, lb)
            x, y = sc["points"][lb["text"]]
            px, py = a * x + b * y + c, d * x + e * y + f
            cx, cy = (lb["bbox"][0] + lb["bbox"][2]) / 2, (lb["bbox"][1] + lb["bbox"][3]) / 2
            assert math.hypot(px - cx, py - cy) < 40, (s.id, lb, (px, py))


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_files_are_the_referenced_ones(rule_id):
    for s in samples(rule_id):
        rec = s.record
        used = {rec["image"], rec["svg"]}
        for p in rec["problems"]:
            used |= {v["image"] for v in p["variants"].values()}
        assert set(s.files) == used, s.id
        for p in rec["problems"]:
            vd = p["variants"]["vision_dominant"]["image"]
            if vd != rec["image"]:
                assert s.files[vd] != s.png, f"{s.id}: the vision-dominant image is the base image"


# --- what each variant states, in words and in the picture -----------------------------------------

@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_lite_and_vision_variants_need_the_image(rule_id):
    for _, _, p in each_problem(rule_id):
        for v in ("text_lite", "vision_dominant"):
            assert any(not g["in_text"][v] and g["in_image"][v] for g in p["givens"]), (p["id"], v)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_questions_state_exactly_their_givens(rule_id):
    for _, _, p in each_problem(rule_id):
        facts = [g["fact"] for g in p["givens"]]
        q = {v: p["variants"][v]["question"] for v in VARIANTS}
        assert not [f for f in facts if fact_in(q["vision_dominant"], f)], p["id"]
        assert all(fact_in(q["text_dominant"], f) for f in facts), p["id"]
        for v in VARIANTS:
            for g in p["givens"]:
                assert fact_in(q[v], g["fact"]) == g["in_text"][v], (p["id"], v, g["fact"])
                # every given reaches the reader, in the text or in the picture
                assert g["in_text"][v] or g["in_image"][v], (p["id"], v, g["fact"])


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_image_values_are_exactly_the_shown_givens(rule_id):
    """The base image's value labels are the givens it claims to show, and nothing more.

    A value label of the target itself (or of any quantity the solution derives) would
    give the answer away; it shows up here as a value label no shown given accounts for.
    The answer may still coincide with a shown given (a rhombus's opposite angles), so the
    test compares the labels with the givens, not with the answer text.
    """
    for s, rec, p in each_problem(rule_id):
        values = Counter(lb["text"] for lb in rec["labels"] if lb["kind"] == "value")
        keys = [g["quantity"] for g in p["givens"]]
        assert target_key(p["target"]) not in keys, f"{p['id']}: the target is a given"
        for v in VARIANTS:
            if p["variants"][v]["image"] != rec["image"]:
                continue
            shown = Counter(fact_value(g["fact"]) for g in p["givens"] if g["in_image"][v])
            assert values == shown, (p["id"], v, values, shown)
        # the base image shows every given exactly when no separate image is needed
        all_in_base = all(g["in_image"]["text_dominant"] for g in p["givens"])
        assert (p["variants"]["vision_dominant"]["image"] == rec["image"]) == all_in_base, p["id"]
        assert p["variants"]["text_dominant"]["image"] == rec["image"]
        assert p["variants"]["text_lite"]["image"] == rec["image"]


# --- choices and solutions --------------------------------------------------------------------------

@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_choices_and_final_lines(rule_id):
    spec = RULES[rule_id].spec
    for _, _, p in each_problem(rule_id):
        ans = p["answer"]["text"]
        sols = [p["solution"]] + [p["variants"][v]["solution"] for v in VARIANTS]
        if p["choices"] is not None:
            ch, k = p["choices"], p["answer_index"]
            assert len(ch) == 4 and len(set(ch)) == 4, (p["id"], ch)
            assert ch[k] == ans, (p["id"], ch, k, ans)
            # distinct as numbers too, not only as strings ("4" and "4.00")
            if spec.answer == "decimal":
                vals = [round(float(c.removesuffix("°")), spec.decimals) for c in ch]
            else:
                vals = [round(value_of_text(c), 9) for c in ch]
            assert len(set(vals)) == 4, (p["id"], ch)
            for v in VARIANTS:
                assert f"{LETTERS[k]}. {ans}" in p["variants"][v]["question"], (p["id"], v)
            final = f"Answer: {LETTERS[k]}"
        else:
            assert p["answer_index"] is None, p["id"]
            final = f"The answer is {ans}."
        for sol in sols:
            assert sol[-1] == final, (p["id"], sol[-1], final)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_question_types_are_the_rules_targets(rule_id):
    allowed = set().union(*(QUESTION_TYPES[t] for t in RULES[rule_id].spec.targets))
    for _, _, p in each_problem(rule_id):
        assert p["question_type"] in allowed, (p["id"], p["question_type"], allowed)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_step_count_within_the_rules_range(rule_id):
    lo, hi = RULES[rule_id].spec.steps
    for _, _, p in each_problem(rule_id):
        n = p["steps"]
        assert lo <= n <= hi, (p["id"], n, (lo, hi))
        # text_dominant's solution: one line per step, a rounding line when the answer is a
        # decimal the last step did not already state, then the answer line
        assert p["solution"] == p["variants"]["text_dominant"]["solution"], p["id"]
        extra = len(p["solution"]) - (n + 1)
        assert extra in (0, 1), (p["id"], n, p["solution"])
        if extra:
            assert "≈ " + p["answer"]["text"] in p["solution"][-2], (p["id"], p["solution"])
        for v in ("text_lite", "vision_dominant"):
            # the other variants read the image first, then reason the same way
            assert p["variants"][v]["solution"][-len(p["solution"]):] == p["solution"], (p["id"], v)


# --- the batch as a whole ----------------------------------------------------------------------------

def test_samples_cover_the_cases_the_checks_are_for():
    """Guards against vacuous passes: the fixed seed must reach both answer forms and both
    vision-dominant image cases somewhere among the shipped rules."""
    probs = [p for rid in RULE_IDS for _, _, p in each_problem(rid)]
    assert len(probs) >= N * len(RULE_IDS)
    assert any(p["choices"] for p in probs) and any(p["choices"] is None for p in probs)
    vd_sep = [s for rid in RULE_IDS for s in samples(rid)
              if any(p["variants"]["vision_dominant"]["image"] != s.record["image"]
                     for p in s.record["problems"])]
    assert vd_sep and len(vd_sep) < N * len(RULE_IDS)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_sample_is_reproducible(rule_id):
    first = samples(rule_id)[0]
    again = generate_one(DOMAIN, seed=SEED, index=0, rule_id=rule_id)
    assert again.record_line() == first.record_line()
    assert again.files == first.files
