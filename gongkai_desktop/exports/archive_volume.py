"""The archive volume PDF of one box (issue 7 §3, RULES.md §8–§9): one file, ready to bind.

Order: 盒封面, 归档文件目录 of the box (when archive_settings' scheme is 卷: the GB/T
9705-2008 案卷封面 and 卷内文件目录, 页号 = the running page numbers), every piece by 件号 —
the record rendered as a short GB/T 9704-style document (its fields, then its step
history / letters list / events), followed by its PDF attachments merged with pypdf and
its images placed on A4 pages — and the 备考表 (卷内备考表) at the end. The 归档章 is
stamped on each piece's first page (with the 档号 printed above the type area), one
bookmark per piece, and the pieces' pages carry running page numbers "— n —", 4号宋体,
odd pages right, even pages left (RULES §9), stamped after merging. Cover, catalogue and 备考表 are front/back matter, not numbered
(the catalogue keeps its own numbers). Office attachments cannot be merged; they are
listed on the record page as to be printed separately.

All record pages of the box are drawn on one canvas with their 归档章 (the grid of
archive_pdf.stamp, drawn directly rather than merged per piece), so the volume embeds one
font subset instead of one per piece (500 pieces: 6.6 MiB, 3.5 s; 19.8 MiB, 13 s per piece).

progress(done, total) returning False cancels: nothing is written. The file is written
atomically (official_doc.write_atomic).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from ..core import archive, attachments, profile
from ..core.errors import UserError
from . import archive_volume_scheme as scheme
from . import official_doc
from .archive_labels import box_cover_bytes, note_sheet_bytes
from .archive_pdf import STAMP_CELL, STAMP_RED, STAMP_RIGHT, STAMP_TOP, catalog_bytes, stamp_layout
from .official_doc import OfficialDoc, Paragraph, layout
from .pdf_fonts import FontSet, fonts

Progress = Callable[[int, int], bool]
PAGENO_SIZE = 14  # 4号 (RULES §9)
NO_LEFT, NO_RIGHT = 28 * mm, 26 * mm  # GB/T 9704 page margins: 28 mm left, 210-28-156 right
NO_BASELINE = 28 * mm - 0.3 * PAGENO_SIZE  # 7 mm under the type area (GB/T 9704 7.5)
IMAGE_MARGIN = 20 * mm


class Cancelled(UserError):
    """The user cancelled the build; no file was written."""


@dataclass
class VolumeResult:
    path: Path
    pages: int
    parts: list[tuple[str, int]] = field(default_factory=list)  # (part name, pages), in order
    bookmarks: list[str] = field(default_factory=list)  # one per piece: 档号 题名


# ---- the record's own rendering ------------------------------------------------------------

# (label, column) shown for each kind; empty values are left out.
FIELDS = {
    "items": [("文号", "doc_no"), ("发布机构", "issuer"), ("成文日期", "formed_date"),
              ("公开类别", "category"), ("公开日期", "published_date")],
    "applications": [("申请编号", "app_no"), ("申请人", "applicant_name"),
                     ("收到日期", "received_date"), ("申请内容", "content"),
                     ("答复结果", "result"), ("答复日期", "answer_date"),
                     ("办结日期", "closed_date")],
    "complaints": [("编号", "no"), ("类别", "kind"), ("来源", "source"),
                   ("收到日期", "received_date"), ("内容", "content"),
                   ("答复内容", "reply_content"), ("答复日期", "reply_date"),
                   ("办结日期", "closed_date")],
}  # fmt: skip
# (heading, SQL for one record's history rows rendered as one line each)
HISTORY = {
    "items": ("办理过程", "SELECT on_date, step || '（' || action || '）', who, opinion"
              " FROM item_steps WHERE item_id = ? ORDER BY on_date, id"),
    "applications": ("文书", "SELECT letter_date, kind, doc_no, '' FROM app_letters"
                     " WHERE app_id = ? ORDER BY letter_date, id"),
    "complaints": ("办理记录", "SELECT on_date, step, who, opinion FROM complaint_events"
                   " WHERE complaint_id = ? ORDER BY on_date, id"),
}  # fmt: skip


def _record(db, table: str, record_id: int) -> dict:
    cur = db.execute(f"SELECT * FROM {table} WHERE id = ?", [int(record_id)])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else {}


def record_doc(db: sqlite_utils.Database, piece: dict, links: list[dict]) -> OfficialDoc:
    """The piece's record as a short document: fields, history, attachments list."""
    table, rid = piece["record_table"], piece["record_id"]
    row = _record(db, table, rid)
    body: list = []
    for label, col in FIELDS.get(table, []):
        if row.get(col) not in (None, ""):
            body.append(Paragraph(f"{label}：{row[col]}", indent=False))
    headings = iter("一二三")
    if table in HISTORY:
        heading, sql = HISTORY[table]
        rows = db.execute(sql, [int(rid)]).fetchall()
        if rows:
            body.append(Paragraph(f"{next(headings)}、{heading}", indent=False))
            for n, r in enumerate(rows, 1):
                extra = "，".join(str(x) for x in r[2:] if x)
                body.append(Paragraph(f"{n}. {r[0]}　{r[1]}" + (f"，{extra}" if extra else "")))
    if links:
        body.append(Paragraph(f"{next(headings)}、附件", indent=False))
        for n, a in enumerate(links, 1):
            if a["mime"] == "application/pdf":
                note = f"（{a['pages']}页，附后）"
            elif a["mime"].startswith("image/"):
                note = "（图片，附后）"
            else:
                note = "（Office 文件，未并入本卷，请另行打印附后）"
            body.append(Paragraph(f"{n}. {a['file_name']}{note}"))
    if not body:
        body.append(Paragraph("（无记录内容）"))
    title = str(piece.get("title") or "").strip("[]")
    return OfficialDoc(title=[title], body=body, signature=piece.get("responsible") or "",
                       date=piece.get("doc_date") or None, subject=piece["archive_no"])  # fmt: skip


