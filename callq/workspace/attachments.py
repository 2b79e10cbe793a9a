"""An email's attachment for a logged-in agent: the file under instance/attachments/, its name
made safe, its type kept only when it is one a browser shows harmlessly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from callq import db
from callq.inbox.files import local_file
from callq.models import MessageAttachment
from callq.workspace.errors import NotFound

if TYPE_CHECKING:
    from callq.runtime import Runtime

# Types served as themselves; anything else (HTML, SVG, scripts...) as application/octet-stream.
SAFE_TYPES = frozenset({
    "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain",
    "text/csv", "application/zip", "message/rfc822", "audio/mpeg", "audio/wav", "video/mp4",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword", "application/vnd.ms-excel",
})


@dataclass(frozen=True)
class File:
    """A file to send as a download."""

    path: Path
    filename: str
    mimetype: str


def file_of(runtime: Runtime, attachment_id: int) -> File:
    """The attachment's file; NotFound when there is no such attachment or file."""
    with db.read(runtime.sessions) as session:
        row = session.get(MessageAttachment, attachment_id)
        found = (row.path, row.filename, row.content_type) if row else None
    if found is None:
        raise NotFound("workspace.refused.attachment")
    path = local_file(runtime.settings.instance_path, found[0])
    if path is None:
        raise NotFound("workspace.refused.attachment")
    kind = found[2].lower()
    return File(path, found[1], kind if kind in SAFE_TYPES else "application/octet-stream")
