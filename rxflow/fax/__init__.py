"""Fax in and out: intake of pharmacy faxes (extract, match) and outbound transports."""

from rxflow.fax.errors import IntakeError, TransportError
from rxflow.fax.extract import ExtractedItem, Extraction, extract
from rxflow.fax.hotfolder import HotFolderTransport, Receipt, archive_receipt, read_receipts
from rxflow.fax.match import (
    ClientCandidate,
    Match,
    PatientCandidate,
    PrescriptionCandidate,
    match_item,
)
from rxflow.fax.smtp import SmtpFaxTransport, SmtpSettings
from rxflow.fax.transports import FaxJob, FaxTransport, SendResult

__all__ = [
    "ClientCandidate",
    "ExtractedItem",
    "Extraction",
    "FaxJob",
    "FaxTransport",
    "HotFolderTransport",
    "IntakeError",
    "Match",
    "PatientCandidate",
    "PrescriptionCandidate",
    "Receipt",
    "SendResult",
    "SmtpFaxTransport",
    "SmtpSettings",
    "TransportError",
    "archive_receipt",
    "extract",
    "match_item",
    "read_receipts",
]
