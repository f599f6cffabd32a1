"""文件 → 备份与恢复: the list of backups, 立即备份, 恢复所选 (issue 9).

Restoring first backs up the current file, then replaces it atomically, then reopens it
(core/backup.restore); the window gets the reopened database through *on_restored*.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import backup
from ..core.db import connect
from ..core.errors import UserError
from . import workers
from .forms import embed_form

PATH_ROLE = Qt.ItemDataRole.UserRole


def _confirm(parent: QWidget, title: str, text: str) -> bool:
    """The one yes/no question here; tests replace it."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class BackupDialog(QDialog):
    """``job`` is the last 立即备份 job (tests wait on it)."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        db_path: str | Path,
        parent: QWidget | None = None,
        *,
        on_restored: Callable[[sqlite_utils.Database], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.db_path = db, Path(db_path)
        self.on_restored = on_restored or (lambda _db: None)
        self.ui = embed_form("backup_dialog", self)
        f = self.ui.findChild
        self.folder_label: QLabel = f(QLabel, "folderLabel")
        self.table: QTableWidget = f(QTableWidget, "backupsTable")
        self.status: QLabel = f(QLabel, "statusLabel")
        self.buttons = {n: f(QPushButton, f"{n}Button")
                        for n in ("backupNow", "restore", "changeFolder", "openFolder")}  # fmt: skip
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        self.buttons["backupNow"].clicked.connect(lambda: self.backup_now())
        self.buttons["restore"].clicked.connect(lambda: self.restore_selected())
        self.buttons["changeFolder"].clicked.connect(lambda: self.change_folder())
        self.buttons["openFolder"].clicked.connect(self.open_folder)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.job: workers.Job | None = None
        self.refresh()

    # -- the list ------------------------------------------------------------------------

    def folder(self) -> Path:
        return backup.default_folder(self.db)

    def refresh(self) -> None:
        folder = self.folder()
        self.folder_label.setText(f"备份文件夹：{folder}")
        found = backup.list_backups(folder, self.db_path.stem)
        self.table.setRowCount(len(found))
        for row, b in enumerate(found):
            cells = (f"{b['taken_at']:%Y-%m-%d %H:%M:%S}", backup.size_text(b["size"]),
                     b["reason"], b["path"].name)  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(PATH_ROLE, str(b["path"]))
                if col == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        if found:
            self.table.selectRow(0)
        else:
            self.status.setText("还没有备份。点“立即备份”做第一个备份。")
        self._update_buttons()

    def selected(self) -> Path | None:
        items = self.table.selectedItems()
        return Path(items[0].data(PATH_ROLE)) if items else None

    def _update_buttons(self) -> None:
        self.buttons["restore"].setEnabled(self.selected() is not None)

    # -- actions -------------------------------------------------------------------------

    def backup_now(self) -> workers.Job:
        path, folder = self.db_path, self.folder()

        def done(made: Path) -> None:
            self.refresh()
            self.status.setText(f"已备份：{made.name}（{backup.size_text(made.stat().st_size)}，"
                                "完整性检查通过）。")  # fmt: skip

        self.job = workers.run_job(
            self,
            lambda _progress: backup.take(path, folder, reason="manual"),
            label="正在备份数据库……",
            on_success=done,
            on_error=lambda msg: self.status.setText(f"备份没有完成：{msg}"),
            disable=[self.buttons["backupNow"], self.buttons["restore"]],
            cancellable=False,
        )
        return self.job

    def restore_selected(self) -> Path | None:
        """Back up the current file, put the selected backup in its place, reopen it."""
        chosen = self.selected()
        if chosen is None:
            return None
        if workers.active_jobs():
            self.status.setText("有任务正在后台进行，请等它完成后再恢复。")
            return None
        try:
            backup.verify(chosen)
        except UserError as e:
            self.status.setText(str(e))
            return None
        row = self.table.currentRow()
        when = self.table.item(row, 0).text() if row >= 0 else chosen.name
        if not _confirm(self, "恢复数据库",
                        f"确定用 {when} 的备份替换当前数据库吗？\n\n替换前会先把当前数据库备份一份，"
                        "可以随时再恢复回来；该备份之后录入的内容将不在恢复后的数据库里。"):  # fmt: skip
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.db.conn.close()  # the file is replaced under no open connection
            try:
                safety = backup.restore(self.db_path, chosen, self.folder_of_file())
                error = None
            except Exception as e:  # reopen whatever happened: the window needs its file
                safety, error = None, workers.error_message(e)
            self.db = connect(self.db_path)
        finally:
            QApplication.restoreOverrideCursor()
        self.on_restored(self.db)
        self.refresh()
        if error:
            self.status.setText(f"恢复没有完成，数据库保持原样：{error}")
            return None
        self.status.setText(
            f"已恢复到 {when} 的备份并重新打开。恢复前的数据库已保存为：{safety.name}"
        )
        return safety

    def folder_of_file(self) -> Path:
        """The folder read without the (closed) connection."""
        return backup.default_folder(self.db_path)

    def change_folder(self, folder: str | Path | None = None) -> bool:
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "选择备份文件夹", str(self.folder()))
            if not folder:
                return False
        try:
            backup.save_folder(self.db, folder)
        except UserError as e:
            self.status.setText(str(e))
            return False
        self.refresh()
        self.status.setText(f"以后的备份保存到：{self.folder()}")
        return True

    def open_folder(self) -> None:
        folder = self.folder()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def open_backup_dialog(window) -> BackupDialog | None:
    """文件 → 备份与恢复 on the main window's database."""
    if window.db is None or window.db_path is None:
        return None
    path = window.db_path
    dlg = BackupDialog(window.db, path, window,
                       on_restored=lambda db: window.set_database(db, path))  # fmt: skip
    dlg.setModal(True)
    dlg.show()
    return dlg
