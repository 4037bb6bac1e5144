"""Index refill requests by state and age, for the approval queue and the desk.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_refill_requests_state_received_at", "refill_requests", ["state", "received_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_refill_requests_state_received_at", table_name="refill_requests")
