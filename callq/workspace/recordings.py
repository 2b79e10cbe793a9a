"""A message's audio for the agent's player: the local file in instance/recordings/, or else
fetched from Twilio server-side with the account's credentials (never shown to the browser)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from callq import db
from callq.models import Message
from callq.workspace.errors import NotFound, Unavailable

if TYPE_CHECKING:
    from callq.runtime import Runtime

TYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav", ".ogg": "audio/ogg"}


@dataclass(frozen=True)
class Audio:
    """Either a file to send or bytes fetched from the provider."""

    mimetype: str
    path: Path | None = None
    data: bytes | None = None


def local_file(instance_path: Path, recording_path: str) -> Path | None:
    """The file under instance/recordings/ that the message names; None if it leaves the folder."""
    folder = (instance_path / "recordings").resolve()
    path = (instance_path / recording_path).resolve()
    return path if path.is_relative_to(folder) and path.is_file() else None


def audio_of(runtime: Runtime, message_id: int) -> Audio:
    """The audio of one message; NotFound when it has none, Refused when it cannot be had."""
    with db.read(runtime.sessions) as session:
        message = session.get(Message, message_id)
    if message is None or not (message.recording_path or message.recording_url):
        raise NotFound("workspace.refused.recording")
    if message.recording_path:
        path = local_file(runtime.settings.instance_path, message.recording_path)
        if path is not None:
            return Audio(TYPES.get(path.suffix.lower(), "application/octet-stream"), path=path)
    if not message.recording_url:
        raise NotFound("workspace.refused.recording")
    try:
        data = runtime.calls.fetch_recording(message.recording_url)
    except Exception as exc:  # the provider's HTTP errors, or no account (logging gateway)
        raise Unavailable("workspace.refused.recording") from exc
    return Audio("audio/mpeg", data=data)
