"""Requalification (R6-R8, R11): an agent corrects an entry, always with a reason that is kept.

Tier (sets tier_set_by_agent, recomputes the rank and the due time), vague or not (with the
need once known), merge two entries of one need (the messages move to the survivor, the other
closes "merged"), split one (chosen messages move to a new entry).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from callq import db, entry_writer
from callq.models import Message, WaitingEntry
from callq.placement import classify_need, due_time
from callq.status import Tier
from callq.waiting import explain, lifecycle
from callq.workspace import claims
from callq.workspace.errors import Refused, Stale

if TYPE_CHECKING:
    from callq.runtime import Runtime

EDITABLE = lifecycle.statuses_allowing("requalified")


def _reason(reason: str) -> str:
    if not reason.strip():
        raise Refused("workspace.refused.reason")
    return reason.strip()


def _editable(session: Session, entry_id: int, agent_id: int, version: int | None,
              now: datetime) -> WaitingEntry:
    entry = claims.locked_entry(session, entry_id)
    claims.refuse_if_held(session, entry, agent_id, now)
    if entry.status not in EDITABLE:
        raise Stale("workspace.refused.not_open")
    if version is not None and entry.version != version:
        raise Stale("workspace.refused.stale")
    return entry


def _tier(raw: str) -> Tier:
    try:
        return Tier(raw)
    except ValueError:
        raise Refused("workspace.refused.tier") from None


def requalify_tier(runtime: Runtime, *, agent_id: int, entry_id: int, version: int, tier: str,
                   reason: str) -> None:
    """Set the tier by hand: its rank and due time follow; the classifier no longer decides."""
    why, new, now = _reason(reason), _tier(tier), runtime.now()
    with db.write(runtime.sessions) as session:
        entry = _editable(session, entry_id, agent_id, version, now)
        entry_writer.apply(session, entry, lifecycle.Requalified(
            at=now, agent_id=agent_id, reason=why,
            detail={"field": "tier", "from": str(entry.tier), "to": new.value}))
        entry.tier, entry.tier_rank, entry.tier_set_by_agent = new, new.rank, True
        entry.due_at = due_time(runtime.calendar(), entry.arrived_at, new,
                                runtime.settings.sla_days)


def requalify_vague(runtime: Runtime, *, agent_id: int, entry_id: int, version: int,
                    vague: bool, need_text: str, reason: str, tier: str | None = None) -> None:
    """Mark an entry vague (it goes after stated needs) or state its need (R7); a vague entry
    stated so takes the tier its need text reads as, unless the agent sets one (R6)."""
    why, now, need = _reason(reason), runtime.now(), need_text.strip()
    if not vague and not need:
        raise Refused("workspace.refused.need")
    chosen = _tier(tier) if tier else None
    with db.write(runtime.sessions) as session:
        entry = _editable(session, entry_id, agent_id, version, now)
        detail: dict[str, object] = {"field": "vague", "from": entry.vague, "to": vague}
        if entry.vague and not vague:
            detail.update(_stated_tier(runtime, entry, need, chosen))
        if need:
            detail["need"] = need
        entry_writer.apply(session, entry, lifecycle.Requalified(
            at=now, agent_id=agent_id, reason=why, detail=detail))
        entry.vague = vague
        if need:
            entry.need_text = need


def _stated_tier(runtime: Runtime, entry: WaitingEntry, need: str,
                 chosen: Tier | None) -> dict[str, object]:
    """The tier of a need stated by an agent: the agent's, else the one set before by an agent,
    else the one the need text reads as; its rank and due time follow."""
    if chosen is not None:
        new, entry.tier_set_by_agent = chosen, True
    elif entry.tier_set_by_agent:
        new = Tier(entry.tier)
    else:
        found = classify_need(runtime, need, entry.language)
        new, entry.classification = found.tier, explain.detail(found)
    entry.tier, entry.tier_rank = new, new.rank
    entry.due_at = due_time(runtime.calendar(), entry.arrived_at, new, runtime.settings.sla_days)
    return {"tier": new.value}


def merge(runtime: Runtime, *, agent_id: int, entry_id: int, version: int, other_id: int,
          reason: str) -> None:
    """Fold `other_id` into `entry_id` (one need): messages move, the other closes "merged"."""
    why, now = _reason(reason), runtime.now()
    if other_id == entry_id:
        raise Refused("workspace.refused.merge_self")
    with db.write(runtime.sessions) as session:
        survivor = _editable(session, entry_id, agent_id, version, now)
        other = _editable(session, other_id, agent_id, None, now)
        if not _same_caller(survivor, other):
            raise Refused("workspace.refused.merge_caller")
        moved = _move(session, other.id, survivor.id, None)
        _recount(session, survivor, other)
        entry_writer.apply(session, other, lifecycle.Merged(
            at=now, agent_id=agent_id, reason=why, into=survivor.id))
        entry_writer.apply(session, survivor, lifecycle.Absorbed(
            at=now, agent_id=agent_id, reason=why, from_id=other.id, messages=moved))


def split(runtime: Runtime, *, agent_id: int, entry_id: int, version: int,
          message_ids: Sequence[int], tier: str, need_text: str, reason: str) -> int:
    """Move chosen messages to a new entry (a different need); returns the new entry's id."""
    why, new_tier, now, need = _reason(reason), _tier(tier), runtime.now(), need_text.strip()
    with db.write(runtime.sessions) as session:
        entry = _editable(session, entry_id, agent_id, version, now)
        chosen = _chosen(session, entry, message_ids)
        arrived = min(m.received_at for m in chosen)
        fresh = WaitingEntry(
            tier=new_tier, tier_rank=new_tier.rank,
            tier_set_by_agent=True, vague=not need, need_text=need or None,
            caller_number=entry.caller_number, client_id=entry.client_id,
            language=entry.language, arrived_at=arrived, queued_at=arrived,
            due_at=due_time(runtime.calendar(), arrived, new_tier, runtime.settings.sla_days),
        )
        session.add(fresh)
        session.flush()
        messages = tuple(m.id for m in chosen)
        _move(session, entry.id, fresh.id, list(messages))
        _recount(session, entry, fresh)
        entry_writer.apply(session, entry, lifecycle.Split(
            at=now, agent_id=agent_id, reason=why, to=fresh.id, messages=messages))
        entry_writer.apply(session, fresh, lifecycle.SplitOff(
            at=now, agent_id=agent_id, reason=why, from_id=entry.id, messages=messages))
        return fresh.id


def _same_caller(a: WaitingEntry, b: WaitingEntry) -> bool:
    if a.client_id is not None and b.client_id is not None:
        return a.client_id == b.client_id
    return a.caller_number is not None and a.caller_number == b.caller_number


def _chosen(session: Session, entry: WaitingEntry, message_ids: Sequence[int]) -> list[Message]:
    wanted = set(message_ids)
    messages = list(session.scalars(select(Message).where(Message.entry_id == entry.id)))
    chosen = [m for m in messages if m.id in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise Refused("workspace.refused.split_choice")
    if len(chosen) == len(messages):
        raise Refused("workspace.refused.split_all")
    return chosen


def _move(session: Session, from_id: int, to_id: int, ids: list[int] | None) -> int:
    query = update(Message).where(Message.entry_id == from_id)
    if ids is not None:
        query = query.where(Message.id.in_(ids))
    result = session.execute(query.values(entry_id=to_id)
                             .execution_options(synchronize_session="fetch"))
    return int(getattr(result, "rowcount", 0))


def _recount(session: Session, *entries: WaitingEntry) -> None:
    for entry in entries:
        entry.messages_count = session.scalar(
            select(func.count(Message.id)).where(Message.entry_id == entry.id)) or 0


