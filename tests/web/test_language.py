"""Pages, emails and TwiML in French (the default), English and German (R4: Bern is bilingual):
the language is asked for (?lang=, remembered), or the agent's, or the client's."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from callq import i18n
from callq.models import WaitingEntry
from scheduling import links
from tests.conftest import run_due_jobs
from tests.planner_support import add_agent, csrf, log_in, received, text_of
from tests.voice_support import add_client, incoming, post, rows, speech, spoken, twiml


class _Page(HTMLParser):
    """The html lang, the switcher's links, and the text of h1/button/label elements."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.lang, self.switcher, self.texts = "", [], {}  # type: ignore[var-annotated]
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "a" and "?lang=" in (found.get("href") or ""):
            self.switcher.append(found.get("lang"))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.texts.setdefault(self._open[-1], []).append(data.strip())


def page(client, url: str) -> _Page:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return _Page(response.get_data(as_text=True))


def test_an_english_browser_still_gets_french_until_english_is_asked_for(app):
    client = app.test_client()
    assert page(client, "/login").lang == "fr"
    client.get("/login", headers={"Accept-Language": "de-CH,de;q=0.9"})
    assert page(client, "/login?lang=en").lang == "en"
    assert page(client, "/login").lang == "en"  # the choice is kept in a cookie


def test_the_language_switcher_lists_the_catalogs_found_in_translations(app):
    listed = page(app.test_client(), "/login").switcher
    assert listed == list(i18n.languages())
    assert listed[0] == "fr" and {"en", "de"} <= set(listed)


@pytest.mark.parametrize(("lang", "title", "button"), [
    ("fr", "Connexion", "Se connecter"),
    ("en", "Login", "Log in"),
    ("de", "Anmeldung", "Anmelden"),
])
def test_the_login_page_speaks_each_language(app, lang, title, button):
    shown = page(app.test_client(), f"/login?lang={lang}")
    assert shown.lang == lang
    assert shown.texts["h1"] == [title] and button in shown.texts["button"]


def test_an_unknown_language_is_ignored_not_an_error(app):
    assert page(app.test_client(), "/login?lang=xx").lang == "fr"


def test_r10_an_agent_s_pages_speak_the_agent_s_language_unless_they_pick_another(app, runtime):
    add_agent(runtime, "Urs Meier", email="urs@desk.example", language="de")
    client = app.test_client()
    log_in(client, "urs@desk.example")
    shown = page(client, "/agents/")
    assert shown.lang == "de" and shown.texts["h1"] == ["Warteliste"]
    assert page(client, "/agents/?lang=fr").texts["h1"] == ["Salle d'attente"]


@pytest.mark.parametrize(("lang", "subject", "hello", "valid_until"), [
    ("fr", "Réservez votre rappel par le support", "Bonjour Marc,",
     "Ce lien est valable jusqu'au lundi 13 avril 2026."),
    ("en", "Book your support callback", "Hello Marc,",
     "This link is valid until Monday 13 April 2026."),
    ("de", "Buchen Sie Ihren Rückruf durch den Support", "Guten Tag Marc",
     "Dieser Link ist gültig bis Montag, 13. April 2026."),
])
def test_r13_a_booking_link_email_is_written_in_the_client_s_language(
        app, runtime, mailer, queue, lang, subject, hello, valid_until):
    add_agent(runtime)
    client = app.test_client()
    log_in(client)
    client.post("/planner/link", data={**csrf(client, "/planner/"), "email": "marc@example.ch",
                                       "name": "Marc", "lang": lang})
    run_due_jobs(runtime, queue)
    [key] = [k for k in mailer.sent if k.startswith("booking-link-")]
    message = received(mailer, key)
    assert message["Subject"] == subject
    text = text_of(message)
    assert text.splitlines()[0] == hello
    assert valid_until in " ".join(text.split())
    assert re.search(rf'<html lang="{lang}">', text_of(message, "html"))


@pytest.mark.parametrize(("lang", "title", "first_day"), [
    ("fr", "Choisissez l'heure de votre rappel", "lundi 30 mars 2026"),
    ("en", "Pick the time of your callback", "Monday 30 March 2026"),
    ("de", "Wählen Sie die Zeit Ihres Rückrufs", "Montag, 30. März 2026"),
])
def test_r13_the_booking_page_speaks_the_link_s_language(app, runtime, lang, title, first_day):
    add_agent(runtime)
    url = links.booking_link(runtime, entry_id=None, client_id=None, phone="+41311234567",
                             email=None, lang=lang)
    shown = page(app.test_client(), url.removeprefix(runtime.settings.public_base_url))
    assert shown.lang == lang and shown.texts["h1"] == [title]
    assert shown.texts["h3"][0] == first_day


def test_r05_a_german_speaking_client_hears_german_and_their_message_is_filed_as_german(
        app, runtime):
    caller = "+41311234567"
    add_client(runtime, "Praxis am Bärenplatz", caller, language="de", version="2025.2")
    client = app.test_client()
    root = twiml(post(client, "/twilio/voice", incoming(1, caller)))
    says = list(root.iter("Say"))
    assert {(s.attrib["voice"], s.attrib["language"]) for s in says} == {
        ("Polly.Vicki", "de-DE")}
    assert "Ihre Version der Software wird auf Offerte unterstützt." in spoken(root)
    gather = root.find("Gather")
    assert gather.attrib["language"] == "de-CH" and gather.attrib["action"].endswith("?lang=de")
    root = twiml(post(client, gather.attrib["action"],
                      speech(1, "Der Server ist abgestürzt", caller)))
    assert "Hinterlassen Sie nach dem Signalton Ihren Namen" in spoken(root)
    [entry] = rows(runtime, WaitingEntry)
    assert (entry.language, entry.need_text) == ("de", "Der Server ist abgestürzt")
