"""One message, one correctly placed entry (R5-R8, R11): attach it to the caller's open entry of
the same need, or open a new entry classified from the stated need, with its service-level due time.

Runs inside the caller's write transaction; concurrent messages of one caller are serialized
by a lock on the caller's identity (SQLite: the database write lock of BEGIN IMMEDIATE).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from callq import entry_writer, history
from callq.callers import Caller
from callq.models import Message, WaitingEntry
from callq.standing import LISTED, NEW_ENTRY
from callq.status import OPEN_STATUSES, EntryStatus, Tier
from callq.waiting import explain, lifecycle
from callq.waiting.classify import LEXICONS, Classification, Lexicon, classify, lexicon_for
from callq.waiting.lexicon import lexicons_from_mapping
from callq.waiting.needs import same_need
from callq.waiting.order import requeue_time, tier_after_repeat
from callq.waiting_room import order_by
from scheduling.calendar import BusinessCalendar

if TYPE_CHECKING:
    from callq.runtime import Runtime


@dataclass(frozen=True)
class Filing:
    """How a message is filed besides its need (the defaults are a voicemail's)."""

    entry_id: int | None = None  # the entry it answers: attached to it while it is open
    attach_only: bool = False  # attached to the caller's open entry whatever its need
    moves_back: bool | None = None  # None: CALLQ_REPEAT_MOVES_BACK (R8)
    detail: Mapping[str, Any] = field(default_factory=dict)  # the channel's facts, for history


@lru_cache(maxsize=4)
def lexicons_at(path: str) -> dict[str, Lexicon]:
    """The lexicons per language, CALLQ_LEXICON_PATH's over the built-in ones; ValueError names
    the file."""
    if not path:
        return dict(LEXICONS)
    try:
        return lexicons_from_mapping(json.loads(Path(path).read_text(encoding="utf-8")), LEXICONS)
    except (OSError, ValueError) as exc:
        raise ValueError(f"CALLQ_LEXICON_PATH {path}: {exc}") from exc


def lexicon_at(path: str, language: str | None = None) -> Lexicon:
    """The lexicon of one language (French by default) from lexicons_at(path)."""
    return lexicon_for(language, lexicons_at(path))


def warm(runtime: Runtime) -> None:
    """Load what the first classification in the hotline's language would load (the
    lemmatizer's dictionary, the lexicon's compiled phrases: one to two seconds, 26 MiB for
    French) before a process takes its first request or job, not during a caller's call.
    Other languages load when a message needs them (German's dictionary alone is 118 MiB)."""
    classify("le logiciel ne marche plus depuis ce matin",
             lexicon=lexicon_at(runtime.settings.lexicon_path, runtime.settings.language))


def classify_need(runtime: Runtime, need_text: str | None,
                  language: str | None = None) -> Classification:
    """Classify a stated need with the configured lexicon of its language (R6, R7)."""
    lexicon = lexicon_at(runtime.settings.lexicon_path, language or runtime.settings.language)
    return classify(need_text, lexicon=lexicon)


def due_time(calendar: BusinessCalendar, arrived_at: datetime, tier: Tier,
             sla_days: tuple[int, ...]) -> datetime:
    """When an entry of this tier is due, in business days from its arrival (R11)."""
    return calendar.add_business_days(arrived_at, sla_days[min(tier.rank, len(sla_days) - 1)])


def place(session: Session, runtime: Runtime, message: Message, caller: Caller,
          now: datetime, found: Classification | None = None,
          filing: Filing = Filing()) -> WaitingEntry:
    """File a final message: attached to the open entry of its need (R8), else a new entry.

    `found` is the message's classification when the caller already made it.
    """
    language = caller.language or runtime.settings.language
    if found is None or found.language != lexicon_at(runtime.settings.lexicon_path,
                                                      language).language:
        found = classify_need(runtime, message.speech_text, language)  # the caller's language
    # Only the room is read here: the message (maybe not inserted yet) is flushed below with
    # its entry, in one INSERT rather than an INSERT and an UPDATE.
    with session.no_autoflush:
        lock_identity(session, caller.identity)
        entry = _answered_entry(session, filing.entry_id) or _entry_of_same_need(
            session, runtime, caller, message.speech_text, found, filing.attach_only)
    if entry is None:
        entry = _open_entry(session, runtime, message, caller, found, now, filing)
    else:
        message.entry_id = entry.id
        session.flush()  # the message's id, for the entry's history
        _attach(session, runtime, entry, message, caller, found, now, filing)
    return entry


@dataclass(frozen=True)
class Foreseen:
    """Where a message not filed yet will stand once filed: its entry's order key, the entry it
    will join (None: a new one), and whether that entry will be in the list."""

    key: tuple[bool, int, datetime, int]
    joins: int | None
    listed: bool


def foresee(session: Session, runtime: Runtime, caller: Caller, need: str | None,
            received_at: datetime, found: Classification) -> Foreseen:
    """What `place` will do with this message, read without writing (the same rules R5-R8):
    the entry of the same need it joins and where that entry then stands, or a new entry."""
    language = caller.language or runtime.settings.language
    if found.language != lexicon_at(runtime.settings.lexicon_path, language).language:
        found = classify_need(runtime, need, language)
    entry = _same_need_row(session, runtime, caller, need, found)
    if entry is None:
        return Foreseen((found.vague, Tier(found.tier).rank, received_at, NEW_ENTRY), None, True)
    listed = entry.status in LISTED or entry.status == EntryStatus.AWAITING_CLIENT  # R10: back
    if entry.vague and not found.vague:  # the need stated now (see _attach)
        tier = Tier(entry.tier if entry.tier_set_by_agent else found.tier)
        return Foreseen((False, tier.rank, received_at, entry.id), entry.id, listed)
    queued = requeue_time(entry.queued_at, received_at,
                          repeat_moves_back=runtime.settings.repeat_moves_back)
    return Foreseen((entry.vague, entry.tier_rank, queued, entry.id), entry.id, listed)


def hear_late_need(session: Session, runtime: Runtime, message: Message, now: datetime,
                   found: Classification | None = None) -> None:
    """A need that arrived after its message was filed as vague: reclassify the entry if it is
    this message's alone and untouched, else only note it on the entry's history."""
    entry = session.get(WaitingEntry, message.entry_id)
    if entry is None:
        return
    found = classify_need(runtime, message.speech_text, entry.language)
    detail = {"message_id": message.id, "need": message.speech_text, **explain.detail(found)}
    if not lifecycle.takes_late_need(entry_writer.state_of(entry)) or found.vague:
        history.record_event(session, entry.id, "late_need_noted", at=now, actor="caller",
                             detail=detail)
        return
    entry_writer.apply(session, entry, lifecycle.LateNeedClassified(at=now, detail=detail))
    # The same state as if the need had come in time: the call's arrival is unchanged.
    _classify_entry(runtime, entry, message.speech_text, found)


def _classify_entry(runtime: Runtime, entry: WaitingEntry, need: str | None,
                    found: Classification, since: datetime | None = None) -> None:
    tier = entry.tier if entry.tier_set_by_agent else found.tier
    entry.tier, entry.tier_rank, entry.vague = tier, Tier(tier).rank, found.vague
    entry.need_text = need or None
    entry.classification = explain.detail(found)
    entry.due_at = due_time(runtime.calendar(), since or entry.arrived_at, Tier(tier),
                            runtime.settings.sla_days)


def try_lock_identity(session: Session, identity: str | None) -> bool:
    """lock_identity without waiting: False when another transaction holds it (PostgreSQL)."""
    if identity is None or session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(select(func.pg_try_advisory_xact_lock(_identity_key(identity)))))


