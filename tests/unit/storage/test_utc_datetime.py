"""The UTC column type: aware datetimes in, aware UTC datetimes out, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from mentiondesk.storage.types import UtcDateTime

WARSAW_WINTER = timezone(timedelta(hours=1))
SQLITE = sqlite.dialect()
POSTGRES = postgresql.dialect()  # type: ignore[no-untyped-call]


def test_values_are_stored_as_utc() -> None:
    local = datetime(2026, 3, 10, 10, 0, tzinfo=WARSAW_WINTER)

    stored = UtcDateTime().process_bind_param(local, POSTGRES)

    assert stored == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert stored is not None and stored.utcoffset() == timedelta(0)


def test_sqlite_gets_the_utc_wall_time_without_an_offset() -> None:
    local = datetime(2026, 3, 10, 10, 0, tzinfo=WARSAW_WINTER)

    assert UtcDateTime().process_bind_param(local, SQLITE) == datetime(2026, 3, 10, 9, 0)


@pytest.mark.parametrize("dialect", [SQLITE, POSTGRES], ids=["sqlite", "postgresql"])
def test_a_naive_datetime_is_refused(dialect: object) -> None:
    with pytest.raises(ValueError, match="naive"):
        UtcDateTime().process_bind_param(datetime(2026, 3, 10, 9, 0), dialect)  # type: ignore[arg-type]


def test_naive_values_read_back_from_sqlite_are_utc() -> None:
    loaded = UtcDateTime().process_result_value(datetime(2026, 3, 10, 9, 0), SQLITE)

    assert loaded == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert loaded is not None and loaded.tzinfo is UTC


def test_aware_values_read_back_are_converted_to_utc() -> None:
    loaded = UtcDateTime().process_result_value(
        datetime(2026, 3, 10, 10, 0, tzinfo=WARSAW_WINTER), POSTGRES
    )

    assert loaded is not None and loaded.tzinfo is UTC
    assert loaded.hour == 9


def test_null_stays_null() -> None:
    assert UtcDateTime().process_bind_param(None, SQLITE) is None
    assert UtcDateTime().process_result_value(None, SQLITE) is None
