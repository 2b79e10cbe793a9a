"""Explainable classification of the need a caller stated: vague (R7) or a tier (R6).

Matching works on normalized words (case- and accent-insensitive) and on whole words only, so
"débloqué" never matches "bloqué": it usually says the opposite. French agreement endings
(-e, -s, -es) are ignored, so "bloqué" also matches "bloquée" and "bloqués". A "…" in a phrase
stands for a few words ("serveur … en panne"). Where phrases overlap, the most precise one is
the reason. Any tier phrase states a need; otherwise a message is vague when too few words are
left once greetings, callback requests, names, numbers and stopwords are set aside. Negations
("ce n'est pas bloqué") are out of scope: an agent can set the tier.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from callq.status import TIER_ORDER, Tier


@dataclass(frozen=True)
class Lexicon:
    """Phrases that set a tier, filler phrases that state no need, and the vagueness threshold."""

    critical: tuple[str, ...]
    high: tuple[str, ...]
    medium: tuple[str, ...]
    vague: tuple[str, ...]
    min_need_words: int = 2


# Only what the need itself says moves an entry up (R6). Pressure words ("urgent", "au plus
# vite") are filler: the seeds say insisting never buys priority.
DEFAULT_LEXICON = Lexicon(
    critical=(  # vital process blocked, no workaround
        "serveur … en panne", "serveur … planté", "serveur … ne démarre plus",
        "plus rien ne marche", "plus rien ne fonctionne", "rien ne marche", "rien ne fonctionne",
        "tout … bloqué", "bloqué", "bloquée", "impossible de … facturer",
        "impossible de faire … factures", "impossible d'encaisser", "impossible de travailler",
        "ne peut plus travailler", "ne peuvent plus travailler", "production … arrêtée",
        "activité … arrêtée", "perte de données", "données … perdues", "données … effacées",
        "base … corrompue",
    ),
    high=(  # blocked, a painful workaround
        "impossible de", "impossible d'", "ne fonctionne plus", "ne fonctionnent plus",
        "ne fonctionne pas", "ne marche plus", "ne marchent plus", "ne marche pas",
        "ne démarre plus", "ne démarre pas", "ne s'ouvre plus", "ne s'ouvre pas",
        "ne répond plus", "n'arrive plus à", "ne peux plus", "ne peut plus", "en panne",
        "erreur", "message d'erreur", "plantage", "planté", "ça plante", "figé", "gelé",
        "bug", "bogue", "crash", "n'imprime plus", "n'affiche plus", "n'envoie plus",
        # What worked no longer does. A bare "ne … plus" would also lift "je ne sais plus".
        "ne s' … plus", "ne se … plus", "ne part plus", "ne partent plus", "ne sort plus",
        "ne sortent plus", "ne passe plus", "ne passent plus", "ne démarrent plus",
        "ne répondent plus",
    ),
    medium=(  # a workaround exists
        "contournement", "contourner", "en attendant", "à la main", "manuellement",
        "en passant par", "lent", "lenteur", "ralenti", "ça rame", "erreur de saisie",
        "erreur de manipulation", "mauvaise manipulation", "fausse manip", "en double",
        "doublon", "de temps en temps", "parfois", "par moments", "n'arrive pas à",
        "ne trouve pas", "décalage", "incorrect", "ne correspond pas",
    ),
    vague=(  # greetings, callback requests, identity, chasing, pressure, generic nouns
        "bonjour", "bonsoir", "allô", "oui", "au revoir", "bonne journée", "merci",
        "merci beaucoup", "je vous remercie", "s'il vous plaît", "svp", "à bientôt",
        "rappelez-moi", "rappeler", "rappelle", "rappeller", "merci de me rappeler",
        "pouvez-vous me rappeler", "recontacter", "votre rappel", "toujours pas de rappel",
        "je m'appelle", "mon numéro est", "numéro", "portable", "téléphone", "joignable",
        "j'ai déjà appelé", "déjà appelé", "j'ai appelé", "laisser un message",
        "je vous laisse un message", "mon message", "répondeur", "encore moi", "c'est urgent",
        "urgent", "urgence", "vite", "rapidement", "au plus vite", "dès que possible", "asap",
        "quand vous pouvez", "quand vous aurez", "problème", "petit problème", "souci",
        "petit souci", "question", "petite question", "renseignement", "information",
        "logiciel", "clinique", "cabinet", "société", "vétérinaire", "voilà", "euh", "heu",
        "ben", "bah", "ok", "d'accord",
    ),
)

# Function words, time words and spoken digits: they never say what the need is.
_STOPWORDS_TEXT = """
a ai as au aux avec avez avoir avons c ca ce ces cet cette chez comme comment d dans de des donc
du elle en encore est et etait ete etre eu fait faire il ils j je l la le les leur lui m ma mais
me mes moi mon meme n ne ni nos notre nous on ou par pas peu petit petite plus pour qu que quel
quelle qui quoi rien s sa sans se ses si son sont suis sur t ta te tes toi ton tous tout toute
toutes tres tu un une vos votre vous y aujourd hui hier demain matin midi apres soir semaine
lundi mardi mercredi jeudi vendredi samedi dimanche heure heures minute minutes maintenant zero
deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt
trente quarante cinquante soixante cent mille toujours depuis deja re vraiment completement bien
aussi alors puis quand
"""
_TITLES = ("monsieur", "madame", "mademoiselle", "mme", "mlle", "mr", "dr", "docteur", "maitre")
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split()) | frozenset(_TITLES)
# Words that introduce a person's name; after them, even a lowercase word is a name.
_NAME_CUES = ("c'est", "ici", "m'appelle", "de la part de")
# "M. Dupont": the abbreviation is a title and its dot ends no sentence.
_ABBREVIATIONS = {"M": "monsieur", "Mr": "monsieur", "Mme": "madame", "Mlle": "mademoiselle",
                  "Dr": "docteur"}
_GAP = 4  # words a "…" may stand for: "le serveur de la clinique est en panne"
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_WORD_OR_STOP = re.compile(r"\w+|[.!?]")


@dataclass(frozen=True)
class Classification:
    """Outcome of classify(): vague or not, the tier, what matched and the deciding rule."""

    vague: bool
    tier: Tier  # LOW when vague
    matched: tuple[str, ...]  # tier phrases, or for a vague message the filler phrases heard
    rule: str  # "vague:empty", "vague:short_recording", "vague:filler_only", "vague:too_short",
    # "tier:critical", "tier:high", "tier:medium" or "tier:default_low"


_Hit = tuple[int, int, int, str]  # start, end, tier rank, phrase as written


@dataclass(frozen=True)
class _Token:
    word: str  # normalized
    name_like: bool  # Capitalized in the middle of a sentence, as transcripts write names


def normalize(text: str) -> str:
    """Casefold, strip accents and collapse punctuation and whitespace into single spaces."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def lexicon_from_mapping(data: Mapping[str, Any]) -> Lexicon:
    """Build a Lexicon from decoded JSON; raise ValueError naming what is wrong."""
    phrase_keys = ("critical", "high", "medium", "vague")
    unknown = set(data) - {*phrase_keys, "min_need_words"}
    if unknown:
        raise ValueError(f"lexicon: unknown keys {sorted(unknown)}")
    critical, high, medium, vague = (_phrase_list(data, key) for key in phrase_keys)
    lexicon = Lexicon(critical, high, medium, vague)
    if "min_need_words" not in data:
        return lexicon
    min_words = data["min_need_words"]
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 1:
        raise ValueError(f"lexicon: min_need_words must be an integer >= 1, got {min_words!r}")
    return replace(lexicon, min_need_words=min_words)


