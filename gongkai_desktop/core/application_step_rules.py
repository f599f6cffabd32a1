"""Rules several 依申请公开 handling steps share (application_steps.py, application_answers.py):
closing as 其他处理 (条例第三十条 逾期不补正; 国办函〔2020〕109号 逾期未缴费), a date that must
lie between a step and today.
"""

from __future__ import annotations

from datetime import date

import sqlite_utils

from .application_store import catalog, commit_step
from .calendar import WorkCalendar
from .errors import ValidationError


def close_as_other(
    db: sqlite_utils.Database,
    app_id: int,
    item: int,
    step: str,
    who: str | None,
    d: date,
    opinion: str,
    cal: WorkCalendar,
) -> None:
    """Close on *d* as 其他处理 reason *item* (0 逾期不补正, 1 逾期未缴费; 年度报告表三)."""
    reason = catalog().results["其他处理"][item]
    commit_step(
        db,
        app_id,
        {
            "result": "其他处理",
            "result_reason": reason,
            "answer_date": d.isoformat(),
            "closed_date": d.isoformat(),
        },
        step,
        who,
        d,
        opinion,
        {"result": f"其他处理/{reason}"},
        cal,
    )


def check_between(told: date, label: str, d: date, d_label: str, today: date) -> None:
    """*told* (e.g. 送达日期) lies between the step's date *d* and today."""
    if told < d or told > today:
        raise ValidationError(f"{label} {told} 应在{d_label} {d} 与今天之间，请核对。")
