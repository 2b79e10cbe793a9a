"""The waiting room as agents and the API read it: ordered entries with their place's reason.

The order is the database's (`order_by`, mirroring callq.waiting.order.sort_key) so that a page
of 50 among 100,000 entries is read from the index, not sorted in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, case, false, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, selectinload

from callq import db
from callq.entry_writer import waits_of
from callq.models import Client, Message, WaitingEntry
from callq.settings import Settings
from callq.standing import position_of
from callq.status import EntryStatus, Tier, VersionStatus
from callq.waiting.explain import explain_detail
from callq.waiting.order import Placed, place_reason
from callq.waiting.phones import display_number
from callq.waiting.service_levels import (
    ALERTS,
    BusinessTime,
    Clock,
    ClockFacts,
    Targets,
    Verdict,
    clocks,
)
from callq.waiting.versions import version_status
from scheduling.business_time import CalendarTime

if TYPE_CHECKING:
    from callq.runtime import Runtime

LISTED: tuple[EntryStatus, ...] = (EntryStatus.WAITING, EntryStatus.CLAIMED)
# The total of a list stops counting here: an exact count grows with the room (10 ms for
# 100,000 entries on PostgreSQL), and "10,000 or more" tells an agent all there is to know.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class EntryView:
    """One entry as shown: its place, why it is there, who called and how late it is."""

    id: int
    position: int  # 1 = top of the filtered list; 0 for an entry not in the list
    status: str
    tier: Tier
    vague: bool
    need_text: str | None
    reason: str  # localized place reason (callq.waiting.order.place_reason)
    explanation: str  # why the need was classified so (callq.waiting.explain), localized
    matched: tuple[str, ...]
    messages_count: int
    caller_number: str | None
    caller_display: str
    caller_email: str | None  # the address an email came from
    client_id: int | None
    client_name: str | None
    version: str | None
    version_status: VersionStatus
    arrived_at: datetime
    queued_at: datetime
    waiting_business_seconds: float
    due_at: datetime | None  # the resolution's, pushed back by the waits for the client (R11)
    late: bool  # the resolution is late (R11)
    claimed_by: int | None
    lease_expires_at: datetime | None
    attempts: int
    available_at: datetime | None
    clocks: tuple[Clock, ...] = ()  # first response, first qualification, resolution (R11)

    def as_json(self) -> dict[str, Any]:
        """JSON-ready: enums as their values, instants as ISO 8601 UTC; the clocks by name."""
        found = {f.name: _json_value(getattr(self, f.name)) for f in fields(self)
                 if f.name != "clocks"}
        found["service_levels"] = {clock.name.value: clock.as_json() for clock in self.clocks}
        return found

    @property
    def alerts(self) -> tuple[Clock, ...]:
        """The clocks a badge shows: due soon, late or missed."""
        return tuple(clock for clock in self.clocks if clock.verdict in ALERTS)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class EntryFilter:
    """Which entries to list; by default the open list agents work (waiting and claimed)."""

    tier: Tier | None = None
    vague: bool | None = None
    late: bool | None = None
    search: str | None = None  # in the need, the client's name or the caller's number
    statuses: tuple[EntryStatus, ...] = LISTED


@dataclass(frozen=True)
class AttachmentView:
    """A file an email carried (served to agents by its id)."""

    id: int
    filename: str
    content_type: str
    size: int

    def as_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class MessageView:
    """One message of an entry: a voicemail, or an email (subject, text, attachments)."""

    id: int
    received_at: datetime
    from_number: str | None
    speech_text: str | None
    recording_url: str | None
    recording_seconds: int | None
    recording_path: str | None
    channel: str = "voice"
    from_email: str | None = None
    subject: str | None = None
    body_text: str | None = None  # plain text, never HTML
    flags: tuple[str, ...] = ()  # long, several_subjects, over_daily_limit, answer
    attachments: tuple[AttachmentView, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """JSON-ready, instants as ISO 8601 UTC."""
        data = {f.name: _json_value(getattr(self, f.name)) for f in fields(self)}
        data["attachments"] = [a.as_json() for a in self.attachments]
        return data


def order_by() -> list[Any]:
    """SQL ORDER BY of the room: vague last (R7), tier (R6), queued time (R5, R8), id."""
    return [WaitingEntry.vague, WaitingEntry.tier_rank, WaitingEntry.queued_at, WaitingEntry.id]


def read_page(runtime: Runtime, *, limit: int, offset: int, lang: str,
              filters: EntryFilter) -> tuple[list[EntryView], int]:
    """The use case of the list's readers (API): one page and the capped total."""
    with db.read(runtime.sessions) as session:
        return list_entries(session, runtime, limit=limit, offset=offset, lang=lang,
                            filters=filters)


