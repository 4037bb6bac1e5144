"""Benchmark of fax intake: extraction speed beside bare pdfplumber, OCR time, field accuracy.

Run: .venv/bin/python bench/intake.py [--per-layout N] [--scans N] [--misses]
Speed is measured on the same text-layer pages in the same run: bare `extract_text()` per page
(opening the PDF included, as our extraction opens it too) against `rxflow.fax.extract`.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fax"))

from corpus import accuracy, scan_corpus, text_corpus  # noqa: E402

from rxflow.fax import extract  # noqa: E402


def _bare(pdfs: list[bytes]) -> int:
    pages = 0
    for data in pdfs:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages


def _ours(pdfs: list[bytes]) -> int:
    return sum(extract(data).pages for data in pdfs)


def _best_of(runs: int, work: object, pdfs: list[bytes]) -> tuple[float, int]:
    best, pages = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        pages = work(pdfs)  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-layout", type=int, default=10)
    parser.add_argument("--scans", type=int, default=3, help="scans per layout")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--misses", action="store_true", help="list every scan field missed")
    args = parser.parse_args()

    texts = text_corpus(args.per_layout)
    pdfs = [case.pdf for case in texts]
    _ours(pdfs[:4])  # warm imports and caches
    bare_s, pages = _best_of(args.runs, _bare, pdfs)
    ours_s, _ = _best_of(args.runs, _ours, pdfs)
    right, total, _ = accuracy(texts)

    scans = scan_corpus(args.scans)
    start = time.perf_counter()
    scan_pages = sum(extract(case.pdf).pages for case in scans)
    ocr_s = time.perf_counter() - start
    scan_right, scan_total, misses = accuracy(scans)

    rows = [
        ("text pages", f"{pages}"),
        ("bare pdfplumber extract_text", f"{pages / bare_s:8.1f} pages/s"),
        ("rxflow extract (text layer)", f"{pages / ours_s:8.1f} pages/s"),
        ("ratio ours / bare (time)", f"{ours_s / bare_s:8.2f}x  (aim <= 1.5x)"),
        ("OCR (scans, whole extract)", f"{ocr_s / scan_pages:8.2f} s/page over {scan_pages}"),
        ("field accuracy, text", f"{right}/{total} = {right / total:.1%}  (aim >= 95%)"),
        (
            "field accuracy, scans",
            f"{scan_right}/{scan_total} = {scan_right / scan_total:.1%}  (aim >= 85%)",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 36}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if args.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
