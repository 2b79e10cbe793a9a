"""How the workspace shows instants, durations and history events to an agent (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from callq import formats, i18n
from callq.status import Tier
from callq.waiting.labels import tier_label
from callq.workspace import client_texts, texts
from callq.workspace.texts import label


def when(instant: datetime | None, tz: tzinfo, lang: str) -> str:
    """A local day and time: "30/3 à 10 h 05", "30 Mar at 10:05", "30.3., 10:05"."""
    return formats.short_when(instant, tz, lang)


def clock(instant: datetime | None, tz: tzinfo, lang: str) -> str:
    """A local time of day: "10 h 05", "10:05"."""
    return "—" if instant is None else formats.time(instant, tz, lang)


def describe(kind: str, detail: Mapping[str, Any], lang: str) -> str:
    """One history event as a short sentence; unknown kinds show their name."""
    name = label(texts.EVENTS, kind, lang)
    extra = _DETAILS[kind](detail, lang) if kind in _DETAILS else ""
    # French puts a no-break space before the colon: the separator is the catalog's.
    return i18n.gettext("%(event)s: %(detail)s", lang, event=name, detail=extra) if extra else name


def _outcome(detail: Mapping[str, Any], lang: str) -> str:
    parts = [label(texts.OUTCOMES, str(detail.get("outcome", "")), lang)]
    if detail.get("chapter"):
        parts.append(label(client_texts.CHAPTERS, str(detail["chapter"]), lang))
    if detail.get("scope"):
        parts.append(label(client_texts.SCOPES, str(detail["scope"]), lang))
    if detail.get("attempts"):
        parts.append(attempts(int(detail["attempts"]), lang))
    return ", ".join(p for p in parts if p)


def attempts(count: int, lang: str) -> str:
    """"1 tentative d'appel", "2 tentatives d'appel"."""
    return i18n.ngettext("%(num)s call attempt", "%(num)s call attempts", count, lang)


def _call(detail: Mapping[str, Any], lang: str) -> str:
    text = label(texts.CALL_RESULTS, str(detail.get("outcome", "")), lang)
    seconds = detail.get("duration_seconds")
    if not seconds:
        return text
    length = i18n.gettext("%(seconds)s s", lang, seconds=formats.number(seconds, lang))
    return i18n.gettext("%(result)s (%(length)s)", lang, result=text, length=length)


def _requalified(detail: Mapping[str, Any], lang: str) -> str:
    if detail.get("field") == "tier":
        before, after = (_tier(detail.get(k), lang) for k in ("from", "to"))
        return f"{before} → {after}"
    vague = (i18n.gettext("No stated need", lang) if detail.get("to")
             else i18n.gettext("Stated need", lang))
    if not detail.get("need"):
        return vague
    return i18n.gettext("%(label)s \u201c%(need)s\u201d", lang, label=vague, need=detail["need"])


def _tier(value: Any, lang: str) -> str:
    try:
        return tier_label(Tier(value), lang)
    except ValueError:
        return str(value)


def _number(key: str) -> Any:
    def entry(detail: Mapping[str, Any], lang: str) -> str:
        if detail.get(key) is None:
            return ""
        return i18n.gettext("#%(entry)s", lang, entry=detail[key])
    return entry


def _channel(detail: Mapping[str, Any], lang: str) -> str:
    if detail.get("channel") != "email":
        return ""  # a voicemail says nothing more, as before
    flags = [label(texts.MAIL_FLAGS, str(flag), lang) for flag in detail.get("mail_flags") or ()]
    return ", ".join([label(texts.CHANNELS, "email", lang), *flags])


_DETAILS: dict[str, Any] = {
    "created": _channel, "message_attached": _channel,
    "outcome": _outcome, "call_result": _call, "requalified": _requalified,
    "merged": _number("from"), "split": _number("to"), "split_from": _number("from"),
    "renewed": _number("from"), "renewed_as": _number("to"),
}
