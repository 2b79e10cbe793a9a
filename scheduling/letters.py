"""What the planner writes to clients (R13-R17): email subjects and bodies, SMS, in every language.

Emails are rendered from templates/email/letter.{txt,html} with a standalone Jinja environment
and the catalogs of callq.i18n, so workers write them without a Flask app. Times are shown in
the client's local zone, written the client's way (callq.formats).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from callq import formats, i18n
from callq.branding import Brand
from callq.i18n import N_, N_plural
from scheduling.links import start_stamp

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def when(instant: datetime, zone: ZoneInfo, lang: str) -> str:
    """"mardi 31 mars 2026 à 14 h 30", "Tuesday 31 March 2026 at 14:30"."""
    return formats.when(instant, zone, lang)


def day_groups(times: Sequence[tuple[datetime, datetime]], zone: ZoneInfo,
               lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Free times for a page: [(day label, [(form value, time label)])], by local day."""
    days: dict[date, list[tuple[str, str]]] = {}
    for start, _end in times:
        days.setdefault(start.astimezone(zone).date(), []).append(
            (start_stamp(start), formats.time(start, zone, lang)))
    return [(formats.day(day, lang), starts) for day, starts in days.items()]


@dataclass(frozen=True)
class Mail:
    """Subject and both bodies of one email."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Draft:
    """One email before rendering: paragraphs, facts, buttons and offered times."""

    lang: str
    name: str
    subject: str
    paragraphs: Sequence[str]
    facts: Sequence[tuple[str, str]] = ()
    actions: Sequence[tuple[str, str]] = ()
    offers: Sequence[tuple[str, str]] = field(default_factory=tuple)
    request: str = ""  # the request it is about ("“Printing blocked”"), named in every email
    brand: Brand | None = None  # the hotline's name, number and signature


def render(draft: Draft) -> Mail:
    """The email of a draft, as text and HTML."""
    lang = draft.lang
    values = {"d": draft, "_": lambda message, **kw: i18n.gettext(message, lang, **kw)}
    return Mail(subject=draft.subject, text=_ENV.get_template("letter.txt").render(values),
                html=_ENV.get_template("letter.html").render(values))


def subject(kind: str, lang: str, **values: object) -> str:
    """The subject line of a planner email of `kind`."""
    return i18n.gettext(SUBJECTS[kind], lang, **values)


def paragraph(kind: str, lang: str, **values: object) -> str:
    """The main paragraph of a planner email of `kind`."""
    if kind == "given_up":  # "we tried N times": a real plural
        count = int(str(values.get("count", 0)))
        return i18n.ngettext(*GIVEN_UP, count, lang, **values)
    return i18n.gettext(BODIES[kind], lang, **values)


SUBJECTS = {
    "booked": N_("Callback confirmed – %(when)s"),
    "moved": N_("Callback moved – %(when)s"),
    "missed": N_("We could not reach you – new callback %(when)s"),
    "reassigned": N_("Callback kept – %(when)s"),
    "extended": N_("Callback extended – %(when)s"),
    "cancelled": N_("Callback cancelled – %(when)s"),
    "unstaffed": N_("Your callback on %(when)s cannot take place"),
    "given_up": N_("Callback cancelled: we could not reach you"),
    "link": N_("Book your support callback"),
    "reminder": N_("Reminder: support calls you on %(when)s"),
}

BODIES = {
    "booked": N_("Your support callback is confirmed for %(when)s. An agent will call you on "
                 "%(phone)s: please be reachable on that number."),
    "moved": N_("Your callback has been moved to %(when)s. An agent will call you on %(phone)s."),
    "missed": N_("We called you on %(old)s on %(phone)s and got no answer. Your callback has "
                 "been moved automatically to %(when)s."),
    "reassigned": N_("Your agent is not available on %(when)s; another agent will call you at "
                     "the planned time, on %(phone)s."),
    "extended": N_("Your appointment of %(when)s is extended; it now ends at %(end)s."),
    "cancelled": N_("Your callback on %(when)s is cancelled. You can pick another time whenever "
                    "you like."),
    "unstaffed": N_("No agent can call you on %(when)s, we are sorry. This appointment is "
                    "cancelled: please pick another time below."),
    "link": N_("Pick the afternoon time when support will call you back. This link is valid "
               "until %(until)s."),
    "reminder": N_("Support calls you on %(when)s on %(phone)s. Please be reachable on that "
                   "number."),
}

GIVEN_UP = N_plural(
    "We tried to reach you once on %(phone)s without an answer. Your callback is "
    "cancelled; book again whenever you like.",
    "We tried to reach you %(num)s times on %(phone)s without an answer. Your callback is "
    "cancelled; book again whenever you like.",
)

# One SMS segment each (callq.sms): %(need)s (a label, so any grammar fits "your message")
# is cut to the room left, %(url)s is a short link,
# %(when)s the short form ("31/3 à 15 h 00").
SMS = {
    "link": N_("%(brand)s, %(need)s: book your callback %(url)s or call %(phone)s"),
    "booked": N_("%(brand)s, %(need)s: callback %(when)s. Move or cancel: %(url)s"),
    "moved": N_("%(brand)s, %(need)s: callback moved to %(when)s. %(url)s"),
    "missed": N_("%(brand)s, %(need)s: no answer, callback moved to %(when)s. %(url)s"),
    "cancelled": N_("%(brand)s, %(need)s: callback of %(when)s cancelled. Book again: %(url)s"),
    "unstaffed": N_("%(brand)s, %(need)s: callback of %(when)s cannot take place. New time: "
                    "%(url)s"),
    "given_up": N_("%(brand)s, %(need)s: no answer, callback cancelled. Book again: %(url)s or "
                   "call %(phone)s"),
    "reminder": N_("%(brand)s, %(need)s: we call you %(when)s. Move or cancel: %(url)s"),
}
