"""The reports page over HTTP (R5-R16): administrators only, every table with its figures and
a CSV of it, charts drawn as SVG on the server, bad periods refused with a reason."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask

from tests import report_history
from tests.web.agent_pages import log_in, parse

PERIOD = "from=2026-04-01&to=2026-04-10"


@pytest.fixture
def app(tmp_path, engine, clock, mailer, queue) -> Flask:
    return report_history.app_for(tmp_path, engine, clock, mailer, queue)


@pytest.fixture
def history(runtime, clock):
    return report_history.build(runtime, clock)


@pytest.fixture
def admin(app, history):
    browser = app.test_client()
    assert log_in(browser, "camille@example.test").status_code == 302
    return browser


def test_r11_the_reports_are_for_administrators_an_agent_gets_403(app, history):
    anonymous = app.test_client()
    assert anonymous.get(f"/reports/?{PERIOD}").status_code == 401
    agent = app.test_client()
    assert log_in(agent, "dominique@example.test").status_code == 302
    refused = agent.get(f"/reports/?{PERIOD}")
    assert refused.status_code == 403
    assert "administrat" in refused.get_data(as_text=True)
    assert agent.get(f"/reports/export.csv?table=service&{PERIOD}").status_code == 403


def test_r11_the_page_shows_every_table_and_four_charts_drawn_on_the_server(admin):
    answer = admin.get(f"/reports/?{PERIOD}&lang=fr")
    assert answer.status_code == 200
    page = parse(answer.data)
    assert [t.attrs["data-table"] for t in page.find_all("table", class_="figures")] == [
        "volume", "service", "outcomes", "appointments", "daily"]
    charts = page.find_all("svg", class_="chart")
    assert len(charts) == 4 and all(c.attrs["role"] == "img" for c in charts)
    assert not page.find_all("script")  # nothing for a CSP to forbid
    assert not any("style" in e.attrs for e in page.iter())
    service = page.find("table", data_table="service")
    top = [cell.text for cell in service.find("tbody").find("tr").children]
    # Tous · 4 entries · 4,5 h median · 6,9 h p90 · 50 % · 75 % · 5 h · 7,8 h · 100 % · 1,5
    assert top == ["Tous", "4", "4,5", "6,9", "50", "75", "5", "7,8", "100", "1,5"]
    links = [a.attrs["href"] for a in page.find_all("a", class_="csv")]
    assert "/reports/export.csv?table=service&from=2026-04-01&to=2026-04-10" in links


def test_r11_every_table_downloads_as_csv_with_the_figures_of_the_page(admin):
    answer = admin.get(f"/reports/export.csv?table=service&{PERIOD}")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert "callq-service-2026-04-01-2026-04-10.csv" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    everyone = rows[0]
    assert (everyone["by"], everyone["entries"], everyone["first_callback_median_h"],
            everyone["resolution_within_pct"]) == ("all", "4", "4.5", "100.0")
    assert [(r["by"], r["group"]) for r in rows[5:]] == [("agent", "Camille"),
                                                        ("agent", "Dominique")]
    daily = admin.get(f"/reports/export.csv?table=daily&{PERIOD}").get_data(as_text=True)
    assert daily.splitlines()[0] == "day,messages,entries_opened,open_at_day_end"
    assert daily.splitlines()[1] == "2026-04-01,1,1,0"


@pytest.mark.parametrize(("query", "reason"), [
    ("from=2026-13-01", "from must be a date"),
    ("to=yesterday", "to must be a date"),
    ("from=2026-04-10&to=2026-04-01", "ends (2026-04-01) before it starts"),
    ("from=2000-01-01&to=2026-04-01", "at most 3660 days"),
])
def test_r11_a_bad_period_is_refused_with_400_and_its_reason(admin, query, reason):
    for path in ("/reports/", "/reports/export.csv?table=daily&"):
        answer = admin.get(path + ("?" if path.endswith("/") else "") + query)
        assert answer.status_code == 400
        assert reason in answer.get_data(as_text=True)


def test_r11_an_unknown_table_is_refused_with_400(admin):
    answer = admin.get(f"/reports/export.csv?table=secrets&{PERIOD}")
    assert answer.status_code == 400
    assert "table must be one of" in answer.get_data(as_text=True)


def test_r11_without_a_period_the_page_shows_the_last_30_days(admin):
    page = parse(admin.get("/reports/").data)
    days = page.find("table", data_table="daily").find("tbody").find_all("tr")
    assert len(days) == 30
    assert page.find("input", name="to").attrs["value"] == "2026-04-13"
