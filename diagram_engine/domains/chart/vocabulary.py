"""Chart vocabulary: the topics a chart may be about, so its data reads like a real chart's.

A topic gives the title, what the value axis measures and in which unit, what its values are
(counts, amounts, shares of one whole, rates, averages, indices: which decides what may be
added up, stacked or put in a pie), a plausible range of values, how the category axis is
made (consecutive years, consecutive months, or entity names), the names of the series,
whether the categories are parts of a whole, and which trend shapes make sense. The shipped topics are ``rules/chart/vocabulary/topics.yaml``.

:func:`check_vocabulary` returns every error of a vocabulary file; :func:`load_vocabulary`
raises them together as one :class:`~diagram_engine.errors.RuleErrors`. Each error names the
file, the line and the field. The shipped vocabulary is loaded once per process.
"""
from __future__ import annotations

import functools
import hashlib
import string
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from pydantic import Field, PrivateAttr, ValidationError, field_validator

from ...core.rule import SLUG, Strict, check_range, pydantic_errors
from ...errors import RuleError, RuleErrors
from ...resources import data_dir
from ...yamlio import line_of, load_yaml_with_lines, loc_text

__all__ = [
    "CATEGORY_KINDS",
    "MAX_TITLE",
    "MONTHS",
    "SHAPES",
    "TITLE_FIELDS",
    "TRENDS",
    "VALUE_KINDS",
    "YEAR_MAX",
    "YEAR_MIN",
    "Categories",
    "Distribution",
    "Series",
    "Topic",
    "Vocabulary",
    "axis_label",
    "check_vocabulary",
    "default_path",
    "digest",
    "load_vocabulary",
]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TRENDS = ("rising", "falling", "peak", "dip", "steady")
# what a topic's values are: counts and amounts add up over the categories and the series;
# shares (percentages of one whole, each series a whole split into the categories) over the
# categories only, to at most 100; rates, averages and indices never
VALUE_KINDS = ("counts", "amounts", "shares", "rates", "averages", "indices")
ADDITIVE = ("counts", "amounts")
INTERVAL_UNITS = ("°C", "°F")       # a temperature's zero is arbitrary: no ratios, no percent changes
CATEGORY_KINDS = ("years", "months", "names")
TITLE_FIELDS = ("category_noun", "series_noun")
YEAR_MIN, YEAR_MAX = 1950, 2030
MAX_TITLE = 45          # characters of a filled-in title
MIN_NAMES = 8           # entity names of a topic whose categories are names
MIN_SERIES = 4
MAX_NAME = 24           # characters of one category or series name (a tick label, a legend entry)
# the number of categories when a topic does not say
DEFAULT_COUNT = {"years": (5, 10), "months": (6, 12), "names": (4, 8)}

Trend = Literal[TRENDS]


def _singular(word: str) -> str:
    w = word.lower()
    return w[:-1] if len(w) > 3 and w.endswith("s") else w


def unit_repeats_measure(measure: str, unit: str) -> bool:
    """Whether the unit is a single word the measure already says (Goals, goals; Students per
    teacher, students): the unit would only repeat it."""
    return " " not in unit.strip() and _singular(unit) in {_singular(w) for w in measure.split()}


def axis_label(measure: str, unit: str) -> str:
    """The value axis label: "Visitors (thousand visitors)", or the measure alone when the unit
    only repeats it ("Goals", not "Goals (goals)")."""
    return measure if unit_repeats_measure(measure, unit) else f"{measure} ({unit})"


def _drawable(v: str, what: str = "the text") -> str:
    """A text the chart draws: no ``$`` (matplotlib reads ``$...$`` as math text, which can
    fail to parse or recurse deeply) and no control, format or unassigned characters (a line
    break, a bidirectional override, a zero-width character)."""
    if "$" in v:
        raise ValueError(f"{what} holds '$', which the chart would read as math text; write USD "
                         "(or the currency's name) instead")
    bad = next((c for c in v if unicodedata.category(c)[0] == "C"), None)
    if bad is not None:
        raise ValueError(f"{what} holds the control or invisible character U+{ord(bad):04X} "
                         f"({unicodedata.name(bad, 'unnamed')}); a chart draws plain text only")
    return v


