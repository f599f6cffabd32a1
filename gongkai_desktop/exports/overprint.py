"""套打 (overprinting): field values only, printed onto pre-printed box covers, spines and 备考表.

Issue 7 §3. Field positions are data (resources/forms_layout/<form>.json, millimetres from
the sheet's top-left corner, y downwards to the text baseline), so a different supplier's
form is a data change. The clerk prints the calibration page once, measures how far the
printer shifts it, and saves that X/Y offset per printer (core/print_settings.py); every
field is moved by it. Pages are A4 at 100 % with the PDF's PrintScaling set to None, so
viewers do not offer "fit to page" by default; the print dialog must still say 100 %.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from ..core.errors import UserError
from ..paths import resource
from . import official_doc
from .pdf_fonts import FontSet, fonts

FORMS = {"box_cover": "盒封面", "spine": "盒脊", "note_sheet": "备考表"}
PRINT_NOTE = "请按100%比例打印，不要选择“适合页面”或“缩放”。"
CALIBRATION_MARKS = ((20, 20), (190, 20), (105, 148.5), (20, 277), (190, 277))  # mm from top-left


def load_layout(form: str) -> dict:
    """The layout of *form* ("box_cover", "spine" or "note_sheet"), checked."""
    if form not in FORMS:
        raise UserError(f"没有“{form}”的套打版式，可选：" + "、".join(FORMS.values()) + "。")
    path = resource("forms_layout", f"{form}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        w, h = (float(v) for v in data["page_mm"])
        for fld in data["fields"]:
            float(fld["x_mm"]), float(fld["y_mm"]), str(fld["key"])
            if not (0 <= float(fld["x_mm"]) <= w and 0 <= float(fld["y_mm"]) <= h):
                raise ValueError(fld["key"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UserError(f"套打版式文件 {path.name} 有误（{e}），请检查字段坐标。") from None
    return data


def _pad(n) -> str:
    return f"{int(n):04d}" if str(n if n is not None else "").isdigit() else str(n or "")


def box_values(box: dict, meta: dict) -> dict[str, str]:
    """Field values of one box (an ``archive_boxes`` row plus first/last piece numbers)."""
    org = str(box.get("org_code") or "")
    name = (meta.get("org_names") or {}).get(org, "")
    first, last = _pad(box.get("first_piece_no")), _pad(box.get("last_piece_no"))
    return {
        "fonds_name": str(meta.get("fonds_name") or ""),
        "fonds_no": str(meta.get("fonds_no") or ""),
        "year": str(box.get("year") or ""),
        "retention": str(box.get("retention") or ""),
        "org": f"{name}（{org}）" if name and org else org,
        "piece_range": f"{first} 至 {last}" if first or last else "",
        "first_piece": first,
        "last_piece": last,
        "box_no": str(box.get("box_no") or ""),
        "contents_note": str(box.get("contents_note") or ""),
        "arranger": str(box.get("arranger") or ""),
        "arranged_date": str(box.get("arranged_date") or ""),
        "checker": str(box.get("checker") or ""),
        "checked_date": str(box.get("checked_date") or ""),
    }


def position(field: dict, offset: tuple[float, float], page_h_mm: float) -> tuple[float, float]:
    """PDF points (x, y from the bottom left) of a field's anchor, after the printer offset."""
    return (float(field["x_mm"]) + offset[0]) * mm, (
        page_h_mm - float(field["y_mm"]) - offset[1]
    ) * mm


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    out: list[str] = []
    for para in text.splitlines() or [""]:
        cur = ""
        for ch in para:
            if cur and stringWidth(cur + ch, font, size) > width:
                out.append(cur)
                cur = ""
            cur += ch
        out.append(cur)
    return out


def _canvas(buf, title: str, page_mm, f: FontSet) -> canvas.Canvas:
    c = canvas.Canvas(buf, pagesize=(page_mm[0] * mm, page_mm[1] * mm), pageCompression=1,
                      initialFontName=f.song)  # fmt: skip
    c.setTitle(title)
    c.setCreator("政务公开台账")
    c.setViewerPreference("PrintScaling", "/None")  # 100 %, not "fit to page"
    return c


