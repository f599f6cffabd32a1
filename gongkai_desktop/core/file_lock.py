"""One file, one app (一个数据库只由一个窗口使用): an OS lock on ``<db>.lock``.

The lock is held by the window for as long as it shows the file; a second copy of the
program that opens the same file gets a clear Chinese message instead of two windows
writing over each other (issue 9: Failing safely). The OS releases the lock when the
process ends, so a crash never leaves a stale lock behind. Background workers in the
same process open their own connections and do not take the lock.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from .errors import DatabaseLockedError

_LOCK_OFFSET = 4096  # Windows locks a byte past the holder's note, so the note stays readable


def lock_path(db_path: str | Path) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + ".lock")


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    """The other copy's note (computer and process), if it can be read."""
    try:
        text = path.read_bytes()[:200].decode("utf-8", "replace").strip("\x00 \n")
    except OSError:
        return ""
    return text


def locked_message(db_path: Path, holder: str = "") -> str:
    where = f"（{holder}）" if holder else ""
    return (
        f"数据库“{db_path.name}”已经在另一个政务公开台账窗口中打开{where}。"
        "同一个数据库同一时间只能由一个窗口使用，以免两边的修改互相覆盖。"
        "请切换到那个窗口继续工作，或先把它关闭后再打开。"
    )


class FileLock:
    """The held lock; ``release()`` (or process exit) lets another copy open the file."""

    def __init__(self, db_path: Path, fd: int | None) -> None:
        self.db_path, self._fd = db_path, fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)
        _held.pop(_key(self.db_path), None)

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *_exc) -> None:
        self.release()


_held: dict[str, FileLock] = {}


def _key(db_path: Path) -> str:
    return os.path.normcase(str(Path(db_path).resolve()))


def acquire(db_path: str | Path) -> FileLock:
    """Lock *db_path* for this process; DatabaseLockedError if another process has it.

    Acquiring a file this process already holds returns the same lock. A folder where
    no lock file can be written (read-only media) gives an unheld lock rather than
    refusing to open: SQLite itself will then say what is wrong.
    """
    db_path = Path(db_path)
    key = _key(db_path)
    if key in _held:
        return _held[key]
    lp = lock_path(db_path)
    try:
        fd = os.open(lp, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    except OSError:
        return FileLock(db_path, None)
    if not _try_lock(fd):
        os.close(fd)
        raise DatabaseLockedError(locked_message(db_path, _holder(lp)))
    try:  # a note for the other copy's message; advisory only
        note = f"计算机 {socket.gethostname()}，进程 {os.getpid()}".encode()
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, note + b"\n")
        if os.name != "nt":
            os.ftruncate(fd, len(note) + 1)
    except OSError:
        pass
    _hide(lp)
    lock = FileLock(db_path, fd)
    _held[key] = lock
    return lock


def _hide(path: Path) -> None:
    """Windows Explorer need not show the clerk the .lock file beside the database."""
    if os.name == "nt":
        try:
            import ctypes

            ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN
        except (AttributeError, OSError):
            pass


def is_locked_elsewhere(db_path: str | Path) -> bool:
    """True if another process holds *db_path* (used by `gongkai restore`)."""
    db_path = Path(db_path)
    if _key(db_path) in _held:
        return False
    try:
        acquire(db_path).release()
    except DatabaseLockedError:
        return True
    return False


def release_others(keep: str | Path | None) -> None:
    """Release every lock this process holds except *keep* (the window switched files)."""
    k = _key(Path(keep)) if keep is not None else None
    for key, lock in list(_held.items()):
        if key != k:
            lock.release()


def held_paths() -> list[Path]:
    return [lock.db_path for lock in _held.values()]
