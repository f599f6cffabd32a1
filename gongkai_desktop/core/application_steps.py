"""依申请公开的办理步骤 (handling steps): supplement, consultation, extension.

Each step checks its rule (条例第三十至三十四条), then writes in one transaction: the
applications row (state and due recomputed), an app_events row and audit rows. Fee and
answer are in application_answers.py, appeals in application_appeals.py; use them all
through core/applications.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from . import audit, profile, year_lock
from .application_clock import CONSULTATION_REPLY_WORKING_DAYS, EXTENSION_MAX, PAUSE_KINDS
from .application_step_rules import check_between, close_as_other
from .application_store import (
    PAUSE_COLUMNS,
    add_event,
    as_date,
    check_not_awaiting_supplement,
    check_open,
    check_step_date,
    clock_of,
    commit_step,
    day,
    handler,
    pause_is_open,
    pauses,
    step_context,
    write,
)
from .calendar import WorkCalendar
from .db import transaction
from .deadlines import add_working_days
from .errors import ValidationError

DEFAULT_SUPPLEMENT_WORKING_DAYS = 15  # “合理的补正期限” (条例第三十条), the clerk may change it

# -- 补正 (条例第三十条) -------------------------------------------------------------------


def request_supplement(
    db: sqlite_utils.Database,
    app_id: int,
    on_date: Any,
    items: str,
    deadline: Any,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """一次性告知补正: once, before other steps. *deadline* None = 15 working days."""
    app, today, cal = step_context(db, app_id, today, cal)
    check_open(app, "要求补正")
    if app["supplement_requested"]:
        raise ValidationError(
            f"已于 {app['supplement_requested']} 发出补正告知。条例第三十条要求一次性告知需要补正的事项，"
            "不能再次要求补正。"
        )
    if pauses(db, app_id) or app["extension_days"] or app["fee_notice_date"]:
        raise ValidationError(
            "已开始征求意见、延期或收费，不能再要求补正。补正告知应在收到申请后先行发出。"
        )
    d = check_step_date(db, app, on_date, "补正告知日期", today)
    items = str(items or "").strip()
    if not items:
        raise ValidationError("请写明需要补正的事项和要求（条例第三十条：一次性告知）。")
    due = (
        as_date(deadline, "补正期限", False)
        or add_working_days(d, DEFAULT_SUPPLEMENT_WORKING_DAYS, cal).due
    )
    if due <= d:
        raise ValidationError(f"补正期限 {due} 应晚于补正告知日期 {d}，请给申请人合理的补正期限。")
    notice_due = clock_of(app, [], cal).supplement_notice_due
    commit_step(
        db,
        app_id,
        {
            "supplement_requested": d.isoformat(),
            "supplement_items": items,
            "supplement_deadline": due.isoformat(),
        },
        "补正告知",
        who,
        d,
        opinion,
        {
            "items": items,
            "deadline": due.isoformat(),
            "notice_due": notice_due.isoformat(),
            "late_notice": d > notice_due,
        },
        cal,
    )


def receive_supplement(
    db: sqlite_utils.Database,
    app_id: int,
    on_date: Any,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """收到补正材料: the answer period counts again from this day (条例第三十条)."""
    app, today, cal = step_context(db, app_id, today, cal)
    check_open(app, "登记补正")
    if not app["supplement_requested"]:
        raise ValidationError(
            "这件申请没有发出过补正告知，无法登记收到补正材料。请先登记补正告知。"
        )
    if app["supplement_received"]:
        raise ValidationError(
            f"已于 {app['supplement_received']} 登记收到补正材料，不需要再次登记。"
        )
    d = check_step_date(db, app, on_date, "收到补正日期", today)
    commit_step(
        db,
        app_id,
        {"supplement_received": d.isoformat()},
        "收到补正",
        who,
        d,
        opinion,
        {"restart": d.isoformat()},
        cal,
    )


def close_without_supplement(
    db: sqlite_utils.Database,
    app_id: int,
    on_date: Any,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """逾期不补正: treated as withdrawn, closed as 其他处理 item 1 (条例第三十条)."""
    app, today, cal = step_context(db, app_id, today, cal)
    check_open(app, "办结")
    if not app["supplement_requested"] or app["supplement_received"]:
        raise ValidationError("只有发出补正告知、且申请人尚未补正的申请，才能按“逾期不补正”办结。")
    d = check_step_date(db, app, on_date, "办结日期", today)
    deadline = day(app["supplement_deadline"])
    if deadline is None:
        raise ValidationError(
            "这件申请没有登记补正期限，无法判断是否逾期不补正。请先补登补正期限。"
        )
    if d <= deadline:
        raise ValidationError(
            f"补正期限 {deadline} 尚未届满。期限届满后申请人仍未补正的，才能按“逾期不补正”办结（条例第三十条）。"
        )
    close_as_other(db, app_id, 0, "逾期不补正", who, d, opinion, cal)


# -- 征求意见 (条例第三十二条、第三十四条) ---------------------------------------------------


def start_consultation(
    db: sqlite_utils.Database,
    app_id: int,
    kind: str,
    party: str,
    start: Any,
    who: str | None,
    opinion: str = "",
    *,
    reply_working_days: int = CONSULTATION_REPLY_WORKING_DAYS,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> int:
    """Send a request for comments; the clock pauses from *start*. Returns the pause id."""
    app, today, cal = step_context(db, app_id, today, cal)
    check_open(app, "征求意见")
    check_not_awaiting_supplement(app, "征求意见")
    if kind not in PAUSE_KINDS:
        raise ValidationError(f"征求意见的对象类型应为“第三方”或“其他机关”，现在是“{kind}”。")
    party = str(party or "").strip()
    if not party:
        raise ValidationError("请填写征求意见的对象（第三方或其他机关的名称）。")
    d = check_step_date(db, app, start, "征求意见发出日期", today)
    row = {
        "app_id": app_id,
        "kind": kind,
        "party": party,
        "start": d.isoformat(),
        "reply": None,
        "reply_working_days": int(reply_working_days),
        "outcome": "",
        "note": "",
    }
    operator = profile.operator(db)
    with transaction(db):
        year_lock.check_editable(db, d)
        cur = db.execute(
            "INSERT INTO app_pauses(app_id, kind, party, start, reply, reply_working_days,"
            " outcome, note) VALUES (:app_id, :kind, :party, :start, :reply,"
            " :reply_working_days, :outcome, :note)",
            row,
        )
        pause_id = cur.lastrowid
        audit.record(db, operator, "app_pauses", pause_id, "insert", None, row)
        after = write(db, app_id, {}, cal, operator)  # the clock checks the pause
        add_event(
            db,
            app_id,
            "征求意见",
            handler(db, who),
            d,
            opinion,
            {"pause_id": pause_id, "kind": kind, "party": party, "answer_due": after["answer_due"]},
            operator,
        )
    return pause_id


def _silent_outcome(kind: str) -> str:
    if kind == "其他机关":
        return "逾期未提出意见，视为同意（条例第三十四条）"
    return "逾期未提出意见，由本机关依照条例规定决定是否公开（条例第三十二条）"


def end_consultation(
    db: sqlite_utils.Database,
    pause_id: int,
    reply: Any,
    outcome: str,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """The reply arrived on *reply*, or (reply None) none came within the reply period."""
    r = db.execute(
        f"SELECT {', '.join(PAUSE_COLUMNS)} FROM app_pauses WHERE id = ?", [pause_id]
    ).fetchone()
    if r is None:
        raise ValidationError("找不到这次征求意见记录，可能已被删除。请刷新后重试。")
    p = dict(zip(PAUSE_COLUMNS, r, strict=True))
    app, today, cal = step_context(db, p["app_id"], today, cal)
    check_open(app, "登记征求意见结果")
    if not pause_is_open(p):
        raise ValidationError(
            f"向“{p['party']}”征求意见已经结束（{p['outcome']}），不需要再次登记。"
        )
    start = day(p["start"])
    period_end = add_working_days(start, p["reply_working_days"], cal).due
    if reply in (None, ""):
        if today <= period_end:
            raise ValidationError(
                f"征求意见期限至 {period_end}，期限届满前不能按“未答复”结束。收到答复的，请填写答复日期。"
            )
        on = period_end
        outcome = str(outcome or "").strip() or _silent_outcome(p["kind"])
    else:
        on = check_step_date(db, app, reply, "收到意见日期", today, in_order=False)
        if on < start:
            raise ValidationError(f"收到意见日期 {on} 早于征求意见发出日期 {start}，请核对。")
        outcome = str(outcome or "").strip() or "已答复"
    after_p = p | {
        "reply": on.isoformat() if reply not in (None, "") else None,
        "outcome": outcome,
        "note": str(opinion or "").strip(),
    }
    operator = profile.operator(db)
    with transaction(db):
        year_lock.check_editable(db, on)
        db.execute(
            "UPDATE app_pauses SET reply = ?, outcome = ?, note = ? WHERE id = ?",
            [after_p["reply"], outcome, after_p["note"], pause_id],
        )
        audit.record(db, operator, "app_pauses", pause_id, "update", p, after_p)
        after = write(db, p["app_id"], {}, cal, operator)
        add_event(
            db,
            p["app_id"],
            "征求意见结束",
            handler(db, who),
            on,
            opinion,
            {
                "pause_id": pause_id,
                "party": p["party"],
                "reply": after_p["reply"],
                "outcome": outcome,
                "answer_due": after["answer_due"],
            },
            operator,
        )


# -- 延期 (条例第三十三条) -------------------------------------------------------------------


def extend(
    db: sqlite_utils.Database,
    app_id: int,
    days: int,
    approver: str,
    on_date: Any,
    notified_date: Any,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """Extend the answer period by 1–20 working days, once, approved by the head of the
    disclosure working body, the applicant told on *notified_date*."""
    app, today, cal = step_context(db, app_id, today, cal)
    check_open(app, "延期")
    check_not_awaiting_supplement(app, "延期")
    if app["extension_days"]:
        raise ValidationError(
            f"已于 {app['extension_date']} 延期 {app['extension_days']} 个工作日（{app['extension_approver']}批准），"
            "不能再次延期。"
        )
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= EXTENSION_MAX:
        raise ValidationError(
            f"延期工作日应为 1 到 {EXTENSION_MAX} 之间的整数（条例第三十三条：延长的期限最长不得超过"
            f"{EXTENSION_MAX}个工作日），现在是“{days}”。"
        )
    approver = str(approver or "").strip()
    if not approver:
        raise ValidationError("请填写批准延期的政府信息公开工作机构负责人（条例第三十三条）。")
    d = check_step_date(db, app, on_date, "延期批准日期", today)
    due = clock_of(app, pauses(db, app_id), cal).due
    if d > due:
        raise ValidationError(
            f"答复期限已于 {due} 届满，不能再延期。延期须在期限届满前经负责人同意并告知申请人（条例第三十三条）。"
        )
    told = as_date(notified_date, "告知申请人日期")
    check_between(told, "告知申请人日期", d, "延期批准日期", today)
    commit_step(
        db,
        app_id,
        {
            "extension_days": days,
            "extension_approver": approver,
            "extension_date": d.isoformat(),
            "extension_notified": told.isoformat(),
        },
        "延期",
        who,
        d,
        opinion,
        {
            "days": days,
            "approver": approver,
            "notified": told.isoformat(),
            "due_before": due.isoformat(),
        },
        cal,
    )
