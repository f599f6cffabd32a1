"""The base of every big list: a virtual table over SQL (DESIGN.md: views stay thin).

One COUNT when the filter changes, then pages fetched only when the view shows them and
kept in a small LRU; filtering and sorting are SQL in the list's core query module, and
the row count is passed back so deep pages and common search terms stay fast.
A subclass names its columns, its filter and query module, and how to draw a cell.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

import sqlite_utils
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..core.calendar import WorkCalendar

PAGE_SIZE = 200
MAX_CACHED_PAGES = 12
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's record id
_CELL_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.BackgroundRole,
)

# The alert colours every list shares: red past due, amber due soon.
RED = QColor("#c62828")
AMBER = QColor("#a15c00")
RED_BG = QColor("#fdecea")
AMBER_BG = QColor("#fff4e0")
LEVEL_OVERDUE, LEVEL_SOON, LEVEL_LATE = "overdue", "soon", "late"
ROW_COLOURS = {LEVEL_OVERDUE: (RED, RED_BG), LEVEL_SOON: (AMBER, AMBER_BG)}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort: str | None  # the query module's SORTABLE key, None = not sortable


def column_index(columns: Sequence[Column]) -> dict[str, int]:
    """Column key → its position."""
    return {c.key: i for i, c in enumerate(columns)}


def alert_brush(colours: tuple[QColor, QColor] | None, role: int) -> QBrush | None:
    """The (text, background) *colours* of an alerted cell as the brush *role* asks for."""
    if not colours:
        return None
    fg, bg = colours
    return QBrush(fg if role == Qt.ItemDataRole.ForegroundRole else bg)


def plain(r: dict, key: str) -> str:
    """A stored value as shown: empty for NULL."""
    value = r.get(key)
    return "" if value is None else str(value)


def memo(cache: dict, key, compute: Callable[[], Any], limit: int):
    """*cache*[*key*], computed on a miss; the cache is emptied when it reaches *limit*.
    Nothing is stored when *compute* raises."""
    value = cache.get(key)
    if value is None:
        value = compute()
        if len(cache) >= limit:
            cache.clear()
        cache[key] = value
    return value


class PagedSqlModel(QAbstractTableModel):
    """``today`` pins the date deadlines are measured against (tests, benchmarks); by
    default it is read on every refresh. ``page_queries`` counts page fetches."""

    COLUMNS: Sequence = ()  # objects with .header and .sort (a SORTABLE key or None)
    DEFAULT_ORDER = "id"
    CENTERED: frozenset[int] = frozenset()
    FILTER: type | None = None  # the filter dataclass; FILTER() is "everything"
    QUERY: ModuleType | None = None  # count(db, f, today, cal) and page(db, f, today, cal, …)

    def __init__(
        self,
        db: sqlite_utils.Database,
        parent=None,
        *,
        initial_filter=None,
        today: date | None = None,
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_CACHED_PAGES,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._fixed_today = today
        self._page_size = page_size
        self._max_pages = max_pages
        self._filter = initial_filter if initial_filter is not None else self.FILTER()
        self._order, self._desc = self.DEFAULT_ORDER, True
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self._cache: dict = {}  # per-row values (statuses, tooltips) kept by memo()
        self.page_queries = 0
        self._load_context()
        self._count = self._query_count()

    # -- what a subclass supplies ------------------------------------------------------

    def _query_count(self) -> int:
        return self.QUERY.count(self._db, self._filter, self._today, self._cal)

    def _query_page(self, offset: int, limit: int, total: int) -> list[dict]:
        return self.QUERY.page(self._db, self._filter, self._today, self._cal,
                               order=self._order, descending=self._desc,
                               offset=offset, limit=limit, total=total)  # fmt: skip

    def _row_status(self, r: dict) -> Any:
        """What the list shows about row *r*'s deadlines (see ``status``)."""
        raise NotImplementedError

    def _text(self, r: dict, key: str) -> str | None:
        """The display text of a computed column, None for a stored value."""
        return None

    def _tooltip(self, r: dict, col: int) -> str | None:
        return None

    def _brush(self, r: dict, col: int, role: int) -> QBrush | None:
        """The foreground or background brush of one cell."""
        return None

    def _load_context(self) -> None:
        """Read what every row needs (today, the calendar, lookup tables)."""
        self._today = self._fixed_today or date.today()
        self._cal = WorkCalendar.from_db(self._db)

    # -- public API ---------------------------------------------------------------------

    @property
    def filter(self):
        return self._filter

    @property
    def sort_key(self) -> tuple[str, bool]:
        """(SORTABLE column, descending)."""
        return self._order, self._desc

    @property
    def today(self) -> date:
        return self._today

    @property
    def cal(self) -> WorkCalendar:
        return self._cal

    def set_filter(self, f) -> None:
        if f == self._filter:
            return
        self.beginResetModel()
        self._filter = f
        self._pages.clear()
        self._count = self._query_count()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read everything (after a change, or the calendar moved deadlines)."""
        self.beginResetModel()
        self._load_context()
        self._pages.clear()
        self._cache.clear()
        self._count = self._query_count()
        self.endResetModel()

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    def row(self, row: int) -> dict | None:
        """The list row at *row*, fetched if needed."""
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, self._page_size)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def row_id(self, row: int) -> int | None:
        r = self.row(row)
        return r["id"] if r else None

    def row_of(self, record_id: int) -> int | None:
        """The row showing *record_id* among the pages already fetched."""
        for number, page in self._pages.items():
            for i, r in enumerate(page):
                if r["id"] == record_id:
                    return number * self._page_size + i
        return None

    def status(self, row: int):
        r = self.row(row)
        return self._row_status(r) if r else None

    def column_sortable(self, column: int) -> bool:
        return 0 <= column < len(self.COLUMNS) and self.COLUMNS[column].sort is not None

    # -- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._header_tip(section)
        return None

    def _header_tip(self, section: int) -> str:
        return "点击表头按此列排序" if self.COLUMNS[section].sort else "此列不能排序"

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter if col in self.CENTERED else None
        if role != ID_ROLE and role not in _CELL_ROLES:
            return None
        r = self.row(index.row())
        if r is None:
            return None
        if role == ID_ROLE:
            return r["id"]
        return self._cell(r, col, role)

    def _cell(self, r: dict, col: int, role: int) -> Any:
        """Display text, tooltip, or a brush for one cell of row *r*."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, col)
        return self._brush(r, col, role)

    def _display(self, r: dict, col: int) -> str:
        key = self.COLUMNS[col].key
        text = self._text(r, key)
        return plain(r, key) if text is None else text

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """ORDER BY in SQL; columns that are not SORTABLE are ignored."""
        if not self.column_sortable(column):
            return
        self.beginResetModel()
        self._order = self.COLUMNS[column].sort or self.DEFAULT_ORDER
        self._desc = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.endResetModel()

    def _fetch(self, number: int) -> list[dict]:
        page = self._query_page(number * self._page_size, self._page_size, self._count)
        self.page_queries += 1
        self._pages[number] = page
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        return page
