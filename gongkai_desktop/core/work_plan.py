"""年度工作计划 (the year's work plan): milestones with a date, a responsible person and a
reminder, shown on the 工作台. The seed's 四、实施步骤 is this kind of plan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlite_utils

from . import audit, profile
from .date_input import as_iso
from .db import transaction
from .errors import ValidationError

COLUMNS = ("id", "year", "due_date", "title", "responsible", "remind_days", "done_date", "note",
           "created_at")  # fmt: skip
EDITABLE = {
    "year": "年度",
    "due_date": "完成期限",
    "title": "工作事项",
    "responsible": "责任人",
    "remind_days": "提前提醒天数",
    "done_date": "完成日期",
    "note": "备注",
}
MAX_REMIND_DAYS = 90

# Seed 四、实施步骤: (month, day, title, responsible). Dated by the seed's own months.
SEED_STEPS = (
    (3, 31, "开展动员部署，组织学习培训（第一阶段：动员部署）", "领导小组"),
    (3, 31, "制定政务公开工作方案并报送市政务公开办", "政务公开工作机构"),
    (6, 30, "调整充实政务公开领导小组及其办公室成员（第二阶段：组织实施）", "领导小组"),
    (6, 30, "全面自查整改，形成自查报告通过金宏网报送市政务公开办（市效能办）", "政务公开工作机构"),
    (7, 31, "迎接市政务公开办检查验收（第三阶段：验收总结）", "政务公开工作机构"),
    (12, 31, "配合省政务公开办抽查考评，抓好整改落实和总结提升", "领导小组"),
)


def _op(db: sqlite_utils.Database, who: str | None) -> str:
    return who or profile.operator(db)


def _date(value: Any, label: str, required: bool = True) -> str | None:
    return as_iso(value, label, required, example="2026-06-30")


def _int(value: Any, label: str, lo: int, hi: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"“{label}”应为整数，现在是“{value}”。") from None
    if not lo <= n <= hi:
        raise ValidationError(f"“{label}”应在 {lo} 到 {hi} 之间，现在是 {n}。")
    return n


def normalize(data: dict) -> dict:
    """Validate one milestone; return its stored fields (no id, no created_at)."""
    row = {
        "year": _int(data.get("year"), "年度", 2000, 2100),
        "due_date": _date(data.get("due_date"), "完成期限"),
        "title": " ".join(str(data.get("title") or "").split()),
        "responsible": str(data.get("responsible") or "").strip(),
        "remind_days": _int(data.get("remind_days", 7), "提前提醒天数", 0, MAX_REMIND_DAYS),
        "done_date": _date(data.get("done_date"), "完成日期", required=False),
        "note": str(data.get("note") or "").strip(),
    }
    if not row["title"]:
        raise ValidationError("请填写“工作事项”，如“自查报告报送市政务公开办”。")
    if int(row["due_date"][:4]) not in (row["year"], row["year"] + 1):
        raise ValidationError(
            f"完成期限 {row['due_date']} 不在{row['year']}年度内。请核对年度或日期"
            "（次年年初完成的事项可以填次年的日期）。"
        )
    return row


def get(db: sqlite_utils.Database, plan_id: int) -> dict | None:
    r = db.execute(f"SELECT {', '.join(COLUMNS)} FROM work_plan WHERE id = ?", [plan_id]).fetchone()
    return dict(zip(COLUMNS, r, strict=True)) if r else None


def _require(db: sqlite_utils.Database, plan_id: int) -> dict:
    row = get(db, plan_id)
    if row is None:
        raise ValidationError("该工作计划事项已被删除。请刷新列表。")
    return row


def add(
    db: sqlite_utils.Database,
    *,
    year: int,
    due_date: Any,
    title: str,
    responsible: str = "",
    remind_days: int = 7,
    note: str = "",
    who: str | None = None,
) -> int:
    """Add one milestone; returns its id."""
    row = normalize(dict(year=year, due_date=due_date, title=title, responsible=responsible,
                         remind_days=remind_days, note=note))  # fmt: skip
    row["created_at"] = audit.now_iso()
    cols = list(row)
    with transaction(db):
        cur = db.execute(
            f"INSERT INTO work_plan({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        audit.record(db, _op(db, who), "work_plan", cur.lastrowid, "insert", None, row)
    return cur.lastrowid


def update(db: sqlite_utils.Database, plan_id: int, who: str | None = None, **changes) -> None:
    """Change fields of one milestone (names as in EDITABLE)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"工作计划没有这些字段：{'、'.join(sorted(unknown))}。")
    before = _require(db, plan_id)
    row = normalize({k: before[k] for k in EDITABLE} | changes)
    diff = {k: v for k, v in row.items() if before[k] != v}
    if not diff:
        return
    with transaction(db):
        db.execute(
            f"UPDATE work_plan SET {', '.join(f'{k} = ?' for k in diff)} WHERE id = ?",
            [*diff.values(), plan_id],
        )
        audit.record(db, _op(db, who), "work_plan", plan_id, "update", before, before | diff)


