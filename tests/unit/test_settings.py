"""Settings: defaults < environment < overrides; production refuses embedded defaults."""

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


def test_production_starts_when_every_secret_is_given():
    env = {f"CALLQ_{f.name}": "x" for f in FIELDS if f.secret}
    env.update(CALLQ_ENV="production", CALLQ_PUBLIC_BASE_URL="https://callq.example.com")
    assert load_settings(env).production


def test_readme_configuration_table_matches_the_code():
    readme = README.read_text(encoding="utf-8")
    assert settings_table() in readme, "regenerate the README table with `callq config`"
