"""What every outbound fax transport offers: send one job, idempotently, and say how it went."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pypdf import PdfReader, PdfWriter

from rxflow.errors import InvalidInput
from rxflow.fax.errors import TransportError

__all__ = ["FaxJob", "FaxTransport", "SendResult", "TransportError", "merge_pdfs", "fax_digits"]

_JOB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class FaxJob:
    """One fax to send. job_id is stable across retries so a resend is recognisably the same fax."""

    job_id: str
    to_number: str
    to_name: str
    documents: list[tuple[str, bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not _JOB_ID.match(self.job_id):
            raise InvalidInput("A fax job id may use only letters, digits, '.', '_' and '-'.")
        if not self.documents:
            raise InvalidInput("A fax job needs at least one document.")


@dataclass(frozen=True)
class SendResult:
    """'sent' when the transport accepted the fax; 'delivered' when the far end confirmed it."""

    status: Literal["sent", "delivered"]
    transport_ref: str


class FaxTransport(Protocol):
    """Sends a fax job; raises TransportError(reason, retryable=...) when it cannot."""

    def send(self, job: FaxJob) -> SendResult: ...


def fax_digits(number: str) -> str:
    """The digits to dial; raises a non-retryable TransportError for a number that cannot be one."""
    digits = re.sub(r"\D", "", number)
    if not 7 <= len(digits) <= 15:
        raise TransportError(
            f"The fax number {number!r} is not a dialable number.", retryable=False
        )
    return digits


def merge_pdfs(documents: list[tuple[str, bytes]]) -> bytes:
    """The job's documents as one PDF, in order; the same documents always give the same bytes."""
    if len(documents) == 1:
        return documents[0][1]
    writer = PdfWriter()
    for name, data in documents:
        try:
            writer.append(PdfReader(io.BytesIO(data)))
        except Exception as error:  # pypdf raises several types for a broken file
            raise TransportError(
                f"The document {name!r} of this fax is not a readable PDF.", retryable=False
            ) from error
    writer.add_metadata({"/Producer": "rxflow"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
