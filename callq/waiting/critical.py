"""A critical need told in words no rule knows (R6): the last word on a tier below critical.

The rules read a tier from listed phrases (callq.waiting.reading); a caller whose vital process
is stopped may say so in words the lexicon does not hold ("on peut plus délivrer", "les
patients repartent sans leurs vaccins"), and the rules then rank the need high or below, the
worst miss there is (a critical need waiting behind others). So the rules' reading and the
need's words are weighed together by weights fitted on the development messages of the
labelled corpus (`callq train-needs`): the rule and tier read, the readings applied, the kinds
of phrase heard, each need word's lemma. When they give the need at least THRESHOLD chance of
being critical, it is raised to critical, and the words that weighed most are the reason
agents read. A need read medium or low that they give at least AT_LEAST_HIGH chance of being
critical is raised to high: ranked below high, a critical need waits behind every high one (the
worst miss there is), while a medium need ranked high passes a few (not one read low that
asks or wishes for something: the rules presume nothing of those either). The weights only ever
raise a need: they never lower one, never make a need vague or stated, and never raise one the
caller said they can work around, said is not blocking, or asked a plain question about
(NEVER).

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
# The chance of being critical from which a need read medium or low is raised to high. Dev
# messages judged by weights fitted without their batch, right / critical below high, of
# 7,832: none raised to high 7,467 / 55; from 0.2 7,457 / 30; 0.15 7,456 / 21; 0.1 7,448 / 14;
# 0.07 7,436 / 12; 0.05 7,419 / 8 (on the 6,632 older ones: 6,444 / 3, then 6,435 / 1,
# 6,434 / 1, 6,426 / 0, 6,417 / 0, 6,403 / 0). Below 0.1, each critical need kept at high
# costs some six others ranked high: 0.1 is where the gain stops being worth its cost.
# A need read low that asks or wishes for something is not raised to high (`to_high`): at
# 0.1, raising those too gives 7,426 / 14, 22 more needs ranked high for no critical one.
AT_LEAST_HIGH = 0.1
HIGH_SCORE = math.log(AT_LEAST_HIGH / (1 - AT_LEAST_HIGH))
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


def raised_to(weights: PairWeights, found: dict[str, float], said: str, *,
              to_high: bool = True) -> str | None:
    """The tier a need the rules read as `said` is raised to: "critical" when its chance of
    being critical reaches THRESHOLD, "high" (unless not `to_high`) when a need read medium or
    low has at least AT_LEAST_HIGH; None when it stays as read (or a reading ruled critical
    out: NEVER)."""
    if not weighed(said) or any(f"reading:{r}" in found for r in NEVER):
        return None
    score = weights.score(found)
    if score >= SCORE:
        return "critical"
    return "high" if to_high and said != "high" and score >= HIGH_SCORE else None


def heard(weights: PairWeights, found: dict[str, float], words: Sequence[Token]) -> tuple[str,
                                                                                          ...]:
    """The need's words (as said) whose lemmas weighed most towards critical."""
    spoken: dict[str, str] = {}
    for token in words:
        spoken.setdefault(token.lemma, token.word)
    parts = sorted(((weights.weights.get(name, 0.0), name.removeprefix("word:"))
                    for name in found if name.startswith("word:")), reverse=True)
    return tuple(spoken.get(lemma, lemma) for part, lemma in parts[:HEARD] if part > 0)
