"""The critical weights (R6): a need told in words no rule knows is raised to critical, or
from medium or low to high, and nothing else changes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from callq.status import Tier
from callq.waiting import critical
from callq.waiting.classify import classify, rules_and_signs
from callq.waiting.critical_weights import CRITICAL_WEIGHTS
from callq.waiting.evaluation import (
    CORPUS,
    batch_of,
    critical_module,
    critical_unseen,
    load,
    predicted,
    train_critical,
)
from callq.waiting.explain import explain
from callq.waiting.lexicon_de import GERMAN
from callq.waiting.pair_model import PairWeights

# A critical need the rules presume high: the server stolen, no file left, told in words no
# phrase of the lexicon holds as critical.
STOLEN = "clinique des marais cambriolage cette nuit le serveur a été volé on a plus aucun dossier"
# A need the rules read low (nothing in it says how bad it is) that empties tomorrow's diary.
EMPTIED = ("bonjour cabinet du docteur martin zéro patient dans le planning de demain alors "
           "qu'on avait 25 rendez-vous")


@pytest.fixture(scope="module")
def corpus():
    return load(CORPUS)


def test_r06_a_critical_need_the_rules_read_lower_is_raised_by_the_words_of_critical_needs():
    rules, _ = rules_and_signs(STOLEN)
    assert rules.tier is Tier.HIGH
    c = classify(STOLEN)
    assert (c.vague, c.tier, c.rule) == (False, Tier.CRITICAL, "tier:learned")
    assert c.matched and all(word in STOLEN for word in c.matched)
    assert explain(c, "fr").startswith("Urgence critique présumée : dit avec les mots")
    assert explain(c, "en").startswith("Critical urgency presumed: told in the words")
    assert "serveur" in explain(c, "en")


@pytest.mark.parametrize("said", [
    " on a tout repris sur papier en attendant",  # a painful workaround: high at most
    " mais ce n'est pas bloquant",  # denied
])
def test_r06_the_weights_never_raise_a_need_the_caller_can_work_around_or_says_is_not_blocking(
        said):
    rules, signs = rules_and_signs(STOLEN + said)
    assert rules.tier is not Tier.CRITICAL and critical.NEVER & set(rules.readings)
    assert classify(STOLEN + said) == rules
    # However strongly the rest weighs, such a reading is never raised.
    strong = {**signs, "said:critical": 1.0, "rule:tier:critical": 1.0}
    assert CRITICAL_WEIGHTS["fr"].score(strong) >= critical.SCORE
    assert critical.raised_to(CRITICAL_WEIGHTS["fr"], strong, "high") is None
    kept = {name: v for name, v in strong.items() if name.removeprefix("reading:")
            not in critical.NEVER}
    assert critical.raised_to(CRITICAL_WEIGHTS["fr"], kept, "high") == "critical"


def test_r06_a_need_read_low_that_the_weights_give_a_fair_chance_of_being_critical_is_high():
    # Every appointment of tomorrow gone, told in words the rules read as nothing urgent: the
    # weights give it less than THRESHOLD of being critical, and more than AT_LEAST_HIGH.
    rules, signs = rules_and_signs(EMPTIED)
    assert rules.tier is Tier.LOW
    score = CRITICAL_WEIGHTS["fr"].score(signs)
    assert critical.HIGH_SCORE <= score < critical.SCORE
    c = classify(EMPTIED)
    assert (c.vague, c.tier, c.rule) == (False, Tier.HIGH, "tier:learned_high")
    assert c.matched and all(word in EMPTIED for word in c.matched)
    assert explain(c, "fr").startswith("Urgence haute présumée : dit avec des mots proches")
    assert explain(c, "en").startswith("High urgency presumed: told in words close")
    # A need the rules read high stays high, whatever its chance below THRESHOLD ...
    assert critical.raised_to(CRITICAL_WEIGHTS["fr"], signs, "high") is None
    # ... and one the caller can work around stays as read.
    said = rules_and_signs(EMPTIED + " on prend les rendez-vous sur papier en attendant")[0]
    assert classify(EMPTIED + " on prend les rendez-vous sur papier en attendant") == said


@pytest.mark.parametrize("asking", [
    "Question sur la sauvegarde des données clients",  # says it is a question
    "on souhaiterait que les stagiaires ne voient aucun dossier de paie",  # a wish
])
def test_r06_a_need_read_low_that_asks_or_wishes_is_never_raised_to_high(asking):
    # The weights give each of them more than AT_LEAST_HIGH (their words are those of lost
    # records and payroll), and less than THRESHOLD: they stay low, as the rules read them.
    rules, signs = rules_and_signs(asking)
    assert rules.tier is Tier.LOW and not rules.vague
    assert critical.HIGH_SCORE <= CRITICAL_WEIGHTS["fr"].score(signs) < critical.SCORE
    assert critical.raised_to(CRITICAL_WEIGHTS["fr"], signs, "low") == "high"
    assert classify(asking) == rules


def test_r06_the_weights_only_ever_raise(corpus):
    # Over every development message: vague stays vague, stated stays stated, and a tier
    # changes only upwards: to critical from a rule that left it lower, or to high from a
    # rule that read medium or low.
    raised = wrong = dev = to_high = below_high = below_high_unraised = 0
    for row in corpus["messages"]:
        if row.split != "dev":
            continue
        dev += 1
        text = row.texts[0]
        rules, c = rules_and_signs(text)[0], classify(text)
        below = row.label == "critical" and c.said in ("medium", "low", "vague")
        below_high += below
        below_high_unraised += below or (row.label == "critical" and c.rule == "tier:learned_high")
        if c == rules:
            continue
        assert (c.vague, rules.vague) == (False, False)
        assert c.tier.rank < rules.tier.rank  # more urgent
        if c.rule == "tier:learned_high":
            to_high += 1
            assert c.tier is Tier.HIGH and rules.tier in (Tier.MEDIUM, Tier.LOW)
            continue
        raised += 1
        wrong += row.label != "critical"
        assert (c.tier, c.rule) == (Tier.CRITICAL, "tier:learned")
    # A last word on a few needs, never the rules' work, and right when it speaks. The bound
    # was 2 % until the 1,200 development messages of fv, fw and gk-gp, written to tell 560
    # critical needs in words the rules do not know: the weights raise 123 of them (121
    # critical) and 64 of the 6,632 older ones (63 critical), 187 of 7,832 in all (2.4 %).
    assert 0 < raised < 0.03 * dev
    assert wrong < 0.05 * raised
    # To high: fewer than 1 % of the messages (49 of 7,832), and fewer critical needs ranked
    # below high for it (18 fewer among these, which the weights were fitted on).
    assert 0 < to_high < 0.01 * dev
    assert below_high < below_high_unraised


def test_r06_german_needs_are_read_by_the_rules_alone():
    # The weights are fitted on French calls: a German need is never weighed by them.
    text = "Die Kasse ist komplett blockiert, die Bulletins wurden gelöscht, keine Lösung"
    assert "de" not in CRITICAL_WEIGHTS
    assert classify(text, lexicon=GERMAN) == rules_and_signs(text, GERMAN)[0]


def test_r06_the_shipped_critical_weights_are_what_the_development_messages_give(corpus):
    weights, messages = train_critical(corpus, "dev")
    assert messages == sum(row.split == "dev" for row in corpus["messages"])
    assert weights == CRITICAL_WEIGHTS["fr"]
    # ... and the held-out messages play no part: their labels changed, the same weights.
    flipped = {**corpus, "messages": [
        replace(row, label="low" if row.label == "critical" else "critical")
        if row.split == "heldout" else row for row in corpus["messages"]]}
    assert train_critical(flipped, "dev")[0] == weights


def test_r06_each_batch_of_messages_is_judged_by_weights_fitted_without_it(corpus):
    rows = [row for row in corpus["messages"] if row.split == "dev"
            and batch_of(row) in ("x", "k")]
    figures = critical_unseen({**corpus, "messages": rows})
    assert set(figures) == {"k", "x"}
    for batch, unseen in figures.items():
        mine = [row for row in rows if batch_of(row) == batch]
        assert unseen.messages == len(mine)
        assert unseen.rules[0] == sum(predicted(rules_and_signs(row.texts[0])[0]) == row.label
                                      for row in mine)
    batch_of_id = {row.id: batch_of(row) for row in rows}
    assert all(batch_of_id[i] == batch for batch, u in figures.items() for i in u.lifted)
    # k's labels flipped: the weights x is judged by change, those k is judged by do not.
    flipped = [replace(row, label="low" if row.label == "critical" else "critical")
               if batch_of(row) == "k" else row for row in rows]
    again = critical_unseen({**corpus, "messages": flipped})
    assert again["k"].rules != figures["k"].rules  # the labels did change ...
    assert again["k"].lifted == figures["k"].lifted  # ... not what k's own weights raise


def test_r06_the_critical_module_reads_back_as_the_weights_written():
    weights = PairWeights(-2.5, {"word:serveur": 0.75, "said:low": -1.25})
    namespace: dict[str, object] = {}
    exec(compile(critical_module(weights, "dev", 12), "critical_weights.py", "exec"), namespace)
    assert namespace["CRITICAL_WEIGHTS"] == {"fr": weights}
