"""年度报告 tab (pytest-qt): tables 三/四 computed from the applications and shown like the
official form, table 二's figures and the texts filled and saved, the checks with ✔/✘,
xlsx and PDF exported through the worker and read back, publish → the year is locked
and an answer dated in it is refused; unlock with a reason → allowed and flagged."""

from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from support import click, main_window_on, qd, type_text

from gongkai_desktop.core import annual_report, applications, items, year_lock
from gongkai_desktop.ui.annual_report_grids import CELL
from gongkai_desktop.ui.application_dialog import ApplicationDialog

TODAY = date(2027, 1, 20)  # the 2026 report is due on 31 January (政府部门)
UNIT = "厦门市人力资源和社会保障局"


def intake(**over) -> dict:
    data = {"applicant_type": "自然人", "applicant_name": "王五", "phone": "13800000000",
            "channel": "当面", "received_date": "2026-03-02", "content": "社会保险基金收支情况"}  # fmt: skip
    return data | over


@pytest.fixture
def records(db):
    """2026: two answered (one 商业企业 refused as 国家秘密), one carried in from 2025 and
    answered in January, one still open on 31 December; one 规范性文件 issued."""
    ids = {}
    ids["a"] = applications.create(db, intake(), today=TODAY)
    applications.answer(db, ids["a"], answer_type=1, result="予以公开",
                        answer_date="2026-03-10", who="张三", today=TODAY)  # fmt: skip
    ids["b"] = applications.create(
        db, intake(applicant_type="商业企业", applicant_name="厦门鹭海科技有限公司",
                   received_date="2026-05-06"), today=TODAY)  # fmt: skip
    applications.answer(db, ids["b"], answer_type=3, result="不予公开", reason="属于国家秘密",
                        answer_date="2026-05-20", who="张三", today=TODAY)  # fmt: skip
    ids["in"] = applications.create(
        db, intake(applicant_type="法律服务机构", applicant_name="福建鹭江律师事务所",
                   received_date="2025-12-22"), today=TODAY)  # fmt: skip
    applications.answer(db, ids["in"], answer_type=1, result="予以公开",
                        answer_date="2026-01-08", who="张三", today=TODAY)  # fmt: skip
    ids["open"] = applications.create(
        db, intake(applicant_name="陈秀英", received_date="2026-12-21"), today=TODAY
    )
    items.create(db, {"title": "关于调整最低工资标准的通知", "category": "03",
                      "doc_no": "厦人社规〔2026〕3号", "formed_date": "2026-04-01"}, today=TODAY)  # fmt: skip
    return ids


@pytest.fixture
def window(qtbot, db, records, tmp_path):
    with main_window_on(qtbot, db, tmp_path, TODAY, "annual_report") as w:
        yield w


def row_of(grid, label: str) -> int:
    """The grid row whose label cell (any of the first three columns) starts with *label*."""
    for r in range(grid.rowCount()):
        for c in range(3):
            it = grid.item(r, c)
            if it is not None and it.text().startswith(label):
                return r
    raise AssertionError(label)


def numbers(grid, r: int, first: int = 3) -> list[int]:
    return [int(grid.item(r, c).text()) for c in range(first, grid.columnCount())]


def figure_cell(grid, row: str):
    for r in range(grid.rowCount()):
        for c in range(grid.columnCount()):
            it = grid.item(r, c)
            if it is not None and it.data(CELL) and it.data(CELL)[0] == row:
                return it
    raise AssertionError(row)


