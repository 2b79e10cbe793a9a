"""How much each thing two messages of one caller have in common weighs (R8), learned.

Whether a second message speaks of the open need is read from many small signs (a follow-up
phrase, a question beside a failure, shared words, what the failure costs, an error code...);
no one of them decides, and the order hand-written rules put them in generalised poorly to
callers who word things otherwise. So the signs are weighed together: a logistic regression,
fitted by L-BFGS with an L2 penalty on the development pairs of the labelled corpus (`callq
train-needs`), never on the held-out ones. The signs are sparse (each need word of the second
message is one), so the fit keeps each sample as the few signs it holds. Pure: plain floats,
no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

L2 = 1.0  # penalty on the weights (not the intercept): keeps rare signs from deciding alone
# The penalty on the sparse signs beyond the first `plain` ones (for pairs, the words of a need:
# "second:facture"), three times as strong: each is seen in a few pairs, and a handful of them
# had come to outweigh the sign that the two needs name different things (an email about
# billing after a voicemail about a printer: another need). Twice as strong held with 5,845
# development pairs (5,339 -> 5,345 judged by weights fitted without their batch, with the
# `other_concepts` sign); with 7,193, whose batches lean more often to "the same need",
# "impossible" in the second message weighed the email back into the printer's need, and
# three times as strong gives 6,514 -> 6,516 (four: 6,510).
WORDS_L2 = 3.0
TOLERANCE = 1e-4  # the fit stops when no part of the gradient is larger than this (closer,
# the loss no longer falls but by rounding: on 1,244 pairs, 1e-5 took 1,000 steps of some 20
# line-search tries each, 117 s, for weights within 5e-6 of these and no verdict changed)
MAX_STEPS = 1000
MEMORY = 10  # past steps L-BFGS keeps to shape the next one


@dataclass(frozen=True)
class PairWeights:
    """An intercept and one weight per sign: a positive score says the positive class (for
    pairs "the same need", for the critical weights "critical")."""

    intercept: float
    weights: Mapping[str, float]

    def score(self, signs: Mapping[str, float]) -> float:
        """The log-odds of the positive class (for pairs, that the second message speaks of
        the first one's need). Summed over the signs present, not the thousands of weights,
        and exactly rounded (fsum): the same score whatever order the signs come in."""
        weights = self.weights
        return math.fsum([self.intercept, *(weights[name] * value for name, value in signs.items()
                                            if value and name in weights)])

    def strongest(self, signs: Mapping[str, float], count: int = 3) -> tuple[tuple[str, float],
                                                                            ...]:
        """The signs that weighed most in this decision, with their part of the score."""
        parts = [(name, w * signs.get(name, 0.0)) for name, w in self.weights.items()]
        return tuple(sorted((p for p in parts if p[1]), key=lambda p: -abs(p[1]))[:count])


def vocabulary(samples: Sequence[Mapping[str, float]], always: Sequence[str] = (),
               least: int = 2) -> tuple[str, ...]:
    """The signs worth a weight: `always`, then every other sign found in at least `least`
    samples (a word seen once would only learn that sample's label), in order."""
    seen: dict[str, int] = {}
    for sample in samples:
        for name, value in sample.items():
            if value:
                seen[name] = seen.get(name, 0) + 1
    kept = set(always)
    return (*always, *sorted(n for n, count in seen.items() if count >= least and n not in kept))


def fit(samples: Sequence[Mapping[str, float]], labels: Sequence[bool], names: Sequence[str],
        l2: float = L2, *, plain: int | None = None, words_l2: float = WORDS_L2) -> PairWeights:
    """The weights that best tell `labels` (True: the positive class) from the signs of
    `samples`: the L2-penalised logistic loss minimised by L-BFGS over sparse rows (a need's
    words are thousands of signs, each message holds a few dozen). With `plain`, the first
    `plain` names take the penalty `l2` and the others `words_l2`; without, all take `l2`."""
    if len(samples) != len(labels) or not samples:
        raise ValueError("fit needs as many labels as samples, and at least one of each")
    column = {name: j for j, name in enumerate(names, start=1)}
    # In the order of `names`, whatever order a sample's signs came in: the same sums, so
    # the same weights, from one run to the next.
    rows = [[(0, 1.0), *sorted((column[n], float(v)) for n, v in s.items() if n in column and v)]
            for s in samples]
    targets = [1.0 if label else 0.0 for label in labels]
    theta = [0.0] * (len(names) + 1)
    penalty = [0.0] + [l2 if plain is None or j < plain else words_l2 for j in range(len(names))]
    theta = _minimise(lambda t: _loss_and_gradient(t, rows, targets, penalty), theta)
    return PairWeights(theta[0], dict(zip(names, theta[1:], strict=True)))


def _loss_and_gradient(theta: list[float], rows: list[list[tuple[int, float]]],
                       targets: list[float], penalty: list[float]) -> tuple[float, list[float]]:
    loss = 0.5 * sum(p * t * t for p, t in zip(penalty, theta, strict=True))
    gradient = [p * t for p, t in zip(penalty, theta, strict=True)]
    for row, target in zip(rows, targets, strict=True):
        z = sum(theta[j] * x for j, x in row)
        # log(1 + e^z) - target * z, written so that neither exponential overflows
        loss += (z if z > 0 else 0.0) + math.log1p(math.exp(-abs(z))) - target * z
        error = _sigmoid(z) - target
        for j, x in row:
            gradient[j] += error * x
    return loss, gradient


def _minimise(objective: Callable[[list[float]], tuple[float, list[float]]],
              theta: list[float]) -> list[float]:
    """L-BFGS with a backtracking (Armijo) line search, from `theta`."""
    loss, gradient = objective(theta)
    memory: list[tuple[list[float], list[float], float]] = []  # (s, y, 1 / y·s)
    for _ in range(MAX_STEPS):
        if max(abs(g) for g in gradient) < TOLERANCE:
            break
        direction = _direction(gradient, memory)
        slope = _dot(gradient, direction)
        if slope >= 0:  # not a descent direction: start again from the gradient
            memory.clear()
            direction = [-g for g in gradient]
            slope = _dot(gradient, direction)
        step = 1.0
        while True:
            moved = [t + step * d for t, d in zip(theta, direction, strict=True)]
            new_loss, new_gradient = objective(moved)
            if new_loss <= loss + 1e-4 * step * slope or step < 1e-12:
                break
            step /= 2
        s = [m - t for m, t in zip(moved, theta, strict=True)]
        y = [n - g for n, g in zip(new_gradient, gradient, strict=True)]
        ys = _dot(y, s)
        if ys > 1e-12:
            memory.append((s, y, 1.0 / ys))
            del memory[:-MEMORY]
        if step < 1e-12:
            break  # no step lowers the loss but by rounding: the minimum, as near as it gets
        theta, loss, gradient = moved, new_loss, new_gradient
    return theta


def _direction(gradient: list[float],
               memory: list[tuple[list[float], list[float], float]]) -> list[float]:
    """L-BFGS's two-loop recursion: minus the inverse Hessian's estimate times the gradient."""
    q = list(gradient)
    alphas = []
    for s, y, rho in reversed(memory):
        alpha = rho * _dot(s, q)
        alphas.append(alpha)
        q = [qi - alpha * yi for qi, yi in zip(q, y, strict=True)]
    if memory:
        s, y, _ = memory[-1]
        scale = _dot(s, y) / _dot(y, y)
        q = [scale * qi for qi in q]
    for (s, y, rho), alpha in zip(memory, reversed(alphas), strict=True):
        beta = rho * _dot(y, q)
        q = [qi + (alpha - beta) * si for qi, si in zip(q, s, strict=True)]
    return [-qi for qi in q]


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
