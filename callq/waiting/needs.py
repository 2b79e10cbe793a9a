"""One need, one entry (R8): does a new message from the same caller speak of the open need?

Two stated needs are compared on their subject: the lemmas classify keeps as need words (no
filler, chasing, names, numbers or stopwords), less the words that only say how bad things are
or where ("ne marche plus", "bloqué", "poste de l'accueil"), with the lexicon's synonyms read as
one concept ("TPE" and "terminal de carte"; "planning" and "agenda des consultations"). A
message that says it is another need ("une autre question", "je voudrais savoir si") is one; a
follow-up that says it is the same ("toujours", "je rappelle pour...") is the same; a plain
question beside a failure is another need. When in doubt the
answer is "same need": a wrong merge is one more message an agent reads on the
entry, a wrong split is the second place in the list that R8 forbids.
"""

from __future__ import annotations

from collections.abc import Sequence

from callq.waiting.classify import DEFAULT_LEXICON, Lexicon, asks, need_positions, read_need
from callq.waiting.lemmas import Token
from callq.waiting.matching import Hit
from callq.waiting.reading import read

SAME_NEED_THRESHOLD = 0.5  # share of the smaller need's subject found in the other


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
    if _asks(*before, lexicon) != _asks(*after, lexicon):
        return False  # a plain question beside a failure: "comment on met le logo" is not
        # "les factures ne partent plus", however many words they share
    old, new = _subject(*before, lexicon), _subject(*after, lexicon)
    if not old or not new:
        return True  # "plus rien ne marche" names no subject to tell two needs apart
    return len(old & new) / min(len(old), len(new)) >= SAME_NEED_THRESHOLD


def _asks(words: Sequence[Token], found: Sequence[Hit], lexicon: Lexicon) -> bool:
    """A plain question (a question word, no sign of severity) rather than something failing."""
    return asks(words, lexicon) and read(words, found, lexicon).tier is None


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
