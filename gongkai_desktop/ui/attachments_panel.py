"""附件 panel: a record's attachments with 添加…, drag-and-drop, 打开, 导出… and 移除
(issue 7 §1). The bytes live in the database (core/attachments.py, which audits).

Hostile input (issue 9): a refused file (too large, wrong type, unreadable from disk) is
named in a warning box; a PDF pypdf cannot read is kept, marked “无法读取” in the 页数
column, and the clerk is told it cannot go into a binder or volume."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import attachments
from ..core.errors import UserError
from . import signals
from .forms import load_form
from .rectifications_view import host

FILE_FILTER = "附件 (*.pdf *.png *.jpg *.jpeg *.doc *.docx *.xls *.xlsx);;所有文件 (*)"
TYPE_NAMES = {"application/pdf": "PDF", "image/png": "图片", "image/jpeg": "图片",
              "application/msword": "Word", "application/vnd.ms-excel": "Excel"}  # fmt: skip
open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl  # replaced in tests
UNREADABLE = "无法读取"  # the 页数 cell of a PDF pypdf cannot read (issue 9)


def type_name(mime: str) -> str:
    if mime in TYPE_NAMES:
        return TYPE_NAMES[mime]
    return "Word" if "word" in mime else "Excel" if "sheet" in mime else mime


def unreadable_text(file_name: str) -> str:
    """What the clerk is told when a just-added PDF cannot be read (issue 9)."""
    return (
        f"“{file_name}”已作为附件保存，但这个 PDF 无法读取（已损坏或加密），"
        "不能装入迎检材料汇编或案卷。请重新扫描，或用原程序另存为 PDF 后再添加。"
    )


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class AttachmentsPanel(QWidget):
    """The attachments of one record (*record_table*, *record_id*); ``message`` carries
    status text. With no record yet (a form not saved) the buttons are disabled."""

    message = Signal(str)

    def __init__(
        self,
        db: sqlite_utils.Database,
        record_table: str,
        record_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.record_table, self.record_id = db, record_table, record_id
        self.ui = load_form("attachments_panel", self)
        host(self.ui, self)
        f = self.ui.findChild
        self.table: QTableWidget = f(QTableWidget, "attachmentTable")
        self.status: QLabel = f(QLabel, "statusLabel")
        self.buttons = {
            n: f(QPushButton, f"{n}Button") for n in ("add", "open", "export", "remove")
        }
        self.buttons["add"].clicked.connect(lambda: self.add_files())
        self.buttons["open"].clicked.connect(lambda: self.open_selected())
        self.buttons["export"].clicked.connect(lambda: self.export_selected())
        self.buttons["remove"].clicked.connect(lambda: self.remove_selected())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setAcceptDrops(False)
        self.table.viewport().setAcceptDrops(False)
        self.rows: list[dict] = []
        self.last_message = ""
        self.no_record_hint = "请先保存记录，再添加附件。"  # shown while there is no record
        self._temp = tempfile.TemporaryDirectory(prefix="gongkai-att-")
        self.reload()

    # -- data ------------------------------------------------------------------------

    def set_record(self, record_table: str, record_id: int | None, hint: str | None = None) -> None:
        """Show *record_id*'s attachments; *hint* is what to say while there is none."""
        self.record_table, self.record_id = record_table, record_id
        if hint is not None:
            self.no_record_hint = hint
        self.reload()

    def reload(self) -> None:
        self.rows = (
            attachments.links(self.db, self.record_table, self.record_id)
            if self.record_id is not None
            else []
        )
        self.table.setRowCount(len(self.rows))
        for r, a in enumerate(self.rows):
            pages = "" if a["pages"] is None else str(a["pages"])
            if a["unreadable"]:
                pages = UNREADABLE
            cells = (a["file_name"], type_name(a["mime"]), pages, size_text(a["size"]))
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if c >= 2:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if a["unreadable"] and c in (0, 2):
                    it.setToolTip(attachments.unreadable_note(a))
                    if c == 2:
                        it.setForeground(QBrush(QColor("#b00020")))
                self.table.setItem(r, c, it)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setAcceptDrops(self.record_id is not None)
        self._update_buttons()

    def selected(self) -> dict | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _update_buttons(self) -> None:
        has_record = self.record_id is not None
        self.buttons["add"].setEnabled(has_record)
        for n in ("open", "export", "remove"):
            self.buttons[n].setEnabled(self.selected() is not None)
        if not has_record:
            self.status.setText(self.no_record_hint)

    def _say(self, text: str) -> None:
        self.last_message = text
        self.status.setText(text)
        self.message.emit(text)

    # -- actions -----------------------------------------------------------------------

    def add_files(self, paths: Iterable[str | Path] | None = None) -> list[int]:
        """Attach *paths* (asks with a file dialog when None); return the new link ids.
        A refused file is named in a warning; the others are still added."""
        if self.record_id is None:
            return []
        if paths is None:
            name, _f = QFileDialog.getOpenFileName(self, "添加附件", "", FILE_FILTER)
            paths = [name] if name else []
        added, errors = [], []
        for p in paths:
            try:
                added.append(attachments.add(self.db, self.record_table, self.record_id, p))
            except UserError as e:  # too large, wrong type, damaged: core says why
                errors.append(str(e))
            except OSError as e:  # cannot be read from disk (no permission, a lost drive)
                errors.append(
                    f"文件“{Path(p).name}”无法读取：{e.strerror or e}。请检查文件后重试。"
                )
            except MemoryError:
                errors.append(
                    f"文件“{Path(p).name}”太大，内存不足，无法添加。请压缩或拆分后再添加。"
                )
        notes = []
        if added:
            self.reload()
            self.table.selectRow(len(self.rows) - 1)
            bad = [a for a in self.rows if a["id"] in added and a["unreadable"]]
            notes = [unreadable_text(a["file_name"]) for a in bad]
            extra = f"（其中 {len(bad)} 个 PDF 无法读取，见页数列）" if bad else ""
            self._say(f"已添加 {len(added)} 个附件{extra}。")
            signals.notify(signals.ARCHIVE)
        if errors or notes:
            title = "无法添加附件" if not notes else "附件无法读取" if not errors else "添加附件"
            QMessageBox.warning(self, title, "\n\n".join(errors + notes))
        return added

    def open_selected(self) -> Path | None:
        """Write the attachment to a temporary file and open it in the system viewer."""
        a = self.selected()
        if a is None:
            return None
        # a fresh folder each time: a copy still open in a viewer (Windows) never blocks this
        folder = Path(tempfile.mkdtemp(dir=self._temp.name))
        try:
            path = attachments.export(self.db, a["id"], folder / a["file_name"])
        except UserError as e:
            QMessageBox.warning(self, "无法打开附件", str(e))
            return None
        open_url(QUrl.fromLocalFile(str(path)))
        self._say(f"已打开“{a['file_name']}”。")
        return path

    def export_selected(self, out_path: str | Path | None = None) -> Path | None:
        a = self.selected()
        if a is None:
            return None
        if out_path is None:
            out_path, _f = QFileDialog.getSaveFileName(self, "导出附件", a["file_name"])
            if not out_path:
                return None
        try:
            out = attachments.export(self.db, a["id"], out_path)
        except UserError as e:
            QMessageBox.warning(self, "无法导出附件", str(e))
            return None
        self._say(f"已导出“{a['file_name']}”：{out}")
        return out

    def remove_selected(self, confirm: bool = True) -> bool:
        a = self.selected()
        if a is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self, "移除附件", f"从本记录移除附件“{a['file_name']}”？\n移除操作会记入操作日志。"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            attachments.remove(self.db, a["id"])
        except UserError as e:
            QMessageBox.warning(self, "无法移除附件", str(e))
            return False
        self.reload()
        self._say(f"已移除附件“{a['file_name']}”。")
        signals.notify(signals.ARCHIVE)
        return True

    # -- drag and drop ---------------------------------------------------------------------

    @staticmethod
    def _local_files(mime) -> list[str]:
        return [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []

    # Drops on the list propagate here: the table itself does not accept drops.
    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.record_id is not None and self._local_files(event.mimeData()):
            event.acceptProposedAction()

    dragMoveEvent = dragEnterEvent  # noqa: N815 - Qt API

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        files = self._local_files(event.mimeData())
        if self.record_id is not None and files:
            event.acceptProposedAction()
            self.add_files(files)
