"""机构成员: the three bodies (领导小组, 工作机构, 监督小组) with who was on each on a
chosen day (查看某日成员) or their whole history, the organisation checks as green/red
lines (考核表第1、2项; 实施方案三（一）4), and 添加 / 修改 / 变更 / 终止任职."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import organisation
from . import signals
from .form_tab import FormTab
from .org_dialogs import MemberDialog, MemberEndDialog
from .rectifications_view import pydate, qdate

GREEN, RED, GREY = QColor("#1b5e20"), QColor("#c62828"), QColor("#8a9199")
TABLES = {"领导小组": "leadingTable", "工作机构": "workingTable", "监督小组": "supervisoryTable"}
BOXES = {"领导小组": "leadingBox", "工作机构": "workingBox", "监督小组": "supervisoryBox"}
KEYS = ("name", "post", "role", "is_principal", "phone", "email", "start_date", "end_date")


def check_item(check) -> QListWidgetItem:
    """One organisation check as a ✔ (green) or ✘ (red) line."""
    it = QListWidgetItem(f"{'✔' if check.ok else '✘'} {check.name}：{check.message}")
    it.setForeground(QBrush(GREEN if check.ok else RED))
    it.setToolTip(check.message)
    return it


class MembersSection(FormTab):
    """``message`` carries status-bar text; ``dialog`` is the open form, if any."""

    FORM = "members_section"

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(db, parent, today=today)
        f = self.ui.findChild
        self.day: QDateEdit = f(QDateEdit, "dayEdit")
        self.history_check: QCheckBox = f(QCheckBox, "historyCheck")
        self.day_hint: QLabel = f(QLabel, "dayHint")
        self.checks_list: QListWidget = f(QListWidget, "checksList")
        self.tables: dict[str, QTableWidget] = {b: f(QTableWidget, n) for b, n in TABLES.items()}
        self.boxes: dict[str, QGroupBox] = {b: f(QGroupBox, n) for b, n in BOXES.items()}
        self.buttons = {
            n: f(QPushButton, f"{n}Button") for n in ("today", "add", "edit", "replace", "end")
        }
        self.rows: dict[str, list[dict]] = {b: [] for b in TABLES}
        self.dialog = None
        self.day.setDate(qdate(self.today))
        self.day.dateChanged.connect(lambda _d: self.reload())
        self.history_check.toggled.connect(lambda _c: self.reload())
        b = self.buttons
        b["today"].clicked.connect(lambda: self.day.setDate(qdate(self.today)))
        b["add"].clicked.connect(self.add)
        b["edit"].clicked.connect(lambda: self._open_for_selected("edit"))
        b["replace"].clicked.connect(lambda: self._open_for_selected("replace"))
        b["end"].clicked.connect(lambda: self._open_for_selected("end"))
        for body, t in self.tables.items():
            t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 10)
            t.itemSelectionChanged.connect(lambda body=body: self._selected_in(body))
            t.doubleClicked.connect(lambda _i: self._open_for_selected("edit"))
        self.reload()

    @property
    def on_day(self) -> date:
        return pydate(self.day.date())

    def dispose(self) -> None:
        if self.dialog is not None:
            self.dialog.close()

    # -- drawing -----------------------------------------------------------------------

    def reload(self) -> None:
        day, show_all = self.on_day, self.history_check.isChecked()
        for body, table in self.tables.items():
            current = organisation.members_on(self.db, day, body)
            rows = organisation.history(self.db, body) if show_all else current
            on_ids = {r["id"] for r in current}
            self.rows[body] = rows
            self._fill(table, rows, on_ids)
            name = organisation.BODY_NAMES[body]
            self.boxes[body].setTitle(f"{name}（{day} 在任 {len(current)} 人）")
        when = "今天" if day == self.today else f"{day}"
        self.day_hint.setText(
            f"显示全部任职记录，灰色的是{when}不在任的。"
            if show_all
            else f"显示{when}在任的成员。改变日期可查看当时的成员（成员变动的历史都保留）。"
        )
        self.checks_list.clear()
        for c in organisation.checks(self.db, day):
            self.checks_list.addItem(check_item(c))
        lines = max(self.checks_list.count(), 1)
        self.checks_list.setFixedHeight(lines * (self.checks_list.fontMetrics().height() + 4) + 8)
        lay = self.ui.layout()  # the bodies share the height by their number of rows
        for body, box in self.boxes.items():
            n, t = len(self.rows[body]), self.tables[body]
            lay.setStretch(lay.indexOf(box), n + 3)
            shown = min(max(n, 1), 4)  # small bodies show every member without scrolling
            header = t.horizontalHeader().sizeHint().height()
            t.setMinimumHeight(header + shown * t.verticalHeader().defaultSectionSize() + 6)
        self._update_buttons()

    def _fill(self, table: QTableWidget, rows: list[dict], on_ids: set[int]) -> None:
        keep = self.selected()
        table.blockSignals(True)
        table.clearSelection()
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, key in enumerate(KEYS):
                value = row.get(key)
                if key == "is_principal":
                    value = "是" if value else ""
                it = QTableWidgetItem("" if value is None else str(value))
                it.setData(Qt.ItemDataRole.UserRole, row["id"])
                if row["id"] not in on_ids:
                    it.setForeground(QBrush(GREY))
                    it.setToolTip(f"任职 {row['start_date']} 至 {row['end_date'] or '今'}")
                table.setItem(r, c, it)
            if keep is not None and keep["id"] == row["id"]:
                table.selectRow(r)
        h = table.horizontalHeader()
        h.setStretchLastSection(False)
        for c, key in enumerate(KEYS):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if key == "email"
                else QHeaderView.ResizeMode.ResizeToContents
            )
            h.setSectionResizeMode(c, mode)
        table.blockSignals(False)

    def _selected_in(self, body: str) -> None:
        """One selection across the three tables."""
        if self.tables[body].selectedItems():
            for other, t in self.tables.items():
                if other != body:
                    t.blockSignals(True)
                    t.clearSelection()
                    t.blockSignals(False)
        self._update_buttons()

    def selected(self) -> dict | None:
        for body, t in self.tables.items():
            items = t.selectedItems()
            if items:
                mid = items[0].data(Qt.ItemDataRole.UserRole)
                return next((r for r in self.rows[body] if r["id"] == mid), None)
        return None

    def select(self, member_id: int) -> None:
        """Select the membership *member_id* in its body's table (tests, after a save)."""
        for body, t in self.tables.items():
            for r, row in enumerate(self.rows[body]):
                if row["id"] == member_id:
                    t.selectRow(r)
                    return

    def _update_buttons(self) -> None:
        row = self.selected()
        self.buttons["edit"].setEnabled(row is not None)
        open_ = row is not None and not row["end_date"]
        self.buttons["replace"].setEnabled(open_)
        self.buttons["end"].setEnabled(open_)

    # -- actions -----------------------------------------------------------------------

    def _current_body(self) -> str | None:
        row = self.selected()
        return row["body"] if row else None

    def add(self) -> MemberDialog:
        return self._open(MemberDialog(self.db, self, body=self._current_body(),
                                       today=self.fixed_today))  # fmt: skip

    def _open_for_selected(self, what: str):
        row = self.selected()
        if row is None:
            QMessageBox.information(self, "机构成员", "请先在表格中选中一位成员。")
            return None
        if what == "end":
            return self._open(MemberEndDialog(self.db, row, self, today=self.fixed_today))
        return self._open(MemberDialog(self.db, self, mode=what, member=row,
                                       today=self.fixed_today))  # fmt: skip

    def _open(self, dlg):
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.close()
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r, d=dlg: self._closed(d))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _closed(self, dlg) -> None:
        if dlg.record_id is not None:
            self.message.emit(f"已{dlg.windowTitle()}。")
        if self.dialog is dlg:
            self.dialog = None

    def on_changed(self, kind: str) -> None:
        if kind == signals.ORGANISATION:
            self.reload()
