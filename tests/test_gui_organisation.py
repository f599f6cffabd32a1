"""机构与会议 tab (pytest-qt): members added and replaced with the history on a date, the
organisation checks, the meeting counter and the window warning from 1 October, the
contact card saved, published and copied as HTML, rules, budget and recognitions."""

from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication
from support import click, main_window_on, qd, type_text

from gongkai_desktop.core import meetings, organisation, unit_records
from gongkai_desktop.ui.organisation_indicator import YearTasksBanner

TODAY = date(2026, 10, 12)  # after 1 October: fewer than two special meetings warns


@pytest.fixture
def window(qtbot, db, tmp_path):
    with main_window_on(qtbot, db, tmp_path, TODAY, "organisation") as w:
        yield w


def names(section, body: str) -> list[str]:
    t = section.tables[body]
    return [t.item(r, 0).text() for r in range(t.rowCount())]


def add_member(qtbot, section, body, name, post, role, start, *, principal=False, email=""):
    click(qtbot, section.buttons["add"])
    qtbot.waitUntil(lambda: section.dialog is not None and section.dialog.isVisible())
    d = section.dialog
    d.body.setCurrentIndex(d.body.findData(body))
    type_text(qtbot, d.name, name)
    type_text(qtbot, d.post, post)
    d.role.setCurrentText(role)
    d.principal.setChecked(principal)
    type_text(qtbot, d.email, email)
    d.start.setDate(qd(start))
    assert d.save(), d.error.text()
    assert not d.isVisible()
    return d.record_id


def test_members_history_on_a_date_and_checks(qtbot, window, db):
    m = window.organisation.members
    lines = [m.checks_list.item(i).text() for i in range(m.checks_list.count())]
    assert all(line.startswith("✘") for line in lines) and len(lines) == 3
    # a missing name stays in the form, nothing saved
    click(qtbot, m.buttons["add"])
    qtbot.waitUntil(lambda: m.dialog is not None and m.dialog.isVisible())
    assert not m.dialog.save()
    assert "请填写成员姓名" in m.dialog.error.text()
    m.dialog.reject()
    assert organisation.history(db) == []

    add_member(qtbot, m, "领导小组", "王海涛", "局长", "组长", "2024-03-01", principal=True,
               email="wanght@xm.example.cn")  # fmt: skip
    old = add_member(qtbot, m, "领导小组", "李国华", "政策法规处处长", "成员", "2024-03-01")
    add_member(qtbot, m, "工作机构", "林晓红", "办公室科员", "兼职工作人员", "2024-03-01")
    add_member(qtbot, m, "监督小组", "黄志伟", "驻局纪检组组长", "组长", "2024-03-01")
    assert names(m, "领导小组") == ["王海涛", "李国华"]
    assert m.tables["领导小组"].item(0, 3).text() == "是"  # 主要负责人
    assert m.boxes["领导小组"].title() == "政务公开工作领导小组（2026-10-12 在任 2 人）"
    lines = [m.checks_list.item(i).text() for i in range(m.checks_list.count())]
    assert [line[0] for line in lines] == ["✔", "✔", "✔"]
    assert "领导小组组长：王海涛（局长），为主要负责人" in lines[0]

    # 变更成员: 李国华 leaves, 黄丽娟 takes the seat from 2026-05-18
    assert not m.buttons["replace"].isEnabled()  # nothing selected
    m.select(old)
    click(qtbot, m.buttons["replace"])
    qtbot.waitUntil(lambda: m.dialog is not None and m.dialog.isVisible())
    d = m.dialog
    assert (
        d.windowTitle() == "变更成员"
        and "李国华" in d.ui.findChild(type(d.error), "introLabel").text()
    )
    assert d.post.text() == "政策法规处处长" and d.role.currentText() == "成员"  # the seat's
    type_text(qtbot, d.name, "黄丽娟")
    d.start.setDate(qd("2026-05-18"))
    assert d.save(), d.error.text()
    assert names(m, "领导小组") == ["王海涛", "黄丽娟"]
    assert "已变更成员" in window.organisation.last_message

    # the history on a date: the old member the day before, the new one from the change
    m.day.setDate(qd("2026-05-17"))
    assert names(m, "领导小组") == ["王海涛", "李国华"]
    m.day.setDate(qd("2026-05-18"))
    assert names(m, "领导小组") == ["王海涛", "黄丽娟"]
    m.day.setDate(qd("2024-02-29"))  # before the bodies were set up
    assert names(m, "领导小组") == [] and m.checks_list.item(0).text().startswith("✘")
    click(qtbot, m.buttons["today"])
    m.history_check.setChecked(True)  # both, the old one grey with its end date
    assert names(m, "领导小组") == ["王海涛", "李国华", "黄丽娟"]
    t = m.tables["领导小组"]
    assert t.item(1, 7).text() == "2026-05-17"
    assert t.item(1, 0).foreground().color().name() == "#8a9199"
    m.history_check.setChecked(False)

    # 终止任职 of the only supervisor: the check turns red
    sup = organisation.members_on(db, TODAY, "监督小组")[0]
    m.select(sup["id"])
    click(qtbot, m.buttons["end"])
    qtbot.waitUntil(lambda: m.dialog is not None and m.dialog.isVisible())
    m.dialog.end.setDate(qd("2026-09-30"))
    assert m.dialog.save()
    assert names(m, "监督小组") == []
    assert m.checks_list.item(1).text().startswith("✘ 成立政务公开工作监督小组")
    assert organisation.get_member(db, sup["id"])["end_date"] == "2026-09-30"  # kept


