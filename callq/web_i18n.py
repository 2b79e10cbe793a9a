"""Flask-Babel in requests: which language a request speaks, and gettext in the templates.

The choice: `?lang=` (remembered in the `lang` cookie), then the cookie, then the logged-in
agent's language, then the setting's default. The browser's Accept-Language is deliberately not
consulted: agents and clients of a French hotline often run English-language systems, and the
product speaks French unless asked. Flask-Babel reads callq.i18n's catalogs, so a page, a worker
and the CLI always say the same words.
"""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, Domain, get_locale, refresh
from flask_login import current_user

from callq import i18n

COOKIE = "lang"
_YEAR = 365 * 86400


class _Catalogs(Domain):  # type: ignore[misc]
    """Flask-Babel's domain over callq.i18n's catalogs (one loader, one cache)."""

    def get_translations(self) -> NullTranslations:
        return i18n.translations(i18n.supported(str(get_locale() or i18n.DEFAULT)))




def install(app: Flask, default: str) -> None:
    """Wire Flask-Babel into `app`: locale selector, cookie, `lang` and the switcher's list."""
    babel = Babel(app, locale_selector=lambda: request_language(default),
                  default_locale=default, default_translation_directories=str(i18n.CATALOGS))
    babel.domain_instance = _Catalogs()  # replaces Flask-Babel's own .mo loader

    # Pages only (create_app installs this within web_pages.pages_only): a webhook's language
    # is its `?lang=`, and Twilio keeps no cookie.
    @app.before_request
    def _language() -> None:
        g.lang = request_language(default)

    @app.after_request
    def _remember(response: Any) -> Any:
        chosen = request.args.get("lang")
        if chosen in i18n.languages():
            response.set_cookie(COOKIE, chosen, max_age=_YEAR, samesite="Lax")
        return response

    @app.context_processor
    def _languages() -> dict[str, Any]:
        return {"lang": g.get("lang", default), "languages": switcher()}


def request_language(default: str = i18n.DEFAULT) -> str:
    """The request's language: ?lang=, the cookie, the agent's language, then `default`."""
    if not has_request_context():
        return default
    if "lang" in g:
        return str(g.lang)
    for candidate in (request.args.get("lang"), request.cookies.get(COOKIE), _agent_language()):
        if candidate in i18n.languages():
            return str(candidate)
    return default


def speak(lang: str) -> None:
    """Make this request speak `lang` (a link's language), unless `?lang=` asked otherwise."""
    if request.args.get("lang") not in i18n.languages():
        g.lang = i18n.supported(lang)
        refresh()  # Flask-Babel keeps the locale it chose first


def switcher() -> list[tuple[str, str]]:
    """Each language callq speaks, as (code, its own name): "fr", "Français"..."""
    from callq import formats

    return [(code, (formats.locale(code).language_name or code).capitalize())
            for code in i18n.languages()]


def _agent_language() -> str | None:
    user = current_user
    return getattr(user, "language", None) if user and user.is_authenticated else None
