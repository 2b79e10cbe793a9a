"""The service figures summed per day (callq.reports.rollup) agree with judging every entry of
the period directly, after closes, a merge, a renewal and a booking handed back to the list,
for periods whose ends fall inside UTC days, on SQLite and PostgreSQL; the migration that adds
the rows sums the entries measured before it and copies the outcome lines' outcome."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask
from sqlalchemy import JSON, column, delete, func, select, table
from sqlalchemy.orm import Session

from callq import db
from callq.db import build_engine
from callq.migrate import upgrade
from callq.models import Agent, EntryEvent, ServiceDay, WaitingEntry
from callq.reports import rollup
from callq.reports.figures import NAMES, read_report
from callq.reports.service import Cohort
from callq.reports.tables import Period, ServiceFolder, Table, judge
from callq.runtime import Runtime
from callq.waiting_room import service_targets
from scheduling import booking
from scheduling.business_time import Timeline
from scheduling.calendar import wall_to_utc
from tests import report_history
from tests.integration.test_migrations import _fresh
from tests.report_history import END, START, History, paris

OLD_EVENTS = table("entry_events", column("entry_id"), column("at"), column("actor"),
                   column("agent_id"), column("kind"), column("detail", JSON))
PERIODS = (
    Period(START, END),
    Period(START, START),  # one local day: no whole UTC day in it
    Period(date(2026, 4, 2), date(2026, 4, 7)),
    Period(date(2026, 3, 27), date(2026, 4, 14)),  # over the change to summer time
)


@pytest.fixture
def app(tmp_path, engine, clock, mailer, queue) -> Flask:
    return report_history.app_for(tmp_path, engine, clock, mailer, queue)


@pytest.fixture
def history(runtime, clock) -> History:
    return report_history.build(runtime, clock)


def judged_directly(runtime: Runtime, period: Period) -> Table:
    """The service table with every entry of the period judged now, nothing stored read."""
    calendar = runtime.calendar()
    start = wall_to_utc(period.start, time(0), calendar.tz)
    end = wall_to_utc(period.end + timedelta(days=1), time(0), calendar.tz)
    timeline = Timeline(calendar, period.start - timedelta(days=1))
    targets, now = service_targets(runtime.settings), runtime.now().timestamp()
    folder, attempts = ServiceFolder(), Counter[str]()
    with db.read(runtime.sessions) as session:
        cohort = Cohort(session, start, end)
        for _, _, _, facts in cohort.facts():
            folder.add_judged(facts[0], facts[4], facts[8], judge(timeline, facts, targets, now))
        for tier, agent_id in session.execute(
                select(WaitingEntry.tier, EntryEvent.agent_id)
                .join(WaitingEntry, WaitingEntry.id == EntryEvent.entry_id)
                .where(EntryEvent.kind == "outcome", EntryEvent.agent_id.is_not(None),
                       cohort.where())):
            attempts.update(("", tier, str(agent_id)))
        agents = {row[0]: row[1] for row in session.execute(select(Agent.id, Agent.name))}
    return folder.table(dict(attempts), agents)


def _rows(runtime: Runtime) -> dict[tuple[date, str, str], tuple[object, ...]]:
    with runtime.sessions() as session:
        return {(row.day, row.kind, row.key): (
            *(getattr(row, name) for name in rollup.COUNTS),
            tuple(rollup.unpack(row.first_seconds)), tuple(rollup.unpack(row.resolution_seconds)))
            for row in session.scalars(select(ServiceDay))}


def _assert_every_period_agrees(runtime: Runtime) -> None:
    for period in PERIODS:
        assert read_report(runtime, period).table("service") == judged_directly(
            runtime, period), period


def _book(runtime: Runtime, entry_id: int, at: datetime, agent_id: int) -> int:
    with db.write(runtime.sessions) as session:
        return booking.book_slot(session, runtime, start=at, client_name="Clinique des Lilas",
                                 client_email="lilas@example.test", client_phone="+33612345678",
                                 client_id=None, entry_id=entry_id, lang="fr",
                                 agent_id=agent_id).id


def _cancel(runtime: Runtime, appointment_id: int, *, solved: bool) -> None:
    with db.write(runtime.sessions) as session:
        booking.cancel_appointment(session, runtime, appointment_id, actor="agent",
                                   solved=solved)


def test_r11_the_days_rows_agree_with_judging_every_entry_after_closes_and_reopenings(
        runtime, clock, history):
    e1, _, e3, _, _ = history.entries
    _assert_every_period_agrees(runtime)  # measures E1, E2 and E4 (E5 is merged into E3)
    first = _rows(runtime)
    assert sum(n[0] for (_, kind, _), n in first.items() if kind == "tier") == 3

    # E3 is handed to an appointment, then back to the list (its clocks run on); E1, closed,
    # is booked again: a new entry for its need; then E3's appointment closes it as solved.
    clock.set(paris(4, 13, 12, 30))
    handed = _book(runtime, e3, paris(4, 15, 14), history.camille)
    _cancel(runtime, handed, solved=False)
    renewed = _book(runtime, e1, paris(4, 16, 14), history.camille)
    clock.set(paris(4, 14, 10))
    with runtime.sessions() as session:
        assert session.get(WaitingEntry, e3).status == "waiting"
        assert session.scalar(select(func.count()).select_from(WaitingEntry)) == 6
    _assert_every_period_agrees(runtime)
    assert _rows(runtime) == first  # nothing closed since: nothing added
    again = _book(runtime, e3, paris(4, 15, 15), history.camille)
    _cancel(runtime, again, solved=True)
    _cancel(runtime, renewed, solved=True)
    clock.set(paris(4, 20, 10))
    _assert_every_period_agrees(runtime)
    after = _rows(runtime)
    assert sum(n[0] for (_, kind, _), n in after.items() if kind == "tier") == 5

    # The rows, added to reading after reading, are what summing every measured entry at
    # once gives (what the migration does for entries measured before the rows existed).
    with db.write(runtime.sessions) as session:
        session.execute(delete(ServiceDay))
        assert rollup.backfill(session.connection()) == 5
    assert _rows(runtime) == after


def test_r11_one_table_alone_is_the_table_of_the_whole_report(runtime, history):
    # Only the service table measures: another table read alone leaves the entries as they are.
    alone = {name: read_report(runtime, Period(START, END), only=(name,)) for name in NAMES
             if name != "service"}
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).where(
            WaitingEntry.sla_closed_at.is_not(None))) == 0
    whole = read_report(runtime, Period(START, END))
    alone["service"] = read_report(runtime, Period(START, END), only=("service",))
    for name, report in alone.items():
        assert [table.name for table in report.tables] == [name]
        assert report.table(name) == whole.table(name)


def test_the_rows_cover_a_period_s_whole_utc_days_and_entries_are_read_at_its_ends():
    def utc(day: int, hour: int) -> datetime:
        return datetime(2026, 4, day, hour, tzinfo=UTC)

    inside = (paris(4, 1, 3), paris(4, 1, 20))  # within one UTC day: entries only
    assert rollup.full_days(*inside) is None
    assert rollup.edges(*inside) == [inside]
    whole = (paris(4, 1, 2), paris(4, 11, 2))  # Paris 02:00 in summer is a UTC midnight
    assert rollup.full_days(*whole) == (date(2026, 4, 1), date(2026, 4, 10))
    assert rollup.edges(*whole) == []
    local = (paris(4, 1, 0), paris(4, 11, 0))  # local midnights: 22:00 UTC the day before
    assert rollup.full_days(*local) == (date(2026, 4, 1), date(2026, 4, 9))
    assert rollup.edges(*local) == [(datetime(2026, 3, 31, 22, tzinfo=UTC), utc(1, 0)),
                                    (utc(10, 0), utc(10, 22))]


def test_the_migration_sums_the_entries_measured_before_it(tmp_path, engine):
    target = build_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}") \
        if engine.dialect.name == "sqlite" else _fresh(engine)
    upgrade(target, "0012")
    sqlite = engine.dialect.name == "sqlite"
    day = datetime(2026, 4, 1, 8, tzinfo=UTC)
    with Session(target) as session, session.begin():
        camille, dominique = (Agent(email=f"{n}@x.test", name=n, password_hash="-")
                              for n in ("camille", "dominique"))
        session.add_all([camille, dominique])
        session.flush()

        def closed(tier: str, outcome: str, **fields: object) -> WaitingEntry:
            entry = WaitingEntry(status="closed", tier=tier, arrived_at=day, queued_at=day,
                                 outcome=outcome, closed_at=day + timedelta(hours=5),
                                 **fields)
            session.add(entry)
            return entry

        solved = closed("high", "solved", first_attempt_by=camille.id,
                        resolved_by=dominique.id, sla_closed_at=day + timedelta(hours=5),
                        sla_first_seconds=3600.0, sla_first_met=True,
                        sla_qualification_met=True, sla_resolution_seconds=7200.5,
                        sla_resolution_met=False)
        closed("high", "expired", first_attempt_by=camille.id,
               sla_closed_at=day + timedelta(hours=5), sla_first_seconds=1800.25,
               sla_first_met=False, sla_qualification_met=False)
        closed("high", "merged", sla_closed_at=None)  # merged: never measured, never summed
        closed("low", "solved")  # closed, not measured yet: the next report measures it
        session.flush()
        session.flush()
        # An outcome line as 0012 wrote it (no outcome column yet: the detail only).
        session.execute(OLD_EVENTS.insert().values(
            entry_id=solved.id, at=day.replace(tzinfo=None) if sqlite else day, actor="agent",
            agent_id=camille.id, kind="outcome", detail={"outcome": "no_answer"}))
        ids = (camille.id, dominique.id)
    upgrade(target)
    with Session(target) as session:
        rows = {(r.day, r.kind, r.key): r for r in session.scalars(select(ServiceDay))}
        assert session.scalars(select(EntryEvent.outcome)).all() == ["no_answer"]
    d = day.date()
    assert set(rows) == {(d, "tier", "high"), (d, "agent", str(ids[0])),
                         (d, "agent", str(ids[1]))}
    high = rows[(d, "tier", "high")]
    assert (high.entries, high.attempted, high.first_met, high.first_missed,
            high.qualification_met, high.qualification_missed, high.resolution_met,
            high.resolution_missed, high.attempts) == (2, 2, 1, 1, 1, 1, 0, 1, 1)
    assert rollup.unpack(high.first_seconds) == [1800.25, 3600.0]
    assert rollup.unpack(high.resolution_seconds) == [7200.5]
    first_by = rows[(d, "agent", str(ids[0]))]  # both first callbacks, no resolution
    assert (first_by.entries, first_by.first_met, first_by.first_missed,
            first_by.resolution_missed, first_by.attempts) == (2, 1, 1, 0, 1)
    assert rollup.unpack(first_by.first_seconds) == [1800.25, 3600.0]
    resolver = rows[(d, "agent", str(ids[1]))]  # the resolution only
    assert (resolver.entries, resolver.first_met, resolver.resolution_missed) == (1, 0, 1)
    assert rollup.unpack(resolver.resolution_seconds) == [7200.5]
    assert rollup.unpack(resolver.first_seconds) == []
    target.dispose()