def overprint_bytes(form: str, pages: list[dict[str, str]], *,
                    offset: tuple[float, float] = (0.0, 0.0),
                    fontset: FontSet | None = None) -> bytes:  # fmt: skip
    """One page per dict of field values, only the values, at the layout positions + offset."""
    if not pages:
        raise UserError("没有可套打的内容。请先选择档案盒。")
    layout = load_layout(form)
    f = fontset or fonts()
    page_h = float(layout["page_mm"][1])
    buf = io.BytesIO()
    c = _canvas(buf, f"{FORMS[form]}（套打）", layout["page_mm"], f)
    for values in pages:
        for fld in layout["fields"]:
            text = str(values.get(fld["key"]) or "")
            if not text:
                continue
            size, width = float(fld.get("size", 14)), float(fld.get("max_w_mm", 100)) * mm
            x, y = position(fld, offset, page_h)
            lines = _lines(text, f.fangsong, size, width)[: int(fld.get("max_lines", 1))]
            for k, line in enumerate(lines):
                s = size
                while s > 6 and stringWidth(line, f.fangsong, s) > width:
                    s -= 0.5  # a long single-line value shrinks rather than leaving its box
                c.setFont(f.fangsong, s)
                yy = y - k * float(fld.get("line_mm", 0)) * mm
                if fld.get("align") == "center":
                    c.drawCentredString(x, yy, line)
                else:
                    c.drawString(x, yy, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def overprint_boxes_pdf(form: str, boxes: list[dict], meta: dict, out: str | os.PathLike, *,
                        offset: tuple[float, float] = (0.0, 0.0),
                        fontset: FontSet | None = None) -> Path:  # fmt: skip
    """套打 the *form* of every box in *boxes* (batch) to *out* atomically."""
    data = overprint_bytes(form, [box_values(b, meta) for b in boxes], offset=offset,
                           fontset=fontset)  # fmt: skip
    return official_doc.write_atomic(out, data)


def calibration_bytes(*, offset: tuple[float, float] = (0.0, 0.0),
                      fontset: FontSet | None = None) -> bytes:  # fmt: skip
    """The calibration page: crosshairs at CALIBRATION_MARKS and mm rulers, shifted by *offset*."""
    f = fontset or fonts()
    buf = io.BytesIO()
    c = _canvas(buf, "套打校准页", (210, 297), f)
    ox, oy = offset[0] * mm, -offset[1] * mm
    c.translate(ox, oy)
    top = 297 * mm
    c.setLineWidth(0.3)
    for n in range(0, 211):  # ruler along the top edge, 5 mm from it
        tick = 4 if n % 10 == 0 else (2.5 if n % 5 == 0 else 1.5)
        c.line(n * mm, top - 5 * mm, n * mm, top - (5 + tick) * mm)
        if n % 10 == 0 and 0 < n < 210:
            c.setFont(f.song, 6)
            c.drawCentredString(n * mm, top - 12 * mm, str(n))
    for n in range(0, 298):  # ruler down the left edge, 5 mm from it
        tick = 4 if n % 10 == 0 else (2.5 if n % 5 == 0 else 1.5)
        c.line(5 * mm, top - n * mm, (5 + tick) * mm, top - n * mm)
        if n % 10 == 0 and 0 < n < 297:
            c.setFont(f.song, 6)
            c.drawString(11 * mm, top - n * mm - 2, str(n))
    c.setLineWidth(0.4)
    for x, y in CALIBRATION_MARKS:
        cx, cy = x * mm, top - y * mm
        c.line(cx - 8 * mm, cy, cx + 8 * mm, cy)
        c.line(cx, cy - 8 * mm, cx, cy + 8 * mm)
        c.circle(cx, cy, 3 * mm)
        c.setFont(f.song, 7)
        c.drawString(cx + 1.5 * mm, cy + 1.5 * mm, f"({x:g}, {y:g})")
    c.setFont(f.hei, 16)
    c.drawCentredString(105 * mm, top - 60 * mm, "套打校准页")
    c.setFont(f.song, 10)
    lines = [
        PRINT_NOTE,
        "打印后用直尺量各十字中心到纸张左边、上边的距离（毫米），与括号中的数值比较：",
        "实际偏右或偏下多少，就在“套打偏移”中填负数；偏左或偏上填正数。",
        f"当前偏移：左右 {offset[0]:+.1f} 毫米，上下 {offset[1]:+.1f} 毫米。",
    ]
    for k, line in enumerate(lines):
        c.drawCentredString(105 * mm, top - (75 + 7 * k) * mm, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def calibration_pdf(out: str | os.PathLike, *, offset: tuple[float, float] = (0.0, 0.0),
                    fontset: FontSet | None = None) -> Path:  # fmt: skip
    """Write the calibration page to *out* atomically."""
    return official_doc.write_atomic(out, calibration_bytes(offset=offset, fontset=fontset))
