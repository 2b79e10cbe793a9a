"""The lexicon the need rules read (R6-R8): phrases per tier and per reading, one per language.

Everything the rules know about words is here, so a JSON file (CALLQ_LEXICON_PATH) can
replace it; the README documents the shape. The built-in French lexicon comes first and is the
default; the German one reads the needs of German-speaking callers ("de" entries).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any

from callq.waiting.lemmas import fold, phrase_lemmas

# Keys of the JSON shape that hold lists of phrases, in the order the README lists them.
PHRASE_KEYS = ("critical", "high", "medium", "vague", "chasing", "not_blocking", "reassuring",
               "workaround", "painful_workaround", "intermittent", "one_station",
               "all_stations", "data", "data_loss", "deadline", "no_workaround", "correcting",
               "new_need",
               "follow_up", "calling_back", "same_place", "settled", "relapse", "consequence",
               "contrast", "question", "topic")
REQUIRED_KEYS = ("critical", "high", "medium", "vague")
# What a second message says of itself and the open need ("autre chose", "pareil", "du coup",
# "toujours sur les devis"): never what a need is about, and read apart from the severities.
SAYS_OF_ITSELF = ("correcting", "new_need", "follow_up", "calling_back", "same_place",
                  "settled", "contrast")
WORD_KEYS = ("stopwords", "titles", "name_cues", "negations", "not_only", "intensifiers",
             "nothing", "wishes", "not_subject", "subjects", "question_words", "places",
             "openers", "name_ends", "not_happening", "affected", "again", "until", "none")


@dataclass(frozen=True)
class Lexicon:
    """Phrases that set a tier, that state no need, and that change how a severity reads."""

    critical: tuple[str, ...]  # vital process blocked, no workaround
    high: tuple[str, ...]  # blocked, or a function broken
    medium: tuple[str, ...]  # a workaround exists, slow, intermittent, wrong
    vague: tuple[str, ...]  # greetings, callback requests, identity, content-free requests
    chasing: tuple[str, ...] = ()  # "où en est ma demande": vague, attached to the open need
    not_blocking: tuple[str, ...] = ()  # "ce n'est pas bloquant": the need is low
    reassuring: tuple[str, ...] = ()  # "rien de grave", "c'est réglé": low when said of what
    # came before it; a failure told after it ("rien de grave mais plus rien ne marche", "c'est
    # réglé, par contre les ordonnances sortent coupées") reads as told
    workaround: tuple[str, ...] = ()  # "je les imprime en attendant": one tier lower
    painful_workaround: tuple[str, ...] = ()  # "sur un carnet": high
    intermittent: tuple[str, ...] = ()  # "parfois": it works most of the time, one tier lower
    one_station: tuple[str, ...] = ()  # "sur le poste de l'accueil": critical becomes high
    all_stations: tuple[str, ...] = ()  # "sur tous les postes": high becomes critical
    data: tuple[str, ...] = ()  # what can be lost: "fiche", "rendez-vous", "factures"
    data_loss: tuple[str, ...] = ()  # how it is lost: "disparu", "effacé"; near `data`: critical
    deadline: tuple[str, ...] = ()  # "doit partir ce soir": a blocked function is critical
    no_workaround: tuple[str, ...] = ()  # "pas d'autre moyen": blocked is critical, and no
    # phrase read as a workaround is one
    correcting: tuple[str, ...] = ()  # "je précise", "c'est seulement", "petite correction": a
    # second message that corrects or narrows the first one, the same need whatever link word
    # it starts with ("par contre je précise", "autre chose que j'ai oublié de préciser")
    new_need: tuple[str, ...] = ()  # "autre chose": a second message that names another need
    follow_up: tuple[str, ...] = ()  # "pareil", "le message c'est": a second message about the
    # same need, whatever else it says
    calling_back: tuple[str, ...] = ()  # "toujours", "du coup", "je reviens vers vous": a caller
    # calling again; another need when the message asks a plain question after a failure
    # ("toujours sur la facturation, comment on saisit une séance à domicile"), else a sign the
    # same-need weights weigh
    same_place: tuple[str, ...] = ()  # "toujours sur les devis", "encore dans le planning": a
    # caller back in the place of the open need with something else to tell there, another need
    # unless it follows the open one up ("toujours sur les devis, ça me met le même message")
    settled: tuple[str, ...] = ()  # "c'est réglé", "ça roule", "on va réfléchir": the open
    # need settled; a failure or a question told beside it is another need, unless a `relapse`
    relapse: tuple[str, ...] = ()  # "ça recommence", "c'est encore rejeté": the settled need
    # back
    consequence: tuple[str, ...] = ()  # "les patients se plaignent", "parce que": what a failure
    # led to, told by the people it falls on or with its cause; a sign weighed with others
    # (callq.waiting.pair_model) that a second message is about the open need
    contrast: tuple[str, ...] = ()  # "le scanner marche par contre", "par contre les factures
    # sortent bien": what works told against what fails, the failure narrowed; the "par
    # contre" inside is no sign of another need (a need settled first still is, `settled`)
    topic: tuple[str, ...] = ()  # "au sujet de", "à propos des", "c'est pour le dossier": what
    # a message is about, named; with no severity, question or failure told, it states no
    # need (vague, R7: "c'est au sujet des factures, rappelez-moi")
    question: tuple[str, ...] = ()  # "savoir si": what is wrong, asked before it is said, is a
    # plain question (low): "je voulais savoir si on peut avoir l'a5 au lieu de l'a4"
    synonyms: tuple[tuple[str, ...], ...] = ()  # one subject: ("tpe", "terminal de carte")
    lemmas: tuple[tuple[str, str], ...] = ()  # word -> lemma, where the lemmatizer errs
    stopwords: tuple[str, ...] = ()  # function words: they never say what the need is
    titles: tuple[str, ...] = ()  # "madame": the next word is a name
    name_cues: tuple[str, ...] = ()  # "je m'appelle": the next word is a name
    negations: tuple[str, ...] = ()  # "pas": a severity right after it is denied
    not_only: tuple[str, ...] = ()  # "juste": "pas juste lent" denies nothing, it says worse
    intensifiers: tuple[str, ...] = ()  # "carrément", "tout simplement": phrases are also read
    # without them, so "ne s'ouvre carrément plus" is "ne s'ouvre plus"
    nothing: tuple[str, ...] = ()  # "aucun", "personne": right after a workaround cue, it says
    # what nobody can do ("du coup on sert personne"), not how the caller copes
    none: tuple[str, ...] = ()  # "aucun", "rien": a loss said of none ("aucun courrier n'est
    # parti") is no data lost
    wishes: tuple[str, ...] = ()  # "vouloir", "besoin": a second message that names no failure
    # is what the first one's failure costs (the same need) unless it wishes for something
    not_subject: tuple[str, ...] = ()  # how bad or where, never what: not a need's subject
    subjects: tuple[str, ...] = ()  # what software and work are made of ("facture", "agenda"):
    # when given, a message with no severity states a need only if it names one of them
    question_words: tuple[str, ...] = ()  # "comment": a plain question; a workaround right
    # after one (or a negation) is asked about or denied, not used
    places: tuple[str, ...] = ()  # "pharmacie", "salon": a message that opens with one names
    # the business in the words after it ("salon coupe et style", "librairie page blanche"):
    # what the caller is, not what they need
    openers: tuple[str, ...] = ()  # "bonjour", "euh": words said before the business's name
    name_ends: tuple[str, ...] = ()  # "le", "je", "bonjour": the business's name ends before
    # one (as before a word of `subjects`, and after four words)
    not_happening: tuple[str, ...] = ()  # "plus", "aucun", "personne" (as written): a stated
    # need with one, no sign of severity and nothing asked or wished for says that something
    # no longer happens, in words the lexicon does not know: presumed high, never low
    affected: tuple[str, ...] = ()  # "patient", "client": who a failure's toll falls on, a sign
    # (weighed with others, callq.waiting.pair_model) that a second message tells what the
    # open need costs
    again: tuple[str, ...] = ()  # "rebonjour", "maintenant": a caller calling again, another
    # such sign (of a new need as often as of the same one: the weights say how much)
    until: tuple[str, ...] = ()  # "quand", "lorsque": a reassurance right after one is awaited,
    # not said ("on ressaisira tout quand ça remarchera")
    language: str = "fr"  # the lemmatizer's language
    min_need_words: int = 2

    def phrases(self, key: str) -> tuple[str, ...]:
        """The phrases of one PHRASE_KEYS list."""
        value: tuple[str, ...] = getattr(self, key)
        return value

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """What is derived from this lexicon, computed once (hashing it on every message would
        cost more than reading the message)."""
        return {}

    def parts(self, phrase: str) -> tuple[tuple[str, ...], ...]:
        """A phrase of this lexicon as lemmas, read in its language with its corrections."""
        key = ("parts", phrase)
        if key not in self.memo:
            self.memo[key] = phrase_lemmas(phrase, self.language, dict(self.lemmas))
        parts: tuple[tuple[str, ...], ...] = self.memo[key]
        return parts

    def words(self, key: str) -> frozenset[str]:
        """A WORD_KEYS list as folded words and their lemmas, for comparing with tokens."""
        if ("words", key) not in self.memo:
            listed: tuple[str, ...] = getattr(self, key)
            found = {fold(word) for word in listed}
            found.update(lemma for word in listed for part in self.parts(word) for lemma in part)
            self.memo[("words", key)] = frozenset(found)
        words: frozenset[str] = self.memo[("words", key)]
        return words

    def question_words_folded(self) -> frozenset[str]:
        """The `question_words` as written, folded (their lemmas, "on" of "peut-on", would
        match far too much)."""
        if "question_words" not in self.memo:
            self.memo["question_words"] = frozenset(fold(w) for w in self.question_words)
        words: frozenset[str] = self.memo["question_words"]
        return words

    def not_subject_lemmas(self) -> frozenset[str]:
        """The `not_subject` words as folded words and lemmas."""
        return self.words("not_subject")


def lexicon_from_mapping(data: Mapping[str, Any], base: Lexicon | None = None) -> Lexicon:
    """Build a Lexicon from decoded JSON; raise ValueError naming what is wrong.

    The four tier/vague lists are required; every other key is optional and, when absent, is
    empty (or `base`'s value when a base lexicon is given)."""
    known = {f.name for f in fields(Lexicon)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"lexicon: unknown keys {sorted(unknown)}")
    for key in REQUIRED_KEYS:
        if key not in data:
            raise ValueError(f"lexicon: missing key {key!r}")
    values: dict[str, Any] = {}
    for key in (*PHRASE_KEYS, *WORD_KEYS):
        if key in data:
            values[key] = _phrase_list(data, key)
    if "synonyms" in data:
        values["synonyms"] = tuple(_group(group, i)
                                   for i, group in enumerate(_list(data, "synonyms")))
    if "lemmas" in data:
        values["lemmas"] = _lemmas(data["lemmas"])
    if "language" in data:
        values["language"] = _language(data["language"])
    if "min_need_words" in data:
        values["min_need_words"] = _min_words(data["min_need_words"])
    start = base if base is not None else Lexicon((), (), (), ())
    return replace(start, **values)


def lexicon_to_mapping(lexicon: Lexicon) -> dict[str, Any]:
    """The JSON shape of a lexicon (what lexicon_from_mapping reads back)."""
    out: dict[str, Any] = {}
    for f in fields(Lexicon):
        value = getattr(lexicon, f.name)
        if f.name == "synonyms":
            value = [list(group) for group in value]
        elif f.name == "lemmas":
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def _list(data: Mapping[str, Any], key: str) -> Sequence[Any]:
    value = data[key]
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"lexicon: {key!r} must be a list of phrases")
    return value


