"""半年重点检查报告 PDF (issue 4 §5, 考核表第30项): read back with pypdf, system and builtin fonts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from gongkai_desktop.core.errors import ValidationError
from gongkai_desktop.exports import inspection_report, pdf_fonts
from gongkai_desktop.exports.inspection_report import (
    build_report,
    render_key_inspection_report,
    report_title,
)

A4_PT = (595.28, 841.89)
CONTEXT = {
    "unit_name": "厦门市人力资源和社会保障局",
    "year": 2026,
    "half": 1,
    "inspection_date": date(2026, 6, 18),
    "team": "李明（组长）、王芳、陈强",
    "scope": "政府信息公开专栏、依申请公开办理、公开栏和查阅室",
    "findings": "1.“人事信息”栏目有3条信息超过20个工作日才公开。\n2.公开栏4月份未更新。",
    "conclusion": "上半年政务公开工作总体规范，依申请公开均在法定期限内答复。",
    "rectifications": [
        {
            "problem": "专栏部分信息公开不及时",
            "responsible": "王芳",
            "measure": "建立信息发布提醒，每周核对一次",
            "due_date": "2026-07-31",
        },
        {"problem": "公开栏更新不及时", "responsible": "陈强", "due_date": date(2026, 7, 15)},
    ],
    "complaint_phone": "0592-5101234",
    "opinion_box": "办公楼一楼大厅",
}


def read(path: Path) -> tuple[PdfReader, str, str]:
    reader = PdfReader(path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    return reader, text, text.replace("\n", "").replace(" ", "")


@pytest.fixture(params=["auto", "builtin"])
def fonts_mode(request, monkeypatch):
    monkeypatch.setenv(pdf_fonts.ENV, request.param)
    return request.param


def test_report_reads_back(tmp_path, fonts_mode):
    out = tmp_path / "重点检查报告.pdf"
    data = render_key_inspection_report(CONTEXT, out)
    assert out.read_bytes() == data and data.startswith(b"%PDF")
    reader, text, flat = read(out)
    if fonts_mode == "builtin":
        assert b"STSong-Light" in data
    for page in reader.pages:
        assert (
            round(float(page.mediabox.width), 2),
            round(float(page.mediabox.height), 2),
        ) == A4_PT
    assert "厦门市人力资源和社会保障局" in flat
    assert "政务公开工作2026年上半年重点检查报告" in flat
    assert "李明（组长）、王芳、陈强" in flat
    assert "“人事信息”栏目有3条信息超过20个工作日才公开" in flat
    assert "公开栏4月份未更新" in flat
    assert "依申请公开均在法定期限内答复" in flat
    assert "于2026年6月18日对2026年上半年政务公开工作进行了重点检查" in flat
    # the rectifications, each with its responsible person and deadline
    assert "1.专栏部分信息公开不及时" in flat and "责任人：王芳" in flat
    assert "完成时限：2026年7月31日" in flat and "完成时限：2026年7月15日" in flat
    assert "提出以下2项整改事项" in flat
    assert "投诉电话0592-5101234" in flat and "意见箱（办公楼一楼大厅）" in flat
    # signature and 成文日期 at the end, page number in the GB/T 9704 form
    assert "政务公开监督小组2026年6月18日" in flat
    assert "— 1 —" in text
    assert reader.metadata.title == report_title("厦门市人力资源和社会保障局", 2026, 1)
    assert not list(tmp_path.glob(".*.tmp"))


def test_second_half_title_and_report_date(tmp_path):
    ctx = CONTEXT | {
        "half": 2,
        "inspection_date": "2026-12-10",
        "report_date": date(2026, 12, 15),
        "rectifications": [],
    }
    _, _, flat = read_bytes(tmp_path, ctx)
    assert "政务公开工作2026年下半年重点检查报告" in flat
    assert "于2026年12月10日对2026年下半年" in flat
    assert "政务公开监督小组2026年12月15日" in flat  # the report's date, not the inspection's
    assert "本次检查未提出需要限期整改的事项" in flat
    assert "整改事项，请责任人" not in flat


def read_bytes(tmp_path: Path, ctx: dict) -> tuple[PdfReader, str, str]:
    out = tmp_path / "r.pdf"
    render_key_inspection_report(ctx, out)
    return read(out)


def test_half_and_year_follow_the_inspection_date_when_not_given(tmp_path):
    ctx = {k: v for k, v in CONTEXT.items() if k not in ("half", "year")}
    ctx["on_date"] = ctx.pop("inspection_date")
    doc = build_report(ctx)
    assert "".join(doc.title) == "厦门市人力资源和社会保障局政务公开工作2026年上半年重点检查报告"


@pytest.mark.parametrize(
    ("field", "label"), [("findings", "发现的问题"), ("conclusion", "检查结论")]
)
def test_missing_findings_or_conclusion_is_refused_and_nothing_written(tmp_path, field, label):
    out = tmp_path / "r.pdf"
    with pytest.raises(ValidationError) as e:
        render_key_inspection_report(CONTEXT | {field: "  "}, out)
    assert label in str(e.value) and "监督检查" in str(e.value)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_bad_half_is_refused():
    with pytest.raises(ValidationError, match="上半年"):
        build_report(CONTEXT | {"half": 3})


def test_template_wording_is_editable(tmp_path, monkeypatch):
    tpl = tmp_path / "key_inspection.txt"
    tpl.write_text(
        '{"title": ["{unit_name}{year}年{half_name}检查情况"], "signature": "监督组"}\n---\n'
        "检查发现：{findings}\n结论：{conclusion}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(inspection_report, "template_path", lambda: tpl)
    doc = build_report(CONTEXT)
    assert doc.title == ["厦门市人力资源和社会保障局2026年上半年检查情况"]
    assert doc.signature == "监督组"
    assert doc.body[0].startswith("检查发现：1.")


def test_unknown_template_field_is_named(tmp_path, monkeypatch):
    tpl = tmp_path / "key_inspection.txt"
    tpl.write_text('{"title": "报告"}\n---\n{findngs}\n', encoding="utf-8")
    monkeypatch.setattr(inspection_report, "template_path", lambda: tpl)
    with pytest.raises(Exception, match="findngs"):
        build_report(CONTEXT)


def test_shipped_template_exists():
    assert inspection_report.template_path().is_file()
    t = inspection_report.load_template()
    assert t.signature == "政务公开监督小组"
    assert any("{findings}" in line for line in t.lines)
    assert any("{conclusion}" in line for line in t.lines)
