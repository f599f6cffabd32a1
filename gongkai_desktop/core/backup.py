"""备份与恢复 (backups and restore) of the one database file.

Issue 9 "Backups and restore": SQLite's online backup API copies a consistent snapshot
while the app runs; every copy goes to a temporary name, passes ``PRAGMA
integrity_check`` and only then gets its real name. One is taken when the app opens
(at most one a day), before every migration, import and restore. The folder keeps the
last 7 daily, 4 weekly and 12 monthly copies.

A backup is a plain single-file database (journal mode DELETE) named
``<db stem>_<YYYYmmdd-HHMMSS>_<reason>.db``; the name carries when and why, so the
folder itself is the catalogue and a clerk can copy a backup to a USB stick as it is.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlite_utils

from . import audit, file_lock, profile
from .atomic_file import atomic_path, os_error_message
from .backup_rotation import (  # noqa: F401 (the folder's API, re-exported)
    _TS,
    KEEP_DAILY,
    KEEP_MONTHLY,
    KEEP_WEEKLY,
    KEPT_BY_HAND,
    REASONS,
    list_backups,
    retention,
    rotate,
)
from .errors import DatabaseLockedError, UserError

FOLDER_KEY = "backup.folder"
_BUSY_MS = 5000


# -- where ---------------------------------------------------------------------------------


def database_path(db: sqlite_utils.Database) -> Path:
    """The file behind an open database."""
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    raise UserError("无法确定数据库文件的位置，不能备份内存中的数据库。")


def _path_of(db_or_path: sqlite_utils.Database | str | Path) -> Path:
    if isinstance(db_or_path, sqlite_utils.Database):
        return database_path(db_or_path)
    return Path(db_or_path)


def _read_setting(path: Path, key: str) -> str | None:
    """A value from the settings table without migrating or creating anything."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def configured_folder(db_or_path: sqlite_utils.Database | str | Path) -> str:
    """The folder the clerk chose in 备份与恢复, or "" for the default."""
    if isinstance(db_or_path, sqlite_utils.Database):
        row = db_or_path.execute(
            "SELECT value FROM settings WHERE key = ?", [FOLDER_KEY]
        ).fetchone()
        return str(json.loads(row[0]) or "") if row else ""
    return str(_read_setting(Path(db_or_path), FOLDER_KEY) or "")


def default_folder(db_or_path: sqlite_utils.Database | str | Path) -> Path:
    """The chosen folder, else ``<db dir>/<db stem>_备份/`` next to the database."""
    path = _path_of(db_or_path)
    chosen = configured_folder(db_or_path)
    return Path(chosen) if chosen else path.parent / f"{path.stem}_备份"


def save_folder(
    db: sqlite_utils.Database, folder: str | Path | None, who: str | None = None
) -> str:
    """Save the backup folder ("" or None: next to the database again)."""
    from .db import transaction

    text = str(folder or "").strip()
    if text:
        p = Path(text).expanduser()
        try:
            p.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise UserError(
                f"无法使用备份文件夹“{p}”：{e.strerror or e}。请换一个可以写入的文件夹。"
            ) from e
        text = str(p.resolve())
    before = configured_folder(db)
    with transaction(db):
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [FOLDER_KEY, json.dumps(text, ensure_ascii=False)],
        )
        audit.record(db, who or profile.operator(db), "settings", FOLDER_KEY, "update",
                     {"value": before}, {"value": text})  # fmt: skip
    return text


# -- taking one ----------------------------------------------------------------------------


