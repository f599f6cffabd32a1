"""依申请公开登记台账 (applications ledger) as .xlsx: write a year's ledger, read one back.

Same layout as the registry ledger (exports/registry_ledger.py): a title row with the
unit and year, one header row, real dates, frozen header, autofilter, A4 landscape
fitted to the width with the header repeated, formula-like text kept as text. It
streams in write-only mode to a temporary file that is renamed only when complete.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import sqlite_utils
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.properties import PageSetupProperties

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
from ..core.errors import UserError
from .registry_ledger import (
    _RISKY_START,
    LINE_HEIGHT,
    MAX_TEXT,
    ExportCancelled,
    _Cells,
    check_year,
    text_lines,
)

Progress = Callable[[int, int], bool]
SHEET_TITLE = "依申请公开登记台账"
PROGRESS_EVERY = 500
HEADER_SEARCH_ROWS = 10
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


def _risky(v: str) -> bool:
    return v[0] in _RISKY_START and (v[0] != "#" or v in ERROR_CODES)


def _setup_sheet(ws) -> None:
    for i, h in enumerate(LEDGER_HEADERS, 1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(h, 12)
    ws.row_dimensions[1].height = 32
    ws.row_dimensions[2].height = 30
    ws.freeze_panes = "B3"  # header rows and 申请编号 stay in view
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:2"
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.merged_cells.add(f"A1:{get_column_letter(len(LEDGER_HEADERS))}1")


def write_applications_ledger(
    db: sqlite_utils.Database,
    year: int,
    out_path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> int:
    """Write the year's 依申请公开登记台账 to *out_path*; return the number of applications.

    *progress(done, total)* returning False cancels: ExportCancelled, no file left behind.
    """
    check_year(year)
    out = Path(out_path)
    if out.is_dir():
        raise UserError(
            f"“{out}”是一个文件夹，请给出要保存的文件名，例如 {out / f'依申请公开台账{year}.xlsx'}。"
        )
    if not out.parent.is_dir():
        raise UserError(f"保存位置“{out.parent}”不存在，请先建立该文件夹或换一个位置。")
    total = count_year(db, year)
    if progress and progress(0, total) is False:
        raise ExportCancelled()
    tmp = str(out.parent / f".{out.stem}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        done = _write(db, year, tmp, total, progress, today, cal)
        os.replace(tmp, out)
    except PermissionError as e:
        _remove(tmp)
        raise UserError(
            f"无法写入“{out.name}”：文件可能正在 Excel 或 WPS 中打开，请关闭后再导出。"
        ) from e
    except OSError as e:
        _remove(tmp)
        raise UserError(
            f"无法保存“{out.name}”：{e.strerror or e}。请检查磁盘空间和文件夹权限。"
        ) from e
    except BaseException:
        _remove(tmp)
        raise
    return done


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _write(
    db,
    year: int,
    path: str,
    total: int,
    progress: Progress | None,
    today: date | None,
    cal: WorkCalendar | None,
) -> int:
    prof = profile.load(db)
    unit = prof.unit_name if prof else ""
    ncols = len(LEDGER_HEADERS)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    wb.properties.title = ledger_title(unit, year)
    wb.properties.creator = unit or "政务公开台账"
    _setup_sheet(ws)
    cells = _Cells(ws)
    ws.append([cells.styled(ledger_title(unit, year), cells.title, "s")])
    ws.append([cells.styled(h, cells.header, "s") for h in LEDGER_HEADERS])
    text_cols = [LEDGER_HEADERS.index(h) for h in FREE_TEXT]
    wrapped = {LEDGER_HEADERS.index(h): WIDTHS[h] for h in WRAPPED}
    dims = ws.row_dimensions
    done = 0
    for values in iter_ledger_rows(db, year, today=today, cal=cal):
        row = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
        lines = 1
        for i, v in enumerate(row):
            if not isinstance(v, str) or not v:
                continue
            v = row[i] = v[:MAX_TEXT]
            wrap = i in wrapped
            if wrap:
                lines = max(lines, sum(text_lines(part, wrapped[i]) for part in v.split("\n")))
            if i in text_cols and _risky(v):
                row[i] = cells.literal(v, wrap)
            elif wrap:
                row[i] = cells.styled(v, cells.wrap, "s")
        if lines > 1:  # LibreOffice and WPS do not re-measure rows without a height
            dims[done + 3] = RowDimension(ws, index=done + 3, ht=LINE_HEIGHT * lines)
        ws.append(row)
        dims.pop(done + 3, None)
        done += 1
        if progress and done % PROGRESS_EVERY == 0 and progress(done, total) is False:
            raise ExportCancelled()
    ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{max(done + 2, 3)}"
    wb.save(path)
    if progress and progress(done, total) is False:
        raise ExportCancelled()
    return done


# -- Reading a ledger back -------------------------------------------------------------


def read_ledger(
    path: str | os.PathLike,
) -> tuple[dict[str, int], Iterator[tuple[int, tuple]], Callable]:
    """Open an .xlsx and find the header row (row 1, or below a title row, within 10 rows).
    Returns (header → column index, iterator of (Excel row number, values), close)."""
    p = Path(path)
    if not p.is_file():
        raise UserError(f"找不到文件“{p}”，请检查路径和文件名。")
    wb = None
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for n, values in enumerate(
                ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), 1
            ):
                cols = map_headers(values)
                if cols is not None:
                    return cols, _rows(ws, n + 1, p.name), wb.close
    except Exception as e:  # openpyxl raises assorted errors on damaged or foreign files
        if wb is not None:
            wb.close()
        raise _broken(p.name) from e
    wb.close()
    raise UserError(
        f"在“{p.name}”里找不到依申请公开台账的表头（应有“{'”“'.join(REQUIRED_HEADERS[:6])}”等列）。"
        "请用本软件导出的台账作为模板填写。"
    )


def _broken(name: str) -> UserError:
    return UserError(
        f"文件“{name}”不是有效的 Excel 工作簿（.xlsx），或文件已损坏。"
        "请用 Excel 或 WPS 打开后“另存为”.xlsx 格式再导入。"
    )


def _rows(ws, first: int, name: str) -> Iterator[tuple[int, tuple]]:
    try:
        yield from enumerate(ws.iter_rows(min_row=first, values_only=True), first)
    except Exception as e:
        raise _broken(name) from e


def import_applications_ledger(
    db: sqlite_utils.Database,
    path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
) -> list[int]:
    """Import every row of a ledger .xlsx, or nothing (see core.application_import.import_rows)."""
    cols, rows, close = read_ledger(path)
    try:
        return import_rows(db, cols, rows, today=today, progress=progress)
    finally:
        close()
