"""Audit trail (修改记录): one row per insert, update or delete, in the same transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _dump(values: dict[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, default=str)


def record(
    db: sqlite_utils.Database,
    who: str,
    tbl: str,
    row_id: Any,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write one audit row. Call inside the transaction that makes the change."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit.record must run inside the change's transaction")
    db.execute(
        "INSERT INTO audit(at, who, tbl, row_id, action, before, after) VALUES (?,?,?,?,?,?,?)",
        [now_iso(), who or "未知", tbl, str(row_id), action, _dump(before), _dump(after)],
    )


@dataclass(frozen=True)
class AuditRow:
    at: str
    who: str
    tbl: str
    row_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field that differs."""
        b, a = self.before or {}, self.after or {}
        return [(k, b.get(k), a.get(k)) for k in dict.fromkeys([*b, *a]) if b.get(k) != a.get(k)]


def history(db: sqlite_utils.Database, tbl: str, row_id: Any) -> list[AuditRow]:
    rows = db.execute(
        "SELECT at, who, tbl, row_id, action, before, after FROM audit"
        " WHERE tbl = ? AND row_id = ? ORDER BY id",
        [tbl, str(row_id)],
    ).fetchall()
    return [
        AuditRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]) if r[5] else None,
                 json.loads(r[6]) if r[6] else None)
        for r in rows
    ]
