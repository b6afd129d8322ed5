"""From rules to samples: ``generate_one`` (pure) and ``generate`` (batches, workers, shards).

``generate_one(domain, seed, index)`` depends on nothing but its arguments and the rule and
template files, so a sample built alone equals the same sample built in a batch, in any
process, with any worker count.
"""
from __future__ import annotations

import bisect
import json
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .version import __version__
from .core.registry import DOMAINS, get_domain
from .core import Job
from .core.options import check_options
from .core.problem import agree, copied_given, write_problem
from .core.bounds import SIZE, choice
from .errors import (DiagramEngineError, NoSampleError, OptionError, Rejected, RuleError, RuleErrors, UserError,
                     VerificationError)
from .resources import data_dir
from .rules import LoadedRule, load_rules
from .seeding import STREAM_PICK_RULE, digest, rng_for
from .text import load_phrasebook
from .yamlio import line_of, load_yaml_with_lines, loc_text

__all__ = ["Options", "Sample", "RuleSet", "MixedRuleSet", "generate_one", "iter_samples", "MAX_ATTEMPTS",
           "sample_id", "parse_id", "load_ruleset"]

MAX_ATTEMPTS = 200
_PHRASEBOOKS: dict = {}   # per process: template files are read once
_CHECKED: dict = {}       # phrasebooks whose rule's required slots were checked
RASTERIZERS = ("cairo", "cairosvg")


@dataclass(frozen=True)
class Options:
    size: int = 512
    rasterizer: str = "cairo"
    templates: str | None = None      # folder holding <domain>/*.yaml; default: shipped
    check_templates: bool = False     # render every phrasing of each slot used (rules validate)
    svg: bool = True                  # write each sample's SVG (a domain that draws it separately is faster without)
    strict: bool = False              # an engine bug in an attempt stops the run (else: logged, next attempt)

    def phrasebook(self, domain: str, extra: tuple[str, ...] = ()):
        """The domain's phrasebook, with a rule's own template files layered on top."""
        key = (self.templates, domain, extra)
        pb = _PHRASEBOOKS.get(key)
        if pb is None:
            root = Path(self.templates) if self.templates else data_dir("templates")
            pb = _PHRASEBOOKS[key] = load_phrasebook(root / domain, extra)
        return pb

    def phrasebook_for(self, rule: LoadedRule):
        """The phrasebook a rule's samples speak with; the first time, checks that it holds
        every slot the rule needs (its own shapes' nouns, properties and reasons)."""
        key = (self.templates, rule.domain, rule.templates, rule.digest)
        pb = _CHECKED.get(key)
        if pb is None:
            pb = self.phrasebook(rule.domain, rule.templates)
            missing = missing_slots(rule, pb)
            if missing:
                raise RuleErrors(missing)
            pb = _CHECKED[key] = pb.checking() if self.check_templates else pb
        return pb

    def templates_digest(self, domain: str) -> str:
        """Digest of the domain's template files: the wording is part of the dataset too."""
        import hashlib
        root = Path(self.templates) if self.templates else data_dir("templates")
        h = hashlib.sha256()
        for f in sorted((root / domain).glob("*.yaml")):
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        return h.hexdigest()[:16]

    def check(self) -> None:
        if self.templates is not None and not (Path(self.templates)).is_dir():
            raise OptionError("templates", self.templates, "is not a folder")
        SIZE.check("size", self.size)
        choice("rasterizer", self.rasterizer, RASTERIZERS)
        if not self.svg and self.rasterizer == "cairosvg":
            raise OptionError("rasterizer", self.rasterizer, "draws the PNG from the SVG; it cannot be used "
                              "with {svg=False}")


@dataclass
class Sample:
    """One generated sample: its record and the files it writes (paths relative to OUT)."""
    id: str
    record: dict
    files: dict[str, bytes]
    rejections: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)   # engine bugs met by earlier attempts (see bug_entry)

    def record_line(self) -> str:
        return json.dumps(self.record, ensure_ascii=False, separators=(",", ":")) + "\n"

    @property
    def png(self) -> bytes:
        return self.files[self.record["image"]]

    @property
    def svg(self) -> str | None:
        """The SVG text (None when made with ``svg=False``)."""
        return self.files[self.record["svg"]].decode() if self.record["svg"] else None


