"""The learned weighing of same-need signs (R8): the fit, and the weights callq ships."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from callq.waiting.critical_weights import CRITICAL_WEIGHTS
from callq.waiting.evaluation import (
    CORPUS,
    batch_of,
    load,
    same_need_unseen,
    train_pairs,
    weights_module,
)
from callq.waiting.need_vectors import NEED_VECTORS
from callq.waiting.needs import ACROSS, SIGNS, pair_signs
from callq.waiting.pair_model import L2, WORDS_L2, PairWeights, fit, vocabulary
from callq.waiting.pair_weights import PAIR_WEIGHTS


def _loss(weights: PairWeights, samples: list[dict[str, float]], labels: list[bool]) -> float:
    total = 0.5 * L2 * sum(w * w for w in weights.weights.values())
    for signs, label in zip(samples, labels, strict=True):
        p = 1 / (1 + math.exp(-weights.score(signs)))
        total -= math.log(p if label else 1 - p)
    return total


def test_r08_the_fit_finds_the_weights_that_tell_the_labels_apart() -> None:
    samples = [{"shared": s, "asks": a} for s in (0.0, 1.0, 2.0, 3.0) for a in (0.0, 1.0)] * 20
    labels = [s["shared"] >= 2 and not s["asks"] for s in samples]
    weights = fit(samples, labels, ("shared", "asks"))
    assert weights.weights["shared"] > 0 > weights.weights["asks"]
    assert [weights.score(s) >= 0 for s in samples] == labels
    # An optimum: no small move of any weight lowers the penalised loss.
    best = _loss(weights, samples, labels)
    for name in ("shared", "asks"):
        for delta in (-1e-3, 1e-3):
            moved = PairWeights(weights.intercept, {**weights.weights,
                                                    name: weights.weights[name] + delta})
            assert _loss(moved, samples, labels) > best


def test_r08_the_words_of_the_second_need_are_signs_of_their_own() -> None:
    # Its need words, and those both needs hold, weigh each on its own; no stopword or number
    # ("digits" says a number once).
    signs = pair_signs("pharmacie du lac les commandes au grossiste ne partent plus",
                       "pharmacie du lac rebonjour les clients attendent les commandes 06 12")
    words = {name for name in signs if ":" in name}
    assert {"second:client", "second:attendre", "second:commande", "both:commande"} <= words
    assert not any(w.endswith((":le", ":du", ":06", ":12")) for w in words)
    # What the second tells ("attendent": a deadline) weighs; how bad or where does not, as
    # tier_second weighs it already, and the greeting again is no phrase to weigh ("rebonjour").
    assert "phrase:deadline" in words
    assert not words & {"phrase:vague", "phrase:critical", "phrase:high", "phrase:all_stations"}
    # The first message's kinds of phrase weigh too ("les commandes": something that can be
    # lost), its severity ("ne partent plus") no more than the second's.
    assert "first_phrase:data" in words
    assert not any(w.startswith("first_phrase:") and w.endswith(("critical", "high", "medium"))
                   for w in words)
    # The two tiers as one sign: a failure, then no severity of its own
    assert {w for w in words if w.startswith("tiers:")} == {"tiers:high:none"}
    assert signs["digits"] == 1.0


def test_r08_a_word_of_one_need_beside_a_word_of_the_other_is_a_sign() -> None:
    # "ma licence n'est pas valide", then "lancé en mode démo": no word in common, but the
    # couple of words says one thing told two ways, and weighs as such
    signs = pair_signs("hugo kiné le logiciel dit que ma licence n'est pas valide",
                       "hugo kiné le programme s'est lancé ce matin en mode démo")
    couples = {name for name in signs if name.startswith(ACROSS)}
    assert {"across:licence>demo", "across:valide>mode"} <= couples
    # each word only one of them holds, never one both hold
    shared = pair_signs("la caisse plante quand on encaisse", "la caisse affiche une erreur")
    assert "across:planter>erreur" in shared
    assert not any("caisse" in _words(name) for name in shared if name.startswith(ACROSS))
    # the couples seen in the development pairs were weighed; one seen in none has no weight
    assert any(name.startswith(ACROSS) for name in PAIR_WEIGHTS.weights)
    assert PAIR_WEIGHTS.score({"across:licence>zzz": 1.0}) == PAIR_WEIGHTS.intercept


def test_r08_what_fails_in_the_second_message_beside_a_word_of_its_own_is_a_sign() -> None:
    # a fresh failure told with its cost: what fails now is the second's own ("la dsn de mes
    # salariés"), not the restaurant's notes of the first
    fresh = pair_signs("hôtel la bonne auberge les notes du restaurant ne se reportent plus "
                       "sur la chambre",
                       "la bonne auberge euh la dsn de mes salariés ne part plus la comptable "
                       "panique")
    assert (fresh["fails_new"], fresh["fails_shared"]) == (1.0, 0.0)
    # the first need's thing failing worse: the failure stands beside a word both hold
    worse = pair_signs("bonjour boulangerie lefèvre le matin les tickets de caisse sortent "
                       "lentement",
                       "boulangerie lefèvre rebonjour maintenant les tickets plantent à chaque "
                       "vente")
    assert (worse["fails_new"], worse["fails_shared"]) == (0.0, 1.0)
    # no failure told in the second message: neither
    asked = pair_signs("la caisse plante", "comment on change le logo des tickets")
    assert asked["fails_new"] == asked["fails_shared"] == 0.0
    assert {"fails_new", "fails_shared"} <= PAIR_WEIGHTS.weights.keys()


def _words(couple: str) -> set[str]:
    return set(couple.removeprefix(ACROSS).split(">"))


def test_r08_a_need_s_words_weigh_less_than_the_plain_signs_telling_the_same() -> None:
    # A plain sign and a word sign that each tell the labels apart as well: past `plain`,
    # the stronger penalty leaves the word the smaller weight; without `plain`, they are even.
    samples = [{"shared": 1.0, "second:tpe": 1.0}, {"shared": 0.0, "second:tpe": 0.0}] * 5
    labels = [bool(s["shared"]) for s in samples]
    assert WORDS_L2 > L2
    split = fit(samples, labels, ("shared", "second:tpe"), plain=1)
    assert split.weights["shared"] > split.weights["second:tpe"] > 0
    even = fit(samples, labels, ("shared", "second:tpe"))
    assert math.isclose(even.weights["shared"], even.weights["second:tpe"], rel_tol=1e-3)


def test_r08_needs_naming_different_things_of_the_thesaurus_is_a_sign() -> None:
    # The printer then the billing: each names functions of the thesaurus, none the other's;
    # the development pairs weigh that toward another need.
    signs = pair_signs("l'imprimante des ordonnances n'imprime plus",
                       "impossible de facturer le module de facturation se ferme")
    assert signs["other_concepts"] == 1.0 and PAIR_WEIGHTS.weights["other_concepts"] < 0
    assert pair_signs("le tpe ne marche plus", "le terminal de carte refuse les cartes")[
        "other_concepts"] == 0.0


def test_r08_a_sign_seen_once_gets_no_weight() -> None:
    samples = [{"shared": 1.0, "second:tpe": 1.0}, {"second:tpe": 1.0, "second:rare": 1.0},
               {"second:other": 0.0}]
    assert vocabulary(samples, ("shared",)) == ("shared", "second:tpe")


def test_r08_a_fit_needs_one_label_per_sample() -> None:
    with pytest.raises(ValueError, match="as many labels"):
        fit([{"shared": 1.0}], [True, False], ("shared",))
    with pytest.raises(ValueError, match="as many labels"):
        fit([], [], ("shared",))


def test_r08_the_strongest_signs_are_those_that_weighed_most() -> None:
    weights = PairWeights(-1.0, {"toll": 0.5, "wishes": -2.0, "shared": 0.1})
    assert weights.strongest({"toll": 1.0, "wishes": 1.0}) == (("wishes", -2.0), ("toll", 0.5))


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[str, dict[str, object]]:
    """`callq train-needs` run once on the shipped corpus (a fit of some 7,000 pairs, the
    slowest step of the suite): what it printed, and the modules it wrote, read back."""
    from click.testing import CliRunner

    from callq.cli import main

    folder = tmp_path_factory.mktemp("trained")
    out, critical = folder / "weights.py", folder / "critical.py"
    vectors = folder / "vectors.py"
    result = CliRunner().invoke(main, ["train-needs", "--out", str(out),
                                       "--critical-out", str(critical),
                                       "--vectors-out", str(vectors)])
    assert result.exit_code == 0, result.output
    namespace: dict[str, object] = {}
    for module in (out, critical, vectors):
        exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), namespace)
    return result.output, namespace


def test_r08_the_shipped_weights_are_what_the_development_pairs_give(trained) -> None:
    # Trained again from the corpus, the weights are the ones in callq/waiting/pair_weights.py
    # (`callq train-needs` wrote them; nobody tuned them by hand)
    output, namespace = trained
    assert "development pairs" in output and "development messages" in output
    weights = namespace["PAIR_WEIGHTS"]
    assert isinstance(weights, PairWeights)
    assert set(SIGNS) < set(weights.weights) == set(PAIR_WEIGHTS.weights)
    assert set(SIGNS) < set(pair_signs("le tpe ne marche plus", "la caisse plante"))
    assert weights.intercept == pytest.approx(PAIR_WEIGHTS.intercept, abs=1e-9)
    for name, value in weights.weights.items():
        assert value == pytest.approx(PAIR_WEIGHTS.weights[name], abs=1e-9)
    assert weights == PAIR_WEIGHTS  # what ships is what training writes, to the last digit
    assert namespace["CRITICAL_WEIGHTS"] == CRITICAL_WEIGHTS
    assert "need words' vectors" in output
    assert namespace["NEED_VECTORS"] == NEED_VECTORS and len(NEED_VECTORS.vectors) > 1000


def test_r08_the_held_out_pairs_play_no_part_in_the_weights() -> None:
    # Two batches of development pairs beside every held-out pair (a fit of a few hundred
    # pairs, not the whole corpus): the held-out labels flipped, the same weights.
    corpus = load(CORPUS)
    pairs = [row for row in corpus["pairs"]
             if row.split == "heldout" or batch_of(row) in ("z", "b")]
    assert {row.split for row in pairs} == {"dev", "heldout"}
    weights, fitted = train_pairs({**corpus, "pairs": pairs}, "dev")
    assert 0 < fitted <= sum(row.split == "dev" for row in pairs)
    flipped = [replace(row, label={"same": "different", "different": "same"}[row.label])
               if row.split == "heldout" else row for row in pairs]
    assert train_pairs({**corpus, "pairs": flipped}, "dev")[0] == weights
    # ... while flipping the development labels does change them
    turned = [replace(row, label={"same": "different", "different": "same"}[row.label])
              if row.split == "dev" else row for row in pairs]
    assert train_pairs({**corpus, "pairs": turned}, "dev")[0] != weights


def test_r08_the_weights_module_reads_back_as_the_weights_written() -> None:
    weights = PairWeights(-0.5, {"toll": 0.25, "wishes": -1.5})
    namespace: dict[str, object] = {}
    exec(compile(weights_module(weights, "dev", 12), "pair_weights.py", "exec"), namespace)
    assert namespace["PAIR_WEIGHTS"] == weights


def test_r08_train_needs_says_what_is_missing_and_eval_needs_reads_the_corpus(tmp_path) -> None:
    from click.testing import CliRunner

    from callq.cli import main

    missing = CliRunner().invoke(main, ["train-needs", "--corpus", str(tmp_path),
                                        "--out", str(tmp_path / "other.py"),
                                        "--critical-out", str(tmp_path / "other2.py"),
                                        "--vectors-out", str(tmp_path / "other3.py")])
    assert missing.exit_code == 1 and "corpus in" in missing.output
    assert not any((tmp_path / f"other{n}.py").exists() for n in ("", "2", "3"))
    dev = CliRunner().invoke(main, ["eval-needs", "--split", "dev", "--no-misses"])
    assert dev.exit_code == 0 and "same-need accuracy" in dev.output
    assert "fitted without it" not in dev.output  # --unseen asks for it


def test_r08_train_needs_writes_nothing_when_the_corpus_is_too_small_for_one_model(
        tmp_path) -> None:
    # 40 development messages fit critical weights, but give too few words for the vectors:
    # no module is written, rather than critical weights that do not go with the others
    import csv

    from click.testing import CliRunner

    from callq.cli import main
    from callq.waiting.evaluation import read_rows

    for name, keep in (("needs_messages.csv", 20), ("needs_pairs.csv", 10),
                       ("needs_chasing.csv", 1)):
        dev = [r for r in read_rows(CORPUS / name) if r["split"] == "dev"]
        rows = ([r for r in dev if r.get("label") in ("critical", "same")][:keep]
                + [r for r in dev if r.get("label") not in ("critical", "same")][:keep])
        with (tmp_path / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    labels = {r["label"] for r in read_rows(tmp_path / "needs_messages.csv")}
    assert "critical" in labels and labels != {"critical"}  # enough to fit the critical weights
    outs = [tmp_path / f"out{n}.py" for n in range(3)]
    result = CliRunner().invoke(main, ["train-needs", "--corpus", str(tmp_path),
                                       "--out", str(outs[0]), "--critical-out", str(outs[1]),
                                       "--vectors-out", str(outs[2])])
    assert result.exit_code == 1 and "too few for 100 dimensions" in result.output
    assert not any(out.exists() for out in outs)


def test_r08_each_batch_is_judged_by_weights_fitted_without_its_own_labels() -> None:
    corpus = load(CORPUS)
    pairs = [row for row in corpus["pairs"] if row.split == "dev" and batch_of(row) in ("z", "b")]
    two = {**corpus, "pairs": pairs}
    figures = same_need_unseen(two)
    assert set(figures) == {"b", "z"} and figures["b"][1] == 120
    # b's labels flipped: z's weights are fitted on them and may change, but b is judged by
    # weights fitted on z alone, so every verdict on b that was right is now wrong and back.
    flipped = {**corpus, "pairs": [
        replace(row, label={"same": "different", "different": "same"}[row.label])
        if batch_of(row) == "b" else row for row in pairs]}
    right, total = figures["b"]
    assert same_need_unseen(flipped)["b"] == (total - right, total)
    assert 0 < right < total
