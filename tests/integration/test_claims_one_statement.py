"""Take next as one statement (issue 17): on PostgreSQL a claim is one statement; whatever the
path, a claim writes what the lifecycle decides (history line, version, lease timer); an agent
never holds two claims, even when their clicks race; and an agent's own lapsed claim goes back to
its place in the list when they take another entry."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.orm import Session

from callq import effects
from callq.entry_claims import EXPIRY
from callq.migrate import upgrade
from callq.models import Agent, EntryEvent, SideEffect, WaitingEntry
from callq.status import EffectStatus, EntryStatus, Tier
from callq.workspace import claims
from callq.workspace.errors import Refused
from tests.conftest import run_due_jobs
from tests.threads import race
from tests.workspace_data import add_agent, add_entry, entry, version


@contextmanager
def sent_statements(engine: Engine) -> Iterator[list[str]]:
    """Every statement the engine sends to the database while the block runs."""
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _kinds(runtime, entry_id: int) -> list[str]:
    with runtime.sessions() as session:
        return list(session.scalars(select(EntryEvent.kind).where(EntryEvent.entry_id == entry_id)
                                    .order_by(EntryEvent.id)))


def _claims_of(runtime, agent_id: int) -> list[int]:
    with runtime.sessions() as session:
        return list(session.scalars(select(WaitingEntry.id).where(
            WaitingEntry.status == EntryStatus.CLAIMED, WaitingEntry.claimed_by == agent_id)))


def test_take_next_on_postgresql_is_one_statement_whatever_it_finds(runtime):
    camille = add_agent(runtime)
    top = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL)
    add_entry(runtime, "Question", tier=Tier.LOW)
    one = runtime.engine.dialect.name == "postgresql"
    with sent_statements(runtime.engine) as sent:
        assert claims.claim_next(runtime, camille) == top  # takes the top
    if one:
        assert len(sent) == 1 and sent[0].lstrip().startswith("WITH"), sent
    else:  # SQLite: the same steps one statement at a time, under its write lock
        assert len(sent) > 1
    with sent_statements(runtime.engine) as sent:
        assert claims.claim_next(runtime, camille) == top  # already holds it
    assert len(sent) == 1 if one else len(sent) > 1
    hugo = add_agent(runtime, "Hugo")
    claims.claim_next(runtime, hugo)
    ines = add_agent(runtime, "Inès")
    with sent_statements(runtime.engine) as sent:
        assert claims.claim_next(runtime, ines) is None  # none left
    assert len(sent) == 1 if one else len(sent) > 1


@pytest.mark.parametrize("how", ["next", "chosen"])
def test_a_claim_writes_the_lifecycle_s_line_version_and_lease_timer(runtime, how):
    camille = add_agent(runtime)
    target = add_entry(runtime)
    before = entry(runtime, target)
    now = runtime.now()
    if how == "next":
        assert claims.claim_next(runtime, camille) == target
    else:
        claims.claim(runtime, camille, target, before.version)
    lease = now + timedelta(seconds=runtime.settings.claim_lease_seconds)
    after = entry(runtime, target)
    assert (after.status, after.claimed_by, after.lease_expires_at, after.version) == (
        EntryStatus.CLAIMED, camille, lease, before.version + 1)
    assert (after.available_at, after.attempts, after.first_attempt_at) == (None, 0, None)
    with runtime.sessions() as session:
        line = session.scalars(select(EntryEvent).where(EntryEvent.entry_id == target)).one()
        timer = session.scalars(select(SideEffect)).one()
    assert (line.kind, line.actor, line.agent_id, line.at, line.reason) == (
        "claimed", "agent", camille, now, None)
    assert line.detail == {"how": how, "lease_until": lease.isoformat()}
    assert (timer.key, timer.kind, timer.payload) == (
        f"claim-expiry-{target}-v{after.version}", EXPIRY,
        {"entry_id": target, "version": after.version})
    assert (timer.due_at, timer.status, timer.attempts, timer.created_at, timer.enqueued_at) == (
        lease, EffectStatus.PENDING, 0, now, None)


def test_take_next_hands_on_a_lapsed_lease_with_a_new_version_line_and_timer(runtime, clock,
                                                                              queue):
    camille, hugo = add_agent(runtime), add_agent(runtime, "Hugo")
    target = add_entry(runtime)
    claims.claim_next(runtime, camille)
    clock.advance(seconds=runtime.settings.claim_lease_seconds)
    lapsed = entry(runtime, target)
    assert claims.claim_next(runtime, hugo) == target
    taken = entry(runtime, target)
    assert (taken.claimed_by, taken.version) == (hugo, lapsed.version + 1)
    assert _kinds(runtime, target) == ["claimed", "claimed"]
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)  # Camille's timer is due: Hugo's claim is not its lease
    assert (entry(runtime, target).status, entry(runtime, target).claimed_by) == (
        EntryStatus.CLAIMED, hugo)
    clock.advance(seconds=runtime.settings.claim_lease_seconds)
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)  # Hugo's own timer returns it
    assert entry(runtime, target).status == EntryStatus.WAITING


def test_an_agent_s_lapsed_claim_goes_back_to_its_place_when_they_take_next(runtime, clock,
                                                                            queue):
    camille = add_agent(runtime)
    top = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL)
    low = add_entry(runtime, "Question", tier=Tier.LOW)
    claims.claim(runtime, camille, low, version(runtime, low))
    clock.advance(seconds=runtime.settings.claim_lease_seconds)
    assert claims.claim_next(runtime, camille) == top  # the top, not the lapsed one again
    back = entry(runtime, low)
    assert (back.status, back.claimed_by, back.lease_expires_at) == (
        EntryStatus.WAITING, None, None)
    assert _kinds(runtime, low) == ["claimed", "lease_expired"]
    assert _claims_of(runtime, camille) == [top]
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)  # its old timer finds a newer version: changes nothing
    assert (entry(runtime, low).status, entry(runtime, low).version) == (
        EntryStatus.WAITING, back.version)
    assert _kinds(runtime, low) == ["claimed", "lease_expired"]


def test_an_agent_s_lapsed_claim_at_the_top_is_claimed_again_under_a_new_lease(runtime, clock):
    camille = add_agent(runtime)
    top = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL)
    add_entry(runtime, "Question", tier=Tier.LOW)
    claims.claim_next(runtime, camille)
    clock.advance(seconds=runtime.settings.claim_lease_seconds)
    assert claims.claim_next(runtime, camille) == top
    again = entry(runtime, top)
    assert (again.status, again.claimed_by) == (EntryStatus.CLAIMED, camille)
    assert again.lease_expires_at == runtime.now() + timedelta(
        seconds=runtime.settings.claim_lease_seconds)
    assert _kinds(runtime, top) == ["claimed", "lease_expired", "claimed"]


def test_taking_one_while_a_lapsed_claim_is_held_returns_the_lapsed_one(runtime, clock):
    camille = add_agent(runtime)
    first, second = add_entry(runtime), add_entry(runtime)
    claims.claim_next(runtime, camille)
    clock.advance(seconds=runtime.settings.claim_lease_seconds)
    claims.claim(runtime, camille, second, version(runtime, second))
    assert _claims_of(runtime, camille) == [second]
    assert (entry(runtime, first).status, _kinds(runtime, first)) == (
        EntryStatus.WAITING, ["claimed", "lease_expired"])


def _clicks(runtime, camille: int, chosen: list[int], shown: dict[int, int]) -> list[tuple]:
    """One agent's clicks all at once: take next, and take this one on each `chosen` entry."""
    barrier = threading.Barrier(2 * len(chosen))
    results: list[tuple] = []
    errors: list[BaseException] = []

    def click(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            if n % 2:
                results.append(("next", claims.claim_next(runtime, camille)))
                return
            target = chosen[n // 2]
            try:
                claims.claim(runtime, camille, target, shown[target])
                results.append(("chosen", target))
            except Refused as refused:
                assert refused.key == "workspace.refused.hold_one"
                results.append(("refused", target))
        except BaseException as exc:  # surfaced in the test's thread
            errors.append(exc)

    race(click, [(n,) for n in range(2 * len(chosen))], errors)
    return results


def test_one_agent_s_racing_clicks_never_hold_two_entries(runtime):
    camille = add_agent(runtime)
    ids = [add_entry(runtime, f"Besoin {n}") for n in range(30)]
    for round_ in range(3):
        free = [i for i in ids if entry(runtime, i).status == EntryStatus.WAITING]
        chosen = free[-6:]  # the bottom of the list: take next goes for the top
        shown = {i: version(runtime, i) for i in chosen}
        results = _clicks(runtime, camille, chosen, shown)
        held = _claims_of(runtime, camille)
        assert len(held) == 1, (round_, held, results)
        assert all(got == held[0] for how, got in results if how in ("next", "chosen"))
        assert sum(how == "chosen" for how, _ in results) <= 1
        with runtime.sessions() as session:
            lines = session.scalar(select(func.count()).select_from(EntryEvent).where(
                EntryEvent.kind == "claimed", EntryEvent.agent_id == camille))
        assert lines == round_ + 1  # one claim per round in the history too
        claims.release(runtime, camille, held[0], version(runtime, held[0]))


def test_a_second_claim_of_one_agent_is_refused_by_the_database_itself(runtime):
    camille = add_agent(runtime)
    first, second = add_entry(runtime), add_entry(runtime)
    claims.claim_next(runtime, camille)
    with pytest.raises(Exception, match="claimed_by|ux_waiting_entries_one_claim"), \
            runtime.engine.begin() as conn:
        conn.execute(text("UPDATE waiting_entries SET status = 'claimed', claimed_by = :agent "
                          "WHERE id = :id"), {"agent": camille, "id": second})
    assert _claims_of(runtime, camille) == [first]


def test_the_migration_returns_older_claims_of_one_agent_before_one_claim_each(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'claims.sqlite3'}")
    upgrade(engine, "0012")  # before one claim per agent: a lapsed claim did not stop another
    at = datetime(2026, 3, 30, 7, tzinfo=UTC)
    with Session(engine) as session, session.begin():
        agent = Agent(email="a@example.test", name="A", password_hash="x")
        session.add(agent)
        session.flush()
        for lease in (at + timedelta(hours=1), at + timedelta(hours=2), None):
            session.add(WaitingEntry(
                status=EntryStatus.CLAIMED if lease else EntryStatus.WAITING, version=2,
                claimed_by=agent.id if lease else None, lease_expires_at=lease,
                arrived_at=at, queued_at=at))
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, status, claimed_by, version FROM waiting_entries "
                                 "ORDER BY id")).all()
        lines = conn.execute(text("SELECT entry_id, kind, agent_id FROM entry_events")).all()
    assert [tuple(r) for r in rows] == [(1, "waiting", None, 3), (2, "claimed", 1, 2),
                                       (3, "waiting", None, 2)]  # the older claim returned
    assert [tuple(r) for r in lines] == [(1, "lease_expired", 1)]
    engine.dispose()
