"""Client pages in a real headless Chromium, at a phone's and a laptop's size: fixtures and steps
shared by the booking and waitlist browser tests. Screenshots go to tests/web/screenshots/."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from callq.app import create_app
from tests.conftest import settings_for, truncate, unavailable

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
BRANDING = {"hotline_name": "Hotline Médilog", "hotline_phone": "+33478000002",
            "mail_signature": "L'équipe support Médilog"}


@contextmanager
def chromium(*extra_args: str) -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (it cannot download browsers here)."""
    if not os.path.exists(CHROMIUM):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-background-networking", *extra_args])
        yield launched
        launched.close()


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: Any, port: int) -> Iterator[None]:
    """Serve `app` with werkzeug on the loopback `port`, in a thread, for the block."""
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


@contextmanager
def served(tmp_path, engine, clock, mailer, queue, **settings) -> Iterator[tuple[str, Any]]:
    """The app served on a free loopback port: (base URL, runtime)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(settings_for(tmp_path, engine, public_base_url=base, **settings),
                     adapters={"engine": engine, "mailer": mailer, "queue": queue}, clock=clock)
    with serving(app, port):
        yield base, app.extensions["callq"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def site(tmp_path, pg_engine, clock, mailer, queue) -> Iterator[tuple[str, Any]]:
    """The app with the hotline's branding, served on a free loopback port, on PostgreSQL
    alone: the pages do not differ between the backends, and a browser test is slow."""
    truncate(pg_engine)
    with served(tmp_path, pg_engine, clock, mailer, queue, **BRANDING) as running:
        yield running


def shot(page: Any, name: str) -> Path:
    """Keep a full-page screenshot to look at (gitignored)."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
