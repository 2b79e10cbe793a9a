"""What a bridged call's result does, by the call's purpose (R10 callbacks, R14 appointments)."""

from __future__ import annotations

from collections.abc import Mapping

from callq.calls.bridge import ResultHandler
from callq.workspace import callback
from scheduling import guarantee

BRIDGE_RESULTS: Mapping[str, ResultHandler] = {
    callback.PURPOSE: callback.record_call_result,
    guarantee.PURPOSE: guarantee.record_call_result,
}
