"""Background work (后台任务): the one entry point for anything slow.

After Anki's aqt/progress.py: the function runs on QThreadPool; a busy cursor appears
after 300 ms and a cancellable progress dialog after 600 ms; Cancel sets a flag that
the function's ``progress(done, total)`` callback returns as False. Results and errors
come back to the GUI thread through signals. The worker never touches widgets and
must open its own database connection (sqlite connections stay on their thread).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from ..core.errors import UserError

Progress = Callable[[int, int], bool]

BUSY_CURSOR_AFTER_MS = 300
DIALOG_AFTER_MS = 600
_EMIT_EVERY_S = 0.05  # throttle progress signals from a fast loop

_active: set[Job] = set()
# The crash log's logger (ui/crash_report.py adds the file handler; issue 9).
log = logging.getLogger("gongkai_desktop")


def error_message(exc: BaseException) -> str:
    """The Chinese sentence shown for a failed job."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError):
        name = f"“{exc.filename}”" if exc.filename else ""
        return f"无法读写文件{name}：{exc.strerror or exc}。请检查路径、权限和磁盘空间。"
    return f"操作没有完成，发生了意外错误（{type(exc).__name__}: {exc}）。已保存的数据不受影响。"


class _Bridge(QObject):
    """Lives in the GUI thread; the worker only emits on it (queued to the GUI)."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], job: Job) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Job keeps it until done
        self._fn, self._bridge, self._cancel = fn, job._bridge, job._cancel
        self._last_emit = 0.0

    def _progress(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if now - self._last_emit >= _EMIT_EVERY_S or done >= total:
            self._last_emit = now
            self._bridge.progressed.emit(int(done), int(total))
        return not self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except BaseException as e:  # delivered to the GUI thread, never raised here
            if not isinstance(e, UserError):  # a bug, not the clerk's input: keep the trace
                traceback.print_exc(file=sys.stderr)
                log.exception("后台任务意外出错：%s", self._fn)
            self._bridge.failed.emit(e)
            return
        self._bridge.succeeded.emit(result)


class Job(QObject):
    """One background run. Exactly one of succeeded/failed/cancelled fires, then done."""

    succeeded = Signal(object)
    failed = Signal(str)  # Chinese message
    cancelled = Signal()
    done = Signal()

    def __init__(self, parent: QWidget | None, label: str, cancellable: bool = True) -> None:
        super().__init__()
        self._parent, self._label, self._cancellable = parent, label, cancellable
        self._cancel = threading.Event()
        self._bridge = _Bridge()
        self._dialog: QProgressDialog | None = None
        self._busy = False
        self._last = (0, 0)
        self.is_done = False
        self.result: Any = None
        self.error: str | None = None
        self.was_cancelled = False

    def cancel(self) -> None:
        self._cancel.set()
        if self._dialog is not None:
            self._dialog.setLabelText("正在取消……")

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Process events until the job is done (tests, shutdown). True if done."""
        if self.is_done:
            return True
        loop = QEventLoop()
        self.done.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        return self.is_done

    # -- GUI-thread side ---------------------------------------------------------

    def _start(self, runnable: _Runnable) -> None:
        self._runnable = runnable
        self._bridge.progressed.connect(self._on_progress)
        self._bridge.succeeded.connect(self._on_succeeded)
        self._bridge.failed.connect(self._on_failed)
        QTimer.singleShot(BUSY_CURSOR_AFTER_MS, self._show_busy)
        QTimer.singleShot(DIALOG_AFTER_MS, self._show_dialog)
        _active.add(self)
        QThreadPool.globalInstance().start(runnable)

    def _show_busy(self) -> None:
        if not self.is_done and not self._busy:
            self._busy = True
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def _show_dialog(self) -> None:
        if self.is_done or self._dialog is not None:
            return
        dlg = QProgressDialog(self._label, "取消", 0, 0, self._parent)
        dlg.setWindowTitle("请稍候")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setMinimumDuration(0)
        if self._cancellable:
            dlg.canceled.connect(self.cancel)
        else:
            dlg.setCancelButton(None)
        self._dialog = dlg
        self._on_progress(*self._last)
        dlg.show()

    def _on_progress(self, done: int, total: int) -> None:
        self._last = (done, total)
        if self._dialog is not None and not self._cancel.is_set():
            self._dialog.setMaximum(max(total, 0))
            self._dialog.setValue(min(done, total) if total > 0 else 0)

    def _on_succeeded(self, result: Any) -> None:
        if self._cancel.is_set():
            self._finish(cancelled=True)
            return
        self.result = result
        self._finish()
        self.succeeded.emit(result)
        self.done.emit()

    def _on_failed(self, exc: BaseException) -> None:
        if self._cancel.is_set():
            self._finish(cancelled=True)
            return
        self.error = error_message(exc)
        self._finish()
        self.failed.emit(self.error)
        self.done.emit()

    def _finish(self, cancelled: bool = False) -> None:
        self.is_done = True
        self.was_cancelled = cancelled
        if self._busy:
            QApplication.restoreOverrideCursor()
            self._busy = False
        if self._dialog is not None:
            self._dialog.blockSignals(True)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        _active.discard(self)
        if cancelled:
            self.cancelled.emit()
            self.done.emit()


def run_job(
    parent: QWidget | None,
    fn: Callable[[Progress], Any],
    *,
    label: str,
    on_success: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    disable: Iterable[QWidget] = (),
    cancellable: bool = True,
) -> Job:
    """Run ``fn(progress)`` off the GUI thread and return its Job at once.

    ``on_error`` defaults to a warning box with the Chinese message. Widgets in
    ``disable`` (the buttons that started the work) stay disabled until it ends.
    ``cancellable=False`` for work that cannot stop halfway (no Cancel button).
    """
    job = Job(parent, label, cancellable)
    widgets = [w for w in disable if w is not None]
    for w in widgets:
        w.setEnabled(False)

    def reenable() -> None:
        for w in widgets:
            w.setEnabled(True)

    job.done.connect(reenable)
    if on_success:
        job.succeeded.connect(on_success)
    job.failed.connect(on_error or (lambda msg: QMessageBox.warning(parent, "操作失败", msg)))
    if on_cancel:
        job.cancelled.connect(on_cancel)
    job._start(_Runnable(fn, job))
    return job


def active_jobs() -> list[Job]:
    return list(_active)


def wait_all(timeout_ms: int = 30000) -> bool:
    """Wait for every running job (window close, test teardown). True if all ended."""
    deadline = time.monotonic() + timeout_ms / 1000
    for job in active_jobs():
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0 or not job.wait(left):
            return False
    return True
