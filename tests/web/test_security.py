"""Log in and out, CSRF, rate limits, idle sessions, demo logins on loopback only, uploads."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfWriter
from web_helpers import PASSWORD, csrf_of, log_in, make_client

from builders import World
from rxflow.service.actors import add_user
from rxflow.web import auth

if TYPE_CHECKING:
    from starlette.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::starlette.exceptions.StarletteDeprecationWarning")

Browser = Callable[[str], "tuple[TestClient, str]"]


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pages_need_a_login(world: World) -> None:
    client = make_client(world.db)
    for path in ("/queue", "/desk", "/intake", "/requests/1", "/documents/1"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.post("/requests/1/do/approve", data={}).status_code == 401


def test_session_cookie_is_httponly_and_samesite(world: World) -> None:
    client = make_client(world.db)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"csrf": token, "username": "csr", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_wrong_password_and_logout(world: World) -> None:
    client = make_client(world.db)
    token = csrf_of(client.get("/login").text)
    wrong = client.post("/login", data={"csrf": token, "username": "csr", "password": "nope-nope"})
    assert wrong.status_code == 401 and "do not match" in wrong.text
    token = log_in(client, "csr")
    assert client.post("/logout", data={"csrf": token}).status_code == 303
    assert client.get("/desk").status_code == 303


def test_login_attempts_are_rate_limited(world: World) -> None:
    client = make_client(world.db)
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        client.post("/login", data={"csrf": token, "username": "dvm", "password": "guess-guess"})
    blocked = client.post("/login", data={"csrf": token, "username": "dvm", "password": PASSWORD})
    assert blocked.status_code == 429 and "Too many" in blocked.text
    other = client.post("/login", data={"csrf": token, "username": "csr", "password": PASSWORD})
    assert other.status_code == 303


def test_post_without_or_with_wrong_csrf_is_refused(world: World, browser: Browser) -> None:
    client, token = browser("csr")
    missing = client.post("/intake", data={"prescription_id": str(world["rx"])})
    assert missing.status_code == 403 and "reload the page" in missing.text
    forged = client.post("/intake", data={"csrf": "x" * 43, "prescription_id": str(world["rx"])})
    assert forged.status_code == 403
    login_forged = make_client(world.db).post(
        "/login", data={"username": "csr", "password": PASSWORD}
    )
    assert login_forged.status_code == 403


def test_idle_session_expires(
    world: World, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = browser("csr")
    assert client.get("/desk").status_code == 200
    later = time.time() + auth.IDLE_SECONDS + 5
    monkeypatch.setattr(auth.time, "time", lambda: later)
    assert client.get("/desk").status_code == 303


def test_demo_accounts_only_on_loopback(world: World) -> None:
    with world.db.write() as session:
        add_user(session, "sam", "csr", password="sam-demo-2026")
    public = make_client(world.db, bound_host="0.0.0.0")
    token = csrf_of(public.get("/login").text)
    refused = public.post(
        "/login", data={"csrf": token, "username": "sam", "password": "sam-demo-2026"}
    )
    assert refused.status_code == 401
    staff = public.post("/login", data={"csrf": token, "username": "csr", "password": PASSWORD})
    assert staff.status_code == 303
    local = make_client(world.db, bound_host="127.0.0.1")
    assert log_in(local, "sam", "sam-demo-2026")


def test_login_next_is_never_offsite(world: World) -> None:
    client = make_client(world.db)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"csrf": token, "username": "csr", "password": PASSWORD, "next": "//evil.example"},
    )
    assert response.headers["location"] == "/desk"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"hello, not a pdf", "fax.pdf", "not a PDF"),
        (b"%PDF-1.4\n garbage that is no pdf at all", "fax.pdf", "damaged"),
        (b"", "fax.pdf", "empty"),
    ],
)
def test_bad_fax_uploads_get_a_clear_message(
    world: World, browser: Browser, content: bytes, name: str, message: str
) -> None:
    client, token = browser("csr")
    response = client.post(
        "/intake/fax", data={"csrf": token}, files={"fax": (name, content, "application/pdf")}
    )
    assert response.status_code == 422 and message in response.text


def test_too_big_upload(world: World) -> None:
    from starlette.testclient import TestClient

    from rxflow.settings import load_config
    from rxflow.web import create_app

    app = create_app(load_config({}), world.db, max_upload_bytes=1024)
    client = TestClient(app, follow_redirects=False)
    token = log_in(client, "csr")
    big = blank_pdf() + b"%" * 2048
    response = client.post(
        "/intake/fax", data={"csrf": token}, files={"fax": ("fax.pdf", big, "application/pdf")}
    )
    assert response.status_code == 422 and "larger than" in response.text


def test_fax_upload_is_stored_and_shown_beside_the_form(world: World, browser: Browser) -> None:
    client, token = browser("csr")
    response = client.post(
        "/intake/fax",
        data={"csrf": token},
        files={"fax": ("chewy.pdf", blank_pdf(), "application/pdf")},
    )
    assert response.status_code == 303, response.text
    triage = client.get(response.headers["location"])
    assert triage.status_code == 200 and "<iframe" in triage.text
    fax_id = response.headers["location"].rsplit("/", 1)[1]
    pdf = client.get(f"/intake/fax/{fax_id}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
