"""Applications list queries (依申请公开列表): filters, sorting and paging in SQL.

Overdue (已逾期) = open, the clock running (not 补正中/征求意见中/待缴费), and the answer
due date before today. Due soon (即将到期) = the same, due today or within 3 working days.
An extended application is overdue only after its extended due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlite_utils

from . import list_paging, search
from .application_store import CLOCK_STOPPED, CLOSED, STATES
from .calendar import WorkCalendar
from .deadlines import DUE_SOON_WORKING_DAYS, add_working_days, working_days_left
from .list_paging import count_rows, far_end, select_rows

LIST_COLUMNS = (
    "id",
    "app_no",
    "applicant_name",
    "applicant_type",
    "channel",
    "received_date",
    "state",
    "answer_due",
    "provisional",
    "extension_days",
    "result",
    "result_reason",
    "answer_date",
    "closed_date",
)
SORTABLE = {
    "app_no",
    "applicant_name",
    "received_date",
    "state",
    "answer_due",
    "result",
    "answer_date",
}
_RUNNING = tuple(s for s in STATES if s not in CLOCK_STOPPED and s != CLOSED)


@dataclass(frozen=True)
class ApplicationFilter:
    text: str = ""
    year: int | None = None
    state: str | None = None
    due: str | None = None  # None, "overdue" (已逾期) or "soon" (即将到期)
    result: str | None = None  # 办理结果, alone or as the ledger label 不予公开/属于国家秘密


def where(f: ApplicationFilter, today: date, cal: WorkCalendar) -> tuple[str, list]:
    clauses, params = [], []
    q = search.match_query(f.text)
    if q:
        clauses.append("id IN (SELECT rowid FROM applications_fts WHERE applications_fts MATCH ?)")
        params.append(q)
    if f.year:
        clauses.append("year = ?")
        params.append(f.year)
    if f.state:
        clauses.append("state = ?")
        params.append(f.state)
    if f.result:
        result, _, reason = f.result.partition("/")
        clauses.append("result = ?")
        params.append(result.strip())
        if reason.strip():
            clauses.append("result_reason = ?")
            params.append(reason.strip())
    if f.due in ("overdue", "soon"):
        clauses.append(f"state IN ({', '.join('?' * len(_RUNNING))})")
        params += list(_RUNNING)
        if f.due == "overdue":
            clauses.append("answer_due < ?")
            params.append(today.isoformat())
        else:
            cutoff = add_working_days(today, DUE_SOON_WORKING_DAYS, cal).due
            clauses.append("answer_due >= ? AND answer_due <= ?")
            params += [today.isoformat(), cutoff.isoformat()]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(db: sqlite_utils.Database, f: ApplicationFilter, today: date, cal: WorkCalendar) -> int:
    text_only = f == ApplicationFilter(text=f.text)
    return count_rows(db, "applications", f.text, text_only, lambda: where(f, today, cal))


def page(
    db: sqlite_utils.Database,
    f: ApplicationFilter,
    today: date,
    cal: WorkCalendar,
    order: str = "received_date",
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
    total: int | None = None,
) -> list[dict]:
    """Rows *offset*..*offset+limit* in the given order, each with ``days_left`` (signed
    working days to the due date; None when closed or the clock is stopped) and ``overdue``.
    Pass the known *total* (from count) so deep pages are read from the far end."""
    if order not in SORTABLE:
        order = "received_date"
    reverse, descending, offset, limit = far_end(total, offset, limit, descending)
    w, p = where(f, today, cal)
    rows = select_rows(db, "applications", LIST_COLUMNS, w, p, order, descending, offset, limit)
    for r in rows:
        running = r["state"] in _RUNNING and r["answer_due"]
        r["days_left"] = (
            working_days_left(today, date.fromisoformat(r["answer_due"]), cal) if running else None
        )
        r["overdue"] = bool(running and r["answer_due"] < today.isoformat())
    return rows[::-1] if reverse else rows


def years(db: sqlite_utils.Database) -> list[int]:
    """Distinct years, newest first (index seeks)."""
    return list_paging.years(db, "applications")
