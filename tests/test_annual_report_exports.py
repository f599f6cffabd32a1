"""年度报告 exports read back: the .xlsx tables with openpyxl (merged header cells as on the
official forms), the PDF with pypdf (title, six sections, the tables' numbers, 草稿 on
every page of a draft); the contact card notice and the meetings ledger."""

import io

import pytest
from annual_fixtures import COLS, EXPECTED_T3, TODAY, YEAR, add_appeals, build_year, fill_table2
from openpyxl import load_workbook
from pypdf import PdfReader

from gongkai_desktop.core import annual_report as R
from gongkai_desktop.core import meetings, unit_records, year_lock
from gongkai_desktop.core.errors import ValidationError
from gongkai_desktop.exports import pdf_fonts
from gongkai_desktop.exports.annual_report_pdf import render_bytes, write_report_pdf
from gongkai_desktop.exports.annual_report_xlsx import write_report_xlsx
from gongkai_desktop.exports.contact_card import render_contact_card
from gongkai_desktop.exports.meetings_ledger import write_meetings_ledger

UNIT = "厦门市人力资源和社会保障局"
TITLE = f"{UNIT}2026年政府信息公开工作年度报告"
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项"]  # fmt: skip


@pytest.fixture
def rep_db(db):
    add_appeals(db, build_year(db))
    return db


def report(db):
    return R.report(db, YEAR, today=TODAY)


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [p.extract_text().replace("\n", "").replace(" ", "") for p in reader.pages]


# -- xlsx -------------------------------------------------------------------------------


