"""Agents' accounts: login sessions (Flask-Login), CSRF on every form (Flask-WTF), failed
logins limited per email and address in the database (so the limit holds across gunicorn
workers), and the `callq agents` commands."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import click
from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import delete, func, select
from werkzeug.exceptions import Unauthorized
from werkzeug.wrappers import Response

from callq import db, i18n, web_i18n
from callq.models import Agent, LoginFailure
from callq.passwords import hash_password, verify_password
from callq.waiting.phones import normalize_number

if TYPE_CHECKING:
    from callq.runtime import Runtime

blueprint = Blueprint("accounts", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
# Twilio's requests are signed and the JSON API takes a bearer token: no cookie, no CSRF.
# Twilio routes are signed, the API takes a bearer token, and the clients' /book/ and /cancel/
# pages are reached through signed links: the token in the URL is the secret a forged
# cross-site form cannot know, and a client opening the email in a cookie-less in-app browser
# must still be able to book or cancel.
CSRF_EXEMPT = ("/twilio/", "/api/", "/book/", "/cancel/")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class AgentUser(UserMixin):  # type: ignore[misc]
    """The logged-in agent; the session names it with a stamp of its password hash."""

    id: int
    name: str
    email: str
    is_admin: bool
    stamp: str  # changes with the password: older sessions stop working
    language: str = i18n.DEFAULT  # of the agent's pages, unless they pick another

    @classmethod
    def of(cls, agent: Agent) -> AgentUser:
        """The session's view of an agent row."""
        # A digest of the hash, not the hash: the session cookie is signed, not encrypted.
        stamp = hashlib.sha256(agent.password_hash.encode()).hexdigest()[:16]
        return cls(agent.id, agent.name, agent.email, agent.is_admin, stamp, agent.language)

    def get_id(self) -> str:
        return f"{self.id}:{self.stamp}"


class TooManyFailures(Exception):
    """Too many failed logins for this email from this address; retry after `minutes`."""

    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes


@cache
def _decoy_hash() -> str:
    # Verified against when the email is unknown, so both cases take the same time.
    return hash_password("not-a-password-of-anyone")


def authenticate(runtime: Runtime, email: str, password: str, address: str) -> AgentUser | None:
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
    return AgentUser.of(agent)


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


# --- the web side ------------------------------------------------------------------------

@blueprint.record_once
def _install(state: Any) -> None:
    app: Flask = state.app
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # agents keep a page open all day
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked below, with the exempt prefixes
    csrf.init_app(app)
    app.before_request(_check_csrf)
    app.register_error_handler(CSRFError, _csrf_refused)
    login_manager.init_app(app)


def _check_csrf() -> None:
    if current_app.config.get("WTF_CSRF_ENABLED", True) and not request.path.startswith(
            CSRF_EXEMPT):
        csrf.protect()


def _csrf_refused(error: CSRFError) -> tuple[str, int]:
    lang = _lang()
    reason = i18n.gettext("This form expired or did not come from this application: reload "
                          "the page and try again.", lang)
    return render_template("agents/error.html", lang=lang, status=400, reason=reason), 400


@login_manager.user_loader
def _load(user_id: str) -> AgentUser | None:
    agent_id, _, stamp = user_id.partition(":")
    if not agent_id.isdigit():
        return None
    runtime: Runtime = current_app.extensions["callq"]
    with db.read(runtime.sessions) as session:
        agent = session.get(Agent, int(agent_id))
    if agent is None or not agent.active:
        return None  # a disabled agent is logged out at their next request
    user = AgentUser.of(agent)
    return user if user.stamp == stamp else None


@login_manager.unauthorized_handler
def _unauthorized() -> Any:
    # A page asked for by the browser shows the login form (status 401); anything else is 401.
    if request.method == "GET" and request.accept_mimetypes.accept_html:
        return _login_page(next_url=request.full_path.rstrip("?")), 401
    raise Unauthorized(description=i18n.gettext("Log in first.", _lang()))


def _lang() -> str:
    return web_i18n.request_language(current_app.extensions["callq"].settings.language)


