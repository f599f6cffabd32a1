"""公开登记表格模型: a virtual table over the registry, paged from SQL.

rowCount comes from one COUNT; rows are fetched a page at a time when the view asks
for them and kept in a small LRU of pages. Sorting and filtering are SQL
(core/registry_query); nothing loads every row.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..core import catalog, registry_query, workflow
from ..core.calendar import WorkCalendar
from ..core.deadlines import (
    STATE_DUE_SOON,
    STATE_LATE,
    STATE_OVERDUE,
    PublishStatus,
    display_term,
    publish_status,
)
from ..core.registry_query import RegistryFilter


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None

PAGE_SIZE = 200
MAX_CACHED_PAGES = 12
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

ItemIdRole = Qt.ItemDataRole.UserRole + 1


class RegistryModel(QAbstractTableModel):
    """Rows of the registry for one filter and sort order.

    ``today`` pins the date deadlines are measured against (tests, benchmarks);
    by default it is read on every refresh. ``page_queries`` counts page fetches.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        parent=None,
        *,
        today: date | None = None,
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_CACHED_PAGES,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._fixed_today = today
        self._page_size = page_size
        self._max_pages = max_pages
        self._filter = RegistryFilter()
        self._order, self._desc = "formed_date", True
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self._status: dict[tuple[str, str | None], PublishStatus] = {}
        self.page_queries = 0
        self._load_context()
        self._count = self._query_count()

    # -- public API ----------------------------------------------------------------

    @property
    def filter(self) -> RegistryFilter:
        return self._filter

    @property
    def sort_key(self) -> tuple[str, bool]:
        """(SORTABLE column, descending)."""
        return self._order, self._desc

    @property
    def today(self) -> date:
        return self._today

    def set_filter(self, f: RegistryFilter) -> None:
        if f == self._filter:
            return
        self.beginResetModel()
        self._filter = f
        self._pages.clear()
        self._count = self._query_count()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read everything (after items, the calendar or the category list changed)."""
        self.beginResetModel()
        self._load_context()
        self._pages.clear()
        self._status.clear()
        self._count = self._query_count()
        self.endResetModel()

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    def row(self, row: int) -> dict | None:
        """The list row (registry_query.LIST_COLUMNS) at *row*, fetched if needed."""
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, self._page_size)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def item_id(self, row: int) -> int | None:
        r = self.row(row)
        return r["id"] if r else None

    def status(self, row: int) -> PublishStatus | None:
        r = self.row(row)
        return self._status_of(r) if r else None

    def column_sortable(self, column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column].sort is not None

    # -- QAbstractTableModel ---------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = "点击表头按此列排序" if COLUMNS[section].sort else "此列不能排序"
                return tip
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.TextAlignmentRole,
            ItemIdRole,
        ):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter if col in _CENTERED else None
        r = self.row(index.row())
        if r is None:
            return None
        if role == ItemIdRole:
            return r["id"]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in _STATUS_COLS:
                return self._status_of(r).explain()
            if col == COL["title"]:
                return r["title"]
            return None
        if col in _STATUS_COLS:
            colours = _ALERT.get(self._status_of(r).state)
            if colours:
                fg, bg = colours
                return QBrush(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """ORDER BY in SQL; columns that are not SORTABLE are ignored."""
        if not self.column_sortable(column):
            return
        self.beginResetModel()
        self._order = COLUMNS[column].sort or "formed_date"
        self._desc = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.endResetModel()

    # -- internals ---------------------------------------------------------------------

    def _load_context(self) -> None:
        self._today = self._fixed_today or date.today()
        self._cal = WorkCalendar.from_db(self._db)
        self._categories = catalog.category_names(self._db)

    def _query_count(self) -> int:
        return registry_query.count(self._db, self._filter, self._today, self._cal)

    def _fetch(self, number: int) -> list[dict]:
        page = registry_query.page(
            self._db,
            self._filter,
            self._today,
            self._cal,
            order=self._order,
            descending=self._desc,
            offset=number * self._page_size,
            limit=self._page_size,
            total=self._count,
        )
        self.page_queries += 1
        self._pages[number] = page
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        return page

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
