"""Applications repository (依申请公开登记): intake, the answer clock, and every step.

Each write is one transaction with an ``app_events`` row (the step's handler in
``who``) and audit rows (the program's operator, profile.operator). ``state``,
``answer_due`` and ``provisional`` are recomputed from core/application_clock after
every step, so lists filter and sort in SQL.

The handling steps live in core/application_steps.py, the letters (文书) in
core/application_letters.py; both are re-exported here, so callers use this module.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from . import audit, index_numbers, profile, year_lock
from .application_answers import (
    ANSWER_RESULTS,
    FEE_METHODS,
    answer,
    check_answer,
    close_fee_unpaid,
    issue_fee_notice,
    record_fee_paid,
)
from .application_appeals import APPEAL_KINDS, add_appeal, appeals, update_appeal
from .application_clock import AnswerClock
from .application_letters import (
    issue_letter,
    letter_context,
    letter_doc_no,
    letter_pdf,
    letter_settings,
    letters,
    resolve_kind,
    save_letter_settings,
    store_letter,
)
from .application_steps import (
    close_without_supplement,
    end_consultation,
    extend,
    receive_supplement,
    request_supplement,
    start_consultation,
)
from .application_store import (
    CLOCK_STOPPED,
    CLOSED,
    COLUMNS,
    DELIVERIES,
    FORMS_WANTED,
    ID_TYPES,
    INTAKE,
    STATES,
    add_event,
    as_date,
    catalog,
    clock,
    derived,
    events,
    fts_tokens,
    get,
    get_by_no,
    handler,
    is_overdue,
    pauses,
    require,
    write,
)
from .calendar import WorkCalendar
from .db import transaction
from .errors import ValidationError

__all__ = [
    "STATES", "CLOSED", "CLOCK_STOPPED", "COLUMNS", "INTAKE", "FORMS_WANTED", "DELIVERIES",
    "ID_TYPES", "ANSWER_RESULTS", "FEE_METHODS", "APPEAL_KINDS", "AnswerClock",
    "normalize", "create", "get", "get_by_no", "update", "delete", "clock", "explain", "events",
    "pauses", "is_overdue", "request_supplement", "receive_supplement",
    "close_without_supplement", "start_consultation", "end_consultation", "extend",
    "issue_fee_notice", "monthly_application_count", "record_fee_paid", "close_fee_unpaid",
    "check_answer", "answer", "add_appeal", "update_appeal", "appeals", "letter_context",
    "letter_doc_no", "store_letter", "issue_letter", "resolve_kind", "letters", "letter_pdf",
    "letter_settings", "save_letter_settings", "recompute_due", "due_counts",
]  # fmt: skip

CONTACT_FIELDS = ("phone", "email", "address")


def normalize(
    data: dict[str, Any], today: date | None = None, *, contact_required: bool = True
) -> dict:
    """Validate intake input (条例第二十九条、第三十一条); return the stored fields.

    For channels that need confirmation (平信、网络、传真、电子邮件) the receipt date is
    the day both sides confirmed; it may be given as ``confirmed_date`` or ``received_date``.
    """
    today = today or date.today()
    cat = catalog()
    out: dict[str, Any] = {}
    kind = str(data.get("applicant_type") or "").strip()
    if kind not in cat.applicant_types:
        what = f"“{kind}”无法识别" if kind else "没有选择"
        raise ValidationError(
            f"申请人类型{what}，请选择："
            + "、".join(cat.applicant_types)
            + "（“其他”指其他类型的法人或其他组织）。"
        )
    out["applicant_type"] = kind
    out["applicant_name"] = str(data.get("applicant_name") or "").strip()
    if not out["applicant_name"]:
        raise ValidationError("请填写申请人姓名或名称（条例第二十九条）。")
    for k in ("id_type", "id_number", "phone", "email", "address", "purpose"):
        out[k] = str(data.get(k) or "").strip()
    if contact_required and not any(out[k] for k in CONTACT_FIELDS):
        raise ValidationError(
            "请至少填写一种联系方式：联系电话、电子邮箱或通讯地址（条例第二十九条）。"
        )
    channel = str(data.get("channel") or "").strip()
    if channel not in cat.channels:
        what = f"“{channel}”无法识别" if channel else "没有选择"
        raise ValidationError(f"申请方式{what}，请选择：" + "、".join(cat.channels) + "。")
    out["channel"] = channel
    confirm = channel in cat.needs_confirmation
    raw = (
        (data.get("confirmed_date") or data.get("received_date"))
        if confirm
        else data.get("received_date")
    )
    if raw in (None, ""):
        if confirm:
            raise ValidationError(
                f"通过{channel}提交的申请，以双方确认之日为收到申请之日（条例第三十一条），请填写确认日期。"
            )
        raise ValidationError("请填写收到申请的日期（条例第三十一条）。")
    label = "确认日期" if confirm else "收到日期"
    received = as_date(raw, label)
    if received > today:
        raise ValidationError(f"{label} {received} 晚于今天（{today}），请核对。")
    submitted = as_date(data.get("submitted_date"), "提交日期", False)
    if submitted and submitted > received:
        raise ValidationError(f"提交日期 {submitted} 晚于{label} {received}，请核对两个日期。")
    out["received_date"], out["submitted_date"] = (
        received.isoformat(),
        submitted and submitted.isoformat(),
    )
    out["receipt_note"] = cat.receipt_rules[channel]
    out["content"] = str(data.get("content") or "").strip()
    if not out["content"]:
        raise ValidationError(
            "请填写申请公开的政府信息：名称、文号或便于查询的其他特征描述（条例第二十九条）。"
        )
    out["form_wanted"] = str(data.get("form_wanted") or FORMS_WANTED[0]).strip()
    out["delivery"] = str(data.get("delivery") or DELIVERIES[0]).strip()
    out["year"] = received.year
    return out


def _new_no(db: sqlite_utils.Database, prof: profile.UnitProfile | None, year: int) -> str:
    pattern = prof.app_no_pattern if prof else profile.DEFAULT_APP_NO_PATTERN
    fonds = (prof.fonds_no if prof else "") or "0000"
    while True:  # skip numbers an import already used
        no = index_numbers.render(
            pattern,
            fonds_no=fonds,
            year=year,
            category_code="",
            serial=index_numbers.next_serial(db, year, "app_serial"),
        )
        if get_by_no(db, no) is None:
            return no


def create(
    db: sqlite_utils.Database,
    data: dict,
    *,
    who: str | None = None,
    today: date | None = None,
    app_no: str | None = None,
    cal: WorkCalendar | None = None,
    contact_required: bool = True,
) -> int:
    """Register a new application; returns its id. The 申请编号 comes from the unit's
    pattern (profile.app_no_pattern), or is *app_no* as given (import)."""
    row = normalize(data, today, contact_required=contact_required)
    cal = cal or WorkCalendar.from_db(db)
    who = handler(db, who)
    operator = profile.operator(db)
    given = str(app_no or "").strip()
    now = audit.now_iso()
    with transaction(db):
        year_lock.check_editable(db, row["received_date"])
        if given and get_by_no(db, given) is not None:
            raise ValidationError(
                f"申请编号“{given}”已经存在，不能重复。请换一个编号，或留空自动编号。"
            )
        row["app_no"] = given or _new_no(db, profile.load(db), row["year"])
        row |= {c: None for c in COLUMNS if c not in row and c != "id"}
        row |= {
            "supplement_items": "",
            "extension_days": 0,
            "extension_approver": "",
            "fee_method": "",
            "result": "",
            "result_reason": "",
            "answer_text": "",
            "created_at": now,
            "updated_at": now,
        }
        row |= derived(row, [], cal)
        cols = [c for c in COLUMNS if c != "id"]
        cur = db.execute(
            f"INSERT INTO applications({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        app_id = cur.lastrowid
        db.execute(
            "INSERT INTO applications_fts(rowid, tokens) VALUES (?, ?)", [app_id, fts_tokens(row)]
        )
        audit.record(db, operator, "applications", app_id, "insert", None, row)
        add_event(
            db,
            app_id,
            "登记",
            who,
            date.fromisoformat(row["received_date"]),
            extra={"app_no": row["app_no"], "receipt_note": row["receipt_note"]},
            operator=operator,
        )
    return app_id


def update(
    db: sqlite_utils.Database,
    app_id: int,
    data: dict,
    *,
    who: str | None = None,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """Correct the intake fields (申请人、联系方式、内容、收到日期…)."""
    before = require(db, app_id)
    merged = {k: before[k] for k in INTAKE} | {k: v for k, v in data.items() if k in INTAKE}
    if "confirmed_date" in data:
        merged["received_date"] = data["confirmed_date"]
    row = normalize(merged, today, contact_required=False)
    first = db.execute(
        "SELECT min(on_date) FROM app_events WHERE app_id = ? AND step <> '登记'", [app_id]
    ).fetchone()[0]
    if first and row["received_date"] > first:
        raise ValidationError(
            f"收到日期 {row['received_date']} 晚于已登记的办理步骤日期 {first}，请核对。"
        )
    changed = {k: v for k, v in row.items() if before.get(k) != v}
    if not changed:
        return
    cal = cal or WorkCalendar.from_db(db)
    with transaction(db):
        year_lock.check_editable(db, before["received_date"], row["received_date"],
                                 through=before["closed_date"] or today or date.today())
        write(db, app_id, changed, cal, profile.operator(db))
        add_event(
            db,
            app_id,
            "修改登记信息",
            handler(db, who),
            today or date.today(),
            extra={"fields": sorted(INTAKE[k] for k in changed if k in INTAKE)},
            operator=profile.operator(db),
        )
        db.execute(
            "UPDATE app_events SET on_date = ? WHERE app_id = ? AND step = '登记'",
            [row["received_date"], app_id],
        )


def delete(db: sqlite_utils.Database, app_id: int, *, who: str | None = None) -> None:
    """Delete an application with its pauses, steps, letters and appeals."""
    before = get(db, app_id)
    if before is None:
        return
    with transaction(db):
        year_lock.check_editable(db, before["received_date"],
                                 through=before["closed_date"] or date.today())
        db.execute(
            "INSERT INTO applications_fts(applications_fts, rowid, tokens) VALUES ('delete', ?, ?)",
            [app_id, fts_tokens(before)],
        )
        db.execute("DELETE FROM applications WHERE id = ?", [app_id])
        audit.record(
            db, who or profile.operator(db), "applications", app_id, "delete", before, None
        )


def monthly_application_count(db: sqlite_utils.Database, applicant_name: str, day: Any) -> int:
    """The applicant's applications received in *day*'s calendar month (按件计收的累计件数,
    国办函〔2020〕109号第四条)."""
    d = as_date(day, "日期")
    first = d.replace(day=1)
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return db.execute(
        "SELECT count(*) FROM applications WHERE applicant_name = ? AND received_date >= ?"
        " AND received_date < ?",
        [str(applicant_name).strip(), first.isoformat(), nxt.isoformat()],
    ).fetchone()[0]


def recompute_due(db: sqlite_utils.Database, cal: WorkCalendar, who: str | None = None) -> int:
    """Recompute every application's answer_due/provisional/state after a calendar change
    (RULES.md §1: recompute every open deadline). Returns the number changed."""
    changed = 0
    with transaction(db):
        ids = [r[0] for r in db.execute("SELECT id FROM applications")]
        for app_id in ids:
            app = get(db, app_id)
            new = derived(app, pauses(db, app_id), cal)
            if any(app[k] != v for k, v in new.items()):
                db.execute(
                    "UPDATE applications SET state = ?, answer_due = ?, provisional = ?"
                    " WHERE id = ?",
                    [new["state"], new["answer_due"], new["provisional"], app_id],
                )
                changed += 1
        if changed:
            audit.record(
                db,
                who or profile.operator(db),
                "applications",
                "*",
                "update",
                None,
                {"重新计算答复期限": changed},
            )
    return changed


def due_counts(db: sqlite_utils.Database, today: date, cal: WorkCalendar) -> tuple[int, int]:
    """(due soon: ≤ 3 working days left, overdue) among open applications."""
    from . import application_query as q

    return (
        q.count(db, q.ApplicationFilter(due="soon"), today, cal),
        q.count(db, q.ApplicationFilter(due="overdue"), today, cal),
    )


def explain(
    db: sqlite_utils.Database,
    app_id: int,
    cal: WorkCalendar | None = None,
    today: date | None = None,
) -> str:
    """期限说明 of one application, as shown in its panel."""
    return clock(db, app_id, cal, today).explain()
