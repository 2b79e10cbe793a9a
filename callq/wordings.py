"""Which texts an administrator may reword (voice prompts, email and SMS subjects and bodies),
found in the message template by where each message is used. Pure: reads only that file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel.messages.pofile import read_po

from callq.i18n import CATALOGS, placeholders

VOICE = "voice"
MAIL = "mail"  # emails and SMS
# Where a message is used decides whether callers or clients receive it as it is written.
GROUPS = {
    "webhooks/twiml.py": VOICE, "webhooks/prompts.py": VOICE,
    "scheduling/letters.py": MAIL, "callq/workspace/client_texts.py": MAIL,
    "callq/intake.py": MAIL, "templates/email/letter.txt": MAIL,
    "templates/email/letter.html": MAIL,
}


@dataclass(frozen=True)
class Wording:
    """One message an administrator may reword: its id (the English text), group, placeholders."""

    message: str
    group: str
    placeholders: frozenset[str]


@cache
def overridable() -> tuple[Wording, ...]:
    """Every rewordable message, voice prompts first, in the template's order.

    Plural messages and messages with a context (date patterns, Twilio codes) are left out:
    a wrong pattern or code would break what they build.
    """
    with (CATALOGS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    found = []
    for message in template:
        if not message.id or message.context or isinstance(message.id, tuple):
            continue
        groups = {GROUPS.get(path) for path, _line in message.locations} - {None}
        if groups:
            group = VOICE if VOICE in groups else MAIL
            found.append(Wording(str(message.id), group, placeholders(str(message.id))))
    return tuple(sorted(found, key=lambda w: w.group != VOICE))


def wording_of(message: str) -> Wording | None:
    """The rewordable message with this id, or None when it may not be reworded."""
    return next((w for w in overridable() if w.message == message), None)
