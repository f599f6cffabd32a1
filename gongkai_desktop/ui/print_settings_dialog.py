"""打印与字体设置 (issue 7 §3–§4): which PDF font is in use and the clerk's own choice,
the 套打 X/Y offset per printer, and the calibration page (written off the GUI thread
through workers.run_job under a fresh name, then shown in the in-app preview, which prints
at 100% — the point of a calibration page). Rules live in
core/print_settings.py and exports/pdf_fonts.py; this dialog only shows and saves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ..core import print_settings
from ..core.errors import UserError
from ..exports import overprint, pdf_fonts
from . import preview_files, workers
from .forms import embed_form

# How the calibration page is shown: the in-app preview (A4 at 100%); replaced in tests.
open_url: Callable[[QUrl], object] = preview_files.show
FONT_FILTER = "TrueType 字体 (*.ttf *.ttc *.TTF *.TTC);;所有文件 (*)"


def system_printers() -> list[str]:
    """Installed printer names, [] when Qt's print support is missing."""
    try:
        from PySide6.QtPrintSupport import QPrinterInfo
    except ImportError:
        return []
    return list(QPrinterInfo.availablePrinterNames())


class PrintSettingsDialog(QDialog):
    """``job`` is the last calibration-page job (tests wait on it)."""

    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.ui = embed_form("print_settings_dialog", self)
        f = self.ui.findChild
        self.font_label: QLabel = f(QLabel, "fontInUseLabel")
        self.font_path: QLineEdit = f(QLineEdit, "fontPathEdit")
        self.printer: QComboBox = f(QComboBox, "printerCombo")
        self.x: QDoubleSpinBox = f(QDoubleSpinBox, "xSpin")
        self.y: QDoubleSpinBox = f(QDoubleSpinBox, "ySpin")
        self.status: QLabel = f(QLabel, "statusLabel")
        self.error: QLabel = f(QLabel, "errorLabel")
        self.buttons = {n: f(QPushButton, f"{n}Button")
                        for n in ("chooseFont", "autoFont", "saveOffset", "calibration")}  # fmt: skip
        f(QLabel, "noteLabel").setText("打印提示：" + overprint.PRINT_NOTE)
        for spin in (self.x, self.y):  # the core limit, one place (print_settings.MAX_OFFSET_MM)
            spin.setRange(-print_settings.MAX_OFFSET_MM, print_settings.MAX_OFFSET_MM)
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        self.buttons["chooseFont"].clicked.connect(lambda: self.choose_font())
        self.buttons["autoFont"].clicked.connect(lambda: self.use_automatic_font())
        self.buttons["saveOffset"].clicked.connect(lambda: self.save_offset())
        self.buttons["calibration"].clicked.connect(lambda: self.print_calibration())
        self.job: workers.Job | None = None
        names = [print_settings.DEFAULT_PRINTER, *print_settings.offsets(db), *system_printers()]
        self.printer.addItems(list(dict.fromkeys(names)))
        self.printer.currentTextChanged.connect(self._show_offset)
        self._show_font()
        self._show_offset(self.printer.currentText())

    # -- font --------------------------------------------------------------------------

    def _show_font(self) -> None:
        self.font_path.setText(print_settings.font_path(self.db))
        self.font_label.setText("当前字体：" + pdf_fonts.describe())

    def _set_font(self, path: str) -> bool:
        self.error.clear()
        try:
            saved = print_settings.save_font(self.db, path)
        except UserError as e:
            self.error.setText(str(e))
            return False
        pdf_fonts.apply_settings(self.db)
        self._show_font()
        self.status.setText(
            f"已改用字体：{Path(saved).name}。" if saved else "已恢复自动选择字体。"
        )
        return True

    def choose_font(self, path: str | None = None) -> bool:
        """Use the .ttf/.ttc *path* (asked with a file dialog when None) for every PDF."""
        if path is None:
            start = str(Path(self.font_path.text()).parent) if self.font_path.text() else ""
            path, _ = QFileDialog.getOpenFileName(self, "选择字体文件", start, FONT_FILTER)
            if not path:
                return False
        return self._set_font(path)

    def use_automatic_font(self) -> bool:
        return self._set_font("")

    # -- 套打 offset -------------------------------------------------------------------

    def _show_offset(self, printer: str) -> None:
        x, y = print_settings.offset(self.db, printer)
        self.x.setValue(x)
        self.y.setValue(y)

    def save_offset(self) -> tuple[float, float] | None:
        self.error.clear()
        name = self.printer.currentText().strip() or print_settings.DEFAULT_PRINTER
        try:
            x, y = print_settings.save_offset(self.db, name, self.x.value(), self.y.value())
        except UserError as e:
            self.error.setText(str(e))
            return None
        self.status.setText(f"已保存“{name}”的套打偏移：左右 {x:+.1f} 毫米，上下 {y:+.1f} 毫米。")
        return x, y

    def print_calibration(self, out_path: str | Path | None = None) -> workers.Job:
        """Write the calibration page with the offset shown, off the GUI thread, and open it."""
        self.error.clear()
        # a fresh name: the last one may still be open in the preview or a viewer
        out = (
            Path(out_path)
            if out_path
            else preview_files.fresh_path("套打校准页.pdf", "gongkai_calibration")
        )
        offset = (self.x.value(), self.y.value())

        def done(path) -> None:
            self.status.setText(f"已生成校准页：{path}。{overprint.PRINT_NOTE}")
            open_url(QUrl.fromLocalFile(str(path)))

        self.job = workers.run_job(
            self,
            lambda _progress: overprint.calibration_pdf(out, offset=offset),
            label="正在生成校准页……",
            on_success=done,
            on_error=self.error.setText,
            disable=[self.buttons["calibration"]],
            cancellable=False,
        )
        return self.job


def open_print_settings(parent: QWidget, db: sqlite_utils.Database) -> PrintSettingsDialog:
    dlg = PrintSettingsDialog(db, parent)
    dlg.setModal(True)
    dlg.show()
    return dlg
