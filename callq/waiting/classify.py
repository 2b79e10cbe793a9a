"""Explainable classification of the need a caller stated: vague (R7) or a tier (R6).

Words are compared as lemmas (`callq.waiting.lemmas`), whole words only, so "débloqué" never
matches "bloqué". The tier comes from the lexicon's phrases read by `callq.waiting.reading`
(denied, data loss, one or every workstation, workarounds). A message with no sign of severity
is vague when too few words are left once greetings, callback requests, chasing, names,
numbers and stopwords are set aside; chasing an answer ("où en est ma demande"), and a topic
named with nothing said of it ("c'est au sujet des factures, rappelez-moi"), are vague too
(R7). Each decision keeps its rule, the phrases that made it and the readings applied, and
`explain` says it in one sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from callq.status import Tier
from callq.waiting import critical
from callq.waiting.critical_weights import CRITICAL_WEIGHTS
from callq.waiting.lemmas import Token, normalize, tokens
from callq.waiting.lexicon import SAYS_OF_ITSELF, Lexicon, lexicon_from_mapping
from callq.waiting.lexicon_de import GERMAN
from callq.waiting.lexicon_fr import FRENCH
from callq.waiting.matching import Hit, hits
from callq.waiting.reading import presumed, read

__all__ = ["DEFAULT_LEXICON", "LEXICONS", "Classification", "Lexicon", "classify", "lexicon_for",
           "lexicon_from_mapping", "may_rise_to_high", "need_words", "normalize", "not_happening",
           "rules_and_signs"]

DEFAULT_LEXICON = FRENCH
LEXICONS: dict[str, Lexicon] = {"fr": FRENCH, "de": GERMAN}
# Hits that say nothing of what the need is about.
_NOT_NEED = ("vague", "chasing", "topic", "reassuring", "not_blocking", *SAYS_OF_ITSELF)
# What a business's name may hold by chance and never says of the need ("page blanche",
# "coupe"); what links messages ("autre chose") is still heard there.
_SEVERITY = frozenset(("critical", "high", "medium", "not_blocking", "reassuring", "workaround",
                       "painful_workaround", "intermittent", "one_station", "all_stations",
                       "data", "data_loss", "deadline", "no_workaround"))
NAME_WORDS = 5  # at most, in a business's name: "étude de maître girard notaire"


def lexicon_for(language: str | None, lexicons: dict[str, Lexicon] | None = None) -> Lexicon:
    """The lexicon of a caller's language ("de", "de-CH"...), French for any other."""
    table = lexicons if lexicons is not None else LEXICONS
    code = (language or "fr").lower()[:2]
    return table.get(code) or table.get("fr") or DEFAULT_LEXICON


@dataclass(frozen=True)
class Classification:
    """Outcome of classify(): vague or not, the tier, what matched and the deciding rule."""

    vague: bool
    tier: Tier  # LOW when vague
    matched: tuple[str, ...]  # deciding phrases, or for a vague message the filler heard
    rule: str  # "vague:empty", "vague:short_recording", "vague:filler_only",
    # "vague:too_short", "vague:no_subject" (words enough, but nothing of the software or the
    # work), "vague:topic" (what the call is about, named with nothing said of it: "c'est au
    # sujet des factures"), "vague:chasing", "tier:critical", "tier:high", "tier:medium",
    # "tier:low" (denied: "ce n'est pas bloquant"), "tier:presumed" (something no longer
    # happens, said in words that name no severity: high, or critical in its scope),
    # "tier:default_low", "tier:learned" (raised to critical by the words of critical needs
    # in the labelled calls; `matched` holds the words that weighed most) or
    # "tier:learned_high" (read medium or low, raised to high by the same words)
    readings: tuple[str, ...] = ()  # see reading.Reading.readings
    language: str = "fr"  # the lexicon's language

    @property
    def said(self) -> str:
        """The class it falls in: "vague" or its tier ("critical", "high"...)."""
        return "vague" if self.vague else self.tier.value


def classify(
    need_text: str | None,
    *,
    recording_seconds: int | None = None,
    lexicon: Lexicon = DEFAULT_LEXICON,
    min_recording_seconds: int = 3,
) -> Classification:
    """Classify a transcribed need: vague (R7) or the tier its words presume (R6): what the
    rules read, raised to critical (or from medium or low to high) when its words are those of
    critical needs in the labelled calls of the lexicon's language (callq.waiting.critical)."""
    words = _tokens(need_text, lexicon)
    found = _hits(words, lexicon)
    c = _by_rules(words, found, lexicon, recording_seconds, min_recording_seconds)
    weights = CRITICAL_WEIGHTS.get(lexicon.language)
    if weights is None or not critical.weighed(c.said):
        return c
    signs = _critical_signs(c, words, found, lexicon)
    raised = critical.raised_to(weights, signs, c.said,
                                to_high=_to_high(c, words, found, lexicon))
    if raised is None:
        return c
    rule = "tier:learned" if raised == "critical" else "tier:learned_high"
    return Classification(False, Tier(raised), critical.heard(weights, signs, words), rule, (),
                          c.language)


