"""The 答复 and 复议/诉讼 tabs of the 办理 dialog (see ui/application_actions.py).

答复: art. 36's answer type with its text, then the annual-report result and reason
(table 3); only results that fit the answer type are offered (core ANSWER_RESULTS).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from ..core import application_catalog, applications
from ..core.application_appeals import LITIGATION
from ..core.errors import UserError
from .application_actions import ActionTab, Snapshot, fit_columns, pydate
from .clock_panel import day_text

NOT_CLOSED = "尚未审结"


class AnswerTab(ActionTab):
    """答复 (条例第三十六条) and close, with the result of the annual report's table 3."""

    FORM, TITLE = "app_action_answer", "答复"

    def __init__(self, dlg) -> None:
        super().__init__(dlg)
        self.cat = application_catalog.load()
        self.type: QComboBox = self.w(QComboBox, "typeCombo")
        for code, name in self.cat.answer_types.items():
            self.type.addItem(f"{code}. {name}", code)
        self.type_text: QLabel = self.w(QLabel, "typeText")
        self.result: QComboBox = self.w(QComboBox, "resultCombo")
        self.reason: QComboBox = self.w(QComboBox, "reasonCombo")
        self.answer_date: QDateEdit = self.w(QDateEdit, "answerDate")
        self.delivered: QCheckBox = self.w(QCheckBox, "deliveredCheck")
        self.delivered_date: QDateEdit = self.w(QDateEdit, "deliveredDate")
        self.timely: QLabel = self.w(QLabel, "timelyLabel")
        self.text: QPlainTextEdit = self.w(QPlainTextEdit, "textEdit")
        self.button: QPushButton = self.w(QPushButton, "answerButton")
        self.delivered.setChecked(True)
        self.delivered.toggled.connect(self.delivered_date.setEnabled)
        self.type.currentIndexChanged.connect(self._type_changed)
        self.result.currentIndexChanged.connect(self._result_changed)
        self.answer_date.dateChanged.connect(self._timely)
        self.button.clicked.connect(self.answer)
        self._snapshot: Snapshot | None = None
        self._type_changed()

    def _type_changed(self) -> None:
        t = self.type.currentData()
        self.type_text.setText(self.cat.answer_texts[t])
        keep = self.result.currentText()
        self.result.blockSignals(True)
        self.result.clear()
        self.result.addItems(list(applications.ANSWER_RESULTS[t]))
        i = self.result.findText(keep)
        self.result.setCurrentIndex(max(i, 0))
        self.result.blockSignals(False)
        self._result_changed()

    def _result_changed(self) -> None:
        t, result = self.type.currentData(), self.result.currentText()
        allowed = applications.ANSWER_RESULTS[t].get(result)
        reasons = allowed if allowed is not None else self.cat.results.get(result, ())
        if result == "其他处理":  # items 1, 2 are closed from 补正 / 收费
            reasons = tuple(r for r in reasons if r not in self.cat.results["其他处理"][:2])
        self.reason.clear()
        self.reason.addItems(list(reasons))
        self.reason.setEnabled(bool(reasons))
        self.reason.setToolTip("" if reasons else f"“{result}”不需要理由")

    def _timely(self) -> None:
        s = self._snapshot
        if s is None:
            return
        a, c = s.app, s.clock
        if s.closed:
            label = self.cat.result_label(a["result"], a["result_reason"])
            self.timely.setText(f"已于 {a['closed_date']} 办结：{label}")
            return
        if s.awaiting_supplement:
            self.timely.setText("申请人尚未补正，不能答复。")
            return
        try:
            state = c.state(s.today, pydate(self.answer_date.date()))
        except UserError as e:
            self.timely.setText(str(e))
            return
        colour = "#b3261e" if state == "逾期答复" else "#1b5e20"
        self.timely.setText(
            f"答复期限 {day_text(c.due)}；按所选答复日期为<b style='color:{colour}'>{state}</b>。"
        )

    def refresh(self, s: Snapshot) -> None:
        self._snapshot = s
        can = not s.closed and not s.awaiting_supplement
        for w in (
            self.type,
            self.result,
            self.reason,
            self.answer_date,
            self.delivered,
            self.delivered_date,
            self.text,
            self.button,
        ):
            w.setEnabled(can)
        if can:
            self.delivered_date.setEnabled(self.delivered.isChecked())
            self.reason.setEnabled(self.reason.count() > 0)
        self._timely()

    def answer(self) -> None:
        d = self.dlg
        delivered = pydate(self.delivered_date.date()) if self.delivered.isChecked() else None
        d.step(
            "答复，已办结",
            applications.answer,
            d.app_id,
            answer_type=self.type.currentData(),
            result=self.result.currentText(),
            reason=self.reason.currentText() if self.reason.count() else "",
            answer_date=pydate(self.answer_date.date()),
            delivered_date=delivered,
            text=self.text.toPlainText(),
        )


