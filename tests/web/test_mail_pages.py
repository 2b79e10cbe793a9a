"""What agents see of emails (issue 18): the channel in the list and on the entry, the email's
text (never its HTML), its flags, and its attachments, served to logged-in agents only, as
downloads with safe names and harmless types."""

from __future__ import annotations

import pytest

from callq.models import MessageAttachment
from tests.mail_support import deliver, sample, written
from tests.voice_support import message, rows
from tests.web.agent_pages import log_in, parse
from tests.workspace_data import add_agent


@pytest.fixture
def client(app, runtime):
    add_agent(runtime)
    browser = app.test_client()
    assert log_in(browser, "camille@example.test").status_code == 302
    return browser


def test_the_list_shows_each_entry_s_channels_and_an_email_s_flags(client, runtime, clock):
    message(runtime, 1, "+33612345678", "L'imprimante des ordonnances n'imprime plus")
    deliver(runtime, sample("long_email_fr.eml"))
    page = parse(client.get("/agents/?lang=fr").data)
    rows_ = page.find_all("li", class_="entry")
    badges = [[" ".join(sorted(b.text.split())) for b in row.find("div", class_="head")
               .find_all("span", class_="channel")] for row in rows_]
    assert sorted(badges) == [["e-mail par ✉"], ["par téléphone ☎"]]
    [flagged] = [row for row in rows_ if row.find_all("span", class_="mail-flag")]
    assert flagged.find("span", class_="mail-flag").text == "E-mail long"
    assert "sophie.bernard@cabinet-bernard.fr" in flagged.find("a", class_="who").text


def test_an_email_s_text_is_shown_as_text_and_its_html_never_reaches_the_page(client, runtime):
    html = ('<p>Le TPE est en panne.</p><script>alert("pris")</script>'
            '<img src=x onerror="alert(1)">')
    receipt = deliver(runtime, written("a@example.org", "<b>TPE</b>", "Le TPE est en panne.",
                                       html=html, message_id="h1@example.org", runtime=runtime))
    body = client.get(f"/agents/entries/{receipt.entry_id}?lang=en").get_data(as_text=True)
    assert "<script>alert" not in body and "onerror" not in body and "<b>TPE</b>" not in body
    page = parse(body)
    assert page.find("strong", class_="subject").text == "<b>TPE</b>"  # escaped, as text
    assert page.find("div", class_="mail-text").text == "Le TPE est en panne."
    assert page.find("span", class_="from").text == "a@example.org"


def test_attachments_are_listed_and_downloaded_by_agents_only(app, client, runtime):
    receipt = deliver(runtime, sample("attachments_fr.eml"))
    page = parse(client.get(f"/agents/entries/{receipt.entry_id}?lang=fr").data)
    links = page.find("ul", class_="attachments").find_all("a")
    assert [a.text for a in links] == ["capture.png", "rapport erreur.pdf", "page.html"]
    pdf, html = rows(runtime, MessageAttachment)[1:]
    response = client.get(f"/agents/attachments/{pdf.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-1.4")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "rapport" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    risky = client.get(f"/agents/attachments/{html.id}")
    assert risky.mimetype == "application/octet-stream"  # HTML is never served as HTML
    assert risky.headers["Content-Disposition"].startswith("attachment;")
    assert client.get("/agents/attachments/999").status_code == 404
    anonymous = app.test_client().get(f"/agents/attachments/{pdf.id}")
    assert anonymous.status_code == 401 and b"%PDF" not in anonymous.data


def test_the_api_gives_an_email_message_s_channel_text_and_attachments(app, runtime):
    receipt = deliver(runtime, sample("attachments_fr.eml"))
    response = app.test_client().get(f"/api/entries/{receipt.entry_id}",
                                     headers={"Authorization": "Bearer test-api-token"})
    [msg] = response.get_json()["messages"]
    assert (msg["channel"], msg["from_email"], msg["subject"]) == (
        "email", "marie.dupont@cabinet-dupont.fr", "Message d'erreur à l'impression")
    assert [a["filename"] for a in msg["attachments"]] == [
        "capture.png", "rapport erreur.pdf", "page.html"]
    assert response.get_json()["entry"]["caller_email"] == "marie.dupont@cabinet-dupont.fr"
