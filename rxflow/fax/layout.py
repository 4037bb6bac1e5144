"""Labelled fields from word positions: labels left of values, above them, or heading a table.

One reader for every sender: words are grouped into lines, lines into segments (runs of words
with no wide gap), and a segment that spells a label synonym claims the value beside it (same
segment after a colon, or the next segment on the line) or below it (the words of the following
lines that start inside the label's column). A line of several labels is a header: each line
under it is a row, so a ruled table of medications yields one row per medication.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rxflow.fax import fields

MAX_LABEL_WORDS = 4


@dataclass(frozen=True)
class Word:
    """A word and its box in points from the top-left; conf is OCR certainty (1.0 for text)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float = 1.0

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Segment:
    """Words on one line with no wide gap between them: a label, a value or a table cell."""

    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Line:
    segments: list[Segment]
    top: float
    bottom: float

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass(frozen=True)
class Label:
    """A label found at the start of a segment: its field ('' for labels we skip) and word count."""

    field: str
    size: int
    colon: bool


@dataclass
class Hit:
    """One value found for one field; row groups the values of one table row."""

    field: str
    raw: str
    words: list[Word]
    base: float
    row: int | None = None
    order: float = 0.0

    @property
    def conf(self) -> float:
        if not self.words:
            return self.base
        ocr = statistics.fmean(w.conf for w in self.words)
        return self.base * (0.5 + 0.5 * ocr)


@dataclass
class PageHits:
    hits: list[Hit] = field(default_factory=list)
    rows: int = 0


