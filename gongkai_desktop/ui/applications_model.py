"""依申请公开表格模型: a virtual table over the applications, paged from SQL.

As the registry model: one COUNT, pages fetched when the view asks and kept in a small
LRU; filtering and sorting are SQL (core/application_query). The tooltip of the date
columns is the answer clock's 期限说明, computed when the clerk hovers.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..core import application_catalog, application_query, applications
from ..core.application_query import ApplicationFilter
from ..core.calendar import WorkCalendar
from ..core.deadlines import DUE_SOON_WORKING_DAYS
from ..core.errors import UserError

PAGE_SIZE = 200
MAX_CACHED_PAGES = 12
MAX_CACHED_TIPS = 500

SUPPLEMENT, CONSULTING, EXTENDED, FEE, CLOSED = "补正中", "征求意见中", "已延期", "待缴费", "已办结"
PAUSED_LABEL = "征求意见中（暂停计时）"

# Row levels: what colour a row gets.
LEVEL_OVERDUE, LEVEL_SOON, LEVEL_PAUSED, LEVEL_LATE = "overdue", "soon", "paused", "late"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort: str | None  # application_query.SORTABLE key, None = not sortable


COLUMNS = (
    Column("app_no", "申请编号", "app_no"),
    Column("applicant_name", "申请人", "applicant_name"),
    Column("applicant_type", "申请人类型", None),
    Column("received_date", "收到日期", "received_date"),
    Column("state", "当前状态", "state"),
    Column("due", "答复期限", "answer_due"),
    Column("days_left", "剩余工作日", None),
    Column("result", "办理结果", "result"),
)
COL = {c.key: i for i, c in enumerate(COLUMNS)}
assert all(c.sort is None or c.sort in application_query.SORTABLE for c in COLUMNS)

RED = QColor("#c62828")
AMBER = QColor("#a15c00")
BLUE = QColor("#1f5f99")
RED_BG = QColor("#fdecea")
AMBER_BG = QColor("#fff4e0")
_ROW_COLOURS = {LEVEL_OVERDUE: (RED, RED_BG), LEVEL_SOON: (AMBER, AMBER_BG)}
_TIP_COLS = {COL["state"], COL["due"], COL["days_left"]}
_CENTERED = {COL["received_date"], COL["state"], COL["due"], COL["days_left"]}

AppIdRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class RowStatus:
    """What the list shows about one application's deadline."""

    text: str  # 当前状态
    level: str | None  # LEVEL_*
    due: str  # 答复期限 as shown
    days_left: str  # 剩余工作日 as shown


def row_status(r: dict, today: date) -> RowStatus:
    """The status of a list row (application_query.page). Overdue only while the clock
    runs: a supplement awaited, a consultation or a fee notice out is never overdue, and
    an extended application only after its extended due date (core/application_query)."""
    state = r["state"]
    due = r["answer_due"] or ""
    if due and r["provisional"]:
        due += "（推算）"
    n = r.get("days_left")
    left = "" if n is None else (f"逾期 {-n}" if n < 0 else str(n))
    if state == CLOSED:
        late = applications.is_overdue(r, today)
        return RowStatus(
            "已办结（逾期答复）" if late else CLOSED, LEVEL_LATE if late else None, due, ""
        )
    if state == SUPPLEMENT:
        return RowStatus("补正中（待申请人补正）", LEVEL_PAUSED, "收到补正后重新计算", "")
    if state == CONSULTING:
        return RowStatus(PAUSED_LABEL, LEVEL_PAUSED, due, "")
    if state == FEE:
        return RowStatus("待缴费", LEVEL_PAUSED, due, "")
    if r.get("overdue"):
        text = "已延期（已逾期）" if state == EXTENDED else "已逾期"
        return RowStatus(text, LEVEL_OVERDUE, due, left)
    if r.get("days_left") is not None and r["days_left"] <= DUE_SOON_WORKING_DAYS:
        text = "已延期（即将到期）" if state == EXTENDED else "即将到期"
        return RowStatus(text, LEVEL_SOON, due, left)
    return RowStatus(state, None, due, left)


