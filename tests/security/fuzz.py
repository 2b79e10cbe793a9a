"""Malformed requests for every route of the Flask URL map, and the one property they must
keep: no answer is a 5xx, and an answer of 4xx changed no row.

Nothing here lists routes or field names by hand. Routes come from `app.url_map`; the names a
request may carry come from the code itself (every `request.form/args.get("...")`, every
webhook parameter read, every `name="..."` of a template), so a new route or a new field is
fuzzed without anyone remembering to add it. Webhooks are signed (or not), the API gets its
bearer token (or not), agents' forms go with the logged-in browser and its CSRF token (or
not), and `<token>` takes real signed links (booking, manage, cancel, feed), spent or fresh,
as well as altered ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from hypothesis import strategies as st
from werkzeug.routing import Rule

from callq.workspace.links import sign_cancel
from scheduling.links import sign_booking, sign_manage, start_stamp
from tests.security.world import NOW, SECRET, World

ROOT = Path(__file__).resolve().parents[2]
_READ = re.compile(
    r"""(?:form|args|values)\.get(?:list)?\(\s*["']([A-Za-z_][\w-]*)["']"""
    r"""|(?:matching|choice|whole|fraction|_int|_integer|_boolean|_enum|_number|_sid)"""
    r"""\(\s*["']([A-Za-z_][\w-]*)["']"""
    # a parameter named by a constant: SIMULATED_AT = "CallqSimulatedAt"
    r"""|^[A-Z_]+ = ["']([A-Z][A-Za-z]+)["']$""", re.MULTILINE)
_TEMPLATE_NAME = re.compile(r"""\bname=["']([A-Za-z_][\w-]*)["']""")
_ARGUMENT = re.compile(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>")


@dataclass(frozen=True)
class Route:
    """One (rule, method) of the URL map."""

    rule: str
    method: str
    arguments: tuple[tuple[str, str], ...]  # (converter, name)

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}"


@dataclass
class Tally:
    """What the run did, for the closing line of the test session."""

    requests: dict[str, int] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    changed_on_refusal: list[str] = field(default_factory=list)
    routes: set[str] = field(default_factory=set)


TALLY = Tally()


def routes(url_map: object) -> list[Route]:
    """Every (rule, method) of the app, the static files' rules included."""
    found = []
    for rule in url_map.iter_rules():  # type: ignore[attr-defined]
        assert isinstance(rule, Rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            arguments = tuple((conv or "default", name) for conv, name in
                              _ARGUMENT.findall(rule.rule))
            found.append(Route(rule.rule, method, arguments))
    return sorted(found, key=lambda r: r.id)


def vocabulary() -> list[str]:
    """Every parameter name the code reads from a request, and every form field it renders."""
    names: set[str] = set()
    for package in ("callq", "scheduling", "webhooks"):
        for source in (ROOT / package).rglob("*.py"):
            text = source.read_text(encoding="utf-8")
            if "request" in text:
                names.update(next(n for n in found if n) for found in _READ.findall(text))
    for template in (ROOT / "templates").rglob("*.html"):
        names.update(_TEMPLATE_NAME.findall(template.read_text(encoding="utf-8")))
    names.discard("csrf_token")  # sent (or not) on purpose, below
    return sorted(names)


# --- values ---------------------------------------------------------------------------

def _slot_starts() -> list[str]:
    """Grid times of the coming afternoons (free or not), as forms carry them."""
    starts = []
    for day in range(0, 21):
        for half_hour in range(0, 9):
            at = NOW.replace(hour=12) + timedelta(days=day, minutes=30 * half_hour)
            starts.append(start_stamp(at))
    return starts


WELL_FORMED = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "12", "0", "yes", "no", "true", "false",
    "fr", "en", "de", "critical", "high", "medium", "low", "waiting", "claimed", "booked",
    "closed", "open", "awaiting_client", "solved", "documentation", "out_of_scope",
    "no_answer", "installation", "hardware", "windows", "antivirus", "move", "cancel",
    "completed", "in-progress", "ringing", "busy", "no-answer", "failed", "canceled",
    "answered", "absent", "human", "machine_start", "fax", "agent", "client",
    "+33612345678", "0612345678", "+41311234567", "roux@example.test", "fuzz@example.test",
    "correct horse battery", "Impossible de facturer, tout est bloqué", "même besoin",
    "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
    "2026-03-31T16:00:00+00:00", "/agents/", "/planner/?all=1",
]
MALFORMED = [
    "", " ", "²", "١٢", "٣", "①", "1.5", "-1", "+1", "0x10", "1e3", "٢٠٢٦", "2147483647",
    "2147483648", "9223372036854775808", "9" * 40, "\x00", "a\x00b", "%00", "\n", "\r\n",
    "\t", "\x1b[31m", "\u200b", "\ud7ff", "é" * 3, "<script>alert(1)</script>", "' OR 1=1--",
    "../../etc/passwd", "//evil.example/x", "/\t/evil.example/phish", "/\n/x", "\\\\evil",
    "https://evil.example/", "javascript:alert(1)", "https://[::1/x", "http://api.twilio.com/x",
    "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+14:00", "2026-02-30T10:00:00+00:00",
    "2026-03-31T16:00:00", "20260330T1200Z", "99999999T9999Z", "CA" + "0" * 31 + "g",
    "RE" + "f" * 32, "CA" + "f" * 32, "x" * 321, "y" * 501, "z" * 4001, "w" * 70000,
    "Line\nBreak", "é\u0301", "\ufeff1", "NaN", "inf", "[]", "{}", "None", "null",
]
# What broke callq before (issue 9), drawn more often than the rest.
NASTY = ["\x00", "a\x00", "²", "١٢", "9" * 30, "2147483648", "x" * 321, "y" * 501, "\n",
         "/\t/evil.example/phish", "https://[::1/x", "9999-12-31T23:59:59-05:00"]
_LONG = st.sampled_from([321, 501, 2001, 65536, 1_000_000]).map(lambda n: "L" * n)
VALUES = st.one_of(
    st.sampled_from(WELL_FORMED), st.sampled_from(_slot_starts()), st.sampled_from(NASTY),
    st.sampled_from(MALFORMED),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=30), _LONG,
)


