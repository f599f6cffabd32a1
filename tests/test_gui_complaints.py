"""投诉与意见 tab, 登记 form and 办理 dialog (pytest-qt): a complaint from receipt to reply,
rectification and 办结; an opinion forwarded to the principal; filters and colours."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from support import click, main_window_on, qd, type_text

from gongkai_desktop.core import complaints, rectifications
from gongkai_desktop.ui.complaints_model import AMBER_BG, COL, RED_BG

TODAY = date(2026, 3, 20)


@pytest.fixture
def window(qtbot, db, tmp_path):
    with main_window_on(qtbot, db, tmp_path, TODAY) as w:
        yield w


def register(qtbot, window, *, kind, source, person, received, content, anonymous=False):
    tab = window.complaints
    window.tabs.setCurrentWidget(tab)
    click(qtbot, tab.buttons["new"])
    qtbot.waitUntil(lambda: tab.new_dialog is not None and tab.new_dialog.isVisible())
    dlg = tab.new_dialog
    dlg.kind.setCurrentText(kind)
    dlg.source.setCurrentText(source)
    if anonymous:
        dlg.anonymous.setChecked(True)
        assert not dlg.person.isEnabled()
    else:
        type_text(qtbot, dlg.person, person)
    type_text(qtbot, dlg.contact, "13800000000")
    dlg.received.setDate(qd(received))
    type_text(qtbot, dlg.content, content)
    return dlg


def test_complaint_from_receipt_to_reply_rectification_and_close(qtbot, window, db):
    tab = window.complaints
    dlg = register(
        qtbot, window, kind="投诉", source="来信", person="王五", received="2026-03-02",
        content="网站上的社保办事指南仍是2024年版本",
    )  # fmt: skip
    # the 30-day due date shows as the date is picked (natural days, start not counted)
    assert "2026-04-01（周三）" in dlg.due.text()
    assert dlg.save()
    cid = dlg.complaint_id
    row = complaints.get(db, cid)
    assert (row["no"], row["kind"], row["person"], row["reply_due"]) == (
        "2026-001", "投诉", "王五", "2026-04-01",
    )  # fmt: skip
    assert "已登记投诉 2026-001" in tab.last_message
    assert tab.model.rowCount() == 1
    m = tab.model
    assert m.index(0, COL["state"]).data() == "办理中"
    assert m.index(0, COL["days_left"]).data() == "12"

    tab.select_row(0)
    click(qtbot, tab.buttons["handle"])
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    d = tab.dialog
    assert d.tabs.currentWidget() is d.pages["受理"]
    assert not d.tabs.isTabVisible(d.tabs.indexOf(d.principal_page))  # 投诉: no principal
    assert not d.step_buttons["答复"].isEnabled()  # steps go in order
    assert "2026-04-01（周三）" in d.due.text() and "剩余 12 天" in d.days.text()
    assert "起算日：2026-03-02" in d.explain.toPlainText()

    d.dates["受理"].setDate(qd("2026-03-03"))
    click(qtbot, d.step_buttons["受理"])
    assert d.tabs.currentWidget() is d.pages["调查核实"]
    d.dates["调查核实"].setDate(qd("2026-03-06"))
    type_text(qtbot, d.opinion, "经核实，指南未随2025年新政更新")
    click(qtbot, d.step_buttons["调查核实"])
    assert complaints.get(db, cid)["stage"] == "答复"

    # a reply dated before receipt: core's message, nothing saved
    events_before = len(complaints.events(db, cid))
    d.dates["答复"].setDate(qd("2026-02-28"))
    d.reply_method.setCurrentText("书面")
    type_text(qtbot, d.reply_content, "已更新办事指南并书面答复")
    click(qtbot, d.step_buttons["答复"])
    assert "早于收到日期 2026-03-02" in d.error.text()
    row = complaints.get(db, cid)
    assert row["reply_date"] is None and row["stage"] == "答复"
    assert len(complaints.events(db, cid)) == events_before
    assert d.reply_content.toPlainText() == "已更新办事指南并书面答复"  # nothing typed is lost

    d.dates["答复"].setDate(qd("2026-03-10"))
    click(qtbot, d.step_buttons["答复"])
    assert d.error.text() == ""
    row = complaints.get(db, cid)
    assert (row["reply_date"], row["reply_method"]) == ("2026-03-10", "书面")
    assert "在期限内" in d.days.text()
    assert d.state.text() == "按时答复"

    # 整改 with one rectification
    assert d.tabs.currentWidget() is d.pages["整改"]
    assert d.step_buttons["整改"].isEnabled() and d.step_buttons["办结"].isEnabled()
    click(qtbot, d.rect_rows.add_button)
    d.rect_rows.set_text(0, 0, "办事指南未及时更新")
    d.rect_rows.set_text(0, 1, "办公室李明")
    d.rect_rows.set_text(0, 2, "建立办事指南季度核对制度")
    d.dates["整改"].setDate(qd("2026-03-12"))
    click(qtbot, d.step_buttons["整改"])
    assert d.error.text() == ""
    rects = rectifications.for_source(db, "complaints", cid)
    assert [(r["source"], r["problem"], r["responsible"], r["due_date"]) for r in rects] == [
        ("投诉", "办事指南未及时更新", "办公室李明", "2026-04-19")  # today + 30 by default
    ]
    assert d.rect_rows.rows() == []

    d.dates["办结"].setDate(qd("2026-03-13"))
    click(qtbot, d.step_buttons["办结"])
    row = complaints.get(db, cid)
    assert (row["stage"], row["closed_date"]) == ("已办结", "2026-03-13")
    assert d.state.text() == "已办结"
    assert not any(b.isEnabled() for b in d.step_buttons.values())
    steps = [complaints.events(db, cid)[i]["step"] for i in range(6)]
    assert steps == ["登记", "受理", "调查核实", "答复", "整改", "办结"]
    assert d.history.count() == 6
    assert "意见：经核实" in d.history.item(2).text()
    assert "整改事项 1 项" in d.history.item(4).text()
    assert d.strip["整改"].text() == "整改\n03-12"
    assert tab.model.index(0, COL["state"]).data() == "已办结"
    assert tab.model.index(0, COL["reply_date"]).data() == "2026-03-10"


def test_opinion_forwarded_to_principal_and_answered(qtbot, window, db):
    tab = window.complaints
    dlg = register(
        qtbot, window, kind="意见建议", source="意见箱", person="", received="2026-03-02",
        content="建议在公开栏增加夜间照明", anonymous=True,
    )  # fmt: skip
    assert dlg.save()
    row = complaints.get(db, dlg.complaint_id)
    assert row["anonymous"] == 1 and row["person"] == ""
    assert tab.model.index(0, COL["person"]).data() == "（匿名）"
    tab.select_row(0)
    assert tab.buttons["forward"].isEnabled()
    click(qtbot, tab.buttons["forward"])
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    d = tab.dialog
    assert d.tabs.currentWidget() is d.principal_page
    assert not d.answer_button.isEnabled()  # nothing to answer before it is forwarded
    d.forward_date.setDate(qd("2026-03-05"))
    type_text(qtbot, d.principal, "王局长")
    click(qtbot, d.forward_button)
    assert d.error.text() == ""
    row = complaints.get(db, d.complaint_id)
    # 30 days end on Sat 4 April, in the 清明 break (4–6 April): moved to Tue 7 April
    assert (row["forwarded_date"], row["principal"], row["principal_due"]) == (
        "2026-03-05", "王局长", "2026-04-07",
    )  # fmt: skip
    assert "答复期限 2026-04-07（周二）" in d.principal_due.text()
    assert "顺延" in d.principal_due.toolTip()
    assert not d.forward_button.isEnabled()
    assert tab.model.index(0, COL["principal"]).data() == "待答复（2026-04-07前）"

    d.answer_date.setDate(qd("2026-03-18"))
    type_text(qtbot, d.answer, "同意，由办公室在4月底前完成")
    click(qtbot, d.answer_button)
    row = complaints.get(db, d.complaint_id)
    assert (row["principal_answer_date"], row["principal_answer"]) == (
        "2026-03-18", "同意，由办公室在4月底前完成",
    )  # fmt: skip
    assert "按时答复" in d.principal_due.text()
    assert tab.model.index(0, COL["principal"]).data() == "按时答复（2026-03-18）"
    assert "主要负责人答复" in d.history.item(d.history.count() - 1).text()


def _add(db, received, kind="投诉", content="网站栏目更新不及时", person="王五", source="电话"):
    data = {"kind": kind, "source": source, "person": person, "received_date": received,
            "content": content}  # fmt: skip
    return complaints.create(db, data, today=TODAY)


def test_filters_search_and_colours(qtbot, window, db):
    overdue = _add(db, "2026-02-01")  # due 2026-03-03: overdue on 20 March
    soon = _add(db, "2026-02-20", kind="举报", person="赵六")  # due 2026-03-22: 2 days left
    _add(db, "2026-03-15", kind="咨询", content="咨询公开栏夜间照明", source="来访")
    done = _add(db, "2025-12-01", kind="意见建议", person="陈七")
    for step, on in (("受理", "2025-12-02"), ("调查核实", "2025-12-03")):
        complaints.record_step(db, done, step, on, "张三", today=TODAY)
    complaints.record_step(db, done, "答复", "2026-01-10", "张三", reply_method="电话",
                           reply_content="已答复", today=TODAY)  # fmt: skip
    from gongkai_desktop.ui import signals

    signals.notify(signals.COMPLAINTS)
    tab = window.complaints
    m = tab.model
    assert m.rowCount() == 4
    assert [tab.year_combo.itemText(i) for i in range(tab.year_combo.count())] == [
        "全部年度", "2026年", "2025年",
    ]  # fmt: skip
    rows = {m.complaint_id(r): r for r in range(m.rowCount())}
    r = rows[overdue]
    assert m.index(r, COL["state"]).data() == "已逾期"
    assert m.index(r, COL["days_left"]).data() == "逾期 17"
    assert m.index(r, 0).data(Qt.ItemDataRole.BackgroundRole).color() == RED_BG
    assert "起算日：2026-02-01" in m.index(r, COL["due"]).data(Qt.ItemDataRole.ToolTipRole)
    r = rows[soon]
    assert m.index(r, COL["state"]).data() == "即将到期"
    assert m.index(r, 0).data(Qt.ItemDataRole.BackgroundRole).color() == AMBER_BG
    r = rows[done]
    assert m.index(r, COL["state"]).data() == "逾期答复"  # replied after 2025-12-31
    assert m.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) is None

    # the status-bar counts link to the filtered list
    assert tab.indicator.plain_text() == "投诉与意见：即将到期 1 件　已逾期 1 件"
    tab.indicator.linkActivated.emit("overdue")
    assert window.tabs.currentWidget() is tab
    assert m.rowCount() == 1 and m.complaint_id(0) == overdue
    tab.due_combo.setCurrentIndex(tab.due_combo.findData("late"))
    assert m.rowCount() == 1 and m.complaint_id(0) == done
    tab.due_combo.setCurrentIndex(0)

    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("举报"))
    assert m.rowCount() == 1 and m.complaint_id(0) == soon
    tab.kind_combo.setCurrentIndex(0)
    tab.year_combo.setCurrentIndex(tab.year_combo.findData(2025))
    assert m.rowCount() == 1 and m.complaint_id(0) == done
    tab.year_combo.setCurrentIndex(0)
    tab.state_combo.setCurrentIndex(tab.state_combo.findData("办理中"))
    assert m.rowCount() == 1
    tab.state_combo.setCurrentIndex(0)
    type_text(qtbot, tab.search, "照明")
    tab.apply_filter()
    assert m.rowCount() == 1 and m.index(0, COL["kind"]).data() == "咨询"
    assert tab.count_label.text() == "共 1 件"
    tab.search.clear()
    tab.apply_filter()
    assert m.rowCount() == 4
    # the forward button is for opinions only
    rows = {m.complaint_id(r): r for r in range(m.rowCount())}
    tab.select_row(rows[overdue])
    assert not tab.buttons["forward"].isEnabled()
    tab.select_row(rows[done])
    assert tab.buttons["forward"].isEnabled()


def test_delete_removes_the_record_and_its_rectifications(qtbot, window, db, monkeypatch):
    cid = _add(db, "2026-03-01")
    for step, on in (("受理", "2026-03-02"), ("调查核实", "2026-03-03")):
        complaints.record_step(db, cid, step, on, "张三", today=TODAY)
    complaints.record_step(db, cid, "答复", "2026-03-04", "张三", reply_method="电话",
                           reply_content="已答复", today=TODAY)  # fmt: skip
    complaints.record_step(db, cid, "整改", "2026-03-05", "张三", today=TODAY, rectifications=[
        {"problem": "栏目空白", "responsible": "李明", "measure": "补齐", "due_date": "2026-04-01"}
    ])  # fmt: skip
    from gongkai_desktop.ui import signals

    signals.notify(signals.COMPLAINTS)
    sup = window.supervision
    assert len(sup.rect_view.rows) == 1
    tab = window.complaints
    tab.select_row(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(qtbot, tab.buttons["delete"])
    assert complaints.get(db, cid) is None and tab.model.rowCount() == 0
    assert rectifications.for_source(db, "complaints", cid) == []
    assert sup.rect_view.rows == []
    assert tab.last_message == "已删除投诉 2026-001"
