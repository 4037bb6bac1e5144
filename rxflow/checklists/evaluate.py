"""Runs a checklist against the facts and the person's answers; pure.

A DVM may accept a failed overridable item (a dose outside the usual range) with a written
reason, which goes on the record; anyone else's override is refused, not ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from rxflow.checklists.checks import CHECKS
from rxflow.checklists.facts import CheckFacts
from rxflow.checklists.schema import Checklist, ChecklistItem, load_checklist
from rxflow.errors import RuleViolation

OVERRIDE_ROLE = "dvm"
MIN_REASON_CHARS = 5


class ItemAnswer(BaseModel):
    """One item as answered: the finding says why it failed (kept even when overridden)."""

    model_config = ConfigDict(frozen=True)

    item_id: str
    kind: Literal["engine", "attest"]
    text: str
    rule_code: str
    passed: bool
    finding: str | None = None
    overridden: bool = False
    override_reason: str | None = None


class ChecklistResult(BaseModel):
    """A whole run; store it with (checklist_id, version) and it stays readable for good."""

    model_config = ConfigDict(frozen=True)

    checklist_id: str
    version: int
    passed: bool
    answers: tuple[ItemAnswer, ...]

    def failures(self) -> list[ItemAnswer]:
        return [answer for answer in self.answers if not answer.passed]

    def reason(self) -> str:
        """One sentence for the CSR naming every failed item, in checklist order."""
        parts = [(a.finding or a.text).strip().rstrip(".") for a in self.failures()]
        if not parts:
            return "Every checklist item holds."
        joined = [parts[0], *(_lower_first(p) for p in parts[1:])]
        return "Checklist not passed: " + "; ".join(joined) + "."


def _lower_first(text: str) -> str:
    """ "The dose..." continues a sentence as "the dose..."; "NDC ..." keeps its capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _refuse_bad_overrides(checklist: Checklist, overrides: Mapping[str, str], role: str) -> None:
    if overrides and role.lower() != OVERRIDE_ROLE:
        raise RuleViolation(
            "OVERRIDE_NOT_DVM", "Only a veterinarian can accept a failed checklist item."
        )
    for item_id, reason in overrides.items():
        item = checklist.item(item_id)
        if item is None:
            raise RuleViolation(
                "OVERRIDE_UNKNOWN_ITEM",
                f"The checklist '{checklist.title}' has no item '{item_id}'.",
            )
        if not item.overridable:
            raise RuleViolation(
                "OVERRIDE_NOT_ALLOWED",
                f'"{item.text}" cannot be overridden; the problem must be fixed.',
            )
        if len((reason or "").strip()) < MIN_REASON_CHARS:
            raise RuleViolation(
                "OVERRIDE_NEEDS_REASON",
                f'Accepting "{item.text}" needs a written reason for the record.',
            )


def _answer(
    item: ChecklistItem,
    facts: CheckFacts,
    attestations: Mapping[str, bool],
    overrides: Mapping[str, str],
) -> ItemAnswer:
    if item.kind == "engine":
        assert item.check is not None  # the schema guarantees a registered check
        finding = CHECKS[item.check](facts)
    else:
        confirmed = attestations.get(item.id) is True
        finding = None if confirmed else f"Not confirmed: {item.text[0].lower()}{item.text[1:]}"
    accepted = finding is not None and item.id in overrides
    return ItemAnswer(
        item_id=item.id,
        kind=item.kind,
        text=item.text,
        rule_code=item.rule_code,
        passed=finding is None or accepted,
        finding=finding,
        overridden=accepted,
        override_reason=overrides[item.id].strip() if accepted else None,
    )


def evaluate(
    checklist: Checklist,
    facts: CheckFacts,
    attestations: Mapping[str, bool],
    overrides: Mapping[str, str],
    actor_role: str,
) -> ChecklistResult:
    """Every item answered in order; passes only when each holds or a DVM accepted it.

    Raises RuleViolation for an override by anyone but a DVM, without a reason, of an unknown
    item or of an item that is not overridable. Attestations for unknown items are ignored.
    """
    _refuse_bad_overrides(checklist, overrides, actor_role)
    answers = tuple(_answer(item, facts, attestations, overrides) for item in checklist.items)
    return ChecklistResult(
        checklist_id=checklist.id,
        version=checklist.version,
        passed=all(a.passed for a in answers),
        answers=answers,
    )


def recorded_result(
    checklist_id: str, version: int, passed: bool, answers: Sequence[Mapping[str, Any]]
) -> ChecklistResult:
    """A stored run read back (extra keys such as who and when are ignored).

    Loads the checklist at the version the run used, so a run whose version file is missing
    fails loudly instead of being shown against the wrong items.
    """
    load_checklist(checklist_id, version)
    return ChecklistResult.model_validate(
        {"checklist_id": checklist_id, "version": version, "passed": passed, "answers": answers}
    )
