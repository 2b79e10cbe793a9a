"""The bridge (R10, R14): one click rings the agent, then the client; Twilio's reports about
both legs, in any order, duplicated or late, resolve exactly one result per call."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from callq import db, effects
from callq.app import create_app
from callq.calls.bridge import BridgeResult, start_bridge
from callq.models import Bridge, Call, EntryEvent, GatewayRecord
from callq.status import EntryStatus
from callq.workspace import callback, claims
from callq.workspace.errors import Refused
from tests.conftest import run_due_jobs, settings_for
from tests.fakes import FakeTwilioHttp
from tests.workspace_data import add_agent, add_client, add_entry, entry, version

SID = "AC" + "0" * 32
NUMBER = "+33970000000"
RESULTS: list[BridgeResult] = []


def _collect(session, runtime, result: BridgeResult) -> None:
    RESULTS.append(result)


def _with_test_purpose(flask_app):
    """The app's runtime, its bridges of purpose "test" collected in RESULTS."""
    runtime = flask_app.extensions["callq"]
    runtime.bridge_results = {**runtime.bridge_results, "test": _collect}
    return flask_app


@pytest.fixture
def http() -> FakeTwilioHttp:
    return FakeTwilioHttp()


@pytest.fixture
def app(tmp_path, engine, clock, mailer, queue, http):
    """The app with a Twilio account whose REST boundary is the fake HTTP client."""
    flask_app = create_app(
        settings_for(tmp_path, engine, twilio_account_sid=SID, twilio_number=NUMBER),
        adapters={"engine": engine, "mailer": mailer, "queue": queue, "twilio_http": http},
        clock=clock,
    )
    flask_app.testing = True
    RESULTS.clear()
    return _with_test_purpose(flask_app)


def _post(app, path, form):
    runtime = app.extensions["callq"]
    url = runtime.settings.public_base_url + path
    signature = RequestValidator(runtime.settings.twilio_auth_token).compute_signature(url, form)
    return app.test_client().post(path, data=form, headers={"X-Twilio-Signature": signature})


def _bridge(app, queue, purpose="test", key="k-1", **extra):
    runtime = app.extensions["callq"]
    agent = extra.pop("agent_id", None) or add_agent(runtime)
    with db.write(runtime.sessions) as session:
        start_bridge(session, runtime, purpose=purpose, agent_id=agent,
                     client_number="+33612345678", key=key, **extra)
    run_due_jobs(runtime, queue)
    with runtime.sessions() as session:
        return session.scalars(select(Bridge).where(Bridge.key == key)).one()


def _answer(app, bridge, answered_by=None):
    form = {"CallSid": bridge.agent_call_sid, "CallStatus": "in-progress"}
    if answered_by:
        form["AnsweredBy"] = answered_by
    response = _post(app, f"/twilio/bridge/answer?bridge={bridge.id}", form)
    assert response.status_code == 200 and response.mimetype == "text/xml"
    return ET.fromstring(response.data)


def test_r10_the_agent_is_rung_through_twilio_s_calls_create_with_these_exact_parameters(
        app, queue, http):
    bridge = _bridge(app, queue)
    assert len(http.requests) == 1
    request = http.requests[0]
    assert request["method"] == "POST"
    assert request["url"] == f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Calls.json"
    assert request["auth"] == (SID, "test-twilio-token")
    assert request["data"] == {
        "To": "+33612000002", "From": NUMBER,
        "Url": f"https://callq.example.test/twilio/bridge/answer?bridge={bridge.id}",
        "StatusCallback":
            f"https://callq.example.test/twilio/bridge/status?bridge={bridge.id}&leg=agent",
        "StatusCallbackEvent": ["initiated", "ringing", "answered", "completed"],
        "MachineDetection": "Enable",
    }
    with app.extensions["callq"].sessions() as session:
        call = session.scalars(select(Call)).one()
    assert (call.call_sid, call.purpose, call.agent_id, call.direction) == (
        bridge.agent_call_sid, "test", bridge.agent_id, "outbound")


