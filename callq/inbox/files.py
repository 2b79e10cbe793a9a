"""Where emails' attachments live: instance/attachments/, one file per content (its SHA-256),
written before the transaction that records them, so a row never names a missing file and a
second delivery of the same email writes nothing new."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from callq.inbox.reading import Attachment

FOLDER = "attachments"


@dataclass(frozen=True)
class Stored:
    """An attachment on disk: its shown name, type, size and path under the instance folder."""

    filename: str
    content_type: str
    size: int
    path: str


def store(instance_path: Path, attachments: Iterable[Attachment]) -> list[Stored]:
    """Write each attachment once (same bytes, same file); return where they are."""
    stored = []
    for item in attachments:
        digest = hashlib.sha256(item.data).hexdigest()
        relative = f"{FOLDER}/{digest[:2]}/{digest}"
        target = instance_path / relative
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{digest}.{os.getpid()}.part")
            partial.write_bytes(item.data)
            partial.replace(target)  # a reader never sees half a file
        stored.append(Stored(item.filename, item.content_type[:100], len(item.data), relative))
    return stored


def local_file(instance_path: Path, relative: str) -> Path | None:
    """The file a row names, if it is inside instance/attachments/ and there."""
    folder = (instance_path / FOLDER).resolve()
    path = (instance_path / relative).resolve()
    return path if path.is_relative_to(folder) and path.is_file() else None
