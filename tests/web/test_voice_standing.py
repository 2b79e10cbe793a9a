"""The caller is told where they stand (issue 13): after the stated need the TwiML says their
place and a prudent estimate of the callback, from the list ahead of them, the agents on duty
and the recent callback rate; never the afternoon (appointments only) nor a closed day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from callq import db
from callq.models import WaitingEntry
from callq.status import Outcome, Tier
from tests import voice_support
from tests.planner_support import add_entry
from tests.voice_support import add_client, incoming, post, speech, spoken, twiml

MONDAY_10H = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Paris, summer time: live
NEED = "Impossible d'imprimer les ordonnances"


def _leave_message(app, n=1, caller="+33612345678", need=NEED):
    client = app.test_client()
    twiml(post(client, "/twilio/voice", incoming(n, caller)))
    root = twiml(post(client, "/twilio/gather?lang=fr", speech(n, need, caller)))
    return [say.text for say in root.iter("Say")], spoken(root)


def _ahead(runtime, count, tier=Tier.CRITICAL):
    """Entries already waiting; critical ones come before any new message (R6)."""
    for i in range(count):
        add_entry(runtime, number=f"+3361000{i:04d}", need=f"Besoin {i}", tier=tier,
                  tier_rank=tier.rank)


def add_agent(runtime, name="Camille", phone="+33612000002"):
    return voice_support.add_agent(runtime, name, phone)


def test_an_empty_list_in_the_morning_says_first_and_this_morning(app, runtime, clock):
    clock.set(MONDAY_10H)
    add_agent(runtime)
    says, _ = _leave_message(app)
    assert says[:3] == ["Merci.", "Vous êtes en 1re position dans la liste.",
                        "Nous vous rappellerons probablement ce matin."]


def test_a_long_list_with_one_agent_and_no_history_names_a_later_morning(app, runtime, clock):
    clock.set(MONDAY_10H)
    add_agent(runtime)
    _ahead(runtime, 30)
    says, _ = _leave_message(app)
    # 31st; 2.25 callbacks an hour (3 an hour, prudently 75 %): 2 h left today, then 3 h each
    # morning: Tuesday, Wednesday, Thursday, and Friday morning.
    assert says[1:3] == ["Vous êtes en 31e position dans la liste.",
                         "Nous vous rappellerons probablement vendredi matin."]


def test_more_agents_on_duty_bring_the_callback_forward(app, runtime, clock):
    clock.set(MONDAY_10H)
    for n in range(4):
        add_agent(runtime, name=f"Agent {n}", phone=f"+3361200000{n}")
    _ahead(runtime, 30)
    says, _ = _leave_message(app)
    assert says[2] == "Nous vous rappellerons probablement demain matin."


def test_the_recent_callback_rate_is_read_from_the_history(app, runtime, clock):
    clock.set(MONDAY_10H)
    add_agent(runtime)
    _ahead(runtime, 12)
    # Last week the one agent called back 150 clients in 15 live hours: 10 an hour.
    with db.write(runtime.sessions) as session:
        for i in range(150):
            session.add(WaitingEntry(caller_number=f"+3369000{i:04d}", status="closed",
                                     outcome=Outcome.SOLVED, need_text="fait",
                                     closed_at=MONDAY_10H - timedelta(days=3, hours=i % 20)))
    says, _ = _leave_message(app)
    assert says[1:3] == ["Vous êtes en 13e position dans la liste.",
                         "Nous vous rappellerons probablement ce matin."]


def test_an_urgent_need_is_told_its_place_before_the_low_ones(app, runtime, clock):
    clock.set(MONDAY_10H)
    add_agent(runtime)
    _ahead(runtime, 5, tier=Tier.LOW)
    _ahead(runtime, 1)
    says, _ = _leave_message(app, need="Le serveur est en panne, plus rien ne marche")
    assert says[1] == "Vous êtes en 2e position dans la liste."


@pytest.mark.parametrize(("now", "told"), [
    # Monday 15:00: afternoons are appointments only (R2): the list is worked tomorrow.
    (datetime(2026, 3, 30, 13, 0, tzinfo=UTC), "Nous vous rappellerons probablement demain matin."),
    # Friday 3 April 19:00: closed (R3), then Easter Monday (a holiday, R4): Tuesday.
    (datetime(2026, 4, 3, 17, 0, tzinfo=UTC), "Nous vous rappellerons probablement mardi matin."),
    # Friday 27 March 19:00: closed until Monday morning.
    (datetime(2026, 3, 27, 18, 0, tzinfo=UTC), "Nous vous rappellerons probablement lundi matin."),
    # Thursday 2 April 18:00: Friday is a working day in France.
    (datetime(2026, 4, 2, 16, 0, tzinfo=UTC),
     "Nous vous rappellerons probablement demain matin."),
], ids=["monday-afternoon", "easter-friday-evening", "friday-evening", "thursday-evening"])
def test_the_estimate_never_promises_the_afternoon_nor_a_closed_day(app, runtime, clock, now,
                                                                    told):
    clock.set(now)
    add_agent(runtime)
    says, text = _leave_message(app)
    assert says[2] == told
    assert "après-midi" not in says[2] and "ce matin" not in text


def test_a_known_client_gets_the_same_standing_by_sms_with_the_cancel_link(app, runtime, clock,
                                                                          queue):
    from sqlalchemy import select

    from callq.models import SideEffect
    from tests.planner_support import short_target

    clock.set(MONDAY_10H)
    add_agent(runtime)
    add_client(runtime, "Clinique des Lilas", "+33612345678")
    _ahead(runtime, 3)
    _leave_message(app)
    with runtime.sessions() as session:
        [ack] = session.scalars(select(SideEffect).where(SideEffect.kind == "sms"))
    body = ack.payload["body"]
    assert '"Impossible d\'imprimer les ordonnances"' in body
    assert "place 4, rappel probable ce matin" in body
    assert short_target(runtime, body).startswith("/cancel/")


def test_an_unknown_caller_gets_no_acknowledgment_in_the_morning(app, runtime, clock):
    from sqlalchemy import func, select

    from callq.models import SideEffect

    clock.set(MONDAY_10H)
    add_agent(runtime)
    _leave_message(app, caller="+33698765432")
    with runtime.sessions() as session:
        assert session.scalar(select(func.count(SideEffect.id)).where(
            SideEffect.kind.in_(("sms", "email")))) == 0


def test_agents_see_the_place_and_the_estimate_the_caller_was_told(app, runtime, clock):
    from tests.web.agent_pages import log_in
    from tests.workspace_data import add_agent as add_desk_agent

    clock.set(MONDAY_10H)
    add_desk_agent(runtime, "Camille")
    _ahead(runtime, 30)
    said, _ = _leave_message(app)
    client = app.test_client()
    log_in(client, "camille@example.test")
    with runtime.sessions() as session:
        from sqlalchemy import func, select
        newest = session.scalar(select(func.max(WaitingEntry.id)))
    page = client.get(f"/agents/entries/{newest}").get_data(as_text=True)
    assert "Place dans la liste\u00a0: 31" in page and "Rappel probable vendredi matin" in page
    listing = client.get("/agents/?page=1").get_data(as_text=True)
    assert "Rappel probable vendredi matin" in listing
    assert said[2] == "Nous vous rappellerons probablement vendredi matin."
