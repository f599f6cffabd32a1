"""公开登记 tab: search, filters, the virtual registry table and its actions."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from ..core import catalog, items, registry_query, workflow
from ..core.errors import UserError
from ..core.registry_query import RegistryFilter
from . import ledger_jobs, signals, workers
from .forms import form_child, host, load_form
from .list_table import refill_combo, refill_years, setup_list_table
from .registry_model import COL, COLUMNS, RegistryModel

SEARCH_DEBOUNCE_MS = 250
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
DUE_CHOICES = (("全部", None), ("已逾期", "overdue"), ("即将到期", "soon"))


class RegistryTab(QWidget):
    """The registry screen. ``message`` carries status-bar text for the main window."""

    message = Signal(str)

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today=None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.ui = load_form("registry_tab", self)
        host(self.ui, self)
        w = self._w
        self.search: QLineEdit = w(QLineEdit, "searchEdit")
        self.year_combo: QComboBox = w(QComboBox, "yearCombo")
        self.category_combo: QComboBox = w(QComboBox, "categoryCombo")
        self.stage_combo: QComboBox = w(QComboBox, "stageCombo")
        self.due_combo: QComboBox = w(QComboBox, "dueCombo")
        self.count_label: QLabel = w(QLabel, "countLabel")
        self.table: QTableView = w(QTableView, "tableView")
        self.buttons = {
            n: w(QPushButton, f"{n}Button")
            for n in ("new", "edit", "step", "history", "delete", "export", "import")
        }
        self.item_dialog = None  # the open item form, if any
        self.job: workers.Job | None = None  # the last background job
        self.last_message = ""
        self._disposed = False

        self.model = RegistryModel(db, self, today=today)
        self._setup_table()
        self._fill_filters()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.year_combo, self.category_combo, self.stage_combo, self.due_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        b = self.buttons
        b["new"].clicked.connect(self.new_item)
        b["edit"].clicked.connect(self.edit_selected)
        b["step"].clicked.connect(self.open_steps)
        b["history"].clicked.connect(self.open_history)
        b["delete"].clicked.connect(self.delete_selected)
        b["export"].clicked.connect(lambda: self.export_ledger())
        b["import"].clicked.connect(lambda: self.import_ledger())
        signals.changes().changed.connect(self._on_changed)
        self._update_count()
        self._update_buttons()

    def dispose(self) -> None:
        """Stop listening before the database behind this tab is closed."""
        if self._disposed:
            return
        self._disposed = True
        signals.changes().changed.disconnect(self._on_changed)
        if self.item_dialog is not None:
            self.item_dialog.close()

    def _w(self, cls, name):
        return form_child(self.ui, cls, name, "registry_tab")

    # -- setup -------------------------------------------------------------------------

    def _setup_table(self) -> None:
        setup_list_table(
            self.table, self.model, sort_column=COL["formed_date"],
            samples={COL[k]: v for k, v in _SAMPLES.items()},
            stretch_column=COL["title"], stretch_sample="关于调整2026年厦门市最低工资标准的",
            on_header=self._header_clicked, on_open=self.edit_selected,
            on_delete=self.delete_selected, on_selection=self._update_buttons)

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
        refill_combo(self.category_combo, "全部分类",
                     ((c.name, c.code) for c in catalog.categories(self.db)))

    # -- filtering, sorting, refreshing -------------------------------------------

    def current_filter(self) -> RegistryFilter:
        return RegistryFilter(
            text=self.search.text().strip(),
            year=self.year_combo.currentData(),
            category=self.category_combo.currentData(),
            stage=self.stage_combo.currentData(),
            due=self.due_combo.currentData(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _header_clicked(self, column: int) -> None:
        h = self.table.horizontalHeader()
        order_key, desc = self.model.sort_key
        current = next(i for i, c in enumerate(COLUMNS) if c.sort == order_key)
        if not self.model.column_sortable(column):
            h.setSortIndicator(current, _qt_order(desc))
            self.message.emit("这一列是计算出来的，不能排序；请按“公开期限”排序。")
            return
        new_desc = (not desc) if column == current else False
        h.setSortIndicator(column, _qt_order(new_desc))
        self.model.sort(column, _qt_order(new_desc))

    def _on_changed(self, kind: str) -> None:
        if kind in (signals.ITEMS, signals.CALENDAR, signals.CATALOG):
            if kind == signals.CATALOG:
                self._refill_categories()
            if kind == signals.ITEMS:
                self._refill_years()
            self.model.set_filter(self.current_filter())
            self.model.refresh()
            self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.rowCount():,} 条")

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        for n in ("edit", "step", "history", "delete"):
            self.buttons[n].setEnabled(has)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_id(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

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

        if self.item_dialog is not None and self.item_dialog.isVisible():
            self.item_dialog.raise_()
            self.item_dialog.activateWindow()
            return
        dlg = ItemDialog(self.db, item_id, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.saved.connect(lambda _id, title: self._say(f"已保存：{title}"))
        dlg.finished.connect(lambda _r, d=dlg: self._form_closed(d))
        self.item_dialog = dlg
        dlg.open()

    def _form_closed(self, dlg) -> None:
        if self.item_dialog is dlg:
            self.item_dialog = None

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
        answer = QMessageBox.question(
            self,
            "删除事项",
            f"确定删除“{item['title']}”（索引号 {item['index_no']}）吗？\n\n"
            "删除后不能恢复；修改记录中仍保留删除前的内容。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            items.delete(self.db, item_id)
        except UserError as e:
            QMessageBox.warning(self, "无法删除", str(e))
            return
        signals.notify(signals.ITEMS)
        self._say(f"已删除：{item['title']}")

    def _missing(self, what: str) -> None:
        QMessageBox.information(self, "功能尚未安装", f"“{what}”功能尚未安装，请升级本软件。")

    # -- export / import (off the GUI thread, ui/ledger_jobs.py) ----------------------

    def export_ledger(self, year: int | None = None, out_path: str | Path | None = None):
        """导出登记台账 for *year* to *out_path* (asks for whichever is missing)."""
        self.job = (
            ledger_jobs.export_registry(
                self,
                self.db,
                year=year,
                out_path=out_path,
                preferred_year=self.year_combo.currentData(),
                say=self._say,
                disable=[self.buttons["export"], self.buttons["import"]],
            )
            or self.job
        )
        return self.job

    def import_ledger(self, in_path: str | Path | None = None):
        """导入登记台账 from an Excel file (asks for it if not given). All rows or none."""
        self.job = (
            ledger_jobs.import_registry(
                self,
                self.db,
                in_path=in_path,
                say=self._say,
                disable=[self.buttons["export"], self.buttons["import"]],
            )
            or self.job
        )
        return self.job


def _qt_order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
