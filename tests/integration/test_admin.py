"""Administration use cases on both databases (issue 12): CSV import (idempotent, all or
nothing, matched by email or number), merge, absences handed to R14 at once, hours, series and
texts read by every process, fair booking, and the two end-to-end stories of the issue."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest
from sqlalchemy import delete, select

from callq import audit, db, i18n
from callq.admin import absences, client_import, clients, closures, hours, series, texts
from callq.admin.client_csv import CsvRefused
from callq.models import Appointment, Client, ClientPhone, TextOverride, WaitingEntry
from callq.status import AppointmentStatus
from callq.waiting_room import EntryFilter, list_entries
from callq.wordings import overridable
from scheduling.calendar import PARIS
from tests.planner_support import MONDAY_14H, SLOT, add_agent, book, effects_of
from tests.voice_support import incoming, post, speech, twiml
from tests.voice_support import spoken as spoken_text

HEADER = "name,email,phones,language,product_version\n"


def csv(*lines: str) -> str:
    return HEADER + "".join(line + "\n" for line in lines)


def all_clients(runtime) -> list[Client]:
    with db.read(runtime.sessions) as session:
        return list(session.scalars(select(Client).order_by(Client.id)))


def numbers(runtime) -> dict[str, int]:
    with db.read(runtime.sessions) as session:
        return {n: c for n, c in session.execute(select(ClientPhone.number,
                                                        ClientPhone.client_id))}


def test_import_creates_then_reimport_changes_nothing(runtime):
    text = csv("Clinique des Lilas,accueil@lilas.example,06 12 34 56 78;01 45 00 00 01,fr,2026.1",
               "Cabinet Keller,,+41 31 000 00 00,de,2024")
    first = client_import.import_clients(runtime, text, actor="cli")
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = client_import.import_clients(runtime, text, actor="cli")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert len(all_clients(runtime)) == 2
    assert set(numbers(runtime)) == {"+33612345678", "+33145000001", "+41310000000"}


def test_import_matches_by_email_or_by_number_and_reports_each_update(runtime):
    client_import.import_clients(runtime, csv("Lilas,a@lilas.example,,fr,2025",
                                              "Keller,,0612345678,de,2024"), actor="cli")
    report = client_import.import_clients(
        runtime, csv("Clinique des Lilas,A@Lilas.example,,,", "Keller,,06 12 34 56 78,,2026"),
        actor="cli")
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    assert report.changes == [
        "line 2: update #1 Lilas: name 'Lilas' -> 'Clinique des Lilas'",
        "line 3: update #2 Keller: product_version '2024' -> '2026'"]
    assert [c.name for c in all_clients(runtime)] == ["Clinique des Lilas", "Keller"]


def test_a_dry_run_reports_and_writes_nothing(runtime):
    report = client_import.import_clients(runtime, csv("Lilas,a@l.example,0612345678,fr,2026"),
                                          actor="cli", dry_run=True)
    assert (report.created, report.dry_run) == (1, True)
    assert report.changes == ["line 2: create Lilas"]
    assert all_clients(runtime) == []


def test_an_update_by_number_keeps_empty_columns_and_adds_numbers(runtime):
    client_import.import_clients(runtime, csv("Lilas,a@l.example,0612345678,fr,2025"),
                                 actor="cli")
    report = client_import.import_clients(
        runtime, csv("Clinique des Lilas,,0612345678;0698765432,,2026"), actor="cli")
    assert (report.created, report.updated) == (0, 1)
    [client] = all_clients(runtime)
    assert (client.name, client.email, client.product_version) == (
        "Clinique des Lilas", "a@l.example", "2026")
    assert numbers(runtime) == {"+33612345678": client.id, "+33698765432": client.id}


@pytest.mark.parametrize("lines,problem", [  # line 2 is a good row
    (["A,,0612345678,,", "B,,06 12 34 56 78,,"], "line 4: number +33612345678 is also on line 3"),
    (["A,a@x.example,,,", "A bis,A@X.example,,,"], "line 4: same client as line 3"),
    (["A,,0612345678,,", ",,,,", "B,x,,,"], "line 5: email: not an email address: 'x'"),
    (["A,,12,,"], "line 3: phones: not a phone number that can be called: '12'"),
    (["A,,,xx,"], "line 3: language: not a language callq speaks"),
    (["A,,,,beta"], "line 3: product_version: not a version: 'beta'"),
    (["A,,,"], "line 3: 4 values for 5 columns"),
])
def test_every_bad_row_is_named_and_nothing_is_imported(runtime, lines, problem):
    with pytest.raises(CsvRefused) as refused:
        client_import.import_clients(runtime, csv("Good,good@x.example,0145000001,,", *lines),
                                     actor="cli")
    assert any(str(p).startswith(problem) for p in refused.value.problems), \
        refused.value.problems
    assert all_clients(runtime) == []


def test_a_row_whose_email_and_number_are_two_clients_is_refused_naming_both(runtime):
    client_import.import_clients(runtime, csv("Lilas,a@l.example,,,", "Keller,,0612345678,,"),
                                 actor="cli")
    with pytest.raises(CsvRefused) as refused:
        client_import.import_clients(runtime, csv("X,a@l.example,0612345678,,"), actor="cli")
    problem = str(refused.value.problems[0])
    assert "#1 Lilas" in problem and "#2 Keller" in problem


def test_utf8_with_bom_and_a_wrong_encoding(runtime):
    data = ("\ufeff" + csv("Crèche Les Câlins,,0612345678,fr,")).encode("utf-8")
    client_import.import_clients(runtime, client_import.decode_file(data), actor="cli")
    assert all_clients(runtime)[0].name == "Crèche Les Câlins"
    with pytest.raises(CsvRefused, match="not UTF-8"):
        client_import.decode_file("Crèche".encode("latin-1"))


def test_export_reads_back_unchanged_and_the_import_is_audited(runtime):
    client_import.import_clients(runtime, csv("Lilas,a@l.example,0612345678;0145000001,de,2026",
                                              "Keller,,+41310000000,fr,"),
                                 actor="alice@example.test", source="c.csv")
    exported = client_import.export_clients(runtime)
    assert exported.splitlines()[1:] == ["Keller,,+41310000000,fr,",
                                         "Lilas,a@l.example,+33145000001;+33612345678,de,2026"]
    report = client_import.import_clients(runtime, exported, actor="cli")
    assert report.unchanged == 2
    [line] = [a for a in audit.recent(runtime) if a.actor == "alice@example.test"]
    assert (line.action, line.target, line.after["created"]) == ("clients.import", "c.csv", 2)


def test_import_of_several_thousand_rows_in_bulk(runtime):
    rows = [f"Client {n},c{n}@x.example,+331{n:08d},fr,2026" for n in range(3000)]
    report = client_import.import_clients(runtime, csv(*rows), actor="cli")
    assert report.created == 3000
    assert len(numbers(runtime)) == 3000
    assert client_import.import_clients(runtime, csv(*rows), actor="cli").unchanged == 3000


def test_merge_moves_numbers_entries_and_appointments_to_the_survivor(runtime):
    keep = clients.create_client(runtime, clients.fields_from(runtime, {
        "name": "Lilas", "phones": "0612345678"}), actor="cli")
    dup = clients.create_client(runtime, clients.fields_from(runtime, {
        "name": "Lilas bis", "email": "b@l.example", "phones": "0698765432",
        "product_version": "2025"}), actor="cli")
    add_agent(runtime)
    with db.write(runtime.sessions) as session:
        session.add(WaitingEntry(caller_number="+33698765432", client_id=dup.id,
                                 arrived_at=runtime.now(), queued_at=runtime.now()))
    appt = book(runtime, client_id=dup.id, client_phone="+33698765432")
    merged = clients.merge_clients(runtime, keep.id, dup.id, actor="cli")
    assert merged.phones == ("+33612345678", "+33698765432")
    assert (merged.email, merged.product_version) == ("b@l.example", "2025")
    with db.read(runtime.sessions) as session:
        assert session.scalar(select(WaitingEntry.client_id)) == keep.id
        assert session.get(Appointment, appt.id).client_id == keep.id
    assert [c.id for c in all_clients(runtime)] == [keep.id]


def test_a_number_cannot_belong_to_two_clients(runtime):
    first = clients.create_client(runtime, clients.fields_from(runtime, {
        "name": "Lilas", "phones": "0612345678"}), actor="cli")
    other = clients.create_client(runtime, clients.fields_from(runtime, {"name": "Keller"}),
                                  actor="cli")
    with pytest.raises(ValueError, match=f"#{first.id} Lilas"):
        clients.edit_client(runtime, other.id, clients.fields_from(runtime, {
            "name": "Keller", "phones": "+33 6 12 34 56 78"}), actor="cli")


def test_issue_12_imported_clients_are_named_with_their_version_status_when_they_call(
        app, runtime, clock):
    client_import.import_clients(runtime, csv(
        "Clinique des Lilas,accueil@lilas.example,06 12 34 56 78,fr,2025.2"), actor="cli")
    http = app.test_client()
    spoken = spoken_text(twiml(post(http, "/twilio/voice", incoming(1))))
    assert "devis" in spoken  # R9: the 2025 series is on quote, and the caller is told
    clock.advance(seconds=20)
    post(http, "/twilio/gather?lang=fr", speech(1, "Le serveur est en panne"))
    with db.read(runtime.sessions) as session:
        [entry], _total = list_entries(session, runtime, limit=10, offset=0, lang="fr",
                                       filters=EntryFilter())
    assert (entry.client_name, entry.version_status) == ("Clinique des Lilas", "on_quote")
    series.save_series(runtime, series.policy_from("2026, 2025", ""), actor="cli")
    with db.read(runtime.sessions) as session:
        [entry], _total = list_entries(session, runtime, limit=10, offset=0, lang="fr",
                                       filters=EntryFilter())
    assert entry.version_status == "supported"


def test_r14_issue_12_an_absence_over_two_appointments_reassigns_one_and_warns_the_other(
        runtime):
    lea = add_agent(runtime, "Léa Martin")
    busy_colleague = add_agent(runtime, "Noé Blanc", phone="+33612000003")
    first = book(runtime, MONDAY_14H, agent_id=lea)
    book(runtime, MONDAY_14H + SLOT, agent_id=busy_colleague)  # Noé is busy at 14:30
    second = book(runtime, MONDAY_14H + SLOT, agent_id=lea, client_phone="+33698765432",
                  client_email="bob@cabinet.example")
    _absence, touched = absences.add_absence(
        runtime, agent_id=lea, starts_at=MONDAY_14H, ends_at=MONDAY_14H + 2 * SLOT,
        reason="malade", actor="cli")
    outcome = {t.appointment_id: t.reassigned_to for t in touched}
    assert outcome == {first.id: "Noé Blanc", second.id: None}
    with db.read(runtime.sessions) as session:
        moved, warned = session.get(Appointment, first.id), session.get(Appointment, second.id)
    assert (moved.agent_id, moved.status) == (busy_colleague, AppointmentStatus.BOOKED)
    assert warned.status == AppointmentStatus.CANCELLED
    kinds = [e.payload.get("to") for e in effects_of(runtime, "email")]
    assert "bob@cabinet.example" in kinds  # warned now, hours before the time
    assert [a.action for a in audit.recent(runtime)][0] == "absence.add"


def test_r12_bookings_spread_over_agents_least_booked_that_day(runtime):
    agents = [add_agent(runtime, f"Agent {n}", email=f"a{n}@desk.example",
                        phone=f"+3361200000{n}") for n in range(3)]
    booked = [book(runtime, MONDAY_14H + n * SLOT, client_phone=f"+3369876543{n}").agent_id
              for n in range(3)]
    assert sorted(booked) == agents  # one each, not three for the first free agent


def test_r04_saved_hours_are_what_the_runtime_uses(runtime):
    short = replace(PARIS, week=MappingProxyType({d: PARIS.week[d] for d in range(4)}))
    hours.save_hours(runtime, short, actor="cli")
    friday = datetime(2026, 4, 3).date()
    assert not runtime.calendar().is_working_day(friday)
    assert hours.current_hours(runtime).stored
    hours.reset_hours(runtime, actor="cli")
    assert runtime.calendar().is_working_day(friday)


def test_r14_r04_hours_that_no_longer_hold_an_appointment_warn_its_client_at_once(runtime):
    lea = add_agent(runtime, "Léa Martin")
    friday = book(runtime, datetime(2026, 4, 3, 13, tzinfo=UTC), agent_id=lea,  # 15:00 Paris
                  client_phone="+33698765432", client_email="bob@cabinet.example")
    monday = book(runtime, MONDAY_14H, agent_id=lea)
    no_friday = replace(PARIS, week=MappingProxyType({d: PARIS.week[d] for d in range(4)}))
    touched = hours.save_hours(runtime, no_friday, actor="cli")
    assert [(t.appointment_id, t.reassigned_to) for t in touched] == [(friday.id, None)]
    with db.read(runtime.sessions) as session:
        statuses = [session.get(Appointment, a.id).status for a in (friday, monday)]
    assert statuses == [AppointmentStatus.CANCELLED, AppointmentStatus.BOOKED]
    assert "bob@cabinet.example" in [e.payload.get("to") for e in effects_of(runtime, "email")]
    assert [a.action for a in audit.recent(runtime)][:2] == ["hours.warn", "hours.save"]
    _spec, again = hours.reset_hours(runtime, actor="cli")
    assert again == []  # Monday's was held all along, Friday's is cancelled already


def test_a_reworded_prompt_is_said_by_the_next_call(app, runtime):
    index = next(n for n, w in enumerate(overridable())
                 if w.message == "Hello, this is technical support.")
    texts.set_text(runtime, "fr", index, "Bienvenue chez le support de Logiciel SA.",
                   actor="cli")
    spoken = spoken_text(twiml(post(app.test_client(), "/twilio/voice", incoming(7))))
    assert spoken.startswith("Bienvenue chez le support de Logiciel SA.")
    texts.reset_text(runtime, "fr", index, actor="cli")
    runtime.refresh()
    assert i18n.gettext("Hello, this is technical support.", "fr") != (
        "Bienvenue chez le support de Logiciel SA.")


def test_another_process_sees_a_wording_within_a_minute(runtime, clock):
    index = next(n for n, w in enumerate(overridable()) if w.message == "Support is closed.")
    runtime.refresh()
    with db.write(runtime.sessions) as session:  # as another process would have written it
        session.add(TextOverride(lang="fr", message=overridable()[index].message,
                                 text="Fermé pour aujourd'hui."))
    assert i18n.gettext("Support is closed.", "fr") != "Fermé pour aujourd'hui."
    clock.advance(seconds=61)
    runtime.refresh()
    assert i18n.gettext("Support is closed.", "fr") == "Fermé pour aujourd'hui."
    with db.write(runtime.sessions) as session:
        session.execute(delete(TextOverride))
    clock.advance(seconds=61)
    runtime.refresh()
    assert i18n.gettext("Support is closed.", "fr") != "Fermé pour aujourd'hui."


def test_an_absence_must_end_after_it_starts_and_writes_nothing(runtime):
    lea = add_agent(runtime)
    start = datetime(2026, 4, 1, 8, tzinfo=UTC)
    with pytest.raises(absences.Refused):
        absences.add_absence(runtime, agent_id=lea, starts_at=start,
                             ends_at=start - timedelta(hours=1), reason="", actor="cli")
    assert absences.list_absences(runtime) == []


def test_r03_r04_a_closure_day_is_said_to_callers_with_its_label(app, runtime):
    today = runtime.calendar().local(runtime.now()).date()
    closures.add_closure(runtime, today, "inventaire annuel", actor="cli")
    spoken = spoken_text(twiml(post(app.test_client(), "/twilio/voice", incoming(3))))
    assert "Le support est fermé aujourd'hui\u00a0: inventaire annuel." in spoken
