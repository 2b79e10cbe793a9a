"""Words of a transcript as the rules compare them: lemmas, without case or accents.

Lemmas come from `simplemma` (a maintained lemmatizer for French, German and 50 other
languages), so "bloquées", "bloqués" and "bloquée" all read "bloque" and "marchent" reads
"marcher". A lexicon may correct the few words speech makes ambiguous ("marche" is a verb on a
support line, not a step). Elided words are restored ("n'arrive" is "ne arriver") so that a
phrase written with or without the apostrophe matches both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

import simplemma

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "’": "'", "`": "'"})
_WORD_OR_STOP = re.compile(r"[^\W\d_]+'|\w+|[.!?]")
# French elisions: the letter before the apostrophe is a whole word ("n'" is "ne").
_ELIDED = {"n": "ne", "s": "se", "l": "le", "d": "de", "j": "je", "qu": "que", "c": "ce",
           "m": "me", "t": "te", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque"}
# "M. Dupont": the abbreviation is a title and its dot ends no sentence.
_ABBREVIATIONS = {"M": "monsieur", "Mr": "monsieur", "Mme": "madame", "Mlle": "mademoiselle",
                  "Dr": "docteur"}


class Token(NamedTuple):
    """One word of a transcript: its bare form, its lemma, and whether it looks like a name.
    (A named tuple: a message makes dozens, and a frozen dataclass takes three times as long
    to build one.)"""

    word: str  # casefolded, accents stripped
    lemma: str  # the lemma, casefolded, accents stripped
    name_like: bool  # Capitalized in the middle of a sentence, as transcripts write names


# Languages that write every noun with a capital: there a capital says "noun", not "name"
# ("Der Terminkalender öffnet nicht mehr" names the calendar, not a person).
NOUNS_CAPITALIZED = frozenset({"de"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Casefold and strip accents, keeping every other character (kept for the words seen
    last: a transcript's words are mostly ones seen before)."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Casefold, strip accents and collapse punctuation and whitespace into single spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


def tokens(text: str, language: str = "fr",
           corrections: Mapping[str, str] | None = None) -> list[Token]:
    """The words of a transcript with their lemmas, in order; punctuation only ends sentences."""
    fixes = corrections or {}
    result: list[Token] = []
    sentence_start, previous = True, ""
    for match in _WORD_OR_STOP.finditer(text.translate(_LIGATURES)):
        raw = match.group()
        if raw in ".!?":
            sentence_start = previous not in _ABBREVIATIONS
            continue
        name_like = (not sentence_start and len(raw) > 1 and raw.istitle()
                     and raw not in _ABBREVIATIONS and language not in NOUNS_CAPITALIZED)
        for word in _words(_ABBREVIATIONS.get(raw, raw), language):
            fixed = fixes.get(word.casefold())
            read = fold(fixed) if fixed is not None else lemma(word, language)
            result.append(Token(fold(word), read, name_like))
        sentence_start, previous = False, raw
    return result


def _words(raw: str, language: str) -> list[str]:
    if raw.endswith("'"):
        bare = raw[:-1].casefold()
        return [_ELIDED.get(bare, bare)] if language == "fr" else [bare]
    return [raw]


@lru_cache(maxsize=65536)
def lemma(word: str, language: str = "fr") -> str:
    """The lemma of one word, folded (a lexicon's corrections are applied by `tokens`)."""
    # German nouns are capitalized and simplemma reads them so; French is read in lower case.
    spoken = word if language == "de" else word.casefold()
    # Twice: simplemma reads "rappelée" as "rappelé" and "rappelé" as "rappeler"; a second
    # pass brings every form of a participle to one lemma.
    once = simplemma.lemmatize(spoken, lang=language)
    return fold(once if once == spoken else simplemma.lemmatize(once, lang=language))


def phrase_lemmas(phrase: str, language: str = "fr",
                  corrections: Mapping[str, str] | None = None) -> tuple[tuple[str, ...], ...]:
    """A lexicon phrase as lemmas; "…" (or "...") splits it where a few words may stand."""
    pieces = phrase.replace("…", "...").split("...")
    return tuple(tuple(t.lemma for t in tokens(piece, language, corrections))
                 for piece in pieces)
