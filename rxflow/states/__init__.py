"""The refill-request workflow: states, triggers, guards and the one shared machine."""
