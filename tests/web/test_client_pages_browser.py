"""Booking, moving and cancelling as a client does it, in Chromium at 390x844 and 1366x900
(R12, R13): the day strip, then the day's times; contact fields first; the confirmation with
add-to-calendar links; "Rendez-vous déplacé"; the cancel page; the minimum notice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduling import links
from tests.planner_support import MONDAY_14H, add_agent, add_entry, appointment
from tests.web.client_browser import SIZES, shot

pytestmark = pytest.mark.browser


def _link(runtime, entry_id=None):
    return links.booking_link(runtime, entry_id=entry_id, client_id=None, phone="+33612345678",
                              email="helene@clinique.example", lang="fr", name="Hélène Dupont")


@pytest.mark.parametrize("size", SIZES)
def test_r13_a_client_books_moves_and_cancels_on_a_phone_and_a_laptop(browser, site, size):
    base, runtime = site
    add_agent(runtime)
    entry_id = add_entry(runtime, need="Impossible d'imprimer les ordonnances depuis ce matin")
    page = browser.new_page(viewport=SIZES[size])
    url = _link(runtime, entry_id).replace(runtime.settings.public_base_url, base)
    page.goto(url)
    assert page.locator("#f-phone").input_value() == "06\u00a012\u00a034\u00a056\u00a078"
    assert page.locator("text=Heures de Paris").count() == 1
    shot(page, f"book-{size}")
    # The first free day is open; the second day's times show once it is picked.
    assert page.locator("#times-0").is_visible() and not page.locator("#times-1").is_visible()
    page.locator("label[for=day-1]").click()
    assert page.locator("#times-1").is_visible() and not page.locator("#times-0").is_visible()
    shot(page, f"book-day2-{size}")
    page.locator("#times-1 label.time").nth(2).click()
    page.locator("form.booking button[type=submit]").click()
    page.wait_for_url("**/book/appointment/**")
    assert page.locator("p.notice").first.inner_text().startswith("C'est réservé")
    assert page.locator("a[href*='calendar.google.com']").count() == 1
    assert page.locator("a[href*='outlook.live.com']").count() == 1
    assert page.locator("a[href$='/calendar.ics']").count() == 1
    shot(page, f"booked-{size}")
    booked_at = appointment(runtime, 1).starts_at
    assert booked_at == MONDAY_14H + timedelta(days=1, hours=1)
    page.get_by_role("link", name="Déplacer le rendez-vous").click()
    shot(page, f"move-{size}")
    page.locator("label[for=day-2]").click()
    page.locator("#times-2 label.time").first.click()
    page.locator("form.move button[type=submit]").click()
    page.wait_for_url("**?moved=1")
    assert page.locator("p.notice").first.inner_text().startswith("Rendez-vous déplacé")
    shot(page, f"moved-{size}")
    page.get_by_role("link", name="Annuler le rendez-vous").click()
    assert page.locator("h1").inner_text() == "Annuler le rendez-vous"
    shot(page, f"cancel-{size}")
    page.locator("form.cancel button[type=submit]").click()
    assert page.locator("h1").inner_text() == "Rendez-vous annulé"
    shot(page, f"cancelled-{size}")
    page.close()


@pytest.mark.parametrize("size", SIZES)
def test_r13_a_wrong_phone_is_said_next_to_the_field_and_the_choice_is_kept(browser, site,
                                                                            size):
    base, runtime = site
    add_agent(runtime)
    page = browser.new_page(viewport=SIZES[size])
    page.goto(_link(runtime).replace(runtime.settings.public_base_url, base))
    page.locator("#f-phone").fill("12")
    page.locator("label[for=day-1]").click()
    page.locator("#times-1 label.time").first.click()
    page.locator("form.booking button[type=submit]").click()
    error = page.locator("#phone-error")
    assert error.is_visible()
    assert page.locator("#f-phone").get_attribute("aria-describedby") == "phone-error"
    # The chosen day stays open and its time stays chosen.
    assert page.locator("#times-1").is_visible()
    assert page.locator("#times-1 input[type=radio]").first.is_checked()
    shot(page, f"book-error-{size}")
    page.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_waiting_client_takes_a_freed_slot_from_the_offer(browser, site, size, queue):
    from callq import db
    from scheduling import waitlist
    from scheduling.booking import cancel_appointment
    from tests.conftest import run_due_jobs
    from tests.planner_support import book, short_target

    base, runtime = site
    add_agent(runtime)
    appt = book(runtime, start=MONDAY_14H + timedelta(days=1), client_email=None)
    add_entry(runtime, number="+33611111111", need="Export comptable impossible")
    with db.write(runtime.sessions) as session:
        cancel_appointment(session, runtime, appt.id, actor="agent")
    run_due_jobs(runtime, queue)
    with runtime.sessions() as session:
        from sqlalchemy import select

        from callq.models import GatewayRecord
        [text] = session.scalars(select(GatewayRecord.body).where(
            GatewayRecord.to_number == "+33611111111"))
    page = browser.new_page(viewport=SIZES[size])
    page.goto(base + short_target(runtime, text))
    assert page.locator("h1").inner_text() == "Un créneau de rappel s'est libéré"
    assert "Export comptable impossible" in page.locator("p.request").inner_text()
    shot(page, f"offer-{size}")
    page.locator("form.offer button[type=submit]").click()
    page.wait_for_url("**?booked=1")
    assert page.locator("p.notice").first.inner_text().startswith("C'est réservé")
    shot(page, f"offer-taken-{size}")
    assert waitlist.ACCEPTED == "accepted"
    page.close()


@pytest.mark.parametrize("size", SIZES)
def test_r13_inside_the_minimum_notice_the_page_says_to_call_the_hotline(browser, site, size,
                                                                        clock):
    from tests.planner_support import book

    base, runtime = site
    add_agent(runtime)
    appt = book(runtime, start=MONDAY_14H)
    token = links.manage_token(runtime, appointment_id=appt.id, sequence=appt.sequence,
                               lang="fr", until=appt.ends_at)
    clock.set(MONDAY_14H - timedelta(minutes=90))  # 1 h 30 before, inside the 2 h notice
    page = browser.new_page(viewport=SIZES[size])
    page.goto(f"{base}/book/appointment/{token}/cancel")
    notice = page.locator("[data-error=too_late]")
    assert "moins de 2\u00a0heures" in notice.inner_text()
    hotline = notice.locator("a[href='tel:+33478000002']")
    assert hotline.inner_text() == "04\u00a078\u00a000\u00a000\u00a002"
    assert page.locator("form.cancel").count() == 0
    shot(page, f"too-late-{size}")
    page.goto(f"{base}/r/notacode00")
    assert page.locator("h1").inner_text() == "Ce lien n'est pas valide"
    shot(page, f"short-link-unknown-{size}")
    page.close()
