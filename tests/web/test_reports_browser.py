"""The reports page in a real headless Chromium (R11): an administrator logs in, opens the
reports of a period, sees the charts drawn and the tables, and downloads a table as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import report_history
from tests.web.client_browser import free_port, serving
from tests.web.test_browser import chromium  # noqa: F401  (the browser fixture)
from tests.workspace_data import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path, engine, clock, mailer, queue) -> Iterator[tuple[str, Any]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = report_history.app_for(tmp_path, engine, clock, mailer, queue, public_base_url=base)
    report_history.build(app.extensions["callq"], clock)
    with serving(app, port):
        yield base, app.extensions["callq"]


def test_r11_an_administrator_sees_the_charts_and_downloads_a_table(chromium, server,  # noqa: F811
                                                                  tmp_path):
    base, _ = server
    page = chromium.new_page(accept_downloads=True)
    errors: list[str] = []
    page.on("response", lambda response: errors.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "camille@example.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click("text=Rapports")
    page.fill("input[name=from]", "2026-04-01")
    page.fill("input[name=to]", "2026-04-10")
    page.click("#period button[type=submit]")
    chart = page.locator("svg.chart").first
    chart.wait_for(state="visible")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 60
    assert page.locator("svg.chart").count() == 4
    chart.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "reports.png"))  # to look at when it fails
    # The lines of the first chart are drawn: paths with a stroke, inside the visible chart.
    assert page.locator("svg.chart >> nth=0 >> path").count() >= 2
    assert page.locator("figcaption").first.inner_text() == "Messages et demandes par jour"
    row = page.locator("table[data-table=service] tbody tr").first
    assert row.locator("th").inner_text() == "Tous"
    assert row.locator("td").nth(0).inner_text() == "4"
    with page.expect_download() as download:
        page.click("#table-daily a.csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[1] == "2026-04-01,1,1,0"
    assert errors == []
    page.close()
