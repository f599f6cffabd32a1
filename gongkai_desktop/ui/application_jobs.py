"""依申请公开登记台账 export/import, off the GUI thread (as ui/ledger_jobs.py for the registry).

An import is all rows or none; when the sheet has errors, every one is listed in a
dialog (row, column, what to fix) instead of a message box that cuts them off.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import application_query, backup
from ..core.db import connect
from . import signals, workers
from .forms import embed_form
from .ledger_jobs import XLSX_FILTER, database_file, documents_dir, show_file_box

_ROW_COL = re.compile(r"^第(\d+)行“(.+?)”：(.*)$", re.S)


def _ledger(parent: QWidget, what: str):
    try:
        return importlib.import_module("gongkai_desktop.exports.applications_ledger")
    except ImportError:
        QMessageBox.information(parent, "功能尚未安装", f"“{what}”功能尚未安装，请升级本软件。")
        return None


def ask_year(parent: QWidget, db: sqlite_utils.Database, preferred: int | None) -> int | None:
    years = application_query.years(db)
    if not years:
        QMessageBox.information(parent, "导出台账", "还没有登记任何申请，没有可导出的台账。")
        return None
    labels = [f"{y}年" for y in years]
    current = years.index(preferred) if preferred in years else 0
    label, ok = QInputDialog.getItem(
        parent, "导出依申请公开台账", "导出哪一年的台账：", labels, current, False
    )
    return years[labels.index(label)] if ok and label in labels else None


def export_applications(
    parent: QWidget,
    db: sqlite_utils.Database,
    *,
    year: int | None = None,
    out_path: str | Path | None = None,
    preferred_year: int | None = None,
    today: date | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job | None:
    """导出依申请公开登记台账 for *year* (asks for the year and the file if not given)."""
    ledger = _ledger(parent, "导出依申请公开台账")
    if ledger is None:
        return None
    if year is None:
        year = ask_year(parent, db, preferred_year)
        if year is None:
            return None
    if out_path is None:
        start = Path(documents_dir()) / f"{year}年依申请公开登记台账.xlsx"
        name, _f = QFileDialog.getSaveFileName(
            parent, "导出依申请公开台账", str(start), XLSX_FILTER
        )
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
            return ledger.write_applications_ledger(conn, year, out, progress, today=today)
        finally:
            conn.conn.close()

    def done(count) -> None:
        say(f"已导出 {year} 年 {count} 件申请：{out}")
        show_file_box(
            parent, "导出完成", f"已导出 {year} 年依申请公开登记台账，共 {count} 件：\n{out}", out
        )

    return workers.run_job(
        parent.window(),
        work,
        label=f"正在导出 {year} 年依申请公开台账……",
        on_success=done,
        on_cancel=lambda: say("已取消导出。"),
        disable=disable,
    )


class _Rejected:
    """An import refused with a list of errors (returned, not raised, by the worker)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors


def import_applications(
    parent: QWidget,
    db: sqlite_utils.Database,
    *,
    in_path: str | Path | None = None,
    today: date | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
    on_report: Callable[[ImportReportDialog], None] | None = None,
) -> workers.Job | None:
    """导入依申请公开台账: every row or none. Errors are listed in an ImportReportDialog."""
    ledger = _ledger(parent, "导入依申请公开台账")
    if ledger is None:
        return None
    if in_path is None:
        name, _f = QFileDialog.getOpenFileName(
            parent, "导入依申请公开台账", documents_dir(), XLSX_FILTER
        )
        if not name:
            return None
        in_path = name
    src, db_file = Path(in_path), database_file(db)

    def work(progress):
        conn = connect(db_file)
        try:
            backup.before(conn, "import")  # issue 9: a backup before every import
            return ledger.import_applications_ledger(conn, src, progress, today=today)
        except Exception as e:
            errors = getattr(e, "errors", None)
            if errors:  # ImportRejected: show every row, not a cut-off sentence
                return _Rejected(list(errors))
            raise
        finally:
            conn.conn.close()

    def done(result) -> None:
        if isinstance(result, _Rejected):
            say(f"导入失败：“{src.name}”中有 {len(result.errors)} 处错误，没有导入任何申请。")
            dlg = ImportReportDialog(src.name, result.errors, parent)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            if on_report is not None:
                on_report(dlg)
            dlg.open()
            return
        signals.notify(signals.APPLICATIONS)
        text = f"已从“{src.name}”导入 {len(result)} 件申请，答复期限已按本软件的工作日历重新计算。"
        say(text)
        QMessageBox.information(parent, "导入完成", text)

    return workers.run_job(
        parent.window(),
        work,
        label=f"正在导入“{src.name}”……",
        on_success=done,
        on_error=lambda msg: QMessageBox.warning(parent, "导入失败", msg),
        on_cancel=lambda: say("已取消导入，没有导入任何申请。"),
        disable=disable,
    )


def split_error(text: str) -> tuple[str, str, str]:
    """'第3行“收到日期”：…' → ('3', '收到日期', '…'); other messages → ('', '', text)."""
    m = _ROW_COL.match(text)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", "", text)


class ImportReportDialog(QDialog):
    """Every bad row of a refused import: row, column, and what to fix."""

    def __init__(self, file_name: str, errors: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = list(errors)
        self.ui = embed_form("import_report_dialog", self, margin=6)
        self.setWindowTitle(f"导入失败 — {file_name}")
        f = self.ui.findChild
        f(QLabel, "headLabel").setText(
            f"“{file_name}”中有 {len(errors)} 处错误，没有导入任何申请，数据库没有改动。"
            "请在 Excel 或 WPS 中按下表逐条改正后重新导入。"
        )
        self.table: QTableWidget = f(QTableWidget, "errorTable")
        self.table.verticalHeader().hide()
        self.table.setRowCount(len(errors))
        for r, text in enumerate(errors):
            for c, v in enumerate(split_error(text)):
                cell = QTableWidgetItem(v)
                cell.setToolTip(text)
                self.table.setItem(r, c, cell)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        f(QPushButton, "copyButton").clicked.connect(
            lambda: QApplication.clipboard().setText("\n".join(self.errors))
        )

    def rows(self) -> list[tuple[str, str, str]]:
        return [
            tuple(self.table.item(r, c).text() for c in range(3))
            for r in range(self.table.rowCount())
        ]
