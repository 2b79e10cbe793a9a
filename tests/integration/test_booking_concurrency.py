"""No double booking (R12): fifty clients submit the same slot of one agent at once, through
the booking page, on SQLite (BEGIN IMMEDIATE) and PostgreSQL (exclusion constraint)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from callq.models import Appointment, UsedToken
from scheduling import links
from tests.planner_support import MONDAY_14H, SLOT, Page, add_agent, csrf

CLIENTS = 50


def test_r12_fifty_clients_one_slot_exactly_one_booking_and_49_clear_answers(app, runtime):
    add_agent(runtime)
    tokens = [links.booking_link(runtime, entry_id=None, client_id=None,
                                 phone=f"+336123456{n:02d}", email=f"c{n}@clinique.example",
                                 lang="fr").split("/book/")[1] for n in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS, timeout=120)  # a thread that failed must not hang us
    wanted = links.start_stamp(MONDAY_14H)

    def submit(token: str) -> tuple[int, str]:
        client = app.test_client()
        form = {"start": wanted, "name": "Client", **csrf(client, f"/book/{token}")}
        barrier.wait()
        response = client.post(f"/book/{token}", data=form)
        return response.status_code, response.get_data(as_text=True)

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(submit, tokens))

    codes = sorted(code for code, _ in answers)
    assert codes == [303] + [409] * (CLIENTS - 1)
    for code, body in answers:
        if code == 409:
            page = Page(body)
            assert page.error == "taken"
            assert page.times[0] == links.start_stamp(MONDAY_14H + SLOT)
            assert wanted not in page.times
    with runtime.sessions() as session:
        [appt] = session.scalars(select(Appointment)).all()
        assert appt.starts_at == MONDAY_14H
        # Only the winner's link is spent: the others can still book another time.
        assert len(session.scalars(select(UsedToken)).all()) == 1


def test_r12_the_database_itself_refuses_overlaps_on_postgresql(pg_engine):
    # SQLite has no such constraint: there BEGIN IMMEDIATE serialises bookings (test above).
    insert = text("INSERT INTO appointments (agent_id, starts_at, ends_at, status, sequence, "
                  "client_name, language, moves, no_shows, created_at, updated_at, version) "
                  "VALUES (:a, :s, :e, :st, 0, '', 'fr', 0, 0, now(), now(), 1)")
    with pg_engine.begin() as conn:
        agent = conn.scalar(text("INSERT INTO agents (email, name, password_hash, is_admin, "
                                 "active, language, feed_token, created_at) VALUES "
                                 "(:m, 'X', 'x', false, true, 'fr', :m, now()) RETURNING id"),
                            {"m": f"overlap-{uuid.uuid4().hex}@desk.example"})
        conn.execute(insert, dict(a=agent, s=MONDAY_14H, e=MONDAY_14H + SLOT, st="booked"))
        # A cancelled one may share the time: only active appointments are exclusive.
        conn.execute(insert, dict(a=agent, s=MONDAY_14H, e=MONDAY_14H + SLOT, st="cancelled"))
    with pytest.raises(IntegrityError), pg_engine.begin() as conn:
        conn.execute(insert, dict(a=agent, s=MONDAY_14H + SLOT / 2, e=MONDAY_14H + 2 * SLOT,
                                  st="booked"))
    with pg_engine.begin() as conn:  # adjacent slots do not overlap (half-open ranges)
        conn.execute(insert, dict(a=agent, s=MONDAY_14H + SLOT, e=MONDAY_14H + 2 * SLOT,
                                  st="booked"))


def test_r12_two_bookings_deadlocked_on_the_constraint_lose_a_slot_not_the_request(engine):
    # Two transactions each hold one agent's 14:00 and then want the other's: PostgreSQL
    # breaks the deadlock by aborting one. That one must read as "slot taken", not an error.
    if engine.dialect.name != "postgresql":
        return  # SQLite serialises writers with BEGIN IMMEDIATE: no such deadlock
    from sqlalchemy.orm import Session

    from callq.models import Agent
    from scheduling.booking import try_change

    with Session(engine) as setup:
        agents = [Agent(email=f"a{i}@x.example", name=f"A{i}", password_hash="x") for i in (1, 2)]
        setup.add_all(agents)
        setup.commit()
        ids = [a.id for a in agents]
    barrier = threading.Barrier(2)

    def book(first: int, second: int) -> tuple[bool, bool]:
        with Session(engine) as session:
            def add(agent: int) -> None:
                session.add(Appointment(agent_id=agent, starts_at=MONDAY_14H,
                                        ends_at=MONDAY_14H + SLOT))

            mine = try_change(session, lambda: add(first))
            barrier.wait()
            theirs = try_change(session, lambda: add(second))
            session.commit()
            return mine, theirs

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda pair: book(*pair), [(ids[0], ids[1]), (ids[1], ids[0])]))
    with Session(engine) as check:
        booked = check.scalars(select(Appointment.agent_id)).all()
    assert sorted(booked) == sorted(ids)  # one appointment per agent, no overlap
    assert sum(second for _, second in results) == 0  # each later try lost its slot cleanly
