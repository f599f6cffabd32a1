"""投诉与意见列表 (complaints list queries): filters, sorting and paging in SQL.

The state labels of core/complaint_rules.complaint_state depend on today, so a state
filter becomes a date condition here. 已逾期 / 即将到期 (due filter) cover both pending
deadlines: the 30-day reply (考核表第33项) and the principal's answer to an opinion
passed on (第32项). Days left are natural days, as the periods are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from . import complaint_rules as rules
from . import list_paging, search
from .calendar import WorkCalendar
from .list_paging import count_rows, far_end, select_rows

LIST_COLUMNS = (
    "id", "no", "year", "kind", "source", "anonymous", "person", "contact", "received_date",
    "content", "handler", "stage", "reply_due", "reply_date", "reply_method", "forwarded_date",
    "principal", "principal_due", "principal_answer_date", "closed_date", "provisional",
)  # fmt: skip
SORTABLE = {
    "no", "kind", "source", "person", "received_date", "handler", "stage", "reply_due",
    "reply_date", "principal_due", "closed_date",
}  # fmt: skip
DUE_FILTERS = {"overdue": "已逾期", "soon": "即将到期", "late": "逾期答复"}

_REPLY_PENDING = "reply_date IS NULL"
_PRINCIPAL_PENDING = "forwarded_date IS NOT NULL AND principal_answer_date IS NULL"


@dataclass(frozen=True)
class ComplaintFilter:
    text: str = ""
    year: int | None = None
    kind: str | None = None
    state: str | None = None  # a complaint_rules.STATES label
    # None, "overdue" (reply or principal answer past due), "soon" (due within 5 days)
    # or "late" (replied or answered after the due date, also when closed)
    due: str | None = None


def _state_clause(state: str, today: str, soon: str) -> tuple[str, list]:
    pending = f"closed_date IS NULL AND {_REPLY_PENDING}"
    return {
        rules.DONE: ("closed_date IS NOT NULL", []),
        rules.ON_TIME: ("closed_date IS NULL AND reply_date <= reply_due", []),
        rules.LATE: ("closed_date IS NULL AND reply_date > reply_due", []),
        rules.OVERDUE: (f"{pending} AND reply_due < ?", [today]),
        rules.DUE_SOON: (f"{pending} AND reply_due >= ? AND reply_due <= ?", [today, soon]),
        rules.IN_PROGRESS: (f"{pending} AND reply_due > ?", [soon]),
    }.get(state, ("0", []))


def where(f: ComplaintFilter, today: date, cal: WorkCalendar | None = None) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    t = today.isoformat()
    soon = (today + timedelta(days=rules.DUE_SOON_DAYS)).isoformat()
    q = search.match_query(f.text)
    if q:
        clauses.append("id IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?)")
        params.append(q)
    if f.year:
        clauses.append("year = ?")
        params.append(f.year)
    if f.kind:
        clauses.append("kind = ?")
        params.append(f.kind)
    if f.state:
        c, p = _state_clause(f.state, t, soon)
        clauses.append(c)
        params += p
    if f.due == "overdue":
        clauses.append(
            f"(({_REPLY_PENDING} AND reply_due < ?) OR ({_PRINCIPAL_PENDING} AND principal_due < ?))"
        )
        params += [t, t]
    elif f.due == "soon":
        clauses.append(
            f"(({_REPLY_PENDING} AND reply_due BETWEEN ? AND ?)"
            f" OR ({_PRINCIPAL_PENDING} AND principal_due BETWEEN ? AND ?))"
        )
        params += [t, soon, t, soon]
    elif f.due == "late":
        clauses.append("(reply_date > reply_due OR principal_answer_date > principal_due)")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(
    db: sqlite_utils.Database, f: ComplaintFilter, today: date, cal: WorkCalendar | None = None
) -> int:
    text_only = f == ComplaintFilter(text=f.text)
    return count_rows(db, "complaints", f.text, text_only, lambda: where(f, today, cal))


def decorate(row: dict, today: date, cal: WorkCalendar | None = None) -> dict:
    """Add what the list shows: ``state``, ``stage_label``, ``days_left`` (natural days to
    the reply due date; None once replied), ``overdue`` (a pending deadline has passed),
    ``late`` (replied or answered after the due date), ``principal_state`` and
    ``principal_days_left``."""
    row["state"] = rules.complaint_state(row, today, cal)
    row["stage_label"] = rules.stage_label(row["stage"])
    row["days_left"] = None if row["reply_date"] else rules.days_left(row["reply_due"], today)
    row["principal_state"] = rules.principal_state(row, today)
    pending = row["forwarded_date"] and not row["principal_answer_date"]
    row["principal_days_left"] = rules.days_left(row["principal_due"], today) if pending else None
    row["overdue"] = (row["days_left"] is not None and row["days_left"] < 0) or bool(
        pending and row["principal_days_left"] < 0
    )
    row["late"] = rules.reply_late(row) or rules.principal_late(row)
    return row


def page(
    db: sqlite_utils.Database,
    f: ComplaintFilter,
    today: date,
    cal: WorkCalendar | None = None,
    order: str = "received_date",
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
    total: int | None = None,
) -> list[dict]:
    """Rows *offset*..*offset+limit* in the given order, each decorated (see decorate).
    Pass the known *total* (from count) so deep pages are read from the far end."""
    if order not in SORTABLE:
        order = "received_date"
    reverse, descending, offset, limit = far_end(total, offset, limit, descending)
    w, p = where(f, today, cal)
    rows = select_rows(db, "complaints", LIST_COLUMNS, w, p, order, descending, offset, limit)
    rows = [decorate(r, today, cal) for r in rows]
    return rows[::-1] if reverse else rows


def years(db: sqlite_utils.Database) -> list[int]:
    """Distinct years, newest first (index seeks)."""
    return list_paging.years(db, "complaints")
