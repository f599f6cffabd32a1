"""Every file the app writes (导出、PDF、备份) goes to a temporary name beside the target and
is renamed at the end, so the clerk never finds half a file (issue 9: Failing safely).

A full disk, a read-only folder and a target held open by Excel or WPS (Windows refuses
to replace it) each give one clear Chinese sentence saying what to do; the temporary file
is removed on any error.
"""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}
_WIN_SHARING = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def temp_name(path: Path) -> Path:
    """A hidden name in the same folder (same disk, so the rename is atomic). Not mkstemp:
    its 0600 mode would survive the rename and hide the file from colleagues."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


def os_error_message(e: OSError, path: str | os.PathLike, *, replacing: bool = False) -> str:
    """A Chinese sentence for an OSError met while saving *path*: what went wrong, what to do.

    *replacing*: the error came from renaming onto an existing file, which on Windows
    means the file is open in another program."""
    p = Path(path)
    win = getattr(e, "winerror", None)
    if e.errno in _FULL:
        return (
            f"无法保存文件“{p.name}”：磁盘空间已满。请删除不需要的文件、清空回收站，"
            "或换一个有空间的磁盘后重试，原有文件没有改动。"
        )
    if win in _WIN_SHARING or (replacing and isinstance(e, PermissionError) and p.exists()):
        return (
            f"无法保存文件“{p.name}”：该文件正在 Excel、WPS 或其他程序中打开。"
            "请先关闭该文件再重试，或换一个文件名保存。"
        )
    if isinstance(e, PermissionError) or e.errno in _READ_ONLY:
        return (
            f"无法保存到文件夹“{p.parent}”：该文件夹是只读的或没有写入权限。"
            "请换一个文件夹（例如“文档”或桌面）保存。"
        )
    if e.errno == errno.ENOENT:
        return f"保存位置“{p.parent}”不存在，请先建立该文件夹或换一个位置。"
    detail = e.strerror or str(e)
    return f"无法保存文件“{p.name}”：{detail}。请检查磁盘空间和文件夹权限，或换一个位置保存。"


def _check_target(path: Path, example_name: str | None) -> None:
    if path.is_dir():
        name = example_name or "文件名"
        raise UserError(f"“{path}”是一个文件夹，请给出要保存的文件名，例如 {path / name}。")
    if not path.parent.is_dir():
        raise UserError(f"保存位置“{path.parent}”不存在，请先建立该文件夹或换一个位置。")


def _unlink(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass  # nothing more we can do; the hidden name is ignored by everyone


@contextmanager
def atomic_path(path: str | os.PathLike, *, example_name: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside *path*; when the block ends, rename it onto *path*.

    Any error (or Cancel) inside the block or in the rename removes the temporary file and
    leaves *path* as it was. OSError becomes a UserError with :func:`os_error_message`."""
    target = Path(path)
    _check_target(target, example_name)
    tmp = temp_name(target)
    try:
        yield tmp
    except OSError as e:
        _unlink(tmp)
        raise UserError(os_error_message(e, target)) from e
    except BaseException:
        _unlink(tmp)
        raise
    try:
        _fsync(tmp)
        os.replace(tmp, target)
    except OSError as e:
        _unlink(tmp)
        raise UserError(os_error_message(e, target, replacing=True)) from e


def _fsync(tmp: Path) -> None:
    """Flush the finished file to disk before the rename makes it visible (power loss)."""
    if not tmp.exists():
        raise FileNotFoundError(errno.ENOENT, "临时文件没有生成", str(tmp))
    fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    except OSError as e:
        if e.errno not in (errno.EINVAL, errno.EBADF):  # some filesystems refuse; harmless
            raise
    finally:
        os.close(fd)


def write_bytes(path: str | os.PathLike, data: bytes, *, example_name: str | None = None) -> Path:
    """Write *data* to *path* completely or not at all; returns the path."""
    target = Path(path)
    with atomic_path(target, example_name=example_name) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return target
