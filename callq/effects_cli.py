"""The `callq effects` commands: list the outbox's unfinished effects, retry failed ones
(callq.failed_effects does the work)."""

from __future__ import annotations

import click

from callq.failed_effects import NOT_DONE, listing, retry
from callq.status import EffectStatus


@click.group("effects")
def command() -> None:
    """The outbox: list effects not done, retry failed ones."""


@command.command("list")
@click.option("--failed", is_flag=True, help="Only the effects that failed for good.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10000))
def list_command(failed: bool, limit: int) -> None:
    """List the effects not done (pending, running, failed), with their last error."""
    from callq.cli import runtime_or_exit

    statuses = (EffectStatus.FAILED,) if failed else NOT_DONE
    lines = listing(runtime_or_exit(), statuses, limit)
    for line in lines:
        when = (line.failed_at or line.due_at).isoformat(timespec="seconds")
        click.echo(f"{line.id}\t{line.status}\t{line.kind}\t{line.key}\t"
                   f"attempts={line.attempts}\t{when}\t{line.error or ''}")
    click.echo(f"{len(lines)} effect(s)", err=True)


@command.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Retry every failed effect.")
def retry_command(ids: tuple[int, ...], every: bool) -> None:
    """Retry failed effects: the given IDs, or --all."""
    from callq.cli import runtime_or_exit

    if bool(ids) == every:
        raise click.UsageError("give the IDs of failed effects, or --all")
    done = retry(runtime_or_exit(), None if every else list(ids))
    missing = sorted(set(ids) - set(done))
    click.echo(f"{len(done)} effect(s) handed to the workers again")
    if missing:
        raise click.ClickException(
            f"not failed (or unknown), left alone: {', '.join(map(str, missing))}")
