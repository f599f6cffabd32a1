"""迎检材料汇编 (evidence binder) PDF (issue 6 §3).

Cover, contents, the scored table (exports/assessment_pdf.py), then item by item a
section page listing the item's evidence — app records as short summaries — followed
by the evidence itself: attached PDFs merged in with pypdf, images placed one to a
page. The outline has one bookmark per item (under its group); pages are numbered
“— n —” through the whole binder by stamping each page after merging. Built with a
progress(done, total) callback that cancels by returning False; written atomically.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from . import official_doc
from .assessment_pdf import _esc, _styles, render_bytes
from .assessment_xlsx import Row, ScoredTable, num
from .pdf_fonts import FontSet, fonts
from .xlsx_ledger import ExportCancelled

Progress = Callable[[int, int], bool]
TITLE = "迎检材料汇编"


@dataclass
class Evidence:
    """One piece of evidence: kind "record" (summary lines) or "file" (PDF or image bytes)."""

    item_no: int
    kind: str
    title: str
    summary: list[str] = field(default_factory=list)
    file_name: str = ""
    mime: str = ""
    data: bytes = b""


@dataclass
class Part:
    label: str
    pages: int


@dataclass
class BinderResult:
    path: Path
    pages: int
    parts: list[Part]  # in order; their pages add up to *pages*
    bookmarks: int


def _story_pdf(story: list, title: str = "") -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=25 * mm, bottomMargin=25 * mm, title=title)  # fmt: skip
    doc.build(story)
    return buf.getvalue()


def _cover(t: ScoredTable, f: FontSet, today: str) -> bytes:
    st = _styles(f)
    big = st["title"].clone("big", fontSize=30, leading=44)
    sub = st["sub"].clone("sub2", fontSize=16, leading=28)
    return _story_pdf([
        Spacer(1, 60 * mm),
        Paragraph(_esc(t.unit_name), sub),
        Paragraph(f"{t.year}年度政务公开", sub),
        Spacer(1, 10 * mm),
        Paragraph(TITLE, big),
        Spacer(1, 10 * mm),
        Paragraph(f"（{_esc(t.title)}自评及佐证材料）", sub),
        Spacer(1, 50 * mm),
        Paragraph(f"自评得分：{num(t.total)} 分", sub),
        Paragraph(_esc(today), sub),
    ], TITLE)  # fmt: skip


def _contents(t: ScoredTable, f: FontSet, starts: dict[int, int], table_page: int) -> bytes:
    st = _styles(f)
    line = st["body"].clone("toc", fontSize=10.5, leading=15)
    head = st["bold"].clone("toch", fontSize=11, leading=18, alignment=0)
    story = [Paragraph("目　录", st["title"]), Spacer(1, 6 * mm)]
    story.append(Paragraph(f"自评打分表 …… {table_page}", line))
    for g in t.groups:
        story.append(Paragraph(_esc(g.name), head))
        for r in g.rows:
            text = r.text if len(r.text) <= 30 else r.text[:30] + "…"
            story.append(Paragraph(f"{r.no}、{_esc(text)} …… {starts.get(r.no, '')}", line))
    return _story_pdf(story, "目录")


def _section(r: Row, items: list[Evidence], f: FontSet) -> bytes:
    st = _styles(f)
    body = st["body"].clone("sec", fontSize=10.5, leading=16)
    story = [
        Paragraph(f"第{r.no}项", st["title"]),
        Paragraph(_esc(r.text), body),
        Spacer(1, 3 * mm),
        Paragraph(f"分值：{num(r.max)} 分　　自评得分：{num(r.score) or '未评分'}", body),
    ]
    if r.note.strip():
        story.append(Paragraph("说明：" + _esc(r.note), body))
    story.append(Spacer(1, 4 * mm))
    if not items:
        story.append(Paragraph("本项未附佐证材料。", body))
    else:
        story.append(
            Paragraph(f"佐证材料（{len(items)} 份）：", st["bold"].clone("l", alignment=0))
        )
    for k, e in enumerate(items, 1):
        kind = "附件" if e.kind == "file" else "台账记录"
        story.append(Paragraph(f"{k}. {_esc(e.title or e.file_name)}（{kind}）", body))
        for s in e.summary:
            story.append(Paragraph("　　" + _esc(s), body))
    return _story_pdf(story, f"第{r.no}项")


def _image_pdf(e: Evidence, f: FontSet) -> bytes:
    img = ImageReader(io.BytesIO(e.data))
    w, h = img.getSize()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    box_w, box_h = A4[0] - 40 * mm, A4[1] - 60 * mm
    scale = min(box_w / w, box_h / h, 72 / 96 * 4)  # never blow small images up beyond 4x
    dw, dh = w * scale, h * scale
    c.setFont(f.song, 10)
    c.drawCentredString(A4[0] / 2, A4[1] - 20 * mm, e.title or e.file_name)
    c.drawImage(img, (A4[0] - dw) / 2, A4[1] - 28 * mm - dh, dw, dh)
    c.showPage()
    c.save()
    return buf.getvalue()


def _unreadable(e: Evidence, f: FontSet, why: str) -> bytes:
    st = _styles(f)
    return _story_pdf([Paragraph(f"附件“{_esc(e.file_name or e.title)}”无法放入汇编：{_esc(why)}。"
                                 "请在程序中打开该附件核对。", st["body"])])  # fmt: skip


def _file_pdf(e: Evidence, f: FontSet) -> bytes:
    is_pdf = e.mime == "application/pdf" or e.data[:5] == b"%PDF-"
    try:
        if is_pdf:
            PdfReader(io.BytesIO(e.data)).pages[0]  # readable, not encrypted
            return e.data
        return _image_pdf(e, f)
    except Exception as exc:  # a damaged attachment must not stop the binder
        return _unreadable(e, f, "文件已损坏或加密" if is_pdf else f"不是可识别的图片（{exc}）")


def _stamp(writer: PdfWriter, f: FontSet) -> None:
    """Page numbers “— n —” on every page, drawn on an overlay of the page's own size."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n, page in enumerate(writer.pages, 1):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        c.setPageSize((w, h))
        c.setFont(f.song, 10)
        c.drawCentredString(w / 2, 10 * mm, f"— {n} —")
        c.showPage()
    c.save()
    overlay = PdfReader(io.BytesIO(buf.getvalue()))
    for page, over in zip(writer.pages, overlay.pages, strict=True):
        page.merge_transformed_page(over, (1, 0, 0, 1, float(page.mediabox.left),
                                           float(page.mediabox.bottom)))  # fmt: skip


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


