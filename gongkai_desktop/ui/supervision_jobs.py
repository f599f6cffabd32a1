"""投诉与意见、监督检查、整改 ledgers and the key-inspection report, off the GUI thread.

The worker opens its own connection to the same file (sqlite connections stay on their
thread) and only reads; the report PDF is rendered there and stored with the inspection
back on the GUI thread, so a background job never writes while the window does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import sqlite_utils
from PySide6.QtWidgets import QMessageBox, QWidget

from ..core import complaint_query, inspections
from ..core.errors import UserError
from . import signals, workers
from .ledger_jobs import (
    choose_year,
    load_ledger,
    on_own_connection,
    run_export,
    save_xlsx_path,
)

# which → (ledger title, writer in exports/supervision_ledgers.py)
LEDGERS = {
    "complaints": ("投诉与意见台账", "write_complaints_ledger"),
    "inspections": ("监督检查台账", "write_inspections_ledger"),
    "rectifications": ("整改台账", "write_rectifications_ledger"),
}


def year_choices(db: sqlite_utils.Database, today: date, preferred: int | None) -> list[int]:
    """Years offered for a ledger: those with complaints, this year and the last two."""
    years = set(complaint_query.years(db)) | {today.year, today.year - 1, today.year - 2}
    if preferred:
        years.add(preferred)
    return sorted(years, reverse=True)


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
    ledgers = load_ledger(parent, "gongkai_desktop.exports.supervision_ledgers", f"导出{title}")
    if ledgers is None:
        return None
    if year is None:
        years = year_choices(db, today or date.today(), preferred_year)
        year = choose_year(
            parent,
            years,
            preferred_year,
            title=f"导出{title}",
            empty_title=f"导出{title}",
            empty_text="没有可导出的台账。",  # not reached: this year is always offered
        )
        if year is None:
            return None
    out = save_xlsx_path(parent, f"导出{title}", f"{year}年{title}.xlsx", out_path)
    if out is None:
        return None
    write = getattr(ledgers, writer)
    return run_export(
        parent,
        db,
        lambda conn, progress: write(conn, year, out, progress, today=today),
        out,
        label=f"正在导出 {year} 年{title}……",
        said=lambda result: f"已导出 {year} 年{title}（{_summary(which, result)}）：{out}",
        boxed=lambda result: f"已导出 {year} 年{title}，{_summary(which, result)}：\n{out}",
        say=say,
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
    report = load_ledger(parent, "gongkai_desktop.exports.inspection_report", "生成检查报告")
    if report is None:
        return None
    work = on_own_connection(
        db,
        lambda conn, _progress: report.render_key_inspection_report(
            inspections.report_context(conn, inspection_id)
        ),
    )

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
