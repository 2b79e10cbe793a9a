"""`/reports/`: the hotline's figures for any period, for administrators (agents get 403):
tables and charts, every table as CSV (`/reports/export.csv?table=...&from=...&to=...`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, current_app, g, render_template, request
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException

from callq import formats
from callq.i18n import gettext
from callq.reports import charts, labels
from callq.reports.figures import NAMES, read_report
from callq.reports.tables import Period, Report, ReportError, Table
from callq.waiting.service_levels import ClockName
from callq.workspace.views import show_error

if TYPE_CHECKING:
    from callq.runtime import Runtime

blueprint = Blueprint("reports", __name__, url_prefix="/reports")
blueprint.register_error_handler(HTTPException, show_error)
DEFAULT_DAYS = 30


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["callq"]
    return runtime


@blueprint.before_request
@login_required
def _administrators_only() -> None:
    if not current_user.is_admin:
        abort(403, description=gettext("The reports are for administrators.",
                                       g.get("lang", "fr")))


def _day(name: str, default: date) -> date:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, description=f"{name} must be a date written YYYY-MM-DD, not {raw[:40]!r}")


def period_asked() -> Period:
    """The period of `?from=&to=` (local dates, both included); the last 30 days by default."""
    runtime = _runtime()
    today = runtime.calendar().local(runtime.now()).date()
    end = _day("to", today)
    start = _day("from", end - timedelta(days=DEFAULT_DAYS - 1))
    try:
        return Period(start, end)
    except ReportError as refused:
        abort(400, description=str(refused))


@blueprint.get("/")
def page() -> str:
    """The period's tables and charts."""
    lang, period = g.get("lang", "fr"), period_asked()
    report = read_report(_runtime(), period)
    return render_template("reports/page.html", report=report, period=period,
                           tables=[shown(report.table(name), lang) for name in NAMES],
                           charts=drawn(report, lang), lang=lang)


@blueprint.get("/export.csv")
def export() -> Response:
    """One table as CSV: `?table=volume|service|outcomes|appointments|daily&from=&to=`."""
    name = request.args.get("table", "")
    if name not in NAMES:
        abort(400, description=f"table must be one of {', '.join(NAMES)}")
    period = period_asked()
    table = read_report(_runtime(), period, only=(name,)).table(name)
    filename = f"callq-{name}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(table.as_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def shown(table: Table, lang: str) -> dict[str, Any]:
    """A table as the page shows it: title, headers and formatted cells."""
    grouped = table.columns[:2] == ("by", "group")
    keys = table.columns[2:] if grouped else table.columns
    written: dict[Any, str] = {}  # a year's days repeat their counts: each written once
    rows = []
    for row in table.rows:
        cells = []
        for value in row[2:] if grouped else row:
            key = (type(value), value)
            cell = written.get(key)
            if cell is None:
                cell = written[key] = _cell(value, lang)
            cells.append(cell)
        if grouped:
            cells.insert(0, labels.group_label(str(row[0]), str(row[1]), lang))
        elif table.name == "daily":
            cells[0] = formats.short_day(date.fromisoformat(str(row[0])), lang)
        rows.append(cells)
    headers = ([gettext("Group", lang)] if grouped else []) + [
        labels.column_label(key, lang) for key in keys]
    return {"name": table.name, "title": labels.table_title(table.name, lang),
            "headers": headers, "rows": rows}


def _cell(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return formats.number(value, lang)
    return str(value)


def drawn(report: Report, lang: str) -> list[tuple[str, str]]:
    """The charts: (caption, SVG)."""
    daily = report.table("daily")
    days = [date.fromisoformat(str(day)) for day in daily.column("day")]

    def series(key: str) -> list[tuple[date, float]]:
        return [(day, float(value or 0)) for day, value in zip(days, daily.column(key),
                                                                 strict=True)]

    messages, opened, room = series("messages"), series("entries_opened"), series(
        "open_at_day_end")
    service = report.table("service").rows[0]
    columns = report.table("service").columns
    shares = [(labels.clock_name(name, lang), float(service[columns.index(key)] or 0))
              for name, key in ((ClockName.FIRST_RESPONSE, "first_callback_within_pct"),
                                (ClockName.QUALIFICATION, "qualification_within_pct"),
                                (ClockName.RESOLUTION, "resolution_within_pct"))]
    outcomes = report.table("outcomes")
    counted = [(labels.column_label(key, lang), float(outcomes.rows[0][2 + i] or 0))
               for i, key in enumerate(outcomes.columns[2:])]
    captions = [gettext("Messages and entries per day", lang),
                gettext("Open entries at the end of each day", lang),
                gettext("Share within each service level (percent)", lang),
                gettext("Outcomes of the calls", lang)]
    return [
        (captions[0], charts.lines([(labels.column_label("messages", lang), messages),
                                    (labels.column_label("entries_opened", lang), opened)],
                                   label=captions[0], lang=lang)),
        (captions[1], charts.lines([(captions[1], room)], label=captions[1], lang=lang)),
        (captions[2], charts.bars(shares, label=captions[2], lang=lang)),
        (captions[3], charts.bars(counted, label=captions[3], lang=lang)),
    ]
