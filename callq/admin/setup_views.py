"""The administration's setup pages (edge): agents, absences, closures, hours and holidays
(texts and product series: callq.admin.text_views). Views only translate; callq.agents and
callq.admin do the work."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, g, redirect, request, url_for
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.wrappers import Response

from callq import agents, formats, i18n
from callq.admin import absences, booked, closures, hours
from callq.admin.web import (
    actor,
    form_day,
    form_int,
    form_text,
    guard,
    local_instant,
    notice,
    page,
    reason,
    runtime,
    say,
)
from callq.i18n import N_
from scheduling.agenda import local_zone
from scheduling.hours import MODES, field_name, form_of, spec_from_form

blueprint = Blueprint("admin_setup", __name__, url_prefix="/admin")
guard(blueprint)


def _back(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values), code=303)


# --- agents --------------------------------------------------------------------------------

@blueprint.get("/agents")
def agents_page(error: str | None = None, status: int = 200) -> tuple[str, int]:
    """Every agent, a form to add one, and each one's actions."""
    return page("admin/agents.html", status, agents=agents.list_agents(runtime()), error=error,
                languages_=i18n.languages())


@blueprint.post("/agents")
def add_agent() -> Any:
    """Add an agent (or administrator)."""
    try:
        made = agents.add_agent(runtime(), email=form_text("email", 320),
                                password=form_text("password", 200),
                                phone=form_text("phone", 40), name=form_text("name", 200),
                                admin=request.form.get("admin") == "1",
                                language=form_text("language", 5) or None, actor=actor())
    except ValueError as exc:
        return agents_page(reason(exc), 400)
    notice(N_("Agent %(email)s added."), email=made.email)
    return _back("admin_setup.agents_page")


@blueprint.post("/agents/<int:agent_id>")
def change_agent(agent_id: int) -> Any:
    """Edit, disable, enable or reset the password of one agent."""
    email = _agent_email(agent_id)
    action = request.form.get("action", "")
    try:
        if action == "edit":
            agents.edit_agent(runtime(), email, actor=actor(), name=form_text("name", 200),
                              phone=form_text("phone", 40), language=form_text("language", 5),
                              admin=request.form.get("admin") == "1", keep_an_administrator=True)
        elif action == "disable":
            agents.disable_agent(runtime(), email, actor=actor(), keep_an_administrator=True)
        elif action == "enable":
            agents.enable_agent(runtime(), email, actor=actor())
        elif action == "password":
            new = agents.reset_password(runtime(), email, actor=actor(),
                                        password=form_text("password", 200) or None)
            notice(N_("New password of %(email)s: %(password)s"), email=email, password=new)
            return _back("admin_setup.agents_page")
        else:
            raise BadRequest(description=say(N_("action: unknown %(value)s"),
                                             value=repr(action[:20])))
    except ValueError as exc:
        return agents_page(reason(exc), 400)
    notice(N_("Agent %(email)s changed."), email=email)
    return _back("admin_setup.agents_page")


def _agent_email(agent_id: int) -> str:
    found = next((a.email for a in agents.list_agents(runtime()) if a.id == agent_id), None)
    if found is None:
        raise NotFound()
    return found


# --- absences ------------------------------------------------------------------------------

@blueprint.get("/absences")
def absences_page() -> tuple[str, int]:
    """Absences not over yet, and a form to enter one for any agent."""
    return _absences_page()


def _absences_page(error: str | None = None, touched: list[booked.Touched] | None = None,
                   status: int = 200) -> tuple[str, int]:
    rt = runtime()
    rows = absences.list_absences(rt, since=rt.now())
    return page("admin/absences.html", status, rows=rows, agents=agents.list_agents(rt),
                error=error, touched=touched, when=_when)


@blueprint.post("/absences")
def add_absence() -> tuple[str, int]:
    """Enter an absence; its appointments are handed to R14 at once and listed."""
    rt = runtime()
    zone = local_zone(rt)
    try:
        _view, touched = absences.add_absence(
            rt, agent_id=form_int("agent_id"), starts_at=local_instant("starts_at", zone),
            ends_at=local_instant("ends_at", zone), reason=form_text("reason", 200),
            actor=actor())
    except absences.Refused as exc:
        return _absences_page(reason(exc), status=400)
    notice(N_("Absence entered."))
    return _absences_page(touched=touched)


