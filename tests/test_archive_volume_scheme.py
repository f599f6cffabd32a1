"""GB/T 9705-2008 volume scheme (issue 7 §3): 案卷封面, 卷内文件目录, 卷内备考表, read back."""

import pytest
from pypdf import PdfReader

from gongkai_desktop.core.errors import UserError
from gongkai_desktop.exports import archive_volume_scheme as vs
from gongkai_desktop.exports import pdf_fonts

VOLUME = {"fonds_name": "厦门市人力资源和社会保障局", "category": "政务公开", "title":
          "2026年度政府信息依申请公开办理材料", "start": "2026-01-05", "end": "2026-12",
          "retention": "定期30年", "pieces": 3, "pages": 9, "filing_no": "2026-07",
          "archive_no": "X001-WS·2026-D30-0001", "note": "本卷共3件9页，材料齐全。",
          "maker": "张三", "checker": "李四", "made_date": "2026-12-28"}  # fmt: skip
DOCS = [
    {"doc_no": "厦人社〔2026〕12号", "responsible": "厦门市人社局", "title": "关于政府信息公开申请的答复",
     "doc_date": "2026-03-15", "pages": 2},
    {"doc_no": "", "responsible": "厦门市人社局", "title": "[依申请公开办理登记]",
     "doc_date": "2026-04-01", "pages": 3, "note": "复印件"},
    {"doc_no": "厦人社〔2026〕30号", "responsible": "厦门市人社局", "title": "补正通知",
     "doc_date": "20260502", "pages": 4},
]  # fmt: skip


@pytest.fixture(params=["auto", "builtin"])
def fontset(request):
    return pdf_fonts.fonts(request.param)


def text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_cover_carries_every_gbt9705_field(tmp_path, fontset):
    out = vs.cover_pdf([VOLUME, VOLUME | {"title": "第二卷", "archive_no": "X001-WS·2026-D30-0002"}],
                       tmp_path / "c.pdf", fontset=fontset)  # fmt: skip
    assert len(PdfReader(out).pages) == 2  # covers in batch
    t = text(out)
    for caption in (
        "全宗名称",
        "类目名称",
        "案卷题名",
        "时间",
        "保管期限",
        "件数/页数",
        "归档号",
        "档号",
    ):
        assert caption in t
    for value in ("厦门市人力资源和社会保障局", "政务公开", "定期30年", "3件 / 9页", "2026-07",
                  "X001-WS·2026-D30-0001", "X001-WS·2026-D30-0002"):  # fmt: skip
        assert value in t, value
    assert "2026年01月 至 2026年12月" in t  # first and last year-month


def test_contents_columns_dates_and_page_numbers(tmp_path, fontset):
    out = vs.contents_pdf(VOLUME, DOCS, tmp_path / "m.pdf", fontset=fontset)
    t = text(out)
    for col in vs.CONTENTS_COLUMNS:
        assert col in t
    assert "20260315" in t and "20260502" in t  # 8-digit dates
    flat = t.replace("\n", "").replace(" ", "")  # a long 文号 may wrap in its cell
    assert "厦人社〔2026〕12号" in flat and "复印件" in t and "[依申请公开办理登记]" in t
    assert vs.page_numbers(DOCS) == ["1", "3", "6-9"]  # last document shows first–last


def test_long_contents_repeat_the_header_on_every_page(tmp_path):
    docs = [DOCS[0] | {"title": f"第{i}件文件"} for i in range(1, 61)]
    reader = PdfReader(vs.contents_pdf(VOLUME, docs, tmp_path / "m.pdf"))
    assert len(reader.pages) >= 2
    assert all("题名" in p.extract_text() for p in reader.pages)
    assert "第60件文件" in reader.pages[-1].extract_text()


def test_note_sheet_fields(tmp_path, fontset):
    t = text(vs.note_pdf(VOLUME, tmp_path / "n.pdf", fontset=fontset))
    for s in ("卷内备考表".replace("", " ").strip(), "本卷情况说明", "立卷人", "检查人", "立卷时间",
              "本卷共3件9页，材料齐全。", "张三", "李四", "2026-12-28"):  # fmt: skip
        assert s in t, s


def test_missing_title_or_empty_volume_is_refused_and_no_file_written(tmp_path):
    with pytest.raises(UserError, match="案卷题名"):
        vs.cover_pdf([VOLUME | {"title": " "}], tmp_path / "c.pdf")
    with pytest.raises(UserError, match="没有文件"):
        vs.contents_pdf(VOLUME, [], tmp_path / "m.pdf")
    assert list(tmp_path.iterdir()) == []
