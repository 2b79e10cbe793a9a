"""The administration commands (issue 12), each with good and bad input, and the traps a new
user fell into: the CLI outside the project folder, an unreachable database, the public URL of
a running service, bad settings at start."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from callq import audit, db
from callq.bootstrap import record_public_url, settings_from
from callq.cli import main
from callq.models import Absence, Client, Closure
from callq.settings import SettingsError
from tests.planner_support import add_agent, book

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def cli(runtime):
    """Run `callq ...` against the test's database and instance folder."""
    settings = runtime.settings
    env = {"CALLQ_DATABASE_URL": settings.database_url,
           "CALLQ_INSTANCE_PATH": str(settings.instance_path), "CALLQ_ENV": "test",
           "CALLQ_SECRET_KEY": "k", "CALLQ_REDIS_URL": "redis://127.0.0.1:1/0",
           "CALLQ_PUBLIC_BASE_URL": "https://callq.example.test"}

    def run(*args: str, **more_env: str):
        return CliRunner().invoke(main, list(args), env=env | more_env,
                                  catch_exceptions=False)
    return run


def rows(runtime, model):
    with db.read(runtime.sessions) as session:
        return list(session.scalars(select(model)))


def test_clients_import_dry_run_import_export_list_merge(cli, runtime, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("name,email,phones,language,product_version\n"
                    "Lilas,a@l.example,0612345678,fr,2026\nKeller,,0698765432,de,2024\n",
                    encoding="utf-8")
    dry = cli("clients", "import", str(path), "--dry-run")
    assert dry.exit_code == 0 and "2 clients would be created" in dry.output
    assert rows(runtime, Client) == []
    done = cli("--operator", "alice", "clients", "import", str(path))
    assert "2 clients were created, 0 updated, 0 unchanged" in done.output
    assert audit.recent(runtime)[0].actor == "alice"
    again = cli("clients", "import", str(path))
    assert "0 clients were created, 0 updated, 2 unchanged" in again.output
    exported = cli("clients", "export")
    assert exported.output.splitlines() == ["name,email,phones,language,product_version",
                                            "Keller,,+33698765432,de,2024",
                                            "Lilas,a@l.example,+33612345678,fr,2026"]
    listed = cli("clients", "list", "--search", "Keller")
    assert "end_of_support" in listed.output and "1 clients" in listed.output
    ids = sorted(c.id for c in rows(runtime, Client))
    merged = cli("clients", "merge", str(ids[0]), str(ids[1]))
    assert merged.exit_code == 0 and len(rows(runtime, Client)) == 1
    assert cli("clients", "merge", "1", "999").exit_code == 1


def test_clients_import_bad_rows_name_each_line_and_exit_non_zero(cli, runtime, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,email,phones,language,product_version\nA,,12,,\nB,,,,2026\n,x,,,\n")
    result = CliRunner().invoke(main, ["clients", "import", str(path)],
                                                env={"CALLQ_DATABASE_URL":
                                                     runtime.settings.database_url,
                                                     "CALLQ_INSTANCE_PATH":
                                                     str(runtime.settings.instance_path)})
    assert result.exit_code == 1
    assert "bad.csv: line 2: phones: not a phone number" in result.stderr
    assert "bad.csv: line 4: name: a client needs a name" in result.stderr
    assert "nothing imported: 2 bad line(s)" in result.stderr
    assert rows(runtime, Client) == []
    assert cli("clients", "import", str(tmp_path / "missing.csv")).exit_code == 2


def test_agents_add_edit_disable_enable_reset_password(cli, runtime):
    assert cli("agents", "add", "--email", "cam@x.example", "--password", "longenough",
               "--phone", "0612000009").exit_code == 0
    edited = cli("agents", "edit", "cam@x.example", "--name", "Camille", "--admin",
                 "--language", "de")
    assert "Camille, +33612000009, de, administrator" in edited.output
    assert cli("agents", "edit", "cam@x.example", "--phone", "12").exit_code == 1
    assert cli("agents", "edit", "nobody@x.example", "--name", "N").exit_code == 1
    assert cli("agents", "disable", "cam@x.example").exit_code == 0
    assert "disabled" in cli("agents", "list").output
    assert cli("agents", "enable", "cam@x.example").exit_code == 0
    reset = cli("agents", "reset-password", "cam@x.example")
    assert reset.exit_code == 0 and "new password of cam@x.example: " in reset.output
    assert cli("agents", "reset-password", "cam@x.example", "--password", "short"
               ).exit_code == 1
    actions = [line.action for line in audit.recent(runtime)]
    assert actions == ["agent.reset_password", "agent.enable", "agent.disable", "agent.edit",
                       "agent.add"]


def _next_afternoon(runtime) -> datetime:
    """14:00 in Paris on a working day a few days after the real now (the CLI's clock)."""
    calendar = runtime.calendar()
    day = datetime.now(UTC).date() + timedelta(days=3)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(14), tzinfo=calendar.tz).astimezone(UTC)


def test_r14_absences_add_list_remove(cli, runtime, clock):
    clock.set(datetime.now(UTC))  # the command runs on the real clock
    lea = add_agent(runtime, "Léa Martin")
    add_agent(runtime, "Noé Blanc", phone="+33612000003")
    start = _next_afternoon(runtime)
    appt = book(runtime, start, agent_id=lea)
    local = start.astimezone(runtime.calendar().tz).replace(tzinfo=None)
    added = cli("absences", "add", "--agent", "lea@desk.example", "--from",
                local.isoformat(), "--to", (local + timedelta(hours=1)).isoformat(),
                "--reason", "médecin")
    assert added.exit_code == 0, added.output
    assert f"appointment #{appt.id}" in added.output and "reassigned to Noé Blanc" in added.output
    listed = cli("absences", "list", "--agent", "lea@desk.example")
    assert "médecin" in listed.output and "1 absences" in listed.output
    [absence] = rows(runtime, Absence)
    assert cli("absences", "remove", str(absence.id)).exit_code == 0
    assert rows(runtime, Absence) == []
    for bad in (["--agent", "nobody@x.example", "--from", "2026-04-01T09:00", "--to",
                 "2026-04-01T10:00"],
                ["--agent", "lea@desk.example", "--from", "tomorrow", "--to", "2026-04-01"],
                ["--agent", "lea@desk.example", "--from", "2026-04-01T10:00", "--to",
                 "2026-04-01T09:00"]):
        assert cli("absences", "add", *bad).exit_code != 0
    assert cli("absences", "remove", "999").exit_code == 1
    assert rows(runtime, Absence) == []


def test_r04_r14_closing_a_day_lists_the_clients_warned(cli, runtime):
    lea = add_agent(runtime, "Léa Martin", phone="+33612000009")
    booked = book(runtime, datetime(2026, 4, 8, 12, tzinfo=UTC), agent_id=lea)
    # The command's own clock is the test's: the appointment is still to come for it.
    shift = (runtime.now() - datetime.now(UTC)).total_seconds()
    result = cli("closures", "add", "2026-04-08", CALLQ_CLOCK_OFFSET_SECONDS=str(shift))
    assert result.exit_code == 0
    assert f"appointment #{booked.id} 2026-04-08T12:00:00+00:00 (Hélène Dupont): client " \
           "warned" in result.output


def test_r04_closures_add_list_remove(cli, runtime):
    added = cli("closures", "add", "2026-04-08", "--label", "inventaire annuel")
    assert added.exit_code == 0 and "inventaire annuel" in added.output
    assert "2026-04-08\tinventaire annuel" in cli("closures", "list", "--all").output
    assert cli("closures", "add", "2026-04-08").exit_code == 1  # already closed
    assert cli("closures", "add", "8 avril").exit_code == 2
    assert cli("closures", "remove", "2026-04-08").exit_code == 0
    assert cli("closures", "remove", "2026-04-08").exit_code == 1
    assert rows(runtime, Closure) == []


def _outside(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "callq.cli", *args], cwd=tmp_path,
                          env={"PATH": str(Path(sys.executable).parent),
                               "PYTHONPATH": str(ROOT), **env},
                          capture_output=True, text=True, timeout=120)


