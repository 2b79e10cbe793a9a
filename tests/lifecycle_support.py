"""What the two lifecycles' exhaustive tests (entry, appointment) check alike: the table of
transitions is the specification, and an event outside it is refused without a change."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

import pytest


def assert_table_is_the_specification(life: ModuleType, allowed: Mapping[Any, Any],
                                      events: Mapping[str, Any]) -> None:
    """Every (state, event) the module's table allows is in `allowed`, and no other; every
    event of the table has its class and an example in `events`."""
    table = {(None if s == life.NEW else s, e) for e, m in life.TRANSITIONS.items() for s in m}
    assert table == set(allowed)
    assert {event.name for event in life.EVENTS} == set(life.TRANSITIONS) == set(events)


def apply_or_refuse(life: ModuleType, allowed: Mapping[Any, Any], status: Any, name: str,
                    state: Any, event: Any) -> Any:
    """The transition's result when the table allows it; None after checking the refusal
    (IllegalTransition "not_in_table", and `allows` says no) when it does not."""
    if (status, name) in allowed:
        return life.transition(state, event)
    with pytest.raises(life.IllegalTransition) as refused:
        life.transition(state, event)
    assert (refused.value.event, refused.value.reason) == (name, "not_in_table")
    assert not life.allows(state, event)
    return None
