"""How the workspace shows instants, durations and history events to an agent (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from callq import i18n
from callq.status import Tier
from callq.waiting.classify import tier_label
from callq.workspace import client_texts, texts  # noqa: F401  (the words shown)


def when(instant: datetime | None, tz: tzinfo, lang: str) -> str:
    """A local day and time: "30/03 à 10:05" or "30/03 at 10:05"."""
    if instant is None:
        return "—"
    local = instant.astimezone(tz)
    return i18n.text("workspace.at", lang, day=f"{local:%d/%m}", time=f"{local:%H:%M}")


def clock(instant: datetime | None, tz: tzinfo) -> str:
    """A local time of day: "10:05"."""
    return "—" if instant is None else f"{instant.astimezone(tz):%H:%M}"


def duration(seconds: float) -> str:
    """Business time as hours and minutes: "3 h 05", "0 h 40"."""
    minutes = int(seconds // 60)
    return f"{minutes // 60} h {minutes % 60:02d}"


def describe(kind: str, detail: Mapping[str, Any], lang: str) -> str:
    """One history event as a short sentence; unknown kinds show their label or their name."""
    label = _label(f"workspace.event.{kind}", lang) or kind
    extra = _DETAILS[kind](detail, lang) if kind in _DETAILS else ""
    separator = " : " if lang == "fr" else ": "  # French puts a space before the colon
    return f"{label}{separator}{extra}" if extra else label


def _label(key: str, lang: str, **values: object) -> str | None:
    try:
        return i18n.text(key, lang, **values)
    except KeyError:
        return None


def _outcome(detail: Mapping[str, Any], lang: str) -> str:
    outcome = str(detail.get("outcome", ""))
    parts = [_label(f"workspace.outcome.{outcome}", lang) or outcome]
    if detail.get("chapter"):
        parts.append(_label(f"workspace.chapter.{detail['chapter']}", lang) or "")
    if detail.get("scope"):
        parts.append(_label(f"workspace.scope.{detail['scope']}", lang) or "")
    if detail.get("attempts"):
        parts.append(i18n.text("workspace.attempts", lang, count=detail["attempts"]))
    return ", ".join(p for p in parts if p)


def _call(detail: Mapping[str, Any], lang: str) -> str:
    result = str(detail.get("outcome", ""))
    text = _label(f"workspace.call.{result}", lang) or result
    seconds = detail.get("duration_seconds")
    return f"{text} ({i18n.text('workspace.seconds', lang, count=seconds)})" if seconds else text


def _requalified(detail: Mapping[str, Any], lang: str) -> str:
    if detail.get("field") == "tier":
        before, after = (_tier(detail.get(k), lang) for k in ("from", "to"))
        return f"{before} → {after}"
    vague = i18n.text("workspace.vague.yes" if detail.get("to") else "workspace.vague.no", lang)
    return f"{vague}" + (f" « {detail['need']} »" if detail.get("need") else "")


def _tier(value: Any, lang: str) -> str:
    try:
        return tier_label(Tier(value), lang)
    except ValueError:
        return str(value)


def _number(key: str) -> Any:
    return lambda detail, lang: f"n° {detail[key]}" if detail.get(key) is not None else ""


_DETAILS: dict[str, Any] = {
    "outcome": _outcome, "call_result": _call, "requalified": _requalified,
    "merged": _number("from"), "split": _number("to"), "split_from": _number("from"),
}
