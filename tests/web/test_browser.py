"""The agents' workspace in a real headless Chromium against a real server (R5-R11): log in,
see the ordered list, play a message, take next, record each outcome, see the history; the
list refreshes itself without losing the agent's place."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from callq.status import EntryStatus, Outcome, Tier
from callq.workspace import requalify
from tests.web.client_browser import chromium as launch
from tests.web.client_browser import served
from tests.workspace_data import PASSWORD, add_agent, add_client, add_entry, entry, version

AT_10 = "30/3 à 10\u00a0h\u00a000"  # the history's "when", French no-break spaces
SAID = {
    "solved": "Résultat\u00a0: Résolu",
    "documentation": "Résultat\u00a0: Renvoyé vers la documentation, Impressions",
    "booked": "Résultat\u00a0: Rendez-vous à prendre",
    "out_of_scope": "Résultat\u00a0: Hors champ, Windows",
    "no_answer": "Résultat\u00a0: Pas de réponse, 1 tentative d'appel",
}
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch("--autoplay-policy=no-user-gesture-required") as browser:
        yield browser


@pytest.fixture
def server(tmp_path, engine, clock, mailer, queue) -> Iterator[tuple[str, Any]]:
    """The app served by werkzeug on a free loopback port, in a thread."""
    with served(tmp_path, engine, clock, mailer, queue, list_refresh_seconds=1) as running:
        yield running


def _wav(seconds: float = 1.0) -> bytes:
    """A short silent WAV, playable by any browser."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\x00\x00" * int(8000 * seconds))
    return buffer.getvalue()


def _desk(runtime) -> dict[str, int]:
    """Camille, and four entries whose order is not their arrival order."""
    folder = runtime.settings.instance_path / "recordings"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "RE1.wav").write_bytes(_wav())
    add_agent(runtime)
    lilas = add_client(runtime)
    now = runtime.now()
    return {
        "vague": add_entry(runtime, None, vague=True, tier=Tier.LOW,
                           arrived=now - timedelta(days=2)),
        "low": add_entry(runtime, "Question sur les relances", tier=Tier.LOW, client_id=lilas,
                         arrived=now - timedelta(days=1)),
        "critical": add_entry(runtime, "Serveur en panne, impossible de facturer",
                              tier=Tier.CRITICAL, client_id=lilas,
                              arrived=now - timedelta(hours=2),
                              recording_path="recordings/RE1.wav"),
        "high": add_entry(runtime, "Impression des ordonnances bloquée", tier=Tier.HIGH,
                          client_id=lilas, arrived=now - timedelta(hours=3)),
        "medium": add_entry(runtime, "Migration vers le nouveau serveur", tier=Tier.MEDIUM,
                            client_id=lilas, arrived=now - timedelta(hours=4)),
    }


def _log_in(page, base: str) -> None:
    page.goto(base + "/agents/")
    page.fill("input[name=email]", "camille@example.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/agents/")


ORDER_JS = ("() => Array.from(document.querySelectorAll('#entries > li'))"
            ".map(e => e.dataset.id).join()")


def _playing_top(page, base: str, ids: dict[str, int]) -> tuple[Any, Any]:
    """Camille logged in on the list without vague entries, the top entry open and its message
    playing in a loop, marked to tell that element from a new one: the entry and its audio."""
    _log_in(page, base)
    page.goto(base + "/agents/?vague=no")
    top = page.locator(f"#entry-{ids['critical']}")
    top.locator("summary").click()
    audio = top.locator("audio")
    audio.evaluate("a => { a.loop = true; a.dataset.kept = 'yes'; return a.play(); }")
    return top, audio


def _order(page) -> list[int]:
    return [int(i) for i in page.evaluate(ORDER_JS).split(",") if i]


def test_r10_an_agent_logs_in_plays_a_message_takes_next_and_records_every_outcome(
        chromium, server):
    base, runtime = server
    ids = _desk(runtime)
    page = chromium.new_page(locale="fr-FR")
    try:
        _log_in(page, base)
        assert _order(page) == [ids["critical"], ids["high"], ids["medium"], ids["low"],
                                ids["vague"]]
        top = page.locator(f"#entry-{ids['critical']}")
        assert top.locator(".badge.tier").inner_text() == "Urgence critique"

        top.locator("summary").click()
        audio = top.locator("audio")
        audio.evaluate("a => a.play()")
        page.wait_for_function("a => a.currentTime > 0 || a.ended", arg=audio.element_handle())
        assert audio.evaluate("a => Math.round(a.duration)") == 1  # the WAV, decoded

        outcomes = [("solved", {}), ("documentation", {"chapter": "impressions"}),
                    ("booked", {}), ("out_of_scope", {"scope": "windows"}), ("no_answer", {})]
        for (outcome, choices), expected in zip(
                outcomes, ["critical", "high", "medium", "low", "vague"], strict=True):
            page.goto(base + "/agents/")
            page.click("#take-next")
            page.wait_for_url(f"{base}/agents/entries/{ids[expected]}")
            form = page.locator(f"form.outcome[data-outcome={outcome}]")
            for name, value in choices.items():
                form.locator(f"select[name={name}]").select_option(value)
            form.locator("input[name=note]").fill(f"note {outcome}")
            form.locator("button").click()
            page.wait_for_selector("p.notice.ok")
            # The booking link and the service-level clock's pause (R11) are lines of their own.
            rows = page.locator("table.history tbody tr:not([data-kind=booking_link_sent])"
                                ":not([data-kind=clock_paused])")
            taken, recorded = (rows.nth(rows.count() - n).locator("td").all_inner_texts()
                               for n in (2, 1))
            assert taken == [AT_10, "Camille", "Prise en charge", ""]
            assert recorded == [AT_10, "Camille", SAID[outcome], f"note {outcome}"]
    finally:
        page.close()
    assert [entry(runtime, ids[k]).outcome for k in ("critical", "high", "low")] == [
        Outcome.SOLVED, Outcome.DOCUMENTATION, Outcome.OUT_OF_SCOPE]
    assert entry(runtime, ids["medium"]).status == EntryStatus.AWAITING_CLIENT
    assert entry(runtime, ids["vague"]).status == EntryStatus.WAITING
    assert entry(runtime, ids["vague"]).attempts == 1