def _draw_stamp(c: canvas.Canvas, fields: dict, f: FontSet) -> None:
    """The 归档章 as archive_pdf.stamp draws it (same grid and place), on the open page."""
    cw, ch = STAMP_CELL
    x0, y_top = A4[0] - STAMP_RIGHT - 3 * cw, A4[1] - STAMP_TOP
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


def _draw_record(c: canvas.Canvas, lines: list, pitch: float, p: dict, fields: dict,
                 f: FontSet) -> None:  # fmt: skip
    """The record's pages, without page numbers; 档号 and 归档章 in the top of the first."""
    for n, page in enumerate(lines):
        if n == 0:
            c.setFont(f.song, 10)
            c.drawString(official_doc.LEFT, A4[1] - 12 * mm, f"档号：{p['archive_no']}")
            _draw_stamp(c, fields, f)
        for row, line in enumerate(page):
            official_doc._draw_line(c, line, A4[1] - official_doc.TOP - row * pitch, pitch)
        c.showPage()


def _image_pdf(data: bytes) -> bytes:
    """One A4 page with the image fitted inside 20 mm margins, centred, never enlarged."""
    img = ImageReader(io.BytesIO(data))
    iw, ih = img.getSize()
    w, h = A4
    scale = min((w - 2 * IMAGE_MARGIN) / iw, (h - 2 * IMAGE_MARGIN) / ih, 1.0)
    dw, dh = iw * scale, ih * scale
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.drawImage(img, (w - dw) / 2, h - IMAGE_MARGIN - dh, dw, dh)
    c.showPage()
    c.save()
    return buf.getvalue()


# ---- assembling -----------------------------------------------------------------------------


def _meta(db) -> dict:
    prof = profile.load(db)
    settings = archive.archive_settings(db)
    name = prof.unit_name if prof else ""
    return {"fonds_no": prof.fonds_no if prof else "", "fonds_name": name, "unit_name": name,
            "org_names": {c: c for c in settings.get("org_codes", [])}}  # fmt: skip


def _append(writer: PdfWriter, pdf: bytes) -> int:
    """Append every page of *pdf*, rotation baked into the content; pages added."""
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        if int(page.get("/Rotate", 0) or 0) % 360:
            page.transfer_rotation_to_content()
        writer.add_page(page)
    return len(reader.pages)


def _attached_pages(a: dict) -> int:
    if a["mime"] == "application/pdf":
        return int(a["pages"] or 0)
    return 1 if a["mime"].startswith("image/") else 0  # Office files are not merged


def _attached_pdfs(db, links: list[dict]) -> list[bytes]:
    out = []
    for a in links:
        if a["mime"] == "application/pdf":
            out.append(attachments.data(db, a["id"]))
        elif a["mime"].startswith("image/"):
            out.append(_image_pdf(attachments.data(db, a["id"])))
    return out


