"""The setup commands: `callq hours`, `callq series`, `callq texts` (what /admin/hours,
/admin/series and /admin/texts do; callq.admin does the work, every change audited)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from callq import i18n
from callq.admin import hours, series, texts
from callq.admin_cli import echo_touched, operator
from callq.waiting.versions import shown_series
from scheduling.calendar import BusinessCalendar, CalendarSpec, spec_from_dict, spec_to_dict

if TYPE_CHECKING:
    from callq.runtime import Runtime


def _runtime() -> Runtime:
    from callq.cli import runtime_or_exit  # the CLI's composition root (it imports this module)

    return runtime_or_exit()


# --- hours ---------------------------------------------------------------------------------

@click.group("hours")
def hours_command() -> None:
    """Weekly hours and holidays (R4): show, preview, set, reset."""


@hours_command.command("show")
def hours_show() -> None:
    """Print the hours in force, as JSON (the shape `set` reads)."""
    current = hours.current_hours(_runtime())
    click.echo(json.dumps(spec_to_dict(current.spec), ensure_ascii=False, indent=1))
    # On standard error: `callq hours show > hours.json` gives a file `set` reads back.
    click.echo("saved by an administrator" if current.stored
               else "the starting point (CALLQ_CALENDAR): nothing saved", err=True)


def _spec(file: Path) -> CalendarSpec:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        spec = spec_from_dict({"name": file.stem, **data})
        BusinessCalendar(spec)  # an unknown country or subdivision is refused here
    except (ValueError, KeyError, TypeError, AttributeError, NotImplementedError) as exc:
        raise click.ClickException(f"{file}: {exc!r}") from None
    return spec


def _print_preview(runtime: Runtime, spec: CalendarSpec) -> None:
    for day in hours.preview_hours(runtime, spec):
        spans = ", ".join(f"{start:%H:%M}-{end:%H:%M} {mode}" for start, end, mode in day.spans)
        click.echo(f"{day.day:%a %Y-%m-%d}\t{day.holiday or spans or 'closed'}\t"
                   f"{day.slots} slots")


@hours_command.command("preview")
@click.argument("file", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def hours_preview(file: Path | None) -> None:
    """The next four weeks under FILE's hours (default: the hours in force)."""
    runtime = _runtime()
    _print_preview(runtime, _spec(file) if file else hours.current_hours(runtime).spec)


@hours_command.command("set")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def hours_set(file: Path) -> None:
    """Save the hours of a JSON file (the shape `show` prints); prints the next four weeks,
    then the appointments the new hours no longer hold (their clients warned, R14)."""
    runtime = _runtime()
    spec = _spec(file)
    touched = hours.save_hours(runtime, spec, actor=operator())
    _print_preview(runtime, spec)
    click.echo("hours saved: every process uses them within a minute")
    echo_touched(touched)


@hours_command.command("reset")
def hours_reset() -> None:
    """Forget the saved hours: CALLQ_CALENDAR's apply again (appointments they no longer
    hold: their clients warned, R14)."""
    spec, touched = hours.reset_hours(_runtime(), actor=operator())
    click.echo(f"hours back to the starting point ({spec.name})")
    echo_touched(touched)


# --- series --------------------------------------------------------------------------------

@click.group("series")
def series_command() -> None:
    """Product series (R9): show, set, reset."""


@series_command.command("show")
def series_show() -> None:
    """Print the supported and on-quote series."""
    policy, stored = series.current_series(_runtime())
    click.echo(f"supported: {shown_series(policy.supported)}")
    click.echo(f"on quote: {shown_series(policy.on_quote) or '-'}")
    click.echo("saved by an administrator" if stored else "from CALLQ_CURRENT_SERIES")


@series_command.command("set")
@click.option("--supported", required=True, help="Supported series: \"2026, 2025\".")
@click.option("--on-quote", default="", help="Series supported on quote: \"2024\".")
def series_set(supported: str, on_quote: str) -> None:
    """Save the series; any other older one is out of support."""
    try:
        policy = series.policy_from(supported, on_quote)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    series.save_series(_runtime(), policy, actor=operator())
    click.echo(f"supported {shown_series(policy.supported)}; on quote "
               f"{shown_series(policy.on_quote) or '-'}")


@series_command.command("reset")
def series_reset() -> None:
    """Back to CALLQ_CURRENT_SERIES."""
    policy = series.reset_series(_runtime(), actor=operator())
    click.echo(f"supported {shown_series(policy.supported)}; on quote "
               f"{shown_series(policy.on_quote)}")


# --- texts ---------------------------------------------------------------------------------

LANG = click.option("--lang", type=click.Choice(i18n.languages()), default=i18n.DEFAULT,
                    show_default=True, help="Language of the wording.")


@click.group("texts")
def texts_command() -> None:
    """Voice prompts and email/SMS texts: list, preview, set, reset."""


@texts_command.command("list")
@LANG
@click.option("--reworded", is_flag=True, help="Only the texts an administrator reworded.")
def texts_list(lang: str, reworded: bool) -> None:
    """Every rewordable text, numbered: N, kind, wording in force."""
    for view in texts.list_texts(_runtime(), lang):
        if view.override or not reworded:
            mark = "*" if view.override else " "
            shown = (view.override or view.default).replace("\n", " ")
            click.echo(f"{view.index}{mark}\t{view.wording.group}\t{shown}")


@texts_command.command("preview")
@click.argument("number", type=int)
@click.argument("wording")
def texts_preview(number: int, wording: str) -> None:
    """WORDING for text NUMBER with sample values (refused like `set` would be)."""
    try:
        click.echo(texts.preview(texts.wording_at(number).message, wording))
    except texts.Refused as refused:
        raise click.ClickException(str(refused)) from None


@texts_command.command("set")
@click.argument("number", type=int)
@click.argument("wording")
@LANG
def texts_set(number: int, wording: str, lang: str) -> None:
    """Say WORDING instead of text NUMBER in LANG (from the next minute on)."""
    try:
        texts.set_text(_runtime(), lang, number, wording, actor=operator())
    except texts.Refused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"text {number} ({lang}) reworded")


@texts_command.command("reset")
@click.argument("number", type=int)
@LANG
def texts_reset(number: int, lang: str) -> None:
    """Go back to the catalog's wording of text NUMBER in LANG."""
    try:
        texts.reset_text(_runtime(), lang, number, actor=operator())
    except texts.Refused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"text {number} ({lang}) back to its default wording")


COMMANDS = (hours_command, series_command, texts_command)
