"""Plane geometry, MAVIS-style: a base shape with up to three shapes attached edge to edge."""
from .. import Domain, register_domain
from .custom import compile_rule, required_slots
from .rule import PlaneRule
from .sample import make_sample

__all__ = ["PlaneRule", "make_sample"]

register_domain(Domain("plane-geometry", PlaneRule, make_sample,
                       "Base shape plus 0-3 attached shapes; lengths, angles, areas, arcs.",
                       compile_rule, required_slots))
