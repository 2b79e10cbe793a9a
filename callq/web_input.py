"""What every request must be before a view reads it: the web edge's one place for input that
no view should have to think about.

- `<int:...>` in any route takes ASCII digits within the id columns' range (PostgreSQL
  `integer`, the narrower backend): `/agents/entries/99999999999` is a 404, never a 500.
- `integer()` is the one parser of integers in query strings and forms: ASCII digits only
  (`"²".isdigit()` is true, `int("²")` fails), within the given bounds.
- A NUL byte in the path, the query or a form is refused (400) before any view runs:
  PostgreSQL cannot store one, and no text callq takes has a use for it.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter, Map, ValidationError

from callq import i18n, web_i18n

# The id columns are `integer` on PostgreSQL; SQLite's are wider, so this bound fits both.
ID_MAX = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


class BoundedInt(IntegerConverter):
    """`<int:...>`: ASCII digits, at most ID_MAX (a 404 beyond, like any unknown id)."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        if len(value) > 10:  # no need to turn a megabyte of digits into a number
            raise ValidationError()
        return super().to_python(value)


def integer(raw: str | None, low: int = 0, high: int = ID_MAX) -> int | None:
    """The integer `raw` writes in ASCII digits (spaces around allowed), within low..high;
    None when it is missing, not such digits, or out of bounds."""
    text = (raw or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def has_nul(values: Any) -> bool:
    """Whether any key or value of a MultiDict holds a NUL byte."""
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def _refuse_nul() -> None:
    posted = request.method in ("POST", "PUT", "PATCH")
    if "\x00" in request.path or has_nul(request.args) or (posted and has_nul(request.form)):
        lang = web_i18n.request_language(current_app.extensions["callq"].settings.language)
        abort(400, description=i18n.gettext(
            "This address or form holds a NUL byte, which callq never accepts.", lang))


def install(app: Flask) -> None:
    """Bounded `<int:...>` converters (before any route is added) and the NUL-byte guard."""
    app.url_map.converters["int"] = BoundedInt
    app.before_request(_refuse_nul)
