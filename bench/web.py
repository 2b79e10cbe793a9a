"""HTTP clients for the agents' side: the real login form (with its CSRF token), timed GETs."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import requests

from bench.instance import API_TOKEN
from bench.seed import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
API_HEADERS = {"Authorization": f"Bearer {API_TOKEN}"}


def logged_in(base: str, email: str, password: str = PASSWORD) -> requests.Session:
    """A browser session after logging in through the login page, as an agent does."""
    browser = requests.Session()
    browser.headers["Accept"] = "text/html"
    form = browser.get(f"{base}/login", timeout=30)
    token = CSRF.search(form.text)
    if token is None:
        raise RuntimeError(f"no CSRF token on the login page (status {form.status_code})")
    answer = browser.post(f"{base}/login", timeout=30, allow_redirects=False, data={
        "csrf_token": token.group(1), "email": email, "password": password, "next": ""})
    if answer.status_code != 302:
        raise RuntimeError(f"login refused: {answer.status_code}")
    return browser


def fetch(client: requests.Session, url: str, headers: dict[str, str] | None = None) -> float:
    """One GET; its wall time in ms (raises on a non-2xx answer)."""
    started = time.perf_counter()
    answer = client.get(url, headers=headers, timeout=60)
    elapsed = (time.perf_counter() - started) * 1000
    answer.raise_for_status()
    return elapsed


def alternate(count: int, *probes: Callable[[], float]) -> list[list[float]]:
    """Run the probes in turn `count` times (noise hits all alike); their timings."""
    timings: list[list[float]] = [[] for _ in probes]
    for _ in range(count):
        for probe, found in zip(probes, timings, strict=True):
            found.append(probe())
    return timings
