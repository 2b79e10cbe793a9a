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
    barrier = threading.Barrier(CLIENTS)
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
