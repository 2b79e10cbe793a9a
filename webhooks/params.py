"""Twilio's parameters, read the one way every webhook reads them: a value that is not what
Twilio sends (a malformed SID, an unknown status, a number out of range, a URL off Twilio) is a
400 with the parameter's name, before any service runs; nothing is stored that its column
cannot hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, request

from callq.calls.rules import TERMINAL
from callq.web_input import integer

CALL_SID = re.compile(r"CA[0-9a-fA-F]{32}")
RECORDING_SID = re.compile(r"RE[0-9a-fA-F]{32}")
# The SID of a leg callq placed: kept as reported, within its column (calls.call_sid).
LEG_SID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Twilio's AnsweredBy values (human, machine_start, machine_end_beep, fax, unknown...), and
# any it may add in the same spelling: lower case and underscores, as the column holds.
ANSWERED_BY = re.compile(r"[a-z_]{1,30}")
RECORDING_STATUSES = frozenset({"completed", "in-progress", "absent", "failed"})
CALL_STATUSES = frozenset({"queued", "initiated", "ringing", "in-progress"}) | TERMINAL
DIAL_STATUSES = frozenset({"completed", "answered", "busy", "no-answer", "failed", "canceled"})
URL_MAX = 500  # messages.recording_url
T = TypeVar("T")


def matching(name: str, pattern: re.Pattern[str], *, required: bool) -> str | None:
    """The form value `name` if it matches `pattern` (None when absent and optional)."""
    value = request.form.get(name, "")
    if not value and not required:
        return None
    if not pattern.fullmatch(value):
        abort(400, description=f"{name} is missing or malformed")
    return value


def choice(name: str, allowed: frozenset[str], required: bool) -> str | None:
    """The form value `name` if it is one of `allowed` (None when absent and optional)."""
    value = request.form.get(name, "")
    if not value and not required:
        return None
    if value not in allowed:
        abort(400, description=f"{name} must be one of {', '.join(sorted(allowed))}")
    return value


def whole(name: str, high: int) -> int | None:
    """The form value `name` as an integer from 0 to `high` (None when absent)."""
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    value = integer(raw, 0, high)
    if value is None:
        abort(400, description=f"{name} must be an integer from 0 to {high}, not {raw[:40]!r}")
    return value


def fraction(name: str) -> float | None:
    """The form value `name` as a number from 0 to 1 (a confidence; None when absent)."""
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    value = _parsed(raw, float)
    if value is None or not 0.0 <= value <= 1.0:
        abort(400, description=f"{name} must be a number from 0 to 1, not {raw[:40]!r}")
    return value


def _parsed(raw: str, kind: Callable[[str], T]) -> T | None:
    if not raw.isascii():
        return None  # float("١") is 1.0: only ASCII is Twilio's
    try:
        return kind(raw)
    except ValueError:
        return None


def recording_url() -> str:
    """RecordingUrl: an https URL on twilio.com (the audio is fetched with the account's
    credentials, so never from anywhere else)."""
    raw = request.form.get("RecordingUrl", "")
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
    except ValueError:  # "https://[::1/x": a bracket left open
        host, parts = "", None
    on_twilio = host == "twilio.com" or host.endswith(".twilio.com")
    if parts is None or parts.scheme != "https" or not on_twilio or len(raw) > URL_MAX:
        abort(400, description=f"RecordingUrl must be an https URL on twilio.com, at most "
                               f"{URL_MAX} characters")
    return raw
