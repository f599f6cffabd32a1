"""办理投诉与意见: the handling dialog (the 登记 form is ui/complaint_intake.py).

It walks a record through 受理 → 调查核实 → 答复 → 整改（需要时）→ 办结
(core/complaint_rules.STEPS), each step recording who, when and an opinion, and for an
意见建议 the forward to the principal (主要负责人) and the principal's answer. The 30-day
deadlines and their explanations come from core/complaint_rules; every write goes
through core/complaints, whose Chinese message stays in the dialog (nothing is saved).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)

from ..core import complaint_rules as rules
from ..core import complaints
from . import signals
from .clock_panel import day_text
from .complaints_model import describe_event, state_style, step_styles
from .record_dialog import RecordDialog
from .rectifications_view import RectificationRows, host, pydate, qdate

# step → object name prefix of its page, date and button in complaint_dialog.ui
STEP_KEYS = {
    "受理": "accept",
    "调查核实": "investigate",
    "答复": "reply",
    "整改": "rectify",
    "办结": "close",
}
_STRIP = {
    "受理": "stepAccept",
    "调查核实": "stepInvestigate",
    "答复": "stepReply",
    "整改": "stepRectify",
    "办结": "stepClose",
}
PRINCIPAL_TAB = "主要负责人"


def due_text(deadline) -> str:
    return f"{day_text(deadline.due)}" + ("（推算）" if deadline.provisional else "")


class ComplaintDialog(RecordDialog):
    """办理 one record *complaint_id*. ``today`` pins the date (tests)."""

    CHANGES = signals.COMPLAINTS

    def __init__(
        self,
        db: sqlite_utils.Database,
        complaint_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(db, "complaint_dialog", parent, today)
        self.complaint_id = complaint_id
        self.row: dict | None = None
        f = self.ui.findChild
        self.state: QLabel = f(QLabel, "stateLabel")
        f(QHBoxLayout, "flowRow").setAlignment(self.state, Qt.AlignmentFlag.AlignVCenter)
        self.strip = {step: f(QLabel, name) for step, name in _STRIP.items()}
        self.due: QLabel = f(QLabel, "dueLabel")
        self.days: QLabel = f(QLabel, "daysLabel")
        self.provisional: QLabel = f(QLabel, "provisionalLabel")
        self.principal_summary: QLabel = f(QLabel, "principalSummaryLabel")
        self.explain: QPlainTextEdit = f(QPlainTextEdit, "explainText")
        self.tabs: QTabWidget = f(QTabWidget, "stepTabs")
        from .attachments_panel import AttachmentsPanel  # 附件 (issue 7 §1)

        self.attachments = AttachmentsPanel(db, "complaints", complaint_id)
        self.tabs.addTab(self.attachments, "附件")
        self.dates = {s: f(QDateEdit, f"{k}Date") for s, k in STEP_KEYS.items()}
        self.step_buttons = {s: f(QPushButton, f"{k}Button") for s, k in STEP_KEYS.items()}
        self.pages = {s: f(QWidget, f"{k}Page") for s, k in STEP_KEYS.items()}
        self.reply_method: QComboBox = f(QComboBox, "replyMethodCombo")
        self.reply_method.addItems(rules.REPLY_METHODS)
        self.reply_content: QPlainTextEdit = f(QPlainTextEdit, "replyContentEdit")
        self.rect_rows = RectificationRows(today=self.today)
        host(self.rect_rows, f(QWidget, "rectHost"))
        self.principal_page: QWidget = f(QWidget, "principalPage")
        self.forward_date: QDateEdit = f(QDateEdit, "forwardDate")
        self.principal: QLineEdit = f(QLineEdit, "principalEdit")
        self.forward_button: QPushButton = f(QPushButton, "forwardButton")
        self.principal_due: QLabel = f(QLabel, "principalDueLabel")
        self.answer_date: QDateEdit = f(QDateEdit, "answerDate")
        self.answer: QPlainTextEdit = f(QPlainTextEdit, "answerEdit")
        self.answer_button: QPushButton = f(QPushButton, "answerButton")
        for d in [*self.dates.values(), self.forward_date, self.answer_date]:
            d.setMaximumDate(qdate(self.today))
            d.setDate(qdate(self.today))
        for step, b in self.step_buttons.items():
            b.clicked.connect(lambda _c=False, s=step: self.record(s))
        self.forward_button.clicked.connect(self.forward)
        self.answer_button.clicked.connect(self.record_answer)
        self.finish_setup(f(QDialogButtonBox, "buttonBox"))
        self.reload()
        self.show_next_step()

    # -- helpers -----------------------------------------------------------------------

    def show_tab(self, title: str) -> None:
        page = self.principal_page if title == PRINCIPAL_TAB else self.pages.get(title)
        if page is not None:
            self.tabs.setCurrentWidget(page)

    def show_next_step(self) -> None:
        if self.row is None:
            return
        allowed = rules.next_steps(self.row["stage"])
        if allowed:
            self.show_tab(allowed[0])
        elif self.row["kind"] == "意见建议":
            self.show_tab(PRINCIPAL_TAB)

    # -- the steps -------------------------------------------------------------------------

    def record(self, step: str) -> bool:
        """Record *step* with the step's date, the 经办人 and the 意见/备注."""
        details: dict[str, Any] = {}
        if step == "答复":
            details = {
                "reply_method": self.reply_method.currentText().strip(),
                "reply_content": self.reply_content.toPlainText().strip(),
            }
        elif step == "整改":
            details = {"rectifications": self.rect_rows.rows()}
        on_date = pydate(self.dates[step].date())
        ok = self.run(
            step,
            lambda: complaints.record_step(
                self.db,
                self.complaint_id,
                step,
                on_date,
                self.who(),
                self.opinion.text().strip(),
                today=self.today,
                **details,
            ),
        )
        if ok:
            if step == "答复":
                self.reply_content.clear()
            elif step == "整改":
                self.rect_rows.clear()
            self.show_next_step()
        return ok

    def forward(self) -> bool:
        """转主要负责人 (意见建议 only, 考核表第31、32项): the principal's 30 days start."""
        return self.run(
            "转主要负责人",
            lambda: complaints.forward_to_principal(
                self.db,
                self.complaint_id,
                pydate(self.forward_date.date()),
                self.principal.text().strip(),
                self.who(),
                self.opinion.text().strip(),
                today=self.today,
            ),
        )

    def record_answer(self) -> bool:
        ok = self.run(
            "主要负责人答复",
            lambda: complaints.record_principal_answer(
                self.db,
                self.complaint_id,
                pydate(self.answer_date.date()),
                self.answer.toPlainText().strip(),
                self.who(),
                today=self.today,
            ),
        )
        if ok:
            self.answer.clear()
        return ok

    # -- drawing ---------------------------------------------------------------------------

    def reload(self) -> None:
        row = complaints.get(self.db, self.complaint_id)
        if row is None:
            self.row = None
            self.show_error("该记录已被删除。")
            self.tabs.setEnabled(False)
            return
        self.row = row
        events = complaints.events(self.db, self.complaint_id)
        person = "匿名" if row["anonymous"] else (row["person"] or "（未留姓名）")
        self.setWindowTitle(f"办理{row['kind']} — {row['no']} {person}")
        self.title.setText(f"{row['no']}　{row['kind']}　{person}")
        self.summary.setText(
            f"{row['source']}，{row['received_date']} 收到　承办人：{row['handler'] or '（未定）'}"
            f"　联系方式：{row['contact'] or '（无）'}\n反映内容：{row['content']}"
        )
        self._show_strip(row, events)
        self._show_deadline(row)
        self.history.clear()
        for e in events:
            it = QListWidgetItem(describe_event(e))
            if e["step"] in ("答复", "办结", "主要负责人答复"):
                it.setForeground(QColor("#1b5e20"))
            self.history.addItem(it)
        self.history.scrollToBottom()
        allowed = rules.next_steps(row["stage"])
        for step, b in self.step_buttons.items():
            b.setEnabled(step in allowed)
            b.setToolTip("" if step in allowed else self._why_not(row["stage"], step))
        self._show_principal(row)

    def _why_not(self, stage: str, step: str) -> str:
        if stage == rules.DONE:
            return "该记录已经办结。"
        allowed = rules.next_steps(stage)
        return f"现在应登记“{'”或“'.join(allowed)}”。"

    def _show_strip(self, row: dict, events: list[dict]) -> None:
        dates = {e["step"]: e["on_date"] for e in events}
        for step, (text, style, tip) in step_styles(row["stage"], dates).items():
            lab = self.strip[step]
            lab.setText(text)
            lab.setStyleSheet(style)
            lab.setToolTip(tip)
        state = rules.complaint_state(row, self.today, self.cal)
        self.state.setText(state)
        self.state.setStyleSheet(state_style(state))

    def _show_deadline(self, row: dict) -> None:
        d = rules.reply_deadline(date.fromisoformat(row["received_date"]), self.cal)
        self.due.setText(f"答复期限：{due_text(d)}")
        if row["reply_date"]:
            late = rules.reply_late(row)
            self.days.setText(
                f"已于 {row['reply_date']} 答复" + ("，晚于答复期限。" if late else "，在期限内。")
            )
            self.days.setStyleSheet("color: #c62828;" if late else "color: #1b5e20;")
        else:
            left = rules.days_left(d.due, self.today)
            if left < 0:
                text, colour = f"已超过答复期限 {-left} 天。", "#c62828"
            elif left == 0:
                text, colour = "今天是答复期限的最后一天。", "#a15c00"
            else:
                colour = "#a15c00" if left <= rules.DUE_SOON_DAYS else "#1f2933"
                text = f"剩余 {left} 天（自然日）。"
            self.days.setText(text)
            self.days.setStyleSheet(f"color: {colour}; font-weight: bold;")
        if d.provisional:
            years = "、".join(f"{y} 年" for y in d.provisional_years)
            self.provisional.setText(
                f"⚠ 推算：{years}尚无国务院放假安排，节后顺延按法定节假日推算。"
                "放假通知公布后请在“工具 → 节假日安排”中录入。"
            )
            self.provisional.show()
        else:
            self.provisional.hide()
        self.explain.setPlainText(rules.explain(row, self.today, self.cal))

    def _show_principal(self, row: dict) -> None:
        opinion = row["kind"] == "意见建议"
        self.tabs.setTabVisible(self.tabs.indexOf(self.principal_page), opinion)
        self.principal_summary.hide()
        if not opinion:
            return
        forwarded = bool(row["forwarded_date"])
        answered = bool(row["principal_answer_date"])
        self.forward_button.setEnabled(not forwarded)
        self.forward_date.setEnabled(not forwarded)
        self.principal.setEnabled(not forwarded)
        self.answer_button.setEnabled(forwarded and not answered)
        self.answer_date.setEnabled(forwarded and not answered)
        self.answer.setEnabled(forwarded and not answered)
        if not forwarded:
            self.principal_due.setText("尚未转主要负责人。转交后，主要负责人应在30日内答复或说明。")
            self.principal_due.setStyleSheet("color: #4d5660;")
            return
        self.principal.setText(row["principal"])
        d = rules.principal_deadline(date.fromisoformat(row["forwarded_date"]), self.cal)
        ps = rules.principal_state(row, self.today)
        text = (
            f"已于 {row['forwarded_date']} 转交{row['principal']}，"
            f"答复期限 {due_text(d)}，状态：{ps}"
        )
        if answered:
            text += f"（{row['principal_answer_date']} 答复：{row['principal_answer']}）"
        elif ps != rules.OVERDUE:
            text += f"，剩余 {rules.days_left(d.due, self.today)} 天"
        colour = {rules.OVERDUE: "#c62828", rules.LATE: "#c62828", rules.DUE_SOON: "#a15c00"}
        style = f"color: {colour.get(ps, '#1b5e20')}; font-weight: bold;"
        self.principal_due.setText(text + "。")
        self.principal_due.setToolTip(d.explain())
        self.principal_due.setStyleSheet(style)
        # the principal's deadline also beside the reply deadline (考核表第32项)
        self.principal_summary.setText(
            f"主要负责人（{row['principal']}）答复期限：{due_text(d)}，{ps}"
        )
        self.principal_summary.setStyleSheet(style)
        self.principal_summary.show()