def rules_and_signs(need_text: str | None,
                    lexicon: Lexicon = DEFAULT_LEXICON) -> tuple[Classification, dict[str, float]]:
    """What the rules alone read in a need, and the signs the critical weights weigh (how
    the weights are fitted and measured: callq.waiting.evaluation)."""
    words = _tokens(need_text, lexicon)
    found = _hits(words, lexicon)
    c = _by_rules(words, found, lexicon, None, 3)
    return c, _critical_signs(c, words, found, lexicon)


def may_rise_to_high(need_text: str | None, c: Classification,
                     lexicon: Lexicon = DEFAULT_LEXICON) -> bool:
    """Whether the critical weights may raise the need the rules read as `c` to high (how they
    are measured: callq.waiting.evaluation)."""
    words = _tokens(need_text, lexicon)
    return _to_high(c, words, _hits(words, lexicon), lexicon)


def _to_high(c: Classification, words: Sequence[Token], found: Sequence[Hit],
             lexicon: Lexicon) -> bool:
    # A need read low that asks or wishes for something is not presumed high (the rules
    # presume nothing of what it says missing either: `not_happening`); it may still be
    # raised to critical.
    return c.said != "low" or not asks_or_wishes(words, found, lexicon)


def _critical_signs(c: Classification, words: Sequence[Token], found: Sequence[Hit],
                    lexicon: Lexicon) -> dict[str, float]:
    return critical.signs(rule=c.rule, said=c.said,
                          readings=c.readings, keys=[h.key for h in found],
                          lemmas=_need_words(words, found, lexicon))


def _by_rules(words: list[Token], found: list[Hit], lexicon: Lexicon,
              recording_seconds: int | None, min_recording_seconds: int) -> Classification:
    lang = lexicon.language
    if not words:
        short = recording_seconds is not None and recording_seconds < min_recording_seconds
        rule = "vague:empty" if not short else "vague:short_recording"
        return Classification(True, Tier.LOW, (), rule, (), lang)
    reading = read(words, found, lexicon)
    if reading.tier is not None:
        rule = "tier:low" if reading.tier is Tier.LOW else f"tier:{reading.tier.value}"
        return Classification(False, reading.tier, reading.matched, rule, reading.readings, lang)
    chasing = _phrases(found, ("chasing",))
    topic = _phrases(found, ("topic",))  # "c'est au sujet des factures": named, left unsaid
    if _states_a_need(words, found, lexicon, 2 if chasing else 1):
        unsaid = () if chasing else not_happening(words, found, lexicon)
        if unsaid:
            guess = presumed(found, unsaid)
            return Classification(False, guess.tier or Tier.HIGH, guess.matched, "tier:presumed",
                                  guess.readings, lang)
        if topic and not asks(words, lexicon) and not _phrases(found, ("question",)):
            return Classification(True, Tier.LOW, topic, "vague:topic", (), lang)
        return Classification(False, Tier.LOW, (), "tier:default_low", (), lang)
    if chasing:
        return Classification(True, Tier.LOW, chasing, "vague:chasing", (), lang)
    if topic:
        return Classification(True, Tier.LOW, topic, "vague:topic", (), lang)
    need = _need_words(words, found, lexicon)
    rule = ("vague:no_subject" if len(need) >= lexicon.min_need_words
            else "vague:too_short" if need else "vague:filler_only")
    return Classification(True, Tier.LOW, _phrases(found, ("vague",)), rule, (), lang)


def _states_a_need(words: Sequence[Token], found: Sequence[Hit], lexicon: Lexicon,
                   naming: int) -> bool:
    """Enough words left to say a need, `naming` of which name something of the software or
    the work when the lexicon lists such subjects (names, towns and trades say none; a caller
    chasing an answer names a subject or two on the way: "j'ai envoyé un mail lundi")."""
    need = need_positions(words, found, lexicon)
    if len(need) < lexicon.min_need_words:
        return False
    subjects = lexicon.words("subjects")
    about = {i for h in found if h.key.startswith("synonyms") or h.key == "data"
             for i in range(h.start, h.end)}
    return (not subjects or asks(words, lexicon)  # a plain question states its need
            or sum(words[i].lemma in subjects or i in about for i in need) >= naming)


def not_happening(words: Sequence[Token], found: Sequence[Hit],
                   lexicon: Lexicon) -> tuple[str, ...]:
    """The words of `not_happening` ("plus", "aucun") in a need that asks and wishes for
    nothing: something no longer happens, told in words that name no severity ("plus aucun
    rappel n'est parti", "les réservations ont sauté il y a plus rien"). Such a need is
    presumed high (critical when every workstation or a deadline says so): ranked low, a
    critical need told in unlisted words would wait behind every other (the worst miss there
    is), while a high need that is only inconvenient costs the others a few places."""
    said = lexicon.words("not_happening")
    if not said or asks_or_wishes(words, found, lexicon):
        return ()
    heard = {i for h in found if h.key in _NOT_NEED for i in range(h.start, h.end)}
    return tuple(dict.fromkeys(t.word for i, t in enumerate(words)
                               if t.word in said and i not in heard))  # not "au plus vite"


