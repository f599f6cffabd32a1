"""监督台账 as .xlsx: 投诉与意见台账, 监督检查台账 (three sheets) and 整改台账.

They look like every other ledger (exports/xlsx_ledger.py): title row with the unit
and year, Chinese headers, real dates, frozen header, autofilter, A4 landscape fitted
to the width with the header repeated, formula-like text kept as text; written in
write-only mode to a temporary file renamed only when complete. The rows come from
core/supervision_io.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date

import sqlite_utils
from openpyxl import Workbook

from ..core import profile
from ..core.calendar import WorkCalendar
from ..core.masking import mask_rows
from ..core.supervision_io import (
    COMPLAINT_HEADERS,
    KEY_HEADERS,
    PATROL_HEADERS,
    RECTIFICATION_HEADERS,
    SELF_HEADERS,
    count_complaints,
    count_inspections,
    count_rectifications,
    iter_complaint_rows,
    iter_key_inspection_rows,
    iter_patrol_rows,
    iter_rectification_rows,
    iter_self_inspection_rows,
)
from .xlsx_ledger import (  # noqa: F401  (ExportCancelled re-exported for callers)
    ExportCancelled,
    LedgerSpec,
    Progress,
    add_sheet,
    check_year,
    write_atomic,
    write_ledger,
)

COMPLAINTS_TITLE = "投诉与意见台账"
INSPECTIONS_TITLE = "监督检查台账"
RECTIFICATIONS_TITLE = "整改台账"
SHEETS = ("日常巡查", "半年重点检查", "定期自查")
PROGRESS_EVERY = 200
DATE_W = 11.5  # yyyy-mm-dd
# Column widths in Excel character units (a Chinese character is about 2).
COMPLAINT_WIDTHS = {
    "编号": 10, "类别": 8, "来源": 8, "反映人": 10, "联系方式": 14, "收到日期": DATE_W,
    "内容": 36, "承办人": 8, "答复期限": DATE_W, "期限说明": 14, "答复日期": DATE_W,
    "答复方式": 8, "答复内容": 30, "是否按时答复": 8, "转送主要负责人日期": DATE_W,
    "主要负责人": 9, "负责人答复期限": DATE_W, "负责人答复日期": DATE_W,
    "负责人答复内容": 26, "负责人是否按时答复": 9, "状态": 9,
}  # fmt: skip
PATROL_WIDTHS = {"序号": 6, "巡查日期": DATE_W, "巡查人": 10, "巡查对象": 22,
                 "检查内容": 40, "发现问题": 44, "整改事项": 18}  # fmt: skip
KEY_WIDTHS = {"半年": 14, "检查情况": 13, "检查日期": DATE_W, "检查组成员": 18,
              "检查范围": 26, "发现问题": 36, "检查结论": 30, "整改事项": 18,
              "检查报告": 8, "说明": 34}  # fmt: skip
SELF_WIDTHS = {"序号": 6, "自查日期": DATE_W, "发现问题": 60, "通报会议": 12,
               "会议日期": DATE_W, "整改事项": 18}  # fmt: skip
RECTIFICATION_WIDTHS = {"序号": 6, "来源": 9, "来源记录": 20, "问题": 36, "责任人": 14,
                        "整改措施": 32, "整改期限": DATE_W, "完成日期": DATE_W,
                        "整改佐证": 24, "状态": 8}  # fmt: skip


def ledger_title(kind: str, unit_name: str, year: int, part: str = "") -> str:
    """e.g. 厦门市…局投诉与意见台账（2026年）, …监督检查台账（2026年）·日常巡查."""
    return f"{unit_name}{kind}（{year}年）" + (f"·{part}" if part else "")


def complaints_spec(unit: str, year: int) -> LedgerSpec:
    return LedgerSpec(
        sheet_title=COMPLAINTS_TITLE,
        title=ledger_title(COMPLAINTS_TITLE, unit, year),
        headers=COMPLAINT_HEADERS,
        widths=COMPLAINT_WIDTHS,
        wrapped=("内容", "答复内容", "负责人答复内容", "期限说明"),
        free_text=(
            "编号",
            "反映人",
            "联系方式",
            "内容",
            "承办人",
            "答复方式",
            "答复内容",
            "主要负责人",
            "负责人答复内容",
        ),  # fmt: skip
        freeze="B3",  # header rows and 编号 stay in view
        creator=unit or "政务公开台账",
        progress_every=PROGRESS_EVERY,
    )


def inspection_specs(unit: str, year: int) -> tuple[LedgerSpec, LedgerSpec, LedgerSpec]:
    def spec(part, headers, widths, wrapped, free, freeze="C3"):
        return LedgerSpec(
            sheet_title=part,
            title=ledger_title(INSPECTIONS_TITLE, unit, year, part),
            headers=headers,
            widths=widths,
            wrapped=wrapped,
            free_text=free,
            freeze=freeze,
            creator=unit or "政务公开台账",
            progress_every=PROGRESS_EVERY,
        )

    return (
        spec("日常巡查", PATROL_HEADERS, PATROL_WIDTHS,
             ("巡查对象", "检查内容", "发现问题", "整改事项"),
             ("巡查人", "巡查对象", "检查内容", "发现问题")),
        spec("半年重点检查", KEY_HEADERS, KEY_WIDTHS,
             ("检查组成员", "检查范围", "发现问题", "检查结论", "整改事项", "说明"),
             ("检查组成员", "检查范围", "发现问题", "检查结论"), freeze="B3"),
        spec("定期自查", SELF_HEADERS, SELF_WIDTHS, ("发现问题", "整改事项"), ("发现问题",)),
    )  # fmt: skip


def rectifications_spec(unit: str, year: int) -> LedgerSpec:
    return LedgerSpec(
        sheet_title=RECTIFICATIONS_TITLE,
        title=ledger_title(RECTIFICATIONS_TITLE, unit, year),
        headers=RECTIFICATION_HEADERS,
        widths=RECTIFICATION_WIDTHS,
        wrapped=("来源记录", "问题", "整改措施", "整改佐证"),
        free_text=("来源记录", "问题", "责任人", "整改措施", "整改佐证"),
        freeze="B3",
        creator=unit or "政务公开台账",
        progress_every=PROGRESS_EVERY,
    )


def write_complaints_ledger(
    db: sqlite_utils.Database,
    year: int,
    out_path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
    mask: bool = False,
) -> int:
    """Write the year's 投诉与意见台账; return the number of records.

    *progress(done, total)* returning False cancels: ExportCancelled, no file left behind.
    *mask* hides ID and phone numbers (联系方式 and the text; core/masking.py).
    """
    check_year(year)
    rows = iter_complaint_rows(db, year, today=today, cal=cal)
    if mask:
        rows = mask_rows(rows)
    spec = complaints_spec(profile.unit_name(db), year)
    return write_ledger(out_path, spec, rows, count_complaints(db, year), progress)


def write_rectifications_ledger(
    db: sqlite_utils.Database,
    year: int,
    out_path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
) -> int:
    """Write the year's 整改台账; return the number of rectifications."""
    check_year(year)
    rows = iter_rectification_rows(db, year, today=today)
    spec = rectifications_spec(profile.unit_name(db), year)
    return write_ledger(out_path, spec, rows, count_rectifications(db, year), progress)


