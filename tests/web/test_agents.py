"""The agents' pages over HTTP (R5-R11): behind login, the ordered list with its badges and
reasons, the entry with its history, and every action refused when it must be: 401 without a
session, 400 without the CSRF token, 403 on another agent's entry, 409 on an old page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from callq import intake
from callq.app import create_app
from callq.models import EntryEvent, Message
from callq.status import EntryStatus, Outcome, Tier
from callq.workspace import claims
from tests.conftest import run_due_jobs, settings_for
from tests.fakes import FakeTwilioHttp
from tests.web.agent_pages import log_in, parse, token_of
from tests.workspace_data import add_agent, add_client, add_entry, entry, version


@pytest.fixture
def camille(runtime) -> int:
    return add_agent(runtime)


@pytest.fixture
def client(app, camille):
    """A browser session logged in as Camille."""
    browser = app.test_client()
    assert log_in(browser, "camille@example.test").status_code == 302
    return browser


def _post(client, path, **form):
    return client.post(path, data={"csrf_token": token_of(client), **form})


def test_r10_every_agent_page_needs_a_login_and_shows_the_login_form_with_401(app, runtime):
    entry_id = add_entry(runtime)
    anonymous = app.test_client()
    for path in ("/agents/", f"/agents/entries/{entry_id}", "/agents/?fragment=1"):
        response = anonymous.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 401
        form = parse(response.data).find("form", action="/login")
        assert form.find("input", name="next").attrs["value"] == path.rstrip("?")
    audio = anonymous.get("/agents/recordings/1")
    assert audio.status_code == 401


def test_r10_an_action_without_a_session_is_refused_with_401_and_changes_nothing(app,
                                                                                 runtime):
    entry_id = add_entry(runtime)
    anonymous = app.test_client()
    token = parse(anonymous.get("/login").data).find("input", name="csrf_token").attrs["value"]
    response = anonymous.post("/agents/take-next", data={"csrf_token": token})
    assert response.status_code == 401
    assert entry(runtime, entry_id).status == EntryStatus.WAITING


def test_r10_a_cross_site_post_without_the_csrf_token_is_refused_with_400(client, runtime):
    entry_id = add_entry(runtime)
    response = client.post("/agents/take-next")
    assert response.status_code == 400
    assert "rechargez la page" in parse(response.data).find("p", role="alert").text
    response = client.post(f"/agents/entries/{entry_id}/take",
                           data={"version": version(runtime, entry_id), "csrf_token": "forged"})
    assert response.status_code == 400
    assert entry(runtime, entry_id).status == EntryStatus.WAITING


def test_r10_another_agent_s_actions_on_my_entry_are_refused_with_403(app, runtime, client,
                                                                     camille):
    entry_id = add_entry(runtime)
    assert _post(client, "/agents/take-next").status_code == 302
    add_agent(runtime, "Hugo")
    hugo = app.test_client()
    log_in(hugo, "hugo@example.test")
    shown = version(runtime, entry_id)
    for action, form in (("outcome", {"outcome": "solved"}), ("call", {}), ("release", {}),
                         ("take", {}), ("tier", {"tier": "low", "reason": "x"})):
        response = _post(hugo, f"/agents/entries/{entry_id}/{action}", version=shown, **form)
        assert response.status_code == 403, action
        alert = parse(response.data).find("p", role="alert")
        assert alert.text == "Camille tient déjà cette demande."
    held = entry(runtime, entry_id)
    assert (held.claimed_by, held.version, held.status) == (camille, shown, EntryStatus.CLAIMED)


def test_r10_an_action_from_a_page_that_is_out_of_date_is_refused_with_409(client, runtime):
    entry_id = add_entry(runtime, tier=Tier.LOW)
    shown = version(runtime, entry_id)
    _post(client, f"/agents/entries/{entry_id}/tier", version=shown, tier="high",
          reason="Bloquant")
    response = _post(client, f"/agents/entries/{entry_id}/tier", version=shown, tier="low",
                     reason="Non")
    assert response.status_code == 409
    assert entry(runtime, entry_id).tier == Tier.HIGH


def test_a_form_without_its_version_is_a_clear_400(client, runtime):
    entry_id = add_entry(runtime)
    response = _post(client, f"/agents/entries/{entry_id}/take")
    assert response.status_code == 400
    assert "Formulaire incomplet" in parse(response.data).find("p", role="alert").text


def test_an_unknown_entry_is_a_404(client):
    assert client.get("/agents/entries/4242").status_code == 404
    assert _post(client, "/agents/entries/4242/take", version="1").status_code == 404


def test_r05_r11_the_list_shows_entries_in_order_with_position_badges_need_and_reason(
        client, runtime):
    now = runtime.now()
    lilas = add_client(runtime)
    old_client = add_client(runtime, "Pharmacie du Centre", version="2023.1",
                            phone="+33478000002")
    vague = add_entry(runtime, None, vague=True, tier=Tier.LOW, arrived=now - timedelta(days=3))
    repeated = add_entry(runtime, "Question sur une facture", tier=Tier.LOW, messages=2,
                         client_id=old_client, caller="+33478000002",
                         arrived=now - timedelta(days=1))
    critical = add_entry(runtime, "Serveur en panne, impossible de facturer",
                         tier=Tier.CRITICAL, client_id=lilas, arrived=now - timedelta(days=8),
                         recording_path="recordings/RE1.mp3")
    page = parse(client.get("/agents/").data)
    rows = page.find("ol", id="entries").find_all("li", class_="entry")
    assert [int(r.attrs["data-id"]) for r in rows] == [critical, repeated, vague]
    assert [r.find("span", class_="position").text for r in rows] == ["1", "2", "3"]
    top, second, last = rows
    assert top.find("span", class_="tier").text == "Urgence critique"
    # Eight days without a callback: all three service levels are late (R11).
    assert [(b.attrs["data-clock"], b.text) for b in top.find_all("span", class_="sla")] == [
        ("first_response", "Rappel en retard"), ("qualification", "Qualification en retard"),
        ("resolution", "Résolution en retard")]
    assert top.find("p", class_="need").text == "Serveur en panne, impossible de facturer"
    assert "impossible de facturer" in top.find("p", class_="reason").text
    with runtime.sessions() as session:
        message_id = session.scalar(select(Message.id).where(Message.entry_id == critical))
    assert top.find("audio").attrs["src"] == f"/agents/recordings/{message_id}"
    assert second.find("span", class_="repeat").text == "Message répété ×2"
    assert second.find("span", class_="version").text == "Fin de support (2023.1)"
    assert last.find("span", class_="vague").text == "Sans besoin exprimé"
    assert "ouvrées" in top.find("p", class_="times").text
    assert page.find("p", id="count").text == "3 demandes"  # a real plural


def test_r06_the_list_filters_by_tier_need_lateness_and_search(client, runtime):
    now = runtime.now()
    critical = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL,
                         arrived=now - timedelta(days=8))
    low = add_entry(runtime, "Question sur les relances", tier=Tier.LOW)
    vague = add_entry(runtime, None, vague=True, tier=Tier.LOW)

    def listed(query):
        rows = parse(client.get(f"/agents/?{query}").data).find_all("li", class_="entry")
        return [int(r.attrs["data-id"]) for r in rows]

    assert listed("tier=critical") == [critical]
    assert listed("vague=yes") == [vague]
    assert listed("late=yes") == [critical]
    assert listed("q=relances") == [low]
    assert listed("tier=nonsense") == [critical, low, vague]


def test_r10_the_fragment_holds_only_the_rows_for_the_refresh_loop(client, runtime):
    add_entry(runtime)
    page = parse(client.get("/agents/?fragment=1").data)
    assert page.find_all("html") == [] and len(page.find_all("li", class_="entry")) == 1
    assert page.find("p", id="count").text == "1 demande"


def test_r10_take_next_claims_and_opens_the_top_entry(client, runtime, camille):
    add_entry(runtime, "Question", tier=Tier.LOW)
    top = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL)
    response = _post(client, "/agents/take-next")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/agents/entries/{top}"
    assert entry(runtime, top).claimed_by == camille
    page = parse(client.get(f"/agents/entries/{top}").data)
    outcomes = [f.attrs["data-outcome"] for f in page.find_all("form", class_="outcome")]
    assert outcomes == ["solved", "documentation", "out_of_scope", "booked", "no_answer"]


def test_r10_take_next_on_an_empty_list_says_so(client):
    response = _post(client, "/agents/take-next")
    assert response.status_code == 302
    page = parse(client.get(response.headers["Location"]).data)
    assert page.find("p", role="status").text == "Aucune demande à prendre pour le moment."


def test_r10_the_entry_shows_its_history_who_when_what_why(client, runtime, camille):
    entry_id = add_entry(runtime, tier=Tier.LOW)
    _post(client, f"/agents/entries/{entry_id}/tier", version=version(runtime, entry_id),
          tier="critical", reason="Plus aucune facture possible")
    _post(client, f"/agents/entries/{entry_id}/take", version=version(runtime, entry_id))
    _post(client, f"/agents/entries/{entry_id}/outcome", version=version(runtime, entry_id),
          outcome="solved", note="Paramètre corrigé")
    page = parse(client.get(f"/agents/entries/{entry_id}").data)
    rows = [[cell.text for cell in row.find_all("td")]
            for row in page.find("table", class_="history").find("tbody").find_all("tr")]
    # (the parser reads no-break spaces as spaces)
    assert rows == [
        ["30/3 à 10 h 00", "Camille", "Requalifiée : Urgence basse → Urgence critique",
         "Plus aucune facture possible"],
        ["30/3 à 10 h 00", "Camille", "Prise en charge", ""],
        ["30/3 à 10 h 00", "Camille", "Résultat : Résolu", "Paramètre corrigé"],
    ]


def test_r06_the_entry_says_in_one_sentence_why_its_need_was_classified_so(client, runtime):
    now = runtime.now()
    sid = "CA" + "e" * 32
    intake.start_call(runtime, call_sid=sid, from_raw="+33612345679", to_raw=None, status=None,
                      now=now)
    intake.record_need(runtime, call_sid=sid, from_raw="+33612345679", confidence=0.9, now=now,
                       speech="la caisse est bloquée on note les paiements sur un carnet en "
                              "attendant")
    with runtime.sessions() as session:
        entry_id = session.scalar(select(Message.entry_id).where(Message.call_sid == sid))
    page = parse(client.get(f"/agents/entries/{entry_id}").data)
    sentence = page.find("p", class_="explanation").text
    assert sentence.startswith("Urgence haute")
    assert "contournement pénible" in sentence


def test_r10_every_outcome_from_the_page(client, runtime, queue, mailer):
    lilas = add_client(runtime)
    ids = [add_entry(runtime, f"Besoin {n}", client_id=lilas) for n in range(5)]
    forms = [{"outcome": "solved"}, {"outcome": "documentation", "chapter": "relances"},
             {"outcome": "out_of_scope", "scope": "hardware"}, {"outcome": "booked"},
             {"outcome": "no_answer"}]
    for entry_id, form in zip(ids, forms, strict=True):
        assert _post(client, "/agents/take-next").headers["Location"].endswith(f"/{entry_id}")
        response = _post(client, f"/agents/entries/{entry_id}/outcome",
                         version=version(runtime, entry_id), **form)
        assert response.status_code == 302, parse(response.data).find("p", role="alert").text
    states = [(entry(runtime, i).status, entry(runtime, i).outcome) for i in ids]
    assert states == [(EntryStatus.CLOSED, Outcome.SOLVED),
                      (EntryStatus.CLOSED, Outcome.DOCUMENTATION),
                      (EntryStatus.CLOSED, Outcome.OUT_OF_SCOPE),
                      (EntryStatus.AWAITING_CLIENT, None), (EntryStatus.WAITING, None)]
    run_due_jobs(runtime, queue)
    assert {k.split("-")[2] for k in mailer.sent if k.startswith("entry-")} == {
        "documentation", "out_of_scope"}


def test_r10_call_from_the_page_rings_the_agent_then_the_client(tmp_path, engine, clock,
                                                              mailer, queue):
    http = FakeTwilioHttp()
    app = create_app(settings_for(tmp_path, engine, twilio_account_sid="AC" + "0" * 32,
                                  twilio_number="+33970000000"), clock=clock,
                     adapters={"engine": engine, "mailer": mailer, "queue": queue,
                               "twilio_http": http})
    runtime = app.extensions["callq"]
    add_agent(runtime)
    entry_id = add_entry(runtime)
    browser = app.test_client()
    log_in(browser, "camille@example.test")
    _post(browser, "/agents/take-next")
    response = _post(browser, f"/agents/entries/{entry_id}/call",
                     version=version(runtime, entry_id))
    assert response.status_code == 302
    assert http.requests == []  # never inline: after the commit, by a worker
    run_due_jobs(runtime, queue)
    assert [r["data"]["To"] for r in http.requests] == ["+33612000002"]
    page = parse(browser.get(response.headers["Location"]).data)
    assert page.find("p", role="status").text == ("Votre téléphone va sonner, puis celui du "
                                                  "client.")


def test_r10_a_message_is_played_from_the_local_recording(client, runtime):
    folder = runtime.settings.instance_path / "recordings"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "RE1.mp3").write_bytes(b"ID3-fake-mp3")
    entry_id = add_entry(runtime, recording_path="recordings/RE1.mp3")
    with runtime.sessions() as session:
        message_id = session.scalar(select(Message.id).where(Message.entry_id == entry_id))
    response = client.get(f"/agents/recordings/{message_id}")
    assert (response.status_code, response.mimetype, response.data) == (200, "audio/mpeg",
                                                                        b"ID3-fake-mp3")
    assert response.headers["Cache-Control"].startswith("private")


def test_a_recording_path_leaving_the_recordings_folder_is_not_served(client, runtime):
    (runtime.settings.instance_path / "secret_key").parent.mkdir(parents=True, exist_ok=True)
    (runtime.settings.instance_path / "secret_key").write_text("s3cret")
    add_entry(runtime, recording_path="recordings/../secret_key")
    response = client.get("/agents/recordings/1")
    assert response.status_code == 404 and b"s3cret" not in response.data


def test_r10_a_twilio_recording_is_fetched_server_side_with_the_account_s_credentials(
        tmp_path, engine, clock, mailer, queue):
    sid = "AC" + "0" * 32
    http = FakeTwilioHttp([(200, {"audio": "bytes"})])
    app = create_app(settings_for(tmp_path, engine, twilio_account_sid=sid), clock=clock,
                     adapters={"engine": engine, "mailer": mailer, "queue": queue,
                               "twilio_http": http})
    runtime = app.extensions["callq"]
    add_agent(runtime)
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Recordings/RE123"
    add_entry(runtime, recording_url=url)
    browser = app.test_client()
    log_in(browser, "camille@example.test")
    page = browser.get("/agents/").data
    assert b"test-twilio-token" not in page and b"api.twilio.com" not in page
    response = browser.get("/agents/recordings/1")
    assert (response.status_code, response.mimetype) == (200, "audio/mpeg")
    assert response.data == b'{"audio": "bytes"}'
    assert http.requests == [dict(method="GET", url=url + ".mp3", params=None, data=None,
                                  auth=(sid, "test-twilio-token"))]


def test_r10_the_pages_speak_english_on_request(client, runtime):
    add_entry(runtime, tier=Tier.CRITICAL)
    page = parse(client.get("/agents/?lang=en").data)
    assert page.find("html").attrs["lang"] == "en"
    assert page.find("button", id="take-next").text == "Take next"
    assert page.find("span", class_="tier").text == "Critical urgency"
    again = parse(client.get("/agents/").data)  # remembered in a cookie
    assert again.find("button", id="take-next").text == "Take next"


def test_r10_releasing_from_the_page_puts_the_entry_back(client, runtime):
    entry_id = add_entry(runtime)
    _post(client, "/agents/take-next")
    response = _post(client, f"/agents/entries/{entry_id}/release",
                     version=version(runtime, entry_id))
    assert response.status_code == 302
    assert entry(runtime, entry_id).status == EntryStatus.WAITING
    with runtime.sessions() as session:
        kinds = session.scalars(select(EntryEvent.kind).order_by(EntryEvent.id)).all()
    assert kinds == ["claimed", "released"]


def test_r10_claims_made_elsewhere_show_on_the_list(client, runtime):
    entry_id = add_entry(runtime)
    hugo = add_agent(runtime, "Hugo")
    claims.claim_next(runtime, hugo)
    row = parse(client.get("/agents/").data).find("li", id=f"entry-{entry_id}")
    assert row.find("p", class_="claim").text == "Prise par Hugo jusqu'à 10 h 15"
    assert row.find_all("button") == []  # nothing to take: Hugo holds it


def test_the_front_door_leads_to_the_agents_list(app):
    response = app.test_client().get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/agents/")
