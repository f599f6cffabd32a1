"""自评打分表 as .xlsx in the official layout (issue 6 §3, RULES.md §7).

Columns as on the seed's table — 项目 | 评估考核内容 | 分值 — plus 自评得分 and 说明/佐证.
The group name is written once over its rows (merged cells), each group ends in a
小计 row (never above the group's maximum), then the bonus section, the base total and
the grand total. Printed on A4 with the header row repeated on every page.

The table itself (`ScoredTable`) is also what the PDF and the binder print; it is
gathered from the repository by `scored_table(db, year, template)`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties

from . import official_doc
from .xlsx_safety import guard_workbook

HEADER = ("项目", "评估考核内容", "分值", "自评得分", "说明/佐证")
WIDTHS = (14, 60, 8, 10, 34)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
SUM_FILL = PatternFill("solid", fgColor="FAFAFA")
FIRST = 4  # header row: title, unit line, blank above


@dataclass
class Row:
    """One item of the table with the clerk's score (None: not yet scored)."""

    no: int
    text: str
    max: float
    score: float | None = None
    note: str = ""
    evidence: list[str] = field(default_factory=list)  # titles

    def remark(self) -> str:
        parts = [self.note.strip()] if self.note.strip() else []
        if self.evidence:
            parts.append("佐证：" + "；".join(self.evidence))
        return "\n".join(parts)


@dataclass
class Group:
    name: str
    max: float
    score: float  # the subtotal, capped at max (core/assessment_totals)
    rows: list[Row]
    bonus: bool = False


@dataclass
class ScoredTable:
    title: str  # e.g. 福建省政务公开评估考核表
    unit_name: str
    year: int
    groups: list[Group]
    base: float
    bonus_raw: float
    bonus_counted: float
    bonus_cap: float
    total: float
    bonus_note: str = "同一经验做法符合第39—43项中多项的，只按最高分值计一次；加分最高10分"

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def base_max(self) -> float:
        return sum(g.max for g in self.groups if not g.bonus)


def num(v: float | None) -> str:
    """2 -> "2", 1.5 -> "1.5", None -> ""."""
    if v is None:
        return ""
    return f"{float(v):.2f}".rstrip("0").rstrip(".")


def _value(v: float | None):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else float(v)


def table_from(
    tpl,
    scores: dict[int, float | None],
    *,
    group_scores: dict[str, float],
    bonus_raw: float,
    bonus_counted: float,
    total: float,
    unit_name: str,
    year: int,
    notes: dict[int, str] | None = None,
    evidence: dict[int, list[str]] | None = None,
) -> ScoredTable:
    """A ScoredTable from a core.assessment_template.Template and the computed totals
    (core/assessment_totals: group subtotals, bonus raw/counted, total)."""
    notes, evidence = notes or {}, evidence or {}
    groups = []
    for g in tpl.groups:
        rows = [Row(it.no, it.text, it.max, scores.get(it.no), notes.get(it.no, ""),
                    list(evidence.get(it.no, []))) for it in tpl.group_items(g.name)]  # fmt: skip
        score = bonus_counted if g.bonus else group_scores.get(g.name, 0.0)
        groups.append(Group(g.name, g.max, score, rows, g.bonus))
    return ScoredTable(
        title=tpl.name,
        unit_name=unit_name,
        year=year,
        groups=groups,
        base=sum(g.score for g in groups if not g.bonus),
        bonus_raw=bonus_raw,
        bonus_counted=bonus_counted,
        bonus_cap=tpl.bonus_rule.cap,
        total=total,
        bonus_note=tpl.bonus_rule.note or ScoredTable.bonus_note,
    )


def table_from_totals(tpl, scores, totals, *, unit_name: str, year: int, notes=None,
                      evidence=None) -> ScoredTable:  # fmt: skip
    """table_from() with a core.assessment_totals.Totals."""
    return table_from(
        tpl, scores, group_scores={g.name: g.score for g in totals.groups},
        bonus_raw=totals.bonus_raw, bonus_counted=totals.bonus_counted, total=totals.total,
        unit_name=unit_name, year=year, notes=notes, evidence=evidence,
    )  # fmt: skip


