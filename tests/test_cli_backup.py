"""`gongkai backup|restore|check` (issue 9): the same code paths as 文件 → 备份与恢复."""

import sqlite3

from support import held_by_another_window, item_titles, run_cli

from gongkai_desktop.core import backup, items
from gongkai_desktop.core.calendar import WorkCalendar


def add(db, title):
    data = {"title": title, "formed_date": "2026-02-10", "category": "预算决算"}
    return items.create(db, data, cal=WorkCalendar())


def test_backup_to_the_default_folder_a_file_and_a_folder(db, capsys, tmp_path):
    add(db, "预算公开")
    path = backup.database_path(db)
    code, out, err = run_cli(capsys, "backup", "--db", str(path))
    assert code == 0 and err == "" and "完整性检查通过" in out
    [made] = backup.list_backups(tmp_path / "t_备份")
    assert made["reason"] == "命令行备份" and item_titles(made["path"]) == ["预算公开"]
    code, out, _ = run_cli(capsys, "backup", "--db", str(path), "-o", str(tmp_path / "交接"))
    assert code == 0 and (tmp_path / "交接.db").is_file()  # .db added
    (tmp_path / "U盘").mkdir()
    code, out, _ = run_cli(capsys, "backup", "--db", str(path), "-o", str(tmp_path / "U盘"))
    assert code == 0 and len(backup.list_backups(tmp_path / "U盘")) == 1
    code, out, _ = run_cli(capsys, "backup", "--db", str(path), "--list")
    assert code == 0 and "共 1 个" in out and "命令行备份" in out


def test_backup_of_a_missing_file_is_one_chinese_line(capsys, tmp_path):
    code, out, err = run_cli(capsys, "backup", "--db", str(tmp_path / "没有.db"))
    assert code == 2 and "找不到数据库文件" in err and err.count("\n") == 1
    assert not (tmp_path / "没有.db").exists()  # never created by a backup


def test_restore_keeps_the_current_file_as_a_backup(db, capsys, tmp_path):
    add(db, "旧事项")
    path = backup.database_path(db)
    old = backup.take(db, tmp_path / "bk", reason="manual")
    add(db, "新事项")
    db.conn.close()
    code, out, err = run_cli(capsys, "restore", "--db", str(path), str(old))
    assert code == 0 and err == "", err
    assert "恢复前的数据库已保存为" in out
    assert item_titles(path) == ["旧事项"]
    [safety] = [b for b in backup.list_backups(tmp_path / "t_备份") if b["code"] == "restore"]
    assert item_titles(safety["path"]) == ["新事项", "旧事项"]


def test_restore_is_refused_while_another_window_has_the_file(db, capsys, tmp_path):
    add(db, "旧事项")
    path = backup.database_path(db)
    old = backup.take(db, tmp_path / "bk", reason="manual")
    db.conn.close()
    with held_by_another_window(path):
        before = path.read_bytes()
        code, _out, err = run_cli(capsys, "restore", "--db", str(path), str(old))
        assert code == 2 and "另一个政务公开台账窗口" in err
        assert path.read_bytes() == before


def test_check_exits_1_on_a_problem_and_0_when_healthy(db, capsys):
    add(db, "预算公开")
    path = backup.database_path(db)
    db.conn.close()
    code, out, _ = run_cli(capsys, "check", "--db", str(path))
    assert code == 0 and "没有发现问题" in out
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {99}")
    conn.close()
    code, out, _ = run_cli(capsys, "check", "--db", str(path))
    assert code == 1 and "发现 1 个问题" in out and "请升级本软件" in out
