"""会议台账 (meetings ledger) as .xlsx: the year's meetings of the disclosure bodies.

It looks like every other ledger (exports/xlsx_ledger.py): title row with the unit and
year, Chinese headers, real dates, frozen header, autofilter, A4 landscape fitted to
the width, the clerk's text kept as text; written to a temporary file renamed only when
complete. The rows come from core/meetings_io.py.
"""

from __future__ import annotations

import os

import sqlite_utils

from ..core import profile
from ..core.meetings_io import MEETING_HEADERS, count_meetings, iter_meeting_rows
from .xlsx_ledger import (  # noqa: F401  (ExportCancelled re-exported for callers)
    ExportCancelled,
    LedgerSpec,
    Progress,
    check_year,
    write_ledger,
)

MEETINGS_TITLE = "会议台账"
WIDTHS = {"序号": 6, "会议日期": 11.5, "会议类型": 12, "召开机构": 20, "会议议题": 30,
          "参会人员": 26, "议定事项": 36, "会议纪要": 40, "计入专题会议": 9}  # fmt: skip
FREE_TEXT = ("会议议题", "参会人员", "议定事项", "会议纪要")


def ledger_title(unit_name: str, year: int) -> str:
    """e.g. 厦门市…局政务公开会议台账（2026年）."""
    return f"{unit_name}政务公开{MEETINGS_TITLE}（{year}年）"


def meetings_spec(unit: str, year: int) -> LedgerSpec:
    return LedgerSpec(
        sheet_title=MEETINGS_TITLE,
        title=ledger_title(unit, year),
        headers=MEETING_HEADERS,
        widths=WIDTHS,
        wrapped=FREE_TEXT,
        free_text=FREE_TEXT,
        freeze="C3",
        creator=unit or "政务公开台账",
        progress_every=200,
    )


def write_meetings_ledger(
    db: sqlite_utils.Database,
    year: int,
    out_path: str | os.PathLike,
    progress: Progress | None = None,
) -> int:
    """Write the year's 会议台账; return the number of meetings.

    *progress(done, total)* returning False cancels: ExportCancelled, no file left behind.
    """
    check_year(year)
    spec = meetings_spec(profile.unit_name(db), year)
    return write_ledger(out_path, spec, iter_meeting_rows(db, year), count_meetings(db, year),
                        progress)  # fmt: skip
