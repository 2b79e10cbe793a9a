"""What the planner writes (R13-R17): local dates in French, English and German, every text in
every language, HTML that escapes what clients typed; pure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from callq import formats, i18n
from scheduling import letters

PARIS, ZURICH = ZoneInfo("Europe/Paris"), ZoneInfo("Europe/Zurich")
KINDS = ("booked", "moved", "missed", "reassigned", "extended", "cancelled", "unstaffed",
         "given_up", "link", "reminder")
SMS_KINDS = ("link", "booked", "moved", "missed", "unstaffed", "given_up", "reminder")


NBSP = "\u00a0"  # French writes "14 h 30" with no-break spaces


@pytest.mark.parametrize(("instant", "zone", "lang", "shown"), [
    (datetime(2026, 3, 31, 12, 30, tzinfo=UTC), PARIS, "fr", "mardi 31 mars 2026 à 14 h 30"),
    (datetime(2026, 3, 31, 12, 30, tzinfo=UTC), PARIS, "en", "Tuesday 31 March 2026 at 14:30"),
    (datetime(2026, 3, 31, 12, 30, tzinfo=UTC), PARIS, "de",
     "Dienstag, 31. März 2026 um 14:30"),
    (datetime(2026, 3, 27, 13, 0, tzinfo=UTC), PARIS, "fr", "vendredi 27 mars 2026 à 14 h 00"),
    (datetime(2026, 10, 26, 13, 0, tzinfo=UTC), ZURICH, "fr",
     "lundi 26 octobre 2026 à 14 h 00"),
    (datetime(2026, 8, 17, 11, 30, tzinfo=UTC), ZURICH, "fr", "lundi 17 août 2026 à 13 h 30"),
    (datetime(2026, 8, 17, 11, 30, tzinfo=UTC), ZURICH, "de", "Montag, 17. August 2026 um 13:30"),
])
def test_r04_times_are_shown_on_the_client_s_local_clock(instant, zone, lang, shown):
    assert letters.when(instant, zone, lang) == shown.replace(" h ", f"{NBSP}h{NBSP}")


@pytest.mark.parametrize(("day", "lang", "shown"), [
    (date(2026, 2, 1), "fr", "dimanche 1er février 2026"),  # CLDR says "1"; French says "1er"
    (date(2026, 2, 2), "fr", "lundi 2 février 2026"),
    (date(2026, 12, 5), "en", "Saturday 5 December 2026"),
    (date(2026, 2, 1), "en", "Sunday 1 February 2026"),
    (date(2026, 3, 1), "de", "Sonntag, 1. März 2026"),
])
def test_r04_day_labels_are_written_each_language_s_way(day, lang, shown):
    assert formats.day(day, lang) == shown


@pytest.mark.parametrize("lang", ["fr", "en", "de"])
@pytest.mark.parametrize("kind", KINDS)
def test_r13_every_email_has_a_subject_and_body_in_both_languages(kind, lang):
    values = dict(when="w", phone="p", old="o", end="e", count=2, until="u")
    subject = letters.subject(kind, lang, **values)
    body = letters.paragraph(kind, lang, **values)
    assert subject and body and "{" not in subject + body
    if lang != "fr":  # really translated, not the French text
        assert subject != letters.subject(kind, "fr", **values)


@pytest.mark.parametrize("kind", SMS_KINDS)
def test_r13_every_sms_names_its_link(kind):
    # Their length in one segment is tests/unit/test_sms.py's.
    for lang in ("fr", "en", "de"):
        body = i18n.gettext(letters.SMS[kind], lang, when="31/3", url="https://x/y", need="n",
                            brand="b", phone="p")
        assert "https://x/y" in body and "%(" not in body
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
    assert f"Déplacer{NBSP}: https://x/move?a=1&b=2" in mail.text.splitlines()
    assert f"- mardi{NBSP}: https://x/book?start=1" in mail.text.splitlines()


def test_r13_english_emails_use_english_punctuation():
    mail = letters.render(letters.Draft(lang="en", name="", subject="s", paragraphs=["Hi"],
                                        actions=[("Move", "https://x/m")]))
    assert mail.text.splitlines()[0] == "Hello,"
    assert "Move: https://x/m" in mail.text.splitlines()
    assert mail.text.rstrip().endswith("The support team")


def test_r13_german_emails_are_swiss():
    mail = letters.render(letters.Draft(lang="de", name="Frau Meier", subject="s",
                                        paragraphs=["Hallo"], actions=[("Termin", "https://x")]))
    assert mail.text.splitlines()[0] == "Guten Tag Frau Meier"
    assert "Termin: https://x" in mail.text.splitlines()
    assert mail.text.rstrip().endswith("Ihr Support-Team")
    assert "ß" not in letters.paragraph("given_up", "de", phone="p", count=3)


@pytest.mark.parametrize(("count", "fr", "en", "de"), [
    (1, "une fois", "once", "einmal"),
    (3, "3 fois", "3 times", "3-mal"),
])
def test_r15_given_up_email_counts_the_calls_with_real_plurals(count, fr, en, de):
    for lang, words in (("fr", fr), ("en", en), ("de", de)):
        assert words in letters.paragraph("given_up", lang, phone="p", count=count)
