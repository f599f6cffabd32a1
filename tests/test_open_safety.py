"""Failing safely at open (issue 9): damaged files, one app per file, newer versions,
the backup before a migration, and the unexpected-error dialog."""

import logging
import os
import sqlite3
import sys
from datetime import datetime

import pytest
import sqlite_utils
from PySide6.QtWidgets import QApplication
from support import held_by_another_window

from gongkai_desktop.core import backup, file_lock, items, migrations, profile
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.db import connect
from gongkai_desktop.core.errors import DamagedDatabaseError, NewerDatabaseError
from gongkai_desktop.ui import crash_report, db_opening, workers


@pytest.fixture(autouse=True)
def no_locks_left():
    yield
    workers.wait_all(30000)
    file_lock.release_others(None)


def filled(path, n=300):
    db = connect(path)
    profile.save(
        db,
        profile.UnitProfile(
            unit_name="厦门市人力资源和社会保障局", fonds_no="X001", operator="张三"
        ),
    )
    for i in range(n):
        data = {"title": f"事项{i}" * 20, "formed_date": "2026-02-10", "category": "预算决算"}
        items.create(db, data, cal=WorkCalendar())
    db.conn.close()
    return path


def count_items(path):
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM items").fetchone()[0]
    finally:
        conn.close()


def garble_pages(path):
    data = bytearray(path.read_bytes())
    for p in range(2, len(data) // 4096 - 1):
        data[p * 4096 + 8 : p * 4096 + 400] = b"\xa5" * 392
    path.write_bytes(bytes(data))


def garble_header(path):
    data = bytearray(path.read_bytes())
    data[:512] = b"\x00garbage" * 64
    path.write_bytes(bytes(data))


def truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize("damage", [garble_pages, garble_header, truncate])
def test_a_damaged_file_is_detected_at_open(tmp_path, damage):
    path = filled(tmp_path / "台账.db")
    damage(path)
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError, match="损坏") as err:
        connect(path)
    assert err.value.path == path
    assert path.read_bytes() == before  # detection changes nothing


def test_a_newer_version_is_refused_and_the_file_is_unchanged(tmp_path):
    path = tmp_path / "新版.db"
    conn = sqlite3.connect(path)  # a future program's file, not yet in WAL mode
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="请升级本软件"):
        connect(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "新版_备份").exists()


def _v7_file(path):
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for _v, _d, step in migrations.MIGRATIONS[:7]:
        step(db)
    conn.execute("INSERT INTO audit(at, who, tbl, row_id, action) VALUES"
                 " ('2025-12-01T09:00:00', '张三', 'items', '1', 'insert')")  # fmt: skip
    conn.execute("PRAGMA user_version = 7")
    conn.close()


def test_opening_a_v7_file_backs_it_up_before_migrating(tmp_path):
    path = tmp_path / "旧台账.db"
    _v7_file(path)
    db = connect(path)
    assert migrations.schema_version(db) == migrations.SCHEMA_VERSION
    db.conn.close()
    [made] = backup.list_backups(tmp_path / "旧台账_备份")
    assert made["reason"] == "升级前自动备份"
    conn = sqlite3.connect(made["path"])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7  # the file as it was
    assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 1
    assert "work_plan" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    connect(path).conn.close()  # already current: no second backup
    assert len(backup.list_backups(tmp_path / "旧台账_备份")) == 1


def test_a_new_file_is_not_backed_up(tmp_path):
    connect(tmp_path / "新.db").conn.close()
    assert not (tmp_path / "新_备份").exists()


def test_a_second_app_on_the_same_file_gets_a_clear_message(qtbot, tmp_path, monkeypatch):
    path = filled(tmp_path / "台账.db", 1)
    seen = []
    monkeypatch.setattr(
        db_opening, "_exec", lambda box: seen.append((box.windowTitle(), box.text()))
    )
    with held_by_another_window(path):
        assert db_opening.open_or_recover(None, path, daily_backup=False) is None
    [(title, text)] = seen
    assert title == "数据库正在使用"
    assert "已经在另一个政务公开台账窗口中打开" in text and "进程" in text
    db = db_opening.open_or_recover(None, path, daily_backup=False)  # the other copy quit
    assert db is not None
    db.conn.close()
    file_lock.release_others(None)


def test_the_lock_is_released_when_the_window_switches_files(qtbot, tmp_path):
    a, b = filled(tmp_path / "甲.db", 1), filled(tmp_path / "乙.db", 1)
    db_a = db_opening.open_or_recover(None, a, daily_backup=False)
    db_b = db_opening.open_or_recover(None, b, daily_backup=False)
    assert [p.name for p in file_lock.held_paths()] == ["乙.db"]
    assert not file_lock.is_locked_elsewhere(a)
    db_a.conn.close()
    db_b.conn.close()
    file_lock.release_others(None)


