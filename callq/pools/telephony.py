"""The telephony pool's effects: SMS, calls placed through the gateway, recordings fetched."""

from __future__ import annotations

from collections.abc import Mapping

from callq import intake, notify, probe
from callq.calls import bridge
from callq.effects import outside
from callq.runtime import Handler

# `outside(...)`: the use case calls a provider; its run is marked as sending first.
EFFECTS: Mapping[str, Handler] = {
    "sms": outside(notify.send_sms),
    "bridge": outside(bridge.place),
    "fetch_recording": intake.fetch_recording,
    "probe_telephony": probe.probe,
}
