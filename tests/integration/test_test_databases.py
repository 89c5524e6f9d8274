"""The test databases themselves: every test starts from an empty, migrated schema."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from mentiondesk.bootstrap import Services
from mentiondesk.storage import tables as t
from tests.factories import build_desk


@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_starts_empty_with_ids_from_one(services: Services, attempt: int) -> None:
    with services.uow() as uow:
        assert uow.workspaces.all() == []
        assert uow.rejected.list(None) == []

    desk = build_desk(services)
    case_id = desk.ingest_case()

    assert (desk.workspace.id, desk.owner.id, case_id) == (1, 1, 1)


def test_the_schema_is_migrated_to_the_current_tables(services: Services) -> None:
    with services.engine.connect() as conn:
        present = set(inspect(conn).get_table_names())

    assert set(t.metadata.tables) <= present
