"""Outbox fixtures: the SMTP server and front-desk helpers live in outbox_support."""

from outbox_support import smtp

__all__ = ["smtp"]
