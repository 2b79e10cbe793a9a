"""One need, one entry (R8): does a new message from the same caller speak of the open need?

Two stated needs are compared on their subject: the need words of classify (no filler, names,
numbers or stopwords) minus the words that only say how bad things are ("ne marche plus",
"erreur", "bloqué"), cut to a short stem so "facturer" meets "factures". When in doubt the
answer is "same need": a wrong merge is one more message an agent reads on the entry, a wrong
split is the second place in the list that R8 forbids.
"""

from __future__ import annotations

from callq.waiting.classify import DEFAULT_LEXICON, Lexicon, need_words

SAME_NEED_THRESHOLD = 0.5  # share of the shorter need's subject stems found in the other
_STEM_LENGTH = 5  # "facture", "factures", "facturer", "facturation" -> "factu"
# How bad, never what: two needs sharing only these ("... ne marche plus") are not one need.
_SEVERITY_WORDS = (
    "marche", "fonctionne", "impossible", "erreur", "bloque", "panne", "plante", "plantage",
    "demarre", "repond", "arrive", "peux", "peut", "peuvent", "lent", "lenteur", "ralenti", "bug",
    "bogue", "crash", "fige", "gele", "ouvre", "contournement", "manuellement", "parfois",
)
_SEVERITY_STEMS = frozenset(word[:_STEM_LENGTH] for word in _SEVERITY_WORDS)


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
        return True  # "rappelez-moi" again: it can only be about the need already waiting
    if existing_vague:
        return True  # the new message states the need the open entry left unsaid
    old, new = _subject(existing_need, lexicon), _subject(new_need, lexicon)
    if not old or not new:
        return True  # "plus rien ne marche" names no subject to tell two needs apart
    return len(old & new) / min(len(old), len(new)) >= SAME_NEED_THRESHOLD


def _subject(need: str | None, lexicon: Lexicon) -> frozenset[str]:
    stems = {word[:_STEM_LENGTH] for word in need_words(need, lexicon)}
    return frozenset(stems - _SEVERITY_STEMS)
