"""Email-to-fax against a real SMTP server in the test process (aiosmtpd), STARTTLS and login."""

from __future__ import annotations

import datetime
import email
import email.policy
import io
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from corpus import FaxCase
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from rxflow.fax import FaxJob, SmtpFaxTransport, SmtpSettings, TransportError


@dataclass
class Inbox:
    """What the gateway received; `answer` is the reply it gives to DATA."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    answer: str = "250 Message accepted for faxing"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer.startswith("250"):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return self.answer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, the CA the client is told to trust."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fax-gateway.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"clinic", b"s3cret")
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


def _serve(inbox: Inbox, **options: Any) -> Iterator[int]:
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def plain_gateway(inbox: Inbox) -> Iterator[int]:
    yield from _serve(inbox, authenticator=_authenticate, auth_require_tls=False)


@pytest.fixture
def tls_gateway(inbox: Inbox, certificate: tuple[Path, Path]) -> Iterator[int]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    yield from _serve(
        inbox,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticate,
        auth_required=True,
    )


def _client_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def _job(case: FaxCase, job_id: str = "fax-42-1") -> FaxJob:
    return FaxJob(
        job_id,
        "+1 (555) 201-7788",
        "Chewy Pharmacy",
        [("cover.pdf", case.pdf), ("prescription.pdf", case.pdf)],
    )


def _settings(port: int, **changes: Any) -> SmtpSettings:
    base: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "starttls": False,
        "from_address": "pharmacy@riverside-vet.example",
        "gateway_template": "{digits}@fax-gateway.example",
        "timeout": 5,
    }
    return SmtpSettings(**{**base, **changes})


def _pdf_text(part: EmailMessage) -> str:
    data = part.get_content()
    assert isinstance(data, bytes)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def test_a_fax_reaches_the_gateway_with_its_pdfs(
    inbox: Inbox, plain_gateway: int, text_cases: list[FaxCase]
) -> None:
    result = SmtpFaxTransport(_settings(plain_gateway)).send(_job(text_cases[0]))
    assert result.status == "sent"
    assert inbox.recipients == [["15552017788@fax-gateway.example"]]
    message = inbox.messages[0]
    assert message["Message-ID"] == "<fax-42-1@riverside-vet.example>" == result.transport_ref
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["cover.pdf", "prescription.pdf"]
    assert all(a.get_content_type() == "application/pdf" for a in attachments)
    assert "REFILL AUTHORIZATION REQUEST" in _pdf_text(attachments[0])


def test_a_resend_carries_the_same_message_id(
    inbox: Inbox, plain_gateway: int, text_cases: list[FaxCase]
) -> None:
    transport = SmtpFaxTransport(_settings(plain_gateway))
    transport.send(_job(text_cases[0]))
    transport.send(_job(text_cases[0]))
    assert inbox.messages[0]["Message-ID"] == inbox.messages[1]["Message-ID"]
    assert inbox.messages[0]["X-Rxflow-Fax-Job"] == "fax-42-1"


def test_login_over_plain_smtp(inbox: Inbox, plain_gateway: int, text_cases: list[FaxCase]) -> None:
    settings = _settings(plain_gateway, username="clinic", password="s3cret")
    assert SmtpFaxTransport(settings).send(_job(text_cases[0])).status == "sent"
    assert len(inbox.messages) == 1


def test_starttls_and_login(
    inbox: Inbox, tls_gateway: int, certificate: tuple[Path, Path], text_cases: list[FaxCase]
) -> None:
    settings = _settings(
        tls_gateway,
        starttls=True,
        username="clinic",
        password="s3cret",
        ssl_context=_client_tls(certificate),
    )
    assert SmtpFaxTransport(settings).send(_job(text_cases[0])).status == "sent"
    assert len(inbox.messages) == 1


def test_a_wrong_password_is_not_retried(
    tls_gateway: int, certificate: tuple[Path, Path], text_cases: list[FaxCase]
) -> None:
    settings = _settings(
        tls_gateway,
        starttls=True,
        username="clinic",
        password="wrong",
        ssl_context=_client_tls(certificate),
    )
    with pytest.raises(TransportError) as caught:
        SmtpFaxTransport(settings).send(_job(text_cases[0]))
    assert not caught.value.retryable and "login" in caught.value.reason


def test_an_untrusted_certificate_is_refused(tls_gateway: int, text_cases: list[FaxCase]) -> None:
    settings = _settings(tls_gateway, starttls=True, username="clinic", password="s3cret")
    with pytest.raises(TransportError) as caught:
        SmtpFaxTransport(settings).send(_job(text_cases[0]))
    assert not caught.value.retryable and "certificate" in caught.value.reason


def test_a_temporary_refusal_is_retryable_and_a_permanent_one_is_not(
    inbox: Inbox, plain_gateway: int, text_cases: list[FaxCase]
) -> None:
    transport = SmtpFaxTransport(_settings(plain_gateway))
    inbox.answer = "451 Gateway busy, try later"
    with pytest.raises(TransportError) as temporary:
        transport.send(_job(text_cases[0]))
    inbox.answer = "554 Number blocked"
    with pytest.raises(TransportError) as permanent:
        transport.send(_job(text_cases[0]))
    assert temporary.value.retryable and not permanent.value.retryable


def test_an_unreachable_gateway_is_retryable(text_cases: list[FaxCase]) -> None:
    with pytest.raises(TransportError) as caught:
        SmtpFaxTransport(_settings(_free_port())).send(_job(text_cases[0]))
    assert caught.value.retryable


def test_a_number_that_cannot_be_dialled_is_not_retried(text_cases: list[FaxCase]) -> None:
    job = FaxJob("fax-1", "call me", "Chewy Pharmacy", [("rx.pdf", text_cases[0].pdf)])
    with pytest.raises(TransportError) as caught:
        SmtpFaxTransport(_settings(1)).send(job)
    assert not caught.value.retryable
