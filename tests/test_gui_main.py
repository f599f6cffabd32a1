"""The main window: opening files, first-run 单位信息, menus, recent files, catalog dialog."""

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QTabWidget

from gongkai_desktop.core import catalog, items, profile
from gongkai_desktop.core.db import connect
from gongkai_desktop.ui import app as app_module
from gongkai_desktop.ui import db_opening
from gongkai_desktop.ui.catalog_dialog import CatalogDialog
from gongkai_desktop.ui.main_window import MAX_RECENT, MainWindow
from gongkai_desktop.ui.profile_dialog import ProfileDialog


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    w = MainWindow(settings=settings)
    qtbot.addWidget(w)
    yield w
    for tab in (w.registry, w.applications, w.complaints, w.supervision, w.organisation,
                w.annual_report, w.assessment):  # fmt: skip
        if tab is not None:
            tab.dispose()


def test_window_opens_on_a_database_with_a_profile(qtbot, window, db, tmp_path):
    items.create(db, {"title": "2026年部门预算", "category": "06", "formed_date": date.today()})
    window.set_database(db, tmp_path / "t.db")
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "政务公开台账 — 厦门市人力资源和社会保障局 — t.db"
    tabs = window.findChild(QTabWidget, "tabs")
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "工作台", "公开登记", "依申请公开", "投诉与意见", "监督检查", "机构与会议", "年度报告",
        "自评打分", "档案",
    ]  # fmt: skip
    assert window.registry.model.rowCount() == 1
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件", "编辑", "工具", "帮助"]
    assert window.action("actionNewRecord").shortcut().toString() == "Ctrl+N"
    assert window.profile_dialog is None  # no first-run dialog when a profile exists


def test_first_run_asks_for_the_unit_profile(qtbot, window, tmp_path):
    fresh = connect(tmp_path / "new.db")
    window.set_database(fresh, tmp_path / "new.db")
    window.show()
    qtbot.waitUntil(lambda: window.profile_dialog is not None and window.profile_dialog.isVisible())
    dlg: ProfileDialog = window.profile_dialog
    assert "未设置单位" in window.windowTitle()
    dlg.unit_name.setText("厦门市人力资源和社会保障局")
    dlg.fonds_no.setText("X001")
    assert "X001-01-" in dlg.example.text()  # live example of the 索引号 rule
    dlg.doc_prefix.setText("厦人社")
    dlg.operator.setText("李四")
    dlg.unit_type.setCurrentText("人民政府")
    assert dlg.app_no_pattern.text() == "{年}-{序号:4}"
    dlg.app_no_pattern.setText("依申{年}{序号:3}")
    dlg.channels["complaint_phone"].setText("0592-5100001")  # public channels (seed item 24)
    dlg.channels["opinion_box"].setText("一楼大厅")
    dlg.save()
    assert not dlg.isVisible()
    saved = profile.load(fresh)
    assert saved.app_no_pattern == "依申{年}{序号:3}"
    assert (saved.complaint_phone, saved.opinion_box, saved.report_phone) == (
        "0592-5100001", "一楼大厅", "",
    )  # fmt: skip
    again = ProfileDialog(fresh)
    qtbot.addWidget(again)
    assert again.channels["complaint_phone"].text() == "0592-5100001"
    assert (saved.unit_name, saved.fonds_no, saved.operator, saved.unit_type, saved.doc_prefix) == (
        "厦门市人力资源和社会保障局",
        "X001",
        "李四",
        "人民政府",
        "厦人社",
    )
    assert "厦门市人力资源和社会保障局" in window.windowTitle()
    fresh.conn.close()


def test_profile_errors_stay_in_the_dialog(qtbot, tmp_path):
    fresh = connect(tmp_path / "new.db")
    dlg = ProfileDialog(fresh, first_run=True)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.unit_name.setText("某某局")
    assert not dlg.save()
    assert dlg.isVisible() and "全宗号" in dlg.error.text() and "经办人" in dlg.error.text()
    dlg.fonds_no.setText("X9")
    dlg.operator.setText("王五")
    dlg.pattern.setText("{全宗号}-{年}")
    assert "序号" in dlg.example.text()  # the example says what is wrong while typing
    assert not dlg.save()
    assert "{序号}" in dlg.error.text()
    assert profile.load(fresh) is None
    fresh.conn.close()