def type_figure(qtbot, grid, row: str, text: str) -> None:
    """Type into a table-2 cell as the clerk does: select it, type, Enter."""
    it = figure_cell(grid, row)
    grid.setFocus()
    grid.setCurrentItem(it)
    qtbot.keyClick(grid, text[0])
    editors = [e for e in grid.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1  # the cell's editor is open
    editor = editors[0]
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyPress(editor, Qt.Key.Key_Return)  # commits and closes the editor (no release)
    qtbot.waitUntil(lambda: it.text() == text)


def check_lines(tab) -> list[str]:
    return [tab.checks_list.item(i).text() for i in range(tab.checks_list.count())]


def test_tables_computed_and_shown_like_the_official_form(window):
    tab = window.annual_report
    assert tab.year == 2026  # last year's report is the one due
    t3 = tab.grids[3]
    assert t3.item(0, 3).text() == "申请人情况" and t3.columnSpan(0, 3) == 7
    assert t3.item(1, 4).text() == "法人或其他组织" and t3.columnSpan(1, 4) == 5
    assert [t3.item(2, c).text() for c in range(4, 9)] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
    ]  # fmt: skip
    #                                        自然人 商业 科研 公益 法律 其他 总计
    assert numbers(t3, row_of(t3, "一、本年新收")) == [2, 1, 0, 0, 0, 0, 3]
    assert numbers(t3, row_of(t3, "二、上年结转")) == [0, 0, 0, 0, 1, 0, 1]
    assert numbers(t3, row_of(t3, "（一）予以公开")) == [1, 0, 0, 0, 1, 0, 2]
    assert numbers(t3, row_of(t3, "1.属于国家秘密")) == [0, 1, 0, 0, 0, 0, 1]
    assert numbers(t3, row_of(t3, "（七）总计")) == [1, 1, 0, 0, 1, 0, 3]
    assert numbers(t3, row_of(t3, "四、结转下年度")) == [1, 0, 0, 0, 0, 0, 1]
    r = row_of(t3, "三、本年度办理结果")
    assert t3.rowSpan(r, 0) == 22  # （一）…（六）'s 21 rows and （七）
    t4 = tab.grids[4]
    assert t4.item(0, 0).text() == "行政复议" and t4.columnSpan(0, 5) == 10
    assert [t4.item(3, c).text() for c in range(15)] == ["0"] * 15
    t2 = tab.grids[2]
    assert figure_cell(t2, "行政规范性文件").text() == "1"  # from the registry, read-only
    assert not figure_cell(t2, "行政规范性文件").flags() & Qt.ItemFlag.ItemIsEditable
    assert figure_cell(t2, "行政许可").flags() & Qt.ItemFlag.ItemIsEditable
    # the deadline warning from 1 January, with a link to this tab
    banner = window.organisation.banner
    assert banner.isVisible() and "应于2027年1月31日前发布" in banner.plain_text()
    tab.set_year(2025)
    banner.linkActivated.emit("annual_report")
    assert window.tabs.currentWidget() is tab and tab.year == 2026


