"""Box labels after DA/T 22-2015 (RULES.md §8): 盒脊, 盒封面 and 备考表, one A4 sheet type each.

The box is 310 × 220 mm with a spine of 20/30/40/50 mm. Spines are printed at their true
width; their true height, 310 mm, does not fit A4 (297 mm), so each label is printed at
true scale but shortened to ``SPINE_H`` (277 mm: the A4 height less 10 mm margins for the
cut marks) — it is never scaled. Several spines share a page, side by side, with cut
marks in the margins. Print at 100 %, never "fit to page".

*boxes* are dicts shaped like ``archive_boxes`` rows plus ``first_piece_no`` and
``last_piece_no``; *meta* has ``fonds_no`` and ``fonds_name`` (and optional ``org_names``).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from ..core.errors import UserError
from . import official_doc
from .pdf_fonts import FontSet, fonts

PAGE_W, PAGE_H = A4
SPINE_WIDTHS = (20, 30, 40, 50)  # mm (RULES §8)
SPINE_TRUE_H = 310  # mm, the box height
MARGIN = 10  # mm around the labels, where the cut marks go
SPINE_H = PAGE_H / mm - 2 * MARGIN  # 277 mm: the printable part of the 310 mm spine
CUT = 6  # mm, length of a cut mark
TOKEN = re.compile(r"[0-9A-Za-z·\-]+|\S")


def _pad(n) -> str:
    return f"{int(n):04d}" if str(n if n is not None else "").isdigit() else str(n or "")


def _org_text(box: dict, meta: dict) -> str:
    org = str(box.get("org_code") or "")
    name = (meta.get("org_names") or {}).get(org, "")
    return f"{name}（{org}）" if name and org else org


def _check_boxes(boxes: list[dict]) -> None:
    if not boxes:
        raise UserError("没有可打印的档案盒。请先建盒并装入文件。")
    for b in boxes:
        if int(b.get("spine_mm") or 0) not in SPINE_WIDTHS:
            raise UserError(f"第{b.get('box_no')}盒的盒脊厚度“{b.get('spine_mm')}”不对："
                            "只能是 20、30、40 或 50 毫米。请在盒信息中改正。")  # fmt: skip


def _canvas(buf, title: str, f: FontSet) -> canvas.Canvas:
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=f.song)
    c.setTitle(title)
    c.setCreator("政务公开台账")
    return c


# ---- 盒脊 ---------------------------------------------------------------------------------


def spine_layout(boxes: list[dict]) -> list[list[tuple[int, float, float, float, float]]]:
    """Pages of (box index, x, y, width, height) in mm from the page's bottom left."""
    pages: list[list] = [[]]
    x = MARGIN
    for i, b in enumerate(boxes):
        w = int(b.get("spine_mm") or 0)
        if x + w > PAGE_W / mm - MARGIN and pages[-1]:
            pages.append([])
            x = MARGIN
        pages[-1].append((i, float(x), float(MARGIN), float(w), SPINE_H))
        x += w
    return pages


def _vertical(c, tokens: list[str], cx: float, top: float, font: str, size: float,
              width: float) -> float:  # fmt: skip
    """Draw tokens one under the other, centred on *cx*; the y below the last one."""
    y = top
    for tok in tokens:
        s = size
        while s > 5 and stringWidth(tok, font, s) > width:
            s -= 0.5
        y -= s * 1.15
        c.setFont(font, s)
        c.drawCentredString(cx, y + s * 0.15, tok)
    return y


def _spine_fields(box: dict, meta: dict) -> list[tuple[str, list[str]]]:
    fields = [
        ("全宗号", [str(meta.get("fonds_no") or "")]),
        ("年度", [str(box.get("year") or "")]),
        ("保管期限", TOKEN.findall(str(box.get("retention") or ""))),
    ]
    if box.get("org_code"):  # optional (RULES §8)
        fields.append(("机构（问题）", [str(box["org_code"])]))
    # 起止件号: the first piece above, the last below
    fields.append(
        ("起止件号", [_pad(box.get("first_piece_no")), "至", _pad(box.get("last_piece_no"))])
    )
    fields.append(("盒号", [str(box.get("box_no") or "")]))
    return fields


