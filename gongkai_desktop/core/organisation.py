"""机构 (organisation): the three disclosure bodies and who sits on them.

- 政务公开工作领导小组, headed by the principal (主要负责人), with a 工作机构 under it and a
  监督小组 beside it (seed 三(一)1; 考核表第1、2项).
- The 工作机构 has at least one part-time staff member (兼职工作人员, seed 三(一)4).
- When a member changes, the old membership is closed (end_date), never deleted, so
  :func:`members_on` answers who was on each body on any date (seed 三(一)1:
  成员发生变动的，及时调整到位).

Every write is one transaction with an audit row (operator from the profile).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from . import audit, profile
from .complaint_rules import as_date, choice
from .db import transaction
from .errors import ValidationError

BODIES = ("领导小组", "工作机构", "监督小组")
BODY_NAMES = {
    "领导小组": "政务公开工作领导小组",
    "工作机构": "政务公开工作机构",
    "监督小组": "政务公开工作监督小组",
}
ROLES = ("组长", "副组长", "成员", "联络员", "兼职工作人员")
COLUMNS = (
    "id", "body", "name", "post", "role", "is_principal", "phone", "email", "start_date",
    "end_date", "created_at",
)  # fmt: skip
# Fields the clerk can correct on a membership (update_member).
EDITABLE = {
    "name": "姓名",
    "post": "职务",
    "role": "小组职务",
    "is_principal": "主要负责人",
    "phone": "联系电话",
    "email": "电子邮箱",
    "start_date": "起始日期",
    "end_date": "终止日期",
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Check:
    """One organisation check shown as a warning when not ok."""

    name: str
    ok: bool
    message: str


# -- validation ------------------------------------------------------------------------------


def _not_future(d: date, label: str, today: date) -> date:
    if d > today:
        raise ValidationError(f"{label} {d} 晚于今天（{today}），不能登记将来的日期。")
    return d


def normalize(data: dict, today: date) -> dict:
    """Validate one membership; return its stored fields (no id, no created_at)."""
    out: dict[str, Any] = {"body": choice(data.get("body"), BODIES, "所属机构")}
    for k in ("name", "post", "phone", "email"):
        out[k] = str(data.get(k) or "").strip()
    if not out["name"]:
        raise ValidationError("请填写成员姓名。")
    out["role"] = choice(data.get("role"), ROLES, "小组职务")
    out["is_principal"] = int(bool(data.get("is_principal")))
    if out["email"] and not _EMAIL.fullmatch(out["email"]):
        raise ValidationError(
            f"电子邮箱“{out['email']}”格式不对，请写成 name@example.gov.cn 这样的格式。"
        )
    start = _not_future(as_date(data.get("start_date"), "起始日期"), "起始日期", today)
    out["start_date"] = start.isoformat()
    end = data.get("end_date")
    out["end_date"] = None
    if end not in (None, ""):
        end = _not_future(as_date(end, "终止日期"), "终止日期", today)
        if end < start:
            raise ValidationError(f"终止日期 {end} 早于起始日期 {start}，请核对。")
        out["end_date"] = end.isoformat()
    return out


def _overlaps(a: dict, b: dict) -> bool:
    a_end, b_end = a["end_date"] or "9999-12-31", b["end_date"] or "9999-12-31"
    return a["start_date"] <= b_end and b["start_date"] <= a_end


def _check_conflicts(db: sqlite_utils.Database, row: dict, ignore: tuple[int, ...] = ()) -> None:
    """No second 组长 of a body at the same time; no person twice on a body at once."""
    body = row["body"]
    for other in _rows(db, "WHERE body = ? ORDER BY start_date, id", [body]):
        if other["id"] in ignore or not _overlaps(row, other):
            continue
        since = f"{other['start_date']}至{other['end_date'] or '今'}"
        if other["name"] == row["name"]:
            raise ValidationError(
                f"{row['name']}在{since}已是{body}{other['role']}，同一时间不能重复登记。"
                "职务变化请用“变更”：原任职终止，新任职从变更之日起。"
            )
        if row["role"] == "组长" and other["role"] == "组长":
            raise ValidationError(
                f"{body}在{since}已有组长{other['name']}，同一时间只能有一位组长。"
                f"请先终止{other['name']}的任职，或用“变更”由新组长接任。"
            )


# -- reading ---------------------------------------------------------------------------------


def _rows(db: sqlite_utils.Database, where: str, params: list) -> list[dict]:
    rows = db.execute(f"SELECT {', '.join(COLUMNS)} FROM memberships {where}", params).fetchall()
    return [dict(zip(COLUMNS, r, strict=True)) for r in rows]


def _order(rows: list[dict]) -> list[dict]:
    return sorted(
        rows,
        key=lambda r: (BODIES.index(r["body"]), ROLES.index(r["role"]), r["start_date"], r["id"]),
    )


def get_member(db: sqlite_utils.Database, member_id: int) -> dict | None:
    rows = _rows(db, "WHERE id = ?", [member_id])
    return rows[0] if rows else None


def _require(db: sqlite_utils.Database, member_id: int) -> dict:
    row = get_member(db, member_id)
    if row is None:
        raise ValidationError("该任职记录不存在，可能已被删除。请刷新列表。")
    return row


def members_on(db: sqlite_utils.Database, day: Any, body: str | None = None) -> list[dict]:
    """Who was on each body (or on *body*) on *day*: started on or before it, not ended
    before it. Ordered by body, then role (组长 first), then start date."""
    d = as_date(day, "查询日期").isoformat()
    where = "WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?)"
    params: list[Any] = [d, d]
    if body is not None:
        where += " AND body = ?"
        params.append(choice(body, BODIES, "所属机构"))
    return _order(_rows(db, where, params))


def history(db: sqlite_utils.Database, body: str | None = None) -> list[dict]:
    """Every membership of *body* (or of all bodies), ended ones included, by start date."""
    if body is None:
        rows = _rows(db, "", [])
    else:
        rows = _rows(db, "WHERE body = ?", [choice(body, BODIES, "所属机构")])
    return sorted(rows, key=lambda r: (BODIES.index(r["body"]), r["start_date"], r["id"]))


def leading_group_emails(db: sqlite_utils.Database, day: Any) -> list[str]:
    """The leading group's e-mail addresses on *day* (default recipients for exports)."""
    return list(dict.fromkeys(r["email"] for r in members_on(db, day, "领导小组") if r["email"]))


