"""Registry list queries (公开登记列表): filters, sorting and paging done in SQL.

The table view asks for a count and then pages of rows; nothing loads every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlite_utils

from . import list_paging, search
from .calendar import WorkCalendar
from .deadlines import add_working_days
from .list_paging import count_rows, far_end, select_rows

DUE_SOON_WORKING_DAYS = 3  # “即将到期” window, as in core/deadlines.publish_status

LIST_COLUMNS = ("id", "index_no", "title", "doc_no", "issuer", "formed_date", "published_date",
                "category", "stage", "returns", "publish_due", "provisional", "long_term", "end_date")
SORTABLE = {"index_no", "title", "doc_no", "issuer", "formed_date", "published_date", "category",
            "stage", "publish_due"}


@dataclass(frozen=True)
class RegistryFilter:
    text: str = ""
    year: int | None = None
    category: str | None = None  # code
    stage: str | None = None
    due: str | None = None  # None, "overdue" (已逾期) or "soon" (即将到期)


def where(f: RegistryFilter, today: date, cal: WorkCalendar, *, text_driven: bool = True
          ) -> tuple[str, list]:
    """The WHERE clause for *f*. With text_driven=False the FTS hit list is only a
    membership test (``+id IN``), so SQLite walks the sort index and stops at LIMIT."""
    clauses, params = [], []
    q = search.match_query(f.text)
    if q:
        col = "id" if text_driven else "+id"
        clauses.append(f"{col} IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
        params.append(q)
    if f.year:
        clauses.append("year = ?")
        params.append(f.year)
    if f.category:
        clauses.append("category = ?")
        params.append(f.category)
    if f.stage:
        clauses.append("stage = ?")
        params.append(f.stage)
    if f.due == "overdue":
        clauses.append("published_date IS NULL AND publish_due < ?")
        params.append(today.isoformat())
    elif f.due == "soon":
        cutoff = add_working_days(today, DUE_SOON_WORKING_DAYS, cal).due
        clauses.append("published_date IS NULL AND publish_due >= ? AND publish_due <= ?")
        params += [today.isoformat(), cutoff.isoformat()]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(db: sqlite_utils.Database, f: RegistryFilter, today: date, cal: WorkCalendar) -> int:
    text_only = f == RegistryFilter(text=f.text)
    return count_rows(db, "items", f.text, text_only, lambda: where(f, today, cal))


def page(db: sqlite_utils.Database, f: RegistryFilter, today: date, cal: WorkCalendar,
         order: str = "formed_date", descending: bool = True, offset: int = 0,
         limit: int = 200, total: int | None = None) -> list[dict]:
    """Rows *offset*..*offset+limit* in the given order. Pass the known *total* (from count)
    so that deep pages are read from the other end and common search terms walk the index."""
    if order not in SORTABLE:
        order = "formed_date"
    reverse, descending, offset, limit = far_end(total, offset, limit, descending)
    text_driven = True
    if f.text and total is not None:
        # Many hits: walking the sort index finds a page sooner than sorting all hits.
        n_items = db.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
        text_driven = total * total <= n_items * (offset + limit)
    w, p = where(f, today, cal, text_driven=text_driven)
    rows = select_rows(db, "items", LIST_COLUMNS, w, p, order, descending, offset, limit)
    return rows[::-1] if reverse else rows


def years(db: sqlite_utils.Database) -> list[int]:
    """Distinct years, newest first: one index seek per year, not a scan of every row."""
    return list_paging.years(db, "items")