def write_inspections_ledger(
    db: sqlite_utils.Database,
    year: int,
    out_path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
) -> tuple[int, int, int]:
    """Write the year's 监督检查台账: sheets 日常巡查, 半年重点检查 (one row also for each
    half-year without a key inspection, saying so) and 定期自查.

    Returns the rows written per sheet: (patrols, key-inspection rows, self-inspections).
    """
    check_year(year)
    counts = count_inspections(db, year)
    total = sum(counts)
    if progress and progress(0, total) is False:
        raise ExportCancelled()
    unit = profile.unit_name(db)
    sources: list[Iterable[Sequence]] = [
        iter_patrol_rows(db, year, today=today),
        iter_key_inspection_rows(db, year, today=today),
        iter_self_inspection_rows(db, year, today=today),
    ]

    def fill(wb: Workbook) -> tuple[int, int, int]:
        done: list[int] = []
        for spec, rows in zip(inspection_specs(unit, year), sources, strict=True):
            offset = sum(done)
            step = _offset(progress, offset) if progress else None
            done.append(add_sheet(wb, spec, rows, total, step))
            if progress and progress(sum(done), total) is False:
                raise ExportCancelled()
        return done[0], done[1], done[2]

    return write_atomic(
        out_path,
        fill,
        example_name=f"{INSPECTIONS_TITLE}{year}.xlsx",
        creator=unit or "政务公开台账",
        title=ledger_title(INSPECTIONS_TITLE, unit, year),
    )


def _offset(progress: Progress, offset: int) -> Progress:
    """Per-sheet progress as progress through the whole workbook."""
    return lambda done, total: progress(offset + done, total)


LEDGERS: dict[str, tuple[str, Callable]] = {
    "complaints": (COMPLAINTS_TITLE, write_complaints_ledger),
    "inspections": (INSPECTIONS_TITLE, write_inspections_ledger),
    "rectifications": (RECTIFICATIONS_TITLE, write_rectifications_ledger),
}