def _identity_key(identity: str) -> int:
    return int.from_bytes(hashlib.sha256(identity.encode()).digest()[:8], "big", signed=True)


def lock_identity(session: Session, identity: str | None) -> None:
    """Serialise, until commit, the filing of one caller's messages."""
    # PostgreSQL: two messages of one caller must not both find "no open entry" and both
    # open one (R8). SQLite needs nothing: BEGIN IMMEDIATE already holds the only write lock.
    if identity is None or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(select(func.pg_advisory_xact_lock(_identity_key(identity))))


def _answered_entry(session: Session, entry_id: int | None) -> WaitingEntry | None:
    entry = session.get(WaitingEntry, entry_id) if entry_id is not None else None
    return entry if entry is not None and entry.status in OPEN_STATUSES else None


def _entry_of_same_need(session: Session, runtime: Runtime, caller: Caller, need: str | None,
                        found: Classification, attach_only: bool = False) -> WaitingEntry | None:
    keys = _same_caller(caller)
    if not keys:
        return None  # a withheld, unknown caller cannot be recognised
    candidates = list(session.scalars(_open_entries_of(*sorted(keys)), keys))
    entry: WaitingEntry | None = _same_need_among(candidates, runtime, caller, need, found,
                                                  attach_only)
    return entry


def _same_need_row(session: Session, runtime: Runtime, caller: Caller, need: str | None,
                   found: Classification) -> Any:
    """_entry_of_same_need read as a row of the columns foresee needs (no ORM entity)."""
    keys = _same_caller(caller)
    if not keys:
        return None
    candidates = session.execute(_open_entries_of(*sorted(keys), columns=True), keys).all()
    return _same_need_among(candidates, runtime, caller, need, found)