@blueprint.post("/absences/<int:absence_id>/remove")
def remove_absence(absence_id: int) -> Any:
    """Remove an absence."""
    try:
        absences.remove_absence(runtime(), absence_id, actor=actor())
    except absences.Refused:
        raise NotFound() from None
    notice(N_("Absence removed."))
    return _back("admin_setup.absences_page")


def _when(instant: Any) -> str:
    return formats.when(instant, local_zone(runtime()), g.lang)


# --- closures ------------------------------------------------------------------------------

@blueprint.get("/closures")
def closures_page(error: str | None = None, status: int = 200,
                  touched: list[booked.Touched] | None = None) -> tuple[str, int]:
    """Closure days from today on, and a form to add one."""
    rt = runtime()
    today = rt.calendar().local(rt.now()).date()
    return page("admin/closures.html", status, rows=closures.list_closures(rt, since=today),
                error=error, day_label=lambda d: formats.day(d, g.lang), touched=touched,
                when=_when)


@blueprint.post("/closures")
def add_closure() -> Any:
    """Close the hotline on a day, with the label callers hear; the appointments booked on
    that day are handed to R14 at once and listed."""
    try:
        _view, touched = closures.add_closure(runtime(), form_day("day"),
                                              form_text("label", 200), actor=actor())
    except ValueError as exc:
        return closures_page(reason(exc), 400)
    notice(N_("Closure day added."))
    return closures_page(touched=touched)


@blueprint.post("/closures/<day>/remove")
def remove_closure(day: str) -> Any:
    """Open the hotline again on a day."""
    try:
        closures.remove_closure(runtime(), _iso_day(day), actor=actor())
    except LookupError:
        raise NotFound() from None
    notice(N_("Closure day removed."))
    return _back("admin_setup.closures_page")


def _iso_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise NotFound() from None


# --- hours ---------------------------------------------------------------------------------

@blueprint.get("/hours")
def hours_page() -> tuple[str, int]:
    """The weekly hours and holidays, with the next four weeks they give."""
    current = hours_of()
    return _hours_page(form_of(current.spec), current.stored)


def hours_of() -> hours.Hours:
    """The hours in force."""
    return hours.current_hours(runtime())


@blueprint.post("/hours")
def save_hours() -> Any:
    """Preview (action=preview) or save (action=save) the hours; reset (action=reset)."""
    action = request.form.get("action", "preview")
    if action == "reset":
        _spec, touched = hours.reset_hours(runtime(), actor=actor())
        notice(N_("The hours are back to their starting point."))
        return _hours_saved(touched)
    form = {name: form_text(name, 200) for name in _hours_fields()}
    try:
        spec = spec_from_form(form)
    except ValueError as exc:
        return _hours_page(form, hours_of().stored, error=reason(exc), status=400)
    if action != "save":
        return _hours_page(form, hours_of().stored, preview=hours.preview_hours(runtime(), spec))
    touched = hours.save_hours(runtime(), spec, actor=actor())
    notice(N_("Hours saved: every part of callq uses them within a minute."))
    return _hours_saved(touched)


def _hours_saved(touched: list[booked.Touched]) -> Any:
    """Back to the hours; listed there when they fell on appointments still to come."""
    if not touched:
        return _back("admin_setup.hours_page")
    current = hours_of()
    return _hours_page(form_of(current.spec), current.stored, touched=touched)


def _hours_fields() -> list[str]:
    return ["name", "timezone", "holiday_country", "holiday_subdiv", "eve_of_holiday_close",
            "eve_skips_closed_days",
            *(field_name(mode, day) for day in range(7) for mode in MODES)]


def _hours_page(form: dict[str, str], stored: bool, *, preview: Any = None,
                error: str | None = None, status: int = 200,
                touched: list[booked.Touched] | None = None) -> tuple[str, int]:
    if preview is None and error is None:
        try:
            preview = hours.preview_hours(runtime(), spec_from_form(form))
        except ValueError:
            preview = None
    return page("admin/hours.html", status, form=form, stored=stored, preview=preview,
                error=error, field_name=field_name, modes=MODES, touched=touched, when=_when,
                day_label=lambda d: formats.day(d, g.lang),
                weekday_names=[str(formats.locale(g.lang).days["format"]["wide"][n]).capitalize()
                               for n in range(7)],
                hhmm=lambda t: t.strftime("%H:%M"))
