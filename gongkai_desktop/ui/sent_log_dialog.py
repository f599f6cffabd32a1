"""发送记录 (issue 8 §3): every send attempt and .eml draft from mail_log — date,
recipients, subject, status, and for the selected row each attachment's name, size and
SHA-256 (to prove later exactly which file went out). At most the newest 200 rows."""

from __future__ import annotations

import sqlite_utils
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..mail import send
from ..mail.compose import human_size
from .forms import embed_form

COLUMNS = ("时间", "方式", "结果", "收件人", "主题", "附件", "说明")
METHODS = {"smtp": "邮件服务器", "eml": "草稿(.eml)"}
STATUSES = {"sent": "已发送", "failed": "失败", "saved": "已存草稿"}
LIMIT = 200


class SentLogDialog(QDialog):
    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.ui = embed_form("sent_log_dialog", self)
        f = self.ui.findChild
        self.table: QTableWidget = f(QTableWidget, "logTable")
        self.files: QTableWidget = f(QTableWidget, "attachmentsTable")
        self.summary: QLabel = f(QLabel, "summaryLabel")
        self.detail: QLabel = f(QLabel, "detailLabel")
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.files.setColumnCount(3)
        self.files.setHorizontalHeaderLabels(("文件名", "大小", "SHA-256"))
        self.files.verticalHeader().setVisible(False)
        self.files.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.itemSelectionChanged.connect(self._show_detail)
        f(QSplitter, "splitter").setSizes([360, 200])
        self.rows: list[dict] = []
        self.refresh()

    def refresh(self) -> None:
        self.rows = send.sent_log(self.db, LIMIT)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            names = "、".join(a["name"] for a in r["attachments"])
            cells = (r["at"].replace("T", " "), METHODS.get(r["method"], r["method"]),
                     STATUSES.get(r["status"], r["status"]), ", ".join(r["recipients"]),
                     r["subject"], f"{len(r['attachments'])} 个：{names}" if names else "无",
                     r["error"])  # fmt: skip
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        for col, width in ((3, 220), (4, 240), (5, 220)):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), width))
        sent = sum(r["status"] == "sent" for r in self.rows)
        self.summary.setText(
            f"最近 {len(self.rows)} 条记录（已发送 {sent} 封）。选中一行可查看每个附件的大小和 SHA-256。"
            if self.rows else "还没有发送记录。"
        )  # fmt: skip
        if self.rows:
            self.table.selectRow(0)
        else:
            self._show_detail()

    def _show_detail(self) -> None:
        sel = self.table.selectionModel().selectedRows()
        r = self.rows[sel[0].row()] if sel else None
        atts = r["attachments"] if r else []
        self.files.setRowCount(len(atts))
        for i, a in enumerate(atts):
            for j, text in enumerate((a["name"], human_size(a["size"]), a["sha256"])):
                self.files.setItem(i, j, QTableWidgetItem(text))
        self.files.resizeColumnsToContents()
        if r:
            self.detail.setText(f"{r['at'].replace('T', ' ')}　{r['subject']}　经办人：{r['operator']}"
                                f"　收件人：{', '.join(r['recipients'])}")  # fmt: skip
        else:
            self.detail.setText("")


def open_sent_log(parent: QWidget | None, db: sqlite_utils.Database) -> SentLogDialog:
    """文件 → 发送记录…: shows the log (window-modal) and returns the dialog."""
    dlg = SentLogDialog(db, parent)
    dlg.resize(960, 600)
    dlg.open()
    return dlg
