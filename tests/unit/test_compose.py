"""Email composition (R13): iMIP shape per RFC 6047 §2.4, read back with email.parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from callq.compose import Letter, compose, to_bytes
from scheduling.invitations import Invitation, Method, build_calendar

PARIS = ZoneInfo("Europe/Paris")
DATE = datetime(2026, 6, 1, 11, 0, tzinfo=PARIS)
TEXT = "Bonjour Hélène,\nvotre rappel est confirmé pour lundi à 14 h.\nÀ bientôt.\n"
HTML = "<p>Bonjour Hélène,</p><p>votre rappel est confirmé.</p>\n"


def calendar(method: Method, sequence: int = 0) -> bytes:
    start = datetime(2026, 6, 15, 14, 0, tzinfo=PARIS)
    inv = Invitation(
        uid="appt-42@callq.example", sequence=sequence, start=start,
        end=start + timedelta(minutes=30), summary="Rappel du support – Hotline",
        description="Numéro appelé : le vôtre.\nDurée : 30 min, environ.",
        organizer_email="support@callq.example", organizer_name="Support Éditeur",
        attendee_email="helene@clinique.fr", attendee_name="Hélène Dupont",
    )
    return build_calendar(inv, method, datetime(2026, 6, 1, 9, 0, tzinfo=UTC))


def letter(**changes: object) -> Letter:
    base: dict[str, object] = {
        "sender": "Support Éditeur <support@callq.example>",
        "to": "Hélène Dupont <helene@clinique.fr>",
        "subject": "Rappel confirmé – lundi 15 juin à 14 h",
        "text": TEXT,
    }
    return Letter(**{**base, **changes})  # type: ignore[arg-type]


def sent(item: Letter) -> EmailMessage:
    """What a receiving client reads: the wire bytes parsed back."""
    raw = to_bytes(compose(item, date=DATE))
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return parsed


def lines(part: EmailMessage) -> list[str]:
    """A text part's lines: MIME text is CRLF on the wire, whatever the sender wrote."""
    return str(part.get_content()).splitlines()


def parts(msg: EmailMessage) -> list[EmailMessage]:
    return [part for part in msg.iter_parts() if isinstance(part, EmailMessage)]


def test_plain_letter_is_a_single_utf8_text_part() -> None:
    msg = sent(letter())
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert lines(msg) == TEXT.splitlines()


def test_letter_with_html_is_text_then_html_alternatives() -> None:
    msg = sent(letter(html=HTML))
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parts(msg)] == ["text/plain", "text/html"]
    assert [lines(p) for p in parts(msg)] == [TEXT.splitlines(), HTML.splitlines()]


@pytest.mark.parametrize("method", [Method.REQUEST, Method.CANCEL])
def test_r13_invitation_is_the_last_inline_alternative_with_matching_method(
    method: Method,
) -> None:
    ics = calendar(method, sequence=0 if method is Method.REQUEST else 1)
    msg = sent(letter(html=HTML, calendar=ics, method=method.value))
    assert msg.get_content_type() == "multipart/alternative"
    plain, html, cal = parts(msg)
    assert [p.get_content_type() for p in (plain, html, cal)] == [
        "text/plain", "text/html", "text/calendar"]
    assert cal.get_param("method") == str(Calendar.from_ical(cal.get_content())["METHOD"])
    assert cal.get_param("method") == method.value
    assert cal.get_content_charset() == "utf-8"
    assert cal.get_content_disposition() is None
    # Byte for byte: CRLF endings, 75-octet folding and UTF-8 accents all survive transport.
    assert cal.get_payload(decode=True) == ics
    assert Calendar.from_ical(cal.get_content()).events[0].description.startswith("Numéro")


def test_r13_invitation_without_html_is_text_then_calendar() -> None:
    msg = sent(letter(calendar=calendar(Method.REQUEST), method="REQUEST"))
    assert [p.get_content_type() for p in parts(msg)] == ["text/plain", "text/calendar"]
    assert lines(parts(msg)[0]) == TEXT.splitlines()


def test_r13_method_parameter_is_case_insensitive_but_sent_upper_case() -> None:
    msg = sent(letter(calendar=calendar(Method.REQUEST), method="request"))
    assert parts(msg)[1].get_param("method") == "REQUEST"


