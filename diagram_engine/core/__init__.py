"""The core: the contract every domain implements, and the parts of a problem they share.

Domain packages import from here (``from ...core import Domain, register, Ask, ...``); the
registry of domains (``core.registry``) and the driver of a sample (``pipeline``) import the
domains, never the other way round.
"""
from .ask import Ask
from .contract import (Attachment, Built, Domain, DrawnPicture, Job, Picture, Posed, RenderedPicture, Words,
                       register)
from .problem import (LETTERS, VARIANTS, Answer, Checks, Given, Variant, Worded, agree, final_line, instruction,
                      letter, round_value)
from .options import check_options, exchangeable_options, number_key, numbers_key
from .rule import SLUG, RuleBase, Strict, check_range

__all__ = ["Answer", "Ask", "Attachment", "Built", "Checks", "Domain", "DrawnPicture", "Given", "Job", "LETTERS",
           "Picture", "Posed", "RenderedPicture", "RuleBase", "SLUG", "Strict", "VARIANTS", "Variant", "Words",
           "Worded", "agree", "check_range", "final_line", "instruction", "letter", "register",
           "round_value", "exchangeable_options", "number_key", "numbers_key",
           "check_options"]