def _phrase_list(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = _list(data, key)
    for phrase in value:
        if not isinstance(phrase, str) or not all(phrase_lemmas(phrase)):
            raise ValueError(f"lexicon: {key!r} holds an empty or non-text phrase: {phrase!r}")
    return tuple(value)


def _group(value: Any, index: int) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) < 2:
        raise ValueError(f"lexicon: synonyms[{index}] must be a list of at least two phrases")
    return _phrase_list({f"synonyms[{index}]": value}, f"synonyms[{index}]")


def _lemmas(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and k and v for k, v in value.items()):
        raise ValueError("lexicon: 'lemmas' must map words to their lemma")
    return tuple(value.items())


def _language(value: Any) -> str:
    if value not in ("fr", "de", "en"):
        raise ValueError(f"lexicon: language must be 'fr', 'de' or 'en', got {value!r}")
    return str(value)


def _min_words(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"lexicon: min_need_words must be an integer >= 1, got {value!r}")
    return value


def lexicons_from_mapping(data: Mapping[str, Any],
                          built_in: Mapping[str, Lexicon]) -> dict[str, Lexicon]:
    """The lexicons a CALLQ_LEXICON_PATH file gives: one lexicon (it replaces the French one),
    or one per language code ({"fr": {...}, "de": {...}}). Keys a file leaves out keep the
    built-in lexicon's lists; ValueError names what is wrong."""
    if not isinstance(data, Mapping):
        raise ValueError("lexicon: the file must hold a JSON object")
    per_language = data if not set(REQUIRED_KEYS) & set(data) else {"fr": data}
    lexicons = dict(built_in)
    for code, entry in per_language.items():
        if code not in ("fr", "de", "en") or not isinstance(entry, Mapping):
            raise ValueError(f"lexicon: {code!r} is not a language code with a lexicon object")
        base = built_in.get(code, Lexicon((), (), (), (), language=code))
        lexicons[code] = lexicon_from_mapping({"language": code, **entry}, base)
    return lexicons
