"""Checklist files: validated once, cached by (id, version); old versions stay loadable.

Each version is its own file, definitions/<id>.v<version>.toml, and files are never edited once
shipped: a changed checklist is a new file with the next version, so a run recorded with
version 1 can always be shown against the exact items it answered.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rxflow.checklists.checks import CHECKS
from rxflow.errors import InvalidInput

DEFINITIONS = Path(__file__).with_name("definitions")
PATHS = ("in_house_fill", "outside_prescription", "dispense")


class ChecklistItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["engine", "attest"]
    text: str = Field(min_length=3)
    check: str | None = None  # the registered engine check, for engine items
    overridable: bool = False
    rule_code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")

    @model_validator(mode="after")
    def _engine_items_name_a_check(self) -> ChecklistItem:
        if self.kind == "engine" and self.check not in CHECKS:
            raise ValueError(f"item {self.id} names no registered check ({self.check!r})")
        if self.kind == "attest" and (self.check or self.overridable):
            raise ValueError(f"attested item {self.id} takes no check and no override")
        return self


class Checklist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    version: int = Field(ge=1)
    title: str
    items: tuple[ChecklistItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_items(self) -> Checklist:
        ids = [item.id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("item ids must be unique")
        return self

    def item(self, item_id: str) -> ChecklistItem | None:
        return next((item for item in self.items if item.id == item_id), None)


def versions(checklist_id: str, folder: Path = DEFINITIONS) -> list[int]:
    """The versions of `checklist_id` that can be loaded, oldest first."""
    return sorted(_versions(checklist_id, folder))


def _versions(checklist_id: str, folder: Path) -> dict[int, Path]:
    found: dict[int, Path] = {}
    for path in folder.glob(f"{checklist_id}.v*.toml"):
        number = path.name.removeprefix(f"{checklist_id}.v").removesuffix(".toml")
        if number.isdigit():
            found[int(number)] = path
    return found


def load_checklist(
    checklist_id: str, version: int | None = None, folder: Path = DEFINITIONS
) -> Checklist:
    """The checklist `checklist_id` at `version` (default: the newest file in `folder`)."""
    found = _versions(checklist_id, folder)
    if not found:
        raise InvalidInput(f"There is no checklist called '{checklist_id}'.")
    chosen = max(found) if version is None else version
    if chosen not in found:
        raise InvalidInput(f"Checklist '{checklist_id}' has no version {chosen}.")
    return _load(found[chosen], checklist_id, chosen)


@lru_cache(maxsize=64)
def _load(path: Path, checklist_id: str, version: int) -> Checklist:
    """Parsed once per (file, id, version): shipped files are never edited, only added."""
    try:
        checklist = Checklist.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"Checklist file {path.name} is not valid TOML: {exc}.") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise InvalidInput(f"Checklist file {path.name}: {where}: {first['msg']}.") from None
    if (checklist.id, checklist.version) != (checklist_id, version):
        raise InvalidInput(
            f"Checklist file {path.name} says it is {checklist.id} v{checklist.version}."
        )
    return checklist


def checklist_for(path: str, controlled: bool) -> Checklist:
    """The checklist of a workflow path: in_house_fill, outside_prescription or dispense;
    controlled drugs get the controlled variant where one exists."""
    if path not in PATHS:
        raise InvalidInput(f"There is no checklist for the step '{path}'.")
    names = {
        ("in_house_fill", True): "controlled_fill",
        ("dispense", True): "dispense_controlled",
    }
    return load_checklist(names.get((path, controlled), path))
