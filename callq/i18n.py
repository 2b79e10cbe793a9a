"""gettext without a framework: one Babel catalog per language, the language always explicit.

Message ids are the English source strings with named placeholders (`%(name)s`); the catalogs
are `translations/<lang>/LC_MESSAGES/messages.po`, compiled to `.mo` by `make install`. French
is the default language of every page, prompt and message; English is the source and needs no
catalog. Requests reach these catalogs through Flask-Babel (callq.web_i18n); workers, jobs and
the CLI call the functions below with the language of the person they write to.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

CATALOGS = Path(__file__).resolve().parent.parent / "translations"
DOMAIN = "messages"
SOURCE = "en"  # the language of the message ids
DEFAULT = "fr"  # the language of whoever has not said otherwise
_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[sdifr]")


class _Overlay:
    """An administrator's wordings over the catalogs (lang -> message id -> text), handed in by
    each process's runtime; `generation` changes with them (caches of built texts key on it)."""

    texts: Mapping[str, Mapping[str, str]] = MappingProxyType({})
    generation = 0


def use_overrides(texts: Mapping[str, Mapping[str, str]]) -> None:
    """Say these wordings instead of the catalogs' (the runtime refreshes them every minute)."""
    if texts != _Overlay.texts:
        _Overlay.texts = MappingProxyType({lang: dict(by_id) for lang, by_id in texts.items()})
        _Overlay.generation += 1


def overrides_generation() -> int:
    """A number that changes whenever the overriding wordings change."""
    return _Overlay.generation


def placeholders(message: str) -> frozenset[str]:
    """The named placeholders of a message ("%(when)s" -> "when")."""
    return frozenset(_PLACEHOLDER.findall(message))


def check_wording(message: str, text: str) -> None:
    """ValueError unless `text` can replace `message`: only its placeholders, well formed."""
    unknown = placeholders(text) - placeholders(message)
    if unknown:
        raise Problem(N_("unknown placeholder: %(names)s"),
                      names=", ".join(f"%({n})s" for n in sorted(unknown)))
    # A bare "%" or an unnamed "%s" would swallow the values (or fail) when the text is said.
    if "%" in _PLACEHOLDER.sub("", text).replace("%%", ""):
        raise Problem(N_("badly formed placeholder: write %(percent)s for a percent sign, "
                         "%(value)s for a value"), percent="%%", value="%(name)s")


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
    """`message` in `lang` (an administrator's wording first), placeholders filled."""
    lang = supported(lang)
    text = _Overlay.texts.get(lang, {}).get(message) or translations(lang).ugettext(message)
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


class Problem(ValueError):
    """A refusal a person reads: an English message id and its named values, said in any
    language with `say` (str() is the English text, for logs and the CLI)."""

    def __init__(self, message: str, /, **values: object) -> None:
        self.message, self.values = message, values
        super().__init__(message % values if values else message)

    def say(self, lang: str) -> str:
        """The refusal in `lang` (values that are refusals too are said in it as well)."""
        values = {name: value.say(lang) if isinstance(value, Problem) else value
                  for name, value in self.values.items()}
        return gettext(self.message, lang, **values)


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a plural pair for extraction; give it to ngettext where it is shown."""
    return singular, plural
