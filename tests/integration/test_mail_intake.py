"""Emails filed into the waiting room like voicemails, on both databases (R5-R8, issue 18):
one need, one entry whatever the channel; replies to our emails; the seeds' email rules."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from callq import db, notify
from callq.inbox.rules import token_entry
from callq.models import Message, MessageAttachment, SideEffect, WaitingEntry
from callq.status import EntryStatus, Tier
from callq.waiting_room import list_entries
from tests.mail_support import deliver, sample, written
from tests.voice_support import add_client, message, rows

MARIE = "marie.dupont@cabinet-dupont.fr"
MARIE_PHONE = "+33478000002"


def entries(runtime):
    return rows(runtime, WaitingEntry)


def emails_sent(runtime):
    with runtime.sessions() as session:
        return [e.payload | {"key": e.key} for e in session.scalars(
            select(SideEffect).where(SideEffect.kind == "email").order_by(SideEffect.id))]


def marie(runtime):
    return add_client(runtime, "Cabinet Dupont", MARIE_PHONE,
                      email="Marie.Dupont@cabinet-dupont.fr")


def test_r05_an_email_from_a_known_client_becomes_one_entry_called_back_on_their_number(
        runtime, clock):
    client_id = marie(runtime)
    receipt = deliver(runtime, sample("thunderbird_qp_fr.eml"))
    [entry] = entries(runtime)
    assert (receipt.outcome, receipt.entry_id) == ("filed", entry.id)
    assert (entry.client_id, entry.caller_number, entry.caller_email) == (
        client_id, MARIE_PHONE, MARIE)
    assert entry.arrived_at == entry.queued_at == clock.current
    assert (entry.vague, entry.tier) == (False, Tier.CRITICAL)  # "toute la clinique est bloquée"
    [msg] = rows(runtime, Message)
    assert (msg.channel, msg.entry_id, msg.from_email, msg.from_number) == (
        "email", entry.id, MARIE, MARIE_PHONE)
    assert msg.mail_message_id == "3b1f0c2e-9a77-4c1e-8f0a-1d2e3f4a5b6c@cabinet-dupont.fr"
    assert msg.speech_text.startswith("Impossible de facturer depuis la mise à jour. Depuis")
    assert "Cordialement" not in msg.body_text and msg.subject.startswith("Impossible")
    [event] = _events(runtime, entry.id)
    assert (event.kind, event.detail["channel"], event.detail["mail_flags"]) == (
        "created", "email", [])


def _events(runtime, entry_id):
    with runtime.sessions() as session:
        return list(session.get(WaitingEntry, entry_id).events)


def test_r08_a_call_then_an_email_about_the_same_need_is_one_entry_with_two_messages(
        runtime, clock):
    marie(runtime)
    message(runtime, 1, MARIE_PHONE, "Impossible de facturer, la facturation est bloquée")
    called = clock.current
    clock.advance(minutes=40)
    receipt = deliver(runtime, sample("thunderbird_qp_fr.eml"))
    [entry] = entries(runtime)
    assert (receipt.outcome, entry.messages_count) == ("attached", 2)
    assert [m.channel for m in rows(runtime, Message)] == ["voice", "email"]
    assert entry.arrived_at == called and entry.queued_at == clock.current  # moved back (R8)


def test_r08_an_email_doubling_a_call_never_moves_its_entry_up(runtime, clock):
    marie(runtime)
    message(runtime, 1, MARIE_PHONE, "La facturation est un peu lente, ce n'est pas bloquant")
    [before] = entries(runtime)
    clock.advance(minutes=5)
    deliver(runtime, sample("thunderbird_qp_fr.eml"))  # says "toute la clinique est bloquée"
    [after] = entries(runtime)
    assert after.tier == before.tier == Tier.LOW and after.queued_at >= before.queued_at


def test_r08_with_mail_moves_back_off_an_email_leaves_the_entry_in_its_place(runtime, clock):
    runtime.settings = runtime.settings.replace(mail_moves_back=False)
    marie(runtime)
    message(runtime, 1, MARIE_PHONE, "Impossible de facturer, la facturation est bloquée")
    [before] = entries(runtime)
    clock.advance(hours=2)
    deliver(runtime, sample("thunderbird_qp_fr.eml"))
    [after] = entries(runtime)
    assert after.queued_at == before.queued_at and after.messages_count == 2


def test_r08_an_email_then_a_call_about_the_same_need_is_one_entry(runtime, clock):
    marie(runtime)
    deliver(runtime, sample("thunderbird_qp_fr.eml"))
    clock.advance(minutes=20)
    message(runtime, 1, MARIE_PHONE, "Je vous ai écrit, on ne peut toujours pas facturer")
    [entry] = entries(runtime)
    assert entry.messages_count == 2
    assert [m.channel for m in rows(runtime, Message)] == ["email", "voice"]


def test_r08_an_email_about_a_different_need_is_a_second_entry(runtime, clock):
    marie(runtime)
    message(runtime, 1, MARIE_PHONE, "L'imprimante des ordonnances n'imprime plus")
    clock.advance(minutes=20)
    receipt = deliver(runtime, sample("thunderbird_qp_fr.eml"))
    assert receipt.outcome == "filed"
    assert sorted(e.messages_count for e in entries(runtime)) == [1, 1]
    with runtime.sessions() as session:
        page, _ = list_entries(session, runtime)
    assert [e.caller_email for e in page] == [MARIE, None]  # critical billing first (R6)


def test_r08_an_unknown_sender_is_recognised_by_address_and_by_the_number_they_wrote(runtime,
                                                                                     clock):
    deliver(runtime, written("Anne <anne@example.org>", "Sauvegarde", "La sauvegarde ne se "
                             "lance plus.\n\nAnne\n06 11 22 33 44", message_id="a1@example.org",
                             runtime=runtime))
    clock.advance(minutes=10)
    deliver(runtime, written("anne@EXAMPLE.org", "Re: Sauvegarde", "Toujours pas de "
                             "sauvegarde ce matin.", message_id="a2@example.org",
                             runtime=runtime))
    clock.advance(minutes=10)
    message(runtime, 1, "+33611223344", "C'est pour la sauvegarde qui ne se lance plus")
    [entry] = entries(runtime)
    assert (entry.client_id, entry.caller_email, entry.caller_number) == (
        None, "anne@example.org", "+33611223344")
    assert entry.messages_count == 3


def _jean_reminded(runtime):
    """Jean's entry, about which we emailed him (key entry-<id>-reminder-1)."""
    add_client(runtime, "Pharmacie Martin", "+33478112233",
               email="jean.martin@pharmacie-martin.fr")
    message(runtime, 1, "+33478112233", "Question sur la sauvegarde des données")
    [entry] = entries(runtime)
    with db.write(runtime.sessions) as session:
        notify.queue_email(session, runtime, key=f"entry-{entry.id}-reminder-1",
                           to="jean.martin@pharmacie-martin.fr", subject="Votre demande",
                           text="Nous n'avons pas pu vous joindre.")
    return entry


