"""Reading real-world emails (tests/data/mail/): sender, subject, the new text without quotes
or signature, attachments, language; and what must not be filed (auto-replies, bounces, broken
MIME), never an exception (issue 18)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from callq.inbox.reading import Email, Ignored, read_email, safe_filename
from callq.inbox.text import guess_language, html_to_text, new_text, number_in

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "mail"
LIMIT = 20_000_000


def read(name: str) -> Email | Ignored:
    return read_email((SAMPLES / name).read_bytes(), max_bytes=LIMIT)


# file, sender, subject, language, html only, the new text exactly
FILED = [
    ("thunderbird_qp_fr.eml", "marie.dupont@cabinet-dupont.fr",
     "Impossible de facturer depuis la mise à jour", "fr", False,
     "Bonjour,\n\nDepuis la mise à jour de ce matin, impossible de facturer : le module de "
     "facturation se ferme dès qu'on valide une facture. Toute la clinique est bloquée."),
    ("outlook_latin1_reply_fr.eml", "jean.martin@pharmacie-martin.fr",
     "RE: Votre demande à l'assistance", "fr", False,
     "Bonjour,\n\nLe terminal de carte est toujours bloqué, nous ne pouvons pas encaisser les "
     "clients."),
    ("gmail_reply_fr.eml", "paul.leroy@gmail.com",
     "Re: Choisissez un rendez-vous avec l'assistance", "fr", False,
     "Bonjour,\n\nMerci, mais aucun créneau ne me convient, pouvez-vous me rappeler demain "
     "matin ?\n\nPaul"),
    ("apple_reply_en.eml", "emma.clark@clark-dental.co.uk", "Re: Your request to support", "en",
     False, "Yes we still need help, the appointment book does not open on any workstation."),
    ("html_only_fr.eml", "helene.roux@laboratoire-roux.fr", "Sauvegarde", "fr", True,
     "Bonjour,\n\nLa sauvegarde des données ne se lance plus depuis vendredi.\nLe message "
     "d'erreur dit « disque introuvable »."),
    ("german_signature_de.eml", "hans.muster@praxis-muster.ch", "Server ausgefallen", "de",
     False, "Guten Tag\n\nDer Server ist seit heute Morgen ausgefallen, nichts geht mehr in der "
     "ganzen Praxis."),
    ("wrong_charset_fr.eml", "paul.leroy@gmail.com", "Probleme d'agenda", "fr", False,
     "Le planning des rendez-vous n'affiche plus les créneaux de l'après-midi."),
    ("truncated_multipart_fr.eml", "paul.leroy@gmail.com", "Imprimante", "fr", False,
     "L'imprimante des ordonnances n'imprime plus depuis ce matin."),
]


@pytest.mark.parametrize(("name", "sender", "subject", "language", "html_only", "text"), FILED,
                         ids=[row[0] for row in FILED])
def test_a_real_email_is_read_into_its_sender_subject_and_new_text(name, sender, subject,
                                                                    language, html_only, text):
    email = read(name)
    assert isinstance(email, Email), email
    assert (email.sender, email.subject, email.language, email.html_only) == (
        sender, subject, language, html_only)
    assert email.new_text == text


@pytest.mark.parametrize(("name", "left_out"), [
    ("outlook_latin1_reply_fr.eml", ["nous n'avons pas pu vous joindre", "Bien à vous", "De :"]),
    ("gmail_reply_fr.eml", ["a écrit", "Choisissez votre créneau", "book/abc"]),
    ("apple_reply_en.eml", ["Sent from my iPhone", "tried to call you", "wrote:"]),
    ("german_signature_de.eml", ["Freundliche Grüsse", "031 123 45 67"]),
    ("thunderbird_qp_fr.eml", ["Cordialement", "04 78 00 00 02"]),
    ("html_only_fr.eml", ["alert", "font-family", "Merci d'avance", "<p>"]),
])
def test_quoted_replies_signatures_and_markup_are_left_out_of_the_new_text(name, left_out):
    email = read(name)
    assert isinstance(email, Email)
    for words in left_out:
        assert words not in email.new_text


def test_replies_keep_the_message_ids_they_answer_in_order():
    email = read("outlook_latin1_reply_fr.eml")
    assert isinstance(email, Email)
    assert email.references == ("entry-7-reminder-1@callq.example.test",)
    assert email.message_id == "PR3P192MB0845A1B2C3D4E5F6@PR3P192MB0845.EURP192.PROD.OUTLOOK.COM"


def test_a_wrong_charset_is_read_as_windows_1252_and_said_so():
    email = read("wrong_charset_fr.eml")
    assert isinstance(email, Email) and email.repaired_charset
    assert "créneaux de l'après-midi" in email.text


def test_attachments_and_inline_pictures_are_kept_with_safe_names():
    email = read("attachments_fr.eml")
    assert isinstance(email, Email)
    assert [(a.filename, a.content_type, len(a.data)) for a in email.attachments] == [
        ("capture.png", "image/png", 70), ("rapport erreur.pdf", "application/pdf", 45),
        ("page.html", "text/html", 25)]
    assert email.attachments[1].data.startswith(b"%PDF-1.4")
    assert email.new_text.endswith("voir la capture :")


def test_a_broken_attachment_does_not_stop_the_email_from_being_read():
    email = read("truncated_multipart_fr.eml")
    assert isinstance(email, Email)
    assert [a.filename for a in email.attachments] == ["scan.pdf"]


@pytest.mark.parametrize(("name", "reason"), [
    ("auto_reply_ooo.eml", "auto_reply"),
    ("precedence_bulk.eml", "auto_reply"),
    ("bounce.eml", "bounce"),
    ("broken_mime.eml", "no_sender"),
])
def test_auto_replies_bounces_and_broken_mime_are_ignored_with_a_reason(name, reason):
    ignored = read(name)
    assert isinstance(ignored, Ignored)
    assert ignored.reason == reason and ignored.detail


def test_an_email_over_the_size_limit_is_ignored_before_it_is_parsed():
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@b.example", "s@c.example", "Vidéo"
    message.set_content("Voici la vidéo du problème.")
    message.add_attachment(b"\0" * 300_000, maintype="video", subtype="mp4", filename="v.mp4")
    ignored = read_email(message.as_bytes(), max_bytes=200_000)
    assert isinstance(ignored, Ignored) and ignored.reason == "too_large"
    assert isinstance(read_email(message.as_bytes(), max_bytes=LIMIT), Email)


@pytest.mark.parametrize("raw", [
    b"", b"   \r\n", b"From: \r\n\r\nbody", b"\xff" * 64,
    b"From: a@b.example\r\nContent-Type: text/plain; charset=\"\r\n\r\n\xe9t\xe9",
    b"From: a@b.example\r\nContent-Type: multipart/alternative\r\n\r\nno boundary at all",
    b"From: a@b.example\r\nSubject: =?utf-8?B?!!!?=\r\nMessage-ID: <" + b"x" * 400 + b">\r\n\r\nok",
])
def test_garbage_never_raises(raw):
    result = read_email(raw, max_bytes=LIMIT)
    assert isinstance(result, Email | Ignored)
    if isinstance(result, Email):
        assert len(result.message_id) <= 255


def test_an_email_without_message_id_is_known_by_a_digest_of_its_bytes():
    raw = b"From: a@b.example\r\nSubject: Test\r\n\r\nLe TPE est en panne.\r\n"
    first, again = read_email(raw, max_bytes=LIMIT), read_email(raw, max_bytes=LIMIT)
    assert isinstance(first, Email) and isinstance(again, Email)
    assert first.message_id == again.message_id and first.message_id.startswith("sha256:")


@pytest.mark.parametrize(("name", "content_type", "expected"), [
    ("../../etc/passwd", "text/plain", "passwd"),
    ("C:\\Users\\marie\\capture écran.png", "image/png", "capture écran.png"),
    ("rapport;rm -rf *.pdf", "application/pdf", "rapport_rm -rf _.pdf"),
    ("", "application/pdf", "attachment-3.pdf"),
    (None, "application/x-unknown", "attachment-3.bin"),
    ("..", "text/plain", "attachment-3.txt"),
])
def test_attachment_names_lose_paths_and_shell_characters(name, content_type, expected):
    assert safe_filename(name, content_type, 3) == expected


@pytest.mark.parametrize(("html", "expected"), [
    ('<div dir="ltr">Le TPE<br>est en panne</div><div class="gmail_quote">Le lun. a écrit :'
     '<blockquote>ancien</blockquote></div>', "Le TPE\nest en panne"),
    ("<p>Imprimante bloquée</p><div id=\"appendonsend\"></div><div id=\"divRplyFwdMsg\">"
     "<b>De :</b> Support</div>", "Imprimante bloquée"),
    ('Serveur HS<blockquote type="cite">On Mon, Support wrote:</blockquote>', "Serveur HS"),
    ("<script>alert(1)</script><style>p{}</style><p>a &amp; b &lt;c&gt;</p>", "a & b <c>"),
    ("<ul><li>un</li><li>deux</li></ul>", "un\ndeux"),
])
def test_html_is_read_as_text_without_what_it_quotes(html, expected):
    assert html_to_text(html) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Le serveur est en panne.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\n"
     "Bonjour", "Le serveur est en panne."),
    ("Der Drucker geht nicht.\n\nAm Mo., 30. März 2026 um 10:05 Uhr schrieb Support "
     "<support@callq.example.test>:\n> Hallo", "Der Drucker geht nicht."),
    ("La sauvegarde échoue.\n-- \nPaul\n0102030405", "La sauvegarde échoue."),
    ("Toujours bloqué.\n\nEnvoyé de mon iPhone", "Toujours bloqué."),
    ("Le TPE ne marche plus.\n\nMeilleures salutations\nAnne", "Le TPE ne marche plus."),
    ("> cité seulement\n> rien de neuf", ""),
])
def test_the_new_text_of_a_reply_stops_where_the_quote_or_signature_starts(text, expected):
    assert new_text(text) == expected


@pytest.mark.parametrize(("text", "language"), [
    ("Bonjour, le logiciel ne démarre plus sur mon poste", "fr"),
    ("Guten Tag, der Drucker ist nicht erreichbar und wir können nichts drucken", "de"),
    ("Hello, the printer is not working and we cannot print", "en"),
    ("12345 !!!", "fr"),
])
def test_the_language_of_an_email_is_guessed_from_its_common_words(text, language):
    assert guess_language([text]) == language


def test_a_number_written_in_a_signature_is_read_in_the_hotline_region():
    assert number_in("Marie\nTél. 04 78 00 00 02", "FR") == "+33478000002"
    assert number_in("Hans, Tel. 031 123 45 67", "CH") == "+41311234567"
    assert number_in("Merci, bonne journée", "FR") is None