def test_switching_databases_and_recent_files(qtbot, window, db, tmp_path, settings, monkeypatch):
    first = tmp_path / "t.db"
    window.set_database(db, first)
    second = tmp_path / "second.db"
    other = connect(second)
    profile.save(
        other, profile.UnitProfile(unit_name="某区人民政府", fonds_no="Q1", operator="赵六")
    )
    items.create(other, {"title": "区级预算", "category": "06", "formed_date": date.today()})
    other.conn.close()
    assert window.open_database(second)
    assert window.windowTitle().endswith("某区人民政府 — second.db")
    assert window.registry.model.rowCount() == 1
    tabs = window.findChild(QTabWidget, "tabs")
    assert tabs.count() == 9  # rebuilt, not added twice
    assert window.recent_files() == [str(second.resolve()), str(first.resolve())]
    window.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.recent_menu.actions()][:2] == ["second.db", "t.db"]
    second_conn = window.db
    window.open_database(first)  # reopen the first: its tab shows its own data
    assert window.windowTitle().endswith("t.db")
    with pytest.raises(Exception, match="closed"):
        second_conn.execute("SELECT 1")  # the previous file was closed


def test_recent_files_prune_missing_and_keep_eight(window, tmp_path):
    paths = []
    for i in range(MAX_RECENT + 2):
        p = tmp_path / f"f{i}.db"
        p.write_bytes(b"")
        window.remember_recent(p)
        paths.append(p)
    paths[-1].unlink()
    files = window.recent_files()
    assert len(files) <= MAX_RECENT and str(paths[-1]) not in files
    assert files[0] == str(paths[-2])


def test_bad_file_gives_chinese_message_and_keeps_current(qtbot, window, db, tmp_path, monkeypatch):
    window.set_database(db, tmp_path / "t.db")
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"not a database at all" * 200)
    shown = []
    monkeypatch.setattr(
        db_opening, "_exec", lambda box: shown.append(box.text() + box.informativeText())
    )
    assert not window.open_database(bad)
    assert shown and "不是本软件的数据库" in shown[0] and "没有找到可用的备份" in shown[0]
    assert bad.read_bytes() == b"not a database at all" * 200  # left exactly as it was
    assert window.db is db and window.windowTitle().endswith("t.db")


def test_catalog_dialog_adds_category_seen_by_registry_filter(qtbot, window, db, tmp_path):
    window.set_database(db, tmp_path / "t.db")
    dlg = CatalogDialog(db, window)
    qtbot.addWidget(dlg)
    n = dlg.categories.count()
    dlg.category_edit.setText("人才工作")
    qtbot.mouseClick(dlg.ui.findChild(QPushButton, "addCategoryButton"), Qt.MouseButton.LeftButton)
    assert dlg.categories.count() == n + 1 and "人才工作（自定义）" in dlg.categories.item(n).text()
    assert window.registry.category_combo.findText("人才工作") > 0
    dlg.category_edit.setText("人才工作")
    dlg.add_category()
    assert "已经存在" in dlg.error.text()
    dlg.channel_edit.setText("政务新媒体")
    dlg.add_channel()
    assert "政务新媒体" in catalog.channels(db)


def test_resolve_db_path(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "data_dir", lambda: tmp_path / "data")
    assert app_module.resolve_db_path(str(tmp_path / "x.db"), False) == tmp_path / "x.db"
    assert app_module.resolve_db_path(None, True) == tmp_path / "data" / "demo.db"
    assert app_module.resolve_db_path(None, False) == tmp_path / "data" / "gongkai.db"


def test_open_or_ask_quits_on_a_broken_file_without_traceback(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 500)
    seen = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: seen.append(self.text()) or 0)
    assert app_module.open_or_ask(bad) is None
    assert "不是本软件的数据库" in seen[0]