def checks(db: sqlite_utils.Database, day: Any) -> list[Check]:
    """The three organisation checks on *day* (考核表第1、2项; seed 三(一)4)."""
    on = members_on(db, day)
    return [_head_check(on), _supervisory_check(on), _part_time_check(on)]


def _head_check(on: list[dict]) -> Check:
    """考核表第1项: a leading group with the principal as its 组长."""
    name = "领导小组以主要负责人为组长"
    lead = [r for r in on if r["body"] == "领导小组"]
    heads = [r for r in lead if r["role"] == "组长"]
    for h in heads:
        if h["is_principal"]:
            return Check(name, True, f"领导小组组长：{h['name']}{_post(h)}，为主要负责人。")
    if heads:
        h = heads[0]
        return Check(
            name,
            False,
            f"领导小组组长{h['name']}{_post(h)}未标记为主要负责人。考核表第1项要求以主要负责人"
            "为组长：如组长就是主要负责人，请在其任职记录中勾选“主要负责人”；否则请用“变更”"
            "由主要负责人担任组长。",
        )
    if lead:
        return Check(
            name, False, "领导小组没有组长。请登记主要负责人为领导小组组长（考核表第1项）。"
        )
    return Check(
        name,
        False,
        "尚未登记政务公开工作领导小组。请登记以主要负责人为组长的领导小组成员（考核表第1项）。",
    )


def _supervisory_check(on: list[dict]) -> Check:
    """考核表第2项: a supervisory group exists."""
    name = "成立政务公开工作监督小组"
    sup = [r for r in on if r["body"] == "监督小组"]
    if sup:
        return Check(name, True, f"监督小组现有{len(sup)}名成员。")
    return Check(name, False, "尚未登记政务公开工作监督小组成员。请登记监督小组（考核表第2项）。")


def _part_time_check(on: list[dict]) -> Check:
    """Seed 三(一)4: the working body has at least one part-time staff member."""
    name = "工作机构至少有1名兼职工作人员"
    body = [r for r in on if r["body"] == "工作机构"]
    part_time = [r["name"] for r in body if r["role"] == "兼职工作人员"]
    if part_time:
        return Check(name, True, "兼职工作人员：" + "、".join(part_time) + "。")
    what = "工作机构没有兼职工作人员。" if body else "尚未登记政务公开工作机构。"
    return Check(
        name, False, what + "请登记至少1名具体承办公开事宜的兼职工作人员（实施方案三（一）4）。"
    )


