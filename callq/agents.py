"""Agents' accounts as use cases: sign in (failed logins limited per email and address in the
database, so the limit holds across web workers and parallel bursts), the signed-in agent of a
session, end every session of an agent, and the administration of agents (add, edit, disable,
enable, reset the password), each change in the audit log. No framework here: the login pages
(callq.accounts), the administration pages and the `callq agents` commands (callq.agents_cli)
call these.

A session names its agent's `session_version`: logout, disabling and a new password bump it,
so every copy of an older session cookie stops working at its next request."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from callq import audit, db
from callq.i18n import DEFAULT, N_, Problem, languages
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
    id: int = 0


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
        session.execute(update(Agent).where(Agent.id == agent_id).values(
            session_version=Agent.session_version + 1))


def add_agent(runtime: Runtime, *, email: str, password: str, phone: str, name: str | None,
              admin: bool, language: str | None = None, actor: str = audit.CLI) -> Listed:
    """Create an agent; ValueError says what is wrong with the input."""
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > EMAIL_MAX:
        raise Problem(N_("not an email address: %(value)s"), value=repr(email))
    number = _number(phone)
    language = _language(language or runtime.settings.language)
    password_hash = hash_password(password)
    with db.write(runtime.sessions) as session:
        if session.scalar(select(Agent.id).where(func.lower(Agent.email) == email)):
            raise Problem(N_("an agent with email %(email)s already exists"), email=email)
        agent = Agent(email=email, name=_name(name or email.split("@")[0]), phone=number,
                      password_hash=password_hash, is_admin=admin, active=True,
                      language=language)
        session.add(agent)
        session.flush()
        listed = _listed(agent)
        audit.record(session, at=runtime.now(), actor=actor, action="agent.add", target=email,
                     after=_snapshot(listed))
        return listed


def edit_agent(runtime: Runtime, email: str, *, actor: str, name: str | None = None,
               phone: str | None = None, language: str | None = None,
               admin: bool | None = None, keep_an_administrator: bool = False) -> Listed:
    """Change an agent's name, phone, language or administrator flag (None: unchanged);
    LookupError when there is no such agent, ValueError for a bad value (or, with
    `keep_an_administrator`, for a change that leaves no active administrator)."""
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = _name(name)
    if phone is not None:
        changes["phone"] = _number(phone)
    if language is not None:
        changes["language"] = _language(language)
    if admin is not None:
        changes["is_admin"] = admin
    return _change(runtime, email, "agent.edit", actor, changes, keep_an_administrator)


def disable_agent(runtime: Runtime, email: str, *, actor: str = audit.CLI,
                  keep_an_administrator: bool = False) -> bool:
    """Disable an agent (their sessions end); False if there is no such agent."""
    try:
        _change(runtime, email, "agent.disable", actor, {"active": False},
                keep_an_administrator)
    except LookupError:
        return False
    return True


def enable_agent(runtime: Runtime, email: str, *, actor: str = audit.CLI) -> Listed:
    """Let a disabled agent log in again; LookupError if there is no such agent."""
    return _change(runtime, email, "agent.enable", actor, {"active": True})


def reset_password(runtime: Runtime, email: str, *, actor: str,
                   password: str | None = None) -> str:
    """Give an agent a new password (a generated one when none is given) and return it; every
    session of theirs ends."""
    password = password or secrets.token_urlsafe(12)
    _change(runtime, email, "agent.reset_password", actor,
            {"password_hash": hash_password(password)})
    return password


def change_password(runtime: Runtime, email: str, password: str) -> bool:
    """Set a chosen password (every session of the agent ends); False for no such agent."""
    try:
        reset_password(runtime, email, actor=audit.CLI, password=password)
    except LookupError:
        return False
    return True


def _change(runtime: Runtime, email: str, action: str, actor: str,
            changes: dict[str, object], keep_an_administrator: bool = False) -> Listed:
    with db.write(runtime.sessions) as session:
        agent = session.scalar(select(Agent).where(func.lower(Agent.email)
                                                   == email.strip().lower()).with_for_update())
        if agent is None:
            raise LookupError(f"no agent with email {email}")
        before, administrators = _snapshot(_listed(agent)), _administrators(session)
        for attribute, value in changes.items():
            setattr(agent, attribute, value)
        if changes.get("active") is False or "password_hash" in changes:
            agent.session_version += 1  # every copy of an older session cookie stops working
        session.flush()
        if keep_an_administrator and administrators and not _administrators(session):
            # From the pages: nobody could open them again (the CLI still could).
            raise Problem(N_("the last active administrator cannot be disabled or lose the "
                             "role"))
        listed = _listed(agent)
        old, new = audit.changed(before, _snapshot(listed))
        if "password_hash" in changes:
            new["password"] = "reset"  # never the hash itself
        audit.record(session, at=runtime.now(), actor=actor, action=action, target=agent.email,
                     before=old, after=new)
        return listed


def _administrators(session: Session) -> int:
    return session.scalar(select(func.count(Agent.id)).where(
        Agent.is_admin.is_(True), Agent.active.is_(True))) or 0


def _number(phone: str) -> str:
    number = normalize_number(phone)
    if number is None:
        raise Problem(N_("not a phone number that can be called: %(value)s"), value=repr(phone))
    return number


def _language(language: str) -> str:
    if language not in languages():
        raise Problem(N_("not a language callq speaks: %(value)s (one of %(known)s)"),
                      value=repr(language), known=", ".join(languages()))
    return language


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise Problem(N_("a name of 1 to 200 characters is needed"))
    return name


def _snapshot(agent: Listed) -> dict[str, object]:
    return {"name": agent.name, "phone": agent.phone, "language": agent.language,
            "is_admin": agent.is_admin, "active": agent.active}


def list_agents(runtime: Runtime) -> list[Listed]:
    """Every agent, by email."""
    with db.read(runtime.sessions) as session:
        return [_listed(a) for a in session.scalars(select(Agent).order_by(Agent.email))]


def _listed(agent: Agent) -> Listed:
    return Listed(agent.email, agent.name, agent.phone, agent.is_admin, agent.active,
                  agent.language, agent.id)
