"""导出会议台账 (exports/meetings_ledger.py) off the GUI thread; the worker opens its own
connection to the same file and only reads."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils
from PySide6.QtWidgets import QWidget

from . import workers
from .ledger_jobs import load_ledger, run_export, save_xlsx_path

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
    ledger = load_ledger(parent, "gongkai_desktop.exports.meetings_ledger", "导出会议台账")
    if ledger is None:
        return None
    out = save_xlsx_path(parent, f"导出{TITLE}", f"{year}年{TITLE}.xlsx", out_path)
    if out is None:
        return None
    return run_export(
        parent,
        db,
        lambda conn, progress: ledger.write_meetings_ledger(conn, year, out, progress),
        out,
        label=f"正在导出 {year} 年{TITLE}……",
        said=lambda n: f"已导出 {year} 年{TITLE}（共 {n} 次会议）：{out}",
        boxed=lambda n: f"已导出 {year} 年{TITLE}，共 {n} 次会议：\n{out}",
        say=say,
        disable=disable,
    )
