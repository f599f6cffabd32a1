"""The handling steps of the 办理 dialog, one tab each: 补正, 征求意见, 延期 here; 收费 in
application_fee.py; 答复 and 复议/诉讼 in application_answer.py.

Each tab is a form from forms/app_action_*.ui. Its buttons call one repository
function through ``dialog.step``/``dialog.run`` (which show core's Chinese message and
keep the inputs on error); ``refresh`` redraws the tab from the saved application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import applications
from ..core.application_clock import AnswerClock
from ..core.application_steps import DEFAULT_SUPPLEMENT_WORKING_DAYS
from ..core.calendar import WorkCalendar
from ..core.deadlines import add_working_days
from .clock_panel import day_text
from .forms import load_form

if TYPE_CHECKING:
    from .application_dialog import ApplicationDialog


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def fit_columns(table: QTableWidget, stretch: int) -> None:
    """Columns as wide as their header or widest cell; *stretch* takes the rest."""
    h = table.horizontalHeader()
    h.setStretchLastSection(False)
    table.resizeColumnsToContents()
    fm = h.fontMetrics()
    for c in range(table.columnCount()):
        head = table.horizontalHeaderItem(c)
        wide = fm.horizontalAdvance(head.text() if head else "") + 24
        table.setColumnWidth(c, max(table.columnWidth(c), wide, 72))
    h.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


@dataclass
class Snapshot:
    """The saved application as the tabs draw it."""

    app: dict
    pauses: list[dict]
    appeals: list[dict]
    clock: AnswerClock
    today: date
    cal: WorkCalendar

    @property
    def closed(self) -> bool:
        return bool(self.app["closed_date"])

    @property
    def awaiting_supplement(self) -> bool:
        return bool(self.app["supplement_requested"] and not self.app["supplement_received"])


class ActionTab:
    """One tab: its form, typed lookups, and today's date on every date field."""

    FORM = ""
    TITLE = ""

    def __init__(self, dlg: ApplicationDialog) -> None:
        self.dlg = dlg
        self.page: QWidget = load_form(self.FORM)
        today = qdate(dlg.today)
        for d in self.page.findChildren(QDateEdit):
            d.setMaximumDate(today)
            d.setDate(today)

    def w(self, cls, name):
        found = self.page.findChild(cls, name)
        if found is None:
            raise RuntimeError(f"{self.FORM}.ui lacks {name}")
        return found

    def refresh(self, s: Snapshot) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class SupplementTab(ActionTab):
    """补正 (条例第三十条): notice once within 7 working days; the clock restarts on receipt."""

    FORM, TITLE = "app_action_supplement", "补正"

    def __init__(self, dlg: ApplicationDialog) -> None:
        super().__init__(dlg)
        self.status: QLabel = self.w(QLabel, "statusLabel")
        self.request_date: QDateEdit = self.w(QDateEdit, "requestDate")
        self.items: QPlainTextEdit = self.w(QPlainTextEdit, "itemsEdit")
        self.deadline: QDateEdit = self.w(QDateEdit, "deadlineDate")
        self.deadline.setMaximumDate(QDate(9999, 12, 31))
        self.receive_date: QDateEdit = self.w(QDateEdit, "receiveDate")
        self.close_date: QDateEdit = self.w(QDateEdit, "closeDate")
        self.request_date.dateChanged.connect(self._default_deadline)
        self._default_deadline()
        self.w(QPushButton, "requestButton").clicked.connect(self.request)
        self.w(QPushButton, "receiveButton").clicked.connect(self.receive)
        self.w(QPushButton, "closeButton").clicked.connect(self.close)

    def _default_deadline(self) -> None:
        start = pydate(self.request_date.date())
        due = add_working_days(start, DEFAULT_SUPPLEMENT_WORKING_DAYS, self.dlg.cal).due
        self.deadline.setDate(qdate(due))

    def refresh(self, s: Snapshot) -> None:
        a, c = s.app, s.clock
        if not a["supplement_requested"]:
            late = s.today > c.supplement_notice_due
            text = (
                f"需要补正的，应于 {day_text(c.supplement_notice_due)}前一次性告知申请人"
                "（条例第三十条）" + ("；已过此期限。" if late else "。")
            )
        elif s.awaiting_supplement:
            text = (
                f"已于 {a['supplement_requested']} 发出补正告知，补正期限至 {a['supplement_deadline']}。"
                "等待补正期间答复期限不计算，收到补正材料之日起重新计算20个工作日。"
            )
            if a["supplement_deadline"] and s.today.isoformat() > a["supplement_deadline"]:
                text += "补正期限已过，申请人无正当理由逾期不补正的，视为放弃申请，可办结。"
        else:
            text = (
                f"已于 {a['supplement_requested']} 告知补正，{a['supplement_received']} 收到补正材料，"
                f"答复期限自该日重新起算，至 {day_text(c.due)}。"
            )
        self.status.setText(text)
        can_request = not s.closed and not a["supplement_requested"]
        self.w(QGroupBox, "requestBox").setEnabled(can_request)
        self.w(QGroupBox, "receiveBox").setEnabled(not s.closed and s.awaiting_supplement)
        lapsed = bool(a["supplement_deadline"]) and s.today.isoformat() > a["supplement_deadline"]
        close = self.w(QGroupBox, "closeBox")
        close.setEnabled(not s.closed and s.awaiting_supplement and lapsed)
        close.setToolTip(
            "" if lapsed else "补正期限届满后，申请人仍未补正的，才能按此办结（条例第三十条）"
        )

    def request(self) -> None:
        d = self.dlg
        when, items = pydate(self.request_date.date()), self.items.toPlainText()
        due = pydate(self.deadline.date())
        if d.step("补正告知", applications.request_supplement, d.app_id, when, items, due):
            self.items.clear()

    def receive(self) -> None:
        d = self.dlg
        when = pydate(self.receive_date.date())
        d.step("收到补正材料（答复期限重新起算）", applications.receive_supplement, d.app_id, when)

    def close(self) -> None:
        d = self.dlg
        when = pydate(self.close_date.date())
        d.step(
            "逾期不补正，已办结（其他处理）", applications.close_without_supplement, d.app_id, when
        )


