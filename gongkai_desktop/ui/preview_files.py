"""Files written only to be looked at (a letter, a piece of evidence, the calibration page):
each goes to a fresh folder under the temp folder, written through core/atomic_file, and a
PDF is shown in the in-app preview (ui/pdf_preview.py), which prints at 100% (issue 7 §3).

A fresh name each time means a copy still held open by a viewer (Windows refuses to
replace an open file) never blocks opening it again (issue 9: Failing safely). Folders
older than a day are swept when the next one is made; one still in use is left alone.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget

from ..core.atomic_file import write_bytes
from . import pdf_preview

open_system: Callable[[QUrl], object] = QDesktopServices.openUrl  # replaced in tests
KEEP_S = 24 * 3600  # a preview folder older than this is swept
_orphans: set = set()  # previews with no parent window: kept alive until closed


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", Path(name).name).strip(" ._") or "文件"


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_S
    for sub in folder.iterdir():
        try:
            if sub.is_dir() and sub.stat().st_mtime < cutoff:
                shutil.rmtree(sub, ignore_errors=True)  # a file still open stays (Windows)
        except OSError:
            pass


def fresh_path(name: str, group: str) -> Path:
    """A path named *name* in a new folder of its own under ``<temp>/<group>``."""
    folder = Path(tempfile.gettempdir()) / group
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    return Path(tempfile.mkdtemp(dir=folder)) / _safe(name)


def write_temp(data: bytes, name: str, group: str) -> Path:
    """Write *data* to a fresh path (complete or not at all); UserError says why not."""
    return write_bytes(fresh_path(name, group), data)


def show(url: QUrl, parent: QWidget | None = None, title: str = "") -> object:
    """Show the file: a PDF in the in-app preview over *parent* (or the active window);
    anything else, or a PDF pdfium cannot open, in the system's program for it."""
    path = Path(url.toLocalFile())
    if path.suffix.lower() != ".pdf":
        return open_system(url)
    parent = parent or QApplication.activeWindow()
    try:
        dlg = pdf_preview.show_pdf(parent, path, title or path.stem)
    except pdfium.PdfiumError:  # damaged or encrypted: let the viewer try
        return open_system(url)
    if parent is None:
        _orphans.add(dlg)
        dlg.finished.connect(lambda _r: _orphans.discard(dlg))
    return dlg