def _check_names(v: list[str], what: str) -> list[str]:
    seen: dict[str, int] = {}
    for i, name in enumerate(v):
        if not name.strip():
            raise ValueError(f"{what} {i + 1} is empty")
        _drawable(name, f"{what} {name!r}")
        if name != name.strip():
            raise ValueError(f"{what} {name!r} has leading or trailing spaces")
        if len(name) > MAX_NAME:
            raise ValueError(f"{what} {name!r} is longer than {MAX_NAME} characters")
        key = name.casefold()
        if key in seen:
            raise ValueError(f"{what} {name!r} appears twice (entries {seen[key] + 1} and {i + 1})")
        seen[key] = i
    return v


def _nonblank(v: str) -> str:
    if not v.strip():
        raise ValueError("must not be blank")
    return _drawable(v)


class Categories(Strict):
    """How the category axis is made."""
    kind: Literal[CATEGORY_KINDS] = Field(description="`years`: consecutive years; `months`: "
                                          "consecutive months Jan..Dec within one calendar year; "
                                          "`names`: distinct entity names in a random order.")
    first: tuple[int, int] | None = Field(None, description="kind years only, and required there: "
                                          f"[earliest, latest] first year, within [{YEAR_MIN}, {YEAR_MAX}].")
    count: tuple[int, int] | None = Field(None, description="[min, max] number of categories that suit "
                                          "the topic; default years [5, 10], months [6, 12], names [4, 8] "
                                          "(at most the number of names).")
    names: list[str] | None = Field(None, description=f"kind names only, and required there: at "
                                     f"least {MIN_NAMES} distinct entity names.")

    @field_validator("first")
    @classmethod
    def _first(cls, v):
        return v if v is None else check_range(v, YEAR_MIN, YEAR_MAX, "first years")

    @field_validator("count")
    @classmethod
    def _count(cls, v):
        return v if v is None else check_range(v, 2, 40, "count")

    @field_validator("names")
    @classmethod
    def _names(cls, v):
        return v if v is None else _check_names(v, "name")


class Series(Strict):
    """The series of multi-series charts."""
    noun: str = Field(min_length=1, max_length=24, description="Singular noun of a series "
                      "(region, age group, product line).")
    names: list[str] = Field(min_length=MIN_SERIES, max_length=40,
                              description=f"At least {MIN_SERIES} distinct names; charts use them in "
                              "this order (which may be meaningful: age groups, quarters).")

    @field_validator("noun")
    @classmethod
    def _noun(cls, v):
        return _nonblank(v)

    @field_validator("names")
    @classmethod
    def _names(cls, v):
        return _check_names(v, "series name")