def test_r10_when_the_agent_answers_they_hear_who_is_called_then_the_client_is_dialled(
        app, queue):
    runtime = app.extensions["callq"]
    client = add_client(runtime)
    entry_id = add_entry(runtime, client_id=client)
    bridge = _bridge(app, queue, entry_id=entry_id)
    twiml = _answer(app, bridge)
    say, dial = twiml.find("Say"), twiml.find("Dial")
    assert say.text == "Rappel de Clinique des Lilas. Mise en relation, ne quittez pas."
    assert say.get("language") == "fr-FR" and say.get("voice") == "Polly.Lea"
    base = "https://callq.example.test/twilio/bridge"
    assert dial.get("action") == f"{base}/dial?bridge={bridge.id}"
    assert (dial.get("callerId"), dial.get("timeout")) == (NUMBER, "25")
    number = dial.find("Number")
    assert number.text == "+33612345678"
    assert number.get("machineDetection") == "Enable"
    assert number.get("amdStatusCallback") == f"{base}/amd?bridge={bridge.id}"
    assert number.get("statusCallback") == f"{base}/status?bridge={bridge.id}&leg=client"
    assert number.get("statusCallbackEvent") == "initiated ringing answered completed"


def test_r10_the_agent_s_voicemail_is_hung_up_on_and_the_client_never_dialled(app, queue):
    bridge = _bridge(app, queue)
    twiml = _answer(app, bridge, answered_by="machine_start")
    assert [child.tag for child in twiml] == ["Hangup"]
    assert [r.outcome for r in RESULTS] == ["agent_unreachable"]


def _report(app, bridge, report):
    """POST one signed report (path template, form) about this bridge."""
    path, form = report
    return _post(app, "/twilio/bridge/" + path.format(id=bridge.id),
                 {"CallSid": bridge.agent_call_sid, **form})


def _agent(status, sequence, duration=None):
    form = {"CallStatus": status, "SequenceNumber": str(sequence)}
    if duration is not None:
        form["CallDuration"] = str(duration)
    return ("status?bridge={id}&leg=agent", form)


def _client(status, sequence, duration=None):
    form = {"CallSid": "CA" + "c" * 32, "CallStatus": status, "SequenceNumber": str(sequence)}
    if duration is not None:
        form["CallDuration"] = str(duration)
    return ("status?bridge={id}&leg=client", form)


def _dial(status, duration=None):
    form = {"DialCallStatus": status, "DialCallSid": "CA" + "c" * 32}
    if duration is not None:
        form["DialCallDuration"] = str(duration)
    return ("dial?bridge={id}", form)


def _amd(answered_by):
    return ("amd?bridge={id}", {"CallSid": "CA" + "c" * 32, "AnsweredBy": answered_by})


SCENARIOS = {
    "answered": ([_client("completed", 3, 63), _dial("completed", 63), _amd("human"),
                  _agent("completed", 4, 70)], "answered", 63),
    "voicemail": ([_client("completed", 3, 20), _dial("completed", 20),
                   _amd("machine_end_beep"), _agent("completed", 4, 30)], "voicemail", 20),
    "busy": ([_client("busy", 2), _dial("busy"), _agent("completed", 4, 8)], "busy", None),
    "no_answer": ([_client("no-answer", 2), _dial("no-answer"), _agent("completed", 4, 30)],
                  "no_answer", None),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_r10_reports_in_every_order_and_twice_resolve_exactly_one_result(app, queue, scenario):
    reports, expected, duration = SCENARIOS[scenario]
    runtime = app.extensions["callq"]
    agent = add_agent(runtime)
    for n, order in enumerate(itertools.permutations(reports)):
        RESULTS.clear()
        bridge = _bridge(app, queue, key=f"{scenario}-{n}", agent_id=agent)
        _answer(app, bridge)
        for report in (*order, *order):  # each report, then all of them again
            response = _report(app, bridge, report)
            assert response.status_code in (200, 204), response.data
        assert [(r.outcome, r.duration_seconds) for r in RESULTS] == [(expected, duration)], order
        assert RESULTS[0].call_sid == bridge.agent_call_sid


def test_r10_a_terminal_status_never_goes_back_and_older_reports_change_nothing(app, queue):
    bridge = _bridge(app, queue)
    _answer(app, bridge)
    for report in (_client("completed", 3, 40), _client("ringing", 1),
                   _client("in-progress", 2)):
        _report(app, bridge, report)
    with app.extensions["callq"].sessions() as session:
        stored = session.get(Bridge, bridge.id)
        child = session.scalars(select(Call).where(Call.call_sid == "CA" + "c" * 32)).one()
    assert (stored.client_status, stored.client_sequence) == ("completed", 3)
    assert (child.status, child.duration_seconds) == ("completed", 40)


def test_r10_a_lost_amd_report_settles_as_answered_after_a_short_delay(app, queue, clock):
    runtime = app.extensions["callq"]
    bridge = _bridge(app, queue)
    _answer(app, bridge)
    _report(app, bridge, _dial("completed", 45))
    assert RESULTS == []  # a person or a voicemail? wait for the AMD report
    clock.advance(seconds=31)
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)
    assert [(r.outcome, r.duration_seconds) for r in RESULTS] == [("answered", 45)]


