"""`callq eval-needs`: how well the need rules do on the labelled corpus (R6-R8), per part."""

from __future__ import annotations

from pathlib import Path

import click

from callq.waiting.evaluation import (
    CLASSES,
    CORPUS,
    SPLITS,
    Figures,
    Unseen,
    critical_module,
    critical_unseen,
    evaluate,
    load,
    same_need_unseen,
    train_critical,
    train_pairs,
    train_vectors,
    vectors_module,
    weights_module,
)
from callq.waiting.pair_model import PairWeights

WEIGHTS = Path(__file__).resolve().parent / "waiting" / "pair_weights.py"
CRITICAL = Path(__file__).resolve().parent / "waiting" / "critical_weights.py"
VECTORS = Path(__file__).resolve().parent / "waiting" / "need_vectors.py"

# The targets on the held-out part; the bench's `needs` suite reports against them too.
TARGETS = {"exact": 0.90, "vague_recall": 0.95, "stated_as_vague": 0.02, "same_need": 0.95}


def report(f: Figures, *, misses: bool = True) -> str:
    """The figures of one part as text: per-class table, confusion table, pairs, misses."""
    lines = [f"== {f.split}: {f.messages} messages, {f.pairs[1]} pairs, "
             f"{f.chasing[1]} chasing",
             f"exact tier-or-vague {f.exact():.1%} (target >= {TARGETS['exact']:.0%})",
             f"vague recall {f.recall('vague'):.1%} (target >= {TARGETS['vague_recall']:.0%}), "
             f"stated needs taken for vague {f.stated_taken_for_vague():.1%} "
             f"(target <= {TARGETS['stated_as_vague']:.0%})",
             f"critical ranked below high: {f.critical_below_high()} (target 0)",
             f"same-need accuracy {f.same_need_accuracy():.1%} ({f.pairs[0]}/{f.pairs[1]}, "
             f"target >= {TARGETS['same_need']:.0%})",
             f"chasing taken as vague and attached {f.chasing_accuracy():.1%} "
             f"({f.chasing[0]}/{f.chasing[1]})",
             "", f"{'class':<9} {'precision':>9} {'recall':>7}"]
    lines += [f"{c:<9} {f.precision(c):>9.1%} {f.recall(c):>7.1%}" for c in CLASSES]
    lines += ["", "expected \\ got " + " ".join(f"{c:>8}" for c in CLASSES)]
    lines += [f"{e:<15}" + " ".join(f"{f.confusion.get((e, g), 0):>8}" for g in CLASSES)
              for e in CLASSES]
    if misses and f.misses:
        lines += ["", f"misses ({len(f.misses)}):"]
        lines += [f"  {m.id}: expected {m.expected}, got {m.got}: {m.text!r} [{m.why}]"
                  for m in f.misses]
    return "\n".join(lines)


@click.command("eval-needs")
@click.option("--split", "splits", type=click.Choice([*SPLITS, "all"]), multiple=True,
              help="Part(s) of the corpus to measure (default: dev, then heldout).")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=CORPUS,
              show_default=True, help="Folder holding needs_messages/pairs/chasing.csv.")
@click.option("--misses/--no-misses", default=True, show_default=True,
              help="List every message or pair the rules got wrong.")
@click.option("--unseen", is_flag=True,
              help="Also judge each batch of development pairs and messages by weights fitted "
                   "without it (how the learned parts do on callers they were not fitted on).")
def command(splits: tuple[str, ...], corpus: Path, misses: bool, unseen: bool) -> None:
    """Measure need classification and same-need matching on the labelled corpus."""
    try:
        data = load(corpus)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    for split in splits or SPLITS:
        click.echo(report(evaluate(data, split), misses=misses))
        if unseen and split == "dev":
            batches = same_need_unseen(data, split)
            right, total = (sum(part) for part in zip(*batches.values(), strict=True))
            click.echo(f"same-need, each batch of pairs judged by weights fitted without it: "
                       f"{right / total:.1%} ({right}/{total}; "
                       + ", ".join(f"{b} {r}/{n}" for b, (r, n) in batches.items()) + ")")
            click.echo(unseen_messages(critical_unseen(data, split)))
        click.echo("")


def unseen_messages(batches: dict[str, Unseen]) -> str:
    """The critical weights' figures per batch of messages judged unseen, beside the rules."""
    rules = [sum(b.rules[i] for b in batches.values()) for i in range(4)]
    raised = [sum(b.raised[i] for b in batches.values()) for i in range(4)]
    total = sum(b.messages for b in batches.values())
    return (f"tiers, each batch of messages raised by critical weights fitted without it "
            f"(rules alone -> raised): right {rules[0]} -> {raised[0]} of {total}, critical "
            f"ranked below high {rules[1]} -> {raised[1]}, critical read lower {rules[2]} -> "
            f"{raised[2]}, others read critical {rules[3]} -> {raised[3]}")


@click.command("train-needs")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=CORPUS,
              show_default=True, help="Folder holding needs_messages.csv and needs_pairs.csv.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=WEIGHTS,
              show_default=True, help="Python module to write the same-need weights to.")
@click.option("--critical-out", type=click.Path(dir_okay=False, path_type=Path),
              default=CRITICAL, show_default=True,
              help="Python module to write the critical weights to.")
@click.option("--vectors-out", type=click.Path(dir_okay=False, path_type=Path),
              default=VECTORS, show_default=True,
              help="Python module to write the need words' vectors to.")
def train(corpus: Path, out: Path, critical_out: Path, vectors_out: Path) -> None:
    """Fit the critical weights, build the need words' vectors, then fit the same-need
    weights with them, on the development part (never the held-out one)."""
    try:
        data = load(corpus)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    # everything is fitted before anything is written: a corpus too small for one of them
    # leaves the three modules as they were, never a set that does not belong together
    try:
        critical, messages = train_critical(data, "dev")
        near, texts = train_vectors(data, "dev")
        weights, pairs = train_pairs(data, "dev", near=near)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    critical_out.write_text(critical_module(critical, "dev", messages), encoding="utf-8")
    click.echo(f"critical: fitted on {messages} development messages, written to {critical_out}")
    _strongest(critical)
    vectors_out.write_text(vectors_module(near, "dev", texts), encoding="utf-8")
    click.echo(f"need words' vectors: {len(near.vectors)} words, built from {texts} "
               f"development messages, written to {vectors_out}")
    out.write_text(weights_module(weights, "dev", pairs), encoding="utf-8")
    click.echo(f"same need: fitted on {pairs} development pairs, written to {out}")
    _strongest(weights)


def _strongest(weights: PairWeights, count: int = 25) -> None:
    for name, value in sorted(weights.weights.items(), key=lambda item: -abs(item[1]))[:count]:
        click.echo(f"  {name:<24} {value:+.3f}")
    click.echo(f"  {'(intercept)':<24} {weights.intercept:+.3f}")
