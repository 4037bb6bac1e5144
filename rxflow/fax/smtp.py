"""Email-to-fax over SMTP: the gateway faxes the attached PDFs to the number in the address.

The Message-ID is derived from the job id (`<{job_id}@{sender domain}>`), so a resend after a
crash carries the same id and the gateway, or a person reading its log, sees it is the same fax.
The gateway accepting the mail marks the fax "sent", not "delivered": delivery is confirmed later.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate

from rxflow.fax.errors import TransportError
from rxflow.fax.transports import FaxJob, SendResult, fax_digits


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to reach the practice's email-to-fax gateway."""

    host: str
    port: int = 587
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    from_address: str = "pharmacy@localhost"
    gateway_template: str = "{digits}@fax-gateway.example"
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)


class SmtpFaxTransport:
    """Sends each fax job as one email with the job's PDFs attached."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def message_id(self, job: FaxJob) -> str:
        domain = self.settings.from_address.rpartition("@")[2] or "rxflow.local"
        return f"<{job.job_id}@{domain}>"

    def message(self, job: FaxJob) -> EmailMessage:
        """The email for a job; building it twice gives the same Message-ID and attachments."""
        digits = fax_digits(job.to_number)
        message = EmailMessage()
        message["From"] = self.settings.from_address
        message["To"] = self.settings.gateway_template.format(digits=digits)
        message["Subject"] = f"Fax to {job.to_name}" if job.to_name else "Fax"
        message["Message-ID"] = self.message_id(job)
        message["Date"] = formatdate(localtime=False)
        message["X-Rxflow-Fax-Job"] = job.job_id
        message.set_content(f"Fax for {job.to_name or digits}: {len(job.documents)} document(s).")
        for filename, pdf in job.documents:
            message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
        return message

    def send(self, job: FaxJob) -> SendResult:
        message = self.message(job)
        settings = self.settings
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
                if settings.starttls:
                    smtp.starttls(context=settings.ssl_context or ssl.create_default_context())
                if settings.username:
                    smtp.login(settings.username, settings.password or "")
                smtp.send_message(message)
        except smtplib.SMTPAuthenticationError as error:
            raise TransportError(
                "The fax gateway refused the SMTP login; check the username and password.",
                retryable=False,
            ) from error
        except smtplib.SMTPNotSupportedError as error:
            raise TransportError(
                "The fax gateway does not offer STARTTLS or login as configured.", retryable=False
            ) from error
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise TransportError(
                "The fax gateway refused the fax number.",
                retryable=all(400 <= code < 500 for code in codes),
            ) from error
        except smtplib.SMTPResponseException as error:
            raise TransportError(
                f"The fax gateway answered {error.smtp_code} and did not take the fax.",
                retryable=400 <= error.smtp_code < 500,
            ) from error
        except ssl.SSLError as error:
            raise TransportError(
                "The secure connection to the fax gateway failed; check its certificate.",
                retryable=False,
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise TransportError(
                "The fax gateway could not be reached; rxflow will try again.", retryable=True
            ) from error
        return SendResult("sent", self.message_id(job))