def _draw_spine(c, box: dict, meta: dict, x: float, y: float, w: float, h: float,
                f: FontSet) -> None:  # fmt: skip
    c.setLineWidth(0.5)
    c.rect(x, y, w, h)  # the label border (also read back by the tests)
    fields = _spine_fields(box, meta)
    cx, inner = x + w / 2, w - 3 * mm
    band = h / len(fields)
    top = y + h
    for k, (caption, value) in enumerate(fields):
        yb = _vertical(c, list(caption.replace("（", "").replace("）", "")), cx, top - 3 * mm,
                       f.hei, 10, inner)  # fmt: skip
        _vertical(c, value, cx, yb - 3 * mm, f.song, 13, inner)
        top -= band
        if k < len(fields) - 1:
            c.line(x, top, x + w, top)


def _cut_marks(c, rects: list[tuple]) -> None:
    """Short lines in the margins, in line with every label edge."""
    c.setLineWidth(0.3)
    xs = sorted({r[1] for r in rects} | {r[1] + r[3] for r in rects})
    y0, y1 = rects[0][2] * mm, (rects[0][2] + rects[0][4]) * mm
    for xm in xs:
        c.line(xm * mm, y0 - 2 * mm, xm * mm, y0 - (2 + CUT) * mm)
        c.line(xm * mm, y1 + 2 * mm, xm * mm, y1 + (2 + CUT) * mm)
    left, right = xs[0] * mm, xs[-1] * mm
    for ym in (y0, y1):
        c.line(left - 2 * mm, ym, left - (2 + CUT) * mm, ym)
        c.line(right + 2 * mm, ym, right + (2 + CUT) * mm, ym)


def spines_bytes(boxes: list[dict], meta: dict, *, fontset: FontSet | None = None) -> bytes:
    """盒脊 labels, true width, several to an A4 page with cut marks."""
    _check_boxes(boxes)
    f = fontset or fonts()
    buf = io.BytesIO()
    c = _canvas(buf, "盒脊", f)
    for page in spine_layout(boxes):
        for i, xm, ym, wm, hm in page:
            _draw_spine(c, boxes[i], meta, xm * mm, ym * mm, wm * mm, hm * mm, f)
        _cut_marks(c, page)
        c.saveState()  # the note runs up the left margin, clear of the cut marks
        c.translate(6 * mm, PAGE_H / 2)
        c.rotate(90)
        c.setFont(f.song, 7)
        c.drawCentredString(0, 0, f"盒脊按实际宽度打印，高度截为{SPINE_H:.0f}毫米"
                     f"（盒高{SPINE_TRUE_H}毫米）。请以100%比例打印，勿选“适合页面”。")  # fmt: skip
        c.restoreState()
        c.showPage()
    c.save()
    return buf.getvalue()


def spines_pdf(boxes: list[dict], meta: dict, out: str | os.PathLike, *,
               fontset: FontSet | None = None) -> Path:  # fmt: skip
    """Write the 盒脊 labels to *out* atomically; the path written."""
    return official_doc.write_atomic(out, spines_bytes(boxes, meta, fontset=fontset))


# ---- 盒封面 and 备考表 -------------------------------------------------------------------


def _form_rows(c, rows: list[tuple[str, str]], top: float, f: FontSet) -> float:
    left, label_w, value_w, pitch = 30 * mm, 40 * mm, 110 * mm, 16 * mm
    for label, value in rows:
        top -= pitch
        c.setFont(f.hei, 15)
        c.drawString(left, top, label)
        c.setFont(f.fangsong, 15)
        c.drawString(left + label_w + 2 * mm, top, value)
        c.line(left + label_w, top - 2.5 * mm, left + label_w + value_w, top - 2.5 * mm)
    return top


