"""导出中心 (issue 8 §2): pick ledgers and reports, period, formats and folder; export them
off the GUI thread with per-file progress and Cancel; then open the folder or send the
files to the leading group. The work is exports/export_centre.run; this dialog only asks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..core import profile
from ..core.errors import UserError
from ..exports import export_centre as E
from . import workers
from .forms import embed_form
from .ledger_jobs import database_file, documents_dir

open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl  # replaced in tests
FOLDER_KEY = "export_centre/folder"
ZIP_KEY = "export_centre/zip"
PERIODS = ["全年", "上半年", "下半年", *[f"{m}月" for m in range(1, 13)]]
FMT_COLUMNS = {"xlsx": 1, "pdf": 2}
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


def _settings() -> QSettings:
    return QSettings("gongkai_desktop", "gongkai_desktop")  # as ui/main_window.app_settings


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


class _Bridge(QObject):
    """Lives in the GUI thread; the worker emits the file being written (queued)."""

    step = Signal(int, int, str)


class ExportCentreDialog(QDialog):
    """``job`` is the running or last export (tests wait on it); ``result`` the last
    ExportResult; ``mail_dialog`` the last MailDialog opened."""

    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None, *,
                 today: date | None = None, settings: QSettings | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.db = db
        self.today = today or date.today()
        self.settings = settings or _settings()
        self.ui = embed_form("export_centre", self)
        f = self.ui.findChild
        self.tree: QTreeWidget = f(QTreeWidget, "kindsTree")
        self.year: QSpinBox = f(QSpinBox, "yearSpin")
        self.period_combo: QComboBox = f(QComboBox, "periodCombo")
        self.folder: QLineEdit = f(QLineEdit, "folderEdit")
        self.zip: QCheckBox = f(QCheckBox, "zipCheck")
        self.mask: QCheckBox = f(QCheckBox, "maskCheck")
        self.progress: QProgressBar = f(QProgressBar, "progressBar")
        self.status: QLabel = f(QLabel, "statusLabel")
        self.results: QListWidget = f(QListWidget, "resultList")
        self.buttons = {n: f(QPushButton, f"{n}Button") for n in (
            "export", "cancel", "openFolder", "mail", "chooseFolder", "all", "ledgers", "none")}  # fmt: skip
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        self.job: workers.Job | None = None
        self.result: E.ExportResult | None = None
        self.mail_dialog = None
        self._period: E.Period | None = None
        self._bridge = _Bridge()
        self._bridge.step.connect(self._on_step)
        self._fill_tree()
        self.year.setValue(self.today.year)
        self.period_combo.addItems(PERIODS)
        self.period_combo.setCurrentIndex(2 + self.today.month)  # this month
        self.folder.setText(str(self.settings.value(FOLDER_KEY, "") or documents_dir()))
        self.zip.setChecked(str(self.settings.value(ZIP_KEY, "false")).lower() == "true")
        self.mask.toggled.connect(self._mask_toggled)
        b = self.buttons
        b["export"].clicked.connect(lambda: self.start())
        b["cancel"].clicked.connect(lambda: self.cancel())
        b["openFolder"].clicked.connect(lambda: self.open_folder())
        b["mail"].clicked.connect(lambda: self.send_to_group())
        b["chooseFolder"].clicked.connect(lambda: self.choose_folder())
        b["all"].clicked.connect(lambda: self.select(list(E.KINDS)))
        b["ledgers"].clicked.connect(lambda: self.select(list(E.LEDGER_KEYS)))
        b["none"].clicked.connect(lambda: self.select([]))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("尚未导出")

    # -- what to export ----------------------------------------------------------------

    def _fill_tree(self) -> None:
        for kind in E.CATALOGUE:
            it = QTreeWidgetItem(self.tree, [kind.title, "", "", _note(kind)])
            it.setData(0, Qt.ItemDataRole.UserRole, kind.key)
            it.setCheckState(0, CHECKED if kind.key in E.LEDGER_KEYS else UNCHECKED)
            for fmt, col in FMT_COLUMNS.items():
                if fmt in kind.formats:
                    it.setCheckState(col, CHECKED)
                else:
                    it.setText(col, "—")
        head = self.tree.header()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col in FMT_COLUMNS.values():
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def _items(self) -> dict[str, QTreeWidgetItem]:
        root = self.tree.invisibleRootItem()
        return {root.child(i).data(0, Qt.ItemDataRole.UserRole): root.child(i)
                for i in range(root.childCount())}  # fmt: skip

    def select(self, keys: list[str]) -> None:
        for key, it in self._items().items():
            it.setCheckState(0, CHECKED if key in keys else UNCHECKED)

    def chosen(self) -> tuple[list[str], dict[str, list[str]]]:
        """(checked kinds, formats per kind)."""
        kinds, formats = [], {}
        for key, it in self._items().items():
            if it.checkState(0) != CHECKED:
                continue
            fmts = [f for f in E.KINDS[key].formats if it.checkState(FMT_COLUMNS[f]) == CHECKED]
            if not fmts:
                raise UserError(f"“{E.KINDS[key].title}”没有勾选任何格式，请勾选 Excel 或 PDF。")
            kinds.append(key)
            formats[key] = fmts
        return kinds, formats

    def period(self) -> E.Period:
        y, i = self.year.value(), self.period_combo.currentIndex()
        if i == 0:
            return E.Period.year(y)
        if i in (1, 2):
            return E.Period.half(y, i)
        return E.Period.month(y, i - 2)

    def _mask_toggled(self, on: bool) -> None:
        if on:
            return
        answer = QMessageBox.question(
            self, "不隐去身份证号和电话？",
            "导出的依申请公开登记台账和投诉与意见台账将显示申请人、反映人的完整身份证号和电话号码。"
            "\n\n这些文件如需发送或打印，请注意保护个人信息。这一选择会记入修改记录。\n\n确定不隐去吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            self.mask.blockSignals(True)
            self.mask.setChecked(True)
            self.mask.blockSignals(False)

    def choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(
            self, "选择保存导出文件的文件夹", self.folder.text()
        )
        if name:
            self.folder.setText(name)

    # -- running -------------------------------------------------------------------------

    def start(self) -> workers.Job | None:
        """Check the choices, then export in the background."""
        try:
            kinds, formats = self.chosen()
            period = self.period()
            planned = E.plan(kinds, formats, period)
        except UserError as e:
            self.status.setText(str(e))
            return None
        out = Path(self.folder.text().strip())
        if not self.folder.text().strip() or not out.is_dir():
            self.status.setText("请选择一个已存在的文件夹作为保存位置。")
            return None
        self.settings.setValue(FOLDER_KEY, str(out))
        self.settings.setValue(ZIP_KEY, "true" if self.zip.isChecked() else "false")
        zip_name = f"政务公开台账_{period.label}" if self.zip.isChecked() else None
        unmask, who = not self.mask.isChecked(), profile.operator(self.db)
        db_file, bridge = database_file(self.db), self._bridge
        self._period, self.result = period, None
        self.results.clear()
        self.buttons["openFolder"].setEnabled(False)
        self.buttons["mail"].setEnabled(False)
        self.progress.setFormat("%v / %m 个文件")
        self.progress.setRange(0, len(planned) + (1 if zip_name else 0))
        self.progress.setValue(0)
        self.status.setText(f"正在导出 {len(planned)} 个文件……")

        def work(progress):
            last: list = [None]

            def step(done: int, total: int, text: str) -> bool:
                if last[0] != (done, text):  # one signal per file, not per row
                    last[0] = (done, text)
                    bridge.step.emit(done, total, text)
                return progress(done, total)

            return E.run(db_file, planned, out, period=period, zip_name=zip_name,
                         unmask=unmask, who=who, progress=step)  # fmt: skip

        self.buttons["cancel"].setEnabled(True)
        self.job = workers.run_job(
            self, work, label=f"正在导出{period.label}的台账和报告……",
            on_success=self._done, on_error=self._failed, on_cancel=self._cancelled,
            disable=[self.buttons["export"], self.tree, self.year, self.period_combo],
        )  # fmt: skip
        self.job.done.connect(lambda: self.buttons["cancel"].setEnabled(False))
        return self.job

    def cancel(self) -> None:
        if self.job is not None and not self.job.is_done:
            self.job.cancel()
            self.status.setText("正在取消……")

    def _on_step(self, done: int, total: int, text: str) -> None:
        if self.job is not None and not self.job.is_done:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, total))
            self.status.setText(text)

    def _done(self, res: E.ExportResult) -> None:
        self.result = res
        self.progress.setValue(self.progress.maximum())
        for p in [*res.files, *([res.zip_path] if res.zip_path else [])]:
            self.results.addItem(f"{p.name}（{_size(p.stat().st_size)}）")
        state = "已隐去身份证号和电话" if res.masked else "未隐去身份证号和电话（已记入修改记录）"
        lines = [f"已导出 {len(res.files)} 个文件到 {res.folder}（{state}）。", *res.notes]
        self.status.setText("\n".join(lines))
        self.buttons["openFolder"].setEnabled(True)
        self.buttons["mail"].setEnabled(True)

    def _failed(self, message: str) -> None:
        self.progress.setValue(0)
        self.status.setText(f"导出失败：{message}（没有留下不完整的文件。）")

    def _cancelled(self) -> None:
        self.progress.setValue(0)
        self.status.setText("已取消导出，没有留下任何文件。")

    # -- afterwards ------------------------------------------------------------------------

    def open_folder(self) -> None:
        if self.result is not None:
            open_url(QUrl.fromLocalFile(str(self.result.folder)))

    def attachments(self) -> list[Path]:
        """The zip when one was made, otherwise every file."""
        if self.result is None:
            return []
        return [self.result.zip_path] if self.result.zip_path else list(self.result.files)

    def send_to_group(self):
        """发送给领导小组…: the mail dialog (ui/mail_dialog.py) with the exported files."""
        if self.result is None or self._period is None:
            return None
        from .mail_dialog import MailDialog
        summary = E.summary(self.db, self._period, today=self.today)
        dlg = MailDialog(self.db, self, attachments=self.attachments(),
                         period_label=self._period.label, summary=summary)  # fmt: skip
        dlg.show()
        self.mail_dialog = dlg
        return dlg

    def reject(self) -> None:
        if self.job is not None and not self.job.is_done:
            self.cancel()
            self.job.wait()
        super().reject()


def _note(kind: E.ExportKind) -> str:
    parts = ["按所选期间" if kind.periodic else "按全年"]
    if kind.sensitive:
        parts.append("含身份证号、电话（默认隐去）")
    return "；".join(parts)


def open_export_centre(parent: QWidget | None, db: sqlite_utils.Database) -> ExportCentreDialog:
    dlg = ExportCentreDialog(db, parent)
    dlg.setModal(True)
    dlg.show()
    return dlg
