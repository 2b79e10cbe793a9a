"""A demo support desk, so that a first `make run` shows something real."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

from sqlalchemy import func, select

from callq import db
from callq.models import Agent, Client, ClientPhone
from callq.passwords import hash_password
from callq.runtime import Runtime
from callq.simulate import leave_demo_messages

AGENTS = (
    ("admin@demo.callq.fr", "Alice Admin", "+33612000001", True),
    ("camille@demo.callq.fr", "Camille Martin", "+33612000002", False),
    ("hugo@demo.callq.fr", "Hugo Bernard", "+33612000003", False),
)
CLIENTS = (
    ("Clinique des Lilas", "accueil@lilas.example", "2026.2", ("+33612345678", "+33145000001")),
    ("Cabinet Durand", "contact@durand.example", "2025.4", ("+33698765432",)),
    ("Pharmacie du Centre", "pharma@centre.example", "2023.1", ("+33478000002",)),
    ("Garage Moreau", "garage@moreau.example", None, ("+41791234567",)),
)


def load_demo(runtime: Runtime) -> Iterator[str]:
    """Create the demo agents and clients once; yield what a newcomer needs to read."""
    logins = runtime.settings.instance_path / "demo_logins.txt"
    with db.write(runtime.sessions) as session:
        if session.scalar(select(func.count(Agent.id))):
            yield "demo already loaded" + (f"; logins in {logins}" if logins.exists() else "")
            return
        lines = []
        for email, name, phone, admin in AGENTS:
            password = secrets.token_urlsafe(9)
            session.add(Agent(email=email, name=name, phone=phone, is_admin=admin,
                              password_hash=hash_password(password)))
            lines.append(f"{'admin' if admin else 'agent'}  {email}  password: {password}")
        for name, email, version, numbers in CLIENTS:
            session.add(Client(name=name, email=email, product_version=version,
                               phones=[ClientPhone(number=n) for n in numbers]))
    fd = os.open(logins, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    yield f"demo support desk loaded (calendar: {runtime.settings.calendar})"
    yield f"{leave_demo_messages(runtime)} voicemails of last evening in the waiting room"
    yield from lines
    yield f"(also written to {logins})"
