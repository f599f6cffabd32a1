"""投诉与意见、监督检查、整改 ledgers and the key-inspection report, off the GUI thread.

The worker opens its own connection to the same file (sqlite connections stay on their
thread) and only reads; the report PDF is rendered there and stored with the inspection
back on the GUI thread, so a background job never writes while the window does.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import sqlite_utils
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from ..core import complaint_query, inspections
from ..core.db import connect
from ..core.errors import UserError
from . import signals, workers
from .ledger_jobs import XLSX_FILTER, database_file, documents_dir, show_file_box

# which → (ledger title, writer in exports/supervision_ledgers.py)
LEDGERS = {
    "complaints": ("投诉与意见台账", "write_complaints_ledger"),
    "inspections": ("监督检查台账", "write_inspections_ledger"),
    "rectifications": ("整改台账", "write_rectifications_ledger"),
}


def _module(parent: QWidget, name: str, what: str):
    try:
        return importlib.import_module(f"gongkai_desktop.exports.{name}")
    except ImportError:
        QMessageBox.information(parent, "功能尚未安装", f"“{what}”功能尚未安装，请升级本软件。")
        return None


def year_choices(db: sqlite_utils.Database, today: date, preferred: int | None) -> list[int]:
    """Years offered for a ledger: those with complaints, this year and the last two."""
    years = set(complaint_query.years(db)) | {today.year, today.year - 1, today.year - 2}
    if preferred:
        years.add(preferred)
    return sorted(years, reverse=True)


def ask_year(parent: QWidget, title: str, years: list[int], preferred: int | None) -> int | None:
    labels = [f"{y}年" for y in years]
    current = years.index(preferred) if preferred in years else 0
    label, ok = QInputDialog.getItem(parent, title, "导出哪一年的台账：", labels, current, False)
    return years[labels.index(label)] if ok and label in labels else None


def _summary(which: str, result) -> str:
    if which == "inspections":
        patrols, keys, selfs = result
        return f"日常巡查 {patrols} 条、半年重点检查 {keys} 行、定期自查 {selfs} 条"
    return f"共 {result} 条"


def export_ledger(
    parent: QWidget,
    db: sqlite_utils.Database,
    which: str,
    *,
    year: int | None = None,
    out_path: str | Path | None = None,
    preferred_year: int | None = None,
    today: date | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job | None:
    """导出 *which* (complaints / inspections / rectifications) for *year*, asking for the
    year and the file when not given."""
    title, writer = LEDGERS[which]
    ledgers = _module(parent, "supervision_ledgers", f"导出{title}")
    if ledgers is None:
        return None
    if year is None:
        years = year_choices(db, today or date.today(), preferred_year)
        year = ask_year(parent, f"导出{title}", years, preferred_year)
        if year is None:
            return None
    if out_path is None:
        start = Path(documents_dir()) / f"{year}年{title}.xlsx"
        name, _f = QFileDialog.getSaveFileName(parent, f"导出{title}", str(start), XLSX_FILTER)
        if not name:
            return None
        out_path = name
    out = Path(out_path)
    if out.suffix.lower() != ".xlsx":
        out = out.with_name(out.name + ".xlsx")
    db_file = database_file(db)
    write = getattr(ledgers, writer)

    def work(progress):
        conn = connect(db_file)
        try:
            return write(conn, year, out, progress, today=today)
        finally:
            conn.conn.close()

    def done(result) -> None:
        text = _summary(which, result)
        say(f"已导出 {year} 年{title}（{text}）：{out}")
        show_file_box(parent, "导出完成", f"已导出 {year} 年{title}，{text}：\n{out}", out)

    return workers.run_job(
        parent.window(),
        work,
        label=f"正在导出 {year} 年{title}……",
        on_success=done,
        on_cancel=lambda: say("已取消导出。"),
        disable=disable,
    )


def report_file_name(ctx_or_row: dict) -> str:
    half = "上半年" if ctx_or_row.get("half") == 1 else "下半年"
    return f"{ctx_or_row.get('year', '')}年{half}重点检查报告_{ctx_or_row.get('on_date', '')}.pdf"


def generate_report(
    parent: QWidget,
    db: sqlite_utils.Database,
    inspection_id: int,
    *,
    on_stored: Callable[[bytes], None] = lambda _pdf: None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job | None:
    """生成报告: render the key inspection's report PDF in the background, then store it
    with the inspection (GUI thread) and hand it to *on_stored* (which opens it)."""
    report = _module(parent, "inspection_report", "生成检查报告")
    if report is None:
        return None
    db_file = database_file(db)

    def work(_progress):
        conn = connect(db_file)
        try:
            return report.render_key_inspection_report(
                inspections.report_context(conn, inspection_id)
            )
        finally:
            conn.conn.close()

    def done(pdf: bytes) -> None:
        try:
            inspections.store_report(db, inspection_id, pdf)
        except UserError as e:
            QMessageBox.warning(parent, "无法保存检查报告", str(e))
            return
        signals.notify(signals.SUPERVISION)
        say("已生成并保存重点检查报告。")
        on_stored(pdf)

    return workers.run_job(
        parent.window(),
        work,
        label="正在生成重点检查报告……",
        on_success=done,
        on_error=lambda msg: QMessageBox.warning(parent, "无法生成检查报告", msg),
        on_cancel=lambda: say("已取消生成报告。"),
        disable=disable,
        cancellable=False,
    )