class ConsultationTab(ActionTab):
    """征求意见 (条例第三十二条、第三十四条): the clock pauses while a request is out."""

    FORM, TITLE = "app_action_consultation", "征求意见"

    def __init__(self, dlg: ApplicationDialog) -> None:
        super().__init__(dlg)
        self.table: QTableWidget = self.w(QTableWidget, "pauseTable")
        self.table.verticalHeader().hide()
        fit_columns(self.table, stretch=5)
        self.kind: QComboBox = self.w(QComboBox, "kindCombo")
        self.kind.addItems(("第三方", "其他机关"))
        self.party: QLineEdit = self.w(QLineEdit, "partyEdit")
        self.start_date: QDateEdit = self.w(QDateEdit, "startDate")
        self.pause: QComboBox = self.w(QComboBox, "pauseCombo")
        self.reply_date: QDateEdit = self.w(QDateEdit, "replyDate")
        self.silent: QCheckBox = self.w(QCheckBox, "silentCheck")
        self.outcome: QLineEdit = self.w(QLineEdit, "outcomeEdit")
        self.silent.toggled.connect(lambda on: self.reply_date.setEnabled(not on))
        self.w(QPushButton, "startButton").clicked.connect(self.start)
        self.w(QPushButton, "endButton").clicked.connect(self.end)

    def refresh(self, s: Snapshot) -> None:
        counted = list(s.clock.pauses)
        self.table.setRowCount(len(s.pauses))
        for r, p in enumerate(s.pauses):
            pc = counted[r] if r < len(counted) else None
            values = (
                p["kind"],
                p["party"],
                p["start"],
                pc.reply_period_end.isoformat() if pc else "",
                p["reply"] or "",
                p["outcome"] or "征求意见中",
                str(pc.working_days) if pc else "",
            )
            for c, v in enumerate(values):
                cell = QTableWidgetItem(v)
                cell.setToolTip(v)
                self.table.setItem(r, c, cell)
        fit_columns(self.table, stretch=5)
        self.pause.clear()
        for p in s.pauses:
            if not p["outcome"]:
                self.pause.addItem(f"{p['start']} 向{p['party']}（{p['kind']}）", p["id"])
        self.w(QGroupBox, "startBox").setEnabled(not s.closed and not s.awaiting_supplement)
        self.w(QGroupBox, "endBox").setEnabled(not s.closed and self.pause.count() > 0)

    def start(self) -> None:
        d = self.dlg
        kind, party, when = (
            self.kind.currentText(),
            self.party.text(),
            pydate(self.start_date.date()),
        )
        if d.step(
            "发出征求意见（暂停计时）", applications.start_consultation, d.app_id, kind, party, when
        ):
            self.party.clear()

    def end(self) -> None:
        d = self.dlg
        pause_id = self.pause.currentData()
        if pause_id is None:
            d.show_error("没有正在进行的征求意见。")
            return
        reply = None if self.silent.isChecked() else pydate(self.reply_date.date())
        if d.step(
            "征求意见结果", applications.end_consultation, pause_id, reply, self.outcome.text()
        ):
            self.outcome.clear()
            self.silent.setChecked(False)


