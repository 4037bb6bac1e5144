"""Builds the checklist facts for `verify` and `dispense` from the request's rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from rxflow.db.models import RefillRequest
from rxflow.facts import RequestFacts
from rxflow.states import payloads


def checklist_input(
    session: Session,
    request: RefillRequest,
    facts: RequestFacts,
    answers: payloads.Payload,
    trigger: str,
    now: datetime,
) -> tuple[Any, Any]:
    raise NotImplementedError("checklists land with issue 4")
