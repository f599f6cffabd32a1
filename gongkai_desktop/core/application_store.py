"""依申请公开 records: the ``applications`` row, its answer clock and its state.

The SQL shared by core/applications.py (intake, recompute), application_steps.py
(the handling steps) and application_letters.py (文书). Callers outside core use
core/applications.py, which re-exports what they need.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlite_utils

from . import application_catalog, audit, profile, search, year_lock
from .application_clock import AnswerClock, ClockInput, Pause, answer_clock
from .calendar import WorkCalendar
from .date_input import as_date
from .db import transaction
from .errors import ValidationError

# The `state` column (contract shared by the applications engineers).
STATES = ("办理中", "补正中", "征求意见中", "已延期", "待缴费", "已办结")
OPEN, SUPPLEMENT, CONSULTING, EXTENDED, FEE, CLOSED = STATES
# The answer clock does not run against the office in these states: a supplement is
# awaited (条例第三十条), a consultation is out (第三十二条、第三十四条), or a fee notice
# is out (国办函〔2020〕109号). They are never listed as overdue.
CLOCK_STOPPED = (SUPPLEMENT, CONSULTING, FEE)

COLUMNS = (
    "id", "app_no", "year", "applicant_type", "applicant_name", "id_type", "id_number", "phone",
    "email", "address", "channel", "submitted_date", "received_date", "receipt_note", "content",
    "purpose", "form_wanted", "delivery", "supplement_requested", "supplement_items",
    "supplement_deadline", "supplement_received", "extension_days", "extension_approver",
    "extension_date", "extension_notified", "fee_method", "fee_count", "fee_total",
    "fee_notice_date", "fee_payment_deadline", "fee_paid_date", "answer_type", "result",
    "result_reason", "answer_date", "delivered_date", "answer_text", "closed_date", "state",
    "answer_due", "provisional", "created_at", "updated_at",
)  # fmt: skip
PAUSE_COLUMNS = (
    "id",
    "app_id",
    "kind",
    "party",
    "start",
    "reply",
    "reply_working_days",
    "outcome",
    "note",
)
EVENT_COLUMNS = ("id", "app_id", "step", "who", "on_date", "opinion", "extra", "created_at")

# Intake fields the clerk types (条例第二十九条), with their labels.
INTAKE = {
    "applicant_type": "申请人类型",
    "applicant_name": "申请人",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "phone": "联系电话",
    "email": "电子邮箱",
    "address": "通讯地址",
    "channel": "申请方式",
    "submitted_date": "提交日期",
    "received_date": "收到日期",
    "content": "申请内容",
    "purpose": "用途说明",
    "form_wanted": "信息形式",
    "delivery": "获取方式",
}
# Suggestions for the form (条例第二十九条第三项); free text is kept as typed.
FORMS_WANTED = ("纸质", "电子", "纸质和电子")
DELIVERIES = ("自行领取", "邮寄", "电子邮件", "传真", "网上获取")
ID_TYPES = ("居民身份证", "统一社会信用代码", "护照", "其他")


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# -- reading ---------------------------------------------------------------------------


def get(db: sqlite_utils.Database, app_id: int) -> dict | None:
    r = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM applications WHERE id = ?", [app_id]
    ).fetchone()
    return dict(zip(COLUMNS, r, strict=True)) if r else None


def get_by_no(db: sqlite_utils.Database, app_no: str) -> dict | None:
    r = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM applications WHERE app_no = ?", [str(app_no).strip()]
    ).fetchone()
    return dict(zip(COLUMNS, r, strict=True)) if r else None


def require(db: sqlite_utils.Database, app_id: int) -> dict:
    app = get(db, app_id)
    if app is None:
        raise ValidationError("该申请已被删除，无法继续办理。请刷新列表。")
    return app


def pauses(db: sqlite_utils.Database, app_id: int) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(PAUSE_COLUMNS)} FROM app_pauses WHERE app_id = ? ORDER BY start, id",
        [app_id],
    ).fetchall()
    return [dict(zip(PAUSE_COLUMNS, r, strict=True)) for r in rows]


def events(db: sqlite_utils.Database, app_id: int) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM app_events WHERE app_id = ? ORDER BY id", [app_id]
    ).fetchall()
    out = [dict(zip(EVENT_COLUMNS, r, strict=True)) for r in rows]
    for e in out:
        e["extra"] = json.loads(e["extra"] or "{}")
    return out


def pause_is_open(p: dict) -> bool:
    """A consultation still waiting for its end to be recorded (end_consultation fills outcome)."""
    return not p["outcome"]


# -- the clock and the state -------------------------------------------------------------


def clock_input(app: dict, pause_rows: list[dict]) -> ClockInput:
    return ClockInput(
        received=day(app["received_date"]),
        supplement_requested=day(app["supplement_requested"]),
        supplement_received=day(app["supplement_received"]),
        pauses=tuple(
            Pause(p["kind"], day(p["start"]), day(p["reply"]), p["reply_working_days"])
            for p in pause_rows
        ),
        extension_days=int(app["extension_days"] or 0),
    )


def clock_of(
    app: dict, pause_rows: list[dict], cal: WorkCalendar, today: date | None = None
) -> AnswerClock:
    return answer_clock(clock_input(app, pause_rows), cal, today)


def clock(
    db: sqlite_utils.Database,
    app: int | dict,
    cal: WorkCalendar | None = None,
    today: date | None = None,
) -> AnswerClock:
    """The answer clock (期限说明 via ``.explain()``) of an application (id or row)."""
    row = require(db, app) if isinstance(app, int) else app
    return clock_of(row, pauses(db, row["id"]), cal or WorkCalendar.from_db(db), today)


def state_of(app: dict, pause_rows: list[dict]) -> str:
    if app["closed_date"]:
        return CLOSED
    if app["supplement_requested"] and not app["supplement_received"]:
        return SUPPLEMENT
    if any(pause_is_open(p) for p in pause_rows):
        return CONSULTING
    if app["fee_notice_date"] and not app["fee_paid_date"]:
        return FEE
    if app["extension_days"]:
        return EXTENDED
    return OPEN


def derived(app: dict, pause_rows: list[dict], cal: WorkCalendar) -> dict:
    """state, answer_due and provisional as stored. No due while a supplement is awaited:
    the answer period has not started (条例第三十条)."""
    c = clock_of(app, pause_rows, cal)
    due = None if c.awaiting_supplement else c.due.isoformat()
    return {
        "state": state_of(app, pause_rows),
        "answer_due": due,
        "provisional": int(c.provisional),
    }


def is_overdue(app: dict, today: date) -> bool:
    """是否逾期: answered after the due date, or still open past it while the clock runs."""
    due = app["answer_due"]
    if not due:
        return False
    if app["closed_date"]:
        # closing for the applicant's default (其他处理 items 1, 2) is not a late answer
        if (
            app["result"] == "其他处理"
            and app["result_reason"] in catalog().results["其他处理"][:2]
        ):
            return False
        return bool(app["answer_date"]) and app["answer_date"] > due
    return app["state"] not in CLOCK_STOPPED and today.isoformat() > due


# -- writing (call inside a transaction) ---------------------------------------------------


def fts_tokens(row: dict) -> str:
    return search.tokens(row["applicant_name"], row["app_no"], row["content"])


def write(
    db: sqlite_utils.Database, app_id: int, changes: dict, cal: WorkCalendar, operator: str
) -> dict:
    """UPDATE the row with *changes*, recompute state/due, audit before and after.
    Returns the new row. Must run inside the step's transaction."""
    before = require(db, app_id)
    merged = before | changes
    merged |= derived(merged, pauses(db, app_id), cal)
    merged["updated_at"] = audit.now_iso()
    cols = [c for c in COLUMNS if c != "id" and merged[c] != before[c]]
    if cols:
        db.execute(
            f"UPDATE applications SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            [*(merged[c] for c in cols), app_id],
        )
    after = require(db, app_id)
    if {"applicant_name", "app_no", "content"} & set(cols):
        db.execute(
            "INSERT INTO applications_fts(applications_fts, rowid, tokens) VALUES ('delete', ?, ?)",
            [app_id, fts_tokens(before)],
        )
        db.execute(
            "INSERT INTO applications_fts(rowid, tokens) VALUES (?, ?)", [app_id, fts_tokens(after)]
        )
    audit.record(db, operator, "applications", app_id, "update", before, after)
    return after


