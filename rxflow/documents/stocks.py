"""Label stocks read from `labels/*.toml`: adding a stock is adding a file."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rxflow.errors import InvalidInput

POINTS_PER_INCH = 72.0

# The repository's labels/ folder; RXFLOW_LABELS_DIR points elsewhere (an installed package).
DEFAULT_LABELS_DIR = Path(__file__).resolve().parents[2] / "labels"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Margins(_Frozen):
    top: float = Field(ge=0)
    bottom: float = Field(ge=0)
    left: float = Field(ge=0)
    right: float = Field(ge=0)


class FontRange(_Frozen):
    min_pt: float = Field(gt=0)
    max_pt: float = Field(gt=0)


class Barcode(_Frozen):
    kind: Literal["code128"]
    height_in: float = Field(gt=0)
    module_pt: float = Field(gt=0, description="Width of the narrowest bar")


class Sheet(_Frozen):
    """Where the labels sit on a multi-up sheet; positions run left to right, top to bottom."""

    page_width_in: float = Field(gt=0)
    page_height_in: float = Field(gt=0)
    rows: int = Field(ge=1)
    columns: int = Field(ge=1)
    pitch_x_in: float = Field(gt=0)
    pitch_y_in: float = Field(gt=0)
    offset_left_in: float = Field(ge=0)
    offset_top_in: float = Field(ge=0)

    @property
    def positions(self) -> int:
        return self.rows * self.columns


class LabelStock(_Frozen):
    name: str
    description: str
    width_in: float = Field(gt=0)
    height_in: float = Field(gt=0)
    orientation: Literal["landscape", "portrait"]
    margins_in: Margins
    font: FontRange
    barcode: Barcode
    sheet: Sheet | None = None

    @model_validator(mode="after")
    def _consistent(self) -> LabelStock:
        if (self.width_in >= self.height_in) != (self.orientation == "landscape"):
            raise ValueError("orientation does not match width and height")
        if self.font.min_pt > self.font.max_pt:
            raise ValueError("font.min_pt is larger than font.max_pt")
        return self

    @property
    def width_pt(self) -> float:
        return self.width_in * POINTS_PER_INCH

    @property
    def height_pt(self) -> float:
        return self.height_in * POINTS_PER_INCH

    @property
    def area(self) -> float:
        return self.width_in * self.height_in

    def page_size(self) -> tuple[float, float]:
        """The PDF page: the whole sheet for sheet stocks, the label itself for roll stocks."""
        if self.sheet:
            return (
                self.sheet.page_width_in * POINTS_PER_INCH,
                self.sheet.page_height_in * POINTS_PER_INCH,
            )
        return (self.width_pt, self.height_pt)

    def cell_origin(self, position: int) -> tuple[float, float]:
        """Bottom-left corner (points) of the label at 1-based `position` on the page."""
        if self.sheet is None:
            return (0.0, 0.0)
        row, column = divmod(position - 1, self.sheet.columns)
        page_height = self.sheet.page_height_in * POINTS_PER_INCH
        x = (self.sheet.offset_left_in + column * self.sheet.pitch_x_in) * POINTS_PER_INCH
        top = (self.sheet.offset_top_in + row * self.sheet.pitch_y_in) * POINTS_PER_INCH
        return (x, page_height - top - self.height_pt)

    @property
    def positions(self) -> int:
        return self.sheet.positions if self.sheet else 1


def labels_dir() -> Path:
    return Path(os.environ.get("RXFLOW_LABELS_DIR") or DEFAULT_LABELS_DIR)


@cache
def _load(directory: Path) -> dict[str, LabelStock]:
    stocks: dict[str, LabelStock] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            stock = LabelStock.model_validate(tomllib.loads(path.read_text("utf-8")))
        except (ValidationError, tomllib.TOMLDecodeError) as exc:
            raise InvalidInput(f"Label stock file {path.name} is not valid: {exc}") from exc
        if stock.name != path.stem:
            raise InvalidInput(f"Label stock file {path.name} names itself {stock.name!r}.")
        stocks[stock.name] = stock
    return stocks


def all_stocks() -> dict[str, LabelStock]:
    """Every stock in the labels folder, by name (read once per folder)."""
    return _load(labels_dir())


def get_stock(name: str) -> LabelStock:
    stocks = all_stocks()
    if name not in stocks:
        known = ", ".join(sorted(stocks)) or "none"
        raise InvalidInput(f"No label stock named {name!r}; known stocks: {known}.")
    return stocks[name]
