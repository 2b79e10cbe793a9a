"""A day of calls played over HTTP against a real gunicorn (SQLite file, logging gateway), by the
simulator, then the outbox run by a real scheduler and worker: the waiting room ends in the
order the rules predict (R1-R9, R11)."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import select

from callq.bootstrap import instance_secret
from callq.db import build_engine, session_factory
from callq.models import Agent, Base, Client, ClientPhone, GatewayRecord
from callq.simulate import Caller, Line, parse_at, simulate_call

ROOT = Path(__file__).resolve().parents[2]
API_TOKEN = "day-replay-token"
LILAS, DURAND, PHARMACIE = "+33612345678", "+33698765432", "+33478000002"
DAY = [  # (Paris time on Tuesday 2 June 2026, caller, need or None for a hang-up)
    ("08:10", LILAS, "Le serveur est en panne, plus rien ne marche"),  # closed: R3
    ("08:20", DURAND, "Rappelez-moi s'il vous plaît"),  # vague: R7
    ("09:05", "+33655555501", "L'imprimante des ordonnances n'imprime plus"),  # live: R1
    ("09:30", "+33655555502", None),  # hangs up before the need: vague (R7)
    ("10:00", LILAS, "Le serveur est toujours en panne"),  # the same need again: R8
    ("11:00", PHARMACIE, "La facture ne correspond pas au devis"),
    ("14:30", "+33644444444", "Impossible de faire les factures depuis ce matin"),  # R2
    ("15:00", "anonymous", "Question sur la sauvegarde des données"),
    ("18:30", DURAND, "Le logiciel ne démarre plus sur le poste de l'accueil"),  # R8: stated
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed(url):
    engine = build_engine(url)
    Base.metadata.create_all(engine)
    with session_factory(engine).begin() as session:
        session.add(Agent(email="camille@desk.test", name="Camille", phone="+33612000002",
                          password_hash="x"))
        for name, number, version in (("Clinique des Lilas", LILAS, "2026.2"),
                                      ("Cabinet Durand", DURAND, "2025.4"),
                                      ("Pharmacie du Centre", PHARMACIE, "2023.1")):
            session.add(Client(name=name, product_version=version,
                               phones=[ClientPhone(number=number)]))
    return engine


def wait_until_up(base, process, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn stopped: {log.read_text()}")
        try:
            urlopen(base + "/api/waiting-room", timeout=5)
            return
        except HTTPError:
            return  # 401 without a token: the app answers
        except (URLError, OSError):  # not listening yet, or still booting
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 60 s: {log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory, redis_url):
    folder = tmp_path_factory.mktemp("day")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database = f"sqlite:///{folder / 'day.sqlite3'}"
    engine = seed(database)
    env = {"PATH": os.environ.get("PATH", ""), "CALLQ_ENV": "development",
           "CALLQ_INSTANCE_PATH": str(folder / "instance"), "CALLQ_DATABASE_URL": database,
           "CALLQ_REDIS_URL": redis_url, "CALLQ_QUEUE_NAME": f"callq-day-{port}",
           "CALLQ_PUBLIC_BASE_URL": base, "CALLQ_API_TOKEN": API_TOKEN}
    log = folder / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_up(base, process, log)
        yield {"base": base, "env": env, "engine": engine, "folder": folder}
    finally:
        process.terminate()
        process.wait(timeout=20)
        engine.dispose()


def cli(env, *args):
    result = subprocess.run([sys.executable, "-m", "callq.cli", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def waiting_room(base):
    request = Request(base + "/api/waiting-room", headers={
        "Authorization": f"Bearer {API_TOKEN}"})
    with urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_r01_r11_a_day_of_calls_replayed_over_http_yields_the_predicted_order(server):
    base = server["base"]
    # The server generated its Twilio token into instance/ (no CALLQ_TWILIO_AUTH_TOKEN).
    token = instance_secret(Path(server["env"]["CALLQ_INSTANCE_PATH"]), "twilio_token", 24)
    for at, number, need in DAY:
        line = Line(base_url=base, public_url=base, token=token,
                    at=parse_at(f"2026-06-02T{at}", "paris"))
        simulate_call(line, Caller(number=number, need=need or "", hangup_early=need is None),
                      to="+33970000000")
    cli(server["env"], "scheduler", "--once")  # hands the hang-up's timer to the worker
    cli(server["env"], "worker", "--burst")
    body = waiting_room(base)
    got = [(e["caller_number"], e["tier"], e["vague"], e["messages_count"])
           for e in body["entries"]]
    assert got == [
        (LILAS, "critical", False, 2),  # moved back to 10:00, still before 14:30
        ("+33644444444", "critical", False, 1),
        ("+33655555501", "high", False, 1),
        # R8: the vague entry took the need stated at 18:30, its tier and that time
        (DURAND, "high", False, 2),
        (PHARMACIE, "medium", False, 1),
        (None, "low", False, 1),
        ("+33655555502", "low", True, 1),  # vague: after every stated need
    ]
    shown = {e["client_name"]: e["version_status"] for e in body["entries"] if e["client_name"]}
    assert shown == {"Clinique des Lilas": "supported", "Pharmacie du Centre": "end_of_support",
                     "Cabinet Durand": "on_quote"}
    with session_factory(server["engine"])() as session:
        texts = list(session.scalars(select(GatewayRecord).where(GatewayRecord.kind == "sms")))
    # The afternoon caller gets the booking link (R2); known clients on a mobile hear where
    # they stand by SMS too (Pharmacie du Centre calls from a landline).
    assert {sms.to_number for sms in texts} == {"+33644444444", LILAS, DURAND}


def test_the_simulate_command_prints_every_twiml_step(server):
    output = cli(server["env"], "simulate", "call", "--from", "+33655555599", "--need",
                 "Les rappels de vaccins ne partent plus", "--at", "2026-06-03T16:00",
                 "--url", server["base"])
    for step in ("→ POST /twilio/voice", "→ POST /twilio/gather?lang=fr",
                 "→ POST /twilio/record?lang=fr", "→ POST /twilio/recording-status",
                 "→ POST /twilio/call-status", "<Gather", "<Record", "<Hangup />", "← 204"):
        assert step in output, output
    assert "call CA" in output.splitlines()[-1]


def test_the_simulate_command_explains_an_unreachable_server(server):
    env = {**server["env"], "CALLQ_PUBLIC_BASE_URL": f"http://127.0.0.1:{free_port()}"}
    result = subprocess.run([sys.executable, "-m", "callq.cli", "simulate", "call", "--from",
                             LILAS], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert "callq is not reachable" in result.stderr and "Traceback" not in result.stderr
