"""Helpers several test files share: the `gongkai` command run in-process, a database
file held open by another process, the item titles of a file, a blank PDF, the main window."""

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
