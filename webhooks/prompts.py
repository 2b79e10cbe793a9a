"""How the hotline speaks on the phone: in which language, with which Twilio codes, and how it
says a time aloud. The prompts themselves are message ids where the TwiML is built."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from callq import formats, i18n
from callq.i18n import N_

# How the booking link goes out, said after the afternoon announcement (R2).
LINK_PROMPTS = {
    "sms": N_("We are texting you a link to choose your slot."),
    "email": N_("We are emailing you a link to choose your slot."),
    None: N_("Leave us a message and we will offer you an appointment."),
}


def voice_for(settings: Any, lang: str) -> str:
    """The Twilio voice of `lang` (CALLQ_VOICE for French, CALLQ_VOICE_<LANG> for the others);
    empty for a language without one: Twilio's default voice for <Say>'s language."""
    return str(getattr(settings, "voice" if lang == "fr" else f"voice_{lang}", "") or "")


def say_language(lang: str) -> str:
    """The `language` of <Say> for prompts in `lang` ("fr-FR", "en-GB", "de-DE")."""
    # Twilio's codes are messages too, so a new catalog brings its own.
    return i18n.pgettext("Twilio Say language", "en-GB", lang)


def gather_language(lang: str) -> str:
    """The `language` of <Gather input="speech"> for callers speaking `lang` ("de-CH")."""
    # Swiss callers speak Swiss German: recognition listens for it, a standard voice answers.
    return i18n.pgettext("Twilio Gather language", "en-GB", lang)


def spoken_when(local: datetime, lang: str) -> str:
    """A local instant as said on the phone: "lundi 30 mars à 9 h 00", "Monday 30 March at 9:00"."""
    return i18n.pgettext("spoken day and time", "%(day)s at %(time)s", lang,
                         day=formats.spoken_day(local.date(), lang),
                         time=formats.spoken_time(local, lang))