class Topic(Strict):
    """One chart topic."""
    id: str = Field(pattern=SLUG, description="Lower-case slug, unique in the vocabulary.")
    title: str = Field(min_length=1, max_length=80, description="Chart title; may hold "
                       "{category_noun} and {series_noun}; at most 45 characters once filled.")
    measure: str = Field(min_length=1, max_length=40, description="What the value axis measures "
                         "(its label without the unit).")
    unit: str = Field(min_length=1, max_length=30, description="Unit of the values: %, mm, °C, "
                      "million USD, students...")
    values: Literal[VALUE_KINDS] = Field(description="What the values are: counts (visitors, cases), "
                                         "amounts (tonnes, USD), shares (percentages of one whole: each "
                                         "series is a whole split into the categories; needs shares: true "
                                         "and unit %), rates (per person, per period, percentages of "
                                         "separate wholes), averages, indices. Counts and amounts add up "
                                         "over the categories and the series, shares over the categories "
                                         "(to at most 100), the others never.")
    value_range: tuple[float, float] = Field(description="[lo, hi], lo < hi: plausible values for "
                                             "one category of one series.")
    decimals: Literal[0, 1] = Field(description="0 or 1: decimal places of the values.")
    categories: Categories
    category_noun: str = Field(min_length=1, max_length=24, description="Singular noun of the "
                               "category axis (year, month, city, product).")
    series: Series
    shares: bool = Field(False, description="The categories are parts of a whole (each series is "
                         "one whole): pie, donut and percentage charts. Kind names only.")
    trends: list[Trend] = Field(default_factory=list, description="Trend shapes allowed over "
                                "ordered categories (years, months): at least one there; [] for "
                                "kind names.")
    seasonal: bool = Field(False, description="A yearly seasonal pattern (kind months only).")

    @field_validator("measure", "unit", "category_noun")
    @classmethod
    def _blank(cls, v):
        return _nonblank(v)

    @field_validator("title")
    @classmethod
    def _title(cls, v):
        _drawable(v, "the title")
        try:
            parts = list(string.Formatter().parse(v))
        except ValueError as e:
            raise ValueError(f"bad braces in the title ({e}); write {{{{ and }}}} for literal braces "
                             "or use {category_noun} / {series_noun}") from None
        for _, name, spec, conv in parts:
            if name is None:
                continue
            if name not in TITLE_FIELDS:
                raise ValueError(f"unknown placeholder {{{name}}} in the title; only "
                                 "{category_noun} and {series_noun} may appear")
            if spec or conv:
                raise ValueError(f"placeholder {{{name}}} takes no format spec or conversion")
        return v

    @field_validator("value_range")
    @classmethod
    def _value_range(cls, v):
        lo, hi = v
        if not (abs(lo) < 1e9 and abs(hi) < 1e9):
            raise ValueError(f"value_range must be finite numbers below 1e9, got [{lo:g}, {hi:g}]")
        if lo >= hi:
            raise ValueError(f"value_range [{lo:g}, {hi:g}]: the first number (lowest value) must be "
                             "less than the second (highest value)")
        return v

    @field_validator("trends")
    @classmethod
    def _trends(cls, v):
        dup = sorted({t for t in v if v.count(t) > 1})
        if dup:
            raise ValueError(f"trend {dup[0]!r} is listed twice")
        return v

    # --- derived ----------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.categories.kind

    @property
    def ordered(self) -> bool:
        """Years and months have an order (trends make sense); names do not."""
        return self.categories.kind != "names"

    @property
    def count_range(self) -> tuple[int, int]:
        """[min, max] number of categories that suit the topic."""
        if self.categories.count is not None:
            return self.categories.count
        lo, hi = DEFAULT_COUNT[self.categories.kind]
        if self.categories.kind == "names":
            hi = min(hi, len(self.categories.names or ()))
        return lo, hi

    @property
    def max_categories(self) -> int:
        """The most categories :meth:`categories_for` can draw."""
        c = self.categories
        if c.kind == "names":
            return len(c.names or ())
        if c.kind == "months":
            return 12
        return YEAR_MAX - c.first[0] + 1

    @property
    def adds_over_categories(self) -> bool:
        """Whether values of one series add up over its categories (a total, a running total,
        shares summed): counts, amounts, and the shares of one whole."""
        return self.values in ADDITIVE + ("shares",)

    @property
    def adds_over_series(self) -> bool:
        """Whether the values of the series at one category add up (a stack, the total of a
        category): counts and amounts; shares are parts of different wholes."""
        return self.values in ADDITIVE

    @property
    def ratio_scale(self) -> bool:
        """Whether one value may be called a multiple or a percent change of another: not an
        index, not a temperature."""
        return self.values != "indices" and self.unit not in INTERVAL_UNITS

    @property
    def mentions_series(self) -> bool:
        """The title names the series noun ("... by region"): it suits a multi-series chart."""
        return "{series_noun}" in self.title

    def fill_title(self, category_noun: str | None = None, series_noun: str | None = None) -> str:
        """The title with its nouns filled in (the topic's own nouns by default)."""
        return self.title.format(category_noun=category_noun or self.category_noun,
                                 series_noun=series_noun or self.series.noun)

    def categories_for(self, rng, n: int | None = None) -> list[str]:
        """``n`` category labels drawn with the numpy Generator ``rng`` (deterministic for it).

        * years: ``n`` consecutive years, the first one uniform in ``first`` (kept so the last
          is at most 2030), e.g. ``["2013", "2014", "2015"]``;
        * months: ``n`` consecutive months within one calendar year (never wrapping past Dec),
          the first one uniform among those that fit, e.g. ``["Mar", "Apr", "May"]``;
        * names: ``n`` distinct names, in a random order.

        ``n=None`` draws the number from :attr:`count_range`. Raises ValueError when ``n`` is
        below 1 or above :attr:`max_categories`.
        """
        c = self.categories
        if n is None:
            lo, hi = self.count_range
            n = int(rng.integers(lo, hi + 1))
        n = int(n)
        if not 1 <= n <= self.max_categories:
            raise ValueError(f"topic {self.id!r} has room for 1 to {self.max_categories} "
                             f"categories, not {n}")
        if c.kind == "years":
            lo, hi = c.first[0], min(c.first[1], YEAR_MAX - n + 1)
            start = int(rng.integers(lo, hi + 1))
            return [str(start + i) for i in range(n)]
        if c.kind == "months":
            start = int(rng.integers(0, 12 - n + 1))
            return list(MONTHS[start:start + n])
        idx = rng.choice(len(c.names), size=n, replace=False)
        return [c.names[int(i)] for i in idx]

    def series_for(self, rng, k: int) -> list[str]:
        """``k`` distinct series names drawn with ``rng``, kept in the order the topic lists
        them (an order that may be meaningful: age groups, quarters, years)."""
        names = self.series.names
        k = int(k)
        if not 1 <= k <= len(names):
            raise ValueError(f"topic {self.id!r} has 1 to {len(names)} series names, not {k}")
        idx = sorted(int(i) for i in rng.choice(len(names), size=k, replace=False))
        return [names[i] for i in idx]


