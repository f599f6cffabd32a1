"""七项程序向导 and 公开流程图, driven through real widgets (pytest-qt)."""

import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QWizard

from gongkai_desktop.core import items, workflow
from gongkai_desktop.ui import flow_chart
from gongkai_desktop.ui.flow_chart import FlowChart
from gongkai_desktop.ui.step_wizard import DonePage, StepWizard

TODAY = date(2026, 11, 27)


@pytest.fixture
def item_id(db):
    return items.create(
        db,
        {
            "title": "关于2026年度事业单位公开招聘工作人员的公告",
            "formed_date": "2026-11-16",
            "category": "财务人事",
            "doc_no": "厦人社〔2026〕88号",
        },
        today=TODAY,
    )


@pytest.fixture
def wizard(qtbot, db, item_id):
    sw = StepWizard(None, db, item_id, today=TODAY)
    qtbot.addWidget(sw.wizard)
    sw.wizard.show()
    return sw


def type_text(widget, text):
    """Type *text* key by key (qtbot.keyClicks only handles ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def commit(qtbot, sw):
    qtbot.mouseClick(sw.wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)


def page_of(sw, step):
    page = sw.current_page()
    assert getattr(page, "step", None) == step, (
        f"wizard is on {getattr(page, 'step', page)}, expected {step}"
    )
    return page


def propose(qtbot, sw, opinion="请审核"):
    p = page_of(sw, "提出")
    type_text(p.opinion, opinion)
    commit(qtbot, sw)


def first_review(qtbot, sw):
    p = page_of(sw, "初审")
    assert p.who.text() == "张三"  # profile operator
    type_text(p.extra.findChild(QLineEdit, "reasonEdit"), "内容不涉及国家秘密、商业秘密和个人隐私")
    commit(qtbot, sw)


def check_channel(page, name):
    lst = page.channels
    hits = [lst.item(i) for i in range(lst.count()) if lst.item(i).text() == name]
    assert hits, f"channel {name} not offered"
    hits[0].setCheckState(Qt.CheckState.Checked)


def publish(qtbot, sw, url="http://www.xm.gov.cn/zwgk/2026/1127.htm"):
    p = page_of(sw, "公开")
    check_channel(p, "门户网站")
    check_channel(p, "固定公开栏")
    qtbot.keyClicks(p.url, url)
    commit(qtbot, sw)


def finish_after_publish(qtbot, sw):
    qtbot.mouseClick(page_of(sw, "反馈").nothing, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page_of(sw, "整改").nothing, Qt.MouseButton.LeftButton)
    page_of(sw, "建档")
    commit(qtbot, sw)
    assert isinstance(sw.current_page(), DonePage)


def test_walks_all_seven_steps(qtbot, db, item_id, wizard):
    sw = wizard
    assert page_of(sw, "提出").chart.current_step() == "提出"
    propose(qtbot, sw)
    assert items.get(db, item_id)["stage"] == "初审"
    first_review(qtbot, sw)
    p = page_of(sw, "审核")
    assert p.chart.step_state("初审") == flow_chart.DONE and p.chart.current_step() == "审核"
    assert p.history.count() == 2 and "初审·完成" in p.history.item(1).text()
    commit(qtbot, sw)
    p = page_of(sw, "公开")
    assert p.form.findChild(type(p.error), "dateLabel").text() == "公开日期："
    assert "2026-12-14" in p.deadline.text() and "未到期" in p.deadline.text()
    publish(qtbot, sw)
    finish_after_publish(qtbot, sw)

    item = items.get(db, item_id)
    assert item["stage"] == workflow.DONE
    assert item["published_date"] == TODAY.isoformat()
    assert json.loads(item["channels"]) == ["固定公开栏", "门户网站"]
    assert item["url"] == "http://www.xm.gov.cn/zwgk/2026/1127.htm"
    rows = items.steps(db, item_id)
    assert [r["step"] for r in rows] == list(workflow.STEPS)
    assert [r["result"] for r in rows][4:] == ["无反馈", "无需整改", "已归档"]
    assert rows[1]["extra"]["secrecy"] == "不涉密"
    assert sw.recorded
    done = sw.current_page()
    assert "七项程序已全部完成" in done.title()
    assert sw.wizard.button(QWizard.WizardButton.FinishButton).isVisible()


def test_returns_at_first_review_and_at_approval_then_completes(qtbot, db, item_id, wizard):
    sw = wizard
    propose(qtbot, sw)
    p = page_of(sw, "初审")
    qtbot.mouseClick(p.return_radio, Qt.MouseButton.LeftButton)
    assert p.result.text() == "退回提出"
    type_text(p.opinion, "请补充文号和发布机构")
    commit(qtbot, sw)
    # back at 提出, and the page says why
    p = page_of(sw, "提出")
    item = items.get(db, item_id)
    assert (item["stage"], item["returns"]) == ("提出", 1)
    assert p.notice.isVisible() and "请补充文号和发布机构" in p.notice.text()
    assert p.chart.current_step() == "提出" and "已退回 1 次" in p.chart.toolTip()
    propose(qtbot, sw, "已补充")
    first_review(qtbot, sw)
    p = page_of(sw, "审核")
    qtbot.mouseClick(p.return_radio, Qt.MouseButton.LeftButton)
    commit(qtbot, sw)  # no 退回意见: core refuses, the page stays
    assert page_of(sw, "审核").error.isVisible()
    assert "退回时请写明退回意见" in p.error.text()
    assert items.get(db, item_id)["stage"] == "审核"
    type_text(p.opinion, "公开范围需领导小组再议")
    commit(qtbot, sw)
    p = page_of(sw, "提出")
    texts = [p.history.item(i).text() for i in range(p.history.count())]
    assert sum("退回" in t for t in texts) == 2 and "公开范围需领导小组再议" in texts[-1]
    propose(qtbot, sw, "再次提出")
    first_review(qtbot, sw)
    commit(qtbot, sw)  # 审核 agrees
    publish(qtbot, sw)
    finish_after_publish(qtbot, sw)
    item = items.get(db, item_id)
    assert (item["stage"], item["returns"]) == (workflow.DONE, 2)
    assert len(items.steps(db, item_id)) == 12


def test_missing_url_for_portal_shows_core_message_and_stays(qtbot, db, item_id, wizard):
    sw = wizard
    propose(qtbot, sw)
    first_review(qtbot, sw)
    commit(qtbot, sw)
    p = page_of(sw, "公开")
    check_channel(p, "门户网站")
    commit(qtbot, sw)
    assert page_of(sw, "公开") is p
    assert p.error.isVisible()
    assert p.error.text() == "选择了“门户网站”，请填写网址，便于检查时核对。"
    assert items.get(db, item_id)["stage"] == "公开"
    qtbot.keyClicks(p.url, "http://www.xm.gov.cn/a.htm")
    commit(qtbot, sw)
    assert page_of(sw, "反馈") and items.get(db, item_id)["published_date"] == TODAY.isoformat()


def test_dates_cannot_pass_today_or_precede_the_last_step(qtbot, db, item_id, wizard):
    sw = wizard
    p = page_of(sw, "提出")
    assert p.date.date() == QDate(2026, 11, 27)
    assert p.date.maximumDate() == QDate(2026, 11, 27)
    p.date.setDate(QDate(2026, 11, 28))  # a later day is not accepted by the field
    assert p.date.date() == QDate(2026, 11, 27)
    p.date.setDate(QDate(2026, 11, 20))
    commit(qtbot, sw)
    p = page_of(sw, "初审")
    p.date.setDate(QDate(2026, 11, 18))
    type_text(p.extra.findChild(QLineEdit, "reasonEdit"), "不涉密")
    commit(qtbot, sw)
    assert page_of(sw, "初审") is p
    assert "早于上一环节“提出”的日期 2026-11-20" in p.error.text()
    p.date.setDate(QDate(2026, 11, 20))
    commit(qtbot, sw)
    assert page_of(sw, "审核")
    assert items.steps(db, item_id)[1]["on_date"] == "2026-11-20"


def test_closing_keeps_steps_and_reopening_starts_at_current_stage(qtbot, db, item_id, wizard):
    propose(qtbot, wizard)
    wizard.wizard.reject()
    assert wizard.recorded and items.get(db, item_id)["stage"] == "初审"
    again = StepWizard(None, db, item_id, today=TODAY)
    qtbot.addWidget(again.wizard)
    again.wizard.show()
    p = page_of(again, "初审")
    assert not again.recorded
    assert "提出·完成" in p.history.item(0).text()
    assert p.chart.step_state("提出") == flow_chart.DONE


def test_publish_page_shows_overdue_deadline(qtbot, db):
    late = items.create(
        db,
        {
            "title": "2026年10月社保基金收支情况",
            "formed_date": "2026-10-08",
            "category": "财务人事",
        },
        today=TODAY,
    )
    for step in ("提出", "初审", "审核"):
        extra = (
            {"secrecy": "不涉密", "exemption": "无", "review_reason": "不涉密"}
            if step == "初审"
            else {}
        )
        items.record_step(
            db,
            late,
            workflow.StepInput(
                step,
                "完成",
                "张三",
                TODAY - timedelta(days=1),
                result=workflow.DEFAULT_RESULT[step],
                extra=extra,
            ),
            today=TODAY,
        )
    sw = StepWizard(None, db, late, today=TODAY)
    qtbot.addWidget(sw.wizard)
    sw.wizard.show()
    p = page_of(sw, "公开")
    assert "已逾期" in p.deadline.text() and "逾期公开" in p.deadline.text()


def test_flow_chart_renders_and_marks_the_current_step(qtbot):
    chart = FlowChart()
    qtbot.addWidget(chart)
    chart.resize(760, chart.sizeHint().height())
    chart.set_state("审核", returns=1, dates={"提出": "11-20", "初审": "11-23"})
    chart.show()
    img = chart.grab().toImage()
    assert not img.isNull() and img.width() >= 700
    assert [chart.step_state(s) for s in workflow.STEPS] == [
        "done",
        "done",
        "current",
        "todo",
        "todo",
        "todo",
        "todo",
    ]

    def fill_at(step):
        r = chart.box_rect(step)
        return img.pixelColor(int(r.right() - 8), int(r.bottom() - 6)).name()

    assert fill_at("审核") == flow_chart._FILL[flow_chart.CURRENT].name()
    assert fill_at("提出") == flow_chart._FILL[flow_chart.DONE].name()
    assert fill_at("公开") == flow_chart._FILL[flow_chart.TODO].name()
    chart.set_state(workflow.DONE)
    assert chart.current_step() is None
    assert all(chart.step_state(s) == "done" for s in workflow.STEPS)
    with pytest.raises(ValueError):
        chart.set_state("审批")


def test_flow_chart_is_promotable_in_forms(qtbot):
    from gongkai_desktop.ui.forms import load_form

    form = load_form("step_page_common")
    qtbot.addWidget(form)
    assert isinstance(form.findChild(FlowChart, "flowChart"), FlowChart)


def test_history_dialog_lists_steps_returns_and_field_changes(qtbot, db, item_id, wizard):
    from gongkai_desktop.ui.history_dialog import ItemHistoryDialog

    propose(qtbot, wizard)
    p = page_of(wizard, "初审")
    qtbot.mouseClick(p.return_radio, Qt.MouseButton.LeftButton)
    type_text(p.opinion, "请补充文号")
    commit(qtbot, wizard)
    items.update(db, item_id, {"doc_no": "厦人社〔2026〕89号"}, today=TODAY)
    dlg = ItemHistoryDialog(db, item_id)
    qtbot.addWidget(dlg)
    t = dlg.steps_table
    assert [t.item(r, 0).text() for r in range(t.rowCount())] == ["提出", "初审"]
    assert t.item(1, 1).text() == "退回" and t.item(1, 4).text() == "请补充文号"
    assert "保密审查：不涉密" in t.item(1, 6).text()
    tree = dlg.changes_tree
    tops = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    assert [top.text(2) for top in tops] == [
        "事项·新建",
        "办理环节·新建",
        "事项·修改",
        "办理环节·新建",
        "事项·修改",
        "事项·修改",
    ]
    assert all(top.text(1) == "张三" for top in tops)

    def fields(top):
        return {
            top.child(i).text(3): (top.child(i).text(4), top.child(i).text(5))
            for i in range(top.childCount())
        }

    assert fields(tops[2])["当前环节"] == ("提出", "初审")
    assert fields(tops[4])["退回次数"] == ("0", "1")
    assert fields(tops[5])["文号"] == ("厦人社〔2026〕88号", "厦人社〔2026〕89号")
    assert fields(tops[0])["主题分类"] == ("（空）", "财务人事")
    assert "更新时间" not in fields(tops[5]) and "updated_at" not in fields(tops[5])
