"""What the hotline decided when a call came in (R1-R4, R9): a plain value the edge speaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from callq.i18n import supported
from callq.status import VersionStatus
from scheduling.calendar import Mode


@dataclass(frozen=True)
class Greeting:
    """What the hotline decided when the call came in."""

    mode: Mode
    agent_numbers: tuple[str, ...] = ()  # on-duty agents to ring (live mode)
    next_opening: datetime | None = None  # local time (closed mode)
    holiday: str | None = None  # today's holiday or closure name (closed mode)
    version: VersionStatus = VersionStatus.UNKNOWN
    link_channel: str | None = None  # "sms" or "email": how the booking link goes out (R2)


def prompt_language(lang: str | None) -> str:
    """The prompt language for a wish ("de-CH", "EN", None...): a language callq speaks."""
    return supported(lang)