def _phrase_list(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    if key not in data:
        raise ValueError(f"lexicon: missing key {key!r}")
    value = data[key]
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"lexicon: {key!r} must be a list of phrases")
    for phrase in value:
        if not isinstance(phrase, str) or not all(_parts(phrase)):
            raise ValueError(f"lexicon: {key!r} holds an empty or non-text phrase: {phrase!r}")
    return tuple(value)


def classify(
    need_text: str | None,
    *,
    recording_seconds: int | None = None,
    lexicon: Lexicon = DEFAULT_LEXICON,
    min_recording_seconds: int = 3,
) -> Classification:
    """Classify a transcribed need: vague (R7) or the tier its words presume (R6)."""
    tokens = _tokens(need_text or "")
    if not tokens:
        short = recording_seconds is not None and recording_seconds < min_recording_seconds
        rule = "vague:short_recording" if short else "vague:empty"
        return Classification(True, Tier.LOW, (), rule)
    tier, matched = _tier(tokens, lexicon)
    if matched:
        # A tier phrase states a need by itself: "Serveur en panne !" is short but not vague.
        return Classification(False, tier, matched, f"tier:{tier.value}")
    words = _need_words(tokens, lexicon)
    if len(words) >= lexicon.min_need_words:
        return Classification(False, Tier.LOW, (), "tier:default_low")
    fillers = _hits(tokens, ((0, lexicon.vague),))
    rule = "vague:too_short" if words else "vague:filler_only"
    return Classification(True, Tier.LOW, _unique(phrase for *_, phrase in fillers), rule)


