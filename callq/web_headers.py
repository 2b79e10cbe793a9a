"""Security headers on every answer of the web process, set in one place.

Pages load nothing but callq's own files: no inline script or style (the CSP would block it;
scripts and styles live in callq/static/), no framing by another site, no sniffing of types,
no Referer (booking and cancel links carry their secret in the path). HSTS in production,
where callq is served over HTTPS behind its proxy.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "media-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
HSTS = "max-age=31536000; includeSubDomains"


def install(app: Flask, *, production: bool) -> None:
    """Add the headers to every response (HSTS only in production)."""
    headers = dict(HEADERS)
    if production:
        headers["Strict-Transport-Security"] = HSTS

    folded = [(name.lower(), name, value) for name, value in headers.items()]

    @app.after_request
    def _secure(response: Response) -> Response:
        # What a view set itself stays (one pass over the answer's headers, not one per name).
        present = {name.lower() for name, _value in response.headers.items()}
        response.headers.extend([(name, value) for lower, name, value in folded
                                 if lower not in present])
        return response
