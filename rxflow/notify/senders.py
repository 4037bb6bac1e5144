"""Sending a client message: email over SMTP, texts through an email-to-SMS gateway.

Both sit behind `Sender`, so a texting provider's API can be added as one more class. The
Message-ID comes from the outbox key, so a message re-sent after a crash is recognisably the same.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

from rxflow.errors import RxflowError


class SendError(RxflowError):
    """A message could not be handed over; `retryable` says whether trying later may help."""

    code = "MESSAGE_SEND"

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.retryable = retryable


@dataclass(frozen=True)
class Outgoing:
    """One client message as the outbox hands it to a sender."""

    job_id: str  # stable across retries: becomes the Message-ID
    channel: str  # email | sms
    to: str  # an email address, or phone digits for sms
    to_name: str
    subject: str
    body: str


class Sender(Protocol):
    """Hands a message over; returns the transport's reference or raises SendError."""

    def send(self, message: Outgoing) -> str: ...


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int = 25
    username: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False
    from_address: str = "pharmacy@rxflow.invalid"
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)


class SmtpMailer:
    """Plain-text mail over SMTP with STARTTLS and login when configured."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def message_id(self, job_id: str) -> str:
        domain = self.settings.from_address.rpartition("@")[2] or "rxflow.local"
        return f"<{job_id}@{domain}>"

    def send(self, job_id: str, to_address: str, subject: str, body: str) -> str:
        mail = EmailMessage()
        mail["From"] = self.settings.from_address
        mail["To"] = to_address
        if subject:
            mail["Subject"] = subject
        mail["Message-ID"] = self.message_id(job_id)
        mail["Date"] = formatdate(localtime=False)
        mail["X-Rxflow-Job"] = job_id
        mail.set_content(body)
        self._deliver(mail)
        return self.message_id(job_id)

    def _deliver(self, mail: EmailMessage) -> None:
        s = self.settings
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
                if s.starttls:
                    smtp.starttls(context=s.ssl_context or ssl.create_default_context())
                if s.username:
                    smtp.login(s.username, s.password)
                smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise SendError(
                "The mail server refused the address.",
                retryable=all(400 <= code < 500 for code in codes),
            ) from error
        except smtplib.SMTPResponseException as error:
            raise SendError(
                f"The mail server answered {error.smtp_code} and did not take the message.",
                retryable=400 <= error.smtp_code < 500,
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise SendError(
                "The mail server could not be reached; rxflow will try again.", retryable=True
            ) from error


class EmailSender:
    def __init__(self, mailer: SmtpMailer) -> None:
        self.mailer = mailer

    def send(self, message: Outgoing) -> str:
        return self.mailer.send(message.job_id, message.to, message.subject, message.body)


class SmsGatewaySender:
    """Texts as mail to the carrier gateway, e.g. "{digits}@sms-gateway.example"; body only."""

    def __init__(self, mailer: SmtpMailer, gateway_template: str) -> None:
        self.mailer = mailer
        self.gateway_template = gateway_template

    def send(self, message: Outgoing) -> str:
        address = self.gateway_template.format(digits=message.to)
        return self.mailer.send(message.job_id, address, "", message.body)
