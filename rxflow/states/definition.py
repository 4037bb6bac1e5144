"""The refill-request workflow as data: states, the transition table and who may fire what.

This file is the diagram in ``docs/workflow.md``; read it top to bottom as the front desk works.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class State(StrEnum):
    RECEIVED = "received"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    DENIED = "denied"
    FILLED = "filled"
    VERIFIED = "verified"
    DISPENSED = "dispensed"
    FAXING = "faxing"
    FAX_FAILED = "fax_failed"
    FAXED = "faxed"
    RETURNED_TO_STOCK = "returned_to_stock"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


class Role(StrEnum):
    CSR = "csr"
    DVM = "dvm"
    MANAGER = "manager"
    ADMIN = "admin"
    SYSTEM = "system"  # the fax and notification workers


ROLE_NAMES: dict[str, str] = {
    "csr": "client service representative",
    "dvm": "veterinarian",
    "manager": "practice manager",
    "admin": "administrator",
    "system": "background worker",
}

TERMINAL: frozenset[State] = frozenset(
    {State.DENIED, State.DISPENSED, State.FAXED, State.RETURNED_TO_STOCK, State.CANCELLED}
)
OPEN: tuple[State, ...] = tuple(s for s in State if s not in TERMINAL)

# A fax on the wire cannot be recalled: hold and cancel wait until it is confirmed or has failed.
HOLDABLE: tuple[State, ...] = tuple(s for s in OPEN if s not in {State.ON_HOLD, State.FAXING})
CANCELLABLE: tuple[State, ...] = tuple(s for s in OPEN if s is not State.FAXING)

# Guards are named by string and live in rxflow/states/guards.py; each raises RuleViolation.
TRANSITIONS: list[dict[str, Any]] = [
    {
        "trigger": "authorize",
        "source": "received",
        "dest": "approved",
        "conditions": ["standing_prescription_authorizes"],
    },
    {"trigger": "request_approval", "source": "received", "dest": "awaiting_approval"},
    {
        "trigger": "approve",
        "source": "awaiting_approval",
        "dest": "approved",
        "conditions": [
            "approver_may_prescribe",
            "patient_alive",
            "approval_within_schedule_limits",
        ],
    },
    {
        "trigger": "pend",
        "source": "awaiting_approval",
        "dest": "awaiting_approval",
        "conditions": ["approver_may_prescribe"],
    },
    {
        "trigger": "deny",
        "source": "awaiting_approval",
        "dest": "denied",
        "conditions": ["approver_is_veterinarian"],
    },
    {
        "trigger": "fill",
        "source": "approved",
        "dest": "filled",
        "conditions": ["is_in_house", "fill_is_recordable"],
    },
    {
        "trigger": "prepare",
        "source": "approved",
        "dest": "filled",
        "conditions": ["is_outside", "prescriber_can_sign"],
    },
    {
        "trigger": "verify",
        "source": "filled",
        "dest": "verified",
        "conditions": ["checklist_passes"],
    },
    {"trigger": "reject", "source": "filled", "dest": "approved"},
    {
        "trigger": "dispense",
        "source": "verified",
        "dest": "dispensed",
        "conditions": ["is_in_house", "authorized_and_checked", "checklist_passes"],
    },
    {
        "trigger": "send_fax",
        "source": "verified",
        "dest": "faxing",
        "conditions": [
            "is_outside",
            "authorized_and_checked",
            "not_schedule_ii_by_fax",
            "pharmacy_has_fax",
        ],
    },
    {
        "trigger": "fax_confirmed",
        "source": "faxing",
        "dest": "faxed",
        "conditions": ["authorized_and_checked"],
    },
    {"trigger": "fax_failed", "source": "faxing", "dest": "fax_failed"},
    {
        "trigger": "retry",
        "source": "fax_failed",
        "dest": "faxing",
        "conditions": ["pharmacy_has_fax"],
    },
    {
        "trigger": "return_to_stock",
        "source": "verified",
        "dest": "returned_to_stock",
        "conditions": ["is_in_house", "unclaimed_long_enough"],
    },
    {"trigger": "hold", "source": [s.value for s in HOLDABLE], "dest": "on_hold"},
    *[
        {
            "trigger": "resume",
            "source": "on_hold",
            "dest": s.value,
            "conditions": [f"held_from_{s.value}"],
        }
        for s in HOLDABLE
    ],
    {"trigger": "cancel", "source": [s.value for s in CANCELLABLE], "dest": "cancelled"},
]

TRIGGERS: tuple[str, ...] = tuple(dict.fromkeys(t["trigger"] for t in TRANSITIONS))

_DESK = frozenset({Role.CSR, Role.DVM, Role.MANAGER})
ROLES_BY_TRIGGER: dict[str, frozenset[Role]] = {
    "authorize": _DESK,
    "request_approval": _DESK,
    "approve": frozenset({Role.DVM}),
    "pend": frozenset({Role.DVM}),
    "deny": frozenset({Role.DVM}),
    "fill": _DESK,
    "prepare": _DESK,
    "verify": _DESK,
    "reject": _DESK,
    "dispense": _DESK,
    "send_fax": _DESK,
    "fax_confirmed": _DESK | {Role.SYSTEM},
    "fax_failed": _DESK | {Role.SYSTEM},
    "retry": _DESK | {Role.SYSTEM},
    "return_to_stock": _DESK,
    "hold": _DESK,
    "resume": _DESK,
    "cancel": _DESK,
}
RECEIVE_ROLES: frozenset[Role] = _DESK | {Role.SYSTEM}


def destinations(state: str, trigger: str) -> frozenset[str]:
    """Every state the diagram allows `trigger` to lead to from `state` (empty: not allowed)."""
    found = set()
    for row in TRANSITIONS:
        sources = row["source"] if isinstance(row["source"], list) else [row["source"]]
        if row["trigger"] == trigger and state in sources:
            found.add(row["dest"])
    return frozenset(found)
