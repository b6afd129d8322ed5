"""Error types.

The kinds of failure, handled differently:

* ``UserError`` (and its subclass ``RuleError``): the user's input is wrong. The CLI prints
  one line and exits non-zero, never a traceback.
* ``Rejected``: an expected, counted outcome; a sampled construction was degenerate or its
  labels could not be placed. The pipeline retries on the sample's own random stream.
* ``VerificationError``: the exact answer and the numeric re-measure disagree. That is a bug
  in the engine; a generated dataset logs it (``errors.jsonl``) and builds the sample from
  its next attempt, so nothing unverified is written; with ``strict`` it stops the run.
* ``WorkerDied``: a worker process died more often than a shard is retried; the folder is
  resumable.
"""
from __future__ import annotations

import re

__all__ = ["DiagramEngineError", "UserError", "OptionError", "RuleError", "RuleErrors", "Rejected",
           "NoSampleError", "VerificationError", "MeasureError", "WorkerDied"]


_ESCAPES = {c: repr(chr(c))[1:-1] for c in [*range(32), 127]}


class DiagramEngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class UserError(DiagramEngineError):
    """A mistake in the user's input (an option, a path, a rule, a template)."""


class OptionError(UserError):
    """An argument of the library (``generate(size=10)``) is wrong. Reads as ``size=10: must be
    between 64 and 4096``; the command line names its flag instead (``Invalid value for
    '--size': 10 must be between 64 and 4096``).

    ``message`` may refer to another argument as ``{name=value}``: the library writes it as
    ``name=value`` (``resume=True``), the command line as that option's flag (``--resume``).
    """

    def __init__(self, arg: str, value, message: str):
        self.arg, self.value, self.message = arg, value, message
        super().__init__(f"{arg}={value!r}: {self.text()}")

    def text(self, flag=None) -> str:
        """The message, each ``{name=value}`` written as Python, or as ``flag(name, value)``."""
        if flag is None:
            return _REF.sub(lambda m: f"{m[1]}={m[2]}", self.message)
        return _REF.sub(lambda m: flag(m[1], m[2]), self.message)

    def __reduce__(self):
        return (type(self), (self.arg, self.value, self.message))


_REF = re.compile(r"\{([a-z_]+)=([^{}]*)\}")


class RuleError(UserError):
    """A rule or template file is invalid; names the file, the line and the field."""

    def __init__(self, path: str, line: int | None, field: str, message: str):
        # one line, whatever a user's file holds: control characters are shown escaped
        field, message = str(field).translate(_ESCAPES), str(message).translate(_ESCAPES)
        self.path, self.line, self.field, self.message = str(path), line, field, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")

    def __reduce__(self):
        # keeps the error intact when it crosses from a worker process to the parent
        return (type(self), (self.path, self.line, self.field, self.message))


class RuleErrors(RuleError):
    """Every error found in one rule file. Reads as the first one, with a count of the rest."""

    def __init__(self, errors: list[RuleError]):
        self.errors = list(errors)
        first = self.errors[0]
        more = len(self.errors) - 1
        msg = first.message
        if more:
            msg += (f" (and {more} more error{'s' if more > 1 else ''}; "
                    "`diagram-engine rules validate` on the rule files lists them all)")
        super().__init__(first.path, first.line, first.field, msg)

    def __reduce__(self):
        return (type(self), (self.errors,))


class Rejected(DiagramEngineError):
    """An expected rejection of one attempt (degenerate scene, unplaceable labels...)."""

    def __init__(self, reason: str, detail: str = "", field: str = ""):
        # field: the rule key whose values could not be met, when one is to blame
        self.reason, self.detail, self.field = reason, detail, field
        super().__init__(f"{reason}: {detail}" if detail else reason)

    def __reduce__(self):
        return (type(self), (self.reason, self.detail, self.field))


class NoSampleError(UserError):
    """A rule gave no sample after every attempt: its ranges leave no room."""

    def __init__(self, message: str, path: str, field: str = ""):
        self.path, self.field = path, field
        super().__init__(message)

    def __reduce__(self):
        return (type(self), (str(self), self.path, self.field))


class WorkerDied(DiagramEngineError):
    """A worker process died (killed by the system, out of memory) more often than a shard is
    retried. The dataset folder is resumable."""


class VerificationError(DiagramEngineError):
    """The derived answer disagrees with the re-measured one: a bug, never a rejection."""


class MeasureError(VerificationError, ValueError):
    """The scene is inconsistent, or the target cannot be measured from it."""
