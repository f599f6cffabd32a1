"""会议: the year's meetings (专题会议 / 局务会 / 全体人员大会) with 登记 / 修改 / 删除 and
the "领导小组专题会议 N/2" counter against the two a year (实施方案三（一）2)."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import meetings, organisation
from ..core.errors import UserError
from . import signals
from .form_tab import FormTab
from .org_dialogs import MeetingDialog

YEARS_BACK = 5  # years offered besides those with meetings
KEYS = ("on_date", "kind", "body", "subject", "attendees", "decisions")
# Status state → (text colour, background) of the counter
STATE_STYLE = {
    meetings.OK: ("#ffffff", "#2e6b2e"),
    meetings.WARN: ("#5a3600", "#ffd08a"),
    meetings.FAIL: ("#ffffff", "#c62828"),
}
IN_PROGRESS_STYLE = ("#3a3f45", "#e3e6ea")
MESSAGE_COLOUR = {meetings.OK: "#4d5660", meetings.WARN: "#a15c00", meetings.FAIL: "#c62828"}


class MeetingsSection(FormTab):
    """``message`` carries status-bar text; ``status`` is the shown year's Status."""

    FORM = "meetings_section"
    export_requested = Signal(int)  # year

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(db, parent, today=today)
        f = self.ui.findChild
        self.year_combo: QComboBox = f(QComboBox, "yearCombo")
        self.counter: QLabel = f(QLabel, "counterLabel")
        self.status_label: QLabel = f(QLabel, "statusLabel")
        self.table: QTableWidget = f(QTableWidget, "meetingsTable")
        self.buttons = {
            n: f(QPushButton, f"{n}Button") for n in ("add", "edit", "delete", "export")
        }
        self.rows: list[dict] = []
        self.dialog: MeetingDialog | None = None
        self.status: meetings.Status | None = None
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        for y in range(self.today.year, self.today.year - YEARS_BACK, -1):
            self.year_combo.addItem(f"{y}年", y)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        b = self.buttons
        b["add"].clicked.connect(lambda: self.open_dialog())
        b["edit"].clicked.connect(self.edit_selected)
        b["delete"].clicked.connect(self.delete_selected)
        b["export"].clicked.connect(lambda: self.export_requested.emit(self.year))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.reload()

    @property
    def year(self) -> int:
        return self.year_combo.currentData() or self.today.year

    def set_year(self, year: int) -> None:
        i = self.year_combo.findData(year)
        if i < 0:
            self.year_combo.addItem(f"{year}年", year)
            i = self.year_combo.count() - 1
        self.year_combo.setCurrentIndex(i)

    def dispose(self) -> None:
        if self.dialog is not None:
            self.dialog.close()

    # -- drawing -----------------------------------------------------------------------

    def reload(self) -> None:
        year = self.year
        self.rows = meetings.list_year(self.db, year)
        keep = self.selected()
        self.table.setRowCount(len(self.rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, row in enumerate(self.rows):
            for c, key in enumerate(KEYS):
                value = row[key]
                if key == "body":  # no body: a meeting of the whole bureau
                    value = organisation.BODY_NAMES.get(value, value) or "全局"
                it = QTableWidgetItem(str(value or "").replace("\n", " "))
                it.setData(Qt.ItemDataRole.UserRole, row["id"])
                if key in ("subject", "attendees", "decisions") and value:
                    it.setToolTip(str(value))
                if row["counted"] and key == "kind":
                    it.setFont(bold)
                    it.setForeground(QBrush(QColor("#1b5e20")))
                    it.setToolTip("领导小组专题会议，计入每年不少于2次的要求")
                self.table.setItem(r, c, it)
            if keep is not None and keep["id"] == row["id"]:
                self.table.selectRow(r)
        h = self.table.horizontalHeader()
        for c, key in enumerate(KEYS):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if key in ("subject", "decisions")
                else QHeaderView.ResizeMode.ResizeToContents
            )
            h.setSectionResizeMode(c, mode)
        self._show_status(year)
        self._update_buttons()

    def _show_status(self, year: int) -> None:
        s = meetings.special_meeting_status(self.db, year, self.today)
        self.status = s
        fg, bg = STATE_STYLE[s.state]
        if s.state == meetings.OK and s.count < s.target:
            fg, bg = IN_PROGRESS_STYLE  # 进行中 / 未开始: grey, not green
        self.counter.setText(f"领导小组专题会议 {s.count}/{s.target}（{s.label}）")
        self.counter.setStyleSheet(
            f"font-weight: bold; padding: 2px 8px; border-radius: 3px; color: {fg};"
            f" background: {bg};"
        )
        self.counter.setToolTip(meetings.RULE)
        self.status_label.setText(s.message)
        self.status_label.setStyleSheet(f"color: {MESSAGE_COLOUR[s.state]};")

    def selected(self) -> dict | None:
        items = self.table.selectedItems()
        if not items:
            return None
        mid = items[0].data(Qt.ItemDataRole.UserRole)
        return next((r for r in self.rows if r["id"] == mid), None)

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.buttons["edit"].setEnabled(has)
        self.buttons["delete"].setEnabled(has)

    # -- actions -----------------------------------------------------------------------

    def open_dialog(self, meeting: dict | None = None) -> MeetingDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.close()
        dlg = MeetingDialog(self.db, self, meeting=meeting, today=self.fixed_today)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r, d=dlg: self._closed(d))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _closed(self, dlg: MeetingDialog) -> None:
        if dlg.record_id is not None:
            saved = meetings.get(self.db, dlg.record_id) if dlg.record_id else None
            if saved is not None and int(saved["on_date"][:4]) != self.year:
                self.set_year(int(saved["on_date"][:4]))  # show the year it went into
            self.message.emit(f"已{dlg.windowTitle()}。")
        if self.dialog is dlg:
            self.dialog = None

    def edit_selected(self) -> MeetingDialog | None:
        row = self.selected()
        return self.open_dialog(row) if row is not None else None

    def delete_selected(self, confirm: bool = True) -> bool:
        row = self.selected()
        if row is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self, "删除会议", f"确定删除 {row['on_date']} 的“{row['subject']}”吗？"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            meetings.delete(self.db, row["id"])
        except UserError as e:
            QMessageBox.warning(self, "无法删除", str(e))
            return False
        signals.notify(signals.ORGANISATION)
        self.message.emit(f"已删除 {row['on_date']} 的会议。")
        return True

    def on_changed(self, kind: str) -> None:
        if kind == signals.ORGANISATION:
            self.reload()
