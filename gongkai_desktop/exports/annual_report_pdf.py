"""政府信息公开工作年度报告 as PDF: the whole report on the GB/T 9704-2012 grid.

The wording comes from resources/reports/annual_report.txt (title, the opening
paragraph, the six headings, the notes); the clerk's sections 一、五、六 and tables 2,
3 and 4 (laid out like the official forms, exports/annual_report_forms.py) are put
where the template says. Text is set by exports/official_doc (3号仿宋 on the 22-line
grid, 黑体 headings, page numbers “— 1 —”); each table is a reportlab Table centred in
the type area, taking whole grid lines and kept on the page of its heading. A report
that fails a check is made only as 草稿: the title says so and every page carries a
草稿 watermark and mark.
"""

from __future__ import annotations

import io
import math
import os
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph as CellText
from reportlab.platypus import Table, TableStyle

from ..core import annual_report as R
from ..core.annual_report import AnnualReport
from ..core.errors import UserError
from . import official_doc as od
from .annual_report_forms import Form, forms
from .letters import CONDITION, FIELD
from .official_doc import LEFT, LINE, LINES_PER_PAGE, PAGE_H, PAGE_W, TOP, TYPE_W, OfficialDoc
from .pdf_fonts import FontSet, fonts

DRAFT = "草稿"
CELL_SIZE, CELL_LEADING = 9, 11.5  # 小五号 in the tables
TABLE_GAP = 4  # pt above and below a table within its grid lines
SECTION_FIELDS = ("section1", "section5", "section6")
TABLE_FIELDS = {"table2": "表二", "table3": "表三", "table4": "表四"}


class _Slot:
    """A table's place in the line list: the first slot draws it, the rest keep the lines."""

    blank = False

    def __init__(self, table: Table | None, height: float = 0.0, keep: bool = True):
        self.table, self.height, self.keep_with_prev = table, height, keep


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def _table(form: Form, f: FontSet) -> Table:
    body = ParagraphStyle("cell", fontName=f.song, fontSize=CELL_SIZE, leading=CELL_LEADING,
                          alignment=TA_CENTER, wordWrap="CJK")  # fmt: skip
    label = ParagraphStyle("label", parent=body, alignment=TA_LEFT)
    head = ParagraphStyle("head", parent=body, fontName=f.hei)
    covered = form.covered()
    data = []
    for r, row in enumerate(form.cells):
        out = []
        for c, v in enumerate(row):
            if (r, c) in covered or v is None:
                out.append("")
                continue
            style = head if r in form.header_rows else label if c < form.label_cols else body
            out.append(CellText(_fmt(v), style))
        data.append(out)
    scale = TYPE_W / sum(form.widths)
    cmds = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    cmds += [("BACKGROUND", (0, r), (-1, r), colors.Color(0.95, 0.95, 0.95))
             for r in form.header_rows]  # fmt: skip
    cmds += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in form.spans]
    top = 0
    while top in form.header_rows:
        top += 1
    return Table(data, colWidths=[w * scale for w in form.widths], style=TableStyle(cmds),
                 repeatRows=top)  # fmt: skip


def _slots(table: Table) -> list:
    """The table as grid-line slots; split when it is taller than a page."""
    most = (LINES_PER_PAGE - 1) * LINE - 2 * TABLE_GAP  # a page with its heading above
    _w, h = table.wrap(TYPE_W, PAGE_H)
    parts = [table]
    if h > most:
        parts = table.split(TYPE_W, most)
        while len(parts) > 1 and parts[-1].wrap(TYPE_W, PAGE_H)[1] > most:
            parts[-1:] = parts[-1].split(TYPE_W, most)
    out: list = []
    for i, part in enumerate(parts):
        _w, h = part.wrap(TYPE_W, PAGE_H)
        n = math.ceil((h + 2 * TABLE_GAP) / LINE)
        out.append(_Slot(part, h, keep=i == 0))
        out += [_Slot(None) for _ in range(n - 1)]
    return out


def _values(rep: AnnualReport) -> dict[str, str]:
    fmt = R.report_format()
    v = {"unit_name": rep.unit_name, "year": str(rep.year)}
    v |= {k: str(x or "").strip() for k, x in rep.contacts.items()}
    if rep.published_date:
        v["published_date"] = od.chinese_date(date.fromisoformat(rep.published_date))
    reasons = [u["reason"] for u in rep.unlocks]
    v["unlock_reasons"] = "；".join(reasons)
    for name, phrase in fmt.phrases.items():
        needed = FIELD.findall(phrase)
        if name == "changed_note" and not (rep.changed_after_publish or reasons):
            v[name] = ""
        elif all(v.get(k) for k in needed):
            v[name] = FIELD.sub(lambda m: v[m.group(1)], phrase)
        else:
            v[name] = ""
    return v


