"""A no-op job proving that a worker runs jobs (`callq probe`, the bench's scheduled effects)."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

from callq import db, effects
from callq.models import SideEffect

if TYPE_CHECKING:
    from callq.runtime import Runtime


def probe(runtime: Runtime, effect: SideEffect) -> None:
    """A no-op job proving a worker runs jobs; may wait, and may append its key to a file."""
    time.sleep(float(effect.payload.get("seconds", 0)))
    if effect.payload.get("touch"):
        with open(effect.payload["touch"], "a", encoding="utf-8") as handle:
            handle.write(effect.key + "\n")


def send_probe(runtime: Runtime, seconds: float = 0, touch: str | None = None) -> int:
    """Schedule a probe effect now; return its id."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        effect_id = effects.schedule(
            session, key=f"probe-{uuid.uuid4().hex}", kind="probe",
            payload={"seconds": seconds, "touch": touch}, due_at=now, now=now,
        )
    assert effect_id is not None
    return effect_id
