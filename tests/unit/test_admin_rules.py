"""The pure rules of the administration (issue 12): client fields, the CSV shape, the hours form
and its preview (R4), the series policy (R9), reworded texts and their placeholders."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from callq import i18n
from callq.admin.client_csv import CsvRefused, read_rows, write_rows
from callq.admin.client_fields import clean_fields, split_phones
from callq.status import VersionStatus
from callq.waiting.versions import SeriesPolicy, parse_series, version_status
from callq.wordings import MAIL, VOICE, overridable, wording_of
from scheduling.calendar import BERN, PARIS, BusinessCalendar, Mode
from scheduling.hours import form_of, preview, spec_from_form

HEADER = "name,email,phones,language,product_version\n"


def fields(**given: str):
    values = {"name": "Lilas", "email": "", "phones": "", "language": "",
              "product_version": "", **given}
    return clean_fields(name=values["name"], email=values["email"],
                        phones=split_phones(values["phones"]), language=values["language"],
                        product_version=values["product_version"], region="FR")


def test_client_fields_are_normalised():
    made = fields(name="  Clinique   des Lilas ", email="Accueil@Lilas.example",
                  phones="06 12 34 56 78; +41 31 000 00 00;0612345678", language="DE",
                  product_version=" 2026.2 ")
    assert made.as_dict() == {"name": "Clinique des Lilas", "email": "accueil@lilas.example",
                              "phones": ["+33612345678", "+41310000000"], "language": "de",
                              "product_version": "2026.2"}


@pytest.mark.parametrize("given,field", [
    ({"name": " "}, "name"), ({"name": "x" * 201}, "name"), ({"email": "a@b"}, "email"),
    ({"phones": "06 12"}, "phones"), ({"phones": "anonymous"}, "phones"),
    ({"language": "es"}, "language"), ({"product_version": "latest"}, "product_version"),
])
def test_bad_client_fields_name_the_field(given, field):
    with pytest.raises(ValueError, match=f"^{field}: "):
        fields(**given)


def test_csv_reads_any_column_order_a_bom_and_quoted_fields():
    text = ("\ufeffphones,name,email,language,product_version\n"
            '"0612345678;0145000001","Lilas, clinique",a@l.example,fr,2026\n\n')
    [row] = read_rows(text, "FR")
    assert (row.line, row.fields.name, row.fields.phones) == (
        2, "Lilas, clinique", ("+33612345678", "+33145000001"))


@pytest.mark.parametrize("text,problem", [
    ("", "the file is empty"),
    ("name,email\nA,\n", "line 1: the columns must be"),
    (HEADER + "A,,,,\nB,,,,,\n", "line 3: 6 values for 5 columns"),
])
def test_csv_shape_problems_are_named(text, problem):
    with pytest.raises(CsvRefused) as refused:
        read_rows(text, "FR")
    assert str(refused.value.problems[0]).startswith(problem)


def test_csv_reports_every_bad_line_not_only_the_first():
    with pytest.raises(CsvRefused) as refused:
        read_rows(HEADER + ",,,,x\nOk,,,,\nB,nope,,,\n", "FR")
    assert [str(p).split(":")[0] for p in refused.value.problems] == ["line 2", "line 4"]
    assert refused.value.problems[1].say("fr") == (
        "ligne 4\u00a0: email\u00a0: pas une adresse e-mail\u00a0: 'nope'")
    assert refused.value.problems[1].say("de") == (
        "Zeile 4: email: keine E-Mail-Adresse: 'nope'")


def test_csv_written_is_csv_read():
    made = [fields(name="Lilas, clinique", phones="0612345678;0145000001", language="fr"),
            fields(name="Keller")]
    assert [r.fields for r in read_rows(write_rows(made), "FR")] == made


def test_r04_the_hours_form_gives_back_its_spec():
    for spec in (PARIS, BERN):
        again = spec_from_form(form_of(spec))
        assert (again.week, again.timezone, again.holiday_country, again.holiday_subdiv,
                again.eve_of_holiday_close) == (spec.week, spec.timezone, spec.holiday_country,
                                                spec.holiday_subdiv, spec.eve_of_holiday_close)


@pytest.mark.parametrize("change,field", [
    ({"live_mon": "9h-12h"}, "live_mon"), ({"live_mon": "12:00-09:00"}, "live_mon"),
    ({"live_mon": "25:00-26:00"}, "live_mon"),
    ({"appointments_mon": "11:00-15:00"}, "live_mon"),  # overlaps the morning
    ({"timezone": "Mars/Base"}, "timezone"), ({"holiday_country": "ZZ"}, "holiday_country"),
    ({"holiday_country": "France"}, "holiday_country"),
    ({"eve_of_holiday_close": "4pm"}, "eve_of_holiday_close"),
])
def test_r04_a_bad_hours_form_names_its_field(change, field):
    with pytest.raises(ValueError, match=f"^{field}: "):
        spec_from_form({**form_of(PARIS), **change})


def test_r04_the_preview_shows_modes_holidays_closures_and_slots():
    calendar = BusinessCalendar(PARIS, {date(2026, 4, 8): "inventaire annuel"})
    days = preview(calendar, date(2026, 4, 3), timedelta(minutes=30), days=7)
    by_day = {d.day: d for d in days}
    assert by_day[date(2026, 4, 3)].spans == ((time(9), time(12), Mode.LIVE),
                                              (time(14), time(18), Mode.APPOINTMENTS))
    assert by_day[date(2026, 4, 3)].slots == 8
    assert by_day[date(2026, 4, 6)].holiday == "Lundi de Pâques"
    assert by_day[date(2026, 4, 8)].holiday == "inventaire annuel"
    assert (by_day[date(2026, 4, 4)].spans, by_day[date(2026, 4, 4)].slots) == ((), 0)
    assert len(days) == 7


@pytest.mark.parametrize("version,status", [
    ("2027.1", VersionStatus.SUPPORTED), ("2026", VersionStatus.SUPPORTED),
    ("2025.4", VersionStatus.SUPPORTED), ("2024", VersionStatus.ON_QUOTE),
    ("2023", VersionStatus.ON_QUOTE), ("2022.9", VersionStatus.END_OF_SUPPORT),
    ("v?", VersionStatus.UNKNOWN),
])
def test_r09_a_stored_policy_decides_the_status(version, status):
    policy = SeriesPolicy(frozenset({2026, 2025}), frozenset({2024, 2023}))
    assert version_status(version, policy) is status


def test_r09_the_default_policy_is_the_setting_and_bad_policies_are_refused():
    assert SeriesPolicy.current("2026") == SeriesPolicy(frozenset({2026}), frozenset({2025}))
    assert parse_series("2026, 2025;2024 ") == {2026, 2025, 2024}
    with pytest.raises(ValueError):
        parse_series("2026, next")
    with pytest.raises(ValueError):
        SeriesPolicy(frozenset())
    with pytest.raises(ValueError):
        SeriesPolicy(frozenset({2026}), frozenset({2026}))


@pytest.mark.parametrize("wording,problem", [
    ("Bonjour %(nom)s", r"unknown placeholder: %\(nom\)s"),
    ("100 % sûr", "badly formed"), ("Bonjour %s", "badly formed"),
])
def test_a_wording_with_an_unknown_or_malformed_placeholder_is_refused(wording, problem):
    with pytest.raises(ValueError, match=problem):
        i18n.check_wording("Hello %(name)s,", wording)


def test_a_wording_may_leave_out_placeholders_and_write_percent_signs():
    i18n.check_wording("Hello %(name)s,", "Bonjour à 100 %%,")


def test_reworded_texts_overlay_the_catalog_and_go_away():
    original = i18n.gettext("Support is closed.", "fr")
    before = i18n.overrides_generation()
    try:
        i18n.use_overrides({"fr": {"Support is closed.": "Fermé, revenez demain."}})
        assert i18n.gettext("Support is closed.", "fr") == "Fermé, revenez demain."
        assert i18n.gettext("Support is closed.", "de") != "Fermé, revenez demain."
        assert i18n.overrides_generation() != before
    finally:
        i18n.use_overrides({})
    assert i18n.gettext("Support is closed.", "fr") == original


def test_only_voice_prompts_and_email_or_sms_texts_may_be_reworded():
    found = overridable()
    assert {w.group for w in found} == {VOICE, MAIL}
    assert wording_of("Hello, this is technical support.").group == VOICE
    assert wording_of("Book your support callback").group == MAIL
    assert wording_of("Waiting room") is None  # a page's word, not said to clients
    assert wording_of("EEEE d MMMM y") is None  # a date pattern (has a context)
    assert wording_of("Support is closed today: %(holiday)s.").placeholders == {"holiday"}