def add_meeting(qtbot, section, on, kind, body, subject):
    click(qtbot, section.buttons["add"])
    qtbot.waitUntil(lambda: section.dialog is not None and section.dialog.isVisible())
    d = section.dialog
    d.on_date.setDate(qd(on))
    d.kind.setCurrentText(kind)
    d.body.setCurrentIndex(d.body.findData(body))
    type_text(qtbot, d.subject, subject)
    type_text(qtbot, d.attendees, "王海涛、陈建国、黄晓峰")
    type_text(qtbot, d.decisions, "印发年度工作要点")
    assert d.save(), d.error.text()
    return d.record_id


def test_meeting_counter_and_the_october_warning(qtbot, window, db, tmp_path):
    tab = window.organisation
    tab.show_section("会议")
    s = tab.meetings
    banner = tab.banner
    assert s.counter.text() == "领导小组专题会议 0/2（尚未达标）"
    assert banner.isVisible() and "专题会议" in banner.plain_text()

    add_meeting(qtbot, s, "2026-03-10", "专题会议", "领导小组", "研究部署2026年政务公开工作")
    assert s.counter.text() == "领导小组专题会议 1/2（尚未达标）"
    assert s.table.rowCount() == 1
    assert s.table.item(0, 2).text() == "政务公开工作领导小组"
    # one meeting after 1 October: the window still warns, with what is missing
    assert banner.isVisible()
    assert "召开专题会议1次" in banner.plain_text() and "再召开1次" in banner.plain_text()
    tab.show_section("机构成员")
    banner.linkActivated.emit("meetings")  # the link opens the meetings page
    assert window.tabs.currentWidget() is tab and tab.sections.currentIndex() == 1

    # a 局务会 is not a leading-group special meeting: the counter stays
    add_meeting(qtbot, s, "2026-04-02", "局务会", "", "通报一季度自查情况")
    assert s.counter.text() == "领导小组专题会议 1/2（尚未达标）"
    add_meeting(qtbot, s, "2026-09-15", "专题会议", "领导小组", "研究年度报告编制")
    assert s.counter.text() == "领导小组专题会议 2/2（已达标）"
    assert not banner.isVisible() and banner.plain_text() == ""
    assert [r["counted"] for r in meetings.list_year(db, 2026)] == [True, False, True]

    # edit: moving the second special meeting to a 局务会 drops the count again
    s.table.selectRow(2)
    click(qtbot, s.buttons["edit"])
    qtbot.waitUntil(lambda: s.dialog is not None and s.dialog.isVisible())
    assert s.dialog.subject.text() == "研究年度报告编制"
    s.dialog.kind.setCurrentText("局务会")
    assert s.dialog.save()
    assert s.counter.text() == "领导小组专题会议 1/2（尚未达标）" and banner.isVisible()
    s.table.selectRow(2)
    assert s.delete_selected(confirm=False)
    assert s.table.rowCount() == 2

    # 导出会议台账 through the worker, read back
    job = tab.export_meetings(out_path=tmp_path / "会议台账")
    assert job.wait(60000) and job.error is None
    ws = load_workbook(tmp_path / "会议台账.xlsx").active
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert "研究部署2026年政务公开工作" in cells and "通报一季度自查情况" in cells
    assert "已导出 2026 年会议台账（共 2 次会议）" in tab.last_message


