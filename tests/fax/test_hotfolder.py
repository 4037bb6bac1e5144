"""The hot folder: atomic drops, one fax per job id however often it is sent, and receipts."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pdfplumber
import pytest
from corpus import FaxCase

from rxflow.fax import FaxJob, HotFolderTransport, TransportError, archive_receipt, read_receipts
from rxflow.fax.hotfolder import RECEIPTS


def _job(cases: list[FaxCase], job_id: str = "fax-7-1") -> FaxJob:
    return FaxJob(
        job_id,
        "(555) 310-4421",
        "PetMeds Express Pharmacy",
        [("cover.pdf", cases[0].pdf), ("prescription.pdf", cases[1].pdf)],
    )


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_a_job_drops_one_merged_pdf_and_its_sidecar(
    tmp_path: Path, text_cases: list[FaxCase]
) -> None:
    result = HotFolderTransport(tmp_path).send(_job(text_cases))
    assert result.status == "sent" and result.transport_ref.endswith("fax-7-1.pdf")
    assert _visible(tmp_path) == ["fax-7-1.json", "fax-7-1.pdf"]
    sidecar = json.loads((tmp_path / "fax-7-1.json").read_text())
    assert (sidecar["job_id"], sidecar["to_number"]) == ("fax-7-1", "5553104421")
    with pdfplumber.open(tmp_path / "fax-7-1.pdf") as pdf:
        assert len(pdf.pages) == 2
        assert "REFILL AUTHORIZATION REQUEST" in (pdf.pages[0].extract_text() or "")


def test_no_temporary_files_are_left_behind(tmp_path: Path, text_cases: list[FaxCase]) -> None:
    HotFolderTransport(tmp_path).send(_job(text_cases))
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_pdf_appears_only_by_rename(
    tmp_path: Path, text_cases: list[FaxCase], monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        renamed.append((Path(src).name, Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    HotFolderTransport(tmp_path).send(_job(text_cases))
    targets = [dst for _, dst in renamed]
    assert targets.index("fax-7-1.json") < targets.index("fax-7-1.pdf")
    assert all(src.startswith(".") and src.endswith(".tmp") for src, _ in renamed)


def test_sending_the_same_job_again_makes_no_second_fax(
    tmp_path: Path, text_cases: list[FaxCase]
) -> None:
    transport = HotFolderTransport(tmp_path)
    first = transport.send(_job(text_cases))
    pdf = (tmp_path / "fax-7-1.pdf").read_bytes()
    (tmp_path / "fax-7-1.pdf").unlink()  # the fax server took it and is sending it
    (tmp_path / "fax-7-1.json").unlink()
    second = transport.send(_job(text_cases))
    assert second == first and _visible(tmp_path) == []
    assert pdf.startswith(b"%PDF")


def test_a_crash_before_recording_rewrites_nothing(
    tmp_path: Path, text_cases: list[FaxCase]
) -> None:
    transport = HotFolderTransport(tmp_path)
    transport.send(_job(text_cases))
    before = (tmp_path / "fax-7-1.pdf").stat().st_mtime_ns
    (tmp_path / ".rxflow-sent" / "fax-7-1").unlink()  # died after the drop, before the note
    transport.send(_job(text_cases))
    assert (tmp_path / "fax-7-1.pdf").stat().st_mtime_ns == before
    assert _visible(tmp_path) == ["fax-7-1.json", "fax-7-1.pdf"]


def test_merging_is_deterministic(tmp_path: Path, text_cases: list[FaxCase]) -> None:
    HotFolderTransport(tmp_path / "a").send(_job(text_cases))
    HotFolderTransport(tmp_path / "b").send(_job(text_cases))
    assert (tmp_path / "a/fax-7-1.pdf").read_bytes() == (tmp_path / "b/fax-7-1.pdf").read_bytes()


def test_a_different_fax_under_a_waiting_job_id_is_refused(
    tmp_path: Path, text_cases: list[FaxCase]
) -> None:
    HotFolderTransport(tmp_path).send(_job(text_cases))
    (tmp_path / ".rxflow-sent" / "fax-7-1").unlink()
    changed = FaxJob("fax-7-1", "5553104421", "PetMeds", [("rx.pdf", text_cases[3].pdf)])
    with pytest.raises(TransportError) as caught:
        HotFolderTransport(tmp_path).send(changed)
    assert not caught.value.retryable


def test_an_unwritable_folder_is_retryable(tmp_path: Path, text_cases: list[FaxCase]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(TransportError) as caught:
        HotFolderTransport(blocker).send(_job(text_cases))
    assert caught.value.retryable


def test_receipts_are_read_and_archived(tmp_path: Path, text_cases: list[FaxCase]) -> None:
    transport = HotFolderTransport(tmp_path)
    transport.send(_job(text_cases, "fax-1"))
    transport.send(_job(text_cases, "fax-2"))
    receipts = tmp_path / RECEIPTS
    receipts.mkdir()
    (receipts / "fax-1.ok").write_text("Delivered 2 pages at 10:42\n")
    (receipts / "fax-2.fail").write_text("Busy after 3 attempts")
    (receipts / ".fax-3.ok.partial").write_text("")
    found = read_receipts(tmp_path)
    assert [(r.job_id, r.delivered, r.detail) for r in found] == [
        ("fax-1", True, "Delivered 2 pages at 10:42"),
        ("fax-2", False, "Busy after 3 attempts"),
    ]
    archive_receipt(tmp_path, found[0])
    assert [r.job_id for r in read_receipts(tmp_path)] == ["fax-2"]


def test_a_job_with_a_receipt_is_never_dropped_again(
    tmp_path: Path, text_cases: list[FaxCase]
) -> None:
    (tmp_path / RECEIPTS).mkdir(parents=True)
    (tmp_path / RECEIPTS / "fax-7-1.fail").write_text("No answer")
    HotFolderTransport(tmp_path).send(_job(text_cases))
    assert _visible(tmp_path) == [RECEIPTS]


def test_no_receipts_folder_means_no_receipts(tmp_path: Path) -> None:
    assert read_receipts(tmp_path) == []


def test_a_job_id_that_is_not_a_safe_file_name_is_refused(text_cases: list[FaxCase]) -> None:
    from rxflow.errors import InvalidInput

    with pytest.raises(InvalidInput):
        FaxJob("../etc/passwd", "5553104421", "x", [("a.pdf", text_cases[0].pdf)])


def test_the_sidecar_names_the_documents(tmp_path: Path, text_cases: list[FaxCase]) -> None:
    HotFolderTransport(tmp_path).send(_job(text_cases))
    sidecar = json.loads((tmp_path / "fax-7-1.json").read_text())
    assert sidecar["documents"] == ["cover.pdf", "prescription.pdf"]
    with pdfplumber.open(io.BytesIO((tmp_path / "fax-7-1.pdf").read_bytes())) as pdf:
        assert len(pdf.pages) == 2
