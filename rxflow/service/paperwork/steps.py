"""Which documents each step issues (DESIGN "Documents at each step"), as a step hook."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from rxflow.db.models import (
    Approval,
    Fill,
    Prescription,
    RefillRequest,
    StockLot,
    StockMovement,
    User,
)
from rxflow.documents import data as d
from rxflow.service.effects import Step
from rxflow.service.paperwork import adapt
from rxflow.service.paperwork.issue import active, issue, void
from rxflow.service.snapshot import active_fill
from rxflow.states import payloads

Built = Iterator[tuple[str, BaseModel]]
Builder = Callable[[Step], Built]
STEP_DOCUMENTS: dict[str, list[Builder]] = {}


def documents_for(*triggers: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        for trigger in triggers:
            STEP_DOCUMENTS.setdefault(trigger, []).append(fn)
        return fn

    return register


def issue_step_documents(step: Step) -> dict[str, Any]:
    """Render and store every document of this step; the ids go on the audit event."""
    issued = []
    for build in STEP_DOCUMENTS.get(step.trigger, []):
        for kind, data in build(step):
            document = issue(
                step.session,
                kind,
                data,
                request_id=step.request.id,
                actor_id=step.actor.id,
                now=step.now,
            )
            issued.append(document.id)
    for reason in _voids(step):
        label = active(step.session, step.request.id, "label")
        if label is not None:
            void(step.session, label, reason, actor_id=step.actor.id, now=step.now, audit=False)
            issued.append(-label.id)
    return {"documents": issued} if issued else {}


def _voids(step: Step) -> list[str]:
    if step.trigger in {"reject", "return_to_stock", "cancel"}:
        reason = getattr(step.payload, "reason", None) or step.trigger.replace("_", " ")
        return [f"Label voided: {reason}"]
    return []


def _common(step: Step) -> dict[str, Any]:
    request = step.request
    return {
        "request_number": adapt.request_number(request),
        "practice": adapt.practice_info(step.session),
        "client": adapt.client_info(request.patient.client),
        "patient": adapt.patient_info(request.patient),
    }


def _drug(step: Step) -> d.DrugInfo:
    return adapt.drug_info(step.request.product, step.ctx.facts.schedule)


def _signer(step: Step) -> User:
    request = step.request
    signer_id = request.authorized_by_id or (
        request.prescription.prescriber_id if request.prescription else step.actor.id
    )
    signer = step.session.get(User, signer_id)
    assert signer is not None
    return signer


def _refills_left(step: Step) -> int:
    rx = step.request.prescription
    return rx.refills_remaining if rx is not None else 0


@documents_for("request_approval")
def _summary(step: Step) -> Built:
    request, session = step.request, step.session
    common = _common(step)
    del common["client"], common["patient"]
    history = session.scalars(
        select(Prescription)
        .where(
            Prescription.patient_id == request.patient_id,
            Prescription.product_id == request.product_id,
        )
        .order_by(Prescription.written_on)
    )
    earlier = session.scalars(
        select(Fill)
        .join(RefillRequest, RefillRequest.id == Fill.request_id)
        .where(
            RefillRequest.patient_id == request.patient_id,
            RefillRequest.product_id == request.product_id,
            Fill.voided_at.is_(None),
        )
        .order_by(Fill.filled_at)
    )
    received_by = session.get(User, request.received_by_id)
    yield (
        "refill_summary",
        d.RefillSummary(
            **common,
            received_on=request.received_at.date(),
            source=request.source.replace("_", " "),
            requested_by=received_by.display_name if received_by else "",
            client=adapt.client_info(request.patient.client),
            patient=adapt.patient_info(request.patient),
            requested=adapt.order(
                request, step.ctx.facts.schedule, _refills_left(step), strict=False
            ),
            prescriptions=tuple(
                d.PrescriptionHistoryEntry(
                    written_on=rx.written_on,
                    description=rx.product.display_name,
                    prescriber_name=rx.prescriber.display_name,
                    refills_authorized=rx.refills_authorized,
                    refills_remaining=rx.refills_remaining,
                    expires_on=rx.expires_on,
                )
                for rx in history
            ),
            fills=tuple(
                d.FillHistoryEntry(
                    filled_on=f.filled_at.date(),
                    description=request.product.display_name,
                    quantity=f.quantity,
                    quantity_unit=request.product.dosage_form,
                )
                for f in earlier
            ),
            note=request.note or None,
        ),
    )


@documents_for("approve", "pend", "deny")
def _pharmacy_answer(step: Step) -> Built:
    request = step.request
    if request.pharmacy is None or request.source not in {"fax", "online", "api"}:
        return
    approval = step.session.scalar(
        select(Approval)
        .where(Approval.request_id == request.id)
        .order_by(Approval.id.desc())
        .limit(1)
    )
    assert approval is not None
    schedule = step.ctx.facts.schedule
    authorized = None
    if approval.response in {"approved", "approved_with_changes", "replace"}:
        authorized = adapt.order(request, schedule, approval.refills or 0)
    common = _common(step)
    yield (
        "pharmacy_response",
        d.PharmacyResponse(
            **common,
            outcome=approval.response,
            pharmacy=adapt.pharmacy_info(request.pharmacy),
            pharmacy_request_number=request.pharmacy_reference or adapt.request_number(request),
            prescriber=adapt.prescriber_info(_user(step)),
            requested=adapt.order(request, schedule, _refills_left(step)),
            authorized=authorized,
            changes_note=approval.note or None
            if approval.response == "approved_with_changes"
            else None,
            denial_code=approval.reason_code,
            denial_reason=request.status_reason or None if approval.response == "denied" else None,
            pending_note=approval.note or None if approval.response == "pending" else None,
            expected_on=approval.expected_on,
            responded_on=step.now.date(),
        ),
    )


def _user(step: Step) -> User:
    user = step.session.get(User, step.actor.id)
    assert user is not None
    return user


@documents_for("deny")
def _denial_notice(step: Step) -> Built:
    answer = step.payload
    assert isinstance(answer, payloads.Deny)
    exam = answer.reason_code is payloads.DenialReason.EXAM_REQUIRED
    practice = adapt.practice_info(step.session)
    yield (
        "denial_notice",
        d.DenialNotice(
            **_common(step),
            drug=_drug(step),
            denied_on=step.now.date(),
            reason_plain=payloads.DENIAL_TEXT[answer.reason_code],
            exam_needed=exam,
            booking_instructions=f"Call us at {practice.phone} to book an exam." if exam else None,
            prescriber_name=step.actor.display_name,
        ),
    )


@documents_for("fill")
def _label(step: Step) -> Built:
    request = step.request
    fill = active_fill(step.session, request.id)
    assert fill is not None and fill.lot_id is not None
    lot = step.session.get(StockLot, fill.lot_id)
    assert lot is not None
    sig = adapt.sig_of(request)
    label = d.LabelData(
        **_common(step),
        prescriber=adapt.prescriber_info(_signer(step)),
        drug=_drug(step),
        quantity=fill.quantity,
        quantity_unit=adapt.unit_word(sig, request.product, fill.quantity),
        directions_plain=sig.plain,
        filled_on=step.now.date(),
        discard_by=adapt.discard_by(step.now.date(), lot.expires_on),
        refills_remaining=_refills_left(step),
        lot_number=lot.lot_number,
    )
    yield "label", d.LabelPrint(labels=(label,), stock=step.ctx.rules.default_label_stock)


@documents_for("prepare")
def _written_prescription(step: Step) -> Built:
    request = step.request
    sig = adapt.sig_of(request)
    refills = request.prescription.refills_remaining if request.prescription else 0
    yield (
        "written_prescription",
        d.WrittenPrescription(
            **_common(step),
            prescriber=adapt.prescriber_info(_signer(step)),
            drug=_drug(step),
            quantity=request.quantity,
            quantity_unit=adapt.unit_word(sig, request.product, request.quantity),
            directions_plain=sig.plain,
            refills=refills,
            written_on=step.now.date(),
            pharmacy=adapt.pharmacy_info(request.pharmacy) if request.pharmacy else None,
        ),
    )


@documents_for("verify")
def _checklist_record(step: Step) -> Built:
    result = step.ctx.checklist_result
    yield (
        "checklist_record",
        d.ChecklistRecord(
            request_number=adapt.request_number(step.request),
            practice=adapt.practice_info(step.session),
            checklist_id=result.checklist_id,
            checklist_version=result.version,
            patient=adapt.patient_info(step.request.patient),
            drug=_drug(step),
            answers=tuple(
                d.ChecklistAnswer(
                    item=answer.text,
                    answer=_answer_word(answer),
                    answered_by=step.actor.display_name,
                    answered_at=step.now,
                    note=answer.override_reason or answer.finding,
                )
                for answer in result.answers
            ),
            passed=result.passed,
        ),
    )


def _answer_word(answer: Any) -> str:
    if answer.overridden:
        return "Overridden by DVM"
    if answer.kind == "attest":
        return "Confirmed" if answer.passed else "Not confirmed"
    return "Pass" if answer.passed else "Fail"


@documents_for("verify")
def _handout(step: Step) -> Built:
    request = step.request
    if request.fulfillment != "in_house":
        return
    product = request.product
    effects = tuple(
        s.strip() for s in product.side_effects.replace(";", "\n").splitlines() if s.strip()
    )
    yield (
        "client_handout",
        d.ClientHandout(
            **_common(step),
            drug=_drug(step),
            directions_plain=adapt.sig_of(request).plain,
            filled_on=step.now.date(),
            side_effects=effects,
            missed_dose=product.missed_dose or None,
        ),
    )


@documents_for("dispense")
def _receipt(step: Step) -> Built:
    request = step.request
    fill = active_fill(step.session, request.id)
    assert fill is not None
    sig = adapt.sig_of(request)
    attested = getattr(step.payload, "attestations", {}) or {}
    common = _common(step)
    yield (
        "dispensing_receipt",
        d.DispensingReceipt(
            **common,
            lines=(
                d.ReceiptLine(
                    description=request.product.display_name,
                    quantity=fill.quantity,
                    quantity_unit=adapt.unit_word(sig, request.product, fill.quantity),
                ),
            ),
            dispensed_at=step.now,
            dispensed_by=step.actor.display_name,
            handed_to=request.patient.client.name,
            counselled=any(v for k, v in attested.items() if "counsel" in k),
        ),
    )


@documents_for("dispense")
def _controlled_log_line(step: Step) -> Built:
    schedule = step.ctx.facts.schedule
    request = step.request
    if schedule is None:
        return
    fill = active_fill(step.session, request.id)
    assert fill is not None and fill.lot_id is not None
    move = step.session.scalar(
        select(StockMovement)
        .where(
            StockMovement.request_id == request.id,
            StockMovement.reason == "fill",
            StockMovement.lot_id == fill.lot_id,
        )
        .order_by(StockMovement.id.desc())
        .limit(1)
    )
    assert move is not None
    filler = step.session.get(User, fill.filled_by_id)
    yield (
        "controlled_log",
        d.ControlledLog(
            practice=adapt.practice_info(step.session),
            registrant=adapt.prescriber_info(_signer(step)),
            drug=_drug(step),
            quantity_unit=adapt.unit_word(adapt.sig_of(request), request.product, Decimal(2)),
            opening_balance=move.balance_after - move.delta,
            period_start=step.now.date(),
            period_end=step.now.date(),
            rows=(
                d.ControlledLogRow(
                    at=step.now,
                    description="Dispensed",
                    quantity_out=-move.delta,
                    request_number=adapt.request_number(request),
                    patient_name=request.patient.name,
                    client_name=request.patient.client.name,
                    recorded_by=filler.display_name if filler else "",
                    witnessed_by=step.actor.display_name,
                ),
            ),
        ),
    )


@documents_for("send_fax", "retry")
def _cover_sheet(step: Step) -> Built:
    request = step.request
    assert request.pharmacy is not None
    yield (
        "fax_cover_sheet",
        d.FaxCoverSheet(
            to=adapt.pharmacy_info(request.pharmacy),
            practice=adapt.practice_info(step.session),
            sender_name=step.actor.display_name,
            pages=2,
            sent_on=step.now.date(),
            subject=f"Prescription for {request.patient.name} ({adapt.request_number(request)})",
        ),
    )
