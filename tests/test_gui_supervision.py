"""监督检查 tab (pytest-qt): patrol log, key inspection with a rectification and its report
PDF, the half-year warning, self-inspection, completing a rectification, ledgers."""

from datetime import date

import pytest
from openpyxl import load_workbook
from support import click, main_window_on, qd, type_text

from gongkai_desktop.core import inspections, rectifications
from gongkai_desktop.ui import letters_dialog

TODAY = date(2026, 6, 10)  # H1 ends on 30 June: the window warns from 1 June


@pytest.fixture
def window(qtbot, db, tmp_path):
    with main_window_on(qtbot, db, tmp_path, TODAY, "supervision") as w:
        yield w


def open_dialog(qtbot, tab, button: str):
    click(qtbot, tab.buttons[button])
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    return tab.dialog


def test_patrol_is_logged(qtbot, window, db):
    tab = window.supervision
    d = open_dialog(qtbot, tab, "addPatrol")
    assert d.who.text() == "张三"  # the operator by default
    d.on_date.setDate(qd("2026-06-08"))
    d.target.setCurrentText("公开栏")
    type_text(qtbot, d.checked, "一楼大厅公开栏内容是否为最新")
    type_text(qtbot, d.findings, "未发现问题")
    assert d.save()
    assert [(p["on_date"], p["who"], p["target"]) for p in inspections.patrols(db, 2026)] == [
        ("2026-06-08", "张三", "公开栏")
    ]
    t = tab.patrol_table
    assert t.rowCount() == 1
    assert [t.item(0, c).text() for c in range(3)] == ["2026-06-08", "张三", "公开栏"]


def test_key_inspection_clears_the_half_year_warning_and_its_report(qtbot, window, db, monkeypatch):
    tab = window.supervision
    banner = tab.banner
    # H1 has no key inspection and ends within the month: the window warns
    assert banner.isVisible()
    assert "2026年上半年将于 2026-06-30 结束（还剩20天），尚未登记重点检查" in banner.plain_text()
    assert tab.half_labels[1].text() == "上半年：即将结束未检查"
    assert tab.half_labels[2].text() == "下半年：未检查"
    assert "请尽快安排检查" in tab.reason.text()
    banner.linkActivated.emit("supervision")
    assert tab.sections.currentIndex() == 1  # 半年重点检查

    d = open_dialog(qtbot, tab, "addKey")
    d.on_date.setDate(qd("2026-06-05"))
    assert d.half.text() == "属于 2026年上半年的重点检查"
    type_text(qtbot, d.team, "监督小组组长李明，成员王芳")
    type_text(qtbot, d.scope, "主动公开、依申请公开、公开栏")
    # without findings core refuses it: message in the form, nothing saved
    type_text(qtbot, d.conclusion, "总体较好")
    assert not d.save()
    assert "发现的问题" in d.error.text()
    assert inspections.key_inspections(db, 2026) == []
    type_text(qtbot, d.findings, "公开栏有2份文件超过公开期限未更换")
    click(qtbot, d.rows.add_button)
    d.rows.set_text(0, 0, "公开栏过期文件未更换")
    d.rows.set_text(0, 1, "办公室王芳")
    d.rows.set_text(0, 2, "每月第一周更换公开栏")
    assert d.save()
    kid = d.record_id
    assert [r["problem"] for r in rectifications.for_source(db, "key_inspections", kid)] == [
        "公开栏过期文件未更换"
    ]
    # the half is checked: its warning is gone, the label turns green
    assert tab.half_labels[1].text() == "上半年：已检查"
    assert "2026年上半年将于" not in banner.plain_text()
    t = tab.key_table
    assert t.rowCount() == 1
    assert [t.item(0, c).text() for c in (0, 1, 6, 7)] == ["2026-06-05", "上半年", "1", "未生成"]
    # its finding is in the rectifications list
    rv = tab.rect_view
    assert [r["problem"] for r in rv.rows] == ["公开栏过期文件未更换"]
    assert rv.table.item(0, 0).text() == "监督检查"

    # 生成报告: rendered off the GUI thread, stored with the inspection, opened
    opened = []
    monkeypatch.setattr(letters_dialog, "open_url", lambda url: opened.append(url) or True)
    assert not tab.buttons["viewReport"].isEnabled()
    t.selectRow(0)
    job = tab.generate_report()
    assert job is not None and job.wait(60000) and job.error is None
    pdf = inspections.report_pdf(db, kid)
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert opened and opened[0].toLocalFile().endswith("2026年上半年重点检查报告_2026-06-05.pdf")
    assert tab.key_table.item(0, 7).text() == "已生成"
    assert "已打开检查报告" in tab.last_message
    tab.key_table.selectRow(0)
    assert tab.buttons["viewReport"].isEnabled()
    path = tab.view_report()
    assert path.read_bytes() == pdf


