"""The 档案 tab's printouts off the GUI thread (workers.run_job): 归档文件目录, 盒脊,
盒封面, 备考表, 套打 and the 案卷 PDF. The worker opens its own connection, writes the PDF
and the GUI shows it in the in-app preview (ui/pdf_preview.py), which prints on A4 at
100% or hands it to the system viewer (issue 7 §3; RULES.md §9).

Before the 归档文件目录 is printed, and when a volume is built, each piece's 页数 is set to
the pages it takes in the volume (exports/archive_volume.sync_pages / build_volume), so
the catalogue and the bound volume agree."""

from __future__ import annotations

import importlib
import importlib.util
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ..core import archive, print_settings
from ..core.errors import UserError
from ..exports import archive_catalog
from . import pdf_preview, signals, workers
from .ledger_jobs import on_own_connection


def preview(url: QUrl) -> pdf_preview.PdfPreviewDialog:
    """Show a finished PDF in the in-app preview, over the active window."""
    path = Path(url.toLocalFile())
    return pdf_preview.show_pdf(QApplication.activeWindow(), path, path.stem)


open_url: Callable[[QUrl], object] = preview  # how a finished PDF is shown; replaced in tests
PRINT_NOTE = "请按100%比例打印"
# kind -> (title, module, function taking (boxes or pieces, meta, out))
KINDS = {
    "catalog": ("归档文件目录", "archive_pdf", "catalog_pdf"),
    "spines": ("盒脊", "archive_labels", "spines_pdf"),
    "cover": ("盒封面", "archive_labels", "box_cover_pdf"),
    "note": ("备考表", "archive_labels", "note_sheet_pdf"),
}
_out_dir: tempfile.TemporaryDirectory | None = None


def volume_available() -> bool:
    return importlib.util.find_spec("gongkai_desktop.exports.archive_volume") is not None


def meta(db: sqlite_utils.Database) -> dict:
    """全宗号/全宗名称 and 机构 names for the printouts (exports/archive_catalog.py)."""
    return archive_catalog.fonds_meta(db)


def label_boxes(db: sqlite_utils.Database, box_ids: list[int]) -> list[dict]:
    """Boxes as the label printers want them (first_piece_no/last_piece_no)."""
    out = []
    for i in box_ids:
        b = archive.box(db, i)
        out.append(b | {"first_piece_no": b["first_piece"], "last_piece_no": b["last_piece"]})
    return out


def default_out(name: str) -> Path:
    """A file in this session's output folder (kept until the program closes)."""
    global _out_dir
    if _out_dir is None:
        _out_dir = tempfile.TemporaryDirectory(prefix="gongkai-archive-")
    return Path(_out_dir.name) / name


def print_pdf(
    parent: QWidget,
    db: sqlite_utils.Database,
    kind: str,
    *,
    year: int,
    box_ids: list[int] | None = None,
    out_path: str | Path | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job | None:
    """Write the *kind* PDF of *year* (of *box_ids* for labels and the volume) and open it."""
    if kind == "volume":
        title = "案卷"
        if not volume_available():
            QMessageBox.information(parent, "功能尚未安装", "“案卷”功能尚未安装，请升级本软件。")
            return None
    else:
        title = KINDS[kind][0]
    out = Path(out_path) if out_path else default_out(f"{year}年{title}.pdf")
    ids = list(box_ids or [])

    def _work(conn, progress):
        if kind == "volume":
            vol = importlib.import_module("gongkai_desktop.exports.archive_volume")
            result = vol.build_volume(conn, ids[0], out, progress=progress)
            fixed = len(result.corrected)
            return out, f"共 {result.pages} 页" + (
                f"，已按实际页数更正 {fixed} 件的页数" if fixed else ""
            )
        mod = importlib.import_module(f"gongkai_desktop.exports.{KINDS[kind][1]}")
        fn = getattr(mod, KINDS[kind][2])
        note = ""
        if kind == "catalog":
            data, fixed = archive_catalog.synced_pieces(conn, year)  # 页数 = the pages bound in the volume
            if not data:
                raise UserError(f"{year}年还没有归档件。请先点“一键归档”。")
            note = f"已按实际页数更正 {fixed} 件的页数" if fixed else ""
        else:
            data = label_boxes(conn, ids)
            if not data:
                raise UserError(f"{year}年还没有档案盒。请先选中归档件，点“新建盒并装入”。")
        fn(data, meta(conn), out)
        return out, note

    work = on_own_connection(db, _work)

    def done(result) -> None:
        path, note = result
        say(f"已生成{title}：{path}（{'，'.join(x for x in (note, PRINT_NOTE) if x)}）")
        if note:
            signals.notify(signals.ARCHIVE)  # the 页数 shown in the tab changed
        open_url(QUrl.fromLocalFile(str(path)))

    return workers.run_job(
        parent.window(),
        work,
        label=f"正在生成{title}……",
        on_success=done,
        on_cancel=lambda: say(f"已取消生成{title}。"),
        disable=disable,
    )


def print_overprint(
    parent: QWidget,
    db: sqlite_utils.Database,
    form: str,
    *,
    year: int,
    box_ids: list[int],
    printer: str | None = None,
    out_path: str | Path | None = None,
    say: Callable[[str], None] = lambda _t: None,
    disable: Iterable[QWidget] = (),
) -> workers.Job:
    """套打 *form* (box_cover/spine/note_sheet): only the values of *box_ids*, moved by
    the saved offset of *printer*, for pre-printed forms (issue 7 §3)."""
    from ..exports import overprint

    title = f"{overprint.FORMS.get(form, form)}（套打）"
    out = Path(out_path) if out_path else default_out(f"{year}年{title}.pdf")
    ids = list(box_ids)
    name = (printer or "").strip() or print_settings.DEFAULT_PRINTER

    def _work(conn, _progress):
        boxes = label_boxes(conn, ids)
        if not boxes:
            raise UserError(f"{year}年还没有档案盒。请先选中归档件，点“新建盒并装入”。")
        offset = print_settings.offset(conn, name)
        return overprint.overprint_boxes_pdf(form, boxes, meta(conn), out, offset=offset)

    work = on_own_connection(db, _work)

    def done(path) -> None:
        say(f"已生成{title}（{name}的偏移）：{path}。{overprint.PRINT_NOTE}")
        open_url(QUrl.fromLocalFile(str(path)))

    return workers.run_job(
        parent.window(),
        work,
        label=f"正在生成{title}……",
        on_success=done,
        on_cancel=lambda: say(f"已取消生成{title}。"),
        disable=disable,
    )
