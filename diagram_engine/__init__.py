"""diagram-engine: visual-math training data built by program.

>>> from diagram_engine import generate_one
>>> sample = generate_one("plane-geometry", seed=0, index=42)
>>> sample.id
'plane-geometry-000000042'
"""
# the function ``audit`` takes its module's name in this namespace; the module itself stays
# importable (``from diagram_engine.audit import Report``: sys.modules holds it)
from .audit import Report as AuditReport
from .audit import audit
from .core.measure import measure
from .dataset import Summary, generate, regenerate
from .errors import (DiagramEngineError, MeasureError, OptionError, Rejected, RuleError, UserError,
                     VerificationError)
from .pipeline import Sample, generate_one
from .version import __version__

__all__ = ["__version__", "generate", "generate_one", "regenerate", "Sample", "Summary", "measure",
           "DiagramEngineError", "UserError", "OptionError", "RuleError", "Rejected", "VerificationError",
           "MeasureError", "audit", "AuditReport"]
