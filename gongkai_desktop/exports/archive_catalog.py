"""The 归档文件目录 as a spreadsheet, and the fonds details every archive printout takes.

One layout for `gongkai export archive` and the export centre (RULES.md §8, DA/T 22-2015);
one *meta* for the catalogue, spines, box covers, 备考表, 套打 and the volume PDF.
"""

from __future__ import annotations

import os

import sqlite_utils

from ..core import archive, profile
from ..core.archive import CATALOG_HEADERS, catalog_rows
from .xlsx_ledger import LedgerSpec, Progress, write_ledger

SHEET_TITLE = "归档文件目录"
# Column widths in Excel character units (a Chinese character is about 2).
WIDTHS = {"序号": 6, "档号": 24, "文号": 18, "责任者": 20, "题名": 44, "日期": 10, "密级": 6,
          "页数": 6, "备注": 12}  # fmt: skip


def fonds_meta(db: sqlite_utils.Database) -> dict:
    """全宗号/全宗名称, the unit and the 机构 names, as exports/archive_pdf.py's *meta*."""
    prof = profile.load(db)
    codes = archive.archive_settings(db).get("org_codes", [])
    unit = prof.unit_name if prof else ""
    return {"fonds_no": prof.fonds_no if prof else "", "fonds_name": unit, "unit_name": unit,
            "org_names": {c: c for c in codes}}  # fmt: skip


def synced_pieces(db: sqlite_utils.Database, year: int) -> tuple[list[dict], int]:
    """The year's pieces with 页数 recomputed from the volume's own layout first, so every
    catalogue (PDF, xlsx, CLI, export centre) matches the bound volume; and how many
    pieces' 页数 were corrected (audited in archive_volumes.set_pages)."""
    from .archive_volume import sync_pages  # late: archive_volume imports this module

    fixed = sync_pages(db, year) if archive.pieces(db, year=year) else {}
    return archive.pieces(db, year=year), len(fixed)


def catalog_spec(unit: str, year: int) -> LedgerSpec:
    return LedgerSpec(SHEET_TITLE, f"{unit}归档文件目录（{year}年）", CATALOG_HEADERS, WIDTHS,
                      wrapped=("题名", "责任者"), free_text=("文号", "责任者", "题名", "备注"),
                      freeze="C3", creator=unit or "政务公开台账")  # fmt: skip


def write_catalog_xlsx(
    db: sqlite_utils.Database,
    year: int,
    out_path: str | os.PathLike,
    progress: Progress | None = None,
) -> int:
    """Write the year's 归档文件目录 to *out_path*; return the number of pieces."""
    prof = profile.load(db)
    synced_pieces(db, year)  # 页数 as bound in the volume
    rows = catalog_rows(db, year)
    return write_ledger(out_path, catalog_spec(prof.unit_name if prof else "", year), rows,
                        len(rows), progress)  # fmt: skip
