"""Settings: defaults, then the environment (`CALLQ_*`), then explicit overrides.

`Settings` is a typed, frozen dataclass: every setting is one annotated field, so a misspelt
setting fails type-checking. Its help text and whether production requires it sit in the
field's metadata; the parser, the production check, `callq config` and the README's
configuration table all read that one declaration.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from callq.i18n import languages

PREFIX = "CALLQ_"
ENVIRONMENTS = ("development", "production", "test")
IMAP_TLS = ("ssl", "starttls", "none")
# What production calls weak: a key or token anyone could guess or search for. Shorter than
# 32 characters (`python -c "import secrets; print(secrets.token_urlsafe(32))"` gives 43), or
# a well-known placeholder whatever its length.
MIN_SECRET_LENGTH = 32
WELL_KNOWN = frozenset({
    "changeme", "change-me", "change_me", "secret", "secret-key", "secret_key", "password",
    "development", "dev", "test", "default", "example", "please-change-me",
    "your-secret-key", "your_secret_key", "supersecret", "xxxxxxxx",
})
STRONG = ("secret_key", "api_token")  # signed links and sessions; the API's bearer token
LOG_FORMATS = ("text", "json")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def _int_list(raw: str) -> tuple[int, ...]:
    return tuple(int(part) for part in raw.split(",") if part.strip())


def _path(raw: str) -> Path:
    return Path(raw).expanduser().resolve()


_PARSERS: dict[Any, Callable[[str], Any]] = {
    str: str, int: int, float: float, bool: _bool, Path: _path, tuple[int, ...]: _int_list,
}


def setting(default: Any, help: str, *, secret: bool = False) -> Any:
    """Declare one setting: its default, help text and whether production requires it."""
    return field(default=default, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """The resolved settings, one typed attribute per `CALLQ_*` variable."""

    env: str = setting("development", "`development`, `production` or `test`; production "
                       "requires every secret below (see Deploying)")
    database_url: str = setting("", "SQLAlchemy URL (`postgresql+psycopg://...`); empty: SQLite "
                                "file `instance/callq.sqlite3`", secret=True)
    redis_url: str = setting("", "Redis URL for RQ; empty: an embedded Redis server started by "
                             "`callq serve` (socket in `instance/`)", secret=True)
    public_base_url: str = setting(
        "http://127.0.0.1:5000", "Public URL of the service, as Twilio and clients reach it; "
        "signatures and links are built on it (`callq serve` sets it to its own address when "
        "unset)", secret=True)
    secret_key: str = setting("", "Signs sessions and booking links; empty: generated once into "
                              "`instance/secret_key`; production: at least 32 characters",
                              secret=True)
    instance_path: Path = setting(Path("instance"), "Folder for the SQLite file, outbox, "
                                  "generated secrets, recordings")
    timezone: str = setting("", "Zone in which times are shown; empty: the calendar's zone")
    calendar: str = setting("paris", "Starting point of the business calendar (until an "
                            "administrator saves hours): `paris`, `bern` or a JSON file path")
    language: str = setting("fr", "Default language of prompts, pages and emails (`fr`, `en`, "
                            "`de` or any catalog under `translations/`)")
    twilio_account_sid: str = setting("", "Twilio account; empty: calls and SMS are logged, not "
                                      "placed", secret=True)
    twilio_auth_token: str = setting("", "Checks `X-Twilio-Signature`; empty: a token generated "
                                     "once into `instance/twilio_token` (for the simulator)",
                                     secret=True)
    twilio_number: str = setting("", "The hotline's Twilio number (E.164), caller id of outbound "
                                 "calls", secret=True)
    smtp_url: str = setting("", "`smtp://user:pass@host:587` (STARTTLS) or `smtps://...`; empty: "
                            "emails are written to `instance/outbox/`", secret=True)
    mail_from: str = setting("support@callq.invalid", "Sender and ORGANIZER of invitations; "
                             "production: a real address (not on `.invalid`)", secret=True)
    api_token: str = setting("", "Bearer token of the JSON API; empty: the API is closed; "
                             "production: at least 32 characters", secret=True)
    queue_name: str = setting("callq", "RQ queue name")
    reconcile_seconds: float = setting(1.0, "How often the scheduler looks for due work")
    effect_lease_seconds: int = setting(120, "A running side effect not finished by then is "
                                        "taken as interrupted (its worker died) and run again")
    effect_max_attempts: int = setting(8, "Attempts before a side effect is marked failed")
    effect_retry_seconds: float = setting(10.0, "Delay before the first retry of a temporarily "
                                          "failed effect; each next one is 3 times longer, at "
                                          "most an hour")
    send_deadline_seconds: float = setting(60.0, "Total time one email, SMS or call request may "
                                           "take; must be shorter than the effect lease")
    enqueue_grace_seconds: float = setting(60.0, "A handed-over effect not started by then is "
                                           "handed over again")
    clock_tolerance_seconds: float = setting(5.0, "An effect counts as due when due within this "
                                             "many seconds (absorbs clock skew between "
                                             "machines); a job arriving earlier is deferred")
    clock_offset_seconds: float = setting(0.0, "Shifts this process's clock (clock-skew tests); "
                                          "refused in production")
    heartbeat_seconds: float = setting(5.0, "How often workers and the scheduler report alive; "
                                       "silent for 3 times this, they count as gone")
    overdue_seconds: int = setting(120, "`/healthz` answers 503 when an effect is this late")
    effect_retention_days: int = setting(30, "Done effects older than this are pruned by the "
                                         "scheduler")
    smtp_require_tls: bool = setting(True, "Refuse to send without TLS (STARTTLS or smtps); "
                                     "`false` only for a local relay without credentials")
    intake_safety_seconds: int = setting(900, "An incoming call with no news is filed after "
                                         "this; a live call still ringing agents is checked "
                                         "again, up to 4 times")
    slot_minutes: int = setting(30, "Length of an appointment slot (R12)")
    min_notice_minutes: int = setting(120, "Minimum notice before a bookable slot (R12)")
    horizon_days: int = setting(15, "How many working days ahead slots are offered (R12)")
    repeat_moves_back: bool = setting(True, "A repeated message moves its entry back (R8)")
    max_attempts: int = setting(3, "Unanswered callbacks before an entry waits for the client "
                                "(R10)")
    retry_delay_minutes: int = setting(60, "An unanswered entry returns to the list after (R10)")
    client_reminder_days: tuple[int, ...] = setting((10, 15), "Days waiting for the client "
                                                    "before each reminder (R10)")
    client_close_days: int = setting(20, "Days waiting for the client before the entry closes "
                                     "(R10)")
    claim_lease_seconds: int = setting(900, "How long a claim holds an entry (R10)")
    sla_days: tuple[int, ...] = setting((3, 5, 10, 15), "Business days to resolve, per tier "
                                        "critical,high,medium,low (R11)")
    first_response_days: int = setting(1, "Business days from a message to the first callback "
                                       "attempt (R11)")
    qualification_days: int = setting(2, "Business days from a message to its first "
                                      "qualification by an agent (R11)")
    due_soon_percent: int = setting(20, "A service-level clock is \"due soon\" in this last "
                                    "part of its time, in percent (R11)")
    appointment_reminder_minutes: tuple[int, ...] = setting(
        (1440, 60), "Minutes before an appointment when the client is reminded (R17)")
    appointment_check_minutes: int = setting(
        30, "Minutes before an appointment when callq checks its agent can make it, else hands "
        "it to a free agent or warns the client (R14)")
    appointment_max_no_shows: int = setting(
        3, "Unanswered appointment calls after which the appointment is cancelled instead of "
        "moved (R15)")
    current_series: str = setting("2026", "Product series supported by default; the previous "
                                  "one is on quote (R9); an administrator may save others")
    live_ring_seconds: int = setting(20, "Morning: ring agents this long before voicemail (R1)")
    lexicon_path: str = setting("", "JSON file replacing the built-in need lexicons, French or "
                                "German (R6-R8)")
    voice: str = setting("Polly.Lea", "Twilio text-to-speech voice for French prompts")
    voice_en: str = setting("Polly.Amy", "Twilio text-to-speech voice for English prompts")
    voice_de: str = setting("Polly.Vicki", "Twilio text-to-speech voice for German prompts "
                            "(callers are heard as Swiss German, `de-CH`)")
    docs_base_url: str = setting("https://docs.callq.invalid/", "Base of documentation links "
                                 "(R10)")
    link_max_age_days: int = setting(14, "Booking links expire after (R13)")
    login_max_failures: int = setting(5, "Failed logins per email and address before the login "
                                      "page answers 429")
    login_window_minutes: int = setting(15, "Window over which failed logins are counted")
    cancel_link_max_age_days: int = setting(45, "A client's link to cancel their callback "
                                            "expires after (R10)")
    hotline_name: str = setting("", "The hotline's name on every page and message; empty: "
                                "\"Technical support\" in the reader's language")
    hotline_phone: str = setting("", "The hotline's number given on every page and message "
                                 "(E.164); empty: `CALLQ_TWILIO_NUMBER`")
    mail_signature: str = setting("", "Sender signature closing every email; empty: \"The "
                                  "technical support team\" in the reader's language")
    logo_url: str = setting("", "Optional logo (an https URL, or a file under `callq/static/`) "
                            "shown on the client pages and emails")
    change_notice_minutes: int = setting(120, "Minimum notice to move or cancel an appointment "
                                         "online; inside it the client is asked to call")
    waitlist_offer_minutes: int = setting(60, "A freed slot offered to waiting clients stays "
                                          "offered this long (or until its minimum notice)")
    waitlist_offer_size: int = setting(3, "How many waiting clients are offered one freed slot "
                                       "at once, in list order")
    list_refresh_seconds: int = setting(10, "How often the agents' waiting-room page refreshes "
                                        "itself")
    mail_imap_host: str = setting("", "IMAP server `callq mail poll` reads the support address "
                                  "from; empty: emails come only through `callq mail receive`")
    mail_imap_port: int = setting(993, "Port of the IMAP server")
    mail_imap_tls: str = setting("ssl", "`ssl` (IMAPS), `starttls` or `none` (a server on "
                                 "loopback)")
    mail_imap_user: str = setting("", "IMAP login of the support mailbox")
    mail_imap_password: str = setting("", "IMAP password of the support mailbox")
    mail_imap_folder: str = setting("INBOX", "Folder whose emails are filed")
    mail_imap_done_folder: str = setting("callq-done", "Folder an email is moved to once filed "
                                         "(or ignored), after the commit")
    mail_max_bytes: int = setting(20_000_000, "Emails larger than this (attachments included) "
                                  "are not filed, with a log line")
    mail_daily_limit: int = setting(3, "Emails a client may send in a day; later ones are "
                                    "attached to an open need, not filed, and the client is "
                                    "told once (seeds)")
    mail_long_chars: int = setting(1500, "New text longer than this makes a \"long email\": "
                                   "filed with a badge, and the client is asked to call or "
                                   "book a slot (seeds)")
    mail_moves_back: bool = setting(True, "An email about an open need moves its entry back, "
                                    "like a repeated message (R8)")
    metrics_token: str = setting("", "Bearer token Prometheus presents to scrape `/metrics`; "
                                 "empty: `/metrics` is disabled (404)")
    log_format: str = setting("text", "`text` or `json`: one JSON object per log line, with the "
                              "request id and the Twilio CallSid")

    @property
    def production(self) -> bool:
        """Whether this is a production deployment (every secret required)."""
        return self.env == "production"

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (names in any case, values parsed like overrides)."""
        return _resolve(self, changes)


