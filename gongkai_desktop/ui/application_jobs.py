"""依申请公开登记台账 export/import, off the GUI thread (as ui/ledger_jobs.py for the registry).

An import is all rows or none; when the sheet has errors, every one is listed in a
dialog (row, column, what to fix) instead of a message box that cuts them off.
"""

from __future__ import annotations

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
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import application_query
from . import signals, workers
from .forms import embed_form
from .ledger_jobs import (
    choose_year,
    load_ledger,
    open_xlsx_path,
    run_export,
    run_import,
    save_xlsx_path,
)

_ROW_COL = re.compile(r"^第(\d+)行“(.+?)”：(.*)$", re.S)


_MODULE = "gongkai_desktop.exports.applications_ledger"


def ask_year(parent: QWidget, db: sqlite_utils.Database, preferred: int | None) -> int | None:
    return choose_year(
        parent,
        application_query.years(db),
        preferred,
        title="导出依申请公开台账",
        empty_title="导出台账",
        empty_text="还没有登记任何申请，没有可导出的台账。",
    )


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
    ledger = load_ledger(parent, _MODULE, "导出依申请公开台账")
    if ledger is None:
        return None
    if year is None:
        year = ask_year(parent, db, preferred_year)
        if year is None:
            return None
    out = save_xlsx_path(parent, "导出依申请公开台账", f"{year}年依申请公开登记台账.xlsx", out_path)
    if out is None:
        return None
    return run_export(
        parent,
        db,
        lambda conn, progress: ledger.write_applications_ledger(
            conn, year, out, progress, today=today
        ),
        out,
        label=f"正在导出 {year} 年依申请公开台账……",
        said=lambda n: f"已导出 {year} 年 {n} 件申请：{out}",
        boxed=lambda n: f"已导出 {year} 年依申请公开登记台账，共 {n} 件：\n{out}",
        say=say,
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
    ledger = load_ledger(parent, _MODULE, "导入依申请公开台账")
    if ledger is None:
        return None
    src = open_xlsx_path(parent, "导入依申请公开台账", in_path)
    if src is None:
        return None

    def read(conn, progress):
        try:
            return ledger.import_applications_ledger(conn, src, progress, today=today)
        except Exception as e:
            errors = getattr(e, "errors", None)
            if errors:  # ImportRejected: show every row, not a cut-off sentence
                return _Rejected(list(errors))
            raise

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

    return run_import(
        parent,
        db,
        read,
        src,
        done=done,
        cancelled="已取消导入，没有导入任何申请。",
        say=say,
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