def test_no_meeting_warning_before_october(qtbot, db):
    meetings.add_meeting(db, "2026-03-10", "专题会议", "领导小组", "部署", "", "", "",
                         today=date(2026, 9, 30))  # fmt: skip
    before = YearTasksBanner(db, today=date(2026, 9, 30))
    after = YearTasksBanner(db, today=date(2026, 10, 1))
    qtbot.addWidget(before)
    qtbot.addWidget(after)
    assert before.lines == [] and before.isHidden()
    assert [link for link, _m, _f in after.lines] == ["meetings"]
    before.dispose()
    after.dispose()


def test_contact_card_saved_published_and_copied(qtbot, window, db):
    tab = window.organisation
    tab.show_section("公开工作机构信息")
    c = tab.card
    # before the first save the form starts from 单位信息
    assert c.edits["name"].text() == "厦门市人力资源和社会保障局政务公开办公室"
    assert "尚未保存" in c.published.text()
    for key, text in (("head", "黄晓峰（办公室主任）"), ("address", "厦门市思明区仙岳路"),
                      ("hours", "工作日上午8:00—12:00"), ("phone", "0592-5050100"),
                      ("email", "gkb@xm.example.cn")):  # fmt: skip
        type_text(qtbot, c.edits[key], text)
    click(qtbot, c.buttons["save"])
    card = unit_records.current_card(db)
    assert card["head"] == "黄晓峰（办公室主任）" and card["published_date"] is None
    assert "已保存，尚未发布" in c.published.text()

    # publishing needs every field the assessment asks for: the fax is missing
    click(qtbot, c.buttons["publish"])
    assert "传真号码" in c.error.text() and c.dialog is None
    type_text(qtbot, c.edits["fax"], "无")
    click(qtbot, c.buttons["publish"])  # saves, then asks for the date
    qtbot.waitUntil(lambda: c.dialog is not None and c.dialog.isVisible())
    c.dialog.publish_date.setDate(qd("2026-10-09"))
    assert c.dialog.save()
    assert unit_records.published_card(db)["published_date"] == "2026-10-09"
    assert c.published.text().startswith("已于 2026-10-09 发布")
    assert not c.buttons["publish"].isEnabled()  # this version is out already
    assert "2026-10-09" in tab.last_message

    # 复制网页代码: the fragment is on the clipboard
    QApplication.clipboard().clear()
    click(qtbot, c.buttons["html"])
    copied = QApplication.clipboard().text()
    assert copied.startswith('<div class="gongkai-contact-card">')
    assert "0592-5050100" in copied and "mailto:gkb@xm.example.cn" in copied
    assert "发布日期：2026年10月9日" in copied
    assert "粘贴到网站" in tab.last_message
    assert "黄晓峰" in c.preview.toPlainText()

    # a change after publication is a new, unpublished version; the public one stays
    c.edits["hours"].clear()
    type_text(qtbot, c.edits["hours"], "工作日上午8:00—12:00，下午15:00—18:00")
    assert c.published.text() == "有未保存的修改。\n历次发布：2026-10-09"
    click(qtbot, c.buttons["save"])
    assert len(unit_records.cards(db)) == 2
    assert "公众看到的仍是 2026-10-09 发布的版本" in c.published.text()


