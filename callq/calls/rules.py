"""The pure rules of a bridged call (agent first, then client): how a leg's reported status
advances, and which single result the reports add up to.

Twilio reports each leg in separate requests that may come late, twice or out of order
(reference/protocols.md B2): a status only ever moves forward, a terminal one never changes,
and the result is decided once enough is known, whatever the order the reports came in.
"""

from __future__ import annotations

from dataclasses import dataclass

ANSWERED = "answered"
NO_ANSWER = "no_answer"
BUSY = "busy"
VOICEMAIL = "voicemail"
FAILED = "failed"
AGENT_UNREACHABLE = "agent_unreachable"
OUTCOMES = (ANSWERED, NO_ANSWER, BUSY, VOICEMAIL, FAILED, AGENT_UNREACHABLE)

TERMINAL = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
# Before Twilio reports anything, callq's own steps: scheduled, then placing the REST call.
_RANK = {"scheduled": 0, "placing": 1, "queued": 2, "initiated": 3, "ringing": 4,
         "in-progress": 5, "answered": 5}
_NOT_REACHED = {"busy": BUSY, "no-answer": NO_ANSWER, "failed": FAILED, "canceled": FAILED}


def rank(status: str | None) -> int:
    """How far a call has gone: terminal statuses last, unknown ones never count."""
    if status in TERMINAL:
        return 9
    return _RANK.get(status or "", -1)


def advances(current: str | None, new: str) -> bool:
    """Whether a report moves a leg forward (a duplicate, a late or an unknown one does not)."""
    return current not in TERMINAL and rank(new) > rank(current)


def is_machine(answered_by: str | None) -> bool:
    """Answering-machine detection heard a machine or a fax, not a person."""
    return bool(answered_by) and (str(answered_by).startswith("machine") or answered_by == "fax")


@dataclass(frozen=True)
class Legs:
    """What the reports said so far about the agent's leg and the client's."""

    agent_status: str
    agent_answered_by: str | None = None
    dialed: bool = False  # the agent answered and the client's number was dialled
    client_status: str | None = None
    client_answered_by: str | None = None
    dial_status: str | None = None  # DialCallStatus of the <Dial> action


def client_end(legs: Legs) -> str | None:
    """How the client's leg ended ("completed" when picked up), if it is known yet."""
    if legs.dial_status:
        return "completed" if legs.dial_status == "answered" else legs.dial_status
    return legs.client_status if legs.client_status in TERMINAL else None


def outcome(legs: Legs) -> str | None:
    """The call's single result once the reports are enough to tell it; None until then."""
    if is_machine(legs.agent_answered_by):
        return AGENT_UNREACHABLE  # the agent's voicemail picked up: never bridge a client to it
    if not legs.dialed:
        return AGENT_UNREACHABLE if legs.agent_status in TERMINAL else None
    end = client_end(legs)
    if end is None:
        return None
    if end != "completed":
        return _NOT_REACHED.get(end, FAILED)
    if legs.client_answered_by is None:
        return None  # picked up, but person or machine? the AMD report may still be on its way
    return VOICEMAIL if is_machine(legs.client_answered_by) else ANSWERED


def settled(legs: Legs) -> str:
    """The result when no more reports are awaited: what they tell, else the best reading."""
    found = outcome(legs)
    if found is not None:
        return found
    picked_up = client_end(legs) == "completed" or legs.client_status == "in-progress"
    return ANSWERED if legs.dialed and picked_up else FAILED
