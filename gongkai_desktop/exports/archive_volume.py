"""The archive volume PDF of one box (issue 7 §3, RULES.md §8–§9): one file, ready to bind.

Order: 盒封面, 归档文件目录 of the box (when archive_settings' scheme is 卷: the GB/T
9705-2008 案卷封面 and 卷内文件目录, 页号 = the running page numbers), every piece by 件号
as exports/archive_piece.py renders it — record, attachments, letters, step history, in
that order (issue 7 §2) — and the 备考表 (卷内备考表) at the end. The 归档章 and the 档号
are on each piece's first page, one bookmark per piece.

Running page numbers "— n —", 4号宋体, odd pages right, even pages left (RULES §9), are
stamped on the pieces' pages after merging, at the foot of the page. A letter keeps its
own "— n —" at the foot, so on its pages the running number goes to the same outer side
at the head instead (where archivists stamp 页号), never over the letter's own. Cover,
catalogue and 备考表 are front/back matter, not numbered (the catalogue keeps its own).

The catalogue's and the stamp's 页数 are the pages each piece really takes here, and
build_volume writes them back to the pieces (core/archive_volumes.set_pages).

All record and history pages of the box are drawn on one canvas, so the volume embeds
one font subset instead of one per piece (benchmarks/archive_volume.py, 500 pieces:
6.6 MiB, 7.7 s beside a 3.6 s bare reportlab + pypdf baseline on the shared build machine).

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
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from ..core import archive, archive_volumes
from ..core.errors import UserError
from . import archive_piece as piece_pdf
from . import archive_volume_scheme as scheme
from . import official_doc
from .archive_catalog import fonds_meta
from .archive_labels import box_cover_bytes, note_sheet_bytes
from .archive_pdf import catalog_bytes
from .archive_piece import record_doc  # noqa: F401 - kept for callers
from .pdf_fonts import FontSet, fonts

Progress = Callable[[int, int], bool]
PAGENO_SIZE = 14  # 4号 (RULES §9)
NO_LEFT, NO_RIGHT = 28 * mm, 26 * mm  # GB/T 9704 page margins: 28 mm left, 210-28-156 right
NO_BASELINE = 28 * mm - 0.3 * PAGENO_SIZE  # 7 mm under the type area (GB/T 9704 7.5)
NO_HEAD = 15 * mm  # a letter page's running number: baseline 15 mm below the top edge


class Cancelled(UserError):
    """The user cancelled the build; no file was written."""


@dataclass
class VolumeResult:
    path: Path
    pages: int
    parts: list[tuple[str, int]] = field(default_factory=list)  # (part name, pages), in order
    bookmarks: list[str] = field(default_factory=list)  # one per piece: 档号 题名
    piece_pages: dict[int, int] = field(default_factory=dict)  # piece id -> bound pages
    corrected: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (old, new) 页数


# ---- assembling -----------------------------------------------------------------------------


def _append(writer: PdfWriter, pdf: bytes) -> int:
    """Append every page of *pdf*, rotation baked into the content; pages added."""
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        if int(page.get("/Rotate", 0) or 0) % 360:
            page.transfer_rotation_to_content()
        writer.add_page(page)
    return len(reader.pages)


def _page_numbers(sizes: list[tuple[float, float]], first: int, font: str,
                  head: set[int] = frozenset()) -> bytes:  # fmt: skip
    """One overlay page per numbered page: — n —, odd right, even left (RULES §9); the
    pages whose index is in *head* (letters with their own foot numbers) get it at the head."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=1, initialFontName=font)
    for k, (w, h) in enumerate(sizes):
        n = first + k
        text = f"— {n} —"
        c.setPageSize((w, h))
        c.setFont(font, PAGENO_SIZE)
        tw = stringWidth(text, font, PAGENO_SIZE)
        x = w - NO_RIGHT - PAGENO_SIZE - tw if n % 2 else NO_LEFT + PAGENO_SIZE
        c.drawString(x, h - NO_HEAD if k in head else NO_BASELINE, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_pieces(plans: list[piece_pdf.PiecePlan], meta: dict, f: FontSet, step, total: int,
                 cancelled: Cancelled) -> list:  # fmt: skip
    """Pass 1: every record and history page of the box on one canvas (one font subset)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=f.fangsong)
    for k, pl in enumerate(plans, 1):
        p = pl.piece
        fields = {"fonds_no": meta["fonds_no"], "year": p["year"], "retention": p["retention"],
                  "piece_no": p["piece_no"], "pages": pl.pages, "org_code": p["org_code"]}  # fmt: skip
        piece_pdf.draw_pages(c, pl.record, pl.record_pitch, archive_no=p["archive_no"],
                             stamp=fields, f=f)  # fmt: skip
        piece_pdf.draw_pages(c, pl.history, pl.history_pitch)
        if step(k, total) is False:
            raise cancelled
    c.save()
    return list(PdfReader(io.BytesIO(buf.getvalue())).pages)


def _front_back(db, box_id: int, b: dict, pieces: list[dict], meta: dict, f: FontSet):
    """(front parts, back part) of the volume, pieces' 页数 already the bound ones."""
    if archive.archive_settings(db)["scheme"] == "卷":  # GB/T 9705-2008: the box is one 案卷
        volume, docs = archive_volumes.volume_dict(db, box_id)
        volume["pages"] = sum(p["pages"] for p in pieces)
        docs = [d | {"pages": p["pages"]} for d, p in zip(docs, pieces, strict=True)]
        volume["note"] = f"本卷共 {len(docs)} 件，{volume['pages']} 页。"
        front = [("案卷封面", scheme.cover_bytes([volume], fontset=f)),
                 ("卷内文件目录", scheme.contents_bytes(volume, docs, fontset=f))]  # fmt: skip
        return front, ("卷内备考表", scheme.note_bytes(volume, fontset=f))
    label_box = b | {"first_piece_no": b["first_piece"], "last_piece_no": b["last_piece"]}
    front = [("盒封面", box_cover_bytes([label_box], meta, fontset=f)),
             ("归档文件目录", catalog_bytes(pieces, meta, fontset=f))]  # fmt: skip
    return front, ("备考表", note_sheet_bytes([label_box], meta, fontset=f))


def volume_bytes(
    db: sqlite_utils.Database, box_id: int, *, progress: Progress | None = None,
    fontset: FontSet | None = None,
) -> tuple[bytes, list[tuple[str, int]], list[str]]:  # fmt: skip
    """The volume as PDF bytes, its parts (name, pages) and its bookmark titles."""
    data, parts, bookmarks, _counts = _build(db, box_id, progress, fontset)
    return data, parts, bookmarks


def _build(db, box_id: int, progress: Progress | None, fontset: FontSet | None):
    b = archive.box(db, box_id)
    pieces = sorted(archive.pieces(db, box_id=box_id), key=lambda p: p["piece_no"])
    if not pieces:
        raise UserError(f"第 {b['box_no']} 号盒中没有文件。请先把归档件装入该盒再生成案卷。")
    f = fontset or fonts()
    meta = fonds_meta(db)
    total = 2 * len(pieces) + 1
    step = progress or (lambda _d, _t: True)
    cancelled = Cancelled("已取消生成案卷，未写入文件。")
    plans = [piece_pdf.plan(db, p, f) for p in pieces]
    pieces = [p | {"pages": pl.pages} for p, pl in zip(pieces, plans, strict=True)]
    drawn = _draw_pieces(plans, meta, f, step, total, cancelled)
    # pass 2: cover, catalogue, each piece (record, attachments, letters, history), 备考表
    writer = PdfWriter()
    front, back = _front_back(db, box_id, b, pieces, meta, f)
    parts = [(name, _append(writer, pdf)) for name, pdf in front]
    first_numbered = len(writer.pages)
    bookmarks: list[str] = []
    head: set[int] = set()  # letter pages, numbered at the head
    at = 0
    for k, pl in enumerate(plans, len(pieces) + 1):
        p, start = pl.piece, len(writer.pages)
        for page in drawn[at : at + len(pl.record)]:
            writer.add_page(page)
        at += len(pl.record)
        for pdf in piece_pdf.attached_pdfs(db, pl.links):
            _append(writer, pdf)
        for pdf in pl.letters:
            from_ = len(writer.pages)
            head |= set(
                range(from_ - first_numbered, from_ - first_numbered + _append(writer, pdf))
            )
        for page in drawn[at : at + len(pl.history)]:
            writer.add_page(page)
        at += len(pl.history)
        name = f"{p['archive_no']} {p['title']}"
        writer.add_outline_item(title=name, page_number=start)
        bookmarks.append(name)
        parts.append((p["archive_no"], len(writer.pages) - start))
        if step(k, total) is False:
            raise cancelled
    last_numbered = len(writer.pages)
    parts.append((back[0], _append(writer, back[1])))
    pages = writer.pages[first_numbered:last_numbered]
    sizes = [(float(pg.mediabox.width), float(pg.mediabox.height)) for pg in pages]
    overlay = PdfReader(io.BytesIO(_page_numbers(sizes, 1, f.song, head)))
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
    counts = {p["id"]: n for p, (_, n) in zip(pieces, parts[len(front) : -1], strict=True)}
    return buf.getvalue(), parts, bookmarks, counts


def build_volume(
    db: sqlite_utils.Database, box_id: int, out: str | os.PathLike, *,
    progress: Progress | None = None, fontset: FontSet | None = None,
) -> VolumeResult:  # fmt: skip
    """Write the archive volume of one box to *out* (all or nothing), then record each
    piece's bound pages as its 页数 (so the catalogue matches the volume)."""
    data, parts, bookmarks, counts = _build(db, box_id, progress, fontset)
    path = official_doc.write_atomic(out, data)
    corrected = archive_volumes.set_pages(db, counts)
    return VolumeResult(path, sum(n for _, n in parts), parts, bookmarks, counts, corrected)


def sync_pages(
    db: sqlite_utils.Database, year: int, *, fontset: FontSet | None = None
) -> dict[int, tuple[int, int]]:
    """Recompute every piece's 页数 of *year* from its rendering (before printing the
    归档文件目录); {piece id: (old, new)} of those corrected."""
    f = fontset or fonts()
    return archive_volumes.set_pages(db, piece_pdf.piece_pages(db, archive.pieces(db, year), f))