def test_the_damaged_dialog_renames_aside_and_restores_the_newest_good_backup(
    qtbot, tmp_path, monkeypatch
):
    path = filled(tmp_path / "台账.db", 300)
    folder = tmp_path / "台账_备份"
    backup.take(path, folder, reason="daily", now=datetime(2026, 11, 20, 9))
    newest = backup.take(path, folder, reason="daily", now=datetime(2026, 11, 26, 9))
    broken = backup.take(path, folder, reason="manual", now=datetime(2026, 11, 27, 8))
    garble_pages(broken)  # the newest backup is itself bad: skip it
    garble_pages(path)
    damaged_bytes = path.read_bytes()
    shown = []

    def press(box):
        shown.append((box.windowTitle(), box.text(), box.informativeText()))
        for b in box.buttons():
            if b.text() == "用这个备份恢复":
                b.click()

    monkeypatch.setattr(db_opening, "_exec", press)
    db = db_opening.open_or_recover(None, path, daily_backup=False)
    assert db is not None
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 300
    db.conn.close()
    title, text, info = shown[0]
    assert title == "数据库已损坏" and "已损坏" in text and "Traceback" not in text + info
    assert "2026-11-26 09:00" in info and "不会被删除" in info
    [aside] = list(tmp_path.glob("台账_已损坏_*.db"))
    assert aside.read_bytes() == damaged_bytes  # kept, never deleted
    assert shown[1][0] == "已从备份恢复" and aside.name in shown[1][1]
    assert newest.exists() and count_items(path) == 300
    file_lock.release_others(None)


def test_a_damaged_file_without_backups_is_left_alone(qtbot, tmp_path, monkeypatch):
    path = filled(tmp_path / "台账.db", 300)
    garble_pages(path)
    before = path.read_bytes()
    shown = []
    monkeypatch.setattr(db_opening, "_exec", lambda box: shown.append(box.informativeText()))
    assert db_opening.open_or_recover(None, path, daily_backup=False) is None
    assert "没有找到可用的备份" in shown[0]
    assert path.read_bytes() == before and list(tmp_path.glob("*已损坏*")) == []
    assert file_lock.held_paths() == []


def test_the_daily_backup_runs_off_the_gui_thread_once(qtbot, tmp_path):
    path = filled(tmp_path / "台账.db", 1)
    db = db_opening.open_or_recover(None, path)
    assert workers.wait_all(30000)
    db_opening.start_daily_backup(None, path)
    assert workers.wait_all(30000)
    [made] = backup.list_backups(tmp_path / "台账_备份")
    assert made["reason"] == "每日自动备份"
    db.conn.close()
    file_lock.release_others(None)


def test_an_unexpected_error_is_logged_and_shown_with_a_copyable_summary(
    qtbot, tmp_path, monkeypatch
):
    log_file = crash_report.setup_logging(tmp_path / "logs")
    shown = []

    def show(dialog):
        qtbot.addWidget(dialog)
        dialog.copy()
        shown.append(dialog.details.toPlainText())

    monkeypatch.setattr(crash_report, "_exec", show)
    monkeypatch.setitem(crash_report._state, "dialogs", 0)
    try:
        {}["不存在的键"]
    except KeyError:
        crash_report.handle(*sys.exc_info())
    [text] = shown
    assert "KeyError" in text and "不存在的键" in text and str(log_file) in text
    assert QApplication.clipboard().text() == text
    for h in logging.getLogger("gongkai_desktop").handlers:
        h.flush()
    logged = log_file.read_text("utf-8")
    assert "Traceback" in logged and "test_open_safety.py" in logged


def test_the_window_opens_files_off_the_gui_thread(qtbot, tmp_path, monkeypatch):
    """quick_check, the pre-migration backup and the migration run on a worker."""
    import threading

    seen = []
    real = db_opening.connect

    def spy(path):
        seen.append(threading.current_thread() is threading.main_thread())
        return real(path)

    monkeypatch.setattr(db_opening, "connect", spy)
    db = db_opening.open_or_recover(None, tmp_path / "new.db", daily_backup=False)
    assert db is not None and seen == [False]
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 8  # usable on the GUI thread
    db.conn.close()


def test_a_file_is_checked_once_per_process_until_it_is_replaced(tmp_path, monkeypatch):
    """Workers reopen the file after every write; quick_check reads every page, so it runs
    once per file (path + inode), and again when a restore or copy replaces the file."""
    import shutil

    from gongkai_desktop.core import db as db_module

    path = tmp_path / "office.db"
    connect(path).conn.close()  # created (empty files are not checked)
    reads = []
    real = db_module._header
    monkeypatch.setattr(db_module, "_header", lambda p: reads.append(p) or real(p))
    monkeypatch.setattr(db_module, "_checked", set())
    for n in range(3):
        d = connect(path)
        items.create(d, {"title": f"第{n}件", "category": "06", "formed_date": "2026-03-02"})
        d.conn.close()  # size and mtime change every time
    assert len(reads) == 1
    shutil.copy(path, tmp_path / "copy.db")
    os.replace(tmp_path / "copy.db", path)  # a restore: a new file at the same path
    connect(path).conn.close()
    assert len(reads) == 2
