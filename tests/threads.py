"""Concurrency tests' one way to race threads: start them all, wait, surface their errors."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any


def race(target: Callable[..., None], args: Sequence[tuple[Any, ...]],
         errors: list[BaseException]) -> None:
    """Run `target(*a)` for every `a` in its own thread; fail with what the threads put in
    `errors` (each target catches its own exceptions into it)."""
    threads = [threading.Thread(target=target, args=a) for a in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