# columns shown in a record's summary (no personal data: names, ID numbers, phones)
LABELS = {
    "index_no": "索引号", "app_no": "申请编号", "no": "编号", "title": "名称", "doc_no": "文号",
    "kind": "类别", "source": "来源", "body": "机构", "issuer": "发布/授予单位",
    "subject": "议题", "problem": "问题", "measure": "整改措施", "formed_date": "形成日期",
    "on_date": "日期", "received_date": "收到日期", "published_date": "公开日期",
    "answer_due": "答复期限", "reply_due": "答复期限", "due_date": "期限",
    "answer_date": "答复日期", "reply_date": "答复日期", "done_date": "完成日期",
    "stage": "环节", "result": "处理结果", "decisions": "决定事项", "document": "文件",
    "year": "年度",
}  # fmt: skip
SUMMARY_CHARS = 80


def record_summary(db, table: str, record_id) -> list[str]:
    """A few "label：value" lines describing a linked record (“记录已删除” when gone)."""
    from ..core.assessment import RECORD_TABLES

    key = RECORD_TABLES.get(table)
    cur = db.execute(f"SELECT * FROM {table} WHERE {key} = ?", [record_id]) if key else None
    row = cur.fetchone() if cur else None
    if row is None:
        return ["（该记录已被删除）"]
    values = dict(zip([d[0] for d in cur.description], row, strict=True))
    out = []
    for col, label in LABELS.items():
        v = values.get(col)
        if v in (None, "") or isinstance(v, bytes):
            continue
        text = str(v).replace("\n", " ")
        out.append(f"{label}：{text[:SUMMARY_CHARS]}{'…' if len(text) > SUMMARY_CHARS else ''}")
    return out[:8]


