"""Requalification (R6-R8, R11): tier, vague, merge, split, each with a required reason that is
kept in the entry's history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from callq.models import EntryEvent, Message
from callq.placement import due_time
from callq.status import EntryStatus, Outcome, Tier
from callq.workspace import claims, requalify
from callq.workspace.errors import HeldByAnother, Refused, Stale
from tests.workspace_data import add_agent, add_client, add_entry, entry, version


def _events(runtime, entry_id):
    with runtime.sessions() as session:
        return session.scalars(select(EntryEvent).where(EntryEvent.entry_id == entry_id)
                               .order_by(EntryEvent.id)).all()


def _messages(runtime, entry_id):
    with runtime.sessions() as session:
        return sorted(session.scalars(select(Message.id).where(Message.entry_id == entry_id)))


def test_r06_an_agent_sets_the_tier_with_a_reason_and_the_due_time_follows(runtime):
    agent = add_agent(runtime)
    low = add_entry(runtime, "Question sur une facture", tier=Tier.LOW)
    requalify.requalify_tier(runtime, agent_id=agent, entry_id=low,
                             version=version(runtime, low), tier="critical",
                             reason="La clinique ne peut plus facturer")
    changed = entry(runtime, low)
    assert (changed.tier, changed.tier_rank, changed.tier_set_by_agent) == (
        Tier.CRITICAL, Tier.CRITICAL.rank, True)
    assert changed.due_at == due_time(runtime.calendar(), changed.arrived_at, Tier.CRITICAL,
                                      runtime.settings.sla_days)
    event = _events(runtime, low)[-1]
    assert (event.kind, event.agent_id, event.reason) == ("requalified", agent,
                                                          "La clinique ne peut plus facturer")
    assert event.detail == {"field": "tier", "from": "low", "to": "critical"}


def test_r06_a_requalified_tier_moves_the_entry_in_the_list(runtime):
    agent = add_agent(runtime)
    now = runtime.now()
    add_entry(runtime, "Serveur lent", tier=Tier.HIGH, arrived=now - timedelta(hours=3))
    later = add_entry(runtime, "Question", tier=Tier.LOW, arrived=now - timedelta(hours=1))
    requalify.requalify_tier(runtime, agent_id=agent, entry_id=later,
                             version=version(runtime, later), tier="critical", reason="Bloqué")
    assert claims.claim_next(runtime, agent) == later


def test_r06_a_requalification_without_a_reason_is_refused_and_changes_nothing(runtime):
    agent = add_agent(runtime)
    target = add_entry(runtime, tier=Tier.LOW)
    before = version(runtime, target)
    with pytest.raises(Refused) as refused:
        requalify.requalify_tier(runtime, agent_id=agent, entry_id=target, version=before,
                                 tier="critical", reason="   ")
    assert refused.value.key == "workspace.refused.reason"
    assert (entry(runtime, target).tier, version(runtime, target)) == (Tier.LOW, before)
    assert [e.kind for e in _events(runtime, target)] == []


def test_r06_an_unknown_tier_is_refused(runtime):
    agent = add_agent(runtime)
    target = add_entry(runtime)
    with pytest.raises(Refused):
        requalify.requalify_tier(runtime, agent_id=agent, entry_id=target,
                                 version=version(runtime, target), tier="urgent!!", reason="x")


def test_r07_an_agent_states_the_need_of_a_vague_entry_and_it_moves_before_the_vague_ones(
        runtime):
    agent = add_agent(runtime)
    now = runtime.now()
    vague = add_entry(runtime, None, vague=True, tier=Tier.LOW, arrived=now - timedelta(days=1))
    add_entry(runtime, None, vague=True, tier=Tier.LOW, arrived=now - timedelta(days=2))
    requalify.requalify_vague(runtime, agent_id=agent, entry_id=vague,
                              version=version(runtime, vague), vague=False,
                              need_text="Impression des ordonnances impossible",
                              reason="Rappelé, besoin connu")
    changed = entry(runtime, vague)
    assert (changed.vague, changed.need_text) == (False, "Impression des ordonnances impossible")
    assert claims.claim_next(runtime, agent) == vague


def test_r07_stating_no_need_for_a_non_vague_entry_is_refused(runtime):
    agent = add_agent(runtime)
    target = add_entry(runtime, None, vague=True)
    with pytest.raises(Refused):
        requalify.requalify_vague(runtime, agent_id=agent, entry_id=target,
                                  version=version(runtime, target), vague=False, need_text="",
                                  reason="x")


def test_r08_merge_moves_the_messages_to_the_survivor_and_closes_the_other(runtime):
    agent = add_agent(runtime)
    client = add_client(runtime)
    survivor = add_entry(runtime, client_id=client, messages=1)
    other = add_entry(runtime, "La facturation ne marche pas", client_id=client, messages=2,
                      caller="+33145000001")
    moved = _messages(runtime, other)
    requalify.merge(runtime, agent_id=agent, entry_id=survivor,
                    version=version(runtime, survivor), other_id=other,
                    reason="Même problème de facturation")
    kept, gone = entry(runtime, survivor), entry(runtime, other)
    assert kept.messages_count == 3 and set(moved) <= set(_messages(runtime, survivor))
    assert (gone.status, gone.outcome, gone.messages_count) == (EntryStatus.CLOSED,
                                                                Outcome.MERGED, 0)
    assert _events(runtime, survivor)[-1].detail == {"from": other, "messages": 2}
    assert _events(runtime, other)[-1].detail == {"outcome": "merged", "into": str(survivor)}


def test_r08_entries_of_two_different_clients_cannot_be_merged(runtime):
    agent = add_agent(runtime)
    one = add_entry(runtime, client_id=add_client(runtime))
    two = add_entry(runtime, client_id=add_client(runtime, "Cabinet Durand",
                                                   phone="+33698765432"))
    with pytest.raises(Refused) as refused:
        requalify.merge(runtime, agent_id=agent, entry_id=one, version=version(runtime, one),
                        other_id=two, reason="x")
    assert refused.value.key == "workspace.refused.merge_caller"
    assert entry(runtime, two).status == EntryStatus.WAITING


def test_r08_split_moves_the_chosen_messages_to_a_new_entry(runtime):
    agent = add_agent(runtime)
    client = add_client(runtime)
    original = add_entry(runtime, client_id=client, messages=3)
    first, second, third = _messages(runtime, original)
    new_id = requalify.split(runtime, agent_id=agent, entry_id=original,
                             version=version(runtime, original), message_ids=[third],
                             tier="medium", need_text="Question sur les relances",
                             reason="Deux besoins différents")
    fresh = entry(runtime, new_id)
    assert _messages(runtime, new_id) == [third]
    assert _messages(runtime, original) == [first, second]
    assert (fresh.status, fresh.tier, fresh.vague, fresh.client_id) == (
        EntryStatus.WAITING, Tier.MEDIUM, False, client)
    assert (fresh.messages_count, entry(runtime, original).messages_count) == (1, 2)
    assert _events(runtime, new_id)[-1].reason == "Deux besoins différents"


def test_r08_split_must_leave_a_message_and_take_only_this_entry_s(runtime):
    agent = add_agent(runtime)
    original = add_entry(runtime, messages=2)
    elsewhere = _messages(runtime, add_entry(runtime, messages=1))
    for chosen in (_messages(runtime, original), elsewhere, []):
        with pytest.raises(Refused):
            requalify.split(runtime, agent_id=agent, entry_id=original,
                            version=version(runtime, original), message_ids=chosen,
                            tier="low", need_text="", reason="x")
    assert len(_messages(runtime, original)) == 2


def test_r10_an_entry_another_agent_holds_cannot_be_requalified_by_me(runtime):
    camille, hugo = add_agent(runtime), add_agent(runtime, "Hugo")
    target = add_entry(runtime, tier=Tier.LOW)
    claims.claim_next(runtime, camille)
    with pytest.raises(HeldByAnother):
        requalify.requalify_tier(runtime, agent_id=hugo, entry_id=target,
                                 version=version(runtime, target), tier="high", reason="x")
    requalify.requalify_tier(runtime, agent_id=camille, entry_id=target,
                             version=version(runtime, target), tier="high", reason="Bloquant")
    assert entry(runtime, target).tier == Tier.HIGH


def test_r10_a_requalification_from_an_old_page_is_refused(runtime):
    agent = add_agent(runtime)
    target = add_entry(runtime, tier=Tier.LOW)
    shown = version(runtime, target)
    requalify.requalify_tier(runtime, agent_id=agent, entry_id=target, version=shown,
                             tier="high", reason="Bloquant")
    with pytest.raises(Stale):
        requalify.requalify_tier(runtime, agent_id=agent, entry_id=target, version=shown,
                                 tier="low", reason="Finalement non")
    assert entry(runtime, target).tier == Tier.HIGH


def test_r06_stating_the_need_of_a_vague_entry_reads_its_tier_from_the_need(runtime):
    agent = add_agent(runtime)
    vague = add_entry(runtime, None, vague=True, tier=Tier.LOW)
    requalify.requalify_vague(runtime, agent_id=agent, entry_id=vague,
                              version=version(runtime, vague), vague=False,
                              need_text="Le serveur est en panne, plus rien ne marche",
                              reason="Rappelé, besoin connu")
    changed = entry(runtime, vague)
    assert (changed.vague, changed.tier, changed.tier_set_by_agent) == (False, Tier.CRITICAL,
                                                                        False)
    assert changed.due_at == due_time(runtime.calendar(), changed.arrived_at, Tier.CRITICAL,
                                      runtime.settings.sla_days)
    assert _events(runtime, vague)[-1].detail["tier"] == "critical"


def test_r06_stating_the_need_of_a_vague_entry_keeps_the_tier_the_agent_sets(runtime):
    agent = add_agent(runtime)
    vague = add_entry(runtime, None, vague=True, tier=Tier.LOW)
    requalify.requalify_vague(runtime, agent_id=agent, entry_id=vague,
                              version=version(runtime, vague), vague=False,
                              need_text="Le serveur est en panne", reason="Serveur de test",
                              tier="medium")
    changed = entry(runtime, vague)
    assert (changed.tier, changed.tier_set_by_agent) == (Tier.MEDIUM, True)
