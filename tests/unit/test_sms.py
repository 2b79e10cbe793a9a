"""Every SMS callq sends fits one segment, in every language, with realistic values: the
encoding the network will use is counted (GSM-7: 160 septets; UCS-2: 70 units), and the
request is still named in it (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from callq import formats, i18n, sms
from callq.acknowledge import ACK_SMS
from callq.waiting.estimate import SHORT_MOMENTS as SMS_MOMENTS
from callq.waiting.estimate import Moment, Standing
from callq.workspace import client_texts
from scheduling import letters, offer_notices

# A real base URL, a short code as callq.short_links makes it, a real hotline name.
SHORT_URL = "https://support.medilog.fr/r/Ab3dE_g-iJ"
BRAND = "Hotline Médilog"
PHONE = "04\u00a078\u00a000\u00a000\u00a002"
NEED = ("Impossible d'éditer les factures depuis la mise à jour de ce matin, le logiciel se "
        "ferme dès qu'on clique sur « Imprimer » et nous avons vingt patients en attente")
WEDNESDAY = datetime(2026, 12, 30, 14, 30, tzinfo=UTC)  # a long day and month in every language
TEMPLATES = (
    [(f"planner-{kind}", message) for kind, message in letters.SMS.items()]
    + [(f"workspace-{kind}", message) for kind, message in client_texts.SMS.items()]
    + [(f"waitlist-{kind}", message) for kind, message in offer_notices.SMS.items()]
    + [("acknowledgment", ACK_SMS)]
)


def _values(lang: str) -> dict[str, object]:
    zone = ZoneInfo("Europe/Paris")
    longest_chapter = max((i18n.gettext(t, lang) for t in client_texts.CHAPTERS.values()),
                          key=len)
    longest_topic = max((i18n.gettext(t, lang) for t in client_texts.SCOPES.values()), key=len)
    thursday = Standing(123, Moment.DAY_MORNING, datetime(2026, 12, 31).date())
    moment = max((i18n.gettext(m, lang, weekday=formats.weekday_name(thursday.day, lang))
                  for m in SMS_MOMENTS.values()), key=len)
    return {"brand": BRAND, "phone": PHONE, "url": SHORT_URL, "position": thursday.position,
            "when": formats.short_when(WEDNESDAY, zone, lang), "chapter": longest_chapter,
            "topic": longest_topic, "moment": moment}


@pytest.mark.parametrize("lang", i18n.languages())
@pytest.mark.parametrize(("name", "message"), TEMPLATES, ids=[n for n, _ in TEMPLATES])
def test_every_sms_template_fits_one_segment_and_still_names_the_request(lang, name, message):
    values = _values(lang)

    def render(need: str) -> str:
        said = f'"{need}"' if need else i18n.gettext("your message", lang)
        return i18n.gettext(message, lang, need=said, **values)

    text = sms.write(render, NEED)
    limit = sms.GSM7_SEGMENT if sms.is_gsm7(text) else sms.UCS2_SEGMENT
    assert sms.length(text) <= limit, f"{name} [{lang}] is {sms.length(text)}: {text}"
    assert sms.is_gsm7(text), f"{name} [{lang}] would go as UCS-2: {text}"
    assert SHORT_URL in text or "%(url)s" not in message
    named = sms.fold(NEED)[:12]
    assert named in text, f"{name} [{lang}] does not name the request: {text}"


@pytest.mark.parametrize("lang", i18n.languages())
def test_a_message_without_a_stated_need_says_your_message(lang):
    def render(need: str) -> str:
        said = f'"{need}"' if need else i18n.gettext("your message", lang)
        return i18n.gettext(letters.SMS["link"], lang, need=said, **_values(lang))

    text = sms.write(render, None)
    assert sms.fold(i18n.gettext("your message", lang)) in text and sms.fits(text)


def test_gsm7_counts_extended_characters_twice_and_ucs2_counts_utf16_units():
    assert sms.length("abc") == 3 and sms.length("a€") == 3  # € is an escape + a septet
    assert not sms.is_gsm7("prêt") and sms.length("prêt") == 4
    assert sms.length("😀") == 2  # a surrogate pair in UCS-2
    assert sms.segment_limit("é à è ü") == 160 and sms.segment_limit("ê") == 70


def test_folding_keeps_the_accents_gsm7_has_and_plains_the_others():
    folded = sms.fold("Prêt\u00a0: l\u2019ordonnance «\u00a0reçue\u00a0» à 15\u202fh — été")
    assert folded == "Pret : l'ordonnance \" recue \" à 15 h - été"
    assert sms.is_gsm7(folded)


def test_a_need_is_cut_at_a_word_with_an_ellipsis():
    assert sms.short_need("Imprimante bloquée depuis ce matin", 22) == "Imprimante bloquée..."
    assert sms.short_need("  court  ", 40) == "court"
    assert sms.short_need("Un besoin", 2) == ""
