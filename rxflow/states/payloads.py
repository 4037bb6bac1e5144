"""What each trigger takes from the person firing it, validated before any rule runs."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rxflow.errors import InvalidInput


class DenialReason(StrEnum):
    """Why a DVM denies; mirrors the reasons pharmacies know from NCPDP SCRIPT denials."""

    EXAM_REQUIRED = "EXAM_REQUIRED"
    PATIENT_UNKNOWN = "PATIENT_UNKNOWN"
    NO_LONGER_UNDER_CARE = "NO_LONGER_UNDER_CARE"
    TOO_SOON = "TOO_SOON"
    NOT_APPROPRIATE = "NOT_APPROPRIATE"
    THERAPY_CHANGED = "THERAPY_CHANGED"
    PATIENT_DECEASED = "PATIENT_DECEASED"
    OTHER = "OTHER"


DENIAL_TEXT: dict[DenialReason, str] = {
    DenialReason.EXAM_REQUIRED: "The doctor needs to examine the patient before refilling.",
    DenialReason.PATIENT_UNKNOWN: "The patient is not known to this practice.",
    DenialReason.NO_LONGER_UNDER_CARE: "The patient is no longer under this practice's care.",
    DenialReason.TOO_SOON: "It is too soon for a refill of this medication.",
    DenialReason.NOT_APPROPRIATE: "The doctor does not consider a refill appropriate now.",
    DenialReason.THERAPY_CHANGED: "The doctor has changed the treatment plan.",
    DenialReason.PATIENT_DECEASED: "The patient is recorded as deceased.",
    DenialReason.OTHER: "See the doctor's note.",
}


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Note(Payload):
    note: str | None = Field(None, max_length=2000)


class Reason(Payload):
    reason: str = Field(min_length=3, max_length=2000)


class Approve(Payload):
    response: Literal["approved", "approved_with_changes", "replace"] = "approved"
    quantity: float | None = Field(None, gt=0, le=10000)
    directions: str | None = Field(None, min_length=2, max_length=500)
    refills: int | None = Field(None, ge=0, le=11)
    note: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _changes_named(self) -> Approve:
        changed = (self.quantity, self.directions, self.refills) != (None, None, None)
        if self.response == "approved_with_changes" and not changed:
            raise ValueError("'approved with changes' needs a new quantity, refills or directions")
        if self.response == "replace" and self.refills is None:
            raise ValueError("a replacement prescription needs its number of refills")
        return self


class Pend(Payload):
    note: str = Field(min_length=3, max_length=2000)
    expected_on: date | None = None


class Deny(Payload):
    reason_code: DenialReason
    note: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _other_explained(self) -> Deny:
        if self.reason_code is DenialReason.OTHER and not self.note:
            raise ValueError("a denial for another reason needs a note")
        return self


class Fill(Payload):
    lot_id: int = Field(gt=0)
    quantity: float = Field(gt=0, le=10000)
    scanned_code: str = Field(min_length=1, max_length=200)


class Checklist(Payload):
    attestations: dict[str, bool] = Field(default_factory=dict)
    overrides: dict[str, str] = Field(default_factory=dict)
    scanned_code: str | None = Field(None, max_length=200)
    counted_quantity: float | None = Field(None, ge=0, le=10000)


class FaxConfirmed(Payload):
    detail: str | None = Field(None, max_length=2000)


PAYLOADS: dict[str, type[Payload]] = {
    "authorize": Note,
    "request_approval": Note,
    "approve": Approve,
    "pend": Pend,
    "deny": Deny,
    "fill": Fill,
    "prepare": Note,
    "verify": Checklist,
    "reject": Reason,
    "dispense": Checklist,
    "send_fax": Note,
    "fax_confirmed": FaxConfirmed,
    "fax_failed": Reason,
    "retry": Note,
    "return_to_stock": Note,
    "hold": Reason,
    "resume": Note,
    "cancel": Reason,
}


def parse_payload(trigger: str, data: dict[str, object] | None) -> Payload:
    """Validate `data` for `trigger`; a bad field becomes one sentence naming the field."""
    try:
        model = PAYLOADS[trigger]
    except KeyError:
        raise InvalidInput(f"Unknown step '{trigger}'.") from None
    try:
        return model.model_validate(data or {})
    except ValidationError as exc:
        raise InvalidInput(_sentence(trigger, exc)) from None


def _sentence(trigger: str, exc: ValidationError) -> str:
    first = exc.errors()[0]
    step = trigger.replace("_", " ").capitalize()
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        message = "is required"
    elif first["type"] == "extra_forbidden":
        message = "is not a field of this step"
    field = ".".join(str(p) for p in first["loc"])
    return f"{step}: {field} {message}." if field else f"{step}: {message}."
