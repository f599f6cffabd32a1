"""Archive print-outs (issue 7 §3): 归档文件目录 and the 归档章, after DA/T 22-2015 (RULES.md §8).

Works from plain dicts shaped like the ``archive_pieces`` / ``archive_boxes`` rows, so it
does not depend on core/archive.py. Box labels (盒脊, 盒封面, 备考表) live in
exports/archive_labels.py and are re-exported here.

*meta* keys: ``fonds_no`` (全宗号), ``fonds_name`` (全宗名称), optional ``org_names``
({机构代码: 机构名称}) and ``unit_name`` (PDF author).
"""

from __future__ import annotations

import io
import os
from itertools import groupby
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..core.errors import UserError
from . import official_doc
from .archive_labels import box_cover_pdf, note_sheet_pdf, spine_layout, spines_pdf
from .pdf_fonts import FontSet, fonts

__all__ = [
    "CATALOG_HEADER",
    "box_cover_pdf",
    "catalog_bytes",
    "catalog_pdf",
    "doc_date8",
    "draw_stamp_grid",
    "note_sheet_pdf",
    "spine_layout",
    "spines_pdf",
    "stamp",
    "stamp_layout",
    "title_text",
]

# RULES.md §8 (DA/T 22-2015 归档文件目录)
CATALOG_HEADER = ("序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注")
WIDTHS = (12, 54, 36, 32, 65, 20, 12, 12, 14)  # mm, 257 = A4 landscape less 2 × 20 mm
GREY = colors.Color(0.93, 0.93, 0.93)
STAMP_RED = colors.Color(0.8, 0.05, 0.05)
STAMP_CELL = (16 * mm, 7 * mm)  # one cell of the 3 × 2 归档章 grid (DA/T 22-2015 附录)
STAMP_TOP, STAMP_RIGHT = 8 * mm, 12 * mm  # the stamp sits in the blank top right


def doc_date8(value) -> str:
    """A date as 8 digits (20260315), as the catalogue wants (RULES §8); '' when unknown."""
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return digits[:8] if len(digits) >= 8 else digits


def title_text(piece: dict) -> str:
    """The 题名; a title the office wrote itself is put in [ ] (DA/T 22-2015 7.3)."""
    title = str(piece.get("title") or "").strip()
    if piece.get("own_title") and not title.startswith("["):
        title = f"[{title}]"
    return title


def _esc(text) -> str:
    s = str(text if text is not None else "")
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _styles(f: FontSet) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=f.song, fontSize=9, leading=12, alignment=TA_LEFT,
                          wordWrap="CJK")  # fmt: skip
    return {
        "body": body,
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=body, fontName=f.hei, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", parent=body, fontName=f.title, fontSize=36, leading=48, alignment=TA_CENTER
        ),  # fmt: skip
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontName=f.title, fontSize=18, leading=26, alignment=TA_CENTER
        ),  # fmt: skip
        "field": ParagraphStyle(
            "field", parent=body, fontName=f.fangsong, fontSize=16, leading=22
        ),  # fmt: skip
    }


def _groups(pieces: list[dict]) -> list[tuple[tuple, list[dict]]]:
    """Pieces per (year, retention, 机构): each gets its own cover and list (RULES §8)."""
    key = lambda p: (int(p.get("year") or 0), str(p.get("retention") or ""),  # noqa: E731
                     str(p.get("org_code") or ""))  # fmt: skip
    rank = {"永久": 0, "定期30年": 1, "定期10年": 2}  # RULES §8, longest first
    ordered = sorted(pieces, key=lambda p: (key(p)[0], rank.get(key(p)[1], 9), *key(p)[1:],
                                            int(p.get("piece_no") or 0)))  # fmt: skip
    return [(k, list(g)) for k, g in groupby(ordered, key=key)]


def _cover(meta: dict, key: tuple, st: dict) -> list:
    year, retention, org = key
    org_name = (meta.get("org_names") or {}).get(org, "")
    org_text = f"{org_name}（{org}）" if org_name and org else (org or org_name or "—")
    rows = [
        ("全宗号", meta.get("fonds_no", "")),
        ("全宗名称", meta.get("fonds_name", "")),
        ("年度", year or ""),
        ("保管期限", retention),
        ("机构（问题）", org_text),
    ]
    table = Table(
        [[Paragraph(_esc(k), st["field"]), Paragraph(_esc(v), st["field"])] for k, v in rows],
        colWidths=[50 * mm, 120 * mm],
        style=TableStyle(
            [
                ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
            ]
        ),  # fmt: skip
    )
    return [Spacer(1, 30 * mm), Paragraph("归档文件目录", st["title"]), Spacer(1, 25 * mm), table,
            PageBreak()]  # fmt: skip


def _list_table(pieces: list[dict], st: dict) -> Table:
    P = lambda t, s="body": Paragraph(_esc(t), st[s])  # noqa: E731
    data = [[P(h, "head") for h in CATALOG_HEADER]]
    for n, p in enumerate(pieces, start=1):
        data.append([
            P(n, "center"), P(p.get("archive_no", "")), P(p.get("doc_no") or ""),
            P(p.get("responsible") or ""), P(title_text(p)), P(doc_date8(p.get("doc_date")),
            "center"), P(p.get("secrecy") or "", "center"), P(p.get("pages") or "", "center"),
            P(p.get("note") or ""),
        ])  # fmt: skip
    return Table(data, colWidths=[w * mm for w in WIDTHS], repeatRows=1,
                 style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("BACKGROUND", (0, 0), (-1, 0), GREY),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))  # fmt: skip


