"""The administration's pages of words (edge): the texts said to callers and sent to clients,
and the product series (R9). Views only translate; callq.admin does the work."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, request, url_for
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from callq import i18n
from callq.admin import series, texts
from callq.admin.web import actor, form_text, guard, notice, page, reason, runtime
from callq.i18n import N_
from callq.waiting.versions import shown_series

blueprint = Blueprint("admin_texts", __name__, url_prefix="/admin")
guard(blueprint)


def _back(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values), code=303)


# --- texts ---------------------------------------------------------------------------------

@blueprint.get("/texts")
def texts_page() -> tuple[str, int]:
    """Every rewordable text in one language (?text_lang=), reworded or not."""
    lang = _text_lang(request.args.get("text_lang"))
    return page("admin/texts.html", rows=texts_of(lang), text_lang=lang,
                languages_=i18n.languages())


def texts_of(lang: str) -> list[texts.TextView]:
    """The rewordable texts of a language."""
    return texts.list_texts(runtime(), lang)


@blueprint.get("/texts/<int:index>")
def text_form(index: int) -> tuple[str, int]:
    """One text's form: its default, its wording, a preview."""
    lang = _text_lang(request.args.get("text_lang"))
    view = _text(lang, index)
    wording = view.override or view.default
    return _text_page(view, lang, wording, texts.preview(view.wording.message, wording))


@blueprint.post("/texts/<int:index>")
def save_text(index: int) -> Any:
    """Preview, save or reset one text; an unknown placeholder is refused (400)."""
    lang = _text_lang(request.form.get("text_lang"))
    view = _text(lang, index)
    action = request.form.get("action", "preview")
    if action == "reset":
        texts.reset_text(runtime(), lang, index, actor=actor())
        notice(N_("Text back to its default wording."))
        return _back("admin_texts.text_form", index=index, text_lang=lang)
    wording = form_text("text", texts.MAX_LENGTH + 100)
    try:
        shown = texts.preview(view.wording.message, wording)
        if action == "save":
            texts.set_text(runtime(), lang, index, wording, actor=actor())
            notice(N_("Text saved: callers and clients get it within a minute."))
            return _back("admin_texts.text_form", index=index, text_lang=lang)
    except texts.Refused as exc:
        return _text_page(view, lang, wording, None, reason(exc), 400)
    return _text_page(view, lang, wording, shown)


def _text(lang: str, index: int) -> texts.TextView:
    rows = texts_of(lang)
    if not 0 <= index < len(rows):
        raise NotFound()
    return rows[index]


def _text_lang(raw: str | None) -> str:
    return raw if raw in i18n.languages() else str(g.lang)


def _text_page(view: texts.TextView, lang: str, wording: str, shown: str | None,
               error: str | None = None, status: int = 200) -> tuple[str, int]:
    return page("admin/text.html", status, view=view, text_lang=lang, wording=wording,
                shown=shown, error=error, placeholders=sorted(view.wording.placeholders))


# --- product series ------------------------------------------------------------------------

@blueprint.get("/series")
def series_page(error: str | None = None, status: int = 200,
                form: dict[str, str] | None = None) -> tuple[str, int]:
    """The supported and on-quote series (R9); any other is out of support."""
    policy, stored = series.current_series(runtime())
    form = form or {"supported": shown_series(policy.supported),
                    "on_quote": shown_series(policy.on_quote)}
    return page("admin/series.html", status, form=form, stored=stored, error=error,
                default=runtime().settings.current_series)


@blueprint.post("/series")
def save_series() -> Any:
    """Save the series, or reset them to CALLQ_CURRENT_SERIES's (action=reset)."""
    if request.form.get("action") == "reset":
        series.reset_series(runtime(), actor=actor())
        notice(N_("Product series back to the setting's."))
        return _back("admin_texts.series_page")
    form = {"supported": form_text("supported", 200), "on_quote": form_text("on_quote", 200)}
    try:
        series.save_series(runtime(), series.policy_from(form["supported"], form["on_quote"]),
                           actor=actor())
    except ValueError as exc:
        return series_page(reason(exc), 400, form)
    notice(N_("Product series saved."))
    return _back("admin_texts.series_page")

