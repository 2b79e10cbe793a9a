"""Agents' sessions on the web: the login pages (Flask-Login), CSRF on every form (Flask-WTF).
Signing in and who a session names are use cases of callq.agents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import Unauthorized
from werkzeug.wrappers import Response

from callq import agents, i18n, web_i18n, web_input, web_pages

if TYPE_CHECKING:
    from callq.runtime import Runtime

blueprint = Blueprint("accounts", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
# Twilio routes are signed, the API takes a bearer token, and the clients' /book/ and /cancel/
# pages are reached through signed links: the token in the URL is the secret a forged
# cross-site form cannot know, and a client opening the email in a cookie-less in-app browser
# must still be able to book or cancel.
CSRF_EXEMPT = ("/twilio/", "/api/", "/book/", "/cancel/")


class _Sessions(SecureCookieSessionInterface):
    """Agents' signed cookie sessions; Twilio's callbacks carry none, so none is opened for
    them (a null session: read as empty, never written)."""

    def open_session(self, app: Flask, request: Any) -> SecureCookieSession | None:
        if request.path.startswith(web_pages.WEBHOOKS):
            return self.make_null_session(app)
        return super().open_session(app, request)


@dataclass(frozen=True)
class AgentUser(UserMixin):  # type: ignore[misc]
    """The logged-in agent; the session names it with a stamp of its password hash."""

    id: int
    name: str
    email: str
    is_admin: bool
    stamp: str  # changes with the password: older sessions stop working
    language: str = i18n.DEFAULT  # of the agent's pages, unless they pick another
    session: int = 0  # the agent's session version: logout ends every copy of the cookie

    @classmethod
    def of(cls, account: agents.Account) -> AgentUser:
        """The session's user of a signed-in account."""
        return cls(account.id, account.name, account.email, account.is_admin, account.stamp,
                   account.language, account.session)

    def get_id(self) -> str:
        return f"{self.id}:{self.session}:{self.stamp}"


def install(app: Flask) -> None:
    """Sessions, CSRF and Flask-Login on `app` (by create_app, within web_pages.pages_only:
    their hooks concern pages, not webhooks)."""
    app.session_interface = _Sessions()
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
    """The agent a session names, checked on every request against the database."""
    agent_id, version, stamp = (user_id.split(":") + ["", ""])[:3]
    number, session = web_input.integer(agent_id), web_input.integer(version)
    if number is None or session is None:
        return None  # a session of an older format, or not ours: log in again
    account = agents.signed_in(current_app.extensions["callq"], number, session, stamp)
    return AgentUser.of(account) if account is not None else None


@login_manager.unauthorized_handler
def _unauthorized() -> Any:
    # A page asked for by the browser shows the login form (status 401); anything else is 401.
    if request.method == "GET" and request.accept_mimetypes.accept_html:
        return _login_page(next_url=safe_next(_here())), 401
    raise Unauthorized(description=i18n.gettext("Log in first.", _lang()))


def _here() -> str:
    """The address asked for, as the browser wrote it (percent-encoded)."""
    query = request.query_string.decode("ascii", "replace")
    return quote(request.path) + (f"?{query}" if query else "")


def _lang() -> str:
    return web_i18n.request_language(current_app.extensions["callq"].settings.language)


def safe_next(raw: str | None) -> str | None:
    """`raw` if it is a path of this site to go back to after login, else None.

    Nothing is stripped or repaired: browsers drop tabs and newlines and read a backslash as a
    slash, so `/%09/evil.example` would lead off-site. Anything holding a control character, a
    backslash or `//` is refused whole, as is anything but printable ASCII (a path callq
    writes itself is percent-encoded)."""
    if not raw or not raw.startswith("/") or "//" in raw or "\\" in raw:
        return None
    if not all(" " < char < "\x7f" for char in raw):
        return None
    return raw


def _next_or_home(raw: str | None) -> str:
    return safe_next(raw) or url_for("workspace.waiting_room")


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
    return _login_page(next_url=safe_next(request.args.get("next")))


@blueprint.post("/login")
def login() -> Response | tuple[str, int]:
    """Check the password; too many failures from here for this email answer 429."""
    runtime: Runtime = current_app.extensions["callq"]
    email, next_url = request.form.get("email", ""), safe_next(request.form.get("next"))
    try:
        account = agents.authenticate(runtime, email, request.form.get("password", ""),
                                      request.remote_addr or "unknown")
    except agents.TooManyFailures as limited:
        error = i18n.ngettext("Too many failed logins. Try again in %(num)s minute.",
                              "Too many failed logins. Try again in %(num)s minutes.",
                              limited.minutes, _lang())
        return _login_page(next_url=next_url, error=error, email=email), 429
    if account is None:
        error = i18n.gettext("Wrong email or password.", _lang())
        return _login_page(next_url=next_url, error=error, email=email), 401
    login_user(AgentUser.of(account))
    return redirect(_next_or_home(next_url))


@blueprint.post("/logout")
def logout() -> Response:
    """End the session, and every copy of it (the agent's session version moves on)."""
    if current_user.is_authenticated:
        agents.end_sessions(current_app.extensions["callq"], current_user.id)
    logout_user()
    return redirect(url_for("accounts.login_form"))
