"""How much each thing two messages of one caller have in common weighs (R8), learned.

Whether a second message speaks of the open need is read from many small signs (a follow-up
phrase, a question beside a failure, shared words, what the failure costs, an error code...);
no one of them decides, and the order hand-written rules put them in generalised poorly to
callers who word things otherwise. So the signs are weighed together: a logistic regression,
fitted by Newton's method with an L2 penalty on the development pairs of the labelled corpus
(`callq train-needs`), never on the held-out ones. Pure: plain floats, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

L2 = 1.0  # penalty on the weights (not the intercept): keeps rare signs from deciding alone
TOLERANCE = 1e-10  # Newton's method stops when no weight moves more than this
MAX_STEPS = 100


@dataclass(frozen=True)
class PairWeights:
    """An intercept and one weight per sign: a positive score says "the same need"."""

    intercept: float
    weights: Mapping[str, float]

    def score(self, signs: Mapping[str, float]) -> float:
        """The log-odds that the second message speaks of the first one's need."""
        return self.intercept + sum(w * signs.get(name, 0.0) for name, w in self.weights.items())

    def strongest(self, signs: Mapping[str, float], count: int = 3) -> tuple[tuple[str, float],
                                                                            ...]:
        """The signs that weighed most in this decision, with their part of the score."""
        parts = [(name, w * signs.get(name, 0.0)) for name, w in self.weights.items()]
        return tuple(sorted((p for p in parts if p[1]), key=lambda p: -abs(p[1]))[:count])


def fit(samples: Sequence[Mapping[str, float]], labels: Sequence[bool], names: Sequence[str],
        l2: float = L2) -> PairWeights:
    """The weights that best tell `labels` (True: same need) from the signs of `samples`."""
    if len(samples) != len(labels) or not samples:
        raise ValueError("fit needs as many labels as samples, and at least one of each")
    rows = [[1.0, *(float(s.get(n, 0.0)) for n in names)] for s in samples]
    targets = [1.0 if label else 0.0 for label in labels]
    theta = [0.0] * (len(names) + 1)
    for _ in range(MAX_STEPS):
        gradient = [l2 * t if j else 0.0 for j, t in enumerate(theta)]
        hessian = [[l2 if (i == j and i) else 0.0 for j in range(len(theta))]
                   for i in range(len(theta))]
        for row, target in zip(rows, targets, strict=True):
            p = _sigmoid(sum(t * x for t, x in zip(theta, row, strict=True)))
            weight = p * (1.0 - p)
            for i, xi in enumerate(row):
                if not xi:
                    continue
                gradient[i] += (p - target) * xi
                line = hessian[i]
                for j, xj in enumerate(row):
                    line[j] += weight * xi * xj
        step = _solve(hessian, gradient)
        theta = [t - s for t, s in zip(theta, step, strict=True)]
        if max(abs(s) for s in step) < TOLERANCE:
            break
    return PairWeights(theta[0], dict(zip(names, theta[1:], strict=True)))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """x with matrix · x = vector (Gaussian elimination, partial pivoting)."""
    n = len(vector)
    a = [[*row, v] for row, v in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-300:
            raise ValueError("the signs are not independent: one never varies or copies another")
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x
