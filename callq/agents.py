"""Agents' accounts as use cases: sign in (failed logins limited per email and address in the
database, so the limit holds across web workers), the signed-in agent of a session, add and
disable agents. No framework here: the login pages (callq.accounts) and the `callq agents`
commands (callq.agents_cli) call these."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from callq import db
from callq.i18n import DEFAULT, languages
from callq.models import Agent, LoginFailure
from callq.passwords import hash_password, verify_password
from callq.waiting.phones import normalize_number

if TYPE_CHECKING:
    from callq.runtime import Runtime

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Account:
    """An agent as a session knows them; the stamp changes with the password."""

    id: int
    name: str
    email: str
    is_admin: bool
    stamp: str
    language: str = DEFAULT  # of the agent's pages and call announcements


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
    return Account(agent.id, agent.name, agent.email, agent.is_admin, stamp, agent.language)


@cache
def _decoy_hash() -> str:
    # Verified against when the email is unknown, so both cases take the same time.
    return hash_password("not-a-password-of-anyone")


def authenticate(runtime: Runtime, email: str, password: str, address: str) -> Account | None:
    """The agent if the password is right; records a failure, or raises TooManyFailures."""
    now, email = runtime.now(), email.strip().lower()
    _refuse_if_limited(runtime, email, address, now)
    with db.read(runtime.sessions) as session:
        agent = session.scalar(select(Agent).where(func.lower(Agent.email) == email))
    stored = agent.password_hash if agent is not None else _decoy_hash()
    right = verify_password(stored, password) and agent is not None and agent.active
    with db.write(runtime.sessions) as session:
        if not right:
            session.add(LoginFailure(email=email, address=address, at=now))
            return None
        session.execute(delete(LoginFailure).where(LoginFailure.email == email,
                                                   LoginFailure.address == address))
    assert agent is not None
    return account_of(agent)


def _refuse_if_limited(runtime: Runtime, email: str, address: str, now: datetime) -> None:
    window = timedelta(minutes=runtime.settings.login_window_minutes)
    with db.read(runtime.sessions) as session:
        count, oldest = session.execute(
            select(func.count(LoginFailure.id), func.min(LoginFailure.at)).where(
                LoginFailure.email == email, LoginFailure.address == address,
                LoginFailure.at > now - window)
        ).one()
    if count >= runtime.settings.login_max_failures and oldest is not None:
        wait = oldest + window - now
        raise TooManyFailures(max(1, -(-int(wait.total_seconds()) // 60)))


def signed_in(runtime: Runtime, agent_id: int, stamp: str) -> Account | None:
    """The agent a session names, if still active and the session still current."""
    with db.read(runtime.sessions) as session:
        agent = session.get(Agent, agent_id)
    if agent is None or not agent.active:
        return None  # a disabled agent is logged out at their next request
    account = account_of(agent)
    return account if account.stamp == stamp else None


def add_agent(runtime: Runtime, *, email: str, password: str, phone: str, name: str | None,
              admin: bool, language: str | None = None) -> Listed:
    """Create an agent; ValueError says what is wrong with the input."""
    email = email.strip().lower()
    if not EMAIL.match(email):
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
        agent = Agent(email=email, name=(name or email.split("@")[0]).strip(), phone=number,
                      password_hash=password_hash, is_admin=admin, active=True,
                      language=language)
        session.add(agent)
        return _listed(agent)


def disable_agent(runtime: Runtime, email: str) -> bool:
    """Disable an agent (their sessions end); False if there is no such agent."""
    with db.write(runtime.sessions) as session:
        agent = session.scalar(select(Agent).where(func.lower(Agent.email) == email.lower()))
        if agent is None:
            return False
        agent.active = False
        return True


def list_agents(runtime: Runtime) -> list[Listed]:
    """Every agent, by email."""
    with db.read(runtime.sessions) as session:
        return [_listed(a) for a in session.scalars(select(Agent).order_by(Agent.email))]


def _listed(agent: Agent) -> Listed:
    return Listed(agent.email, agent.name, agent.phone, agent.is_admin, agent.active,
                  agent.language)
