"""Why a workspace action was refused: a key of texts.REFUSALS, shown in the agent's language."""

from __future__ import annotations

from callq import i18n
from callq.workspace.texts import REFUSALS


class Refused(Exception):
    """An action that cannot be done; nothing was written. `status` is the HTTP answer."""

    status = 400

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str = "fr") -> str:
        """The reason, in the agent's language."""
        return i18n.gettext(REFUSALS[self.key], lang, **self.values)


class NotFound(Refused):
    """No such entry (or message)."""

    status = 404


class HeldByAnother(Refused):
    """Another agent holds the entry: their lease is still running."""

    status = 403


class Stale(Refused):
    """The entry changed since the page was shown (version compare-and-swap failed)."""

    status = 409


class Unavailable(Refused):
    """Something outside callq (the telephony provider) did not answer."""

    status = 502
