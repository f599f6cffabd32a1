"""台账导入导出 (ledger export/import) run off the GUI thread through ui/workers.

The worker opens its own connection to the same file: sqlite connections stay on
the thread that made them. The steps every ledger job shares (load_ledger, choose_year,
save_xlsx_path/open_xlsx_path, run_export/run_import) serve ui/application_jobs.py too.
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


def load_ledger(parent: QWidget, module: str, what: str):
    """The exports module *module*, or None (with a notice) when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        QMessageBox.information(parent, "功能尚未安装", f"“{what}”功能尚未安装，请升级本软件。")
        return None


def choose_year(
    parent: QWidget,
    years: list[int],
    preferred: int | None,
    *,
    title: str,
    empty_title: str,
    empty_text: str,
) -> int | None:
    """Ask which of *years* to export (*preferred* first); None if none or cancelled."""
    if not years:
        QMessageBox.information(parent, empty_title, empty_text)
        return None
    labels = [f"{y}年" for y in years]
    current = years.index(preferred) if preferred in years else 0
    label, ok = QInputDialog.getItem(parent, title, "导出哪一年的台账：", labels, current, False)
    return years[labels.index(label)] if ok and label in labels else None


def save_xlsx_path(
    parent: QWidget, title: str, default_name: str, out_path: str | Path | None
) -> Path | None:
    """*out_path*, or the file the user picks (None if cancelled); always ending in .xlsx."""
    return save_file_path(parent, title, default_name, out_path, ".xlsx", XLSX_FILTER)


def save_file_path(
    parent: QWidget,
    title: str,
    default_name: str,
    out_path: str | Path | None,
    suffix: str,
    file_filter: str,
) -> Path | None:
    """*out_path*, or the file the user picks in Documents (None if cancelled); always
    ending in *suffix*."""
    if out_path is None:
        start = Path(documents_dir()) / default_name
        name, _f = QFileDialog.getSaveFileName(parent, title, str(start), file_filter)
        if not name:
            return None
        out_path = name
    out = Path(out_path)
    if out.suffix.lower() != suffix:
        out = out.with_name(out.name + suffix)
    return out


def open_xlsx_path(parent: QWidget, title: str, in_path: str | Path | None) -> Path | None:
    """*in_path*, or the file the user picks (None if cancelled)."""
    if in_path is None:
        name, _f = QFileDialog.getOpenFileName(parent, title, documents_dir(), XLSX_FILTER)
        if not name:
            return None
        in_path = name
    return Path(in_path)


def on_own_connection(db: sqlite_utils.Database, fn: Callable, *, backup_first: bool = False):
    """A worker body ``work(progress)`` calling ``fn(conn, progress)`` on its own connection."""
    db_file = database_file(db)

    def work(progress):
        conn = connect(db_file)
        try:
            if backup_first:
                backup.before(conn, "import")  # issue 9: a backup before every import
            return fn(conn, progress)
        finally:
            conn.conn.close()

    return work


def run_export(
    parent: QWidget,
    db: sqlite_utils.Database,
    write: Callable,
    out: Path,
    *,
    label: str,
    said: Callable[[int], str],
    boxed: Callable[[int], str],
    say: Callable[[str], None],
    disable: Iterable[QWidget],
) -> workers.Job:
    """Run ``write(conn, progress) -> count``; *said*/*boxed* word the count when done."""

    def done(count) -> None:
        say(said(count))
        show_file_box(parent, "导出完成", boxed(count), out)

    return workers.run_job(
        parent.window(),
        on_own_connection(db, write),
        label=label,
        on_success=done,
        on_cancel=lambda: say("已取消导出。"),
        disable=disable,
    )


def run_import(
    parent: QWidget,
    db: sqlite_utils.Database,
    read: Callable,
    src: Path,
    *,
    done: Callable,
    cancelled: str,
    say: Callable[[str], None],
    disable: Iterable[QWidget],
) -> workers.Job:
    """Run ``read(conn, progress)`` after a backup; a failure is shown as 导入失败."""
    return workers.run_job(
        parent.window(),
        on_own_connection(db, read, backup_first=True),
        label=f"正在导入“{src.name}”……",
        on_success=done,
        on_error=lambda msg: QMessageBox.warning(parent, "导入失败", msg),
        on_cancel=lambda: say(cancelled),
        disable=disable,
    )


_MODULE = "gongkai_desktop.exports.registry_ledger"


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
    ledger = load_ledger(parent, _MODULE, "导出登记台账")
    if ledger is None:
        return None
    if year is None:
        year = ask_year(parent, db, preferred_year)
        if year is None:
            return None
    out = save_xlsx_path(parent, "导出登记台账", f"{year}年主动公开登记台账.xlsx", out_path)
    if out is None:
        return None
    return run_export(
        parent,
        db,
        lambda conn, progress: ledger.write_registry_ledger(conn, year, out, progress=progress),
        out,
        label=f"正在导出 {year} 年登记台账……",
        said=lambda n: f"已导出 {year} 年 {n} 条事项：{out}",
        boxed=lambda n: f"已导出 {year} 年主动公开登记台账，共 {n} 条：\n{out}",
        say=say,
        disable=disable,
    )


def ask_year(parent: QWidget, db: sqlite_utils.Database, preferred: int | None) -> int | None:
    return choose_year(
        parent,
        registry_query.years(db),
        preferred,
        title="导出登记台账",
        empty_title="导出登记台账",
        empty_text="还没有登记任何事项，没有可导出的台账。",
    )


def import_registry(
    parent: QWidget,
    db: sqlite_utils.Database,
    *,
    in_path: str | Path | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job | None:
    """导入登记台账: every row or none (exports/registry_ledger.import_registry_ledger)."""
    ledger = load_ledger(parent, _MODULE, "导入登记台账")
    if ledger is None:
        return None
    src = open_xlsx_path(parent, "导入登记台账", in_path)
    if src is None:
        return None

    def done(ids) -> None:
        signals.notify(signals.ITEMS)
        text = f"已从“{src.name}”导入 {len(ids)} 条事项（索引号已按本单位规则重新编号）。"
        say(text)
        QMessageBox.information(parent, "导入完成", text)

    return run_import(
        parent,
        db,
        lambda conn, progress: ledger.import_registry_ledger(conn, src, progress=progress),
        src,
        done=done,
        cancelled="已取消导入，没有导入任何事项。",
        say=say,
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
