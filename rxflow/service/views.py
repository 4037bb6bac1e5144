"""What the service hands back to its callers (web, CLI, workers): plain pydantic snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["phone", "walk_in", "email", "online", "fax", "api"]
Fulfillment = Literal["in_house", "outside"]


class RequestIn(BaseModel):
    """A new refill request: a standing prescription, or patient + product + directions."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    prescription_id: int | None = Field(None, gt=0)
    patient_id: int | None = Field(None, gt=0)
    product_id: int | None = Field(None, gt=0)
    directions: str | None = Field(None, min_length=2, max_length=500)
    quantity: float | None = Field(None, gt=0, le=10000)
    source: Source = "phone"
    fulfillment: Fulfillment = "in_house"
    pharmacy_id: int | None = Field(None, gt=0)
    pharmacy_reference: str = Field("", max_length=60)
    note: str = Field("", max_length=2000)
    inbound_fax_id: int | None = None


class EventView(BaseModel):
    id: int
    at: datetime
    actor: str | None
    action: str
    from_state: str | None
    to_state: str | None
    detail: dict[str, Any]


class DocumentView(BaseModel):
    id: int
    kind: str
    filename: str
    sha256: str
    created_at: datetime
    voided: bool


class RequestView(BaseModel):
    id: int
    state: str
    version: int
    held_from: str | None
    source: str
    fulfillment: str
    patient_id: int
    patient_name: str
    species: str
    client_id: int
    client_name: str
    product_id: int
    drug: str
    controlled: bool
    prescription_id: int | None
    pharmacy_id: int | None
    directions: str
    quantity: float
    authorization: str | None
    status_reason: str
    received_at: datetime
    updated_at: datetime
    updated_by: str
