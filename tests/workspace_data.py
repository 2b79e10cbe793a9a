"""Test data for the workspace's tests: agents, clients, entries and their messages, written
straight into the database (what intake and the CLI would have made)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from callq import db
from callq.models import Agent, Client, ClientPhone, Message, WaitingEntry
from callq.passwords import hash_password
from callq.placement import due_time
from callq.runtime import Runtime
from callq.status import EntryStatus, Tier

PASSWORD = "correct horse battery"


@cache
def _hash(password: str) -> str:
    return hash_password(password)  # Argon2 is slow on purpose: hash each password once


def add_agent(runtime: Runtime, name: str = "Camille", *, email: str | None = None,
              phone: str | None = "+33612000002", password: str = PASSWORD,
              admin: bool = False, active: bool = True) -> int:
    """An agent who can log in with `password`."""
    with db.write(runtime.sessions) as session:
        agent = Agent(email=email or f"{name.lower()}@example.test", name=name, phone=phone,
                      password_hash=_hash(password), is_admin=admin, active=active)
        session.add(agent)
        session.flush()
        return agent.id


def add_client(runtime: Runtime, name: str = "Clinique des Lilas", *,
               email: str | None = "accueil@lilas.example", version: str | None = "2026.2",
               phone: str = "+33612345678") -> int:
    """A client with one known number."""
    with db.write(runtime.sessions) as session:
        client = Client(name=name, email=email, product_version=version,
                        phones=[ClientPhone(number=phone)])
        session.add(client)
        session.flush()
        return client.id


def add_entry(runtime: Runtime, need: str | None = "Impossible de facturer depuis ce matin", *,
              tier: Tier = Tier.HIGH, vague: bool = False, caller: str | None = "+33612345678",
              client_id: int | None = None, arrived: datetime | None = None,
              messages: int = 1, recording_path: str | None = None,
              recording_url: str | None = None, status: EntryStatus = EntryStatus.WAITING,
              language: str = "fr") -> int:
    """A waiting-room entry with its messages, as intake would have placed it."""
    arrived = arrived or runtime.now() - timedelta(hours=1)
    with db.write(runtime.sessions) as session:
        entry = WaitingEntry(
            status=status, tier=tier, tier_rank=tier.rank, vague=vague, need_text=need,
            caller_number=caller, client_id=client_id, arrived_at=arrived, queued_at=arrived,
            due_at=due_time(runtime.calendar(), arrived, tier, runtime.settings.sla_days),
            messages_count=messages, language=language,
            classification={"matched": ["impossible de facturer"]} if need else {},
        )
        session.add(entry)
        session.flush()
        for n in range(messages):
            session.add(Message(
                entry_id=entry.id, from_number=caller, received_at=arrived + timedelta(minutes=n),
                speech_text=need if n == 0 else f"{need} (message {n + 1})" if need else None,
                recording_path=recording_path, recording_url=recording_url,
                recording_seconds=14, complete=True,
            ))
        return entry.id


def entry(runtime: Runtime, entry_id: int) -> WaitingEntry:
    """The entry as stored now."""
    with runtime.sessions() as session:
        found = session.get(WaitingEntry, entry_id)
        assert found is not None
        return found


def version(runtime: Runtime, entry_id: int) -> int:
    """The entry's current version (what a page would carry)."""
    return entry(runtime, entry_id).version
