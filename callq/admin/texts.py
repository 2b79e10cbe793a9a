"""Reworded texts: per language, the voice prompts and the email and SMS texts, with a preview
and a reset to the catalog's wording. A wording with a placeholder the message does not have
is refused. Every process says a new wording within a minute (callq.runtime)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from callq import audit, db, i18n
from callq.i18n import N_, Problem
from callq.models import TextOverride
from callq.wordings import Wording, overridable

if TYPE_CHECKING:
    from callq.runtime import Runtime

MAX_LENGTH = 4000
SAMPLES = {
    "when": "mardi 31 mars 2026 à 14 h 30", "old": "lundi 30 mars 2026 à 15 h 00",
    "end": "15 h 00", "until": "14 avril 2026", "phone": "06 12 34 56 78",
    "holiday": "inventaire annuel", "name": "Clinique des Lilas", "num": "3", "count": "3",
    "chapter": "Impressions", "topic": "Windows", "label": "Agent", "value": "Camille",
}


@dataclass(frozen=True)
class TextView:
    """One rewordable message in one language: the catalog's wording and the override."""

    index: int
    wording: Wording
    default: str
    override: str | None


class Refused(Problem):
    """A wording that cannot be kept; the message says why."""


def wording_at(index: int) -> Wording:
    """The rewordable message by its number on the page; Refused when out of range."""
    found = overridable()
    if not 0 <= index < len(found):
        raise Refused(N_("no text #%(number)s"), number=index)
    return found[index]


def list_texts(runtime: Runtime, lang: str) -> list[TextView]:
    """Every rewordable message in `lang`, with its override if any."""
    lang = _language(lang)
    with db.read(runtime.sessions) as session:
        overrides = {message: text for message, text in session.execute(
            select(TextOverride.message, TextOverride.text).where(TextOverride.lang == lang))}
    return [TextView(n, w, default_text(w.message, lang), overrides.get(w.message))
            for n, w in enumerate(overridable())]


def default_text(message: str, lang: str) -> str:
    """The catalog's wording (what a reset goes back to)."""
    return i18n.translations(i18n.supported(lang)).ugettext(message)


def preview(message: str, text: str) -> str:
    """The wording with sample values in its placeholders; Refused when it is malformed."""
    _check(message, text)
    values = {name: SAMPLES.get(name, f"«{name}»") for name in i18n.placeholders(message)}
    return text % values if values else text.replace("%%", "%")


def set_text(runtime: Runtime, lang: str, index: int, text: str, *, actor: str) -> None:
    """Keep `text` as the wording of message `index` in `lang`."""
    lang, wording = _language(lang), wording_at(index)
    text = text.replace("\r\n", "\n").strip()
    _check(wording.message, text)
    with db.write(runtime.sessions) as session:
        row = session.scalar(select(TextOverride).where(
            TextOverride.lang == lang, TextOverride.message == wording.message)
            .with_for_update())
        before = row.text if row is not None else default_text(wording.message, lang)
        if row is None:
            session.add(TextOverride(lang=lang, message=wording.message, text=text,
                                     updated_at=runtime.now()))
        else:
            row.text, row.updated_at = text, runtime.now()
        audit.record(session, at=runtime.now(), actor=actor, action="text.set",
                     target=f"{lang}: {wording.message[:200]}", before={"text": before},
                     after={"text": text})
    runtime.forget_calendar()


def reset_text(runtime: Runtime, lang: str, index: int, *, actor: str) -> None:
    """Go back to the catalog's wording of message `index` in `lang`."""
    lang, wording = _language(lang), wording_at(index)
    with db.write(runtime.sessions) as session:
        row = session.scalar(select(TextOverride).where(
            TextOverride.lang == lang, TextOverride.message == wording.message))
        if row is None:
            return
        session.delete(row)
        audit.record(session, at=runtime.now(), actor=actor, action="text.reset",
                     target=f"{lang}: {wording.message[:200]}", before={"text": row.text},
                     after={"text": default_text(wording.message, lang)})
    runtime.forget_calendar()


def _check(message: str, text: str) -> None:
    if not text.strip():
        raise Refused(N_("the text is empty: use reset to go back to the default"))
    if len(text) > MAX_LENGTH:
        raise Refused(N_("longer than %(count)s characters"), count=MAX_LENGTH)
    try:
        i18n.check_wording(message, text)
    except Problem as problem:
        raise Refused(problem.message, **problem.values) from None


def _language(lang: str) -> str:
    if lang not in i18n.languages():
        raise Refused(N_("not a language callq speaks: %(value)s"), value=repr(lang))
    return lang
