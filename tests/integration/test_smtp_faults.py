"""The SMTP mailer against a real aiosmtpd server that misbehaves: what each failure means for
a resend, the total deadline, and credentials that never travel in clear (issues 9 and 10)."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from callq.adapters.mail import SMTPMailer
from callq.ports import DeliveryError, PermanentFailure, UnconfirmedDelivery
from callq.settings import SettingsError, load_settings
from tests.smtp_sink import DEFER, HANG, SILENT, SLOW, Sink


@pytest.fixture
def sink() -> Iterator[Sink]:
    server = Sink().start()
    yield server
    server.stop()


def _message(to: str = "client@example.com") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "support@callq.example", to, "Rappel"
    message["Message-ID"] = "<fx-1@callq.example>"
    message.set_content("Bonjour")
    return message


def _mailer(sink: Sink, deadline: float = 5.0, credentials: str = "") -> SMTPMailer:
    return SMTPMailer(f"smtp://{credentials}127.0.0.1:{sink.port}", deadline=deadline,
                      require_tls=bool(credentials))


def test_credentials_are_never_sent_to_a_server_without_starttls(sink):
    with smtplib.SMTP("127.0.0.1", sink.port) as plain:  # the server takes AUTH in clear...
        plain.login("someone", "anything")
    assert len(sink.auth_attempts) == 1
    with pytest.raises(DeliveryError, match="CALLQ_SMTP_REQUIRE_TLS") as refused:
        _mailer(sink, credentials="agent:s3cret@").send(_message(), "fx-1")
    assert "STARTTLS" in str(refused.value)
    assert len(sink.auth_attempts) == 1 and sink.taken == []  # ...but callq sent nothing
    forced = SMTPMailer(f"smtp://agent:s3cret@127.0.0.1:{sink.port}", require_tls=False)
    with pytest.raises(DeliveryError, match="CALLQ_SMTP_REQUIRE_TLS"):
        forced.send(_message(), "fx-1")  # credentials in the URL: TLS whatever the flag
    assert len(sink.auth_attempts) == 1


def test_a_local_relay_without_credentials_may_be_used_in_clear_only_when_said_so(sink):
    with pytest.raises(DeliveryError, match="CALLQ_SMTP_REQUIRE_TLS"):
        SMTPMailer(f"smtp://127.0.0.1:{sink.port}").send(_message(), "fx-1")
    _mailer(sink).send(_message(), "fx-1")
    assert list(sink.counts().items()) == [("<fx-1@callq.example>", 1)]


def test_the_opt_out_is_refused_with_credentials_in_the_url():
    with pytest.raises(SettingsError, match="CALLQ_SMTP_REQUIRE_TLS"):
        load_settings({"CALLQ_SMTP_URL": "smtp://agent:pw@relay.example:25",
                       "CALLQ_SMTP_REQUIRE_TLS": "false"})
    assert load_settings({"CALLQ_SMTP_URL": "smtp://relay.example:25",
                          "CALLQ_SMTP_REQUIRE_TLS": "false"}).smtp_require_tls is False


def test_a_5xx_refusal_is_permanent(sink):
    sink.refuse.add("nobody@example.com")
    with pytest.raises(PermanentFailure, match="550"):
        _mailer(sink).send(_message("nobody@example.com"), "fx-1")


def test_a_4xx_answer_is_temporary(sink):
    sink.switch(DEFER)
    with pytest.raises(DeliveryError, match="451") as deferred:
        _mailer(sink).send(_message(), "fx-1")
    assert not isinstance(deferred.value, PermanentFailure)


def test_silence_after_the_final_dot_is_unconfirmed_and_the_server_has_the_message(sink):
    sink.switch(SILENT, delay=5)
    with pytest.raises(UnconfirmedDelivery):
        _mailer(sink, deadline=1.0).send(_message(), "fx-1")
    assert len(sink.taken) == 1


def test_a_server_too_slow_for_the_deadline_before_the_dot_took_nothing(sink):
    sink.switch(SLOW, delay=0.6)  # EHLO, MAIL, RCPT: the deadline passes before DATA
    with pytest.raises(DeliveryError) as slow:
        _mailer(sink, deadline=1.0).send(_message(), "fx-1")
    assert not isinstance(slow.value, UnconfirmedDelivery) and sink.taken == []


def test_a_slow_answer_within_the_deadline_is_a_success(sink):
    sink.switch(SLOW, delay=0.3)  # every reply late, the confirmation too
    _mailer(sink, deadline=5.0).send(_message(), "fx-1")
    assert sink.counts() == {"<fx-1@callq.example>": 1}


def test_a_server_that_never_greets_is_given_up_at_the_deadline(sink):
    sink.switch(HANG)
    with pytest.raises(DeliveryError) as hung:
        _mailer(sink, deadline=0.5).send(_message(), "fx-1")
    assert not isinstance(hung.value, UnconfirmedDelivery)
    sink.switch("accept")
    _mailer(sink).send(_message(), "fx-1")  # back: the same port serves again
    assert len(sink.taken) == 1
