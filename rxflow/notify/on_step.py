"""The step hook that queues client messages: ready for pickup, faxed to pharmacy, denied."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rxflow.notify.context import long_date, request_context
from rxflow.notify.enqueue import enqueue
from rxflow.notify.routing import route_for
from rxflow.service.effects import Step
from rxflow.states import payloads


def _kind(step: Step) -> str | None:
    request = step.request
    if step.trigger == "verify" and request.fulfillment == "in_house":
        return "ready_for_pickup"
    if step.trigger == "fax_confirmed":
        return "faxed_to_pharmacy"
    if step.trigger == "deny":
        return "denied"
    return None


def queue_notifications(step: Step) -> dict[str, Any]:
    """Queue the client's message for this step (sent later by the outbox worker)."""
    kind = _kind(step)
    if kind is None:
        return {}
    request = step.request
    route = route_for(request.patient.client, request.patient)
    if route is None:
        return {"notification": "none (opted out or deceased)"}
    context = request_context(step.session, request)
    held_until = step.now.date() + timedelta(days=step.ctx.rules.unclaimed_days)
    context["keep_until"] = long_date(held_until)
    if isinstance(step.payload, payloads.Deny):
        context["reason_code"] = step.payload.reason_code.value
    key = f"notify:{request.id}:{kind}"
    queued = enqueue(
        step.session,
        kind=kind,
        key=key,
        request_id=request.id,
        route=route,
        recipient_name=request.patient.client.name,
        context=context,
        now=step.now,
    )
    return {"notification": key if queued else f"{key} (already queued)"}
