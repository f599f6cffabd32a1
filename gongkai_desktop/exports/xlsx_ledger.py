"""The one way this program writes and reads a 台账 (.xlsx ledger).

Every ledger looks the same to the clerk: a title row with the unit and year, one
header row, real dates, frozen header, autofilter, A4 landscape fitted to the width
with the header rows repeated, ruled lines, page numbers, and text that looks like a
formula kept as text. It streams in openpyxl's write-only mode to a temporary file
that replaces the target only when complete, so a cancel or a failure leaves nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from unicodedata import east_asian_width

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.properties import PageSetupProperties

from ..core import xlsx_guard
from ..core.atomic_file import atomic_path
from ..core.errors import Cancelled, UserError, ValidationError
from .xlsx_safety import RISKY_START, is_risky  # noqa: F401 - the shared formula check

Progress = Callable[[int, int], bool]
MAX_TEXT = 32767  # Excel's limit for one cell
LINE_HEIGHT = 15  # points per line of 11-point text; wrapped rows get explicit heights,
# because LibreOffice and WPS do not re-measure rows that an xlsx leaves without a height.
HEADER_SEARCH_ROWS = 10


class ExportCancelled(Cancelled):
    def __init__(self) -> None:
        super().__init__("已取消导出，没有生成文件。")


def check_year(year: int) -> int:
    if not isinstance(year, int) or not 1949 <= year <= 2200:
        raise UserError(f"年份“{year}”无效，请写四位年份，例如 2026。")
    return year


def text_lines(text: str, width: float) -> int:
    """Lines *text* takes in a wrapped column *width* characters wide (CJK counts 2)."""
    units = sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, -(-units // max(1, int(width) - 1)))


@dataclass(frozen=True)
class LedgerSpec:
    """What differs between ledgers: names, columns and which of them hold free text."""

    sheet_title: str
    title: str  # e.g. 厦门市…局公开事项登记台账（2026年）
    headers: Sequence[str]
    widths: dict[str, float]
    wrapped: Sequence[str] = ()  # wrapped columns (each styled cell costs time)
    free_text: Sequence[str] = ()  # text the clerk typed: checked for formula-like starts
    freeze: str = "B3"
    creator: str = "政务公开台账"
    progress_every: int = 1000


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
        self.title = tmpl(font=Font(bold=True, size=16),
                          alignment=Alignment(horizontal="center", vertical="center"))
        self.header = tmpl(
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="D9E1F2"),
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        self.wrap = tmpl(alignment=Alignment(wrap_text=True))
        self.text = tmpl(quotePrefix=True)
        self.wrap_text = tmpl(alignment=Alignment(wrap_text=True), quotePrefix=True)

    def styled(self, value, style, data_type: str = "s") -> WriteOnlyCell:
        c = WriteOnlyCell(self.ws)
        c._style = copy(style)
        c._value, c.data_type = value, data_type
        return c

    def literal(self, value: str, wrap: bool) -> WriteOnlyCell:
        """A string cell that stays text even if it looks like a formula."""
        return self.styled(value[:MAX_TEXT], self.wrap_text if wrap else self.text)


def _setup_sheet(ws, spec: LedgerSpec) -> None:
    """Everything written before the first row: widths, frozen panes, print setup."""
    for i, h in enumerate(spec.headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = spec.widths.get(h, 12)
    ws.row_dimensions[1].height = 32
    ws.row_dimensions[2].height = 30
    ws.freeze_panes = spec.freeze
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
    ws.merged_cells.add(f"A1:{get_column_letter(len(spec.headers))}1")


def add_sheet(wb: Workbook, spec: LedgerSpec, rows: Iterable[Sequence],
              total: int, progress: Progress | None = None) -> int:
    """Append one ledger sheet to a write-only workbook; returns the number of rows."""
    ws = wb.create_sheet(spec.sheet_title)
    _setup_sheet(ws, spec)
    cells = _Cells(ws)
    head = cells.styled(spec.title, cells.title)
    head.quotePrefix = bool(spec.title) and is_risky(spec.title)  # the unit name is typed text
    ws.append([head])
    ws.append([cells.styled(h, cells.header) for h in spec.headers])
    index = {h: i for i, h in enumerate(spec.headers)}
    text_cols = [index[h] for h in spec.free_text]
    wrapped = {index[h]: spec.widths.get(h, 12) for h in spec.wrapped}
    done = _stream(ws, spec, rows, total, progress, cells, text_cols, wrapped)
    ws.auto_filter.ref = f"A2:{get_column_letter(len(spec.headers))}{max(done + 2, 3)}"
    return done


def _stream(ws, spec, rows, total, progress, cells, text_cols, wrapped) -> int:
    # Every column is checked for formula-like text (xlsx_safety), not only the free-text
    # ones: labels come from the database too, and an import or a hand edit can reach it.
    plain_text = [i for i in range(len(spec.headers)) if i not in wrapped]
    user_text = sorted(set(text_cols) | set(wrapped))
    styled, literal, wrap_style = cells.styled, cells.literal, cells.wrap
    illegal = ILLEGAL_CHARACTERS_RE.search
    dims = ws.row_dimensions
    done = 0
    for values in rows:
        row = list(values)
        # only the clerk's text (free or wrapped columns) can carry pasted control characters
        if illegal("".join(row[i] for i in user_text if isinstance(row[i], str))):
            row = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        for i in plain_text:
            v = row[i]
            if v and isinstance(v, str) and is_risky(v):
                row[i] = literal(v, False)
        lines = 1
        for i, width in wrapped.items():
            v = row[i]
            if v and isinstance(v, str):
                v = v[:MAX_TEXT]
                lines = max(lines, sum(text_lines(p, width) for p in v.split("\n")))
                row[i] = literal(v, True) if is_risky(v) else styled(v, wrap_style)
        if lines > 1:  # consumed when the row is written, then dropped to keep memory flat
            dims[done + 3] = RowDimension(ws, index=done + 3, ht=LINE_HEIGHT * lines)
        ws.append(row)
        dims.pop(done + 3, None)
        done += 1
        if progress and done % spec.progress_every == 0 and progress(done, total) is False:
            raise ExportCancelled()
    return done


def write_atomic(out_path: str | os.PathLike, fill: Callable[[Workbook], int],
                 *, example_name: str = "台账.xlsx", creator: str = "政务公开台账",
                 title: str = "") -> int:
    """Create a write-only workbook, let *fill* add its sheets, then save it to *out_path*
    through a temporary file (atomic_file). Returns what *fill* returned. Chinese UserError
    on failure; no partial or temporary file is left."""
    wb = Workbook(write_only=True)
    try:
        with atomic_path(out_path, example_name=example_name) as tmp:
            wb.properties.creator = creator
            wb.properties.title = title
            result = fill(wb)
            wb.save(tmp)
    except BaseException:
        _discard(wb)
        raise
    return result


def _discard(wb: Workbook) -> None:
    """Finish openpyxl's row writers now, not at garbage collection (which warns)."""
    for ws in wb.worksheets:
        try:
            ws.close()
        except Exception:  # already saved or never written
            pass


