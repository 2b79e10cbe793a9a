"""What the planner writes (R13-R17): local dates in French and English, every text in both
languages, HTML that escapes what clients typed; pure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from callq import i18n
from scheduling import letters

PARIS, ZURICH = ZoneInfo("Europe/Paris"), ZoneInfo("Europe/Zurich")
KINDS = ("booked", "moved", "missed", "reassigned", "extended", "cancelled", "unstaffed",
         "given_up", "link", "reminder")
SMS_KINDS = ("link", "booked", "moved", "missed", "unstaffed", "given_up", "reminder")


@pytest.mark.parametrize(("instant", "zone", "lang", "shown"), [
    (datetime(2026, 3, 31, 12, 30, tzinfo=UTC), PARIS, "fr", "mardi 31 mars 2026 à 14 h 30"),
    (datetime(2026, 3, 31, 12, 30, tzinfo=UTC), PARIS, "en", "Tuesday 31 March 2026 at 14:30"),
    (datetime(2026, 3, 27, 13, 0, tzinfo=UTC), PARIS, "fr", "vendredi 27 mars 2026 à 14 h 00"),
    (datetime(2026, 10, 26, 13, 0, tzinfo=UTC), ZURICH, "fr",
     "lundi 26 octobre 2026 à 14 h 00"),
    (datetime(2026, 8, 17, 11, 30, tzinfo=UTC), ZURICH, "fr", "lundi 17 août 2026 à 13 h 30"),
])
def test_r04_times_are_shown_on_the_client_s_local_clock(instant, zone, lang, shown):
    assert letters.when(instant, zone, lang) == shown


def test_r04_day_labels_cover_every_weekday_and_month():
    assert letters.day_label(date(2026, 2, 1), "fr") == "dimanche 1 février 2026"
    assert letters.day_label(date(2026, 12, 5), "en") == "Saturday 5 December 2026"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_r13_every_email_has_a_subject_and_body_in_both_languages(kind, lang):
    values = dict(when="w", phone="p", old="o", end="e", count=2, until="u")
    subject = letters.subject(kind, lang, **values)
    body = letters.paragraph(kind, lang, **values)
    assert subject and body and "{" not in subject + body
    if lang == "en":  # really translated, not the French fallback
        assert subject != letters.subject(kind, "fr", **values)


@pytest.mark.parametrize("kind", SMS_KINDS)
def test_r13_every_sms_names_its_link_and_fits_two_messages(kind):
    for lang in ("fr", "en"):
        body = letters.sms(kind, lang, when="mardi 31 mars 2026 à 14 h 30", url="https://x/y")
        assert "https://x/y" in body and len(body) <= 306


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs)["href"] or "")

    def handle_data(self, data: str) -> None:
        self.text += data


def test_r13_emails_escape_what_clients_typed_and_keep_the_links():
    draft = letters.Draft(
        lang="fr", name="<b>Hélène</b> & Cie", subject="s", paragraphs=["Bonjour"],
        facts=[("Date", "lundi")], actions=[("Déplacer", "https://x/move?a=1&b=2")],
        offers=[("mardi", "https://x/book?start=1")])
    mail = letters.render(draft)
    assert "<b>Hélène</b>" not in mail.html
    parsed = _Text()
    parsed.feed(mail.html)
    assert "<b>Hélène</b> & Cie" in parsed.text
    assert parsed.links == ["https://x/book?start=1", "https://x/move?a=1&b=2"]
    assert mail.text.splitlines()[0] == "Bonjour <b>Hélène</b> & Cie,"
    assert "Déplacer : https://x/move?a=1&b=2" in mail.text.splitlines()
    assert "- mardi : https://x/book?start=1" in mail.text.splitlines()


def test_r13_english_emails_use_english_punctuation():
    mail = letters.render(letters.Draft(lang="en", name="", subject="s", paragraphs=["Hi"],
                                        actions=[("Move", "https://x/m")]))
    assert mail.text.splitlines()[0] == "Hello,"
    assert "Move: https://x/m" in mail.text.splitlines()
    assert mail.text.rstrip().endswith(i18n.text("planner.regards", "en"))
