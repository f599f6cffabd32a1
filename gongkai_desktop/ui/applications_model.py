"""依申请公开表格模型: a virtual table over the applications, paged from SQL.

As the registry model: one COUNT, pages fetched when the view asks and kept in a small
LRU; filtering and sorting are SQL (core/application_query). The tooltip of the date
columns is the answer clock's 期限说明, computed when the clerk hovers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from ..core import application_catalog, application_query, applications
from ..core.application_query import ApplicationFilter
from ..core.deadlines import DUE_SOON_WORKING_DAYS
from ..core.errors import UserError
from .paged_model import (  # noqa: F401
    AMBER,
    AMBER_BG,
    ID_ROLE,
    LEVEL_LATE,
    LEVEL_OVERDUE,
    LEVEL_SOON,
    RED,
    RED_BG,
    ROW_COLOURS,
    Column,
    PagedSqlModel,
    alert_brush,
    column_index,
    memo,
)

MAX_CACHED_TIPS = 500

SUPPLEMENT, CONSULTING, EXTENDED, FEE, CLOSED = "补正中", "征求意见中", "已延期", "待缴费", "已办结"
PAUSED_LABEL = "征求意见中（暂停计时）"

# Row levels: what colour a row gets (and LEVEL_OVERDUE, _SOON, _LATE of paged_model).
LEVEL_PAUSED = "paused"

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
COL = column_index(COLUMNS)
assert all(c.sort is None or c.sort in application_query.SORTABLE for c in COLUMNS)

BLUE = QColor("#1f5f99")
_TIP_COLS = {COL["state"], COL["due"], COL["days_left"]}
_CENTERED = {COL["received_date"], COL["state"], COL["due"], COL["days_left"]}

AppIdRole = ID_ROLE


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


class ApplicationsModel(PagedSqlModel):
    """Rows of the applications list for one filter and sort order (ui/paged_model.py)."""

    COLUMNS = COLUMNS
    DEFAULT_ORDER = "received_date"
    CENTERED = frozenset(_CENTERED)
    FILTER = ApplicationFilter
    QUERY = application_query

    app_id = PagedSqlModel.row_id

    # -- PagedSqlModel ---------------------------------------------------------------

    def _row_status(self, r: dict) -> RowStatus:
        return row_status(r, self._today)

    def _tooltip(self, r: dict, col: int) -> str | None:
        if col in _TIP_COLS:
            return self._tip(r)
        if col == COL["result"]:
            return result_text(r) or None
        if col == COL["applicant_name"]:
            return r["applicant_name"]
        return None

    def _brush(self, r: dict, col: int, role: int) -> QBrush | None:
        st = row_status(r, self._today)
        colours = ROW_COLOURS.get(st.level or "")
        if colours:
            return alert_brush(colours, role)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL["state"]:
            if st.level == LEVEL_PAUSED:
                return QBrush(BLUE)
            if st.level == LEVEL_LATE:
                return QBrush(RED)
        return None

    def _tip(self, r: dict) -> str:
        def compute() -> str:
            c = applications.clock(self._db, r["id"], self._cal, self._today)
            return f"{row_status(r, self._today).text}\n\n{c.explain()}"

        try:
            return memo(self._cache, r["id"], compute, MAX_CACHED_TIPS)
        except UserError as e:  # deleted meanwhile, or bad stored dates
            return str(e)

    def _text(self, r: dict, key: str) -> str | None:
        if key == "state":
            return row_status(r, self._today).text
        if key == "due":
            return row_status(r, self._today).due
        if key == "days_left":
            return row_status(r, self._today).days_left
        if key == "result":
            return result_text(r)
        return None
