"""One 归档件 (piece) as it is bound in the archive volume (issue 7 §2–§3, RULES.md §8).

A piece is one record together with its attachments, letters and step history, rendered
in that order (issue 7 §2):

1. the record's own rendering: a short GB/T 9704-style document of its fields and the
   list of what follows; its first page carries the 档号 and the 归档章;
2. its attachments (the record's, its steps' and its letters'): PDFs merged, images on A4 pages,
   Office files listed only (they cannot be merged; print them separately);
3. its letters (告知书 etc. of an application, exports/letters.py's stored PDFs), which
   keep their own page numbers;
4. its step history (办理过程记录).

plan() lays the piece out without drawing, so the pages it takes (piece_pages) are the
same numbers the volume binds: the catalogue's 页数 is computed from this rendering.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import sqlite_utils
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from ..core import application_letters, attachments
from . import official_doc
from .archive_pdf import draw_stamp_grid
from .letters import LETTER_KINDS
from .official_doc import OfficialDoc, Paragraph, layout
from .pdf_fonts import FontSet

IMAGE_MARGIN = 20 * mm

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
# The step history of each kind: rows (date, step, who, opinion), one line each.
HISTORY = {
    "items": "SELECT on_date, step || '（' || action || '）', who, opinion"
             " FROM item_steps WHERE item_id = ? ORDER BY on_date, id",
    "applications": "SELECT on_date, step, who, opinion FROM app_events"
                    " WHERE app_id = ? ORDER BY on_date, id",
    "complaints": "SELECT on_date, step, who, opinion FROM complaint_events"
                  " WHERE complaint_id = ? ORDER BY on_date, id",
}  # fmt: skip
# Child rows whose attachments belong to the piece too (core/attachments.RECORD_TABLES):
# an item's steps (签批单), an application's letters (送达回证, signed copies).
CHILD_TABLES = {
    "items": [("item_steps", "SELECT id FROM item_steps WHERE item_id = ? ORDER BY id")],
    "applications": [("app_letters", "SELECT id FROM app_letters WHERE app_id = ? ORDER BY id")],
}


@dataclass
class PiecePlan:
    """A piece laid out: its record and history lines (drawn later) and its other parts."""

    piece: dict
    links: list[dict]
    record: list = field(default_factory=list)  # official_doc pages of lines
    record_pitch: float = 0.0
    history: list = field(default_factory=list)
    history_pitch: float = 0.0
    letters: list[bytes] = field(default_factory=list)
    letter_pages: list[int] = field(default_factory=list)

    @property
    def attached(self) -> int:
        return sum(attached_pages(a) for a in self.links)

    @property
    def pages(self) -> int:
        """Every page the piece takes in the volume (its 页数)."""
        n = len(self.record) + self.attached + sum(self.letter_pages) + len(self.history)
        return n


def _record(db, table: str, record_id: int) -> dict:
    cur = db.execute(f"SELECT * FROM {table} WHERE id = ?", [int(record_id)])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else {}


def links(db: sqlite_utils.Database, piece: dict) -> list[dict]:
    """The record's attachments, then those of its steps or letters."""
    table, rid = piece["record_table"], int(piece["record_id"])
    out = attachments.links(db, table, rid)
    for child, sql in CHILD_TABLES.get(table, []):
        for (cid,) in db.execute(sql, [rid]).fetchall():
            out += attachments.links(db, child, cid)
    return out


def letters(db: sqlite_utils.Database, piece: dict) -> list[tuple[str, bytes]]:
    """(name, PDF) of an application's letters, in the order they were issued."""
    if piece["record_table"] != "applications":
        return []
    out = []
    for lt in application_letters.letters(db, int(piece["record_id"])):
        name = LETTER_KINDS.get(lt["kind"], lt["kind"])
        out.append((name, application_letters.letter_pdf(db, lt["id"])))
    return out


def attached_pages(a: dict) -> int:
    if a["mime"] == "application/pdf":  # an unreadable one is only noted on the record page
        return 0 if a.get("unreadable") else int(a["pages"] or 0)
    return 1 if a["mime"].startswith("image/") else 0  # Office files are not merged


