"""Fixtures of the client pages' browser tests (tests/web/client_browser.py)."""

from tests.web.client_browser import browser, site

__all__ = ["browser", "site"]
