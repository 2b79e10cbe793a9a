"""Where the phrases of a lexicon occur in a transcript, on lemmas, whole words only.

A phrase is a sequence of lemmas; "…" in it stands for up to GAP words ("serveur … en panne"
matches "le serveur de la clinique est en panne"). Phrases are indexed by their first lemma and
the words before their first "…", and those in several parts by the first word of their second
part and every word after it, so a message is read in one pass whatever the size of the lexicon,
and only the phrases whose every word it holds are looked for part by part. Where phrases of one
family overlap, the most precise one speaks: "erreur de saisie" is the reason rather than the
"erreur" inside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from callq.waiting.lemmas import Token, fold
from callq.waiting.lexicon import PHRASE_KEYS, SAYS_OF_ITSELF, Lexicon

GAP = 4  # words a "…" may stand for
_TIERS = frozenset(("critical", "high", "medium"))  # a reassurance's words begin none of them
Parts = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, order=True)
class Hit:
    """One phrase of one list found in a message: words start..end (exclusive)."""

    start: int
    end: int
    key: str  # the lexicon list: "critical", "workaround", "synonyms:3", ...
    phrase: str  # as written in the lexicon


Entry = tuple[Parts, str, str]  # a phrase's parts, its list, the phrase as written
# The phrases that start with one first part: those of that part alone, and the others by the
# first lemma of their second part ("plus … imprimer" under "imprimer"), each with every lemma
# of its later parts, so that of the hundreds of phrases that start with "plus" or "logiciel"
# only those whose every word the message holds are looked for.
Branches = tuple[tuple[Entry, ...], dict[str, tuple[tuple[frozenset[str], Entry], ...]]]


@dataclass(frozen=True)
class Compiled:
    """A lexicon's phrases as lemmas, indexed by their first lemma, then by the words of their
    first part (so that a word starting many phrases is compared once per length)."""

    by_first: dict[str, tuple[tuple[int, dict[tuple[str, ...], Branches]], ...]]


def compiled(lexicon: Lexicon) -> Compiled:
    """The index of every phrase list of a lexicon (built once per lexicon)."""
    if "compiled" not in lexicon.memo:
        lexicon.memo["compiled"] = _compile(lexicon)
    index: Compiled = lexicon.memo["compiled"]
    return index


def _compile(lexicon: Lexicon) -> Compiled:
    index: dict[str, dict[int, dict[tuple[str, ...], list[Entry]]]] = {}
    for key, phrase in _phrases(lexicon):
        parts = lexicon.parts(phrase)
        if all(parts):
            first = parts[0]
            index.setdefault(first[0], {}).setdefault(len(first), {}).setdefault(
                first, []).append((parts, key, phrase))
    return Compiled({lemma: tuple((length, {part: _branches(entries)
                                            for part, entries in by_part.items()})
                                  for length, by_part in by_length.items())
                     for lemma, by_length in index.items()})


def _branches(entries: list[Entry]) -> Branches:
    by_next: dict[str, list[tuple[frozenset[str], Entry]]] = {}
    for entry in entries:
        if len(entry[0]) > 1:
            needs = frozenset(word for part in entry[0][1:] for word in part)
            by_next.setdefault(entry[0][1][0], []).append((needs, entry))
    return (tuple(entry for entry in entries if len(entry[0]) == 1),
            {lead: tuple(found) for lead, found in by_next.items()})


def _phrases(lexicon: Lexicon) -> Iterable[tuple[str, str]]:
    for key in PHRASE_KEYS:
        for phrase in lexicon.phrases(key):
            yield key, phrase
    for number, group in enumerate(lexicon.synonyms):
        for phrase in group:
            yield f"synonyms:{number}", phrase
    for phrase in lexicon.name_cues:
        yield "name_cues", phrase


def hits(tokens: Sequence[Token], lexicon: Lexicon) -> list[Hit]:
    """Every phrase found, in text order; a phrase inside a more precise match is dropped.

    A message with intensifiers ("ne s'ouvre carrément plus") is read twice: as said, and
    without them, so that an adverb slipped into a phrase does not hide it."""
    lemmas = [t.lemma for t in tokens]
    found = _found(lemmas, range(len(lemmas)), lexicon)
    transparent = _one_word_intensifiers(lexicon)
    said = _said_through(lemmas, lexicon)
    kept = [i for i, lemma in enumerate(lemmas) if lemma not in transparent and i not in said]
    if len(kept) < len(lemmas):
        found |= _found([lemmas[i] for i in kept], kept, lexicon)
    families: dict[str, list[Hit]] = {}
    for hit in found:
        families.setdefault(_family(hit), []).append(hit)
    # A reassurance's words begin no failure: "plus aucun souci, on arrive à imprimer".
    calm = [h for h in families.get("denial", ()) if h.key == "reassuring"]
    return sorted(hit for family in families.values() for hit in family
                  if not any(_covers(other, hit) for other in family)
                  and not (hit.key in _TIERS and any(c.start <= hit.start < c.end for c in calm)))


def _one_word_intensifiers(lexicon: Lexicon) -> frozenset[str]:
    """ "carrément" (as written and as its lemma); "tout" of "tout simplement" is no intensifier
    alone ("sur tous les postes")."""
    if "one_word_intensifiers" not in lexicon.memo:
        lexicon.memo["one_word_intensifiers"] = frozenset(
            form for phrase in lexicon.intensifiers if " " not in phrase.strip()
            for form in (fold(phrase), *(lemma for part in lexicon.parts(phrase)
                                         for lemma in part)))
    words: frozenset[str] = lexicon.memo["one_word_intensifiers"]
    return words


def _said_through(lemmas: Sequence[str], lexicon: Lexicon) -> set[int]:
    """The positions of the intensifiers of several words ("tout simplement")."""
    if "long_intensifiers" not in lexicon.memo:
        lexicon.memo["long_intensifiers"] = tuple(
            parts[0] for phrase in lexicon.intensifiers if " " in phrase.strip()
            for parts in (lexicon.parts(phrase),) if len(parts) == 1 and len(parts[0]) > 1)
    found: set[int] = set()
    for words in lexicon.memo["long_intensifiers"]:
        if words[0] not in lemmas:
            continue
        for start in range(len(lemmas) - len(words) + 1):
            if tuple(lemmas[start:start + len(words)]) == words:
                found.update(range(start, start + len(words)))
    return found


def _found(lemmas: Sequence[str], positions: Sequence[int], lexicon: Lexicon) -> set[Hit]:
    """The phrases that match `lemmas`, each spanning the message's words from the position
    of its first lemma to that of its last."""
    index = compiled(lexicon).by_first
    present = set(lemmas)
    found: set[Hit] = set()
    for start, lemma in enumerate(lemmas):
        for length, by_part in index.get(lemma, ()):
            branches = by_part.get(tuple(lemmas[start:start + length]))
            if branches is None:
                continue
            alone, by_next = branches
            after = start + length
            for _, key, phrase in alone:
                found.add(Hit(positions[start], positions[after - 1] + 1, key, phrase))
            for lead in present & by_next.keys():
                for needs, (parts, key, phrase) in by_next[lead]:
                    if not needs <= present:
                        continue
                    end = _after(lemmas, after, parts[1:])
                    if end is not None:
                        found.add(Hit(positions[start], positions[end - 1] + 1, key, phrase))
    return found


def _family(hit: Hit) -> str:
    # What a need is about (synonyms), what can be lost (data), who calls (names), where it
    # fails (one or every workstation), how a second message links to the first ("du coup",
    # "autre chose", "les patients se plaignent", "toujours pas") and how it reads overlap
    # independently:
    # "facturer" stays a subject inside "impossible de … facturer", "aucun poste" a scope
    # inside "aucun poste ne marche", "code" something lost inside "code barre", "du coup" a
    # follow-up inside "du coup on", "refuse" a failure inside a consequence phrase.
    if hit.key.startswith("synonyms"):
        return "about"
    if hit.key == "data":
        return "data"
    if hit.key in ("one_station", "all_stations"):
        return "scope"
    if hit.key in SAYS_OF_ITSELF or hit.key in ("consequence", "relapse"):
        return "link"
    if hit.key in ("not_blocking", "reassuring"):
        return "denial"  # "c'est plus bloqué" stays said inside "tout seul c'est plus bloqué"
    return "names" if hit.key == "name_cues" else "reading"


def _covers(outer: Hit, inner: Hit) -> bool:
    """`outer`, a hit of the same family as `inner`, spans its words and reads them more
    precisely."""
    inside = outer.start <= inner.start and inner.end <= outer.end
    return inside and _precision(outer) > _precision(inner)


def _precision(hit: Hit) -> tuple[int, int]:
    return hit.end - hit.start, len(hit.phrase)


def _match_from(lemmas: Sequence[str], pos: int, parts: Parts) -> int | None:
    first = parts[0]
    end = pos + len(first)
    if tuple(lemmas[pos:end]) != first:
        return None
    return _after(lemmas, end, parts[1:])


def _after(lemmas: Sequence[str], end: int, rest: Parts) -> int | None:
    """Where the phrase ends when its `rest` follows, each part within GAP words."""
    if not rest:
        return end
    # The next piece can only start where its first lemma is: looked at before recursing
    # (two thirds of a classification were calls that failed on their first word).
    lead = rest[0][0] if rest[0] else None
    for at in range(end, min(end + GAP + 1, len(lemmas) + 1)):
        if lead is None or (at < len(lemmas) and lemmas[at] == lead):
            found = _match_from(lemmas, at, rest)
            if found is not None:
                return found
    return None
