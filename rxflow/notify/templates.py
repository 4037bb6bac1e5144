"""Message templates (Jinja2, one file per kind with subject, email and sms blocks).

The shipped templates live beside this module; a practice overrides any of them by putting a
file of the same name in the folder named by RXFLOW_TEMPLATES_DIR.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
)

from rxflow.errors import InvalidInput

SHIPPED = Path(__file__).parent / "templates"
KINDS = ("ready_for_pickup", "faxed_to_pharmacy", "denied", "unclaimed_reminder", "refill_due")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def templates_dir(env: dict[str, str] | None = None) -> Path | None:
    """The practice's own template folder (RXFLOW_TEMPLATES_DIR), if it set one."""
    value = (os.environ if env is None else env).get("RXFLOW_TEMPLATES_DIR", "").strip()
    return Path(value) if value else None


@lru_cache(maxsize=8)
def _environment(folder: str) -> Environment:
    loaders: list[BaseLoader] = [FileSystemLoader(SHIPPED)]
    if folder:
        loaders.insert(0, FileSystemLoader(folder))
    return Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,  # plain-text email and SMS, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    kind: str, channel: str, context: dict[str, Any], folder: Path | None = None
) -> Rendered:
    """Subject and body of `kind` for `channel` (sms gets the short block, others the email)."""
    folder = folder if folder is not None else templates_dir()
    environment = _environment(str(folder) if folder else "")
    block = "sms" if channel == "sms" else "email"
    try:
        template = environment.get_template(f"{kind}.j2")
        ctx = template.new_context(dict(context))
        if block not in template.blocks or "subject" not in template.blocks:
            raise InvalidInput(f"The message template {kind}.j2 needs 'subject' and '{block}'.")
        subject = "".join(template.blocks["subject"](ctx))
        body = "".join(template.blocks[block](ctx))
    except TemplateError as error:
        raise InvalidInput(f"The message template {kind}.j2 cannot be used: {error}.") from None
    return Rendered(" ".join(subject.split()), _tidy(body))


def _tidy(text: str) -> str:
    """Strip each line and keep at most one blank line between paragraphs."""
    lines = [line.strip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)