def add_event(
    db: sqlite_utils.Database,
    app_id: int,
    step: str,
    who: str,
    on_date: date,
    opinion: str = "",
    extra: dict | None = None,
    operator: str = "",
) -> int:
    row = {
        "app_id": app_id,
        "step": step,
        "who": who,
        "on_date": on_date.isoformat(),
        "opinion": (opinion or "").strip(),
        "extra": json.dumps(extra or {}, ensure_ascii=False, default=str),
        "created_at": audit.now_iso(),
    }
    cols = list(row)
    cur = db.execute(
        f"INSERT INTO app_events({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[c] for c in cols],
    )
    audit.record(db, operator or who, "app_events", cur.lastrowid, "insert", None, row)
    return cur.lastrowid


def handler(db: sqlite_utils.Database, who: str | None) -> str:
    """The step's handler (经办人): as given, else the profile's operator."""
    return (who or "").strip() or profile.operator(db)


# Records that are not handling steps: later steps need not come after them.
NOT_IN_ORDER = ("修改登记信息", "生成文书", "行政复议", "行政诉讼", "复议诉讼结果")


def last_event(db: sqlite_utils.Database, app_id: int) -> tuple[date, str] | None:
    r = db.execute(
        "SELECT on_date, step FROM app_events WHERE app_id = ? AND step NOT IN"
        f" ({', '.join('?' * len(NOT_IN_ORDER))}) ORDER BY on_date DESC, id DESC LIMIT 1",
        [app_id, *NOT_IN_ORDER],
    ).fetchone()
    return (date.fromisoformat(r[0]), r[1]) if r else None


