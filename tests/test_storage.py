"""The SQLite file: pragmas, migrations, refusing foreign/newer/broken files, audit in the same transaction."""

import sqlite3

import pytest

from gongkai_desktop.core import audit, items, migrations
from gongkai_desktop.core import db as dbm
from gongkai_desktop.core.errors import DatabaseOpenError, ValidationError


def test_new_file_is_created_migrated_and_uses_wal(tmp_path):
    path = tmp_path / "sub" / "new.db"
    d = dbm.connect(path)
    assert path.exists()
    assert d.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert d.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert d.execute("PRAGMA busy_timeout").fetchone()[0] == dbm.BUSY_TIMEOUT_MS
    assert migrations.schema_version(d) == migrations.SCHEMA_VERSION
    assert d.execute("SELECT count(*) FROM categories").fetchone()[0] == 18
    assert d.execute("SELECT count(*) FROM channels").fetchone()[0] == 14


def test_migration_is_idempotent_on_reopen(tmp_path):
    path = tmp_path / "a.db"
    dbm.connect(path).conn.close()
    d = dbm.connect(path)
    # re-running the v1 step must not fail with "already exists" or duplicate rows
    with dbm.transaction(d):
        migrations.MIGRATIONS[0][2](d)
    assert d.execute("SELECT count(*) FROM categories").fetchone()[0] == 18


def test_newer_schema_is_refused_and_file_untouched(tmp_path):
    path = tmp_path / "newer.db"
    d = dbm.connect(path)
    d.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    d.conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="更新版本"):
        dbm.connect(path)
    assert path.read_bytes() == before


def test_not_a_database_gives_chinese_message(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a text file, not sqlite" * 100)
    with pytest.raises(DatabaseOpenError, match="不是本软件的数据库"):
        dbm.connect(path)


def test_other_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    c = sqlite3.connect(path)
    c.execute("CREATE TABLE customers(id, name)")
    c.commit()
    c.close()
    with pytest.raises(DatabaseOpenError, match="别的程序"):
        dbm.connect(path)


def test_locked_database_gives_clear_message(tmp_path, monkeypatch):
    path = tmp_path / "locked.db"
    dbm.connect(path).conn.close()
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(dbm, "BUSY_TIMEOUT_MS", 50)
    try:
        with pytest.raises(DatabaseOpenError, match="占用"):
            dbm.connect(path)
    finally:
        holder.rollback()
        holder.close()


def test_failed_write_rolls_back_row_and_audit(db):
    n_audit = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(RuntimeError):
        with dbm.transaction(db):
            db.execute("INSERT INTO settings(key, value) VALUES ('x', '1')")
            audit.record(db, "张三", "settings", "x", "insert", None, {"value": "1"})
            raise RuntimeError("disk full")
    assert db.execute("SELECT count(*) FROM settings WHERE key='x'").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == n_audit


def test_audit_refuses_to_write_outside_a_transaction(db):
    with pytest.raises(RuntimeError):
        audit.record(db, "张三", "items", 1, "insert")


def test_invalid_item_writes_nothing(db):
    n = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(ValidationError, match="主题分类"):
        items.create(db, {"title": "x", "formed_date": "2026-03-01", "category": "不存在的分类"})
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == n


def test_every_migration_step_can_run_twice(tmp_path):
    d = dbm.connect(tmp_path / "twice.db")
    for _version, _desc, step in migrations.MIGRATIONS:
        with dbm.transaction(d):
            step(d)
    assert migrations.schema_version(d) == migrations.SCHEMA_VERSION


def test_a_version_1_file_is_upgraded_with_its_data(tmp_path):
    path = tmp_path / "v1.db"
    raw = sqlite3.connect(path, isolation_level=None)
    import sqlite_utils

    old = sqlite_utils.Database(raw)
    with dbm.transaction(old):
        migrations.MIGRATIONS[0][2](old)
        old.execute("PRAGMA user_version = 1")
    raw.close()
    d = dbm.connect(path)
    assert migrations.schema_version(d) == migrations.SCHEMA_VERSION
    names = {r[0] for r in d.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"items_title", "items_due_all"} <= names
