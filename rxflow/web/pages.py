"""The HTML pages: DVM queue, request page, CSR desk, intake, fill and checklist forms."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from rxflow.checklists.schema import checklist_for
from rxflow.codes import parse_scan, scan_matches
from rxflow.db.base import utcnow
from rxflow.db.models import (
    Client,
    Document,
    InboundFax,
    Patient,
    Pharmacy,
    RefillRequest,
    StockLot,
)
from rxflow.db.session import Database
from rxflow.errors import Conflict, Forbidden, InvalidInput, NotFound, RxflowError
from rxflow.notify.views import timeline_messages
from rxflow.service import queries, workflow
from rxflow.service.checking import checklist_path
from rxflow.states.definition import ROLES_BY_TRIGGER, TRIGGERS
from rxflow.states.diagram import mermaid
from rxflow.states.payloads import DENIAL_TEXT, DenialReason
from rxflow.web import csrf
from rxflow.web.auth import SessionUser, current_user, forget, log_in, remember
from rxflow.web.render import render, status_of
from rxflow.web.uploads import read_pdf_upload

Handler = Callable[[Request, SessionUser], Awaitable[Response]]


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def page(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Log-in required; an engine error becomes the friendly error page with its status."""

    async def wrapped(request: Request) -> Response:
        user = current_user(request)
        if user is None:
            if request.method == "GET":
                return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
            return render(
                request, "error.html", {"reason": "Please log in again."}, status_code=401
            )
        try:
            return await handler(request, user)
        except RxflowError as exc:
            return render(request, "error.html", {"reason": exc.reason}, status_code=status_of(exc))
        finally:
            await request.close()  # frees uploaded files' temporary storage

    wrapped.__name__ = handler.__name__
    wrapped.__doc__ = handler.__doc__
    return wrapped


async def _form(request: Request) -> FormData:
    """The posted form, after its CSRF token has been checked."""
    form = await request.form()
    csrf.check(request, form.get("csrf"))
    return form


# ---- log in and out -------------------------------------------------------------------------


