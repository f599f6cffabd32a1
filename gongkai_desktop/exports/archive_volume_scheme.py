"""The volume scheme (案卷, GB/T 9705-2008 文书档案案卷格式): cover, 卷内文件目录, 卷内备考表.

RULES.md §8, issue 7 §3; the optional alternative to filing by pieces. Everything comes
from plain dicts, so core can fill them from pieces or the clerk from a dialog:

* *volume*: ``fonds_name`` 全宗名称, ``category`` 类目名称, ``title`` 案卷题名, ``start``/``end``
  时间 ("2026-01" or a date), ``retention`` 保管期限, ``pieces`` 件数, ``pages`` 页数,
  ``filing_no`` 归档号, ``archive_no`` 档号; for the 备考表 ``note`` 本卷情况说明, ``maker``
  立卷人, ``checker`` 检查人, ``made_date`` 立卷时间.
* *docs*: ``doc_no`` 文号, ``responsible`` 责任者, ``title`` 题名, ``doc_date`` 日期,
  ``pages`` 页数 (or ``page_no`` 页号 as printed), ``note`` 备注.

The cover is 310×220 mm on the 卷皮; it is printed on A4 with the fields at their places.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..core.errors import UserError
from . import official_doc
from .pdf_fonts import FontSet, fonts

PAGE_W, PAGE_H = A4
CONTENTS_COLUMNS = ("顺序号", "文号", "责任者", "题名", "日期", "页号", "备注")
WIDTHS = (14, 38, 25, 49, 22, 14, 18)  # mm, 180 in all


def _ym(value) -> str:
    """'2026-03' or '2026-03-15' -> '2026年03月' (时间: first and last year-month)."""
    m = re.match(r"^\s*(\d{4})\D?(\d{1,2})", str(value or ""))
    return f"{m[1]}年{int(m[2]):02d}月" if m else str(value or "")


def date8(value) -> str:
    """A document date as 8 digits (20260315), as the catalogues print it."""
    digits = re.sub(r"\D", "", str(value or ""))
    return digits[:8] if len(digits) >= 8 else str(value or "")


def cover_fields(volume: dict) -> list[tuple[str, str]]:
    """The 案卷封面 captions and values, in print order (GB/T 9705-2008 6.1)."""
    span = " 至 ".join(t for t in (_ym(volume.get("start")), _ym(volume.get("end"))) if t)
    count = f"{volume.get('pieces') or ''}件 / {volume.get('pages') or ''}页"
    return [
        ("全宗名称", str(volume.get("fonds_name") or "")),
        ("类目名称", str(volume.get("category") or "")),
        ("案卷题名", str(volume.get("title") or "")),
        ("时间", span),
        ("保管期限", str(volume.get("retention") or "")),
        ("件数/页数", count),
        ("归档号", str(volume.get("filing_no") or "")),
        ("档号", str(volume.get("archive_no") or "")),
    ]


def page_numbers(docs: list[dict]) -> list[str]:
    """页号 per document: its first page; the last document shows first–last (GB/T 9705 6.2)."""
    out, page = [], 1
    for k, d in enumerate(docs):
        if d.get("page_no"):
            out.append(str(d["page_no"]))
            continue
        n = max(int(d.get("pages") or 1), 1)
        last = k == len(docs) - 1
        out.append(f"{page}-{page + n - 1}" if last and n > 1 else str(page))
        page += n
    return out


def _check(volumes: list[dict]) -> None:
    if not volumes:
        raise UserError("没有可打印的案卷。请先组卷。")
    for v in volumes:
        if not str(v.get("title") or "").strip():
            raise UserError("案卷题名不能为空，请在案卷信息中填写后再打印。")


def _canvas(buf, title: str, f: FontSet) -> canvas.Canvas:
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=f.song)
    c.setTitle(title)
    c.setCreator("政务公开台账")
    return c


def cover_bytes(volumes: list[dict], *, fontset: FontSet | None = None) -> bytes:
    """案卷封面, one A4 page per volume (covers in batch)."""
    _check(volumes)
    f = fontset or fonts()
    buf = io.BytesIO()
    c = _canvas(buf, "案卷封面", f)
    left, label_w, right = 28 * mm, 32 * mm, PAGE_W - 28 * mm
    for v in volumes:
        c.setLineWidth(1.2)
        c.rect(18 * mm, 18 * mm, PAGE_W - 36 * mm, PAGE_H - 36 * mm)
        c.setFont(f.title, 36)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 62 * mm, "文 书 档 案")
        c.setLineWidth(0.5)
        y = PAGE_H - 90 * mm
        for caption, value in cover_fields(v):
            c.setFont(f.hei, 15)
            c.drawString(left, y, caption)
            size, width = 15.0, right - left - label_w - 2 * mm
            lines = _wrap(value, f.fangsong, size, width)[:3]
            c.setFont(f.fangsong, size)
            for k, line in enumerate(lines):
                yy = y - k * 9 * mm
                c.drawString(left + label_w + 2 * mm, yy, line)
                c.line(left + label_w, yy - 2.5 * mm, right, yy - 2.5 * mm)
            y -= (len(lines) - 1) * 9 * mm + 17 * mm
        c.setFont(f.song, 8)
        c.drawCentredString(PAGE_W / 2, 12 * mm, "案卷封面（卷皮310×220毫米）按100%比例打印。")
        c.showPage()
    c.save()
    return buf.getvalue()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, cur = [], ""
    for ch in str(text or ""):
        if cur and stringWidth(cur + ch, font, size) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur]


def contents_bytes(volume: dict, docs: list[dict], *, fontset: FontSet | None = None) -> bytes:
    """卷内文件目录: 顺序号, 文号, 责任者, 题名, 日期, 页号, 备注; header repeated per page."""
    _check([volume])
    if not docs:
        raise UserError("案卷中没有文件，无法打印卷内文件目录。请先把文件组入案卷。")
    f = fontset or fonts()
    body = ParagraphStyle("b", fontName=f.song, fontSize=9, leading=12, wordWrap="CJK")
    center = ParagraphStyle("c", parent=body, alignment=TA_CENTER)
    head = ParagraphStyle("h", parent=center, fontName=f.hei)
    title = ParagraphStyle("t", parent=center, fontName=f.title, fontSize=22, leading=30)
    pages = page_numbers(docs)
    rows = [[Paragraph(h, head) for h in CONTENTS_COLUMNS]]
    for k, d in enumerate(docs):
        cells = (str(k + 1), d.get("doc_no"), d.get("responsible"), d.get("title"),
                 date8(d.get("doc_date")), pages[k], d.get("note"))  # fmt: skip
        rows.append([Paragraph(escape(str(v or "")), center if i in (0, 4, 5) else body)
                     for i, v in enumerate(cells)])  # fmt: skip
    table = Table(rows, colWidths=[w * mm for w in WIDTHS], repeatRows=1,
                  style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))  # fmt: skip
    sub = f"档号：{escape(str(volume.get('archive_no') or ''))}"
    story = [Paragraph("卷内文件目录", title), Paragraph(sub, body), Spacer(1, 3 * mm), table]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, title="卷内文件目录",
                            creator="政务公开台账")  # fmt: skip
    doc.build(story)
    return buf.getvalue()


def note_bytes(volume: dict, *, fontset: FontSet | None = None) -> bytes:
    """卷内备考表: 本卷情况说明, 立卷人, 检查人, 立卷时间 (GB/T 9705-2008 6.3)."""
    _check([volume])
    f = fontset or fonts()
    buf = io.BytesIO()
    c = _canvas(buf, "卷内备考表", f)
    left, right, top, bottom = 25 * mm, PAGE_W - 25 * mm, PAGE_H - 45 * mm, 30 * mm
    c.setFont(f.title, 26)
    c.drawCentredString(PAGE_W / 2, PAGE_H - 32 * mm, "卷 内 备 考 表")
    c.setFont(f.song, 10)
    c.drawRightString(right, top + 3 * mm, f"档号：{volume.get('archive_no') or ''}")
    c.setLineWidth(0.8)
    c.rect(left, bottom, right - left, top - bottom)
    c.setFont(f.hei, 15)
    c.drawString(left + 6 * mm, top - 12 * mm, "本卷情况说明：")
    c.setFont(f.fangsong, 14)
    y = top - 24 * mm
    for para in str(volume.get("note") or "").splitlines() or [""]:
        for line in _wrap(para, f.fangsong, 14, right - left - 24 * mm):
            if y < bottom + 55 * mm:
                break  # the signature lines stay on the page
            c.drawString(left + 12 * mm, y, line)
            y -= 9 * mm
    for k, (caption, value) in enumerate((("立卷人：", volume.get("maker")),
                                          ("检查人：", volume.get("checker")),
                                          ("立卷时间：", volume.get("made_date")))):  # fmt: skip
        yy = bottom + 38 * mm - k * 11 * mm
        c.setFont(f.hei, 14)
        c.drawString(right - 95 * mm, yy, caption)
        c.setFont(f.fangsong, 14)
        c.drawString(right - 65 * mm, yy, str(value or ""))
    c.showPage()
    c.save()
    return buf.getvalue()


def cover_pdf(volumes: list[dict], out: str | os.PathLike, *,
              fontset: FontSet | None = None) -> Path:  # fmt: skip
    return official_doc.write_atomic(out, cover_bytes(volumes, fontset=fontset))


def contents_pdf(volume: dict, docs: list[dict], out: str | os.PathLike, *,
                 fontset: FontSet | None = None) -> Path:  # fmt: skip
    return official_doc.write_atomic(out, contents_bytes(volume, docs, fontset=fontset))


def note_pdf(volume: dict, out: str | os.PathLike, *, fontset: FontSet | None = None) -> Path:
    return official_doc.write_atomic(out, note_bytes(volume, fontset=fontset))
