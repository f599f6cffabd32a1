"""事项历史: an item's 办理环节 (every step, returns included) with the 附件 of the selected
step (issue 7 §1: attachments on step records), and 修改记录 (audit trail)."""

from __future__ import annotations

import sqlite_utils
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import item_history, items, workflow
from ..core.errors import UserError
from .attachments_panel import AttachmentsPanel
from .forms import embed_form

_RETURN_FG = QColor("#b3261e")
PICK_STEP = "请先在上方选中一个办理环节，再添加该环节的附件（如签批单扫描件）。"


class ItemHistoryDialog(QDialog):
    def __init__(
        self, db: sqlite_utils.Database, item_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        item = items.get(db, item_id)
        if item is None:
            raise UserError("该事项已被删除。")
        self.ui = embed_form("history_dialog", self, margin=6)
        self.setWindowTitle(f"事项历史 — {item['title']}")
        f = self.ui.findChild
        f(QLabel, "itemTitle").setText(item["title"])
        f(QLabel, "itemInfo").setText(
            f"索引号：{item['index_no']}　当前环节：{workflow.stage_label(item['stage'])}"
            f"　退回次数：{item['returns']}"
        )
        f(QDialogButtonBox, "buttonBox").rejected.connect(self.reject)
        f(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Close).setText(
            "关闭"
        )
        self.steps_table: QTableWidget = f(QTableWidget, "stepsTable")
        self.changes_tree: QTreeWidget = f(QTreeWidget, "changesTree")
        self.steps = items.steps(db, item_id)
        self._fill_steps(self.steps)
        self._fill_changes(item_history.changes(db, item_id))
        # 附件 of the selected step (core/attachments: item_steps records)
        self.attachments = AttachmentsPanel(db, "item_steps", None, self)
        self.attachments.set_record("item_steps", None, PICK_STEP)
        self.attachments.setMaximumHeight(190)
        f(QVBoxLayout, "stepsLayout").addWidget(self.attachments)
        self.steps_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps_table.itemSelectionChanged.connect(self._step_picked)

    def _step_picked(self) -> None:
        row = self.steps_table.currentRow()
        step = self.steps[row] if 0 <= row < len(self.steps) else None
        self.attachments.set_record("item_steps", step and step["id"])
        if step is not None:
            self.attachments.status.setText(
                f"第 {row + 1} 个环节（{step['step']}，{step['on_date']}）的附件"
            )

    def select_step(self, row: int) -> None:
        self.steps_table.selectRow(row)

    def _fill_steps(self, rows: list[dict]) -> None:
        t = self.steps_table
        t.verticalHeader().hide()
        t.setRowCount(len(rows))
        for r, s in enumerate(rows):
            values = (
                s["step"],
                s["action"],
                s["who"],
                s["on_date"],
                s["opinion"],
                s["result"],
                item_history.describe_extra(s["extra"]),
            )
            for c, v in enumerate(values):
                it = QTableWidgetItem(v)
                it.setToolTip(v)
                if s["action"] == workflow.RETURN:
                    it.setForeground(_RETURN_FG)
                t.setItem(r, c, it)
        t.resizeColumnsToContents()
        h = t.horizontalHeader()
        h.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        t.setColumnWidth(4, 180)
        h.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        # long opinions and details wrap; row heights follow the column widths
        h.sectionResized.connect(lambda *_: t.resizeRowsToContents())
        t.resizeRowsToContents()

    def _fill_changes(self, entries: list[item_history.HistoryEntry]) -> None:
        tree = self.changes_tree
        bold = QFont()
        bold.setBold(True)
        for e in entries:
            top = QTreeWidgetItem(
                [
                    e.at.replace("T", " "),
                    e.who,
                    e.what,
                    f"{len(e.changes)} 项" if e.changes else "",
                    "",
                    "",
                ]
            )
            for c in range(3):
                top.setFont(c, bold)
            for ch in e.changes:
                child = QTreeWidgetItem(["", "", "", ch.label, ch.before, ch.after])
                child.setToolTip(4, ch.before)
                child.setToolTip(5, ch.after)
                top.addChild(child)
            tree.addTopLevelItem(top)
        tree.expandAll()
        for c in range(4):
            tree.resizeColumnToContents(c)
        tree.setColumnWidth(4, 240)


def open_item_history(parent: QWidget | None, db: sqlite_utils.Database, item_id: int) -> None:
    ItemHistoryDialog(db, item_id, parent).exec()
