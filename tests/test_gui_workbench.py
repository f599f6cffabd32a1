"""工作台 in the main window: due lines, opening records, requirements, the work plan,
shortcuts, the calendar banner and the remembered window (pytest-qt, real widgets)."""

import sys
import types
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support import shown_main_window

import gongkai_desktop.ui as ui_pkg
from gongkai_desktop.core import applications as A
from gongkai_desktop.core import items, rectifications, work_plan
from gongkai_desktop.ui import signals, workers
from gongkai_desktop.ui.main_window import MainWindow
from gongkai_desktop.ui.work_plan_dialog import WorkPlanDialog

TODAY = date(2026, 4, 1)


def new_app(db, received="2026-03-02", name="王五"):
    data = {"applicant_type": "自然人", "applicant_name": name, "phone": "13800000000",
            "channel": "当面", "received_date": received, "content": "2025年度社保基金收支"}  # fmt: skip
    return A.create(db, data, who="李四", today=TODAY)


def make_window(qtbot, db, tmp_path, today=TODAY):
    return shown_main_window(qtbot, db, tmp_path, today)


@pytest.fixture
def window(qtbot, db, tmp_path):
    w = make_window(qtbot, db, tmp_path)
    yield w
    workers.wait_all(20000)
    w.close()


def test_overdue_application_shows_and_goes_once_answered_elsewhere(qtbot, db, tmp_path):
    i = new_app(db)
    w = make_window(qtbot, db, tmp_path)
    tab = w.workbench
    assert w.tabs.tabText(0) == "工作台" and w.tabs.currentWidget() is tab
    [label] = tab.due_labels("申请答复")
    assert "王五" in label
    head = tab.due_tree.topLevelItem(0)
    assert head.text(0) == "申请答复（1）" and head.text(2) == "其中逾期1项"
    row = head.child(0)
    assert row.text(1).startswith("2026-03-30") and row.text(2) == "已逾期2个工作日"
    assert "条例第三十三条" in row.toolTip(0)
    assert "已逾期 1 项" in tab.summary.text()
    tab.due_tree.setCurrentItem(row)
    assert "答复期限：2026-03-30" in tab.explain.toPlainText()
    # answered through core, as another screen would, then the change notice
    A.answer(db, i, answer_type=2, result="予以公开", answer_date="2026-04-01", who="李四",
             today=TODAY)  # fmt: skip
    signals.notify(signals.APPLICATIONS)
    assert tab.due_labels("申请答复") == []
    assert tab.due_tree.topLevelItem(0).text(0) == "没有逾期或即将到期的事项。"
    w.close()


def test_a_line_opens_its_record_in_its_tab(qtbot, window, db):
    i = new_app(db)
    signals.notify(signals.APPLICATIONS)
    row = window.workbench.due_tree.topLevelItem(0).child(0)
    window.workbench.due_tree.itemActivated.emit(row, 0)
    assert window.tabs.currentWidget() is window.applications
    dlg = window.applications.dialog
    assert dlg is not None and dlg.isVisible() and dlg.app_id == i
    dlg.close()


def test_requirement_links_to_the_tab_that_fixes_it(qtbot, window):
    tab = window.workbench
    rows = [tab.req_tree.topLevelItem(n) for n in range(tab.req_tree.topLevelItemCount())]
    card = next(r for r in rows if r.text(0) == "公开工作机构联系方式")
    assert card.text(1) == "未落实" and "考核表第3项" in card.child(0).text(0)
    tab.req_tree.itemActivated.emit(card, 0)
    assert window.tabs.currentWidget() is window.organisation
    assert window.organisation.sections.currentIndex() == 2  # 公开工作机构信息


def test_work_plan_added_with_ctrl_n_and_marked_done(qtbot, window, db, monkeypatch):
    tab = window.workbench
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dlg = qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), WorkPlanDialog)) \
        or QApplication.activeModalWidget()  # fmt: skip
    dlg.title.setText("迎接市政务公开办检查")
    dlg.responsible.setText("张三")
    dlg.due.setDate(dlg.due.date().fromString("2026-04-03", "yyyy-MM-dd"))
    dlg.save()
    assert not dlg.isVisible()
    row = tab.plan_tree.topLevelItem(0)
    assert [row.text(c) for c in range(4)] == [
        "2026-04-03",
        "迎接市政务公开办检查",
        "张三",
        "提醒中",
    ]
    assert "工作计划提醒 1 项" in tab.summary.text()
    tab.plan_tree.setCurrentItem(row)
    assert tab.mark_plan_done(date(2026, 4, 1))
    assert tab.plan_tree.topLevelItem(0).text(3) == "已完成"
    assert work_plan.reminders(db, TODAY) == []


