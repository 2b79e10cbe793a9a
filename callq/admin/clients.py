"""Clients as the administrator keeps them: search, create, edit, merge duplicates. Numbers
are E.164 in the hotline's country and belong to one client only (a clash names the other)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from callq import audit, db
from callq.admin.client_fields import ClientFields, clean_fields, split_phones
from callq.i18n import N_, Problem
from callq.models import Appointment, Client, ClientPhone, WaitingEntry
from callq.status import VersionStatus
from callq.waiting.versions import version_status

if TYPE_CHECKING:
    from callq.runtime import Runtime


@dataclass(frozen=True)
class ClientView:
    """A client as the administration pages show it."""

    id: int
    name: str
    email: str | None
    phones: tuple[str, ...]
    language: str
    product_version: str | None
    version_status: VersionStatus


class Unknown(LookupError):
    """No such client."""


def fields_from(runtime: Runtime, form: dict[str, str]) -> ClientFields:
    """A form's fields (phones one per line or `;`-separated), checked; ValueError says why."""
    return clean_fields(name=form.get("name", ""), email=form.get("email", ""),
                        phones=split_phones(form.get("phones", "")),
                        language=form.get("language", ""),
                        product_version=form.get("product_version", ""),
                        region=runtime.calendar().spec.holiday_country)


def search_clients(runtime: Runtime, search: str = "", *, limit: int = 50,
                   offset: int = 0) -> tuple[list[ClientView], int]:
    """Clients by name matching `search` (name, email or digits of a number), and how many."""
    with db.read(runtime.sessions) as session:
        query = select(Client)
        text = search.strip()
        if text:
            digits = "".join(ch for ch in text if ch.isdigit())
            match = [Client.name.ilike(f"%{text}%"), Client.email.ilike(f"%{text}%")]
            if len(digits) >= 3:
                match.append(Client.id.in_(select(ClientPhone.client_id).where(
                    ClientPhone.number.like(f"%{digits[-9:]}%"))))
            query = query.where(or_(*match))
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(func.lower(Client.name), Client.id)
                               .limit(limit).offset(offset))
        return [_view(runtime, session, c) for c in rows], total


def get_client(runtime: Runtime, client_id: int) -> ClientView:
    """One client; Unknown when there is none."""
    with db.read(runtime.sessions) as session:
        return _view(runtime, session, _client(session, client_id))


def create_client(runtime: Runtime, fields: ClientFields, *, actor: str) -> ClientView:
    """A new client; ValueError when a number or the email is another client's."""
    with db.write(runtime.sessions) as session:
        _refuse_clashes(session, fields, client_id=None)
        client = Client(name=fields.name, email=fields.email,
                        language=fields.language or runtime.settings.language,
                        product_version=fields.product_version, created_at=runtime.now(),
                        phones=[ClientPhone(number=n) for n in fields.phones])
        session.add(client)
        session.flush()
        view = _view(runtime, session, client)
        audit.record(session, at=runtime.now(), actor=actor, action="client.create",
                     target=f"#{client.id} {client.name}", after=_snapshot(view))
        return view


def edit_client(runtime: Runtime, client_id: int, fields: ClientFields, *,
                actor: str) -> ClientView:
    """Change a client's fields; its numbers become exactly the ones given."""
    with db.write(runtime.sessions) as session:
        client = _client(session, client_id, lock=True)
        before = _snapshot(_view(runtime, session, client))
        _refuse_clashes(session, fields, client_id=client.id)
        client.name, client.email = fields.name, fields.email
        client.language = fields.language or client.language
        client.product_version = fields.product_version
        kept = {p.number: p for p in client.phones}
        client.phones = [kept.get(n) or ClientPhone(number=n) for n in fields.phones]
        session.flush()
        view = _view(runtime, session, client)
        old, new = audit.changed(before, _snapshot(view))
        if new:
            audit.record(session, at=runtime.now(), actor=actor, action="client.edit",
                         target=f"#{client.id} {client.name}", before=old, after=new)
        return view


def merge_clients(runtime: Runtime, survivor_id: int, duplicate_id: int, *,
                  actor: str) -> ClientView:
    """Fold a duplicate into the survivor: its numbers, entries and appointments follow; the
    survivor's empty fields take the duplicate's; the duplicate is deleted."""
    if survivor_id == duplicate_id:
        raise Problem(N_("a client cannot be merged into itself"))
    with db.write(runtime.sessions) as session:
        survivor = _client(session, survivor_id, lock=True)
        duplicate = _client(session, duplicate_id, lock=True)
        before = {"survivor": _snapshot(_view(runtime, session, survivor)),
                  "duplicate": _snapshot(_view(runtime, session, duplicate))}
        survivor.email = survivor.email or duplicate.email
        survivor.product_version = survivor.product_version or duplicate.product_version
        for table in (ClientPhone, WaitingEntry, Appointment):
            session.execute(update(table).where(table.client_id == duplicate.id)
                            .values(client_id=survivor.id))
        session.execute(delete(Client).where(Client.id == duplicate.id))
        session.flush()
        session.expire(survivor)
        view = _view(runtime, session, survivor)
        audit.record(session, at=runtime.now(), actor=actor, action="client.merge",
                     target=f"#{survivor.id} {survivor.name} <- #{duplicate_id}",
                     before=before, after={"survivor": _snapshot(view)})
        return view


def _client(session: Session, client_id: int, *, lock: bool = False) -> Client:
    client = session.get(Client, client_id, with_for_update=lock)
    if client is None:
        raise Unknown(client_id)
    return client


def _refuse_clashes(session: Session, fields: ClientFields, *, client_id: int | None) -> None:
    for number in fields.phones:
        owner = session.execute(select(Client.id, Client.name).join(ClientPhone).where(
            ClientPhone.number == number)).first()
        if owner is not None and owner.id != client_id:
            raise Problem(N_("phones: %(number)s already belongs to client #%(id)s %(name)s"),
                          number=number, id=owner.id, name=owner.name)
    if fields.email:
        owner = session.execute(select(Client.id, Client.name).where(
            func.lower(Client.email) == fields.email)).first()
        if owner is not None and owner.id != client_id:
            raise Problem(N_("email: %(email)s already belongs to client #%(id)s %(name)s"),
                          email=fields.email, id=owner.id, name=owner.name)


def _view(runtime: Runtime, session: Session, client: Client) -> ClientView:
    phones = tuple(session.scalars(select(ClientPhone.number).where(
        ClientPhone.client_id == client.id).order_by(ClientPhone.id)))
    return ClientView(client.id, client.name, client.email, phones, client.language,
                      client.product_version,
                      version_status(client.product_version, runtime.series()))


def _snapshot(view: ClientView) -> dict[str, Any]:
    return {"name": view.name, "email": view.email, "phones": list(view.phones),
            "language": view.language, "product_version": view.product_version}
