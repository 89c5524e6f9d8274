"""Schema upgrades through Alembic, callable from the CLI, the demo and the tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

if TYPE_CHECKING:
    from mentiondesk.storage.secret_box import SecretBox

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head", *, secret_box: SecretBox | None = None) -> None:
    """Bring the database behind ``engine`` to ``revision`` (idempotent). Migrations that
    seal stored secrets use ``secret_box`` when given."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["secret_box"] = secret_box
        command.upgrade(config, revision)


def autogenerate(url: str, message: str) -> None:
    """Write a new migration from the difference between ``tables.py`` and the database."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
