"""Sig (directions) parser: staff shorthand in, numbers and plain-English label wording out.

>>> parse_sig("1 tab PO q12h x 14d").plain
'Give 1 tablet by mouth every 12 hours for 14 days.'
"""

from rxflow.sig.model import Sig, SigError, days_supply
from rxflow.sig.parse import parse_sig, plain_english

__all__ = ["Sig", "SigError", "days_supply", "parse_sig", "plain_english"]
