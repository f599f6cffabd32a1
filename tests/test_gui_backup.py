"""文件 → 备份与恢复 (issue 9): the list, 立即备份, 恢复所选 on a real main window."""

from datetime import datetime

import pytest
from PySide6.QtCore import QSettings

from gongkai_desktop.core import backup, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.ui import backup_dialog, workers
from gongkai_desktop.ui.main_window import MainWindow


def add(db, title):
    data = {"title": title, "formed_date": "2026-02-10", "category": "预算决算"}
    return items.create(db, data, cal=WorkCalendar())


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    yield w
    workers.wait_all(30000)
    for tab in (w.registry, w.applications, w.complaints, w.supervision, w.organisation,
                w.annual_report, w.assessment, w.archive):  # fmt: skip
        if tab is not None:
            tab.dispose()


def texts(dlg, col):
    return [dlg.table.item(r, col).text() for r in range(dlg.table.rowCount())]


def test_the_list_shows_date_size_and_reason_newest_first(qtbot, db, tmp_path):
    add(db, "预算公开")
    path = backup.database_path(db)
    backup.take(db, reason="daily", now=datetime(2026, 11, 25, 8, 30))
    backup.take(db, reason="import", now=datetime(2026, 11, 26, 14, 5))
    dlg = backup_dialog.BackupDialog(db, path)
    qtbot.addWidget(dlg)
    assert texts(dlg, 0) == ["2026-11-26 14:05:00", "2026-11-25 08:30:00"]
    assert texts(dlg, 2) == ["导入前自动备份", "每日自动备份"]
    assert all(t.endswith("KB") for t in texts(dlg, 1))
    assert str(tmp_path / "t_备份") in dlg.folder_label.text()
    dlg.buttons["backupNow"].click()
    assert dlg.job.wait(30000)
    assert dlg.table.rowCount() == 3 and texts(dlg, 2)[0] == "手动备份"
    assert "完整性检查通过" in dlg.status.text()
    dlg.grab().save(str(tmp_path / "backup_dialog.png"))


def test_restore_selected_backs_up_first_replaces_and_reopens(qtbot, window, db, monkeypatch):
    path = backup.database_path(db)
    add(db, "旧事项")
    old = backup.take(db, reason="manual", now=datetime(2026, 11, 1, 9))
    add(db, "新事项")
    window.set_database(db, path)
    assert window.registry.model.rowCount() == 2
    asked = []
    monkeypatch.setattr(backup_dialog, "_confirm", lambda _p, _t, text: asked.append(text) or True)
    dlg = backup_dialog.open_backup_dialog(window)
    qtbot.addWidget(dlg)
    dlg.table.selectRow(texts(dlg, 3).index(old.name))
    safety = dlg.restore_selected()
    assert "2026-11-01 09:00:00" in asked[0] and "先把当前数据库备份" in asked[0]
    assert safety is not None and safety.name.endswith("_restore.db")
    assert window.db is dlg.db and window.db is not db  # reopened
    assert window.db.execute("SELECT title FROM items").fetchall() == [("旧事项",)]
    assert window.registry.model.rowCount() == 1
    assert "恢复前的数据库已保存为" in dlg.status.text()
    assert "恢复前自动备份" in texts(dlg, 2)


def test_declining_the_question_changes_nothing(qtbot, db, monkeypatch):
    add(db, "旧事项")
    backup.take(db, reason="manual")
    add(db, "新事项")
    monkeypatch.setattr(backup_dialog, "_confirm", lambda *_a: False)
    dlg = backup_dialog.BackupDialog(db, backup.database_path(db))
    qtbot.addWidget(dlg)
    assert dlg.restore_selected() is None
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 2


def test_the_folder_can_be_changed(qtbot, db, tmp_path):
    dlg = backup_dialog.BackupDialog(db, backup.database_path(db))
    qtbot.addWidget(dlg)
    assert dlg.change_folder(tmp_path / "另一块硬盘")
    assert str(tmp_path / "另一块硬盘") in dlg.folder_label.text()
    assert backup.default_folder(db) == (tmp_path / "另一块硬盘").resolve()
