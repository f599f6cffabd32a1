"""工作日计算器 and 节假日安排 through real widgets (pytest-qt)."""

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QMessageBox, QPushButton

from gongkai_desktop.core import calendar_entries, items
from gongkai_desktop.ui import calendar_dialogs
from gongkai_desktop.ui.calendar_dialogs import CalculatorDialog, HolidayScheduleDialog

END_OF_YEAR = date(2026, 12, 31)


def type_text(widget, text):
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def cell_line_edit(table):
    """The line edit the table opened on its current cell (not the date pickers')."""
    found = table.viewport().findChildren(
        QLineEdit, options=Qt.FindChildOption.FindDirectChildrenOnly
    )
    assert len(found) == 1
    return found[0]


def column(table, col):
    return [table.item(r, col).text() for r in range(table.rowCount())]


@pytest.fixture
def calc(qtbot, db):
    dlg = CalculatorDialog(db, today=date(2026, 9, 25))
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_calculator_national_day_example(qtbot, calc):
    calc.days.selectAll()
    qtbot.keyClicks(calc.days, "20")
    assert calc.days.value() == 20
    assert calc.due_label.text() == "届满日：2026-10-29（周四）"
    reasons = column(calc.skipped, 2)
    days = column(calc.skipped, 0)
    assert len(days) == 14
    for d in ("2026-10-01", "2026-10-02", "2026-10-03"):
        assert reasons[days.index(d)] == "国庆节"
    assert "国庆节" in reasons[days.index("2026-10-07")]
    assert reasons[days.index("2026-10-11")] == "周末"
    assert column(calc.weekend, 0) == ["2026-10-10"] and column(calc.weekend, 2) == ["调休上班"]
    assert not calc.provisional.isVisible()
    assert "跳过 14 个非工作日" in calc.summary.text()


def test_calculator_warns_when_a_year_is_only_estimated(qtbot, calc):
    calc.start.setDate(QDate(2026, 12, 20))
    assert calc.due_label.text() == "届满日：2027-01-18（周一）"
    assert calc.provisional.isVisible()
    assert "推算" in calc.provisional.text() and "2027 年" in calc.provisional.text()
    qtbot.mouseClick(calc.ui.findChild(QPushButton, "copyButton"), Qt.MouseButton.LeftButton)
    from PySide6.QtWidgets import QApplication

    assert "【推算】2027年" in QApplication.clipboard().text()


def test_calculator_spring_festival_example(calc):
    calc.start.setDate(QDate(2026, 2, 10))
    assert "2026-03-16" in calc.due_label.text()
    assert column(calc.weekend, 0) == ["2026-02-14", "2026-02-28"]


@pytest.fixture
def late_item(db):
    # formed 2026-12-20: its 20 working days run into 2027, which has no notice yet
    return items.create(
        db,
        {
            "title": "2026年第四季度就业补助资金发放情况",
            "formed_date": "2026-12-20",
            "category": "财务人事",
        },
        today=END_OF_YEAR,
    )


@pytest.fixture
def editor(qtbot, db):
    dlg = HolidayScheduleDialog(db, today=END_OF_YEAR)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def save_button(dlg):
    return dlg.ui.findChild(QDialogButtonBox, "buttonBox").button(
        QDialogButtonBox.StandardButton.Save
    )


def test_holiday_editor_saves_and_the_registry_deadline_moves(qtbot, db, late_item, editor):
    before = items.get(db, late_item)
    assert (before["publish_due"], before["provisional"]) == ("2027-01-18", 1)
    assert editor.year_spin.value() == 2027  # 2026 has its notice; 2027 does not
    assert "没有国务院的放假通知" in editor.ui.findChild(QLabel, "officialLabel").text()
    qtbot.mouseClick(editor.ui.findChild(QPushButton, "addDayButton"), Qt.MouseButton.LeftButton)
    assert editor.table.rowCount() == 1
    editor.table.cellWidget(0, 0).setDate(QDate(2027, 1, 4))
    editor.table.editItem(editor.table.item(0, 2))
    cell_editor = cell_line_edit(editor.table)
    type_text(cell_editor, "元旦调休")  # still editing when 保存 is clicked
    qtbot.mouseClick(save_button(editor), Qt.MouseButton.LeftButton)
    assert editor.result() == QDialog.DialogCode.Accepted
    assert "1 个事项的期限有变化" in editor.result_message
    after = items.get(db, late_item)
    assert (after["publish_due"], after["provisional"]) == ("2027-01-19", 0)
    assert [(e.day.isoformat(), e.name) for e in calendar_entries.list_entries(db, 2027)] == [
        ("2027-01-04", "元旦调休")
    ]


