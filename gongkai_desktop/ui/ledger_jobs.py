"""台账导入导出 (ledger export/import) run off the GUI thread through ui/workers.

The worker opens its own connection to the same file: sqlite connections stay on
the thread that made them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from ..core import backup, registry_query
from ..core.db import connect
from ..core.errors import UserError
from . import signals, workers

XLSX_FILTER = "Excel 文件 (*.xlsx)"


def database_file(db: sqlite_utils.Database) -> Path:
    """The file behind *db*, for the worker's own connection."""
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    raise UserError("无法确定数据库文件的位置。")


def documents_dir() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def _ledger_module(parent: QWidget, what: str):
    try:
        return importlib.import_module("gongkai_desktop.exports.registry_ledger")
    except ImportError:
        QMessageBox.information(parent, "功能尚未安装", f"“{what}”功能尚未安装，请升级本软件。")
        return None


def export_registry(
    parent: QWidget,
    db: sqlite_utils.Database,
    *,
    year: int | None = None,
    out_path: str | Path | None = None,
    preferred_year: int | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job | None:
    """导出登记台账: ask for the year and file if not given, then write it in the background."""
    ledger = _ledger_module(parent, "导出登记台账")
    if ledger is None:
        return None
    if year is None:
        year = ask_year(parent, db, preferred_year)
        if year is None:
            return None
    if out_path is None:
        start = Path(documents_dir()) / f"{year}年主动公开登记台账.xlsx"
        name, _f = QFileDialog.getSaveFileName(parent, "导出登记台账", str(start), XLSX_FILTER)
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
            return ledger.write_registry_ledger(conn, year, out, progress=progress)
        finally:
            conn.conn.close()

    def done(count) -> None:
        say(f"已导出 {year} 年 {count} 条事项：{out}")
        show_file_box(
            parent, "导出完成", f"已导出 {year} 年主动公开登记台账，共 {count} 条：\n{out}", out
        )

    return workers.run_job(
        parent.window(),
        work,
        label=f"正在导出 {year} 年登记台账……",
        on_success=done,
        on_cancel=lambda: say("已取消导出。"),
        disable=disable,
    )


def ask_year(parent: QWidget, db: sqlite_utils.Database, preferred: int | None) -> int | None:
    years = registry_query.years(db)
    if not years:
        QMessageBox.information(parent, "导出登记台账", "还没有登记任何事项，没有可导出的台账。")
        return None
    labels = [f"{y}年" for y in years]
    current = years.index(preferred) if preferred in years else 0
    label, ok = QInputDialog.getItem(
        parent, "导出登记台账", "导出哪一年的台账：", labels, current, False
    )
    return years[labels.index(label)] if ok and label in labels else None


def import_registry(
    parent: QWidget,
    db: sqlite_utils.Database,
    *,
    in_path: str | Path | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job | None:
    """导入登记台账: every row or none (exports/registry_ledger.import_registry_ledger)."""
    ledger = _ledger_module(parent, "导入登记台账")
    if ledger is None:
        return None
    if in_path is None:
        name, _f = QFileDialog.getOpenFileName(parent, "导入登记台账", documents_dir(), XLSX_FILTER)
        if not name:
            return None
        in_path = name
    src, db_file = Path(in_path), database_file(db)

    def work(progress):
        conn = connect(db_file)
        try:
            backup.before(conn, "import")  # issue 9: a backup before every import
            return ledger.import_registry_ledger(conn, src, progress=progress)
        finally:
            conn.conn.close()

    def done(ids) -> None:
        signals.notify(signals.ITEMS)
        text = f"已从“{src.name}”导入 {len(ids)} 条事项（索引号已按本单位规则重新编号）。"
        say(text)
        QMessageBox.information(parent, "导入完成", text)

    return workers.run_job(
        parent.window(),
        work,
        label=f"正在导入“{src.name}”……",
        on_success=done,
        on_error=lambda msg: QMessageBox.warning(parent, "导入失败", msg),
        on_cancel=lambda: say("已取消导入，没有导入任何事项。"),
        disable=disable,
    )


def show_file_box(parent: QWidget, title: str, text: str, path: Path) -> None:
    """A non-blocking notice with a button that opens the file's folder."""
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def clicked(button) -> None:
        if button is folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    box.buttonClicked.connect(clicked)
    box.show()