def test_r08_a_reply_to_our_email_attaches_to_its_entry_whatever_its_wording(runtime, clock):
    entry = _jean_reminded(runtime)
    clock.advance(hours=1)
    raw = sample("outlook_latin1_reply_fr.eml", **{"entry-7-": f"entry-{entry.id}-"})
    receipt = deliver(runtime, raw)  # "le terminal de carte est toujours bloqué"
    [after] = entries(runtime)
    assert (receipt.outcome, receipt.flags, after.messages_count) == ("attached", ("answer",), 2)
    assert after.tier == entry.tier  # never up (R8)


def test_r08_a_forged_reply_from_another_address_does_not_reach_the_entry(runtime, clock):
    entry = _jean_reminded(runtime)
    raw = sample("outlook_latin1_reply_fr.eml", **{
        "entry-7-": f"entry-{entry.id}-", "jean.martin@pharmacie-martin.fr": "x@evil.example"})
    assert deliver(runtime, raw).outcome == "filed"
    assert sorted(e.messages_count for e in entries(runtime)) == [1, 1]


def test_r08_a_reply_carrying_our_token_attaches_whoever_sends_it(runtime, clock):
    deliver(runtime, sample("long_email_fr.eml"))  # answered with the token in the subject
    [entry] = entries(runtime)
    [answer] = emails_sent(runtime)
    assert token_entry(runtime.settings.secret_key, answer["subject"]) == entry.id
    clock.advance(hours=1)
    receipt = deliver(runtime, written("assistante@cabinet-bernard.fr", "Re: " + answer["subject"],
                                       "Rappelez-moi plutôt.", message_id="t1@cabinet-bernard.fr",
                                       runtime=runtime))
    assert (receipt.outcome, receipt.entry_id) == ("attached", entry.id)


