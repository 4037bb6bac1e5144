"""The stable id a transport carries (Message-ID, file name) for one outbox row."""

from __future__ import annotations

import re

_KEY_FORM = re.compile(r"^<?([^<>@]+)(@[^<>]*)?>?$")


def job_id(idempotency_key: str) -> str:
    """'fax:12:1' -> 'fax-12-1': the same for every attempt of one row, safe in a file name."""
    return idempotency_key.replace(":", "-")


def key_candidates(reference: str) -> str:
    """A job id from whatever a confirmation quotes: the key, the job id or the Message-ID."""
    found = _KEY_FORM.match(reference.strip())
    return job_id(found.group(1) if found else reference.strip())
