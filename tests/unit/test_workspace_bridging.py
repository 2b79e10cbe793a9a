"""The bridge's pure rules (R10, R14): statuses only move forward, a terminal one never
changes, and the reports add up to one result whatever their order; the TwiML is parsed as XML."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callq.calls import rules as bridging
from callq.calls.rules import Legs
from webhooks import bridge_twiml

STATUSES = ["queued", "initiated", "ringing", "in-progress", "completed", "busy", "no-answer",
            "failed", "canceled"]


@given(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=12))
def test_r10_a_leg_status_only_moves_forward_and_a_terminal_one_never_changes(reports):
    status = "placing"
    seen_terminal = None
    for report in reports:
        if bridging.advances(status, report):
            assert bridging.rank(report) > bridging.rank(status)
            status = report
        if status in bridging.TERMINAL:
            seen_terminal = seen_terminal or status
    assert seen_terminal is None or status == seen_terminal


def test_r10_a_duplicate_or_late_report_does_not_advance():
    assert not bridging.advances("ringing", "ringing")
    assert not bridging.advances("in-progress", "ringing")
    assert not bridging.advances("completed", "in-progress")
    assert not bridging.advances("busy", "completed")
    assert not bridging.advances("ringing", "nonsense")
    assert bridging.advances("scheduled", "queued") and bridging.advances("ringing", "busy")


DIALED = Legs(agent_status="in-progress", dialed=True)


@pytest.mark.parametrize(("legs", "expected"), [
    (Legs("scheduled"), None),
    (Legs("ringing"), None),
    (Legs("no-answer"), "agent_unreachable"),
    (Legs("busy"), "agent_unreachable"),
    (Legs("completed"), "agent_unreachable"),  # answered, hung up before the dial
    (Legs("in-progress", agent_answered_by="machine_start"), "agent_unreachable"),
    (DIALED, None),
    (replace(DIALED, client_status="ringing"), None),
    (replace(DIALED, dial_status="busy"), "busy"),
    (replace(DIALED, client_status="no-answer"), "no_answer"),
    (replace(DIALED, dial_status="failed"), "failed"),
    (replace(DIALED, dial_status="canceled"), "failed"),
    (replace(DIALED, dial_status="completed"), None),  # person or machine: not yet known
    (replace(DIALED, dial_status="completed", client_answered_by="human"), "answered"),
    (replace(DIALED, dial_status="answered", client_answered_by="unknown"), "answered"),
    (replace(DIALED, client_status="completed", client_answered_by="machine_end_beep"),
     "voicemail"),
    (replace(DIALED, client_status="completed", client_answered_by="fax"), "voicemail"),
    (replace(DIALED, client_answered_by="human"), None),  # still talking
])
def test_r10_the_reports_add_up_to_one_result(legs, expected):
    assert bridging.outcome(legs) == expected


@pytest.mark.parametrize(("legs", "expected"), [
    (replace(DIALED, dial_status="completed"), "answered"),  # the AMD report was lost
    (replace(DIALED, client_status="in-progress"), "answered"),
    (DIALED, "failed"),
    (Legs("placing"), "failed"),
    (Legs("no-answer"), "agent_unreachable"),
])
def test_r10_a_bridge_whose_reports_stopped_settles_on_the_best_reading(legs, expected):
    assert bridging.settled(legs) == expected


def test_r10_the_order_of_the_reports_does_not_change_the_result():
    reports = [("client_status", "completed"), ("dial_status", "completed"),
               ("client_answered_by", "machine_end_silence"), ("agent_status", "completed")]
    for order in itertools.permutations(reports):
        legs, results = DIALED, []
        for name, value in order:
            legs = replace(legs, **{name: value})
            results.append(bridging.outcome(legs))
        decided = [r for r in results if r is not None]
        assert decided and set(decided) == {"voicemail"}


def test_r10_the_agent_hears_who_is_called_then_the_client_is_dialled_with_detection():
    xml = bridge_twiml.dial_twiml(
        say="Rappel de Clinique des Lilas.", language="fr-FR", voice="Polly.Lea",
        client_number="+33612345678", caller_id="+33970000000",
        action="https://x.test/twilio/bridge/dial?bridge=1",
        amd_callback="https://x.test/twilio/bridge/amd?bridge=1",
        status_callback="https://x.test/twilio/bridge/status?bridge=1&leg=client")
    root = ET.fromstring(xml)
    assert [child.tag for child in root] == ["Say", "Dial"]
    assert root.find("Say").text == "Rappel de Clinique des Lilas."
    dial = root.find("Dial")
    assert dial.attrib == {"action": "https://x.test/twilio/bridge/dial?bridge=1",
                           "method": "POST", "callerId": "+33970000000", "timeout": "25"}
    number = dial.find("Number")
    assert number.text == "+33612345678"
    assert number.attrib == {
        "machineDetection": "Enable",
        "amdStatusCallback": "https://x.test/twilio/bridge/amd?bridge=1",
        "amdStatusCallbackMethod": "POST",
        "statusCallback": "https://x.test/twilio/bridge/status?bridge=1&leg=client",
        "statusCallbackMethod": "POST",
        "statusCallbackEvent": "initiated ringing answered completed",
    }


def test_goodbye_says_its_sentence_then_hangs_up():
    root = ET.fromstring(bridge_twiml.goodbye_twiml("Au revoir.", language="fr-FR", voice=None))
    assert [(c.tag, c.text) for c in root] == [("Say", "Au revoir."), ("Hangup", None)]
    assert [c.tag for c in ET.fromstring(bridge_twiml.goodbye_twiml(None, language="fr-FR",
                                                                voice=None))] == ["Hangup"]
