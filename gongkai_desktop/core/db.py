"""The one SQLite file (数据库): opening, pragmas and transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from .errors import DatabaseOpenError

BUSY_TIMEOUT_MS = 5000


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
            raise DatabaseOpenError(f"无法创建文件夹“{path.parent}”：{e.strerror}。请换一个位置。") from e
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    except sqlite3.Error as e:
        raise DatabaseOpenError(f"无法打开“{path}”：{e}。请检查文件是否存在、是否有权限读写。") from e
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
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