def test_range_helper_adds_the_spring_festival(qtbot, db, editor):
    editor.range_from.setDate(QDate(2027, 2, 6))
    editor.range_to.setDate(QDate(2027, 2, 12))
    type_text(editor.range_name, "春节")
    qtbot.mouseClick(editor.ui.findChild(QPushButton, "addRangeButton"), Qt.MouseButton.LeftButton)
    rows = editor.rows()
    assert [r["day"].isoformat() for r in rows] == [f"2027-02-{d:02d}" for d in range(6, 13)]
    assert {r["name"] for r in rows} == {"春节"} and {r["kind"] for r in rows} == {"放假"}
    assert "已录入 7 天" in editor.ui.findChild(QLabel, "officialLabel").text()
    qtbot.mouseClick(save_button(editor), Qt.MouseButton.LeftButton)
    assert len(calendar_entries.list_entries(db, 2027)) == 7


def test_duplicate_day_is_refused_and_nothing_saved(qtbot, db, editor):
    add = editor.ui.findChild(QPushButton, "addDayButton")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    editor.table.cellWidget(1, 0).setDate(editor.table.cellWidget(0, 0).date())
    qtbot.mouseClick(save_button(editor), Qt.MouseButton.LeftButton)
    assert editor.isVisible() and editor.result() != QDialog.DialogCode.Accepted
    assert "录入了两次" in editor.error.text()
    assert calendar_entries.list_entries(db, 2027) == []
    # removing one row makes it savable
    editor.table.setCurrentCell(1, 2)
    qtbot.mouseClick(editor.ui.findChild(QPushButton, "removeButton"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(save_button(editor), Qt.MouseButton.LeftButton)
    assert len(calendar_entries.list_entries(db, 2027)) == 1


def test_switching_year_with_unsaved_edits_asks_first(qtbot, db, editor, monkeypatch):
    qtbot.mouseClick(editor.ui.findChild(QPushButton, "addDayButton"), Qt.MouseButton.LeftButton)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No
    )
    editor.year_spin.setValue(2028)
    assert asked and editor.year_spin.value() == 2027 and editor.table.rowCount() == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    editor.year_spin.setValue(2026)
    assert editor.year == 2026 and editor.table.rowCount() == 0
    assert "内置了国务院办公厅的放假通知" in editor.ui.findChild(QLabel, "officialLabel").text()
    assert editor.package.rowCount() > 20


def test_copy_package_keeps_the_clerks_own_days(qtbot, db, editor):
    editor.year_spin.setValue(2026)
    qtbot.mouseClick(editor.ui.findChild(QPushButton, "addDayButton"), Qt.MouseButton.LeftButton)
    editor.table.cellWidget(0, 0).setDate(QDate(2026, 10, 1))
    editor.table.cellWidget(0, 1).setCurrentText("上班")
    qtbot.mouseClick(
        editor.ui.findChild(QPushButton, "copyPackageButton"), Qt.MouseButton.LeftButton
    )
    rows = {r["day"].isoformat(): r for r in editor.rows()}
    assert rows["2026-10-01"]["kind"] == "上班"  # the clerk's entry wins
    assert rows["2026-10-10"]["kind"] == "上班" and rows["2026-10-02"]["name"] == "国庆节"


def test_default_year(db):
    from gongkai_desktop.core.calendar import WorkCalendar

    assert calendar_dialogs.default_year(WorkCalendar(), date(2026, 11, 27)) == 2027
    assert calendar_dialogs.default_year(WorkCalendar(), date(2026, 3, 1)) == 2027
