"""What the planner writes to clients (R13-R17): email subjects and bodies, SMS, in fr and en.

Emails are rendered from templates/email/letter.{txt,html} with a standalone Jinja environment,
so workers write them without a Flask app. Times are shown in the client's local zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from callq import i18n
from scheduling.links import start_stamp

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)

_DAYS = {"fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
         "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
_MONTHS = {"fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                  "septembre", "octobre", "novembre", "décembre"),
           "en": ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")}


def day_label(day: date, lang: str) -> str:
    """"mardi 31 mars 2026" / "Tuesday 31 March 2026"."""
    lang = lang if lang in _DAYS else "fr"
    return f"{_DAYS[lang][day.weekday()]} {day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def time_label(instant: datetime, zone: ZoneInfo, lang: str) -> str:
    """"14 h 30" / "14:30", on the local clock of `zone`."""
    local = instant.astimezone(zone)
    return f"{local.hour} h {local.minute:02d}" if lang != "en" else f"{local:%H:%M}"


def when(instant: datetime, zone: ZoneInfo, lang: str) -> str:
    """"mardi 31 mars 2026 à 14 h 30" / "Tuesday 31 March 2026 at 14:30"."""
    day = day_label(instant.astimezone(zone).date(), lang)
    return i18n.text("planner.when", lang, day=day, time=time_label(instant, zone, lang))


def day_groups(times: Sequence[tuple[datetime, datetime]], zone: ZoneInfo,
               lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Free times for a page: [(day label, [(form value, time label)])], by local day."""
    days: dict[date, list[tuple[str, str]]] = {}
    for start, _end in times:
        days.setdefault(start.astimezone(zone).date(), []).append(
            (start_stamp(start), time_label(start, zone, lang)))
    return [(day_label(day, lang), starts) for day, starts in days.items()]


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


def render(draft: Draft) -> Mail:
    """The email of a draft, as text and HTML."""
    values = {"d": draft, "_": lambda key, **kw: i18n.text(key, draft.lang, **kw)}
    return Mail(subject=draft.subject, text=_ENV.get_template("letter.txt").render(values),
                html=_ENV.get_template("letter.html").render(values))


def subject(kind: str, lang: str, **values: object) -> str:
    """The subject line of a planner email of `kind`."""
    return i18n.text(f"planner.subject.{kind}", lang, **values)


def paragraph(kind: str, lang: str, **values: object) -> str:
    """The main paragraph of a planner email of `kind`."""
    return i18n.text(f"planner.body.{kind}", lang, **values)


def sms(kind: str, lang: str, **values: object) -> str:
    """A planner text message of `kind`."""
    return i18n.text(f"planner.sms.{kind}", lang, **values)


