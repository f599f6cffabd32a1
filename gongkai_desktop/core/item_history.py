"""事项历史 (an item's history): its steps and its audit rows, with Chinese field labels.

Reads only; the rows are written by core/items.py through core/audit.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from . import catalog, items
from .audit import AuditRow

ACTIONS = {"insert": "新建", "update": "修改", "delete": "删除"}
TABLES = {"items": "事项", "item_steps": "办理环节"}

# items.EDITABLE first; then the columns the program maintains, and the step columns.
FIELD_LABELS: dict[str, str] = {
    **items.EDITABLE,
    "index_no": "索引号",
    "year": "年度",
    "stage": "当前环节",
    "returns": "退回次数",
    "publish_due": "公开期限",
    "provisional": "期限为推算",
    "item_id": "事项",
    "step": "环节",
    "action": "办理",
    "who": "经办人",
    "on_date": "日期",
    "opinion": "意见",
    "result": "办理结果",
    "extra": "详情",
}
# Bookkeeping that changes on every write and tells the clerk nothing.
HIDDEN_FIELDS = frozenset({"updated_at", "created_at"})
_FLAGS = frozenset({"major_decision", "long_term", "provisional"})
_EXTRA_LABELS = {
    "secrecy": "保密审查",
    "exemption": "不予公开情形",
    "review_reason": "审查理由",
    "channels": "公开方式",
    "url": "网址",
}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One audit row about the item or one of its steps."""

    at: str
    who: str
    what: str  # e.g. "事项·修改", "办理环节·新建"
    changes: tuple[Change, ...]


def audit_rows(db: sqlite_utils.Database, item_id: int) -> list[AuditRow]:
    """Audit rows for the item and for each of its steps, oldest first."""
    ids = [
        str(r[0])
        for r in db.execute(
            "SELECT id FROM item_steps WHERE item_id = ? ORDER BY id", [item_id]
        ).fetchall()
    ]
    marks = ", ".join("?" * len(ids))
    sql = (
        "SELECT at, who, tbl, row_id, action, before, after FROM audit"
        " WHERE (tbl = 'items' AND row_id = ?)"
    )
    if ids:
        sql += f" OR (tbl = 'item_steps' AND row_id IN ({marks}))"
    rows = db.execute(sql + " ORDER BY id", [str(item_id), *ids]).fetchall()
    return [
        AuditRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            json.loads(r[5]) if r[5] else None,
            json.loads(r[6]) if r[6] else None,
        )
        for r in rows
    ]


def format_value(db_categories: dict[str, str], field: str, value: Any) -> str:
    """A stored value as the clerk reads it."""
    if value is None or value == "":
        return "（空）"
    if field in _FLAGS:
        return "是" if value in (1, True, "1") else "否"
    if field == "category":
        return db_categories.get(str(value), str(value))
    if field == "channels":
        chans = json.loads(value) if isinstance(value, str) and value.startswith("[") else value
        return "、".join(chans) if isinstance(chans, list) and chans else "（空）"
    if field == "extra":
        return describe_extra(json.loads(value) if isinstance(value, str) else value) or "（空）"
    return str(value)


def describe_extra(extra: dict) -> str:
    """A step's details in one line, e.g. "保密审查：不涉密；审查理由：…" or "公开方式：…；网址：…".
    Empty values and the exemption "无" are left out."""
    parts = []
    for k, v in (extra or {}).items():
        if v in ("", None, []) or (k == "exemption" and v == "无"):
            continue
        v = "、".join(v) if isinstance(v, list) else v
        parts.append(f"{_EXTRA_LABELS.get(k, k)}：{v}")
    return "；".join(parts)


def changes(db: sqlite_utils.Database, item_id: int) -> list[HistoryEntry]:
    """修改记录: every audit row for the item and its steps, field by field."""
    cats = catalog.category_names(db)
    out = []
    for row in audit_rows(db, item_id):
        fields = [
            Change(f, FIELD_LABELS.get(f, f), format_value(cats, f, b), format_value(cats, f, a))
            for f, b, a in row.changes()
            if f not in HIDDEN_FIELDS and f != "item_id"
        ]
        fields = [c for c in fields if c.before != c.after]  # e.g. None → "" on insert
        what = f"{TABLES.get(row.tbl, row.tbl)}·{ACTIONS.get(row.action, row.action)}"
        out.append(HistoryEntry(row.at, row.who, what, tuple(fields)))
    return out
