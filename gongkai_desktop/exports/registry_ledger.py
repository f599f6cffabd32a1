"""公开事项登记台账 (registry ledger) as .xlsx: write a year's ledger, read one back for import.

The writer streams with openpyxl's write-only mode so a large year never sits in
memory; it writes to a temporary file beside the target and renames it only when
complete, so a cancelled or failed export leaves no file behind.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from copy import copy
from datetime import date
from pathlib import Path
from unicodedata import east_asian_width

import sqlite_utils
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.properties import PageSetupProperties

from ..core import profile
from ..core.calendar import WorkCalendar
from ..core.errors import Cancelled, UserError
from ..core.registry_io import (
    LEDGER_HEADERS,
    count_year,
    import_rows,
    iter_ledger_rows,
    map_headers,
)

Progress = Callable[[int, int], bool]
SHEET_TITLE = "公开事项登记台账"
PROGRESS_EVERY = 1000
MAX_TEXT = 32767  # Excel's limit for one cell
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
LINE_HEIGHT = 15  # points per line of 11-point text; wrapped rows get explicit heights,
# because LibreOffice and WPS do not re-measure rows that an xlsx leaves without a height.


def text_lines(text: str, width: float) -> int:
    """Lines *text* takes in a wrapped column *width* characters wide (CJK counts 2)."""
    units = sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, -(-units // max(1, int(width) - 1)))
# Text the clerk or the unit's settings supply; the other text columns are fixed labels.
FREE_TEXT = ("索引号", "信息名称", "文号", "发布机构", "主题分类", "公开方式", "网址", "关键词")
# Text that Excel or WPS would read as a formula or an error value (CSV/formula injection).
_RISKY_START = "=+-@#"  # "#" only for Excel's error values such as #N/A


class ExportCancelled(Cancelled):
    def __init__(self) -> None:
        super().__init__("已取消导出，没有生成文件。")


def check_year(year: int) -> int:
    if not isinstance(year, int) or not 1949 <= year <= 2200:
        raise UserError(f"年份“{year}”无效，请写四位年份，例如 2026。")
    return year


def ledger_title(unit_name: str, year: int) -> str:
    return f"{unit_name}公开事项登记台账（{year}年）"


class _Cells:
    """Shared style templates: each styled cell copies a StyleArray (cheap in write-only mode)."""

    def __init__(self, ws):
        self.ws = ws

        def tmpl(**style) -> StyleArray:
            c = WriteOnlyCell(ws)
            for k, v in style.items():
                setattr(c, k, v)
            return c._style

        thin = Side(style="thin", color="808080")
        self.title = tmpl(
            font=Font(bold=True, size=16),
            alignment=Alignment(horizontal="center", vertical="center"),
        )
        self.header = tmpl(
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="D9E1F2"),
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        self.wrap = tmpl(alignment=Alignment(wrap_text=True))
        self.text = tmpl(quotePrefix=True)
        self.wrap_text = tmpl(alignment=Alignment(wrap_text=True), quotePrefix=True)

    def styled(self, value, style, data_type: str) -> WriteOnlyCell:
        """A cell with a shared style; *value* is already clean (see _clean)."""
        c = WriteOnlyCell(self.ws)
        c._style = copy(style)
        c._value, c.data_type = value, data_type
        return c

    def literal(self, value: str, wrap: bool) -> WriteOnlyCell:
        """A string cell that stays text even if it looks like a formula."""
        return self.styled(value[:MAX_TEXT], self.wrap_text if wrap else self.text, "s")


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _setup_sheet(ws, ncols: int) -> None:
    """Everything written before the first row: widths, frozen panes, print setup."""
    for i, h in enumerate(LEDGER_HEADERS, 1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(h, 12)
    ws.row_dimensions[1].height = 32
    ws.row_dimensions[2].height = 30
    ws.freeze_panes = "D3"  # header rows and 序号、索引号、信息名称 stay in view
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:2"
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True  # ruled lines on paper without a border on every cell
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.merged_cells.add(f"A1:{get_column_letter(ncols)}1")


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
    out = Path(out_path)
    if out.is_dir():
        raise UserError(
            f"“{out}”是一个文件夹，请给出要保存的文件名，例如 {out / f'台账{year}.xlsx'}。"
        )
    if not out.parent.is_dir():
        raise UserError(f"保存位置“{out.parent}”不存在，请先建立该文件夹或换一个位置。")
    total = count_year(db, year)
    if progress and progress(0, total) is False:
        raise ExportCancelled()
    # Not mkstemp: its 0600 mode would survive the rename and hide the file from colleagues.
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
    _setup_sheet(ws, ncols)
    cells = _Cells(ws)
    ws.append([cells.styled(ledger_title(unit, year), cells.title, "s")])
    ws.append([cells.styled(h, cells.header, "s") for h in LEDGER_HEADERS])

    # Dates go in as date objects: openpyxl gives them the "yyyy-mm-dd" format by itself,
    # which is cheaper than a styled cell (the export test checks the format).
    text_cols = [LEDGER_HEADERS.index(h) for h in FREE_TEXT]
    wrapped = [LEDGER_HEADERS.index(h) for h in WRAPPED]
    plain_text = [i for i in text_cols if i not in wrapped]
    wrap_style, styled, literal = cells.wrap, cells.styled, cells.literal
    illegal = ILLEGAL_CHARACTERS_RE.search
    wrapped_widths = {i: WIDTHS.get(LEDGER_HEADERS[i], 12) for i in wrapped}
    dims = ws.row_dimensions
    done = 0
    for values in iter_ledger_rows(db, year, today=today, cal=cal):
        row = list(values)
        if illegal("".join(row[i] for i in text_cols if row[i])):
            row = [_clean(v) if isinstance(v, str) else v for v in row]
        for i in plain_text:
            v = row[i]
            if v and v[0] in _RISKY_START and (v[0] != "#" or v in ERROR_CODES):
                row[i] = literal(v, False)
        lines = 1
        for i in wrapped:
            v = row[i]
            if v:
                v = v[:MAX_TEXT]
                lines = max(lines, text_lines(v, wrapped_widths[i]))
                row[i] = (
                    literal(v, True)
                    if v[0] in _RISKY_START and (v[0] != "#" or v in ERROR_CODES)
                    else styled(v, wrap_style, "s")
                )
        if lines > 1:  # consumed when the row is written, then dropped to keep memory flat
            dims[done + 3] = RowDimension(ws, index=done + 3, ht=LINE_HEIGHT * lines)
        ws.append(row)
        dims.pop(done + 3, None)
        done += 1
        if progress and done % PROGRESS_EVERY == 0 and progress(done, total) is False:
            raise ExportCancelled()
    last = max(done + 2, 3)
    ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{last}"
    wb.save(path)
    if progress and progress(done, total) is False:
        raise ExportCancelled()
    return done


# -- Reading a ledger back -------------------------------------------------------------

HEADER_SEARCH_ROWS = 10


def read_ledger(
    path: str | os.PathLike,
) -> tuple[dict[str, int], Iterator[tuple[int, tuple]], Callable]:
    """Open an .xlsx and find the ledger's header row (row 1 or 2, or within the first 10).

    Returns (header → column index, iterator of (Excel row number, values), close).
    """
    p = Path(path)
    if not p.is_file():
        raise UserError(f"找不到文件“{p}”，请检查路径和文件名。")
    wb = None
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            head = ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
            for n, values in enumerate(head, 1):
                cols = map_headers(values)
                if cols is not None:
                    return cols, _rows(ws, n + 1, p.name), wb.close
    except Exception as e:  # openpyxl raises assorted errors on damaged or foreign files
        if wb is not None:
            wb.close()
        raise _broken(p.name) from e
    wb.close()
    raise UserError(
        f"在“{p.name}”里找不到台账的表头（应有“信息名称”“生成日期”“主题分类”等列）。"
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


def import_registry_ledger(
    db: sqlite_utils.Database,
    path: str | os.PathLike,
    progress: Progress | None = None,
    *,
    today: date | None = None,
) -> list[int]:
    """Import every row of a ledger .xlsx, or nothing (see core.registry_io.import_rows)."""
    cols, rows, close = read_ledger(path)
    try:
        return import_rows(db, cols, rows, today=today, progress=progress)
    finally:
        close()