def record_doc(
    db: sqlite_utils.Database, piece: dict, links: list[dict], letter_names: list[str]
) -> OfficialDoc:
    """The piece's record as a short document: its fields, then what is bound after it."""
    row = _record(db, piece["record_table"], piece["record_id"])
    body: list = []
    for label, col in FIELDS.get(piece["record_table"], []):
        if row.get(col) not in (None, ""):
            body.append(Paragraph(f"{label}：{row[col]}", indent=False))
    headings = iter("一二三")
    if links:
        body.append(Paragraph(f"{next(headings)}、附件", indent=False))
        for n, a in enumerate(links, 1):
            if a["mime"] == "application/pdf" and a.get("unreadable"):
                body.append(Paragraph(f"{n}. {attachments.unreadable_note(a)}"))
                continue
            if a["mime"] == "application/pdf":
                note = f"（{a['pages']}页，附后）"
            elif a["mime"].startswith("image/"):
                note = "（图片，附后）"
            else:
                note = "（Office 文件，未并入本卷，请另行打印附后）"
            body.append(Paragraph(f"{n}. {a['file_name']}{note}"))
    if letter_names:
        body.append(Paragraph(f"{next(headings)}、文书（附后）", indent=False))
        body += [Paragraph(f"{n}. {name}") for n, name in enumerate(letter_names, 1)]
    if not body:
        body.append(Paragraph("（无记录内容）"))
    title = str(piece.get("title") or "").strip("[]")
    return OfficialDoc(title=[title], body=body, signature=piece.get("responsible") or "",
                       date=piece.get("doc_date") or None, subject=piece["archive_no"])  # fmt: skip


def history_doc(db: sqlite_utils.Database, piece: dict) -> OfficialDoc | None:
    """The 办理过程记录 (step history), or None when the record has none."""
    sql = HISTORY.get(piece["record_table"])
    rows = db.execute(sql, [int(piece["record_id"])]).fetchall() if sql else []
    if not rows:
        return None
    body = []
    for n, r in enumerate(rows, 1):
        extra = "，".join(str(x) for x in r[2:] if x)
        body.append(Paragraph(f"{n}. {r[0]}　{r[1]}" + (f"，{extra}" if extra else "")))
    return OfficialDoc(title=["办理过程记录"], body=body, subject=piece["archive_no"])


def plan(db: sqlite_utils.Database, piece: dict, f: FontSet) -> PiecePlan:
    """Lay the piece out (nothing drawn yet)."""
    found = links(db, piece)
    named = letters(db, piece)
    p = PiecePlan(piece, found)
    p.record, p.record_pitch = layout(record_doc(db, piece, found, [n for n, _ in named]), f)
    hist = history_doc(db, piece)
    if hist is not None:
        p.history, p.history_pitch = layout(hist, f)
    p.letters = [pdf for _, pdf in named]
    p.letter_pages = [len(PdfReader(io.BytesIO(pdf)).pages) for pdf in p.letters]
    return p


def piece_pages(db: sqlite_utils.Database, pieces: list[dict], f: FontSet) -> dict[int, int]:
    """{piece id: pages it takes in the volume}, from the same layout the volume draws."""
    return {p["id"]: plan(db, p, f).pages for p in pieces}


# ---- drawing ---------------------------------------------------------------------------------


def draw_stamp(c: canvas.Canvas, fields: dict, f: FontSet) -> None:
    """The 归档章 as archive_pdf.stamp draws it (same grid and place), on the open page."""
    draw_stamp_grid(c, A4[0], A4[1], fields, f)


def draw_pages(c: canvas.Canvas, lines: list, pitch: float, *, archive_no: str = "",
               stamp: dict | None = None, f: FontSet | None = None) -> None:  # fmt: skip
    """Laid-out pages without page numbers; 档号 and 归档章 on the first when given."""
    for n, page in enumerate(lines):
        if n == 0 and stamp is not None and f is not None:
            c.setFont(f.song, 10)
            c.drawString(official_doc.LEFT, A4[1] - 12 * mm, f"档号：{archive_no}")
            draw_stamp(c, stamp, f)
        for row, line in enumerate(page):
            official_doc._draw_line(c, line, A4[1] - official_doc.TOP - row * pitch, pitch)
        c.showPage()


def image_pdf(data: bytes) -> bytes:
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


def attached_pdfs(db: sqlite_utils.Database, found: list[dict]) -> list[bytes]:
    """The PDFs to merge after the record page: readable PDFs as they are, images on A4.
    A PDF flagged unreadable is skipped (its note is on the record page); one damaged
    since it was added is left out too, and the volume's count follows what was merged."""
    out = []
    for a in found:
        if a["mime"] == "application/pdf":
            if not a.get("unreadable"):
                blob = attachments.readable_pdf(db, a["id"])
                out += [blob] if blob is not None else []
        elif a["mime"].startswith("image/"):
            out.append(image_pdf(attachments.data(db, a["id"])))
    return out