def has_data(path: str | Path) -> bool:
    """True if the file holds anything worth a backup (every change writes an audit row)."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            return conn.execute("SELECT EXISTS (SELECT 1 FROM audit)").fetchone()[0] == 1
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _backup_name(folder: Path, stem: str, code: str, now: datetime) -> Path:
    base = f"{stem}_{now.strftime(_TS)}_{code}"
    target, n = folder / f"{base}.db", 1
    while target.exists():
        n += 1
        target = folder / f"{base}.{n}.db"
    return target


def _code(reason: str) -> str:
    if reason in REASONS:
        return reason
    for code, label in REASONS.items():
        if reason == label:
            return code
    cleaned = re.sub(r'[\\/:*?"<>|_.\s]+', "", reason)[:20]
    if not cleaned:
        raise UserError("备份原因不能为空。")
    return cleaned


def _sqlite_message(e: sqlite3.Error, target: Path) -> str:
    text = str(e).lower()
    if "full" in text:
        return (f"无法保存备份“{target.name}”：磁盘空间已满。请删除不需要的文件，"
                "或在“备份与恢复”里换一个有空间的备份文件夹，数据库没有改动。")  # fmt: skip
    if "readonly" in text or "unable to open" in text:
        return (f"无法写入备份文件夹“{target.parent}”：该文件夹是只读的或没有写入权限。"
                "请在“备份与恢复”里换一个备份文件夹。")  # fmt: skip
    return f"备份没有完成（{e}）。数据库没有改动，请检查磁盘后重试。"


def _copy(src_path: Path, dst: Path) -> None:
    """Online backup of *src_path* into the new file *dst*, then verify it."""
    src = sqlite3.connect(str(src_path), timeout=_BUSY_MS / 1000)
    try:
        out = sqlite3.connect(str(dst))
        try:
            src.backup(out)  # one step: a consistent snapshot even while others write (WAL)
            out.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            verdict = [r[0] for r in out.execute("PRAGMA integrity_check").fetchall()]
        finally:
            out.close()
    finally:
        src.close()
    if verdict != ["ok"]:
        raise UserError(
            f"备份副本没有通过完整性检查（{verdict[0]}），已丢弃。"
            "原数据库可能已损坏，请运行“gongkai check”或联系维护人员。"
        )


def take(
    db_or_path: sqlite_utils.Database | str | Path,
    folder: str | Path | None = None,
    *,
    reason: str,
    rotate: bool = True,
    now: datetime | None = None,
) -> Path:
    """Back up the database now; returns the verified backup file.

    *reason*: a REASONS code or a short Chinese phrase. Raises UserError in Chinese
    (full disk, read-only folder, damaged source) and leaves no partial file.
    """
    src = _path_of(db_or_path)
    if not src.is_file():
        raise UserError(f"找不到数据库文件“{src}”，无法备份。")
    target_folder = Path(folder) if folder is not None else default_folder(db_or_path)
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(os_error_message(e, target_folder / "x.db")) from e
    target = _backup_name(target_folder, src.stem, _code(reason), now or datetime.now())
    return _write(src, target, rotate_after=rotate)


def take_to(db_path: str | Path, out: str | Path) -> Path:
    """Back up into exactly the file *out* (``gongkai backup -o``); no rotation."""
    src, target = Path(db_path), Path(out)
    if not src.is_file():
        raise UserError(f"找不到数据库文件“{src}”，无法备份。")
    if target.resolve() == src.resolve():
        raise UserError("备份文件不能是数据库本身，请换一个文件名。")
    return _write(src, target, rotate_after=False)


def _write(src: Path, target: Path, *, rotate_after: bool) -> Path:
    try:
        with atomic_path(target, example_name="备份.db") as tmp:
            try:
                _copy(src, tmp)
            finally:
                Path(f"{tmp}-journal").unlink(missing_ok=True)
    except sqlite3.Error as e:
        raise UserError(_sqlite_message(e, target)) from e
    if rotate_after:
        rotate(target.parent)
    return target


def before(db: sqlite_utils.Database | str | Path, reason: str) -> Path | None:
    """The automatic backup before an import, restore or migration; None for an empty file."""
    path = _path_of(db)
    if not has_data(path):
        return None
    try:
        return take(path, default_folder(db), reason=reason)
    except UserError as e:
        raise UserError(
            f"{REASONS.get(_code(reason), '自动备份')}没有完成，为了安全没有继续。{e}"
        ) from e


def daily(db_path: str | Path, now: datetime | None = None) -> Path | None:
    """The backup when the app opens, at most one a day; None if not needed today."""
    path, now = Path(db_path), now or datetime.now()
    if not has_data(path):
        return None
    folder = default_folder(path)
    if any(b["taken_at"].date() == now.date() for b in list_backups(folder, path.stem)):
        return None
    return take(path, folder, reason="daily", now=now)


# -- checking and restoring ----------------------------------------------------------------


def verify(backup_path: str | Path) -> int:
    """Check a backup before it is restored; returns its schema version."""
    from .migrations import SCHEMA_VERSION

    p = Path(backup_path)
    if not p.is_file():
        raise UserError(f"找不到备份文件“{p}”。")
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            verdict = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as e:
        raise UserError(f"“{p.name}”不是可用的备份（{e}），请选择另一个备份。") from e
    if verdict != ["ok"]:
        raise UserError(f"备份“{p.name}”已损坏（{verdict[0]}），请选择另一个备份。")
    if version < 1:
        raise UserError(f"“{p.name}”不是政务公开台账的数据库备份，请选择另一个备份。")
    if version > SCHEMA_VERSION:
        raise UserError(f"备份“{p.name}”来自更新版本的政务公开台账（数据版本 {version}），"
                        "请先升级本软件。")  # fmt: skip
    return version


def newest_good(folder: str | Path, stem: str | None = None) -> dict | None:
    """The newest backup that passes :func:`verify`, or None."""
    for b in list_backups(folder, stem):
        try:
            verify(b["path"])
        except UserError:
            continue
        return b
    return None


def is_damaged(path: str | Path) -> bool:
    """True if the file cannot be read as a database or fails ``quick_check``."""
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        return False
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()] != ["ok"]
        finally:
            conn.close()
    except sqlite3.OperationalError as e:
        return "locked" not in str(e).lower() and "busy" not in str(e).lower()
    except sqlite3.DatabaseError:
        return True


def set_aside(db_path: str | Path, now: datetime | None = None) -> Path:
    """Rename a damaged file (and its -wal/-shm) aside; it is never deleted."""
    p = Path(db_path)
    stamp = (now or datetime.now()).strftime(_TS)
    aside = p.with_name(f"{p.stem}_已损坏_{stamp}{p.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = p.with_name(f"{p.stem}_已损坏_{stamp}_{n}{p.suffix}")
    try:
        for extra in ("-wal", "-shm"):
            side = Path(f"{p}{extra}")
            if side.exists():
                side.replace(f"{aside}{extra}")
        p.replace(aside)
    except OSError as e:
        raise UserError(f"无法把损坏的文件“{p.name}”改名保存：{e.strerror or e}。"
                        "请关闭正在使用它的程序后重试。") from e  # fmt: skip
    return aside


def _release_wal(db_path: Path) -> None:
    """Fold the WAL into the file and leave no -wal/-shm, or refuse if it is in use."""
    try:
        conn = sqlite3.connect(str(db_path), timeout=2)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError as e:
        if "locked" in str(e).lower() or "busy" in str(e).lower():
            raise UserError(
                f"数据库“{db_path.name}”还在被其他窗口或后台任务使用，无法恢复。"
                "请等后台任务完成、关闭其他窗口后重试。"
            ) from e
        raise
    if mode.lower() != "delete":
        raise UserError(f"数据库“{db_path.name}”还在被使用，无法恢复，请关闭其他窗口后重试。")


def restore(db_path: str | Path, backup_path: str | Path, folder: str | Path | None = None) -> Path:
    """Put *backup_path* in place of *db_path*; returns where the current file went.

    Order (issue 9): verify the backup; back up the current file (a damaged one is
    renamed aside instead); replace the file atomically. The caller closes its own
    connections first and reopens afterwards.
    """
    db_path, backup_path = Path(db_path), Path(backup_path)
    verify(backup_path)
    if file_lock.is_locked_elsewhere(db_path):
        raise DatabaseLockedError(file_lock.locked_message(db_path))
    folder = Path(folder) if folder is not None else default_folder(db_path)
    if backup_path.resolve() == db_path.resolve():
        raise UserError("要恢复的备份就是数据库本身，请选择备份文件夹里的一个备份。")
    safety: Path | None = None
    if db_path.exists():
        if is_damaged(db_path):
            safety = set_aside(db_path)  # unreadable: keep it aside, never delete
        else:
            safety = take(db_path, folder, reason="restore", rotate=False)
            _release_wal(db_path)
    try:
        with atomic_path(db_path, example_name="gongkai.db") as tmp:
            _copy(backup_path, tmp)
            Path(f"{tmp}-journal").unlink(missing_ok=True)
    except sqlite3.Error as e:
        raise UserError(_sqlite_message(e, db_path)) from e
    rotate(folder)
    return safety or db_path


def age_text(taken_at: datetime, today: date | None = None) -> str:
    """“今天 09:30” / “昨天 …” / “2026-11-20 09:30” for lists and messages."""
    today = today or date.today()
    clock = taken_at.strftime("%H:%M")
    if taken_at.date() == today:
        return f"今天 {clock}"
    if taken_at.date() == today - timedelta(days=1):
        return f"昨天 {clock}"
    return taken_at.strftime("%Y-%m-%d %H:%M")


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
