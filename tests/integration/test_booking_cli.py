"""`callq invite` (R13): an administrator sends a client a booking link by email (and SMS)."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from callq.cli import main
from callq.models import SideEffect, utcnow
from scheduling import links
from tests.planner_support import add_entry, entry, short_target


def _env(runtime):
    settings = runtime.settings
    return {"CALLQ_DATABASE_URL": settings.database_url, "CALLQ_INSTANCE_PATH":
            str(settings.instance_path), "CALLQ_SECRET_KEY": settings.secret_key,
            "CALLQ_REDIS_URL": "redis://127.0.0.1:1/0", "CALLQ_ENV": "test",
            "CALLQ_PUBLIC_BASE_URL": settings.public_base_url, "CALLQ_TWILIO_ACCOUNT_SID": ""}


def _effects(runtime):
    with runtime.sessions() as session:
        return {e.kind: e.payload for e in session.scalars(select(SideEffect))}


def test_r13_callq_invite_sends_a_signed_link_by_email_and_sms(runtime):
    entry_id = add_entry(runtime)
    result = CliRunner().invoke(main, [
        "invite", "--email", "helene@clinique.example", "--phone", "06 12 34 56 78",
        "--entry", str(entry_id), "--name", "Hélène Dupont"], env=_env(runtime))
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]
    assert url.startswith("https://callq.example.test/book/")
    # The command runs on the real clock, not the tests' frozen one.
    grant = links.read_booking(runtime.settings.secret_key, url.split("/book/")[1],
                               utcnow(), links.max_age(runtime))
    assert (grant.entry_id, grant.email, grant.phone, grant.name, grant.lang) == (
        entry_id, "helene@clinique.example", "+33612345678", "Hélène Dupont", "fr")
    sent = _effects(runtime)
    assert sent["email"]["to"] == "helene@clinique.example" and url in sent["email"]["text"]
    assert sent["sms"]["to"] == "+33612345678" and runtime.url(
        short_target(runtime, sent["sms"]["body"])) == url
    assert [e.kind for e in entry(runtime, entry_id).events] == ["booking_link_sent"]


def test_r13_callq_invite_refuses_bad_input_clearly_and_sends_nothing(runtime):
    for args, reason in (
        (["--email", "not-an-address"], "not an email address"),
        (["--email", "a@b.example", "--phone", "12"], "not a phone number"),
        (["--email", "a@b.example", "--entry", "999"], "no waiting-room entry #999"),
    ):
        result = CliRunner().invoke(main, ["invite", *args], env=_env(runtime))
        assert result.exit_code == 1 and reason in result.output, result.output
        assert "Traceback" not in result.output
    assert _effects(runtime) == {}
