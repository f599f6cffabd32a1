"""公开事项登记台账 export (.xlsx): layout, real dates, formula-safe text, print setup, cancel."""

import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gongkai_desktop.core import items, workflow
from gongkai_desktop.core.errors import UserError
from gongkai_desktop.core.registry_io import LEDGER_HEADERS
from gongkai_desktop.exports.registry_ledger import ExportCancelled, write_registry_ledger

TODAY = date(2026, 6, 1)
COL = {h: i + 1 for i, h in enumerate(LEDGER_HEADERS)}
LAST = get_column_letter(len(LEDGER_HEADERS))


def new_item(db, title, formed, *, published=None, stage="提出", today=TODAY, **extra):
    data = {"title": title, "formed_date": formed, "category": "财务人事", **extra}
    if published:
        data["published_date"] = published
    return items.create(db, data, stage=stage, today=today)


def walk(db, item_id, until, day, today=TODAY):
    """Record the procedure's steps up to (not including) *until*."""
    extras = {
        "初审": {"secrecy": "不涉密", "exemption": "无", "review_reason": "不涉及秘密和隐私"},
        "公开": {"channels": ["门户网站", "固定公开栏"], "url": "http://rsj.xm.gov.cn/1"},
    }
    for step in workflow.STEPS[: workflow.STAGES.index(until)]:
        items.record_step(
            db,
            item_id,
            workflow.StepInput(
                step,
                workflow.COMPLETE,
                "张三",
                day,
                result=workflow.DEFAULT_RESULT[step],
                extra=extras.get(step, {}),
            ),
            today=today,
        )


def export(db, tmp_path, year=2026, today=TODAY, **kw):
    out = tmp_path / "台账.xlsx"
    n = write_registry_ledger(db, year, out, today=today, **kw)
    return n, load_workbook(out).active


def data_rows(ws):
    return list(ws.iter_rows(min_row=3))


def test_title_row_names_the_unit_and_year(db, tmp_path):
    new_item(db, "2026年部门预算", "2026-02-10")
    _, ws = export(db, tmp_path)
    assert ws["A1"].value == "厦门市人力资源和社会保障局公开事项登记台账（2026年）"
    assert ws["A1"].font.b and ws["A1"].font.sz > 11
    assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{LAST}1"]


def test_headers_in_chinese(db, tmp_path):
    _, ws = export(db, tmp_path)
    headers = [c.value for c in ws[2]]
    assert headers == list(LEDGER_HEADERS)
    for must in ("信息名称", "文号", "生成日期", "公开日期", "主题分类", "当前环节", "期限状态"):
        assert must in headers
    assert all(c.font.b for c in ws[2])


def test_dates_are_real_excel_dates(db, tmp_path):
    # RULES §1 worked example: 2026-02-10 + 20 working days = 2026-03-16
    new_item(db, "春节前形成的信息", "2026-02-10", published="2026-03-16", stage="反馈")
    _, ws = export(db, tmp_path)
    row = data_rows(ws)[0]
    for h, want in (
        ("生成日期", date(2026, 2, 10)),
        ("公开期限", date(2026, 3, 16)),
        ("公开日期", date(2026, 3, 16)),
    ):
        cell = row[COL[h] - 1]
        assert cell.is_date and isinstance(cell.value, datetime), h
        assert cell.value.date() == want and cell.number_format == "yyyy-mm-dd"
    assert row[COL["期限状态"] - 1].value == "按时公开"


def test_row_values_as_a_clerk_reads_them(db, tmp_path):
    a = new_item(
        db,
        "就业补贴政策解读",
        "2026-03-02",
        doc_no="厦人社〔2026〕12号",
        issuer="就业处",
        keywords="就业 补贴",
        major_decision=True,
    )
    walk(db, a, "反馈", date(2026, 3, 5))
    new_item(db, "逾期未公开的信息", "2026-03-02", stage="初审")
    new_item(db, "晚公开的信息", "2026-02-10", published="2026-03-17", stage="反馈")
    new_item(db, "下一年度的信息", "2027-01-05", today=date(2027, 1, 6))
    n, ws = export(db, tmp_path)
    assert n == 3  # only 2026
    rows = {
        r[COL["信息名称"] - 1].value: {h: r[i - 1].value for h, i in COL.items()}
        for r in data_rows(ws)
    }
    a_row = rows["就业补贴政策解读"]
    assert a_row["主题分类"] == "财务人事"
    assert a_row["公开方式"] == "门户网站、固定公开栏"
    assert a_row["网址"] == "http://rsj.xm.gov.cn/1"
    assert a_row["当前环节"] == "待反馈"
    assert a_row["重大决策"] == "是" and a_row["长期公开"] == "否"
    assert a_row["文号"] == "厦人社〔2026〕12号" and a_row["索引号"].startswith("X001-")
    assert rows["逾期未公开的信息"]["当前环节"] == "待初审"
    assert rows["逾期未公开的信息"]["期限状态"] == "已逾期"
    assert rows["晚公开的信息"]["期限状态"] == "逾期公开"
    assert [r[0].value for r in data_rows(ws)] == [1, 2, 3]  # 序号, oldest first


