"""工作计划事项: add or edit one milestone of the year's work plan (core/work_plan.py),
and the 工作台's work-plan buttons."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from ..core import work_plan
from ..core.errors import UserError
from . import signals
from .dialog_buttons import wire_box
from .forms import embed_form

WORK_PLAN = signals.WORK_PLAN
ROLE = Qt.ItemDataRole.UserRole


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class WorkPlanDialog(QDialog):
    """新增/修改工作计划事项. Saving validates in core; errors stay in the dialog."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        parent: QWidget | None = None,
        *,
        year: int,
        plan: dict | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.plan = db, plan
        self.record_id: int | None = plan["id"] if plan else None
        self.ui = embed_form("work_plan_dialog", self, margin=6)
        f = self.ui.findChild
        self.year: QSpinBox = f(QSpinBox, "yearSpin")
        self.title: QLineEdit = f(QLineEdit, "titleEdit")
        self.due: QDateEdit = f(QDateEdit, "dueDate")
        self.responsible: QLineEdit = f(QLineEdit, "responsibleEdit")
        self.remind: QSpinBox = f(QSpinBox, "remindSpin")
        self.note: QLineEdit = f(QLineEdit, "noteEdit")
        self.error: QLabel = f(QLabel, "errorLabel")
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        wire_box(box, self, self.save)
        self.year.setValue(year)
        self.due.setDate(qdate(date(year, 6, 30)))
        if plan is not None:
            self.setWindowTitle("修改工作计划事项")
            self.year.setValue(plan["year"])
            self.title.setText(plan["title"])
            self.due.setDate(qdate(date.fromisoformat(plan["due_date"])))
            self.responsible.setText(plan["responsible"])
            self.remind.setValue(int(plan["remind_days"]))
            self.note.setText(plan["note"])

    def fields(self) -> dict:
        return {
            "year": self.year.value(),
            "due_date": pydate(self.due.date()),
            "title": self.title.text().strip(),
            "responsible": self.responsible.text().strip(),
            "remind_days": self.remind.value(),
            "note": self.note.text().strip(),
        }

    def save(self) -> bool:
        data = self.fields()
        try:
            if self.plan is None:
                self.record_id = work_plan.add(self.db, **data)
            else:
                work_plan.update(self.db, self.plan["id"], **data)
        except UserError as e:
            self.error.setText(str(e))
            return False
        signals.notify(WORK_PLAN)
        self.accept()
        return True


def ask_done_date(parent: QWidget, plan: dict, today: date) -> date | None:
    """The completion date, typed as 2026-06-28 (default today); None when cancelled."""
    text, ok = QInputDialog.getText(
        parent, "登记完成", f"“{plan['title']}”的完成日期：", text=today.isoformat()
    )
    if not ok:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"完成日期“{text}”无法识别，请写成 2026-06-28 这样的格式。") from None


class WorkPlanActions:
    """The 工作台's work-plan buttons (mixed into WorkbenchTab: needs db, today, year,
    plan_tree, plan_rows, buttons, explain and _say)."""

    def selected_plan(self) -> dict | None:
        item = self.plan_tree.currentItem()
        data = item.data(0, ROLE) if item is not None else None
        return data[1] if data else None

    def _plan_selected(self, item) -> None:
        plan = self.selected_plan()
        if plan is not None:
            self.explain.setPlainText(work_plan.explain(plan, self.today))
        self._update_plan_buttons()

    def _update_plan_buttons(self) -> None:
        plan = self.selected_plan()
        for n in ("editPlan", "removePlan"):
            self.buttons[n].setEnabled(plan is not None)
        self.buttons["donePlan"].setEnabled(plan is not None and not plan["done_date"])
        self.buttons["seedPlan"].setEnabled(not self.plan_rows)

    def new_record(self) -> WorkPlanDialog:
        """Ctrl+N on the 工作台: a new work-plan milestone."""
        return self.edit_plan(None)

    def edit_plan(self, plan: dict | None) -> WorkPlanDialog:
        dlg = WorkPlanDialog(self.db, self, year=self.year, plan=plan)
        dlg.accepted.connect(lambda: self._say("已保存工作计划事项。"))
        dlg.open()
        return dlg

    def mark_plan_done(self, done: date | None = None) -> bool:
        plan = self.selected_plan()
        if plan is None:
            return False
        try:
            done = done or ask_done_date(self, plan, self.today)
            if done is None:
                return False
            work_plan.mark_done(self.db, plan["id"], done)
        except UserError as e:
            QMessageBox.warning(self, "登记完成", str(e))
            return False
        signals.notify(WORK_PLAN)
        self._say(f"已登记完成：{plan['title']}")
        return True

    def remove_plan(self, confirm: bool = True) -> bool:
        plan = self.selected_plan()
        if plan is None:
            return False
        if confirm and QMessageBox.question(self, "删除工作计划事项", f"删除“{plan['title']}”？") \
                != QMessageBox.StandardButton.Yes:  # fmt: skip
            return False
        work_plan.remove(self.db, plan["id"])
        signals.notify(WORK_PLAN)
        self._say(f"已删除：{plan['title']}")
        return True

    def seed_plan(self) -> int:
        ids = work_plan.seed_demo_plan(self.db, self.year)
        signals.notify(WORK_PLAN)
        self._say(f"已按实施方案生成{self.year}年工作计划 {len(ids)} 项，可逐项修改日期和责任人。")
        return len(ids)
