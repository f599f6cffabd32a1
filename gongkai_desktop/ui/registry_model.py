"""公开登记表格模型: a virtual table over the registry, paged from SQL.

rowCount comes from one COUNT; rows are fetched a page at a time when the view asks
for them and kept in a small LRU of pages. Sorting and filtering are SQL
(core/registry_query); nothing loads every row.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QBrush

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
from .paged_model import (  # noqa: F401
    AMBER,
    AMBER_BG,
    ID_ROLE,
    MAX_CACHED_PAGES,
    PAGE_SIZE,
    RED,
    RED_BG,
    Column,
    PagedSqlModel,
    alert_brush,
    column_index,
    memo,
)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


MAX_CACHED_STATUSES = 20000  # one per (生成日期, 公开日期) pair

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
COL = column_index(COLUMNS)
assert all(c.sort is None or c.sort in registry_query.SORTABLE for c in COLUMNS)

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
    FILTER = RegistryFilter
    QUERY = registry_query

    item_id = PagedSqlModel.row_id

    # -- PagedSqlModel ---------------------------------------------------------------

    def _load_context(self) -> None:
        super()._load_context()
        self._categories = catalog.category_names(self._db)

    def _tooltip(self, r: dict, col: int) -> str | None:
        if col in _STATUS_COLS:
            return self._status_of(r).explain()
        return r["title"] if col == COL["title"] else None

    def _brush(self, r: dict, col: int, role: int) -> QBrush | None:
        if col in _STATUS_COLS:
            return alert_brush(_ALERT.get(self._status_of(r).state), role)
        return None

    def _status_of(self, r: dict) -> PublishStatus:
        return memo(
            self._cache,
            (r["formed_date"], r["published_date"]),
            lambda: publish_status(
                date.fromisoformat(r["formed_date"]),
                _day(r["published_date"]),
                self._today,
                self._cal,
            ),
            MAX_CACHED_STATUSES,
        )

    _row_status = _status_of

    def _text(self, r: dict, key: str) -> str | None:
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
            return display_term(
                _day(r["published_date"]), bool(r["long_term"]), _day(r["end_date"]), self._cal
            )
        return None
