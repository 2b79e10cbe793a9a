"""ORM models (SQLAlchemy 2 typed style); every schema change is an Alembic migration."""

from callq.models.accounts import LoginFailure
from callq.models.admin import AuditEntry, StoredValue, TextOverride
from callq.models.base import Base, UTCDateTime, utcnow
from callq.models.bridges import Bridge
from callq.models.calls import Call, GatewayRecord
from callq.models.clients import ShortLink, WaitlistOffer
from callq.models.effects import ProcessBeat, SideEffect
from callq.models.people import Absence, Agent, Client, ClientPhone, Closure
from callq.models.planner import Appointment, UsedToken
from callq.models.reports import ServiceDay
from callq.models.waiting import EntryEvent, Message, MessageAttachment, WaitingEntry

__all__ = [
    "Absence", "Agent", "Appointment", "Base", "Call", "Client", "ClientPhone", "Closure",
    "EntryEvent", "GatewayRecord", "Message", "SideEffect", "UTCDateTime", "UsedToken",
    "WaitingEntry", "utcnow",
    "Bridge", "LoginFailure", "MessageAttachment", "ProcessBeat", "ShortLink", "WaitlistOffer",
    "AuditEntry", "StoredValue", "TextOverride", "ServiceDay",
]
