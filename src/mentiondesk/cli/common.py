"""What every command does the same way: open the services, report a problem, show progress.

A command opens its services with ``open_services`` and reports a refusal with ``fail``. A
``DomainError`` raised inside ``open_services`` is reported through ``fail`` too, so commands
do not catch domain errors themselves. Sub-apps import from here and from ``options``, never
from ``main``, which only registers them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.config import Settings
from mentiondesk.desk.access import Actor, actor_for, operator_actor
from mentiondesk.desk.listening_profiles import QueryInvalid
from mentiondesk.domain.errors import DomainError, NotFound
from mentiondesk.domain.workspaces import User
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["EXIT_REFUSED", "acting", "console", "fail", "open_services", "progress", "user_named"]

EXIT_REFUSED = 2
"""Exit code of a refused command: click's code for bad usage, so scripts see one code."""

console = Console(stderr=True)


def fail(problem: str | DomainError) -> NoReturn:
    """Print ``problem`` in red on stderr and end the command with ``EXIT_REFUSED``.

    A refused query also prints itself with a caret under the culprit."""
    console.print(f"[red]error:[/red] {escape(str(problem))}")
    if isinstance(problem, QueryInvalid) and problem.pointer:
        console.print(problem.pointer, markup=False, highlight=False)
    raise typer.Exit(code=EXIT_REFUSED)


@contextmanager
def open_services(data_dir: Path | None, database_url: str | None) -> Iterator[Services]:
    """The services for the command's database options (the environment fills in the rest),
    closed on the way out; a domain error inside ends the command through ``fail``."""
    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    services = bootstrap(Settings(**overrides))  # type: ignore[arg-type]
    try:
        yield services
    except DomainError as exc:
        fail(exc)
    finally:
        services.close()


def user_named(uow: UnitOfWork, email: str) -> User:
    user = uow.users.get_by_email(email)
    if user is None:
        raise NotFound(f"no user '{email}'")
    return user


def acting(uow: UnitOfWork, workspace: str, email: str | None) -> Actor:
    """The person named by ``--as`` with their role in ``workspace``, or, without one, the
    command line itself acting as the workspace's owner."""
    if email is None:
        return operator_actor(uow, workspace)
    return actor_for(uow, user_named(uow, email), workspace)


def progress() -> Progress:
    """A progress bar on stderr, so the command's output stays clean for a pipe."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
