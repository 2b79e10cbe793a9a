"""No-op jobs proving that workers run jobs (`callq probe`: one per pool; the bench's scheduled
effects)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import select

from callq import db, effects
from callq.models import SideEffect
from callq.status import EffectStatus

if TYPE_CHECKING:
    from callq.runtime import Runtime


def probe(runtime: Runtime, effect: SideEffect) -> None:
    """A no-op job proving a worker runs jobs; may wait, and may append its key to a file."""
    time.sleep(float(effect.payload.get("seconds", 0)))
    if effect.payload.get("touch"):
        with open(effect.payload["touch"], "a", encoding="utf-8") as handle:
            handle.write(effect.key + "\n")


def send_probe(runtime: Runtime, seconds: float = 0, touch: str | None = None,
               kind: str = "probe") -> int:
    """Schedule a probe effect now (its kind names the pool that runs it); return its id."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        effect_id = effects.schedule(
            session, key=f"probe-{uuid.uuid4().hex}", kind=kind,
            payload={"seconds": seconds, "touch": touch}, due_at=now, now=now,
        )
    assert effect_id is not None
    return effect_id


def wait_for(runtime: Runtime, sent: Mapping[str, int], timeout: float) -> list[str]:
    """Wait until every probe is done; return the names of those that were not in time."""
    deadline = time.monotonic() + timeout
    while True:
        with db.read(runtime.sessions) as session:
            done = set(session.scalars(select(SideEffect.id).where(
                SideEffect.id.in_(sent.values()), SideEffect.status == EffectStatus.DONE)))
        missing = [name for name, effect_id in sent.items() if effect_id not in done]
        if not missing or time.monotonic() >= deadline:
            return missing
        time.sleep(0.2)