def _load_for(domains, rule_paths, include_shipped: bool) -> list[LoadedRule]:
    """``load_rules``, refusing a rule file named on its own (not found in a folder) whose
    domain the run does not make: a mistake, not a rule to skip silently (its templates would
    not even be checked)."""
    rules = load_rules(rule_paths, include_shipped)
    named = {str(Path(p).resolve()) for p in rule_paths if Path(p).is_file()}
    for r in rules:
        if r.domain not in domains and str(Path(r.path).resolve()) in named:
            lines = load_yaml_with_lines(Path(r.path))[1]
            raise RuleError(r.path, line_of(lines, ("domain",)), "domain",
                            f"this rule is for '{r.domain}' and the run makes only "
                            f"{', '.join(repr(d) for d in domains)}: use --domain {r.domain} "
                            "(or --mix), or leave the file out")
    return rules


class RuleSet:
    """The rules of one domain, in a stable order, with a digest of the whole set."""

    def __init__(self, domain: str, rules: list[LoadedRule]):
        self.domain = domain
        self.rules = [r for r in rules if r.domain == domain]
        if not self.rules:
            raise UserError(f"no rules for domain '{domain}'")
        self.rules.sort(key=lambda r: r.id)
        self.digest = digest([[r.id, r.digest] for r in self.rules])
        total = 0.0
        self._cum = []
        for r in self.rules:
            total += r.weight
            self._cum.append(total)
        self._total = total
        self.by_id = {r.id: r for r in self.rules}

    @classmethod
    def load(cls, domain: str, rule_paths=(), include_shipped: bool = True) -> "RuleSet":
        get_domain(domain)
        return cls(domain, _load_for((domain,), rule_paths, include_shipped))

    def pick(self, base_seed: int, index: int) -> LoadedRule:
        u = rng_for(base_seed, self.digest, index, 0, STREAM_PICK_RULE).random() * self._total
        return self.rules[min(bisect.bisect_right(self._cum, u), len(self.rules) - 1)]


class MixedRuleSet:
    """The rules of several domains, each domain holding a stated share of the samples.

    A rule's chance is its domain's share times its weight within the domain, so the
    proportions hold whatever the domains' rule counts; one draw per sample picks it.
    """

    def __init__(self, mix: dict[str, float], rules: list[LoadedRule]):
        if len(mix) < 2:
            raise OptionError("mix", mix, "needs at least two domains")
        total_share = sum(mix.values())
        if not all(v > 0 for v in mix.values()) or total_share <= 0:
            raise OptionError("mix", mix, "shares must be positive")
        self.mix = {d: mix[d] / total_share for d in sorted(mix)}
        self.parts = {d: RuleSet(d, rules) for d in self.mix}
        self.domain = "+".join(self.mix)
        self.rules = [r for d in self.mix for r in self.parts[d].rules]
        self.by_id = {r.id: r for r in self.rules}
        self.digest = digest([[d, repr(self.mix[d]), self.parts[d].digest] for d in self.mix])
        self._cum, total = [], 0.0
        for d in self.mix:
            part = self.parts[d]
            for r in part.rules:
                total += self.mix[d] * r.weight / part._total
                self._cum.append(total)
        self._total = total

    def pick(self, base_seed: int, index: int) -> LoadedRule:
        u = rng_for(base_seed, self.digest, index, 0, STREAM_PICK_RULE).random() * self._total
        return self.rules[min(bisect.bisect_right(self._cum, u), len(self.rules) - 1)]


def load_ruleset(mix: dict[str, float], rule_paths=(), include_shipped: bool = True):
    """A RuleSet for one domain (``{domain: 1.0}``), a MixedRuleSet for several."""
    for d in mix:
        get_domain(d)
    if len(mix) == 1:
        return RuleSet.load(next(iter(mix)), rule_paths, include_shipped)
    return MixedRuleSet(mix, _load_for(tuple(mix), rule_paths, include_shipped))


def missing_slots(rule: LoadedRule, pb) -> list[RuleError]:
    """Errors for the template slots a rule needs that its phrasebook lacks."""
    dom = DOMAINS[rule.domain]
    if dom.required_slots is None:
        return []
    out = []
    lines = None
    for loc, slot in dom.required_slots(rule.spec):
        have = (slot[len("lexicon."):] in pb.lexicon) if slot.startswith("lexicon.") else pb.has(slot)
        if not have:
            if lines is None:
                lines = load_yaml_with_lines(Path(rule.path))[1]
            where = ", ".join(Path(t).name for t in rule.templates) or "no templates listed"
            out.append(RuleError(rule.path, line_of(lines, loc), loc_text(loc),
                                 f"no template slot '{slot}' in the shipped templates or the rule's "
                                 f"own ({where}); add it to a file listed under 'templates'"))
    return out


def sample_id(domain: str, index: int) -> str:
    return f"{domain}-{index:09d}"