def test_provisional_deadline_marked_in_its_own_column(db, tmp_path):
    late = date(2026, 12, 31)
    new_item(db, "年底形成的信息", "2026-12-20", today=late)
    _, ws = export(db, tmp_path, today=late)
    row = data_rows(ws)[0]
    due = row[COL["公开期限"] - 1]
    assert due.is_date and due.value.year == 2027
    assert "推算" in row[COL["期限说明"] - 1].value and "2027年" in row[COL["期限说明"] - 1].value
    assert row[COL["期限状态"] - 1].value == "未到期"


@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "+86 电话", "-2026 计划", "@all", "#N/A"])
def test_formula_like_text_stays_text(db, tmp_path, text):
    new_item(db, text, "2026-02-10", doc_no=text, keywords=text)
    out = tmp_path / "台账.xlsx"
    write_registry_ledger(db, 2026, out, today=TODAY)
    ws = load_workbook(out).active
    row = data_rows(ws)[0]
    for h in ("信息名称", "文号", "关键词"):
        cell = row[COL[h] - 1]
        assert cell.value == text and cell.data_type == "s", h
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet


def test_control_characters_from_pasted_text_do_not_break_the_export(db, tmp_path):
    new_item(db, "粘贴\x0b来的标题", "2026-02-10")
    _, ws = export(db, tmp_path)
    assert data_rows(ws)[0][COL["信息名称"] - 1].value == "粘贴来的标题"


def test_frozen_header_filter_widths_and_wrap(db, tmp_path):
    for k in range(3):
        new_item(db, f"事项{k}", "2026-02-10")
    _, ws = export(db, tmp_path)
    assert ws.freeze_panes == "D3"
    assert ws.auto_filter.ref == f"A2:{LAST}5"
    widths = {h: ws.column_dimensions[get_column_letter(i)].width for h, i in COL.items()}
    assert widths["信息名称"] == max(widths.values())
    assert data_rows(ws)[0][COL["信息名称"] - 1].alignment.wrap_text


def test_print_setup_a4_landscape_titles_on_every_page(db, tmp_path):
    _, ws = export(db, tmp_path)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$1:$2"
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True


def test_empty_year_gives_a_header_only_ledger(db, tmp_path):
    n, ws = export(db, tmp_path, year=2025)
    assert n == 0 and [c.value for c in ws[2]] == list(LEDGER_HEADERS)
    assert ws["A1"].value.endswith("（2025年）")


@pytest.mark.parametrize("stop_at", ["start", "end"])
def test_cancel_leaves_no_file_and_no_temp_file(db, tmp_path, stop_at):
    new_item(db, "事项", "2026-02-10")
    folder = tmp_path / "out"
    folder.mkdir()
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return stop_at == "end" and done < total or stop_at == "start" and done > 0

    with pytest.raises(ExportCancelled) as e:
        write_registry_ledger(db, 2026, folder / "台账.xlsx", progress, today=TODAY)
    assert "取消" in str(e.value)
    assert list(folder.iterdir()) == []
    assert calls[-1] == ((0, 1) if stop_at == "start" else (1, 1))


def test_cancel_keeps_the_previous_file_untouched(db, tmp_path):
    new_item(db, "事项", "2026-02-10")
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"old ledger")
    with pytest.raises(ExportCancelled):
        write_registry_ledger(db, 2026, out, lambda d, t: d < t, today=TODAY)
    assert out.read_bytes() == b"old ledger"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_progress_reaches_the_total(db, tmp_path):
    for k in range(3):
        new_item(db, f"事项{k}", "2026-02-10")
    seen = []
    write_registry_ledger(
        db, 2026, tmp_path / "a.xlsx", lambda d, t: seen.append((d, t)) or True, today=TODAY
    )
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


def test_bad_year_and_missing_folder_are_refused(db, tmp_path):
    with pytest.raises(UserError, match="年份"):
        write_registry_ledger(db, 20266, tmp_path / "a.xlsx")
    with pytest.raises(UserError, match="不存在"):
        write_registry_ledger(db, 2026, tmp_path / "无此文件夹" / "a.xlsx")
    with pytest.raises(UserError, match="文件夹"):
        write_registry_ledger(db, 2026, tmp_path)


def test_long_titles_get_row_heights_so_wrapped_text_does_not_overlap(db, tmp_path):
    from datetime import date as _date

    import openpyxl

    from gongkai_desktop.core import items
    from gongkai_desktop.exports.registry_ledger import (
        LINE_HEIGHT,
        text_lines,
        write_registry_ledger,
    )

    assert text_lines("预算", 40) == 1 and text_lines("预" * 40, 40) == 3
    long_id = items.create(db, {"title": "关于" + "进一步做好人才引进和服务保障工作" * 3 + "的通知",
                                "formed_date": "2026-03-02", "category": "其他"}, today=_date(2026, 11, 27))
    items.create(db, {"title": "短标题", "formed_date": "2026-03-03", "category": "其他"},
                 today=_date(2026, 11, 27))
    out = tmp_path / "h.xlsx"
    write_registry_ledger(db, 2026, out, today=_date(2026, 11, 27))
    ws = openpyxl.load_workbook(out).active
    heights = {r: ws.row_dimensions[r].height for r in (3, 4)}
    titles = {ws.cell(r, 3).value: r for r in (3, 4)}
    assert heights[titles[items.get(db, long_id)["title"]]] >= 2 * LINE_HEIGHT
    assert heights[titles["短标题"]] is None  # one line: left to the spreadsheet
