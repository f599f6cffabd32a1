"""公开事项登记台账 (registry ledger) as .xlsx: write a year's ledger, read one back for import.

The layout and the safe streaming write are shared with every ledger (exports/xlsx_ledger.py).
"""

from __future__ import annotations

import os
from datetime import date

import sqlite_utils

from ..core import profile
from ..core.calendar import WorkCalendar
from ..core.registry_io import (
    LEDGER_HEADERS,
    count_year,
    import_rows,
    iter_ledger_rows,
    map_headers,
)
from .xlsx_ledger import (  # noqa: F401  (re-exported for callers and tests)
    LINE_HEIGHT,
    ExportCancelled,
    LedgerSpec,
    Progress,
    check_year,
    read_ledger,
    text_lines,
    write_ledger,
)

SHEET_TITLE = "公开事项登记台账"
# Column widths in Excel character units (a Chinese character is about 2).
WIDTHS = {
    "序号": 6,
    "索引号": 19,
    "信息名称": 40,
    "文号": 16,
    "发布机构": 14,
    "生成日期": 11.5,
    "公开期限": 11.5,
    "期限说明": 12,
    "公开日期": 11.5,
    "期限状态": 9.5,
    "主题分类": 12,
    "公开方式": 13,
    "网址": 16,
    "公开范围": 9.5,
    "有效性": 9.5,
    "关键词": 12,
    "公开时限类型": 13,
    "重大决策": 6,
    "长期公开": 6,
    "公开截止日期": 11.5,
    "当前环节": 9,
}
WRAPPED = ("信息名称",)  # every styled cell costs time on 100,000 rows; the rest stay one line
# Text the clerk or the unit's settings supply; the other text columns are fixed labels.
FREE_TEXT = ("索引号", "信息名称", "文号", "发布机构", "主题分类", "公开方式", "网址", "关键词")


def ledger_title(unit_name: str, year: int) -> str:
    return f"{unit_name}公开事项登记台账（{year}年）"


def write_registry_ledger(
    db: sqlite_utils.Database,
    year: int,
    out_path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> int:
    """Write the year's 公开事项登记台账 to *out_path*; return the number of items.

    *progress(done, total)* is called every 1000 rows; returning False cancels, and
    ExportCancelled is raised with no file (and no temporary file) left behind.
    """
    check_year(year)
    spec = registry_spec(profile.unit_name(db), year)
    rows = iter_ledger_rows(db, year, today=today, cal=cal)
    return write_ledger(out_path, spec, rows, count_year(db, year), progress)


def registry_spec(unit: str, year: int) -> LedgerSpec:
    # header rows and 序号、索引号、信息名称 stay in view
    return LedgerSpec(SHEET_TITLE, ledger_title(unit, year), LEDGER_HEADERS, WIDTHS, WRAPPED,
                      FREE_TEXT, freeze="D3", creator=unit or "政务公开台账")  # fmt: skip


def read_registry_ledger(path: str | os.PathLike):
    """(header → column, (row number, values) iterator, close) of a registry ledger."""
    return read_ledger(path, map_headers,
                       "在“{name}”里找不到台账的表头（应有“信息名称”“生成日期”“主题分类”等列）。"
                       "请用本软件导出的台账作为模板填写。")


def import_registry_ledger(
    db: sqlite_utils.Database,
    path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
) -> list[int]:
    """Import every row of a ledger .xlsx, or nothing (see core.registry_io.import_rows)."""
    cols, rows, close = read_registry_ledger(path)
    try:
        return import_rows(db, cols, rows, today=today, progress=progress)
    finally:
        close()
