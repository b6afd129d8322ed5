"""The chart vocabulary: the shipped topics, how categories and series are drawn, and the
errors a broken vocabulary file gives (file, line, field)."""
from __future__ import annotations

import hashlib
import pickle

import numpy as np
import pytest

from diagram_engine.domains.chart.vocabulary import (
    MAX_TITLE,
    MONTHS,
    TRENDS,
    YEAR_MAX,
    check_vocabulary,
    default_path,
    digest,
    load_vocabulary,
)
from diagram_engine.errors import RuleError, RuleErrors

SEED = 20240607


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def _kind(vocab, kind):
    return [t for t in vocab.topics if t.categories.kind == kind]


# --- the shipped file -------------------------------------------------------------------------

def test_the_shipped_vocabulary_loads_once_and_records_its_digest(vocab):
    assert load_vocabulary() is vocab                      # cached per process
    assert len(vocab.topics) >= 45
    assert vocab.path == str(default_path())
    expected = hashlib.sha256(default_path().read_bytes()).hexdigest()[:16]
    assert vocab.digest() == digest() == digest(default_path()) == expected
    assert set(vocab.by_id) == {t.id for t in vocab.topics}
    assert len(vocab.by_id) == len(vocab.topics)           # ids unique
    assert vocab.by_id["coffee-sales"].unit == "thousand cups"


def test_the_shipped_vocabulary_has_enough_of_every_kind(vocab):
    assert len(_kind(vocab, "years")) >= 12
    assert len(_kind(vocab, "months")) >= 8
    assert len(_kind(vocab, "names")) >= 15
    shares = [t for t in vocab.topics if t.shares]
    assert len(shares) >= 8
    assert all(t.categories.kind == "names" for t in shares)
    assert any(t.seasonal for t in vocab.topics)


def test_every_title_fills_short_enough_with_every_noun(vocab):
    nouns = {t.category_noun for t in vocab.topics} | {t.series.noun for t in vocab.topics}
    for t in vocab.topics:
        assert len(t.fill_title()) <= MAX_TITLE, t.id
        for noun in nouns:
            filled = t.title.format(category_noun=noun, series_noun=noun)
            assert len(filled) <= MAX_TITLE, (t.id, filled)
            assert "{" not in filled and "}" not in filled


def test_values_are_positive_unless_the_topic_is_a_temperature(vocab):
    for t in vocab.topics:
        lo, hi = t.value_range
        assert lo < hi, t.id
        if t.unit == "°C":
            assert lo >= -30, t.id
        else:
            assert lo > 0, t.id
        if t.unit.startswith("%"):
            assert hi <= 100, t.id
        if t.shares and t.unit == "%":
            assert hi < 100, t.id


def test_trends_and_seasons_fit_the_kind(vocab):
    for t in vocab.topics:
        assert set(t.trends) <= set(TRENDS)
        assert bool(t.trends) == t.ordered, t.id
        if t.seasonal:
            assert t.categories.kind == "months", t.id
        if t.categories.kind == "names":
            assert len(t.categories.names) >= 8
            assert len(set(t.categories.names)) == len(t.categories.names)
        assert len(t.series.names) >= 4
        lo, hi = t.count_range
        assert 2 <= lo <= hi <= t.max_categories, t.id


# --- drawing categories and series ------------------------------------------------------------

def test_categories_and_series_are_deterministic_for_a_seed(vocab):
    for t in vocab.topics:
        a, b = np.random.default_rng(SEED), np.random.default_rng(SEED)
        assert t.categories_for(a, 4) == t.categories_for(b, 4)
        assert t.series_for(a, 3) == t.series_for(b, 3)
        assert t.categories_for(a) == t.categories_for(b)     # n drawn from count_range


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_years_are_consecutive_from_an_allowed_start(vocab, n):
    for t in _kind(vocab, "years"):
        for s in range(5):
            cats = t.categories_for(np.random.default_rng([SEED, s]), n)
            years = [int(c) for c in cats]
            assert len(years) == n and all(c == str(y) for c, y in zip(cats, years))
            assert years == list(range(years[0], years[0] + n))
            first_lo, first_hi = t.categories.first
            assert first_lo <= years[0] <= first_hi and years[-1] <= YEAR_MAX


@pytest.mark.parametrize("n", [1, 3, 6, 12])
def test_months_are_consecutive_within_one_calendar_year(vocab, n):
    """Months never wrap past December: n consecutive months of Jan..Dec."""
    for t in _kind(vocab, "months"):
        for s in range(5):
            cats = t.categories_for(np.random.default_rng([SEED, s]), n)
            assert len(cats) == n
            i = MONTHS.index(cats[0])
            assert cats == list(MONTHS[i:i + n])
    assert _kind(vocab, "months")[0].categories_for(np.random.default_rng(0), 12) == list(MONTHS)


