"""The domain contract: what a domain supplies, and what the core does with it.

A domain is one subclass of :class:`Domain`, registered with :func:`register` in its package
``diagram_engine/domains/<name>/``; the core finds every such package (``core.registry``).
For one attempt at one sample the core drives four steps on one random generator, in this
order, and writes the record:

1. :meth:`Domain.build`: the scene and its problems, answer-first and exact (:class:`Built`);
2. :meth:`Domain.check`: the core re-measures every problem's target from the scene alone,
   with the domain's independent check (``domains/<name>/check.py``, which may not import the
   domain's derivation), and requires it to agree with the derived answer;
3. :meth:`Domain.draw`: the images (:class:`Picture`): the base image first, then any
   variant's own image; a domain may check its drawing too (``Checks.agreed``);
4. :meth:`Domain.words`: the caption and each problem's text (:class:`Words`).

A step raises ``Rejected(reason)`` when the sampled attempt cannot be used (the next attempt
is tried) and ``VerificationError`` on a bug (the run stops).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .problem import Checks, Worded

__all__ = ["Domain", "register", "registered", "Job", "Built", "Posed", "Words", "Picture", "DrawnPicture",
           "RenderedPicture", "Attachment"]


class Job:
    """One attempt at one sample, as the domain's steps see it: the rule, the attempt's random
    generator, the options, and the phrasebook the rule's samples speak with."""

    def __init__(self, rule, rng, options):
        self.rule, self.rng, self.options = rule, rng, options
        self._pb = None

    @property
    def spec(self):
        """The rule's typed model (what its YAML file says)."""
        return self.rule.spec

    @property
    def pb(self):
        if self._pb is None:
            self._pb = self.options.phrasebook_for(self.rule)
        return self._pb


@dataclass
class Posed:
    """One problem of a built sample, as far as the check needs it: the target and the value
    the re-measure must give (a float, a word, nested lists). ``exact`` is whether the domain
    derived the answer in exact arithmetic and its own exact checks passed."""
    target: dict
    value: object
    exact: bool
    what: str = ""              # names the problem in a VerificationError
    checks: Checks = field(default_factory=Checks)


@dataclass
class Attachment:
    """A file a sample writes besides its images, named in the record under ``key``:
    ``<folder>/<sample id><suffix>``. ``{IMAGE}`` in ``text`` becomes the base image's path."""
    key: str
    folder: str
    suffix: str
    text: str


@dataclass
class Built:
    """The result of :meth:`Domain.build`: the scene (``points``, ``objects`` and whatever else
    the domain records; the core adds ``to_pixels`` after ``objects``), the problems, and the
    domain's own state for drawing and wording."""
    scene: dict
    problems: list[Posed]
    state: Any = None
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Words:
    """The result of :meth:`Domain.words`: the caption of the base image and each problem."""
    caption: str
    problems: list[Worded]


class Picture(ABC):
    """One image of a sample: its size, the texts drawn on it with their pixel boxes (records),
    and the affine map from problem units to its pixels."""
    width: int
    height: int
    to_pixels: list | None

    @abstractmethod
    def svg(self) -> str | None:
        """The SVG text (None when the sample is made without SVG)."""

    @abstractmethod
    def png(self, rasterizer: str, svg: str | None) -> bytes:
        """The PNG bytes; ``svg`` is this picture's SVG when it was made already."""

    @abstractmethod
    def label_records(self) -> list[dict]:
        """Every text drawn, as ``{"text", "kind", "bbox"}`` in PNG pixels."""


class DrawnPicture(Picture):
    """A picture drawn as the engine's display list (``render.Drawing``), rasterized by the
    core with the rasterizer the options name."""

    def __init__(self, drawing, labels: list, to_pixels: list):
        self.drawing, self.labels, self.to_pixels = drawing, labels, to_pixels
        self.width, self.height = drawing.width, drawing.height

    def svg(self) -> str:
        from ..render import svg_from_drawing
        return svg_from_drawing(self.drawing)

    def png(self, rasterizer: str, svg: str | None) -> bytes:
        from ..render import png_from_drawing
        return png_from_drawing(self.drawing, rasterizer, svg)

    def label_records(self) -> list[dict]:
        return [lb.record() for lb in self.labels]