def test_complete_a_rectification(qtbot, window, db):
    sid = inspections.add_self_inspection(
        db, "2026-05-20", "依申请公开登记台账缺少3件的答复日期", "局务会", "2026-05-25",
        rectifications=[{"problem": "台账缺答复日期", "responsible": "办公室张三",
                         "measure": "补登", "due_date": "2026-06-01"}],
        today=TODAY,
    )  # fmt: skip
    inspections.add_patrol(db, "2026-06-01", "李明", "网站栏目", "专栏", "链接失效",
                           rectifications=[{"problem": "链接失效", "responsible": "信息科",
                                            "measure": "修复", "due_date": "2026-06-30"}],
                           today=TODAY)  # fmt: skip
    from gongkai_desktop.ui import signals

    signals.notify(signals.SUPERVISION)
    tab = window.supervision
    assert tab.self_table.rowCount() == 1
    assert tab.self_table.item(0, 2).text() == "局务会"
    tab.show_section("整改事项")
    rv = tab.rect_view
    # the overdue one first, red, with how late it is
    assert [r["problem"] for r in rv.rows] == ["台账缺答复日期", "链接失效"]
    assert rv.table.item(0, 4).text() == "2026-06-01（逾期 9 天）"
    assert rv.table.item(0, 5).text() == "已逾期"
    assert "其中已逾期 1 条" in rv.count_label.text()
    assert not rv.complete_button.isEnabled()  # nothing selected
    rv.table.selectRow(0)
    rv.done_date.setDate(qd("2026-06-09"))
    assert not rv.complete_selected()  # evidence is required
    assert "佐证" in rv.error.text()
    type_text(qtbot, rv.evidence, "补登后的台账截图")
    click(qtbot, rv.complete_button)
    rid = [r for r in rectifications.list_year(db, 2026, TODAY) if r["source"] == "自查"][0]
    assert (rid["done_date"], rid["evidence"], rid["state"]) == (
        "2026-06-09", "补登后的台账截图", "逾期完成",
    )  # fmt: skip
    assert [r["problem"] for r in rv.rows] == ["链接失效"]  # open ones only
    rv.show_combo.setCurrentIndex(1)  # this year's, done ones too
    assert [rv.table.item(r, 5).text() for r in range(rv.table.rowCount())] == [
        "逾期完成", "整改中",
    ]  # fmt: skip
    assert sid


def test_ledgers_export_through_the_worker(qtbot, window, db, tmp_path):
    inspections.add_patrol(db, "2026-06-01", "李明", "网站栏目", "专栏", "未发现问题", today=TODAY)
    tab = window.supervision
    out = tmp_path / "监督检查台账"
    job = tab.export_ledger("inspections", year=2026, out_path=out)
    assert job.wait(60000) and job.error is None
    wb = load_workbook(tmp_path / "监督检查台账.xlsx")
    assert wb.sheetnames[:3] == ["日常巡查", "半年重点检查", "定期自查"]
    assert "已导出 2026 年监督检查台账" in tab.last_message
    job = tab.export_ledger("rectifications", year=2026, out_path=tmp_path / "r.xlsx")
    assert job.wait(60000) and job.error is None
    assert (tmp_path / "r.xlsx").exists()
    job = window.complaints.export_ledger(year=2026, out_path=tmp_path / "c.xlsx")
    assert job.wait(60000) and job.error is None
    assert "投诉与意见台账" in window.complaints.last_message
