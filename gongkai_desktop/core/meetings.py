"""会议 (meetings): the leading group's special meetings, the 局务会 and the 全体人员大会.

The 政务公开工作领导小组 holds at least two special meetings (专题会议) a year to study
and solve the office's important disclosure questions (seed 三(一)2; RULES.md §5).
Self-inspection results are reported at the 局务会 or the 全体人员大会 (seed 三(六)2).
Every write is one transaction with an audit row (operator from the profile).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from . import audit, profile
from .complaint_rules import as_date, choice
from .db import transaction
from .errors import ValidationError
from .organisation import BODIES

KINDS = ("专题会议", "局务会", "全体人员大会")
SPECIAL = "专题会议"
COUNTED_BODY = "领导小组"  # only the leading group's special meetings count (seed 三(一)2)
TARGET = 2  # 每年召开专题会议不少于2次
WARN_FROM = (10, 1)  # warn from 1 October (issue 5 §2)
RULE = "实施方案三（一）2：领导小组每年召开专题会议不少于2次"
COLUMNS = (
    "id", "on_date", "kind", "body", "subject", "attendees", "decisions", "minutes",
    "created_at",
)  # fmt: skip
EDITABLE = {
    "on_date": "会议日期",
    "kind": "会议类型",
    "body": "召开机构",
    "subject": "会议议题",
    "attendees": "参会人员",
    "decisions": "议定事项",
    "minutes": "会议纪要",
}
# Status states, and the labels the window shows
OK, WARN, FAIL = "ok", "warn", "fail"
DONE, IN_PROGRESS, SHORT, MISSED, NOT_STARTED = "已达标", "进行中", "尚未达标", "未达标", "未开始"


@dataclass(frozen=True)
class Status:
    """The year's leading-group special meetings against the 2-a-year requirement."""

    year: int
    count: int
    target: int
    state: str  # ok / warn / fail
    label: str  # 已达标 / 进行中 / 尚未达标 / 未达标 / 未开始
    message: str

    @property
    def needs_attention(self) -> bool:
        return self.state != OK


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v).strip() for v in value if str(v).strip())
    return str(value or "").strip()


def normalize(data: dict, today: date) -> dict:
    """Validate one meeting; return its stored fields (no id, no created_at)."""
    d = as_date(data.get("on_date"), "会议日期")
    if d > today:
        raise ValidationError(f"会议日期 {d} 晚于今天（{today}），请在会议召开后再登记。")
    kind = choice(data.get("kind"), KINDS, "会议类型")
    body = _text(data.get("body"))
    if kind == SPECIAL and not body:
        raise ValidationError(
            "专题会议请选择召开机构（领导小组、工作机构或监督小组）；"
            "领导小组的专题会议计入每年不少于2次的要求。"
        )
    if body:
        body = choice(body, BODIES, "召开机构")
    out = {"on_date": d.isoformat(), "kind": kind, "body": body}
    for k in ("subject", "attendees", "decisions", "minutes"):
        out[k] = _text(data.get(k))
    if not out["subject"]:
        raise ValidationError("请填写会议议题，例如“研究部署本年度政务公开工作”。")
    return out


# -- changing --------------------------------------------------------------------------------


def add_meeting(
    db: sqlite_utils.Database,
    on_date: Any,
    kind: str,
    body: str,
    subject: str,
    attendees: Any,
    decisions: str,
    minutes: str,
    who: str | None = None,
    *,
    today: date | None = None,
) -> int:
    """Record a held meeting; returns its id. *attendees* is text or a list of names;
    *body* may be empty for a 局务会 or 全体人员大会 (the whole bureau)."""
    row = normalize(
        {"on_date": on_date, "kind": kind, "body": body, "subject": subject,
         "attendees": attendees, "decisions": decisions, "minutes": minutes},
        today or date.today(),
    )  # fmt: skip
    row["created_at"] = audit.now_iso()
    with transaction(db):
        cur = db.execute(
            f"INSERT INTO meetings({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        audit.record(db, who or profile.operator(db), "meetings", cur.lastrowid, "insert",
                     None, row)  # fmt: skip
    return cur.lastrowid