@dataclass(frozen=True)
class Field:
    """One setting as `callq config` and the production check see it."""

    name: str  # without the prefix, upper case
    attribute: str
    default: Any
    help: str
    parse: Callable[[str], Any]
    secret: bool


def _fields() -> tuple[Field, ...]:
    hints = typing.get_type_hints(Settings)
    return tuple(
        Field(f.name.upper(), f.name, f.default, f.metadata["help"], _parser(hints[f.name]),
              f.metadata["secret"])
        for f in dataclasses.fields(Settings)
    )


def _parser(hint: Any) -> Callable[[str], Any]:
    if isinstance(hint, types.GenericAlias) and hint not in _PARSERS:
        raise TypeError(f"no parser for settings of type {hint!r}")
    return _PARSERS[hint]


FIELDS: tuple[Field, ...] = _fields()
_BY_NAME = {f.name: f for f in FIELDS}


def _coerce(spec: Field, value: Any) -> Any:
    # Overrides may be given as text (like the environment) or already typed.
    if isinstance(value, str) and spec.parse is not str:
        return spec.parse(value)
    if spec.parse is _path:
        return _path(str(value))
    return value


def _resolve(base: Settings, changes: Mapping[str, Any]) -> Settings:
    values: dict[str, Any] = {}
    for key, value in changes.items():
        name = key.upper().removeprefix(PREFIX)
        spec = _BY_NAME.get(name)
        if spec is None:
            raise SettingsError(f"unknown setting {key!r}")
        try:
            values[spec.attribute] = _coerce(spec, value)
        except ValueError as exc:
            raise SettingsError(f"{PREFIX}{name}: {exc}") from None
    settings = dataclasses.replace(base, **values)
    _check(settings)
    return settings


