"""Checklists as versioned data, evaluated inside `verify` and `dispense`.

Data says *what* is checked (definitions/*.toml, one file per checklist version); code says
*how* (checks.py, a registry of pure engine checks). Each run records the version it used.
"""

from rxflow.checklists.evaluate import ChecklistResult, ItemAnswer, evaluate, recorded_result
from rxflow.checklists.facts import CheckFacts, FillFacts, ProductFacts, VerifyFacts
from rxflow.checklists.schema import Checklist, ChecklistItem, checklist_for, load_checklist

__all__ = [
    "CheckFacts",
    "Checklist",
    "ChecklistItem",
    "ChecklistResult",
    "FillFacts",
    "ItemAnswer",
    "ProductFacts",
    "VerifyFacts",
    "checklist_for",
    "evaluate",
    "load_checklist",
    "recorded_result",
]
