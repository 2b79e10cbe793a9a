"""gettext without a framework: one Babel catalog per language, the language always explicit.

Message ids are the English source strings with named placeholders (`%(name)s`); the catalogs
are `translations/<lang>/LC_MESSAGES/messages.po`, compiled to `.mo` by `make install`. French
is the default language of every page, prompt and message; English is the source and needs no
catalog. Requests reach these catalogs through Flask-Babel (callq.web_i18n); workers, jobs and
the CLI call the functions below with the language of the person they write to.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

CATALOGS = Path(__file__).resolve().parent.parent / "translations"
DOMAIN = "messages"
SOURCE = "en"  # the language of the message ids
DEFAULT = "fr"  # the language of whoever has not said otherwise


@cache
def languages() -> tuple[str, ...]:
    """Every language callq speaks: the default first, then the catalogs found, then English."""
    found = sorted(p.parent.parent.name for p in CATALOGS.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    ordered = [DEFAULT, *(code for code in found if code != DEFAULT), SOURCE]
    return tuple(dict.fromkeys(ordered))


def supported(lang: str | None, default: str = DEFAULT) -> str:
    """The language callq speaks for a wish ("de-CH", "EN", None...), else `default`."""
    code = (lang or "").replace("-", "_").split("_")[0].lower()
    return code if code in languages() else default


@cache
def translations(lang: str) -> NullTranslations:
    """The catalog of `lang` (compiled `.mo`, else its `.po` compiled in memory)."""
    folder = CATALOGS / lang / "LC_MESSAGES"
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if compiled.is_file() and (not source.is_file()
                               or compiled.stat().st_mtime >= source.stat().st_mtime):
        with compiled.open("rb") as fp:
            return Translations(fp, domain=DOMAIN)
    if source.is_file():
        # A checkout whose catalogs were not compiled yet (or were edited since) still speaks.
        with source.open("rb") as fp:
            catalog = read_po(fp, locale=lang, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(buffer, domain=DOMAIN)
    return NullTranslations()


def gettext(message: str, lang: str, /, **values: object) -> str:
    """`message` in `lang`, its named placeholders filled with `values`."""
    text = translations(supported(lang)).ugettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, lang: str, /, **values: object) -> str:
    """The plural form for `n` in `lang`; `%(num)s` is `n` written the language's way."""
    from callq import formats  # formats uses gettext for its patterns

    lang = supported(lang)
    values.setdefault("num", formats.number(n, lang))
    return translations(lang).ungettext(singular, plural, n) % values


def pgettext(context: str, message: str, lang: str, /, **values: object) -> str:
    """Like gettext, for a message whose translation depends on `context` ("Toutes"/"Tous")."""
    text = translations(supported(lang)).upgettext(context, message)
    return text % values if values else text


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a plural pair for extraction; give it to ngettext where it is shown."""
    return singular, plural
