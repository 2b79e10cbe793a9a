"""Polling the support mailbox: each email is filed (its own transaction) and only then moved
to the done folder, so none is lost; one filed but not moved (a crash between the two) is found
again next time and, being known by its Message-ID, files nothing twice."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from callq.inbox.receiving import receive
from callq.ports import Mailbox

if TYPE_CHECKING:
    from callq.runtime import Runtime

log = logging.getLogger(__name__)
BATCH = 200  # emails filed per poll at most; the rest wait for the next one


@dataclass(frozen=True)
class PollReport:
    """How many emails one poll filed, attached, found again, ignored or left for later."""

    filed: int = 0
    attached: int = 0
    duplicate: int = 0
    ignored: int = 0
    left: int = 0

    def __str__(self) -> str:
        return (f"{self.filed} filed, {self.attached} attached, {self.duplicate} already filed, "
                f"{self.ignored} ignored, {self.left} left for the next poll")


def poll(runtime: Runtime) -> PollReport:
    """File the mailbox's waiting emails; LookupError when no mailbox is configured."""
    if runtime.mailbox is None:
        raise LookupError("no mailbox configured")
    counts: Counter[str] = Counter()
    with runtime.mailbox(runtime.settings) as mailbox:
        uids = mailbox.waiting()
        for done, uid in enumerate(uids[:BATCH]):
            outcome = _one(runtime, mailbox, uid)
            if outcome == "stop":
                counts["left"] += len(uids) - done
                break
            counts[outcome] += 1
        else:
            counts["left"] += max(len(uids) - BATCH, 0)
    return PollReport(filed=counts["filed"], attached=counts["attached"],
                      duplicate=counts["duplicate"], ignored=counts["ignored"],
                      left=counts["left"])


def _one(runtime: Runtime, mailbox: Mailbox, uid: int) -> str:
    size = mailbox.size(uid)
    if size is None:
        return "gone"
    if size > runtime.settings.mail_max_bytes:
        log.warning("email uid %s ignored (too_large): %s bytes, more than %s; moved unread",
                    uid, size, runtime.settings.mail_max_bytes)
        mailbox.file_away(uid)
        return "ignored"
    got = mailbox.fetch(uid)
    if got is None:
        return "gone"
    try:
        receipt = receive(runtime, *got)
    except OperationalError:
        log.exception("database unavailable: email uid %s left in the mailbox", uid)
        return "stop"  # the next emails would fail the same way
    except Exception:
        log.exception("email uid %s could not be filed: left in the mailbox", uid)
        return "left"
    mailbox.file_away(uid)  # only now: the email's entry is committed
    return receipt.outcome
