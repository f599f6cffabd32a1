"""期限说明 panel: an application's answer clock (core/application_clock) made visible.

The due date big, the working days left, the state, the clerk's own 7-day supplement
notice deadline, the 推算 warning, and the full explain() text that can be copied.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.application_clock import (
    STATE_ANSWERED_LATE,
    STATE_AWAITING_SUPPLEMENT,
    STATE_DUE_SOON,
    STATE_EXTENDED,
    STATE_OVERDUE,
    STATE_PAUSED,
    AnswerClock,
)
from ..core.calendar import weekday_label
from .forms import load_form

# state → (text colour, background)
_STATE_STYLE = {
    STATE_OVERDUE: ("#ffffff", "#c62828"),
    STATE_ANSWERED_LATE: ("#ffffff", "#c62828"),
    STATE_DUE_SOON: ("#5a3600", "#ffd08a"),
    STATE_PAUSED: ("#ffffff", "#1f5f99"),
    STATE_AWAITING_SUPPLEMENT: ("#ffffff", "#1f5f99"),
    "待缴费": ("#ffffff", "#1f5f99"),
    STATE_EXTENDED: ("#ffffff", "#6a4c93"),
}
_DEFAULT_STYLE = ("#ffffff", "#2e6b2e")
STATE_CLOSED = "已办结"


def day_text(d: date) -> str:
    return f"{d.isoformat()}（{weekday_label(d)}）"


class ClockPanel(QWidget):
    """Shows one AnswerClock; call ``show_clock`` after every step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("clock_panel", self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.form)
        f = self.form.findChild
        self.due: QLabel = f(QLabel, "dueLabel")
        self.state: QLabel = f(QLabel, "stateLabel")
        self.days: QLabel = f(QLabel, "daysLabel")
        self.notice: QLabel = f(QLabel, "noticeLabel")
        self.provisional: QLabel = f(QLabel, "provisionalLabel")
        self.explain: QPlainTextEdit = f(QPlainTextEdit, "explainText")
        f(QPushButton, "copyButton").clicked.connect(self.copy)
        self.clock: AnswerClock | None = None
        self.state_text = ""
        self.provisional.hide()

    def show_clock(
        self,
        clock: AnswerClock,
        today: date,
        *,
        answered: date | None = None,
        closed: str | None = None,
        hold: tuple[str, str] | None = None,
        notice_pending: bool = False,
    ) -> None:
        """*answered*: the answer date; *closed*: a closing note when the application was
        closed without an answer (逾期不补正/未缴费); *hold*: (state, sentence) while the
        office waits on the applicant (待缴费); *notice_pending*: no supplement has been
        asked yet, so the 7-day notice deadline still matters to the clerk."""
        self.clock = clock
        c = clock
        if c.awaiting_supplement:
            self.due.setText("答复期限：收到补正材料后重新计算")
            self.due.setToolTip(f"未补正时的期限为 {day_text(c.due)}，仅供参考")
        else:
            tag = "（推算）" if c.provisional else ""
            self.due.setText(f"答复期限：{day_text(c.due)}{tag}")
            self.due.setToolTip("")
        if closed:
            state = label = STATE_CLOSED
            days = closed
        elif answered is not None:
            state = c.state(today, answered)
            label = f"{STATE_CLOSED}（{state}）"
            days = f"已于 {day_text(answered)}答复。"
        elif hold is not None:
            state, days = hold
            label = state
        else:
            state = label = c.state(today)
            left = c.days_left(today)
            if c.awaiting_supplement:
                days = "等待申请人补正，答复期限暂不计算（条例第三十条）。"
            elif state == STATE_PAUSED:
                days = "征求意见期间不计算在答复期限内；收到答复后按实际日期重算。"
            elif today > c.due:
                days = f"已超过答复期限 {abs(left or 0)} 个工作日。"
            elif left == 0:
                days = "今天是答复期限的最后一天。"
            else:
                days = f"剩余 {left} 个工作日。"
        self.state_text = label
        fg, bg = _STATE_STYLE.get(state, _DEFAULT_STYLE)
        self.state.setText(label)
        self.state.setStyleSheet(
            f"font-weight: bold; padding: 2px 8px; border-radius: 3px; color: {fg}; background: {bg};"
        )
        self.days.setText(days)
        if notice_pending and not closed and answered is None:
            late = today > c.supplement_notice_due
            self.notice.setText(
                f"需要补正的，应于 {day_text(c.supplement_notice_due)}前一次性告知申请人"
                "（条例第三十条）" + ("——已过此期限。" if late else "。")
            )
            self.notice.setStyleSheet("color: #b3261e;" if late else "color: #4d5660;")
            self.notice.show()
        else:
            self.notice.hide()
        if c.provisional:
            years = "、".join(f"{y} 年" for y in c.provisional_years)
            self.provisional.setText(
                f"⚠ 推算：{years}尚无国务院放假安排，期限按法定节假日推算，调休尚未计入。"
                "放假通知公布后请在“工具 → 节假日安排”中录入，期限会自动重算。"
            )
            self.provisional.show()
        else:
            self.provisional.hide()
        self.explain.setPlainText(c.explain())

    def copy(self) -> None:
        if self.clock is not None:
            QApplication.clipboard().setText(self.clock.explain())
