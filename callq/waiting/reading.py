"""How bad a stated need is (R6), read from its phrases by the seeds' scale.

critical: vital process blocked, no workaround; high: blocked, painful workaround; medium: a
workaround exists; low: inconvenient, works, or a plain question. So the severity the words
say is then read against what surrounds it: denied ("ce n'est pas bloquant") it is low; lost
data is critical; one workstation out of several takes a critical failure down to high and
every workstation takes a failure up to critical; a workaround takes it one tier down, and a
painful one ("sur un carnet", "tout à la main") makes it high.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from callq.status import TIER_ORDER, Tier
from callq.waiting.lemmas import Token
from callq.waiting.lexicon import Lexicon
from callq.waiting.matching import Hit

SEVERITY = (("critical", Tier.CRITICAL), ("high", Tier.HIGH), ("medium", Tier.MEDIUM))
DATA_WINDOW = 7  # words between what was lost and how: "tous les dossiers créés depuis janvier
# ont disparu"
DATA_CONTENT_WINDOW = 4  # or, what was lost told first, words between it and how that are
# not stopwords: "toutes les fiches et les ordonnances que j'avais saisies cette semaine ont été
# effacées" (on the development messages, 3 and 4 both raised 2 critical needs read low to
# critical; 4 also judged 7 more pairs right, 5 one message less)
NOTHING_REACH = 4  # words before a loss where "aucun", "rien" (the lexicon's `none`) or a
# negation ("pas une facture") say nothing was lost: "aucun courrier aux confrères est parti"
# is a sending failure, "les courriers sont partis" a loss
UNTIL_REACH = 3  # words before a reassurance an `until` word may stand: "quand ça remarchera"
NEGATION_REACH = 2  # words before a severity a negation may stand: "pas de message d'erreur"
CONSEQUENCE_REACH = 5  # words after a workaround cue where "aucun", "personne" make it the
# failure's consequence: "du coup on sort aucune facture", "du coup on n'a accès à rien"


@dataclass(frozen=True)
class Reading:
    """The tier a need's words give, the phrases that decided it and the readings applied."""

    tier: Tier | None  # None: no sign of severity at all
    matched: tuple[str, ...]
    readings: tuple[str, ...]  # "denied", "question", "data_loss", "one_station",
    # "all_stations", "deadline", "no_workaround", "workaround", "intermittent",
    # "painful_workaround", in the order they applied


def read(tokens: Sequence[Token], found: Sequence[Hit], lexicon: Lexicon) -> Reading:
    """The tier of a need from its phrase hits (found by matching.hits over the same tokens)."""
    denied = [h for h in found if _severity(h) and _denied(tokens, h, lexicon, found)]
    kept = [h for h in found if h not in denied]
    by_key = _by_key(kept)
    # A denied severity counts for nothing; it makes the need low only when nothing else is
    # said to fail ("pas de message d'erreur mais le logiciel plante" is a crash).
    undenied = any(_severity(h) for h in kept)
    blocking_denied = (by_key.get("not_blocking", []) + _reassured(tokens, by_key, lexicon)
                       + (denied if not undenied else []))
    if blocking_denied:
        return Reading(Tier.LOW, _phrases(blocking_denied), ("denied",))
    tier, matched = _base(by_key)
    readings: list[str] = []
    if tier is Tier.MEDIUM and _asked(by_key):
        return Reading(Tier.LOW, _phrases(by_key["question"]), ("question",))
    loss = _data_loss(by_key, tokens, lexicon)
    if loss:
        tier, matched = Tier.CRITICAL, loss + (matched if tier is Tier.CRITICAL else ())
        readings.append("data_loss")
    tier = _scope(tier, by_key, readings)
    by_key["workaround"] = _real_workarounds(tokens, by_key, lexicon)
    tier = _workaround(tier, by_key, readings)
    for key in readings:
        matched += _phrases(by_key.get(key, ()))
    return Reading(tier, _unique(matched), tuple(readings))


def presumed(found: Sequence[Hit], unsaid: tuple[str, ...]) -> Reading:
    """A failure no phrase names (`unsaid`: "plus aucun rappel n'est parti") read as high, then
    in its scope like any other: every workstation, due today or no other way make it
    critical ("personne ne rentre dans le logiciel, tout le monde a le message")."""
    by_key = _by_key(found)
    readings: list[str] = []
    tier = _scope(Tier.HIGH, by_key, readings) or Tier.HIGH
    matched = unsaid + tuple(p for key in readings for p in _phrases(by_key.get(key, ())))
    return Reading(tier, _unique(matched), tuple(readings))


