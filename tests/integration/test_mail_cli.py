"""`callq mail receive`, the pipe transport (issue 18): exit 0 when the email is filed or
deliberately ignored (with a log line), 75 only when the MTA must keep it and retry."""

from __future__ import annotations

from click.testing import CliRunner

from callq.cli import main
from callq.models import Message, WaitingEntry
from tests.mail_support import sample
from tests.voice_support import rows


def _env(runtime, **extra):
    settings = runtime.settings
    return {"CALLQ_DATABASE_URL": settings.database_url, "CALLQ_INSTANCE_PATH":
            str(settings.instance_path), "CALLQ_SECRET_KEY": settings.secret_key,
            "CALLQ_REDIS_URL": "redis://127.0.0.1:1/0", "CALLQ_ENV": "test",
            "CALLQ_PUBLIC_BASE_URL": settings.public_base_url, "CALLQ_TWILIO_ACCOUNT_SID": "",
            "CALLQ_MAIL_FROM": settings.mail_from, **extra}


def _receive(runtime, raw, **extra):
    return CliRunner().invoke(main, ["mail", "receive"], input=raw, env=_env(runtime, **extra))


def test_callq_mail_receive_files_an_email_read_on_standard_input(runtime):
    result = _receive(runtime, sample("thunderbird_qp_fr.eml"))
    assert result.exit_code == 0, result.output
    [entry] = rows(runtime, WaitingEntry)
    assert result.output.strip() == f"filed (entry {entry.id})"
    again = _receive(runtime, sample("thunderbird_qp_fr.eml"))
    assert (again.exit_code, again.output.strip()) == (0, "duplicate: already filed")
    assert len(rows(runtime, Message)) == 1


def test_callq_mail_receive_ignores_bad_input_with_exit_code_0_and_no_entry(runtime):
    for name, reason in (("auto_reply_ooo.eml", "auto_reply"), ("bounce.eml", "bounce"),
                         ("broken_mime.eml", "no_sender")):
        result = _receive(runtime, sample(name))
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"ignored: {reason}")
        assert "Traceback" not in result.output
    huge = _receive(runtime, sample("attachments_fr.eml"), CALLQ_MAIL_MAX_BYTES="500")
    assert (huge.exit_code, huge.output.split(":")[:2]) == (0, ["ignored", " too_large"])
    assert rows(runtime, WaitingEntry) == [] and rows(runtime, Message) == []


def test_callq_mail_receive_asks_the_mta_to_retry_when_the_database_is_down(runtime):
    down = _receive(runtime, sample("thunderbird_qp_fr.eml"),
                    CALLQ_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert down.exit_code == 75
    misconfigured = _receive(runtime, sample("thunderbird_qp_fr.eml"),
                             CALLQ_MAIL_IMAP_TLS="sometimes")
    assert misconfigured.exit_code == 75 and "CALLQ_MAIL_IMAP_TLS" in misconfigured.output
    assert rows(runtime, Message) == []