def test_names_are_distinct_and_come_in_a_random_order(vocab):
    orders = set()
    for t in _kind(vocab, "names"):
        n = len(t.categories.names)
        for s in range(5):
            cats = t.categories_for(np.random.default_rng([SEED, s]), n)
            assert sorted(cats) == sorted(t.categories.names)
            orders.add(tuple(cats) == tuple(t.categories.names))
            few = t.categories_for(np.random.default_rng([SEED, s]), 4)
            assert len(set(few)) == 4 and set(few) <= set(t.categories.names)
    assert False in orders                                   # not always the listed order


def test_series_are_distinct_and_keep_the_listed_order(vocab):
    for t in vocab.topics:
        for k in range(1, len(t.series.names) + 1):
            got = t.series_for(np.random.default_rng([SEED, k]), k)
            assert len(got) == len(set(got)) == k
            assert got == [s for s in t.series.names if s in got]


def test_counts_out_of_room_are_refused(vocab):
    rng = np.random.default_rng(SEED)
    months, names = _kind(vocab, "months")[0], _kind(vocab, "names")[0]
    with pytest.raises(ValueError):
        months.categories_for(rng, 13)
    with pytest.raises(ValueError):
        names.categories_for(rng, len(names.categories.names) + 1)
    with pytest.raises(ValueError):
        names.categories_for(rng, 0)
    with pytest.raises(ValueError):
        names.series_for(rng, len(names.series.names) + 1)


# --- broken files -----------------------------------------------------------------------------

GOOD = """\
# a small vocabulary
topics:
  - id: coffee-sales
    title: "Coffee sales by {category_noun}"
    measure: "Sales"
    unit: "thousand cups"
    values: counts
    value_range: [20, 120]
    decimals: 0
    categories:
      kind: years
      first: [2012, 2018]
      count: [5, 10]
    category_noun: "year"
    series:
      noun: "region"
      names: [North, South, East, West]
    trends: [rising, falling]
  - id: city-population
    title: "Population by {category_noun}"
    measure: "Population"
    unit: "thousand people"
    values: counts
    value_range: [80, 900]
    decimals: 0
    categories:
      kind: names
      names: [Lisbon, Oslo, Vienna, Prague, Dublin, Helsinki, Athens, Warsaw]
    category_noun: "city"
    series:
      noun: "age group"
      names: [A, B, C, D]
    shares: true
    trends: []
"""