def test_fill_check_export_publish_lock_and_unlock(qtbot, window, db, tmp_path, monkeypatch):
    tab = window.annual_report
    # table 二's own figures are missing: that check fails, only a 草稿 can be exported
    lines = check_lines(tab)
    assert lines[0].startswith("✔ 表三各列：一＋二＝三（七）＋四")
    assert [ln[0] for ln in lines] == ["✔", "✔", "✔", "✔", "✘"]
    assert lines[-1].startswith("✘ 表二：需手工填报的数字已填写")
    assert tab.draft.isChecked() and not tab.draft.isEnabled()
    assert "只能导出草稿" in tab.export_hint.text()
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    click(qtbot, tab.buttons["publish"])
    assert warned and "不能发布" in warned[0] and tab.dialog is None
    job = tab.export("xlsx", out_path=tmp_path / "draft.xlsx")
    assert job.wait(60000) and job.error is None
    wb = load_workbook(tmp_path / "draft.xlsx")
    assert "草稿" in wb.properties.title

    # fill table 二 and the texts; 保存
    tab.parts.setCurrentIndex(1)  # 二、主动公开
    t2 = tab.grids[2]
    type_figure(qtbot, t2, "行政许可", "126")
    type_figure(qtbot, t2, "行政处罚", "7")
    type_figure(qtbot, t2, "行政强制", "0")
    type_figure(qtbot, t2, "行政事业性收费", "1.25")
    assert figure_cell(t2, "行政许可").text() == "126"
    assert tab.dirty and tab.buttons["save"].text() == "保存*"
    assert "2026年" in tab.editors["section1"].toPlainText()  # pre-filled from the draft
    tab.editors["section5"].clear()
    type_text(
        qtbot, tab.editors["section5"], "存在的主要问题：政策解读形式较单一。改进情况：增加图解。"
    )
    click(qtbot, tab.buttons["save"])
    assert not tab.dirty and tab.error.text() == ""
    rep = annual_report.report(db, 2026, today=TODAY)
    assert rep.table2.values["行政许可"]["本年处理决定数量"] == 126
    assert rep.table2.values["行政事业性收费"]["本年收费金额（单位：万元）"] == 1.25
    assert rep.sections["section5"].startswith("存在的主要问题：政策解读形式较单一")
    assert all(ln.startswith("✔") for ln in check_lines(tab))
    assert tab.draft.isEnabled() and "全部校验通过" in tab.export_hint.text()
    # 重新生成草稿 replaces the text shown (saved only on 保存)
    assert tab.redraft(confirm=False)
    assert "存在的主要问题：政策解读" not in tab.editors["section5"].toPlainText()
    tab.reload()  # discard: the saved text comes back
    assert tab.editors["section5"].toPlainText().startswith("存在的主要问题：政策解读")

    # export the final report: xlsx (merged headers) and PDF, through the worker
    tab.draft.setChecked(False)
    job = tab.export("xlsx", out_path=tmp_path / "年报")
    assert job.wait(60000) and job.error is None
    wb = load_workbook(tmp_path / "年报.xlsx")
    assert {"表二", "表三", "表四"} <= set(wb.sheetnames) and "草稿" not in wb.properties.title
    ws = wb["表三"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert len(merged) >= 10
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "申请人情况" in values and "法人或其他组织" in values
    ws2 = wb["表二"]
    assert 126 in [c.value for row in ws2.iter_rows() for c in row]
    assert "已导出2026年年度报告" in tab.last_message
    job = tab.export("pdf", out_path=tmp_path / "年报.pdf")
    assert job.wait(60000) and job.error is None
    reader = PdfReader(tmp_path / "年报.pdf")
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    assert UNIT in text and "2026年" in text and "政策解读形式较单一" in text

    # 发布并锁定: asks for the date, then the year is locked
    click(qtbot, tab.buttons["publish"])
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    tab.dialog.publish_date.setDate(qd("2027-01-18"))
    assert tab.dialog.save(), tab.dialog.error.text()
    assert tab.status.text() == "已于 2027-01-18 发布，已锁定"
    assert year_lock.is_locked(db, 2026)
    assert tab.editors["section1"].isReadOnly() and not tab.buttons["save"].isEnabled()
    assert not figure_cell(tab.grids[2], "行政许可").flags() & Qt.ItemFlag.ItemIsEditable
    assert tab.buttons["unlock"].isVisible() and not tab.buttons["relock"].isVisible()
    assert "年度报告" not in window.organisation.banner.plain_text()  # published: no warning

    # an answer dated in 2026 is refused with core's lock message, in the 办理 dialog
    app_id = records_id(db, "陈秀英")
    dlg = ApplicationDialog(db, app_id, window, today=TODAY)  # closed with the window
    dlg.show()
    ans = dlg.tabs["答复"]
    dlg.show_tab("答复")
    ans.type.setCurrentIndex(ans.type.findData(1))
    ans.result.setCurrentText("予以公开")
    ans.answer_date.setDate(qd("2026-12-28"))
    type_text(qtbot, ans.text, "所申请信息予以公开。")
    click(qtbot, ans.button)
    assert "2026年的记录已锁定" in dlg.error.text() and "解锁" in dlg.error.text()
    assert applications.get(db, app_id)["state"] != "已办结"

    # 解锁 needs a reason; it is audited; then the answer goes through
    click(qtbot, tab.buttons["unlock"])
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    assert not tab.dialog.save() and "原因" in tab.dialog.error.text()
    type_text(qtbot, tab.dialog.reason, "补登12月28日已作出的答复")
    assert tab.dialog.save()
    assert tab.status.text() == "已于 2027-01-18 发布，已解锁（补登12月28日已作出的答复）"
    assert tab.buttons["relock"].isVisible()
    audited = db.execute("SELECT count(*) FROM audit WHERE tbl = 'year_unlocks'").fetchone()[0]
    assert audited == 1
    click(qtbot, ans.button)
    assert dlg.error.text() == "" and applications.get(db, app_id)["state"] == "已办结"
    dlg.close()
    # the report says it changed after publication; its numbers follow the records
    assert tab.changed.isVisible() and "发布后" in tab.changed.text()
    assert "补登12月28日已作出的答复" in tab.changed.text()
    assert numbers(tab.grids[3], row_of(tab.grids[3], "四、结转下年度")) == [0] * 7
    click(qtbot, tab.buttons["relock"])
    assert tab.status.text() == "已于 2027-01-18 发布，已锁定" and year_lock.is_locked(db, 2026)


def records_id(db, applicant: str) -> int:
    row = db.execute("SELECT id FROM applications WHERE applicant_name = ?", [applicant])
    return row.fetchone()[0]
