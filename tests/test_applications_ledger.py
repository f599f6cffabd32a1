"""依申请公开登记台账 (.xlsx): layout, real dates, result labels, formula-safe text, round trip,
and an atomic import that names row, column and fix for every bad cell."""

import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from gongkai_desktop.core import applications as A
from gongkai_desktop.core import demo_data, profile
from gongkai_desktop.core.application_import import ImportRejected
from gongkai_desktop.core.application_io import LEDGER_HEADERS
from gongkai_desktop.core.db import connect
from gongkai_desktop.core.demo_applications import add_demo_applications
from gongkai_desktop.core.errors import UserError
from gongkai_desktop.exports.applications_ledger import (
    ExportCancelled,
    import_applications_ledger,
    write_applications_ledger,
)

TODAY = date(2026, 6, 1)
REQUIRED = [
    "申请编号",
    "收到日期",
    "申请人类型",
    "申请人",
    "申请方式",
    "申请内容",
    "补正告知日期",
    "补正收到日期",
    "征求意见开始日期",
    "征求意见结束日期",
    "延期工作日",
    "答复日期",
    "办理结果",
    "答复期限",
    "是否逾期",
]  # issue 3, spelled exactly
COL = {h: i for i, h in enumerate(LEDGER_HEADERS)}


def new(db, received="2026-02-10", name="王五", content="2025年就业补贴发放名单", app_no=None):
    data = {
        "applicant_type": "自然人",
        "applicant_name": name,
        "phone": "1380000",
        "channel": "当面",
        "received_date": received,
        "content": content,
    }
    return A.create(db, data, who="李四", today=TODAY, app_no=app_no)


def export(db, tmp_path, name="台账.xlsx", today=TODAY):
    out = tmp_path / name
    n = write_applications_ledger(db, 2026, out, today=today)
    return n, out, load_workbook(out).active


def rows(ws):
    return [
        {h: c for h, c in zip(LEDGER_HEADERS, r, strict=False)} for r in ws.iter_rows(min_row=3)
    ]


def values(path):
    return [r for r in load_workbook(path).active.iter_rows(min_row=3, values_only=True)]


def fresh(tmp_path, name="fresh.db"):
    d = connect(tmp_path / name)
    profile.save(
        d,
        profile.UnitProfile(
            unit_name="厦门市人力资源和社会保障局", fonds_no="X001", operator="张三"
        ),
    )
    return d


def snapshot(db):
    return [
        db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("applications", "app_pauses", "app_events", "audit")
    ]


def test_title_headers_and_print_setup(db, tmp_path):
    new(db)
    n, out, ws = export(db, tmp_path)
    assert n == 1
    assert ws["A1"].value == "厦门市人力资源和社会保障局依申请公开登记台账（2026年）"
    headers = [c.value for c in ws[2]]
    assert headers[: len(REQUIRED)] == REQUIRED and headers == list(LEDGER_HEADERS)
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "B3" and ws.auto_filter.ref == f"A2:U{ws.max_row}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"
    assert ws.column_dimensions["F"].width > ws.column_dimensions["E"].width  # 申请内容 is wide