def _post(r: dict) -> str:
    return f"（{r['post']}）" if r["post"] else ""


# -- changing --------------------------------------------------------------------------------


def _insert(db: sqlite_utils.Database, row: dict, operator: str) -> int:
    row = row | {"created_at": audit.now_iso()}
    cols = [c for c in COLUMNS if c != "id"]
    cur = db.execute(
        f"INSERT INTO memberships({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[c] for c in cols],
    )
    audit.record(db, operator, "memberships", cur.lastrowid, "insert", None, row)
    return cur.lastrowid


def _update(db: sqlite_utils.Database, before: dict, changes: dict, operator: str) -> None:
    db.execute(
        f"UPDATE memberships SET {', '.join(f'{c} = ?' for c in changes)} WHERE id = ?",
        [*changes.values(), before["id"]],
    )
    audit.record(db, operator, "memberships", before["id"], "update", before, before | changes)


def add_member(
    db: sqlite_utils.Database,
    body: str,
    name: str,
    post: str,
    role: str,
    start_date: Any,
    *,
    is_principal: bool = False,
    phone: str = "",
    email: str = "",
    who: str | None = None,
    today: date | None = None,
) -> int:
    """Add a membership starting on *start_date*; returns its id."""
    today = today or date.today()
    row = normalize(
        {"body": body, "name": name, "post": post, "role": role, "start_date": start_date,
         "is_principal": is_principal, "phone": phone, "email": email},
        today,
    )  # fmt: skip
    with transaction(db):
        _check_conflicts(db, row)
        return _insert(db, row, who or profile.operator(db))


def end_member(
    db: sqlite_utils.Database,
    member_id: int,
    end_date: Any,
    who: str | None = None,
    *,
    today: date | None = None,
) -> None:
    """Close a membership on *end_date* (its last day); the record stays in the history."""
    today = today or date.today()
    before = _require(db, member_id)
    if before["end_date"]:
        raise ValidationError(
            f"{before['name']}的{before['body']}任职已于 {before['end_date']} 终止。"
            "如需更正终止日期，请修改该任职记录。"
        )
    row = normalize(before | {"end_date": end_date}, today)
    if not row["end_date"]:
        raise ValidationError("请填写“终止日期”。")
    with transaction(db):
        _update(db, before, {"end_date": row["end_date"]}, who or profile.operator(db))


def replace_member(
    db: sqlite_utils.Database,
    member_id: int,
    new: dict,
    on_date: Any,
    who: str | None = None,
    *,
    today: date | None = None,
) -> int:
    """成员变动: the old membership ends the day before *on_date*, the new one (*new*:
    name, and optionally post, role, is_principal, phone, email) starts on *on_date* in
    the same body, one transaction. Post, role and 主要负责人 default to the old seat's.
    Returns the new membership's id."""
    today = today or date.today()
    old = _require(db, member_id)
    if old["end_date"]:
        raise ValidationError(
            f"{old['name']}的任职已于 {old['end_date']} 终止，不能再变更。请直接新增任职。"
        )
    start = _not_future(as_date(on_date, "变更日期"), "变更日期", today)
    if start.isoformat() <= old["start_date"]:
        raise ValidationError(
            f"变更日期 {start} 应晚于{old['name']}的起始日期 {old['start_date']}，请核对。"
        )
    seat = {k: old[k] for k in ("post", "role", "is_principal")}
    data = seat | {k: v for k, v in new.items() if k in EDITABLE}
    row = normalize(data | {"body": old["body"], "start_date": start, "end_date": None}, today)
    end = (start - timedelta(days=1)).isoformat()
    operator = who or profile.operator(db)
    with transaction(db):
        _check_conflicts(db, row, ignore=(member_id,))
        _update(db, old, {"end_date": end}, operator)
        return _insert(db, row, operator)


def update_member(
    db: sqlite_utils.Database,
    member_id: int,
    data: dict,
    who: str | None = None,
    *,
    today: date | None = None,
) -> None:
    """Correct a membership (a wrong phone, post or date); the fields in EDITABLE."""
    today = today or date.today()
    before = _require(db, member_id)
    merged = before | {k: v for k, v in data.items() if k in EDITABLE}
    row = normalize(merged, today)
    changes = {k: v for k, v in row.items() if before[k] != v}
    if not changes:
        return
    with transaction(db):
        _check_conflicts(db, row, ignore=(member_id,))
        _update(db, before, changes, who or profile.operator(db))
