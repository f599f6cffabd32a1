"""收费与答复 (fee and answer) of an application: 条例第三十六条、第四十二条; 国办函〔2020〕109号.

The answer closes the application with an art. 36 answer type and an annual-report
result (table 3); ANSWER_RESULTS says which fit together.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from .application_step_rules import check_between, close_as_other
from .application_store import (
    as_date,
    catalog,
    check_not_awaiting_supplement,
    check_open,
    check_step_date,
    clock_of,
    commit_step,
    day,
    pause_is_open,
    pauses,
    step_context,
)
from .calendar import WorkCalendar
from .deadlines import add_working_days
from .errors import ValidationError

# Which annual-report results (table 3) fit which answer (条例第三十六条). None = any reason.
# 1 已主动公开 and 2 可以公开 → 予以公开 (2 also 部分公开, 第三十七条); 3 不予公开 →
# 不予公开, 部分公开, or 无法提供/没有现成信息 (第三十八条); 4 经检索不存在 → 无法提供;
# 5 不属于本机关 → 无法提供/本机关不掌握 (年度报告填报口径); 6 重复申请 → 不予处理 (重复、
# 确认或重新出具、大量反复申请, 第三十五条); 7 另有规定 → 其他处理/其他, and the art. 39
# pointers (信访举报投诉、公开出版物) as 不予处理.
ANSWER_RESULTS: dict[int, dict[str, tuple[str, ...] | None]] = {
    1: {"予以公开": None},
    2: {"予以公开": None, "部分公开": None},
    3: {"不予公开": None, "部分公开": None, "无法提供": ("没有现成信息需要另行制作",)},
    4: {
        "无法提供": (
            "本机关不掌握相关政府信息",
            "没有现成信息需要另行制作",
            "补正后申请内容仍不明确",
        )
    },
    5: {"无法提供": ("本机关不掌握相关政府信息",)},
    6: {"不予处理": ("重复申请", "要求行政机关确认或重新出具已获取信息", "无正当理由大量反复申请")},
    7: {"其他处理": ("其他",), "不予处理": ("信访举报投诉类申请", "要求提供公开出版物")},
}
FEE_METHODS = {"按件": "piece", "按量": "page"}  # 国办函〔2020〕109号第三条: one method only
# 109号 (and e.g. 川财〔2021〕): pay within 20 working days of the notice. Not verified
# against every province, so the clerk may set another payment deadline.
FEE_PAYMENT_WORKING_DAYS = 20

# -- 收费 (条例第四十二条; 国办函〔2020〕109号) ------------------------------------------------


def issue_fee_notice(
    db: sqlite_utils.Database,
    app_id: int,
    method: str,
    count: int,
    on_date: Any,
    payment_deadline: Any,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> int:
    """收费通知 by one method (按件: the applicant's count this month; 按量: pages).
    *payment_deadline* None = 20 working days. Returns the fee in 元."""
    from .fees import fee

    app, today, cal = step_context(db, app_id, today, cal)
    check_open(app, "收费")
    check_not_awaiting_supplement(app, "发出收费通知")
    if app["fee_notice_date"]:
        raise ValidationError(
            f"已于 {app['fee_notice_date']} 按{app['fee_method']}发出收费通知。每件申请只能按一种方式收费一次"
            "（国办函〔2020〕109号第三条）。"
        )
    if method not in FEE_METHODS:
        raise ValidationError(
            "收费方式只能是“按件”或“按量”，二者选一（国办函〔2020〕109号第三条）。"
        )
    unit = "件" if method == "按件" else "页"
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValidationError(f"{method}计收的数量应为不小于 1 的整数（{unit}），现在是“{count}”。")
    total = fee(FEE_METHODS[method], count).total
    if total <= 0:
        raise ValidationError(
            f"{method}计收 {count}{unit} 在免费范围内，不收费，不需要发出收费通知。"
        )
    d = check_step_date(db, app, on_date, "收费通知日期", today)
    pay_by = (
        as_date(payment_deadline, "缴费期限", False)
        or add_working_days(d, FEE_PAYMENT_WORKING_DAYS, cal).due
    )
    if pay_by <= d:
        raise ValidationError(f"缴费期限 {pay_by} 应晚于收费通知日期 {d}。")
    commit_step(
        db,
        app_id,
        {
            "fee_method": method,
            "fee_count": count,
            "fee_total": total,
            "fee_notice_date": d.isoformat(),
            "fee_payment_deadline": pay_by.isoformat(),
        },
        "收费通知",
        who,
        d,
        opinion,
        {"method": method, "count": count, "total": total, "payment_deadline": pay_by.isoformat()},
        cal,
    )
    return total


def _unpaid(app: dict) -> None:
    if not app["fee_notice_date"]:
        raise ValidationError("这件申请没有发出收费通知。")
    if app["fee_paid_date"]:
        raise ValidationError(f"已于 {app['fee_paid_date']} 登记缴费。")


def record_fee_paid(
    db: sqlite_utils.Database,
    app_id: int,
    on_date: Any,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    app, today, cal = step_context(db, app_id, today, cal)
    check_open(app, "登记缴费")
    _unpaid(app)
    d = check_step_date(db, app, on_date, "缴费日期", today)
    commit_step(
        db,
        app_id,
        {"fee_paid_date": d.isoformat()},
        "缴费",
        who,
        d,
        opinion,
        {"total": app["fee_total"]},
        cal,
    )


def close_fee_unpaid(
    db: sqlite_utils.Database,
    app_id: int,
    on_date: Any,
    who: str | None,
    opinion: str = "",
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """逾期未缴费: closed as 其他处理 item 2 (国办函〔2020〕109号)."""
    app, today, cal = step_context(db, app_id, today, cal)
    check_open(app, "办结")
    _unpaid(app)
    d = check_step_date(db, app, on_date, "办结日期", today)
    if d <= day(app["fee_payment_deadline"]):
        raise ValidationError(
            f"缴费期限 {app['fee_payment_deadline']} 尚未届满，期限届满后仍未缴费的，才能按“逾期未缴费”办结。"
        )
    close_as_other(db, app_id, 1, "逾期未缴费", who, d, opinion, cal)


# -- 答复 (条例第三十六条; 年度报告表三) ----------------------------------------------------------


def check_answer(answer_type: Any, result: str, reason: str) -> int:
    """The answer type is one of art. 36's seven and fits the (result, reason) of table 3."""
    cat = catalog()
    try:
        t = int(answer_type)
    except (TypeError, ValueError):
        t = 0
    if t not in cat.answer_types:
        raise ValidationError(
            "请选择答复类型（条例第三十六条）："
            + "、".join(f"{k}.{v}" for k, v in cat.answer_types.items())
            + "。"
        )
    cat.check_result(result, reason)
    allowed = ANSWER_RESULTS[t]
    if result not in allowed or (allowed[result] is not None and reason not in allowed[result]):
        fits = "；".join(f"{r}" + (f"（{'、'.join(v)}）" if v else "") for r, v in allowed.items())
        raise ValidationError(
            f"答复类型“{cat.answer_types[t]}”与办理结果“{cat.result_label(result, reason)}”不相符。"
            f"这种答复对应的办理结果是：{fits}。"
        )
    return t


def answer(
    db: sqlite_utils.Database,
    app_id: int,
    *,
    answer_type: int,
    result: str,
    reason: str = "",
    answer_date: Any,
    delivered_date: Any = None,
    text: str = "",
    who: str | None = None,
    opinion: str = "",
    details: dict | None = None,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> None:
    """答复 and close. *details* (where_public, legal_basis, right_office, …) go to the letter."""
    app, today, cal = step_context(db, app_id, today, cal)
    check_open(app, "答复")
    check_not_awaiting_supplement(app, "答复")
    still = [p["party"] for p in pauses(db, app_id) if pause_is_open(p)]
    if still:
        raise ValidationError(
            f"向“{'、'.join(still)}”征求意见尚未结束，请先登记对方的答复或逾期未答复。"
        )
    if app["fee_notice_date"] and not app["fee_paid_date"]:
        raise ValidationError(
            "收费通知尚未缴费：请先登记缴费，或在缴费期限届满后按“逾期未缴费”办结。"
        )
    reason = str(reason or "").strip()
    if result == "其他处理" and reason in catalog().results["其他处理"][:2]:
        raise ValidationError(f"“{reason}”请用“逾期不补正办结”或“逾期未缴费办结”登记。")
    t = check_answer(answer_type, result, reason)
    d = check_step_date(db, app, answer_date, "答复日期", today)
    delivered = as_date(delivered_date, "送达日期", False)
    if delivered:
        check_between(delivered, "送达日期", d, "答复日期", today)
    due = clock_of(app, pauses(db, app_id), cal).due
    commit_step(
        db,
        app_id,
        {
            "answer_type": t,
            "result": result,
            "result_reason": reason,
            "answer_date": d.isoformat(),
            "delivered_date": delivered and delivered.isoformat(),
            "answer_text": str(text or "").strip(),
            "closed_date": d.isoformat(),
        },
        "答复",
        who,
        d,
        opinion,
        {
            "answer_type": t,
            "result": catalog().result_label(result, reason),
            "due": due.isoformat(),
            "late": d > due,
            "details": details or {},
        },
        cal,
    )
