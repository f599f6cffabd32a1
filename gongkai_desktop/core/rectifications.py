"""整改事项 (rectifications): problems found, who fixes them, by when, and the evidence.

They come from complaints (投诉), opinions (意见建议, 考核表第32项), inspections
(监督检查, 第30项), the registry's 整改 step (公开登记, seed 三(五)1) and self-inspection
(自查, seed 三(六)2). Each write is one transaction with an audit row; a parent record
(a complaint's 整改 step, an inspection) adds its rectifications inside its own
transaction through :func:`check_all` and :func:`insert`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from . import audit, profile
from .date_input import as_date
from .db import transaction
from .errors import ValidationError

SOURCES = ("投诉", "意见建议", "监督检查", "公开登记", "自查")
COLUMNS = (
    "id", "year", "source", "source_table", "source_id", "problem", "responsible", "measure",
    "due_date", "done_date", "evidence", "created_at", "updated_at",
)  # fmt: skip
EDITABLE = {
    "problem": "存在问题",
    "responsible": "责任人",
    "measure": "整改措施",
    "due_date": "整改期限",
    "done_date": "完成日期",
    "evidence": "整改佐证",
}
# state labels
DONE, LATE_DONE, OPEN, OVERDUE = "已完成", "逾期完成", "整改中", "已逾期"


def normalize(
    data: dict, *, source: str, found: date, today: date | None = None, prefix: str = ""
) -> dict:
    """Validate one rectification found on *found*; return its stored fields (no id).
    A completed one needs a completion date between *found* and *today*, and evidence."""
    if source not in SOURCES:
        raise ValidationError(f"{prefix}整改来源“{source}”无效，应为：" + "、".join(SOURCES) + "。")
    out: dict[str, Any] = {"source": source, "year": found.year}
    for k in ("problem", "responsible", "measure", "evidence"):
        out[k] = str(data.get(k) or "").strip()
    if not out["problem"]:
        raise ValidationError(f"{prefix}请写明需要整改的问题。")
    if not out["responsible"]:
        raise ValidationError(
            f"{prefix}请填写整改责任人（责任处室或责任人姓名），否则无人落实整改。"
        )
    due = as_date(data.get("due_date"), f"{prefix}整改期限")
    if due < found:
        raise ValidationError(
            f"{prefix}整改期限 {due} 早于发现问题的日期 {found}，请给出合理的整改期限。"
        )
    out["due_date"] = due.isoformat()
    done = as_date(data.get("done_date"), f"{prefix}完成日期", False)
    out["done_date"] = done and done.isoformat()
    if done:
        today = today or date.today()
        if done > today:
            raise ValidationError(
                f"{prefix}完成日期 {done} 晚于今天（{today}），不能登记将来的日期。"
            )
        if done < found:
            raise ValidationError(f"{prefix}完成日期 {done} 早于发现问题的日期 {found}，请核对。")
        if not out["evidence"]:
            raise ValidationError(
                f"{prefix}请填写整改佐证：整改后的网页截图、文件或会议纪要等能证明已经整改的材料。"
            )
    return out


def check_all(items, *, source: str, found: date, today: date | None = None) -> list[dict]:
    """Validate a parent's list of rectification dicts before anything is written;
    messages name the row (第2项整改：…)."""
    items = list(items or [])
    many = len(items) > 1
    return [
        normalize(
            x,
            source=source,
            found=found,
            today=today,
            prefix=f"第{i}项整改：" if many else "整改事项：",
        )
        for i, x in enumerate(items, start=1)
    ]


def insert(
    db: sqlite_utils.Database,
    row: dict,
    operator: str,
    source_table: str = "",
    source_id: int | None = None,
) -> int:
    """INSERT a normalized row with its audit row. Must run inside the caller's transaction."""
    now = audit.now_iso()
    row = row | {
        "source_table": source_table,
        "source_id": source_id,
        "created_at": now,
        "updated_at": now,
    }
    cols = [c for c in COLUMNS if c != "id"]
    cur = db.execute(
        f"INSERT INTO rectifications({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[c] for c in cols],
    )
    audit.record(db, operator, "rectifications", cur.lastrowid, "insert", None, row)
    return cur.lastrowid


def create(
    db: sqlite_utils.Database,
    *,
    source: str,
    problem: str,
    responsible: str,
    measure: str,
    due_date: Any,
    source_table: str = "",
    source_id: int | None = None,
    who: str | None = None,
    today: date | None = None,
    found_date: Any = None,
) -> int:
    """Add one rectification; returns its id. *found_date* (default today) sets its year
    and is the earliest allowed due date."""
    today = today or date.today()
    found = as_date(found_date, "发现日期", False) or today
    if found > today:
        raise ValidationError(f"发现日期 {found} 晚于今天（{today}），不能登记将来的日期。")
    data = {
        "problem": problem,
        "responsible": responsible,
        "measure": measure,
        "due_date": due_date,
    }
    row = normalize(data, source=source, found=found, today=today)
    with transaction(db):
        return insert(db, row, who or profile.operator(db), source_table, source_id)


