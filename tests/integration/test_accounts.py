"""Agents' accounts: `callq agents` commands, Argon2 hashes, login sessions, failed logins
limited per email and address in the database (so the limit holds across web workers)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from callq.app import create_app
from callq.cli import main
from callq.models import Agent, LoginFailure
from tests.conftest import settings_for
from tests.web.agent_pages import log_in, parse
from tests.workspace_data import PASSWORD, add_agent


@pytest.fixture
def cli_env(tmp_path, engine):
    """The environment a shell would give `callq` to reach the test database."""
    settings = settings_for(tmp_path, engine)
    return {f"CALLQ_{k.upper()}": str(v) for k, v in settings.items()}


def _agents(runtime):
    with runtime.sessions() as session:
        return {a.email: a for a in session.scalars(select(Agent))}


def test_agents_add_list_and_disable_from_the_command_line(cli_env, runtime):
    runner = CliRunner()
    added = runner.invoke(main, ["agents", "add", "--email", "Lea@Example.test", "--password",
                                 "s3cret-enough", "--phone", "06 12 00 00 09", "--name",
                                 "Léa", "--admin"], env=cli_env)
    assert added.exit_code == 0, added.output
    agent = _agents(runtime)["lea@example.test"]
    assert (agent.name, agent.phone, agent.is_admin, agent.active) == (
        "Léa", "+33612000009", True, True)
    assert agent.password_hash.startswith("$argon2id$")
    assert "s3cret-enough" not in agent.password_hash
    listed = runner.invoke(main, ["agents", "list"], env=cli_env)
    assert listed.output.split("\n")[0].split("\t") == ["lea@example.test", "Léa",
                                                         "+33612000009", "fr", "admin"]
    german = runner.invoke(main, ["agents", "add", "--email", "urs@example.test", "--password",
                                  "s3cret-enough", "--phone", "+41311234567", "--language",
                                  "de"], env=cli_env)
    assert german.exit_code == 0, german.output
    assert _agents(runtime)["urs@example.test"].language == "de"
    unknown = runner.invoke(main, ["agents", "add", "--email", "x@example.test", "--password",
                                   "s3cret-enough", "--phone", "+41311234567", "--language",
                                   "xx"], env=cli_env)
    assert unknown.exit_code != 0 and "not a language callq speaks" in unknown.output
    disabled = runner.invoke(main, ["agents", "disable", "lea@example.test"], env=cli_env)
    assert disabled.exit_code == 0
    assert _agents(runtime)["lea@example.test"].active is False


@pytest.mark.parametrize(("args", "message"), [
    (["--email", "not-an-email", "--password", "long enough", "--phone", "0612000009"],
     "not an email address"),
    (["--email", "a@b.test", "--password", "short", "--phone", "0612000009"],
     "at least 8 characters"),
    (["--email", "a@b.test", "--password", "long enough", "--phone", "12"],
     "not a phone number"),
])
def test_agents_add_refuses_bad_input_with_a_clear_message(cli_env, runtime, args, message):
    result = CliRunner().invoke(main, ["agents", "add", *args], env=cli_env)
    assert result.exit_code == 1 and message in result.output
    assert _agents(runtime) == {}


def test_agents_add_refuses_an_email_already_used(cli_env, runtime):
    add_agent(runtime, email="camille@example.test")
    result = CliRunner().invoke(main, ["agents", "add", "--email", "CAMILLE@example.test",
                                       "--password", "long enough", "--phone", "0612000009"],
                                env=cli_env)
    assert result.exit_code == 1 and "already exists" in result.output


def test_agents_disable_names_an_unknown_agent(cli_env, runtime):
    result = CliRunner().invoke(main, ["agents", "disable", "nobody@example.test"], env=cli_env)
    assert result.exit_code == 1 and "no agent with email nobody@example.test" in result.output


def test_a_right_password_opens_a_session_and_logout_ends_it(app, runtime):
    add_agent(runtime)
    browser = app.test_client()
    response = log_in(browser, "Camille@example.test")
    assert (response.status_code, response.headers["Location"]) == (302, "/agents/")
    assert browser.get("/agents/").status_code == 200
    token = parse(browser.get("/agents/").data).find("input", name="csrf_token").attrs["value"]
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    assert browser.get("/agents/", headers={"Accept": "text/html"}).status_code == 401


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(app, runtime):
    add_agent(runtime)
    browser = app.test_client()
    token = parse(browser.get("/login").data).find("input", name="csrf_token").attrs["value"]
    for asked, landing in (("/agents/entries/3", "/agents/entries/3"),
                           ("//evil.example/", "/agents/"), ("https://evil.example/", "/agents/")):
        response = browser.post("/login", data={"email": "camille@example.test",
                                                "password": PASSWORD, "csrf_token": token,
                                                "next": asked})
        assert response.headers["Location"] == landing


def test_a_wrong_password_or_unknown_email_is_refused_with_401(app, runtime):
    add_agent(runtime)
    browser = app.test_client()
    for email, password in (("camille@example.test", "wrong password"),
                            ("nobody@example.test", PASSWORD)):
        response = log_in(browser, email, password)
        assert response.status_code == 401
        assert parse(response.data).find("p", role="alert").text == (
            "Adresse ou mot de passe incorrect.")
    assert browser.get("/agents/", headers={"Accept": "text/html"}).status_code == 401


def test_a_disabled_agent_cannot_log_in_and_their_session_ends(app, runtime):
    from callq.agents import disable_agent

    add_agent(runtime)
    browser = app.test_client()
    log_in(browser, "camille@example.test")
    disable_agent(runtime, "camille@example.test")
    assert browser.get("/agents/", headers={"Accept": "text/html"}).status_code == 401
    assert log_in(browser, "camille@example.test").status_code == 401


def test_five_failed_logins_per_email_and_address_answer_429_across_web_workers(
        tmp_path, engine, clock, mailer, queue):
    def worker(n):  # two gunicorn workers: two apps, one database
        return create_app(settings_for(tmp_path / f"w{n}", engine), clock=clock,
                          adapters={"engine": engine, "mailer": mailer, "queue": queue})

    first, second = worker(1), worker(2)
    add_agent(first.extensions["callq"])
    for n in range(5):
        browser = (first if n % 2 else second).test_client()
        assert log_in(browser, "camille@example.test", "wrong").status_code == 401
    for app in (first, second):
        limited = log_in(app.test_client(), "camille@example.test")  # even the right one
        assert limited.status_code == 429
        assert parse(limited.data).find("p", role="alert").text == (
            "Trop de tentatives de connexion échouées. Réessayez dans 15 minutes.")
    other_address = second.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert log_in(other_address, "camille@example.test").status_code == 302
    clock.advance(minutes=15)
    assert log_in(first.test_client(), "camille@example.test").status_code == 302
    with first.extensions["callq"].sessions() as session:  # a success clears this address
        left = session.scalars(select(LoginFailure.address)).all()
    assert left == []


def test_the_login_limit_follows_the_settings(tmp_path, engine, clock, mailer, queue):
    app = create_app(settings_for(tmp_path, engine, login_max_failures=2,
                                  login_window_minutes=1), clock=clock,
                     adapters={"engine": engine, "mailer": mailer, "queue": queue})
    add_agent(app.extensions["callq"])
    for _ in range(2):
        log_in(app.test_client(), "camille@example.test", "wrong")
    limited = log_in(app.test_client(), "camille@example.test")
    assert limited.status_code == 429 and "Réessayez dans 1 minute." in limited.data.decode()
    clock.advance(seconds=30)
    assert log_in(app.test_client(), "camille@example.test").status_code == 429
    clock.advance(seconds=31)
    assert log_in(app.test_client(), "camille@example.test").status_code == 302


def test_the_login_form_itself_needs_its_csrf_token(app, runtime):
    add_agent(runtime)
    response = app.test_client().post("/login", data={"email": "camille@example.test",
                                                      "password": PASSWORD})
    assert response.status_code == 400