def result_text(r: dict) -> str:
    if not r["result"]:
        return ""
    return application_catalog.load().result_label(r["result"], r["result_reason"])


class ApplicationsModel(QAbstractTableModel):
    """Rows of the applications list for one filter and sort order. ``today`` pins the
    date deadlines are measured against (tests); by default it is read on refresh."""

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
        self._filter = ApplicationFilter()
        self._order, self._desc = "received_date", True
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self._tips: dict[int, str] = {}
        self.page_queries = 0
        self._load_context()
        self._count = self._query_count()

    # -- public API ----------------------------------------------------------------

    @property
    def filter(self) -> ApplicationFilter:
        return self._filter

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._order, self._desc

    @property
    def today(self) -> date:
        return self._today

    @property
    def cal(self) -> WorkCalendar:
        return self._cal

    def set_filter(self, f: ApplicationFilter) -> None:
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
        self._tips.clear()
        self._count = self._query_count()
        self.endResetModel()

    def row(self, row: int) -> dict | None:
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, self._page_size)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def app_id(self, row: int) -> int | None:
        r = self.row(row)
        return r["id"] if r else None

    def row_of(self, app_id: int) -> int | None:
        """The row showing *app_id* among the pages already fetched."""
        for number, page in self._pages.items():
            for i, r in enumerate(page):
                if r["id"] == app_id:
                    return number * self._page_size + i
        return None

    def status(self, row: int) -> RowStatus | None:
        r = self.row(row)
        return row_status(r, self._today) if r else None

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
                return "点击表头按此列排序" if COLUMNS[section].sort else "此列不能排序"
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter if col in _CENTERED else None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
            AppIdRole,
        ):
            return None
        r = self.row(index.row())
        if r is None:
            return None
        if role == AppIdRole:
            return r["id"]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in _TIP_COLS:
                return self._tip(r)
            if col == COL["result"]:
                return result_text(r) or None
            if col == COL["applicant_name"]:
                return r["applicant_name"]
            return None
        st = row_status(r, self._today)
        colours = _ROW_COLOURS.get(st.level or "")
        if colours:
            fg, bg = colours
            return QBrush(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL["state"]:
            if st.level == LEVEL_PAUSED:
                return QBrush(BLUE)
            if st.level == LEVEL_LATE:
                return QBrush(RED)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.column_sortable(column):
            return
        self.beginResetModel()
        self._order = COLUMNS[column].sort or "received_date"
        self._desc = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.endResetModel()

    # -- internals ---------------------------------------------------------------------

    def _load_context(self) -> None:
        self._today = self._fixed_today or date.today()
        self._cal = WorkCalendar.from_db(self._db)

    def _query_count(self) -> int:
        return application_query.count(self._db, self._filter, self._today, self._cal)

    def _fetch(self, number: int) -> list[dict]:
        page = application_query.page(
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

    def _tip(self, r: dict) -> str:
        tip = self._tips.get(r["id"])
        if tip is None:
            try:
                c = applications.clock(self._db, r["id"], self._cal, self._today)
            except UserError as e:  # deleted meanwhile, or bad stored dates
                return str(e)
            tip = f"{row_status(r, self._today).text}\n\n{c.explain()}"
            if len(self._tips) >= MAX_CACHED_TIPS:
                self._tips.clear()
            self._tips[r["id"]] = tip
        return tip

    def _display(self, r: dict, col: int) -> str:
        key = COLUMNS[col].key
        if key == "state":
            return row_status(r, self._today).text
        if key == "due":
            return row_status(r, self._today).due
        if key == "days_left":
            return row_status(r, self._today).days_left
        if key == "result":
            return result_text(r)
        value = r.get(key)
        return "" if value is None else str(value)
