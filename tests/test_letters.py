"""依申请公开文书: every letter kind as a real PDF, read back with pypdf (issue 3 §5)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from gongkai_desktop.core.errors import UserError, ValidationError
from gongkai_desktop.exports import letters, official_doc, pdf_fonts
from gongkai_desktop.exports.letters import LETTER_KINDS, render_letter, required_fields
from gongkai_desktop.exports.official_doc import OfficialDoc, render, render_to_bytes

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
A4_PT = (595.28, 841.89)

CONTEXT = {
    "unit_name": "厦门市人力资源和社会保障局",
    "doc_prefix": "厦人社",
    "doc_no": "厦人社依申〔2026〕12号",
    "letter_date": date(2026, 3, 12),
    "app_no": "YSQ-2026-0012",
    "applicant_name": "张三",
    "received_date": date(2026, 3, 5),
    "request_content": "2025年度本市失业保险基金收支情况",
    "answer_due": date(2026, 4, 2),
    "supplement_deadline": date(2026, 3, 20),
    "supplement_items": ["请明确所需信息的时间范围", "请说明“相关文件”的名称或文号"],
    "extension_days": 15,
    "new_due": date(2026, 4, 23),
    "approver": "李明",
    "third_party": "厦门某某科技有限公司",
    "consultation_reply_due": date(2026, 3, 26),
    "fee_total": 1500,
    "fee_method": "piece",
    "fee_explain": "本月累计申请25件，第11至25件按100元/件计收",
    "payment_deadline": date(2026, 4, 8),
    "answer_text": "现将相关信息随本告知书一并提供给您。",
    "where_public": "本机关门户网站“政府信息公开”专栏",
    "refuse_reason": "属于内部事务信息",
    "legal_basis": "《中华人民共和国政府信息公开条例》第十六条第一款",
    "right_office": "厦门市财政局",
    "special_procedure": "到厦门市不动产登记中心申请查询",
    "review_body": "厦门市人民政府",
    "contact_phone": "0592-5101234",
}
# The date each letter is about: the one the reader must act on or the clock runs from.
KEY_DATE = {
    "receipt": "2026年4月2日",
    "supplement": "2026年3月20日",
    "extension": "2026年4月23日",
    "consultation": "2026年3月26日",
    "fee": "2026年4月8日",
}


def text_of(path: Path) -> tuple[PdfReader, str]:
    reader = PdfReader(path)
    return reader, "\n".join(p.extract_text() for p in reader.pages)


@pytest.fixture(params=["auto", "builtin"])
def fontset(request):
    return pdf_fonts.fonts(request.param)


@pytest.mark.parametrize("kind", list(LETTER_KINDS))
def test_every_letter_reads_back(kind, fontset, tmp_path):
    out = tmp_path / f"{kind}.pdf"
    data = render_letter(kind, CONTEXT, out, fontset=fontset)
    assert out.read_bytes() == data and data.startswith(b"%PDF")
    reader, text = text_of(out)
    flat = text.replace("\n", "")
    assert len(reader.pages) >= 1
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(w, 2), round(h, 2)) == A4_PT
    assert "张三" in flat
    assert "厦人社依申〔2026〕12号" in flat
    assert "厦门市人力资源和社会保障局" in flat
    assert KEY_DATE.get(kind, "2026年3月5日") in flat
    assert "2026年3月12日" in flat  # 成文日期
    assert "— 1 —" in text
    if kind.startswith("answer_"):
        assert "厦门市人民政府申请行政复议" in flat
    assert not list(tmp_path.glob(".*.tmp"))


def test_builtin_fallback_uses_stsong(tmp_path, monkeypatch):
    monkeypatch.setenv(pdf_fonts.ENV, "builtin")
    f = pdf_fonts.fonts()
    assert f.source == "builtin" and f.fangsong == "STSong-Light"
    out = tmp_path / "r.pdf"
    render_letter("receipt", CONTEXT, out)
    assert b"STSong-Light" in out.read_bytes()
    assert "张三" in text_of(out)[1]


def embedded(path: Path) -> dict[str, bool]:
    """Base font name -> whether its outlines are embedded in the file."""
    fonts = PdfReader(path).pages[0]["/Resources"]["/Font"]
    out = {}
    for key in fonts:
        f = fonts[key].get_object()
        desc = f.get("/FontDescriptor")
        out[str(f["/BaseFont"])] = bool(desc) and "/FontFile2" in desc.get_object()
    return out


@pytest.mark.skipif(not WQY.exists(), reason="WenQuanYi Zen Hei not installed")
def test_system_font_is_found_and_embedded(tmp_path):
    f = pdf_fonts.discover([WQY.parent])
    assert f is not None and f.source == "system" and "wqy-zenhei.ttc" in f.describe()
    out = tmp_path / "r.pdf"
    render_letter("receipt", CONTEXT, out, fontset=f)
    fonts = embedded(out)
    assert fonts and all(fonts.values()), fonts  # nothing left to the viewer


def test_unusable_fonts_fall_through(tmp_path):
    (tmp_path / "NotoSansCJK-Regular.otf").write_bytes(b"OTTO" + b"\0" * 100)  # CFF outlines
    (tmp_path / "simfang.ttf").write_bytes(b"not a font")
    f = pdf_fonts.discover([tmp_path])  # may still find a font through fontconfig
    assert f is None or not any(str(tmp_path) in path for _role, path in f.files)


def test_missing_field_names_letter_and_field_and_writes_nothing(tmp_path):
    ctx = {k: v for k, v in CONTEXT.items() if k not in ("supplement_deadline", "unit_name")}
    out = tmp_path / "s.pdf"
    with pytest.raises(ValidationError) as e:
        render_letter("supplement", ctx, out)
    msg = str(e.value)
    assert "《补正告知书》" in msg and "“补正期限”" in msg and "“单位名称”" in msg
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_required_fields_come_from_the_template():
    assert {"supplement_deadline", "supplement_items", "applicant_name"} <= set(
        required_fields("supplement")
    )
    assert {"new_due", "approver", "extension_days"} <= set(required_fields("extension"))
    assert "third_party" in required_fields("consultation")
    assert "review_body" in required_fields("answer_refuse")
    for kind in LETTER_KINDS:
        assert {"unit_name", "letter_date"} <= set(required_fields(kind))
        assert "doc_no" not in required_fields(kind)  # a letter may have no 文号
        assert "contact_phone" not in required_fields(kind)


def test_failed_write_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    out = tmp_path / "answer.pdf"
    out.write_bytes(b"old letter")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(official_doc.os, "replace", full_disk)
    with pytest.raises(UserError) as e:
        render_letter("answer_public", CONTEXT, out)
    assert "无法保存文件" in str(e.value)
    assert out.read_bytes() == b"old letter"
    assert [p.name for p in tmp_path.iterdir()] == ["answer.pdf"]


def test_partial_disclosure_needs_reason_and_review_first(tmp_path):
    ctx = {**CONTEXT, "withheld_part": "个人身份证号码"}
    with pytest.raises(ValidationError, match="部分不予公开的理由"):
        render_letter("answer_disclose", ctx)
    ctx["withheld_reason"] = "属于个人隐私"
    out = tmp_path / "p.pdf"
    render_letter("answer_disclose", ctx, out)
    flat = text_of(out)[1].replace("\n", "")
    assert "部分公开" in flat and "第三十七条" in flat and "个人身份证号码" in flat
    assert "应当先申请行政复议" in flat  # 行政复议法第二十三条: 不予公开 needs review first
    full = text_of(Path(_write(tmp_path / "f.pdf", "answer_disclose", CONTEXT)))[1]
    flat = full.replace("\n", "")
    assert "予以公开" in flat and "六个月内" in flat and "部分公开" not in flat


def _write(path: Path, kind: str, ctx: dict) -> Path:
    render_letter(kind, ctx, path)
    return path


def test_refusal_states_reason_basis_and_review_first(tmp_path):
    flat = text_of(_write(tmp_path / "r.pdf", "answer_refuse", CONTEXT))[1].replace("\n", "")
    assert "属于内部事务信息" in flat and "第十六条第一款" in flat and "第三十六条第三项" in flat
    assert "应当先申请行政复议" in flat and "六个月" not in flat


def test_values_are_formatted_for_print(tmp_path):
    ctx = {**CONTEXT, "payment_deadline": "2026-04-08", "fee_total": 1500.0}
    flat = text_of(_write(tmp_path / "fee.pdf", "fee", ctx))[1].replace("\n", "")
    assert "2026年4月8日" in flat and "1500元" in flat and "按件计收" in flat
    flat = text_of(_write(tmp_path / "sup.pdf", "supplement", CONTEXT))[1].replace("\n", "")
    assert "（1）请明确所需信息的时间范围" in flat and "（2）请说明" in flat
    with pytest.raises(ValidationError, match="2026-02-30"):
        render_letter("fee", {**CONTEXT, "payment_deadline": "2026-02-30"})


def test_doc_no_follows_gbt9704(tmp_path):
    flat = text_of(
        _write(tmp_path / "a.pdf", "receipt", {**CONTEXT, "doc_no": "厦人社依申[2026]7号"})
    )[1]
    assert "厦人社依申〔2026〕7号" in flat
    for bad in ("厦人社依申〔2026〕第7号", "厦人社依申〔2026〕007号"):
        with pytest.raises(ValidationError, match="厦人社依申〔2026〕7号"):
            render_letter("receipt", {**CONTEXT, "doc_no": bad})
    text = text_of(_write(tmp_path / "b.pdf", "receipt", {**CONTEXT, "doc_no": ""}))[1]
    assert "〔2026〕" not in text and "张三" in text


def test_extension_longer_than_20_working_days_is_refused():
    with pytest.raises(ValidationError, match="最长不得超过20个工作日"):
        render_letter("extension", {**CONTEXT, "extension_days": 25})


def test_unknown_kind_is_a_chinese_error():
    with pytest.raises(ValidationError, match="没有“answer”这种文书"):
        render_letter("answer", CONTEXT)


# ---- the GB/T 9704 page ---------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    return [ln for p in PdfReader(path).pages for ln in p.extract_text().splitlines()]


def test_body_grid_is_28_characters_and_22_lines(fontset, tmp_path):
    para = "政府信息公开工作" * 40  # 320 characters, no punctuation
    doc = OfficialDoc(title=["测试"], body=[para] * 3, signature="某局", date=date(2026, 1, 5))
    out = render(doc, tmp_path / "grid.pdf", fontset)
    body = [
        ln for ln in _lines(out) if ln.startswith(("政", "作", "公", "开", "信", "息", "府", "工"))
    ]
    assert len(body[0]) == 26  # first line indented two characters
    assert all(len(ln) == 28 for ln in body[1:11])
    pages, pitch = official_doc.layout(doc, fontset)
    assert all(len(p) <= 22 for p in pages) or pitch < official_doc.LINE
    assert round(official_doc.PITCH / official_doc.MM, 2) == 5.57  # 156 mm / 28


def test_closing_punctuation_never_starts_a_line(fontset, tmp_path):
    # 26 characters fill the indented first line; the comma would start line 2.
    para = "甲" * 26 + "，" + "乙" * 20 + "。" + "丙" * 27 + "”。" + "丁" * 5
    doc = OfficialDoc(title=["测试"], body=[para])
    out = render(doc, tmp_path / "p.pdf", fontset)
    lines = [ln for ln in _lines(out) if ln[:1] in "甲乙丙丁，。”"]
    assert len(lines) >= 3
    assert not any(ln[0] in "，。、；：”）》" for ln in lines)
    assert "".join(lines) == para


def test_page_numbers_alternate_sides(fontset, tmp_path):
    doc = OfficialDoc(
        title=["测试"], body=["正文内容。" * 20] * 12, signature="某局", date=date(2026, 1, 5)
    )
    out = render(doc, tmp_path / "n.pdf", fontset)
    reader = PdfReader(out)
    assert len(reader.pages) >= 2
    for n, page in enumerate(reader.pages[:2], start=1):
        xs = []

        def visit(text, cm, tm, font, size, xs=xs):
            if "—" in text:
                xs.append(tm[4] * cm[0] + cm[4])

        page.extract_text(visitor_text=visit)
        assert f"— {n} —" in page.extract_text()
        assert xs, "page number not found"
        mid = float(page.mediabox.width) / 2
        assert (xs[0] > mid) if n % 2 else (xs[0] < mid)  # 单页码居右, 双页码居左


def test_signature_and_date_stay_together(fontset):
    # Bodies ending anywhere near the foot of page 1: the signature block never starts a
    # page on its own; at least the last body line goes with it (GB/T 9704 7.3.5.4).
    for count in range(10, 24):
        doc = OfficialDoc(
            title=["测试"], body=["正"] * count, signature="某局", date=date(2026, 1, 5)
        )
        pages, _ = official_doc.layout(doc, fontset)
        first = next(ln for ln in pages[-1] if not ln.blank)
        assert first.runs[0][4].startswith(("正", "测")), count


def test_bytes_for_the_database_match_the_file(tmp_path):
    doc = OfficialDoc(title=["测试"], body=["正文。"], date=date(2026, 1, 5), signature="某局")
    data = render_to_bytes(doc)
    assert data.startswith(b"%PDF")
    assert "2026年1月5日" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_every_kind_has_a_template():
    for kind in LETTER_KINDS:
        t = letters.load_template(kind)
        assert t.title and t.lines, kind


def test_heading_moves_to_the_next_page_with_its_text(fontset):
    # Title, blank line, 19 one-line paragraphs: the heading would be line 22 of page 1.
    body = ["正文。"] * 19 + ["二、存在的问题", "（一）答复格式。正文。"] + ["正文。"] * 8
    pages, _ = official_doc.layout(OfficialDoc(title=["测试"], body=body), fontset)
    texts = [["".join(r[4] for r in ln.runs) for ln in page] for page in pages]
    assert texts[1][0] == "二、存在的问题" and texts[1][1].startswith("（一）")
    assert "二、存在的问题" not in texts[0]


def test_font_roles_follow_gbt9704():
    # Distinct (Latin) names per role, only to see which role each part is set in.
    b = pdf_fonts.builtin_set().song
    f = pdf_fonts.FontSet(b, "Courier", "Helvetica", "Times-Roman", "test", title="Symbol")
    doc = OfficialDoc(
        title=["标题"],
        body=["一、黑体标题", "（一）楷体标题。仿宋正文。", "1. 仿宋", "正文"],
        doc_no="某〔2026〕1号",
        signature="某局",
        date=date(2026, 1, 5),
    )
    pages, _ = official_doc.layout(doc, f)
    fonts = {"".join(r[4] for r in ln.runs): [r[1] for r in ln.runs] for ln in pages[0]}
    assert fonts["标题"] == ["Symbol"]  # 2号小标宋
    assert fonts["一、黑体标题"] == ["Helvetica"]
    assert fonts["（一）楷体标题。仿宋正文。"][0] == "Times-Roman"
    assert fonts["（一）楷体标题。仿宋正文。"][-1] == "Courier"
    assert set(fonts["1. 仿宋"]) == {"Courier"} and set(fonts["正文"]) == {"Courier"}
    assert fonts["某〔2026〕1号"] == ["Courier"] * len(fonts["某〔2026〕1号"])