def binder_input(db, year: int, template: str = "fujian") -> tuple[ScoredTable, list[Evidence]]:
    """The scored table and every piece of evidence of the year's assessment."""
    from ..core import assessment
    from .assessment_xlsx import scored_table

    t = scored_table(db, year, template)
    aid = assessment.find(db, year, template)
    out = []
    for e in assessment.evidence(db, aid) if aid else []:
        if e["kind"] == "file":
            out.append(Evidence(e["item_no"], "file", e["title"], file_name=e["file_name"],
                                mime=e["mime"], data=assessment.evidence_data(db, e["id"])))  # fmt: skip
        else:
            out.append(Evidence(e["item_no"], "record", e["title"],
                                record_summary(db, e["record_table"], e["record_id"])))  # fmt: skip
    return t, out


def build_binder(
    t: ScoredTable,
    evidence: list[Evidence],
    out_path: str | os.PathLike,
    *,
    progress: Progress | None = None,
    fontset: FontSet | None = None,
    today: str = "",
) -> BinderResult:
    """Build the binder and write it to *out_path*. progress(done, total) returning False
    cancels: ExportCancelled, and no file is left behind."""
    f = fontset or fonts()
    rows = t.rows
    total = len(rows) + 3
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress and progress(done, total) is False:
            raise ExportCancelled()

    by_item: dict[int, list[Evidence]] = {}
    for e in evidence:
        by_item.setdefault(e.item_no, []).append(e)
    cover = _cover(t, f, today)
    table = render_bytes(t, fontset=f, numbered=False)
    step()
    sections: list[tuple[Row, list[tuple[str, bytes]]]] = []
    for r in rows:
        items = by_item.get(r.no, [])
        parts = [(f"第{r.no}项佐证清单", _section(r, items, f))]
        parts += [(e.title or e.file_name, _file_pdf(e, f)) for e in items if e.kind == "file"]
        sections.append((r, parts))
        step()
    # the contents page count does not depend on the numbers in it: lay it out twice
    n_contents = _pages(_contents(t, f, {}, 0))
    page = 1 + _pages(cover) + n_contents
    table_page, page = page, page + _pages(table)
    starts: dict[int, int] = {}
    for r, parts in sections:
        starts[r.no] = page
        page += sum(_pages(d) for _l, d in parts)
    contents = _contents(t, f, starts, table_page)
    step()
    writer = PdfWriter()
    out_parts: list[Part] = []

    def add(label: str, data: bytes) -> int:
        first = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        out_parts.append(Part(label, len(writer.pages) - first))
        return first

    add("封面", cover)
    add("目录", contents)
    writer.add_outline_item(title="自评打分表", page_number=add("自评打分表", table))
    marks = 0
    parents: dict[str, object] = {}
    queue = iter(sections)  # in the order of t.rows
    for g in t.groups:
        for _g_row in g.rows:
            r, parts = next(queue)
            first = None
            for label, data in parts:
                at = add(label, data)
                first = at if first is None else first
            if g.name not in parents:
                parents[g.name] = writer.add_outline_item(title=g.name, page_number=first)
            short = r.text if len(r.text) <= 24 else r.text[:24] + "…"
            writer.add_outline_item(
                title=f"{r.no}、{short}", page_number=first, parent=parents[g.name]
            )
            marks += 1
    _stamp(writer, f)
    writer.add_metadata({"/Title": f"{t.year}年度{TITLE}", "/Author": t.unit_name})
    buf = io.BytesIO()
    writer.write(buf)
    step()
    path = official_doc.write_atomic(out_path, buf.getvalue())
    return BinderResult(path, len(writer.pages), out_parts, marks)


def write_binder(
    db,
    year: int,
    out_path: str | os.PathLike,
    *,
    template: str = "fujian",
    progress: Progress | None = None,
    fontset: FontSet | None = None,
) -> BinderResult:
    """The year's binder from the database (see build_binder)."""
    from datetime import date

    from .official_doc import chinese_date

    t, ev = binder_input(db, year, template)
    return build_binder(t, ev, out_path, progress=progress, fontset=fontset,
                        today=chinese_date(date.today()))  # fmt: skip