def parse_id(sid: str) -> tuple[str, int]:
    dom, _, idx = sid.rpartition("-")
    if not dom or not (idx.isascii() and idx.isdigit()):         # '٤٢' is digits to isdigit(), not an index
        raise UserError(f"not a sample id: {sid!r} (expected <domain>-<index>, e.g. {next(iter(DOMAINS))}-000000042)")
    return dom, int(idx)


def _attempt(dom, rule: LoadedRule, rng, opts: Options):
    """One attempt of a contract domain: build, check, draw, word (raises Rejected)."""
    job = Job(rule, rng, opts)
    t0 = time.perf_counter()
    built = dom.build(job)
    t1 = time.perf_counter()
    measured = []
    for p in built.problems:
        p.checks.exact = p.exact
        measured.append(dom.check(built.scene, p.target))
        p.checks.agreed(measured[-1], p.value, p.what or f"rule {rule.id}: {p.target}", "numeric")
    t2 = time.perf_counter()
    pictures = dom.draw(job, built)
    t3 = time.perf_counter()
    words = dom.words(job, built, pictures)
    t4 = time.perf_counter()
    if len(words.problems) != len(built.problems):
        raise VerificationError(f"rule {rule.id}: {len(built.problems)} problems built, {len(words.problems)} worded")
    for p, w, m in zip(built.problems, words.problems, measured):
        what = p.what or f"rule {rule.id}: {p.target}"
        check_options(w.choices, w.answer_index, w.option_values, m, agree, what)
        g = copied_given(w)
        if g is not None:
            raise Rejected("copied", f"the answer {w.answer.text} repeats the given {g.fact}")
    return built, pictures, words, {"build": t1 - t0, "check": t2 - t1, "draw": t3 - t2, "words": t4 - t3}


def _scene_record(domain: str, scene: dict, to_pixels) -> dict:
    """The record's scene: its domain first, ``to_pixels`` right after ``objects``."""
    out = {"domain": domain}
    for k, v in scene.items():
        out[k] = v
        if k == "objects":
            out["to_pixels"] = to_pixels
    return out


def build_sample(rule: LoadedRule, base_seed: int, index: int, opts: Options) -> Sample:
    """Sample ``index`` of rule ``rule``: the first attempt that is not rejected, written as a
    record with its files."""
    dom = DOMAINS[rule.domain]
    rejections: dict[str, int] = {}
    fields: dict[str, str] = {}
    errors: list[dict] = []
    for attempt in range(MAX_ATTEMPTS):
        try:
            built, pictures, words, timings = _attempt(dom, rule, rng_for(base_seed, rule.digest, index, attempt), opts)
        except Rejected as r:
            rejections[r.reason] = rejections.get(r.reason, 0) + 1
            fields[r.reason] = r.field or fields.get(r.reason, "")
            continue
        except Exception as e:
            if opts.strict or not _is_bug(e):
                raise
            # a bug in this attempt: logged, and the sample is built from the next attempt,
            # exactly as after a rejection (so what is written is still verified twice)
            errors.append(bug_entry(rule, base_seed, index, attempt, e))
            rejections["engine-error"] = rejections.get("engine-error", 0) + 1
            continue
        break
    else:
        if errors:
            raise VerificationError(f"rule '{rule.id}' gave no sample at index {index}: {len(errors)} of "
                                    f"{MAX_ATTEMPTS} attempts hit an engine bug, the first: {errors[0]['message']}")
        _no_sample(rule, index, rejections, fields)
    sid = sample_id(rule.domain, index)
    t0 = time.perf_counter()
    svg0 = pictures[0].svg() if opts.svg or opts.rasterizer != "cairo" else None
    t1 = time.perf_counter()
    pngs = [pic.png(opts.rasterizer, svg0 if i == 0 else None) for i, pic in enumerate(pictures)]
    timings["svg"], timings["rasterize"] = t1 - t0, time.perf_counter() - t1
    paths = [f"images/{sid}.png"] + [f"images/{sid}__vd{k}.png" for k in range(len(pictures) - 1)]
    files: dict[str, bytes] = dict(zip(paths, pngs))
    if opts.svg:
        files[f"svg/{sid}.svg"] = svg0.encode()
    base = pictures[0]
    record = {"id": sid, "domain": rule.domain, "rule": rule.id,
              "seed": {"base_seed": int(base_seed), "index": int(index), "rule_digest": rule.digest,
                       "engine_version": __version__, "attempt": attempt},
              "image": paths[0], "svg": f"svg/{sid}.svg" if opts.svg else None, "width": base.width,
              "height": base.height}
    for a in built.attachments:
        path = f"{a.folder}/{sid}{a.suffix}"
        record[a.key] = path
        files[path] = a.text.replace("{IMAGE}", paths[0]).encode()
    record["caption"] = words.caption
    record["scene"] = _scene_record(rule.domain, built.scene, base.to_pixels)
    record["labels"] = base.label_records()
    record["problems"] = [write_problem(f"{sid}-q{k}", w, built.problems[k].checks, paths)
                          for k, w in enumerate(words.problems)]
    return Sample(sid, record, files, rejections, timings, errors)


