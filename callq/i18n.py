"""French first, English too: each module registers its own texts; lookups fall back to French."""

from __future__ import annotations

from collections.abc import Mapping

from flask import g, has_request_context, request

LANGUAGES = ("fr", "en")
_TEXTS: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}


def register(texts: Mapping[str, Mapping[str, str]]) -> None:
    """Add a module's texts: {"fr": {key: text}, "en": {key: text}}; keys must be unique."""
    for lang, entries in texts.items():
        clash = [k for k, v in entries.items() if _TEXTS[lang].get(k, v) != v]
        if clash:
            raise ValueError(f"text keys registered twice: {sorted(clash)}")
        _TEXTS[lang].update(entries)


def text(key: str, lang: str = "fr", **values: object) -> str:
    """The text for `key` in `lang` (French when missing), formatted with `values`."""
    template = _TEXTS.get(lang, {}).get(key) or _TEXTS["fr"].get(key)
    if template is None:
        raise KeyError(f"no text {key!r}")
    return template.format(**values) if values else template


def pick_language(default: str = "fr") -> str:
    """The request's language: ?lang=, then the `lang` cookie, then the default (French).

    The browser's Accept-Language is deliberately not consulted: agents and clients of a French
    hotline often run English-language systems, and the product speaks French unless asked.
    """
    if not has_request_context():
        return default
    if "lang" in g:
        return str(g.lang)
    for candidate in (request.args.get("lang"), request.cookies.get("lang")):
        if candidate in LANGUAGES:
            return candidate
    return default
