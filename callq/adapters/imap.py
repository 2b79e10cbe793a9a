"""The support mailbox over IMAP (imapclient): list, read without marking seen, move to the done
folder (MOVE, else COPY + delete + UID EXPUNGE). Connects in `open_mailbox`, nowhere else."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from imapclient import IMAPClient

from callq.settings import Settings

TIMEOUT = 30.0


class ImapMailbox:
    """One IMAP connection on the folder of emails to file (callq.ports.Mailbox)."""

    def __init__(self, client: IMAPClient, done_folder: str) -> None:
        self.client = client
        self.done_folder = done_folder

    def waiting(self) -> list[int]:
        return sorted(int(uid) for uid in self.client.search(["NOT", "DELETED"]))

    def size(self, uid: int) -> int | None:
        found = self.client.fetch([uid], ["RFC822.SIZE"]).get(uid)
        return int(found[b"RFC822.SIZE"]) if found else None

    def fetch(self, uid: int) -> tuple[bytes, datetime | None] | None:
        found = self.client.fetch([uid], ["BODY.PEEK[]", "INTERNALDATE"]).get(uid)
        if not found:
            return None
        received = found.get(b"INTERNALDATE")
        if isinstance(received, datetime):
            # imapclient gives the server's local time, naive, unless told otherwise.
            received = received.astimezone(UTC) if received.tzinfo else None
        return bytes(found[b"BODY[]"]), received

    def file_away(self, uid: int) -> None:
        if self.client.has_capability("MOVE"):
            self.client.move([uid], self.done_folder)
            return
        self.client.copy([uid], self.done_folder)
        self.client.delete_messages([uid])
        if self.client.has_capability("UIDPLUS"):
            self.client.uid_expunge([uid])
        else:
            self.client.expunge()


@contextmanager
def open_mailbox(settings: Settings) -> Iterator[ImapMailbox]:
    """Log in, make sure the done folder exists, select the folder to file; log out after."""
    if not settings.mail_imap_host:
        raise LookupError("CALLQ_MAIL_IMAP_HOST is not set")
    context = ssl.create_default_context()
    client = IMAPClient(settings.mail_imap_host, port=settings.mail_imap_port,
                        ssl=settings.mail_imap_tls == "ssl", ssl_context=context,
                        timeout=TIMEOUT, use_uid=True)
    try:
        if settings.mail_imap_tls == "starttls":
            client.starttls(context)
        client.login(settings.mail_imap_user, settings.mail_imap_password)
        client.normalise_times = False  # keep INTERNALDATE's zone
        if not client.folder_exists(settings.mail_imap_done_folder):
            client.create_folder(settings.mail_imap_done_folder)
        client.select_folder(settings.mail_imap_folder)
        yield ImapMailbox(client, settings.mail_imap_done_folder)
    finally:
        with suppress(Exception):  # a connection already gone has nothing to close
            client.logout()
