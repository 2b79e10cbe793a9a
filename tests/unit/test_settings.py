"""Settings: defaults < environment < overrides; production refuses embedded defaults."""

import re
from pathlib import Path

import pytest

from callq.settings import FIELDS, SettingsError, load_settings, settings_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_give_an_embedded_development_setup():
    settings = load_settings({})
    assert settings.env == "development"
    assert settings.database_url == ""
    assert settings.slot_minutes == 30
    assert settings.client_reminder_days == (10, 15)
    assert settings.repeat_moves_back is True


def test_environment_overrides_defaults_and_overrides_win():
    env = {"CALLQ_SLOT_MINUTES": "45", "CALLQ_REPEAT_MOVES_BACK": "no", "CALLQ_LANGUAGE": "en"}
    settings = load_settings(env, {"slot_minutes": 20})
    assert settings.slot_minutes == 20
    assert settings.repeat_moves_back is False
    assert settings.language == "en"


@pytest.mark.parametrize(
    ("name", "raw"),
    [("CALLQ_SLOT_MINUTES", "half an hour"), ("CALLQ_REPEAT_MOVES_BACK", "maybe"),
     ("CALLQ_SLA_DAYS", "3,x"), ("CALLQ_ENV", "staging"), ("CALLQ_LANGUAGE", "xx")],
)
def test_a_malformed_setting_is_named_in_the_error(name, raw):
    with pytest.raises(SettingsError, match=name):
        load_settings({name: raw})


def test_an_unknown_override_is_refused():
    with pytest.raises(SettingsError, match="unknown setting"):
        load_settings({}, {"no_such_thing": 1})


def test_production_refuses_to_start_naming_each_missing_secret():
    env = {"CALLQ_ENV": "production", "CALLQ_DATABASE_URL": "postgresql+psycopg://db/callq"}
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    message = str(error.value)
    for name in ("CALLQ_REDIS_URL", "CALLQ_SECRET_KEY", "CALLQ_TWILIO_AUTH_TOKEN",
                 "CALLQ_SMTP_URL", "CALLQ_API_TOKEN", "CALLQ_PUBLIC_BASE_URL"):
        assert name in message
    assert "CALLQ_DATABASE_URL" not in message


STRONG = {
    "CALLQ_DATABASE_URL": "postgresql+psycopg://callq:pw@db/callq",
    "CALLQ_REDIS_URL": "redis://cache:6379/0",
    "CALLQ_PUBLIC_BASE_URL": "https://callq.example.com",
    "CALLQ_SECRET_KEY": "Jx3vQ9-pLr7Tz2mWk5Yb8Nc4Hd6Fg1Sa0Ue_Oi",
    "CALLQ_TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
    "CALLQ_TWILIO_AUTH_TOKEN": "fedcba9876543210" * 2,
    "CALLQ_TWILIO_NUMBER": "+33970000000",
    "CALLQ_SMTP_URL": "smtps://callq:pw@mail.example.com:465",
    "CALLQ_MAIL_FROM": "Support <support@example.com>",
    "CALLQ_API_TOKEN": "q8Zr2Lw5Tx9Kb3Vn7Hm1Pc4Jd6Fs0Gy_Ae-Ui",
}


def test_production_starts_when_every_secret_is_given():
    assert set(STRONG) == {f"CALLQ_{f.name}" for f in FIELDS if f.secret}
    assert load_settings({**STRONG, "CALLQ_ENV": "production"}).production


@pytest.mark.parametrize(("name", "value", "why"), [
    ("CALLQ_SECRET_KEY", "x", "well-known or repetitive"),
    ("CALLQ_SECRET_KEY", "changeme", "well-known or repetitive"),
    ("CALLQ_SECRET_KEY", "a" * 64, "well-known or repetitive"),
    ("CALLQ_SECRET_KEY", "k3Y-0f-31-chars-Abcdefghijklmnop"[:31], "shorter than 32"),
    ("CALLQ_API_TOKEN", "short-token-1234", "shorter than 32"),
    ("CALLQ_API_TOKEN", "secret", "well-known or repetitive"),
])
def test_production_refuses_a_weak_secret_naming_the_setting(name, value, why):
    with pytest.raises(SettingsError) as error:
        load_settings({**STRONG, "CALLQ_ENV": "production", name: value})
    assert f"{name} (weak: " in str(error.value) and why in str(error.value)


def test_production_refuses_a_blank_api_token_and_the_placeholder_sender():
    env = {**STRONG, "CALLQ_ENV": "production", "CALLQ_API_TOKEN": "",
           "CALLQ_MAIL_FROM": "support@callq.invalid"}
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    assert "CALLQ_API_TOKEN" in str(error.value)
    assert "CALLQ_MAIL_FROM (still a placeholder" in str(error.value)


def test_readme_lists_exactly_what_production_requires():
    readme = README.read_text(encoding="utf-8")
    paragraph = next(p for p in readme.split("\n\n") if p.startswith("With `CALLQ_ENV=production`"))
    named = set(re.findall(r"`(CALLQ_[A-Z_]+)`", paragraph)) - {"CALLQ_ENV"}
    assert named == {f"CALLQ_{f.name}" for f in FIELDS if f.secret}


def test_readme_configuration_table_matches_the_code():
    readme = README.read_text(encoding="utf-8")
    assert settings_table() in readme, "regenerate the README table with `callq config`"