def write_ledger(out_path: str | os.PathLike, spec: LedgerSpec, rows: Iterable[Sequence],
                 total: int, progress: Progress | None = None) -> int:
    """A one-sheet ledger; *progress(done, total)* returning False cancels (no file left)."""
    if progress and progress(0, total) is False:
        raise ExportCancelled()

    def fill(wb: Workbook) -> int:
        done = add_sheet(wb, spec, rows, total, progress)
        if progress and progress(done, total) is False:
            raise ExportCancelled()
        return done

    return write_atomic(out_path, fill, example_name=f"{spec.sheet_title}.xlsx",
                        creator=spec.creator, title=spec.title)


# -- Reading a ledger back -------------------------------------------------------------


def broken(name: str) -> UserError:
    return UserError(f"文件“{name}”不是有效的 Excel 工作簿（.xlsx），或文件已损坏。"
                     "请用 Excel 或 WPS 打开后“另存为”.xlsx 格式再导入。")


def read_ledger(path: str | os.PathLike, map_headers: Callable[[Sequence], dict | None],
                not_found: str) -> tuple[dict[str, int], Iterator[tuple[int, tuple]], Callable]:
    """Open an .xlsx and find the header row (row 1, or below a title row, within 10 rows)
    with *map_headers*. Returns (header → column index, (Excel row number, values)
    iterator, close). *not_found* is the message when no sheet has the headers.

    Opening and reading go through core.xlsx_guard: a damaged or foreign file, a sheet over
    200,000 rows, formulas and overlong text are refused with a Chinese report (issue 9)."""
    p = Path(path)
    wb = xlsx_guard.open_workbook(p)
    try:
        for ws in wb.worksheets:
            head = ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
            for n, values in enumerate(head, 1):
                cols = map_headers(values)
                if cols is not None:
                    names = {i: h for h, i in cols.items()}
                    return cols, _rows(ws, n + 1, p.name, names), wb.close
    except UserError:
        wb.close()
        raise
    except Exception as e:  # openpyxl raises assorted errors on damaged or foreign files
        wb.close()
        raise broken(p.name) from e
    wb.close()
    raise ValidationError(not_found.format(name=p.name))


def _rows(ws, first: int, name: str, headers: dict[int, str]) -> Iterator[tuple[int, tuple]]:
    try:
        yield from xlsx_guard.rows(ws, first, name, headers)
    except UserError:
        raise
    except Exception as e:
        raise broken(name) from e
