"""依申请公开登记台账 (applications ledger) as .xlsx: write a year's ledger, read one back.

The layout and the safe streaming write are shared with every ledger (exports/xlsx_ledger.py).
"""

from __future__ import annotations

import os
from datetime import date

import sqlite_utils

from ..core import profile
from ..core.application_import import import_rows
from ..core.application_io import (
    LEDGER_HEADERS,
    REQUIRED_HEADERS,
    count_year,
    iter_ledger_rows,
    map_headers,
)
from ..core.calendar import WorkCalendar
from ..core.masking import mask_rows
from .xlsx_ledger import (  # noqa: F401  (ExportCancelled re-exported for callers)
    ExportCancelled,
    LedgerSpec,
    Progress,
    check_year,
    read_ledger,
    write_ledger,
)

SHEET_TITLE = "依申请公开登记台账"
# Column widths in Excel character units (a Chinese character is about 2).
WIDTHS = {
    "申请编号": 11, "收到日期": 11.5, "申请人类型": 10, "申请人": 18, "申请方式": 8, "申请内容": 36,
    "补正告知日期": 11.5, "补正收到日期": 11.5, "征求意见开始日期": 11.5, "征求意见结束日期": 11.5,
    "延期工作日": 7, "答复日期": 11.5, "办理结果": 22, "答复期限": 11.5, "是否逾期": 6,
    "当前状态": 9, "答复类型": 12, "补正期限": 11.5, "征求意见明细": 36, "延期批准人": 9,
    "期限说明": 14,
}  # fmt: skip
WRAPPED = ("申请人", "申请内容", "办理结果", "征求意见明细")
FREE_TEXT = ("申请编号", "申请人", "申请内容", "征求意见明细", "延期批准人")


def ledger_title(unit_name: str, year: int) -> str:
    return f"{unit_name}依申请公开登记台账（{year}年）"


def write_applications_ledger(
    db: sqlite_utils.Database,
    year: int,
    out_path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
    mask: bool = False,
) -> int:
    """Write the year's 依申请公开登记台账 to *out_path*; return the number of applications.

    *progress(done, total)* returning False cancels: ExportCancelled, no file left behind.
    *mask* hides ID and phone numbers in the text (core/masking.py) for a copy sent upward.
    """
    check_year(year)
    spec = applications_spec(profile.unit_name(db), year)
    rows = iter_ledger_rows(db, year, today=today, cal=cal)
    if mask:
        rows = mask_rows(rows)
    return write_ledger(out_path, spec, rows, count_year(db, year), progress)


def applications_spec(unit: str, year: int) -> LedgerSpec:
    return LedgerSpec(SHEET_TITLE, ledger_title(unit, year), LEDGER_HEADERS, WIDTHS,
                      WRAPPED, FREE_TEXT, freeze="B3", creator=unit or "政务公开台账",
                      progress_every=500)  # fmt: skip


def read_applications_ledger(path: str | os.PathLike):
    """(header → column, (row number, values) iterator, close) of an applications ledger."""
    return read_ledger(
        path, map_headers,
        f"在“{{name}}”里找不到依申请公开台账的表头（应有“{'”“'.join(REQUIRED_HEADERS[:6])}”等列）。"
        "请用本软件导出的台账作为模板填写。")


def import_applications_ledger(
    db: sqlite_utils.Database,
    path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
) -> list[int]:
    """Import every row of a ledger .xlsx, or nothing (see core.application_import.import_rows)."""
    cols, rows, close = read_applications_ledger(path)
    try:
        return import_rows(db, cols, rows, today=today, progress=progress)
    finally:
        close()
