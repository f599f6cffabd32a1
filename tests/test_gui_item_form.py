"""The item form (登记事项): typed with the keyboard, saved with Ctrl+S, checked before saving."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from support import type_text

from gongkai_desktop.core import audit, items, profile
from gongkai_desktop.ui.item_dialog import ItemDialog
from gongkai_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, db, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w.set_database(db, tmp_path / "t.db")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def _open_new_form(qtbot, window) -> ItemDialog:
    window.tabs.setCurrentWidget(window.registry)  # Ctrl+N creates in the current tab
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.registry.item_dialog is not None)
    dlg = window.registry.item_dialog
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    return dlg


def _audit_count(db) -> int:
    return db.execute("SELECT count(*) FROM audit WHERE tbl = 'items'").fetchone()[0]


def test_ctrl_n_typed_item_saved_with_ctrl_s(qtbot, window, db):
    dlg = _open_new_form(qtbot, window)
    assert dlg.windowTitle() == "新增事项"
    type_text(qtbot, dlg.title, "2026年部门预算")
    dlg.doc_no.clear()
    type_text(qtbot, dlg.doc_no, "厦人社〔2026〕8号")
    dlg.category.setCurrentIndex(dlg.category.findText("预算决算"))
    dlg.channels.item(0).setCheckState(Qt.CheckState.Checked)
    type_text(qtbot, dlg.keywords, "预算 部门")
    with qtbot.waitSignal(dlg.saved):
        qtbot.keyClick(dlg.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dlg.isVisible()
    model = window.registry.model
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == "2026年部门预算"
    assert model.index(0, 3).data() == "预算决算"
    assert window.registry.count_label.text() == "共 1 条"
    item = items.get(db, dlg.saved_id)
    assert item["doc_no"] == "厦人社〔2026〕8号"
    assert item["index_no"].startswith("X001-06-")  # 索引号 generated on save
    assert item["issuer"] == "厦门市人力资源和社会保障局"  # default: the unit name
    rows = audit.history(db, "items", dlg.saved_id)
    assert [r.action for r in rows] == ["insert"] and rows[0].who == "张三"


def test_validation_error_keeps_the_dialog_open_and_db_unchanged(qtbot, window, db):
    dlg = _open_new_form(qtbot, window)
    type_text(qtbot, dlg.doc_no, "〔2026〕1号")
    dlg.category.setCurrentIndex(0)
    before = _audit_count(db)
    qtbot.keyClick(dlg.doc_no, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dlg.isVisible()
    assert "信息名称" in dlg.error.text()
    assert dlg.doc_no.text().endswith("〔2026〕1号")  # nothing the clerk typed is lost
    assert dlg.title.hasFocus()
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 0
    assert _audit_count(db) == before
    # fix it and save: the same dialog now succeeds
    type_text(qtbot, dlg.title, "就业补助资金使用情况")
    assert dlg.save()
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 1


def test_category_must_be_chosen(qtbot, db):
    dlg = ItemDialog(db)
    qtbot.addWidget(dlg)
    dlg.title.setText("没有分类的事项")
    assert dlg.category.currentIndex() == -1  # no last item to copy from
    assert not dlg.save()
    assert "主题分类" in dlg.error.text()


def test_duplicate_doc_no_asks_before_saving(qtbot, db, monkeypatch):
    items.create(
        db,
        {
            "title": "关于调整最低工资标准的通知",
            "doc_no": "厦人社〔2026〕3号",
            "formed_date": date.today() - timedelta(days=5),
            "category": "03",
        },
    )
    asked = []

    def answer(reply):
        def question(parent, title, text, *a, **k):
            asked.append(text)
            return reply

        return question

    dlg = ItemDialog(db)
    qtbot.addWidget(dlg)
    dlg.title.setText("社会保险费征缴办法")
    dlg.doc_no.setText("厦人社〔2026〕3号")
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert not dlg.save()
    assert asked and asked[0].startswith("可能重复：") and "文号相同" in asked[0]
    assert "仍要保存吗？" in asked[0]
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 1
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    assert dlg.save()
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 2


def test_new_form_defaults_from_profile_and_last_item(qtbot, db):
    p = profile.load(db)
    p.doc_prefix = "厦人社"
    profile.save(db, p)
    items.create(
        db,
        {
            "title": "人才引进补贴申领指南",
            "issuer": "市人才服务中心",
            "formed_date": date.today(),
            "category": "11",
        },
    )
    dlg = ItemDialog(db)
    qtbot.addWidget(dlg)
    assert dlg.doc_no.text() == "厦人社"
    assert dlg.issuer.text() == "市人才服务中心"
    assert dlg.category.currentText() == "社会政策"
    assert dlg.formed.date() == QDate.currentDate()
    assert dlg.index_no.isReadOnly() and dlg.index_no.text() == ""
    # the bare prefix is not a 文号: it must not count as a duplicate or be stored
    dlg.title.setText("另一条信息")
    assert dlg.data()["doc_no"] == ""


def test_deadline_and_its_explanation_follow_the_formed_date(qtbot, db):
    dlg = ItemDialog(db, today=date(2026, 11, 27))
    qtbot.addWidget(dlg)
    dlg.formed.setDate(QDate(2026, 2, 10))
    # RULES.md §1 worked example: the Spring Festival break is skipped
    assert "2026-03-16" in dlg.deadline_label.text()
    text = dlg.explain.toPlainText()
    assert "起算日：2026-02-10" in text and "春节" in text and "2026-02-14" in text
    dlg.formed.setDate(QDate(2026, 9, 25))
    assert "2026-10-29" in dlg.deadline_label.text()
    assert "国庆节" in dlg.explain.toPlainText()


def test_major_decision_stages_only_when_checked_and_saved_with_the_item(qtbot, db):
    dlg = ItemDialog(db)
    qtbot.addWidget(dlg)
    assert not dlg.stage_table.isEnabled() and not dlg.add_stage_button.isEnabled()
    dlg.major.setChecked(True)
    assert dlg.add_stage_button.isEnabled()
    dlg.add_stage_button.click()
    assert "公开的内容" in dlg.error.text()  # empty content refused
    dlg.stage_combo.setCurrentText("决策前")
    dlg.stage_content.setText("公开征求意见稿")
    dlg.stage_opinions.setText("收到意见3条")
    dlg.add_stage_button.click()
    assert dlg.stage_table.rowCount() == 1
    dlg.title.setText("城市更新专项规划")
    dlg.category.setCurrentIndex(dlg.category.findData("04"))
    assert dlg.save()
    stages = items.decision_stages(db, dlg.saved_id)
    assert [(s["stage"], s["content"], s["opinions"]) for s in stages] == [
        ("决策前", "公开征求意见稿", "收到意见3条")
    ]
    assert items.get(db, dlg.saved_id)["major_decision"] == 1


def test_edit_existing_item_and_long_term(qtbot, db):
    item_id = items.create(
        db,
        {
            "title": "权力清单",
            "formed_date": date.today(),
            "category": "01",
            "channels": ["门户网站"],
            "url": "https://example.gov.cn/a",
        },
    )
    dlg = ItemDialog(db, item_id)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "修改事项"
    assert dlg.index_no.text() == items.get(db, item_id)["index_no"]
    checked = [
        dlg.channels.item(i).text()
        for i in range(dlg.channels.count())
        if dlg.channels.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert checked == ["门户网站"]
    dlg.title.setText("权力清单（2026年版）")
    dlg.long_term.setChecked(True)
    assert not dlg.end_date.isEnabled()
    assert dlg.save()
    after = items.get(db, item_id)
    assert after["title"] == "权力清单（2026年版）" and after["long_term"] == 1
    assert [r.action for r in audit.history(db, "items", item_id)] == ["insert", "update"]


def test_escape_cancels_without_saving(qtbot, window, db):
    dlg = _open_new_form(qtbot, window)
    type_text(qtbot, dlg.title, "不保存的事项")
    qtbot.keyClick(dlg.title, Qt.Key.Key_Escape)
    assert not dlg.isVisible()
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 0