SHAPES = ("normal", "right-skewed", "left-skewed", "uniform", "bimodal")
BINS = (4, 10)          # [min, max] bins of a histogram


class Distribution(Strict):
    """What a histogram is about: a sample of one measured variable."""
    id: str = Field(pattern=SLUG, description="Lower-case slug, unique among the distributions.")
    title: str = Field(min_length=1, max_length=MAX_TITLE, description=f"Chart title, at most {MAX_TITLE} "
                       "characters.")
    variable: str = Field(min_length=1, max_length=30, description="The measured variable (the x axis "
                          "label without the unit): Height, Commute time.")
    unit: str = Field(min_length=1, max_length=20, description="Unit of the values: cm, min, kg.")
    noun: str = Field(min_length=1, max_length=24, description="Plural noun of what is counted: "
                      "students, days, parcels.")
    range: tuple[float, float] = Field(description="[lo, hi], lo < hi: the values lie in it, and the "
                                       "bins cover it from lo to hi.")
    widths: list[float] = Field(min_length=1, description=f"Bin widths; each splits the range into "
                                f"{BINS[0]} to {BINS[1]} whole bins.")
    count: tuple[int, int] = Field(description="[min, max] sample size, within [20, 500].")
    decimals: Literal[0, 1] = Field(description="0 or 1: decimal places of the values.")
    shapes: list[Literal[SHAPES]] = Field(min_length=1, description="Shapes the sample may have: "
                                          + ", ".join(SHAPES) + ".")

    @field_validator("title", "variable", "unit", "noun")
    @classmethod
    def _blank(cls, v):
        return _nonblank(v)

    @field_validator("range")
    @classmethod
    def _range(cls, v):
        lo, hi = v
        if not (abs(lo) < 1e6 and abs(hi) < 1e6) or lo >= hi:
            raise ValueError(f"range [{lo:g}, {hi:g}] must be finite with lo < hi")
        return v

    @field_validator("count")
    @classmethod
    def _count(cls, v):
        return check_range(v, 20, 500, "count")

    def bins(self, width: float) -> int:
        return round((self.range[1] - self.range[0]) / width)