def test_xlsx_tables_like_the_official_forms(rep_db, tmp_path):
    fill_table2(rep_db)
    out = write_report_xlsx(report(rep_db), tmp_path / "年度报告.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["表二", "表三", "表四", "校验与说明"]
    ws = wb["表三"]
    assert ws["A1"].value == TITLE
    merged = {str(r) for r in ws.merged_cells.ranges}
    # the header: check note over 3×3, 申请人情况 over 7, 自然人 and 总计 down two rows,
    # 法人或其他组织 over its five kinds; 三、本年度办理结果 down every result row
    assert {"A4:C6", "D4:J4", "D5:D6", "E5:I5", "J5:J6", "A7:C7", "A8:C8", "A9:A30",
            "B9:C9", "B10:C10", "B11:B18", "B19:B21", "B22:B26", "B27:B29", "B30:C30", "A31:C31"} <= merged  # fmt: skip
    assert ws["A4"].value.startswith("（本列数据的勾稽关系为")
    assert [ws.cell(6, c).value for c in range(5, 10)] == COLS[1:6]
    assert (ws["D5"].value, ws["E5"].value, ws["J5"].value) == ("自然人", "法人或其他组织", "总计")
    assert ws["A7"].value == "一、本年新收政府信息公开申请数量"
    numbers = {  # every row's seven numbers, by its label in column A, B or C
        next(v for v in (ws.cell(r, 3).value, ws.cell(r, 2).value, ws.cell(r, 1).value) if v):
        [ws.cell(r, c).value for c in range(4, 11)] for r in range(7, 32)
    }  # fmt: skip
    assert numbers["一、本年新收政府信息公开申请数量"] == EXPECTED_T3["本年新收"]
    assert numbers["二、上年结转政府信息公开申请数量"] == EXPECTED_T3["上年结转"]
    assert numbers["1.属于国家秘密"] == EXPECTED_T3["不予公开/属于国家秘密"]
    assert numbers["3.其他"] == EXPECTED_T3["其他处理/其他"]
    assert numbers["（七）总计"] == EXPECTED_T3["总计"]
    assert numbers["四、结转下年度继续办理"] == EXPECTED_T3["结转下年度"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth == 1

    ws = wb["表四"]
    assert {"A4:E4", "F4:O4", "A5:A6", "E5:E6", "F5:J5", "K5:O5"} <= {
        str(r) for r in ws.merged_cells.ranges
    }
    assert (ws["A4"].value, ws["F4"].value, ws["F5"].value, ws["K5"].value) == (
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
    )
    assert [ws.cell(7, c).value for c in range(1, 16)] == [
        1,
        1,
        0,
        1,
        3,
        0,
        0,
        1,
        0,
        1,
        0,
        0,
        0,
        1,
        1,
    ]

    ws = wb["表二"]
    assert {"A4:D4", "B9:D9", "B10:D10"} <= {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(5, c).value for c in range(1, 5)] == ["信息内容", "本年制发件数", "本年废止件数",
                                                          "现行有效件数"]  # fmt: skip
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(4, ws.max_row + 1)}
    assert (rows["行政许可"], rows["行政处罚"], rows["行政强制"], rows["行政事业性收费"]) == (
        12,
        3,
        0,
        1.25,
    )

    notes = [[c.value for c in row] for row in wb["校验与说明"].iter_rows(min_row=3)]
    assert ["表三各列：一＋二＝三（七）＋四", "通过", "7列均相等"] in notes
    assert ["行政许可·本年处理决定数量", "手工填报", None] in notes


def test_xlsx_of_a_failing_report_only_as_draft(rep_db, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    rep = report(rep_db)  # table 2's manual figures missing
    with pytest.raises(ValidationError, match="不能导出正式稿：表二：需手工填报的数字已填写"):
        write_report_xlsx(rep, tmp_path / "r.xlsx")
    assert list(tmp_path.iterdir()) == []
    wb = load_workbook(write_report_xlsx(rep, tmp_path / "r.xlsx", draft=True))
    for name in ("表二", "表三", "表四"):
        assert wb[name]["A1"].value == TITLE + "（草稿）"
        assert wb[name].oddHeader.center.text == "草稿"
    notes = [[c.value for c in row] for row in wb["校验与说明"].iter_rows(min_row=3)]
    assert ["表二：需手工填报的数字已填写", "未通过",
            "未填写：行政许可（本年处理决定数量）、行政处罚（本年处理决定数量）、行政强制（本年处理决定数量）、"
            "行政事业性收费（本年收费金额（单位：万元））"] in notes  # fmt: skip


# -- PDF --------------------------------------------------------------------------------


@pytest.fixture(params=["auto", "builtin"])
def fontset(request):
    return pdf_fonts.fonts(request.param)


def test_pdf_whole_report(rep_db, tmp_path, fontset):
    fill_table2(rep_db)
    R.save_sections(rep_db, YEAR, {"section1": "本单位全年政务公开工作总体情况良好。\n第二段。"})
    out = write_report_pdf(report(rep_db), tmp_path / "年度报告.pdf", fontset=fontset)
    reader, pages = pdf_text(out.read_bytes())
    text = "".join(pages)
    assert reader.metadata.title == TITLE
    assert pages[0].startswith(TITLE)
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)  # the six sections, in order
    assert (
        "国办公开办函〔2021〕30号" in text and "统计期限自2026年1月1日起至2026年12月31日止" in text
    )
    assert "本单位全年政务公开工作总体情况良好。第二段。" in text
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in text
    assert "申请人情况" in text and "法人或其他组织" in text and "（七）总计" in text
    assert "1.属于国家秘密" in text and "四、结转下年度继续办理" in text
    assert "第二十条第（一）项" in text and "本年收费金额（单位：万元）" in text and "1.25" in text
    assert "未经复议直接起诉" in text and "复议后起诉" in text
    assert "草稿" not in text
    assert all(f"—{n}—" in p for n, p in enumerate(pages, 1))  # GB/T 9704 page numbers
    assert 3 <= len(pages) <= 8


def test_pdf_tables_keep_their_heading(rep_db, tmp_path):
    fill_table2(rep_db)
    _reader, pages = pdf_text(render_bytes(report(rep_db)))
    page = next(p for p in pages if "三、收到和处理政府信息公开申请情况" in p)
    assert "（七）总计" in page and "结转下年度继续办理" in page  # table 3 whole on one page


def test_pdf_of_a_failing_report_only_as_draft_marked_on_every_page(rep_db, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    rep = report(rep_db)
    with pytest.raises(ValidationError, match="不能导出正式稿"):
        write_report_pdf(rep, tmp_path / "r.pdf")
    assert list(tmp_path.iterdir()) == []
    out = write_report_pdf(rep, tmp_path / "r.pdf", draft=True)
    reader, pages = pdf_text(out.read_bytes())
    assert reader.metadata.title == TITLE + "（草稿）"
    assert TITLE + "（草稿）" in pages[0]
    assert len(pages) >= 3 and all("草稿" in p for p in pages)


def test_pdf_shows_a_change_after_publication(rep_db):
    fill_table2(rep_db)
    R.publish(rep_db, YEAR, "2027-01-20", today=TODAY)
    year_lock.unlock(rep_db, YEAR, "更正一件申请的申请人类型")
    _reader, pages = pdf_text(render_bytes(report(rep_db)))
    text = "".join(pages)
    assert "本报告于2027年1月20日发布" in text and "更正一件申请的申请人类型" in text
    assert "2027年1月20日" in pages[-1]  # dated the day it was published


# -- contact card and meetings ledger ------------------------------------------------------


def test_contact_card_notice(db, fontset):
    card = {"name": "政务公开办公室", "head": "黄晓峰", "address": "仙岳路市行政服务中心三楼",
            "hours": "工作日8:00—12:00", "phone": "0592-5050100", "fax": "无",
            "email": "gkb@example.cn", "consult_phone": "0592-5050101",
            "complaint_phone": "", "opinion_box": "一楼大厅", "published_date": "2026-03-02"}  # fmt: skip
    reader, pages = pdf_text(render_contact_card(card, UNIT, fontset=fontset))
    text = "".join(pages)
    assert text.startswith(f"{UNIT}政务公开工作机构信息")
    for line in ("机构名称：政务公开办公室", "负责人：黄晓峰", "办公时间：工作日8:00—12:00",
                 "传真号码：无", "电子邮箱：gkb@example.cn", "意见箱：一楼大厅"):  # fmt: skip
        assert line in text
    assert "投诉电话" not in text  # empty fields are left out
    assert "2026年3月2日" in text
    with pytest.raises(ValidationError, match="还没有填写机构名称"):
        render_contact_card({"phone": "1"}, UNIT)


def test_contact_card_from_the_saved_card(db, tmp_path):
    card_id = unit_records.save_card(db, {"name": "政务公开办公室", "phone": "0592-1"})
    out = tmp_path / "card.pdf"
    render_contact_card(unit_records.current_card(db), UNIT, out)
    assert card_id and "联系电话：0592-1" in "".join(pdf_text(out.read_bytes())[1])


def test_meetings_ledger(db, tmp_path):
    meetings.add_meeting(db, "2026-03-10", "专题会议", "领导小组", "研究年度政务公开工作要点",
                         ["王海涛", "陈建国"], "印发工作要点", "会议纪要正文", today=TODAY)  # fmt: skip
    meetings.add_meeting(db, "2026-06-01", "局务会", "", "=通报自查情况", "全体局领导", "", "",
                         today=TODAY)  # fmt: skip
    meetings.add_meeting(
        db, "2025-12-01", "专题会议", "领导小组", "上年会议", "", "", "", today=TODAY
    )
    n = write_meetings_ledger(db, YEAR, tmp_path / "会议台账.xlsx")
    assert n == 2
    ws = load_workbook(tmp_path / "会议台账.xlsx").active
    assert ws["A1"].value == f"{UNIT}政务公开会议台账（2026年）"
    assert [c.value for c in ws[2]] == ["序号", "会议日期", "会议类型", "召开机构", "会议议题",
                                        "参会人员", "议定事项", "会议纪要", "计入专题会议"]  # fmt: skip
    first, second = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert first[1].date().isoformat() == "2026-03-10"
    assert first[2:5] == ["专题会议", "政务公开工作领导小组", "研究年度政务公开工作要点"]
    assert first[5] == "王海涛、陈建国" and first[8] == "是"
    assert second[4] == "=通报自查情况" and second[8] == "否"  # stays text, not a formula
    assert ws.freeze_panes == "C3"
