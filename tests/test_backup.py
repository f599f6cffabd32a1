"""备份与恢复 (issue 9): consistent online backups, verification, 7/4/12 rotation, restore."""

import sqlite3
import threading
from datetime import date, datetime, timedelta

import pytest
from support import item_titles

from gongkai_desktop.core import backup, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.db import connect, transaction
from gongkai_desktop.core.errors import UserError


def new_item(db, title="2026年部门预算公开"):
    data = {"title": title, "doc_no": "厦人社〔2026〕3号", "formed_date": "2026-02-10",
            "category": "预算决算", "channels": ["门户网站"]}  # fmt: skip
    return items.create(db, data, cal=WorkCalendar())


def file_of(db):
    return backup.database_path(db)


def corrupt(path):
    """Overwrite pages in the middle of the file with garbage (a bad sector)."""
    data = bytearray(path.read_bytes())
    page = 4096
    for p in range(2, len(data) // page - 1):
        data[p * page + 8 : p * page + 400] = b"\xa5" * 392
    path.write_bytes(bytes(data))


def test_backup_goes_next_to_the_database_is_verified_and_self_contained(db):
    new_item(db)
    made = backup.take(db, reason="manual")
    assert made.parent == file_of(db).parent / "t_备份"
    assert made.name.startswith("t_") and made.name.endswith("_manual.db")
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal needed
    conn.close()
    assert item_titles(made) == ["2026年部门预算公开"]
    [info] = backup.list_backups(made.parent)
    assert info["path"] == made and info["reason"] == "手动备份" and info["size"] > 0
    assert [p.name for p in made.parent.iterdir()] == [made.name]  # no temporary left


def test_backup_while_another_connection_writes_is_a_consistent_snapshot(db, tmp_path):
    path = file_of(db)
    started, stop = threading.Event(), threading.Event()
    written = []

    def writer():
        conn = connect(path)
        n = 0
        while not stop.is_set():
            n += 1
            with transaction(conn):  # one transaction: an item and its pair
                new_item(conn, f"成对事项{n}甲")
                new_item(conn, f"成对事项{n}乙")
            written.append(n)
            if n == 5:
                started.set()
        conn.conn.close()

    t = threading.Thread(target=writer)
    t.start()
    try:
        assert started.wait(60)
        made = [backup.take(path, tmp_path / "bk", reason="manual", rotate=False)
                for _ in range(3)]  # fmt: skip
    finally:
        stop.set()
        t.join(60)
    for m in made:
        names = item_titles(m)
        assert len(names) >= 10 and len(names) % 2 == 0
        firsts = {n[:-1] for n in names if n.endswith("甲")}
        assert firsts == {n[:-1] for n in names if n.endswith("乙")}  # never half a pair
    assert len(item_titles(path)) == 2 * len(written)


def test_a_damaged_source_gives_a_chinese_error_and_leaves_no_backup(db, tmp_path):
    for i in range(300):
        new_item(db, f"事项{i}" * 20)
    path = file_of(db)
    db.conn.close()
    corrupt(path)
    with pytest.raises(UserError, match="备份"):
        backup.take(path, tmp_path / "bk", reason="manual")
    assert list((tmp_path / "bk").iterdir()) == []


def test_the_backup_folder_is_a_setting_with_an_audit_row(db, tmp_path):
    chosen = tmp_path / "U盘" / "备份"
    backup.save_folder(db, chosen)
    assert backup.default_folder(db) == chosen.resolve()
    assert backup.default_folder(file_of(db)) == chosen.resolve()  # read without opening
    row = db.execute("SELECT who, tbl, row_id FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert row == ("张三", "settings", backup.FOLDER_KEY)
    new_item(db)
    assert backup.take(db, reason="manual").parent == chosen.resolve()
    backup.save_folder(db, "")
    assert backup.default_folder(db) == file_of(db).parent / "t_备份"


def _touch(folder, stem, when, code="daily"):
    p = folder / f"{stem}_{when:%Y%m%d-%H%M%S}_{code}.db"
    p.write_bytes(b"x")
    return p


def test_rotation_keeps_7_daily_4_weekly_12_monthly_over_two_years(tmp_path):
    folder = tmp_path / "备份"
    folder.mkdir()
    other = _touch(folder, "另一个台账", datetime(2024, 1, 1, 9))
    stray = folder / "说明.txt"
    stray.write_text("不是备份")
    end = date(2026, 11, 27)  # a Friday
    day = end - timedelta(days=730)
    while day <= end:  # the app opens every day and rotates after each backup
        _touch(folder, "gongkai", datetime(day.year, day.month, day.day, 9, 0))
        backup.rotate(folder)
        day += timedelta(days=1)
    left = {b["taken_at"].date() for b in backup.list_backups(folder, "gongkai")}
    daily = {end - timedelta(days=i) for i in range(7)}  # 11-21 … 11-27
    weekly = {date(2026, 11, 15), date(2026, 11, 8), date(2026, 11, 1), date(2026, 10, 25)}
    monthly = {date(2026, 10, 31), date(2026, 9, 30), date(2026, 8, 31), date(2026, 7, 31),
               date(2026, 6, 30), date(2026, 5, 31), date(2026, 4, 30), date(2026, 3, 31),
               date(2026, 2, 28), date(2026, 1, 31), date(2025, 12, 31), date(2025, 11, 30)}  # fmt: skip
    assert left == daily | weekly | monthly
    rules = backup.retention(backup.list_backups(folder, "gongkai"))
    assert sorted(rules.values()).count("daily") == 7
    assert list(rules.values()).count("weekly") == 4
    assert list(rules.values()).count("monthly") == 12
    assert other.exists() and stray.exists()  # other databases and other files untouched
    assert backup.rotate(folder) == []


def test_a_past_day_keeps_its_newest_today_keeps_all_and_manual_copies_stay(tmp_path):
    folder = tmp_path / "备份"
    folder.mkdir()
    for hour in (8, 10, 12):
        _touch(folder, "gongkai", datetime(2026, 11, 26, hour), "import")
    manual = _touch(folder, "gongkai", datetime(2026, 11, 26, 7), "manual")
    for hour in (8, 9):
        _touch(folder, "gongkai", datetime(2026, 11, 27, hour), "restore")
    removed = backup.rotate(folder)
    assert sorted(p.name for p in removed) == [
        "gongkai_20261126-080000_import.db",
        "gongkai_20261126-100000_import.db",
    ]
    left = [
        (b["taken_at"].day, b["taken_at"].hour, b["reason"]) for b in backup.list_backups(folder)
    ]
    assert left == [(27, 9, "恢复前自动备份"), (27, 8, "恢复前自动备份"),
                    (26, 12, "导入前自动备份"), (26, 7, "手动备份")]  # fmt: skip
    assert manual.exists()


def test_daily_backup_at_most_once_a_day_and_not_for_an_empty_file(db, tmp_path):
    empty = tmp_path / "空.db"
    connect(empty).conn.close()
    assert backup.daily(empty) is None
    path = file_of(db)
    first = backup.daily(path, now=datetime(2026, 11, 27, 8, 30))
    assert first is not None and first.name.endswith("_daily.db")
    assert backup.daily(path, now=datetime(2026, 11, 27, 17, 0)) is None
    assert backup.daily(path, now=datetime(2026, 11, 28, 8, 0)) is not None


def test_restore_backs_up_first_then_replaces_the_file(db, tmp_path):
    new_item(db, "恢复前就有的事项")
    path = file_of(db)
    old = backup.take(db, reason="manual", now=datetime(2026, 11, 1, 9))
    new_item(db, "备份之后才登记的事项")
    db.conn.close()
    safety = backup.restore(path, old)
    assert safety.name.endswith("_restore.db")
    assert item_titles(safety) == ["备份之后才登记的事项", "恢复前就有的事项"]  # nothing lost
    assert item_titles(path) == ["恢复前就有的事项"]
    assert not Path_wal(path).exists()  # no stale WAL of the old file to replay
    again = connect(path)  # opens and works
    assert again.execute("SELECT count(*) FROM items").fetchone()[0] == 1
    again.conn.close()


def Path_wal(path):
    return path.with_name(path.name + "-wal")


def test_a_restore_that_fails_halfway_leaves_the_file_as_it_was(db, tmp_path, monkeypatch):
    new_item(db, "原有事项")
    path = file_of(db)
    old = backup.take(db, tmp_path / "bk", reason="manual")
    new_item(db, "新事项")
    db.conn.close()
    real_copy = backup._copy

    def copy_then_fail(src, dst):
        real_copy(src, dst)
        if dst.parent == path.parent:  # the safety copy succeeds, the replacement fails
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_copy", copy_then_fail)
    with pytest.raises(UserError, match="磁盘空间已满"):
        backup.restore(path, old, tmp_path / "bk")
    assert item_titles(path) == ["原有事项", "新事项"]
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_restore_refuses_a_damaged_backup_and_keeps_the_file(db, tmp_path):
    for i in range(300):
        new_item(db, f"事项{i}" * 20)
    path = file_of(db)
    bad = backup.take(db, tmp_path / "bk", reason="manual")
    corrupt(bad)
    before = path.read_bytes()
    with pytest.raises(UserError, match="已损坏|不是可用的备份"):
        backup.restore(path, bad)
    assert path.read_bytes() == before
    assert backup.newest_good(tmp_path / "bk") is None


def test_restore_refuses_while_the_file_is_open_elsewhere(db, tmp_path):
    new_item(db)
    old = backup.take(db, tmp_path / "bk", reason="manual")
    with pytest.raises(UserError, match="还在被"):  # this test's own connection is open
        backup.restore(file_of(db), old, tmp_path / "bk")
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 1
