"""One need, one entry (R8): does a new message from the same caller speak of the open need?

Two stated needs are compared on their subject: the lemmas classify keeps as need words (no
filler, chasing, names, numbers or stopwords), less the words that only say how bad things are
or where ("ne marche plus", "bloqué", "poste de l'accueil"), with the lexicon's synonyms read as
one concept ("TPE" and "terminal de carte"; "planning" and "agenda des consultations"). A
message that says it is another need ("une autre question", "par contre") is one; a follow-up
that says it is the same ("toujours", "du coup", "je vous donne le message exact") is the same,
and so is one that only says how the caller copes ("on fait tout sur papier": the failure is
the one already reported) or, after a failure, what it costs with no sign of severity of its
own and nothing wished for ("on a 14 rendez-vous et on sait pas qui vient"; "je voudrais
commander des rouleaux" is another need); a plain question or request beside a failure
("comment on met le logo", "je voudrais un devis") is another need. A greeting again
("rebonjour") says neither: the corpus's callers used it as often for a new need as for the
same one. When in doubt the answer is "same need": a wrong merge is one more message an agent
reads on the entry, a wrong split is the second place in the list that R8 forbids.
"""

from __future__ import annotations

from collections.abc import Sequence

from callq.waiting.classify import DEFAULT_LEXICON, Lexicon, asks, need_positions, read_need
from callq.waiting.lemmas import Token
from callq.waiting.matching import Hit
from callq.waiting.reading import Reading, read

SAME_NEED_THRESHOLD = 0.5  # share of the smaller need's subject found in the other
ACRONYM = (3, 5)  # letters of a word that may be an acronym spelt out in the other message


def same_need(
    existing_need: str | None,
    new_need: str | None,
    *,
    existing_vague: bool,
    new_vague: bool,
    lexicon: Lexicon = DEFAULT_LEXICON,
) -> bool:
    """True when the new message belongs to the caller's open entry rather than a new one."""
    if new_vague:
        return True  # "rappelez-moi" again, or chasing: only the need already waiting
    if existing_vague:
        return True  # the new message states the need the open entry left unsaid
    before, after = read_need(existing_need, lexicon), read_need(new_need, lexicon)
    keys = {hit.key for hit in after[1]}
    if "new_need" in keys:
        return False  # "une autre question", "je voudrais savoir si": the caller says it is not
    if keys & {"chasing", "follow_up"}:
        return True  # "je rappelle pour ...", "toujours pas réglé": the caller says it is
    reported, said = read(*before, lexicon), read(*after, lexicon)
    if _copes(said, after[1]):
        return True  # "on fait tout sur papier": how the caller gets round the failure they
        # reported, with no failure of its own
    asked = _asks(*before, reported, lexicon)
    if asked != _asks(*after, said, lexicon):
        return False  # a plain question beside a failure: "comment on met le logo" is not
        # "les factures ne partent plus", however many words they share
    if not asked and _tells_the_toll(reported, said, after[0], lexicon):
        return True  # "on a 14 rendez-vous et on sait pas qui vient": what the failure
        # already reported costs, whatever words it takes
    old, new = _spelt_out(_subject(*before, lexicon), after[0], lexicon), _spelt_out(
        _subject(*after, lexicon), before[0], lexicon)
    if not old or not new:
        return True  # "plus rien ne marche" names no subject to tell two needs apart
    return len(old & new) / min(len(old), len(new)) >= SAME_NEED_THRESHOLD


def _asks(words: Sequence[Token], found: Sequence[Hit], reading: Reading,
          lexicon: Lexicon) -> bool:
    """A plain question or request (a question word or phrase: "comment", "possible de", "je
    voudrais un devis"), no sign of severity, rather than something failing."""
    plain = reading.tier is None or reading.readings == ("question",)
    return plain and (asks(words, lexicon) or any(h.key == "question" for h in found))


def _tells_the_toll(first: Reading, second: Reading, words: Sequence[Token],
                    lexicon: Lexicon) -> bool:
    """After a failure, a message with no sign of severity of its own that wishes for nothing
    ("je voudrais", "on a besoin de"): what the failure costs, or its details."""
    wishing = lexicon.words("wishes")
    return (first.tier is not None and second.tier is None
            and not any(t.lemma in wishing or t.word in wishing for t in words))


def _copes(reading: Reading, found: Sequence[Hit]) -> bool:
    """Only a painful workaround ("tout sur un carnet"), no failure of its own."""
    return reading.readings == ("painful_workaround",) and not any(
        h.key in ("critical", "high", "medium") for h in found)


def _spelt_out(words: frozenset[str], other: Sequence[Token],
               lexicon: Lexicon) -> frozenset[str]:
    """An acronym of one message read as the words it stands for in the other: "dsn" is
    "déclaration sociale nominative", "tpe" "terminal de paiement électronique"."""
    skip = lexicon.words("stopwords")
    spelt = [t for t in other if t.word not in skip and t.word[:1].isalpha()]
    initials, lemmas = "".join(t.word[0] for t in spelt), [t.lemma for t in spelt]
    subjects, found = lexicon.words("subjects"), set(words)
    for word in words:
        short = ACRONYM[0] <= len(word) <= ACRONYM[1] and word.isalpha()
        at = initials.find(word) if short and word not in subjects else -1
        if at >= 0:
            found |= set(lemmas[at:at + len(word)])  # shares every word it stands for
    return frozenset(found)


def subject(need: str | None, lexicon: Lexicon = DEFAULT_LEXICON) -> frozenset[str]:
    """What a need is about: its need words as concepts, without how bad or where."""
    return _subject(*read_need(need, lexicon), lexicon)


def _subject(words: Sequence[Token], found: Sequence[Hit], lexicon: Lexicon) -> frozenset[str]:
    concepts: dict[int, str] = {}
    for hit in found:
        if hit.key.startswith("synonyms:"):
            for i in range(hit.start, hit.end):
                concepts[i] = hit.key  # every word of "terminal de carte" is the TPE concept
    skip = set(lexicon.not_subject_lemmas())
    return frozenset(concepts.get(i, words[i].lemma)
                     for i in need_positions(words, found, lexicon)
                     if i in concepts or words[i].lemma not in skip)
