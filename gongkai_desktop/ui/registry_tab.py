"""公开登记 tab: search, filters, the virtual registry table and its actions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from ..core import catalog, items, registry_query, workflow
from ..core.registry_query import RegistryFilter
from . import ledger_jobs, signals
from .list_tab import DUE_CHOICES, SEARCH_DEBOUNCE_MS, ListTab  # noqa: F401
from .list_table import refill_combo, refill_years
from .registry_model import RegistryModel

# Widest typical content per column; widths follow the font (YaHei on Windows, …).
_SAMPLES = {
    "index_no": "X001-07-2026-00240",
    "doc_no": "厦人社〔2026〕123号",
    "category": "行政事业性收费",
    "formed_date": "2026-12-25",
    "due": "2026-12-25（推算）",
    "days_left": "剩余工作日",
    "published_date": "2026-12-25",
    "state": "即将到期",
    "stage": "当前环节",
    "term": "至少到 2026-12-31",
}


class RegistryTab(ListTab):
    """The registry screen (ui/list_tab.py does the list, this tab its actions)."""

    FORM = "registry_tab"
    MODEL = RegistryModel
    WINDOWS = ("item_dialog",)  # the open item form, if any
    COMBOS = ("year", "category", "stage", "due")
    FILTER = RegistryFilter
    BUTTONS = {
        "new": "new_item",
        "edit": "edit_selected",
        "step": "open_steps",
        "history": "open_history",
        "delete": "delete_selected",
        "export": "export_ledger",
        "import": "import_ledger",
    }
    SELECTION_BUTTONS = ("edit", "step", "history", "delete")
    WATCH = (signals.ITEMS, signals.CALENDAR, signals.CATALOG)
    KEEP_SELECTION = False
    COUNT_UNIT = "条"
    SORT_HINT = "这一列是计算出来的，不能排序；请按“公开期限”排序。"
    SORT_COLUMN = "formed_date"
    SAMPLES = _SAMPLES
    STRETCH = ("title", "关于调整2026年厦门市最低工资标准的")
    OPEN_ACTION = "edit_selected"

    # -- filters -----------------------------------------------------------------------

    def _fill_filters(self) -> None:
        self._refill_years()
        self._refill_categories()
        self.stage_combo.addItem("全部环节", None)
        for s in workflow.STAGES:
            self.stage_combo.addItem(workflow.stage_label(s), s)
        for label, value in DUE_CHOICES:
            self.due_combo.addItem(label, value)

    def _refill_years(self) -> None:
        refill_years(self.year_combo, registry_query.years(self.db))

    def _refill_categories(self) -> None:
        refill_combo(
            self.category_combo, "全部分类", ((c.name, c.code) for c in catalog.categories(self.db))
        )

    def _refill(self, kind: str) -> None:
        if kind == signals.CATALOG:
            self._refill_categories()
        if kind == signals.ITEMS:
            self._refill_years()

    # -- actions ---------------------------------------------------------------------

    def new_item(self) -> None:
        self._open_form(None)

    def open_record(self, item_id: int) -> None:
        """Open one item's form (the 工作台 double-click)."""
        self._open_form(item_id)

    def edit_selected(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self._open_form(item_id)

    def _open_form(self, item_id: int | None) -> None:
        from .item_dialog import ItemDialog

        if self._raise_open("item_dialog"):
            return
        dlg = ItemDialog(self.db, item_id, self)
        dlg.saved.connect(lambda _id, title: self._say(f"已保存：{title}"))
        self._open_window("item_dialog", dlg)

    def open_steps(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            return
        try:
            from .step_wizard import open_step_wizard
        except ImportError:
            self._missing("办理环节向导")
            return
        open_step_wizard(self, self.db, item_id)  # it notifies ITEMS for each step recorded

    def open_history(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            return
        try:
            from .history_dialog import open_item_history
        except ImportError:
            self._missing("修改记录")
            return
        open_item_history(self, self.db, item_id)

    def delete_selected(self) -> None:
        item_id = self.selected_id()
        item = items.get(self.db, item_id) if item_id is not None else None
        if item is None:
            return
        question = (
            f"确定删除“{item['title']}”（索引号 {item['index_no']}）吗？\n\n"
            "删除后不能恢复；修改记录中仍保留删除前的内容。"
        )
        if not self._confirm_delete("删除事项", question, lambda: items.delete(self.db, item_id)):
            return
        signals.notify(signals.ITEMS)
        self._say(f"已删除：{item['title']}")

    def _missing(self, what: str) -> None:
        QMessageBox.information(self, "功能尚未安装", f"“{what}”功能尚未安装，请升级本软件。")

    # -- export / import (off the GUI thread, ui/ledger_jobs.py) ----------------------

    def export_ledger(self, year: int | None = None, out_path: str | Path | None = None):
        """导出登记台账 for *year* to *out_path* (asks for whichever is missing)."""
        return self._launch(
            ledger_jobs.export_registry,
            year=year,
            out_path=out_path,
            preferred_year=self.year_combo.currentData(),
        )

    def import_ledger(self, in_path: str | Path | None = None):
        """导入登记台账 from an Excel file (asks for it if not given). All rows or none."""
        return self._launch(ledger_jobs.import_registry, in_path=in_path)