class ExtensionTab(ActionTab):
    """延期 (条例第三十三条): once, at most 20 working days, approved and told."""

    FORM, TITLE = "app_action_extension", "延期"

    def __init__(self, dlg: ApplicationDialog) -> None:
        super().__init__(dlg)
        self.status: QLabel = self.w(QLabel, "statusLabel")
        self.days: QSpinBox = self.w(QSpinBox, "daysSpin")
        self.approver: QLineEdit = self.w(QLineEdit, "approverEdit")
        self.approve_date: QDateEdit = self.w(QDateEdit, "approveDate")
        self.notified_date: QDateEdit = self.w(QDateEdit, "notifiedDate")
        self.preview: QLabel = self.w(QLabel, "previewLabel")
        self.days.valueChanged.connect(self._preview)
        self.w(QPushButton, "extendButton").clicked.connect(self.extend)
        self._snapshot: Snapshot | None = None

    def refresh(self, s: Snapshot) -> None:
        self._snapshot = s
        a = s.app
        if a["extension_days"]:
            self.status.setText(
                f"已于 {a['extension_date']} 经{a['extension_approver']}批准延期 {a['extension_days']} 个工作日，"
                f"{a['extension_notified']} 告知申请人；答复期限延至 {day_text(s.clock.due)}。"
            )
        else:
            self.status.setText(
                "需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，"
                "延长的期限最长不得超过20个工作日（条例第三十三条），只能延期一次。"
            )
        can = not s.closed and not a["extension_days"] and not s.awaiting_supplement
        self.w(QGroupBox, "extendBox").setEnabled(can)
        self._preview()

    def _preview(self) -> None:
        s = self._snapshot
        if s is None or s.app["extension_days"] or s.awaiting_supplement:
            self.preview.clear()
            return
        d = self.dlg
        c = applications.clock(d.db, s.app | {"extension_days": self.days.value()}, d.cal, d.today)
        self.preview.setText(f"延期后答复期限：{day_text(c.due)}（现为 {day_text(s.clock.due)}）")

    def extend(self) -> None:
        d = self.dlg
        days, approver = self.days.value(), self.approver.text()
        approved, told = pydate(self.approve_date.date()), pydate(self.notified_date.date())
        d.step(
            f"延期 {days} 个工作日", applications.extend, d.app_id, days, approver, approved, told
        )
