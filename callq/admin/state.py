"""What the administrator keeps in the database and every process reads: the hours (a calendar
spec), closures, the product series policy and the reworded texts. The runtime loads it
(callq.runtime.Runtime.refresh) and re-reads it every minute."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from callq.models import Closure, StoredValue, TextOverride
from callq.settings import Settings
from callq.waiting.versions import SeriesPolicy
from scheduling.calendar import BusinessCalendar, CalendarSpec, spec_from_dict, starting_spec

log = logging.getLogger(__name__)
HOURS = "hours"
SERIES = "series"


@dataclass(frozen=True)
class AdminState:
    """The administrator's settings as one process uses them."""

    calendar: BusinessCalendar
    series: SeriesPolicy
    texts: dict[str, dict[str, str]]  # lang -> message id -> wording


def read_value(session: Session | Connection, key: str) -> dict[str, Any] | None:
    """A stored setting, or None when the administrator never saved it."""
    value = session.scalar(select(StoredValue.value).where(StoredValue.key == key))
    return dict(value) if value is not None else None


def write_value(session: Session, key: str, value: dict[str, Any], now: datetime) -> None:
    """Store a setting (in the caller's transaction)."""
    row = session.get(StoredValue, key, with_for_update=True)
    if row is None:
        session.add(StoredValue(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now


def spec_of(stored: dict[str, Any] | None, settings: Settings) -> CalendarSpec:
    """The stored hours, else the starting point CALLQ_CALENDAR names."""
    if stored is not None:
        try:
            return spec_from_dict(stored)
        except (ValueError, KeyError, TypeError) as exc:  # saved valid; a bad edit by hand
            log.error("stored hours unreadable (%r): using %s", exc, settings.calendar)
    return starting_spec(settings.calendar)


def series_of(stored: dict[str, Any] | None, settings: Settings) -> SeriesPolicy:
    """The stored series policy, else CALLQ_CURRENT_SERIES's."""
    if stored is not None:
        try:
            return SeriesPolicy(frozenset(stored["supported"]), frozenset(stored["on_quote"]))
        except (ValueError, KeyError, TypeError) as exc:
            log.error("stored series unreadable (%r): using the setting", exc)
    return SeriesPolicy.current(settings.current_series)


def closures(connection: Session | Connection) -> dict[date, str]:
    """Closure days and their labels."""
    return {day: label for day, label in connection.execute(select(Closure.day, Closure.label))}


def load(connection: Connection, settings: Settings) -> AdminState:
    """Everything the administrator keeps, read on one connection."""
    spec = spec_of(read_value(connection, HOURS), settings)
    texts: dict[str, dict[str, str]] = {}
    for lang, message, text in connection.execute(
            select(TextOverride.lang, TextOverride.message, TextOverride.text)):
        texts.setdefault(lang, {})[message] = text
    return AdminState(BusinessCalendar(spec, closures(connection)),
                      series_of(read_value(connection, SERIES), settings), texts)
