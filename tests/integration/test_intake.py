"""Intake services on both databases: one message, one correctly placed entry (R5-R9, R11)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from callq import db, effects, intake, short_links
from callq.app import create_app
from callq.demo import load_demo
from callq.models import Call, EntryEvent, GatewayRecord, Message, SideEffect, WaitingEntry
from callq.status import EntryStatus, Tier, VersionStatus
from callq.waiting_room import get_entry, list_entries
from tests.conftest import run_due_jobs, settings_for
from tests.fakes import FakeTwilioHttp
from tests.voice_support import (
    add_client,
    call_sid,
    hang_up,
    message,
    recording_sid,
    recording_url,
    rows,
)

MONDAY_10H = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Paris, live hours (R1)


def entries(runtime):
    return rows(runtime, WaitingEntry)


def room(runtime):
    with runtime.sessions() as session:
        page, _ = list_entries(session, runtime, limit=200)
    return page


def test_r05_a_stated_need_becomes_one_entry_arriving_when_the_call_came_in(runtime, clock):
    message(runtime, 1, need="L'imprimante des ordonnances n'imprime plus depuis ce matin")
    [entry] = entries(runtime)
    assert entry.status == EntryStatus.WAITING
    assert entry.arrived_at == entry.queued_at == MONDAY_10H  # the call, not the gather
    assert entry.need_text == "L'imprimante des ordonnances n'imprime plus depuis ce matin"
    assert entry.caller_number == "+33612345678" and entry.messages_count == 1
    [msg] = rows(runtime, Message)
    assert msg.entry_id == entry.id and msg.speech_confidence == pytest.approx(0.9)
    [event] = rows(runtime, EntryEvent)
    assert event.kind == "created" and event.detail["call_sid"] == call_sid(1)


def test_r06_clear_urgency_puts_the_entry_in_a_higher_tier_and_keeps_why(runtime):
    message(runtime, 1, need="Le serveur est en panne, plus rien ne marche à la clinique")
    [entry] = entries(runtime)
    assert (entry.tier, entry.tier_rank, entry.vague) == (Tier.CRITICAL, 0, False)
    assert entry.classification == {"rule": "tier:critical",
                                    "matched": ["serveur … en panne", "plus rien ne marche"]}


def test_r05_r06_entries_are_worked_by_tier_then_arrival(runtime, clock):
    message(runtime, 1, "+33600000001", "Question sur la sauvegarde des données clients")
    clock.advance(minutes=5)
    message(runtime, 2, "+33600000002", "Le logiciel affiche un message d'erreur à l'ouverture")
    clock.advance(minutes=5)
    message(runtime, 3, "+33600000003", "Impossible de facturer depuis ce matin")
    clock.advance(minutes=5)
    message(runtime, 4, "+33600000004", "La sauvegarde des données clients est lente")
    assert [v.caller_number for v in room(runtime)] == [
        "+33600000003", "+33600000002", "+33600000004", "+33600000001"]
    assert [v.position for v in room(runtime)] == [1, 2, 3, 4]


def test_r07_a_message_without_a_need_goes_after_every_stated_need(runtime, clock):
    message(runtime, 1, "+33600000001", "Rappelez-moi s'il vous plaît, merci")
    clock.advance(hours=1)
    message(runtime, 2, "+33600000002", "Les relances clients ne partent plus par email")
    [first, second] = room(runtime)
    assert (first.caller_number, first.vague) == ("+33600000002", False)
    assert (second.caller_number, second.vague) == ("+33600000001", True)
    assert second.reason.startswith("Sans besoin exprimé")


def test_r07_silence_at_the_prompt_is_a_vague_message(runtime):
    message(runtime, 1, need="")
    [entry] = entries(runtime)
    assert entry.vague and entry.need_text is None
    assert entry.classification["rule"] == "vague:empty"


def test_r07_a_caller_who_hangs_up_before_the_need_still_leaves_a_vague_entry(runtime, clock,
                                                                               queue):
    hang_up(runtime, 1)
    assert entries(runtime) == []  # a late speech result may still be on its way
    clock.advance(seconds=intake.GRACE.total_seconds() + 5)
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)
    [entry] = entries(runtime)
    assert entry.vague and entry.caller_number == "+33612345678"
    assert entry.arrived_at == MONDAY_10H
    assert rows(runtime, Message)[0].complete is True


def test_r07_without_any_status_callback_the_safety_net_files_the_message(runtime, clock,
                                                                           queue):
    intake.start_call(runtime, call_sid=call_sid(1), from_raw="+33612345678", to_raw=None,
                      status="ringing", now=runtime.now())
    clock.advance(seconds=runtime.settings.intake_safety_seconds + 1)
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)
    assert [e.vague for e in entries(runtime)] == [True]


def test_r01_a_call_an_agent_answered_live_leaves_no_entry(runtime, clock, queue):
    intake.start_call(runtime, call_sid=call_sid(1), from_raw="+33612345678", to_raw=None,
                      status="ringing", now=runtime.now())
    assert intake.dial_done(runtime, call_sid=call_sid(1), dial_status="completed",
                            now=runtime.now()) is True
    intake.end_call(runtime, call_sid=call_sid(1), from_raw=None, status="completed",
                    duration=300, sequence=None, now=runtime.now())
    clock.advance(hours=1)
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)
    assert entries(runtime) == [] and rows(runtime, Message) == []


def test_r08_a_second_message_about_the_same_need_is_attached_and_moves_back(runtime, clock):
    message(runtime, 1, need="Impossible d'imprimer les factures depuis ce matin")
    clock.advance(minutes=30)
    message(runtime, 2, need="Toujours impossible d'imprimer les factures")
    [entry] = entries(runtime)
    assert entry.messages_count == 2
    assert entry.arrived_at == MONDAY_10H
    assert entry.queued_at == MONDAY_10H + timedelta(minutes=30)
    assert {m.entry_id for m in rows(runtime, Message)} == {entry.id}
    attached = [e for e in rows(runtime, EntryEvent) if e.kind == "message_attached"]
    assert attached[0].detail["call_sid"] == call_sid(2)
    assert "replacé à la date du dernier message" in room(runtime)[0].reason


def test_r08_a_repeat_never_moves_an_entry_up_even_when_it_sounds_worse(runtime, clock):
    message(runtime, 1, "+33600000001", "La facture ne correspond pas au devis")
    clock.advance(minutes=1)
    message(runtime, 2, "+33600000002", "Le module des factures affiche une erreur")
    clock.advance(minutes=1)
    message(runtime, 3, "+33600000001", "Les factures sont bloquées, c'est urgent")
    assert [(v.caller_number, v.tier, v.messages_count) for v in room(runtime)] == [
        ("+33600000002", Tier.HIGH, 1), ("+33600000001", Tier.MEDIUM, 2)]


def test_r08_with_the_setting_off_a_repeat_keeps_its_place(tmp_path, sqlite_engine, clock):
    app = create_app(settings_for(tmp_path, sqlite_engine, repeat_moves_back=False),
                     adapters={"engine": sqlite_engine}, clock=clock)
    runtime = app.extensions["callq"]
    message(runtime, 1, need="Impossible d'imprimer les factures")
    clock.advance(minutes=30)
    message(runtime, 2, need="Impossible d'imprimer les factures, toujours")
    [entry] = entries(runtime)
    assert entry.messages_count == 2 and entry.queued_at == MONDAY_10H


def test_r08_a_genuinely_different_need_is_a_new_entry(runtime, clock):
    message(runtime, 1, need="L'imprimante des ordonnances n'imprime plus")
    clock.advance(minutes=10)
    message(runtime, 2, need="Comment exporter la comptabilité vers le cabinet comptable")
    assert [e.messages_count for e in entries(runtime)] == [1, 1]


def test_r08_another_number_of_the_same_client_is_the_same_caller(runtime, clock):
    add_client(runtime, "Clinique des Lilas", "+33612345678", "+33145000001")
    message(runtime, 1, "+33612345678", "Les rappels de vaccins ne partent plus")
    clock.advance(minutes=10)
    message(runtime, 2, "01 45 00 00 01", "Les rappels de vaccins ne partent toujours pas")
    [entry] = entries(runtime)
    assert entry.messages_count == 2 and entry.client_id is not None


def test_r08_withheld_numbers_are_never_taken_for_one_caller(runtime, clock):
    message(runtime, 1, "anonymous", "Les rappels de vaccins ne partent plus")
    clock.advance(minutes=10)
    message(runtime, 2, "", "Les rappels de vaccins ne partent plus")
    assert [(e.caller_number, e.messages_count) for e in entries(runtime)] == [(None, 1),
                                                                               (None, 1)]
    assert room(runtime)[0].caller_display == "Numéro masqué"


def test_r08_a_vague_repeat_attaches_to_the_open_need_of_the_caller(runtime, clock):
    message(runtime, 1, need="Le serveur est en panne")
    clock.advance(minutes=10)
    hang_up(runtime, 2)
    clock.advance(minutes=1)
    intake.finalize(runtime, SideEffect(payload={"call_sid": call_sid(2)}))
    [entry] = entries(runtime)
    assert (entry.messages_count, entry.tier, entry.vague) == (2, Tier.CRITICAL, False)


def test_r08_a_client_awaited_after_unanswered_callbacks_is_back_in_the_list(runtime, clock):
    message(runtime, 1, need="Impossible d'imprimer les factures")
    with db.write(runtime.sessions) as session:
        entry = session.scalars(select(WaitingEntry)).one()
        entry.status, entry.awaiting_since = EntryStatus.AWAITING_CLIENT, runtime.now()
    clock.advance(days=3)
    message(runtime, 2, need="Je rappelle pour l'impression des factures")
    [entry] = entries(runtime)
    assert entry.status == EntryStatus.WAITING and entry.awaiting_since is None
    assert entry.messages_count == 2
    assert "client_returned" in [e.kind for e in rows(runtime, EntryEvent)]


def test_r09_the_entry_shows_the_support_status_of_the_client_version(runtime):
    add_client(runtime, "Pharmacie du Centre", "+33478000002", version="2023.1")
    add_client(runtime, "Cabinet Durand", "+33698765432", version="2025.4")
    message(runtime, 1, "+33478000002", "Les ordonnances ne s'impriment plus")
    message(runtime, 2, "+33698765432", "La comptabilité ne s'exporte plus")
    shown = {v.client_name: (v.version, v.version_status) for v in room(runtime)}
    assert shown == {"Pharmacie du Centre": ("2023.1", VersionStatus.END_OF_SUPPORT),
                     "Cabinet Durand": ("2025.4", VersionStatus.ON_QUOTE)}


def test_r11_the_due_time_counts_business_days_from_the_tier(runtime, clock):
    message(runtime, 1, "+33600000001", "Le serveur est en panne")  # critical: 3 days
    message(runtime, 2, "+33600000002", "Question sur la sauvegarde des données")  # low: 15
    due = {e.caller_number: e.due_at for e in entries(runtime)}
    # Monday 30 March 10:00 Paris: + 3 working days is Thursday 2 April 10:00;
    # + 15 skips Easter Monday (6 April) and lands on Tuesday 21 April 10:00.
    assert due["+33600000001"] == datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    assert due["+33600000002"] == datetime(2026, 4, 21, 8, 0, tzinfo=UTC)


def test_r11_an_entry_past_its_due_time_is_flagged_late(runtime, clock):
    message(runtime, 1, need="Le serveur est en panne")
    assert room(runtime)[0].late is False
    clock.set(datetime(2026, 4, 2, 8, 1, tzinfo=UTC))
    view = room(runtime)[0]
    assert view.late is True
    # Monday 10-12 and 14-18, Tuesday and Wednesday 7 h each, Thursday 9:00-10:01.
    assert view.waiting_business_seconds == (6 + 7 + 7 + 1) * 3600 + 60


def test_r02_an_afternoon_message_sends_one_booking_link_by_sms(runtime, clock, queue):
    clock.set(datetime(2026, 3, 30, 13, 0, tzinfo=UTC))  # 15:00 Paris: appointments
    message(runtime, 1, "+33612345678", "Je voudrais un rendez-vous pour la mise à jour")
    intake.record_need(runtime, call_sid=call_sid(1), from_raw=None, speech="again",
                       confidence=None, now=runtime.now())  # a duplicate delivery
    run_due_jobs(runtime, queue)
    [sms] = [r for r in rows(runtime, GatewayRecord) if r.kind == "sms"]
    assert sms.to_number == "+33612345678"
    [short] = [word for word in sms.body.split() if word.startswith("https://")]
    assert short_links.resolve(runtime, short.rsplit("/", 1)[1]).startswith("/book/")


def test_r02_a_known_client_on_a_landline_gets_the_link_by_email(runtime, clock, queue, mailer):
    add_client(runtime, "Cabinet Durand", "+33145000001", email="contact@durand.example")
    clock.set(datetime(2026, 3, 30, 13, 0, tzinfo=UTC))
    message(runtime, 1, "+33145000001", "Je voudrais un rendez-vous pour la mise à jour")
    run_due_jobs(runtime, queue)
    [mail] = mailer.sent.values()
    assert mail["To"] == "contact@durand.example"
    assert "https://callq.example.test/book/" in mail.get_body(("plain",)).get_content()


def test_r06_a_configured_lexicon_replaces_the_default_one(tmp_path, sqlite_engine, clock):
    lexicon = tmp_path / "lexicon.json"
    lexicon.write_text(json.dumps({"critical": ["imprimante"], "high": [], "medium": [],
                                   "vague": ["rappelez-moi"]}), encoding="utf-8")
    app = create_app(settings_for(tmp_path, sqlite_engine, lexicon_path=str(lexicon)),
                     adapters={"engine": sqlite_engine}, clock=clock)
    message(app.extensions["callq"], 1, need="Mon imprimante fait du bruit")
    [entry] = entries(app.extensions["callq"])
    assert entry.tier == Tier.CRITICAL and entry.classification["matched"] == ["imprimante"]


def test_r06_a_broken_lexicon_file_stops_the_start_naming_the_file(tmp_path, sqlite_engine):
    lexicon = tmp_path / "lexicon.json"
    lexicon.write_text('{"critical": "not a list"}', encoding="utf-8")
    with pytest.raises(ValueError, match="lexicon.json"):
        create_app(settings_for(tmp_path, sqlite_engine, lexicon_path=str(lexicon)),
                   adapters={"engine": sqlite_engine})


def test_r05_a_complete_recording_is_downloaded_once_with_the_account_credentials(
        tmp_path, sqlite_engine, clock, queue):
    http = FakeTwilioHttp(replies=[(200, {"audio": "bytes"})])
    app = create_app(settings_for(tmp_path, sqlite_engine, twilio_account_sid="AC" + "1" * 32),
                     adapters={"engine": sqlite_engine, "queue": queue, "twilio_http": http},
                     clock=clock)
    runtime = app.extensions["callq"]
    message(runtime, 1, need="Le serveur est en panne")
    recording = intake.Recording(recording_sid(1), recording_url(1), 14)
    for _ in range(2):  # the action and the status callback both name it
        intake.record_recording(runtime, call_sid=call_sid(1), from_raw=None,
                                recording=recording, finished=True, now=runtime.now())
    run_due_jobs(runtime, queue)
    [request] = http.requests
    assert request["url"] == recording_url(1) + ".mp3"
    assert request["auth"] == ("AC" + "1" * 32, "test-twilio-token")
    [msg] = rows(runtime, Message)
    assert msg.recording_path == f"recordings/{recording_sid(1)}.mp3"
    saved = runtime.settings.instance_path / msg.recording_path
    assert json.loads(saved.read_bytes()) == {"audio": "bytes"}


def test_r05_without_a_twilio_account_the_recording_is_kept_as_its_url(runtime, queue):
    message(runtime, 1, need="Le serveur est en panne")
    intake.record_recording(runtime, call_sid=call_sid(1), from_raw=None,
                            recording=intake.Recording(recording_sid(1), recording_url(1), 9),
                            finished=True, now=runtime.now())
    run_due_jobs(runtime, queue)
    [msg] = rows(runtime, Message)
    assert (msg.recording_url, msg.recording_seconds, msg.recording_path) == (
        recording_url(1), 9, None)
    [effect] = [e for e in rows(runtime, SideEffect) if e.kind == "fetch_recording"]
    assert effect.status == "done"


def test_get_entry_gives_the_same_position_as_the_list(runtime, clock):
    for n, need in enumerate(["Question sur les sauvegardes", "Serveur en panne",
                              "rappelez-moi", "Erreur à l'ouverture du logiciel"], start=1):
        message(runtime, n, f"+3360000000{n}", need)
        clock.advance(minutes=1)
    with runtime.sessions() as session:
        listed = {v.id: v.position for v in list_entries(session, runtime)[0]}
        single = {i: get_entry(session, runtime, i).position for i in listed}
    assert single == listed == {2: 1, 4: 2, 1: 3, 3: 4}


def test_a_call_the_hotline_placed_itself_is_not_taken_for_an_incoming_one(runtime):
    with db.write(runtime.sessions) as session:
        session.add(Call(call_sid=call_sid(1), direction="outbound", purpose="callback"))
    with pytest.raises(intake.NotAnIntakeCall):
        intake.record_need(runtime, call_sid=call_sid(1), from_raw=None, speech="x",
                           confidence=None, now=runtime.now())
    assert rows(runtime, Message) == []


def test_the_demo_desk_comes_with_last_evening_s_voicemails_in_order(runtime):
    runtime.settings.instance_path.mkdir(parents=True, exist_ok=True)  # where logins are kept
    lines = list(load_demo(runtime))
    assert "5 voicemails of last evening in the waiting room" in lines
    assert [(v.client_name, v.tier, v.vague, v.messages_count) for v in room(runtime)] == [
        ("Clinique des Lilas", Tier.CRITICAL, False, 2), (None, Tier.HIGH, False, 1),
        ("Pharmacie du Centre", Tier.MEDIUM, False, 1), ("Cabinet Durand", Tier.LOW, True, 1)]


def test_r08_a_vague_entry_takes_the_need_stated_later_its_tier_and_that_time(runtime, clock):
    message(runtime, 1, "+33600000001", "Bonjour, rappelez-moi s'il vous plaît")
    clock.advance(minutes=5)
    message(runtime, 2, "+33600000002", "Question sur le tarif des rappels vaccins par SMS")
    clock.advance(minutes=10)
    message(runtime, 3, "+33600000003", "L'imprimante des ordonnances n'imprime plus")
    clock.advance(minutes=5)
    message(runtime, 4, "+33600000001", "Les relances clients ne partent plus par email")
    [entry] = [e for e in entries(runtime) if e.caller_number == "+33600000001"]
    assert (entry.vague, entry.tier, entry.messages_count) == (False, Tier.HIGH, 2)
    assert entry.need_text == "Les relances clients ne partent plus par email"
    assert entry.queued_at == MONDAY_10H + timedelta(minutes=20)  # the stating message's time
    # Calling vaguely first bought nothing over the caller who stated a high need at 10:15,
    # and the high need is not left below the low one.
    assert [v.caller_number for v in room(runtime)] == ["+33600000003", "+33600000001",
                                                         "+33600000002"]
    event = rows(runtime, EntryEvent)[-1]
    assert (event.kind, event.detail["need_stated"]) == ("message_attached", True)


def test_r08_chasing_after_a_stated_need_is_attached_and_opens_no_entry(runtime, clock):
    message(runtime, 1, need="Le logiciel plante quand j'ouvre un dossier")
    for n, chase in enumerate(("je voudrais savoir où vous en êtes",
                               "ça fait trois jours que j'attends"), start=2):
        clock.advance(minutes=10)
        message(runtime, n, need=chase)
    [entry] = entries(runtime)
    assert (entry.messages_count, entry.tier, entry.vague) == (3, Tier.HIGH, False)
    assert entry.need_text == "Le logiciel plante quand j'ouvre un dossier"


def test_r06_a_german_speaking_client_s_need_is_read_with_the_german_lexicon(runtime):
    add_client(runtime, "Praxis Keller", "+41311234567", language="de")
    message(runtime, 1, "+41311234567", "Grüezi, der Server ist abgestürzt, nichts geht mehr")
    [entry] = entries(runtime)
    assert (entry.language, entry.tier, entry.vague) == ("de", Tier.CRITICAL, False)
    assert entry.classification["lexicon"] == "de"
