"""Errors the engine raises; each carries a sentence a person at the front desk can read aloud."""

from __future__ import annotations

from datetime import datetime


class RxflowError(Exception):
    """Base of every error rxflow shows to a person; `reason` is that sentence."""

    code = "RXFLOW_ERROR"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RuleViolation(RxflowError):
    """A business rule refused the step (a guard, a checklist, a schedule limit)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code


class IllegalTransition(RuleViolation):
    """The trigger does not apply to the request's current state."""

    def __init__(self, trigger: str, state: str, reason: str | None = None) -> None:
        super().__init__(
            "ILLEGAL_TRANSITION",
            reason
            or f"Cannot {trigger.replace('_', ' ')} a request that is {state.replace('_', ' ')}.",
        )
        self.trigger = trigger
        self.state = state


class Conflict(RxflowError):
    """Someone else changed the record first; the person must reload and look again."""

    code = "CONFLICT"

    def __init__(self, changed_by: str | None, at: datetime | None) -> None:
        who = changed_by or "another user"
        when = f" at {at:%H:%M:%S}" if at else ""
        super().__init__(f"This request was changed by {who}{when}; reload it and try again.")
        self.changed_by = changed_by
        self.at = at


class Forbidden(RxflowError):
    """The actor's role may not take this step."""

    code = "FORBIDDEN"


class NotFound(RxflowError):
    """A record named by id does not exist."""

    code = "NOT_FOUND"

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"No {kind} with id {ident}.")
        self.kind = kind
        self.ident = ident


class InvalidInput(RxflowError):
    """A field is missing, of the wrong type or out of range."""

    code = "INVALID_INPUT"


class StorageUnavailable(RxflowError):
    """The database is locked or unreachable; nothing was written."""

    code = "STORAGE_UNAVAILABLE"