def lines_of(words: Sequence[Word]) -> list[Line]:
    """Group words into lines by vertical overlap, then split each line at wide gaps."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if rows:
            last = rows[-1]
            centre = (word.top + word.bottom) / 2
            top = statistics.fmean(w.top for w in last)
            bottom = statistics.fmean(w.bottom for w in last)
            if top - 1 <= centre <= bottom + 1:
                last.append(word)
                continue
        rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        # Text-layer boxes are the font size; OCR boxes are only the ink (x-height for "on"),
        # so OCR lines measure gaps against the tallest word.
        if row[0].conf < 1.0:
            # ...and a monospaced font's space is wider than its letters are tall.
            char = statistics.median((w.x1 - w.x0) / max(1, len(w.text)) for w in row)
            wide = max(1.1 * max(w.height for w in row), 1.8 * char)
        else:
            wide = 0.9 * statistics.median(w.height for w in row)
        segments = [Segment([row[0]])]
        for word in row[1:]:
            gap = word.x0 - segments[-1].words[-1].x1
            if gap > wide:
                segments.append(Segment([word]))
            else:
                segments[-1].words.append(word)
        lines.append(Line(segments, min(w.top for w in row), max(w.bottom for w in row)))
    return lines


def label_at(words: Sequence[Word]) -> Label | None:
    """The longest label spelled by the first words, with or without a colon after it."""
    for size in range(min(MAX_LABEL_WORDS, len(words)), 0, -1):
        text = " ".join(w.text for w in words[:size])
        consumed = size
        colon = text.endswith(":")
        if not colon and len(words) > size and words[size].text == ":":
            colon, consumed = True, size + 1
        if not colon and size != len(words):
            continue  # without a colon only a whole segment can be a label
        key = fields.label_key(text)
        if words[0].conf < 1.0 and key not in fields.LABELS and key not in fields.OTHER_LABELS:
            guess = fields.closest_label(key)  # OCR misreadings such as 'cirections for use'
            key = guess if len(guess.split()) == len(key.split()) else key
        if key in fields.LABELS:
            return Label(fields.LABELS[key], consumed, colon)
        if key in fields.OTHER_LABELS:
            return Label("", consumed, colon)
        if colon and size <= 2 and 0 < len(key) <= 20 and text[:1].isupper():
            return Label("", consumed, colon)
    return None


def _split_colon_words(words: list[Word]) -> list[Word]:
    """'Owner:Jane' drawn without a space reads as one word; split it after the colon."""
    out: list[Word] = []
    for word in words:
        head, colon, tail = word.text.partition(":")
        key = fields.label_key(head)
        labelled = key in fields.LABELS or key in fields.OTHER_LABELS or head.isalpha()
        if colon and tail and labelled:
            cut = word.x0 + (word.x1 - word.x0) * (len(head) + 1) / len(word.text)
            out.append(Word(head + ":", word.x0, cut, word.top, word.bottom, word.conf))
            out.append(Word(tail, cut, word.x1, word.top, word.bottom, word.conf))
        else:
            out.append(word)
    return out


def _prose_cut(value: str, segment_words: int) -> str:
    """In a sentence-long line ('Sig: give 1 daily. Please fax...') keep the first sentence."""
    if segment_words <= 12:
        return value
    found = re.search(r"\.\s+(?=[A-Z])", value)
    return value[: found.start()] if found else value


def _header(line: Line) -> list[tuple[Segment, Label]] | None:
    """The line's cells when it is a header: most segments bare labels, none a label with a value.

    A cell we do not know ('NDC', an OCR misreading) keeps its column but yields no field;
    one- or two-letter specks (an OCR'd box corner) are dropped.
    """
    out, known = [], 0
    for segment in line.segments:
        if len(segment.text) <= 2 and segment.words[0].conf < 1.0:
            continue
        label = label_at(segment.words)
        if label is not None and label.size < len(segment.words):
            return None
        if label is not None:
            known += 1
        out.append((segment, label or Label("", len(segment.words), False)))
    if known == 0 or known < 0.6 * len(out) or (len(out) > 1 and known < 2):
        return None
    return out


def _columns(header: list[tuple[Segment, Label]], right: float) -> list[tuple[float, float, str]]:
    tol = 0.6 * statistics.median(w.height for s, _ in header for w in s.words)
    edges = [s.x0 - tol for s, _ in header] + [right]
    return [(edges[i], edges[i + 1], lab.field) for i, (_, lab) in enumerate(header)]


def _rows_under(
    lines: list[Line], start: int, columns: list[tuple[float, float, str]]
) -> tuple[list[dict[str, list[Word]]], int]:
    """The rows beneath a header: a line whose first column is empty continues the row above."""
    rows: list[dict[str, list[Word]]] = []
    index = start
    previous = lines[start - 1]
    while index < len(lines):
        line = lines[index]
        height = statistics.median(w.height for w in line.words)
        if line.top - previous.bottom > 2.2 * max(height, previous.bottom - previous.top):
            break
        if any(label_at(s.words) is not None for s in line.segments):
            break
        cells: dict[int, list[Word]] = {}
        for word in line.words:
            for number, (left, right, _) in enumerate(columns):
                if left <= word.x0 < right:
                    cells.setdefault(number, []).append(word)
                    break
        if not cells:
            break
        if rows and 0 not in cells and len(columns) > 1:
            for number, words in cells.items():
                rows[-1].setdefault(str(number), []).extend(words)
        else:
            rows.append({str(n): w for n, w in cells.items()})
        previous = line
        index += 1
    return rows, index


def _label_hits(line: Line, order: float) -> Iterator[Hit]:
    """Label-left values on one line: 'Owner: Jane Doe', or 'Owner' then 'Jane Doe' beside it."""
    segments = line.segments
    skip = False
    for number, segment in enumerate(segments):
        if skip:
            skip = False
            continue
        label = label_at(segment.words)
        if label is None:
            continue
        value_words = segment.words[label.size :]
        title_only = [w.text.lower() for w in value_words] in (["dr"], ["dr."])
        if (not value_words or title_only) and number + 1 < len(segments):
            nxt = segments[number + 1]
            if label_at(nxt.words) is None:
                value_words = value_words + nxt.words
                skip = True
        if label.field and value_words:
            raw = " ".join(w.text for w in value_words)
            raw = _prose_cut(raw, len(segment.words))
            yield Hit(label.field, raw, value_words, 0.95, order=order + segment.x0 / 10000)


def page_hits(words: Sequence[Word], row_offset: int = 0, page_order: float = 0.0) -> PageHits:
    """Every labelled value on a page, with table rows numbered from row_offset."""
    result = PageHits(rows=row_offset)
    lines = lines_of(_split_colon_words(list(words)))
    right = max((w.x1 for w in words), default=0.0) + 1
    index = 0
    while index < len(lines):
        line = lines[index]
        order = page_order + index
        header = _header(line)
        if header and any(lab.field for _, lab in header):
            columns = _columns(header, right)
            rows, end = _rows_under(lines, index + 1, columns)
            tabular = len(rows) > 1 and any(f in fields.MEDICATION_FIELDS for *_, f in columns)
            if not tabular and rows:
                # a single box row (label above value): a multi-line value is one value
                merged: dict[str, list[Word]] = {}
                for row in rows:
                    for key, cell in row.items():
                        merged.setdefault(key, []).extend(cell)
                rows = [merged]
            for row in rows:
                number = result.rows if tabular else None
                for key, cell in row.items():
                    name = columns[int(key)][2]
                    if name:
                        raw = " ".join(w.text for w in cell)
                        result.hits.append(Hit(name, raw, cell, 0.9, number, order))
                if tabular:
                    result.rows += 1
            index = max(end, index + 1)
            continue
        result.hits.extend(_label_hits(line, order))
        index += 1
    return result
