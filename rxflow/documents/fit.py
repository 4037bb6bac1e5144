"""Text fitting for small labels: wrap paragraphs through frames, shrink to the stock's minimum.

Vertical metrics follow what pdfplumber reports for Helvetica (a glyph box runs from 0.207 size
below the baseline to 0.793 size above it); each line owns a box of LINE * size with its baseline
ASCENT * size below the top, so no two lines' glyphs ever touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=4096)
def _unit_width(word: str, font: str) -> float:
    return float(stringWidth(word.replace(NBSP, " "), font, 1.0))


@dataclass(slots=True)
class _Prepared:
    """A paragraph split into words with their widths at 1 pt, measured once per fit."""

    paragraph: Paragraph
    font: str
    words: list[str]
    widths: list[float]
    space: float


def _prepare(paragraph: Paragraph) -> _Prepared:
    font = BOLD if paragraph.bold else REGULAR
    words = [w for w in paragraph.text.split(" ") if w]
    return _Prepared(
        paragraph, font, words, [_unit_width(w, font) for w in words], _unit_width(" ", font)
    )


def _take_line(p: _Prepared, start: int, words: list[str], limit: float) -> tuple[str, int] | None:
    """The longest run of words from `start` that fits `limit` (1 pt units) and the next index.

    `words` is the working copy, whose first word may have been cut; an over-long word is split
    at its non-breaking spaces, then between characters.
    """
    used, end = 0.0, start
    while end < len(words):
        width = p.widths[end] if words[end] is p.words[end] else _unit_width(words[end], p.font)
        width += p.space if end > start else 0.0
        if used + width > limit:
            break
        used, end = used + width, end + 1
    if end > start:
        return " ".join(words[start:end]), end
    first = words[start]
    if NBSP in first:
        taken = _split_word(p, start, words, limit, first.split(NBSP), " ")
        if taken is not None:
            return taken
    return _split_word(p, start, words, limit, list(first), "")


def _split_word(
    p: _Prepared, start: int, words: list[str], limit: float, parts: list[str], joiner: str
) -> tuple[str, int] | None:
    cut = len(parts)
    while cut > 0 and _unit_width(joiner.join(parts[:cut]), p.font) > limit:
        cut -= 1
    if cut == 0:
        return None
    # The caller continues from the remainder of this word, kept together as before.
    words[start] = (NBSP if joiner else "").join(parts[cut:])
    return joiner.join(parts[:cut]), start


def _wrap(
    p: _Prepared, size: float, width: float, words: list[str], start: int
) -> tuple[str, int] | None:
    return _take_line(p, start, words, width / size)


def _line_count(p: _Prepared, size: float, width: float) -> int:
    words, start, count = list(p.words), 0, 0
    while start < len(words):
        taken = _wrap(p, size, width, words, start)
        if taken is None:
            return 10**6
        start, count = taken[1], count + 1
    return count


def _flow(
    prepared: Sequence[_Prepared], frames: Sequence[Frame], size: float, keep: bool
) -> list[Line] | None:
    lines: list[Line] = []
    index, y = 0, frames[0].top
    for p in prepared:
        line_size = size * p.paragraph.scale
        frame = frames[index]
        if keep and p.paragraph.keep_together and index + 1 < len(frames) and y < frame.top:
            room = int((y - frame.bottom + 1e-6) // (line_size * LINE))
            if _line_count(p, line_size, frame.width) > room:
                index += 1
                y = frames[index].top
        words, start = list(p.words), 0
        while start < len(words):
            while y - line_size * LINE < frames[index].bottom - 1e-6:
                index += 1
                if index == len(frames):
                    return None
                y = frames[index].top
            frame = frames[index]
            taken = _wrap(p, line_size, frame.width, words, start)
            if taken is None:
                return None
            text, start = taken
            baseline = y - ASCENT * line_size
            lines.append(Line(text.replace(NBSP, " "), p.font, line_size, frame.x, baseline))
            y -= line_size * LINE
    return lines


def flow(
    paragraphs: Sequence[Paragraph], frames: Sequence[Frame], size: float, keep: bool = True
) -> list[Line] | None:
    """Lay `paragraphs` at base `size` through `frames` in order; None when they do not fit."""
    return _flow([_prepare(p) for p in paragraphs], frames, size, keep)


def fit(
    paragraphs: Sequence[Paragraph], frames: Sequence[Frame], min_size: float, max_size: float
) -> tuple[float, list[Line]] | None:
    """The largest grid size in [min_size, max_size] whose layout fits, with that layout.

    At each size a layout that keeps `keep_together` paragraphs whole is preferred; a larger
    font matters more than that, so a size that fits only by splitting them still counts.
    """
    prepared = [_prepare(p) for p in paragraphs]

    def attempt(size: float) -> list[Line] | None:
        return _flow(prepared, frames, size, True) or _flow(prepared, frames, size, False)

    best = attempt(min_size)
    if best is None:
        return None
    low, high, best_size = 0, int(round((max_size - min_size) / STEP)), min_size
    while low < high:  # binary search on the grid: find the largest step that still fits
        middle = (low + high + 1) // 2
        size = min_size + middle * STEP
        layout = attempt(size)
        if layout is None:
            high = middle - 1
        else:
            low, best, best_size = middle, layout, size
    return best_size, best
