"""The outbox worker: sends queued faxes, emails and texts once each, and records how it went."""
