"""What every command shares: where the database is, and how services are built from that."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.config import Settings

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", envvar="MENTIONDESK_DATA_DIR", help="Folder of the embedded database."
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="MENTIONDESK_DATABASE_URL",
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (default: SQLite).",
    ),
]


def services_for(data_dir: Path | None, database_url: str | None) -> Services:
    """Services for the command's database options (the environment fills in the rest)."""
    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    return bootstrap(Settings(**overrides))  # type: ignore[arg-type]