def read_entry(runtime: Runtime, entry_id: int,
               lang: str) -> tuple[EntryView, list[MessageView]] | None:
    """The use case of an entry's readers (API): the entry and its messages, or None."""
    with db.read(runtime.sessions) as session:
        view = get_entry(session, runtime, entry_id, lang)
        return None if view is None else (view, list_messages(session, entry_id))


def list_entries(
    session: Session, runtime: Runtime, *, limit: int = 50, offset: int = 0, lang: str = "fr",
    filters: EntryFilter | None = None,
) -> tuple[list[EntryView], int]:
    """One page of the ordered list and the size of the filtered list, counted up to COUNT_CAP
    (a total equal to COUNT_CAP means "at least that many")."""
    filters = filters or EntryFilter()
    now = runtime.now()
    conditions = _conditions(filters, now)
    if filters.late is not None:
        conditions.append(_late(session, runtime, filters, now))
    listed = select(WaitingEntry.id).where(WaitingEntry.status.in_(filters.statuses),
                                           *conditions).limit(COUNT_CAP).subquery()
    total = session.scalar(select(func.count()).select_from(listed)) or 0
    keys = _ordered_keys(filters.statuses, conditions, limit, offset)
    rows = session.execute(
        select(WaitingEntry, Client).join(keys, WaitingEntry.id == keys.c.id)
        .outerjoin(Client, WaitingEntry.client_id == Client.id)
        .order_by(keys.c.vague, keys.c.tier_rank, keys.c.queued_at, keys.c.id)
        .limit(limit).offset(offset)
    ).all()
    page = [_view(runtime, entry, client, offset + i + 1, lang, now)
            for i, (entry, client) in enumerate(rows)]
    return page, total


def get_entry(session: Session, runtime: Runtime, entry_id: int,
              lang: str = "fr") -> EntryView | None:
    """One entry with its position in the default list (0 when it is not in it)."""
    row = session.execute(
        select(WaitingEntry, Client).outerjoin(Client, WaitingEntry.client_id == Client.id)
        .where(WaitingEntry.id == entry_id)
    ).first()
    if row is None:
        return None
    entry, client = row
    return _view(runtime, entry, client, position_of(session, entry), lang, runtime.now())


def list_messages(session: Session, entry_id: int) -> list[MessageView]:
    """The messages of an entry, oldest first."""
    messages = session.scalars(
        select(Message).where(Message.entry_id == entry_id)
        .options(selectinload(Message.attachments))
        .order_by(Message.received_at, Message.id)
    )
    return [message_view(m) for m in messages]


def message_view(m: Message) -> MessageView:
    """The plain view of a message row (its attachments loaded with it)."""
    facts = m.email_facts or {}
    return MessageView(
        m.id, m.received_at, m.from_number, m.speech_text or None, m.recording_url,
        m.recording_seconds, m.recording_path, channel=m.channel, from_email=m.from_email,
        subject=m.subject, body_text=m.body_text, flags=tuple(facts.get("flags") or ()),
        attachments=tuple(AttachmentView(a.id, a.filename, a.content_type, a.size)
                          for a in m.attachments))


def _ordered_keys(statuses: tuple[EntryStatus, ...], conditions: list[Any], limit: int,
                  offset: int) -> Any:
    """The keys of the entries that can make the page (a subquery with the order's columns).

    One index-ordered slice per status, merged: `status IN (...)` on the index's first column
    would make the database sort every open entry to return the first 50.
    """
    keys = (WaitingEntry.id, WaitingEntry.vague, WaitingEntry.tier_rank, WaitingEntry.queued_at)
    slices = [
        select(*keys).where(WaitingEntry.status == status, *conditions)
        .order_by(*order_by()).limit(offset + limit).subquery()
        for status in dict.fromkeys(statuses)
    ] or [select(*keys).where(false()).subquery()]
    return union_all(*(select(part) for part in slices)).subquery()


def _counted(conditions: list[Any]) -> Select[int]:
    return select(func.count()).select_from(WaitingEntry).where(*conditions)


def _conditions(filters: EntryFilter, now: datetime) -> list[Any]:
    """The filter's conditions, but for the statuses (each caller applies those its way)."""
    conditions: list[Any] = []
    if filters.tier is not None:
        conditions.append(WaitingEntry.tier == filters.tier)
    if filters.vague is not None:
        conditions.append(WaitingEntry.vague.is_(filters.vague))
    if filters.search:
        conditions.append(_search(filters.search))
    return conditions


def service_targets(settings: Settings) -> Targets:
    """The service levels' targets (R11) from the settings."""
    return Targets(settings.first_response_days, settings.qualification_days,
                   settings.due_soon_percent / 100)