def asks_or_wishes(words: Sequence[Token], found: Sequence[Hit], lexicon: Lexicon) -> bool:
    """Whether a message asks something ("comment", a question's phrase) or wishes for
    something ("on souhaiterait", "j'aurais besoin"): what it says missing is then what the
    caller would like, not something that stopped."""
    if asks(words, lexicon) or any(h.key == "question" for h in found):
        return True
    wishing = lexicon.words("wishes")
    return any(t.lemma in wishing or t.word in wishing for t in words)


def asks(words: Sequence[Token], lexicon: Lexicon) -> bool:
    """Whether a message holds one of the lexicon's question words ("comment", "combien")."""
    asking = lexicon.question_words_folded()
    return any(t.word in asking for t in words)


def need_words(text: str | None, lexicon: Lexicon = DEFAULT_LEXICON) -> tuple[str, ...]:
    """The lemmas that say what the need is: no filler, chasing, names, numbers or stopwords."""
    words = _tokens(text, lexicon)
    return _need_words(words, _hits(words, lexicon), lexicon)


def read_need(text: str | None, lexicon: Lexicon) -> tuple[list[Token], list[Hit]]:
    """A message's tokens and phrase hits (what same-need matching compares)."""
    words = _tokens(text, lexicon)
    return words, _hits(words, lexicon)


def need_positions(words: Sequence[Token], found: Sequence[Hit], lexicon: Lexicon) -> list[int]:
    """Positions of the words that say what the need is."""
    dropped = _name_positions(words, found, lexicon)
    for hit in found:
        if hit.key in _NOT_NEED:
            dropped.update(range(hit.start, hit.end))
    stop = lexicon.words("stopwords") | lexicon.words("titles")
    return [i for i, t in enumerate(words) if i not in dropped and t.lemma not in stop
            and t.word not in stop and not any(c.isdigit() for c in t.word)]


def _need_words(words: Sequence[Token], found: Sequence[Hit],
                lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(words[i].lemma for i in need_positions(words, found, lexicon))


def _tokens(text: str | None, lexicon: Lexicon) -> list[Token]:
    if "corrections" not in lexicon.memo:
        lexicon.memo["corrections"] = dict(lexicon.lemmas)
    return tokens(text or "", lexicon.language, lexicon.memo["corrections"])


def _hits(words: Sequence[Token], lexicon: Lexicon) -> list[Hit]:
    """The phrases found, less the signs of severity within the business's name ("librairie
    page blanche", "salon coupe et style"): a name says who calls, not how bad the need is."""
    found = hits(words, lexicon)
    name = _business_name(words, lexicon)
    return [h for h in found if h.key not in _SEVERITY
            or not name.start <= h.start < h.end <= name.stop] if name else found


def _business_name(words: Sequence[Token], lexicon: Lexicon) -> range:
    """The positions of the business's name when the message opens with a place word (after
    "bonjour", "euh", "c'est le"...) and the caller closes the name with a word of `name_ends`
    ("le", "je", "bonjour", "euh") or of `not_subject` ("impossible", "parfois"): "pharmacie
    saint pierre les commandes..." names "saint pierre". No name when a word of `subjects`
    comes first ("pharmacie imprimante en panne") or none is closed within five words ("garage
    martin page blanche au démarrage du logiciel": the failure may follow the name unannounced)."""
    places = lexicon.words("places")
    if not places:
        return range(0)
    openers, subjects = lexicon.words("openers"), lexicon.words("subjects")
    if "name_ends" not in lexicon.memo:
        lexicon.memo["name_ends"] = lexicon.words("name_ends") | lexicon.not_subject_lemmas()
    ends: frozenset[str] = lexicon.memo["name_ends"]
    at = 0
    while at < min(len(words), 6) and words[at].word in openers:
        at += 1
    if at >= len(words) or not (words[at].word in places or words[at].lemma in places):
        return range(0)
    start = at + 1
    for end in range(start, min(len(words), start + NAME_WORDS + 1)):
        if words[end].word in ends or words[end].lemma in ends:
            return range(start, end)
        if words[end].word in subjects or words[end].lemma in subjects:
            break
    return range(0)


def _name_positions(words: Sequence[Token], found: Sequence[Hit], lexicon: Lexicon) -> set[int]:
    names = {i for i, t in enumerate(words) if t.name_like}
    stop = lexicon.words("stopwords")
    # "c'est Durand": the word right after; "la clinique des Acacias": the first word that is
    # not a stopword. Lowercase transcripts carry no capitals: the word is taken as the name.
    cues = [(h.end, words[h.end - 1].lemma not in stop) for h in found if h.key == "name_cues"]
    cues += [(i + 1, False) for i, t in enumerate(words) if t.word in lexicon.words("titles")]
    for end, skips in cues:
        reach = range(end, min(end + (3 if skips else 1), len(words)))
        after = next((i for i in reach if words[i].lemma not in stop), None)
        if after is not None:
            names.add(after)
    return names


def _phrases(found: Sequence[Hit], keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(h.phrase for h in found if h.key in keys))