def load_settings(
    environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Resolve defaults < environment < overrides, parsing each value; raise SettingsError."""
    from_env = {f.name: environ[PREFIX + f.name] for f in FIELDS if PREFIX + f.name in environ}
    settings = _resolve(Settings(instance_path=_path("instance")), from_env)
    settings = _resolve(settings, dict(overrides or {}))
    if settings.production:
        require_secrets(settings)
    return settings


def _check(settings: Settings) -> None:
    if settings.env not in ENVIRONMENTS:
        raise SettingsError(f"{PREFIX}ENV must be one of {', '.join(ENVIRONMENTS)}")
    if settings.log_format not in LOG_FORMATS:
        raise SettingsError(f"{PREFIX}LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
    if not 0 <= settings.due_soon_percent <= 100:
        raise SettingsError(f"{PREFIX}DUE_SOON_PERCENT must be from 0 to 100")
    if settings.first_response_days < 0 or settings.qualification_days < 0:
        raise SettingsError(f"{PREFIX}FIRST_RESPONSE_DAYS and {PREFIX}QUALIFICATION_DAYS must "
                            "be 0 or more")
    if settings.language not in languages():
        raise SettingsError(f"{PREFIX}LANGUAGE must be one of {', '.join(languages())}")
    if settings.mail_imap_tls not in IMAP_TLS:
        raise SettingsError(f"{PREFIX}MAIL_IMAP_TLS must be one of {', '.join(IMAP_TLS)}")
    if settings.send_deadline_seconds >= settings.effect_lease_seconds:
        raise SettingsError(
            f"{PREFIX}SEND_DEADLINE_SECONDS ({settings.send_deadline_seconds:g}) must be shorter "
            f"than {PREFIX}EFFECT_LEASE_SECONDS ({settings.effect_lease_seconds}): a send must "
            "end before its lease does")
    if settings.clock_offset_seconds and settings.production:
        raise SettingsError(f"{PREFIX}CLOCK_OFFSET_SECONDS is for tests; production runs on the "
                            "real clock")
    if not settings.smtp_require_tls and _smtp_has_credentials(settings.smtp_url):
        raise SettingsError(
            f"{PREFIX}SMTP_REQUIRE_TLS=false is only for a local relay without credentials: "
            f"{PREFIX}SMTP_URL carries a user name or password, which must not travel in clear")


def _smtp_has_credentials(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.username or parts.password)


def require_secrets(settings: Settings) -> None:
    """Production must not run on embedded defaults or weak secrets: name each one."""
    missing = [PREFIX + f.name for f in FIELDS if f.secret and not getattr(settings, f.attribute)]
    if settings.public_base_url.startswith("http://127.0.0.1"):
        missing.append(PREFIX + "PUBLIC_BASE_URL (still the local default)")
    if settings.mail_from.rstrip(">").lower().endswith(".invalid"):
        missing.append(PREFIX + "MAIL_FROM (still a placeholder address on .invalid)")
    missing += [f"{PREFIX}{name.upper()} (weak: {why})" for name in STRONG
                if (why := weakness(getattr(settings, name)))]
    if missing:
        raise SettingsError(
            "production needs these settings, which are missing or weak: " + ", ".join(missing)
        )


def weakness(secret: str) -> str | None:
    """Why a secret is too weak for production (None: it is not, or it is missing)."""
    if not secret:
        return None  # reported as missing
    if secret.strip().lower() in WELL_KNOWN or len(set(secret)) < 8:
        return "a well-known or repetitive value"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"shorter than {MIN_SECRET_LENGTH} characters"
    return None


def _shown_default(f: Field) -> str:
    default = f.default
    if isinstance(default, tuple):
        default = ",".join(map(str, default))
    if isinstance(default, bool):
        default = str(default).lower()
    return f"`{default}`" if default != "" else "(empty)"


def settings_table() -> str:
    """The configuration table, in Markdown, as the README shows it."""
    rows = ["| Setting | Default | Meaning |", "|---|---|---|"]
    rows += [f"| `{PREFIX}{f.name}` | {_shown_default(f)} | {f.help} |" for f in FIELDS]
    return "\n".join(rows)