def test_contact_card_pdf_through_the_worker(qtbot, window, db, monkeypatch):
    from gongkai_desktop.ui import letters_dialog

    opened = []
    monkeypatch.setattr(letters_dialog, "open_url", lambda url: opened.append(url) or True)
    c = window.organisation.card
    type_text(qtbot, c.edits["phone"], "0592-5050100")
    job = c.generate_pdf()
    assert job is not None and job.wait(60000) and job.error is None
    assert c.last_pdf.read_bytes().startswith(b"%PDF")
    assert opened and opened[0].toLocalFile() == str(c.last_pdf)
    assert unit_records.current_card(db)["phone"] == "0592-5050100"  # saved first
    text = "".join(p.extract_text() for p in PdfReader(c.last_pdf).pages).replace("\n", "")
    assert "0592-5050100" in text.replace(" ", "")


def test_rules_budget_and_recognitions(qtbot, window, db):
    tab = window.organisation
    r = tab.rules
    click(qtbot, r.buttons["add"])
    qtbot.waitUntil(lambda: r.dialog is not None and r.dialog.isVisible())
    d = r.dialog
    type_text(qtbot, d.title, "政府信息公开保密审查制度")
    type_text(qtbot, d.doc_no, "厦人社〔2024〕12号")
    d.issued.setDate(qd("2024-04-01"))
    assert d.save()
    assert [r.table.item(0, c).text() for c in range(4)] == [
        "政府信息公开保密审查制度", "厦人社〔2024〕12号", "2024-04-01", "现行有效",
    ]  # fmt: skip
    r.table.selectRow(0)
    click(qtbot, r.buttons["edit"])
    qtbot.waitUntil(lambda: r.dialog is not None and r.dialog.isVisible())
    r.dialog.status.setCurrentText("已废止")
    assert r.dialog.save()
    assert unit_records.list_rules(db)[0]["status"] == "已废止"

    b = tab.budget
    assert b.year.value() == 2026
    b.amount.setValue(3.5)
    type_text(qtbot, b.note, "列入2026年部门预算")
    assert b.save()
    assert unit_records.budget(db, 2026)["amount"] == 3.5
    assert [b.table.item(0, c).text() for c in range(3)] == ["2026", "3.50", "列入2026年部门预算"]
    b.year.setValue(2025)
    assert b.amount.value() == 0.0  # nothing for 2025 yet
    b.table.selectRow(0)
    assert b.year.value() == 2026 and b.amount.value() == 3.5

    g = tab.recognitions
    click(qtbot, g.add_button)
    qtbot.waitUntil(lambda: g.dialog is not None and g.dialog.isVisible())
    d = g.dialog
    d.on_date.setDate(qd("2026-06-01"))
    d.kind.setCurrentIndex(d.kind.findData("表彰"))
    assert not d.save() and "发文或表彰单位" in d.error.text()
    type_text(qtbot, d.issuer, "福建省政务公开办（省级）")
    type_text(qtbot, d.title, "2025年度政务公开工作先进单位")
    assert d.save()
    assert [g.table.item(0, c).text() for c in range(3)] == ["2026-06-01", "表彰", "第40项（+1分）"]


def test_a_saved_meeting_takes_attachments(qtbot, tmp_path):
    from datetime import date as _date

    from reportlab.pdfgen import canvas

    from gongkai_desktop.core import attachments, meetings, profile
    from gongkai_desktop.core.db import connect
    from gongkai_desktop.ui.org_dialogs import MeetingDialog

    db = connect(tmp_path / "m.db")
    profile.save(db, profile.UnitProfile(unit_name="测试局", fonds_no="X001", operator="张三"))
    mid = meetings.add_meeting(db, _date(2026, 3, 2), "专题会议", "领导小组", "研究政务公开工作",
                               "王海涛", "通过年度要点", "", today=_date(2026, 3, 3))
    pdf = tmp_path / "minutes.pdf"
    c = canvas.Canvas(str(pdf))
    c.drawString(72, 720, "minutes")
    c.save()
    dlg = MeetingDialog(db, meeting=meetings.get(db, mid), today=_date(2026, 3, 3))
    qtbot.addWidget(dlg)
    assert dlg.attachments is not None
    dlg.attachments.add_files([str(pdf)])
    assert [a["file_name"] for a in attachments.links(db, "meetings", mid)] == ["minutes.pdf"]
    assert MeetingDialog(db, today=_date(2026, 3, 3)).attachments is None  # not saved yet
    db.conn.close()
