"""依申请公开 tab: the applications list with filters and search, and its actions."""

from __future__ import annotations

from datetime import date
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

from ..core import application_catalog, application_query, applications
from ..core.application_query import ApplicationFilter
from ..core.errors import UserError
from . import application_jobs, signals, workers
from .applications_model import COL, COLUMNS, ApplicationsModel
from .due_indicator import DueIndicator
from .forms import form_child, host, load_form
from .list_table import refill_years, setup_list_table

SEARCH_DEBOUNCE_MS = 250
NEW_SHORTCUT = "Ctrl+Shift+N"
_SAMPLES = {
    "app_no": "2026-0123",
    "applicant_name": "厦门大学公共政策研究院",
    "applicant_type": "社会公益组织",
    "received_date": "2026-12-25",
    "state": "征求意见中（暂停计时）",
    "due": "2026-12-25（推算）",
    "days_left": "剩余工作日",
}
DUE_CHOICES = (("全部", None), ("已逾期", "overdue"), ("即将到期", "soon"))


class ApplicationsTab(QWidget):
    """The 依申请公开 screen. ``message`` carries status-bar text for the main window."""

    message = Signal(str)

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.fixed_today = db, today
        self.ui = load_form("applications_tab", self)
        host(self.ui, self)
        w = self._w
        self.search: QLineEdit = w(QLineEdit, "searchEdit")
        self.year_combo: QComboBox = w(QComboBox, "yearCombo")
        self.state_combo: QComboBox = w(QComboBox, "stateCombo")
        self.due_combo: QComboBox = w(QComboBox, "dueCombo")
        self.result_combo: QComboBox = w(QComboBox, "resultCombo")
        self.count_label: QLabel = w(QLabel, "countLabel")
        self.table: QTableView = w(QTableView, "tableView")
        self.buttons = {
            n: w(QPushButton, f"{n}Button")
            for n in ("new", "handle", "letters", "delete", "export", "import")
        }
        self.wizard = None  # the open ApplicationWizard, if any
        self.dialog = None  # the open handling dialog, if any
        self.letters_dialog = None
        self.job: workers.Job | None = None
        self.last_message = ""
        self._disposed = False
        self.indicator = DueIndicator(db, today=today)

        self.model = ApplicationsModel(db, self, today=today)
        self._setup_table()
        self._fill_filters()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.year_combo, self.state_combo, self.due_combo, self.result_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        b = self.buttons
        b["new"].clicked.connect(self.new_application)
        b["handle"].clicked.connect(self.handle_selected)
        b["letters"].clicked.connect(self.open_letters)
        b["delete"].clicked.connect(self.delete_selected)
        b["export"].clicked.connect(lambda: self.export_ledger())
        b["import"].clicked.connect(lambda: self.import_ledger())
        self.indicator.linkActivated.connect(self.show_due)
        signals.changes().changed.connect(self._on_changed)
        self._update_count()
        self._update_buttons()

    def dispose(self) -> None:
        """Stop listening before the database behind this tab is closed."""
        if self._disposed:
            return
        self._disposed = True
        signals.changes().changed.disconnect(self._on_changed)
        self.indicator.dispose()
        for d in (self.dialog, self.letters_dialog):
            if d is not None:
                d.close()
        if self.wizard is not None:
            self.wizard.wizard.close()

    def _w(self, cls, name):
        return form_child(self.ui, cls, name, "applications_tab")

    # -- setup -------------------------------------------------------------------------

    def _setup_table(self) -> None:
        setup_list_table(
            self.table, self.model, sort_column=COL["received_date"],
            samples={COL[k]: v for k, v in _SAMPLES.items()},
            stretch_column=COL["result"], stretch_sample="不予公开/属于国家秘密",
            on_header=self._header_clicked, on_open=self.handle_selected,
            on_delete=self.delete_selected, on_selection=self._update_buttons)

    def _fill_filters(self) -> None:
        self._refill_years()
        self.state_combo.addItem("全部状态", None)
        for s in applications.STATES:
            self.state_combo.addItem(s, s)
        for label, value in DUE_CHOICES:
            self.due_combo.addItem(label, value)
        self.result_combo.addItem("全部结果", None)
        for r in application_catalog.load().results:
            self.result_combo.addItem(r, r)

    def _refill_years(self) -> None:
        refill_years(self.year_combo, application_query.years(self.db))

    # -- filtering, sorting, refreshing -------------------------------------------

    def current_filter(self) -> ApplicationFilter:
        return ApplicationFilter(
            text=self.search.text().strip(),
            year=self.year_combo.currentData(),
            state=self.state_combo.currentData(),
            due=self.due_combo.currentData(),
            result=self.result_combo.currentData(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def show_due(self, which: str) -> None:
        """Show only overdue (“overdue”) or due-soon (“soon”) applications (the main
        window brings this tab to the front)."""
        self.year_combo.setCurrentIndex(0)
        self.state_combo.setCurrentIndex(0)
        self.result_combo.setCurrentIndex(0)
        self.search.clear()
        self.due_combo.setCurrentIndex(max(self.due_combo.findData(which), 0))
        self.apply_filter()

    def _header_clicked(self, column: int) -> None:
        h = self.table.horizontalHeader()
        order_key, desc = self.model.sort_key
        current = next(i for i, c in enumerate(COLUMNS) if c.sort == order_key)
        if not self.model.column_sortable(column):
            h.setSortIndicator(current, _qt_order(desc))
            self.message.emit("这一列不能排序；剩余工作日请按“答复期限”排序。")
            return
        new_desc = (not desc) if column == current else False
        h.setSortIndicator(column, _qt_order(new_desc))
        self.model.sort(column, _qt_order(new_desc))

    def _on_changed(self, kind: str) -> None:
        if kind in (signals.APPLICATIONS, signals.CALENDAR):
            keep = self.selected_id()
            self._refill_years()
            self.model.set_filter(self.current_filter())
            self.model.refresh()
            self._update_count()
            if keep is not None:
                row = self.model.row_of(keep)
                if row is not None:
                    self.select_row(row)

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.rowCount():,} 件")

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        for n in ("handle", "letters", "delete"):
            self.buttons[n].setEnabled(has)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.app_id(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    # -- actions ---------------------------------------------------------------------

    def new_application(self) -> None:
        from .application_wizard import ApplicationWizard

        if self.wizard is not None and self.wizard.wizard.isVisible():
            self.wizard.wizard.raise_()
            self.wizard.wizard.activateWindow()
            return
        wiz = ApplicationWizard(self, self.db, today=self.fixed_today)
        wiz.on_handle = self.open_dialog
        wiz.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wiz.wizard.finished.connect(lambda _r, w=wiz: self._wizard_closed(w))
        self.wizard = wiz
        wiz.wizard.open()

    def _wizard_closed(self, wiz) -> None:
        if wiz.app_id is not None:
            app = applications.get(self.db, wiz.app_id)
            if app is not None:
                self._say(f"已登记申请 {app['app_no']}（{app['applicant_name']}）")
        if self.wizard is wiz:
            self.wizard = None

    def handle_selected(self) -> None:
        app_id = self.selected_id()
        if app_id is not None:
            self.open_dialog(app_id)

    def open_dialog(self, app_id: int) -> None:
        from .application_dialog import ApplicationDialog

        if self.dialog is not None and self.dialog.isVisible():
            if self.dialog.app_id == app_id:
                self.dialog.raise_()
                self.dialog.activateWindow()
                return
            self.dialog.close()
        try:
            dlg = ApplicationDialog(self.db, app_id, self, today=self.fixed_today)
        except UserError as e:
            QMessageBox.warning(self, "无法打开", str(e))
            return
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r, d=dlg: self._closed("dialog", d))
        self.dialog = dlg
        dlg.open()

    def open_letters(self) -> None:
        from .letters_dialog import LettersDialog

        app_id = self.selected_id()
        if app_id is None:
            return
        if self.letters_dialog is not None and self.letters_dialog.isVisible():
            self.letters_dialog.close()
        dlg = LettersDialog(self.db, app_id, self, today=self.fixed_today)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r, d=dlg: self._closed("letters_dialog", d))
        self.letters_dialog = dlg
        dlg.open()

    def _closed(self, attr: str, dlg) -> None:
        if getattr(self, attr) is dlg:
            setattr(self, attr, None)

    def delete_selected(self) -> None:
        app_id = self.selected_id()
        app = applications.get(self.db, app_id) if app_id is not None else None
        if app is None:
            return
        answer = QMessageBox.question(
            self,
            "删除申请",
            f"确定删除申请 {app['app_no']}（{app['applicant_name']}）吗？\n\n"
            "它的办理记录、征求意见、文书和复议诉讼记录会一并删除，不能恢复；"
            "修改记录中仍保留删除前的内容。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            applications.delete(self.db, app_id)
        except UserError as e:
            QMessageBox.warning(self, "无法删除", str(e))
            return
        signals.notify(signals.APPLICATIONS)
        self._say(f"已删除申请 {app['app_no']}")

    # -- export / import (off the GUI thread, ui/application_jobs.py) ------------------

    def export_ledger(self, year: int | None = None, out_path: str | Path | None = None):
        self.job = (
            application_jobs.export_applications(
                self,
                self.db,
                year=year,
                out_path=out_path,
                today=self.fixed_today,
                preferred_year=self.year_combo.currentData(),
                say=self._say,
                disable=[self.buttons["export"], self.buttons["import"]],
            )
            or self.job
        )
        return self.job

    def import_ledger(self, in_path: str | Path | None = None, on_report=None):
        self.job = (
            application_jobs.import_applications(
                self,
                self.db,
                in_path=in_path,
                today=self.fixed_today,
                say=self._say,
                disable=[self.buttons["export"], self.buttons["import"]],
                on_report=on_report,
            )
            or self.job
        )
        return self.job


def _qt_order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
