"""The transition table is the DESIGN diagram: every path there, none that is not."""

from __future__ import annotations

import pytest

from rxflow.states.definition import (
    CANCELLABLE,
    HOLDABLE,
    OPEN,
    ROLES_BY_TRIGGER,
    TERMINAL,
    TRANSITIONS,
    TRIGGERS,
    State,
    destinations,
)

DIAGRAM = [
    ("received", "authorize", "approved"),
    ("received", "request_approval", "awaiting_approval"),
    ("awaiting_approval", "approve", "approved"),
    ("awaiting_approval", "deny", "denied"),
    ("approved", "fill", "filled"),
    ("approved", "prepare", "filled"),
    ("filled", "verify", "verified"),
    ("filled", "reject", "approved"),
    ("verified", "dispense", "dispensed"),
    ("verified", "send_fax", "faxing"),
    ("faxing", "fax_confirmed", "faxed"),
    ("faxing", "fax_failed", "fax_failed"),
    ("fax_failed", "retry", "faxing"),
    ("verified", "return_to_stock", "returned_to_stock"),
]


@pytest.mark.parametrize(("source", "trigger", "dest"), DIAGRAM)
def test_every_path_of_the_diagram_exists(source: str, trigger: str, dest: str) -> None:
    assert destinations(source, trigger) == {dest}


def test_state_names_are_the_published_ones() -> None:
    assert {s.value for s in State} == {
        "received",
        "awaiting_approval",
        "approved",
        "denied",
        "filled",
        "verified",
        "dispensed",
        "faxing",
        "fax_failed",
        "faxed",
        "returned_to_stock",
        "on_hold",
        "cancelled",
    }


def test_terminal_states_have_no_way_out() -> None:
    assert {s.value for s in TERMINAL} == {
        "denied",
        "dispensed",
        "faxed",
        "returned_to_stock",
        "cancelled",
    }
    for state in TERMINAL:
        assert all(not destinations(state, t) for t in TRIGGERS)


@pytest.mark.parametrize("state", [s.value for s in HOLDABLE])
def test_hold_and_resume_return_to_where_it_was(state: str) -> None:
    assert destinations(state, "hold") == {"on_hold"}
    assert state in destinations("on_hold", "resume")


@pytest.mark.parametrize("state", [s.value for s in OPEN])
def test_every_open_state_but_faxing_can_be_cancelled(state: str) -> None:
    expected = set() if state == "faxing" else {"cancelled"}
    assert destinations(state, "cancel") == expected
    assert (State(state) in CANCELLABLE) == (state != "faxing")


def test_no_path_skips_the_checklist() -> None:
    """dispensed and faxed are reachable only through verified (the checklist step)."""
    into = {row["dest"]: row for row in TRANSITIONS}
    assert into["dispensed"]["source"] == "verified"
    assert destinations("verified", "send_fax") == {"faxing"}
    assert {row["source"] for row in TRANSITIONS if row["dest"] == "faxed"} == {"faxing"}


def test_only_a_veterinarian_decides() -> None:
    for trigger in ("approve", "deny", "pend"):
        assert {r.value for r in ROLES_BY_TRIGGER[trigger]} == {"dvm"}


def test_every_trigger_has_roles() -> None:
    assert set(ROLES_BY_TRIGGER) == set(TRIGGERS)
