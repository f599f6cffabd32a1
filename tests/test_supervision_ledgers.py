"""监督台账 (issue 4 §7): 投诉与意见台账, 监督检查台账 and 整改台账 read back with openpyxl."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gongkai_desktop.core import complaints as C
from gongkai_desktop.core import inspections as I
from gongkai_desktop.core import rectifications as R
from gongkai_desktop.core.supervision_io import (
    COMPLAINT_HEADERS,
    KEY_HEADERS,
    PATROL_HEADERS,
    RECTIFICATION_HEADERS,
    SELF_HEADERS,
)
from gongkai_desktop.exports.supervision_ledgers import (
    ExportCancelled,
    write_complaints_ledger,
    write_inspections_ledger,
    write_rectifications_ledger,
)

UNIT = "厦门市人力资源和社会保障局"
TODAY = date(2026, 6, 1)


def complaint(db, received, kind="投诉", source="电话", person="王五", today=TODAY, **extra):
    data = {"kind": kind, "source": source, "person": person, "received_date": received}
    data |= {"content": "网站“人事信息”栏目打不开", "handler": "李四", **extra}
    return C.create(db, data, today=today)


def reply(db, cid, on, today=TODAY):
    for step, d in (("受理", on), ("调查核实", on)):
        C.record_step(db, cid, step, d, "李四", today=today)
    C.record_step(db, cid, "答复", on, "李四", today=today, reply_method="电话",
                  reply_content="栏目已恢复，已电话告知")  # fmt: skip


def rows_by(ws, key_col: str, headers) -> dict:
    """Data rows (row 3 on) as {value of key_col: {header: value}}."""
    out = {}
    for cells in ws.iter_rows(min_row=3, values_only=True):
        row = dict(zip(headers, cells, strict=False))
        out[row[key_col]] = row
    return out


def check_layout(ws, title: str, headers) -> None:
    last = get_column_letter(len(headers))
    assert ws["A1"].value == title
    assert ws["A1"].font.b and ws["A1"].font.sz > 11
    assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{last}1"]
    assert [c.value for c in ws[2]] == list(headers)
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes in ("B3", "C3")
    assert ws.auto_filter.ref.startswith("A2:" + last)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"


# -- 投诉与意见台账 -------------------------------------------------------------------------


@pytest.fixture
def complaints_db(db):
    on_time = complaint(db, "2026-02-02", contact="+86 138 0000 0000",
                        content="=HYPERLINK(\"http://x\") 栏目打不开")  # fmt: skip
    reply(db, on_time, "2026-02-20")
    late = complaint(db, "2026-03-02", kind="举报", source="意见箱", person="")  # anonymous
    reply(db, late, "2026-04-10")  # due 2026-04-01
    complaint(db, "2026-04-20", kind="咨询", source="来访")  # due 2026-05-20, never answered
    opinion = complaint(db, "2026-05-06", kind="意见建议", source="网站留言", person="陈六")
    C.forward_to_principal(db, opinion, "2026-05-08", "赵局长", "李四", today=TODAY)
    return db


def export_complaints(db, tmp_path, today=TODAY):
    out = tmp_path / "投诉与意见台账.xlsx"
    n = write_complaints_ledger(db, 2026, out, today=today)
    return n, load_workbook(out).active


def test_complaints_ledger_layout_and_rows(complaints_db, tmp_path):
    n, ws = export_complaints(complaints_db, tmp_path)
    assert n == 4
    check_layout(ws, f"{UNIT}投诉与意见台账（2026年）", COMPLAINT_HEADERS)
    rows = rows_by(ws, "编号", COMPLAINT_HEADERS)
    assert list(rows) == ["2026-001", "2026-002", "2026-003", "2026-004"]
    first = rows["2026-001"]
    assert first["收到日期"] == datetime(2026, 2, 2)
    assert first["答复期限"] == datetime(2026, 3, 4)  # 30 natural days
    assert first["答复日期"] == datetime(2026, 2, 20)
    assert first["是否按时答复"] == "按时" and first["反映人"] == "王五"
    assert first["答复方式"] == "电话" and "栏目已恢复" in first["答复内容"]


def test_dates_are_real_excel_dates(complaints_db, tmp_path):
    _, ws = export_complaints(complaints_db, tmp_path)
    col = COMPLAINT_HEADERS.index("收到日期") + 1
    cell = ws.cell(row=3, column=col)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_anonymous_shows_as_anonymous_and_late_reply_is_marked(complaints_db, tmp_path):
    _, ws = export_complaints(complaints_db, tmp_path)
    rows = rows_by(ws, "编号", COMPLAINT_HEADERS)
    late = rows["2026-002"]
    assert late["反映人"] == "匿名"
    assert late["答复期限"] == datetime(2026, 4, 1) and late["答复日期"] == datetime(2026, 4, 10)
    assert late["是否按时答复"] == "逾期" and late["状态"] == "逾期答复"
    pending = rows["2026-003"]
    assert pending["是否按时答复"] == "逾期未答复" and pending["状态"] == "已逾期"
    assert pending["答复日期"] is None


def test_opinion_forwarded_to_the_principal(complaints_db, tmp_path):
    _, ws = export_complaints(complaints_db, tmp_path)
    row = rows_by(ws, "编号", COMPLAINT_HEADERS)["2026-004"]
    assert row["转送主要负责人日期"] == datetime(2026, 5, 8)
    assert row["主要负责人"] == "赵局长"
    # 2026-05-08 + 30 = 2026-06-07, a Sunday: moved to Monday (RULES.md §1)
    assert row["负责人答复期限"] == datetime(2026, 6, 8)
    assert row["负责人答复情况"] == "待答复" and row["负责人答复日期"] is None
    _, ws = export_complaints(complaints_db, tmp_path, today=date(2026, 6, 9))
    assert rows_by(ws, "编号", COMPLAINT_HEADERS)["2026-004"]["负责人答复情况"] == "已逾期"


def test_formula_like_text_stays_text(complaints_db, tmp_path):
    _, ws = export_complaints(complaints_db, tmp_path)
    content = ws.cell(row=3, column=COMPLAINT_HEADERS.index("内容") + 1)
    contact = ws.cell(row=3, column=COMPLAINT_HEADERS.index("联系方式") + 1)
    assert content.value == '=HYPERLINK("http://x") 栏目打不开' and content.data_type == "s"
    assert contact.value == "+86 138 0000 0000" and contact.data_type == "s"
    assert content.quotePrefix and contact.quotePrefix


def test_deadline_into_an_unpublished_year_is_marked_provisional(db, tmp_path):
    # 2026-12-15 + 30 days = 2027-01-14; 2027's schedule is not published (RULES.md §1)
    complaint(db, "2026-12-15", today=date(2026, 12, 20))
    _, ws = export_complaints(db, tmp_path, today=date(2026, 12, 20))
    row = rows_by(ws, "编号", COMPLAINT_HEADERS)["2026-001"]
    assert row["期限说明"].startswith("推算") and "2027年" in row["期限说明"]


def test_other_years_are_left_out(complaints_db, tmp_path):
    complaint(complaints_db, "2025-12-30", today=TODAY)
    n, _ = export_complaints(complaints_db, tmp_path)
    assert n == 4


# -- 监督检查台账 -----------------------------------------------------------------------------


@pytest.fixture
def inspections_db(db):
    I.add_patrol(db, "2026-03-02", "李四", "门户网站政府信息公开专栏",
                 "栏目更新、链接有效性", "“人事信息”栏目3条信息发布迟延", today=TODAY)  # fmt: skip
    I.add_patrol(db, "2026-01-05", "王芳", "公开栏", "张贴内容", "", today=TODAY)
    I.add_key_inspection(
        db, "2026-05-20", "李明（组长）、王芳", "专栏、依申请公开、查阅室",
        "专栏部分信息公开不及时", "总体规范", who="李明",
        rectifications=[{"problem": "专栏信息公开不及时", "responsible": "王芳",
                         "measure": "每周核对", "due_date": "2026-06-30"}],
        today=TODAY,
    )  # fmt: skip
    I.add_self_inspection(db, "2026-04-10", "@公开指南未更新联系电话", "局务会", "2026-04-15",
                          today=TODAY)  # fmt: skip
    return db


def export_inspections(db, tmp_path, today):
    out = tmp_path / "监督检查台账.xlsx"
    counts = write_inspections_ledger(db, 2026, out, today=today)
    return counts, load_workbook(out)


def test_inspections_ledger_has_three_sheets(inspections_db, tmp_path):
    counts, wb = export_inspections(inspections_db, tmp_path, date(2026, 12, 10))
    assert wb.sheetnames == ["日常巡查", "半年重点检查", "定期自查"]
    assert counts == (2, 2, 1)  # the missing second half is a row too
    title = f"{UNIT}监督检查台账（2026年）·"
    for name, headers in zip(wb.sheetnames, (PATROL_HEADERS, KEY_HEADERS, SELF_HEADERS),
                             strict=True):  # fmt: skip
        check_layout(wb[name], title + name, headers)
    patrols = list(wb["日常巡查"].iter_rows(min_row=3, values_only=True))
    assert [p[1] for p in patrols] == [datetime(2026, 1, 5), datetime(2026, 3, 2)]
    assert patrols[1][2:] == (
        "李四",
        "门户网站政府信息公开专栏",
        "栏目更新、链接有效性",
        "“人事信息”栏目3条信息发布迟延",
        None,  # no rectification
    )
    selfs = wb["定期自查"]
    assert selfs["B3"].is_date and selfs["E3"].value == datetime(2026, 4, 15)
    assert selfs["D3"].value == "局务会"
    assert selfs["C3"].value == "@公开指南未更新联系电话" and selfs["C3"].data_type == "s"


def test_half_year_without_key_inspection_is_flagged(inspections_db, tmp_path):
    _, wb = export_inspections(inspections_db, tmp_path, date(2026, 12, 10))
    rows = rows_by(wb["半年重点检查"], "半年", KEY_HEADERS)
    h1, h2 = rows["2026年上半年"], rows["2026年下半年"]
    assert h1["检查情况"] == "已检查" and h1["检查日期"] == datetime(2026, 5, 20)
    assert h1["发现问题"] == "专栏部分信息公开不及时" and h1["检查结论"] == "总体规范"
    assert h1["整改事项"].startswith("1项") and h1["检查报告"] == "未生成"
    assert h2["检查情况"] == "即将结束未检查" and h2["检查日期"] is None
    assert "尚未登记重点检查" in h2["说明"]
    _, wb = export_inspections(inspections_db, tmp_path, date(2027, 1, 10))
    h2 = rows_by(wb["半年重点检查"], "半年", KEY_HEADERS)["2026年下半年"]
    assert h2["检查情况"] == "已过期未检查" and "没有登记重点检查" in h2["说明"]


def test_stored_report_is_shown(inspections_db, tmp_path):
    kid = I.key_inspections(inspections_db, 2026)[0]["id"]
    I.store_report(inspections_db, kid, b"%PDF-1.4 report")
    _, wb = export_inspections(inspections_db, tmp_path, date(2026, 7, 1))
    assert rows_by(wb["半年重点检查"], "半年", KEY_HEADERS)["2026年上半年"]["检查报告"] == "已生成"


# -- 整改台账 ---------------------------------------------------------------------------------


def test_rectifications_ledger(inspections_db, tmp_path):
    db = inspections_db
    cid = complaint(db, "2026-02-02")
    reply(db, cid, "2026-02-20")
    C.record_step(db, cid, "整改", "2026-02-25", "李四", today=TODAY, rectifications=[
        {"problem": "=栏目链接失效", "responsible": "信息科", "measure": "修复链接",
         "due_date": "2026-03-10"}])  # fmt: skip
    done = R.create(db, source="自查", problem="公开指南未更新", responsible="办公室",
                    measure="更新指南", due_date="2026-05-01", today=TODAY,
                    found_date="2026-04-10")  # fmt: skip
    R.complete(db, done, "2026-04-28", "更新后的公开指南截图", today=TODAY)
    patrol = I.add_patrol(db, "2026-05-04", "李四", "公开栏", "张贴内容", "公开栏仍张贴过期公告",
                 today=TODAY, rectifications=[{"problem": "公开栏张贴过期公告",
                 "responsible": "办公室", "due_date": "2026-05-08"}])  # fmt: skip
    R.complete(
        db, R.for_source(db, "patrols", patrol)[0]["id"], "2026-05-12", "更换后的照片", today=TODAY
    )
    out = tmp_path / "整改台账.xlsx"
    assert write_rectifications_ledger(db, 2026, out, today=TODAY) == 4
    ws = load_workbook(out).active
    check_layout(ws, f"{UNIT}整改台账（2026年）", RECTIFICATION_HEADERS)
    rows = rows_by(ws, "问题", RECTIFICATION_HEADERS)
    c = rows["=栏目链接失效"]
    assert c["来源"] == "投诉" and c["来源记录"] == "2026-001号" and c["责任人"] == "信息科"
    assert c["整改期限"] == datetime(2026, 3, 10) and c["完成日期"] is None
    assert c["状态"] == "已逾期"
    cell = ws.cell(row=3, column=RECTIFICATION_HEADERS.index("问题") + 1)
    assert cell.value == "=栏目链接失效" and cell.data_type == "s"
    k = rows["专栏信息公开不及时"]
    assert k["来源"] == "监督检查" and k["来源记录"] == "2026年上半年重点检查（2026-05-20）"
    assert k["状态"] == "整改中"
    s = rows["公开指南未更新"]
    assert s["状态"] == "已完成" and s["完成日期"] == datetime(2026, 4, 28)
    assert s["整改佐证"] == "更新后的公开指南截图"
    p = rows["公开栏张贴过期公告"]
    assert p["来源记录"] == "日常巡查（2026-05-04）" and p["状态"] == "逾期完成"


# -- cancel and bad paths -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "write", [write_complaints_ledger, write_inspections_ledger, write_rectifications_ledger]
)
def test_cancel_leaves_no_file(complaints_db, tmp_path, write):
    out = tmp_path / "台账.xlsx"
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return False

    with pytest.raises(ExportCancelled, match="已取消导出"):
        write(complaints_db, 2026, out, progress, today=TODAY)
    assert calls and not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".*.tmp"))


def test_cancel_in_the_last_sheet_leaves_no_file(inspections_db, tmp_path):
    out = tmp_path / "监督检查台账.xlsx"
    seen = []

    def progress(done, total):
        seen.append(done)
        return done < total  # cancel once everything is written, before the rename

    with pytest.raises(ExportCancelled):
        write_inspections_ledger(inspections_db, 2026, out, progress, today=TODAY)
    assert seen[-1] == 5  # 2 patrols, 2 half-year rows, 1 self-inspection
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".*.tmp"))


def test_bad_year_and_folder_are_refused(db, tmp_path):
    from gongkai_desktop.core.errors import UserError

    with pytest.raises(UserError, match="年份"):
        write_complaints_ledger(db, 26, tmp_path / "a.xlsx")
    with pytest.raises(UserError, match="文件夹"):
        write_rectifications_ledger(db, 2026, tmp_path)
