"""整改事项 (rectifications): the list of open and overdue ones, with 标记完成, and the rows
editor the complaint 整改 step and the inspection forms use to list new ones.

States and overdue flags come from core/rectifications.py (整改中 / 已逾期 / 已完成 /
逾期完成); completing one records its date and evidence through ``rectifications.complete``.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import profile, rectifications
from ..core.complaint_rules import DUE_SOON_DAYS  # amber within 5 days, as complaints
from ..core.errors import UserError
from . import signals
from .forms import host, load_form  # noqa: F401  (host re-exported for older callers)

DEFAULT_DUE_DAYS = 30  # product choice: a new rectification is due in 30 days unless changed
SHOW_OPEN, SHOW_YEAR = "open", "year"
RED, AMBER, GREEN = QColor("#c62828"), QColor("#a15c00"), QColor("#1b5e20")
RED_BG = QColor("#fdecea")
_STATE_COLOUR = {
    rectifications.OVERDUE: RED,
    rectifications.LATE_DONE: RED,
    rectifications.DONE: GREEN,
}
COLUMNS = (
    "source",
    "problem",
    "responsible",
    "measure",
    "due_date",
    "state",
    "done_date",
    "evidence",
)


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class RectificationRows(QWidget):
    """Editable rows 问题 / 责任人 / 整改措施 / 整改期限 for rectifications to create."""

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        self.form = load_form("rectification_rows", self)
        host(self.form, self)
        f = self.form.findChild
        self.table: QTableWidget = f(QTableWidget, "rowsTable")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(1, 110)
        self.table.setColumnWidth(3, h.fontMetrics().horizontalAdvance("2026-12-31") + 48)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        self.add_button: QPushButton = f(QPushButton, "addRowButton")
        self.remove_button: QPushButton = f(QPushButton, "removeRowButton")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)

    def add_row(
        self, problem: str = "", responsible: str = "", measure: str = "", due: date | None = None
    ) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, text in enumerate((problem, responsible, measure)):
            self.table.setItem(r, c, QTableWidgetItem(text))
        edit = QDateEdit(qdate(due or self.today + timedelta(days=DEFAULT_DUE_DAYS)))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setFrame(False)
        self.table.setCellWidget(r, 3, edit)
        self.table.setCurrentCell(r, 0)
        return r

    def remove_selected(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)

    def clear(self) -> None:
        self.table.setRowCount(0)

    def set_text(self, row: int, column: int, text: str) -> None:
        self.table.item(row, column).setText(text)

    def rows(self) -> list[dict]:
        """Rows with anything typed, as rectification dicts (core validates them)."""
        out = []
        for r in range(self.table.rowCount()):
            texts = [(self.table.item(r, c).text().strip() if self.table.item(r, c) else "")
                     for c in range(3)]  # fmt: skip
            if not any(texts):
                continue
            edit: QDateEdit = self.table.cellWidget(r, 3)
            out.append(
                {
                    "problem": texts[0],
                    "responsible": texts[1],
                    "measure": texts[2],
                    "due_date": pydate(edit.date()).isoformat(),
                }
            )
        return out


class RectificationsView(QWidget):
    """Open and overdue rectifications in one list (or all of a year), with 标记完成."""

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.fixed_today = db, today
        self.year: int = (today or date.today()).year
        self.form = load_form("rectifications_view", self)
        host(self.form, self)
        f = self.form.findChild
        self.show_combo: QComboBox = f(QComboBox, "showCombo")
        self.show_combo.addItem("未完成（含已逾期）", SHOW_OPEN)
        self.show_combo.addItem("本年度全部", SHOW_YEAR)
        self.count_label: QLabel = f(QLabel, "countLabel")
        self.table: QTableWidget = f(QTableWidget, "rectTable")
        self.done_date: QDateEdit = f(QDateEdit, "doneDate")
        self.evidence: QLineEdit = f(QLineEdit, "evidenceEdit")
        self.complete_button: QPushButton = f(QPushButton, "completeButton")
        self.error: QLabel = f(QLabel, "errorLabel")
        t = self.table
        t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 10)
        h = t.horizontalHeader()
        h.setStretchLastSection(False)
        for c, key in enumerate(COLUMNS):  # problem, measure, evidence share the width
            stretch = key in ("problem", "measure", "evidence")
            h.setSectionResizeMode(
                c,
                QHeaderView.ResizeMode.Stretch
                if stretch
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        t.itemSelectionChanged.connect(self._update_buttons)
        self.show_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.complete_button.clicked.connect(self.complete_selected)
        self.evidence.returnPressed.connect(self.complete_selected)
        self.rows: list[dict] = []
        signals.changes().changed.connect(self._on_changed)
        self._listening = True
        self.reload()

    def dispose(self) -> None:
        if self._listening:
            self._listening = False
            signals.changes().changed.disconnect(self._on_changed)

    def _on_changed(self, kind: str) -> None:
        # complaints' 整改 step and inspections add rectifications
        if kind in (signals.SUPERVISION, signals.COMPLAINTS):
            self.reload()

    @property
    def today(self) -> date:
        return self.fixed_today or date.today()

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            if self.show_combo.currentData() == SHOW_YEAR:
                self.reload()

    def reload(self) -> None:
        keep = self.selected_id()
        today = self.today
        self.done_date.setMaximumDate(qdate(today))
        self.done_date.setDate(qdate(today))
        if self.show_combo.currentData() == SHOW_YEAR:
            self.rows = rectifications.list_year(self.db, self.year, today)
            self.show_combo.setItemText(1, f"{self.year}年全部")
        else:
            self.rows = rectifications.list_open(self.db, today)
        t = self.table
        t.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, key in enumerate(COLUMNS):
                text = "" if row.get(key) is None else str(row[key])
                if key == "due_date" and row.get("days_left") is not None:
                    n = row["days_left"]
                    text += f"（逾期 {-n} 天）" if n < 0 else ("（今天到期）" if n == 0 else "")
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, row["id"])
                if key in ("problem", "measure", "evidence"):
                    cell.setToolTip(text)
                self._colour(cell, row, key)
                t.setItem(r, c, cell)
        overdue = sum(1 for row in self.rows if row.get("overdue"))
        what = "未完成" if self.show_combo.currentData() == SHOW_OPEN else f"{self.year}年"
        self.count_label.setText(
            f"{what} {len(self.rows)} 条" + (f"，其中已逾期 {overdue} 条" if overdue else "")
        )
        self.count_label.setStyleSheet("color: #c62828; font-weight: bold;" if overdue else "")
        if keep is not None:
            self.select(keep)
        self._update_buttons()

    def _colour(self, cell: QTableWidgetItem, row: dict, key: str) -> None:
        if row.get("overdue"):
            cell.setForeground(QBrush(RED))
            cell.setBackground(QBrush(RED_BG))
        elif row.get("days_left") is not None and row["days_left"] <= DUE_SOON_DAYS:
            if key in ("due_date", "state"):
                cell.setForeground(QBrush(AMBER))
        elif key == "state" and row["state"] in _STATE_COLOUR:
            cell.setForeground(QBrush(_STATE_COLOUR[row["state"]]))

    def selected_id(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def select(self, rect_id: int) -> bool:
        for r, row in enumerate(self.rows):
            if row["id"] == rect_id:
                self.table.selectRow(r)
                return True
        return False

    def _selected_row(self) -> dict | None:
        rid = self.selected_id()
        return next((r for r in self.rows if r["id"] == rid), None)

    def _update_buttons(self) -> None:
        row = self._selected_row()
        can = row is not None and not row["done_date"]
        self.complete_button.setEnabled(can)
        self.done_date.setEnabled(can)
        self.evidence.setEnabled(can)

    def complete_selected(self) -> bool:
        """标记完成: the selected rectification's completion date and evidence."""
        row = self._selected_row()
        if row is None or row["done_date"]:
            return False
        p = profile.load(self.db)
        try:
            rectifications.complete(
                self.db,
                row["id"],
                pydate(self.done_date.date()),
                self.evidence.text().strip(),
                p.operator if p else None,
                today=self.today,
            )
        except UserError as e:
            self.error.setText(str(e))
            return False
        self.error.setText("")
        self.evidence.clear()
        signals.notify(signals.SUPERVISION)  # this list and the ledgers' counts reload
        return True