class AppealTab(ActionTab):
    """行政复议 / 行政诉讼 against the handling, with the outcome (RULES.md §3 Appeals)."""

    FORM, TITLE = "app_action_appeal", "复议/诉讼"

    def __init__(self, dlg) -> None:
        super().__init__(dlg)
        cat = application_catalog.load()
        self.table: QTableWidget = self.w(QTableWidget, "appealTable")
        self.table.verticalHeader().hide()
        fit_columns(self.table, stretch=5)
        self.kind: QComboBox = self.w(QComboBox, "kindCombo")
        self.kind.addItems(applications.APPEAL_KINDS)
        self.route: QComboBox = self.w(QComboBox, "routeCombo")
        self.route.addItems(cat.litigation_routes)
        self.filed: QDateEdit = self.w(QDateEdit, "filedDate")
        self.outcome: QComboBox = self.w(QComboBox, "outcomeCombo")
        self.outcome.addItems(cat.appeal_outcomes)
        self.outcome.setCurrentText(NOT_CLOSED)
        self.closed: QDateEdit = self.w(QDateEdit, "closedDate")
        self.note: QLineEdit = self.w(QLineEdit, "noteEdit")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.table.itemSelectionChanged.connect(self._selected)
        self.w(QPushButton, "addButton").clicked.connect(self.add)
        self.update_button: QPushButton = self.w(QPushButton, "updateButton")
        self.update_button.clicked.connect(self.update)
        self.rows: list[dict] = []
        self._kind_changed()
        self._outcome_changed()

    def _kind_changed(self) -> None:
        self.route.setEnabled(self.kind.currentText() == LITIGATION)

    def _outcome_changed(self) -> None:
        self.closed.setEnabled(self.outcome.currentText() != NOT_CLOSED)

    def _selected(self) -> None:
        r = self.selected()
        self.update_button.setEnabled(r is not None)
        if r is not None:
            self.outcome.setCurrentText(r["outcome"])
            self.note.setText(r["note"])

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def refresh(self, s: Snapshot) -> None:
        self.rows = s.appeals
        self.table.setRowCount(len(self.rows))
        for r, a in enumerate(self.rows):
            values = (
                a["kind"],
                a["route"] or "",
                a["filed_date"],
                a["outcome"],
                a["closed_date"] or "",
                a["note"] or "",
            )
            for c, v in enumerate(values):
                cell = QTableWidgetItem(v)
                cell.setToolTip(v)
                self.table.setItem(r, c, cell)
        fit_columns(self.table, stretch=5)
        self.update_button.setEnabled(self.selected() is not None)

    def _closed_date(self):
        return None if self.outcome.currentText() == NOT_CLOSED else pydate(self.closed.date())

    def add(self) -> None:
        d = self.dlg
        route = self.route.currentText() if self.kind.currentText() == LITIGATION else ""
        ok = d.run(
            self.kind.currentText(),
            lambda: applications.add_appeal(
                d.db,
                d.app_id,
                self.kind.currentText(),
                route,
                pydate(self.filed.date()),
                self.outcome.currentText(),
                self._closed_date(),
                self.note.text(),
                d.who(),
                today=d.today,
            ),
        )
        if ok:
            self.note.clear()

    def update(self) -> None:
        d = self.dlg
        r = self.selected()
        if r is None:
            d.show_error("请先在上表中选中一条复议或诉讼记录。")
            return
        d.run(
            f"{r['kind']}结果",
            lambda: applications.update_appeal(
                d.db,
                r["id"],
                self.outcome.currentText(),
                self._closed_date(),
                self.note.text(),
                d.who(),
                today=d.today,
            ),
        )


__all__ = ["AnswerTab", "AppealTab"]
