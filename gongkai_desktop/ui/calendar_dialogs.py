"""工作日计算器 and 节假日安排: the two calendar tools under 工具 (RULES.md §1).

The counting is core/deadlines.py; the schedule storage is core/calendar_entries.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils
from PySide6.QtCore import QDate, QLocale, QModelIndex
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import calendar_entries, profile
from ..core.calendar import KIND_OFF, KIND_WORK, WorkCalendar, weekday_label
from ..core.calendar_entries import Entry
from ..core.deadlines import Deadline, add_working_days
from ..core.errors import UserError
from . import signals
from .dialog_buttons import wire_box
from .forms import embed_form

_ZH = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
_HOLIDAY_BG = QColor("#fdecea")
_WORK_BG = QColor("#e6f0fa")


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _cell(text: str, bg: QColor | None = None, bold: bool = False) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    if bg is not None:
        it.setBackground(bg)
    if bold:
        f = QFont()
        f.setBold(True)
        it.setFont(f)
    return it


# -- 工作日计算器 ---------------------------------------------------------------------


class CalculatorDialog(QDialog):
    """Start date + N working days → due date, with every skipped day and why."""

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.cal = WorkCalendar.from_db(db)
        self.result_deadline: Deadline | None = None
        self.ui = embed_form("calculator_dialog", self, margin=6)
        f = self.ui.findChild
        self.start: QDateEdit = f(QDateEdit, "startDate")
        self.days: QSpinBox = f(QSpinBox, "daysSpin")
        self.due_label: QLabel = f(QLabel, "dueLabel")
        self.summary: QLabel = f(QLabel, "summaryLabel")
        self.provisional: QLabel = f(QLabel, "provisionalLabel")
        self.skipped: QTableWidget = f(QTableWidget, "skippedTable")
        self.weekend: QTableWidget = f(QTableWidget, "weekendTable")
        for t in (self.skipped, self.weekend):
            t.verticalHeader().hide()
            t.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.start.setLocale(_ZH)
        self.start.setDate(_qdate(today or date.today()))
        self.start.dateChanged.connect(self.compute)
        self.days.valueChanged.connect(self.compute)
        f(QPushButton, "copyButton").clicked.connect(self.copy_explanation)
        f(QPushButton, "holidayButton").clicked.connect(self._edit_holidays)
        f(QDialogButtonBox, "buttonBox").rejected.connect(self.reject)
        f(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Close).setText(
            "关闭"
        )
        self.compute()

    def compute(self) -> None:
        start = _pydate(self.start.date())
        d = add_working_days(start, self.days.value(), self.cal)
        self.result_deadline = d
        self.due_label.setText(f"届满日：{d.due.isoformat()}（{weekday_label(d.due)}）")
        holidays_ = [s for s in d.skipped if s.reason not in ("", weekday_label(s.date))]
        self.summary.setText(
            f"自 {start.isoformat()}（{weekday_label(start)}）的次日起数满 {d.working_days} 个工作日，"
            f"共经过 {(d.due - start).days} 个自然日；跳过 {len(d.skipped)} 个非工作日"
            f"（其中节假日 {len(holidays_)} 天），计入调休上班的周末 {len(d.workdays_on_weekend)} 天。"
        )
        if d.provisional:
            years = "、".join(f"{y} 年" for y in d.provisional_years)
            self.provisional.setText(
                f"⚠ 推算：{years}尚无国务院放假安排（软件内置数据和节假日安排中都没有），"
                "以上结果按法定节假日推算，调休尚未计入，仅供参考。"
                "该年放假通知公布后，请在“节假日安排”中录入。"
            )
            self.provisional.show()
        else:
            self.provisional.hide()
        self.skipped.setRowCount(len(d.skipped))
        for row, s in enumerate(d.skipped):
            label = weekday_label(s.date)
            is_holiday = s.reason not in ("", label)
            bg = _HOLIDAY_BG if is_holiday else None
            self.skipped.setItem(row, 0, _cell(s.date.isoformat(), bg))
            self.skipped.setItem(row, 1, _cell(label, bg))
            self.skipped.setItem(row, 2, _cell(s.reason if is_holiday else "周末", bg, is_holiday))
        self.ui.findChild(QLabel, "skippedTitle").setText(
            f"跳过的非工作日（共 {len(d.skipped)} 天）："
        )
        self.weekend.setRowCount(len(d.workdays_on_weekend))
        for row, s in enumerate(d.workdays_on_weekend):
            self.weekend.setItem(row, 0, _cell(s.date.isoformat(), _WORK_BG))
            self.weekend.setItem(row, 1, _cell(weekday_label(s.date), _WORK_BG))
            self.weekend.setItem(row, 2, _cell(s.reason, _WORK_BG))
        self.ui.findChild(QLabel, "weekendTitle").setText(
            f"计为工作日的调休周末（共 {len(d.workdays_on_weekend)} 天）："
        )
        for t in (self.skipped, self.weekend):
            t.setColumnWidth(0, t.fontMetrics().horizontalAdvance("2026-10-10") + 16)
            t.setColumnWidth(1, t.fontMetrics().horizontalAdvance("周六") + 16)

    def copy_explanation(self) -> None:
        if self.result_deadline is not None:
            QApplication.clipboard().setText(self.result_deadline.explain())

    def _edit_holidays(self) -> None:
        if open_holiday_schedule(self, self.db):
            self.cal = WorkCalendar.from_db(self.db)
            self.compute()


def open_calculator(parent: QWidget | None, db: sqlite_utils.Database) -> None:
    CalculatorDialog(db, parent).exec()


# -- 节假日安排 -----------------------------------------------------------------------


def default_year(cal: WorkCalendar, today: date) -> int:
    """This year or next, whichever still lacks an official schedule; else this year."""
    for y in (today.year, today.year + 1):
        if not cal.is_official(y):
            return y
    return today.year


class HolidayScheduleDialog(QDialog):
    """The clerk's own schedule for one year; saving recomputes every deadline."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        parent: QWidget | None = None,
        *,
        year: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.result_message = ""
        self.saved_result: calendar_entries.SaveResult | None = None
        self._dirty = False
        self.ui = embed_form("holiday_dialog", self, margin=6)
        f = self.ui.findChild
        self.year_spin: QSpinBox = f(QSpinBox, "yearSpin")
        self.table: QTableWidget = f(QTableWidget, "entriesTable")
        self.package: QTableWidget = f(QTableWidget, "packageTable")
        self.error: QLabel = f(QLabel, "errorLabel")
        self.range_from: QDateEdit = f(QDateEdit, "rangeFrom")
        self.range_to: QDateEdit = f(QDateEdit, "rangeTo")
        self.range_name: QLineEdit = f(QLineEdit, "rangeName")
        for t in (self.table, self.package):
            t.verticalHeader().hide()
            t.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._mark_dirty)
        f(QPushButton, "addDayButton").clicked.connect(self.add_day)
        f(QPushButton, "removeButton").clicked.connect(self.remove_selected)
        f(QPushButton, "addRangeButton").clicked.connect(self.add_range)
        f(QPushButton, "copyPackageButton").clicked.connect(self.copy_package)
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        wire_box(box, self, self.save)
        today = today or date.today()
        self.year_spin.setValue(year or default_year(WorkCalendar.from_db(db), today))
        self.year = self.year_spin.value()
        self.year_spin.valueChanged.connect(self._year_changed)
        self.load_year(self.year)

    # -- loading --------------------------------------------------------------

    def load_year(self, year: int) -> None:
        self.year = year
        self.error.clear()
        self._set_rows(calendar_entries.list_entries(self.db, year))
        pkg = calendar_entries.package_schedule(year)
        self.package.setRowCount(len(pkg))
        for row, e in enumerate(pkg):
            bg = _HOLIDAY_BG if e.kind == KIND_OFF else _WORK_BG
            self.package.setItem(row, 0, _cell(f"{e.day.isoformat()} {weekday_label(e.day)}", bg))
            self.package.setItem(row, 1, _cell(e.kind, bg))
            self.package.setItem(row, 2, _cell(e.name, bg))
        self.package.resizeColumnsToContents()
        self.package.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for w in (self.range_from, self.range_to):
            w.setDateRange(QDate(year, 1, 1), QDate(year, 12, 31))
            w.setDate(QDate(year, 1, 1))
        self._show_official()
        self._dirty = False

    def _show_official(self) -> None:
        y, n = self.year, self.table.rowCount()
        if calendar_entries.package_has_notice(y):
            text = (
                f"<b>{y} 年：</b>软件内置了国务院办公厅的放假通知，一般无需录入。"
                "如通知有调整，在左边录入更正的日期，录入的日期优先。"
            )
        else:
            text = (
                f"<b style='color:#b26a00'>{y} 年：软件内置数据中没有国务院的放假通知。</b>"
                "跨入该年的期限目前按法定节假日<b>推算</b>，调休未计入。"
                "通知公布后（一般在上一年 11 月前后），请在左边逐日录入放假日和调休上班日。"
            )
            if n:
                text += f"<br>已录入 {n} 天，保存后该年的期限按录入计算，不再标记推算。"
        self.ui.findChild(QLabel, "officialLabel").setText(text)

    def _set_rows(self, entries: list[Entry]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for e in sorted(entries, key=lambda e: e.day):
            self._append_row(e)
        self.table.blockSignals(False)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)

    def _append_row(self, e: Entry) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        day = QDateEdit()
        day.setLocale(_ZH)
        day.setDisplayFormat("yyyy-MM-dd ddd")
        day.setCalendarPopup(True)
        day.setDateRange(QDate(self.year, 1, 1), QDate(self.year, 12, 31))
        day.setDate(_qdate(e.day))
        day.dateChanged.connect(self._mark_dirty)
        kind = QComboBox()
        kind.addItems([KIND_OFF, KIND_WORK])
        kind.setCurrentText(e.kind)
        kind.currentTextChanged.connect(self._mark_dirty)
        self.table.setCellWidget(row, 0, day)
        self.table.setCellWidget(row, 1, kind)
        self.table.setItem(row, 2, QTableWidgetItem(e.name))
        return row

    def rows(self) -> list[dict]:
        """The table as entered (not yet validated), including a name still being typed."""
        self._commit_open_editor()
        out = []
        for r in range(self.table.rowCount()):
            name = self.table.item(r, 2)
            out.append(
                {
                    "day": _pydate(self.table.cellWidget(r, 0).date()),
                    "kind": self.table.cellWidget(r, 1).currentText(),
                    "name": name.text() if name else "",
                }
            )
        return out

    # -- editing --------------------------------------------------------------

    def _commit_open_editor(self) -> None:
        # Moving the current index makes the view commit an open cell editor.
        idx = self.table.currentIndex()
        self.table.setCurrentIndex(QModelIndex())
        self.table.setCurrentIndex(idx)

    def _mark_dirty(self, *_args) -> None:
        self._dirty = True

    def _year_changed(self, year: int) -> None:
        if (
            self._dirty
            and QMessageBox.question(
                self,
                "节假日安排",
                f"{self.year} 年的修改还没有保存，切换年份会放弃这些修改。要放弃吗？",
            )
            != QMessageBox.StandardButton.Yes
        ):
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(self.year)
            self.year_spin.blockSignals(False)
            return
        self.load_year(year)

    def add_day(self) -> None:
        rows = self.rows()
        last = max((r["day"] for r in rows), default=date(self.year, 1, 1) - timedelta(days=1))
        day = min(last + timedelta(days=1), date(self.year, 12, 31))
        row = self._append_row(Entry(day, KIND_OFF, ""))
        self.table.setCurrentCell(row, 2)
        self.table.scrollToBottom()
        self._after_edit()

    def remove_selected(self) -> None:
        picked = {i.row() for i in self.table.selectionModel().selectedRows()}
        if not picked and self.table.currentRow() >= 0:
            picked = {self.table.currentRow()}
        for r in sorted(picked, reverse=True):
            self.table.removeRow(r)
        if picked:
            self._after_edit()

    def _merged(self, extra: list[Entry], extra_wins: bool) -> list[Entry] | None:
        try:
            mine = calendar_entries.validate(self.year, self.rows())
            extra = calendar_entries.validate(self.year, extra)
        except UserError as e:
            self._fail(e)
            return None
        if extra_wins:
            return calendar_entries.merge(mine, extra)
        return calendar_entries.merge(extra, mine)

    def add_range(self) -> None:
        """Every day from … to … as 放假 with one name (e.g. 春节 2027-02-06..02-12)."""
        try:
            days = calendar_entries.expand_range(
                _pydate(self.range_from.date()),
                _pydate(self.range_to.date()),
                self.range_name.text(),
            )
        except UserError as e:
            self._fail(e)
            return
        merged = self._merged(days, extra_wins=True)
        if merged is not None:
            self._set_rows(merged)
            self._after_edit()

    def copy_package(self) -> None:
        merged = self._merged(calendar_entries.package_schedule(self.year), extra_wins=False)
        if merged is not None:
            self._set_rows(merged)
            self._after_edit()

    def _after_edit(self) -> None:
        self._dirty = True
        self.error.clear()
        self._show_official()

    def _fail(self, e: Exception) -> None:
        self.error.setText(str(e))

    # -- saving ---------------------------------------------------------------

    def save(self) -> None:
        """One transaction: entries + audit rows + every deadline recomputed."""
        try:
            res = calendar_entries.save_year_and_recompute(
                self.db, self.year, self.rows(), profile.operator(self.db)
            )
        except UserError as e:
            self._fail(e)
            return
        self.saved_result = res
        self._dirty = False
        self.result_message = (
            f"已保存 {self.year} 年的节假日安排（新增 {res.added} 天、修改 {res.changed} 天、"
            f"删除 {res.removed} 天）。\n已按新的安排重新计算公开期限："
            f"{res.deadlines_changed} 个事项的期限有变化。"
        )
        signals.notify(signals.CALENDAR)
        if res.deadlines_changed:
            signals.notify(signals.ITEMS)
        self.accept()


def open_holiday_schedule(parent: QWidget | None, db: sqlite_utils.Database) -> bool:
    """节假日安排; True when the clerk saved (and deadlines were recomputed)."""
    dlg = HolidayScheduleDialog(db, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return False
    QMessageBox.information(parent, "节假日安排", dlg.result_message)
    return True


__all__ = [
    "CalculatorDialog",
    "HolidayScheduleDialog",
    "open_calculator",
    "open_holiday_schedule",
    "default_year",
]