def test_r10_an_agent_who_does_not_pick_up_is_unreachable(app, queue):
    bridge = _bridge(app, queue)
    _report(app, bridge, _agent("no-answer", 2))
    assert [r.outcome for r in RESULTS] == ["agent_unreachable"]


def test_r10_a_call_is_never_placed_twice_even_when_its_effect_runs_twice(app, queue, http):
    runtime = app.extensions["callq"]
    agent = add_agent(runtime)
    with db.write(runtime.sessions) as session:
        effect_id = start_bridge(session, runtime, purpose="test", agent_id=agent,
                                 client_number="+33612345678", key="twice")
        assert start_bridge(session, runtime, purpose="test", agent_id=agent,
                            client_number="+33612345678", key="twice") is None
    run_due_jobs(runtime, queue)
    with db.write(runtime.sessions) as session:  # a stuck lease: the reconciler re-runs it
        session.get(effects.SideEffect, effect_id).status = "pending"
    effects.run_effect(runtime, effect_id)
    assert len(http.requests) == 1


def test_r10_twilio_refusing_the_number_resolves_the_bridge_as_failed(app, queue, http):
    http.replies.append((400, {"code": 21211, "message": "The 'To' number is not valid.",
                               "more_info": "https://www.twilio.com/docs/errors/21211",
                               "status": 400}))
    bridge = _bridge(app, queue)
    assert (bridge.outcome, bridge.agent_call_sid) == ("failed", None)
    assert "21211" in bridge.error or "not valid" in bridge.error
    assert [r.outcome for r in RESULTS] == ["failed"]


def test_r10_an_agent_without_a_phone_is_unreachable_and_nothing_is_dialled(app, queue, http):
    runtime = app.extensions["callq"]
    agent = add_agent(runtime, "Sans", phone=None)
    bridge = _bridge(app, queue, agent_id=agent)
    assert bridge.outcome == "agent_unreachable" and http.requests == []


def test_r10_an_unsigned_or_forged_report_is_refused_and_changes_nothing(app, queue):
    bridge = _bridge(app, queue)
    client = app.test_client()
    path = f"/twilio/bridge/dial?bridge={bridge.id}"
    form = {"CallSid": bridge.agent_call_sid, "DialCallStatus": "busy"}
    assert client.post(path, data=form).status_code == 403
    forged = client.post(path, data=form, headers={"X-Twilio-Signature": "Zm9yZ2Vk"})
    assert forged.status_code == 403
    with app.extensions["callq"].sessions() as session:
        assert session.get(Bridge, bridge.id).dial_status is None
    assert RESULTS == []


def test_a_report_for_no_bridge_is_a_clear_4xx(app):
    assert _post(app, "/twilio/bridge/amd?bridge=999", {"AnsweredBy": "human"}).status_code \
        == 404
    assert _post(app, "/twilio/bridge/amd", {"AnsweredBy": "human"}).status_code == 400