def mark_done(
    db: sqlite_utils.Database, plan_id: int, done_date: Any, who: str | None = None
) -> None:
    """Record the day the milestone was done (None or "" reopens it)."""
    update(db, plan_id, who=who, done_date=done_date)


def remove(db: sqlite_utils.Database, plan_id: int, who: str | None = None) -> None:
    before = _require(db, plan_id)
    with transaction(db):
        db.execute("DELETE FROM work_plan WHERE id = ?", [plan_id])
        audit.record(db, _op(db, who), "work_plan", plan_id, "delete", before, None)


def for_year(db: sqlite_utils.Database, year: int) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM work_plan WHERE year = ? ORDER BY due_date, id",
        [int(year)],
    ).fetchall()
    return [dict(zip(COLUMNS, r, strict=True)) for r in rows]


def remind_from(row: dict) -> date:
    return date.fromisoformat(row["due_date"]) - timedelta(days=int(row["remind_days"]))


def status(row: dict, today: date) -> str:
    """已完成 / 逾期完成 / 已逾期 / 提醒中 (within its reminder days) / 未到期."""
    due = row["due_date"]
    if row["done_date"]:
        return "逾期完成" if row["done_date"] > due else "已完成"
    if today.isoformat() > due:
        return "已逾期"
    return "提醒中" if today >= remind_from(row) else "未到期"


def explain(row: dict, today: date) -> str:
    """Why the milestone shows (or not) on the workbench."""
    due = date.fromisoformat(row["due_date"])
    st = status(row, today)
    who = f"；责任人：{row['responsible']}" if row["responsible"] else ""
    head = f"{row['title']}：完成期限 {due.isoformat()}{who}。"
    if row["done_date"]:
        return head + f"已于 {row['done_date']} 完成（{st}）。"
    left = (due - today).days
    if left < 0:
        return head + f"已超过完成期限{-left}天，尚未登记完成。"
    start = remind_from(row).isoformat()
    return head + f"提前{row['remind_days']}天提醒（自 {start} 起），距期限还有{left}天。"


def reminders(db: sqlite_utils.Database, today: date) -> list[dict]:
    """Open milestones whose reminder has started (today >= due - remind_days), overdue
    included; each with ``status``, ``days_left`` (natural days) and ``explain``."""
    rows = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM work_plan WHERE done_date IS NULL ORDER BY due_date, id"
    ).fetchall()
    out = []
    for r in rows:
        row = dict(zip(COLUMNS, r, strict=True))
        if today >= remind_from(row):
            due = date.fromisoformat(row["due_date"])
            out.append(row | {"status": status(row, today), "days_left": (due - today).days,
                              "explain": explain(row, today)})  # fmt: skip
    return out


def seed_demo_plan(
    db: sqlite_utils.Database, year: int, today: date | None = None, who: str | None = None
) -> list[int]:
    """Add the seed's 实施步骤 as *year*'s milestones (skipped if the year has a plan).
    With *today*, milestones already past are marked done three days before their date."""
    if for_year(db, year):
        return []
    ids = []
    for month, day, title, responsible in SEED_STEPS:
        due = date(int(year), month, day)
        pid = add(db, year=year, due_date=due, title=title, responsible=responsible,
                  remind_days=14 if month in (6, 7) else 7, who=who)  # fmt: skip
        if today is not None and due < today:
            mark_done(db, pid, due - timedelta(days=3), who=who)
        ids.append(pid)
    return ids
