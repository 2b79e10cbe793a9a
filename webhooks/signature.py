"""`X-Twilio-Signature` on every Twilio route, checked against the public URL Twilio called."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import logging
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlparse

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator, add_port, remove_port
from werkzeug.datastructures import MultiDict

log = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., Any])


def public_url() -> str:
    """The URL Twilio signed: the configured public base + path + the raw query string.

    Built from the raw query string because Werkzeug's `request.url` decodes it, which breaks
    signatures of percent-encoded values (reference/protocols.md B1).
    """
    base = current_app.extensions["callq"].settings.public_base_url.rstrip("/")
    url = base + request.path
    query = request.query_string.decode("ascii", "replace")
    return f"{url}?{query}" if query else url


def signature_ok() -> bool:
    """Whether the current request carries a valid Twilio signature."""
    token = current_app.extensions["callq"].settings.twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    url = public_url()
    params: MultiDict[str, str] = request.form if request.method == "POST" else MultiDict()
    if "bodySHA256" in request.args:  # a JSON body, signed by its hash
        return bool(_validator(token).validate(url, params, signature))
    # As RequestValidator.validate (Twilio signs the URL with or without its port): the URL as
    # configured first, the other form only when it does not match (compared in constant time).
    key = token.encode("utf-8")
    return any(hmac.compare_digest(compute_signature(key, candidate, params), signature)
               for candidate in _candidates(url))


def _candidates(url: str) -> Iterator[str]:
    """The URL as configured, then (computed only if asked for) its form with or without the
    port, as `RequestValidator.validate` tries both."""
    yield url
    parsed = urlparse(url)
    yield from (other for other in dict.fromkeys((remove_port(parsed), add_port(parsed)))
                if other != url)


def compute_signature(key: bytes, url: str, params: MultiDict[str, str]) -> str:
    """Twilio's HMAC-SHA1 signature of a request: the URL, then each parameter's name and
    value, names in order, each name's distinct values in order (as
    `RequestValidator.compute_signature`, which the tests sign with): the distinct (name,
    value) pairs, sorted."""
    signed = url + "".join(name + value for name, value in sorted(set(params.items(multi=True))))
    digest = hmac.new(key, signed.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


@functools.lru_cache(maxsize=4)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


def twilio_signed(view: View) -> View:
    """Refuse (403, nothing changed) any request Twilio did not sign."""

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not signature_ok():
            log.warning("refused unsigned or forged Twilio request to %s", request.path)
            abort(403, description="invalid or missing X-Twilio-Signature")
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]
