"""A hot folder watched by a fax server or a multifunction printer.

Layout of the folder (all names derive from the job id, so a resend is the same file):

    {job_id}.json        sidecar: {"job_id", "to_number" (digits), "to_name", "documents" (file
                         names), "sha256" (of the PDF)}; written first, so it is there when the
                         PDF appears
    {job_id}.pdf         the job's documents merged into one PDF; the fax server sends this file
    .{job_id}.*.tmp      partial writes; servers must ignore names starting with a dot
    receipts/{job_id}.ok     the fax server's confirmation of delivery; the text is the detail
    receipts/{job_id}.fail   the fax server's report of failure; the text is the reason
    .rxflow-sent/{job_id}    rxflow's own note that the job was handed over (never re-handed)

Every file is written under a temporary name and renamed with os.replace, so a watcher never
sees half a PDF. Sending a job again returns the first result and writes nothing new once the
job was handed over (its note exists, its PDF is still waiting, or a receipt came back), so a
worker that died after writing but before recording cannot cause a second, different fax.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from rxflow.fax.errors import TransportError
from rxflow.fax.transports import FaxJob, SendResult, fax_digits, merge_pdfs

RECEIPTS = "receipts"
SENT = ".rxflow-sent"


@dataclass(frozen=True)
class Receipt:
    """A fax server's word on one job: delivered or failed, with its detail text."""

    job_id: str
    delivered: bool
    detail: str


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class HotFolderTransport:
    """Drops each fax job into a folder as {job_id}.pdf plus its {job_id}.json sidecar."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def send(self, job: FaxJob) -> SendResult:
        pdf_path = self.folder / f"{job.job_id}.pdf"
        note = self.folder / SENT / job.job_id
        receipts = self.folder / RECEIPTS
        handed_over = (
            note.exists()
            or (receipts / f"{job.job_id}.ok").exists()
            or (receipts / f"{job.job_id}.fail").exists()
        )
        if handed_over:
            return SendResult("sent", str(pdf_path))
        digits = fax_digits(job.to_number)
        pdf = merge_pdfs(job.documents)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / SENT).mkdir(exist_ok=True)
            waiting = pdf_path.read_bytes() if pdf_path.exists() else None
            if waiting is not None and waiting != pdf:
                raise TransportError(
                    "A different fax with this job id is already waiting in the hot folder.",
                    retryable=False,
                )
            if waiting is None:
                sidecar = {
                    "job_id": job.job_id,
                    "to_number": digits,
                    "to_name": job.to_name,
                    "documents": [name for name, _ in job.documents],
                    "sha256": hashlib.sha256(pdf).hexdigest(),
                }
                _write_atomic(
                    self.folder / f"{job.job_id}.json",
                    json.dumps(sidecar, indent=2, sort_keys=True).encode(),
                )
                _write_atomic(pdf_path, pdf)
            _write_atomic(note, hashlib.sha256(pdf).hexdigest().encode())
        except OSError as error:
            raise TransportError(
                "The fax hot folder could not be written; check that it exists and is writable.",
                retryable=True,
            ) from error
        return SendResult("sent", str(pdf_path))


def read_receipts(folder: Path) -> list[Receipt]:
    """The fax server's receipts in folder/receipts, sorted by job id; unreadable ones skipped."""
    receipts_dir = Path(folder) / RECEIPTS
    if not receipts_dir.is_dir():
        return []
    found = []
    for path in sorted(receipts_dir.iterdir()):
        if path.name.startswith(".") or path.suffix not in (".ok", ".fail"):
            continue
        try:
            detail = path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
        found.append(Receipt(path.stem, path.suffix == ".ok", detail))
    return found


def archive_receipt(folder: Path, receipt: Receipt) -> None:
    """Move a receipt that has been recorded to receipts/done, so it is read only once."""
    receipts_dir = Path(folder) / RECEIPTS
    done = receipts_dir / "done"
    done.mkdir(exist_ok=True)
    suffix = ".ok" if receipt.delivered else ".fail"
    os.replace(receipts_dir / f"{receipt.job_id}{suffix}", done / f"{receipt.job_id}{suffix}")
