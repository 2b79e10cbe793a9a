"""The message catalogs are complete: every message the code and templates use is translated in
every catalog under translations/, with the same named placeholders, in real plural forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from callq import i18n

ROOT = Path(__file__).resolve().parent.parent.parent
# The extraction keywords beyond Babel's, as `make messages` passes them (-k).
EXTRA_KEYWORDS = {"_say": None, "say": (2,), "N_plural": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
STRAY_FORMAT = re.compile(r"%(?!\(\w+\)[sd]|%)|\{\w*\}")  # "%s", "%d", "{name}": not ours
CATALOGS = sorted(ROOT.glob("translations/*/LC_MESSAGES/messages.po"))


def _used() -> dict[tuple[str | None, str], tuple[str, ...]]:
    """Every message of the code and templates: (context, msgid) -> its English forms."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for _file, _line, message, _comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords={**DEFAULT_KEYWORDS, **EXTRA_KEYWORDS}):
        forms = (message,) if isinstance(message, str) else tuple(message)
        found[(context, forms[0])] = forms
    return found


USED = _used()


def _load(path: Path) -> dict[tuple[str | None, str], Message]:
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=path.parent.parent.name)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}


def _names(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_code_uses_messages_and_every_catalog_is_found():
    assert len(USED) > 300
    assert {p.parent.parent.name for p in CATALOGS} >= {"fr", "de"}
    assert i18n.languages()[:1] == ("fr",) and {"fr", "en", "de"} <= set(i18n.languages())


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_message_is_translated_in_every_catalog(path: Path):
    catalog = _load(path)
    missing = [key for key in USED if key not in catalog]
    assert not missing, f"{path}: not in the catalog (run `make messages`): {missing[:5]}"
    untranslated = [key for key in USED if not all(_forms(catalog[key]))]
    assert not untranslated, f"{path}: no translation for {untranslated[:5]}"
    fuzzy = [key for key in USED if catalog[key].fuzzy]
    assert not fuzzy, f"{path}: fuzzy (to check, then unmark) {fuzzy[:5]}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_translation_has_the_placeholders_of_its_message(path: Path):
    catalog = _load(path)
    wrong = []
    for key, english in USED.items():
        message = catalog.get(key)
        if message is None:
            continue
        wanted = set.union(*map(_names, english))
        shared = set.intersection(*map(_names, english))  # "%(num)s" may read "une fois"
        for form in _forms(message):
            names = _names(form)
            if not shared <= names <= wanted or STRAY_FORMAT.search(form):
                wrong.append((key, form))
    assert not wrong, f"{path}: placeholders differ from the message: {wrong[:3]}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_plural_messages_have_every_plural_form_of_the_language(path: Path):
    catalog = _load(path)
    plurals = [key for key, english in USED.items() if len(english) == 2 and key in catalog]
    assert plurals, "the code uses ngettext"
    count = _plural_count(path)  # French has three ("1 demande", "1 000 000 de demandes", ...)
    assert [key for key in plurals if len(_forms(catalog[key])) != count] == []


def test_german_is_swiss_without_sharp_s():
    catalog = _load(ROOT / "translations/de/LC_MESSAGES/messages.po")
    assert not [key for key, m in catalog.items() if any("ß" in form for form in _forms(m))]


def test_the_makefile_extracts_with_the_same_keywords_as_this_test():
    makefile = (ROOT / "Makefile").read_text()
    for name, spec in EXTRA_KEYWORDS.items():
        flag = name if spec is None else f"{name}:{','.join(map(str, spec))}"
        assert f"-k {flag} " in makefile or f"-k {flag}\n" in makefile, flag


def test_a_missing_translation_or_a_changed_placeholder_is_caught(tmp_path: Path):
    """The checks above fail on a broken catalog (so their passing means something)."""
    source = (ROOT / "translations/fr/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    broken = source.replace('msgstr "Salle d\'attente"', 'msgstr ""', 1)
    broken = broken.replace("Place dans la liste\u00a0: %(position)s",
                            "Place dans la liste\u00a0: %(rang)s", 1)
    assert broken.count("%(rang)s") == 1 and broken != source
    path = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(AssertionError, match="no translation"):
        test_every_message_is_translated_in_every_catalog(path)
    with pytest.raises(AssertionError, match="placeholders differ"):
        test_every_translation_has_the_placeholders_of_its_message(path)


def _forms(message: Message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def _plural_count(path: Path) -> int:
    with path.open("rb") as fp:
        return read_po(fp, locale=path.parent.parent.name).num_plurals