def _safe_next(raw: str | None) -> str:
    if raw and raw.startswith("/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return url_for("workspace.waiting_room")


def _login_page(*, next_url: str | None = None, error: str | None = None,
                email: str = "") -> str:
    return render_template("agents/login.html", next_url=next_url or "", error=error,
                           email=email)


@blueprint.get("/")
def home() -> Response:
    """The service's front door leads agents to their list (the login page if signed out)."""
    return redirect(url_for("workspace.waiting_room"))


@blueprint.get("/login")
def login_form() -> str:
    """The login page."""
    return _login_page(next_url=request.args.get("next"))


@blueprint.post("/login")
def login() -> Response | tuple[str, int]:
    """Check the password; too many failures from here for this email answer 429."""
    runtime: Runtime = current_app.extensions["callq"]
    email, next_url = request.form.get("email", ""), request.form.get("next")
    try:
        user = authenticate(runtime, email, request.form.get("password", ""),
                            request.remote_addr or "unknown")
    except TooManyFailures as limited:
        error = i18n.ngettext("Too many failed logins. Try again in %(num)s minute.",
                              "Too many failed logins. Try again in %(num)s minutes.",
                              limited.minutes, _lang())
        return _login_page(next_url=next_url, error=error, email=email), 429
    if user is None:
        error = i18n.gettext("Wrong email or password.", _lang())
        return _login_page(next_url=next_url, error=error, email=email), 401
    login_user(user)
    return redirect(_safe_next(next_url))


@blueprint.post("/logout")
def logout() -> Response:
    """End the session."""
    logout_user()
    return redirect(url_for("accounts.login_form"))


# --- the `callq agents` commands ---------------------------------------------------------

def add_agent(runtime: Runtime, *, email: str, password: str, phone: str, name: str | None,
              admin: bool, language: str | None = None) -> Agent:
    """Create an agent; ValueError says what is wrong with the input."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise ValueError(f"not an email address: {email!r}")
    number = normalize_number(phone)
    if number is None:
        raise ValueError(f"not a phone number that can be called: {phone!r}")
    language = language or runtime.settings.language
    if language not in i18n.languages():
        raise ValueError(f"not a language callq speaks: {language!r} "
                         f"(one of {', '.join(i18n.languages())})")
    password_hash = hash_password(password)
    with db.write(runtime.sessions) as session:
        if session.scalar(select(Agent.id).where(func.lower(Agent.email) == email)):
            raise ValueError(f"an agent with email {email} already exists")
        agent = Agent(email=email, name=(name or email.split("@")[0]).strip(), phone=number,
                      password_hash=password_hash, is_admin=admin, active=True,
                      language=language)
        session.add(agent)
    return agent


def disable_agent(runtime: Runtime, email: str) -> bool:
    """Disable an agent (their sessions end); False if there is no such agent."""
    with db.write(runtime.sessions) as session:
        agent = session.scalar(select(Agent).where(func.lower(Agent.email) == email.lower()))
        if agent is None:
            return False
        agent.active = False
        return True


@click.group("agents")
def command() -> None:
    """Agents' accounts: add, list, disable."""


@command.command("add")
@click.option("--email", required=True, help="Login email.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 8 characters (asked for when not given).")
@click.option("--phone", required=True, help="The phone rung before each callback (E.164).")
@click.option("--name", default=None, help="Shown name (default: the email's local part).")
@click.option("--admin", is_flag=True, help="An administrator.")
@click.option("--language", default=None,
              help="Language of the agent's pages and call announcements (default: "
                   "CALLQ_LANGUAGE).")
def add_command(email: str, password: str, phone: str, name: str | None, admin: bool,
                language: str | None) -> None:
    """Add an agent."""
    from callq.cli import runtime_or_exit

    try:
        agent = add_agent(runtime_or_exit(), email=email, password=password, phone=phone,
                          name=name, admin=admin, language=language)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{'administrator' if admin else 'agent'} {agent.email} added ({agent.phone})")


@command.command("list")
def list_command() -> None:
    """List agents."""
    from callq.cli import runtime_or_exit

    runtime = runtime_or_exit()
    with db.read(runtime.sessions) as session:
        agents = list(session.scalars(select(Agent).order_by(Agent.email)))
    for agent in agents:
        flags = ",".join(f for f, on in (("admin", agent.is_admin), ("disabled", not agent.active))
                         if on)
        click.echo(f"{agent.email}\t{agent.name}\t{agent.phone or '-'}\t{agent.language}\t"
                   f"{flags or 'agent'}")


@command.command("disable")
@click.argument("email")
def disable_command(email: str) -> None:
    """Disable an agent: they can no longer log in, their sessions end."""
    from callq.cli import runtime_or_exit

    if not disable_agent(runtime_or_exit(), email):
        raise click.ClickException(f"no agent with email {email}")
    click.echo(f"agent {email} disabled")
