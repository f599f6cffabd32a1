"""工作台 tab: what is due today, this year's requirements, the inspection countdown, the
work plan and the year's charts (issue 8 §1). Every figure explains itself: select a
line (or hover it) and the reason is shown."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..core import work_plan, workbench
from ..core.calendar import weekday_label
from ..core.errors import UserError
from ..core.workbench_requirements import AMBER, GREEN, GREY, RED, STATUS_LABELS
from . import signals
from .form_tab import FormTab
from .forms import host
from .work_plan_dialog import WorkPlanActions, pydate, qdate
from .workbench_charts import ChartsPanel

ROLE = Qt.ItemDataRole.UserRole
COLOURS = {GREEN: "#2e7d32", AMBER: "#e0a000", RED: "#c62828", GREY: "#808080"}
OVERDUE_FG = QColor("#c62828")
SOON_FG = QColor("#8a5a00")
PLAN_FG = {"已逾期": QColor("#c62828"), "提醒中": QColor("#8a5a00"),
           "已完成": QColor("#2e7d32"), "逾期完成": QColor("#6b737b")}  # fmt: skip
NO_DATE = date(2000, 1, 1)  # the date edit's minimum, shown as 未设置


def _dot(colour: str) -> QIcon:
    pm = QPixmap(14, 14)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(colour))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(1, 1, 12, 12)
    p.end()
    return QIcon(pm)


def _day(d: date) -> str:
    return f"{d.isoformat()}（{weekday_label(d)}）"


class WorkbenchTab(WorkPlanActions, FormTab):
    """The 工作台. ``open_record(table, id)`` asks the main window to open a record;
    ``open_link(link)`` to show the tab (and section) that fixes a requirement."""

    FORM = "workbench_tab"
    open_record = Signal(str, int)
    open_link = Signal(str)

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(db, parent, today=today)
        f = self._w
        self.summary: QLabel = f(QLabel, "summaryLabel")
        self.year_combo: QComboBox = f(QComboBox, "yearCombo")
        self.due_tree: QTreeWidget = f(QTreeWidget, "dueTree")
        self.plan_tree: QTreeWidget = f(QTreeWidget, "planTree")
        self.req_tree: QTreeWidget = f(QTreeWidget, "reqTree")
        self.explain: QPlainTextEdit = f(QPlainTextEdit, "explainBox")
        self.inspection: QDateEdit = f(QDateEdit, "inspectionDate")
        self.countdown: QLabel = f(QLabel, "countdownLabel")
        self.score: QLabel = f(QLabel, "scoreLabel")
        names = ("refresh", "addPlan", "editPlan", "donePlan", "removePlan", "seedPlan")
        self.buttons = {n: f(QPushButton, f"{n}Button") for n in names}
        self.charts = ChartsPanel()
        host(self.charts, f(QWidget, "chartsHost"))
        splitter: QSplitter = f(QSplitter, "splitter")
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([500, 600])
        self.lines: list[workbench.DueLine] = []
        self.requirements: list[workbench.Requirement] = []
        self.plan_rows: list[dict] = []
        self.countdown_info: dict = {}
        self.opened_line: workbench.DueLine | None = None
        self.last_message = ""
        self._disposed = False
        self._dirty = False
        self.inspection.setMinimumDate(qdate(NO_DATE))
        for t in (self.due_tree, self.plan_tree, self.req_tree):
            t.header().setStretchLastSection(False)
            t.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.due_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.plan_tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.req_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.req_tree.setWordWrap(True)
        y = self.today.year
        for year in range(y + 1, y - 5, -1):
            self.year_combo.addItem(f"{year}年", year)
        self.year_combo.setCurrentIndex(1)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        b = self.buttons
        b["refresh"].clicked.connect(self.refresh)
        b["addPlan"].clicked.connect(lambda: self.edit_plan(None))
        b["editPlan"].clicked.connect(lambda: self.edit_plan(self.selected_plan()))
        b["donePlan"].clicked.connect(lambda: self.mark_plan_done())
        b["removePlan"].clicked.connect(lambda: self.remove_plan())
        b["seedPlan"].clicked.connect(self.seed_plan)
        self.due_tree.itemActivated.connect(self._due_activated)
        self.due_tree.currentItemChanged.connect(lambda cur, _p: self._show_tip(cur))
        self.req_tree.itemActivated.connect(self._req_activated)
        self.req_tree.currentItemChanged.connect(lambda cur, _p: self._show_tip(cur))
        self.plan_tree.currentItemChanged.connect(lambda cur, _p: self._plan_selected(cur))
        self.plan_tree.itemActivated.connect(lambda _i, _c: self.edit_plan(self.selected_plan()))
        self.inspection.dateChanged.connect(self._inspection_changed)
        signals.changes().changed.connect(self._on_changed)
        self.refresh()

    def dispose(self) -> None:
        if self._disposed:
            return
        self._disposed = True
        signals.changes().changed.disconnect(self._on_changed)

    @property
    def disposed(self) -> bool:
        return self._disposed

    @property
    def year(self) -> int:
        return self.year_combo.currentData() or self.today.year

    # -- drawing -------------------------------------------------------------------------

    def _on_changed(self, _kind: str) -> None:
        # Any change can move a deadline or a requirement. Redraw now when shown (cheap:
        # a few queries); when hidden, once the tab is shown again.
        if self._disposed:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._dirty:
            self.refresh()
        else:
            self._fit_requirements()  # row heights are only known once shown

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_requirements()  # wrapped reasons take more or fewer lines

    def refresh(self) -> None:
        if self._disposed:
            return
        self._dirty = False
        today, year = self.today, self.year
        self.lines = workbench.due_items(self.db, today)
        self.requirements = workbench.requirements(self.db, year, today)
        self.plan_rows = work_plan.for_year(self.db, year)
        reminders = work_plan.reminders(self.db, today)
        self._fill_due()
        self._fill_requirements()
        self._fill_plan()
        self._show_countdown()
        self.charts.set_data(year, workbench.charts(self.db, year))
        late = sum(ln.overdue for ln in self.lines)
        soon = len(self.lines) - late
        parts = [f"<b>今天 {_day(today)}</b>"]
        parts.append(
            f"<span style='color:#c62828'>已逾期 {late} 项</span>" if late else "没有逾期事项"
        )
        parts.append(f"{workbench.HORIZON_WORKING_DAYS}个工作日内到期 {soon} 项")
        if reminders:
            parts.append(f"工作计划提醒 {len(reminders)} 项")
        self.summary.setText("　·　".join(parts))
        self.summary.setToolTip(
            "已逾期：过了期限仍未办结；到期：在今后"
            f"{workbench.HORIZON_WORKING_DAYS}个工作日内到期（按工作日历计算，节假日不计）。"
        )

    def _fill_due(self) -> None:
        self.due_tree.clear()
        for kind in workbench.KINDS:
            lines = [ln for ln in self.lines if ln.kind == kind]
            if not lines:
                continue
            late = sum(ln.overdue for ln in lines)
            head = QTreeWidgetItem(
                [f"{kind}（{len(lines)}）", "", f"其中逾期{late}项" if late else ""]
            )
            f = head.font(0)
            f.setBold(True)
            head.setFont(0, f)
            head.setToolTip(0, workbench.KIND_RULES[kind])
            head.setData(0, ROLE, ("kind", workbench.KIND_RULES[kind]))
            if late:
                head.setForeground(2, QBrush(OVERDUE_FG))
            self.due_tree.addTopLevelItem(head)
            for ln in lines:
                row = QTreeWidgetItem([ln.label, _day(ln.due), ln.left_text])
                row.setData(0, ROLE, ("line", ln))
                for c in range(3):
                    row.setToolTip(c, ln.explain)
                colour = (
                    OVERDUE_FG if ln.overdue else (SOON_FG if ln.working_days_left <= 1 else None)
                )
                if colour is not None:
                    row.setForeground(2, QBrush(colour))
                head.addChild(row)
            head.setExpanded(True)
        if not self.lines:
            empty = QTreeWidgetItem(["没有逾期或即将到期的事项。", "", ""])
            empty.setForeground(0, QBrush(QColor("#2e7d32")))
            self.due_tree.addTopLevelItem(empty)

    def _fill_requirements(self) -> None:
        self.req_tree.clear()
        for r in self.requirements:
            row = QTreeWidgetItem([r.title, STATUS_LABELS[r.status]])
            row.setIcon(0, _dot(COLOURS[r.status]))
            row.setForeground(1, QBrush(QColor(COLOURS[r.status])))
            row.setData(0, ROLE, ("req", r))
            for c in range(2):
                row.setToolTip(c, r.reason + "\n（双击前往办理）")
            self.req_tree.addTopLevelItem(row)
            if r.status != GREEN:  # what is wrong, in words, without hovering
                why = QTreeWidgetItem([r.reason])
                why.setData(0, ROLE, ("req", r))
                why.setForeground(0, QBrush(QColor("#4d5660")))
                why.setToolTip(0, r.reason)
                row.addChild(why)
                why.setFirstColumnSpanned(True)
                row.setExpanded(True)
        self._fit_requirements()

    def _fit_requirements(self) -> None:
        """No taller than its rows, so the charts get the rest."""
        t = self.req_tree
        t.doItemsLayout()
        h = t.header().sizeHint().height() + 2 * t.frameWidth() + 6
        it = t.topLevelItem(0)
        while it is not None:
            # rows outside the viewport report no rect: count them as icon-high rows
            h += max(t.visualItemRect(it).height(), t.fontMetrics().height() + 6, 20)
            it = t.itemBelow(it)
        # grows up to its rows, shrinks (and scrolls) on small screens; charts get the rest
        t.setMinimumHeight(min(h, 110))
        t.setMaximumHeight(h)
        box = t.parentWidget()  # the group box: no taller than the tree and its title
        box.setMaximumHeight(h + box.minimumSizeHint().height() - t.minimumSizeHint().height())

    def _fill_plan(self) -> None:
        self.plan_tree.clear()
        today = self.today
        for p in self.plan_rows:
            st = work_plan.status(p, today)
            row = QTreeWidgetItem([p["due_date"], p["title"], p["responsible"], st])
            row.setData(0, ROLE, ("plan", p))
            tip = work_plan.explain(p, today)
            for c in range(4):
                row.setToolTip(c, tip)
            if st in PLAN_FG:
                row.setForeground(3, QBrush(PLAN_FG[st]))
            self.plan_tree.addTopLevelItem(row)
        if not self.plan_rows:
            empty = QTreeWidgetItem(
                ["", f"{self.year}年还没有工作计划。可点“按实施方案生成”。", "", ""]
            )
            empty.setForeground(1, QBrush(QColor("#6b737b")))
            self.plan_tree.addTopLevelItem(empty)
        self._update_plan_buttons()

    def _show_countdown(self) -> None:
        info = workbench.inspection_countdown(self.db, self.today, self.year)
        self.countdown_info = info
        d = info["inspection_date"]
        self.inspection.blockSignals(True)
        self.inspection.setDate(qdate(d or NO_DATE))
        self.inspection.blockSignals(False)
        left = info["days_left"]
        if d is None:
            self.countdown.setText("请设置预计检查日期")
            colour = "#6b737b"
        else:
            self.countdown.setText(
                f"距检查还有 {left} 天"
                if left > 0
                else ("今天检查" if left == 0 else f"已过去 {-left} 天")
            )
            colour = "#c62828" if 0 <= left <= 14 else "#2b2f33"
        self.countdown.setStyleSheet(f"color: {colour}; font-weight: bold;")
        total = workbench_fmt(info["score_total"])
        unscored = info["unscored"]
        text = (
            f"{self.year}年自评得分：{total} 分（基本分满分 {workbench_fmt(info['score_max'])} 分）"
        )
        text += f"；尚未评分 {len(unscored)} 项" if unscored else "；各项均已评分"
        self.score.setText(text)
        tip = "自评打分在“自评打分”页填写；加分项不计入未评分。"
        if unscored:
            tip += "\n尚未评分：\n" + "\n".join(unscored)
        self.score.setToolTip(tip)

    # -- selection and opening -----------------------------------------------------------

    def _show_tip(self, item: QTreeWidgetItem | None) -> None:
        data = item.data(0, ROLE) if item is not None else None
        if not data:
            return
        what, obj = data
        text = {"line": lambda: f"{obj.kind}：{obj.label}（{obj.left_text}）\n{obj.explain}", "req": lambda: f"{obj.title}：{STATUS_LABELS[obj.status]}\n{obj.reason}",
                "kind": lambda: obj}[what]()  # fmt: skip
        self.explain.setPlainText(text)

    def _due_activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        data = item.data(0, ROLE)
        if data and data[0] == "line":
            self.open_line(data[1])

    def open_line(self, line: workbench.DueLine) -> None:
        self.opened_line = line  # lets the main window open the right page of the record
        self.open_record.emit(line.record_table, line.record_id)

    def _req_activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        data = item.data(0, ROLE)
        if data and data[0] == "req":
            self.open_link.emit(data[1].link)

    def due_labels(self, kind: str | None = None) -> list[str]:
        """The labels shown under *kind* (all kinds when None), in order."""
        return [ln.label for ln in self.lines if kind is None or ln.kind == kind]

    # -- inspection date -----------------------------------------------------------------

    def set_inspection(self, d: date | None) -> bool:
        try:
            workbench.set_inspection_date(self.db, d, year=self.year)
        except UserError as e:
            QMessageBox.warning(self, "预计检查日期", str(e))
            return False
        signals.notify(signals.ASSESSMENT)  # the 自评打分 tab shows the same date
        return True

    def _inspection_changed(self, q) -> None:
        d = pydate(q)
        self.set_inspection(None if d == NO_DATE else d)

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)


def workbench_fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