def _by_key(found: Iterable[Hit]) -> dict[str, list[Hit]]:
    """The hits grouped by key; an every-workstation phrase inside a one-station one ("partout"
    in "partout ailleurs", where it still works) is no every-workstation."""
    by_key: dict[str, list[Hit]] = {}
    for hit in found:
        by_key.setdefault(hit.key, []).append(hit)
    one = by_key.get("one_station", [])
    if one and by_key.get("all_stations"):
        by_key["all_stations"] = [e for e in by_key["all_stations"]
                                  if not any(o.start <= e.start and e.end <= o.end for o in one)]
    return by_key


def _severity(hit: Hit) -> bool:
    return hit.key in ("critical", "high", "medium")


def _denied(tokens: Sequence[Token], hit: Hit, lexicon: Lexicon, found: Sequence[Hit]) -> bool:
    """A severity right after a negation is denied: "il n'y a pas de message d'erreur", "le
    serveur n'est pas en panne"; the "pas" of another severity ("ne s'envoie pas") is not."""
    parts = lexicon.parts(hit.phrase)
    negations = lexicon.words("negations")
    if parts[0][0] in negations:
        return False
    taken = {i for h in found if _severity(h) and h != hit for i in range(h.start, h.end)}
    own = {lemma for part in parts for lemma in part}  # "pas" of "pouvoir pas … vendre"
    last = hit.end - len(parts[-1])  # where the part after a "…" begins
    closing = _closing_negations(lexicon)  # "ne s'ouvre pas": the "pas" of another failure
    only = lexicon.words("not_only")  # "pas juste lent": worse than slow, not denied
    return any(tokens[i].lemma in negations and i not in taken and tokens[i].lemma not in own
               and (i == 0 or (tokens[i - 1].lemma, tokens[i].lemma) not in closing)
               and (i + 1 >= len(tokens) or tokens[i + 1].lemma not in only)
               for start in {hit.start, last}
               for i in range(max(0, start - NEGATION_REACH), start))


def _closing_negations(lexicon: Lexicon) -> frozenset[tuple[str, str]]:
    """(word, negation) pairs that end a failure of the lexicon's severities ("ouvrir pas"):
    such a negation says what fails, whether or not a longer phrase took its words, and
    denies nothing that follows it."""
    if "closing_negations" not in lexicon.memo:
        negations = lexicon.words("negations")
        lexicon.memo["closing_negations"] = frozenset(
            (part[i - 1], part[i])
            for key, _ in SEVERITY for phrase in lexicon.phrases(key)
            for part in lexicon.parts(phrase) for i in range(1, len(part))
            if part[i] in negations)
    pairs: frozenset[tuple[str, str]] = lexicon.memo["closing_negations"]
    return pairs


def _reassured(tokens: Sequence[Token], by_key: dict[str, list[Hit]],
               lexicon: Lexicon) -> list[Hit]:
    """ "Rien de grave" said of what came before it, or of nothing: a failure told only after it
    ("rien de grave enfin voilà on peut plus rien encaisser") is read as told, and one awaited
    ("on ressaisira quand ça remarchera", `until` within UNTIL_REACH words before) is no
    reassurance, nor is one beside an intermittent failure ("de temps à autre, on le redémarre
    et ça remarche"), which tells how the failure comes and goes."""
    first = _first_failure(by_key)
    until = lexicon.words("until")
    if by_key.get("intermittent"):
        return []  # "de temps à autre, on le redémarre et ça remarche": how it comes and goes
    return [h for h in by_key.get("reassuring", []) if (first is None or first < h.start)
            and not any(t.word in until for t in tokens[max(0, h.start - UNTIL_REACH):h.start])]


def _first_failure(by_key: dict[str, list[Hit]]) -> int | None:
    """Where the first thing said to fail, or to be lost, begins (None: nothing is)."""
    return min((h.start for key in ("critical", "high", "medium", "data_loss")
                for h in by_key.get(key, ())), default=None)


def _base(by_key: dict[str, list[Hit]]) -> tuple[Tier | None, tuple[str, ...]]:
    for key, tier in SEVERITY:
        if by_key.get(key):
            return tier, _phrases(by_key[key])
    return None, ()


def _asked(by_key: dict[str, list[Hit]]) -> bool:
    """A question comes before the first thing said to be wrong ("je voulais savoir si ...
    au lieu de ..."), and nothing says anything is lost or painful."""
    questions, wrong = by_key.get("question", []), by_key.get("medium", [])
    return bool(questions and wrong) and min(q.start for q in questions) < min(
        w.start for w in wrong) and not (by_key.get("data_loss") or by_key.get(
            "painful_workaround"))


