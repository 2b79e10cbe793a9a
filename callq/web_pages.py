"""Request hooks of pages only.

Twilio's webhooks (`/twilio/`) carry no cookie and no session and render no page: the CSRF
check, the remember-me cookie and the language cookie never concern them. Flask runs every
app-wide hook for every request; the hooks installed within `pages_only` run behind one test of
the path instead, so a webhook pays one call before and one after, not one per hook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, request

WEBHOOKS = "/twilio/"  # Twilio's callbacks: no agent, no cookie, no page


@contextmanager
def pages_only(app: Flask) -> Iterator[None]:
    """The app-wide before- and after-request hooks added within the block (by callq or an
    extension's `init_app`) skip the webhooks; their order among themselves is kept."""
    before = app.before_request_funcs.setdefault(None, [])
    after = app.after_request_funcs.setdefault(None, [])
    had_before, had_after = list(before), list(after)
    yield
    if before[:len(had_before)] != had_before or after[:len(had_after)] != had_after:
        raise RuntimeError("pages_only: a hook was inserted before the block's own hooks")
    page_before, page_after = before[len(had_before):], after[len(had_after):]
    del before[len(had_before):], after[len(had_after):]
    if page_before:
        before.append(_before(page_before))
    if page_after:
        after.append(_after(page_after))


def _before(hooks: list[Callable[[], Any]]) -> Callable[[], Any]:
    def pages_before() -> Any:
        if request.path.startswith(WEBHOOKS):
            return None
        for hook in hooks:  # as Flask: the first answer a hook gives is the request's
            answer = hook()
            if answer is not None:
                return answer
        return None

    return pages_before


def _after(hooks: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    def pages_after(response: Any) -> Any:
        if request.path.startswith(WEBHOOKS):
            return response
        for hook in reversed(hooks):  # as Flask: the last added runs first
            response = hook(response)
        return response

    return pages_after