def _same_caller(caller: Caller) -> dict[str, str | int]:
    same_caller: dict[str, str | int] = {}
    if caller.number:
        same_caller["number"] = caller.number
    if caller.client_id is not None:
        same_caller["client_id"] = caller.client_id
    if caller.address:
        same_caller["address"] = caller.address
    return same_caller


def _same_need_among(candidates: Sequence[Any], runtime: Runtime, caller: Caller,
                     need: str | None, found: Classification, attach_only: bool = False) -> Any:
    lexicon = lexicon_at(runtime.settings.lexicon_path,
                         caller.language or runtime.settings.language)
    # The first in the room's order: the agent who calls back soonest hears every message.
    same = next((entry for entry in candidates if same_need(
        entry.need_text, need, existing_vague=entry.vague, new_vague=found.vague,
        lexicon=lexicon)), None)
    return same or (candidates[0] if attach_only and candidates else None)


@lru_cache(maxsize=16)
def _open_entries_of(*keys: str, columns: bool = False) -> Any:
    # Built once per shape: SQLAlchemy memoizes a statement's cache key, not its recipe.
    by = {"number": WaitingEntry.caller_number, "client_id": WaitingEntry.client_id,
          "address": WaitingEntry.caller_email}
    chosen: Any = select(
        WaitingEntry.id, WaitingEntry.need_text, WaitingEntry.vague, WaitingEntry.status,
        WaitingEntry.tier, WaitingEntry.tier_rank, WaitingEntry.tier_set_by_agent,
        WaitingEntry.queued_at) if columns else select(WaitingEntry)
    return (chosen.where(WaitingEntry.status.in_(OPEN_STATUSES),
                         or_(*(by[key] == bindparam(key) for key in keys)))
            .order_by(*order_by()))


def _open_entry(session: Session, runtime: Runtime, message: Message, caller: Caller,
                found: Classification, now: datetime, filing: Filing) -> WaitingEntry:
    entry = WaitingEntry(
        caller_number=caller.number, caller_email=caller.address, client_id=caller.client_id,
        language=caller.language or runtime.settings.language, arrived_at=message.received_at,
        queued_at=message.received_at, messages_count=1, tier_set_by_agent=False,
    )
    _classify_entry(runtime, entry, message.speech_text, found)
    session.add(entry)
    message.entry = entry  # one flush inserts the entry, then the message that points to it
    session.flush()
    entry_writer.apply(session, entry, lifecycle.Filed(at=now, detail={
        "message_id": message.id, "call_sid": message.call_sid, **explain.detail(found),
        **filing.detail}))
    return entry


def _attach(session: Session, runtime: Runtime, entry: WaitingEntry, message: Message,
            caller: Caller, found: Classification, now: datetime, filing: Filing) -> None:
    before = entry.queued_at
    stated = entry.vague and not found.vague
    if stated:
        # R8 decision: the vague entry takes the need and its tier, placed at this message's
        # time: stating it late never buys a better place than stating it at once, and never
        # leaves an urgent need below every low one.
        entry.queued_at = message.received_at
        _classify_entry(runtime, entry, message.speech_text, found, since=message.received_at)
    else:
        moves_back = (runtime.settings.repeat_moves_back if filing.moves_back is None
                      else filing.moves_back)
        entry.queued_at = requeue_time(before, message.received_at, repeat_moves_back=moves_back)
        entry.tier = tier_after_repeat(entry.tier, found.tier)  # never up, whatever it says
    entry.messages_count += 1
    if entry.client_id is None:  # the number was matched to a client since the entry opened
        entry.client_id = caller.client_id
    entry.caller_email = entry.caller_email or caller.address
    detail = {"message_id": message.id, "call_sid": message.call_sid, "need": message.speech_text,
              "queued_before": before.isoformat(), "queued_after": entry.queued_at.isoformat(),
              "need_stated": stated, **explain.detail(found), **filing.detail}
    # A client we were waiting for comes back to the list (R10): the lifecycle decides.
    entry_writer.apply(session, entry, lifecycle.MessageAttached(at=now, detail=detail,
                                                                 need_stated=stated))
