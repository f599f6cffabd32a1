"""公开登记表格模型: a virtual table over the registry, paged from SQL.

rowCount comes from one COUNT; rows are fetched a page at a time when the view asks
for them and kept in a small LRU of pages. Sorting and filtering are SQL
(core/registry_query); nothing loads every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from ..core import catalog, registry_query, workflow
from ..core.deadlines import (
    STATE_DUE_SOON,
    STATE_LATE,
    STATE_OVERDUE,
    PublishStatus,
    display_term,
    publish_status,
)
from ..core.registry_query import RegistryFilter
from .paged_model import ID_ROLE, MAX_CACHED_PAGES, PAGE_SIZE, PagedSqlModel  # noqa: F401


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None

MAX_CACHED_STATUSES = 20000  # one per (生成日期, 公开日期) pair


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort: str | None  # registry_query.SORTABLE key, None = not sortable


COLUMNS = (
    Column("index_no", "索引号", "index_no"),
    Column("title", "信息名称", "title"),
    Column("doc_no", "文号", "doc_no"),
    Column("category", "主题分类", "category"),
    Column("formed_date", "生成日期", "formed_date"),
    Column("due", "公开期限", "publish_due"),
    Column("days_left", "剩余工作日", None),
    Column("published_date", "公开日期", "published_date"),
    Column("state", "期限状态", None),
    Column("stage", "当前环节", "stage"),
    Column("term", "长期公开/截止", None),
)
COL = {c.key: i for i, c in enumerate(COLUMNS)}
assert all(c.sort is None or c.sort in registry_query.SORTABLE for c in COLUMNS)

RED = QColor("#c62828")
AMBER = QColor("#a15c00")
RED_BG = QColor("#fdecea")
AMBER_BG = QColor("#fff4e0")
_ALERT = {
    STATE_OVERDUE: (RED, RED_BG),
    STATE_LATE: (RED, RED_BG),
    STATE_DUE_SOON: (AMBER, AMBER_BG),
}
_STATUS_COLS = {COL["due"], COL["days_left"], COL["state"]}
_CENTERED = {
    COL["formed_date"],
    COL["due"],
    COL["days_left"],
    COL["published_date"],
    COL["state"],
    COL["stage"],
    COL["term"],
}

ItemIdRole = ID_ROLE


class RegistryModel(PagedSqlModel):
    """Rows of the registry for one filter and sort order (see ui/paged_model.py)."""

    COLUMNS = COLUMNS
    DEFAULT_ORDER = "formed_date"
    CENTERED = frozenset(_CENTERED)

    def __init__(self, db: sqlite_utils.Database, parent=None, **kw) -> None:
        self._status: dict[tuple[str, str | None], PublishStatus] = {}
        super().__init__(db, RegistryFilter(), parent, **kw)

    def item_id(self, row: int) -> int | None:
        return self.row_id(row)

    def status(self, row: int) -> PublishStatus | None:
        r = self.row(row)
        return self._status_of(r) if r else None

    # -- PagedSqlModel ---------------------------------------------------------------

    def _load_context(self) -> None:
        super()._load_context()
        self._categories = catalog.category_names(self._db)

    def _clear_caches(self) -> None:
        self._status.clear()

    def _query_count(self) -> int:
        return registry_query.count(self._db, self._filter, self._today, self._cal)

    def _query_page(self, offset: int, limit: int, total: int) -> list[dict]:
        return registry_query.page(self._db, self._filter, self._today, self._cal,
                                   order=self._order, descending=self._desc,
                                   offset=offset, limit=limit, total=total)

    def _cell(self, r: dict, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in _STATUS_COLS:
                return self._status_of(r).explain()
            return r["title"] if col == COL["title"] else None
        if col in _STATUS_COLS:
            colours = _ALERT.get(self._status_of(r).state)
            if colours:
                fg, bg = colours
                return QBrush(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        return None

    def _status_of(self, r: dict) -> PublishStatus:
        key = (r["formed_date"], r["published_date"])
        st = self._status.get(key)
        if st is None:
            published = date.fromisoformat(r["published_date"]) if r["published_date"] else None
            st = publish_status(
                date.fromisoformat(r["formed_date"]), published, self._today, self._cal
            )
            if len(self._status) >= MAX_CACHED_STATUSES:
                self._status.clear()
            self._status[key] = st
        return st

    def _display(self, r: dict, col: int) -> str:
        key = COLUMNS[col].key
        if key == "category":
            return self._categories.get(r["category"], r["category"])
        if key == "stage":
            return workflow.stage_label(r["stage"])
        if key == "due":
            d = self._status_of(r).deadline
            return d.due.isoformat() + ("（推算）" if d.provisional else "")
        if key == "days_left":
            st = self._status_of(r)
            return "" if st.days_left is None else str(st.days_left)
        if key == "state":
            return self._status_of(r).state
        if key == "term":
            return display_term(_day(r["published_date"]), bool(r["long_term"]),
                                _day(r["end_date"]), self._cal)
        value = r.get(key)
        return "" if value is None else str(value)