def build(rep: AnnualReport, f: FontSet, *, draft: bool, report_date: date | None):
    """(lines, the title) of the report: official_doc lines and table slots."""
    fmt = R.report_format()
    values = _values(rep)
    tables = {f"table{n[-1]}": _table(form, f) for form, n in
              zip(forms(rep), ("2", "3", "4"), strict=True)}  # fmt: skip
    title_lines = [FIELD.sub(lambda m: values.get(m.group(1), ""), t) for t in fmt.title]
    title_lines[-1] += fmt.draft_mark if draft else ""
    title = "".join(title_lines)
    lines: list = od._title_lines(title_lines, f.title)
    lines.append(od._Line(blank=True))
    heading_above = False
    for raw in fmt.lines:
        name = raw.strip("{}") if FIELD.fullmatch(raw) else ""
        if name in tables:
            lines += _slots(tables[name])
            heading_above = False
            continue
        if name in SECTION_FIELDS:
            paragraphs = [p.strip() for p in rep.sections.get(name, "").split("\n") if p.strip()]
        else:
            line = raw
            skip = False
            while m := CONDITION.match(line):
                skip |= bool(values.get(m.group(2))) != (m.group(1) == "?")
                line = line[m.end() :]
            if skip:
                continue
            unknown = [n for n in FIELD.findall(line) if n not in values]
            if unknown:
                raise UserError(
                    f"年度报告模板“{R.format_path().name}”里有不认识的字段："
                    + "、".join("{" + n + "}" for n in unknown)
                    + "。请改正模板。"
                )
            paragraphs = [FIELD.sub(lambda m: values[m.group(1)], line)]
        for text in paragraphs:
            new = od._paragraph_lines(text, f, True)
            new[0].keep_with_prev = heading_above
            lines += new
            heading_above = bool(od.HEADING_1.match(text)) and "。" not in text
    signed = OfficialDoc(title=[], signature=FIELD.sub(lambda m: values.get(m.group(1), ""),
                                                       fmt.signature),
                         date=_report_day(rep, report_date))  # fmt: skip
    lines += od._signature_lines(signed, f)
    return lines, title


def _report_day(rep: AnnualReport, report_date: date | None) -> date:
    if report_date:
        return report_date
    if rep.published_date:
        return date.fromisoformat(rep.published_date)
    return date.today()


def _watermark(c: canvas.Canvas, f: FontSet) -> None:
    c.saveState()
    c.setFillColor(colors.Color(0.82, 0.82, 0.82))
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(35)
    c.setFont(f.hei, 120)
    c.drawCentredString(0, -40, DRAFT)
    c.restoreState()
    c.saveState()
    c.setFillColor(colors.Color(0.75, 0.0, 0.0))
    c.setFont(f.hei, 16)
    c.drawRightString(PAGE_W - LEFT + 20, PAGE_H - TOP / 2, DRAFT)
    c.restoreState()


def render_bytes(
    rep: AnnualReport,
    *,
    draft: bool = False,
    report_date: date | None = None,
    fontset: FontSet | None = None,
) -> bytes:
    """The report's PDF. Final only when every check passes (else ValidationError)."""
    if not draft:
        R.check_final(rep)
    f = fontset or fonts()
    lines, title = build(rep, f, draft=draft, report_date=report_date)
    pages = od._paginate(lines, LINES_PER_PAGE)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), pageCompression=1,
                      initialFontName=f.fangsong, initialFontSize=16)  # fmt: skip
    c.setTitle(title)
    c.setAuthor(rep.unit_name)
    c.setSubject(R.REPORT_NAME)
    c.setCreator("政务公开台账")
    for n, page in enumerate(pages, start=1):
        if draft:
            _watermark(c, f)
        for row, line in enumerate(page):
            top = PAGE_H - TOP - row * LINE
            if isinstance(line, _Slot):
                if line.table is not None:
                    w = line.table._width
                    line.table.drawOn(c, LEFT + (TYPE_W - w) / 2, top - TABLE_GAP - line.height)
                continue
            od._draw_line(c, line, top, LINE)
        od._draw_page_number(c, n, f.song)
        c.showPage()
    c.save()
    return buf.getvalue()


def write_report_pdf(
    rep: AnnualReport,
    out_path: str | os.PathLike,
    *,
    draft: bool = False,
    report_date: date | None = None,
    fontset: FontSet | None = None,
) -> Path:
    """Write the report's PDF to *out_path* atomically; the path written."""
    data = render_bytes(rep, draft=draft, report_date=report_date, fontset=fontset)
    return od.write_atomic(out_path, data)
