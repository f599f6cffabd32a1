"""Start the window (启动): QApplication, font, which database, first errors."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import sqlite_utils
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ..core import file_lock
from ..paths import resource
from . import crash_report, workers
from .db_opening import open_or_recover, start_daily_backup
from .main_window import APP_NAME, DB_FILTER, ORG_NAME, MainWindow

# First installed family wins; Qt falls back per glyph for anything missing.
CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "微软雅黑",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "文泉驿正黑",
    "SimSun",
    "宋体",
)


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir("gongkai_desktop", appauthor=False))


def resolve_db_path(db_path: str | None, demo: bool) -> Path:
    """--db FILE, else --demo → <data dir>/demo.db, else <data dir>/gongkai.db."""
    if db_path:
        return Path(db_path).expanduser()
    return data_dir() / ("demo.db" if demo else "gongkai.db")


def set_cjk_font(app: QApplication) -> str | None:
    """Use an installed Chinese UI font, if any. Returns the family chosen."""
    installed = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in installed:
            font = QFont(app.font())
            font.setFamily(family)
            app.setFont(font)
            return family
    return None


def build_demo_database(path: Path) -> bool:
    """Fill *path* with the demo year off the GUI thread. False (with a message) on failure."""
    try:
        from ..core.demo import build_demo
    except ImportError:
        QMessageBox.warning(None, APP_NAME, "演示数据模块尚未安装，将打开一个空白的演示数据库。")
        return True
    path.parent.mkdir(parents=True, exist_ok=True)
    job = workers.run_job(
        None,
        lambda _progress: build_demo(path),
        label="正在生成演示数据（一整年的台账）……",
        on_error=lambda _m: None,
        cancellable=False,
    )
    while not job.wait(60000):
        pass
    if job.error:
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        QMessageBox.critical(None, "无法生成演示数据", job.error)
        return False
    return True


def open_or_ask(path: Path) -> tuple[sqlite_utils.Database, Path] | None:
    """Open *path* safely (lock, damaged-file recovery); else offer another file or quit."""
    while True:
        db = open_or_recover(None, path, daily_backup=False)
        if db is not None:
            return db, path
        box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, "没有打开数据库。要打开其他文件吗？")
        other = box.addButton("打开其他文件…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not other:
            return None
        start = str(path.parent) if path.parent.is_dir() else ""
        name, _f = QFileDialog.getOpenFileName(None, "打开数据库", start, DB_FILTER)
        if not name:
            return None
        path = Path(name)


def run_gui(db_path: str | None, demo: bool) -> int:
    """The `gongkai [--db FILE | --demo]` window. Returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setWindowIcon(QIcon(str(resource("app.png"))))
    set_cjk_font(app)
    crash_report.install()
    path = resolve_db_path(db_path, demo)
    if demo and not path.exists() and not build_demo_database(path):
        return 1
    opened = open_or_ask(path)
    if opened is None:
        return 1
    db, path = opened
    win = MainWindow()
    win.set_database(db, path)
    win.show()
    start_daily_backup(win, path)  # at most one a day, off the GUI thread (issue 9)
    code = app.exec()
    workers.wait_all(15000)
    if win.db is not None:
        win.db.conn.close()
    file_lock.release_others(None)  # the OS would too; another copy may now open the file
    return code
