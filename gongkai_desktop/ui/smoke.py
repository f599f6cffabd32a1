"""冒烟测试 (`gongkai --smoke-test`): open the main window, wait for its first paint, exit.

Used by .ci/package on the PyInstaller bundle: proves Qt, its plugins, the forms and the
database code all load from the bundle. Nothing of the clerk's settings is touched.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QTabWidget

TIMEOUT_MS = 60_000


class _FirstPaint(QObject):
    """Quits the application after the watched window's first paint event."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.painted = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.app.quit)
        return False


def run_smoke_test(db_path: str | None) -> int:
    """Open the window on *db_path* (or a new empty database), return 0 after the first paint."""
    from ..core.db import connect
    from . import workers
    from .main_window import APP_NAME, MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    with tempfile.TemporaryDirectory(prefix="gongkai-smoke-") as tmp:
        path = Path(db_path) if db_path else Path(tmp) / "smoke.db"
        db = connect(path)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        win = MainWindow(settings=settings)
        win.set_database(db, path)
        watcher = _FirstPaint(app)
        win.installEventFilter(watcher)
        QTimer.singleShot(TIMEOUT_MS, app.quit)
        win.show()
        app.exec()
        tabs = win.tabs.count() if isinstance(win.tabs, QTabWidget) else 0
        workers.wait_all(30_000)  # else closeEvent would ask about running jobs
        win.close()
        db.conn.close()
    if not watcher.painted:
        print(f"冒烟测试失败：{TIMEOUT_MS // 1000} 秒内主窗口没有显示。", file=sys.stderr)
        return 1
    print(f"冒烟测试通过：主窗口已显示，{tabs} 个标签页，数据库“{path.name}”。")
    return 0