def box_cover_bytes(boxes: list[dict], meta: dict, *, fontset: FontSet | None = None) -> bytes:
    """盒封面, one A4 page per box (batch printing of covers)."""
    _check_boxes(boxes)
    f = fontset or fonts()
    buf = io.BytesIO()
    c = _canvas(buf, "档案盒封面", f)
    for b in boxes:
        c.setLineWidth(1.2)
        c.rect(20 * mm, 20 * mm, PAGE_W - 40 * mm, PAGE_H - 40 * mm)
        c.setFont(f.title, 40)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 80 * mm, "档  案  盒")
        c.setFont(f.fangsong, 18)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 105 * mm, str(meta.get("fonds_name") or ""))
        c.setLineWidth(0.5)
        rows = [("全宗号", str(meta.get("fonds_no") or "")), ("年度", str(b.get("year") or "")),
                ("保管期限", str(b.get("retention") or ""))]  # fmt: skip
        if b.get("org_code"):
            rows.append(("机构（问题）", _org_text(b, meta)))
        rows += [("起止件号", f"{_pad(b.get('first_piece_no'))} 至 {_pad(b.get('last_piece_no'))}"),
                 ("盒号", str(b.get("box_no") or ""))]  # fmt: skip
        _form_rows(c, rows, PAGE_H - 130 * mm, f)
        c.showPage()
    c.save()
    return buf.getvalue()


def box_cover_pdf(boxes: list[dict], meta: dict, out: str | os.PathLike, *,
                  fontset: FontSet | None = None) -> Path:  # fmt: skip
    """Write the 盒封面 (one page per box) to *out* atomically."""
    return official_doc.write_atomic(out, box_cover_bytes(boxes, meta, fontset=fontset))


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for para in str(text or "").splitlines() or [""]:
        cur = ""
        for ch in para:
            if stringWidth(cur + ch, font, size) > width:
                lines.append(cur)
                cur = ""
            cur += ch
        lines.append(cur)
    return lines


def note_sheet_bytes(boxes: list[dict], meta: dict, *, fontset: FontSet | None = None) -> bytes:
    """备考表, one A4 page per box: 盒内文件情况说明, 整理人/日期, 检查人/日期 (DA/T 22)."""
    _check_boxes(boxes)
    f = fontset or fonts()
    buf = io.BytesIO()
    c = _canvas(buf, "备考表", f)
    left, right, top, bottom = 25 * mm, PAGE_W - 25 * mm, PAGE_H - 45 * mm, 30 * mm
    for b in boxes:
        c.setFont(f.title, 26)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 32 * mm, "备  考  表")
        c.setFont(f.song, 10)
        c.drawRightString(right, top + 3 * mm, f"全宗号 {meta.get('fonds_no') or ''}　"
                          f"{b.get('year') or ''}年　{b.get('retention') or ''}　第{b.get('box_no') or ''}盒")  # fmt: skip
        c.setLineWidth(0.8)
        c.rect(left, bottom, right - left, top - bottom)
        c.setFont(f.hei, 15)
        c.drawString(left + 6 * mm, top - 12 * mm, "盒内文件情况说明：")
        c.setFont(f.fangsong, 14)
        y = top - 24 * mm
        for line in _wrap(b.get("contents_note") or "", f.fangsong, 14, right - left - 24 * mm):
            if y < bottom + 60 * mm:
                break  # the signature lines stay on the page
            c.drawString(left + 12 * mm, y, line)
            y -= 9 * mm
        for k, (who, when, wv, dv) in enumerate((
            ("整理人：", "整理日期：", b.get("arranger"), b.get("arranged_date")),
            ("检查人：", "检查日期：", b.get("checker"), b.get("checked_date")),
        )):  # fmt: skip
            yy = bottom + 35 * mm - k * 18 * mm
            c.setFont(f.hei, 14)
            c.drawString(right - 95 * mm, yy, who)
            c.drawString(right - 95 * mm, yy - 8 * mm, when)
            c.setFont(f.fangsong, 14)
            c.drawString(right - 65 * mm, yy, str(wv or ""))
            c.drawString(right - 65 * mm, yy - 8 * mm, str(dv or ""))
        c.showPage()
    c.save()
    return buf.getvalue()


def note_sheet_pdf(boxes: list[dict], meta: dict, out: str | os.PathLike, *,
                   fontset: FontSet | None = None) -> Path:  # fmt: skip
    """Write the 备考表 (one page per box) to *out* atomically."""
    return official_doc.write_atomic(out, note_sheet_bytes(boxes, meta, fontset=fontset))
