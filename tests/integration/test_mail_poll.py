"""`callq mail poll` against a real IMAP server on loopback (pymap, from PyPI): emails are filed,
then moved to the done folder only after the commit; none is lost, none filed twice (issue 18).
Under CI=true a server that cannot start fails these tests; elsewhere they say why they skip."""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from imapclient import IMAPClient

from callq.bootstrap import build_runtime
from callq.cli import main
from callq.db import build_engine
from callq.inbox.polling import PollReport, poll
from callq.models import Message, WaitingEntry
from tests.conftest import unavailable
from tests.mail_support import deliver, sample
from tests.voice_support import add_client, message, rows

USER, PASSWORD = "support", "imap-test-password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def imap_port():
    """pymap's in-memory server, one per test run; each test uses folders of its own."""
    program = shutil.which("pymap", path=str(Path(sys.executable).parent)) or shutil.which("pymap")
    if program is None:
        unavailable("pymap (the test IMAP server) is not installed: make install")
    port = _free_port()
    server = subprocess.Popen([program, "--host", "127.0.0.1", "--port", str(port), "--no-tls",
                               "dict", "--demo-user", USER, "--demo-password", PASSWORD],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if server.poll() is not None:
                unavailable(f"pymap stopped: {server.stderr.read().decode()[-500:]}")
            time.sleep(0.1)
    else:
        server.kill()
        unavailable("pymap did not listen within 10 s")
    yield port
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def mailbox(runtime, imap_port):
    """Folders of this test on the server, and the runtime's settings pointing at them."""
    folder, done = f"in-{secrets.token_hex(4)}", f"done-{secrets.token_hex(4)}"
    runtime.settings = runtime.settings.replace(
        mail_imap_host="127.0.0.1", mail_imap_port=imap_port, mail_imap_tls="none",
        mail_imap_user=USER, mail_imap_password=PASSWORD, mail_imap_folder=folder,
        mail_imap_done_folder=done)
    client = IMAPClient("127.0.0.1", port=imap_port, ssl=False, timeout=10)
    client.login(USER, PASSWORD)
    client.create_folder(folder)
    yield client, folder, done
    client.logout()


def _count(client: IMAPClient, folder: str) -> int:
    if not client.folder_exists(folder):
        return 0
    return len(client.select_folder(folder, readonly=True) and client.search(["NOT", "DELETED"]))


def test_poll_files_the_waiting_emails_then_moves_them_to_the_done_folder(runtime, mailbox):
    client, folder, done = mailbox
    for name in ("thunderbird_qp_fr.eml", "auto_reply_ooo.eml", "attachments_fr.eml"):
        client.append(folder, sample(name))
    report = poll(runtime)
    assert report == PollReport(filed=2, ignored=1)
    assert (_count(client, folder), _count(client, done)) == (0, 3)
    assert len(rows(runtime, WaitingEntry)) == 2
    assert poll(runtime) == PollReport()  # nothing left: nothing filed twice


def test_r08_a_call_then_an_email_fetched_by_imap_is_one_entry(runtime, mailbox, clock):
    client, folder, _ = mailbox
    add_client(runtime, "Cabinet Dupont", "+33478000002", email="marie.dupont@cabinet-dupont.fr")
    message(runtime, 1, "+33478000002", "Impossible de facturer, la facturation est bloquée")
    clock.advance(minutes=30)
    client.append(folder, sample("thunderbird_qp_fr.eml"))
    assert poll(runtime) == PollReport(attached=1)
    [entry] = rows(runtime, WaitingEntry)
    assert entry.messages_count == 2


def test_an_email_filed_but_not_moved_before_a_crash_is_not_filed_twice(runtime, mailbox):
    client, folder, done = mailbox
    raw = sample("thunderbird_qp_fr.eml")
    deliver(runtime, raw)  # committed; then the poller died before moving it
    client.append(folder, raw)
    assert poll(runtime) == PollReport(duplicate=1)
    assert (_count(client, folder), _count(client, done)) == (0, 1)
    assert len(rows(runtime, Message)) == 1


def test_emails_stay_in_the_mailbox_while_the_database_is_down(runtime, mailbox):
    client, folder, done = mailbox
    client.append(folder, sample("thunderbird_qp_fr.eml"))
    client.append(folder, sample("german_signature_de.eml"))
    dead = runtime.settings.replace(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    down = build_runtime(dead, {"engine": build_engine(dead.database_url), "queue": runtime.queue,
                                "mailer": runtime.mailer}, clock=runtime.clock)
    assert poll(down) == PollReport(left=2)
    assert (_count(client, folder), _count(client, done)) == (2, 0)
    assert poll(runtime) == PollReport(filed=2)  # the database is back: both are filed


def test_an_email_over_the_size_limit_is_moved_unread_and_files_nothing(runtime, mailbox):
    client, folder, done = mailbox
    client.append(folder, sample("attachments_fr.eml"))
    runtime.settings = runtime.settings.replace(mail_max_bytes=500)
    assert poll(runtime) == PollReport(ignored=1)
    assert (_count(client, folder), _count(client, done)) == (0, 1)
    assert rows(runtime, Message) == []


def test_callq_mail_poll_polls_once_and_says_what_it_did(runtime, mailbox):
    client, folder, _ = mailbox
    client.append(folder, sample("html_only_fr.eml"))
    settings = runtime.settings
    env = {f"CALLQ_{name.upper()}": str(getattr(settings, name)) for name in (
        "database_url", "instance_path", "secret_key", "public_base_url", "mail_from",
        "mail_imap_host", "mail_imap_port", "mail_imap_tls", "mail_imap_user",
        "mail_imap_password", "mail_imap_folder", "mail_imap_done_folder")}
    env |= {"CALLQ_ENV": "test", "CALLQ_REDIS_URL": "redis://127.0.0.1:1/0"}
    result = CliRunner().invoke(main, ["mail", "poll"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 filed, 0 attached, 0 already filed, 0 ignored, 0 left" in result.output
    refused = CliRunner().invoke(main, ["mail", "poll"], env=env | {"CALLQ_MAIL_IMAP_PASSWORD":
                                                                    "wrong"})
    assert refused.exit_code == 1 and "poll failed" in refused.output