def test_a_command_outside_the_project_says_where_it_looked_and_creates_nothing(tmp_path):
    result = _outside(tmp_path, "agents", "list")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(tmp_path / "instance") in result.stderr and "CALLQ_INSTANCE_PATH" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_database_is_one_line(tmp_path):
    result = _outside(tmp_path, "agents", "list",
                      CALLQ_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: the database cannot be reached")
    assert result.stderr.count("\n") == 1


def test_an_instance_without_tables_says_to_upgrade(tmp_path):
    (tmp_path / "instance").mkdir()
    result = _outside(tmp_path, "agents", "list")
    assert result.returncode == 1 and "callq db upgrade" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("name,value", [("CALLQ_CALENDAR", "nowhere"),
                                        ("CALLQ_TIMEZONE", "Mars/Base")])
def test_bad_settings_stop_the_start_in_one_line(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        settings_from({"CALLQ_INSTANCE_PATH": str(tmp_path), name: value})
    result = _outside(tmp_path, "serve", CALLQ_INSTANCE_PATH=str(tmp_path), **{name: value})
    assert result.returncode == 1 and result.stderr.startswith(f"Error: {name}")
    assert result.stderr.count("\n") == 1


def test_commands_use_the_public_url_a_running_serve_recorded(tmp_path):
    record_public_url(tmp_path, "http://127.0.0.1:5801")
    settings = settings_from({"CALLQ_INSTANCE_PATH": str(tmp_path)})
    assert settings.public_base_url == "http://127.0.0.1:5801"
    chosen = settings_from({"CALLQ_INSTANCE_PATH": str(tmp_path),
                            "CALLQ_PUBLIC_BASE_URL": "https://hotline.example"})
    assert chosen.public_base_url == "https://hotline.example"


def test_a_403_from_the_service_names_the_public_url_setting(app, tmp_path):
    import threading

    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    port = httpd.server_port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        # Signed for the default http://127.0.0.1:5000 while the server checks its own URL.
        result = _outside(tmp_path, "simulate", "call", "--from", "+33612345678",
                          "--url", f"http://127.0.0.1:{port}",
                          CALLQ_INSTANCE_PATH=str(tmp_path),
                          CALLQ_TWILIO_AUTH_TOKEN="test-twilio-token")
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
    assert result.returncode == 1
    assert "403" in result.stderr and "CALLQ_PUBLIC_BASE_URL" in result.stderr



def test_r04_hours_show_preview_set_reset(cli, runtime, tmp_path):
    shown = cli("hours", "show")
    assert shown.exit_code == 0 and "nothing saved" in shown.stderr
    path = tmp_path / "hours.json"
    path.write_text(shown.stdout.replace('"end": "18:00"', '"end": "17:00"'), encoding="utf-8")
    preview = cli("hours", "preview", str(path))
    assert "14:00-17:00 appointments\t6 slots" in preview.output
    assert cli("hours", "set", str(path)).exit_code == 0
    assert "saved by an administrator" in cli("hours", "show").stderr
    friday = runtime.calendar().intervals_on(datetime(2026, 4, 3).date())
    assert runtime.calendar().local(friday[-1].end).time() == time(17)
    bad = tmp_path / "bad.json"
    bad.write_text('{"timezone": "Mars/Base", "week": {}, "holiday_country": "FR"}')
    assert cli("hours", "set", str(bad)).exit_code == 1
    assert cli("hours", "reset").exit_code == 0
    assert [a.action for a in audit.recent(runtime)][:2] == ["hours.reset", "hours.save"]


def test_r09_series_show_set_reset(cli, runtime, clock):
    assert "supported: 2026\non quote: 2025" in cli("series", "show").output
    assert cli("series", "set", "--supported", "2026, 2025", "--on-quote", "2024"
               ).exit_code == 0
    assert runtime.series().status(2024) == "on_quote"
    assert cli("series", "set", "--supported", "next").exit_code == 1
    assert cli("series", "set", "--supported", "2026", "--on-quote", "2026").exit_code == 1
    assert cli("series", "reset").exit_code == 0
    clock.advance(seconds=61)  # another process (the command) changed it: seen within a minute
    assert runtime.series().status(2024) == "end_of_support"


def test_texts_list_preview_set_reset(cli, runtime):
    listed = cli("texts", "list", "--lang", "de").output.splitlines()
    number = next(line.split("\t")[0].strip() for line in listed
                  if "mit dem technischen Support verbunden" in line)
    assert cli("texts", "set", number, "Guten Tag %(nom)s", "--lang", "de").exit_code == 1
    assert cli("texts", "set", number, "Grüezi, hier ist der Support.", "--lang", "de"
               ).exit_code == 0
    assert cli("texts", "list", "--lang", "de", "--reworded").output.startswith(f"{number}*")
    assert cli("texts", "preview", "0", "100 %").exit_code == 1
    assert cli("texts", "reset", number, "--lang", "de").exit_code == 0
    assert cli("texts", "list", "--lang", "de", "--reworded").output == ""
    assert cli("texts", "set", "9999", "x").exit_code == 1
    assert cli("texts", "set", "0", "x", "--lang", "xx").exit_code == 2
