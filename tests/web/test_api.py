"""`GET /api/waiting-room` and `GET /api/entries/<id>`: Bearer token, order, pages, bad input."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from callq.app import create_app
from callq.models import WaitingEntry
from callq.waiting_room import COUNT_CAP
from tests.conftest import settings_for
from tests.voice_support import add_client, message

AUTH = {"Authorization": "Bearer test-api-token"}


def get(app, url, headers=AUTH):
    return app.test_client().get(url, headers=headers)


@pytest.fixture
def filled(app, runtime, clock):
    """Four callers on Monday morning, in the order they called."""
    add_client(runtime, "Clinique des Lilas", "+33612345678", version="2023.1")
    calls = [("+33612345678", "Question sur la sauvegarde des données clients"),
             ("anonymous", "Rappelez-moi s'il vous plaît"),
             ("+33698765432", "L'imprimante des ordonnances n'imprime plus"),
             ("+33600000004", "Le serveur est en panne, plus rien ne marche")]
    for n, (caller, need) in enumerate(calls, start=1):
        message(runtime, n, caller, need)
        clock.advance(minutes=10)
    return app


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Basic dGVzdC1hcGktdG9rZW4="},
                                     {"Authorization": "test-api-token"}])
def test_without_the_right_bearer_token_the_api_answers_401(app, headers):
    for url in ("/api/waiting-room", "/api/entries/1"):
        response = get(app, url, headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["reason"] == "a valid Bearer token is required"


def test_the_api_is_closed_when_no_token_is_set(tmp_path, sqlite_engine):
    app = create_app(settings_for(tmp_path, sqlite_engine, api_token=""),
                     adapters={"engine": sqlite_engine})
    for headers in ({}, {"Authorization": "Bearer "}, AUTH):
        response = get(app, "/api/waiting-room", headers)
        assert response.status_code == 403
        assert "CALLQ_API_TOKEN" in response.get_json()["reason"]


def test_r05_r11_the_list_comes_in_order_with_place_reason_client_and_clock(filled):
    body = get(filled, "/api/waiting-room").get_json()
    assert (body["total"], body["limit"], body["offset"]) == (4, 50, 0)
    entries = body["entries"]
    assert [(e["position"], e["tier"], e["vague"]) for e in entries] == [
        (1, "critical", False), (2, "high", False), (3, "low", False), (4, "low", True)]
    top = entries[0]
    assert top["need_text"] == "Le serveur est en panne, plus rien ne marche"
    assert top["matched"] == ["serveur … en panne", "plus rien ne marche"]
    assert top["reason"] == ("Urgence critique («\u00a0serveur … en panne\u00a0», "
                             "«\u00a0plus rien ne marche\u00a0»), arrivé le 30/3 à "
                             "10\u00a0h\u00a030")
    assert top["arrived_at"] == "2026-03-30T08:30:00Z"
    assert top["due_at"] == "2026-04-02T08:30:00Z" and top["late"] is False
    assert top["waiting_business_seconds"] == 10 * 60  # the clock is at 10:40 Paris
    assert top["messages_count"] == 1
    assert top["caller_display"] == "06\u00a000\u00a000\u00a000\u00a004"
    lilas = entries[2]
    assert (lilas["client_name"], lilas["version"], lilas["version_status"]) == (
        "Clinique des Lilas", "2023.1", "end_of_support")
    assert entries[3]["caller_number"] is None
    assert entries[3]["caller_display"] == "Numéro masqué"


def test_the_list_speaks_english_when_asked(filled):
    entries = get(filled, "/api/waiting-room?lang=en").get_json()["entries"]
    assert entries[3]["reason"].startswith("No stated need: placed after stated needs")
    assert entries[3]["caller_display"] == "Withheld number"


def test_pages_are_cut_in_sql_and_positions_continue(filled):
    body = get(filled, "/api/waiting-room?limit=2&offset=1").get_json()
    assert body["total"] == 4
    assert [(e["position"], e["tier"]) for e in body["entries"]] == [(2, "high"), (3, "low")]
    assert get(filled, "/api/waiting-room?offset=10").get_json()["entries"] == []


@pytest.mark.parametrize("query", [
    "limit=0", "limit=201", "limit=-1", "limit=ten", "limit=", "offset=-1", "offset=1.5",
    "tier=urgent", "vague=maybe", "late=2", "status=lost", "status=,", "q=" + "x" * 201,
])
def test_bad_query_values_get_a_400_naming_them(filled, query):
    response = get(filled, f"/api/waiting-room?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.get_json()["reason"]


@pytest.mark.parametrize(("query", "tiers"), [
    ("tier=high", ["high"]),
    ("vague=true", ["low"]),
    ("vague=false", ["critical", "high", "low"]),
    ("q=imprimante", ["high"]),
    ("q=lilas", ["low"]),
    ("q=06 98 76", ["high"]),
    ("status=closed", []),
])
def test_filters_narrow_the_list(filled, query, tiers):
    body = get(filled, f"/api/waiting-room?{query}").get_json()
    assert [e["tier"] for e in body["entries"]] == tiers
    assert body["total"] == len(tiers)


def test_r11_late_entries_are_flagged_and_can_be_listed_alone(filled, clock):
    clock.set(datetime(2026, 4, 3, 8, 0, tzinfo=UTC))  # after the critical entry's due time
    late = get(filled, "/api/waiting-room?late=true").get_json()["entries"]
    assert [(e["tier"], e["late"]) for e in late] == [("critical", True)]
    on_time = get(filled, "/api/waiting-room?late=false").get_json()
    assert on_time["total"] == 3 and not any(e["late"] for e in on_time["entries"])


def test_one_entry_with_its_messages(filled, runtime, clock):
    message(runtime, 9, "+33600000004", "Le serveur est toujours en panne")
    first = get(filled, "/api/waiting-room").get_json()["entries"][0]
    body = get(filled, f"/api/entries/{first['id']}").get_json()
    assert body["entry"]["position"] == 1 and body["entry"]["messages_count"] == 2
    assert [m["speech_text"] for m in body["messages"]] == [
        "Le serveur est en panne, plus rien ne marche", "Le serveur est toujours en panne"]


def test_a_missing_entry_is_a_json_404(filled):
    response = get(filled, "/api/entries/999")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Not Found", "reason": "no entry 999"}


def test_a_huge_list_is_counted_up_to_the_cap_and_says_so(app, runtime, filled):
    at = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    with runtime.engine.begin() as conn:
        conn.execute(insert(WaitingEntry), [
            dict(status="waiting", tier="low", tier_rank=3, vague=True, arrived_at=at,
                 queued_at=at, classification={}, language="fr", messages_count=1, attempts=0,
                 version=1, tier_set_by_agent=False) for _ in range(COUNT_CAP)])
    body = get(app, "/api/waiting-room?limit=3").get_json()
    assert (body["total"], body["total_capped"]) == (COUNT_CAP, True)
    assert [e["tier"] for e in body["entries"]] == ["critical", "high", "low"]
    small = get(app, "/api/waiting-room?tier=high").get_json()
    assert (small["total"], small["total_capped"]) == (1, False)
