"""End-to-end fixtures: the demo hospital served by uvicorn in a thread, and Debian's chromium.

Never downloads a browser: Playwright drives /usr/bin/chromium (installed by `make test`
through scripts/system-deps.sh). Screenshots go to docs/images/ for the README.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from e2e_support import CHROMIUM, CHROMIUM_ARGS, PASSWORDS, LiveServer
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from rxflow.db import migrate
from rxflow.db.session import Database
from rxflow.demo.hospital import open_mid_morning, seed_hospital


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    db = Database(f"sqlite:///{tmp_path / 'e2e.db'}")
    migrate.upgrade(db)
    seed_hospital(db)
    open_mid_morning(db)
    server = LiveServer(db)
    server.start()
    yield server
    server.stop()
    db.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail("Debian chromium is missing: run `make system-deps` (chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def desk_for(chromium: Browser, live_server: LiveServer) -> Iterator[Callable[[str], Page]]:
    """desk_for("sam") -> a logged-in page in its own browser context (its own cookies)."""
    contexts: list[BrowserContext] = []

    def open_as(username: str) -> Page:
        context = chromium.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 860}
        )
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORDS[username])
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
        return page

    yield open_as
    for context in contexts:
        context.close()
