"""Every file the app writes goes to a temporary name and is renamed at the end (issue 9:
Failing safely): a full disk, a read-only folder and a file held open by Excel each give a
clear Chinese message, and leave neither a partial file nor a temporary one."""

from __future__ import annotations

import errno
import os

import pytest
from openpyxl import load_workbook

from gongkai_desktop.core import atomic_file
from gongkai_desktop.core.atomic_file import atomic_path, os_error_message, write_bytes
from gongkai_desktop.core.errors import UserError
from gongkai_desktop.exports import official_doc, xlsx_ledger
from gongkai_desktop.exports.xlsx_ledger import LedgerSpec, write_ledger

SPEC = LedgerSpec("台账", "测试台账（2026年）", ("序号", "信息名称"), {}, free_text=("信息名称",))
OLD = b"the clerk's previous export"


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def ledger(path, rows=(("1", "关于印发办法的通知"),)):
    return write_ledger(path, SPEC, [list(r) for r in rows], len(rows))


def test_write_bytes_replaces_the_whole_file_and_leaves_no_temp(tmp_path):
    out = tmp_path / "报告.pdf"
    out.write_bytes(OLD)
    assert write_bytes(out, b"%PDF-new") == out
    assert out.read_bytes() == b"%PDF-new"
    assert leftovers(tmp_path) == []


def test_atomic_path_renames_only_at_the_end(tmp_path):
    out = tmp_path / "a.xlsx"
    with atomic_path(out) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".a.xlsx.")
        tmp.write_bytes(b"done")
        assert not out.exists()  # invisible until complete
    assert out.read_bytes() == b"done"


def test_an_error_inside_the_block_keeps_the_old_file(tmp_path):
    out = tmp_path / "a.xlsx"
    out.write_bytes(OLD)
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert out.read_bytes() == OLD and leftovers(tmp_path) == []


def _full_disk_write(real_open):
    """open() whose file objects fail the way a full disk does, after a partial write."""

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            self.fh.write(data[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.fh.close()

    return lambda path, mode="r", *a, **k: Full(real_open(path, mode, *a, **k))


def test_full_disk_pdf(tmp_path, monkeypatch):
    out = tmp_path / "告知书.pdf"
    out.write_bytes(OLD)
    monkeypatch.setattr(atomic_file, "open", _full_disk_write(open), raising=False)
    with pytest.raises(UserError) as e:
        official_doc.write_atomic(out, b"%PDF-1.4 " + b"x" * 1000)
    assert "磁盘空间已满" in str(e.value) and "告知书.pdf" in str(e.value)
    assert out.read_bytes() == OLD and leftovers(tmp_path) == []


def test_full_disk_ledger(tmp_path, monkeypatch):
    out = tmp_path / "台账.xlsx"

    def no_space(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"PK\x03\x04 partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsx_ledger.Workbook, "save", no_space)
    with pytest.raises(UserError, match="磁盘空间已满"):
        ledger(out)
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_real(tmp_path):
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(UserError) as e:
            ledger(folder / "台账.xlsx")
        assert "只读" in str(e.value) and "换一个文件夹" in str(e.value)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_read_only_folder_simulated(tmp_path, monkeypatch):
    """As root chmod does not bite: the rename is refused as on a read-only share."""

    def refused(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic_file.os, "replace", refused)
    with pytest.raises(UserError) as e:
        ledger(tmp_path / "台账.xlsx")
    assert "只读的或没有写入权限" in str(e.value) and "换一个文件夹" in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_target_open_in_excel(tmp_path, monkeypatch):
    """Windows cannot replace a file Excel holds open: PermissionError on the rename."""
    out = tmp_path / "台账.xlsx"
    ledger(out, rows=(("1", "旧的内容"),))

    def sharing_violation(src, dst):
        err = PermissionError(errno.EACCES, "The process cannot access the file")
        err.winerror = 32
        raise err

    monkeypatch.setattr(atomic_file.os, "replace", sharing_violation)
    with pytest.raises(UserError) as e:
        ledger(out, rows=(("1", "新的内容"),))
    msg = str(e.value)
    assert "正在 Excel、WPS 或其他程序中打开" in msg and "关闭" in msg
    assert load_workbook(out).active["B3"].value == "旧的内容"  # the old file is intact
    assert leftovers(tmp_path) == []


def test_messages_are_one_chinese_sentence_per_cause(tmp_path):
    target = tmp_path / "a.pdf"
    full = os_error_message(OSError(errno.ENOSPC, "x"), target)
    ro = os_error_message(OSError(errno.EROFS, "x"), target)
    target.write_bytes(b"")
    held = os_error_message(PermissionError(errno.EACCES, "x"), target, replacing=True)
    gone = os_error_message(FileNotFoundError(errno.ENOENT, "x"), tmp_path / "无" / "a.pdf")
    assert "磁盘空间已满" in full and "只读" in ro and "打开" in held and "不存在" in gone
    assert len({full, ro, held, gone}) == 4
    for m in (full, ro, held, gone):
        assert "Traceback" not in m and m.endswith("。")


def test_folder_or_missing_folder_as_target(tmp_path):
    with pytest.raises(UserError, match="是一个文件夹"):
        write_bytes(tmp_path, b"x")
    with pytest.raises(UserError, match="不存在"):
        write_bytes(tmp_path / "没有" / "a.pdf", b"x")


def test_cancel_leaves_nothing(tmp_path):
    out = tmp_path / "台账.xlsx"
    with pytest.raises(xlsx_ledger.ExportCancelled):
        write_ledger(out, SPEC, [["1", "x"]] * 5, 5, progress=lambda d, t: d == 0 and None)
    assert list(tmp_path.iterdir()) == []
