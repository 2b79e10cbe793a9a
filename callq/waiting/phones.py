"""Caller numbers: stored as E.164, shown the way the hotline's agents read them."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from callq.i18n import gettext

NBSP = "\u00a0"

WITHHELD = None  # the stored value of a number the caller withheld or the network did not give

# What Twilio puts in `From` when the caller withheld the number or the network did not pass it.
# phonenumbers finds all four invalid today; they are listed so a metadata update cannot turn
# one into a number we would ring back.
_TWILIO_WITHHELD = frozenset({"+266696687", "+7378742833", "+2562533", "+86282452253"})
_WITHHELD_WORDS = frozenset(
    {"anonymous", "restricted", "unknown", "unavailable", "private", "blocked", "withheld",
     "masque", "masqué", "inconnu", "privé", "prive"}
)


def normalize_number(raw: str | None, default_region: str = "FR") -> str | None:
    """The E.164 form of a caller number, or WITHHELD when there is no number to call back."""
    text = (raw or "").strip()
    if not text or text.casefold() in _WITHHELD_WORDS or text in _TWILIO_WITHHELD:
        return WITHHELD
    try:
        number = phonenumbers.parse(text, default_region)
    except NumberParseException:
        return WITHHELD
    if not phonenumbers.is_valid_number(number):
        return WITHHELD
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return WITHHELD if e164 in _TWILIO_WITHHELD else e164


def display_number(e164: str | None, lang: str = "fr", *, home_region: str = "FR") -> str:
    """National form for a number of home_region ("06 12 34 56 78"), international otherwise;
    its spaces do not break, so a number is never cut across two lines."""
    if e164 is None:
        return gettext("Withheld number", lang)
    try:
        number = phonenumbers.parse(e164, home_region)
    except NumberParseException:
        return e164  # shown as stored rather than lost
    home = phonenumbers.region_code_for_number(number) == home_region
    shown = phonenumbers.format_number(
        number, PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL
    )
    return shown.replace(" ", NBSP)
