"""The one SQLite file (数据库): opening, pragmas and transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from .errors import DamagedDatabaseError, DatabaseOpenError, NewerDatabaseError

BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"
DB_SUFFIXES = (".db", ".sqlite", ".sqlite3")

# Files that passed quick_check in this process, keyed by (path, inode): workers reopen the
# file after every write, and re-reading every page each time cost ~1 s per job on an
# 800 MB file. A restore or a copy put in its place is a new inode and is checked again.
_checked: set[tuple[str, int, int]] = set()


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), st.st_dev, st.st_ino) if st.st_size else None


def _damaged(path: Path, detail: str) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"数据库文件“{path.name}”已损坏，无法打开（{detail}）。可以从最近的备份恢复。",
        path,
    )


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(100)
    except OSError:
        return b""


def check_open(conn: sqlite3.Connection, path: Path) -> None:
    """Damaged-file detection at open: ``PRAGMA quick_check`` and a test query (issue 9)."""
    stamp = _stamp(path)
    if stamp is None or stamp in _checked:  # missing or empty: a new database
        return
    if not _header(path).startswith(SQLITE_MAGIC):
        if path.suffix.lower() in DB_SUFFIXES:  # named like ours: a header overwritten
            raise DamagedDatabaseError(
                f"“{path.name}”不是本软件的数据库文件，或文件开头已损坏，无法打开。"
                "如果它原来是台账数据库，请从最近的备份恢复（损坏的文件会改名保存，不会被删除）；"
                "否则请选择正确的 .db 文件。",
                path,
            )
        raise DatabaseOpenError(f"“{path.name}”不是本软件的数据库文件。请选择正确的 .db 文件。")
    try:
        verdict = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()  # the test query
        if conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'audit'").fetchone()[0]:
            conn.execute("SELECT max(id) FROM audit").fetchone()
    except sqlite3.DatabaseError as e:
        if "locked" in str(e).lower() or "busy" in str(e).lower():
            raise
        raise _damaged(path, str(e)) from e
    if verdict != ["ok"]:
        raise _damaged(path, verdict[0])
    _checked.add(stamp)


def _refuse_newer(conn: sqlite3.Connection) -> None:
    """Before any pragma that writes: a file from a newer program stays byte-for-byte."""
    from .migrations import SCHEMA_VERSION

    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise NewerDatabaseError(
            f"这个数据库由更新版本的政务公开台账创建（数据版本 {current}，本程序只认识到 {SCHEMA_VERSION}）。"
            "请升级本软件后再打开，文件未做任何改动。"
        )


def _backup_before_migration(db: sqlite_utils.Database, path: Path) -> None:
    """Vorta's habit: a copy of an existing file before its schema changes (issue 9)."""
    from . import backup
    from .migrations import SCHEMA_VERSION, schema_version

    if 1 <= schema_version(db) < SCHEMA_VERSION:
        try:
            backup.take(db, reason="migration")
        except DatabaseOpenError:
            raise
        except Exception as e:
            raise DatabaseOpenError(
                f"升级数据库之前的备份没有完成，为了安全没有升级，文件未做任何改动：{e}"
            ) from e


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if missing) and migrate the database at *path*.

    Raises DatabaseOpenError with a Chinese message for a file that is not a
    database, is locked, or comes from a newer version of the program.
    """
    from .migrations import migrate  # late: migrations imports this module

    path = Path(path)
    if path.exists() and path.is_dir():
        raise DatabaseOpenError(f"“{path}”是一个文件夹，不是数据库文件。请选择一个 .db 文件。")
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DatabaseOpenError(
                f"无法创建文件夹“{path.parent}”：{e.strerror}。请换一个位置。"
            ) from e
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    except sqlite3.Error as e:
        raise DatabaseOpenError(
            f"无法打开“{path}”：{e}。请检查文件是否存在、是否有权限读写。"
        ) from e
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        check_open(conn, path)
        _refuse_newer(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # a confirmed save survives power loss (issue 9)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseOpenError:
        conn.close()
        raise
    except sqlite3.DatabaseError as e:
        conn.close()
        msg = str(e).lower()
        if "locked" in msg or "busy" in msg:
            raise DatabaseOpenError(
                f"数据库“{path.name}”正被另一个程序占用。请关闭其他正在使用它的程序后再试。"
            ) from e
        raise DatabaseOpenError(
            f"“{path.name}”不是本软件的数据库文件，或文件已损坏。请选择正确的 .db 文件，或从备份恢复。"
        ) from e
    db = sqlite_utils.Database(conn)
    try:
        _backup_before_migration(db, path)
        migrate(db)
    except DatabaseOpenError:
        conn.close()
        raise
    except sqlite3.OperationalError as e:
        conn.close()
        if "locked" in str(e).lower() or "busy" in str(e).lower():
            raise DatabaseOpenError(
                f"数据库“{path.name}”正被另一个程序占用。请关闭其他正在使用它的程序后再试。"
            ) from e
        raise
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction (BEGIN IMMEDIATE … COMMIT), nested calls use savepoints.

    Do not call sqlite-utils' table.insert()/upsert() inside: they commit on their own.
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"sp{id(object())}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
