"""A report's tables as CSV text or an XLSX workbook (one sheet per table).

Durations stay in seconds and rates as fractions, as in the API, so a spreadsheet can compute
with them; the sheet's header row names the unit (``_s``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from mentiondesk.analytics.figures import Table

__all__ = ["to_csv", "to_xlsx"]


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    return value


def to_csv(tables: Sequence[Table]) -> str:
    """One table: a header row and its rows. Several: each preceded by a ``# name`` line and
    followed by a blank line, so the file still opens as one sheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for table in tables:
        if len(tables) > 1:
            out.write(f"# {table.name}\n")
        writer.writerow(table.columns)
        writer.writerows([[_cell(v) for v in row] for row in table.rows])
        if len(tables) > 1:
            out.write("\n")
    return out.getvalue()


def to_xlsx(tables: Sequence[Table]) -> bytes:
    workbook = Workbook()
    for sheet in list(workbook.worksheets):
        workbook.remove(sheet)
    for table in tables:
        sheet = workbook.create_sheet(table.name[:31])
        sheet.append(list(table.columns))
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for i, column in enumerate(table.columns, start=1):
            width = max([len(column), *(len(str(r[i - 1])) for r in table.rows[:200])])
            sheet.column_dimensions[get_column_letter(i)].width = min(40, width + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
