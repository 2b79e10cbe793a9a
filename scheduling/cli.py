"""`callq invite`: an administrator sends a client a link to book an afternoon callback (R13)."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from callq import db, i18n
from callq.models import Client, ClientPhone, WaitingEntry
from scheduling.booking import callable_number, is_email, send_booking_link


@click.command("invite")
@click.option("--email", required=True, help="The client's email address (the link goes there).")
@click.option("--phone", default=None, help="The client's phone: the link also goes by SMS.")
@click.option("--entry", "entry_id", type=int, default=None,
              help="The waiting-room entry the appointment will serve.")
@click.option("--name", default=None, help="The client's name, to fill in the booking form.")
@click.option("--lang", type=click.Choice(i18n.languages()), default=None,
              help="Language of the email and page (default: the client's, else CALLQ_LANGUAGE).")
def command(email: str, phone: str | None, entry_id: int | None, name: str | None,
            lang: str | None) -> None:
    """Send a signed booking link by email (and SMS with --phone); print the link."""
    from callq.cli import runtime_or_exit

    email = email.strip()
    if not is_email(email):
        raise click.ClickException(f"not an email address: {email!r}")
    runtime = runtime_or_exit()
    number = callable_number(runtime, phone) if phone else None
    if phone and number is None:
        raise click.ClickException(f"not a phone number that can be called: {phone!r}")
    with db.write(runtime.sessions) as session:
        entry = session.get(WaitingEntry, entry_id) if entry_id is not None else None
        if entry_id is not None and entry is None:
            raise click.ClickException(f"no waiting-room entry #{entry_id}")
        client = session.scalar(select(Client).where(func.lower(Client.email) == email.lower()))
        if client is None and number:
            client = session.scalar(select(Client).join(ClientPhone).where(
                ClientPhone.number == number))
        chosen = lang or (client.language if client else None) or (
            entry.language if entry else None) or runtime.settings.language
        url = send_booking_link(session, runtime, entry_id=entry_id,
                                client_id=client.id if client else None, email=email,
                                phone=number, lang=chosen,
                                name=name or (client.name if client else None))
    click.echo(f"booking link sent to {email}" + (f" and {number}" if number else ""))
    click.echo(url)