def _distribution_errors(d: Distribution) -> list[tuple[tuple, str]]:
    out = []
    lo, hi = d.range
    for i, w in enumerate(d.widths):
        n = (hi - lo) / w if w > 0 else 0
        if w <= 0 or abs(n - round(n)) > 1e-9 or not BINS[0] <= round(n) <= BINS[1]:
            out.append((("widths", i), (f"width {w:g} must split the range [{lo:g}, {hi:g}] into "
                                        f"{BINS[0]} to {BINS[1]} whole bins")))
        if d.decimals == 0 and (w != int(w) or lo != int(lo)):
            out.append((("widths", i), (f"whole-number values need whole-number bin edges (width {w:g}, "
                                        f"from {lo:g})")))
    return out


class Vocabulary(Strict):
    """The topics of one vocabulary file."""
    topics: list[Topic] = Field(min_length=1, description="The chart topics.")
    distributions: list[Distribution] = Field(default_factory=list, description="What histograms "
                                              "are about.")
    _by_id: dict[str, Topic] = PrivateAttr(default_factory=dict)
    _by_distribution: dict[str, Distribution] = PrivateAttr(default_factory=dict)
    _digest: str = PrivateAttr("")
    _path: str = PrivateAttr("")

    def model_post_init(self, _context, /) -> None:
        self._by_id = {t.id: t for t in self.topics}
        self._by_distribution = {d.id: d for d in self.distributions}

    @property
    def by_id(self) -> Mapping[str, Topic]:
        """``{topic id: topic}``, read-only."""
        return MappingProxyType(self._by_id)

    @property
    def by_distribution(self) -> Mapping[str, Distribution]:
        """``{distribution id: distribution}``, read-only."""
        return MappingProxyType(self._by_distribution)

    @property
    def path(self) -> str:
        """The file the vocabulary was loaded from ("" when built in code)."""
        return self._path

    def digest(self) -> str:
        """sha256 hex[:16] of the file's bytes ("" when built in code)."""
        return self._digest


# --- checks that need more than one field -----------------------------------------------------

def _topic_errors(t: Topic) -> list[tuple[tuple, str]]:
    """(loc within the topic, message) of every cross-field error of a topic."""
    out: list[tuple[tuple, str]] = []
    c = t.categories
    if c.kind == "years" and c.first is None:
        out.append((("categories", "kind"), ("kind years needs 'first: [earliest, latest]', the "
                                             "range of the first year")))
    if c.kind != "years" and c.first is not None:
        out.append((("categories", "first"), f"only kind years takes 'first' (this is kind {c.kind})"))
    if c.kind == "names":
        if c.names is None:
            out.append((("categories", "kind"), (f"kind names needs 'names', a list of at least "
                                                 f"{MIN_NAMES} entity names")))
        elif len(c.names) < MIN_NAMES:
            out.append((("categories", "names"), (f"kind names needs at least {MIN_NAMES} names, "
                                                  f"got {len(c.names)}")))
    elif c.names is not None:
        out.append((("categories", "names"), f"only kind names takes 'names' (this is kind {c.kind})"))
    if c.count is not None:
        _, hi = c.count
        if c.kind == "months" and hi > 12:
            out.append((("categories", "count"), f"a year has 12 months; count goes up to {hi}"))
        if c.kind == "names" and c.names is not None and hi > len(c.names):
            out.append((("categories", "count"), (f"count goes up to {hi} but there are only "
                                                  f"{len(c.names)} names")))
        if c.kind == "years" and c.first is not None and c.first[1] + hi - 1 > YEAR_MAX:
            out.append((("categories", "count"), f"{hi} years from {c.first[1]} end after {YEAR_MAX}"))
    if t.seasonal and c.kind != "months":
        out.append((("seasonal",), f"only kind months can be seasonal (this is kind {c.kind})"))
    if t.shares and c.kind != "names":
        out.append((("shares",), "shares needs kind names: the categories are the parts of the whole"))
    if t.values == "shares":
        if not t.shares:
            out.append((("values",), "values: shares are the parts of one whole: write shares: true (the "
                                     "categories are the parts), or say what else the values are"))
        if t.unit != "%":
            out.append((("unit",), f"values: shares are percentages: the unit is %, not {t.unit!r}"))
        if t.value_range[1] > 100:
            out.append((("value_range",), f"a share of one whole is at most 100, not {t.value_range[1]:g}"))
    elif t.shares and t.values not in ADDITIVE:
        out.append((("values",), f"shares: true makes the categories parts of one whole, which {t.values} "
                                 "are not: parts add up (counts, amounts or shares)"))
    if t.unit.startswith("%") and t.values not in ("shares", "rates"):
        out.append((("values",), f"values in {t.unit} are shares of one whole or rates, not {t.values}"))
    if c.kind == "names" and t.trends:
        out.append((("trends",), "names have no order, so no trend: write trends: []"))
    if c.kind != "names" and not t.trends:
        out.append((("trends",), f"kind {c.kind} is ordered: list at least one of {', '.join(TRENDS)}"))
    filled = t.fill_title()
    if len(filled) > MAX_TITLE:
        out.append((("title",), (f"the filled title {filled!r} has {len(filled)} characters; "
                                 f"keep it to {MAX_TITLE}")))
    return out


