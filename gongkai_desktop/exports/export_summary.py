"""The period's figures (本期概况) for the mail to the leading group (issue 8 §3).

Counts only; each "overdue" reuses the rule that already decides it: the registry's
已逾期 filter (core/registry_query.py), 是否逾期 of an application
(core/application_store.is_overdue) and 是否按时答复 of a complaint
(core/supervision_io.reply_timeliness).
"""

from __future__ import annotations

from datetime import date

from ..core.application_store import is_overdue
from ..core.supervision_io import LATE, LATE_OPEN, reply_timeliness

LABELS = {
    "items_formed": "新登记公开事项",
    "items_published": "已公开事项",
    "items_published_late": "其中逾期公开",
    "items_overdue_open": "逾期未公开事项（截至今日）",
    "applications_received": "收到依申请公开申请",
    "applications_answered": "已答复申请",
    "applications_overdue": "逾期答复或逾期未答复的申请",
    "complaints_received": "收到投诉与意见",
    "complaints_replied": "已答复投诉与意见",
    "complaints_overdue": "逾期答复或逾期未答复的投诉与意见",
}


def _count(db, sql: str, params: list) -> int:
    return db.execute(sql, params).fetchone()[0]


def period_summary(db, period, today: date | None = None) -> dict:
    """{"period": label, "start", "end" (ISO), each LABELS key: int, "lines": [Chinese]}."""
    today = today or date.today()
    lo, hi, now = period.start.isoformat(), period.end.isoformat(), today.isoformat()
    s: dict = {"period": period.label, "start": lo, "end": hi}
    s["items_formed"] = _count(
        db, "SELECT count(*) FROM items WHERE formed_date BETWEEN ? AND ?", [lo, hi]
    )
    s["items_published"] = _count(
        db, "SELECT count(*) FROM items WHERE published_date BETWEEN ? AND ?", [lo, hi]
    )
    s["items_published_late"] = _count(
        db,
        "SELECT count(*) FROM items WHERE published_date BETWEEN ? AND ?"
        " AND published_date > publish_due",
        [lo, hi],
    )
    s["items_overdue_open"] = _count(
        db, "SELECT count(*) FROM items WHERE formed_date <= ? AND published_date IS NULL"
        " AND publish_due < ?", [hi, now])  # fmt: skip
    s["applications_received"] = _count(
        db, "SELECT count(*) FROM applications WHERE received_date BETWEEN ? AND ?", [lo, hi]
    )
    s["applications_answered"] = _count(
        db, "SELECT count(*) FROM applications WHERE answer_date BETWEEN ? AND ?", [lo, hi]
    )
    cols = ("answer_due", "closed_date", "result", "result_reason", "answer_date", "state")
    apps = db.execute(f"SELECT {', '.join(cols)} FROM applications"
                      " WHERE received_date BETWEEN ? AND ?", [lo, hi]).fetchall()  # fmt: skip
    s["applications_overdue"] = sum(is_overdue(dict(zip(cols, a, strict=True)), today)
                                    for a in apps)  # fmt: skip
    s["complaints_received"] = _count(
        db, "SELECT count(*) FROM complaints WHERE received_date BETWEEN ? AND ?", [lo, hi]
    )
    s["complaints_replied"] = _count(
        db, "SELECT count(*) FROM complaints WHERE reply_date BETWEEN ? AND ?", [lo, hi]
    )
    ccols = ("reply_date", "reply_due")
    comps = db.execute("SELECT reply_date, reply_due FROM complaints"
                       " WHERE received_date BETWEEN ? AND ?", [lo, hi]).fetchall()  # fmt: skip
    s["complaints_overdue"] = sum(
        reply_timeliness(dict(zip(ccols, c, strict=True)), today) in (LATE, LATE_OPEN)
        for c in comps)  # fmt: skip
    s["lines"] = [f"{label}：{s[key]}" for key, label in LABELS.items()]
    return s
