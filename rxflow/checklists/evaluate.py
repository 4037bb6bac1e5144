"""Runs a checklist against the facts and the person's answers; a DVM may accept an
overridable finding with a written reason, which goes on the record."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from rxflow.checklists.checks import CHECKS
from rxflow.checklists.facts import CheckFacts
from rxflow.checklists.schema import Checklist
from rxflow.errors import RuleViolation


class ItemAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    item_id: str
    kind: str
    text: str
    rule_code: str
    passed: bool
    finding: str | None = None
    overridden: bool = False
    override_reason: str | None = None


class ChecklistResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    checklist_id: str
    version: int
    passed: bool
    answers: tuple[ItemAnswer, ...]

    def failures(self) -> list[ItemAnswer]:
        return [answer for answer in self.answers if not answer.passed]

    def reason(self) -> str:
        """One sentence for the CSR naming every failed item."""
        found = [a.finding or a.text for a in self.failures()]
        return "Checklist not passed: " + " ".join(f if f.endswith(".") else f + "." for f in found)


def _check_overrides(checklist: Checklist, overrides: Mapping[str, str], role: str) -> None:
    if not overrides:
        return
    if role != "dvm":
        raise RuleViolation(
            "OVERRIDE_NOT_DVM", "Only a veterinarian can accept a checklist finding."
        )
    for item_id, reason in overrides.items():
        item = checklist.item(item_id)
        if item is None or not item.overridable:
            raise RuleViolation(
                "OVERRIDE_NOT_ALLOWED", f"The checklist item '{item_id}' cannot be overridden."
            )
        if len(reason.strip()) < 5:
            raise RuleViolation(
                "OVERRIDE_NEEDS_REASON",
                "Accepting a finding needs a written reason for the record.",
            )


def evaluate(
    checklist: Checklist,
    facts: CheckFacts,
    attestations: Mapping[str, bool],
    overrides: Mapping[str, str],
    actor_role: str,
) -> ChecklistResult:
    """Every item answered in order; passes only when each holds (or was accepted by a DVM)."""
    _check_overrides(checklist, overrides, actor_role)
    answers = []
    for item in checklist.items:
        if item.kind == "engine":
            assert item.check is not None
            finding = CHECKS[item.check](facts)
        else:
            confirmed = attestations.get(item.id) is True
            finding = None if confirmed else f"Not confirmed: {item.text}"
        accepted = finding is not None and item.id in overrides
        answers.append(
            ItemAnswer(
                item_id=item.id, kind=item.kind, text=item.text, rule_code=item.rule_code,
                passed=finding is None or accepted, finding=finding, overridden=accepted,
                override_reason=overrides.get(item.id) if accepted else None,
            )
        )  # fmt: skip
    return ChecklistResult(
        checklist_id=checklist.id,
        version=checklist.version,
        passed=all(a.passed for a in answers),
        answers=tuple(answers),
    )
