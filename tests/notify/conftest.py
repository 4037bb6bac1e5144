"""Notification fixtures: the SMTP server and desk helpers are shared with tests/outbox."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "outbox"))

from outbox_support import smtp  # noqa: E402

__all__ = ["smtp"]