def from_registry_item(
    db: sqlite_utils.Database,
    item_id: int,
    problem: str,
    responsible: str,
    measure: str,
    due_date: Any,
    who: str | None = None,
    *,
    today: date | None = None,
) -> int:
    """A rectification from the registry's 整改 step (source 公开登记, seed 三(五)1)."""
    row = db.execute("SELECT id FROM items WHERE id = ?", [item_id]).fetchone()
    if row is None:
        raise ValidationError("该公开事项已被删除，无法登记整改事项。")
    return create(
        db,
        source="公开登记",
        problem=problem,
        responsible=responsible,
        measure=measure,
        due_date=due_date,
        source_table="items",
        source_id=item_id,
        who=who,
        today=today,
    )


# -- reading -------------------------------------------------------------------------------


def get(db: sqlite_utils.Database, rect_id: int) -> dict | None:
    r = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM rectifications WHERE id = ?", [rect_id]
    ).fetchone()
    return dict(zip(COLUMNS, r, strict=True)) if r else None


def _require(db: sqlite_utils.Database, rect_id: int) -> dict:
    row = get(db, rect_id)
    if row is None:
        raise ValidationError("该整改事项已被删除。请刷新列表。")
    return row


def state(row: dict, today: date) -> str:
    """已完成 / 逾期完成 (done after the due date) / 整改中 / 已逾期 (open past due)."""
    if row["done_date"]:
        return LATE_DONE if row["done_date"] > row["due_date"] else DONE
    return OVERDUE if row["due_date"] < today.isoformat() else OPEN


def _with_state(rows, today: date) -> list[dict]:
    out = []
    for r in rows:
        row = dict(zip(COLUMNS, r, strict=True))
        row["state"] = state(row, today)
        row["overdue"] = row["state"] == OVERDUE
        row["days_left"] = (
            None if row["done_date"] else (date.fromisoformat(row["due_date"]) - today).days
        )
        out.append(row)
    return out


def list_open(db: sqlite_utils.Database, today: date) -> list[dict]:
    """Every open rectification, overdue ones first, then by due date; each row has
    ``state``, ``overdue`` and ``days_left`` (natural days, negative when late)."""
    rows = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM rectifications WHERE done_date IS NULL"
        " ORDER BY due_date, id"
    ).fetchall()
    return _with_state(rows, today)


def list_year(db: sqlite_utils.Database, year: int, today: date | None = None) -> list[dict]:
    """The year's rectifications (by the year found), by due date, with ``state``."""
    rows = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM rectifications WHERE year = ? ORDER BY due_date, id",
        [int(year)],
    ).fetchall()
    return _with_state(rows, today or date.today())


def for_source(db: sqlite_utils.Database, source_table: str, source_id: int) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM rectifications WHERE source_table = ? AND source_id = ?"
        " ORDER BY id",
        [source_table, source_id],
    ).fetchall()
    return [dict(zip(COLUMNS, r, strict=True)) for r in rows]


def open_counts(db: sqlite_utils.Database, today: date) -> tuple[int, int]:
    """(open, of which overdue)."""
    r = db.execute(
        "SELECT count(*), coalesce(sum(due_date < ?), 0) FROM rectifications"
        " WHERE done_date IS NULL",
        [today.isoformat()],
    ).fetchone()
    return r[0], r[1]


# -- changing ------------------------------------------------------------------------------


def complete(
    db: sqlite_utils.Database,
    rect_id: int,
    done_date: Any,
    evidence: str,
    who: str | None = None,
    *,
    today: date | None = None,
) -> None:
    """整改完成: the completion date and the evidence (what shows it is fixed)."""
    today = today or date.today()
    before = _require(db, rect_id)
    if before["done_date"]:
        raise ValidationError(
            f"该整改事项已于 {before['done_date']} 完成。如需更正，请修改该整改事项。"
        )
    update(db, rect_id, {"done_date": done_date, "evidence": evidence}, who=who, today=today)


def update(
    db: sqlite_utils.Database,
    rect_id: int,
    data: dict,
    *,
    who: str | None = None,
    today: date | None = None,
) -> None:
    """Correct the fields in EDITABLE. A completion needs its date and evidence."""
    today = today or date.today()
    before = _require(db, rect_id)
    merged = {k: before[k] for k in EDITABLE} | {k: v for k, v in data.items() if k in EDITABLE}
    # the found date is not stored; its year bounds the due and completion dates
    year_start = date(before["year"], 1, 1)
    row = normalize(merged, source=before["source"], found=year_start, today=today)
    row.pop("year"), row.pop("source")
    changes = {k: v for k, v in row.items() if before[k] != v}
    if not changes:
        return
    changes["updated_at"] = audit.now_iso()
    with transaction(db):
        db.execute(
            f"UPDATE rectifications SET {', '.join(f'{c} = ?' for c in changes)} WHERE id = ?",
            [*changes.values(), rect_id],
        )
        audit.record(
            db, who or profile.operator(db), "rectifications", rect_id, "update", before,
            get(db, rect_id),
        )  # fmt: skip


def delete(db: sqlite_utils.Database, rect_id: int, *, who: str | None = None) -> None:
    before = get(db, rect_id)
    if before is None:
        return
    with transaction(db):
        delete_rows(db, [before], who or profile.operator(db))


def delete_rows(db: sqlite_utils.Database, rows: list[dict], operator: str) -> None:
    """Delete rectifications with their audit rows; inside the caller's transaction."""
    for r in rows:
        db.execute("DELETE FROM rectifications WHERE id = ?", [r["id"]])
        audit.record(db, operator, "rectifications", r["id"], "delete", r, None)
