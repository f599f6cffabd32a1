"""意外错误 (unexpected errors): a log file and a dialog with a copyable summary.

Issue 9 "Failing safely": an error nobody foresaw goes to a log file in the user log
folder; the clerk sees what happened in Chinese, with a summary to copy for whoever
maintains the program, and the app keeps running (a slot that raised is just skipped).
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path

import platformdirs
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.errors import UserError

APP_NAME = "政务公开台账"
LOG_FILE = "gongkai.log"
MAX_DIALOGS = 5  # an error in a paint handler must not bury the clerk in dialogs

log = logging.getLogger("gongkai_desktop")
_state = {"dialogs": 0, "showing": False}


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir("gongkai_desktop", appauthor=False))


def setup_logging(folder: Path | None = None) -> Path:
    """Log to ``<user log dir>/gongkai.log`` (1 MB × 3 files); returns the file."""
    folder = folder or log_dir()
    path = folder / LOG_FILE
    for h in log.handlers:
        if isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path:
            return path
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return path  # no log folder: the dialog still shows the summary
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def log_path() -> Path | None:
    for h in log.handlers:
        if isinstance(h, logging.FileHandler):
            return Path(h.baseFilename)
    return None


def summary(kind, exc: BaseException, tb) -> str:
    """What the maintainer needs, short enough to paste in a chat message."""
    frames = traceback.extract_tb(tb)[-6:]
    where = [f"  {Path(f.filename).name}:{f.lineno} {f.name}" for f in frames]
    lines = [
        f"{APP_NAME} {__version__} 意外错误报告",
        f"时间：{datetime.now():%Y-%m-%d %H:%M:%S}",
        f"系统：{platform.system()} {platform.release()}，Python {platform.python_version()}，"
        f"Qt {qVersion()}",
        f"错误：{kind.__name__}: {exc}",
        "位置：",
        *where,
        f"日志文件：{log_path() or '（无法写入日志）'}",
    ]
    return "\n".join(lines)


def log_exception(kind, exc: BaseException, tb) -> str:
    """Write the full traceback to the log; returns the summary."""
    log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    return summary(kind, exc, tb)


class CrashDialog(QDialog):
    """程序出现意外错误: what happened, the copyable summary, 复制 / 打开日志文件夹 / 关闭."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("程序出现意外错误")
        self.resize(560, 360)
        lay = QVBoxLayout(self)
        intro = QLabel(
            "程序遇到了一个意外错误，刚才的操作可能没有完成。已保存的数据不受影响，可以继续工作。\n"
            "如果问题反复出现，请点“复制”，把下面的内容发给维护人员。"
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.details = QPlainTextEdit(text, readOnly=True, objectName="crashDetails")
        lay.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.copy_button = buttons.addButton("复制", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        folder = buttons.addButton("打开日志文件夹", QDialogButtonBox.ButtonRole.ActionRole)
        folder.clicked.connect(self.open_log_folder)
        folder.setEnabled(log_path() is not None)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("已复制")

    def open_log_folder(self) -> None:
        path = log_path()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def _exec(dialog: QDialog) -> None:
    """The one modal call here; tests replace it."""
    dialog.exec()


def handle(kind, exc: BaseException, tb) -> None:
    """sys.excepthook: a UserError is a plain warning; anything else is logged and shown."""
    if isinstance(exc, UserError):
        QMessageBox.warning(QApplication.activeWindow(), APP_NAME, str(exc))
        return
    if isinstance(exc, KeyboardInterrupt):
        QApplication.quit()
        return
    text = log_exception(kind, exc, tb)
    if QApplication.instance() is None:
        traceback.print_exception(kind, exc, tb)
        return
    if _state["showing"] or _state["dialogs"] >= MAX_DIALOGS:
        return  # logged; one dialog at a time, and not an endless stream
    _state["showing"] = True
    _state["dialogs"] += 1
    try:
        _exec(CrashDialog(text, QApplication.activeWindow()))
    finally:
        _state["showing"] = False


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    log_exception(args.exc_type, args.exc_value, args.exc_traceback)


def install(folder: Path | None = None) -> Path:
    """Set up the log file and route uncaught errors (GUI thread and threads) to it."""
    path = setup_logging(folder)
    sys.excepthook = handle
    threading.excepthook = _thread_hook
    log.info("%s %s started", APP_NAME, __version__)
    return path
