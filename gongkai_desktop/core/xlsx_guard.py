"""Opening a spreadsheet the clerk chose for import, safely (导入表格的安全检查).

Issue 9 (Hostile and broken input): a corrupt zip, a file of another kind renamed .xlsx,
a sheet over 200,000 rows, formulas and absurdly long text each give a Chinese report
naming the file, sheet, row and column and saying how to fix it. All checks happen while
reading, before an importer writes anything, so the database is left unchanged.

Use :func:`open_workbook` (read-only, formulas kept as formulas so they can be refused),
then :func:`rows` to stream (Excel row number, values) with the checks applied.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from .errors import ValidationError

MAX_ROWS = 200_000  # issue 9: "a huge sheet (over 200,000 rows refused up front)"
MAX_CELL_TEXT = 32_767  # Excel's own limit for one cell; longer text is not from Excel
DEFAULT_TEXT_LIMIT = 5_000  # a column without its own limit (characters)
MAX_UNPACKED = 2**30  # 200,000 real rows unpack to 0.2-0.5 GB; a zip bomb to far more
MAX_REPORTED = 10
MAX_KEPT = 200  # problems kept in full; the rest are only counted
# Per-column limits (characters) for the text columns importers read (RULES.md §2, §3);
# generous for real documents, far below what would choke the list views.
TEXT_LIMITS = {
    "信息名称": 500, "文号": 100, "发布机构": 200, "网址": 2_000, "关键词": 500,
    "申请编号": 50, "申请人": 200, "申请内容": 10_000, "办理结果": 2_000,
    "征求意见明细": 10_000, "延期批准人": 100, "索引号": 100,
}  # fmt: skip
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls / .doc (Compound File)
SAVE_AS_XLSX = "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再导入。"


class SheetRejected(ValidationError):
    """Problems found while reading; nothing was imported. ``errors`` lists the first
    MAX_KEPT, ``count`` all of them."""

    def __init__(self, name: str, errors: list[str], count: int | None = None):
        self.errors = list(errors)
        self.count = count or len(self.errors)
        shown = [e.rstrip("。") for e in self.errors[:MAX_REPORTED]]
        more = f"……共 {self.count} 处" if self.count > MAX_REPORTED else ""
        super().__init__(
            f"“{name}”不能导入，发现 {self.count} 处问题，数据库没有任何改动。"
            f"请改正后重新导入：{'；'.join(shown)}{more}。"
        )


def cell_name(row: int, col: int, header: str | None = None) -> str:
    """'第5行 C列（信息名称）' for 0-based *col*."""
    label = f"（{header}）" if header else ""
    return f"第{row}行 {get_column_letter(col + 1)}列{label}"


def check_file(path: str | os.PathLike) -> Path:
    """The file exists and is an Office Open XML zip of sane unpacked size, or a
    ValidationError that says what the file really is."""
    p = Path(path)
    if not p.is_file():
        raise ValidationError(f"找不到文件“{p}”，请检查路径和文件名。")
    with open(p, "rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE):
        raise ValidationError(
            f"{_not_xlsx(p)}：它是旧版 Excel 97-2003 文件（.xls）。{SAVE_AS_XLSX}"
        )
    if not head.startswith(b"PK"):
        kind = "文件是空的" if not head else "内容是其他类型的文件，可能只是改了扩展名"
        raise ValidationError(f"{_not_xlsx(p)}：{kind}。{SAVE_AS_XLSX}")
    try:
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise ValidationError(
            f"{_not_xlsx(p)}：文件已损坏（压缩包不完整或被截断）。"
            "请从原处重新复制一份，或用 Excel 打开修复后另存为 .xlsx 再导入。"
        ) from e
    if "xl/workbook.xml" not in names:
        kind = "Word 文档" if "word/document.xml" in names else "其他压缩文件"
        raise ValidationError(f"{_not_xlsx(p)}：它看起来是{kind}。{SAVE_AS_XLSX}")
    if unpacked > MAX_UNPACKED:
        raise ValidationError(
            f"“{p.name}”解压后超过 {MAX_UNPACKED // 2**20} MB，远大于任何台账，"
            "已拒绝读取。请只保留需要导入的工作表和行后再导入。"
        )
    return p


def _not_xlsx(p: Path) -> str:
    return f"文件“{p.name}”不是有效的 Excel 工作簿（.xlsx），无法导入"


def open_workbook(path: str | os.PathLike, *, max_rows: int = MAX_ROWS):
    """A read-only workbook with formulas kept (so they can be refused). Every sheet's
    declared size is checked before any row is read. Caller closes it (``wb.close()``)."""
    from openpyxl import load_workbook

    p = check_file(path)
    try:
        wb = load_workbook(p, read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises assorted errors on damaged or foreign files
        raise ValidationError(f"{_not_xlsx(p)}：文件已损坏或内容不完整。{SAVE_AS_XLSX}") from e
    try:
        for ws in wb.worksheets:
            check_size(ws, p.name, max_rows)
    except BaseException:
        wb.close()
        raise
    return wb


def check_size(ws, name: str, max_rows: int = MAX_ROWS) -> None:
    """Refuse a sheet whose declared dimension is over *max_rows*, before reading it; then
    forget the dimension so rows beyond a too-small one are read (and counted) too."""
    declared = getattr(ws, "max_row", None)
    if declared is not None and declared > max_rows:
        raise ValidationError(_too_many(name, ws.title, declared, max_rows))
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()


def _too_many(name: str, sheet: str, n: int, limit: int = MAX_ROWS, *, more: bool = False) -> str:
    rows = f"超过 {limit:,} 行（第 {n:,} 行仍有内容）" if more else f"有 {n:,} 行"
    return (
        f"“{name}”的工作表“{sheet}”{rows}，超过一次导入的上限 {limit:,} 行，"
        "已拒绝读取，数据库没有改动。请按年度或月份拆分成几个文件分别导入；"
        "若下面只是空行或格式，请删除多余的行后再保存。"
    )


def rows(
    ws,
    first: int,
    name: str,
    headers: Mapping[int, str] | None = None,
    limits: Mapping[str, int] | None = None,
) -> Iterator[tuple[int, tuple]]:
    """(Excel row number, values) from row *first* on. A formula cell, text longer than
    its column's limit (*limits* by header, else DEFAULT_TEXT_LIMIT) or a row past
    MAX_ROWS is collected; after the last row SheetRejected lists them all. *headers*
    maps 0-based column → header for the report."""
    headers = headers or {}
    limits = {**TEXT_LIMITS, **(limits or {})}
    cap = {i: min(limits.get(h, DEFAULT_TEXT_LIMIT), MAX_CELL_TEXT) for i, h in headers.items()}
    problems: list[str] = []
    count = 0
    for n, cells in enumerate(ws.iter_rows(min_row=first), first):
        if n > MAX_ROWS:
            raise ValidationError(_too_many(name, ws.title, n, more=True))
        values = tuple(c.value for c in cells)
        for i, c in enumerate(cells):
            v = values[i]
            if v is None:
                continue
            problem = None
            if c.data_type == "f":
                problem = _formula(n, i, headers.get(i), v)
            elif type(v) is str and len(v) > (limit := cap.get(i, DEFAULT_TEXT_LIMIT)):
                problem = (
                    f"{cell_name(n, i, headers.get(i))}的文字有 {len(v):,} 个字，"
                    f"超过该列上限 {limit:,} 字，请删减或改为附件"
                )
            if problem:
                count += 1
                if len(problems) < MAX_KEPT:
                    problems.append(problem)
        if not count:
            yield n, values
    if count:
        raise SheetRejected(name, problems, count)


def _formula(n: int, i: int, header: str | None, v: Any) -> str:
    text = str(getattr(v, "text", v))
    text = text if len(text) <= 30 else text[:30] + "…"
    return (
        f"{cell_name(n, i, header)}是公式“{text}”，导入不接受公式。请选中这些单元格，"
        "复制后用“选择性粘贴→数值”粘回原处，再保存导入"
    )


def formula_cells(ws, name: str) -> None:
    """For a small sheet loaded in normal mode (merged cells needed): SheetRejected naming
    every formula cell."""
    found = [
        _formula(c.row, c.column - 1, None, c.value)
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    if found:
        raise SheetRejected(name, found[:MAX_KEPT], len(found))
