"""The JSON API under /api/v1 for pharmacies and the practice-management system (Bearer tokens)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from rxflow.db.models import Document, RefillRequest
from rxflow.db.session import Database
from rxflow.errors import InvalidInput, RxflowError
from rxflow.service import queries, records, workflow
from rxflow.service.tokens import user_for_token
from rxflow.service.views import DocumentView, RequestView
from rxflow.states.definition import State
from rxflow.web.render import status_of
from rxflow.web.uploads import read_pdf_upload

Endpoint = Callable[[Request, int], Awaitable[Response]]


def error(code: str, reason: str, status: int) -> JSONResponse:
    return JSONResponse({"error": code, "reason": reason}, status_code=status)


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


_TOKEN_TTL = 30.0
_known_tokens: dict[str, tuple[int, float]] = {}


def _token_user(db: Database, token: str) -> int | None:
    """The token's user; a known token is re-checked (and last_used_at written) every 30 s,
    not on every call, so a busy integration does not take a write lock per request."""
    key = hashlib.sha256(token.encode()).hexdigest()
    now = time.monotonic()
    known = _known_tokens.get(key)
    if known is not None and now - known[1] < _TOKEN_TTL:
        return known[0]
    with db.write() as session:
        user = user_for_token(session, token)
        user_id = user.id if user else None
    if user_id is None:
        _known_tokens.pop(key, None)
        return None
    if len(_known_tokens) > 10_000:
        _known_tokens.clear()
    _known_tokens[key] = (user_id, now)
    return user_id


def endpoint(handler: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    """Bearer token required; engine errors become {"error", "reason"} with their status."""

    async def wrapped(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return error("UNAUTHORIZED", "Send an API token as 'Authorization: Bearer …'.", 401)
        actor_id = await run_in_threadpool(_token_user, _db(request), token.strip())
        if actor_id is None:
            return error("UNAUTHORIZED", "That API token is unknown or revoked.", 401)
        try:
            return await handler(request, actor_id)
        except RxflowError as exc:
            return error(exc.code, exc.reason, status_of(exc))
        finally:
            await request.close()  # frees uploaded files' temporary storage

    wrapped.__name__ = handler.__name__
    return wrapped


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        raise InvalidInput("The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.")
    return data


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(f"{name} must be a whole number from {low} to {high}.")
    return int(text)


# ---- setup records ---------------------------------------------------------------------------


@endpoint
async def list_kind(request: Request, actor_id: int) -> Response:
    kind = str(request.path_params["kind"])
    limit = _int(request, "limit", 100, 1, 500)
    after = _int(request, "after", 0, 0, 2**62)
    rows = await run_in_threadpool(
        records.list_records, _db(request), kind, limit=limit, after=after
    )
    return JSONResponse({"items": rows})


@endpoint
async def create_kind(request: Request, actor_id: int) -> Response:
    kind = str(request.path_params["kind"])
    data = await _body(request)
    row = await run_in_threadpool(records.create, _db(request), kind, data, actor_id=actor_id)
    return JSONResponse(row, status_code=201)


@endpoint
async def get_kind(request: Request, actor_id: int) -> Response:
    kind = str(request.path_params["kind"])
    ident = int(request.path_params["ident"])
    return JSONResponse(await run_in_threadpool(records.get, _db(request), kind, ident))


# ---- refill requests -------------------------------------------------------------------------


def _detail(db: Database, request_id: int, actor_id: int) -> dict[str, Any]:
    view = workflow.get_request(db, request_id)
    events = workflow.history(db, request_id)
    allowed = workflow.allowed_triggers(db, request_id, actor_id=actor_id)
    with db.read() as session:
        documents = [
            DocumentView(
                id=d.id,
                kind=d.kind,
                filename=d.filename,
                sha256=d.sha256,
                created_at=d.created_at,
                voided=d.voided_at is not None,
            )  # fmt: skip
            for d in session.scalars(
                select(Document).where(Document.request_id == request_id).order_by(Document.id)
            )
        ]
    return {
        **view.model_dump(mode="json"),
        "allowed_triggers": allowed,
        "events": [e.model_dump(mode="json") for e in events],
        "documents": [d.model_dump(mode="json") for d in documents],
    }


@endpoint
async def list_requests(request: Request, actor_id: int) -> Response:
    state = request.query_params.get("state") or None
    if state is not None and state not in {s.value for s in State}:
        raise InvalidInput(f"Unknown state '{state}'.")
    limit = _int(request, "limit", 100, 1, 500)

    def run() -> list[dict[str, Any]]:
        with _db(request).read() as session:
            rows: list[RefillRequest] = queries.requests_in_state(session, state, limit=limit)
            return [workflow.request_view(r).model_dump(mode="json") for r in rows]

    return JSONResponse({"items": await run_in_threadpool(run)})


@endpoint
async def create_request(request: Request, actor_id: int) -> Response:
    data = await _body(request)
    view: RequestView = await run_in_threadpool(
        lambda: workflow.receive_request(_db(request), data, actor_id=actor_id)
    )
    detail = await run_in_threadpool(_detail, _db(request), view.id, actor_id)
    return JSONResponse(detail, status_code=201)


@endpoint
async def get_request(request: Request, actor_id: int) -> Response:
    request_id = int(request.path_params["request_id"])
    return JSONResponse(await run_in_threadpool(_detail, _db(request), request_id, actor_id))


@endpoint
async def transition(request: Request, actor_id: int) -> Response:
    """Fire a step with {"version": n, ...payload}; the version guards against a stale read."""
    request_id = int(request.path_params["request_id"])
    trigger = str(request.path_params["trigger"])
    data = await _body(request)
    version = data.pop("version", None)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput("version (the request's version you last read) is required.")
    view = await run_in_threadpool(
        lambda: workflow.fire(
            _db(request),
            request_id,
            trigger,
            actor_id=actor_id,
            payload=data,
            expected_version=version,
        )  # fmt: skip
    )
    return JSONResponse(view.model_dump(mode="json"))


@endpoint
async def get_document(request: Request, actor_id: int) -> Response:
    from rxflow.web.pages import pdf_response, stored_document

    filename, content = await run_in_threadpool(
        stored_document, _db(request), int(request.path_params["document_id"])
    )
    return pdf_response(filename, content)


@endpoint
async def intake(request: Request, actor_id: int) -> Response:
    """One PDF (multipart field `file` or `fax`): what the intake read, the requests it made."""
    from rxflow.fax.intake_service import intake_pdf

    form = await request.form(max_files=1)
    field = form.get("file") or form.get("fax")
    content, filename = await read_pdf_upload(field, request.app.state.max_upload_bytes)
    outcome = await run_in_threadpool(intake_pdf, _db(request), content, filename, actor_id)
    status = 201 if outcome.created_request_ids else 200
    return JSONResponse(outcome.as_json(), status_code=status)


@endpoint
async def fax_confirmation(request: Request, actor_id: int) -> Response:
    """The fax gateway's word on a sent fax: {job_key, delivered, detail}."""
    from rxflow.outbox.confirm import confirm_fax

    data = await _body(request)
    job_key, delivered = data.get("job_key"), data.get("delivered")
    detail = data.get("detail", "")
    if not isinstance(job_key, str) or not job_key or not isinstance(delivered, bool):
        raise InvalidInput("job_key (text) and delivered (true or false) are required.")
    if not isinstance(detail, str):
        raise InvalidInput("detail must be text.")
    result = await run_in_threadpool(
        lambda: confirm_fax(_db(request), job_key, delivered, detail[:2000], actor_id)
    )
    body: dict[str, Any] = {"job_key": job_key, "delivered": delivered}
    dump = getattr(result, "model_dump", None)
    if callable(dump):
        body.update(dump(mode="json"))
    elif hasattr(result, "__dataclass_fields__"):
        body.update({k: getattr(result, k) for k in result.__dataclass_fields__})
    return JSONResponse(json.loads(json.dumps(body, default=str)))


