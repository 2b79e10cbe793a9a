"""The `callq agents` commands: add, list, disable, password (callq.agents does the work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from callq.agents import add_agent, change_password, disable_agent, list_agents

if TYPE_CHECKING:
    from callq.runtime import Runtime


def _runtime() -> Runtime:
    from callq.cli import runtime_or_exit  # the CLI's composition root (it imports this module)

    return runtime_or_exit()


@click.group("agents")
def command() -> None:
    """Agents' accounts: add, list, disable, change a password."""


@command.command("add")
@click.option("--email", required=True, help="Login email.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 8 characters (asked for when not given).")
@click.option("--phone", required=True, help="The phone rung before each callback (E.164).")
@click.option("--name", default=None, help="Shown name (default: the email's local part).")
@click.option("--admin", is_flag=True, help="An administrator.")
@click.option("--language", default=None,
              help="Language of the agent's pages and call announcements (default: "
                   "CALLQ_LANGUAGE).")
def add_command(email: str, password: str, phone: str, name: str | None, admin: bool,
                language: str | None) -> None:
    """Add an agent."""
    try:
        agent = add_agent(_runtime(), email=email, password=password, phone=phone, name=name,
                          admin=admin, language=language)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{'administrator' if admin else 'agent'} {agent.email} added ({agent.phone})")


@command.command("list")
def list_command() -> None:
    """List agents."""
    for agent in list_agents(_runtime()):
        flags = ",".join(f for f, on in (("admin", agent.is_admin), ("disabled", not agent.active))
                         if on)
        click.echo(f"{agent.email}\t{agent.name}\t{agent.phone or '-'}\t{agent.language}\t"
                   f"{flags or 'agent'}")


@command.command("disable")
@click.argument("email")
def disable_command(email: str) -> None:
    """Disable an agent: they can no longer log in, their sessions end."""
    if not disable_agent(_runtime(), email):
        raise click.ClickException(f"no agent with email {email}")
    click.echo(f"agent {email} disabled")


@command.command("password")
@click.argument("email")
@click.option("--password", prompt="New password", hide_input=True, confirmation_prompt=True,
              help="At least 8 characters (asked for when not given).")
def password_command(email: str, password: str) -> None:
    """Set an agent's password: every session of theirs ends."""
    try:
        changed = change_password(_runtime(), email, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if not changed:
        raise click.ClickException(f"no agent with email {email}")
    click.echo(f"password of {email} changed; their sessions ended")
