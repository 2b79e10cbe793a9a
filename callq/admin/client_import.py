"""Importing and exporting clients as CSV: matched by email or by a number, idempotent, all or
nothing, in bulk statements (10,000 clients in a few seconds), with a dry-run report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from callq import audit, db
from callq.admin.client_csv import (
    MAX_PROBLEMS,
    CsvRefused,
    CsvRow,
    decode,
    on_line,
    read_rows,
    write_rows,
)
from callq.admin.client_fields import ClientFields
from callq.i18n import N_, Problem
from callq.models import Client, ClientPhone

if TYPE_CHECKING:
    from callq.runtime import Runtime

SHOWN_CHANGES = 200  # lines of a report; the counts are always whole


@dataclass
class ImportReport:
    """What an import did (or, dry, would do): counts and a line per change."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[str] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class _Known:
    """The stored clients, as the matching needs them."""

    rows: dict[int, dict[str, Any]]
    by_email: dict[str, int]
    by_number: dict[str, int]


def import_clients(runtime: Runtime, text: str, *, actor: str, dry_run: bool = False,
                   source: str = "") -> ImportReport:
    """Create or update every client of the CSV; CsvRefused (nothing written) on any bad row."""
    rows = read_rows(text, runtime.calendar().spec.holiday_country)
    with db.write(runtime.sessions) as session:
        known = _known(session)
        plan = _plan(rows, known)
        report = ImportReport(len(plan.creates), len(plan.updates), plan.unchanged,
                              plan.changes[:SHOWN_CHANGES], dry_run)
        if not dry_run:
            _write(session, plan, runtime.settings.language)
            audit.record(session, at=runtime.now(), actor=actor, action="clients.import",
                         target=source, after={"created": report.created,
                                               "updated": report.updated,
                                               "unchanged": report.unchanged,
                                               "changes": report.changes})
    return report


def decode_file(data: bytes) -> str:
    """A CSV file's text (UTF-8, with or without BOM); CsvRefused otherwise."""
    return decode(data)


def export_clients(runtime: Runtime) -> str:
    """Every client as CSV, by name (what import reads back unchanged)."""
    with db.read(runtime.sessions) as session:
        known = _known(session)
    phones: dict[int, list[str]] = {}
    for number, client_id in sorted(known.by_number.items()):
        phones.setdefault(client_id, []).append(number)
    clients = sorted(known.rows.items(), key=lambda item: (item[1]["name"].lower(), item[0]))
    return write_rows(ClientFields(row["name"], row["email"], tuple(phones.get(cid, ())),
                                   row["language"], row["product_version"])
                      for cid, row in clients)


def _known(session: Session) -> _Known:
    rows = {cid: {"name": name, "email": email, "language": language,
                  "product_version": version}
            for cid, name, email, language, version in session.execute(select(
                Client.id, Client.name, Client.email, Client.language, Client.product_version))}
    by_email = {row["email"].lower(): cid for cid, row in rows.items() if row["email"]}
    by_number = {number: client_id for number, client_id in session.execute(
        select(ClientPhone.number, ClientPhone.client_id))}
    return _Known(rows, by_email, by_number)


@dataclass
class _Plan:
    creates: list[CsvRow] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # (stored client, or None and the index of the client created), number
    new_phones: list[tuple[int | None, str, int]] = field(default_factory=list)
    unchanged: int = 0
    changes: list[str] = field(default_factory=list)


def _plan(rows: list[CsvRow], known: _Known) -> _Plan:
    plan, problems = _Plan(), []
    seen_client: dict[int, int] = {}  # client id -> line
    seen_number: dict[str, int] = {}  # number (or email) -> line
    for row in rows:
        try:
            _claim_contacts(row, seen_number)
            target = _match(row, known, seen_client)
        except Problem as problem:
            problems.append(on_line(row.line, problem))
            continue
        if target is None:
            plan.new_phones += [(None, n, len(plan.creates)) for n in row.fields.phones]
            plan.creates.append(row)
            plan.changes.append(f"line {row.line}: create {row.fields.name}")
        else:
            _plan_update(plan, row, target, known)
    if problems:
        raise CsvRefused(problems[:MAX_PROBLEMS])
    return plan


def _claim_contacts(row: CsvRow, seen: dict[str, int]) -> None:
    """Two rows of one file with one number or email are one client written twice."""
    if row.fields.email:
        if row.fields.email in seen:
            raise Problem(N_("same client as line %(line)s (email %(email)s)"),
                          line=seen[row.fields.email], email=row.fields.email)
        seen[row.fields.email] = row.line
    for number in row.fields.phones:
        if number in seen:
            raise Problem(N_("number %(number)s is also on line %(line)s"), number=number,
                          line=seen[number])
        seen[number] = row.line


def _match(row: CsvRow, known: _Known, seen: dict[int, int]) -> int | None:
    """The stored client this row is (by email or a number), None for a new one."""
    fields = row.fields
    found = {known.by_email[fields.email]} if fields.email in known.by_email else set()
    found |= {known.by_number[n] for n in fields.phones if n in known.by_number}
    if len(found) > 1:
        names = ", ".join(f"#{cid} {known.rows[cid]['name']}" for cid in sorted(found))
        raise Problem(N_("its email and numbers belong to different clients (%(names)s)"),
                      names=names)
    target = found.pop() if found else None
    if target is not None:
        if target in seen:
            raise Problem(N_("same client as line %(line)s (#%(id)s %(name)s)"),
                          line=seen[target], id=target, name=known.rows[target]["name"])
        seen[target] = row.line
    return target


def _plan_update(plan: _Plan, row: CsvRow, target: int, known: _Known) -> None:
    # A column left empty keeps what is stored; numbers are added, never taken away.
    stored, fields = known.rows[target], row.fields
    wanted = {k: v for k, v in (("name", fields.name), ("email", fields.email),
                                ("language", fields.language),
                                ("product_version", fields.product_version))
              if v is not None and v != stored[k]}
    added = [n for n in fields.phones if known.by_number.get(n) != target]
    if not wanted and not added:
        plan.unchanged += 1
        return
    if wanted:
        plan.updates.append((target, wanted))
    plan.new_phones += [(target, n, -1) for n in added]
    what = ", ".join([*(f"{k} {stored[k]!r} -> {v!r}" for k, v in wanted.items()),
                      *(f"+{n}" for n in added)])
    plan.changes.append(f"line {row.line}: update #{target} {stored['name']}: {what}")


def _write(session: Session, plan: _Plan, language: str) -> None:
    ids: list[int] = []
    if plan.creates:
        ids = list(session.scalars(
            insert(Client).returning(Client.id, sort_by_parameter_order=True),
            [{"name": r.fields.name, "email": r.fields.email,
              "language": r.fields.language or language,
              "product_version": r.fields.product_version}
             for r in plan.creates]))
    if plan.updates:
        session.execute(update(Client), [{"id": cid, **values} for cid, values in plan.updates])
    phones = [{"client_id": ids[index] if client_id is None else client_id, "number": number}
              for client_id, number, index in plan.new_phones]
    if phones:
        session.execute(insert(ClientPhone), phones)
