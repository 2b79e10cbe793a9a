"""Each agent's calendar feed (R13): a secret .ics URL their calendar application subscribes to.

The URL's token (Agent.feed_token) is the only key, as calendar applications cannot log in;
an unknown token or a disabled agent gets 404 (scheduling.feeds builds the calendar).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from scheduling.feeds import agent_feed as feed_of

blueprint = Blueprint("feed", __name__)


@blueprint.get("/feed/<token>.ics")
def agent_feed(token: str) -> Response:
    """The agent's appointments from a month ago on, as METHOD:PUBLISH."""
    body = feed_of(current_app.extensions["callq"], token)
    if body is None:
        abort(404)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