async def openapi(request: Request) -> Response:
    return JSONResponse(OPENAPI)


async def not_found(request: Request) -> Response:
    return error("NOT_FOUND", "No such address in the API.", 404)


KIND_PATTERN = "{kind:str}"

ROUTES = [
    Route("/openapi.json", openapi),
    Route("/refill-requests", list_requests, methods=["GET"]),
    Route("/refill-requests", create_request, methods=["POST"]),
    Route("/refill-requests/{request_id:int}", get_request, methods=["GET"]),
    Route(
        "/refill-requests/{request_id:int}/transitions/{trigger:str}", transition, methods=["POST"]
    ),
    Route("/documents/{document_id:int}", get_document, methods=["GET"]),
    Route("/intake", intake, methods=["POST"]),
    Route("/fax-confirmations", fax_confirmation, methods=["POST"]),
    Route(f"/{KIND_PATTERN}", list_kind, methods=["GET"]),
    Route(f"/{KIND_PATTERN}", create_kind, methods=["POST"]),
    Route(f"/{KIND_PATTERN}/{{ident:int}}", get_kind, methods=["GET"]),
]


def _openapi() -> dict[str, Any]:
    """The API described for integrators (OpenAPI 3.1); schemas come from the pydantic models."""
    from rxflow.service.views import RequestIn

    err = {"description": "error", "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}  # fmt: skip
    schemas: dict[str, Any] = {
        "Error": {"type": "object", "required": ["error", "reason"],
                  "properties": {"error": {"type": "string"}, "reason": {"type": "string"}}},
        "RequestIn": RequestIn.model_json_schema(),
        "RequestView": RequestView.model_json_schema(),
    }  # fmt: skip
    paths: dict[str, Any] = {}
    for kind, (_, schema, noun) in records.KINDS.items():
        name = schema.__name__
        schemas[name] = schema.model_json_schema()
        ref = {"$ref": f"#/components/schemas/{name}"}
        paths[f"/{kind}"] = {
            "get": {"summary": f"List {kind}", "responses": {"200": {"description": "a page"}}},
            "post": {"summary": f"Add a {noun}",
                     "requestBody": {"content": {"application/json": {"schema": ref}}},
                     "responses": {"201": {"description": "created"}, "422": err}},
        }  # fmt: skip
        paths[f"/{kind}/{{id}}"] = {
            "get": {"summary": f"One {noun}",
                    "responses": {"200": {"description": noun}, "404": err}}}  # fmt: skip
    req_ref = {"$ref": "#/components/schemas/RequestIn"}
    paths["/refill-requests"] = {
        "get": {"summary": "Requests, newest first, optionally ?state=",
                "responses": {"200": {"description": "items"}}},
        "post": {"summary": "Take a refill request",
                 "requestBody": {"content": {"application/json": {"schema": req_ref}}},
                 "responses": {"201": {"description": "the request"}, "403": err, "422": err}},
    }  # fmt: skip
    paths["/refill-requests/{id}"] = {"get": {
        "summary": "State, version, allowed triggers, events, documents",
        "responses": {"200": {"description": "the request"}, "404": err}}}  # fmt: skip
    paths["/refill-requests/{id}/transitions/{trigger}"] = {"post": {
        "summary": 'Fire a step with {"version": n, ...payload}',
        "responses": {"200": {"description": "new state"}, "403": err, "404": err,
                      "409": err, "422": err}}}  # fmt: skip
    paths["/documents/{id}"] = {
        "get": {
            "summary": "The PDF",
            "responses": {
                "200": {"description": "PDF", "content": {"application/pdf": {}}},
                "404": err,
            },
        }
    }
    paths["/intake"] = {"post": {"summary": "Take in one faxed PDF (multipart field file)",
        "responses": {"200": {"description": "read"}, "201": {"description": "created"},
                      "422": err}}}  # fmt: skip
    paths["/fax-confirmations"] = {"post": {"summary": "A fax job's delivery result",
        "responses": {"200": {"description": "recorded"}, "404": err, "422": err}}}  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {"title": "rxflow", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }


OPENAPI = _openapi()