def test_ctrl_f_focuses_the_search_and_ctrl_n_creates_in_the_current_tab(qtbot, window):
    window.tabs.setCurrentWidget(window.applications)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.applications.search.hasFocus()
    window.tabs.setCurrentWidget(window.registry)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dlg = window.registry.item_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.close()


def test_ctrl_e_and_ctrl_p_open_the_export_centre(qtbot, window, monkeypatch):
    calls = []
    fake = types.ModuleType("gongkai_desktop.ui.export_centre_dialog")
    fake.open_export_centre = lambda parent, db: calls.append((parent, db))
    monkeypatch.setitem(sys.modules, fake.__name__, fake)
    monkeypatch.setattr(ui_pkg, "export_centre_dialog", fake, raising=False)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # no print here
    assert calls == [(window, window.db), (window, window.db)]
    texts = [a.text() for a in window.findChild(type(window.menuBar().actions()[0].menu()),
                                                 "menuFile").actions()]  # fmt: skip
    assert "导出中心…" in texts and "发送记录…" in texts


def test_window_remembers_size_and_tab(qtbot, db, tmp_path):
    w = make_window(qtbot, db, tmp_path)
    w.resize(1000, 620)
    w.tabs.setCurrentWidget(w.supervision)
    w.close()
    again = make_window(qtbot, db, tmp_path)
    assert again.tabs.tabText(again.tabs.currentIndex()) == "监督检查"
    restored = MainWindow(settings=again.settings, today=TODAY)
    qtbot.addWidget(restored)
    # the offscreen screen is 800 wide, so restoreGeometry clamps the width; not the height
    assert restored.height() == 620
    again.close()


def test_calendar_banner_when_a_deadline_reaches_an_unscheduled_year(
    qtbot, db, tmp_path, monkeypatch
):
    today = date(2029, 12, 20)
    items.create(db, {"title": "年末通知", "category": "06", "formed_date": "2029-12-18"},
                 today=today)  # fmt: skip
    w = make_window(qtbot, db, tmp_path, today=today)
    banner = w.calendar_banner
    assert banner.isVisible() and "2030年的放假安排尚未录入" in banner.text_plain
    opened = []
    monkeypatch.setattr(w, "open_holidays", lambda: opened.append(True))
    banner.linkActivated.emit("holidays")
    assert opened == [True]
    w.close()


def test_charts_show_the_numbers_beside_the_bars(qtbot, window, db):
    items.create(db, {"title": "按时", "category": "06", "formed_date": "2026-03-02",
                      "published_date": "2026-03-10"})  # fmt: skip
    signals.notify(signals.ITEMS)
    march = window.workbench.charts.published.rows[2]
    assert (march.label, march.value, march.text) == ("3月", 1, "1，按时100%")
    assert "20个工作日内公开" in march.tip
    assert window.workbench.charts.published.note == "全年公开1条，按时1条（100%）"


def test_file_and_tools_menus_open_the_export_mail_and_backup_dialogs(qtbot, window):
    from gongkai_desktop.ui.backup_dialog import BackupDialog
    from gongkai_desktop.ui.export_centre_dialog import ExportCentreDialog
    from gongkai_desktop.ui.mail_settings_dialog import MailSettingsDialog
    from gongkai_desktop.ui.sent_log_dialog import SentLogDialog

    for action, kind in (("actionExportCentre", ExportCentreDialog),
                         ("actionSentLog", SentLogDialog),
                         ("actionMailSettings", MailSettingsDialog),
                         ("actionBackup", BackupDialog)):  # fmt: skip
        window.action(action).trigger()
        shown = [w for w in window.findChildren(kind) if w.isVisible()]
        assert len(shown) == 1, action
        shown[0].close()


def test_item_and_rectification_lines_open_in_their_tabs(qtbot, window, db):
    item = items.create(db, {"title": "部门预算", "category": "06", "formed_date": "2026-03-02"})
    rect = rectifications.create(db, source="监督检查", problem="阅览室未摆放最新公开目录",
                                 responsible="办公室 郭雅婷", measure="每月更新", due_date="2026-03-20",
                                 today=date(2026, 3, 1))  # fmt: skip
    signals.notify(signals.SUPERVISION)
    tab = window.workbench
    lines = {ln.kind: ln for ln in tab.lines}
    assert lines["公开期限"].record_id == item and lines["整改"].record_id == rect
    tab.open_line(lines["公开期限"])
    assert window.tabs.currentWidget() is window.registry
    dlg = window.registry.item_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.close()
    tab.open_line(lines["整改"])
    assert window.tabs.currentWidget() is window.supervision
    assert window.supervision.sections.currentIndex() == 3  # 整改事项
    assert window.supervision.rect_view.selected_id() == rect