def test_headers_read_back_with_accents_intact() -> None:
    msg = sent(letter(reply_to="Léa <lea@callq.example>", message_id="<fx-123@callq.example>",
                      headers={"List-Unsubscribe": "<https://callq.example/desabonnement/x>"}))
    assert msg["Subject"] == "Rappel confirmé – lundi 15 juin à 14 h"
    assert (msg["From"].addresses[0].display_name, msg["From"].addresses[0].addr_spec) == (
        "Support Éditeur", "support@callq.example")
    assert msg["To"].addresses[0].addr_spec == "helene@clinique.fr"
    assert msg["To"].addresses[0].display_name == "Hélène Dupont"
    assert msg["Reply-To"].addresses[0].addr_spec == "lea@callq.example"
    assert msg["Date"].datetime == DATE
    assert msg["Message-ID"] == "<fx-123@callq.example>"
    assert msg["List-Unsubscribe"] == "<https://callq.example/desabonnement/x>"


def test_wire_form_is_7bit_with_crlf_lines_within_the_smtp_limit() -> None:
    raw = to_bytes(compose(letter(html=HTML, calendar=calendar(Method.REQUEST),
                                  method="REQUEST"), date=DATE))
    assert raw.isascii()  # no relay needs 8BITMIME
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998  # RFC 5322 §2.1.1
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    assert {p.get("Content-Transfer-Encoding") for p in parts(msg)} <= {
        "quoted-printable", "base64"}


def test_r13_calendar_octets_survive_a_relay_that_rewrites_line_endings() -> None:
    ics = calendar(Method.REQUEST)
    raw = to_bytes(compose(letter(calendar=ics, method="REQUEST"), date=DATE))
    # Some MTAs store and forward with bare LF; iCalendar must still arrive with CRLF.
    msg = BytesParser(policy=policy.default).parsebytes(raw.replace(b"\r\n", b"\n"))
    assert isinstance(msg, EmailMessage)
    assert parts(msg)[1].get_payload(decode=True) == ics


def test_given_message_id_makes_a_resend_recognisable() -> None:
    item = letter(message_id="<appt-42-confirm-0@callq.example>")
    first = compose(item, date=DATE)
    again = compose(item, date=DATE + timedelta(minutes=5))
    assert first["Message-ID"] == again["Message-ID"] == "<appt-42-confirm-0@callq.example>"


def test_derived_message_id_is_stable_per_letter_and_in_the_sender_domain() -> None:
    one = sent(letter())["Message-ID"]
    assert one == sent(letter())["Message-ID"]
    assert one != sent(letter(to="autre@clinique.fr"))["Message-ID"]
    assert one.startswith("<") and one.endswith("@callq.example>")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"calendar": calendar(Method.REQUEST), "method": "CANCEL"}, id="mismatch"),
        pytest.param({"calendar": calendar(Method.CANCEL, 1), "method": "REQUEST"}, id="mismatch2"),
        pytest.param({"calendar": calendar(Method.REQUEST)}, id="calendar-without-method"),
        pytest.param({"method": "REQUEST"}, id="method-without-calendar"),
        pytest.param({"calendar": b"pas un calendrier", "method": "REQUEST"}, id="not-ical"),
    ],
)
def test_r13_mime_method_must_equal_the_calendar_method(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        compose(letter(**changes), date=DATE)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"subject": "Rappel\r\nBcc: victime@example.com"}, id="crlf-subject"),
        pytest.param({"subject": "Rappel\nBcc: victime@example.com"}, id="lf-subject"),
        pytest.param({"subject": "Rappel\u2028Bcc: victime@example.com"}, id="unicode-break"),
        pytest.param({"to": "helene@clinique.fr\r\nBcc: victime@example.com"}, id="crlf-to"),
        pytest.param({"sender": "support@callq.example\nBcc: x@y.z"}, id="lf-sender"),
        pytest.param({"reply_to": "a@b.fr\r\nBcc: x@y.z"}, id="crlf-reply-to"),
        pytest.param({"message_id": "<a@b>\r\nBcc: x@y.z"}, id="crlf-message-id"),
        pytest.param({"message_id": "pas-un-identifiant"}, id="bare-message-id"),
        pytest.param({"headers": {"X-Ok": "1\r\nBcc: x@y.z"}}, id="crlf-extra-value"),
        pytest.param({"headers": {"Bcc": "x@y.z"}}, id="extra-bcc"),
        pytest.param({"headers": {"From": "x@y.z"}}, id="extra-second-from"),
        pytest.param({"headers": {"X-Bad Name": "1"}}, id="extra-name-with-space"),
        pytest.param({"to": "pas une adresse"}, id="not-an-address"),
        pytest.param({"to": "Hélène <helene@clinique.fr"}, id="unclosed-angle-addr"),
        pytest.param({"sender": "support@callq.example>"}, id="stray-bracket-sender"),
    ],
)
def test_header_injection_and_bad_headers_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        compose(letter(**changes), date=DATE)


def test_naive_date_is_refused() -> None:
    with pytest.raises(ValueError):
        compose(letter(), date=datetime(2026, 6, 1, 11, 0))