def _page_numbers(sizes: list[tuple[float, float]], first: int, font: str) -> bytes:
    """One overlay page per numbered page: — n —, odd right, even left (RULES §9)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=1, initialFontName=font)
    for k, (w, h) in enumerate(sizes):
        n = first + k
        text = f"— {n} —"
        c.setPageSize((w, h))
        c.setFont(font, PAGENO_SIZE)
        tw = stringWidth(text, font, PAGENO_SIZE)
        x = w - NO_RIGHT - PAGENO_SIZE - tw if n % 2 else NO_LEFT + PAGENO_SIZE
        c.drawString(x, NO_BASELINE, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def volume_bytes(
    db: sqlite_utils.Database, box_id: int, *, progress: Progress | None = None,
    fontset: FontSet | None = None,
) -> tuple[bytes, list[tuple[str, int]], list[str]]:  # fmt: skip
    """The volume as PDF bytes, its parts (name, pages) and its bookmark titles."""
    b = archive.box(db, box_id)
    pieces = sorted(archive.pieces(db, box_id=box_id), key=lambda p: p["piece_no"])
    if not pieces:
        raise UserError(f"第 {b['box_no']} 号盒中没有文件。请先把归档件装入该盒再生成案卷。")
    f = fontset or fonts()
    meta = _meta(db)
    label_box = b | {"first_piece_no": b["first_piece"], "last_piece_no": b["last_piece"]}
    total = 2 * len(pieces) + 1
    step = progress or (lambda _d, _t: True)
    cancelled = Cancelled("已取消生成案卷，未写入文件。")
    # pass 1: every record page on one canvas, so the box shares one embedded font subset
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=f.fangsong)
    plan = []  # (piece, links, record pages)
    for k, p in enumerate(pieces, 1):
        links = attachments.links(db, p["record_table"], p["record_id"])
        lines, pitch = layout(record_doc(db, p, links), f)
        total_pages = len(lines) + sum(_attached_pages(a) for a in links)
        fields = {"fonds_no": meta["fonds_no"], "year": p["year"], "retention": p["retention"],
                  "piece_no": p["piece_no"], "pages": total_pages, "org_code": p["org_code"]}  # fmt: skip
        _draw_record(c, lines, pitch, p, fields, f)
        plan.append((p, links, len(lines)))
        if step(k, total) is False:
            raise cancelled
    c.save()
    records = PdfReader(io.BytesIO(buf.getvalue())).pages
    # pass 2: cover, catalogue, each piece (record pages + attachments), 备考表
    writer = PdfWriter()
    if archive.archive_settings(db)["scheme"] == "卷":  # GB/T 9705-2008: the box is one 案卷
        volume, docs = archive.volume_dict(db, box_id)
        sizes = [own + sum(_attached_pages(a) for a in links) for _, links, own in plan]
        volume["pages"] = sum(sizes)
        docs = [d | {"pages": n} for d, n in zip(docs, sizes, strict=True)]  # 页号 = running no.
        volume["note"] = f"本卷共 {len(docs)} 件，{volume['pages']} 页。"
        front = [("案卷封面", scheme.cover_bytes([volume], fontset=f)),
                 ("卷内文件目录", scheme.contents_bytes(volume, docs, fontset=f))]  # fmt: skip
        back = ("卷内备考表", scheme.note_bytes(volume, fontset=f))
    else:  # DA/T 22-2015
        front = [("盒封面", box_cover_bytes([label_box], meta, fontset=f)),
                 ("归档文件目录", catalog_bytes(pieces, meta, fontset=f))]  # fmt: skip
        back = ("备考表", note_sheet_bytes([label_box], meta, fontset=f))
    parts = [(name, _append(writer, pdf)) for name, pdf in front]
    first_numbered = len(writer.pages)
    bookmarks: list[str] = []
    at = 0
    for k, (p, links, own) in enumerate(plan, len(pieces) + 1):
        start = len(writer.pages)
        for page in records[at : at + own]:
            writer.add_page(page)
        at += own
        n = own + sum(_append(writer, pdf) for pdf in _attached_pdfs(db, links))
        name = f"{p['archive_no']} {p['title']}"
        writer.add_outline_item(title=name, page_number=start)
        bookmarks.append(name)
        parts.append((p["archive_no"], n))
        if step(k, total) is False:
            raise cancelled
    last_numbered = len(writer.pages)
    parts.append((back[0], _append(writer, back[1])))
    pages = writer.pages[first_numbered:last_numbered]
    sizes = [(float(pg.mediabox.width), float(pg.mediabox.height)) for pg in pages]
    overlay = PdfReader(io.BytesIO(_page_numbers(sizes, 1, f.song)))
    for pg, ov in zip(pages, overlay.pages, strict=True):
        box = pg.mediabox
        pg.merge_transformed_page(ov, (1, 0, 0, 1, float(box.left), float(box.bottom)))
    writer.add_metadata({"/Title": f"{b['year']}年{b['retention']}第{b['box_no']}盒",
                         "/Author": meta["unit_name"], "/Creator": "政务公开台账"})  # fmt: skip
    writer.page_mode = "/UseOutlines"
    buf = io.BytesIO()
    writer.write(buf)
    if step(total, total) is False:
        raise cancelled
    return buf.getvalue(), parts, bookmarks


def build_volume(
    db: sqlite_utils.Database, box_id: int, out: str | os.PathLike, *,
    progress: Progress | None = None, fontset: FontSet | None = None,
) -> VolumeResult:  # fmt: skip
    """Write the archive volume of one box to *out* (all or nothing)."""
    data, parts, bookmarks = volume_bytes(db, box_id, progress=progress, fontset=fontset)
    path = official_doc.write_atomic(out, data)
    return VolumeResult(path, sum(n for _, n in parts), parts, bookmarks)