def _write(tmp_path, text, name="topics.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_the_small_vocabulary_is_valid(tmp_path):
    v = load_vocabulary(_write(tmp_path, GOOD))
    assert [t.id for t in v.topics] == ["coffee-sales", "city-population"]
    assert v.digest() == hashlib.sha256(GOOD.encode()).hexdigest()[:16]
    assert v.by_id["city-population"].shares


BROKEN = [
    # (case, old text, new text, line, field, words in the message)
    ("duplicate-id", "  - id: city-population", "  - id: coffee-sales", 19, "topics[1].id",
     "duplicate topic id"),
    ("lo-not-below-hi", "value_range: [20, 120]", "value_range: [120, 120]", 8,
     "topics[0].value_range", "[120, 120]: the first number"),
    ("unknown-key", '    measure: "Sales"\n', '    measure: "Sales"\n    colour: red\n', 6,
     "topics[0].colour", "unknown key 'colour'"),
    ("misspelt-key", '    unit: "thousand cups"', '    unti: "thousand cups"', 6, "topics[0].unti",
     "did you mean 'unit'"),
    ("bad-placeholder", '"Coffee sales by {category_noun}"', '"Coffee sales by {city}"', 4,
     "topics[0].title", "{city}"),
    ("unclosed-brace", '"Coffee sales by {category_noun}"', '"Coffee sales by {category_noun"', 4,
     "topics[0].title", "braces"),
    ("too-few-names", "names: [Lisbon, Oslo, Vienna, Prague, Dublin, Helsinki, Athens, Warsaw]",
     "names: [Lisbon, Oslo, Vienna]", 28, "topics[1].categories.names", "at least 8 names"),
    ("repeated-name", "names: [Lisbon, Oslo, Vienna, Prague, Dublin, Helsinki, Athens, Warsaw]",
     "names: [Lisbon, Oslo, Vienna, Prague, Dublin, Helsinki, Athens, lisbon]", 28,
     "topics[1].categories.names", "appears twice"),
    ("too-few-series", "names: [North, South, East, West]", "names: [North, South]", 17,
     "topics[0].series.names", "at least 4"),
    ("decimals", "    decimals: 0\n    categories:\n      kind: years",
     "    decimals: 2\n    categories:\n      kind: years", 9, "topics[0].decimals", "0 or 1"),
    ("unknown-trend", "trends: [rising, falling]", "trends: [rising, wobbly]", 18,
     "topics[0].trends[1]", "wobbly"),
    ("first-year-range", "first: [2012, 2018]", "first: [1900, 1910]", 12,
     "topics[0].categories.first", "1950"),
    ("years-without-first", "      first: [2012, 2018]\n", "", 11, "topics[0].categories.kind",
     "needs 'first"),
    ("seasonal-years", "    trends: [rising, falling]\n", "    trends: [rising, falling]\n    seasonal: true\n",
     19, "topics[0].seasonal", "only kind months"),
    ("trends-on-names", "    trends: []\n", "    trends: [rising]\n", 34, "topics[1].trends",
     "no order"),
    ("shares-on-years", "    trends: [rising, falling]\n", "    trends: [rising, falling]\n    shares: true\n",
     19, "topics[0].shares", "kind names"),
    ("title-too-long", '"Coffee sales by {category_noun}"',
     '"Coffee sales in cafés, kiosks and vending machines by {category_noun}"', 4,
     "topics[0].title", "characters"),
    ("bad-slug", "  - id: coffee-sales", "  - id: Coffee Sales", 3, "topics[0].id", "pattern"),
    ("series-name-number", "names: [North, South, East, West]", "names: [North, South, East, 2021]", 17,
     "topics[0].series.names[3]", "string"),
    ("unknown-top-key", "topics:\n", "topic:\n", 2, "topic", "unknown key 'topic'"),
    # what the values are: required, one of the kinds, and fitting the unit and the whole
    ("values-missing", "    values: counts\n    value_range: [20, 120]", "    value_range: [20, 120]", 3,
     "topics[0].values", "Field required"),
    ("values-unknown", "    values: counts\n    value_range: [20, 120]", "    values: heaps\n    value_range: [20, 120]",
     7, "topics[0].values", "'heaps'"),
    ("percent-counted", '    unit: "thousand cups"\n    values: counts', '    unit: "%"\n    values: counts', 7,
     "topics[0].values", "shares of one whole or rates"),
    ("shares-not-percent", '    unit: "thousand people"\n    values: counts', '    unit: "thousand people"\n    values: shares',
     22, "topics[1].unit", "the unit is %"),
    ("averages-as-parts", '    unit: "thousand people"\n    values: counts', '    unit: "thousand people"\n    values: averages',
     23, "topics[1].values", "parts add up"),
    # drawn text: no matplotlib math text, no control or invisible characters
    ("dollar-title", '"Coffee sales by {category_noun}"', '"Coffee sales in $ by {category_noun}"', 4,
     "topics[0].title", "math text"),
    ("mathtext-title", '"Coffee sales by {category_noun}"', '"Sales $\\\\sqrt{\\\\sqrt{x}}$ by {category_noun}"', 4,
     "topics[0].title", "'$'"),
    ("dollar-unit", '    unit: "thousand cups"', '    unit: "$ thousand"', 6, "topics[0].unit", "USD"),
    ("dollar-series", "names: [North, South, East, West]", "names: [North, South, East, $West]", 17,
     "topics[0].series.names", "'$'"),
    ("bidi-category", "names: [Lisbon, Oslo, Vienna, Prague, Dublin, Helsinki, Athens, Warsaw]",
     'names: [Lisbon, Oslo, Vienna, Prague, Dublin, Helsinki, Athens, "War\\u202esaw"]', 28,
     "topics[1].categories.names", "U+202E"),
    ("surrogate-title", '"Coffee sales by {category_noun}"', '"Coffee \\ud800 by {category_noun}"', 4,
     "topics[0].title", "unicode string"),
    ("huge-title", '"Coffee sales by {category_noun}"', '"' + "x" * 300_000 + ' {category_noun}"', 4,
     "topics[0].title", "at most 80 characters"),
    ("newline-measure", '    measure: "Sales"', '    measure: "Sa\\nles"', 5, "topics[0].measure", "U+000A"),
]


@pytest.mark.parametrize("case,old,new,line,field,words", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_vocabulary_names_the_line_and_the_field(tmp_path, case, old, new, line, field, words):
    assert GOOD.count(old) == 1, case
    p = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(RuleErrors) as info:
        load_vocabulary(p)
    e = info.value
    assert isinstance(e, RuleError)
    assert (e.path, e.line, e.field) == (str(p), line, field), str(e)
    assert words in e.message, e.message
    assert f"{p}:{line}: {field}: " in str(e)
    again = pickle.loads(pickle.dumps(e))                     # crosses process boundaries intact
    assert str(again) == str(e)


def test_every_error_of_a_file_is_listed_in_line_order(tmp_path):
    text = (GOOD.replace("value_range: [20, 120]", "value_range: [120, 20]")
                .replace("names: [A, B, C, D]", "names: [A, B]")
                .replace("    decimals: 0\n    categories:\n      kind: names",
                         "    decimals: 3\n    categories:\n      kind: names"))
    vocab, errors = check_vocabulary(_write(tmp_path, text))
    assert vocab is None
    assert [(e.line, e.field) for e in errors] == [
        (8, "topics[0].value_range"), (25, "topics[1].decimals"), (32, "topics[1].series.names")]


def test_every_cross_field_error_is_listed(tmp_path):
    text = (GOOD.replace("  - id: city-population", "  - id: coffee-sales")
                .replace("    trends: []\n", "    trends: [peak]\n    seasonal: true\n"))
    _, errors = check_vocabulary(_write(tmp_path, text))
    assert [(e.line, e.field) for e in errors] == [
        (19, "topics[1].id"), (34, "topics[1].trends"), (35, "topics[1].seasonal")]


@pytest.mark.parametrize("text,line,words", [
    ("", None, "empty"),
    ("# only a comment\n", None, "empty"),
    ("- id: a\n", 1, "mapping"),
    ("topics: []\n", 1, "at least 1"),
    ("topics:\n  - id: a\n    id: b\n", 3, "duplicate key"),
    ("topics: [\n", 2, "YAML error"),
])
def test_files_that_are_not_a_vocabulary(tmp_path, text, line, words):
    p = _write(tmp_path, text)
    with pytest.raises(RuleError) as info:
        load_vocabulary(p)
    assert info.value.path == str(p) and info.value.line == line, str(info.value)
    assert words in str(info.value)


def test_a_missing_file_is_a_rule_error(tmp_path):
    with pytest.raises(RuleError, match="cannot read"):
        load_vocabulary(tmp_path / "nope.yaml")


def test_the_vocabulary_and_its_topics_pickle(vocab):
    """Worker processes may receive topics or the whole vocabulary."""
    again = pickle.loads(pickle.dumps(vocab))
    assert again == vocab and again.digest() == vocab.digest()
    assert again.by_id["energy-mix"] == vocab.by_id["energy-mix"]
    t = vocab.topics[0]
    assert pickle.loads(pickle.dumps(t)) == t
    with pytest.raises(TypeError):
        vocab.by_id["x"] = t                                     # read-only


# --- the vocabulary is part of every chart rule's digest ---------------------------------------

def _vocabulary_copy(tmp_path, change: bool):
    from diagram_engine.domains.chart.vocabulary import default_path
    text = default_path().read_text(encoding="utf-8")
    p = tmp_path / ("changed.yaml" if change else "same.yaml")
    p.write_text(text + ("\n# one more comment\n" if change else ""), encoding="utf-8")
    return p


def test_every_chart_rule_digest_covers_the_vocabulary(tmp_path, monkeypatch):
    from diagram_engine.core.registry import DOMAINS
    from diagram_engine.rules import (
        check_rule_file,
        collect_rule_files,
        shipped_rules_dir,
    )
    files = collect_rule_files([shipped_rules_dir() / "chart"])
    shipped = {f: check_rule_file(f)[0].digest for f in files}
    charts = type(DOMAINS["chart"])
    for change in (False, True):
        copy = _vocabulary_copy(tmp_path, change)
        monkeypatch.setattr(charts, "data_paths", lambda self, p=copy: [p])
        got = {f: check_rule_file(f)[0].digest for f in files}
        if change:
            assert all(got[f] != shipped[f] for f in files)
        else:
            assert got == shipped
    # the other domains read no data file: their digests do not move
    assert all(not d.data_files for n, d in DOMAINS.items() if n != "chart")


def test_resuming_a_chart_run_after_the_vocabulary_changed_is_refused(tmp_path, monkeypatch):
    from diagram_engine import generate
    from diagram_engine.core.registry import DOMAINS
    from diagram_engine.errors import UserError
    out = tmp_path / "run"
    generate("chart", 2, out, workers=1, progress=False)
    copy = _vocabulary_copy(tmp_path, True)
    monkeypatch.setattr(type(DOMAINS["chart"]), "data_paths", lambda self: [copy])
    with pytest.raises(UserError, match="rule_set_digest"):
        generate("chart", 4, out, workers=1, progress=False, resume=True)