class RenderedPicture(Picture):
    """A picture the domain rendered itself (a chart drawn by its matplotlib program)."""

    def __init__(self, png: bytes, svg: str | None, width: int, height: int, labels: list[dict],
                 to_pixels: list | None):
        self._png, self._svg = png, svg
        self.width, self.height, self.labels, self.to_pixels = width, height, labels, to_pixels

    def svg(self) -> str | None:
        return self._svg

    def png(self, rasterizer: str, svg: str | None) -> bytes:
        return self._png

    def label_records(self) -> list[dict]:
        return self.labels


class Domain(ABC):
    """A domain of problems. Subclass it, set the class attributes, implement the four steps,
    and decorate the class with :func:`register`."""

    name: ClassVar[str]                         # as records and --domain spell it: 'plane-geometry'
    doc: ClassVar[str]                          # one line, for `rules list` and --help
    rule_model: ClassVar[type]                  # the pydantic model of its rule files (a core.rule.RuleBase)
    object_types: ClassVar[tuple[str, ...]] = ()    # the scene object types it writes (the record schema)
    data_files: ClassVar[tuple[str, ...]] = ()      # shipped files of rules/<name>/ its samples read
    #                                                 (a vocabulary): in each of its rules' digests
    data_folder: ClassVar[str | None] = None        # YAML files under a folder of this name are its data files,
    #                                                 checked by check_data_file, never loaded as rules
    output_folders: ClassVar[tuple[str, ...]] = ()  # folders its attachments are written to

    # --- rules --------------------------------------------------------------------------------
    def compile(self, spec, path: str, lines: dict, digest: str) -> tuple[Any, list[tuple[tuple, str]]]:
        """Checks that need the whole rule, and the rule's compiled form: ``(compiled,
        [(key path, message)])``."""
        return None, []

    def required_slots(self, spec) -> list[tuple[tuple, str]]:
        """``[(key path, slot)]``: template slots this rule needs besides the shipped ones."""
        return []

    def check_data_file(self, path) -> list:
        """Every error (RuleErrors) of one of the domain's data files."""
        return []

    def data_paths(self) -> list:
        """The files named by ``data_files``, as paths (the shipped ``rules/<name>/`` folder)."""
        from ..resources import data_dir
        return [data_dir("rules") / self.name / f for f in self.data_files]

    def describe_rule(self, rule) -> list[str]:
        """Lines `rules list` prints about one loaded rule, besides its id and description."""
        return []

    # --- one sample -----------------------------------------------------------------------------
    @abstractmethod
    def build(self, job: Job) -> Built:
        """The scene and its problems, answer-first and exact."""

    @abstractmethod
    def check(self, scene: dict, target: dict):
        """The target re-measured from ``scene`` alone (floats): the domain's check module."""

    @abstractmethod
    def draw(self, job: Job, built: Built) -> list[Picture]:
        """The base image, then the variants' own images."""

    @abstractmethod
    def words(self, job: Job, built: Built, pictures: list[Picture]) -> Words:
        """The caption and every problem's text."""


_REGISTERED: dict[str, Domain] = {}


def register(cls: type[Domain]) -> type[Domain]:
    """Class decorator: one instance of ``cls`` joins the registry under ``cls.name``."""
    for attr in ("name", "doc", "rule_model"):
        if not hasattr(cls, attr):
            raise TypeError(f"domain {cls.__name__} has no {attr}")
    if cls.name in _REGISTERED:
        raise ValueError(f"domain {cls.name} registered twice")
    _REGISTERED[cls.name] = cls()
    return cls


def registered() -> dict[str, Domain]:
    """The domains registered so far, by name (``core.registry.DOMAINS`` is the sorted, complete one)."""
    return dict(_REGISTERED)