def need_words(text: str | None, lexicon: Lexicon = DEFAULT_LEXICON) -> tuple[str, ...]:
    """The normalized words that say what the need is: no filler, names, numbers or stopwords."""
    return _need_words(_tokens(text or ""), lexicon)


def tier_label(tier: Tier, lang: str = "fr") -> str:
    """Human name of a tier: "Urgence critique" / "Critical urgency"."""
    return _TEXTS[_lang(lang)][tier]


def explain(c: Classification, lang: str = "fr") -> str:
    """One human sentence saying why the need was classified so, in French or English."""
    texts = _TEXTS[_lang(lang)]
    quoted = ", ".join(texts["quote"].format(m) for m in c.matched)
    if c.rule == "vague:filler_only":
        return texts[c.rule].format(quoted or texts["name_or_number"])
    if c.rule in texts:
        return texts[c.rule]
    return texts["because"].format(texts[c.tier], quoted) if quoted else texts[c.tier]


_TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        Tier.CRITICAL: "Urgence critique", Tier.HIGH: "Urgence haute",
        Tier.MEDIUM: "Urgence moyenne", Tier.LOW: "Urgence basse",
        "quote": "« {} »", "because": "{} : {}", "name_or_number": "nom ou numéro",
        "vague:filler_only": "Message sans besoin exprimé ({} seulement)",
        "vague:empty": "Message sans parole : aucun besoin exprimé",
        "vague:short_recording": "Enregistrement trop court pour contenir un besoin",
        "vague:too_short": "Message trop court pour exprimer un besoin",
        "tier:default_low": "Urgence basse : aucun signe d'urgence dans le besoin exprimé",
    },
    "en": {
        Tier.CRITICAL: "Critical urgency", Tier.HIGH: "High urgency",
        Tier.MEDIUM: "Medium urgency", Tier.LOW: "Low urgency",
        "quote": '"{}"', "because": "{}: {}", "name_or_number": "name or number",
        "vague:filler_only": "No stated need ({} only)",
        "vague:empty": "Silent message: no stated need",
        "vague:short_recording": "Recording too short to hold a need",
        "vague:too_short": "Message too short to state a need",
        "tier:default_low": "Low urgency: no sign of urgency in the stated need",
    },
}


def _lang(lang: str) -> str:
    return "en" if lang.lower().startswith("en") else "fr"


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    sentence_start = True
    previous = ""
    for match in _WORD_OR_STOP.finditer(text):
        raw = match.group()
        if raw in ".!?":
            sentence_start = previous not in _ABBREVIATIONS
            continue
        name_like = not sentence_start and len(raw) > 1 and raw.istitle()
        words = normalize(_ABBREVIATIONS.get(raw, raw)).split()
        tokens.extend(_Token(word, name_like and raw not in _ABBREVIATIONS) for word in words)
        sentence_start, previous = False, raw
    return tokens


