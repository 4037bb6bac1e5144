"""The explicit list of what runs after every accepted step, inside the same transaction.

Documents, fax jobs and client notifications plug in here; the workflow core does not know
them. Each hook returns a dict merged into the step's audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rxflow.notify.on_step import queue_notifications
from rxflow.service.effects import Step
from rxflow.service.faxing import queue_fax
from rxflow.service.paperwork.steps import issue_step_documents

StepHook = Callable[[Step], dict[str, Any]]

STEP_HOOKS: list[StepHook] = [
    issue_step_documents,
    queue_fax,
    queue_notifications,
]
