"""Text fitting for small labels: wrap paragraphs through frames, shrink to the stock's minimum.

Vertical metrics follow what pdfplumber reports for Helvetica (a glyph box runs from 0.207 size
below the baseline to 0.793 size above it); each line owns a box of LINE * size with its baseline
ASCENT * size below the top, so no two lines' glyphs ever touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

NBSP = "\u00a0"  # joins words that must stay on one line ("Discard by 03/04/2026")
ASCENT = 0.82
LINE = 1.08
STEP = 0.25  # font sizes are tried on a quarter-point grid
REGULAR, BOLD = "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    bold: bool = False
    scale: float = 1.0  # relative to the fitted base size, never below it
    keep_together: bool = False  # start in the next frame rather than split across frames


@dataclass(frozen=True, slots=True)
class Frame:
    """A rectangle text may flow into, in page points."""

    x: float
    top: float
    width: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    font: str
    size: float
    x: float
    baseline: float


def _unit_width(word: str, font: str) -> float:
    return float(stringWidth(word.replace(NBSP, " "), font, 1.0))


def _take_line(words: list[str], font: str, size: float, width: float) -> str | None:
    """Remove and return the longest leading run of `words` that fits `width`; None if none can."""
    limit = width / size
    space = _unit_width(" ", font)
    used, count = 0.0, 0
    for word in words:
        w = _unit_width(word, font) + (space if count else 0.0)
        if used + w > limit:
            break
        used, count = used + w, count + 1
    if count:
        taken = words[:count]
        del words[:count]
        return " ".join(taken)
    first = words[0]
    if NBSP in first:  # a kept-together phrase that is wider than the line: split it at its spaces
        words[0:1] = first.split(NBSP)
        return _take_line(words, font, size, width)
    cut = len(first)
    while cut > 0 and _unit_width(first[:cut], font) > limit:
        cut -= 1
    if cut == 0:
        return None
    words[0] = first[cut:]
    return first[:cut]


def _line_count(words: list[str], font: str, size: float, width: float) -> int:
    rest, count = list(words), 0
    while rest and _take_line(rest, font, size, width) is not None:
        count += 1
    return count if not rest else 10**6


def flow(
    paragraphs: Sequence[Paragraph], frames: Sequence[Frame], size: float, keep: bool = True
) -> list[Line] | None:
    """Lay `paragraphs` at base `size` through `frames` in order; None when they do not fit."""
    lines: list[Line] = []
    index, y = 0, frames[0].top
    for paragraph in paragraphs:
        line_size = size * paragraph.scale
        font = BOLD if paragraph.bold else REGULAR
        words = [w for w in paragraph.text.split(" ") if w]
        frame = frames[index]
        if keep and paragraph.keep_together and index + 1 < len(frames) and y < frame.top:
            room = int((y - frame.bottom + 1e-6) // (line_size * LINE))
            if _line_count(words, font, line_size, frame.width) > room:
                index += 1
                y = frames[index].top
        while words:
            while y - line_size * LINE < frames[index].bottom - 1e-6:
                index += 1
                if index == len(frames):
                    return None
                y = frames[index].top
            frame = frames[index]
            text = _take_line(words, font, line_size, frame.width)
            if text is None:
                return None
            baseline = y - ASCENT * line_size
            lines.append(Line(text.replace(NBSP, " "), font, line_size, frame.x, baseline))
            y -= line_size * LINE
    return lines


def fit(
    paragraphs: Sequence[Paragraph], frames: Sequence[Frame], min_size: float, max_size: float
) -> tuple[float, list[Line]] | None:
    """The largest grid size in [min_size, max_size] whose layout fits, with that layout."""
    steps = int(round((max_size - min_size) / STEP))
    keep = True
    best = flow(paragraphs, frames, min_size, keep)
    if best is None:  # keeping paragraphs whole costs space; split them rather than refuse
        keep = False
        best = flow(paragraphs, frames, min_size, keep)
    if best is None:
        return None
    low, high, best_size = 0, steps, min_size
    while low < high:  # binary search on the grid: find the largest step that still fits
        middle = (low + high + 1) // 2
        size = min_size + middle * STEP
        layout = flow(paragraphs, frames, size, keep)
        if layout is None:
            high = middle - 1
        else:
            low, best, best_size = middle, layout, size
    return best_size, best