def test_row_values_dates_results_and_consultations(db, tmp_path):
    a = new(db)
    A.request_supplement(db, a, "2026-02-12", "请写明年份", "2026-03-05", "李四", today=TODAY)
    A.receive_supplement(db, a, "2026-02-25", "李四", today=TODAY)
    p = A.start_consultation(db, a, "第三方", "厦门某公司", "2026-03-02", "李四", today=TODAY)
    A.end_consultation(db, p, "2026-03-10", "同意公开", "李四", today=TODAY)
    q = A.start_consultation(db, a, "其他机关", "市财政局", "2026-03-11", "李四", today=TODAY)
    A.end_consultation(db, q, None, "", "李四", today=TODAY)
    A.extend(db, a, 10, "赵主任", "2026-04-02", "2026-04-02", "李四", today=TODAY)
    A.answer(
        db,
        a,
        answer_type=3,
        result="不予公开",
        reason="属于国家秘密",
        answer_date="2026-04-20",
        who="李四",
        today=TODAY,
    )
    late = new(db, "2026-04-20", name="林志强")  # open past its due date
    _, _, ws = export(db, tmp_path)
    r, o = rows(ws)
    for h, want in (
        ("收到日期", date(2026, 2, 10)),
        ("补正告知日期", date(2026, 2, 12)),
        ("补正收到日期", date(2026, 2, 25)),
        ("征求意见开始日期", date(2026, 3, 2)),
        ("征求意见结束日期", date(2026, 4, 1)),
        ("答复日期", date(2026, 4, 20)),
        ("答复期限", date(2026, 5, 13)),
        ("补正期限", date(2026, 3, 5)),
    ):
        cell = r[h]
        assert cell.is_date and isinstance(cell.value, datetime), h
        assert (cell.value.date(), cell.number_format) == (want, "yyyy-mm-dd"), h
    assert r["办理结果"].value == "不予公开/属于国家秘密"
    assert (r["延期工作日"].value, r["延期批准人"].value) == (10, "赵主任")
    assert (r["是否逾期"].value, r["当前状态"].value, r["答复类型"].value) == (
        "否",
        "已办结",
        "不予公开",
    )
    assert r["征求意见明细"].value.splitlines() == [
        "第三方：厦门某公司，2026-03-02发出，2026-03-10答复，同意公开",
        "其他机关：市财政局，2026-03-11发出，未答复，逾期未提出意见，视为同意（条例第三十四条）",
    ]
    assert ws.row_dimensions[3].height > 15  # wrapped rows get a height (LibreOffice/WPS)
    assert (o["申请人"].value, o["是否逾期"].value, o["办理结果"].value) == ("林志强", "是", None)
    assert A.get(db, late)["state"] == "办理中"


def test_a_result_without_reasons_is_written_alone(db, tmp_path):
    a = new(db)
    A.answer(
        db, a, answer_type=2, result="部分公开", answer_date="2026-03-02", who="李四", today=TODAY
    )
    _, _, ws = export(db, tmp_path)
    assert rows(ws)[0]["办理结果"].value == "部分公开"


@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "+86 电话", "-2026 计划", "@all"])
def test_formula_like_text_stays_text(db, tmp_path, text):
    new(db, name=text, content=text)
    _, out, ws = export(db, tmp_path)
    r = rows(ws)[0]
    for h in ("申请人", "申请内容"):
        assert r[h].value == text and r[h].data_type == "s", h
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet


def test_provisional_deadline_is_marked(db, tmp_path):
    late = date(2026, 12, 31)
    A.create(
        db,
        {
            "applicant_type": "自然人",
            "applicant_name": "王五",
            "phone": "1",
            "channel": "当面",
            "received_date": "2026-12-21",
            "content": "年底申请",
        },
        today=late,
    )
    _, _, ws = export(db, tmp_path, today=late)
    r = rows(ws)[0]
    assert r["答复期限"].value.year == 2027 and r["期限说明"].value == "推算：2027年放假安排未公布"


def test_cancel_leaves_no_file(db, tmp_path):
    new(db)
    with pytest.raises(ExportCancelled):
        write_applications_ledger(
            db, 2026, tmp_path / "x.xlsx", lambda done, total: False, today=TODAY
        )
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_round_trip_of_a_demo_year(tmp_path):
    src = connect(tmp_path / "demo.db")
    profile.save(src, demo_data.PROFILE)
    today = date(2026, 11, 27)
    add_demo_applications(src, today)
    first = tmp_path / "a.xlsx"
    n = write_applications_ledger(src, 2026, first, today=today)
    dst = fresh(tmp_path)
    assert len(import_applications_ledger(dst, first, today=today)) == n >= 40
    again = tmp_path / "b.xlsx"
    write_applications_ledger(dst, 2026, again, today=today)
    assert values(again) == values(first)
    sql = "SELECT app_no, state, answer_due, provisional, result, result_reason FROM applications ORDER BY app_no"
    assert dst.execute(sql).fetchall() == src.execute(sql).fetchall()
    assert {r[0] for r in dst.execute("SELECT step FROM app_events")} == {"登记", "导入"}


