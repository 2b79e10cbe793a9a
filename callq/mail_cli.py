"""The `callq mail` commands: file one email from standard input (an MTA's pipe transport), or
poll the support mailbox over IMAP (callq.inbox does the work)."""

from __future__ import annotations

import logging
import sys
import time

import click

from callq.bootstrap import runtime_from_environment
from callq.inbox.polling import poll
from callq.inbox.receiving import receive
from callq.runtime import Runtime
from callq.settings import SettingsError

log = logging.getLogger("callq.mail")
EX_TEMPFAIL = 75  # sysexits.h: Postfix, Exim and sendmail keep the email and try again


def _runtime(exit_code: int) -> Runtime:
    try:
        return runtime_from_environment()
    except SettingsError as exc:
        click.echo(f"callq mail: {exc}", err=True)
        sys.exit(exit_code)


@click.group("mail")
def command() -> None:
    """Emails to the support address: file them into the waiting room."""


@command.command("receive")
def receive_command() -> None:
    """File one email (RFC 5322) read on standard input: for an MTA's pipe transport.

    Exit code 0 when it was filed, attached, already filed or deliberately ignored (an
    auto-reply, a bounce, broken MIME: said in a log line); 75 (EX_TEMPFAIL) when it could not
    be filed now (database unreachable, configuration error), so the MTA keeps it and retries.
    """
    runtime = _runtime(EX_TEMPFAIL)
    raw = sys.stdin.buffer.read(runtime.settings.mail_max_bytes + 1)
    try:
        receipt = receive(runtime, raw)
    except Exception:
        log.exception("email not filed now; the mail server should try again")
        sys.exit(EX_TEMPFAIL)
    where = f" (entry {receipt.entry_id})" if receipt.entry_id else ""
    click.echo(f"{receipt.outcome}{where}{': ' + receipt.reason if receipt.reason else ''}")


@command.command("poll")
@click.option("--every", type=float, default=None,
              help="Keep polling, every this many seconds (default: poll once and exit).")
def poll_command(every: float | None) -> None:
    """File the emails waiting in CALLQ_MAIL_IMAP_FOLDER, moving each to
    CALLQ_MAIL_IMAP_DONE_FOLDER once its entry is committed.

    Once: exit code 1 when the mailbox or the database could not be reached. With --every
    errors are logged and the next poll tries again; it never stops on a bad email.
    """
    runtime = _runtime(1)
    if not runtime.settings.mail_imap_host:
        raise click.ClickException("CALLQ_MAIL_IMAP_HOST is not set: nothing to poll")
    while True:
        try:
            click.echo(str(poll(runtime)))
        except Exception as exc:
            if every is None:
                raise click.ClickException(f"poll failed: {type(exc).__name__}: {exc}") from None
            log.exception("poll failed; trying again in %s s", every)
        if every is None:
            return
        time.sleep(every)
