"""The checklist gate of `verify` and `dispense`: evaluate the checklist inside the transition."""

from __future__ import annotations

from rxflow.checklists.evaluate import evaluate
from rxflow.errors import RuleViolation
from rxflow.facts import GuardContext
from rxflow.states import payloads


def run_checklist(ctx: GuardContext) -> None:
    """Evaluate the checklist the service selected; refuse the step unless every item holds.

    The result is left on the context so the service records exactly the run that decided.
    """
    if ctx.checklist_input is None:
        raise RuleViolation("CHECKLIST_MISSING", "No checklist applies to this step.")
    checklist, facts = ctx.checklist_input
    answers = ctx.payload
    assert isinstance(answers, payloads.Checklist)
    result = evaluate(checklist, facts, answers.attestations, answers.overrides, ctx.actor.role)
    ctx.checklist_result = result
    if not result.passed:
        raise RuleViolation("CHECKLIST_FAILED", result.reason())
