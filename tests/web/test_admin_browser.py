"""The administration in a real headless Chromium against a real server (issue 12): every page
as an administrator (forms filled and sent as a person would), and 403 for an agent."""

from __future__ import annotations

import pytest

from callq.admin import closures
from tests.web.test_browser import chromium, server  # noqa: F401 (fixtures)
from tests.workspace_data import PASSWORD, add_agent, add_client

pytestmark = pytest.mark.browser
HEADINGS = {
    "/admin/clients": "Clients", "/admin/clients/new": "Nouveau client",
    "/admin/clients/import": "Importer des clients", "/admin/agents": "Agents",
    "/admin/absences": "Absences", "/admin/closures": "Jours de fermeture de la hotline",
    "/admin/hours": "Horaires et jours fériés", "/admin/texts": "Textes dits aux appelants et "
    "envoyés aux clients", "/admin/series": "Séries du logiciel",
    "/admin/history": "Historique de l'administration",
}


def _log_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/agents/")


def test_an_administrator_reaches_every_page_and_changes_things_through_forms(
        chromium, server, tmp_path):  # noqa: F811
    base, runtime = server
    add_agent(runtime, "Alice", email="alice@example.test", admin=True)
    lilas = add_client(runtime)
    page = chromium.new_page(locale="fr-FR")
    try:
        _log_in(page, base, "alice@example.test")
        page.click("text=Administration")
        page.wait_for_url(base + "/admin/clients")
        for path, heading in HEADINGS.items():
            response = page.goto(base + path)
            assert response.status == 200, path
            assert page.inner_text("h1") == heading, path
        page.goto(f"{base}/admin/clients/{lilas}")
        assert page.inner_text("h1") == "Clinique des Lilas"
        page.goto(base + "/admin/closures")
        page.fill("input[name=day]", "2026-04-08")
        page.fill("input[name=label]", "inventaire annuel")
        page.click("form.admin-form button[type=submit]")
        assert page.inner_text("tr.closure").startswith("mercredi 8 avril 2026")
        assert [c.label for c in closures.list_closures(runtime)] == ["inventaire annuel"]
        csv = tmp_path / "clients.csv"
        csv.write_text("name,email,phones,language,product_version\n"
                       "Cabinet Keller,,+41 31 000 00 00,de,2024\n", encoding="utf-8")
        page.goto(base + "/admin/clients/import")
        page.set_input_files("input[name=file]", str(csv))
        page.uncheck("input[name=dry_run]")
        page.click("form.admin-form button[type=submit]")
        assert page.get_attribute(".counts", "data-created") == "1"
        page.goto(base + "/admin/clients?q=Keller")
        assert "Fin de support" in page.inner_text("tr.client")
        page.goto(base + "/admin/hours")
        page.click("button[value=preview]")
        assert page.locator("tr.preview-day").count() == 28
        page.goto(base + "/admin/history")
        assert page.locator("tr.change").count() == 2
    finally:
        page.close()


def test_an_agent_gets_403_on_the_administration(chromium, server):  # noqa: F811
    base, runtime = server
    add_agent(runtime, "Bob", email="bob@example.test")
    page = chromium.new_page(locale="fr-FR")
    try:
        _log_in(page, base, "bob@example.test")
        assert page.locator("text=Administration").count() == 0
        for path in HEADINGS:
            assert page.goto(base + path).status == 403, path
    finally:
        page.close()