i18n.register({
    "fr": {
        "planner.when": "{day} à {time}",
        "planner.pair": "{label} : {value}",
        "planner.summary": "Rappel du support – Hotline",
        "planner.hello": "Bonjour {name},",
        "planner.hello_anonymous": "Bonjour,",
        "planner.regards": "L'équipe support",
        "planner.fact.when": "Date",
        "planner.fact.phone": "Numéro appelé",
        "planner.fact.length": "Durée prévue",
        "planner.minutes": "{minutes} min",
        "planner.action.move": "Déplacer le rendez-vous",
        "planner.action.cancel": "Annuler le rendez-vous",
        "planner.action.book": "Choisir un créneau",
        "planner.offers": "Prochains créneaux libres :",
        "planner.invitation.description": "Le support vous appellera au {phone}.\n"
                                          "Déplacer : {move}\nAnnuler : {cancel}",
        "planner.subject.booked": "Rappel confirmé – {when}",
        "planner.subject.moved": "Rappel déplacé – {when}",
        "planner.subject.missed": "Nous n'avons pas pu vous joindre – nouveau rappel {when}",
        "planner.subject.reassigned": "Rappel maintenu – {when}",
        "planner.subject.extended": "Rappel prolongé – {when}",
        "planner.subject.cancelled": "Rappel annulé – {when}",
        "planner.subject.unstaffed": "Votre rappel du {when} ne peut pas avoir lieu",
        "planner.subject.given_up": "Rappel annulé : nous n'avons pas pu vous joindre",
        "planner.subject.link": "Réservez votre rappel par le support",
        "planner.subject.reminder": "Rappel : le support vous appelle le {when}",
        "planner.body.booked": "Votre rappel par le support est confirmé pour le {when}. "
                               "Un conseiller vous appellera au {phone} : soyez joignable "
                               "à ce numéro.",
        "planner.body.moved": "Votre rappel a été déplacé au {when}. Un conseiller vous "
                              "appellera au {phone}.",
        "planner.body.missed": "Nous vous avons appelé le {old} au {phone}, sans réponse. "
                               "Votre rappel a été déplacé automatiquement au {when}.",
        "planner.body.reassigned": "Votre conseiller n'est pas disponible le {when} ; un autre "
                                   "conseiller vous appellera à l'heure prévue, au {phone}.",
        "planner.body.extended": "Votre rendez-vous du {when} est prolongé ; il se termine "
                                 "à {end}.",
        "planner.body.cancelled": "Votre rappel du {when} est annulé. Vous pouvez choisir un "
                                  "autre créneau à tout moment.",
        "planner.body.unstaffed": "Aucun conseiller ne pourra vous appeler le {when}, nous en "
                                  "sommes désolés. Ce rendez-vous est annulé : choisissez un "
                                  "autre créneau ci-dessous.",
        "planner.body.given_up": "Nous avons tenté de vous joindre {count} fois au {phone}, sans "
                                 "réponse. Votre rappel est annulé ; reprenez rendez-vous quand "
                                 "vous le souhaitez.",
        "planner.body.link": "Choisissez le créneau de l'après-midi où le support vous "
                             "rappellera. Ce lien est valable jusqu'au {until}.",
        "planner.body.reminder": "Le support vous appelle le {when} au {phone}. Soyez joignable "
                                 "à ce numéro.",
        "planner.sms.link": "Support : réservez votre rappel de l'après-midi ici : {url}",
        "planner.sms.booked": "Support : rappel confirmé le {when}. Déplacer ou annuler : {url}",
        "planner.sms.moved": "Support : votre rappel est déplacé au {when}. Détails : {url}",
        "planner.sms.missed": "Support : sans réponse de votre part, votre rappel est déplacé "
                              "au {when}. Détails : {url}",
        "planner.sms.unstaffed": "Support : votre rappel du {when} ne peut pas avoir lieu. "
                                 "Choisissez un autre créneau : {url}",
        "planner.sms.given_up": "Support : sans réponse, votre rappel est annulé. "
                                "Reprenez rendez-vous : {url}",
        "planner.sms.reminder": "Support : nous vous appelons le {when}. Déplacer ou "
                                "annuler : {url}",
    },
    "en": {
        "planner.when": "{day} at {time}",
        "planner.pair": "{label}: {value}",
        "planner.summary": "Support callback – Hotline",
        "planner.hello": "Hello {name},",
        "planner.hello_anonymous": "Hello,",
        "planner.regards": "The support team",
        "planner.fact.when": "When",
        "planner.fact.phone": "Number we call",
        "planner.fact.length": "Planned length",
        "planner.minutes": "{minutes} min",
        "planner.action.move": "Move the appointment",
        "planner.action.cancel": "Cancel the appointment",
        "planner.action.book": "Pick a time",
        "planner.offers": "Next free times:",
        "planner.invitation.description": "Support will call you on {phone}.\n"
                                          "Move: {move}\nCancel: {cancel}",
        "planner.subject.booked": "Callback confirmed – {when}",
        "planner.subject.moved": "Callback moved – {when}",
        "planner.subject.missed": "We could not reach you – new callback {when}",
        "planner.subject.reassigned": "Callback kept – {when}",
        "planner.subject.extended": "Callback extended – {when}",
        "planner.subject.cancelled": "Callback cancelled – {when}",
        "planner.subject.unstaffed": "Your callback on {when} cannot take place",
        "planner.subject.given_up": "Callback cancelled: we could not reach you",
        "planner.subject.link": "Book your support callback",
        "planner.subject.reminder": "Reminder: support calls you on {when}",
        "planner.body.booked": "Your support callback is confirmed for {when}. An agent will "
                               "call you on {phone}: please be reachable on that number.",
        "planner.body.moved": "Your callback has been moved to {when}. An agent will call you "
                              "on {phone}.",
        "planner.body.missed": "We called you on {old} on {phone} and got no answer. Your "
                               "callback has been moved automatically to {when}.",
        "planner.body.reassigned": "Your agent is not available on {when}; another agent will "
                                   "call you at the planned time, on {phone}.",
        "planner.body.extended": "Your appointment of {when} is extended; it now ends at {end}.",
        "planner.body.cancelled": "Your callback on {when} is cancelled. You can pick another "
                                  "time whenever you like.",
        "planner.body.unstaffed": "No agent can call you on {when}, we are sorry. This "
                                  "appointment is cancelled: please pick another time below.",
        "planner.body.given_up": "We tried to reach you {count} times on {phone} without an "
                                 "answer. Your callback is cancelled; book again whenever you "
                                 "like.",
        "planner.body.link": "Pick the afternoon time when support will call you back. This "
                             "link is valid until {until}.",
        "planner.body.reminder": "Support calls you on {when} on {phone}. Please be reachable "
                                 "on that number.",
        "planner.sms.link": "Support: book your afternoon callback here: {url}",
        "planner.sms.booked": "Support: callback confirmed on {when}. Move or cancel: {url}",
        "planner.sms.moved": "Support: your callback is moved to {when}. Details: {url}",
        "planner.sms.missed": "Support: no answer, so your callback is moved to {when}. "
                              "Details: {url}",
        "planner.sms.unstaffed": "Support: your callback on {when} cannot take place. "
                                 "Pick another time: {url}",
        "planner.sms.given_up": "Support: no answer, your callback is cancelled. Book again: "
                                "{url}",
        "planner.sms.reminder": "Support: we call you on {when}. Move or cancel: {url}",
    },
})
