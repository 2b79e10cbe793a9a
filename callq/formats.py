"""Days, times, numbers and durations written the way each language writes them (Babel, CLDR).

The date and time patterns are messages of the catalogs (context "date format"...), so a new
language brings its own ("EEEE, d. MMMM y" in German) without code; day and month names come
from CLDR. Instants are always shown on the clock of the zone given (the calendar's).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, tzinfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location
from babel.numbers import format_decimal
from babel.units import format_unit

from callq.i18n import pgettext, supported

# Where a language is written the way of one country: German is Swiss usage (no ß, 1'234).
_REGION = {"de": "de_CH", "en": "en_GB", "fr": "fr_FR"}
NBSP = "\u00a0"


def locale(lang: str) -> Locale:
    """The CLDR locale of a language callq speaks."""
    code = supported(lang)
    return Locale.parse(_REGION.get(code, code))


def number(value: float, lang: str) -> str:
    """12345 -> "12 345" (fr, narrow no-break space), "12'345" (de), "12,345" (en)."""
    return format_decimal(value, locale=locale(lang))


def file_size(size: int, lang: str) -> str:
    """A file's size: "12,3 ko" (fr), "12.3 kB" (en), "2.5 MB" (de)."""
    unit, value = ("digital-kilobyte", size / 1000) if size < 1_000_000 else \
        ("digital-megabyte", size / 1_000_000)
    return str(format_unit(value, unit, length="short", format="#,##0.#", locale=locale(lang)))


def day(value: date, lang: str) -> str:
    """A day in full: "mercredi 1er avril 2026", "Mittwoch, 1. April 2026"."""
    return _date(value, pgettext("date format", "EEEE d MMMM y", lang), lang)


def spoken_day(value: date, lang: str) -> str:
    """A day as said on the phone, without the year: "lundi 30 mars", "Monday 30 March"."""
    return _date(value, pgettext("spoken date format", "EEEE d MMMM", lang), lang)


def short_day(value: date, lang: str) -> str:
    """A day in a list: "2/12", "2 Dec", "2.12."."""
    return _date(value, pgettext("short date format", "d MMM", lang), lang)


def weekday(value: date, lang: str) -> str:
    """A day's abbreviated name, for a week strip: "lun.", "Mon", "Mo."."""
    return format_date(value, "EEE", locale=locale(lang))


def weekday_name(value: date, lang: str) -> str:
    """A day's name in full, as said in a sentence: "lundi", "Monday", "Montag"."""
    return format_date(value, "EEEE", locale=locale(lang))


def zone_city(zone: tzinfo, lang: str) -> str:
    """The city that names a time zone, in the reader's language: "Paris", "Zürich"."""
    return str(get_timezone_location(zone, locale=locale(lang), return_city=True))


def time(instant: datetime, zone: tzinfo, lang: str) -> str:
    """A local time of day: "9 h 00" (fr, no-break spaces), "09:00" (en, de)."""
    pattern = pgettext("time format", "HH:mm", lang)
    return format_time(instant.astimezone(zone), pattern, locale=locale(lang))


def spoken_time(local: datetime, lang: str) -> str:
    """A local time as said on the phone: "9 h 00", "9:00", "9.00 Uhr"."""
    return format_time(local, pgettext("spoken time format", "H:mm", lang), locale=locale(lang))


def when(instant: datetime, zone: tzinfo, lang: str) -> str:
    """Day and time in full: "mardi 31 mars 2026 à 14 h 30"."""
    local = instant.astimezone(zone)
    return pgettext("day and time", "%(day)s at %(time)s", lang, day=day(local.date(), lang),
                    time=time(local, zone, lang))


def short_when(instant: datetime | None, zone: tzinfo, lang: str) -> str:
    """Day and time in a list: "2/12 à 15 h 00", "2 Dec at 15:00"; a dash for nothing."""
    if instant is None:
        return "—"
    local = instant.astimezone(zone)
    return pgettext("day and time", "%(day)s at %(time)s", lang,
                    day=short_day(local.date(), lang), time=time(local, zone, lang))


def duration(seconds: float, lang: str) -> str:
    """Hours and minutes: "3 h 05" (fr), "3 h 05 min" (en), "3 Std. 05 Min." (de)."""
    hours, minutes = divmod(int(seconds // 60), 60)
    return pgettext("duration", "%(hours)s h %(minutes)s min", lang,
                    hours=number(hours, lang), minutes=str(minutes).zfill(2))


def _date(value: date, pattern: str, lang: str) -> str:
    where = locale(lang)
    if where.language == "fr" and value.day == 1 and "MMM" in pattern:
        pattern = _first_of_month(pattern)  # CLDR writes "1 avril"; French writes "1er avril"
    return format_date(value, pattern, locale=where)


def _first_of_month(pattern: str) -> str:
    """The pattern with its day-of-month field written "1er" (outside quoted literals)."""
    parts = pattern.split("'")
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = _replace_lone_d(parts[i])
    return "'".join(parts)


def _replace_lone_d(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        run = text[i:j]
        out.append("'1er'" if run == "d" else run)
        i = j
    return "".join(out)


def one_line(text: str) -> str:
    """A name as one line of text: every control character and run of white space becomes one
    space. Names go into calendar names and parameters, headers and spoken prompts, where a
    line break either breaks the format or starts a line of its own."""
    return " ".join("".join(" " if _control(char) else char for char in text).split())


def _control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
