"""投诉与意见 (complaints, reports, consultations and opinions): the repository.

受理 → 调查核实 → 答复 → 整改（需要时）→ 办结, replied within 30 days (考核表第33项);
an 意见建议 may be passed on to the principal, who answers within 30 days (第31、32项).
Each write is one transaction with a ``complaint_events`` row (the step's handler in
``who``) and audit rows (the program's operator, profile.operator). ``stage``,
``reply_due``, ``principal_due`` and ``provisional`` are stored, so lists filter and
sort in SQL; the state label depends on today (core/complaint_rules.complaint_state).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlite_utils

from . import audit, index_numbers, profile, search
from . import complaint_rules as rules
from . import rectifications as rect
from .calendar import WorkCalendar
from .db import transaction
from .errors import ValidationError

COLUMNS = (
    "id", "no", "year", "kind", "source", "anonymous", "person", "contact", "received_date",
    "content", "handler", "stage", "reply_due", "reply_date", "reply_method", "reply_content",
    "forwarded_date", "principal", "principal_due", "principal_answer_date", "principal_answer",
    "closed_date", "provisional", "created_at", "updated_at",
)  # fmt: skip
EVENT_COLUMNS = ("id", "complaint_id", "step", "who", "on_date", "opinion", "extra", "created_at")
REGISTER, EDIT = "登记", "修改登记信息"
FORWARD, PRINCIPAL_ANSWER = "转送主要负责人", "主要负责人答复"


# -- reading -------------------------------------------------------------------------------


def get(db: sqlite_utils.Database, complaint_id: int) -> dict | None:
    r = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM complaints WHERE id = ?", [complaint_id]
    ).fetchone()
    return dict(zip(COLUMNS, r, strict=True)) if r else None


def require(db: sqlite_utils.Database, complaint_id: int) -> dict:
    row = get(db, complaint_id)
    if row is None:
        raise ValidationError("该记录已被删除，无法继续办理。请刷新列表。")
    return row


def events(db: sqlite_utils.Database, complaint_id: int) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM complaint_events WHERE complaint_id = ?"
        " ORDER BY id",
        [complaint_id],
    ).fetchall()
    out = [dict(zip(EVENT_COLUMNS, r, strict=True)) for r in rows]
    for e in out:
        e["extra"] = json.loads(e["extra"] or "{}")
    return out


def explain(
    db: sqlite_utils.Database,
    complaint_id: int,
    cal: WorkCalendar | None = None,
    today: date | None = None,
) -> str:
    """期限说明 of one record, as shown in its panel."""
    row = require(db, complaint_id)
    return rules.explain(row, today or date.today(), cal or WorkCalendar.from_db(db))


# -- writing helpers (inside a transaction) -----------------------------------------------


def _tokens(row: dict) -> str:
    return search.tokens(row["no"], row["person"], row["contact"], row["content"])


def _write(db, complaint_id: int, changes: dict, cal: WorkCalendar, operator: str) -> dict:
    before = require(db, complaint_id)
    merged = before | changes
    merged |= rules.derived(merged, cal)
    merged["updated_at"] = audit.now_iso()
    cols = [c for c in COLUMNS if c != "id" and merged[c] != before[c]]
    db.execute(
        f"UPDATE complaints SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
        [*(merged[c] for c in cols), complaint_id],
    )
    after = require(db, complaint_id)
    if {"person", "contact", "content"} & set(cols):
        db.execute(
            "INSERT INTO complaints_fts(complaints_fts, rowid, tokens) VALUES ('delete', ?, ?)",
            [complaint_id, _tokens(before)],
        )
        db.execute(
            "INSERT INTO complaints_fts(rowid, tokens) VALUES (?, ?)",
            [complaint_id, _tokens(after)],
        )
    audit.record(db, operator, "complaints", complaint_id, "update", before, after)
    return after


def _event(db, complaint_id, step, who, on_date: date, opinion, extra, operator) -> int:
    row = {
        "complaint_id": complaint_id,
        "step": step,
        "who": who,
        "on_date": on_date.isoformat(),
        "opinion": (opinion or "").strip(),
        "extra": json.dumps(extra or {}, ensure_ascii=False, default=str),
        "created_at": audit.now_iso(),
    }
    cur = db.execute(
        f"INSERT INTO complaint_events({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    audit.record(db, operator, "complaint_events", cur.lastrowid, "insert", None, row)
    return cur.lastrowid


def _handler(db, row: dict | None, who: str | None) -> str:
    """The step's handler: as given, else the record's 经办人, else the operator."""
    return (who or "").strip() or (row or {}).get("handler") or profile.operator(db)


def _check_date(db, row: dict, on_date: Any, label: str, today: date, in_order: bool) -> date:
    """Not before receipt, not after today, and (in_order) not before the last step."""
    d = rules.as_date(on_date, label)
    if d < date.fromisoformat(row["received_date"]):
        raise ValidationError(f"{label} {d} 早于收到日期 {row['received_date']}，请核对。")
    if d > today:
        raise ValidationError(f"{label} {d} 晚于今天（{today}），不能登记将来的日期。")
    if in_order:
        last = db.execute(
            "SELECT on_date, step FROM complaint_events WHERE complaint_id = ? AND step IN"
            f" ({', '.join('?' * len(rules.STEPS))}) ORDER BY on_date DESC, id DESC LIMIT 1",
            [row["id"], *rules.STEPS],
        ).fetchone()
        if last and d.isoformat() < last[0]:
            raise ValidationError(
                f"{label} {d} 早于上一环节“{last[1]}”的日期 {last[0]}，请按办理顺序核对日期。"
            )
    return d


def _rect_source(row: dict) -> str:
    return "意见建议" if row["kind"] == "意见建议" else "投诉"


# -- intake ---------------------------------------------------------------------------------


def create(
    db: sqlite_utils.Database,
    data: dict,
    *,
    who: str | None = None,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> int:
    """Register a record; returns its id. 编号 = 年-序号 (e.g. 2026-007)."""
    row = rules.normalize(data, today)
    cal = cal or WorkCalendar.from_db(db)
    operator = profile.operator(db)
    row["handler"] = row["handler"] or _handler(db, None, who)
    now = audit.now_iso()
    with transaction(db):
        while True:  # never reuse a number
            serial = index_numbers.next_serial(db, row["year"], "complaint_serial")
            row["no"] = f"{row['year']}-{serial:03d}"
            if not db.execute("SELECT 1 FROM complaints WHERE no = ?", [row["no"]]).fetchone():
                break
        row |= {c: None for c in COLUMNS if c not in row and c != "id"}
        row |= {"stage": rules.STEPS[0], "reply_method": "", "reply_content": "", "principal": ""}
        row |= {"principal_answer": "", "created_at": now, "updated_at": now}
        row |= rules.derived(row, cal)
        cols = [c for c in COLUMNS if c != "id"]
        cur = db.execute(
            f"INSERT INTO complaints({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        cid = cur.lastrowid
        db.execute("INSERT INTO complaints_fts(rowid, tokens) VALUES (?, ?)", [cid, _tokens(row)])
        audit.record(db, operator, "complaints", cid, "insert", None, row)
        received = date.fromisoformat(row["received_date"])
        extra = {"no": row["no"], "reply_due": row["reply_due"]}
        _event(db, cid, REGISTER, _handler(db, row, who), received, "", extra, operator)
    return cid


def update(
    db: sqlite_utils.Database,
    complaint_id: int,
    data: dict,
    *,
    who: str | None = None,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """Correct the intake fields (类别、来源、反映人、联系方式、收到日期、内容、经办人)."""
    today = today or date.today()
    before = require(db, complaint_id)
    merged = {k: before[k] for k in rules.INTAKE} | {
        k: v for k, v in data.items() if k in rules.INTAKE
    }
    if "person" in data and "anonymous" not in data:
        merged["anonymous"] = not str(data["person"] or "").strip()
    row = rules.normalize(merged, today)
    first = db.execute(
        "SELECT min(on_date) FROM complaint_events WHERE complaint_id = ? AND step NOT IN (?, ?)",
        [complaint_id, REGISTER, EDIT],
    ).fetchone()[0]
    if first and row["received_date"] > first:
        raise ValidationError(
            f"收到日期 {row['received_date']} 晚于已登记的办理环节日期 {first}，请核对。"
        )
    if before["forwarded_date"] and row["kind"] != "意见建议":
        raise ValidationError("这条意见建议已转送主要负责人，不能改为其他类别。")
    changed = {k: v for k, v in row.items() if before[k] != v}
    if not changed:
        return
    cal = cal or WorkCalendar.from_db(db)
    operator = profile.operator(db)
    with transaction(db):
        _write(db, complaint_id, changed, cal, operator)
        fields = sorted(rules.INTAKE[k] for k in changed if k in rules.INTAKE)
        _event(db, complaint_id, EDIT, _handler(db, before, who), today, "", {"fields": fields},
               operator)  # fmt: skip
        db.execute(
            "UPDATE complaint_events SET on_date = ? WHERE complaint_id = ? AND step = ?",
            [row["received_date"], complaint_id, REGISTER],
        )


def delete(db: sqlite_utils.Database, complaint_id: int, *, who: str | None = None) -> None:
    """Delete a record with its steps and the rectifications it produced."""
    before = get(db, complaint_id)
    if before is None:
        return
    operator = who or profile.operator(db)
    with transaction(db):
        rect.delete_rows(db, rect.for_source(db, "complaints", complaint_id), operator)
        db.execute(
            "INSERT INTO complaints_fts(complaints_fts, rowid, tokens) VALUES ('delete', ?, ?)",
            [complaint_id, _tokens(before)],
        )
        db.execute("DELETE FROM complaints WHERE id = ?", [complaint_id])
        audit.record(db, operator, "complaints", complaint_id, "delete", before, None)


# -- handling -------------------------------------------------------------------------------


def record_step(
    db: sqlite_utils.Database,
    complaint_id: int,
    step: str,
    on_date: Any,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
    **details: Any,
) -> list[int]:
    """Record one step in order (整改 may be skipped). 答复 needs ``reply_method`` and
    ``reply_content``; 整改 needs ``rectifications`` (dicts with problem, responsible,
    measure, due_date), created in the same transaction. Returns the new rectification ids."""
    row = require(db, complaint_id)
    today, cal = today or date.today(), cal or WorkCalendar.from_db(db)
    rules.check_step(row["stage"], step)
    d = _check_date(db, row, on_date, f"{step}日期", today, in_order=True)
    unknown = set(details) - {"reply_method", "reply_content", "rectifications"}
    if unknown:
        raise TypeError(f"unexpected details for {step}: {sorted(unknown)}")
    changes: dict[str, Any] = {"stage": rules.stage_after(step)}
    extra: dict[str, Any] = {}
    rects: list[dict] = []
    if step == "答复":
        method = str(details.get("reply_method") or "").strip()
        content = str(details.get("reply_content") or "").strip()
        if not method:
            raise ValidationError(
                "请选择答复方式：" + "、".join(rules.REPLY_METHODS) + "，或写明其他方式。"
            )
        if not content:
            raise ValidationError("请填写答复内容：调查核实的情况和处理结果。")
        changes |= {"reply_date": d.isoformat(), "reply_method": method, "reply_content": content}
        extra = {"reply_method": method, "reply_due": row["reply_due"]}
        extra["late"] = d.isoformat() > row["reply_due"]
    elif step == "整改":
        rects = rect.check_all(
            details.get("rectifications"), source=_rect_source(row), found=d, today=today
        )
        if not rects:
            raise ValidationError("登记“整改”时请至少填写一项整改事项；不需要整改的，请直接办结。")
    elif step == "办结":
        if row["forwarded_date"] and not row["principal_answer_date"]:
            raise ValidationError(
                f"这条意见建议已于 {row['forwarded_date']} 转送主要负责人（{row['principal']}），"
                "尚未登记其答复或说明（考核表第32项），不能办结。请先登记主要负责人的答复。"
            )
        changes["closed_date"] = d.isoformat()
    operator = profile.operator(db)
    ids: list[int] = []
    with transaction(db):
        _write(db, complaint_id, changes, cal, operator)
        ids = [rect.insert(db, r, operator, "complaints", complaint_id) for r in rects]
        if ids:
            extra["rectifications"] = ids
        _event(db, complaint_id, step, _handler(db, row, who), d, opinion, extra, operator)
    return ids


def forward_to_principal(
    db: sqlite_utils.Database,
    complaint_id: int,
    on_date: Any,
    principal: str,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """反馈 an opinion to the principal (考核表第31项); the answer is due in 30 days (第32项)."""
    row = require(db, complaint_id)
    today, cal = today or date.today(), cal or WorkCalendar.from_db(db)
    if row["kind"] != "意见建议":
        raise ValidationError(
            f"只有“意见建议”需要转送主要负责人（考核表第31项），这条记录是“{row['kind']}”。"
        )
    if row["forwarded_date"]:
        raise ValidationError(
            f"已于 {row['forwarded_date']} 转送主要负责人（{row['principal']}），不能重复转送。"
        )
    if row["closed_date"]:
        raise ValidationError(f"这条意见建议已于 {row['closed_date']} 办结，不能再转送。")
    principal = str(principal or "").strip()
    if not principal:
        raise ValidationError("请填写主要负责人的姓名。")
    d = _check_date(db, row, on_date, "转送日期", today, in_order=False)
    due = rules.principal_deadline(d, cal)
    operator = profile.operator(db)
    with transaction(db):
        _write(db, complaint_id, {"forwarded_date": d.isoformat(), "principal": principal}, cal,
               operator)  # fmt: skip
        extra = {"principal": principal, "principal_due": due.due.isoformat()}
        _event(db, complaint_id, FORWARD, _handler(db, row, who), d, opinion, extra, operator)


def record_principal_answer(
    db: sqlite_utils.Database,
    complaint_id: int,
    on_date: Any,
    answer: str,
    who: str | None,
    *,
    rectifications: Any = None,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> list[int]:
    """The principal's answer or explanation (考核表第32项). ``rectifications=[…]`` adds
    what needs fixing (source 意见建议) in the same transaction; returns their ids."""
    row = require(db, complaint_id)
    today, cal = today or date.today(), cal or WorkCalendar.from_db(db)
    if not row["forwarded_date"]:
        raise ValidationError(
            "这条记录尚未转送主要负责人，不能登记主要负责人的答复。请先登记“转送主要负责人”。"
        )
    if row["principal_answer_date"]:
        raise ValidationError(f"主要负责人已于 {row['principal_answer_date']} 答复，不能重复登记。")
    d = rules.as_date(on_date, "答复日期")
    if d < date.fromisoformat(row["forwarded_date"]):
        raise ValidationError(
            f"主要负责人答复日期 {d} 早于转送日期 {row['forwarded_date']}，请核对。"
        )
    if d > today:
        raise ValidationError(f"主要负责人答复日期 {d} 晚于今天（{today}），不能登记将来的日期。")
    answer = str(answer or "").strip()
    if not answer:
        raise ValidationError("请填写主要负责人的答复或说明。")
    rects = rect.check_all(rectifications, source="意见建议", found=d, today=today)
    operator = profile.operator(db)
    with transaction(db):
        changes = {"principal_answer_date": d.isoformat(), "principal_answer": answer}
        _write(db, complaint_id, changes, cal, operator)
        ids = [rect.insert(db, r, operator, "complaints", complaint_id) for r in rects]
        extra = {"principal": row["principal"], "principal_due": row["principal_due"]}
        extra |= {"late": d.isoformat() > row["principal_due"], "rectifications": ids}
        _event(db, complaint_id, PRINCIPAL_ANSWER, _handler(db, row, who), d, "", extra, operator)
    return ids


# -- deadlines --------------------------------------------------------------------------------


def recompute_due(db: sqlite_utils.Database, cal: WorkCalendar, who: str | None = None) -> int:
    """Recompute every record's reply and principal deadlines after a calendar change
    (RULES.md §1). Returns the number of records changed."""
    changed = 0
    with transaction(db):
        for cid in [r[0] for r in db.execute("SELECT id FROM complaints")]:
            row = get(db, cid)
            new = rules.derived(row, cal)
            if any(row[k] != v for k, v in new.items()):
                db.execute(
                    "UPDATE complaints SET reply_due = ?, principal_due = ?, provisional = ?"
                    " WHERE id = ?",
                    [new["reply_due"], new["principal_due"], new["provisional"], cid],
                )
                changed += 1
        if changed:
            audit.record(db, who or profile.operator(db), "complaints", "*", "update", None,
                         {"重新计算答复期限": changed})  # fmt: skip
    return changed


def due_counts(db: sqlite_utils.Database, today: date, cal: WorkCalendar) -> tuple[int, int]:
    """(due soon, overdue) records: the reply or the principal's answer is pending and
    due within 5 days / past due. A record can be in both (one of each)."""
    from . import complaint_query as q

    return (
        q.count(db, q.ComplaintFilter(due="soon"), today, cal),
        q.count(db, q.ComplaintFilter(due="overdue"), today, cal),
    )
