"""One-page-style official documents (公文) on A4 after GB/T 9704-2012, drawn with reportlab.

The grid (RULES.md §9, GB/T 9704 5.2.1/7.1): type area 156×225 mm with the top margin
37 mm and the left margin 28 mm; body text 3号 (16 pt) 仿宋, 22 lines of 28 characters.
28 × 16 pt = 448 pt does not fit 156 mm = 442.2 pt, so as in Word's 文档网格 the
character pitch is 156 mm / 28 = 15.795 pt (5.571 mm): each full-width glyph is drawn at
16 pt with a character spacing of −0.205 pt. The line pitch is 225 mm / 22 = 28.996 pt
(10.227 mm); every line, the 2号 title included, sits on that grid.

Text is drawn as real text (one BT…ET per line, runs joined by Tc), so pypdf and screen
readers can extract it. Line breaking is by character with simple 避头尾: closing
punctuation never starts a line and opening punctuation never ends one (the character
before is pushed down, and the short line is justified); runs of Latin letters and
digits are kept whole when they fit on a line.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from unicodedata import east_asian_width

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen import canvas

from ..core import atomic_file
from .pdf_fonts import FontSet, fonts

MM = 72 / 25.4
PAGE_W, PAGE_H = A4
LEFT, TOP = 28 * MM, 37 * MM  # GB/T 9704 5.2.1
TYPE_W, TYPE_H = 156 * MM, 225 * MM
RIGHT = LEFT + TYPE_W
BODY_SIZE, TITLE_SIZE, PAGENO_SIZE = 16, 22, 14  # 3号, 2号, 4号
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
PITCH = TYPE_W / CHARS_PER_LINE  # 15.795 pt per character
LINE = TYPE_H / LINES_PER_PAGE  # 28.996 pt per line
MAX_EXTRA_LINES = 2  # at most 24 lines (26.58 pt) when that saves a page
PAGENO_DROP = 7 * MM  # 一字线上距版心下边缘 7 mm (GB/T 9704 7.5)

NO_START = set("，。、；：！？）》」』〕】〗’”…—％%,.;:!?)]}·")  # 避头
NO_END = set("（《「『〔【〖‘“([{")  # 避尾
CLOSING = set("，。、；：）》」』〕】〗’”")  # full-width marks whose ink is on the left
WORD = re.compile(r"[0-9A-Za-z._:/@#%&+=?\-~]")
HEADING_1 = re.compile(r"^[一二三四五六七八九十百]+、")  # 黑体 (GB/T 9704 7.3.3)
HEADING_2 = re.compile(r"^（[一二三四五六七八九十百]+）")  # 楷体


@dataclass
class Paragraph:
    text: str
    indent: bool = True  # 首行缩进二字


@dataclass
class OfficialDoc:
    """What a letter says; official_doc decides where it goes on the page."""

    title: list[str]  # 标题, one string per intended line (long lines wrap)
    body: list[str | Paragraph] = field(default_factory=list)
    doc_no: str = ""  # 发文字号, e.g. 厦人社依申〔2026〕12号; empty: no line
    addressee: str = ""  # 主送, e.g. 张三：
    signature: str = ""  # 发文机关署名
    date: date | str | None = None  # 成文日期
    note: str = ""  # 附注, e.g. （联系电话：…）, printed under the date
    subject: str = ""  # PDF metadata only


def chinese_date(d: date) -> str:
    """2026年3月5日: Arabic numerals, no leading zeros (GB/T 9704 7.3.5.1)."""
    return f"{d.year}年{d.month}月{d.day}日"


# ---- glyph layout ---------------------------------------------------------------------


@dataclass
class _Glyph:
    ch: str
    font: str
    size: float
    natural: float
    pre: float = 0.0  # space before the glyph
    post: float = 0.0  # space after it

    @property
    def advance(self) -> float:
        return self.natural + self.pre + self.post


def _is_wide(ch: str) -> bool:
    return east_asian_width(ch) in "WFA" and not ch.isascii()


def _glyphs(runs: list[tuple[str, str]], size: float, grid: bool) -> list[_Glyph]:
    """Glyphs of (text, font) runs. On the grid a full-width character takes one pitch."""
    pitch = PITCH * size / BODY_SIZE
    out = []
    for text, font in runs:
        for ch in text:
            w = stringWidth(ch, font, size)
            g = _Glyph(ch, font, size, w)
            if _is_wide(ch):
                extra = (pitch if grid else size) - w
                if ch in NO_END and extra > 0:
                    g.pre = extra  # narrow opening quote: sits at the right of its cell
                else:
                    g.post = extra
            out.append(g)
    _squeeze(out, pitch)
    return out


def _squeeze(glyphs: list[_Glyph], pitch: float) -> None:
    """标点挤压: a closing mark followed by another mark takes half a cell (）， 。” ”。)."""
    for g, nxt in zip(glyphs, glyphs[1:], strict=False):
        if g.ch in CLOSING and (nxt.ch in CLOSING or nxt.ch in NO_END) and _is_wide(nxt.ch):
            g.post -= pitch / 2


def _break(glyphs: list[_Glyph], first_width: float, width: float) -> list[tuple[int, int]]:
    """[start, end) per line: greedy by character, then 避头尾 and whole words."""
    lines, start, n = [], 0, len(glyphs)
    while start < n:
        avail = first_width if not lines else width
        end, used = start, 0.0
        while end < n and used + glyphs[end].advance <= avail + 0.01:
            used += glyphs[end].advance
            end += 1
        end = max(end, start + 1)
        if end < n:
            end = _adjust(glyphs, start, end, width)
        lines.append((start, end))
        start = end
    return lines


def _adjust(glyphs: list[_Glyph], start: int, end: int, width: float) -> int:
    b = end
    for _ in range(CHARS_PER_LINE):
        moved = False
        while b > start + 1 and (glyphs[b].ch in NO_START or glyphs[b - 1].ch in NO_END):
            b, moved = b - 1, True
        if WORD.match(glyphs[b - 1].ch) and WORD.match(glyphs[b].ch):
            k, e = b, b
            while k > start and WORD.match(glyphs[k - 1].ch):
                k -= 1
            while e < len(glyphs) and WORD.match(glyphs[e].ch):
                e += 1
            # Move a number or short word whole; a URL longer than a line breaks inside.
            if k > start and sum(g.advance for g in glyphs[k:e]) <= width / 2:
                b, moved = k, True
            else:  # prefer to break a long one after a "/"
                j = next((j for j in range(b - 1, max(k, b - 12), -1) if glyphs[j].ch == "/"), 0)
                if j and j + 1 < b:
                    b, moved = j + 1, True
        if not moved:
            break
    return b if b > start else end


@dataclass
class _Line:
    runs: list[tuple[float, str, float, float, str]] = field(default_factory=list)
    # (x, font, size, char_space, text); x only for the first run
    size: float = BODY_SIZE
    keep_with_prev: bool = False
    blank: bool = False


def _place(glyphs: list[_Glyph], x: float, justify_to: float | None = None) -> _Line:
    """Turn glyphs into drawing runs starting at *x*; optionally justify to a width."""
    line = _Line(size=max((g.size for g in glyphs), default=BODY_SIZE))
    if not glyphs:
        line.blank = True
        return line
    extra = 0.0
    if justify_to is not None and len(glyphs) > 1:
        slack = justify_to - sum(g.advance for g in glyphs)
        if 0 < slack <= 2.5 * PITCH:  # a bigger gap is a moved word: leave it ragged
            extra = slack / (len(glyphs) - 1)
    x += glyphs[0].pre
    cur: list = []
    for i, g in enumerate(glyphs):
        nxt_pre = glyphs[i + 1].pre if i + 1 < len(glyphs) else 0.0
        tc = g.post + nxt_pre + (extra if i + 1 < len(glyphs) else 0.0)
        key = (g.font, g.size, round(tc, 3))
        if cur and (cur[1], cur[2], round(cur[3], 3)) == key:
            cur[4] += g.ch
        else:
            if cur:
                line.runs.append(tuple(cur))
            cur = [x if not line.runs else 0.0, g.font, g.size, tc, g.ch]
    line.runs.append(tuple(cur))
    return line


def _paragraph_lines(text: str, f: FontSet, indent: bool) -> list[_Line]:
    runs = [(text, f.fangsong)]
    for pattern, font in ((HEADING_1, f.hei), (HEADING_2, f.kai)):
        if pattern.match(text):
            cut = text.find("。") + 1 or len(text)  # heading up to its first full stop
            runs = [(text[:cut], font), (text[cut:], f.fangsong)]
            break
    glyphs = _glyphs([r for r in runs if r[0]], BODY_SIZE, grid=True)
    lead = 2 * PITCH if indent else 0.0
    spans = _break(glyphs, TYPE_W - lead, TYPE_W)
    out = []
    for i, (a, b) in enumerate(spans):
        x = LEFT + (lead if i == 0 else 0.0)
        last = i == len(spans) - 1
        out.append(_place(glyphs[a:b], x, None if last else RIGHT - x))
    return out or [_Line(blank=True)]


def _width(glyphs: list[_Glyph]) -> float:
    return sum(g.advance for g in glyphs) - (glyphs[-1].post if glyphs else 0.0)


def _title_lines(title: list[str], font: str) -> list[_Line]:
    out = []
    for text in title:
        text = text.strip()
        cut = text.find("关于") + 2
        if cut > 2 and stringWidth(text, font, TITLE_SIZE) > TYPE_W:
            if stringWidth(text[:cut], font, TITLE_SIZE) <= TYPE_W:  # 机关 + 关于 | 事由
                out += _title_lines([text[:cut], text[cut:]], font)
                continue
        glyphs = _glyphs([(text, font)], TITLE_SIZE, grid=False)
        if not glyphs:
            continue
        # Balanced wrap: the fewest lines, of near-equal width (标题回行排列对称, 7.3.1).
        n = len(_break(glyphs, TYPE_W, TYPE_W))
        width = sum(g.advance for g in glyphs) / n
        spans = _break(glyphs, width, width)
        while len(spans) > n and width < TYPE_W:
            width = min(TYPE_W, width + TITLE_SIZE / 2)
            spans = _break(glyphs, width, width)
        for a, b in spans:
            part = glyphs[a:b]
            out.append(_place(part, LEFT + (TYPE_W - _width(part)) / 2))
    return out


def _signature_lines(doc: OfficialDoc, f: FontSet) -> list[_Line]:
    """署名 and 成文日期: date 右空四字, name centred over it (GB/T 9704 7.3.5.1)."""
    lines = [_Line(blank=True, keep_with_prev=True), _Line(blank=True, keep_with_prev=True)]
    d = doc.date
    date_text = chinese_date(d) if isinstance(d, date) else (d or "")
    date_g = _glyphs([(date_text, f.fangsong)], BODY_SIZE, grid=True)
    name_g = _glyphs([(doc.signature, f.fangsong)], BODY_SIZE, grid=True)
    date_right = RIGHT - 4 * PITCH
    centre = date_right - _width(date_g) / 2
    name_right = centre + _width(name_g) / 2
    if name_right > RIGHT - PITCH:  # a long name: 右空二字, the date centred under it
        name_right = RIGHT - 2 * PITCH
        centre = name_right - _width(name_g) / 2
        date_right = centre + _width(date_g) / 2
    for g, right in ((name_g, name_right), (date_g, date_right)):
        if g:
            line = _place(g, max(LEFT, right - _width(g)))
            line.keep_with_prev = True
            lines.append(line)
    if doc.note:  # 附注: 居左空二字, 成文日期下一行 (GB/T 9704 7.3.7)
        for line in _paragraph_lines(doc.note, f, indent=True):
            line.keep_with_prev = True
            lines.append(line)
    return lines


def layout(doc: OfficialDoc, f: FontSet) -> tuple[list[list[_Line]], float]:
    """Lines per page, and the line pitch.

    22 lines a page; when one or two more lines a page save a page (typically the
    signature and date alone on the last one), the line pitch is tightened instead, as
    GB/T 9704 7.3.5.4 allows (调整行距、字距).
    """
    lines = _title_lines(doc.title, f.title)
    if doc.doc_no:
        g = _glyphs([(doc.doc_no, f.fangsong)], BODY_SIZE, grid=True)
        lines.append(_place(g, RIGHT - _width(g)))
    lines.append(_Line(blank=True))  # 标题下空一行 (GB/T 9704 7.3.2)
    if doc.addressee:
        lines += _paragraph_lines(doc.addressee, f, indent=False)
    heading_above = False
    for p in doc.body:
        para = p if isinstance(p, Paragraph) else Paragraph(p)
        text = para.text.strip()
        if text:
            new = _paragraph_lines(text, f, para.indent)
            new[0].keep_with_prev = heading_above  # a heading never ends a page
            lines += new
            heading_above = bool(HEADING_1.match(text) or HEADING_2.match(text)) and (
                "。" not in text
            )
    if doc.signature or doc.date:
        lines += _signature_lines(doc, f)  # keeps with the last body line
    pages = _paginate(lines, LINES_PER_PAGE)
    for per_page in range(LINES_PER_PAGE + 1, LINES_PER_PAGE + 1 + MAX_EXTRA_LINES):
        tighter = _paginate(lines, per_page)
        if len(tighter) < len(pages):
            return tighter, TYPE_H / per_page
    return pages, LINE


def _paginate(lines: list[_Line], per_page: int) -> list[list[_Line]]:
    pages: list[list[_Line]] = []
    i = 0
    while i < len(lines):
        while pages and i < len(lines) and lines[i].blank and not lines[i].keep_with_prev:
            i += 1  # no blank line at the top of a continuation page
        end = min(i + per_page, len(lines))
        if end < len(lines):
            b = end
            while b > i + 1 and lines[b].keep_with_prev:
                b -= 1
            end = b if b > i + 1 else end
        if i < len(lines):
            pages.append(lines[i:end])
        i = end
    return pages or [[]]


# ---- drawing --------------------------------------------------------------------------


def _ascent_ratio(font: str) -> float:
    face = getFont(font).face
    asc, desc = float(face.ascent), float(face.descent)
    return asc / (asc - desc) if asc - desc else 0.88


def _draw_line(c: canvas.Canvas, line: _Line, cell_top: float, pitch: float) -> None:
    if line.blank or not line.runs:
        return
    first_font = line.runs[0][1]
    baseline = cell_top - (pitch - line.size) / 2 - line.size * _ascent_ratio(first_font)
    t = c.beginText(line.runs[0][0], baseline)
    for _x, font, size, tc, text in line.runs:
        t.setFont(font, size)
        t.setCharSpace(tc)
        t.textOut(text)
    c.drawText(t)


def _draw_page_number(c: canvas.Canvas, n: int, font: str) -> None:
    """— 1 —, 4号宋体; odd pages 右空一字, even pages 左空一字 (GB/T 9704 7.5)."""
    text = f"— {n} —"
    w = stringWidth(text, font, PAGENO_SIZE)
    dash_y = PAGE_H - TOP - TYPE_H - PAGENO_DROP
    baseline = dash_y - 0.3 * PAGENO_SIZE  # the dash sits about 0.3 em above the baseline
    x = RIGHT - PAGENO_SIZE - w if n % 2 else LEFT + PAGENO_SIZE
    c.setFont(font, PAGENO_SIZE)
    c.drawString(x, baseline, text)


def render_to_bytes(doc: OfficialDoc, fontset: FontSet | None = None) -> bytes:
    """The PDF of *doc* as bytes (for the database or for write_atomic)."""
    f = fontset or fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(
        buf, pagesize=A4, pageCompression=1, initialFontName=f.fangsong, initialFontSize=16
    )  # no unembedded Helvetica in the file
    c.setTitle("".join(doc.title).strip() or doc.subject)
    c.setAuthor(doc.signature)
    c.setSubject(doc.subject)
    c.setCreator("政务公开台账")
    pages, pitch = layout(doc, f)
    for n, page in enumerate(pages, start=1):
        for row, line in enumerate(page):
            _draw_line(c, line, PAGE_H - TOP - row * pitch, pitch)
        _draw_page_number(c, n, f.song)
        c.showPage()
    c.save()
    return buf.getvalue()


def render(doc: OfficialDoc, out_path: str | os.PathLike, fontset: FontSet | None = None) -> Path:
    """Write the PDF of *doc* to *out_path* atomically; the path written."""
    return write_atomic(out_path, render_to_bytes(doc, fontset))


def write_atomic(out_path: str | os.PathLike, data: bytes) -> Path:
    """Write *data* beside the target, then rename: a failure leaves no partial file."""
    return atomic_file.write_bytes(out_path, data)
