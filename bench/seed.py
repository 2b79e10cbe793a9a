"""Bulk data for the suites, written with executemany (`insert()` + a list of rows), fast."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from callq import db
from callq.models import Agent, Appointment, Call, Client, ClientPhone, WaitingEntry
from callq.passwords import hash_password
from callq.runtime import Runtime
from callq.status import EntryStatus
from callq.waiting.classify import classify

PASSWORD = "bench password 2026"
BATCH = 5_000
NEEDS = (
    "Le serveur est en panne, plus rien ne marche au cabinet",
    "Impossible de facturer depuis ce matin",
    "L'imprimante n'imprime plus les ordonnances",
    "Message d'erreur à l'ouverture du dossier patient",
    "Le logiciel est lent quand on ouvre l'agenda",
    "Les rendez-vous apparaissent en double dans le planning",
    "Je n'arrive pas à exporter la comptabilité, je passe par un export manuel",
    "Question sur la mise à jour de la version 2026",
    "Bonjour, merci de me rappeler",
    "Allô, c'est encore moi, rappelez-moi s'il vous plaît",
    "",
)


def _chunks(rows: Sequence[dict[str, Any]]) -> list[Sequence[dict[str, Any]]]:
    return [rows[i:i + BATCH] for i in range(0, len(rows), BATCH)]


def bulk(runtime: Runtime, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows of one table, in batches, one transaction per batch."""
    for chunk in _chunks(rows):
        with db.write(runtime.sessions) as session:
            session.execute(insert(model), list(chunk))


def agents(runtime: Runtime, count: int, *, prefix: str = "agent",
           phones: bool = True) -> list[int]:
    """Active agents (password PASSWORD); their ids."""
    hashed = hash_password(PASSWORD)
    bulk(runtime, Agent, [
        dict(email=f"{prefix}{n}@desk.bench", name=f"Agent {n}", password_hash=hashed,
             phone=f"+3361200{n:04d}" if phones else None, is_admin=False, active=True,
             language="fr", feed_token=f"{prefix}-feed-{n}")
        for n in range(count)])
    with runtime.sessions() as session:
        return list(session.scalars(select(Agent.id).where(Agent.email.like(f"{prefix}%"))
                                    .order_by(Agent.id)))


def clients(runtime: Runtime, count: int) -> list[str]:
    """Clients with one mobile number each; their numbers (E.164)."""
    bulk(runtime, Client, [dict(name=f"Cabinet {n}", email=f"cabinet{n}@clients.bench",
                                language="fr", product_version="2026.1")
                           for n in range(count)])
    with runtime.sessions() as session:
        ids = list(session.scalars(select(Client.id).order_by(Client.id)))
    numbers = [f"+3375{n:07d}" for n in range(count)]
    bulk(runtime, ClientPhone, [dict(client_id=i, number=number)
                                for i, number in zip(ids, numbers, strict=True)])
    return numbers


def _classified(need: str) -> dict[str, Any]:
    found = classify(need)
    return dict(tier=found.tier, tier_rank=found.tier.rank, vague=found.vague,
                need_text=need or None,
                classification={"rule": found.rule, "matched": list(found.matched)})


def entries(runtime: Runtime, count: int, now: datetime, *, seed: int = 1,
            client_ids: Sequence[int] = ()) -> None:
    """Open waiting entries: the mix of NEEDS (all tiers, vague ones), arrived over 30 days."""
    rng = random.Random(seed)
    kinds = [_classified(need) for need in NEEDS]
    rows = []
    for _ in range(count):
        arrived = now - timedelta(seconds=rng.uniform(60, 30 * 86400))
        client = rng.choice(client_ids) if client_ids and rng.random() < 0.3 else None
        rows.append(dict(
            status=EntryStatus.WAITING, caller_number=f"+336{rng.randrange(10**8):08d}",
            client_id=client, language="fr", arrived_at=arrived, queued_at=arrived,
            due_at=arrived + timedelta(days=rng.choice((3, 5, 10, 15))), messages_count=1,
            attempts=0, tier_set_by_agent=False, version=1, **rng.choice(kinds)))
    bulk(runtime, WaitingEntry, rows)


def calls(runtime: Runtime, sids: Sequence[str], numbers: Sequence[str], mode: str,
          now: datetime) -> None:
    """Incoming calls as the Voice URL request leaves them (mode decided, in progress)."""
    bulk(runtime, Call, [
        dict(call_sid=sid, direction="inbound", purpose="intake", from_number=number,
             to_number="+33970000000", mode=mode, status="in-progress", sequence=-1,
             created_at=now, updated_at=now)
        for sid, number in zip(sids, numbers, strict=True)])


def appointments(runtime: Runtime, agent_ids: Sequence[int],
                 grid: Sequence[tuple[datetime, datetime]], count: int, now: datetime) -> None:
    """`count` booked appointments on distinct (agent, grid time) pairs."""
    rng = random.Random(7)
    chosen = rng.sample([(a, s, e) for a in agent_ids for s, e in grid], count)
    bulk(runtime, Appointment, [
        dict(agent_id=a, starts_at=s, ends_at=e, status="booked", sequence=0,
             client_name=f"Client {i}", client_phone="+33612345678", language="fr", moves=0,
             no_shows=0, version=1, created_at=now, updated_at=now)
        for i, (a, s, e) in enumerate(chosen)])
