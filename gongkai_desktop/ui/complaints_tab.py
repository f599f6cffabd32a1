"""投诉与意见 tab: the list of complaints, reports, consultations and opinions with
filters and search, and its actions (登记, 办理, 转主要负责人, 导出台账, 删除)."""

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

from ..core import complaint_query, complaints
from ..core import complaint_rules as rules
from ..core.complaint_query import ComplaintFilter
from ..core.errors import UserError
from . import signals, supervision_jobs, workers
from .complaints_model import COL, COLUMNS, ComplaintsModel
from .forms import form_child, host, load_form
from .list_table import refill_years, setup_list_table
from .supervision_indicator import ComplaintsDueIndicator

SEARCH_DEBOUNCE_MS = 250
_SAMPLES = {
    "no": "2026-123",
    "kind": "意见建议",
    "source": "网站留言",
    "person": "厦门市民王先生",
    "received_date": "2026-12-25",
    "state": "已办结（逾期答复）",
    "due": "2026-12-25（推算）",
    "days_left": "剩余天数",
    "reply_date": "2026-12-25",
}
DUE_CHOICES = (("全部", None), ("已逾期", "overdue"), ("即将到期", "soon"), ("逾期答复", "late"))


class ComplaintsTab(QWidget):
    """The 投诉与意见 screen. ``message`` carries status-bar text for the main window."""

    message = Signal(str)

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.fixed_today = db, today
        self.ui = load_form("complaints_tab", self)
        host(self.ui, self)
        w = self._w
        self.search: QLineEdit = w(QLineEdit, "searchEdit")
        self.kind_combo: QComboBox = w(QComboBox, "kindCombo")
        self.year_combo: QComboBox = w(QComboBox, "yearCombo")
        self.state_combo: QComboBox = w(QComboBox, "stateCombo")
        self.due_combo: QComboBox = w(QComboBox, "dueCombo")
        self.count_label: QLabel = w(QLabel, "countLabel")
        self.table: QTableView = w(QTableView, "tableView")
        self.buttons = {
            n: w(QPushButton, f"{n}Button")
            for n in ("new", "handle", "forward", "delete", "export")
        }
        self.new_dialog = None  # the open 登记 form, if any
        self.dialog = None  # the open 办理 dialog, if any
        self.job: workers.Job | None = None
        self.last_message = ""
        self._disposed = False
        self.indicator = ComplaintsDueIndicator(db, today=today)

        self.model = ComplaintsModel(db, self, today=today)
        self._setup_table()
        self._fill_filters()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.kind_combo, self.year_combo, self.state_combo, self.due_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        b = self.buttons
        b["new"].clicked.connect(self.new_complaint)
        b["handle"].clicked.connect(self.handle_selected)
        b["forward"].clicked.connect(self.forward_selected)
        b["delete"].clicked.connect(self.delete_selected)
        b["export"].clicked.connect(lambda: self.export_ledger())
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
        for d in (self.dialog, self.new_dialog):
            if d is not None:
                d.close()

    def _w(self, cls, name):
        return form_child(self.ui, cls, name, "complaints_tab")

    # -- setup -------------------------------------------------------------------------

    def _setup_table(self) -> None:
        setup_list_table(
            self.table, self.model, sort_column=COL["received_date"],
            samples={COL[k]: v for k, v in _SAMPLES.items()},
            stretch_column=COL["principal"], stretch_sample="逾期答复（2026-12-25）",
            on_header=self._header_clicked, on_open=self.handle_selected,
            on_delete=self.delete_selected, on_selection=self._update_buttons)

    def _fill_filters(self) -> None:
        self.kind_combo.addItem("全部类别", None)
        for k in rules.KINDS:
            self.kind_combo.addItem(k, k)
        self._refill_years()
        self.state_combo.addItem("全部状态", None)
        for s in rules.STATES:
            self.state_combo.addItem(s, s)
        for label, value in DUE_CHOICES:
            self.due_combo.addItem(label, value)
        self.due_combo.setToolTip(
            "已逾期、即将到期（剩余不超过5日）包括答复期限和转主要负责人后的答复期限；"
            "逾期答复：已答复但晚于期限"
        )

    def _refill_years(self) -> None:
        refill_years(self.year_combo, complaint_query.years(self.db))

    # -- filtering, sorting, refreshing -------------------------------------------

    def current_filter(self) -> ComplaintFilter:
        return ComplaintFilter(
            text=self.search.text().strip(),
            year=self.year_combo.currentData(),
            kind=self.kind_combo.currentData(),
            state=self.state_combo.currentData(),
            due=self.due_combo.currentData(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def show_due(self, which: str) -> None:
        """Show only overdue (“overdue”) or due-soon (“soon”) records (the main window
        brings this tab to the front)."""
        for combo in (self.kind_combo, self.year_combo, self.state_combo):
            combo.setCurrentIndex(0)
        self.search.clear()
        self.due_combo.setCurrentIndex(max(self.due_combo.findData(which), 0))
        self.apply_filter()

    def _header_clicked(self, column: int) -> None:
        h = self.table.horizontalHeader()
        order_key, desc = self.model.sort_key
        current = next(i for i, c in enumerate(COLUMNS) if c.sort == order_key)
        if not self.model.column_sortable(column):
            h.setSortIndicator(current, _qt_order(desc))
            self.message.emit("这一列不能排序；剩余天数请按“答复期限”排序。")
            return
        new_desc = (not desc) if column == current else False
        h.setSortIndicator(column, _qt_order(new_desc))
        self.model.sort(column, _qt_order(new_desc))

    def _on_changed(self, kind: str) -> None:
        if kind in (signals.COMPLAINTS, signals.CALENDAR):
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
        r = self.selected_row()
        for n in ("handle", "delete"):
            self.buttons[n].setEnabled(r is not None)
        self.buttons["forward"].setEnabled(r is not None and r["kind"] == "意见建议")

    def selected_row(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def selected_id(self) -> int | None:
        r = self.selected_row()
        return r["id"] if r else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def select_id(self, complaint_id: int) -> bool:
        row = self.model.row_of(complaint_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    # -- actions ---------------------------------------------------------------------

    def new_complaint(self) -> None:
        from .complaint_intake import ComplaintNewDialog

        if self.new_dialog is not None and self.new_dialog.isVisible():
            self.new_dialog.raise_()
            self.new_dialog.activateWindow()
            return
        dlg = ComplaintNewDialog(self.db, self, today=self.fixed_today)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r, d=dlg: self._new_closed(d))
        self.new_dialog = dlg
        dlg.open()

    def _new_closed(self, dlg) -> None:
        if dlg.complaint_id is not None:
            row = complaints.get(self.db, dlg.complaint_id)
            if row is not None:
                self._say(f"已登记{row['kind']} {row['no']}，答复期限 {row['reply_due']}")
                self.select_id(row["id"])
        if self.new_dialog is dlg:
            self.new_dialog = None

    def handle_selected(self) -> None:
        cid = self.selected_id()
        if cid is not None:
            self.open_dialog(cid)

    def forward_selected(self) -> None:
        r = self.selected_row()
        if r is not None and r["kind"] == "意见建议":
            self.open_dialog(r["id"], tab="主要负责人")

    def open_dialog(self, complaint_id: int, tab: str | None = None) -> None:
        from .complaint_dialog import ComplaintDialog

        if self.dialog is not None and self.dialog.isVisible():
            if self.dialog.complaint_id == complaint_id:
                if tab:
                    self.dialog.show_tab(tab)
                self.dialog.raise_()
                self.dialog.activateWindow()
                return
            self.dialog.close()
        try:
            dlg = ComplaintDialog(self.db, complaint_id, self, today=self.fixed_today)
        except UserError as e:
            QMessageBox.warning(self, "无法打开", str(e))
            return
        if tab:
            dlg.show_tab(tab)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r, d=dlg: self._closed(d))
        self.dialog = dlg
        dlg.open()

    def _closed(self, dlg) -> None:
        if self.dialog is dlg:
            self.dialog = None

    def delete_selected(self) -> None:
        cid = self.selected_id()
        row = complaints.get(self.db, cid) if cid is not None else None
        if row is None:
            return
        person = "匿名" if row["anonymous"] else row["person"]
        answer = QMessageBox.question(
            self,
            "删除记录",
            f"确定删除{row['kind']} {row['no']}（{person}）吗？\n\n"
            "它的办理记录和由它产生的整改事项会一并删除，不能恢复；"
            "修改记录中仍保留删除前的内容。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            complaints.delete(self.db, cid)
        except UserError as e:
            QMessageBox.warning(self, "无法删除", str(e))
            return
        signals.notify(signals.COMPLAINTS)
        signals.notify(signals.SUPERVISION)  # its rectifications are gone too
        self._say(f"已删除{row['kind']} {row['no']}")

    def export_ledger(self, year: int | None = None, out_path: str | Path | None = None):
        self.job = (
            supervision_jobs.export_ledger(
                self,
                self.db,
                "complaints",
                year=year,
                out_path=out_path,
                today=self.fixed_today,
                preferred_year=self.year_combo.currentData(),
                say=self._say,
                disable=[self.buttons["export"]],
            )
            or self.job
        )
        return self.job


def _qt_order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
