"""Helpers several test files share: the `gongkai` command run in-process, a database
file held open by another process, the item titles of a file, a blank PDF, the main window,
typing and clicking like a clerk."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

from pypdf import PdfWriter

from gongkai_desktop.cli import main


def run_cli(capsys, *argv):
    """`gongkai ARGV…` in this process: (exit code, stdout, stderr)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def item_titles(path) -> list[str]:
    """The sorted item titles of the database file at *path*, opened read-only."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT title FROM items"))
    finally:
        conn.close()


@contextmanager
def held_by_another_window(path) -> Iterator[subprocess.Popen]:
    """Another process holds the one-app-per-file lock on *path* until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from gongkai_desktop.core import file_lock
            file_lock.acquire({str(path)!r})
            print("LOCKED", flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        yield holder
    finally:
        holder.communicate("\n", timeout=30)


def pdf_file(path, pages: int = 2):
    """A PDF of *pages* blank A4 pages written to *path*; returns *path*."""
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    path.write_bytes(buf.getvalue())
    return path


def shown_main_window(qtbot, db, tmp_path, today=None):
    """The main window on *db* at 1366×768, shown and active (settings in tmp_path)."""
    from PySide6.QtCore import QSettings

    from gongkai_desktop.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings=settings, today=today)
    w.set_database(db, tmp_path / "t.db")
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def type_text(qtbot, widget, text: str) -> None:
    """Type like a clerk: ASCII key by key, Chinese as the input method commits it
    (qtbot.keyClicks only knows ASCII keys; Chinese crashes this PySide6 build)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    run = ""
    for ch in text + "\0":
        if ch.isascii() or ch == "\0":
            if run:
                ev = QInputMethodEvent()
                ev.setCommitString(run)
                QApplication.sendEvent(widget, ev)
                run = ""
            if ch != "\0":
                qtbot.keyClicks(widget, ch)
        else:
            run += ch


def click(qtbot, button) -> None:
    """Click *button* with the mouse; it must be enabled."""
    from PySide6.QtCore import Qt

    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def qd(text: str):
    """The QDate of 'yyyy-MM-dd' *text*."""
    from PySide6.QtCore import QDate

    return QDate.fromString(text, "yyyy-MM-dd")


@contextmanager
def main_window_on(qtbot, db, tmp_path, today, tab: str | None = None):
    """The main window on *db* at 1366×768, shown (on the tab attribute *tab* if given);
    on leaving, background jobs are waited for and every tab disposed."""
    from PySide6.QtCore import QSettings

    from gongkai_desktop.ui import workers
    from gongkai_desktop.ui.main_window import MainWindow

    w = MainWindow(
        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), today=today
    )
    w.set_database(db, tmp_path / "t.db")
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    if tab is not None:
        w.tabs.setCurrentWidget(getattr(w, tab))
    yield w
    workers.wait_all(20000)
    for t in (w.registry, w.applications, w.complaints, w.supervision, w.organisation,
              w.annual_report):  # fmt: skip
        if t is not None:
            t.dispose()


def one_chinese_line(err: str) -> bool:
    """*err* is one line starting “错误：”, with no traceback."""
    return err.count("\n") == 1 and err.startswith("错误：") and "Traceback" not in err


def with_subcommand(monkeypatch, name: str, register) -> None:
    """`gongkai` builds its parser with *name* (until the lead registers it in cli)."""
    from gongkai_desktop import cli

    original = cli._subcommands

    def subcommands():
        found = original()
        return found + ([] if name in {n for n, _ in found} else [(name, register)])

    monkeypatch.setattr(cli, "_subcommands", subcommands)
