"""The `callq agents` commands: add, list, edit, disable, enable, reset-password (callq.agents
does the work; each change is audited as "cli" or `callq --operator`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from callq.agents import (
    add_agent,
    disable_agent,
    edit_agent,
    enable_agent,
    list_agents,
    reset_password,
)

if TYPE_CHECKING:
    from callq.runtime import Runtime


def _runtime() -> Runtime:
    from callq.cli import runtime_or_exit  # the CLI's composition root (it imports this module)

    return runtime_or_exit()


def _operator() -> str:
    from callq.admin_cli import operator

    return operator()


@click.group("agents")
def command() -> None:
    """Agents' accounts: add, list, edit, disable, enable, reset-password."""


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
                          admin=admin, language=language, actor=_operator())
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
    try:
        found = disable_agent(_runtime(), email, actor=_operator())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if not found:
        raise click.ClickException(f"no agent with email {email}")
    click.echo(f"agent {email} disabled")


@command.command("edit")
@click.argument("email")
@click.option("--name", default=None, help="Shown name.")
@click.option("--phone", default=None, help="The phone rung before each callback.")
@click.option("--language", default=None, help="Language of the agent's pages.")
@click.option("--admin/--no-admin", default=None, help="Make or unmake an administrator.")
def edit_command(email: str, name: str | None, phone: str | None, language: str | None,
                 admin: bool | None) -> None:
    """Change an agent's name, phone, language or administrator flag."""
    try:
        agent = edit_agent(_runtime(), email, actor=_operator(), name=name, phone=phone,
                           language=language, admin=admin)
    except (LookupError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"agent {agent.email} changed: {agent.name}, {agent.phone or '-'}, "
               f"{agent.language}{', administrator' if agent.is_admin else ''}")


@command.command("enable")
@click.argument("email")
def enable_command(email: str) -> None:
    """Let a disabled agent log in again."""
    try:
        enable_agent(_runtime(), email, actor=_operator())
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"agent {email} enabled")


@command.command("reset-password")
@click.argument("email")
@click.option("--password", default=None,
              help="The new password, at least 8 characters (default: one is generated and "
                   "printed).")
def reset_password_command(email: str, password: str | None) -> None:
    """Give an agent a new password; their open sessions end."""
    try:
        new = reset_password(_runtime(), email, actor=_operator(), password=password)
    except (LookupError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"new password of {email}: {new}" if password is None
               else f"password of {email} changed")
