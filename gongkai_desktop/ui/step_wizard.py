"""七项程序向导: walks one registry item through 提出 → … → 建档 (seed 三(五)1).

Each page records its step through ``items.record_step`` when the clerk presses
“记录并继续”; the rules and their messages are in core/workflow.py. A step once
recorded stays recorded: closing the wizard keeps it, and the next opening starts
at the item's current stage. A 退回 at 初审/审核 brings the wizard back to 提出.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..core import catalog, deadlines, items, profile, workflow
from ..core.calendar import WorkCalendar, weekday_label
from ..core.errors import UserError
from ..core.item_history import describe_extra
from . import signals
from .flow_chart import FlowChart
from .forms import load_form

DONE_PAGE = len(workflow.STEPS)  # page ids: STAGES.index(stage)

# What each step is, shown under the page title (RULES.md §2).
STEP_HINTS = {
    "提出": "承办科室在职责范围内提出拟公开的信息。",
    "初审": "政务公开工作机构初审，包括保密审查和不予公开情形审查，并报领导小组。可退回提出。",
    "审核": "政务公开领导小组审核决定。可退回提出，退回时须写明退回意见。",
    "公开": "通过一种或多种公开方式发布，记录公开日期和网址。",
    "反馈": "收集公众的反馈意见。没有反馈的，记录“无反馈”。",
    "整改": "对发现的问题进行整改。不需要整改的，记录“无需整改”。",
    "建档": "把这一事项的材料收集整理归档。",
}
RETURN_RESULT = "退回提出"
_STATE_COLOURS = {
    deadlines.STATE_OVERDUE: "#b3261e",
    deadlines.STATE_DUE_SOON: "#b26a00",
    deadlines.STATE_LATE: "#b3261e",
}


@dataclass
class _Context:
    db: object
    item_id: int
    today: date
    cal: WorkCalendar
    operator: str
    recorded: list[workflow.Transition] = field(default_factory=list)

    def item(self) -> dict:
        item = items.get(self.db, self.item_id)
        if item is None:
            raise UserError("该事项已被删除。")
        return item


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _fmt_day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{iso}（{weekday_label(d)}）"


def fill_history(widget: QListWidget, rows: list[dict]) -> None:
    widget.clear()
    if not rows:
        widget.addItem("（尚未办理任何环节）")
        return
    for r in rows:
        text = f"{r['on_date']}  {r['step']}·{r['action']}  {r['who']}"
        if r["action"] == workflow.RETURN:
            text += f"\n  退回意见：{r['opinion']}"
        else:
            text += f"：{r['result']}" + (f"（{r['opinion']}）" if r["opinion"] else "")
        details = describe_extra(r["extra"])
        if details:
            text += f"\n  {details}"
        it = QListWidgetItem(text)
        it.setToolTip(text)
        if r["action"] == workflow.RETURN:
            it.setForeground(QColor("#b3261e"))
        widget.addItem(it)
    widget.scrollToBottom()


def _chart_dates(rows: list[dict]) -> dict[str, str]:
    """Dates of the steps in the current round (after the last 退回)."""
    out: dict[str, str] = {}
    for r in rows:
        if r["action"] == workflow.RETURN:
            out = {}
        else:
            out[r["step"]] = r["on_date"][5:]
    return out


class StepPage(QWizardPage):
    """One step of the seven: common fields plus the step's own form."""

    def __init__(self, ctx: _Context, step: str) -> None:
        super().__init__()
        self.ctx, self.step = ctx, step
        i = workflow.STEPS.index(step)
        self.setTitle(f"第{i + 1}步：{step}")
        self.setSubTitle(STEP_HINTS[step])
        self.setCommitPage(True)  # a recorded step cannot be taken back
        self.form = load_form("step_page_common", self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.form)
        f = self.form
        self.chart: FlowChart = f.findChild(FlowChart, "flowChart")
        self.who: QLineEdit = f.findChild(QLineEdit, "whoEdit")
        self.date: QDateEdit = f.findChild(QDateEdit, "dateEdit")
        self.opinion: QPlainTextEdit = f.findChild(QPlainTextEdit, "opinionEdit")
        self.result: QLineEdit = f.findChild(QLineEdit, "resultEdit")
        self.complete_radio: QRadioButton = f.findChild(QRadioButton, "completeRadio")
        self.return_radio: QRadioButton = f.findChild(QRadioButton, "returnRadio")
        self.nothing: QPushButton = f.findChild(QPushButton, "nothingButton")
        self.error: QLabel = f.findChild(QLabel, "errorLabel")
        self.notice: QLabel = f.findChild(QLabel, "noticeLabel")
        self.history: QListWidget = f.findChild(QListWidget, "historyList")
        self.error.hide()
        self.notice.hide()
        f.findChild(QGroupBox, "actionBox").setVisible(step in workflow.RETURNABLE)
        self.return_radio.toggled.connect(self._return_toggled)
        self.nothing.setVisible(step in workflow.NOTHING)
        if step in workflow.NOTHING:
            self.nothing.setText(f"{workflow.NOTHING[step]}，直接记录")
            self.nothing.clicked.connect(self._record_nothing)
        if step == "公开":
            f.findChild(QLabel, "dateLabel").setText("公开日期：")
        self.extra = self._load_extra(step)
        self.date.dateChanged.connect(self._date_changed)

    # -- step-specific parts --------------------------------------------------

    def _load_extra(self, step: str) -> QWidget | None:
        name = {"初审": "step_page_review", "公开": "step_page_publish"}.get(step)
        if name is None:
            return None
        box = self.form.findChild(QWidget, "extraBox")
        extra = load_form(name, box)
        box.layout().addWidget(extra)
        if step == "初审":
            extra.findChild(QComboBox, "secrecyCombo").addItems(workflow.SECRECY)
            extra.findChild(QComboBox, "exemptionCombo").addItems(workflow.EXEMPTIONS)
        else:
            self.channels: QListWidget = extra.findChild(QListWidget, "channelList")
            self.url: QLineEdit = extra.findChild(QLineEdit, "urlEdit")
            self.deadline: QLabel = extra.findChild(QLabel, "deadlineLabel")
        return extra

    def _step_extra(self) -> dict:
        if self.step == "初审":
            x = self.extra
            return {
                "secrecy": x.findChild(QComboBox, "secrecyCombo").currentText(),
                "exemption": x.findChild(QComboBox, "exemptionCombo").currentText(),
                "review_reason": x.findChild(QLineEdit, "reasonEdit").text().strip(),
            }
        if self.step == "公开":
            chosen = [
                self.channels.item(i).text()
                for i in range(self.channels.count())
                if self.channels.item(i).checkState() == Qt.CheckState.Checked
            ]
            return {"channels": chosen, "url": self.url.text().strip()}
        return {}

    def _fill_publish(self, item: dict) -> None:
        current = set(items_channels(item))
        self.channels.clear()
        for name in catalog.channels(self.ctx.db):
            it = QListWidgetItem(name)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if name in current else Qt.CheckState.Unchecked)
            self.channels.addItem(it)
        # wrapping list: every cell as wide as the longest name, so none is cut off
        fm = self.channels.fontMetrics()
        widest = max((fm.horizontalAdvance(n) for n in catalog.channels(self.ctx.db)), default=60)
        self.channels.setGridSize(QSize(widest + 34, fm.height() + 8))
        self.url.setText(item["url"] or "")
        self._show_deadline()

    def _show_deadline(self) -> None:
        """公开期限 (条例第二十六条) now, and whether the chosen date is on time."""
        item, ctx = self.ctx.item(), self.ctx
        formed = date.fromisoformat(item["formed_date"])
        now = deadlines.publish_status(formed, None, ctx.today, ctx.cal)
        chosen = deadlines.publish_status(formed, _pydate(self.date.date()), ctx.today, ctx.cal)
        d = now.deadline
        head = f"公开期限：{_fmt_day(d.due.isoformat())}届满（生成日期 {item['formed_date']} 起 {d.working_days} 个工作日）"
        if ctx.today > d.due:
            left = "已过届满日"
        else:
            left = f"还剩 {now.days_left} 个工作日"
        colour = _STATE_COLOURS.get(now.state, "#2e6b2e")
        text = f"{head}<br><b style='color:{colour}'>{now.state}</b>，{left}"
        if d.provisional:
            years = "、".join(str(y) for y in d.provisional_years)
            text += f"　<b style='color:#b26a00'>推算</b>（{years}年尚无放假安排）"
        c2 = _STATE_COLOURS.get(chosen.state, "#2e6b2e")
        text += f"<br>按所选公开日期 {_pydate(self.date.date())}：<b style='color:{c2}'>{chosen.state}</b>"
        self.deadline.setText(text)
        self.deadline.setToolTip(now.explain())

    # -- QWizardPage ----------------------------------------------------------

    def initializePage(self) -> None:
        item = self.ctx.item()
        rows = items.steps(self.ctx.db, self.ctx.item_id)
        self.chart.set_state(item["stage"], item["returns"], _chart_dates(rows))
        show_item_header(self.form, item, self.ctx)
        fill_history(self.history, rows)
        self.who.setText(self.ctx.operator)
        self.date.setMaximumDate(_qdate(self.ctx.today))
        self.date.setDate(_qdate(self.ctx.today))
        self.opinion.clear()
        self.complete_radio.setChecked(True)
        self.result.setText(workflow.DEFAULT_RESULT[self.step])
        self.error.hide()
        last = rows[-1] if rows else None
        if self.step == "提出" and last and last["action"] == workflow.RETURN:
            self.notice.setText(
                f"{last['on_date']} {last['step']}退回（{last['who']}）：{last['opinion']}\n"
                "请按退回意见修改后重新提出；信息名称等内容可在“公开登记”中编辑。"
            )
            self.notice.show()
        else:
            self.notice.hide()
        if self.step == "公开":
            self._fill_publish(item)
        self.wizard().setWindowTitle(f"办理七项程序 — {item['title']}")

    def validatePage(self) -> bool:
        action = workflow.RETURN if self.return_radio.isChecked() else workflow.COMPLETE
        inp = workflow.StepInput(
            step=self.step,
            action=action,
            who=self.who.text(),
            on_date=_pydate(self.date.date()),
            opinion=self.opinion.toPlainText(),
            result=self.result.text(),
            extra=self._step_extra(),
        )
        try:
            t = items.record_step(self.ctx.db, self.ctx.item_id, inp, today=self.ctx.today)
        except UserError as e:  # WorkflowError / ValidationError: the rule's own words
            self.error.setText(str(e))
            self.error.show()
            return False
        self.ctx.recorded.append(t)
        signals.notify(signals.ITEMS)
        if t.returned:
            wiz = self.wizard()
            wiz.setStartId(workflow.STEPS.index("提出"))
            wiz.restart()  # QWizard will not revisit a page in its history
            return False
        return True

    def nextId(self) -> int:
        item = items.get(self.ctx.db, self.ctx.item_id)
        stage = item["stage"] if item else workflow.DONE
        if stage == self.step:  # not recorded yet: the page that would follow
            return workflow.STAGES.index(stage) + 1
        return workflow.STAGES.index(stage)

    # -- slots ----------------------------------------------------------------

    def _return_toggled(self, returning: bool) -> None:
        self.form.findChild(QLabel, "opinionLabel").setText("退回意见：" if returning else "意见：")
        default = workflow.DEFAULT_RESULT[self.step]
        if returning and self.result.text() in ("", default):
            self.result.setText(RETURN_RESULT)
        elif not returning and self.result.text() in ("", RETURN_RESULT):
            self.result.setText(default)

    def _date_changed(self, _d: QDate) -> None:
        if self.step == "公开":
            self._show_deadline()

    def _record_nothing(self) -> None:
        self.result.setText(workflow.NOTHING[self.step])
        self.wizard().next()


