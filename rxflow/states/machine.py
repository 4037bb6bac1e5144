"""The one shared transitions Machine and `fire`, the only way a request changes state.

One module-level machine serves every request (STYLE.md: a Machine per row costs 2–7× the
database writes); rows are never decorated, the trigger is fired by name with the row passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from transitions import EventData, Machine, MachineError

from rxflow.errors import Forbidden, IllegalTransition, RuleViolation
from rxflow.facts import GuardContext
from rxflow.states.definition import ROLE_NAMES, ROLES_BY_TRIGGER, TRANSITIONS, State
from rxflow.states.guards import BRANCHES, GUARDS


class Stateful(Protocol):
    state: str


def _condition(name: str) -> Callable[[EventData], bool]:
    if name in BRANCHES:
        branch = BRANCHES[name]
        return lambda event: branch(event.kwargs["ctx"])
    rule = GUARDS[name]

    def check(event: EventData) -> bool:
        rule(event.kwargs["ctx"])  # raises RuleViolation; transitions leaves the state as it was
        return True

    check.__name__ = name
    return check


def _role_permits(trigger: str) -> Callable[[EventData], bool]:
    """Every transition's first condition: the actor's role may fire it (deny by default)."""
    allowed = ROLES_BY_TRIGGER[trigger]

    def role_permits(event: EventData) -> bool:
        actor = event.kwargs["ctx"].actor
        if actor.role not in allowed:
            raise Forbidden(
                f"A {ROLE_NAMES.get(actor.role, actor.role)} cannot "
                f"{trigger.replace('_', ' ')} a refill request."
            )
        return True

    return role_permits


def _resolved(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "conditions": [_role_permits(row["trigger"])]
            + [_condition(c) for c in row.get("conditions", [])],
        }
        for row in rows
    ]


MACHINE = Machine(
    model=None,
    states=[s.value for s in State],
    transitions=_resolved(TRANSITIONS),
    initial=None,
    auto_transitions=False,
    send_event=True,
    name="refill",
)


def fire(request: Stateful, trigger: str, ctx: GuardContext) -> str:
    """Move `request` by `trigger`; returns the new state or raises RuleViolation."""
    event = MACHINE.events.get(trigger)
    if event is None:
        raise RuleViolation("UNKNOWN_TRIGGER", f"Unknown step '{trigger}'.")
    try:
        moved = event.trigger(request, ctx=ctx)
    except MachineError:
        raise IllegalTransition(trigger, request.state) from None
    if not moved:  # only resume's branch selectors can say no without raising
        raise RuleViolation("RESUME_NO_ORIGIN", "This request was not held from an open step.")
    return request.state


def triggers_from(state: str) -> list[str]:
    """Triggers the diagram allows from `state`, before roles and rules are considered."""
    return list(MACHINE.get_triggers(state))
