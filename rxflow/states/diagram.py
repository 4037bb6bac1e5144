"""The workflow diagram as Mermaid text, drawn by transitions from the same table the engine runs.

Used by docs/workflow.md and by the web view's timeline (current state marked).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from transitions.extensions.diagrams import GraphMachine

from rxflow.states.definition import TRANSITIONS, State


class _Marker:
    """A throwaway model: GraphMachine draws the graph of a model's current state."""

    state: str


@lru_cache(maxsize=len(State))
def mermaid(current: str | None = None) -> str:
    """Mermaid `stateDiagram-v2` source; `current` (a state name) is highlighted."""
    rows: list[dict[str, Any]] = [
        {key: value for key, value in row.items() if key != "conditions"} for row in TRANSITIONS
    ]
    marker = _Marker()
    GraphMachine(
        model=marker,
        states=[s.value for s in State],
        transitions=rows,
        initial=current or State.RECEIVED.value,
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=False,
        title="Refill request",
    )
    text: str = marker.get_graph().draw(None)  # type: ignore[attr-defined]
    if current is None:
        text = text.replace("Class received s_active", "Class received s_default")
    return text