class DonePage(QWizardPage):
    """After 建档: the finished chart, a summary and the whole history."""

    def __init__(self, ctx: _Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("七项程序已全部完成")
        self.setSubTitle("该事项已建档。")
        self.form = load_form("step_page_done", self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.form)

    def initializePage(self) -> None:
        item = self.ctx.item()
        rows = items.steps(self.ctx.db, self.ctx.item_id)
        self.form.findChild(FlowChart, "flowChart").set_state(
            item["stage"], item["returns"], _chart_dates(rows)
        )
        self.form.findChild(QLabel, "itemTitle").setText(item["title"])
        chans = "、".join(items_channels(item)) or "（无）"
        summary = (
            f"索引号：{item['index_no']}　公开日期：{item['published_date'] or '（未公开）'}"
            f"　公开方式：{chans}"
        )
        if item["url"]:
            summary += f"\n网址：{item['url']}"
        if item["returns"]:
            summary += f"\n办理中退回 {item['returns']} 次。"
        self.form.findChild(QLabel, "summaryLabel").setText(summary)
        fill_history(self.form.findChild(QListWidget, "historyList"), rows)


def items_channels(item: dict) -> list[str]:
    raw = item.get("channels") or "[]"
    return json.loads(raw) if isinstance(raw, str) else list(raw)


def show_item_header(form: QWidget, item: dict, ctx: _Context) -> None:
    form.findChild(QLabel, "itemTitle").setText(item["title"])
    due = f"　公开期限：{item['publish_due']}" + ("（推算）" if item["provisional"] else "")
    form.findChild(QLabel, "itemInfo").setText(
        f"索引号：{item['index_no']}　生成日期：{item['formed_date']}"
        f"　当前环节：{workflow.stage_label(item['stage'])}{due}"
    )


class StepWizard:
    """Builds the wizard from forms/step_wizard.ui; ``wizard`` is the QWizard.

    Usable without exec() (tests): show ``wizard`` and press its buttons.
    """

    def __init__(
        self, parent: QWidget | None, db, item_id: int, *, today: date | None = None
    ) -> None:
        prof = profile.load(db)
        self.ctx = _Context(
            db,
            item_id,
            today or date.today(),
            WorkCalendar.from_db(db),
            prof.operator if prof else "",
        )
        item = self.ctx.item()
        self.wizard: QWizard = load_form("step_wizard", parent)
        w = self.wizard
        w.setButtonText(QWizard.WizardButton.CommitButton, "记录并继续 >")
        w.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        w.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        w.setButtonText(QWizard.WizardButton.CancelButton, "关闭")
        w.setButtonLayout(
            [
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.CommitButton,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            ]
        )
        self.pages: dict[str, StepPage] = {}
        for i, step in enumerate(workflow.STEPS):
            self.pages[step] = StepPage(self.ctx, step)
            w.setPage(i, self.pages[step])
        self.done_page = DonePage(self.ctx)
        w.setPage(DONE_PAGE, self.done_page)
        w.setStartId(workflow.STAGES.index(item["stage"]))

    @property
    def recorded(self) -> bool:
        return bool(self.ctx.recorded)

    def current_page(self) -> QWizardPage:
        return self.wizard.currentPage()


def open_step_wizard(parent: QWidget | None, db, item_id: int) -> bool:
    """Open the seven-step wizard on *item_id*; True if any step was recorded."""
    sw = StepWizard(parent, db, item_id)
    sw.wizard.exec()
    return sw.recorded


__all__ = ["StepWizard", "open_step_wizard", "fill_history"]
