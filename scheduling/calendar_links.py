"""Add-to-calendar links of the confirmation page (pure): Google Calendar and Outlook on the web
take the event in the URL; the .ics file is served by the booking pages' own signed route."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"


@dataclass(frozen=True)
class CalendarLinks:
    """Where the client adds the appointment to their calendar."""

    google: str
    outlook: str


def links(title: str, start: datetime, end: datetime, details: str) -> CalendarLinks:
    """The add-to-calendar links of one appointment (times in UTC, as both services take)."""
    google = {"action": "TEMPLATE", "text": title, "details": details,
              "dates": f"{_compact(start)}/{_compact(end)}"}
    outlook = {"path": "/calendar/action/compose", "rru": "addevent", "subject": title,
               "body": details, "startdt": _iso(start), "enddt": _iso(end)}
    return CalendarLinks(google=f"{GOOGLE}?{urlencode(google)}",
                         outlook=f"{OUTLOOK}?{urlencode(outlook)}")


def _compact(instant: datetime) -> str:
    return f"{instant.astimezone(UTC):%Y%m%dT%H%M%S}Z"


def _iso(instant: datetime) -> str:
    return f"{instant.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"
