"""iTIP invitations for booked callbacks (R13, R15): RFC 5545/5546 objects built with icalendar."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from icalendar import Alarm, Calendar, Event, vCalAddress, vDuration
from icalendar.enums import PARTSTAT, ROLE, STATUS

from callq.formats import one_line

PRODID = "-//callq//callq//FR"
ALARM_BEFORE = timedelta(minutes=15)  # the client must be by the phone: a nudge on top of R17
FEED_REFRESH = timedelta(minutes=15)  # agents' feeds change with every booking; poll often
DEFAULT_SUMMARY = "Rappel du support – Hotline"

# A bare addr-spec: a display name or angle brackets inside a mailto: URI break Gmail updates.
_ADDR_SPEC = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+")
_UID = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: clients compare UIDs as octets


class Method(StrEnum):
    """The iTIP method of a calendar object (RFC 5546 §1.4)."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"
    PUBLISH = "PUBLISH"


@dataclass(frozen=True)
class Invitation:
    """One appointment as sent to the client: the same UID for life, SEQUENCE rising on change."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    organizer_email: str
    organizer_name: str
    attendee_email: str
    attendee_name: str
    url: str | None = None

    def __post_init__(self) -> None:
        if not _UID.fullmatch(self.uid):
            raise ValueError(f"UID must be printable ASCII without spaces: {self.uid!r}")
        if isinstance(self.sequence, bool) or not isinstance(self.sequence, int):
            raise ValueError(f"SEQUENCE must be an int: {self.sequence!r}")
        if self.sequence < 0:
            raise ValueError(f"SEQUENCE must be >= 0: {self.sequence}")
        _require_instant(self.start, "start")
        _require_instant(self.end, "end")
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")
        _require_addr_spec(self.organizer_email)
        _require_addr_spec(self.attendee_email)


def appointment_uid(appointment_id: int, domain: str) -> str:
    """The event UID of an appointment, derived from its row so every resend matches."""
    if isinstance(appointment_id, bool) or appointment_id < 0:
        raise ValueError(f"appointment id must be a non-negative int: {appointment_id!r}")
    if not re.fullmatch(r"[A-Za-z0-9.-]+", domain):
        raise ValueError(f"not a domain name: {domain!r}")
    return f"appt-{appointment_id}@{domain.lower()}"


def build_calendar(inv: Invitation, method: Method, stamp: datetime) -> bytes:
    """Serialise one iTIP REQUEST or CANCEL of `inv`, stamped at `stamp` (its DTSTAMP)."""
    method = Method(method)
    if method is Method.PUBLISH:
        raise ValueError("PUBLISH carries no invitation semantics: use build_feed")
    if method is Method.CANCEL and inv.sequence == 0:
        # RFC 5546 §3.2.5: a cancel bumps SEQUENCE past the REQUEST (at least 0) it cancels.
        raise ValueError("a CANCEL needs a SEQUENCE above the first REQUEST's 0")
    _require_instant(stamp, "stamp")
    calendar = _calendar(method)
    calendar.add_component(_itip_event(inv, method, stamp))
    return bytes(calendar.to_ical())


def build_feed(events: Sequence[Invitation], *, name: str, stamp: datetime) -> bytes:
    """Serialise an agent's subscribable feed (METHOD:PUBLISH), one VEVENT per appointment."""
    _require_instant(stamp, "stamp")
    uids = [inv.uid for inv in events]
    if len(set(uids)) != len(uids):
        # Two VEVENTs with one UID and no RECURRENCE-ID would be read as one event, or rejected.
        raise ValueError("a feed holds each appointment once")
    calendar = _feed_calendar(name)
    for inv in events:
        calendar.add_component(_published_event(inv, stamp))
    return bytes(calendar.to_ical())


def _calendar(method: Method) -> Calendar:
    # Calendar.new() would add a random VCALENDAR UID (RFC 7986): output must stay deterministic
    # and must not offer clients a second UID to confuse with the event's.
    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.method = method.value
    return calendar


def _feed_calendar(name: str) -> Calendar:
    calendar = _calendar(Method.PUBLISH)
    # NAME (RFC 7986) and X-WR-CALNAME for older clients; icalendar writes them unescaped, so
    # a line break in an agent's name would break the whole feed.
    calendar.calendar_name = one_line(name)
    calendar.refresh_interval = FEED_REFRESH
    # RFC 7986 §5.7 makes VALUE=DURATION mandatory on REFRESH-INTERVAL; icalendar leaves it out.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))  # what Outlook and Apple read
    return calendar


def _itip_event(inv: Invitation, method: Method, stamp: datetime) -> Event:
    """The VEVENT of a REQUEST or CANCEL: all attendees, current times, the status that decides."""
    cancelled = method is Method.CANCEL
    event = _event(inv, stamp, STATUS.CANCELLED if cancelled else STATUS.CONFIRMED)
    event.add("ATTENDEE", _attendee(inv))
    if not cancelled:  # RFC 5546 §3.2.5: a CANCEL carries no VALARM
        event.add_component(_alarm(inv))
    return event


def _published_event(inv: Invitation, stamp: datetime) -> Event:
    """The VEVENT of a feed: RFC 5546 §3.2.1 forbids ATTENDEE, so the client goes in CONTACT."""
    event = _event(inv, stamp, STATUS.CONFIRMED)
    event.contacts = [f"{one_line(inv.attendee_name)} <{inv.attendee_email}>"]
    return event


def _event(inv: Invitation, stamp: datetime, status: STATUS) -> Event:
    # Times go out in UTC: a TZID needs a VTIMEZONE, and the RDATE-only ones icalendar
    # generates are misread by ical.js, vobject and Outlook (protocols.md A4).
    return Event.new(
        uid=inv.uid,
        sequence=inv.sequence,
        stamp=stamp.astimezone(UTC),
        start=inv.start.astimezone(UTC),
        end=inv.end.astimezone(UTC),
        summary=one_line(inv.summary),
        description=inv.description,
        url=inv.url,
        organizer=vCalAddress.new(inv.organizer_email, cn=one_line(inv.organizer_name)),
        status=status,
    )


def _attendee(inv: Invitation) -> vCalAddress:
    return vCalAddress.new(
        inv.attendee_email,
        cn=one_line(inv.attendee_name),
        role=ROLE.REQ_PARTICIPANT,
        partstat=PARTSTAT.NEEDS_ACTION,
        rsvp=True,
    )


def _alarm(inv: Invitation) -> Alarm:
    # Built by hand: Alarm.new() adds a random UID, which would make resends differ needlessly.
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("TRIGGER", -ALARM_BEFORE)
    alarm.add("DESCRIPTION", one_line(inv.summary))
    return alarm


def _require_instant(moment: datetime, what: str) -> None:
    """Refuse naive datetimes and wall times that do not exist in their zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware: {moment!r}")
    # A wall time skipped by spring-forward (02:30 in Paris) has no true instant;
    # zoneinfo would silently pick one, so the invitation would lie by an hour.
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    if back.replace(tzinfo=None, fold=0) != moment.replace(tzinfo=None, fold=0):
        raise ValueError(f"{what} {moment} does not exist in its time zone")


def _require_addr_spec(address: str) -> None:
    if not _ADDR_SPEC.fullmatch(address):
        raise ValueError(f"not a bare email address: {address!r}")
