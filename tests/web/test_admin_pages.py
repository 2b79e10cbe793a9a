"""The administration pages over HTTP (issue 12): administrators only (an agent gets 403), each
page's form, bad input answered 400 with the reason and nothing written, every change in the
history."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from callq import agents, audit, db
from callq.admin import absences, clients, closures
from callq.models import Absence, Client, ClientPhone, TextOverride
from tests.planner_support import book
from tests.web.agent_pages import log_in, parse
from tests.workspace_data import add_agent, add_client

PAGES = ["/admin/", "/admin/clients", "/admin/clients/new", "/admin/clients/import",
         "/admin/clients/export", "/admin/history", "/admin/agents", "/admin/absences",
         "/admin/closures", "/admin/hours", "/admin/texts", "/admin/texts/0",
         "/admin/series"]


@pytest.fixture
def admin(app, runtime):
    add_agent(runtime, "Alice", email="alice@example.test", admin=True)
    client = app.test_client()
    assert log_in(client, "alice@example.test").status_code == 302
    return client


def token(client) -> str:
    return parse(client.get("/admin/closures").data).find("input", name="csrf_token").attrs[
        "value"]


def count(runtime, table) -> int:
    with db.read(runtime.sessions) as session:
        return len(list(session.scalars(select(table))))


@pytest.mark.parametrize("path", PAGES)
def test_every_admin_page_answers_an_administrator(admin, path):
    response = admin.get(path, follow_redirects=True)
    assert response.status_code == 200, response.data[:400]


@pytest.mark.parametrize("path", PAGES)
def test_an_agent_gets_403_on_every_admin_page(app, runtime, path):
    add_agent(runtime, "Bob", email="bob@example.test")
    client = app.test_client()
    log_in(client, "bob@example.test")
    assert client.get(path).status_code == 403


def test_a_stranger_is_asked_to_log_in(app):
    assert app.test_client().get("/admin/clients").status_code == 401


def test_r09_creating_a_client_normalises_numbers_and_shows_its_version_status(admin, runtime):
    response = admin.post("/admin/clients/new", data={
        "csrf_token": token(admin), "name": "Clinique des Lilas", "email": "a@lilas.example",
        "phones": "06 12 34 56 78\n+41 31 000 00 00", "language": "de",
        "product_version": "2025.3"}, follow_redirects=True)
    assert response.status_code == 200
    found, _ = clients.search_clients(runtime, "Lilas")
    assert found[0].phones == ("+33612345678", "+41310000000")
    assert found[0].version_status == "on_quote"
    assert "client.create" in [line.action for line in audit.recent(runtime)]


def test_a_number_of_another_client_is_refused_naming_that_client(admin, runtime):
    add_client(runtime, "Cabinet Martin", phone="+33612345678")
    response = admin.post("/admin/clients/new", data={
        "csrf_token": token(admin), "name": "Autre", "phones": "06 12 34 56 78",
        "language": "fr"})
    assert response.status_code == 400
    assert "Cabinet Martin" in parse(response.data).find(role="alert").text
    assert count(runtime, Client) == 1


@pytest.mark.parametrize("field,value", [("name", ""), ("email", "nope"), ("phones", "12"),
                                         ("language", "xx"), ("product_version", "abc")])
def test_bad_client_fields_get_400_with_the_field_and_nothing_written(admin, runtime, field,
                                                                      value):
    data = {"csrf_token": token(admin), "name": "Ok", "email": "", "phones": "",
            "language": "fr", "product_version": "", field: value}
    response = admin.post("/admin/clients/new", data=data)
    assert response.status_code == 400
    assert field in parse(response.data).find(role="alert").text
    assert count(runtime, Client) == 0


def test_merging_moves_the_numbers_to_the_survivor(admin, runtime):
    keep = add_client(runtime, "Lilas", phone="+33612345678")
    dup = add_client(runtime, "Lilas (doublon)", email=None, phone="+33698765432")
    response = admin.post(f"/admin/clients/{keep}/merge",
                          data={"csrf_token": token(admin), "duplicate": str(dup)})
    assert response.status_code == 303
    assert clients.get_client(runtime, keep).phones == ("+33612345678", "+33698765432")
    with pytest.raises(clients.Unknown):
        clients.get_client(runtime, dup)


def test_csv_import_dry_run_reports_then_import_creates(admin, runtime):
    csv = "name,email,phones,language,product_version\nLilas,a@l.example,0612345678,fr,2026\n"
    dry = admin.post("/admin/clients/import", data={
        "csrf_token": token(admin), "dry_run": "1",
        "file": (io.BytesIO(csv.encode()), "c.csv")}, content_type="multipart/form-data")
    assert parse(dry.data).find(class_="counts").attrs["data-created"] == "1"
    assert count(runtime, Client) == 0
    done = admin.post("/admin/clients/import", data={
        "csrf_token": token(admin), "file": (io.BytesIO(csv.encode()), "c.csv")},
        content_type="multipart/form-data")
    assert done.status_code == 200
    assert count(runtime, ClientPhone) == 1


def test_a_bad_csv_names_its_line_and_imports_nothing(admin, runtime):
    csv = "name,email,phones,language,product_version\nA,,0612345678,,\n,,,,\nB,x,,,\n"
    response = admin.post("/admin/clients/import", data={
        "csrf_token": token(admin), "file": (io.BytesIO(csv.encode()), "c.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    problems = [li.text for li in parse(response.data).find(class_="problems").find_all("li")]
    # (the page's text with its no-break spaces collapsed)
    assert problems == ["ligne 4 : email : pas une adresse e-mail : 'x'"]
    assert count(runtime, Client) == 0


def test_agents_page_adds_edits_disables_and_resets(admin, runtime):
    response = admin.post("/admin/agents", data={
        "csrf_token": token(admin), "email": "cam@example.test", "name": "Camille",
        "phone": "06 12 00 00 09", "password": "long enough", "language": "de"})
    assert response.status_code == 303
    agent = next(a for a in agents.list_agents(runtime)
                 if a.email == "cam@example.test")
    assert admin.post(f"/admin/agents/{agent.id}", data={
        "csrf_token": token(admin), "action": "disable"}).status_code == 303
    bad = admin.post(f"/admin/agents/{agent.id}", data={
        "csrf_token": token(admin), "action": "edit", "name": "C", "phone": "12",
        "language": "fr"})
    assert bad.status_code == 400
    assert admin.post(f"/admin/agents/{agent.id}", data={
        "csrf_token": token(admin), "action": "nonsense"}).status_code == 400
    actions = [line.action for line in audit.recent(runtime)]
    assert actions[:2] == ["agent.disable", "agent.add"]


def test_r04_r14_closure_page_adds_and_removes_a_day_and_lists_the_clients_warned(admin,
                                                                                 runtime):
    agent = add_agent(runtime, "Camille", phone="+33612000009")
    booked = book(runtime, datetime(2026, 4, 8, 12, tzinfo=UTC), agent_id=agent)
    response = admin.post("/admin/closures", data={
        "csrf_token": token(admin), "day": "2026-04-08", "label": "inventaire annuel"})
    assert response.status_code == 200
    assert runtime.calendar().holiday_name(datetime(2026, 4, 8).date()) == "inventaire annuel"
    [warned] = parse(response.data).find_all("li", class_="touched-appointment")
    assert (warned.attrs["data-id"], warned.attrs["data-outcome"]) == (str(booked.id), "warned")
    assert "Hélène Dupont" in warned.text
    assert admin.post("/admin/closures", data={
        "csrf_token": token(admin), "day": "2026-04-08"}).status_code == 400
    assert admin.post("/admin/closures", data={
        "csrf_token": token(admin), "day": "8 avril"}).status_code == 400
    assert admin.post("/admin/closures/2026-04-08/remove",
                      data={"csrf_token": token(admin)}).status_code == 303
    assert closures.list_closures(runtime) == []


def test_r04_hours_preview_changes_nothing_and_save_changes_the_calendar(admin, runtime):
    form = parse(admin.get("/admin/hours").data).find("form", class_="hours")
    data = {i.attrs["name"]: i.attrs.get("value", "") for i in form.find_all("input")
            if i.attrs.get("type") != "checkbox"}
    data["appointments_fri"] = "14:00-16:00"
    preview = admin.post("/admin/hours", data={**data, "action": "preview"})
    days = parse(preview.data).find_all("tr", class_="preview-day")
    friday = next(d for d in days if d.attrs["data-day"] == "2026-04-03")
    assert friday.attrs["data-slots"] == "4"
    assert runtime.calendar().intervals_on(datetime(2026, 4, 3).date())[-1].end.hour == 16
    saved = admin.post("/admin/hours", data={**data, "action": "save"})
    assert saved.status_code == 303
    assert runtime.calendar().intervals_on(datetime(2026, 4, 3).date())[-1].end == datetime(
        2026, 4, 3, 14, 0, tzinfo=UTC)
    bad = admin.post("/admin/hours", data={**data, "live_mon": "9h-12h", "action": "save"})
    assert bad.status_code == 400 and "live_mon" in parse(bad.data).find(role="alert").text


def test_r04_r14_hours_saved_over_an_appointment_list_its_client_warned(admin, runtime):
    agent = add_agent(runtime, "Camille", phone="+33612000009")
    late = book(runtime, datetime(2026, 4, 3, 15, tzinfo=UTC), agent_id=agent)  # 17:00 Paris
    form = parse(admin.get("/admin/hours").data).find("form", class_="hours")
    data = {i.attrs["name"]: i.attrs.get("value", "") for i in form.find_all("input")
            if i.attrs.get("type") != "checkbox"}
    saved = admin.post("/admin/hours", data={**data, "appointments_fri": "14:00-16:00",
                                              "action": "save"})
    assert saved.status_code == 200
    [warned] = parse(saved.data).find_all("li", class_="touched-appointment")
    assert (warned.attrs["data-id"], warned.attrs["data-outcome"]) == (str(late.id), "warned")


def test_texts_refuse_an_unknown_placeholder_and_preview_and_reset(admin, runtime):
    page = parse(admin.get("/admin/texts/0?text_lang=fr").data)
    assert page.find("blockquote", class_="default").text
    bad = admin.post("/admin/texts/0", data={"csrf_token": token(admin), "text_lang": "fr",
                                             "text": "Bonjour %(prenom)s", "action": "save"})
    assert bad.status_code == 400 and "%(prenom)s" in parse(bad.data).find(role="alert").text
    assert count(runtime, TextOverride) == 0
    ok = admin.post("/admin/texts/0", data={"csrf_token": token(admin), "text_lang": "fr",
                                            "text": "Nous vous écrivons un SMS.",
                                            "action": "save"})
    assert ok.status_code == 303 and count(runtime, TextOverride) == 1
    admin.post("/admin/texts/0", data={"csrf_token": token(admin), "text_lang": "fr",
                                       "action": "reset"})
    assert count(runtime, TextOverride) == 0


def test_r09_series_page_saves_a_policy_and_refuses_nonsense(admin, runtime):
    assert admin.post("/admin/series", data={"csrf_token": token(admin),
                                             "supported": "2026, 2025", "on_quote": "2024",
                                             "action": "save"}).status_code == 303
    assert runtime.series().status(2025) == "supported"
    assert runtime.series().status(2024) == "on_quote"
    assert admin.post("/admin/series", data={"csrf_token": token(admin), "supported": "abc",
                                             "on_quote": "", "action": "save"}
                      ).status_code == 400


def test_r14_admin_absence_page_enters_and_removes(admin, runtime):
    agent = add_agent(runtime, "Camille")
    response = admin.post("/admin/absences", data={
        "csrf_token": token(admin), "agent_id": str(agent), "starts_at": "2026-04-01T09:00",
        "ends_at": "2026-04-01T12:00", "reason": "formation"})
    assert response.status_code == 200
    assert count(runtime, Absence) == 1
    assert admin.post("/admin/absences", data={
        "csrf_token": token(admin), "agent_id": str(agent), "starts_at": "demain",
        "ends_at": "2026-04-01T12:00"}).status_code == 400
    assert count(runtime, Absence) == 1


def test_the_history_page_shows_who_changed_what(admin, runtime):
    admin.post("/admin/closures", data={"csrf_token": token(admin), "day": "2026-04-08",
                                        "label": "inventaire"})
    row = parse(admin.get("/admin/history").data).find("tr", class_="change")
    assert row.attrs["data-action"] == "closure.add"
    assert "alice@example.test" in row.text and "inventaire" in row.text


def test_r12_an_agent_enters_and_removes_their_own_absence_from_the_planner(app, runtime):
    bob = add_agent(runtime, "Bob", email="bob@example.test")
    other = add_agent(runtime, "Camille")
    client = app.test_client()
    log_in(client, "bob@example.test")
    form = parse(client.get("/planner/absences").data)
    csrf = form.find("input", name="csrf_token").attrs["value"]
    response = client.post("/planner/absences", data={
        "csrf_token": csrf, "starts_at": "2026-04-02T14:00", "ends_at": "2026-04-02T18:00",
        "reason": "formation", "agent_id": str(other)})  # an agent_id is ignored: one's own
    assert response.status_code == 200
    [mine] = absences.list_absences(runtime)
    assert (mine.agent_id, mine.reason) == (bob, "formation")
    theirs, _ = absences.add_absence(runtime, agent_id=other, starts_at=mine.starts_at,
                                     ends_at=mine.ends_at, reason="", actor="cli")
    assert client.post(f"/planner/absences/{theirs.id}/remove",
                       data={"csrf_token": csrf}).status_code == 404
    assert client.post(f"/planner/absences/{mine.id}/remove",
                       data={"csrf_token": csrf}).status_code == 303
    assert [a.id for a in absences.list_absences(runtime)] == [theirs.id]
    assert client.post("/planner/absences", data={
        "csrf_token": csrf, "starts_at": "2026-04-02T18:00",
        "ends_at": "2026-04-02T14:00"}).status_code == 400


def test_the_last_administrator_cannot_disable_themselves(admin, runtime):
    me = next(a for a in agents.list_agents(runtime) if a.email == "alice@example.test")
    refused = admin.post(f"/admin/agents/{me.id}", data={"csrf_token": token(admin),
                                                          "action": "disable"})
    assert refused.status_code == 400
    assert "dernier administrateur" in parse(refused.data).find(role="alert").text
    demoted = admin.post(f"/admin/agents/{me.id}", data={
        "csrf_token": token(admin), "action": "edit", "name": "Alice", "phone": "0612000002",
        "language": "fr"})  # the administrator box left unticked
    assert demoted.status_code == 400
    assert next(a for a in agents.list_agents(runtime) if a.id == me.id).is_admin
