"""Adapters at the edge: the outbox mailer, the logging gateway, Twilio's REST boundary."""

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from sqlalchemy import select

from callq.adapters.mail import OutboxMailer, SMTPMailer
from callq.adapters.telephony import LoggingGateway, TwilioGateway
from callq.models import GatewayRecord
from callq.ports import DeliveryError, PermanentFailure
from tests.fakes import FakeTwilioHttp


def _message(subject="Rendez-vous confirmé"):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "s@x.fr", "c@y.fr", subject
    message.set_content("Bonjour, à demain.")
    return message


def test_outbox_mailer_writes_one_parseable_file_per_key(tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox")
    mailer.send(_message(), "fx-1")
    mailer.send(_message(), "fx-1")
    files = list((tmp_path / "outbox").iterdir())
    assert [f.name for f in files] == ["fx-1.eml"]
    parsed = BytesParser(policy=policy.default).parse(files[0].open("rb"))
    assert parsed["Subject"] == "Rendez-vous confirmé"
    assert parsed.get_content().strip() == "Bonjour, à demain."


def test_smtp_url_is_parsed_and_a_bad_one_is_refused():
    mailer = SMTPMailer("smtp://agent%40x:p%40ss@mail.example.com:2525")
    assert (mailer.host, mailer.port, mailer.user, mailer.password) == \
        ("mail.example.com", 2525, "agent@x", "p@ss")
    assert SMTPMailer("smtps://mail.example.com").port == 465
    try:
        SMTPMailer("mail.example.com")
    except ValueError as exc:
        assert "CALLQ_SMTP_URL" in str(exc)
    else:
        raise AssertionError("a URL without scheme must be refused")


def test_logging_gateway_records_each_call_once_per_key(runtime):
    gateway = LoggingGateway(runtime.sessions, "+33970000000")
    sid = gateway.place_call(to="+33612345678", url="https://x/twiml", status_callback="https://x/s",
                             key="call-1")
    again = gateway.place_call(to="+33612345678", url="https://x/twiml",
                               status_callback="https://x/s", key="call-1")
    sms = gateway.send_sms(to="+33612345678", body="Réservez : https://x/b", key="sms-1")
    assert sid == again and sid.startswith("CA") and sms.startswith("SM")
    with runtime.sessions() as session:
        records = session.scalars(select(GatewayRecord).order_by(GatewayRecord.id)).all()
    assert [(r.kind, r.to_number) for r in records] == [("call", "+33612345678"),
                                                         ("sms", "+33612345678")]
    # A provider would have placed the repeated call: the record counts it (fault tests do).
    assert [r.params.get("repeats", 0) for r in records] == [1, 0]
    assert records[1].body == "Réservez : https://x/b"


def test_twilio_gateway_sends_the_documented_calls_create_request():
    http = FakeTwilioHttp()
    gateway = TwilioGateway("AC" + "0" * 32, "tok", "+33970000000", http_client=http)
    sid = gateway.place_call(to="+33612345678", url="https://callq.example/twilio/outbound",
                             status_callback="https://callq.example/twilio/call-status",
                             key="k", machine_detection=True)
    request = http.requests[0]
    assert sid.startswith("CA")
    assert request["method"] == "POST"
    assert request["url"] == f"https://api.twilio.com/2010-04-01/Accounts/AC{'0' * 32}/Calls.json"
    assert request["auth"] == ("AC" + "0" * 32, "tok")
    data = request["data"]
    assert (data["To"], data["From"], data["MachineDetection"]) == \
        ("+33612345678", "+33970000000", "Enable")
    assert data["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]


def test_twilio_refusals_are_permanent_and_its_failures_temporary():
    def gateway(status):
        http = FakeTwilioHttp(replies=[(status, {"code": 21211, "message": "why",
                                                 "status": status})])
        return TwilioGateway("AC" + "0" * 32, "tok", "+33970000000", http_client=http)

    with pytest.raises(PermanentFailure, match="HTTP 400"):
        gateway(400).send_sms(to="+33612345678", body="x", key="k")
    for status in (429, 500, 503):
        with pytest.raises(DeliveryError) as failed:
            gateway(status).place_call(to="+33612345678", url="https://x/a",
                                       status_callback="https://x/s", key="k")
        assert not isinstance(failed.value, PermanentFailure)