async def home(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/queue" if user.role == "dvm" else "/desk", status_code=303)


async def login_form(request: Request) -> Response:
    return render(request, "login.html", {"next": request.query_params.get("next", "")})


def _safe_next(value: object) -> str:
    text = value if isinstance(value, str) else ""
    return text if re.fullmatch(r"/[A-Za-z0-9/_\-]*", text) else "/"


async def login(request: Request) -> Response:
    form = await request.form()
    try:
        csrf.check(request, form.get("csrf"))
    except Forbidden as exc:
        return render(request, "login.html", {"error": exc.reason}, status_code=403)
    username = str(form.get("username") or "")[:60]
    password = str(form.get("password") or "")[:200]
    ip = request.client.host if request.client else "?"
    limiter = request.app.state.limiter
    if limiter.blocked(username, ip):
        return render(
            request,
            "login.html",
            {"error": "Too many failed attempts; wait five minutes and try again."},
            status_code=429,
        )
    user = await run_in_threadpool(
        log_in, _db(request), username, password, bound_host=request.app.state.bound_host
    )
    if user is None:
        limiter.failed(username, ip)
        return render(
            request,
            "login.html",
            {"error": "That username and password do not match.", "username": username},
            status_code=401,
        )
    limiter.succeeded(username, ip)
    remember(request, user)
    target = _safe_next(form.get("next"))
    if target == "/":
        target = "/queue" if user.role == "dvm" else "/desk"
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    form = await request.form()
    if current_user(request) is not None:
        csrf.check(request, form.get("csrf"))
    forget(request)
    return RedirectResponse("/login", status_code=303)


# ---- the doctors' queue ---------------------------------------------------------------------


def _queue(db: Database) -> list[queries.QueueRow]:
    with db.read() as session:
        return queries.approval_queue(session, utcnow().date())


@page
async def queue(request: Request, user: SessionUser) -> Response:
    """Awaiting approval, oldest first; j/k move, a approves, d opens deny."""
    rows = await run_in_threadpool(_queue, _db(request))
    return render(request, "queue.html", {"rows": rows, "may_approve": _may(user, "approve")})


@page
async def queue_rows(request: Request, user: SessionUser) -> Response:
    """Just the table body, for the page's light polling."""
    rows = await run_in_threadpool(_queue, _db(request))
    return render(request, "queue_rows.html", {"rows": rows, "may_approve": _may(user, "approve")})


def _may(user: SessionUser, trigger: str) -> bool:
    return user.role in ROLES_BY_TRIGGER.get(trigger, ())


@page
async def batch_approve(request: Request, user: SessionUser) -> Response:
    """Approve every ticked request as written; each one stands or fails alone."""
    form = await _form(request)
    if not _may(user, "approve"):
        raise Forbidden("Only a veterinarian may approve a refill.")
    done: list[int] = []
    refused: list[str] = []
    for value in form.getlist("pick"):
        ident, _, version = str(value).partition(":")
        if not ident.isdigit() or not version.isdigit():
            continue
        try:
            await run_in_threadpool(
                workflow.fire, _db(request), int(ident), "approve", actor_id=user.id,
                payload={"response": "approved"}, expected_version=int(version),
            )  # fmt: skip
            done.append(int(ident))
        except RxflowError as exc:
            refused.append(f"#{ident}: {exc.reason}")
    rows = await run_in_threadpool(_queue, _db(request))
    return render(
        request,
        "queue.html",
        {"rows": rows, "may_approve": True, "approved": done, "refused": refused},
        status_code=200 if not refused else 422,
    )


# ---- the CSR desk ---------------------------------------------------------------------------


def _desk(db: Database, state: str | None) -> dict[str, Any]:
    with db.read() as session:
        return {
            "counts": queries.open_counts(session),
            "overdue": queries.overdue(session, utcnow()),
            "requests": queries.requests_in_state(session, state, limit=100),
            "state": state,
        }


@page
async def desk(request: Request, user: SessionUser) -> Response:
    """Every open request by state with counts, and what is overdue."""
    state = request.query_params.get("state") or None
    context = await run_in_threadpool(_desk, _db(request), state)
    return render(request, "desk.html", context)


# ---- one request ----------------------------------------------------------------------------


def _request_context(db: Database, request_id: int, user: SessionUser) -> dict[str, Any]:
    view = workflow.get_request(db, request_id)
    events = workflow.history(db, request_id)
    allowed = workflow.allowed_triggers(db, request_id, actor_id=user.id)
    with db.read() as session:
        row = session.get(RefillRequest, request_id)
        assert row is not None
        patient = session.get(Patient, view.patient_id)
        client = session.get(Client, view.client_id)
        picture = queries.patient_picture(session, view.patient_id, view.product_id)
        docs = session.execute(
            select(Document.id, Document.kind, Document.filename, Document.voided_at)
            .where(Document.request_id == request_id)
            .order_by(Document.id)
        ).all()
        pharmacy = session.get(Pharmacy, view.pharmacy_id) if view.pharmacy_id else None
        inbound_fax_id = row.inbound_fax_id
        messages = timeline_messages(session, request_id)
    return {
        "messages": messages,
        "r": view,
        "events": events,
        "allowed": allowed,
        "patient": patient,
        "client": client,
        "picture": picture,
        "documents": docs,
        "pharmacy": pharmacy,
        "inbound_fax_id": inbound_fax_id,
        "diagram": _diagram(view.state),
        "denial_reasons": [(r.value, DENIAL_TEXT[r]) for r in DenialReason],
        "may_approve": _may(user, "approve"),
    }


def _diagram(current: str) -> list[dict[str, Any]]:
    """The Mermaid transitions as readable rows, the current state's marked."""
    rows: list[dict[str, Any]] = []
    for line in mermaid(current).splitlines():
        match = re.match(r"\s*(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)\s*(?::\s*(.*))?$", line)
        if match:
            source, dest, label = match.groups()
            rows.append(
                {
                    "source": "start" if source == "[*]" else source,
                    "dest": "end" if dest == "[*]" else dest,
                    "label": (label or "").strip(),
                    "here": current in (source, dest),
                    "from_here": source == current,
                }
            )
    return rows


@page
async def request_page(request: Request, user: SessionUser) -> Response:
    """What a decision needs on one screen, the steps this user may take, the timeline."""
    request_id = int(request.path_params["request_id"])
    context = await run_in_threadpool(_request_context, _db(request), request_id, user)
    return render(request, "request.html", context)


def _payload(trigger: str, form: FormData) -> dict[str, Any]:
    """Form fields to a step's payload: empty fields left out, checklist boxes gathered."""
    payload: dict[str, Any] = {}
    attestations: dict[str, bool] = {}
    overrides: dict[str, str] = {}
    for key, value in form.multi_items():
        if key in {"csrf", "version"} or isinstance(value, UploadFile):
            continue
        text = value.strip()
        if key.startswith("attest:"):
            attestations[key[7:]] = True
        elif key.startswith("override:"):
            if text:
                overrides[key[9:]] = text
        elif text:
            payload[key] = text
    if trigger in {"verify", "dispense"}:
        payload["attestations"] = attestations
        payload["overrides"] = overrides
    return payload


@page
async def take_step(request: Request, user: SessionUser) -> Response:
    """Fire one step from a form; a refusal re-shows the page with the reason above it."""
    request_id = int(request.path_params["request_id"])
    trigger = str(request.path_params["trigger"])
    if trigger not in TRIGGERS:
        raise NotFound("step", trigger)
    form = await _form(request)
    version_text = str(form.get("version") or "")
    version = int(version_text) if version_text.isdigit() else None
    if not _may(user, trigger):
        raise Forbidden(f"A {user.role} may not {trigger.replace('_', ' ')} a request.")
    db = _db(request)
    try:
        await run_in_threadpool(
            workflow.fire, db, request_id, trigger, actor_id=user.id,
            payload=_payload(trigger, form), expected_version=version,
        )  # fmt: skip
    except Conflict as exc:
        context = await run_in_threadpool(_request_context, db, request_id, user)
        context["error"] = exc.reason
        return render(request, "request.html", context, status_code=409)
    except (InvalidInput, Forbidden, NotFound):
        raise
    except RxflowError as exc:
        context = await run_in_threadpool(_request_context, db, request_id, user)
        context["error"] = exc.reason
        if trigger in {"verify", "dispense"}:
            context.update(await run_in_threadpool(_checklist_context, db, request_id, trigger))
            return render(request, "checklist.html", context, status_code=422)
        return render(request, "request.html", context, status_code=422)
    return RedirectResponse(f"/requests/{request_id}", status_code=303)


# ---- fill and checklist ---------------------------------------------------------------------


def _lots(db: Database, product_id: int) -> list[StockLot]:
    with db.read() as session:
        return list(
            session.scalars(
                select(StockLot)
                .where(
                    StockLot.product_id == product_id,
                    StockLot.quantity_on_hand > 0,
                    StockLot.expires_on >= date.today(),
                )
                .order_by(StockLot.expires_on)
            )
        )


@page
async def fill_page(request: Request, user: SessionUser) -> Response:
    """A focused scanner field; the product match shows as soon as the code is in."""
    request_id = int(request.path_params["request_id"])
    db = _db(request)
    view = await run_in_threadpool(workflow.get_request, db, request_id)
    lots = await run_in_threadpool(_lots, db, view.product_id)
    return render(request, "fill.html", {"r": view, "lots": lots})


def _match(db: Database, request_id: int, code: str) -> dict[str, Any]:
    view = workflow.get_request(db, request_id)
    with db.read() as session:
        product = queries.product_by_id(session, view.product_id)
        ndc = product.ndc11 if product and product.ndc11 else ""
    try:
        scan = parse_scan(code)
    except InvalidInput as exc:
        return {"match": False, "reason": exc.reason}
    if scan_matches(scan, ndc):
        return {"match": True, "reason": f"Matches {view.drug}."}
    return {"match": False, "reason": f"This is not {view.drug}; check the bottle."}


@page
async def scan_match(request: Request, user: SessionUser) -> Response:
    request_id = int(request.path_params["request_id"])
    code = request.query_params.get("code", "")[:200]
    return JSONResponse(await run_in_threadpool(_match, _db(request), request_id, code))


def _checklist_context(db: Database, request_id: int, trigger: str) -> dict[str, Any]:
    with db.read() as session:
        row = session.get(RefillRequest, request_id)
        if row is None:
            raise NotFound("refill request", request_id)
        controlled = row.product.schedule is not None
        checklist = checklist_for(checklist_path(row, trigger), controlled)
    return {"trigger": trigger, "checklist": checklist}


@page
async def checklist_page(request: Request, user: SessionUser) -> Response:
    """Verify or dispense: attest items as boxes, engine items listed, DVM overrides."""
    request_id = int(request.path_params["request_id"])
    trigger = str(request.path_params["trigger"])
    if trigger not in {"verify", "dispense"}:
        raise NotFound("checklist", trigger)
    db = _db(request)
    context = await run_in_threadpool(_request_context, db, request_id, user)
    context.update(await run_in_threadpool(_checklist_context, db, request_id, trigger))
    return render(request, "checklist.html", context)


# ---- documents ------------------------------------------------------------------------------


def stored_document(db: Database, document_id: int) -> tuple[str, bytes]:
    """A document's file name and bytes exactly as issued (the page and the API serve these)."""
    with db.read() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise NotFound("document", document_id)
        return document.filename, document.content


def pdf_response(filename: str, content: bytes) -> Response:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "document.pdf"
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{safe}"'},
    )


