"""年度报告表格 as .xlsx: tables 2, 3 and 4 laid out like the official forms, and the checks.

One sheet per table (merged header cells as on the form, ruled, A4 fitted to the width,
numbers as numbers), then a sheet 校验与说明 with each check's pass/fail, where table 2's
figures came from, and what the rows count. A report that fails a check is written only
as 草稿: the title says so and every printed page carries 草稿 in its header.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ..core import annual_report as R
from ..core.annual_report import AnnualReport
from ..core.annual_tables import table2_columns
from . import official_doc
from .annual_report_forms import Form, forms
from .xlsx_safety import guard_workbook

DRAFT = "草稿"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
FIRST = 4  # the form starts on row 4 (title, heading, blank)


def report_title(rep: AnnualReport, draft: bool) -> str:
    return rep.title + (R.report_format().draft_mark if draft else "")


def _setup(ws, form: Form, title: str, draft: bool, landscape: bool) -> None:
    last = get_column_letter(form.n_cols)
    for i, w in enumerate(form.widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=16, color="C00000" if draft else None)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 42
    ws["A2"] = f"{form.heading}（{form.name}）"
    ws["A2"].font = Font(bold=True, size=12)
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 22
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if draft:
        ws.oddHeader.center.text = DRAFT
        ws.oddHeader.center.size = 20
        ws.oddHeader.center.color = "C00000"


def _write_form(ws, form: Form) -> None:
    covered = form.covered()
    for r, row in enumerate(form.cells):
        header = r in form.header_rows
        for c, value in enumerate(row):
            cell = ws.cell(row=FIRST + r, column=c + 1)
            cell.border = BORDER
            if (r, c) in covered:
                continue
            cell.value = value
            cell.alignment = Alignment(
                horizontal="center" if header or c >= form.label_cols else "left",
                vertical="center", wrap_text=True,
            )  # fmt: skip
            if header:
                cell.font = Font(bold=True)
                cell.fill = HEADER_FILL
            elif isinstance(value, float):
                cell.number_format = "0.00##"
    for r0, c0, r1, c1 in form.spans:
        ws.merge_cells(start_row=FIRST + r0, start_column=c0 + 1, end_row=FIRST + r1,
                       end_column=c1 + 1)  # fmt: skip
    for r, row in enumerate(form.cells):  # wrapped labels need explicit heights (WPS, LibreOffice)
        lines = 1
        for c, value in enumerate(row):
            span = next(((c0, c1, r1) for r0, c0, r1, c1 in form.spans if (r0, c0) == (r, c)),
                        (c, c, r))  # fmt: skip
            if isinstance(value, str) and (r, c) not in covered and span[2] == r:
                width = sum(form.widths[i] for i in range(span[0], span[1] + 1))
                units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in value)
                lines = max(lines, -(-units // max(1, int(width) - 1)))
        ws.row_dimensions[FIRST + r].height = max(20, 15 * lines + 4)
    ws.print_title_rows = f"{FIRST}:{FIRST + max(form.header_rows)}"


def _notes_sheet(ws, rep: AnnualReport, title: str, draft: bool) -> None:
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 70
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14, color="C00000" if draft else None)
    ws.merge_cells("A1:C1")
    rows: list[tuple] = [("校验", "结果", "说明")]
    rows += [(c.name, "通过" if c.ok else "未通过", c.detail) for c in rep.checks]
    rows.append(())
    rows.append(("表二数据来源", "", ""))
    for row, cols in rep.table2.sources.items():
        for col in table2_columns(row):
            rows.append((f"{row}·{col}", cols[col], ""))
    rows.append(())
    for line in status_lines(rep):
        rows.append((line, "", ""))
    for r, values in enumerate(rows, 3):
        for c, v in enumerate(values, 1):
            cell = ws.cell(row=r, column=c, value=v)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if values and values[0] in ("校验", "表二数据来源"):
                cell.font = Font(bold=True)
            if c == 2 and v == "未通过":
                cell.font = Font(bold=True, color="C00000")
    if draft:
        ws.oddHeader.center.text = DRAFT
    ws.page_setup.paperSize = 9
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def status_lines(rep: AnnualReport) -> list[str]:
    """Publication, lock and after-publication changes, as sentences."""
    out = [
        f"统计期限：{rep.year}年1月1日至{rep.year}年12月31日；发布期限：{rep.deadline}（条例第四十九条）。"
    ]
    if rep.published_date:
        out.append(
            f"已于{rep.published_date}发布" + ("，年度已锁定。" if rep.locked else "，年度已解锁。")
        )
    else:
        out.append("尚未发布。")
    if rep.changed_after_publish:
        out.append("发布后有修改：")
    for u in rep.unlocks:
        out.append(f"{u['unlocked_at'][:10]} {u['who']} 解锁，原因：{u['reason']}"
                   + (f"；{u['relocked_at'][:10]} 重新锁定" if u["relocked_at"] else ""))  # fmt: skip
    if rep.drafted:
        names = "、".join(R.SECTIONS[k][:2].rstrip("、") for k in rep.drafted)
        out.append(f"第{names}部分尚未填写，使用的是程序生成的草稿。")
    return out


def workbook_bytes(rep: AnnualReport, *, draft: bool = False) -> bytes:
    """The workbook for *rep* (as bytes). Final only when every check passes."""
    if not draft:
        R.check_final(rep)
    title = report_title(rep, draft)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = rep.unit_name or "政务公开台账"
    for form in forms(rep):
        ws = wb.create_sheet(form.name)
        _setup(ws, form, title, draft, landscape=form.name == "表四")
        _write_form(ws, form)
    _notes_sheet(wb.create_sheet("校验与说明"), rep, title, draft)
    guard_workbook(wb)  # no cell may act as a formula (issue 9)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_report_xlsx(
    rep: AnnualReport, out_path: str | os.PathLike, *, draft: bool = False
) -> Path:
    """Write the tables of *rep* to *out_path* (atomically). A report that fails a check
    raises ValidationError (listing the checks) unless *draft*."""
    data = workbook_bytes(rep, draft=draft)
    return official_doc.write_atomic(out_path, data)
