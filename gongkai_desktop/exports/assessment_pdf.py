"""自评打分表 as PDF (issue 6 §3): the scored table on A4, header repeated on each page.

The same layout as the .xlsx (exports/assessment_xlsx.py): 项目 | 评估考核内容 | 分值 |
自评得分 | 说明/佐证, the group written once over its rows, 小计 rows, the bonus section
and the totals. A reportlab Table in the Chinese fonts of exports/pdf_fonts.py; pages
are numbered “— n —” unless the binder numbers them itself.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import official_doc
from .assessment_xlsx import HEADER, ScoredTable, num
from .pdf_fonts import FontSet, fonts

WIDTHS = (22, 78, 12, 14, 44)  # mm, 170 in all
GREY = colors.Color(0.95, 0.95, 0.95)
PAGE_ROOM = 560.0  # pt of rows a group cell may span: the A4 frame less the header row


def _styles(f: FontSet) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=f.song, fontSize=9, leading=12, alignment=TA_LEFT,
                          wordWrap="CJK")  # fmt: skip
    return {
        "body": body,
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "bold": ParagraphStyle("bold", parent=body, fontName=f.hei, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", parent=body, fontName=f.title, fontSize=18, leading=26, alignment=TA_CENTER
        ),  # fmt: skip
        "sub": ParagraphStyle("sub", parent=body, fontSize=11, leading=16, alignment=TA_CENTER),
    }


def _esc(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).replace(
        "\n", "<br/>"
    )


def _chunks(rows: list[list], first: int) -> list[tuple[int, int]]:
    """Row ranges for the group cell: one span, or several when the group is taller than a
    page (reportlab cannot split a table inside a spanned cell)."""
    widths = [w * mm for w in WIDTHS]
    out, start, height = [], first, 0.0
    for i, row in enumerate(rows, first):
        h = max(c.wrap(w - 12, PAGE_ROOM)[1] for c, w in zip(row, widths, strict=True)
                if hasattr(c, "wrap")) + 5  # fmt: skip
        if height + h > PAGE_ROOM and i > start:
            out.append((start, i - 1))
            start, height = i, 0.0
        height += h
    out.append((start, first + len(rows) - 1))
    return out


def table_flowables(t: ScoredTable, f: FontSet) -> list:
    """Title, unit line and the scored table, for a platypus story."""
    st = _styles(f)
    P = lambda text, s="body": Paragraph(_esc(text), st[s])  # noqa: E731
    data = [[P(h, "bold") for h in HEADER]]
    cmds: list = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), GREY),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for g in t.groups:
        top = len(data)
        for r in g.rows:
            data.append(["", P(f"{r.no}、{r.text}"), P(num(r.max), "center"),
                         P(num(r.score), "center"), P(r.remark())])  # fmt: skip
        cap = num(t.bonus_cap) if g.bonus else num(g.max)
        data.append([
            "",
            P("加分小计" if g.bonus else "小计", "bold"),
            P(cap, "bold"),
            P(num(t.bonus_counted if g.bonus else g.score), "bold"),
            P(f"加分原始合计 {num(t.bonus_raw)} 分；{t.bonus_note}" if g.bonus else ""),
        ])  # fmt: skip
        name = f"{g.name}（{'最高' if g.bonus else ''}{cap}分）"
        for k, (a, b) in enumerate(_chunks(data[top:], top)):
            data[a][0] = P(name if k == 0 else f"{g.name}（续）", "bold")
            cmds.append(("SPAN", (0, a), (0, b)))
        cmds.append(("BACKGROUND", (1, len(data) - 1), (-1, len(data) - 1), GREY))
    for label, mx, score in (
        ("基础分合计", t.base_max, t.base),
        ("总分（基础分＋加分）", t.base_max + t.bonus_cap, t.total),
    ):
        data.append([P(label, "bold"), "", P(num(mx), "bold"), P(num(score), "bold"), ""])
        cmds += [("SPAN", (0, len(data) - 1), (1, len(data) - 1)),
                 ("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), GREY)]  # fmt: skip
    table = Table(data, colWidths=[w * mm for w in WIDTHS], repeatRows=1,
                  style=TableStyle(cmds))  # fmt: skip
    return [
        P(t.title, "title"),
        P(f"自评单位：{t.unit_name}　　年度：{t.year}年", "sub"),
        Spacer(1, 4 * mm),
        table,
    ]


def _page_number(f: FontSet):
    def draw(c, _doc) -> None:
        c.saveState()
        c.setFont(f.song, 10)
        c.drawCentredString(A4[0] / 2, 12 * mm, f"— {c.getPageNumber()} —")
        c.restoreState()

    return draw


def render_bytes(t: ScoredTable, *, fontset: FontSet | None = None, numbered: bool = True) -> bytes:
    """The scored table as PDF bytes."""
    f = fontset or fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=22 * mm,
                            title=f"{t.year}年度{t.title}（自评）", author=t.unit_name)  # fmt: skip
    draw = _page_number(f) if numbered else (lambda c, d: None)
    doc.build(table_flowables(t, f), onFirstPage=draw, onLaterPages=draw)
    return buf.getvalue()


def write_assessment_pdf(
    t: ScoredTable, out_path: str | os.PathLike, *, fontset: FontSet | None = None
) -> Path:
    """Write the scored table's PDF to *out_path* (atomically)."""
    return official_doc.write_atomic(out_path, render_bytes(t, fontset=fontset))
