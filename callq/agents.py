"""Agents' accounts as use cases: sign in (failed logins limited per email and address in the
database, so the limit holds across web workers and parallel bursts), the signed-in agent of a
session, end every session of an agent, change a password, add and disable agents. No framework
here: the login pages (callq.accounts) and the `callq agents` commands (callq.agents_cli) call
these.

A session names its agent's `session_version`: logout, disabling and a new password bump it,
so every copy of an older session cookie stops working at its next request."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from callq import db
from callq.formats import one_line
from callq.i18n import DEFAULT, languages
from callq.models import Agent, LoginFailure
from callq.passwords import hash_password, verify_password
from callq.waiting.phones import normalize_number

if TYPE_CHECKING:
    from callq.runtime import Runtime

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EMAIL_MAX, ADDRESS_MAX = 320, 64  # the columns' lengths (agents.email, login_failures)


@dataclass(frozen=True)
class Account:
    """An agent as a session knows them; the stamp changes with the password."""

    id: int
    name: str
    email: str
    is_admin: bool
    stamp: str
    language: str = DEFAULT  # of the agent's pages and call announcements
    session: int = 0  # the agent's session version when this session began


@dataclass(frozen=True)
class Listed:
    """An agent as `callq agents list` shows them."""

    email: str
    name: str
    phone: str | None
    is_admin: bool
    active: bool
    language: str = DEFAULT


class TooManyFailures(Exception):
    """Too many failed logins for this email from this address; retry after `minutes`."""

    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes


def account_of(agent: Agent) -> Account:
    """The session's view of an agent row."""
    # A digest of the hash, not the hash: the session cookie is signed, not encrypted.
    stamp = hashlib.sha256(agent.password_hash.encode()).hexdigest()[:16]
    return Account(agent.id, agent.name, agent.email, agent.is_admin, stamp, agent.language,
                   agent.session_version)


@cache
def _decoy_hash() -> str:
    # Verified against when the email is unknown, so both cases take the same time.
    return hash_password("not-a-password-of-anyone")


def authenticate(runtime: Runtime, email: str, password: str, address: str) -> Account | None:
    """The agent if the password is right; records a failure, or raises TooManyFailures."""
    now = runtime.now()
    email, address = email.strip().lower()[:EMAIL_MAX], address[:ADDRESS_MAX]
    attempt = _count_attempt(runtime, email, address, now)
    with db.read(runtime.sessions) as session:
        agent = session.scalar(select(Agent).where(func.lower(Agent.email) == email))
    stored = agent.password_hash if agent is not None else _decoy_hash()
    right = verify_password(stored, password) and agent is not None and agent.active
    if not right:
        return None  # the attempt stays counted as a failure
    with db.write(runtime.sessions) as session:
        session.execute(delete(LoginFailure).where(LoginFailure.email == email,
                                                   LoginFailure.address == address,
                                                   LoginFailure.id <= attempt))
    assert agent is not None
    return account_of(agent)


def _count_attempt(runtime: Runtime, email: str, address: str, now: datetime) -> int:
    """Count this attempt as a failure before the password is checked, in one transaction with
    the check of the limit: of a burst of parallel tries, only the limit's number get through.
    Returns the attempt's row id (deleted when the password was right)."""
    window = timedelta(minutes=runtime.settings.login_window_minutes)
    with db.write(runtime.sessions) as session:
        _serialise(session, f"login:{email}:{address}")
        count, oldest = session.execute(
            select(func.count(LoginFailure.id), func.min(LoginFailure.at)).where(
                LoginFailure.email == email, LoginFailure.address == address,
                LoginFailure.at > now - window)
        ).one()
        if count >= runtime.settings.login_max_failures and oldest is not None:
            wait = oldest + window - now
            raise TooManyFailures(max(1, -(-int(wait.total_seconds()) // 60)))
        attempt = LoginFailure(email=email, address=address, at=now)
        session.add(attempt)
        session.flush()
        return attempt.id


def _serialise(session: Session, key: str) -> None:
    # PostgreSQL: tries of one email from one address take turns (a transaction-scoped
    # advisory lock). SQLite needs nothing: BEGIN IMMEDIATE already holds the only write lock.
    if session.get_bind().dialect.name != "postgresql":
        return
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
    session.execute(select(func.pg_advisory_xact_lock(number)))


def signed_in(runtime: Runtime, agent_id: int, session_version: int,
              stamp: str) -> Account | None:
    """The agent a session names, if still active and the session still current."""
    with db.read(runtime.sessions) as session:
        agent = session.get(Agent, agent_id)
    if agent is None or not agent.active:
        return None  # a disabled agent is logged out at their next request
    account = account_of(agent)
    current = account.session == session_version and account.stamp == stamp
    return account if current else None


def end_sessions(runtime: Runtime, agent_id: int) -> None:
    """End every session of the agent, wherever its cookie was copied (logout)."""
    with db.write(runtime.sessions) as session:
        _bump(session, Agent.id == agent_id)


def change_password(runtime: Runtime, email: str, password: str) -> bool:
    """Set a new password (every session of the agent ends); False if there is no such agent.
    ValueError when the password is too short."""
    password_hash = hash_password(password)
    with db.write(runtime.sessions) as session:
        return _bump(session, func.lower(Agent.email) == email.strip().lower(),
                     password_hash=password_hash)


def _bump(session: Session, which: Any, **values: Any) -> bool:
    """Bump the session version of the agent `which` selects (and set `values`)."""
    done = session.execute(update(Agent).where(which).values(
        session_version=Agent.session_version + 1, **values))
    return bool(getattr(done, "rowcount", 0))


def add_agent(runtime: Runtime, *, email: str, password: str, phone: str, name: str | None,
              admin: bool, language: str | None = None) -> Listed:
    """Create an agent; ValueError says what is wrong with the input."""
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > EMAIL_MAX:
        raise ValueError(f"not an email address: {email!r}")
    number = normalize_number(phone)
    if number is None:
        raise ValueError(f"not a phone number that can be called: {phone!r}")
    language = language or runtime.settings.language
    if language not in languages():
        raise ValueError(f"not a language callq speaks: {language!r} "
                         f"(one of {', '.join(languages())})")
    password_hash = hash_password(password)
    with db.write(runtime.sessions) as session:
        if session.scalar(select(Agent.id).where(func.lower(Agent.email) == email)):
            raise ValueError(f"an agent with email {email} already exists")
        agent = Agent(email=email, name=one_line(name or email.split("@")[0])[:200], phone=number,
                      password_hash=password_hash, is_admin=admin, active=True,
                      language=language)
        session.add(agent)
        return _listed(agent)


def disable_agent(runtime: Runtime, email: str) -> bool:
    """Disable an agent (every session of theirs ends); False if there is no such agent."""
    with db.write(runtime.sessions) as session:
        return _bump(session, func.lower(Agent.email) == email.strip().lower(), active=False)


def list_agents(runtime: Runtime) -> list[Listed]:
    """Every agent, by email."""
    with db.read(runtime.sessions) as session:
        return [_listed(a) for a in session.scalars(select(Agent).order_by(Agent.email))]


def _listed(agent: Agent) -> Listed:
    return Listed(agent.email, agent.name, agent.phone, agent.is_admin, agent.active,
                  agent.language)
