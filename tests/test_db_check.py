"""`gongkai check` findings (issue 9): integrity, foreign keys, schema version, backups."""

import sqlite3

from gongkai_desktop.core import backup, db_check, items, migrations
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.db import connect


def fill(db, n=300):
    for i in range(n):
        data = {"title": f"事项{i}" * 20, "formed_date": "2026-02-10", "category": "预算决算"}
        items.create(db, data, cal=WorkCalendar())


def test_a_healthy_file_passes_and_the_check_changes_nothing(db):
    fill(db, 3)
    path = backup.database_path(db)
    db.conn.close()
    before = path.read_bytes()
    report = db_check.check(path)
    assert report.ok and report.problems == 0
    text = "\n".join(report.lines)
    assert "完整性检查（integrity_check）：正常" in text
    assert "外键检查（foreign_key_check）：正常" in text
    assert f"数据版本：{migrations.SCHEMA_VERSION}" in text
    assert "还没有备份" in text
    assert path.read_bytes() == before


def test_the_newest_backup_is_reported(db):
    fill(db, 1)
    backup.take(db, reason="manual")
    report = db_check.check(backup.database_path(db))
    assert report.ok and any("共 1 个" in line and "手动备份" in line for line in report.lines)


def test_damaged_pages_are_a_problem(db):
    fill(db)
    path = backup.database_path(db)
    db.conn.close()
    data = bytearray(path.read_bytes())
    for p in range(2, len(data) // 4096 - 1):
        data[p * 4096 + 8 : p * 4096 + 400] = b"\xa5" * 392
    path.write_bytes(bytes(data))
    report = db_check.check(path)
    assert not report.ok
    assert any(line.startswith("✗") and "从备份恢复" in line for line in report.lines)


def test_a_dangling_reference_is_reported_with_its_table(db):
    fill(db, 1)
    path = backup.database_path(db)
    db.conn.close()
    conn = sqlite3.connect(path)  # foreign keys off: what a broken tool could do
    conn.execute("UPDATE items SET category = '不存在的类别'")
    conn.commit()
    conn.close()
    report = db_check.check(path)
    assert not report.ok
    assert any("表 items" in line and "categories" in line for line in report.lines)


def test_a_newer_version_is_a_problem_and_an_older_one_is_not(tmp_path):
    newer = tmp_path / "newer.db"
    connect(newer).conn.close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.close()
    report = db_check.check(newer)
    assert not report.ok and any("请升级本软件" in line for line in report.lines)
    older = tmp_path / "older.db"
    conn = sqlite3.connect(older)
    for _v, _d, step in migrations.MIGRATIONS[:7]:
        import sqlite_utils

        step(sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    report = db_check.check(older)
    assert report.ok and any("打开时会先自动备份，再自动升级" in line for line in report.lines)


def test_a_file_that_is_not_a_database_is_a_problem(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"PK\x03\x04 not sqlite" * 200)
    report = db_check.check(junk)
    assert not report.ok and "无法作为数据库打开" in report.lines[1]
