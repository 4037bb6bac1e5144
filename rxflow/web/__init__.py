"""The web view and JSON API: create_app(config, db) builds the Starlette application."""

from __future__ import annotations

from rxflow.web.app import create_app

__all__ = ["create_app"]
