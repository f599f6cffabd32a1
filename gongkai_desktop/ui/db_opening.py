"""打开数据库 (opening a file safely): the lock, the damaged-file dialog, the daily backup.

Issue 9 "Failing safely": one window per file (core/file_lock.py); a damaged file gets a
dialog that says what is wrong and offers the newest good backup — the damaged file is
renamed aside, never deleted, and the clerk never sees a traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QMessageBox, QWidget

from ..core import backup, file_lock
from ..core.db import connect
from ..core.errors import DamagedDatabaseError, DatabaseLockedError, DatabaseOpenError, UserError
from . import workers

log = logging.getLogger("gongkai_desktop")
DAILY_BACKUP_JOB = "dailyBackup"  # short and quiet: switching files waits for it


def _exec(box: QMessageBox) -> None:
    """The one modal call here; tests replace it to press a button."""
    box.exec()


def _message(parent: QWidget | None, icon, title: str, text: str) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("dbOpeningMessage")
    _exec(box)


def open_or_recover(
    parent: QWidget | None, path: str | Path, *, daily_backup: bool = True
) -> sqlite_utils.Database | None:
    """Open *path* for the window; None (after telling the clerk why) if it cannot be used.

    Takes the file's lock, detects a damaged file and offers the newest good backup, and
    (unless *daily_backup* is False) starts today's backup off the GUI thread. On success
    the locks of files this window had open before are released.
    """
    path = Path(path).expanduser()
    already = path.resolve() in {p.resolve() for p in file_lock.held_paths()}
    try:
        lock = file_lock.acquire(path)
    except DatabaseLockedError as e:
        _message(parent, QMessageBox.Icon.Warning, "数据库正在使用", str(e))
        return None

    def give_up() -> None:
        if not already:
            lock.release()

    try:
        db = connect_off_thread(parent, path)
    except DamagedDatabaseError as e:
        log.warning("damaged database %s: %s", path, e)
        db = recover(parent, path, e)
        if db is None:
            give_up()
            return None
    except DatabaseOpenError as e:
        _message(parent, QMessageBox.Icon.Critical, "无法打开数据库", str(e))
        give_up()
        return None
    file_lock.release_others(path)
    if daily_backup:
        start_daily_backup(parent, path)
    return db


def connect_off_thread(parent: QWidget | None, path: Path) -> sqlite_utils.Database:
    """core.db.connect on a worker: the quick_check, and on an upgrade the backup and the
    migration, take seconds on a large file, so the window stays painted and a progress
    dialog appears after a moment (ui/workers.py). Raises what connect raises."""
    result: dict = {}
    loop = QEventLoop()

    def work(_progress):
        try:
            return connect(path)
        except DatabaseOpenError as e:
            return e  # re-raised below, on the GUI thread, with its class

    def failed(message: str) -> None:
        result["value"] = DatabaseOpenError(f"无法打开“{path.name}”：{message}")

    job = workers.run_job(parent, work, label=f"正在打开数据库“{path.name}”……",
                          on_success=lambda v: result.setdefault("value", v),
                          on_error=failed, cancellable=False)  # fmt: skip
    job.done.connect(loop.quit)
    if "value" not in result:
        loop.exec()
    value = result["value"]
    if isinstance(value, Exception):
        raise value
    return value


def recover(
    parent: QWidget | None, path: Path, error: DamagedDatabaseError
) -> sqlite_utils.Database | None:
    """The damaged-file dialog: restore the newest good backup, or leave the file alone."""
    folder = backup.default_folder(path)
    good = backup.newest_good(folder, path.stem)
    box = QMessageBox(QMessageBox.Icon.Critical, "数据库已损坏", str(error), parent=parent)
    box.setObjectName("damagedDialog")
    if good is None:
        box.setInformativeText(
            f"在备份文件夹“{folder}”里没有找到可用的备份。文件保持原样，没有做任何改动。"
            "请把该文件交给维护人员，或打开其他数据库。"
        )
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        _exec(box)
        return None
    box.setInformativeText(
        f"找到最近一次完好的备份：{good['taken_at']:%Y-%m-%d %H:%M}"
        f"（{good['reason']}，{backup.size_text(good['size'])}）。\n"
        "恢复后，损坏的文件会改名保存在原文件夹里（名称中带“已损坏”），不会被删除；"
        "备份之后录入的内容需要重新录入。"
    )
    restore = box.addButton("用这个备份恢复", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("暂不恢复", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    _exec(box)
    if box.clickedButton() is not restore:
        return None
    aside: Path | None = None
    try:
        aside = backup.set_aside(path)
        backup.restore(path, good["path"], folder)
        db = connect(path)
    except UserError as e:
        if aside is not None and not path.exists():
            aside.replace(path)  # put the damaged file back as it was
        _message(parent, QMessageBox.Icon.Critical, "恢复没有完成", str(e))
        return None
    log.warning("restored %s from %s; damaged file kept as %s", path, good["path"], aside)
    _message(
        parent,
        QMessageBox.Icon.Information,
        "已从备份恢复",
        f"已用 {good['taken_at']:%Y-%m-%d %H:%M} 的备份恢复数据库“{path.name}”。\n"
        f"损坏的文件已改名保存为：{aside}",
    )
    return db


def start_daily_backup(parent: QWidget | None, path: str | Path) -> workers.Job:
    """Today's automatic backup (at most one a day), off the GUI thread."""
    path = Path(path)

    def done(made) -> None:
        if made is not None:
            log.info("daily backup %s", made)
            bar = getattr(parent, "statusBar", None)
            if callable(bar):
                bar().showMessage(f"已完成今天的自动备份：{made.name}", 10000)

    def failed(message: str) -> None:
        log.warning("daily backup of %s failed: %s", path, message)
        QMessageBox.warning(
            parent,
            "自动备份没有完成",
            f"今天的自动备份没有完成：{message}\n\n数据库本身没有受影响，可以继续工作。"
            "请在“文件 → 备份与恢复”里检查备份文件夹，或点“立即备份”再试。",
        )

    job = workers.run_job(
        parent,
        lambda _progress: backup.daily(path),
        label="正在进行每日自动备份……",
        on_success=done,
        on_error=failed,
        cancellable=False,
    )
    job.setObjectName(DAILY_BACKUP_JOB)
    return job
