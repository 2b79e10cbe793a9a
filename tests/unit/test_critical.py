"""The critical weights (R6): a need told in words no rule knows is raised to critical, and
nothing else changes."""

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
    assert not critical.raises(CRITICAL_WEIGHTS["fr"], strong)
    kept = {name: v for name, v in strong.items() if name.removeprefix("reading:")
            not in critical.NEVER}
    assert critical.raises(CRITICAL_WEIGHTS["fr"], kept)


def test_r06_the_weights_only_ever_raise_to_critical(corpus):
    # Over every development message: vague stays vague, stated stays stated, and a tier
    # changes only to critical, from a rule that left it lower.
    raised = wrong = dev = 0
    for row in corpus["messages"]:
        if row.split != "dev":
            continue
        dev += 1
        text = row.texts[0]
        rules, c = rules_and_signs(text)[0], classify(text)
        if c != rules:
            raised += 1
            wrong += row.label != "critical"
            assert (c.vague, rules.vague, c.tier, c.rule) == (False, False, Tier.CRITICAL,
                                                             "tier:learned")
            assert rules.tier is not Tier.CRITICAL
    # A last word on a few needs, never the rules' work, and right when it speaks. The bound
    # was 2 % until the 1,200 development messages of fv, fw and gk-gp, written to tell 560
    # critical needs in words the rules do not know: the weights raise 123 of them (121
    # critical) and 64 of the 6,632 older ones (63 critical), 187 of 7,832 in all (2.4 %).
    assert 0 < raised < 0.03 * dev
    assert wrong < 0.05 * raised


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
