"""Settings: defaults, then the environment (`CALLQ_*`), then explicit overrides.

Every setting is declared once in `FIELDS`; the parser, the production check, `callq config`
and the README's configuration table all read that one declaration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREFIX = "CALLQ_"


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


@dataclass(frozen=True)
class Field:
    """One setting: its name (without prefix), parser, default, help and whether it is secret."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str
    secret: bool = False  # production refuses to start without it


FIELDS: tuple[Field, ...] = (
    Field("ENV", "development", "`development`, `production` or `test`; production requires "
          "every secret below"),
    Field("DATABASE_URL", "", "SQLAlchemy URL (`postgresql+psycopg://...`); empty: SQLite file "
          "`instance/callq.sqlite3`", secret=True),
    Field("REDIS_URL", "", "Redis URL for RQ; empty: an embedded Redis server started by "
          "`callq serve` (socket in `instance/`)", secret=True),
    Field("PUBLIC_BASE_URL", "http://127.0.0.1:5000", "Public URL of the service, as Twilio and "
          "clients reach it; signatures and links are built on it (`callq serve` sets it to "
          "its own address when unset)", secret=True),
    Field("SECRET_KEY", "", "Signs sessions and booking links; empty: generated once into "
          "`instance/secret_key`", secret=True),
    Field("INSTANCE_PATH", "instance", "Folder for the SQLite file, outbox, generated secrets, "
          "recordings"),
    Field("TIMEZONE", "", "Zone in which times are shown; empty: the calendar's zone"),
    Field("CALENDAR", "paris", "Business calendar: `paris`, `bern` or a JSON file path"),
    Field("LANGUAGE", "fr", "Default language of prompts, pages and emails (`fr` or `en`)"),
    Field("TWILIO_ACCOUNT_SID", "", "Twilio account; empty: calls and SMS are logged, not placed",
          secret=True),
    Field("TWILIO_AUTH_TOKEN", "", "Checks `X-Twilio-Signature`; empty: a token generated once "
          "into `instance/twilio_token` (for the simulator)", secret=True),
    Field("TWILIO_NUMBER", "", "The hotline's Twilio number (E.164), caller id of outbound calls",
          secret=True),
    Field("SMTP_URL", "", "`smtp://user:pass@host:587` (STARTTLS) or `smtps://...`; empty: emails "
          "are written to `instance/outbox/`", secret=True),
    Field("MAIL_FROM", "support@callq.invalid", "Sender and ORGANIZER of invitations",
          secret=True),
    Field("API_TOKEN", "", "Bearer token of the JSON API; empty: the API is closed",
          secret=True),
    Field("QUEUE_NAME", "callq", "RQ queue name"),
    Field("RECONCILE_SECONDS", 1.0, "How often the scheduler looks for due work", float),
    Field("EFFECT_LEASE_SECONDS", 120, "A running side effect not finished by then is retried",
          int),
    Field("EFFECT_MAX_ATTEMPTS", 5, "Attempts before a side effect is marked failed", int),
    Field("SLOT_MINUTES", 30, "Length of an appointment slot (R12)", int),
    Field("MIN_NOTICE_MINUTES", 120, "Minimum notice before a bookable slot (R12)", int),
    Field("HORIZON_DAYS", 15, "How many working days ahead slots are offered (R12)", int),
    Field("REPEAT_MOVES_BACK", True, "A repeated message moves its entry back (R8)", _bool),
    Field("MAX_ATTEMPTS", 3, "Unanswered callbacks before an entry waits for the client (R10)",
          int),
    Field("RETRY_DELAY_MINUTES", 60, "An unanswered entry returns to the list after (R10)", int),
    Field("CLIENT_REMINDER_DAYS", (10, 15), "Days waiting for the client before each reminder "
          "(R10)", _int_list),
    Field("CLIENT_CLOSE_DAYS", 20, "Days waiting for the client before the entry closes (R10)",
          int),
    Field("CLAIM_LEASE_SECONDS", 900, "How long a claim holds an entry (R10)", int),
    Field("SLA_DAYS", (3, 5, 10, 15), "Business days to resolve, per tier critical,high,medium,"
          "low (R11)", _int_list),
    Field("APPOINTMENT_REMINDER_MINUTES", (1440, 60), "Minutes before an appointment when the "
          "client is reminded (R17)", _int_list),
    Field("APPOINTMENT_CHECK_MINUTES", 30, "Minutes before an appointment when callq checks its "
          "agent can make it, else hands it to a free agent or warns the client (R14)", int),
    Field("APPOINTMENT_MAX_NO_SHOWS", 3, "Unanswered appointment calls after which the "
          "appointment is cancelled instead of moved (R15)", int),
    Field("CURRENT_SERIES", "2026", "Product series supported; the previous one is on quote (R9)"),
    Field("LIVE_RING_SECONDS", 20, "Morning: ring agents this long before voicemail (R1)", int),
    Field("LEXICON_PATH", "",
          "JSON file replacing the built-in need lexicons, French or German (R6-R8)"),
    Field("VOICE", "Polly.Lea", "Twilio text-to-speech voice for French prompts"),
    Field("VOICE_EN", "Polly.Amy", "Twilio text-to-speech voice for English prompts"),
    Field("DOCS_BASE_URL", "https://docs.callq.invalid/", "Base of documentation links (R10)"),
    Field("LINK_MAX_AGE_DAYS", 14, "Booking links expire after (R13)", int),
    Field("LOGIN_MAX_FAILURES", 5, "Failed logins per email and address before the login page "
          "answers 429", int),
    Field("LOGIN_WINDOW_MINUTES", 15, "Window over which failed logins are counted", int),
    Field("CANCEL_LINK_MAX_AGE_DAYS", 45, "A client's link to cancel their callback expires "
          "after (R10)", int),
    Field("LIST_REFRESH_SECONDS", 10, "How often the agents' waiting-room page refreshes "
          "itself", int),
)

