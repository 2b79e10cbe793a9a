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

from callq.i18n import languages

PREFIX = "CALLQ_"
ENVIRONMENTS = ("development", "production", "test")


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
                       "requires every secret below")
    database_url: str = setting("", "SQLAlchemy URL (`postgresql+psycopg://...`); empty: SQLite "
                                "file `instance/callq.sqlite3`", secret=True)
    redis_url: str = setting("", "Redis URL for RQ; empty: an embedded Redis server started by "
                             "`callq serve` (socket in `instance/`)", secret=True)
    public_base_url: str = setting(
        "http://127.0.0.1:5000", "Public URL of the service, as Twilio and clients reach it; "
        "signatures and links are built on it (`callq serve` sets it to its own address when "
        "unset)", secret=True)
    secret_key: str = setting("", "Signs sessions and booking links; empty: generated once into "
                              "`instance/secret_key`", secret=True)
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
    mail_from: str = setting("support@callq.invalid", "Sender and ORGANIZER of invitations",
                             secret=True)
    api_token: str = setting("", "Bearer token of the JSON API; empty: the API is closed",
                             secret=True)
    queue_name: str = setting("callq", "RQ queue name")
    reconcile_seconds: float = setting(1.0, "How often the scheduler looks for due work")
    effect_lease_seconds: int = setting(120, "A running side effect not finished by then is "
                                        "retried")
    effect_max_attempts: int = setting(5, "Attempts before a side effect is marked failed")
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
    list_refresh_seconds: int = setting(10, "How often the agents' waiting-room page refreshes "
                                        "itself")

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
    if settings.language not in languages():
        raise SettingsError(f"{PREFIX}LANGUAGE must be one of {', '.join(languages())}")


def require_secrets(settings: Settings) -> None:
    """Production must not run on embedded defaults: name every missing secret."""
    missing = [PREFIX + f.name for f in FIELDS if f.secret and not getattr(settings, f.attribute)]
    if settings.public_base_url.startswith("http://127.0.0.1"):
        missing.append(PREFIX + "PUBLIC_BASE_URL (still the local default)")
    if missing:
        raise SettingsError(
            "production needs these settings, which are missing: " + ", ".join(missing)
        )


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
