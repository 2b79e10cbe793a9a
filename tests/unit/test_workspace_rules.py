"""The workspace's pure rules (R10): unanswered callbacks, waiting for the client, documentation
links, cancel links, and how times and history read on the agent's page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callq import formats
from callq.status import EntryStatus
from callq.tokens import LinkError
from callq.workspace import display, rules
from callq.workspace.links import read_cancel, sign_cancel

NOW = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_r10_an_unanswered_callback_before_the_last_returns_the_entry_after_the_delay():
    step = rules.after_no_answer(0, max_attempts=3, now=NOW, retry_delay=HOUR)
    assert step == rules.AfterNoAnswer(EntryStatus.WAITING, 1, NOW + HOUR, None)


def test_r10_the_last_unanswered_callback_makes_the_entry_wait_for_the_client():
    step = rules.after_no_answer(2, max_attempts=3, now=NOW, retry_delay=HOUR)
    assert step == rules.AfterNoAnswer(EntryStatus.AWAITING_CLIENT, 3, None, NOW)


@given(attempts=st.integers(0, 20), max_attempts=st.integers(1, 20))
def test_r10_attempts_only_grow_and_the_client_is_awaited_exactly_from_the_last(attempts,
                                                                               max_attempts):
    step = rules.after_no_answer(attempts, max_attempts=max_attempts, now=NOW, retry_delay=HOUR)
    assert step.attempts == attempts + 1
    awaited = step.status == EntryStatus.AWAITING_CLIENT
    assert awaited == (attempts + 1 >= max_attempts)
    assert (step.available_at is None) == awaited and (step.awaiting_since is None) != awaited


def test_r10_the_client_is_reminded_on_days_10_and_15_and_the_entry_closes_on_day_20():
    timers = rules.client_timers(NOW, (10, 15), 20)
    assert [(t.kind, t.n, t.due_at - NOW) for t in timers] == [
        ("reminder", 1, timedelta(days=10)), ("reminder", 2, timedelta(days=15)),
        ("close", 0, timedelta(days=20))]


def test_r10_reminders_on_or_after_the_close_are_not_sent():
    timers = rules.client_timers(NOW, (25, 5, 5, 20), 20)
    assert [(t.kind, (t.due_at - NOW).days) for t in timers] == [("reminder", 5), ("close", 20)]


def test_r10_a_documentation_link_points_into_the_documentation():
    assert rules.chapter_link("https://docs.example/veto", "impressions") == (
        "https://docs.example/veto/impressions")
    assert rules.chapter_link("https://docs.example/veto/", "tarifs") == (
        "https://docs.example/veto/tarifs")
    with pytest.raises(ValueError, match="unknown documentation chapter"):
        rules.chapter_link("https://docs.example/", "../../etc/passwd")


def test_r10_a_cancel_link_names_its_entry_until_it_expires():
    token = sign_cancel("secret", NOW, 42)
    assert read_cancel("secret", token, NOW + timedelta(days=44), timedelta(days=45)) == 42
    with pytest.raises(LinkError) as expired:
        read_cancel("secret", token, NOW + timedelta(days=45, seconds=1), timedelta(days=45))
    assert expired.value.reason == "expired"


def _swap(token: str, at: int) -> str:
    return token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1:]


@pytest.mark.parametrize("change", [
    lambda t: _swap(t, t.rindex(".") + 1),  # the signature altered
    lambda t: _swap(t, 0),  # the entry altered
    lambda t: "not-a-token",
])
def test_r10_an_altered_cancel_link_is_refused_as_invalid(change):
    token = sign_cancel("secret", NOW, 42)
    with pytest.raises(LinkError) as refused:
        read_cancel("secret", change(token), NOW, timedelta(days=45))
    assert refused.value.reason == "invalid"


def test_r10_a_cancel_link_signed_with_another_secret_is_invalid():
    with pytest.raises(LinkError):
        read_cancel("other", sign_cancel("secret", NOW, 1), NOW, timedelta(days=1))


def test_r04_times_are_shown_in_local_time_on_both_sides_of_a_dst_change():
    paris = ZoneInfo("Europe/Paris")
    before = datetime(2026, 3, 28, 9, 30, tzinfo=UTC)  # winter: UTC+1
    after = datetime(2026, 3, 30, 9, 30, tzinfo=UTC)  # summer: UTC+2
    assert display.when(before, paris, "fr") == "28/3 à 10\u00a0h\u00a030"
    assert display.when(after, paris, "en") == "30 Mar at 11:30"
    assert display.when(after, paris, "de") == "30.3. um 11:30"
    assert display.clock(after, paris, "en") == "11:30"
    assert display.clock(after, paris, "fr") == "11\u00a0h\u00a030"
    assert display.when(None, paris, "fr") == "—"


def test_r11_business_waiting_time_reads_in_hours_and_minutes():
    assert formats.duration(0, "fr") == "0\u00a0h\u00a000"
    assert formats.duration(3 * 3600 + 5 * 60 + 59, "fr") == "3\u00a0h\u00a005"
    assert formats.duration(27 * 3600, "en") == "27 h 00 min"
    assert formats.duration(1000 * 3600, "de") == "1'000\u00a0Std. 00\u00a0Min."


def test_r10_history_events_read_as_sentences_in_both_languages():
    outcome = {"outcome": "documentation", "chapter": "impressions"}
    assert display.describe("outcome", outcome, "fr") == (
        "Résultat\u00a0: Renvoyé vers la documentation, Impressions")
    assert display.describe("outcome", outcome, "en") == (
        "Outcome: Sent to the documentation, Printing")
    call = {"outcome": "voicemail", "duration_seconds": 12}
    assert display.describe("call_result", call, "fr") == (
        "Appel terminé\u00a0: Messagerie (12\u00a0s)")
    assert display.describe("call_result", call, "de") == "Anruf beendet: Combox (12\u00a0s)"
    no_answer = {"outcome": "no_answer", "attempts": 1}
    assert display.describe("outcome", no_answer, "fr") == (
        "Résultat\u00a0: Pas de réponse, 1 tentative d'appel")
    assert display.describe("outcome", dict(no_answer, attempts=2), "en") == (
        "Outcome: No answer, 2 call attempts")
    assert display.describe("requalified", {"field": "tier", "from": "low", "to": "high"},
                            "en") == "Requalified: Low urgency → High urgency"
    assert display.describe("split", {"to": 7}, "fr") == (
        "Messages séparés vers la demande\u00a0: n° 7")


def test_an_event_of_another_capability_shows_its_label_or_its_name():
    assert display.describe("created", {"message_id": 3}, "fr") == "Message reçu, demande créée"
    assert display.describe("appointment_moved_by_robot", {}, "fr") == (
        "appointment_moved_by_robot")