def test_r10_without_a_twilio_account_the_logging_gateway_records_the_call(tmp_path, engine,
                                                                          clock, mailer, queue):
    runtime = _with_test_purpose(create_app(settings_for(tmp_path, engine), clock=clock, adapters={
        "engine": engine, "mailer": mailer, "queue": queue})).extensions["callq"]
    agent = add_agent(runtime)
    with db.write(runtime.sessions) as session:
        start_bridge(session, runtime, purpose="test", agent_id=agent,
                     client_number="+33612345678", key="logged")
    run_due_jobs(runtime, queue)
    with runtime.sessions() as session:
        record = session.scalars(select(GatewayRecord)).one()
        bridge = session.scalars(select(Bridge)).one()
    assert (record.kind, record.to_number, record.sid) == ("call", "+33612000002",
                                                           bridge.agent_call_sid)
    assert record.params["url"].endswith(f"/twilio/bridge/answer?bridge={bridge.id}")


# --- the callback purpose: the result is written on the entry ----------------------------

def _call_back(app, queue):
    runtime = app.extensions["callq"]
    agent = add_agent(runtime)
    entry_id = add_entry(runtime)
    claims.claim_next(runtime, agent)
    assert callback.call_back(runtime, agent_id=agent, entry_id=entry_id,
                              version=version(runtime, entry_id))
    run_due_jobs(runtime, queue)
    with runtime.sessions() as session:
        bridge = session.scalars(select(Bridge).where(Bridge.entry_id == entry_id)).one()
    return agent, entry_id, bridge


def _history(runtime, entry_id, kind):
    with runtime.sessions() as session:
        return session.scalars(select(EntryEvent).where(EntryEvent.entry_id == entry_id,
                                                        EntryEvent.kind == kind)).all()


def test_r10_a_client_not_reached_counts_an_attempt_and_returns_after_the_delay(app, queue):
    runtime = app.extensions["callq"]
    agent, entry_id, bridge = _call_back(app, queue)
    _answer(app, bridge)
    for report in (_amd("machine_end_silence"), _dial("completed", 12)):
        _report(app, bridge, report)
    back = entry(runtime, entry_id)
    assert (back.status, back.attempts, back.claimed_by) == (EntryStatus.WAITING, 1, None)
    assert [e.detail["outcome"] for e in _history(runtime, entry_id, "call_result")] == [
        "voicemail"]
    assert _history(runtime, entry_id, "outcome")[0].reason == "call:voicemail"


def test_r10_a_client_reached_stays_with_the_agent_for_the_outcome(app, queue):
    runtime = app.extensions["callq"]
    agent, entry_id, bridge = _call_back(app, queue)
    _answer(app, bridge)
    for report in (_amd("human"), _dial("completed", 300)):
        _report(app, bridge, report)
    held = entry(runtime, entry_id)
    assert (held.status, held.claimed_by, held.attempts) == (EntryStatus.CLAIMED, agent, 0)
    call = _history(runtime, entry_id, "call_result")[0]
    assert call.detail["outcome"] == "answered" and call.detail["duration_seconds"] == 300


def test_r10_a_double_click_on_call_rings_once(app, queue, http):
    runtime = app.extensions["callq"]
    agent = add_agent(runtime)
    entry_id = add_entry(runtime)
    claims.claim_next(runtime, agent)
    shown = version(runtime, entry_id)
    assert callback.call_back(runtime, agent_id=agent, entry_id=entry_id, version=shown)
    with pytest.raises(Refused):  # the second click carries the page's version, now old
        callback.call_back(runtime, agent_id=agent, entry_id=entry_id, version=shown)
    run_due_jobs(runtime, queue)
    assert len(http.requests) == 1


def test_r10_a_withheld_number_cannot_be_called_back(app):
    runtime = app.extensions["callq"]
    agent = add_agent(runtime)
    entry_id = add_entry(runtime, caller=None)
    claims.claim_next(runtime, agent)
    with pytest.raises(Refused) as refused:
        callback.call_back(runtime, agent_id=agent, entry_id=entry_id,
                           version=version(runtime, entry_id))
    assert refused.value.key == "workspace.refused.no_number"
