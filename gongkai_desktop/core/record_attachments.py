"""Whether a record can take 附件 yet (issue 7 §1): it must exist in one of the tables
core/attachments.RECORD_TABLES names (an annual report is keyed by its year, and exists
once it has been saved)."""

from __future__ import annotations

import sqlite_utils

from .attachments import RECORD_TABLES


def record_exists(db: sqlite_utils.Database, table: str, record_id: int | None) -> bool:
    key = RECORD_TABLES.get(table)
    if key is None or record_id is None:
        return False
    row = db.execute(f"SELECT 1 FROM {table} WHERE {key} = ?", [int(record_id)]).fetchone()
    return row is not None
