"""How near in meaning two need words are (R8): vectors from the company words keep, and the
same-need signs read from them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from callq.waiting import kinship
from callq.waiting.evaluation import CORPUS, Labelled, batch_of, load, train_vectors
from callq.waiting.kinship import SCALE, Kinship
from callq.waiting.needs import NEAR, judge, pair_signs
from callq.waiting.pair_weights import PAIR_WEIGHTS


def test_r08_words_that_keep_the_same_company_are_near() -> None:
    # "sms" and "texto" are never in one message, but both keep the company of reminders the
    # day before; "sauvegarde" keeps that of disks and nights
    messages = ([{"sms", "rappel", "veille", "patient"}, {"texto", "rappel", "veille", "client"},
                 {"sms", "rendez", "veille"}, {"texto", "rendez", "rappel"},
                 {"sauvegarde", "disque", "nuit"}, {"sauvegarde", "serveur", "nuit", "disque"},
                 {"serveur", "disque", "plein"}, {"patient", "client", "rendez"}] * 3)
    near = kinship.build(messages, dimensions=3)
    assert set(near.vectors) == set().union(*messages)
    assert near.near(["sms"], ["texto"]) > 0.5 > near.near(["sms"], ["sauvegarde"])
    assert near.near(["sms"], ["texto", "sauvegarde"]) == near.near(["sms"], ["texto"])
    for vector in near.vectors.values():  # unit vectors, one signed byte a number
        assert all(-SCALE <= x <= SCALE for x in vector)
        assert sum(x * x for x in vector) == pytest.approx(SCALE * SCALE, rel=0.05)


def test_r08_a_word_seen_too_rarely_or_too_few_words_give_no_vector() -> None:
    near = kinship.build([{"a", "b", "c", "d"}, {"a", "b", "c", "d"}, {"e", "a"}], dimensions=2)
    assert "e" not in near.vectors and near.near(["e"], ["a"]) == 0.0
    with pytest.raises(ValueError, match="too few for 100 dimensions"):
        kinship.build([{"a", "b"}, {"a", "b"}])


def test_r08_nearness_without_a_vector_on_either_side_is_none() -> None:
    near = Kinship({"sms": (SCALE, 0), "texto": (0, SCALE)})
    assert near.near([], ["sms"]) == near.near(["sms"], []) == near.near(["fax"], ["sms"]) == 0.0
    assert near.near(["sms"], ["sms"]) == 1.0 and near.near(["sms"], ["texto"]) == 0.0
    assert Kinship({}).near(["sms"], ["sms"]) == 0.0


def test_r08_the_vectors_read_back_as_written() -> None:
    near = Kinship({"sms": (127, -127, 0, -1), "texto": (5, -6, 7, -128)})
    back = Kinship.decoded(near.encoded())
    assert {w: list(v) for w, v in back.vectors.items()} == {"sms": [127, -127, 0, -1],
                                                             "texto": [5, -6, 7, -128]}
    assert back.near(["sms"], ["texto"]) == near.near(["sms"], ["texto"])


@pytest.mark.parametrize(("first", "second"), [
    ("clinique des tilleuls les vaccins ne génèrent plus de rappel",
     "clinique des tilleuls les propriétaires ne sont plus prévenus pour la piqûre annuelle"),
    ("hôtel du lac les badges des chambres s'encodent plus",
     "hôtel du lac les clés magnétiques restent vierges"),
])
def test_r08_a_need_told_in_words_the_thesaurus_does_not_know_is_the_open_one(
        first: str, second: str) -> None:
    verdict = judge(first, second, existing_vague=False, new_vague=False)
    assert verdict.same and verdict.by == "weights" and verdict.signs is not None
    # what decides is how near the words are in meaning: without it, another need
    assert min(verdict.signs["near_second"], verdict.signs["near_first"]) > 0.4
    assert PAIR_WEIGHTS.score({n: v for n, v in verdict.signs.items() if n not in NEAR}) < 0


def test_r08_words_the_thesaurus_knows_and_how_bad_are_not_read_for_nearness() -> None:
    # The backup and the accounting export keep the same company, yet are two needs: the
    # thesaurus knows both and tells them apart; "ne se lance plus" says how bad, not what.
    signs = pair_signs("la sauvegarde ne se lance plus depuis ce matin",
                       "l'export comptable échoue")
    assert signs["near_second"] == signs["near_first"] == 0.0
    assert not judge("la sauvegarde ne se lance plus depuis ce matin",
                     "l'export comptable échoue", existing_vague=False, new_vague=False).same


def test_r08_the_vectors_read_no_label_and_no_held_out_text() -> None:
    # A few batches beside the held-out part, so the build stays small: held-out texts
    # rewritten and every pair's label changed, the same vectors; a development text
    # rewritten, not.
    corpus = load(CORPUS)
    small = {"messages": [r for r in corpus["messages"] if batch_of(r) in ("k", "o", "n")],
             "pairs": [r for r in corpus["pairs"] if batch_of(r) in ("z", "q")],
             "chasing": []}
    assert {r.split for part in small.values() for r in part} == {"dev", "heldout"}
    near, messages = train_vectors(small)
    assert messages == len({t for part in small.values() for r in part if r.split == "dev"
                            for t in r.texts})

    def rewritten(part: str, row: Labelled) -> Labelled:
        if row.split == "heldout":
            return replace(row, texts=tuple("tva dsn urssaf" for _ in row.texts),
                           label=row.label if part == "messages" else "different")
        return replace(row, label="same" if part == "pairs" else row.label)

    other = {part: [rewritten(part, r) for r in rows] for part, rows in small.items()}
    assert train_vectors(other)[0] == near
    changed = {**small, "pairs": [replace(r, texts=("tva dsn urssaf", "tva dsn urssaf"))
                                  if r.split == "dev" else r for r in small["pairs"]]}
    assert train_vectors(changed)[0] != near
    # a batch left out (same_need_unseen judges each batch with vectors built without it)
    assert train_vectors(small, without="z")[0] != near
