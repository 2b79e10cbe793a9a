"""Caller numbers: E.164 for storage and call-back, national display, withheld numbers."""

from __future__ import annotations

import pytest

from callq.waiting.phones import WITHHELD, display_number, normalize_number


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+33612345678", "+33612345678"),
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("  +33 1 23 45 67 89 ", "+33123456789"),
        ("+41 31 123 45 67", "+41311234567"),
        ("+1 415 555 0100", "+14155550100"),
    ],
)
def test_r05_caller_number_is_stored_as_e164(raw: str, e164: str) -> None:
    assert normalize_number(raw) == e164


def test_r05_national_number_is_read_in_the_hotline_region() -> None:
    assert normalize_number("031 123 45 67", default_region="CH") == "+41311234567"
    assert normalize_number("031 123 45 67", default_region="FR") == "+33311234567"


@pytest.mark.parametrize(
    "raw",
    [
        None, "", "   ", "anonymous", "Anonymous", "restricted", "unknown", "Unavailable",
        # What Twilio sends for withheld or unknown numbers:
        "+266696687", "+7378742833", "+2562533", "+86282452253",
        "client:agent-1", "12", "+33 6 12",
    ],
)
def test_r05_withheld_or_invalid_number_has_no_call_back_number(raw: str | None) -> None:
    assert normalize_number(raw) is WITHHELD


# Shown numbers are never cut across two lines: their spaces are no-break spaces.
@pytest.mark.parametrize(
    ("e164", "fr", "en", "de"),
    [
        ("+33612345678", "06 12 34 56 78", "06 12 34 56 78", "06 12 34 56 78"),
        ("+41311234567", "+41 31 123 45 67", "+41 31 123 45 67", "+41 31 123 45 67"),
        (None, "Numéro masqué", "Withheld number", "Unterdrückte Nummer"),
    ],
)
def test_r05_number_is_shown_nationally_at_home_and_internationally_otherwise(
    e164: str | None, fr: str, en: str, de: str
) -> None:
    def shown(lang: str) -> str:
        return display_number(e164, lang).replace("\u00a0", " ")

    assert (shown("fr"), shown("en"), shown("de")) == (fr, en, de)
    assert e164 is None or " " not in display_number(e164)


def test_r05_number_is_written_with_no_break_spaces() -> None:
    assert display_number("+33478000002") == "04\u00a078\u00a000\u00a000\u00a002"


def test_r05_home_region_of_the_display_follows_the_hotline() -> None:
    assert display_number("+41311234567", home_region="CH") == "031\u00a0123\u00a045\u00a067"
    assert display_number("+33612345678", home_region="CH").split("\u00a0") == [
        "+33", "6", "12", "34", "56", "78"]
