"""演示归档 (demo archive): attachments on a few records, the year filed, two sealed boxes.

Attachments are small generated files (a one-page PDF "scan" and a PNG "photo"), made
here without reportlab or Pillow so core stays free of print libraries. The year's
ready records are filed (DA/T 22-2015, RULES.md §8); the two boxes hold 定期10年 pieces
(the applications and complaints) and are sealed with the 备考表 filled in. The 定期30年
items are left unboxed so the clerk can practise boxing. Deterministic for (today, seed).
"""

from __future__ import annotations

import io
import random
import struct
import tempfile
import zlib
from datetime import date
from pathlib import Path

import sqlite_utils

from . import archive, attachments
from . import demo_data as dd

BOX_SIZE = 12  # pieces per demo box


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page A4 form with Chinese *lines* (a stand-in for a scan), in reportlab's
    built-in STSong-Light so it needs no installed font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    w, h = A4
    c.setFont("STSong-Light", 18)
    c.drawCentredString(w / 2, h - 90, lines[0])
    c.setFont("STSong-Light", 12)
    c.setStrokeGray(0.4)
    top = h - 130
    for k, text in enumerate(lines[1:] + [""] * (8 - len(lines[1:]))):
        y = top - 36 * k
        c.rect(60, y - 36, w - 120, 36)
        c.drawString(72, y - 23, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def demo_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain PNG: a coloured card with a darker band (a stand-in for a photo)."""
    dark = bytes(c // 2 for c in rgb)
    rows = b"".join(
        b"\x00" + (dark if height // 3 < y < height // 2 else bytes(rgb)) * width
        for y in range(height)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(rows)) + (
        chunk(b"IEND", b"")
    )  # fmt: skip


def add_demo_archive(db: sqlite_utils.Database, today: date, seed: int = 2026) -> dict:
    """Attach files to a few records, file the year, fill and seal two boxes; a summary."""
    rng = random.Random(seed)
    year = today.year
    ready = archive.ready(db, year)
    by_table = {t: [i for tt, i in ready if tt == t] for t in ("items", "applications")}
    added = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for n, item_id in enumerate(sorted(rng.sample(by_table["items"],
                                                      min(4, len(by_table["items"]))))):  # fmt: skip
            f = root / f"签批单{n + 1}.pdf"
            f.write_bytes(demo_pdf(["政务公开事项审核签批单（扫描件）", f"事项编号：{item_id}",
                                    "审核意见：同意公开", f"签批日期：{year}-03-{10 + n:02d}"]))  # fmt: skip
            attachments.add(db, "items", item_id, f)
            added += 1
            if n % 2 == 0:
                p = root / f"公开截图{n + 1}.png"
                p.write_bytes(demo_png(320, 200, (40 + 40 * n, 110, 170)))
                attachments.add(db, "items", item_id, p)
                added += 1
        for n, app_id in enumerate(by_table["applications"][:2]):
            f = root / f"申请表扫描件{n + 1}.pdf"
            f.write_bytes(demo_pdf(["政府信息公开申请表（扫描件）", f"申请记录：{app_id}",
                                    "申请人签名：（已签）"]))  # fmt: skip
            attachments.add(db, "applications", app_id, f)
            added += 1
    filed = archive.file_ready(db, year)
    ten = [p for p in archive.pieces(db, year) if p["retention"] == "定期10年" and not p["box_id"]]
    sealed = []
    for k in range(2):
        chunk = ten[k * BOX_SIZE : (k + 1) * BOX_SIZE]
        if not chunk:
            break
        b = archive.create_box(db, year, "定期10年", spine_mm=30 if k == 0 else 20)
        archive.put_in_box(db, b["id"], [p["id"] for p in chunk])
        sealed.append(archive.seal_box(
            db, b["id"], arranger=dd.WORKING_BODY[0], arranged_date=today.isoformat(),
            checker=dd.WORKING_BODY[1], checked_date=today.isoformat(),
            contents_note=f"本盒共{len(chunk)}件，均为依申请公开和投诉举报办理材料，无缺损。",
        ))  # fmt: skip
    return {"attachments": added, "filed": len(filed), "boxes": [b["id"] for b in sealed]}