def _mutated(token: str) -> st.SearchStrategy[str]:
    return st.sampled_from([
        token, token, token, token + "é", token + "\u200b", token + "A", token + ".",
        token[:-1], token[:-1] + ("A" if token[-1] != "A" else "B"), token.upper(),
        "x" + token, token + "%00",
    ])


def tokens(world: World) -> st.SearchStrategy[str]:
    """Real signed links of every kind, fresh or altered, and text that is no link at all."""
    ids = st.integers(min_value=0, max_value=12)
    optional = st.one_of(st.none(), ids)
    booking = st.builds(
        lambda e, c: sign_booking(SECRET, NOW, entry_id=e, client_id=c, phone="+33612345678",
                                  email="roux@example.test", lang="fr", name="Roux"),
        optional, st.one_of(st.none(), st.integers(1, 3)))
    manage = st.builds(lambda a, s: sign_manage(SECRET, NOW, appointment_id=a, sequence=s,
                                                lang="fr"), ids, st.integers(0, 4))
    cancel = st.builds(lambda e: sign_cancel(SECRET, NOW, e), ids)
    old = st.builds(lambda e: sign_cancel(SECRET, NOW - timedelta(days=400), e), ids)
    real = st.one_of(booking, manage, cancel, old, st.sampled_from(world.feed_tokens))
    return st.one_of(real.flatmap(_mutated), real, st.sampled_from(NASTY),
                     st.sampled_from(MALFORMED), st.text(max_size=40))


def _argument(world: World, converter: str, name: str) -> st.SearchStrategy[str]:
    if converter == "int":
        return st.one_of(st.integers(0, 14).map(str), st.sampled_from(NASTY),
                         st.sampled_from(MALFORMED))
    if converter == "any":
        return st.sampled_from(["move", "cancel", "MOVE", "x", ""])
    if converter == "path":
        return st.sampled_from(["workspace.js", "workspace.css", "booking.css", "../app.py",
                                "%2e%2e/%2e%2e/README.md", "nope.js", "\x00.js"])
    return tokens(world)


def _quote(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@dataclass(frozen=True)
class Attack:
    """One generated request."""

    path: str  # percent-encoded path and query, as sent
    form: dict[str, str] | None
    signed: bool
    authorised: bool
    as_agent: bool
    with_csrf: bool


def attacks(world: World, route: Route, names: list[str]) -> st.SearchStrategy[Attack]:
    """Requests for one route: its arguments, a query and (for POST) a form, all malformed or
    not; signed, authorised, logged in, carrying the CSRF token, or not."""
    path = st.just(route.rule)
    for converter, name in route.arguments:
        path = st.builds(_fill, path, st.just(name), _argument(world, converter, name))
    field_names = st.one_of(st.sampled_from(names), st.sampled_from(names),
                            st.text(min_size=1, max_size=12))
    pairs = st.dictionaries(field_names, VALUES, max_size=6)
    form = pairs if route.method == "POST" else st.none()
    return st.builds(
        Attack, path=st.builds(_with_query, path, st.dictionaries(field_names, VALUES,
                                                                  max_size=3)),
        form=form, signed=st.booleans() | st.just(True), authorised=st.booleans() | st.just(True),
        as_agent=st.booleans() | st.just(True), with_csrf=st.booleans() | st.just(True))


def _fill(rule: str, name: str, value: str) -> str:
    return re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", lambda _: _quote(value), rule)


def _with_query(path: str, query: dict[str, str]) -> str:
    if not query:
        return path
    return path + "?" + "&".join(f"{_quote(k)}={_quote(v)}" for k, v in query.items())
