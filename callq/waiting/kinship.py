"""How near in meaning two need words are, learned from the callers' own words (R8).

Callers name one thing many ways ("les badges des chambres s'encodent plus", "les clés
magnétiques restent vierges"), and the thesaurus and the weights of word couples only know the
ways the development pairs happened to pair. So each need word gets a vector from the company
it keeps: in every development message (the messages, both sides of the pairs, the chasing
ones), each need word beside each other one is counted; the counts become positive pointwise
mutual information (the context words' counts raised to SMOOTHING, so that rare words do not
look close to everything), and the matrix is cut to DIMENSIONS by a truncated singular value
decomposition. Words that keep the same company are near ("sms" and "texto": 0.72; "sms" and a
word drawn at random: -0.01 on average). The vectors are centred (what every word has in common
taken away), so that everyday words are not near everything. Labels play no part: no pair says
which words are near.

Vectors are kept to one byte a number (a cosine moves by 0.003 on average, 0.011 at most, in a
trial of a thousand), so the module `callq train-needs` writes stays small (640 kB for some
4,100 words) and the runtime reads them with integer sums: the same nearness on every machine.
Building needs numpy; reading them needs nothing. Pure: no I/O.
"""

from __future__ import annotations

import base64
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import mul
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# Chosen on dev pairs judged by weights fitted without their batch, each batch's vectors built
# without its texts, with a first form of the sign (one, the second's words toward the first's,
# vectors not centred; 9,326 of 10,043 without it): 50 dimensions 9,395, 100 9,405, 200 9,393
DIMENSIONS = 100
LEAST = 2  # messages a word must be seen in to get a vector (3: 9,397)
SMOOTHING = 0.75  # power on the context words' counts (1.0, none: 9,384)
SCALE = 127  # one signed byte a number
OVERSAMPLE, POWER = 10, 5  # the randomized decomposition: spare directions, power iterations
SEED = 0


@dataclass(frozen=True)
class Kinship:
    """Each need word's vector, of unit length times SCALE, in whole numbers (one signed byte
    each: 1.5 MB for the shipped vectors and their words, against 8.4 MB as tuples)."""

    vectors: Mapping[str, Sequence[int]]

    def near(self, words: Iterable[str], others: Iterable[str]) -> float:
        """For each of `words` with a vector, the cosine of the nearest of `others` with one,
        averaged: 0 when either side has none."""
        mine = [v for w in words if (v := self.vectors.get(w)) is not None]
        theirs = [v for w in others if (v := self.vectors.get(w)) is not None]
        if not mine or not theirs:
            return 0.0
        best: list[int] = [max(sum(map(mul, v, o)) for o in theirs) for v in mine]
        return sum(best) / (len(best) * SCALE * SCALE)

    def encoded(self) -> dict[str, str]:
        """The vectors as text (base64 of the signed bytes), in the words' order."""
        return {w: base64.b64encode(array("b", v).tobytes()).decode("ascii")
                for w, v in sorted(self.vectors.items())}

    @classmethod
    def decoded(cls, encoded: Mapping[str, str]) -> Kinship:
        """The vectors `encoded` wrote."""
        return cls({w: array("b", base64.b64decode(text)) for w, text in encoded.items()})


def build(messages: Sequence[Iterable[str]], dimensions: int = DIMENSIONS,
          least: int = LEAST, smoothing: float = SMOOTHING) -> Kinship:
    """Vectors for the need words of `messages` (each the set of one message's need lemmas)
    seen in at least `least` of them."""
    import numpy as np  # noqa: F811 (only to build: reading the vectors needs no numpy)

    docs = [sorted(set(words)) for words in messages]
    seen = Counter(w for words in docs for w in words)
    vocabulary = sorted(w for w, count in seen.items() if count >= least)
    if len(vocabulary) <= dimensions:
        raise ValueError(f"{len(vocabulary)} words seen {least} times or more: too few for "
                         f"{dimensions} dimensions")
    index = {w: i for i, w in enumerate(vocabulary)}
    counts = np.zeros((len(vocabulary), len(vocabulary)))
    for words in docs:
        at = [index[w] for w in words if w in index]
        if len(at) > 1:
            counts[np.ix_(at, at)] += 1.0
    np.fill_diagonal(counts, 0.0)
    rows = counts.sum(axis=1)
    contexts = rows ** smoothing
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts * contexts.sum() / np.outer(rows, contexts))
    matrix = np.where(counts > 0, np.maximum(pmi, 0.0), 0.0)
    vectors = _truncated(matrix, dimensions, np.random.default_rng(SEED))
    # less what every word has in common: centred, two words that keep everyday company
    # ("miser" of "mise à jour", "facture") are no longer near (the two signs weighed as
    # plain ones, all need words read: 9,413 -> 9,421 of 10,043)
    vectors -= vectors.mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    scaled = np.rint(unit * SCALE).astype(int)
    return Kinship({w: array("b", scaled[i].tolist()) for w, i in index.items()
                    if norms[i, 0] > 0})


def _truncated(matrix: np.ndarray, dimensions: int, rng: np.random.Generator) -> np.ndarray:
    """The rows of `matrix` in its `dimensions` strongest directions (U times the singular
    values), by a randomized decomposition (Halko, Martinsson and Tropp, 2011)."""
    import numpy as np  # noqa: F811

    sample = matrix @ rng.standard_normal((matrix.shape[1], dimensions + OVERSAMPLE))
    for _ in range(POWER):
        sample, _ = np.linalg.qr(sample)
        sample, _ = np.linalg.qr(matrix.T @ sample)
        sample = matrix @ sample
    basis, _ = np.linalg.qr(sample)
    small_u, values, _ = np.linalg.svd(basis.T @ matrix, full_matrices=False)
    rows: np.ndarray = (basis @ small_u[:, :dimensions]) * values[:dimensions]
    return rows