@page
async def document_pdf(request: Request, user: SessionUser) -> Response:
    filename, content = await run_in_threadpool(
        stored_document, _db(request), int(request.path_params["document_id"])
    )
    return pdf_response(filename, content)


def _fax(db: Database, fax_id: int) -> tuple[str, bytes]:
    with db.read() as session:
        fax = session.get(InboundFax, fax_id)
        if fax is None:
            raise NotFound("incoming fax", fax_id)
        return fax.filename, fax.content


@page
async def fax_pdf(request: Request, user: SessionUser) -> Response:
    filename, content = await run_in_threadpool(
        _fax, _db(request), int(request.path_params["fax_id"])
    )
    return pdf_response(filename, content)


# ---- intake ---------------------------------------------------------------------------------


def _pharmacies(db: Database) -> list[Pharmacy]:
    with db.read() as session:
        return list(session.scalars(select(Pharmacy).order_by(Pharmacy.name)))


@page
async def intake_form(request: Request, user: SessionUser) -> Response:
    """Find the pet as you type, pick the prescription or write the request; or upload a fax."""
    pharmacies = await run_in_threadpool(_pharmacies, _db(request))
    return render(request, "intake.html", {"pharmacies": pharmacies, "values": {}})


@page
async def search_patients(request: Request, user: SessionUser) -> Response:
    text = request.query_params.get("q", "")[:60]

    def run() -> list[dict[str, Any]]:
        with _db(request).read() as session:
            return queries.search_patients(session, text)

    return JSONResponse(await run_in_threadpool(run))


