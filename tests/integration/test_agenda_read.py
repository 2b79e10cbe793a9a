"""The agenda's fast read of busy time (R12) gives what the ORM gives, on SQLite and PostgreSQL.

scheduling.agenda.busy reads times as text and parses each distinct one once; these tests
hold it to the ORM read through UTCDateTime on a built agenda: both Paris DST changes,
microseconds, the window's edges, statuses that do not hold a slot, absences, an excluded
appointment, and on PostgreSQL a session whose time zone is not UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from callq import db
from callq.models import Absence, Agent, Appointment
from callq.models.instants import parse_instants
from callq.status import AppointmentStatus
from scheduling import agenda
from scheduling.slots import Busy

SPRING = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # Paris 02:00 CET -> 03:00 CEST
AUTUMN = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # Paris 03:00 CEST -> 02:00 CET
SINCE = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
UNTIL = datetime(2026, 10, 26, 0, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)


def _build(session: Session) -> dict[str, int]:
    agents = [Agent(email=f"a{n}@desk.example", name=f"Agent {n}", phone=f"+3361200000{n}",
                    password_hash="x") for n in range(3)]
    session.add_all(agents)
    session.flush()
    first, second, third = (agent.id for agent in agents)
    odd = datetime(2026, 6, 1, 12, 0, 0, 123456, tzinfo=UTC)

    def appointment(agent: int, start: datetime, end: datetime,
                    status: AppointmentStatus = AppointmentStatus.BOOKED) -> Appointment:
        row = Appointment(agent_id=agent, starts_at=start, ends_at=end, status=status,
                          client_name="Client")
        session.add(row)
        return row

    # Across both DST changes, local midnight, and whole hours each side of them.
    for at in (SPRING, AUTUMN):
        for offset in (-2, -1, 0, 1):
            start = at + offset * HALF_HOUR
            appointment(first, start, start + HALF_HOUR)
    appointment(second, SPRING - timedelta(hours=1), AUTUMN + timedelta(hours=1))  # both
    appointment(third, odd, odd + timedelta(minutes=17, microseconds=1))
    appointment(second, SINCE - HALF_HOUR, SINCE)  # ends at `since`: not busy
    appointment(third, UNTIL, UNTIL + HALF_HOUR)  # starts at `until`: not busy
    appointment(third, SINCE - HALF_HOUR, SINCE + timedelta(minutes=1))  # straddles `since`
    appointment(third, SPRING, SPRING + HALF_HOUR, AppointmentStatus.IN_CALL)
    for status in (AppointmentStatus.CANCELLED, AppointmentStatus.MISSED,
                   AppointmentStatus.DONE):
        appointment(third, AUTUMN, AUTUMN + HALF_HOUR, status)
    excluded = appointment(third, AUTUMN + HALF_HOUR, AUTUMN + 2 * HALF_HOUR)
    session.add_all([
        Absence(agent_id=first, starts_at=SPRING - timedelta(days=1), ends_at=SPRING + HALF_HOUR),
        Absence(agent_id=second, starts_at=AUTUMN - HALF_HOUR, ends_at=AUTUMN + HALF_HOUR),
        Absence(agent_id=third, starts_at=odd, ends_at=odd + timedelta(microseconds=7)),
    ])
    session.flush()
    return {"excluded": excluded.id}


def _orm_busy(session: Session, since: datetime, until: datetime,
              exclude: int | None = None) -> list[Busy]:
    """What busy() gave before it read text: every row through the ORM and UTCDateTime."""
    appointments = session.scalars(select(Appointment).where(
        Appointment.ends_at > since, Appointment.starts_at < until,
        Appointment.status.in_(agenda.ACTIVE), Appointment.id != (exclude or 0)))
    absences = session.scalars(select(Absence).where(
        Absence.ends_at > since, Absence.starts_at < until))
    return [Busy(row.agent_id, row.starts_at, row.ends_at)
            for row in [*appointments, *absences]]


def _ordered(items: list[Busy]) -> list[tuple[int, datetime, datetime]]:
    return sorted((item.agent_id, item.start, item.end) for item in items)


def _assert_same(fast: list[Busy], slow: list[Busy]) -> None:
    assert _ordered(fast) == _ordered(slow)
    # Equal instants may differ in zone; the fast read must give UTC as UTCDateTime does.
    assert {value.tzinfo for item in fast for value in (item.start, item.end)} == {UTC}


def test_r12_fast_busy_read_equals_the_orm_read_across_dst_and_edges(runtime):
    with db.write(runtime.sessions) as session:
        ids = _build(session)
    with db.read(runtime.sessions) as session:
        fast = agenda.busy(session, SINCE, until=UNTIL)
        _assert_same(fast, _orm_busy(session, SINCE, UNTIL))
        assert len(fast) == 16  # 13 active appointments in the window and 3 absences
        _assert_same(agenda.busy(session, SINCE, until=UNTIL, exclude=ids["excluded"]),
                     _orm_busy(session, SINCE, UNTIL, exclude=ids["excluded"]))
        _assert_same(agenda.busy(session, SPRING, until=SPRING + HALF_HOUR),
                     _orm_busy(session, SPRING, SPRING + HALF_HOUR))


def test_r12_fast_busy_read_is_utc_whatever_the_postgresql_session_zone(runtime):
    with db.write(runtime.sessions) as session:
        _build(session)
    with db.read(runtime.sessions) as session:
        if session.get_bind().dialect.name == "postgresql":  # SQLite has no session zone
            session.execute(text("SET LOCAL TIME ZONE 'Asia/Kathmandu'"))  # +05:45
            shown = session.execute(text("SELECT CAST(TIMESTAMPTZ '2026-03-29 01:00:00+00' "
                                         "AS VARCHAR)")).scalar_one()
            assert shown.endswith("+05:45")  # the text does carry the session's offset
        _assert_same(agenda.busy(session, SINCE, until=UNTIL), _orm_busy(session, SINCE, UNTIL))


def test_instants_are_parsed_once_per_text_as_utc():
    parsed = parse_instants(["2026-03-29 01:00:00.000000", "2026-03-29 06:45:00+05:45",
                             "2026-10-25 01:00:00+00", "2026-06-01 12:00:00.123456"])
    assert parsed == {
        "2026-03-29 01:00:00.000000": SPRING,
        "2026-03-29 06:45:00+05:45": SPRING,
        "2026-10-25 01:00:00+00": AUTUMN,
        "2026-06-01 12:00:00.123456": datetime(2026, 6, 1, 12, 0, 0, 123456, tzinfo=UTC),
    }
    assert {value.tzinfo for value in parsed.values()} == {UTC}
