"""Twilio voice webhooks over HTTP: signatures, bad input, modes by calendar, the conversation."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from callq import db
from callq.app import create_app
from callq.effects import reconcile
from callq.models import Absence, Call, EntryEvent, Message, SideEffect, WaitingEntry
from callq.status import Tier
from scheduling.calendar import Mode
from tests.conftest import run_due_jobs, settings_for
from tests.voice_support import (
    BASE,
    add_agent,
    add_client,
    call_sid,
    call_status,
    dial_done,
    incoming,
    post,
    record_action,
    recording_sid,
    recording_status,
    recording_url,
    rows,
    speech,
    spoken,
    twiml,
    verbs,
)

ROUTES = {
    "/twilio/voice": incoming(1),
    "/twilio/dial-done": dial_done(1, "no-answer"),
    "/twilio/gather": speech(1, "Le serveur est en panne"),
    "/twilio/record": record_action(1),
    "/twilio/recording-status": recording_status(1),
    "/twilio/call-status": call_status(1),
}


def counts(runtime):
    with runtime.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (Call, Message, WaitingEntry, SideEffect, EntryEvent))


@pytest.mark.parametrize("path", list(ROUTES))
@pytest.mark.parametrize("forgery", ["unsigned", "garbage", "other-token", "http-url",
                                     "tampered"])
def test_unsigned_or_forged_requests_get_403_and_change_nothing(app, runtime, path, forgery):
    client, params = app.test_client(), dict(ROUTES[path])
    if forgery == "unsigned":
        response = client.post(path, data=params)
    elif forgery == "garbage":
        response = post(client, path, params, signature="bm90IGEgc2lnbmF0dXJl")
    elif forgery == "other-token":
        response = post(client, path, params, token="someone-else")
    elif forgery == "http-url":  # signed for the URL behind the proxy, not the public one
        response = post(client, "http://callq.example.test" + path, params)
    else:  # signed, then changed on the way
        signature = RequestValidator("test-twilio-token").compute_signature(BASE + path, params)
        params["From"] = "+33699999999"
        response = client.post(path, data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert response.get_json()["reason"] == "invalid or missing X-Twilio-Signature"
    assert counts(runtime) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(("signed_over", "status"), [
    ("https://callq.example.test:443/twilio/call-status", 204),  # Twilio's form with the port
    ("https://callq.example.test:8443/twilio/call-status", 403),  # another port: another URL
])
def test_a_signature_over_the_public_url_with_its_default_port_is_twilio_s(app, runtime,
                                                                          signed_over, status):
    params = dict(ROUTES["/twilio/call-status"])
    signature = RequestValidator("test-twilio-token").compute_signature(signed_over, params)
    response = app.test_client().post("/twilio/call-status", data=params,
                                      headers={"X-Twilio-Signature": signature})
    assert response.status_code == status
    assert (counts(runtime)[0] == 1) is (status == 204)


@pytest.mark.parametrize(("path", "change", "named"), [
    ("/twilio/voice", {"CallSid": None}, "CallSid"),
    ("/twilio/voice", {"CallSid": "CA123"}, "CallSid"),
    ("/twilio/voice", {"CallStatus": "dancing"}, "CallStatus"),
    ("/twilio/voice", {"CallqSimulatedAt": "yesterday"}, "CallqSimulatedAt"),
    ("/twilio/voice", {"CallqSimulatedAt": "2026-03-30T09:00:00"}, "CallqSimulatedAt"),
    ("/twilio/dial-done", {"DialCallStatus": "maybe"}, "DialCallStatus"),
    ("/twilio/dial-done", {"DialCallStatus": None}, "DialCallStatus"),
    ("/twilio/gather", {"Confidence": "high"}, "Confidence"),
    ("/twilio/gather", {"Confidence": "1.5"}, "Confidence"),
    ("/twilio/gather", {"CallSid": "CA" + "g" * 32}, "CallSid"),
    ("/twilio/record", {"RecordingUrl": "http://api.twilio.com/2010-04-01/x"}, "RecordingUrl"),
    ("/twilio/record", {"RecordingUrl": "https://api.twilio.com.evil.example/x"},
     "RecordingUrl"),
    ("/twilio/record", {"RecordingUrl": None}, "RecordingUrl"),
    ("/twilio/record", {"RecordingDuration": "-3"}, "RecordingDuration"),
    ("/twilio/record", {"RecordingSid": "RE-nope"}, "RecordingSid"),
    ("/twilio/recording-status", {"RecordingSid": None}, "RecordingSid"),
    ("/twilio/recording-status", {"RecordingStatus": "weird"}, "RecordingStatus"),
    ("/twilio/recording-status", {"RecordingUrl": "file:///etc/passwd"}, "RecordingUrl"),
    ("/twilio/call-status", {"CallStatus": None}, "CallStatus"),
    ("/twilio/call-status", {"SequenceNumber": "third"}, "SequenceNumber"),
    ("/twilio/call-status", {"CallDuration": "1e9"}, "CallDuration"),
])
def test_malformed_or_missing_fields_get_400_with_a_reason_and_write_nothing(app, runtime, path,
                                                                             change, named):
    params = {**ROUTES[path], **change}
    params = {k: v for k, v in params.items() if v is not None}
    response = post(app.test_client(), path, params)
    assert response.status_code == 400
    assert named in response.get_json()["reason"]
    assert counts(runtime) == (0, 0, 0, 0, 0)


def test_r05_the_whole_voicemail_conversation_leaves_one_complete_entry(app, runtime, clock):
    client = app.test_client()
    root = twiml(post(client, "/twilio/voice", incoming(1)))
    gather = root.find("Gather")
    assert gather.attrib["action"] == "https://callq.example.test/twilio/gather?lang=fr"
    clock.advance(seconds=20)
    root = twiml(post(client, gather.attrib["action"],
                      speech(1, "Bonjour, impossible de faire les factures depuis ce matin")))
    # Thanks, the caller's place, the probable callback moment, then the recording.
    assert verbs(root) == ["Say", "Say", "Say", "Say", "Record", "Say", "Hangup"]
    record = root.find("Record")
    [entry] = rows(runtime, WaitingEntry)  # filed as soon as the need is known
    assert (entry.tier, entry.vague) == (Tier.CRITICAL, False)
    clock.advance(seconds=30)
    root = twiml(post(client, record.attrib["action"], record_action(1)))
    assert verbs(root) == ["Say", "Hangup"]
    status = post(client, record.attrib["recordingStatusCallback"], recording_status(1))
    ended = post(client, "/twilio/call-status", call_status(1))
    assert (status.status_code, status.get_data(), ended.status_code, ended.get_data()) == (
        204, b"", 204, b"")
    [msg] = rows(runtime, Message)
    assert (msg.entry_id, msg.recording_sid, msg.recording_url, msg.recording_seconds,
            msg.complete) == (entry.id, recording_sid(1), recording_url(1), 14, True)
    [call] = rows(runtime, Call)
    assert (call.status, call.mode, call.entry_id, call.duration_seconds) == (
        "completed", "live", entry.id, 42)


def test_the_same_webhooks_delivered_twice_answer_alike_and_file_one_entry(app, runtime):
    client = app.test_client()
    first = post(client, "/twilio/voice", incoming(1)).get_data()
    assert post(client, "/twilio/voice", incoming(1)).get_data() == first
    need = speech(1, "Le serveur est en panne")
    answers = {post(client, "/twilio/gather?lang=fr", need).get_data() for _ in range(2)}
    assert len(answers) == 1
    for _ in range(2):
        post(client, "/twilio/record?lang=fr", record_action(1))
        post(client, "/twilio/recording-status", recording_status(1))
        post(client, "/twilio/call-status", call_status(1))
    assert counts(runtime)[:3] == (1, 1, 1)
    assert [e.kind for e in rows(runtime, EntryEvent)] == ["created"]


def test_r01_morning_rings_the_on_duty_agents_then_voicemail_when_none_answers(app, runtime):
    add_agent(runtime, "Camille", "+33612000002")
    absent = add_agent(runtime, "Hugo", "+33612000003")
    add_agent(runtime, "Old", "+33612000004", active=False)
    add_agent(runtime, "Desk", None)
    with db.write(runtime.sessions) as session:
        now = runtime.now()
        session.add(Absence(agent_id=absent, starts_at=now - timedelta(hours=1),
                            ends_at=now + timedelta(hours=3)))
    client = app.test_client()
    root = twiml(post(client, "/twilio/voice", incoming(1)))
    dial = root.find("Dial")
    assert [n.text for n in dial.findall("Number")] == ["+33612000002"]
    assert dial.attrib["timeout"] == str(runtime.settings.live_ring_seconds)
    root = twiml(post(client, dial.attrib["action"], dial_done(1, "no-answer")))
    assert root.find("Gather") is not None
    assert "Nos techniciens sont tous en ligne pour le moment." in spoken(root)


def test_r01_a_call_an_agent_answered_ends_without_a_message(app, runtime, clock, queue):
    add_agent(runtime, "Camille", "+33612000002")
    client = app.test_client()
    dial = twiml(post(client, "/twilio/voice", incoming(1))).find("Dial")
    assert verbs(twiml(post(client, dial.attrib["action"], dial_done(1, "completed")))) == [
        "Hangup"]
    post(client, "/twilio/call-status", call_status(1, duration=420))
    clock.advance(hours=1)
    reconcile(runtime)
    run_due_jobs(runtime, queue)
    assert rows(runtime, WaitingEntry) == [] and rows(runtime, Message) == []
    assert rows(runtime, Call)[0].dial_status == "completed"


def test_r02_an_afternoon_caller_hears_appointments_only_and_gets_the_link(app, runtime, clock):
    clock.set(datetime(2026, 3, 30, 13, 0, tzinfo=UTC))  # 15:00 in Paris
    client = app.test_client()
    root = twiml(post(client, "/twilio/voice", incoming(1)))
    assert "L'après-midi, le support rappelle uniquement sur rendez-vous." in spoken(root)
    assert "Nous vous envoyons par SMS un lien pour choisir votre créneau." in spoken(root)
    post(client, root.find("Gather").attrib["action"], speech(1, "Un rendez-vous svp"))
    keys = [e.key for e in rows(runtime, SideEffect)]
    assert f"booking-sms-{call_sid(1)}" in keys


def test_r03_an_evening_caller_hears_the_next_opening_across_the_dst_change(app, runtime,
                                                                          clock):
    clock.set(datetime(2026, 3, 27, 17, 30, tzinfo=UTC))  # Friday 18:30 CET
    root = twiml(post(app.test_client(), "/twilio/voice", incoming(1)))
    assert "Le support est fermé." in spoken(root)
    # 9:00 CEST, said with French no-break spaces
    assert "Prochaine ouverture\u00a0: lundi 30 mars à 9\u00a0h\u00a000." in spoken(root)
    assert root.find("Gather") is not None and root.find("Dial") is None


PARIS_CASES = [
    ("2026-03-30T07:00", Mode.LIVE),  # Monday 09:00 CEST, the day after spring forward
    ("2026-03-30T06:59", Mode.CLOSED),
    ("2026-03-30T12:00", Mode.APPOINTMENTS),
    ("2026-03-27T08:00", Mode.LIVE),  # Friday 09:00 CET, before the change
    ("2026-03-27T07:59", Mode.CLOSED),
    ("2026-10-23T07:00", Mode.LIVE),  # Friday 09:00 CEST, before fall back
    ("2026-10-26T08:00", Mode.LIVE),  # Monday 09:00 CET, after it
    ("2026-10-26T07:30", Mode.CLOSED),
    ("2026-04-06T08:00", Mode.CLOSED),  # Easter Monday
    ("2026-05-13T15:00", Mode.APPOINTMENTS),  # eve of Ascension: Paris keeps its hours
    ("2026-03-28T09:00", Mode.CLOSED),  # Saturday
]
BERN_CASES = [
    ("2026-03-30T06:00", Mode.LIVE),  # Monday 08:00 CEST
    ("2026-03-30T10:15", Mode.CLOSED),  # lunch break
    ("2026-03-30T11:30", Mode.APPOINTMENTS),  # 13:30
    ("2026-03-27T15:30", Mode.APPOINTMENTS),  # Friday 16:30 CET
    ("2026-03-27T16:00", Mode.CLOSED),  # Friday 17:00: Bern closes earlier
    ("2026-05-13T13:30", Mode.APPOINTMENTS),  # eve of Ascension, 15:30
    ("2026-05-13T14:30", Mode.CLOSED),  # eve of Ascension, 16:30: closed from 16:00
    ("2026-04-06T08:00", Mode.CLOSED),  # Easter Monday
    ("2026-10-26T07:00", Mode.LIVE),  # Monday 08:00 CET
    ("2026-10-26T06:59", Mode.CLOSED),
]


@pytest.mark.parametrize(("calendar", "instant", "mode"),
                         [("paris", *case) for case in PARIS_CASES]
                         + [("bern", *case) for case in BERN_CASES])
def test_r04_each_call_gets_the_mode_of_the_shipped_calendars(tmp_path, sqlite_engine, clock,
                                                              calendar, instant, mode):
    app = create_app(settings_for(tmp_path, sqlite_engine, calendar=calendar),
                     adapters={"engine": sqlite_engine}, clock=clock)
    runtime = app.extensions["callq"]
    add_agent(runtime, "Camille", "+33612000002")
    clock.set(datetime.fromisoformat(instant).replace(tzinfo=UTC))
    root = twiml(post(app.test_client(), "/twilio/voice", incoming(1)))
    assert rows(runtime, Call)[0].mode == mode
    expected = {Mode.LIVE: "Dial", Mode.APPOINTMENTS: "Gather", Mode.CLOSED: "Gather"}[mode]
    assert verbs(root)[-1] == expected
    said = spoken(root)
    assert ("rendez-vous" in said) == (mode is Mode.APPOINTMENTS)
    assert ("Le support est fermé" in said) == (mode is Mode.CLOSED)


def test_r04_a_holiday_is_named_with_the_next_opening(app, clock):
    clock.set(datetime(2026, 4, 6, 8, 0, tzinfo=UTC))
    root = twiml(post(app.test_client(), "/twilio/voice", incoming(1)))
    assert "Le support est fermé aujourd'hui\u00a0: Lundi de Pâques." in spoken(root)
    assert "Prochaine ouverture\u00a0: mardi 7 avril à 9\u00a0h\u00a000." in spoken(root)


def test_an_english_speaking_client_hears_english_at_every_step(app, runtime):
    add_client(runtime, "Vet Clinic Ltd", "+447911123456", language="en", version="2024.1")
    client = app.test_client()
    caller = "+447911123456"
    root = twiml(post(client, "/twilio/voice", incoming(1, caller)))
    says = list(root.iter("Say"))
    assert {(s.attrib["voice"], s.attrib["language"]) for s in says} == {("Polly.Amy", "en-GB")}
    assert "Your version of the software is no longer supported." in spoken(root)
    gather = root.find("Gather")
    assert gather.attrib["language"] == "en-GB" and gather.attrib["action"].endswith("?lang=en")
    root = twiml(post(client, gather.attrib["action"], speech(1, "The server is down", caller)))
    assert root.find("Say").attrib["language"] == "en-GB"


def test_a_withheld_number_still_leaves_a_message(app, runtime):
    client = app.test_client()
    twiml(post(client, "/twilio/voice", incoming(1, "anonymous")))
    twiml(post(client, "/twilio/gather?lang=fr", speech(1, "Le serveur est en panne",
                                                       "anonymous")))
    [entry] = rows(runtime, WaitingEntry)
    assert entry.caller_number is None and entry.tier == Tier.CRITICAL


def test_a_simulated_time_places_the_call_then_outside_production(app, runtime):
    at = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)  # Tuesday 18:00 Paris: closed
    params = {**incoming(1), "CallqSimulatedAt": at.isoformat()}
    root = twiml(post(app.test_client(), "/twilio/voice", params))
    assert "Le support est fermé." in spoken(root)
    assert rows(runtime, Call)[0].created_at == at


def test_a_simulated_time_is_ignored_in_production(tmp_path, sqlite_engine, clock):
    settings = settings_for(tmp_path, sqlite_engine, env="production", smtp_url="smtp://mx",
                            twilio_account_sid="AC" + "1" * 32, twilio_number="+33970000000",
                            secret_key="Jx3vQ9-pLr7Tz2mWk5Yb8Nc4Hd6Fg1Sa0Ue_Oi",
                            api_token="q8Zr2Lw5Tx9Kb3Vn7Hm1Pc4Jd6Fs0Gy_Ae-Ui")
    app = create_app(settings, adapters={"engine": sqlite_engine}, clock=clock)
    params = {**incoming(1), "CallqSimulatedAt": "2026-03-31T16:00:00+00:00"}
    twiml(post(app.test_client(), "/twilio/voice", params))
    assert rows(app.extensions["callq"], Call)[0].created_at == clock()


def test_a_callback_about_a_call_callq_placed_itself_is_a_409_and_changes_nothing(app, runtime):
    with db.write(runtime.sessions) as session:
        session.add(Call(call_sid=call_sid(1), direction="outbound", purpose="callback"))
    response = post(app.test_client(), "/twilio/gather?lang=fr", speech(1, "Serveur en panne"))
    assert response.status_code == 409
    assert "not an incoming one" in response.get_json()["reason"]
    assert counts(runtime) == (1, 0, 0, 0, 0)
