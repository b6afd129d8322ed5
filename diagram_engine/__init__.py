"""diagram-engine: visual-math training data built by program.

>>> from diagram_engine import generate_one
>>> sample = generate_one("plane-geometry", seed=0, index=42)
>>> sample.id
'plane-geometry-000000042'
"""
__version__ = "0.1.0"

from .errors import DiagramEngineError, Rejected, RuleError, UserError, VerificationError  # noqa: E402
from .pipeline import Sample, generate_one  # noqa: E402
from .dataset import generate, regenerate, Summary  # noqa: E402
from .measure import measure  # noqa: E402

__all__ = ["__version__", "generate", "generate_one", "regenerate", "Sample", "Summary", "measure",
           "DiagramEngineError", "UserError", "RuleError", "Rejected", "VerificationError"]