def _tier(tokens: list[_Token], lexicon: Lexicon) -> tuple[Tier, tuple[str, ...]]:
    tiered = ((Tier.CRITICAL.rank, lexicon.critical), (Tier.HIGH.rank, lexicon.high),
              (Tier.MEDIUM.rank, lexicon.medium))
    hits = _hits(tokens, tiered)
    if not hits:
        return Tier.LOW, ()
    best = min(rank for _, _, rank, _ in hits)
    return TIER_ORDER[best], _unique(phrase for _, _, rank, phrase in hits if rank == best)


def _hits(tokens: list[_Token], tiered: Iterable[tuple[int, Sequence[str]]]) -> list[_Hit]:
    """Where phrases match, in text order; a phrase inside a longer match is no hit of its own."""
    agreed = [_agree(t.word) for t in tokens]
    found = [
        (start, end, rank, phrase)
        for rank, phrases in tiered
        for phrase in phrases
        for start, end in _spans(agreed, phrase)
    ]
    # Where phrases overlap the most precise one speaks: "erreur de saisie" is medium, not
    # "erreur"; "ne marche plus" is the reason rather than "ne … plus".
    return sorted(h for h in found if not any(_covers(o, h) for o in found))


def _covers(outer: _Hit, inner: _Hit) -> bool:
    inside = outer[0] <= inner[0] and inner[1] <= outer[1]
    return inside and _precision(outer) > _precision(inner)


def _precision(hit: _Hit) -> tuple[int, int]:
    return hit[1] - hit[0], sum(len(part) for part in _parts(hit[3]))


def _need_words(tokens: list[_Token], lexicon: Lexicon) -> tuple[str, ...]:
    dropped = _name_positions(tokens)
    for start, end, _, _ in _hits(tokens, ((0, lexicon.vague),)):
        dropped.update(range(start, end))
    return tuple(
        t.word for i, t in enumerate(tokens)
        if i not in dropped and t.word not in _STOPWORDS and not any(c.isdigit() for c in t.word)
    )


def _name_positions(tokens: list[_Token]) -> set[int]:
    names = {i for i, t in enumerate(tokens) if t.name_like}
    words = [t.word for t in tokens]
    cue_ends = {end for _, end, _, _ in _hits(tokens, ((0, _NAME_CUES),))}
    cue_ends |= {i + 1 for i, w in enumerate(words) if w in _TITLES}
    # Lowercase transcripts carry no capitals: the word right after a cue is taken as the name.
    names |= {i for i in cue_ends if i < len(words) and words[i] not in _STOPWORDS}
    return names


def _unique(phrases: Iterable[str]) -> tuple[str, ...]:
    seen: dict[tuple[tuple[str, ...], ...], str] = {}
    for phrase in phrases:
        seen.setdefault(_parts(phrase), phrase)  # "bloqué" and "bloquée" are one reason
    return tuple(seen.values())


def _spans(agreed: Sequence[str], phrase: str) -> list[tuple[int, int]]:
    """(start, end) of every match of a phrase; "…" in a phrase stands for up to _GAP words."""
    parts = _parts(phrase)
    starts = (i for i, word in enumerate(agreed) if word == parts[0][0])
    ends = ((start, _match_from(agreed, start, parts)) for start in starts)
    return [(start, end) for start, end in ends if end is not None]


def _match_from(agreed: Sequence[str], pos: int, parts: tuple[tuple[str, ...], ...]) -> int | None:
    first, rest = parts[0], parts[1:]
    end = pos + len(first)
    if tuple(agreed[pos:end]) != first:
        return None
    if not rest:
        return end
    matches = (_match_from(agreed, end + gap, rest) for gap in range(_GAP + 1))
    return next((m for m in matches if m is not None), None)


@lru_cache(maxsize=4096)
def _parts(phrase: str) -> tuple[tuple[str, ...], ...]:
    pieces = phrase.replace("…", "...").split("...")
    return tuple(tuple(_agree(w) for w in normalize(piece).split()) for piece in pieces)


@lru_cache(maxsize=8192)
def _agree(word: str) -> str:
    """Drop French agreement endings so "bloqué", "bloquée" and "bloqués" compare equal."""
    if len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    for _ in range(2):  # "bloquée" normalizes to "bloquee": both e's are endings
        if len(word) > 3 and word.endswith("e"):
            word = word[:-1]
    return word