def clock_facts(entry: Any) -> ClockFacts:
    """What an entry row (or a row of its columns) says about its clocks."""
    waiting = entry.status == EntryStatus.AWAITING_CLIENT
    return ClockFacts(
        arrived_at=entry.arrived_at, resolution_due=entry.due_at or entry.arrived_at,
        first_attempt_at=entry.first_attempt_at, qualified_at=entry.qualified_at,
        closed_at=entry.closed_at if entry.status == EntryStatus.CLOSED else None,
        waiting_since=entry.awaiting_since if waiting else None,
        waits=waits_of(entry.clock_waits))


def entry_clocks(time: BusinessTime, entry: Any, targets: Targets,
                 now: datetime) -> tuple[Clock, Clock, Clock]:
    """The entry's three clocks at `now` (R11)."""
    return clocks(time, clock_facts(entry), targets, now)


_LATE_VERDICTS = (Verdict.LATE, Verdict.MISSED)


def _late(session: Session, runtime: Runtime, filters: EntryFilter, now: datetime) -> Any:
    """The resolution is late (filters.late) or not: due time against the instant its clock
    stands at, in SQL; the few entries that waited for their client judged in Python (R11)."""
    stands_at = case((WaitingEntry.status == EntryStatus.AWAITING_CLIENT,
                      WaitingEntry.awaiting_since),
                     (WaitingEntry.status == EntryStatus.CLOSED, WaitingEntry.closed_at),
                     else_=literal(now, WaitingEntry.due_at.type))
    late = WaitingEntry.due_at < stands_at
    plain = and_(WaitingEntry.clock_waits.is_(None),
                 late if filters.late else or_(WaitingEntry.due_at.is_(None), ~late))
    waited = session.execute(select(WaitingEntry).where(
        WaitingEntry.status.in_(filters.statuses), WaitingEntry.clock_waits.is_not(None))
    ).scalars()
    time, targets = CalendarTime(runtime.calendar()), service_targets(runtime.settings)
    chosen = [entry.id for entry in waited if entry.due_at is not None and filters.late == (
        entry_clocks(time, entry, targets, now)[2].verdict in _LATE_VERDICTS)]
    return or_(plain, WaitingEntry.id.in_(chosen)) if chosen else plain


def _search(text: str) -> Any:
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    in_client = select(Client.id).where(Client.name.ilike(pattern, escape="\\"))
    matches: list[Any] = [WaitingEntry.need_text.ilike(pattern, escape="\\"),
               WaitingEntry.client_id.in_(in_client)]
    digits = "".join(ch for ch in text if ch in "0123456789")  # phone numbers are ASCII
    if len(digits) >= 4:  # "06 12 34" finds +33612345678: compare without the leading 0
        matches.append(WaitingEntry.caller_number.contains(digits.lstrip("0")))
    return or_(*matches)


def _view(runtime: Runtime, entry: WaitingEntry, client: Client | None, position: int,
          lang: str, now: datetime) -> EntryView:
    calendar = runtime.calendar()
    matched = tuple(entry.classification.get("matched") or ())
    placed = Placed(entry.id, Tier(entry.tier), entry.vague, entry.queued_at)
    reason = place_reason(
        placed, matched=matched, tier_set_by_agent=entry.tier_set_by_agent,
        repeats=max(entry.messages_count - 1, 0),
        repeat_moved_back=runtime.settings.repeat_moves_back, lang=lang, tz=calendar.tz,
    )
    version = client.product_version if client else None
    status = (version_status(version, runtime.series()) if client
              else VersionStatus.UNKNOWN)
    found = entry_clocks(CalendarTime(calendar), entry, service_targets(runtime.settings), now)
    resolution = found[2]
    return EntryView(
        id=entry.id, position=position, status=str(entry.status), tier=Tier(entry.tier),
        vague=entry.vague, need_text=entry.need_text or None, reason=reason, matched=matched,
        explanation=explain_detail(entry.classification or {}, Tier(entry.tier), lang),
        messages_count=entry.messages_count, caller_number=entry.caller_number,
        caller_display=display_number(entry.caller_number, lang,
                                      home_region=calendar.spec.holiday_country),
        caller_email=entry.caller_email, client_id=entry.client_id,
        client_name=client.name if client else None,
        version=version, version_status=status, arrived_at=entry.arrived_at,
        queued_at=entry.queued_at,
        waiting_business_seconds=calendar.business_seconds(entry.arrived_at, now),
        due_at=resolution.due_at if entry.due_at else None,
        late=entry.due_at is not None and resolution.verdict in _LATE_VERDICTS,
        claimed_by=entry.claimed_by, lease_expires_at=entry.lease_expires_at,
        attempts=entry.attempts, available_at=entry.available_at, clocks=found,
    )
