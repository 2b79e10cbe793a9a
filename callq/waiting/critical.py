"""A critical need told in words no rule knows (R6): the last word on a tier below critical.

The rules read a tier from listed phrases (callq.waiting.reading); a caller whose vital process
is stopped may say so in words the lexicon does not hold ("on peut plus délivrer", "les
patients repartent sans leurs vaccins"), and the rules then rank the need high or below, the
worst miss there is (a critical need waiting behind others). So the rules' reading and the
need's words are weighed together by weights fitted on the development messages of the
labelled corpus (`callq train-needs`): the rule and tier read, the readings applied, the kinds
of phrase heard, each need word's lemma. When they give the need at least THRESHOLD chance of
being critical, it is raised to critical, and the words that weighed most are the reason
agents read. The weights only ever raise a need to critical: they never lower one, never make
a need vague or stated, and never raise one the caller said they can work around, said is not
blocking, or asked a plain question about (NEVER).

Each batch of development messages judged by weights fitted without it (`callq eval-needs
--split dev --unseen`) says how this does on callers it was not fitted on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from callq.waiting.lemmas import Token
from callq.waiting.pair_model import PairWeights

# The chance of being critical from which a need is raised. It was 0.3 (a critical need read
# high waits behind every critical one, a high need read critical passes a few) until the
# 1,200 development messages of fv, fw and gk-gp (critical told without the usual words,
# 70 of each 150) joined the fit: the weights then gave 0.36 to 0.47 to needs the seeds'
# scale puts below critical (one record's "base endommagée", vaccine reminders no longer
# sent, a wish: the R6 tests). Dev messages judged by weights fitted without their batch,
# right / critical below high: 0.3 7,461 / 47, 0.4 7,464 / 54, 0.5 7,467 / 56 (on the
# 6,632 older ones 6,428 / 3 and 6,445 / 3; 6,450 / 4 before the new rows).
THRESHOLD = 0.5
SCORE = math.log(THRESHOLD / (1 - THRESHOLD))  # the same, as log-odds
HEARD = 3  # words given as the reason, at most
# Readings that rule critical out by the seeds' scale (critical: a vital process stopped with
# no way around it): a workaround, painful or not, "ce n'est pas bloquant", a plain question.
NEVER = frozenset({"workaround", "painful_workaround", "denied", "question"})


def signs(*, rule: str, said: str, readings: Iterable[str], keys: Iterable[str],
          lemmas: Iterable[str]) -> dict[str, float]:
    """What the weights weigh in one classification: the rule and the class it read
    ("rule:tier:presumed", "said:high"), each reading ("reading:one_station"), each kind of
    phrase heard ("phrase:painful_workaround"), each need word's lemma ("word:délivrer")."""
    found = {f"rule:{rule}": 1.0, f"said:{said}": 1.0}
    found.update((f"reading:{r}", 1.0) for r in readings)
    found.update((f"phrase:{key.partition(':')[0]}", 1.0) for key in keys)
    found.update((f"word:{lemma}", 1.0) for lemma in lemmas)
    return found


def weighed(said: str) -> bool:
    """Whether a need the rules read as `said` ("high", "vague"...) is weighed at all: only a
    stated need below critical is."""
    return said in ("high", "medium", "low")


def raises(weights: PairWeights, found: dict[str, float]) -> bool:
    """Whether the need's chance of being critical reaches THRESHOLD, no reading having
    ruled critical out (NEVER)."""
    return (not any(f"reading:{r}" in found for r in NEVER)
            and weights.score(found) >= SCORE)


def heard(weights: PairWeights, found: dict[str, float], words: Sequence[Token]) -> tuple[str,
                                                                                          ...]:
    """The need's words (as said) whose lemmas weighed most towards critical."""
    spoken: dict[str, str] = {}
    for token in words:
        spoken.setdefault(token.lemma, token.word)
    parts = sorted(((weights.weights.get(name, 0.0), name.removeprefix("word:"))
                    for name in found if name.startswith("word:")), reverse=True)
    return tuple(spoken.get(lemma, lemma) for part, lemma in parts[:HEARD] if part > 0)