def _is_bug(e: BaseException) -> bool:
    """Whether an exception from an attempt is an engine bug a run survives: a failed
    verification or any exception the engine does not raise on purpose. The user's errors
    (a bad rule, template or option), a step's time limit (which depends on the machine, so
    retrying would make the output depend on it) and running out of memory stop the run."""
    if isinstance(e, MemoryError):
        return False
    return isinstance(e, VerificationError) or not isinstance(e, DiagramEngineError)


def _where(tb) -> list[str]:
    """The traceback's frames inside the package, innermost last, as 'diagram_engine/...:line
    in function' (paths relative to the package, so the entry is the same on every machine)."""
    out = []
    for fr in traceback.extract_tb(tb):
        name = fr.filename.replace("\\", "/")
        if "/diagram_engine/" in name:
            out.append(f"diagram_engine/{name.rsplit('/diagram_engine/', 1)[1]}:{fr.lineno} in {fr.name}")
    return out[-8:]


def bug_entry(rule: LoadedRule, base_seed: int, index: int, attempt: int, e: BaseException) -> dict:
    """One line of ``errors.jsonl``: which sample and attempt hit the bug, what it was, where,
    and the call that raises it again."""
    shipped = str(rule.path).startswith(str(data_dir("rules")))
    call = (f"import diagram_engine as de; de.generate_one({rule.domain!r}, seed={int(base_seed)}, "
            f"index={int(index)}, rule_id={rule.id!r}" + ("" if shipped else f", rules=[{str(rule.path)!r}]")
            + ", strict=True)")
    return {"id": sample_id(rule.domain, index), "domain": rule.domain, "rule": rule.id, "index": int(index),
            "attempt": int(attempt), "seed": {"base_seed": int(base_seed), "index": int(index),
                                              "rule_digest": rule.digest, "engine_version": __version__,
                                              "attempt": int(attempt)},
            "error": type(e).__name__, "message": str(e), "where": _where(e.__traceback__),
            "reproduce": f"python -c \"{call}\""}


def _no_sample(rule: LoadedRule, index: int, rejections: dict, fields: dict):
    top = ", ".join(f"{k}: {v}" for k, v in sorted(rejections.items()))
    worst = max(sorted(rejections), key=lambda k: rejections[k])
    blame = f"; widen {fields[worst]}" if fields[worst] else "; widen its ranges"
    raise NoSampleError(f"rule '{rule.id}' ({rule.path}) gave no sample at index {index} after "
                        f"{MAX_ATTEMPTS} attempts (rejections: {top}){blame}", rule.path, fields[worst])


_build = build_sample


def generate_one(domain: str, seed: int = 0, index: int = 0, *, size: int = 512,
                 rules=(), rule_id: str | None = None, rasterizer: str = "cairo",
                 templates: str | None = None, include_shipped: bool = True,
                 ruleset: RuleSet | None = None, strict: bool = False) -> Sample:
    """Build sample ``index`` of the dataset ``(domain, seed, rules)``.

    An engine bug in one attempt is logged in ``Sample.errors`` and the next attempt is
    tried, as a generated dataset does; ``strict=True`` raises it instead.

    >>> s = generate_one("plane-geometry", seed=7, index=3)
    >>> s.id, s.record["problems"][0]["verified"]["numeric"]
    ('plane-geometry-000000003', True)
    """
    opts = Options(size=size, rasterizer=rasterizer, templates=templates, strict=bool(strict))
    opts.check()
    rs = ruleset or RuleSet.load(domain, rules, include_shipped)
    if rule_id is not None:
        if rule_id not in rs.by_id:
            raise OptionError("rule_id", rule_id, f"is not a rule of the set (known: {', '.join(rs.by_id)})")
        rule = rs.by_id[rule_id]
    else:
        rule = rs.pick(seed, index)
    return build_sample(rule, seed, index, opts)


def iter_samples(ruleset: RuleSet, seed: int, indices, opts: Options) -> Iterator[Sample]:
    for i in indices:
        yield build_sample(ruleset.pick(seed, i), seed, i, opts)
