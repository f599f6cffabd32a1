"""导出会议台账 (exports/meetings_ledger.py) off the GUI thread; the worker opens its own
connection to the same file and only reads."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.db import connect
from . import workers
from .ledger_jobs import XLSX_FILTER, database_file, documents_dir, show_file_box

TITLE = "会议台账"


def export_meetings(
    parent: QWidget,
    db: sqlite_utils.Database,
    *,
    year: int,
    out_path: str | Path | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job | None:
    """导出 *year*'s 会议台账, asking for the file when not given."""
    try:
        ledger = importlib.import_module("gongkai_desktop.exports.meetings_ledger")
    except ImportError:
        QMessageBox.information(
            parent, "功能尚未安装", "“导出会议台账”功能尚未安装，请升级本软件。"
        )
        return None
    if out_path is None:
        start = Path(documents_dir()) / f"{year}年{TITLE}.xlsx"
        name, _f = QFileDialog.getSaveFileName(parent, f"导出{TITLE}", str(start), XLSX_FILTER)
        if not name:
            return None
        out_path = name
    out = Path(out_path)
    if out.suffix.lower() != ".xlsx":
        out = out.with_name(out.name + ".xlsx")
    db_file = database_file(db)

    def work(progress):
        conn = connect(db_file)
        try:
            return ledger.write_meetings_ledger(conn, year, out, progress)
        finally:
            conn.conn.close()

    def done(count) -> None:
        say(f"已导出 {year} 年{TITLE}（共 {count} 次会议）：{out}")
        show_file_box(
            parent, "导出完成", f"已导出 {year} 年{TITLE}，共 {count} 次会议：\n{out}", out
        )

    return workers.run_job(
        parent.window(),
        work,
        label=f"正在导出 {year} 年{TITLE}……",
        on_success=done,
        on_cancel=lambda: say("已取消导出。"),
        disable=disable,
    )
