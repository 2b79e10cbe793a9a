"""The email pool's effects: emails (through the mailer), and its probe."""

from __future__ import annotations

from collections.abc import Mapping

from callq import notify, probe
from callq.effects import outside
from callq.runtime import Handler

# `outside(...)`: the use case calls a provider; its run is marked as sending first.
EFFECTS: Mapping[str, Handler] = {
    "email": outside(notify.send_email),
    "probe_email": probe.probe,
}