def update(
    db: sqlite_utils.Database,
    meeting_id: int,
    data: dict,
    who: str | None = None,
    *,
    today: date | None = None,
) -> None:
    """Correct a meeting's fields (EDITABLE)."""
    before = _require(db, meeting_id)
    merged = {k: before[k] for k in EDITABLE} | {k: v for k, v in data.items() if k in EDITABLE}
    row = normalize(merged, today or date.today())
    changes = {k: v for k, v in row.items() if before[k] != v}
    if not changes:
        return
    with transaction(db):
        db.execute(
            f"UPDATE meetings SET {', '.join(f'{c} = ?' for c in changes)} WHERE id = ?",
            [*changes.values(), meeting_id],
        )
        audit.record(db, who or profile.operator(db), "meetings", meeting_id, "update", before,
                     before | changes)  # fmt: skip


def delete(db: sqlite_utils.Database, meeting_id: int, who: str | None = None) -> None:
    before = get(db, meeting_id)
    if before is None:
        return
    with transaction(db):
        db.execute("DELETE FROM meetings WHERE id = ?", [meeting_id])
        audit.record(db, who or profile.operator(db), "meetings", meeting_id, "delete", before,
                     None)  # fmt: skip


# -- reading ---------------------------------------------------------------------------------


def get(db: sqlite_utils.Database, meeting_id: int) -> dict | None:
    r = db.execute(f"SELECT {', '.join(COLUMNS)} FROM meetings WHERE id = ?", [meeting_id])
    row = r.fetchone()
    return dict(zip(COLUMNS, row, strict=True)) if row else None


def _require(db: sqlite_utils.Database, meeting_id: int) -> dict:
    row = get(db, meeting_id)
    if row is None:
        raise ValidationError("该会议记录已被删除。请刷新列表。")
    return row


def list_year(db: sqlite_utils.Database, year: int, kind: str | None = None) -> list[dict]:
    """The year's meetings (optionally of one *kind*) by date; each row has ``counted``
    (a leading-group special meeting, counted against the 2-a-year requirement)."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM meetings WHERE on_date >= ? AND on_date < ?"
    params: list[Any] = [f"{int(year):04d}-01-01", f"{int(year) + 1:04d}-01-01"]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(choice(kind, KINDS, "会议类型"))
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in db.execute(sql + " ORDER BY on_date, id",
                                                                   params)]  # fmt: skip
    for r in rows:
        r["counted"] = r["kind"] == SPECIAL and r["body"] == COUNTED_BODY
    return rows


def special_meeting_count(db: sqlite_utils.Database, year: int) -> int:
    return db.execute(
        "SELECT count(*) FROM meetings WHERE kind = ? AND body = ? AND on_date >= ?"
        " AND on_date < ?",
        [SPECIAL, COUNTED_BODY, f"{int(year):04d}-01-01", f"{int(year) + 1:04d}-01-01"],
    ).fetchone()[0]


def special_meeting_status(db: sqlite_utils.Database, year: int, today: date) -> Status:
    """*year*'s leading-group special meetings as of *today* (seed 三(一)2):
    ok once two are held, or before 1 October (进行中); warn from 1 October while fewer
    than two; fail when the year ended with fewer than two."""
    year = int(year)
    n = special_meeting_count(db, year)
    held = f"已召开专题会议{n}次" if n else "尚未召开专题会议"
    short = TARGET - n

    def status(state: str, label: str, message: str) -> Status:
        return Status(year, n, TARGET, state, label, f"{year}年领导小组{message}")

    if n >= TARGET:
        return status(OK, DONE, f"{held}，达到每年不少于{TARGET}次的要求。")
    if today < date(year, 1, 1):
        return status(OK, NOT_STARTED, "专题会议：该年度尚未开始。")
    if today > date(year, 12, 31):
        whole = f"全年只召开专题会议{n}次" if n else "全年未召开专题会议"
        return status(FAIL, MISSED, f"{whole}，未达到每年不少于{TARGET}次的要求（{RULE}）。")
    if today < date(year, *WARN_FROM):
        return status(OK, IN_PROGRESS, f"{held}，年内还需召开{short}次（{RULE}）。")
    return status(
        WARN, SHORT, f"{held}，距年底不足三个月，请在12月31日前再召开{short}次（{RULE}）。"
    )
