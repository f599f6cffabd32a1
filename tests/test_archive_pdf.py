"""Archive print-outs (issue 7 §3, RULES.md §8): catalogue, spines, covers, 备考表, 归档章."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from gongkai_desktop.core.errors import UserError
from gongkai_desktop.exports import archive_pdf as ap
from gongkai_desktop.exports import pdf_fonts

MM = 72 / 25.4
META = {"fonds_no": "X001", "fonds_name": "厦门市人力资源和社会保障局",
        "org_names": {"BGS": "办公室"}}  # fmt: skip


@pytest.fixture(params=["auto", "builtin"])
def fontset(request):
    return pdf_fonts.fonts(request.param)


def piece(n, retention="定期30年", **kw) -> dict:
    code = {"永久": "Y", "定期30年": "D30", "定期10年": "D10"}[retention]
    row = dict(year=2026, retention=retention, org_code="BGS", piece_no=n,
               archive_no=f"X001-WS·2026-{code}-BGS-{n:04d}", title=f"第{n}号答复书",
               doc_no=f"厦人社〔2026〕{n}号", responsible="办公室", doc_date="2026-03-15",
               secrecy="", pages=n + 1, note="")  # fmt: skip
    row.update(kw)
    return row


def box(no, spine_mm, first=1, last=20, **kw) -> dict:
    row = dict(year=2026, retention="定期30年", org_code="BGS", box_no=no, spine_mm=spine_mm,
               first_piece_no=first, last_piece_no=last, contents_note="本盒共20件，无缺损。",
               arranger="张三", arranged_date="2026-12-20", checker="李四",
               checked_date="2026-12-22")  # fmt: skip
    row.update(kw)
    return row


def texts(path) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


def rects(page) -> list[tuple[float, ...]]:
    """Every rectangle drawn on the page, (x, y, w, h) in points, read from its content."""
    data = page.get_contents().get_data().decode("latin-1")
    num = r"(-?\d+(?:\.\d+)?)"
    return [tuple(map(float, m)) for m in re.findall(rf"{num} {num} {num} {num} re\b", data)]


def lines(page) -> list[tuple[float, ...]]:
    """Every straight line segment "x1 y1 m x2 y2 l" drawn on the page."""
    data = page.get_contents().get_data().decode("latin-1")
    num = r"(-?\d+(?:\.\d+)?)"
    return [tuple(map(float, m)) for m in re.findall(rf"{num} {num} m {num} {num} l\b", data)]


def test_catalog_cover_and_columns(tmp_path, fontset):
    pieces = [piece(2, own_title=True), piece(1), piece(1, "永久")]
    out = ap.catalog_pdf(pieces, META, tmp_path / "目录.pdf", fontset=fontset)
    reader = PdfReader(out)
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    pages = [t.replace(" ", "") for t in texts(out)]
    # one cover + list for each retention period, 永久 first
    assert len(pages) == 4
    for label in ("归档文件目录", "全宗号", "X001", "全宗名称", "厦门市人力资源和社会保障局",
                  "年度", "2026", "保管期限", "永久", "机构（问题）", "办公室（BGS）"):  # fmt: skip
        assert label in pages[0], label
    assert "定期30年" in pages[2]
    lst = pages[3]
    for head in ap.CATALOG_HEADER:
        assert head in lst
    assert "X001-WS·2026-D30-BGS-0001" in lst and "厦人社〔2026〕2号" in lst
    assert "20260315" in lst and "2026-03-15" not in lst  # 8-digit date
    assert "[第2号答复书]" in lst and "[第1号答复书]" not in lst  # own title in [ ]
    assert lst.index("BGS-0001") < lst.index("BGS-0002")  # in piece order


def test_catalog_without_pieces_writes_nothing(tmp_path):
    with pytest.raises(UserError, match="没有可列入"):
        ap.catalog_pdf([], META, tmp_path / "目录.pdf")
    assert list(tmp_path.iterdir()) == []


def test_date_and_title_helpers():
    assert ap.doc_date8("2026-03-05") == "20260305"
    assert ap.doc_date8(None) == ""
    assert ap.title_text({"title": "[自拟]", "own_title": True}) == "[自拟]"


def test_spines_true_width_several_per_page_with_cut_marks(tmp_path, fontset):
    widths = [20, 30, 40, 50, 50, 20]
    boxes = [box(i, w, first=20 * i - 19, last=20 * i) for i, w in enumerate(widths, 1)]
    out = ap.spines_pdf(boxes, META, tmp_path / "盒脊.pdf", fontset=fontset)
    reader = PdfReader(out)
    # 20+30+40+50+50 = 190 mm fill the A4 width less 2 × 10 mm; the sixth goes over
    assert len(reader.pages) == 2
    drawn = []
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            round(A4[0]), round(A4[1]))  # fmt: skip
        tall = [r for r in rects(page) if r[3] > 200 * MM]
        drawn += [r[2] / MM for r in sorted(tall)]
        for r in tall:  # printed at true scale, shortened to the printable 277 mm
            assert r[3] == pytest.approx(277 * MM, abs=0.01)
            assert r[1] >= 10 * MM - 0.01 and r[1] + r[3] <= A4[1] - 10 * MM + 0.01
    assert drawn == pytest.approx(widths, abs=0.01)
    first = texts(out)[0].replace(" ", "")
    for value in ("X001", "2026", "BGS", "0001", "0020", "0081", "0100"):
        assert value in first
    assert first.index("0001") < first.index("0020")  # first piece above the last
    assert "100%" in first and "277" in first  # the clerk is told it is not scaled
    # cut marks: short lines in the margins at every label edge
    marks = [(x1, y1, y2) for x1, y1, x2, y2 in lines(reader.pages[0]) if x1 == x2 and y1 < 10 * MM]
    assert sorted(round(x / MM) for x, _y1, _y2 in marks) == [10, 30, 60, 100, 150, 200]
    assert all(y2 >= 0 and y1 <= 10 * MM for _x, y1, y2 in marks)  # inside the bottom margin


def test_spine_layout_geometry():
    pages = ap.spine_layout([box(1, 50), box(2, 50), box(3, 50), box(4, 50)])
    assert [[r[1] for r in p] for p in pages] == [[10, 60, 110], [10]]
    assert all(r[3] == 50 and r[4] == pytest.approx(277) for p in pages for r in p)


def test_spine_width_must_be_standard(tmp_path):
    with pytest.raises(UserError, match="第3盒.*20、30、40 或 50"):
        ap.spines_pdf([box(3, 35)], META, tmp_path / "s.pdf")
    assert not (tmp_path / "s.pdf").exists()


def test_box_cover_and_note_sheet(tmp_path, fontset):
    boxes = [box(1, 30), box(2, 30, first=21, last=35, org_code="")]
    cover = texts(ap.box_cover_pdf(boxes, META, tmp_path / "c.pdf", fontset=fontset))
    assert len(cover) == 2  # covers in batch, one page per box
    c1, c2 = (t.replace(" ", "") for t in cover)
    assert "档案盒" in c1 and "0001至0020" in c1 and "办公室（BGS）" in c1
    assert "0021至0035" in c2 and "机构" not in c2  # no 机构 when codes are not used
    notes = texts(ap.note_sheet_pdf(boxes, META, tmp_path / "n.pdf", fontset=fontset))
    n1 = notes[0].replace(" ", "")
    for s in ("备考表", "盒内文件情况说明", "本盒共20件，无缺损。", "整理人", "张三", "整理日期",
              "2026-12-20", "检查人", "李四", "检查日期", "2026-12-22"):  # fmt: skip
        assert s in n1, s


def _two_page_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in (1, 2):
        c.setFont("Helvetica", 12)
        c.drawString(72, 400, f"page body {n}")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_stamp_on_first_page_top(fontset):
    fields = dict(fonds_no="X001", year=2026, retention="定期30年", piece_no=7, pages=2,
                  org_code="BGS")  # fmt: skip
    reader = PdfReader(io.BytesIO(ap.stamp(_two_page_pdf(), fields, fontset=fontset)))
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text().replace(" ", "")
    for s in ("X001", "2026", "0007", "定期30年", "BGS", "page body 1".replace(" ", "")):
        assert s in first, s
    assert "0007" not in reader.pages[1].extract_text()
    cells = [r for r in rects(reader.pages[0]) if r[2] < 100]  # not pypdf's page clip
    assert len(cells) == 6  # 3 × 2 grid
    assert min(y for _x, y, _w, _h in cells) > A4[1] - 30 * MM  # in the blank top area


def test_stamp_refuses_a_broken_pdf():
    with pytest.raises(UserError, match="归档章"):
        ap.stamp(b"not a pdf", {"fonds_no": "X001"})