def check_step_date(
    db: sqlite_utils.Database,
    app: dict,
    on_date: Any,
    label: str,
    today: date,
    *,
    in_order: bool = True,
) -> date:
    """A step's date: not before the receipt date, not after today, and (in_order) not
    before the last recorded step."""
    d = as_date(on_date, label)
    received = day(app["received_date"])
    if d < received:
        raise ValidationError(f"{label} {d} 早于收到申请日期 {received}，请核对。")
    if d > today:
        raise ValidationError(f"{label} {d} 晚于今天（{today}），不能登记将来的日期。")
    last = last_event(db, app["id"]) if in_order else None
    if last and d < last[0]:
        raise ValidationError(
            f"{label} {d} 早于上一步“{last[1]}”的日期 {last[0]}，请按办理顺序核对日期。"
        )
    return d


def check_open(app: dict, what: str) -> None:
    """Closed applications take no more steps except appeals."""
    if app["closed_date"]:
        raise ValidationError(
            f"申请 {app['app_no']} 已于 {app['closed_date']} 办结，不能再{what}。"
            "如申请人不服，可登记行政复议或行政诉讼。"
        )


def catalog() -> application_catalog.ApplicationCatalog:
    return application_catalog.load()


# -- step helpers ------------------------------------------------------------------------


def step_context(db, app_id: int, today: date | None, cal: WorkCalendar | None):
    """(the row, today, the calendar) for a step."""
    return require(db, app_id), today or date.today(), cal or WorkCalendar.from_db(db)


def commit_step(
    db,
    app_id: int,
    changes: dict,
    step: str,
    who: str,
    on_date: date,
    opinion: str,
    extra: dict,
    cal: WorkCalendar,
) -> None:
    operator = profile.operator(db)
    with transaction(db):
        year_lock.check_editable(db, on_date)
        write(db, app_id, changes, cal, operator)
        add_event(db, app_id, step, handler(db, who), on_date, opinion, extra, operator)


def check_not_awaiting_supplement(app: dict, what: str) -> None:
    if app["supplement_requested"] and not app["supplement_received"]:
        raise ValidationError(
            f"申请正在等待补正，不能{what}。请先登记收到补正材料，或在补正期限届满后按逾期不补正办结。"
        )
