"""Claims (R10): a lease with an expiry and a version compare-and-swap; two agents never hold
one entry, "take next" follows the waiting-room order, an expired lease returns the entry."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from callq import effects
from callq.models import EntryEvent
from callq.status import EntryStatus, Outcome, Tier
from callq.workspace import claims, outcomes
from callq.workspace.errors import HeldByAnother, Refused, Stale
from tests.conftest import run_due_jobs
from tests.threads import race
from tests.workspace_data import add_agent, add_entry, entry, version


def test_r10_take_next_gives_the_top_of_the_list_stated_urgent_needs_before_vague_ones(runtime):
    camille = add_agent(runtime)
    now = runtime.now()
    vague_old = add_entry(runtime, None, vague=True, tier=Tier.LOW, arrived=now - timedelta(days=2))
    low = add_entry(runtime, "Question sur une facture", tier=Tier.LOW,
                    arrived=now - timedelta(hours=5))
    critical = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL,
                         arrived=now - timedelta(minutes=5))
    assert claims.claim_next(runtime, camille) == critical
    taken = entry(runtime, critical)
    assert (taken.status, taken.claimed_by) == (EntryStatus.CLAIMED, camille)
    assert taken.lease_expires_at == now + timedelta(seconds=runtime.settings.claim_lease_seconds)
    outcomes.record_outcome(runtime, agent_id=camille, entry_id=critical,
                            version=taken.version, outcome="solved")
    assert claims.claim_next(runtime, camille) == low
    outcomes.record_outcome(runtime, agent_id=camille, entry_id=low,
                            version=version(runtime, low), outcome="solved")
    assert claims.claim_next(runtime, camille) == vague_old


def test_r10_take_next_skips_an_entry_not_yet_due_again_then_gives_it_at_its_place(runtime,
                                                                                   clock):
    camille = add_agent(runtime)
    first = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL)
    second = add_entry(runtime, "Question sur une facture", tier=Tier.LOW)
    assert claims.claim_next(runtime, camille) == first
    outcomes.record_outcome(runtime, agent_id=camille, entry_id=first,
                            version=version(runtime, first), outcome="no_answer")
    assert claims.claim_next(runtime, camille) == second  # the first waits RETRY_DELAY
    claims.release(runtime, camille, second, version(runtime, second))
    clock.advance(minutes=runtime.settings.retry_delay_minutes)
    assert claims.claim_next(runtime, camille) == first  # due again: back at its place


def test_r10_an_agent_holds_one_entry_at_a_time(runtime):
    camille = add_agent(runtime)
    first, second = add_entry(runtime), add_entry(runtime)
    assert claims.claim_next(runtime, camille) == first
    assert claims.claim_next(runtime, camille) == first  # a double click: the same one
    with pytest.raises(Refused) as refused:
        claims.claim(runtime, camille, second, version(runtime, second))
    assert refused.value.key == "workspace.refused.hold_one"


def test_r10_take_this_one_refuses_an_entry_another_agent_holds(runtime):
    camille, hugo = add_agent(runtime), add_agent(runtime, "Hugo")
    target = add_entry(runtime)
    shown = version(runtime, target)
    claims.claim(runtime, camille, target, shown)
    with pytest.raises(HeldByAnother) as refused:
        claims.claim(runtime, hugo, target, version(runtime, target))
    assert refused.value.status == 403 and refused.value.values == {"name": "Camille"}
    assert entry(runtime, target).claimed_by == camille


def test_r10_take_this_one_with_a_version_that_changed_is_refused_and_changes_nothing(runtime):
    camille, hugo = add_agent(runtime), add_agent(runtime, "Hugo")
    target = add_entry(runtime)
    shown = version(runtime, target)
    claims.claim(runtime, camille, target, shown)
    claims.release(runtime, camille, target, version(runtime, target))
    before = entry(runtime, target)
    with pytest.raises(Stale):
        claims.claim(runtime, hugo, target, shown)  # the page Hugo saw is two changes old
    after = entry(runtime, target)
    assert (after.status, after.version, after.claimed_by) == (EntryStatus.WAITING,
                                                               before.version, None)


def test_r10_an_expired_lease_returns_the_entry_to_its_place(runtime, clock, queue):
    camille, hugo = add_agent(runtime), add_agent(runtime, "Hugo")
    first = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL)
    second = add_entry(runtime, "Question", tier=Tier.LOW)
    assert claims.claim_next(runtime, camille) == first
    clock.advance(seconds=runtime.settings.claim_lease_seconds - 1)
    assert claims.claim_next(runtime, hugo) == second  # still held: Hugo gets the next one
    claims.release(runtime, hugo, second, version(runtime, second))
    clock.advance(seconds=1)
    assert effects.reconcile(runtime) >= 1  # the lease's timer is due
    run_due_jobs(runtime, queue)
    returned = entry(runtime, first)
    assert (returned.status, returned.claimed_by) == (EntryStatus.WAITING, None)
    with runtime.sessions() as session:
        kinds = session.scalars(select(EntryEvent.kind).where(EntryEvent.entry_id == first)
                                .order_by(EntryEvent.id)).all()
    assert kinds == ["claimed", "lease_expired"]
    assert claims.claim_next(runtime, hugo) == first  # at its place: the top again


def test_r10_a_lapsed_lease_is_claimable_even_before_its_timer_runs(runtime, clock):
    camille, hugo = add_agent(runtime), add_agent(runtime, "Hugo")
    target = add_entry(runtime)
    claims.claim_next(runtime, camille)
    clock.advance(seconds=runtime.settings.claim_lease_seconds)
    assert claims.claim_next(runtime, hugo) == target
    with pytest.raises(HeldByAnother):  # Hugo holds it now: Camille's outcome is refused
        outcomes.record_outcome(runtime, agent_id=camille, entry_id=target,
                                version=version(runtime, target) - 1, outcome="solved")
    assert entry(runtime, target).claimed_by == hugo


def test_r10_a_renewed_lease_is_not_ended_by_the_old_lease_s_timer(runtime, clock, queue):
    camille = add_agent(runtime)
    target = add_entry(runtime)
    claims.claim_next(runtime, camille)
    queue.jobs.clear()
    clock.advance(seconds=runtime.settings.claim_lease_seconds // 2)
    from callq import db

    with db.write(runtime.sessions) as session:
        held = session.get(type(entry(runtime, target)), target)
        claims.renew(session, runtime, held, runtime.now())
    clock.advance(seconds=runtime.settings.claim_lease_seconds // 2 + 1)
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)  # the first lease's timer runs, and does nothing
    assert entry(runtime, target).status == EntryStatus.CLAIMED


def test_r10_release_returns_the_entry_to_its_own_place(runtime):
    camille = add_agent(runtime)
    first = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL)
    add_entry(runtime, "Question", tier=Tier.LOW)
    claims.claim_next(runtime, camille)
    claims.release(runtime, camille, first, version(runtime, first))
    assert claims.claim_next(runtime, camille) == first


def _storm(runtime, agents, work):
    """Run `work(agent_id)` in one thread per agent, all released at once."""
    barrier = threading.Barrier(len(agents))
    results: dict[int, list[int]] = {a: [] for a in agents}
    errors: list[BaseException] = []

    def run(agent_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[agent_id].extend(work(agent_id))
        except BaseException as exc:  # surfaced below, in the test's thread
            errors.append(exc)

    race(run, [(a,) for a in agents], errors)
    return results


def test_r10_twenty_agents_taking_next_at_once_take_the_top_twenty_each_once(runtime):
    agents = [add_agent(runtime, f"Agent{n}") for n in range(20)]
    now = runtime.now()
    ids = [add_entry(runtime, f"Besoin {n}", tier=Tier.MEDIUM,
                     arrived=now - timedelta(minutes=100 - n)) for n in range(30)]
    taken = _storm(runtime, agents, lambda agent: [claims.claim_next(runtime, agent)])
    claimed = [entry_id for got in taken.values() for entry_id in got]
    assert sorted(claimed) == ids[:20]  # every one claimed once, none of the top skipped
    for agent, got in taken.items():
        assert entry(runtime, got[0]).claimed_by == agent


def test_r10_twenty_agents_draining_the_list_claim_every_entry_exactly_once(runtime):
    agents = [add_agent(runtime, f"Agent{n}") for n in range(20)]
    ids = [add_entry(runtime, f"Besoin {n}") for n in range(100)]

    def drain(agent: int) -> list[int]:
        mine = []
        while (entry_id := claims.claim_next(runtime, agent)) is not None:
            mine.append(entry_id)
            outcomes.record_outcome(runtime, agent_id=agent, entry_id=entry_id,
                                    version=version(runtime, entry_id), outcome="solved")
        return mine

    taken = _storm(runtime, agents, drain)
    claimed = [entry_id for got in taken.values() for entry_id in got]
    assert len(claimed) == len(set(claimed)) == len(ids)
    assert set(claimed) == set(ids)
    with runtime.sessions() as session:
        claims_made = session.scalars(select(EntryEvent.entry_id)
                                      .where(EntryEvent.kind == "claimed")).all()
    assert sorted(claims_made) == sorted(ids)  # the history agrees: one claim per entry
    assert all(entry(runtime, i).outcome == Outcome.SOLVED for i in ids)
