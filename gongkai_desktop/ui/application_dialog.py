"""办理申请: one application's handling — summary, 期限说明, history and the steps.

The steps are tabs (补正, 征求意见, 延期, 收费, 答复, 复议/诉讼; ui/application_actions.py,
application_fee.py and application_answer.py). Each step calls the repository (core/applications.py);
core's Chinese message stays in the dialog and nothing typed is lost on an error.
After each step the 期限说明 panel, the history and every tab are redrawn from the
database, and a change notice (signals.APPLICATIONS) tells the list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import sqlite_utils
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import application_catalog, applications
from . import signals
from .application_actions import ConsultationTab, ExtensionTab, Snapshot, SupplementTab
from .application_answer import AnswerTab, AppealTab
from .application_fee import FeeTab
from .clock_panel import ClockPanel
from .record_dialog import RecordDialog

TAB_CLASSES = (SupplementTab, ConsultationTab, ExtensionTab, FeeTab, AnswerTab, AppealTab)
# The tab a state opens on.
_START_TAB = {"补正中": "补正", "征求意见中": "征求意见", "待缴费": "收费", "已办结": "复议/诉讼"}
_CLOSING_STEPS = ("答复", "逾期不补正", "逾期未缴费")
_NOT_STEPS = {"登记", "生成文书", "修改登记信息"}


def describe_event(e: dict) -> str:
    """One line of the 办理记录 (app_events row with its extra)."""
    x = e["extra"] or {}
    parts = []
    if e["step"] == "登记":
        parts.append(f"申请编号 {x.get('app_no', '')}")
    if "items" in x:
        parts.append(f"补正事项：{x['items']}；补正期限 {x.get('deadline', '')}")
        if x.get("late_notice"):
            parts.append(f"晚于补正告知期限 {x.get('notice_due', '')}")
    if "restart" in x:
        parts.append(f"答复期限自 {x['restart']} 重新起算")
    if "party" in x:
        parts.append(f"{x.get('kind', '')}{x['party']}".strip())
    if "outcome" in x:
        parts.append(str(x["outcome"]))
    if "days" in x:
        parts.append(
            f"延长 {x['days']} 个工作日，{x.get('approver', '')}批准，{x.get('notified', '')} 告知申请人"
        )
    if "method" in x:
        parts.append(
            f"{x['method']} {x.get('count', '')}，{x.get('total', '')} 元，缴费期限 {x.get('payment_deadline', '')}"
        )
    if "result" in x:
        parts.append(f"办理结果：{x['result']}")
    if x.get("late"):
        parts.append(f"晚于答复期限 {x.get('due', '')}")
    if "doc_no" in x:
        parts.append(str(x["doc_no"]))
    if "answer_due" in x and x["answer_due"]:
        parts.append(f"答复期限 {x['answer_due']}")
    head = f"{e['on_date']}　{e['step']}　{e['who']}"
    body = "；".join(p for p in parts if p)
    if e["opinion"]:
        body = f"{body}；意见：{e['opinion']}" if body else f"意见：{e['opinion']}"
    return f"{head}\n    {body}" if body else head


class ApplicationDialog(RecordDialog):
    """Handle application *app_id*. ``today`` pins the date (tests)."""

    CHANGES = signals.APPLICATIONS

    def __init__(
        self,
        db: sqlite_utils.Database,
        app_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(db, "application_dialog", parent, today)
        self.app_id = app_id
        self.snapshot: Snapshot | None = None
        f = self.ui.findChild
        self.tabs_widget: QTabWidget = f(QTabWidget, "actionTabs")
        host: QWidget = f(QWidget, "clockHost")
        lay = QVBoxLayout(host)
        lay.setContentsMargins(0, 0, 0, 0)
        self.clock_panel = ClockPanel(host)
        lay.addWidget(self.clock_panel)
        self.tabs: dict[str, Any] = {}
        for cls in TAB_CLASSES:
            tab = cls(self)
            self.tabs[cls.TITLE] = tab
            self.tabs_widget.addTab(tab.page, cls.TITLE)
        from .attachments_panel import AttachmentsPanel  # 附件 (issue 7 §1)

        self.attachments = AttachmentsPanel(db, "applications", app_id)
        self.tabs_widget.addTab(self.attachments, "附件")
        f(QPushButton, "lettersButton").clicked.connect(self.open_letters)
        self.finish_setup(f(QDialogButtonBox, "buttonBox"))
        self.reload()
        state = self.snapshot.app["state"] if self.snapshot else ""
        steps = {e["step"] for e in applications.events(db, app_id)}
        self.show_tab(_START_TAB.get(state, "补正" if steps <= _NOT_STEPS else "答复"))

    # -- helpers the tabs use -----------------------------------------------------------

    def opinion_text(self) -> str:
        return self.opinion.text().strip()

    def step(self, label: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> bool:
        """run() for a repository step ``fn(db, *args, who=, opinion=, today=, cal=, **kw)``."""
        ctx = {
            "who": self.who(),
            "opinion": self.opinion_text(),
            "today": self.today,
            "cal": self.cal,
        }
        return self.run(label, lambda: fn(self.db, *args, **ctx, **kw))

    def show_tab(self, title: str) -> None:
        tab = self.tabs.get(title)
        if tab is not None:
            self.tabs_widget.setCurrentWidget(tab.page)

    # -- drawing ------------------------------------------------------------------------

    def reload(self) -> None:
        app = applications.get(self.db, self.app_id)
        if app is None:
            self.show_error("该申请已被删除。")
            self.tabs_widget.setEnabled(False)
            return
        prs = applications.pauses(self.db, self.app_id)
        clock = applications.clock(self.db, app, self.cal, self.today)
        s = Snapshot(
            app, prs, applications.appeals(self.db, self.app_id), clock, self.today, self.cal
        )
        self.snapshot = s
        self.setWindowTitle(f"办理申请 — {app['app_no']} {app['applicant_name']}")
        self.title.setText(f"{app['app_no']}　{app['applicant_name']}（{app['applicant_type']}）")
        contact = "　".join(x for x in (app["phone"], app["email"], app["address"]) if x)
        self.summary.setText(
            f"{app['channel']}提交，{app['received_date']} 收到　状态：{app['state']}"
            f"　要求：{app['form_wanted']}，{app['delivery']}　联系方式：{contact or '（无）'}\n"
            f"申请内容：{app['content']}"
        )
        self._show_clock(s)
        events = applications.events(self.db, self.app_id)
        self.history.clear()
        for e in events:
            it = QListWidgetItem(describe_event(e))
            if e["step"] in _CLOSING_STEPS:
                it.setForeground(QColor("#1b5e20"))
            self.history.addItem(it)
        self.history.scrollToBottom()
        for tab in self.tabs.values():
            tab.refresh(s)

    def _show_clock(self, s: Snapshot) -> None:
        a = s.app
        answered = date.fromisoformat(a["answer_date"]) if a["answer_type"] is not None else None
        closed = None
        if a["closed_date"] and answered is None:
            label = application_catalog.load().result_label(a["result"], a["result_reason"])
            closed = f"已于 {a['closed_date']} 办结：{label}。"
        hold = None
        if a["state"] == "待缴费":
            hold = ("待缴费", f"已发出收费通知，缴费期限至 {a['fee_payment_deadline']}。")
        # the 7-day notice matters only before any other step was taken
        steps = {e["step"] for e in applications.events(self.db, self.app_id)}
        notice_pending = not a["supplement_requested"] and steps <= _NOT_STEPS
        self.clock_panel.show_clock(
            s.clock,
            self.today,
            answered=answered,
            closed=closed,
            hold=hold,
            notice_pending=notice_pending,
        )

    def open_letters(self) -> None:
        from .letters_dialog import LettersDialog

        LettersDialog(self.db, self.app_id, self, today=self.today).exec()


def open_application_dialog(
    parent: QWidget | None, db, app_id: int, today: date | None = None
) -> None:
    ApplicationDialog(db, app_id, parent, today=today).exec()