@page
async def intake(request: Request, user: SessionUser) -> Response:
    """Take the request from the form; a refusal keeps what was typed and says why."""
    form = await _form(request)
    data: dict[str, Any] = {}
    for key in ("prescription_id", "patient_id", "product_id", "pharmacy_id"):
        value = str(form.get(key) or "").strip()
        if value:
            data[key] = value
    for key in ("directions", "quantity", "source", "fulfillment", "note", "pharmacy_reference"):
        value = str(form.get(key) or "").strip()
        if value:
            data[key] = value
    if data.get("prescription_id"):
        for key in ("patient_id", "product_id", "directions", "quantity"):
            data.pop(key, None)
    try:
        view = await run_in_threadpool(
            workflow.receive_request, _db(request), data, actor_id=user.id
        )
    except (InvalidInput, NotFound) as exc:
        pharmacies = await run_in_threadpool(_pharmacies, _db(request))
        values = {k: str(v) for k, v in form.items() if k != "csrf"}
        return render(
            request,
            "intake.html",
            {"pharmacies": pharmacies, "error": exc.reason, "values": values},
            status_code=422,
        )
    return RedirectResponse(f"/requests/{view.id}", status_code=303)


@page
async def intake_fax(request: Request, user: SessionUser) -> Response:
    """Store the uploaded fax PDF, read it, and show the triage form beside it."""
    from rxflow.fax.intake_service import intake_pdf

    form = await _form(request)
    try:
        content, filename = await read_pdf_upload(
            form.get("fax"), request.app.state.max_upload_bytes
        )
    except InvalidInput as exc:
        pharmacies = await run_in_threadpool(_pharmacies, _db(request))
        return render(
            request,
            "intake.html",
            {"pharmacies": pharmacies, "error": exc.reason, "values": {}},
            status_code=422,
        )
    outcome = await run_in_threadpool(intake_pdf, _db(request), content, filename, user.id)
    if outcome.inbound_fax_id is None:
        raise InvalidInput(outcome.error or "The fax could not be stored.")
    return RedirectResponse(f"/intake/fax/{outcome.inbound_fax_id}", status_code=303)


def _fax_context(db: Database, fax_id: int) -> dict[str, Any]:
    with db.read() as session:
        fax = session.get(InboundFax, fax_id)
        if fax is None:
            raise NotFound("incoming fax", fax_id)
        created = list(
            session.scalars(select(RefillRequest.id).where(RefillRequest.inbound_fax_id == fax_id))
        )
        extracted = fax.extraction if isinstance(fax.extraction, dict) else {}
        return {
            "fax": {
                "id": fax.id,
                "filename": fax.filename,
                "status": fax.status,
                "error": fax.error,
                "text_source": fax.text_source,
            },  # fmt: skip
            "created": created,
            "extracted": extracted,
            "pharmacies": list(session.scalars(select(Pharmacy).order_by(Pharmacy.name))),
        }


@page
async def fax_triage(request: Request, user: SessionUser) -> Response:
    context = await run_in_threadpool(
        _fax_context, _db(request), int(request.path_params["fax_id"])
    )
    return render(request, "fax.html", context)


@page
async def fax_confirm(request: Request, user: SessionUser) -> Response:
    """The CSR's choice for a faxed item the reader was not sure of: the request is created."""
    from rxflow.fax.intake_service import confirm_item

    fax_id = int(request.path_params["fax_id"])
    form = await _form(request)
    prescription = str(form.get("prescription_id") or "").strip()
    pharmacy = str(form.get("pharmacy_id") or "").strip()
    if not prescription.isdigit() or not pharmacy.isdigit():
        raise InvalidInput("Pick the prescription and the pharmacy before confirming.")
    request_id = await run_in_threadpool(
        lambda: confirm_item(
            _db(request), fax_id, prescription_id=int(prescription),
            pharmacy_id=int(pharmacy), actor_id=user.id,
        )
    )  # fmt: skip
    return RedirectResponse(f"/requests/{request_id}", status_code=303)
