"""Signed planner links (R13): what they carry, and every way they are refused; pure."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callq.bootstrap import build_runtime
from callq.settings import load_settings
from scheduling import links

SECRET = "unit-secret"
NOW = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
AGE = timedelta(days=14)


def _booking(**changes: object) -> str:
    fields: dict[str, object] = dict(entry_id=7, client_id=None, phone="+33612345678",
                                     email="helene@clinique.example", lang="fr", name="Hélène")
    fields.update(changes)
    return links.sign_booking(SECRET, NOW, **fields)  # type: ignore[arg-type]


def test_r13_a_booking_link_carries_its_client_entry_and_language():
    grant = links.read_booking(SECRET, _booking(), NOW + timedelta(days=3), AGE)
    assert (grant.entry_id, grant.client_id, grant.phone, grant.email, grant.name, grant.lang) == (
        7, None, "+33612345678", "helene@clinique.example", "Hélène", "fr")
    assert grant.token_id == links.token_id(_booking())


def test_r13_a_booking_link_expires_after_the_set_age_and_not_before():
    token = _booking()
    links.read_booking(SECRET, token, NOW + AGE, AGE)
    with pytest.raises(links.LinkError) as refused:
        links.read_booking(SECRET, token, NOW + AGE + timedelta(seconds=1), AGE)
    assert refused.value.reason == "expired"


def test_r13_a_link_signed_in_the_future_is_refused():
    with pytest.raises(links.LinkError, match="expired"):
        links.read_booking(SECRET, _booking(), NOW - timedelta(minutes=5), AGE)


def _forge_payload(token: str, **changes: object) -> str:
    payload, stamp, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    raw = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{raw}.{stamp}.{signature}"


@pytest.mark.parametrize("spoil", [
    pytest.param(lambda t: _forge_payload(t, e=8), id="other-entry"),
    pytest.param(lambda t: _forge_payload(t, p="+33699999999"), id="other-phone"),
    pytest.param(lambda t: t[:-2] + ("xy" if not t.endswith("xy") else "zz"), id="signature"),
    pytest.param(lambda t: t.split(".")[0], id="truncated"),
    pytest.param(lambda t: "", id="empty"),
    pytest.param(lambda t: links.sign_booking("other-secret", NOW, entry_id=7, client_id=None,
                                              phone=None, email=None, lang="fr"),
                 id="other-secret"),
])
def test_r13_a_tampered_booking_link_is_invalid(spoil):
    with pytest.raises(links.LinkError) as refused:
        links.read_booking(SECRET, spoil(_booking()), NOW, AGE)
    assert refused.value.reason == "invalid"


def test_r13_a_manage_link_is_not_a_booking_link_and_back():
    manage = links.sign_manage(SECRET, NOW, appointment_id=3, sequence=2, lang="en")
    with pytest.raises(links.LinkError, match="invalid"):
        links.read_booking(SECRET, manage, NOW, AGE)
    with pytest.raises(links.LinkError, match="invalid"):
        links.read_manage(SECRET, _booking(), NOW, AGE)


@given(appointment_id=st.integers(1, 2**31), sequence=st.integers(0, 10_000),
       lang=st.sampled_from(["fr", "en"]))
def test_r13_a_manage_link_names_one_appointment_at_one_sequence(appointment_id, sequence, lang):
    token = links.sign_manage(SECRET, NOW, appointment_id=appointment_id, sequence=sequence,
                              lang=lang)
    assert links.read_manage(SECRET, token, NOW, AGE) == links.ManageGrant(
        appointment_id, sequence, lang)


def test_r13_booking_link_is_absolute_on_the_public_url_and_needs_no_io():
    settings = load_settings({}, {"public_base_url": "https://rappel.example.fr/",
                                  "secret_key": SECRET, "database_url": "sqlite://",
                                  "redis_url": "redis://127.0.0.1:1/0"})
    runtime = build_runtime(settings, clock=lambda: NOW)  # connects to nothing
    url = links.booking_link(runtime, entry_id=None, client_id=4, phone=None,
                             email="a@b.example", lang="en")
    assert url.startswith("https://rappel.example.fr/book/")
    grant = links.read_booking(SECRET, url.rsplit("/", 1)[1], NOW, AGE)
    assert (grant.client_id, grant.email, grant.lang) == (4, "a@b.example", "en")
    manage = links.manage_links(runtime, appointment_id=9, sequence=1,
                                lang="fr")
    assert [manage["move"], manage["cancel"]] == [manage["view"] + "/move",
                                                  manage["view"] + "/cancel"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("20260330T1200Z", datetime(2026, 3, 30, 12, 0, tzinfo=UTC)),
    ("20261025T0115Z", datetime(2026, 10, 25, 1, 15, tzinfo=UTC)),
    ("20260330T1200", None), ("2026-03-30T12:00Z", None), ("", None), (None, None),
    ("20260230T1200Z", None),
])
def test_r12_slot_starts_travel_as_utc_minutes(raw, expected):
    assert links.parse_start(raw) == expected
    if expected is not None:
        assert links.start_stamp(expected) == raw
