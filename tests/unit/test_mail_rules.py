"""The seeds' email rules (issue 18): the need read from subject and first lines (R6, R7), one
subject per email, a few emails a day, replies found by our token or our Message-IDs (R8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from callq.inbox.rules import (
    Reference,
    bare_subject,
    day_rule,
    entry_token,
    local_day,
    need_of,
    our_key,
    reference_of,
    several_subjects,
    token_entry,
)
from callq.waiting.classify import LEXICONS, classify

FR, DE = LEXICONS["fr"], LEXICONS["de"]
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(("subject", "bare"), [
    ("RE: TR: Imprimante bloquée", "Imprimante bloquée"),
    ("AW: WG: Server", "Server"),
    ("Re[2]: Fwd: Sauvegarde [#12-0a1b2c3d]", "Sauvegarde"),
    ("Réf: devis", "devis"),
    ("", ""),
])
def test_a_subject_loses_its_reply_prefixes_and_our_token(subject, bare):
    assert bare_subject(subject) == bare


@pytest.mark.parametrize(("subject", "text", "need"), [
    ("Facturation", "Bonjour,\n\nImpossible de facturer depuis ce matin.",
     "Facturation. Impossible de facturer depuis ce matin."),
    ("Re: Votre demande", "Madame, Monsieur,\nLe serveur est en panne.",
     "Votre demande. Le serveur est en panne."),
    ("", "Rappelez-moi s'il vous plaît", "Rappelez-moi s'il vous plaît"),
    ("Question", "", "Question"),
])
def test_r06_the_need_is_read_from_the_subject_and_the_first_lines(subject, text, need):
    assert need_of(subject, text) == need


def test_r06_r07_an_email_need_is_classified_like_a_spoken_one():
    urgent = classify(need_of("Urgent", "Bonjour,\nLe serveur est en panne, plus rien ne "
                              "marche."), lexicon=FR)
    vague = classify(need_of("Re: rappel", "Bonjour,\nPouvez-vous me rappeler ?"), lexicon=FR)
    assert (urgent.vague, urgent.tier.value) == (False, "critical")
    assert vague.vague


def test_the_need_of_a_long_email_is_read_from_its_beginning_only():
    text = "Bonjour,\n\nLe serveur est en panne. " + "Détail sans importance. " * 100
    need = need_of("Serveur", text)
    assert need.startswith("Serveur. Le serveur est en panne.") and len(need) < 320


@pytest.mark.parametrize(("text", "lexicon", "several"), [
    ("Bonjour,\n\n1) Le terminal de carte ne répond plus.\n2) L'export de la comptabilité "
     "échoue.", FR, True),
    ("Bonjour,\n\nLe TPE est en panne.\n\nAutre question : comment changer mon mot de passe ?",
     FR, True),
    ("Bonjour,\n\nLe TPE est en panne.\n\nLe terminal de carte ne répond plus depuis ce matin.",
     FR, False),
    ("Bonjour,\n\nLe logiciel ne démarre plus.\n\nMerci de me rappeler vite.", FR, False),
    ("Le logiciel ne démarre plus sur aucun poste.", FR, False),
    ("Guten Tag\n\n- Der Drucker druckt nicht mehr.\n- Die Buchhaltung lässt sich nicht "
     "exportieren.", DE, True),
    ("Guten Tag\n\nDer Server ist ausgefallen.\n\nAusserdem: wie ändere ich das Passwort?",
     DE, True),
])
def test_an_email_naming_several_subjects_is_told_apart_from_one_told_twice(text, lexicon,
                                                                             several):
    assert several_subjects(text, lexicon) is several


@pytest.mark.parametrize(("earlier", "attach_only", "tell"), [
    (0, False, False), (2, False, False), (3, True, True), (4, True, False), (9, True, False),
])
def test_more_than_three_emails_a_day_are_attached_and_the_client_told_once(earlier,
                                                                            attach_only, tell):
    rule = day_rule(earlier, allowance=3)
    assert (rule.attach_only, rule.tell_client) == (attach_only, tell)


def test_a_day_is_the_hotline_s_calendar_day_even_when_the_clocks_change():
    start, end = local_day(datetime(2026, 3, 29, 12, 0, tzinfo=UTC), PARIS)  # DST starts
    assert (start, end) == (datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
                            datetime(2026, 3, 29, 22, 0, tzinfo=UTC))
    assert end - start == timedelta(hours=23)
    late = local_day(datetime(2026, 3, 30, 22, 30, tzinfo=UTC), PARIS)  # 00:30 in Paris
    assert late[0] == datetime(2026, 3, 30, 22, 0, tzinfo=UTC)


def test_r08_our_token_names_its_entry_and_cannot_be_forged():
    token = entry_token("secret", 12)
    assert token.startswith("[#12-") and len(token) == len("[#12-") + 9
    assert token_entry("secret", f"Re: Votre email {token}") == 12
    assert token_entry("other secret", f"Re: {token}") is None
    assert token_entry("secret", token.replace("[#12-", "[#13-")) is None
    assert token_entry("secret", "Re: [#12-00000000]") is None
    assert token_entry("secret", "Re: sans jeton") is None


@pytest.mark.parametrize(("message_id", "key"), [
    ("entry-7-reminder-1@callq.example.test", "entry-7-reminder-1"),
    ("entry-7-reminder-1@CALLQ.example.test", "entry-7-reminder-1"),
    ("entry-7-reminder-1@elsewhere.example", None),
    ("CAJx8s=Ff3k2Lq9oQ1w@mail.gmail.com", None),
    ("no-at-sign", None),
])
def test_r08_only_our_own_message_ids_give_an_outbox_key(message_id, key):
    assert our_key(message_id, "callq.example.test") == key


@pytest.mark.parametrize(("key", "reference"), [
    ("entry-7-reminder-1", Reference("entry", "7")),
    ("entry-12-mail-long-40", Reference("entry", "12")),
    ("appt-3-seq-2-request", Reference("appointment", "3")),
    ("booking-email-CA0123", Reference("call", "CA0123")),
    ("booking-link-abcdef-email", None),
    ("mail-day-0a1b2c-2026-03-30", None),
])
def test_r08_an_outbox_key_says_what_our_email_was_about(key, reference):
    assert reference_of(key) == reference
