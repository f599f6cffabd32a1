"""数据库检查 (`gongkai check`): integrity, foreign keys, schema version, backups.

Issue 9: the check prints what it found and says whether there is a problem. It opens
the file read-only: nothing is migrated, created or repaired.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import UserError

MAX_LISTED = 20  # enough to show the kind of damage; the rest is counted


@dataclass
class CheckReport:
    path: Path
    lines: list[str] = field(default_factory=list)  # Chinese, one finding per line
    problems: int = 0

    @property
    def ok(self) -> bool:
        return self.problems == 0

    def good(self, text: str) -> None:
        self.lines.append(f"✓ {text}")

    def bad(self, text: str) -> None:
        self.problems += 1
        self.lines.append(f"✗ {text}")

    def note(self, text: str) -> None:
        self.lines.append(f"· {text}")


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def check(path: str | Path, today: date | None = None) -> CheckReport:
    """Run every check on the file at *path*; never raises for a damaged file."""
    from . import backup
    from .migrations import SCHEMA_VERSION

    path = Path(path)
    report = CheckReport(path)
    if not path.is_file():
        raise UserError(f"找不到数据库文件“{path}”，请检查路径。")
    report.note(f"文件：{path}（{backup.size_text(path.stat().st_size)}）")
    try:
        conn = _open(path)
    except sqlite3.Error as e:
        report.bad(f"无法作为数据库打开（{e}）：文件不是数据库，或已严重损坏。请从备份恢复。")
        _backups(report, path, today)
        return report
    try:
        _integrity(report, conn)
        _foreign_keys(report, conn)
        _version(report, conn, SCHEMA_VERSION)
    finally:
        conn.close()
    _backups(report, path, today)
    return report


def _integrity(report: CheckReport, conn: sqlite3.Connection) -> None:
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as e:
        report.bad(f"完整性检查无法完成（{e}）：文件已损坏，请从备份恢复。")
        return
    if rows == ["ok"]:
        report.good("完整性检查（integrity_check）：正常")
        return
    report.bad(f"完整性检查发现 {len(rows)} 处问题，文件已损坏，请从备份恢复：")
    report.lines += [f"    {r}" for r in rows[:MAX_LISTED]]
    if len(rows) > MAX_LISTED:
        report.lines.append(f"    ……另有 {len(rows) - MAX_LISTED} 处")


def _foreign_keys(report: CheckReport, conn: sqlite3.Connection) -> None:
    try:
        rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as e:
        report.bad(f"外键检查无法完成（{e}）。")
        return
    if not rows:
        report.good("外键检查（foreign_key_check）：正常")
        return
    report.bad(f"外键检查发现 {len(rows)} 条记录指向不存在的记录：")
    for tbl, rowid, parent, _fk in rows[:MAX_LISTED]:
        report.lines.append(f"    表 {tbl} 第 {rowid} 行 → {parent} 中找不到对应记录")
    if len(rows) > MAX_LISTED:
        report.lines.append(f"    ……另有 {len(rows) - MAX_LISTED} 条")


def _version(report: CheckReport, conn: sqlite3.Connection, known: int) -> None:
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()
    except sqlite3.DatabaseError as e:
        report.bad(f"无法读取数据版本（{e}）。")
        return
    if version == 0:
        if tables[0]:
            report.bad("数据版本为 0：这不是政务公开台账的数据库。")
        else:
            report.note("空白数据库：打开时会建立全部数据表。")
    elif version > known:
        report.bad(f"数据版本 {version} 比本程序认识的 {known} 新：请升级本软件后再打开。")
    elif version < known:
        report.good(f"数据版本 {version}（本程序为 {known}）：打开时会先自动备份，再自动升级。")
    else:
        report.good(f"数据版本：{version}（与本程序一致）")


def _backups(report: CheckReport, path: Path, today: date | None) -> None:
    from . import backup

    try:
        folder = backup.default_folder(path)
    except (UserError, sqlite3.Error, ValueError):
        folder = path.parent / f"{path.stem}_备份"
    found = backup.list_backups(folder, path.stem)
    if not found:
        report.note(f"备份：文件夹“{folder}”里还没有备份。")
        return
    newest = found[0]
    report.note(f"备份：共 {len(found)} 个，最近一次 {backup.age_text(newest['taken_at'], today)}"
                f"（{newest['reason']}，{backup.size_text(newest['size'])}），位于“{folder}”。")  # fmt: skip
