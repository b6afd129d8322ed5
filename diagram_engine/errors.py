"""Error types.

Three kinds of failure, handled differently:

* ``UserError`` (and its subclass ``RuleError``): the user's input is wrong. The CLI prints
  one line and exits non-zero, never a traceback.
* ``Rejected``: an expected, counted outcome; a sampled construction was degenerate or its
  labels could not be placed. The pipeline retries on the sample's own random stream.
* ``VerificationError``: the exact answer and the numeric re-measure disagree. That is a bug
  in the engine; it is never swallowed and stops the run.
"""
from __future__ import annotations

__all__ = ["DiagramEngineError", "UserError", "RuleError", "Rejected", "VerificationError"]


class DiagramEngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class UserError(DiagramEngineError):
    """A mistake in the user's input (an option, a path, a rule, a template)."""


class RuleError(UserError):
    """A rule or template file is invalid; names the file, the line and the field."""

    def __init__(self, path: str, line: int | None, field: str, message: str):
        self.path, self.line, self.field, self.message = str(path), line, field, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")

    def __reduce__(self):
        # keeps the error intact when it crosses from a worker process to the parent
        return (type(self), (self.path, self.line, self.field, self.message))


class Rejected(DiagramEngineError):
    """An expected rejection of one attempt (degenerate scene, unplaceable labels...)."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(f"{reason}: {detail}" if detail else reason)

    def __reduce__(self):
        return (type(self), (self.reason, self.detail))


class VerificationError(DiagramEngineError):
    """The derived answer disagrees with the re-measured one: a bug, never a rejection."""