def sheet(tmp_path, data, head=REQUIRED, title=None, name="导入.xlsx"):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(head)
    for r in data:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


GOOD = [
    "2025-0031",
    "2025-11-03",
    "商业企业",
    "厦门鹭海信息科技有限公司",
    "网络",
    "稳岗返还名单",
    None,
    None,
    "2025-11-05",
    "2025-11-12",
    5,
    "2025-12-10",
    "予以公开",
    None,
    None,
]


def test_a_clerks_sheet_with_a_title_row_imports(db, tmp_path):
    path = sheet(
        tmp_path,
        [GOOD, ["", "2026-05-20", "自然人", "林志强", "当面", "工伤认定"] + [None] * 9],
        title="2025年依申请公开台账",
    )
    ids = import_applications_ledger(db, path, today=TODAY)
    a, b = (A.get(db, i) for i in ids)
    assert (a["app_no"], a["state"], a["extension_days"], a["closed_date"]) == (
        "2025-0031",
        "已办结",
        5,
        "2025-12-10",
    )
    p = A.pauses(db, a["id"])
    assert [(x["kind"], x["start"], x["reply"]) for x in p] == [
        ("第三方", "2025-11-05", "2025-11-12")
    ]
    assert A.clock(db, a["id"], today=TODAY).paused_working_days == 6
    assert b["app_no"] == "2026-0001" and b["state"] == "办理中"  # blank number: a new one


@pytest.mark.parametrize(
    ("col", "value", "message"),
    [
        ("收到日期", "2025-13-01", "第2行“收到日期”：“2025-13-01”不是有效日期"),
        ("申请人", None, "第2行“申请人”：没有填写"),
        ("申请人类型", "个体户", "第2行“申请人类型”：“个体户”无法识别，可填：自然人"),
        ("申请方式", "微信", "第2行“申请方式”：“微信”无法识别"),
        ("办理结果", "不予公开/太敏感", "第2行“办理结果”：“不予公开/太敏感”无法识别"),
        ("办理结果", None, "第2行“办理结果”：填写了答复日期，请同时填写办理结果"),
        ("延期工作日", 30, "第2行“延期工作日”：“30”应为 0 到 20 之间的整数"),
        ("答复日期", "2025-11-01", "第2行“答复日期”：2025-11-01 早于收到日期 2025-11-03"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(db, tmp_path, col, value, message):
    new(db)
    before = snapshot(db)
    bad = list(GOOD)
    bad[REQUIRED.index(col)] = value
    path = sheet(tmp_path, [bad, ["2025-0032", *GOOD[1:]]])
    with pytest.raises(ImportRejected, match=message) as e:
        import_applications_ledger(db, path, today=TODAY)
    assert "没有导入任何申请" in str(e.value)
    assert snapshot(db) == before


def test_duplicate_numbers_in_the_file_and_in_the_database(db, tmp_path):
    new(db, app_no="2025-0099")
    before = snapshot(db)
    path = sheet(tmp_path, [GOOD, GOOD, ["2025-0099", *GOOD[1:]]])
    with pytest.raises(ImportRejected) as e:
        import_applications_ledger(db, path, today=TODAY)
    assert e.value.errors == [
        "第3行“申请编号”：“2025-0031”与第2行重复，每件申请的编号必须不同。",
        "第4行“申请编号”：“2025-0099”已经登记在本数据库中，请删除这一行或改用新编号。",
    ]
    assert snapshot(db) == before


def test_missing_columns_and_broken_files(db, tmp_path):
    path = sheet(tmp_path, [["2025-11-03", "林志强"]], head=["收到日期", "申请人"])
    with pytest.raises(ImportRejected, match="表头缺少“申请人类型”、“申请方式”、“申请内容”列"):
        import_applications_ledger(db, path, today=TODAY)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(UserError, match="不是有效的 Excel 工作簿"):
        import_applications_ledger(db, broken, today=TODAY)
    with pytest.raises(UserError, match="找不到依申请公开台账的表头"):
        import_applications_ledger(
            db, sheet(tmp_path, [], head=["信息名称"], name="x.xlsx"), today=TODAY
        )
