"""Frozen snapshots of what the guards read, built by the service from the database.

Guards never query: they read these, so a rule is a pure function and a dry run is free.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from rxflow.settings import PracticeRules


class Actor(BaseModel):
    """The person (or worker) taking the step."""

    model_config = ConfigDict(frozen=True)

    id: int
    username: str
    display_name: str
    role: str
    license_number: str | None = None
    dea_number: str | None = None
    has_signature: bool = False


class PrescriptionFacts(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    status: str
    refills_authorized: int
    refills_remaining: int
    written_on: date
    expires_on: date
    prescriber_id: int


class RequestFacts(BaseModel):
    """Everything a guard may need about one refill request, as of the start of the step."""

    model_config = ConfigDict(frozen=True)

    request_id: int
    state: str
    held_from: str | None
    fulfillment: str  # in_house | outside
    authorization: str | None  # standing | dvm
    now: datetime
    today: date
    prescription: PrescriptionFacts | None
    generic_name: str
    schedule: int | None  # effective schedule after the practice's state override
    patient_alive: bool
    patient_last_exam_on: date | None
    pharmacy_fax: str | None
    fill_id: int | None
    filled_by_id: int | None
    lot_on_hand: float | None  # stock left in the lot named by a fill payload
    lot_product_matches: bool | None
    has_passed_checklist: bool
    verified_at: datetime | None
    approver: Actor | None  # who authorized (the DVM), for the written prescription


class GuardContext(BaseModel):
    """What every guard receives: the facts, the actor, the step's payload and the rules."""

    model_config = ConfigDict(frozen=False, arbitrary_types_allowed=True)

    facts: RequestFacts
    actor: Actor
    payload: Any
    rules: PracticeRules
    # Filled in by the checklist guard so the service can record the run it evaluated.
    checklist_result: Any = None
    checklist_input: Any = None