def test_r10_the_history_shows_who_when_what_and_why(chromium, server):
    base, runtime = server
    ids = _desk(runtime)
    page = chromium.new_page(locale="fr-FR")
    try:
        _log_in(page, base)
        page.goto(f"{base}/agents/entries/{ids['low']}")
        page.locator("details.panel summary").click()
        tier_form = page.locator("#tier-form")
        tier_form.locator("select[name=tier]").select_option("critical")
        tier_form.locator("input[name=reason]").fill("La clinique ne peut plus facturer")
        tier_form.locator("button").click()
        page.wait_for_selector("p.notice.ok")
        cells = page.locator("table.history tbody tr").last.locator("td").all_inner_texts()
        assert cells == [AT_10, "Camille",
                         "Requalifiée\u00a0: Urgence basse → Urgence critique",
                         "La clinique ne peut plus facturer"]
        page.goto(base + "/agents/")
        assert _order(page)[:2] == [ids["low"], ids["critical"]]  # up, and older than the other
    finally:
        page.close()


def test_r10_the_list_refreshes_itself_keeping_open_details_playing_audio_and_filters(
        chromium, server):
    base, runtime = server
    ids = _desk(runtime)
    agent = add_agent(runtime, "Hugo")
    page = chromium.new_page(locale="fr-FR", viewport={"width": 900, "height": 500})
    try:
        top, audio = _playing_top(page, base, ids)
        assert _order(page) == [ids["critical"], ids["high"], ids["medium"], ids["low"]]
        page.evaluate("window.scrollTo(0, 60)")
        seen_at = top.evaluate("e => e.getBoundingClientRect().top")

        newcomer = add_entry(runtime, "Base de données inaccessible", tier=Tier.CRITICAL,
                             arrived=runtime.now() - timedelta(hours=5))
        add_entry(runtime, None, vague=True)  # filtered out: must not appear
        requalify.requalify_tier(runtime, agent_id=agent, entry_id=ids["high"],
                                 version=version(runtime, ids["high"]), tier="critical",
                                 reason="Bloquant")
        page.wait_for_selector(f"#entry-{newcomer}", timeout=10_000)
        page.wait_for_function("() => document.getElementById('count').innerText"
                               " === '5 demandes'", timeout=10_000)
        assert set(_order(page)) == {newcomer, *(ids[k] for k in ("critical", "high", "medium",
                                                                  "low"))}
        assert _order(page)[0] == ids["critical"]  # playing: not moved yet
        assert top.locator("details").evaluate("d => d.open") is True
        assert audio.evaluate("a => a.dataset.kept") == "yes"  # the same element, not re-made
        assert audio.evaluate("a => !a.paused") is True  # still playing
        assert top.evaluate("e => e.getBoundingClientRect().top") == seen_at  # same place
        assert page.locator("select[name=vague]").input_value() == "no"
        high = page.locator(f"#entry-{ids['high']}")
        assert high.locator(".badge.tier").inner_text() == "Urgence critique"

        audio.evaluate("a => a.pause()")
        wanted = [newcomer, ids["high"], ids["critical"], ids["medium"], ids["low"]]
        page.wait_for_function(f"wanted => ({ORDER_JS})() === wanted",
                               arg=",".join(map(str, wanted)), timeout=10_000)
        assert top.locator("details").evaluate("d => d.open") is True
    finally:
        page.close()


def test_r10_a_newcomer_ranked_first_waits_below_the_playing_message_then_takes_its_place(
        chromium, server):
    base, runtime = server
    ids = _desk(runtime)
    page = chromium.new_page(locale="fr-FR", viewport={"width": 900, "height": 500})
    try:
        top, audio = _playing_top(page, base, ids)
        seen_at = top.evaluate("e => e.getBoundingClientRect().top")

        # alone in its refresh, older and as critical: it ranks above the playing entry
        newcomer = add_entry(runtime, "Base de données inaccessible", tier=Tier.CRITICAL,
                             arrived=runtime.now() - timedelta(hours=5))
        page.wait_for_selector(f"#entry-{newcomer}", timeout=10_000)
        assert _order(page) == [ids["critical"], newcomer, ids["high"], ids["medium"],
                                ids["low"]]
        assert top.evaluate("e => e.getBoundingClientRect().top") == seen_at
        assert audio.evaluate("a => !a.paused") is True

        audio.evaluate("a => a.pause()")
        wanted = [newcomer, ids["critical"], ids["high"], ids["medium"], ids["low"]]
        page.wait_for_function(f"wanted => ({ORDER_JS})() === wanted",
                               arg=",".join(map(str, wanted)), timeout=10_000)
    finally:
        page.close()