def _data_loss(by_key: dict[str, list[Hit]], tokens: Sequence[Token],
               lexicon: Lexicon) -> tuple[str, ...]:
    """The loss phrases that stand near something that can be lost: within DATA_WINDOW
    words, or after it with at most DATA_CONTENT_WINDOW words between that are no stopword;
    none said of nothing (`none` or a negation within NOTHING_REACH words before it)."""
    stop, none, negations = (lexicon.words(k) for k in ("stopwords", "none", "negations"))

    def near(loss: Hit, data: Hit) -> bool:
        if abs(loss.start - data.start) <= DATA_WINDOW:
            return True
        between = tokens[data.end:loss.start]  # empty when the loss is told first
        return bool(between) and sum(t.word not in stop and t.lemma not in stop
                                     for t in between) <= DATA_CONTENT_WINDOW

    def of_nothing(loss: Hit) -> bool:  # "rien est parti", "pas une facture est partie"
        return any(t.lemma in none or t.word in negations
                   for t in tokens[max(0, loss.start - NOTHING_REACH):loss.start])

    return _phrases(loss for loss in by_key.get("data_loss", []) if not of_nothing(loss) and any(
        near(loss, data) for data in by_key.get("data", [])))


def _scope(tier: Tier | None, by_key: dict[str, list[Hit]], readings: list[str]) -> Tier | None:
    # Every workstation said outright wins over a phrase that reads as one ("sur les postes"
    # and "sur le poste" are the same lemmas).
    if tier is Tier.CRITICAL and by_key.get("one_station") and not by_key.get("all_stations"):
        readings.append("one_station")
        return Tier.HIGH
    if tier is Tier.HIGH and by_key.get("all_stations"):
        readings.append("all_stations")
        return Tier.CRITICAL
    for key in ("deadline", "no_workaround"):  # due tonight, or no other way to do it
        if tier is Tier.HIGH and by_key.get(key):
            readings.append(key)
            return Tier.CRITICAL
    return tier


def _real_workarounds(tokens: Sequence[Token], by_key: dict[str, list[Hit]],
                      lexicon: Lexicon) -> list[Hit]:
    """The workarounds a caller uses: not "les autres postes" that says where it fails (the
    scope), nor one asked about ("comment je le rajoute") or denied ("sans passer par"); nor
    one told before any failure, which is the story ("alors je vous explique", "alors on a
    ouvert ce matin"), nor one beside a question where nothing fails ("du coup on voudrait
    savoir combien"), nor one followed by what nobody can do, which is the failure's
    consequence ("du coup on sert personne"), nor one whose words are a critical failure's
    ("on renvoie les patients vers la pharmacie d'à côté")."""
    if by_key.get("no_workaround"):
        return []  # "aucun moyen de contourner": the caller has none, whatever else reads so
    scope = (by_key.get("one_station", []) + by_key.get("all_stations", [])
             + by_key.get("critical", []))
    asking, negations = lexicon.question_words_folded(), lexicon.words("negations")
    nothing = negations | lexicon.words("nothing")
    first = _first_failure(by_key)
    if first is None and by_key.get("question"):
        return []  # nothing fails, something is asked: "du coup on voudrait savoir combien"
    return [h for h in by_key.get("workaround", [])
            if not any(s.start <= h.start < s.end or h.start <= s.start < h.end for s in scope)
            and not any(tokens[i].word in asking or tokens[i].lemma in negations
                        for i in _just_before(tokens, h.start))
            and not (first is not None and h.start < first)
            and not any(t.lemma in nothing for t in tokens[h.end:h.end + CONSEQUENCE_REACH])]


def _just_before(tokens: Sequence[Token], start: int) -> range:
    """The word right before `start`, and the one before it when that word is "de" ("pas
    d'autre ordinateur")."""
    reach = 2 if start > 1 and tokens[start - 1].lemma == "de" else 1
    return range(max(0, start - reach), start)


def _workaround(tier: Tier | None, by_key: dict[str, list[Hit]],
                readings: list[str]) -> Tier | None:
    if by_key.get("painful_workaround"):
        readings.append("painful_workaround")
        return Tier.HIGH  # something is blocked, and getting round it costs dearly
    easy = [key for key in ("workaround", "intermittent") if by_key.get(key)]
    if not easy:
        return tier
    readings.extend(easy)
    if tier is None:
        return Tier.MEDIUM  # a workaround says there is a problem, and that it can be lived with
    return TIER_ORDER[min(tier.rank + 1, Tier.MEDIUM.rank)] if tier.rank < Tier.MEDIUM.rank \
        else tier


def _phrases(found: Iterable[Hit]) -> tuple[str, ...]:
    return tuple(h.phrase for h in found)


def _unique(phrases: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(phrases))