_BY_NAME = {f.name: f for f in FIELDS}


@dataclass(frozen=True)
class Settings:
    """The resolved settings, one attribute per field in lower case."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name.upper()]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def production(self) -> bool:
        return self.values["ENV"] == "production"

    @property
    def instance_path(self) -> Path:
        return Path(self.values["INSTANCE_PATH"]).resolve()

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some settings changed (names in any case)."""
        merged = dict(self.values)
        merged.update({k.upper(): v for k, v in changes.items()})
        return dataclasses.replace(self, values=merged)


def load_settings(
    environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Resolve defaults < environment < overrides, parsing each value; raise SettingsError."""
    values: dict[str, Any] = {}
    for f in FIELDS:
        values[f.name] = f.default
        raw = environ.get(PREFIX + f.name)
        if raw is not None:
            try:
                values[f.name] = f.parse(raw)
            except ValueError as exc:
                raise SettingsError(f"{PREFIX}{f.name}: {exc}") from None
    for key, value in (overrides or {}).items():
        name = key.upper().removeprefix(PREFIX)
        if name not in _BY_NAME:
            raise SettingsError(f"unknown setting {key!r}")
        values[name] = value
    if values["ENV"] not in {"development", "production", "test"}:
        raise SettingsError(f"{PREFIX}ENV must be development, production or test")
    if values["LANGUAGE"] not in {"fr", "en"}:
        raise SettingsError(f"{PREFIX}LANGUAGE must be fr or en")
    settings = Settings(values)
    if settings.production:
        require_secrets(settings)
    return settings


def require_secrets(settings: Settings) -> None:
    """Production must not run on embedded defaults: name every missing secret."""
    missing = [PREFIX + f.name for f in FIELDS if f.secret and not settings.values[f.name]]
    if settings.values["PUBLIC_BASE_URL"].startswith("http://127.0.0.1"):
        missing.append(PREFIX + "PUBLIC_BASE_URL (still the local default)")
    if missing:
        raise SettingsError(
            "production needs these settings, which are missing: " + ", ".join(missing)
        )


def settings_table() -> str:
    """The configuration table, in Markdown, as the README shows it."""
    rows = ["| Setting | Default | Meaning |", "|---|---|---|"]
    for f in FIELDS:
        default = ",".join(map(str, f.default)) if isinstance(f.default, tuple) else f.default
        if isinstance(default, bool):
            default = str(default).lower()
        shown = f"`{default}`" if default != "" else "(empty)"
        rows.append(f"| `{PREFIX}{f.name}` | {shown} | {f.help} |")
    return "\n".join(rows)
