"""Migration fixtures (issue 9): every schema version the app has had opens with today's code.

tests/fixtures/schema_vN.db were written by tests/fixtures/make_fixtures.py with the
migrations of version N and data in that version's schema. Each test works on a copy in
tmp_path, so the backup taken before a migration lands there too.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from gongkai_desktop.core import application_store, audit, complaints, items, profile
from gongkai_desktop.core.db import connect, transaction
from gongkai_desktop.core.errors import DatabaseOpenError
from gongkai_desktop.core.migrations import MIGRATIONS, SCHEMA_VERSION, schema_version

FIXTURES = Path(__file__).with_name("fixtures")
VERSIONS = [v for v, _d, _s in MIGRATIONS]
# Tables each version added (the fixture holds rows in each), for the counts check.
TABLES = {
    1: ("settings", "audit", "categories", "channels", "calendar_entries", "items", "item_steps",
        "decision_stages"),
    3: ("applications", "app_pauses", "app_events", "app_letters", "appeals"),
    4: ("complaints", "complaint_events", "rectifications", "patrols", "key_inspections",
        "self_inspections"),
    5: ("memberships", "meetings", "contact_cards", "rules_register", "budgets", "recognitions",
        "annual_reports", "year_unlocks"),
    6: ("assessments", "assessment_scores", "assessment_evidence"),
    7: ("attachments", "attachment_links", "archive_pieces", "archive_boxes"),
    8: ("work_plan", "mail_log"),
}  # fmt: skip


def _copy(version: int, tmp_path: Path) -> Path:
    dst = tmp_path / f"台账_v{version}.db"
    shutil.copyfile(FIXTURES / f"schema_v{version}.db", dst)
    return dst


def _tables_of(version: int) -> list[str]:
    return [t for v, names in TABLES.items() if v <= version for t in names]


def _counts(path: Path, tables: list[str]) -> dict[str, int]:
    conn = sqlite3.connect(str(path))
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


def test_every_schema_version_has_a_fixture():
    # A new migration needs its fixture: python tests/fixtures/make_fixtures.py N
    missing = [v for v in VERSIONS if not (FIXTURES / f"schema_v{v}.db").is_file()]
    assert not missing, f"no fixture for schema versions {missing}"
    for v in VERSIONS:
        assert (FIXTURES / f"schema_v{v}.db").stat().st_size < 200 * 1024


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_is_the_released_schema(version, tmp_path):
    """A released migration step must never change: it would no longer match old files."""
    old = sqlite3.connect(f"file:{FIXTURES / f'schema_v{version}.db'}?immutable=1", uri=True)
    fresh_path = tmp_path / "fresh.db"
    fresh = sqlite3.connect(str(fresh_path), isolation_level=None)
    db = sqlite_utils.Database(fresh)
    for v, _desc, step in MIGRATIONS[:version]:
        with transaction(db):
            step(db)
            db.execute(f"PRAGMA user_version = {v}")
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == version
        assert _schema(old) == _schema(fresh)
    finally:
        old.close()
        fresh.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_each_past_version_opens_migrated_with_its_data(version, tmp_path):
    path = _copy(version, tmp_path)
    tables = _tables_of(version)
    before = _counts(path, tables)
    assert all(before.values()), f"fixture v{version} has an empty table: {before}"

    db = connect(path)
    try:
        assert schema_version(db) == SCHEMA_VERSION
        assert _counts(path, tables) == before
        # the later versions' tables exist now and are usable
        for t in _tables_of(SCHEMA_VERSION):
            db.execute(f"SELECT count(*) FROM {t}").fetchone()

        prof = profile.load(db)
        assert (prof.unit_name, prof.fonds_no, prof.operator) == (
            "厦门市人力资源和社会保障局",
            "X001",
            "张三",
        )
        first = items.get(db, 1)
        assert first["title"] == "关于2025年度社会保险缴费基数的通知"
        assert (first["published_date"], first["stage"]) == ("2025-03-10", "已建档")
        assert [s["step"] for s in items.steps(db, 1)][-1] == "建档"
        assert [h.action for h in audit.history(db, "items", 2)] == ["insert"]
        assert items.decision_stages(db, 2)[0]["stage"] == "决策前"
        # full-text search still finds a two-character word of an old item
        assert 1 in {
            r["id"]
            for r in items.likely_duplicates(
                db,
                {
                    "title": "关于2025年度社会保险缴费基数的通知（修订）",
                    "formed_date": "2025-03-04",
                },
            )
        }
        if version >= 3:
            app = application_store.get(db, 1)
            assert (app["app_no"], app["applicant_name"], app["state"]) == (
                "2025-0001",
                "陈明",
                "已办结",
            )
            pdf = db.execute("SELECT pdf FROM app_letters WHERE app_id = 1").fetchone()[0]
            assert pdf.startswith(b"%PDF")
        if version >= 4:
            c = complaints.get(db, 1)
            assert (c["no"], c["kind"], c["closed_date"]) == ("TS2025-001", "投诉", "2025-05-20")
        if version >= 5:
            assert (
                db.execute("SELECT locked FROM annual_reports WHERE year = 2024").fetchone()[0] == 1
            )
        if version >= 7:
            # v8 added attachments.unreadable: old attachments default to readable
            flag = db.execute("SELECT unreadable FROM attachments WHERE id = 1").fetchone()[0]
            assert flag == (1 if version >= 8 else 0)

        # the migrated file takes new work: next 索引号 continues the year's serial
        new_id = items.create(
            db,
            {
                "title": "2025年第三季度就业形势分析",
                "formed_date": "2025-07-01",
                "category": first["category"],
            },
        )
        assert items.get(db, new_id)["index_no"] == f"X001-{first['category']}-2025-00004"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.conn.close()


@pytest.mark.parametrize("version", VERSIONS[:-1])
def test_a_backup_at_the_old_version_is_taken_before_migrating(version, tmp_path):
    backup = pytest.importorskip("gongkai_desktop.core.backup")
    path = _copy(version, tmp_path)
    connect(path).conn.close()
    found = backup.list_backups(backup.default_folder(path))
    assert len(found) == 1 and found[0]["path"].parent.parent == tmp_path
    conn = sqlite3.connect(str(found[0]["path"]))
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == 3
    finally:
        conn.close()


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_file_from_a_newer_version_is_refused_and_left_untouched(journal, tmp_path):
    path = _copy(SCHEMA_VERSION, tmp_path)
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("CREATE TABLE future_feature (id INTEGER PRIMARY KEY, data TEXT)")
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    with pytest.raises(DatabaseOpenError) as err:
        connect(path)

    message = str(err.value)
    assert "更新版本" in message and "请升级本软件" in message
    assert f"数据版本 {SCHEMA_VERSION + 1}" in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