def test_r08_a_reply_about_a_closed_entry_is_filed_by_its_need(runtime, clock):
    entry = _jean_reminded(runtime)
    with db.write(runtime.sessions) as session:  # closed by an agent's outcome, long ago
        session.get(WaitingEntry, entry.id).status = EntryStatus.CLOSED
    receipt = deliver(runtime, sample("outlook_latin1_reply_fr.eml",
                                      **{"entry-7-": f"entry-{entry.id}-"}))
    assert receipt.outcome == "filed" and receipt.entry_id != entry.id


def test_r02_r08_a_reply_to_the_afternoon_booking_email_attaches_to_the_call_s_entry(runtime,
                                                                                     clock):
    add_client(runtime, "Paul Leroy", "+33478445566", email="paul.leroy@gmail.com")
    clock.set(datetime(2026, 3, 30, 12, 30, tzinfo=UTC))  # 14:30 in Paris: appointments (R2)
    message(runtime, 1, "+33478445566", "Le planning n'affiche plus les rendez-vous")
    [booking] = emails_sent(runtime)
    assert booking["key"] == "booking-email-CA00000000000000000000000000000001"
    clock.advance(minutes=30)
    raw = sample("gmail_reply_fr.eml", CA0123456789abcdef0123456789abcdef=booking["key"][14:])
    receipt = deliver(runtime, raw)  # "aucun créneau ne me convient, rappelez-moi"
    [entry] = entries(runtime)
    assert (receipt.outcome, entry.messages_count, entry.vague) == ("attached", 2, False)


def test_seeds_a_fourth_email_of_the_day_is_attached_not_filed_and_the_client_told_once(
        runtime, clock):
    marie(runtime)
    needs = ["Le TPE est en panne", "L'imprimante des ordonnances n'imprime plus",
             "La sauvegarde ne se lance plus", "Le planning n'affiche plus les rendez-vous",
             "Les relances clients ne partent plus"]
    receipts = []
    for n, need in enumerate(needs):
        clock.advance(minutes=30)
        receipts.append(deliver(runtime, written(MARIE, need, need + " depuis ce matin.",
                                                 message_id=f"d{n}@cabinet-dupont.fr",
                                                 runtime=runtime)))
    assert [r.outcome for r in receipts] == ["filed", "filed", "filed", "attached", "attached"]
    assert receipts[3].flags == ("over_daily_limit",)
    assert len(entries(runtime)) == 3
    [notice] = emails_sent(runtime)
    assert notice["to"] == MARIE and "plusieurs e-mails" in notice["text"]
    clock.advance(days=1)
    tomorrow = deliver(runtime, written(MARIE, "Export", "L'export comptable échoue.",
                                        message_id="d9@cabinet-dupont.fr", runtime=runtime))
    assert tomorrow.outcome == "filed"


