"""年度锁定 (year lock): once a year's annual report is published, its records are frozen.

RULES.md §6: changing a record in a locked year needs an explicit unlock with a reason,
and the unlock goes into the audit log. Publishing (core/annual_report.publish) locks
the year; ``unlock`` opens it again (reason required, a ``year_unlocks`` row and audit
rows); ``relock`` closes it. Any write to a record of a published year while it is
unlocked marks ``annual_reports.changed_after_publish``, which the report shows.

Which date a write is checked against (what the locked report counted):
- a step (an item's approval step, a decision stage, an application's handling step or
  appeal) by the step's own date, so a carried-over application can still be answered
  in the new year;
- an edit or deletion of an item by its 生成日期 and 公开日期, before and after; an
  edit that only changes 有效性 is dated the day it is made (表二 本年废止件数 counts
  the day the repeal was recorded);
- an edit or deletion of an application by every year from its receipt to its closing
  (or today, while open): it is counted in each of those years' table 3;
- a new item or application by its 生成日期 / 收到日期.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from . import audit, profile
from .db import transaction
from .errors import ValidationError


def _year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.year
    text = str(value).strip()
    return int(text[:4]) if text[:4].isdigit() else None


def locked_years(db: sqlite_utils.Database) -> set[int]:
    return {r[0] for r in db.execute("SELECT year FROM annual_reports WHERE locked = 1")}


def is_locked(db: sqlite_utils.Database, year: int) -> bool:
    return int(year) in locked_years(db)


def _state(db: sqlite_utils.Database, year: int) -> dict | None:
    r = db.execute(
        "SELECT published_date, locked, changed_after_publish FROM annual_reports WHERE year = ?",
        [year],
    ).fetchone()
    return None if r is None else {"published_date": r[0], "locked": r[1], "changed": r[2]}


def _years(days: tuple, through: Any) -> set[int]:
    years = {y for y in (_year(d) for d in days) if y is not None}
    last = _year(through)
    if years and last is not None:
        years |= set(range(min(years), last + 1))
    return years


def check_editable(db: sqlite_utils.Database, day: Any, *more: Any, through: Any = None) -> None:
    """Refuse (ValidationError) a write dated *day* (and *more* days) when its year's annual
    report is published and locked. With *through*, every year from the earliest day to
    *through* is checked (a record counted in several years' reports).

    Call it inside the write's transaction: a write to a published but unlocked year marks
    the report as changed after publication, together with the write itself.
    """
    years = _years((day, *more), through)
    if not years:
        return
    locked = sorted(years & locked_years(db))
    if locked:
        y = locked[0]
        st = _state(db, y) or {}
        raise ValidationError(
            f"{y}年的政府信息公开工作年度报告已于{st.get('published_date') or '此前'}发布，"
            f"{y}年的记录已锁定，不能修改。确需更正的，请先在“年度报告”中填写原因解锁{y}年，"
            "修改后再重新锁定；年度报告将注明发布后有修改。"
        )
    for y in sorted(years):
        st = _state(db, y)
        if st and st["published_date"] and not st["changed"]:
            with transaction(db):
                db.execute(
                    "UPDATE annual_reports SET changed_after_publish = 1 WHERE year = ?", [y]
                )
                audit.record(
                    db, profile.operator(db), "annual_reports", y, "update",
                    {"changed_after_publish": 0}, {"changed_after_publish": 1},
                )  # fmt: skip


def check_item_update(db: sqlite_utils.Database, before: dict, after: dict, today: Any) -> None:
    """check_editable for an edit of a registry item (core/items.update): by the item's
    dates, or by *today* when only 有效性 changes (a repeal is dated when recorded)."""
    derived = {"updated_at", "publish_due", "provisional", "year"}
    changed = {k for k in after if k in before and before[k] != after[k]} - derived
    if changed <= {"validity"}:
        check_editable(db, today or date.today())
        return
    check_editable(
        db, before["formed_date"], before.get("published_date"),
        after.get("formed_date"), after.get("published_date"),
    )  # fmt: skip


def unlock(db: sqlite_utils.Database, year: int, reason: str, who: str | None = None) -> int:
    """解锁: open a locked year for corrections. *reason* is required; audited.
    Returns the year_unlocks id."""
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError("解锁已发布年度的记录必须写明原因（例如：更正某件申请的办理结果）。")
    st = _state(db, int(year))
    if not st or not st["locked"]:
        raise ValidationError(f"{year}年没有锁定，不需要解锁。")
    who = (who or "").strip() or profile.operator(db)
    row = {"year": int(year), "reason": reason, "who": who, "unlocked_at": audit.now_iso()}
    with transaction(db):
        cur = db.execute(
            "INSERT INTO year_unlocks(year, reason, who, unlocked_at)"
            " VALUES (:year, :reason, :who, :unlocked_at)",
            row,
        )
        db.execute("UPDATE annual_reports SET locked = 0 WHERE year = ?", [int(year)])
        audit.record(db, who, "year_unlocks", cur.lastrowid, "insert", None, row)
        audit.record(
            db, who, "annual_reports", int(year), "update",
            {"locked": 1}, {"locked": 0, "reason": reason},
        )  # fmt: skip
    return cur.lastrowid


def relock(db: sqlite_utils.Database, year: int, who: str | None = None) -> None:
    """重新锁定 a published year after corrections."""
    st = _state(db, int(year))
    if not st or not st["published_date"]:
        raise ValidationError(f"{year}年的年度报告尚未发布，发布时会自动锁定。")
    if st["locked"]:
        raise ValidationError(f"{year}年已经锁定。")
    who = (who or "").strip() or profile.operator(db)
    now = audit.now_iso()
    with transaction(db):
        db.execute("UPDATE annual_reports SET locked = 1 WHERE year = ?", [int(year)])
        db.execute(
            "UPDATE year_unlocks SET relocked_at = ? WHERE year = ? AND relocked_at IS NULL",
            [now, int(year)],
        )
        audit.record(db, who, "annual_reports", int(year), "update", {"locked": 0}, {"locked": 1})


def unlocks(db: sqlite_utils.Database, year: int) -> list[dict]:
    """The year's unlocks, oldest first: reason, who, unlocked_at, relocked_at."""
    cols = ("id", "year", "reason", "who", "unlocked_at", "relocked_at")
    rows = db.execute(
        f"SELECT {', '.join(cols)} FROM year_unlocks WHERE year = ? ORDER BY id", [int(year)]
    ).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]
