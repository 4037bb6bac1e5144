"""The Python API every edge calls (web, CLI, workers, tests): one transaction per call."""

from rxflow.service.workflow import (
    allowed_triggers,
    fire,
    get_request,
    history,
    receive_request,
)

__all__ = ["allowed_triggers", "fire", "get_request", "history", "receive_request"]
