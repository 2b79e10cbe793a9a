"""The hooks of pages (CSRF, remember-me, the language cookie) run behind one test of the path:
every page still gets them, in Flask's order; Twilio's webhooks skip them."""

from __future__ import annotations

import pytest
from flask import Flask, g

from callq.web_pages import pages_only
from tests.voice_support import incoming, post


def _app(order: list[str]) -> Flask:
    app = Flask(__name__)
    app.before_request(lambda: order.append("before: everyone"))
    app.after_request(lambda r: order.append("after: everyone") or r)
    with pages_only(app):
        app.before_request(lambda: order.append("before: page 1"))
        app.before_request(lambda: order.append("before: page 2"))
        app.after_request(lambda r: order.append("after: page 1") or r)
        app.after_request(lambda r: order.append("after: page 2") or r)

    @app.route("/twilio/voice", methods=["POST"])
    @app.route("/agents/")
    def view() -> str:
        order.append("view")
        return g.get("answer", "")

    return app


def test_page_hooks_run_for_pages_in_flasks_order():
    order: list[str] = []
    assert _app(order).test_client().get("/agents/").status_code == 200
    assert order == ["before: everyone", "before: page 1", "before: page 2", "view",
                     "after: page 2", "after: page 1", "after: everyone"]


def test_webhooks_skip_the_page_hooks_only():
    order: list[str] = []
    assert _app(order).test_client().post("/twilio/voice").status_code == 200
    assert order == ["before: everyone", "view", "after: everyone"]


def test_a_page_hook_that_answers_ends_the_request_as_in_flask():
    app = Flask(__name__)
    with pages_only(app):
        app.before_request(lambda: ("refused", 400))
        app.before_request(lambda: pytest.fail("ran after an answer"))
    app.add_url_rule("/agents/", view_func=lambda: "page")
    answer = app.test_client().get("/agents/")
    assert (answer.status_code, answer.get_data(as_text=True)) == (400, "refused")


def test_a_hook_inserted_before_the_blocks_own_is_refused():
    app = Flask(__name__)
    app.before_request(lambda: None)
    with pytest.raises(RuntimeError, match="inserted before"), pages_only(app):
        app.before_request_funcs[None].insert(0, lambda: None)


def test_a_webhook_gets_no_cookie_and_a_page_keeps_its_language(app):
    client = app.test_client()
    answer = post(client, "/twilio/voice?lang=en", incoming(1))
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    page = client.get("/login?lang=en")
    assert "lang=en" in page.headers["Set-Cookie"]
