"""The administration commands: `callq clients`, `callq absences`, `callq closures` (the use
cases of callq.admin do the work; every change is audited as "cli" or `callq --operator`)."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from callq.admin import absences, booked, client_import, clients, closures
from callq.admin.client_csv import CsvRefused

if TYPE_CHECKING:
    from callq.runtime import Runtime


def _runtime() -> Runtime:
    from callq.cli import runtime_or_exit  # the CLI's composition root (it imports this module)

    return runtime_or_exit()


def operator() -> str:
    """Who the audit log names: `callq --operator NAME`, else "cli"."""
    root = click.get_current_context().find_root()
    return str((root.obj or {}).get("operator") or "cli")


def _instant(runtime: Runtime, raw: str, option: str) -> datetime:
    try:
        instant = datetime.fromisoformat(raw)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date and time: {raw!r}",
                                 param_hint=option) from None
    if instant.utcoffset() is None:  # a wall time of the hotline
        instant = instant.replace(tzinfo=runtime.calendar().tz)
    try:
        return instant.astimezone(UTC)
    except OverflowError:
        raise click.BadParameter(f"out of range: {raw!r}", param_hint=option) from None


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise click.BadParameter(f"not a date (YYYY-MM-DD): {raw!r}") from None


# --- clients -------------------------------------------------------------------------------

@click.group("clients")
def clients_command() -> None:
    """Clients: list, import and export CSV (name,email,phones,language,product_version)."""


@clients_command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
def import_command(file: Path, dry_run: bool) -> None:
    """Create or update clients from a CSV file (matched by email or number)."""
    runtime = _runtime()
    try:
        text = client_import.decode_file(file.read_bytes())
        report = client_import.import_clients(runtime, text, actor=operator(), dry_run=dry_run,
                                              source=file.name)
    except CsvRefused as refused:
        for problem in refused.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        raise click.ClickException(f"nothing imported: {len(refused.problems)} bad "
                                   f"line(s)") from None
    for change in report.changes:
        click.echo(change)
    verb = "would be" if dry_run else "were"
    click.echo(f"{report.created} clients {verb} created, {report.updated} updated, "
               f"{report.unchanged} unchanged" + (" (dry run: nothing changed)" if dry_run
                                                   else ""))


@clients_command.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
def export_command(output: Path | None) -> None:
    """Write every client as CSV, in the columns import reads."""
    text = client_import.export_clients(_runtime())
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{text.count(chr(10)) - 1} clients written to {output}")


@clients_command.command("list")
@click.option("--search", default="", help="Name, email or digits of a number.")
def list_command(search: str) -> None:
    """List clients (the first 500 matching)."""
    rows, total = clients.search_clients(_runtime(), search, limit=500)
    for c in rows:
        click.echo(f"#{c.id}\t{c.name}\t{c.email or '-'}\t{';'.join(c.phones) or '-'}\t"
                   f"{c.language}\t{c.product_version or '-'}\t{c.version_status}")
    click.echo(f"{total} clients")


@clients_command.command("merge")
@click.argument("survivor", type=int)
@click.argument("duplicate", type=int)
def merge_command(survivor: int, duplicate: int) -> None:
    """Fold client DUPLICATE into SURVIVOR (numbers, entries and appointments follow)."""
    try:
        merged = clients.merge_clients(_runtime(), survivor, duplicate, actor=operator())
    except clients.Unknown as unknown:
        raise click.ClickException(f"no client #{unknown.args[0]}") from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"#{duplicate} merged into #{merged.id} {merged.name}")


# --- absences ------------------------------------------------------------------------------

@click.group("absences")
def absences_command() -> None:
    """Agents' absences (R12, R14): add, list, remove."""


@absences_command.command("add")
@click.option("--agent", "email", required=True, help="The agent's email.")
@click.option("--from", "start", required=True,
              help="Start (ISO; without an offset, the hotline's local time).")
@click.option("--to", "end", required=True, help="End (ISO, like --from).")
@click.option("--reason", default="", help="Why (shown to agents only).")
def absence_add(email: str, start: str, end: str, reason: str) -> None:
    """Enter an absence; the appointments it falls on are reassigned or their clients warned."""
    runtime = _runtime()
    try:
        agent_id = absences.agent_id_of(runtime, email)
        view, touched = absences.add_absence(
            runtime, agent_id=agent_id, starts_at=_instant(runtime, start, "--from"),
            ends_at=_instant(runtime, end, "--to"), reason=reason, actor=operator())
    except absences.Refused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"absence #{view.id} of {view.agent_email} added")
    echo_touched(touched)


def echo_touched(touched: list[booked.Touched]) -> None:
    """What R14 made of each appointment an absence, a closure or new hours fell on."""
    for t in touched:
        what = f"reassigned to {t.reassigned_to}" if t.reassigned_to else "client warned"
        click.echo(f"  appointment #{t.appointment_id} {t.starts_at.isoformat()} "
                   f"({t.client_name}): {what}")


@absences_command.command("list")
@click.option("--agent", "email", default=None, help="Only this agent's.")
@click.option("--all", "everything", is_flag=True, help="Past absences too.")
def absence_list(email: str | None, everything: bool) -> None:
    """List absences (those not over yet, unless --all)."""
    runtime = _runtime()
    try:
        agent_id = absences.agent_id_of(runtime, email) if email else None
    except absences.Refused as refused:
        raise click.ClickException(str(refused)) from None
    rows = absences.list_absences(runtime, agent_id=agent_id,
                                  since=None if everything else runtime.now())
    for a in rows:
        click.echo(f"#{a.id}\t{a.agent_email}\t{a.starts_at.isoformat()}\t"
                   f"{a.ends_at.isoformat()}\t{a.reason or '-'}")
    click.echo(f"{len(rows)} absences")


@absences_command.command("remove")
@click.argument("absence_id", type=int)
def absence_remove(absence_id: int) -> None:
    """Remove absence ABSENCE_ID."""
    try:
        view = absences.remove_absence(_runtime(), absence_id, actor=operator())
    except absences.Refused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"absence #{view.id} of {view.agent_email} removed")


# --- closures ------------------------------------------------------------------------------

@click.group("closures")
def closures_command() -> None:
    """Days the hotline is closed (R4): add, list, remove."""


@closures_command.command("add")
@click.argument("day")
@click.option("--label", default="", help="Said to callers: \"inventaire annuel\".")
def closure_add(day: str, label: str) -> None:
    """Close the hotline on DAY (YYYY-MM-DD); the clients booked that day are warned and
    offered other times."""
    try:
        view, touched = closures.add_closure(_runtime(), _day(day), label, actor=operator())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"closed on {view.day.isoformat()}" + (f": {view.label}" if view.label else ""))
    echo_touched(touched)


@closures_command.command("list")
@click.option("--all", "everything", is_flag=True, help="Past days too.")
def closure_list(everything: bool) -> None:
    """List closure days (from today on, unless --all)."""
    runtime = _runtime()
    today = runtime.calendar().local(runtime.now()).date()
    rows = closures.list_closures(runtime, since=None if everything else today)
    for c in rows:
        click.echo(f"{c.day.isoformat()}\t{c.label or '-'}")
    click.echo(f"{len(rows)} closure days")


@closures_command.command("remove")
@click.argument("day")
def closure_remove(day: str) -> None:
    """Open the hotline again on DAY (YYYY-MM-DD)."""
    try:
        view = closures.remove_closure(_runtime(), _day(day), actor=operator())
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    click.echo(f"{view.day.isoformat()} is open again")


COMMANDS = (clients_command, absences_command, closures_command)