def default_path() -> Path:
    return data_dir("rules") / "chart" / "vocabulary" / "topics.yaml"


def check_vocabulary(path=None) -> tuple[Vocabulary | None, list[RuleError]]:
    """Load a vocabulary file; return it (None when invalid) and every error found, in line order."""
    path = Path(path) if path is not None else default_path()
    sp = str(path)
    try:
        data, lines = load_yaml_with_lines(path)
        raw = path.read_bytes()
    except RuleError as e:
        return None, [e]
    except OSError as e:
        return None, [RuleError(sp, None, "", f"cannot read: {e.strerror or e}")]
    if data is None:
        return None, [RuleError(sp, None, "", "the file is empty; a vocabulary is a mapping with "
                                "the key 'topics'")]
    if not isinstance(data, dict):
        return None, [RuleError(sp, lines.get((), 1), "", "a vocabulary file holds one mapping "
                                f"with the key 'topics', not a {type(data).__name__}")]
    try:
        vocab = Vocabulary.model_validate(data)
    except ValidationError as e:
        return None, sorted(pydantic_errors(e, Vocabulary, sp, lines), key=lambda r: r.line or 0)
    errs: list[tuple[tuple, str]] = []
    first_line: dict[str, int | None] = {}
    for i, t in enumerate(vocab.topics):
        at = ("topics", i)
        if t.id in first_line:
            where = f" (first at line {first_line[t.id]})" if first_line[t.id] else ""
            errs.append((at + ("id",), f"duplicate topic id {t.id!r}{where}"))
        else:
            first_line[t.id] = line_of(lines, at + ("id",))
        errs += [(at + loc, msg) for loc, msg in _topic_errors(t)]
    seen: dict[str, int] = {}
    for i, d in enumerate(vocab.distributions):
        at = ("distributions", i)
        if d.id in seen:
            errs.append((at + ("id",), f"duplicate distribution id {d.id!r}"))
        seen[d.id] = i
        errs += [(at + loc, msg) for loc, msg in _distribution_errors(d)]
    if errs:
        return None, sorted((RuleError(sp, line_of(lines, loc), loc_text(loc), msg) for loc, msg in errs),
                            key=lambda r: r.line or 0)
    vocab._digest = hashlib.sha256(raw).hexdigest()[:16]
    vocab._path = sp
    return vocab, []


@functools.lru_cache(maxsize=1)
def _shipped() -> Vocabulary:
    return _load(default_path())


def _load(path: Path) -> Vocabulary:
    vocab, errors = check_vocabulary(path)
    if errors:
        raise RuleErrors(errors)
    return vocab


def load_vocabulary(path=None) -> Vocabulary:
    """The vocabulary of ``path``; the shipped one, loaded once per process, when None.
    Raises :class:`RuleErrors` (file, line, field of each error) when the file is invalid."""
    return _shipped() if path is None else _load(Path(path))


def digest(path=None) -> str:
    """sha256 hex[:16] of a vocabulary file's bytes (the shipped file when None), for the
    dataset manifest."""
    if path is None:
        return load_vocabulary().digest()
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