def scored_table(db, year: int, template: str = "fujian") -> ScoredTable:
    """The year's assessment on *template* as a ScoredTable (read-only: a year not yet
    scored gives the blank table)."""
    from ..core import assessment, assessment_template, profile
    from ..core.assessment_totals import totals

    tpl = assessment_template.load(template, db)
    aid = assessment.find(db, year, template)
    got = assessment.scores(db, aid) if aid else {}
    scores = {n: s["score"] for n, s in got.items()}
    titles: dict[int, list[str]] = {}
    for e in assessment.evidence(db, aid) if aid else []:
        titles.setdefault(e["item_no"], []).append(e["title"] or e["file_name"])
    tot = assessment.assessment_totals(db, aid) if aid else totals(tpl, {})
    return table_from_totals(tpl, scores, tot, unit_name=profile.load(db).unit_name, year=year,
                             notes={n: s["note"] for n, s in got.items()}, evidence=titles)  # fmt: skip


def _cell(ws, row: int, col: int, value, *, bold=False, fill=None, align="center"):
    c = ws.cell(row=row, column=col, value=value)
    c.border = BORDER
    c.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if bold:
        c.font = Font(bold=True)
    if fill:
        c.fill = fill
    if isinstance(value, float):
        c.number_format = "0.0"
    return c


def _height(texts: list[tuple[str, float]]) -> float:
    """Row height for wrapped text (LibreOffice and WPS do not re-measure rows)."""
    lines = 1
    for text, width in texts:
        n = 0
        for part in str(text or "").split("\n"):
            units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
            n += max(1, -(-units // max(1, int(width) - 1)))
        lines = max(lines, n)
    return max(20, 15 * lines + 4)


def workbook_bytes(t: ScoredTable) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评打分"
    wb.properties.title = f"{t.year}年度{t.title}（自评）"
    wb.properties.creator = t.unit_name or "政务公开台账"
    for i, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[chr(64 + i)].width = w
    ws["A1"] = t.title
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells("A1:E1")
    ws.row_dimensions[1].height = 30
    ws["A2"] = f"自评单位：{t.unit_name}　　年度：{t.year}年"
    ws.merge_cells("A2:E2")
    for c, h in enumerate(HEADER, 1):
        _cell(ws, FIRST, c, h, bold=True, fill=HEADER_FILL)
    r = FIRST + 1
    for g in t.groups:
        top = r
        for row in g.rows:
            _cell(ws, r, 2, f"{row.no}、{row.text}", align="left")
            _cell(ws, r, 3, _value(row.max))
            _cell(ws, r, 4, _value(row.score))
            _cell(ws, r, 5, row.remark(), align="left")
            ws.row_dimensions[r].height = _height(
                [(row.text, WIDTHS[1]), (row.remark(), WIDTHS[4])]
            )
            r += 1
        label = "加分小计" if g.bonus else "小计"
        _cell(ws, r, 2, label, bold=True, fill=SUM_FILL)
        _cell(ws, r, 3, _value(t.bonus_cap if g.bonus else g.max), bold=True, fill=SUM_FILL)
        _cell(ws, r, 4, _value(t.bonus_counted if g.bonus else g.score), bold=True, fill=SUM_FILL)
        note = f"加分原始合计 {num(t.bonus_raw)} 分；{t.bonus_note}" if g.bonus else ""
        _cell(ws, r, 5, note, fill=SUM_FILL, align="left")
        if g.bonus:
            ws.row_dimensions[r].height = _height([(note, WIDTHS[4])])
        cap = num(t.bonus_cap) if g.bonus else num(g.max)
        head = f"{g.name}（{'最高' if g.bonus else ''}{cap}分）"
        _cell(ws, top, 1, head, bold=True)
        for k in range(top + 1, r + 1):
            ws.cell(row=k, column=1).border = BORDER
        ws.merge_cells(start_row=top, start_column=1, end_row=r, end_column=1)
        r += 1
    for label, mx, score in (
        ("基础分合计", t.base_max, t.base),
        ("总分（基础分＋加分）", t.base_max + t.bonus_cap, t.total),
    ):
        _cell(ws, r, 1, label, bold=True, fill=SUM_FILL)
        ws.cell(row=r, column=2).border = BORDER
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        _cell(ws, r, 3, _value(mx), bold=True, fill=SUM_FILL)
        _cell(ws, r, 4, _value(score), bold=True, fill=SUM_FILL)
        _cell(ws, r, 5, "", fill=SUM_FILL)
        r += 1
    # print setup: A4, fitted to the width, header row on every page
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.paperSize = 9
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_title_rows = f"{FIRST}:{FIRST}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.freeze_panes = f"A{FIRST + 1}"
    guard_workbook(wb)  # no cell may act as a formula (issue 9)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_assessment_xlsx(t: ScoredTable, out_path: str | os.PathLike) -> Path:
    """Write the scored table to *out_path* (atomically)."""
    return official_doc.write_atomic(out_path, workbook_bytes(t))
