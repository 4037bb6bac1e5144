"""Errors of fax intake and fax transports: one sentence a person at the front desk can act on."""

from __future__ import annotations

from rxflow.errors import RxflowError


class IntakeError(RxflowError):
    """An incoming fax could not be read; the original is kept and a person enters the request."""

    code = "FAX_INTAKE"


class TransportError(RxflowError):
    """A fax could not be handed to the transport; retryable says whether trying again may help."""

    code = "FAX_TRANSPORT"

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.retryable = retryable