def catalog_bytes(pieces: list[dict], meta: dict, *, fontset: FontSet | None = None) -> bytes:
    """The 归档文件目录 (cover + list per year/retention/机构) as PDF bytes, A4 landscape."""
    if not pieces:
        raise UserError("没有可列入归档文件目录的文件。请先归档（整理编号）后再打印目录。")
    f = fontset or fonts()
    st = _styles(f)
    story: list = []
    for key, group in _groups(pieces):
        year, retention, _org = key
        story += _cover(meta, key, st)
        story.append(Paragraph(f"归档文件目录（{year}年　{_esc(retention)}）", st["subtitle"]))
        story += [Spacer(1, 3 * mm), _list_table(group, st), PageBreak()]
    story.pop()  # no blank page at the end

    def page_no(c, _doc) -> None:
        c.saveState()
        c.setFont(f.song, 10)
        c.drawCentredString(landscape(A4)[0] / 2, 10 * mm, f"— {c.getPageNumber()} —")
        c.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=15 * mm, bottomMargin=18 * mm, title="归档文件目录",
                            author=meta.get("unit_name") or meta.get("fonds_name", ""),
                            creator="政务公开台账")  # fmt: skip
    doc.build(story, onFirstPage=page_no, onLaterPages=page_no)
    return buf.getvalue()


def catalog_pdf(pieces: list[dict], meta: dict, out: str | os.PathLike, *,
                fontset: FontSet | None = None) -> Path:  # fmt: skip
    """Write the 归档文件目录 to *out* atomically; the path written."""
    return official_doc.write_atomic(out, catalog_bytes(pieces, meta, fontset=fontset))


# ---- 归档章 ------------------------------------------------------------------------------


def stamp_layout(fields: dict) -> list[list[str]]:
    """The 归档章 cells, 3 × 2 (DA/T 22-2015): 全宗号 年度 件号 / 机构（问题） 保管期限 页数."""
    piece = fields.get("piece_no")
    piece_text = f"{int(piece):04d}" if str(piece or "").isdigit() else str(piece or "")
    return [
        [str(fields.get("fonds_no") or ""), str(fields.get("year") or ""), piece_text],
        [
            str(fields.get("org_code") or ""),
            str(fields.get("retention") or ""),
            str(fields.get("pages") or ""),
        ],  # fmt: skip
    ]


def draw_stamp_grid(c: canvas.Canvas, width: float, height: float, fields: dict,
                    f: FontSet) -> None:  # fmt: skip
    """The 归档章 grid in the top right of a *width* x *height* page, on the open page."""
    cw, ch = STAMP_CELL
    x0 = width - STAMP_RIGHT - 3 * cw
    y_top = height - STAMP_TOP
    c.saveState()
    c.setStrokeColor(STAMP_RED)
    c.setFillColor(STAMP_RED)
    c.setLineWidth(0.8)
    for r, row in enumerate(stamp_layout(fields)):
        for k, text in enumerate(row):
            x, y = x0 + k * cw, y_top - (r + 1) * ch
            c.rect(x, y, cw, ch)
            size = 9.0
            while size > 5 and stringWidth(text, f.song, size) > cw - 2:
                size -= 0.5
            c.setFont(f.song, size)
            c.drawCentredString(x + cw / 2, y + (ch - size * 0.7) / 2, text)
    c.restoreState()


def _stamp_overlay(width: float, height: float, fields: dict, f: FontSet) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), initialFontName=f.song)
    draw_stamp_grid(c, width, height, fields, f)
    c.showPage()
    c.save()
    return buf.getvalue()


def stamp(page_pdf_bytes: bytes, fields: dict, *, fontset: FontSet | None = None) -> bytes:
    """Draw the 归档章 into the blank top right of the first page; the whole PDF back.

    *fields*: fonds_no, year, retention, piece_no, pages, org_code (机构 when used).
    """
    try:
        reader = PdfReader(io.BytesIO(page_pdf_bytes))
        first = reader.pages[0]
    except Exception as e:  # PdfReadError, IndexError: not a usable PDF
        raise UserError(
            f"无法在文件上加盖归档章：PDF 文件无法读取（{e}）。请检查附件是否损坏。"
        ) from e
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    box = first.mediabox
    rot = int(first.get("/Rotate", 0) or 0) % 360
    w, h = float(box.width), float(box.height)
    if rot in (90, 270):
        w, h = h, w
    overlay = PdfReader(io.BytesIO(_stamp_overlay(w, h, fields, fontset or fonts()))).pages[0]
    if rot:  # draw in the page's unrotated space so the stamp reads upright
        page.merge_transformed_page(overlay, _rotation(rot, float(box.width), float(box.height)))
    else:
        page.merge_transformed_page(overlay, (1, 0, 0, 1, float(box.left), float(box.bottom)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rotation(rot: int, w: float, h: float) -> tuple:
    """Map the viewer's upright space onto a page stored with /Rotate *rot*."""
    return {90: (0, 1, -1, 0, w, 0), 180: (-1, 0, 0, -1, w, h), 270: (0, -1, 1, 0, 0, h)}[rot]