def test_seeds_a_long_email_is_filed_with_a_badge_and_answered_with_a_booking_link(runtime):
    receipt = deliver(runtime, sample("long_email_fr.eml"))
    assert (receipt.outcome, receipt.flags) == ("filed", ("long",))
    [answer] = emails_sent(runtime)
    assert answer["to"] == "sophie.bernard@cabinet-bernard.fr"
    assert "https://callq.example.test/book/" in answer["text"]
    assert "le matin" in answer["text"]  # French: the standard answer, in the sender's language
    [msg] = rows(runtime, Message)
    assert msg.email_facts["flags"] == ["long"] and len(msg.body_text) > 1500


def test_seeds_an_email_naming_several_subjects_is_flagged_for_an_agent_to_split(runtime):
    marie(runtime)
    receipt = deliver(runtime, sample("several_subjects_fr.eml"))
    assert receipt.flags == ("several_subjects",)
    [event] = _events(runtime, receipt.entry_id)
    assert event.detail["mail_flags"] == ["several_subjects"]


def test_the_same_email_delivered_twice_is_filed_once(runtime, clock):
    marie(runtime)
    first = deliver(runtime, sample("attachments_fr.eml"))
    clock.advance(minutes=5)
    again = deliver(runtime, sample("attachments_fr.eml"))
    assert (first.outcome, again.outcome) == ("filed", "duplicate")
    assert len(rows(runtime, Message)) == 1 and len(rows(runtime, MessageAttachment)) == 3


def test_attachments_are_kept_under_the_instance_folder_once_per_content(runtime):
    deliver(runtime, sample("attachments_fr.eml"))
    stored = rows(runtime, MessageAttachment)
    assert [(a.filename, a.content_type, a.size) for a in stored] == [
        ("capture.png", "image/png", 70), ("rapport erreur.pdf", "application/pdf", 45),
        ("page.html", "text/html", 25)]
    folder = runtime.settings.instance_path
    assert (folder / stored[1].path).read_bytes().startswith(b"%PDF-1.4")
    assert all(a.path.startswith("attachments/") for a in stored)


def test_auto_replies_bounces_and_our_own_emails_file_nothing(runtime):
    for name in ("auto_reply_ooo.eml", "precedence_bulk.eml", "bounce.eml", "broken_mime.eml"):
        assert deliver(runtime, sample(name)).outcome == "ignored"
    ours = written("Support <support@callq.example.test>", "Votre demande", "Bonjour",
                   message_id="loop@callq.example.test", runtime=runtime)
    receipt = deliver(runtime, ours)
    assert receipt.outcome == "ignored" and receipt.reason.startswith("loop")
    assert entries(runtime) == [] and rows(runtime, Message) == []


def test_r06_a_german_client_s_email_is_read_with_the_german_lexicon(runtime):
    add_client(runtime, "Praxis Muster", "+41311234567", email="hans.muster@praxis-muster.ch",
               language="de")
    deliver(runtime, sample("german_signature_de.eml"))
    [entry] = entries(runtime)
    assert (entry.language, entry.tier, entry.caller_number) == ("de", Tier.CRITICAL,
                                                                  "+41311234567")


def test_r07_an_email_that_only_asks_for_a_call_goes_after_every_stated_need(runtime, clock):
    deliver(runtime, written("a@example.org", "Rappel", "Bonjour,\nMerci de me rappeler.",
                             message_id="v1@example.org", runtime=runtime))
    clock.advance(minutes=5)
    deliver(runtime, sample("html_only_fr.eml"))
    with runtime.sessions() as session:
        page, _ = list_entries(session, runtime)
    assert [(e.caller_email, e.vague) for e in page] == [
        ("helene.roux@laboratoire-roux.fr", False), ("a@example.org", True)]


def test_the_same_email_delivered_twice_at_once_is_filed_once(runtime):
    from concurrent.futures import ThreadPoolExecutor

    raw = sample("thunderbird_qp_fr.eml")
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(r.outcome for r in pool.map(lambda _: deliver(runtime, raw), range(4)))
    assert outcomes == ["duplicate", "duplicate", "duplicate", "filed"]
    assert len(rows(runtime, Message)) == 1 and len(entries(runtime)) == 1
