"""自评打分 actions: evidence (link records, attach/open/remove files), 导入评估表 with the
error report, and the exports — table xlsx/PDF and the 迎检材料汇编 — off the GUI thread
(core/assessment, core/assessment_template, exports/assessment_*, exports/binder)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QWidget,
)

from ..core import assessment, assessment_template
from ..core.errors import UserError
from . import preview_files, signals, workers
from .attachments_panel import unreadable_text
from .dialog_buttons import wire_box
from .forms import embed_form
from .ledger_jobs import documents_dir, on_own_connection, save_file_path, show_file_box

ROLE = Qt.ItemDataRole.UserRole
FILE_FILTER = "PDF 或图片 (*.pdf *.png *.jpg *.jpeg);;所有文件 (*)"
RECORD_NAMES = {"items": "主动公开", "applications": "依申请公开", "complaints": "投诉与意见",
                "meetings": "会议", "patrols": "日常巡查", "key_inspections": "重点检查",
                "recognitions": "表彰", "annual_reports": "年度报告"}  # fmt: skip
# kind → (what, file filter)
EXPORTS = {
    "xlsx": ("自评打分表", "Excel 文件 (*.xlsx)"),
    "pdf": ("自评打分表", "PDF 文件 (*.pdf)"),
    "binder": ("迎检材料汇编", "PDF 文件 (*.pdf)"),
}
# How an evidence file is shown: a PDF in the in-app preview, an image in the system
# viewer (ui/preview_files.show); replaced in tests.
open_url: Callable[[QUrl], object] = preview_files.show


def template_of(db: sqlite_utils.Database, template_id: str):
    return assessment_template.load(template_id, db)


def inspection_date(db: sqlite_utils.Database, assessment_id: int) -> date | None:
    value = assessment.get(db, assessment_id)["inspection_date"]
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# -- evidence ------------------------------------------------------------------------------


def evidence_label(ev: dict) -> str:
    if ev["kind"] == "file":
        return f"📎 {ev.get('title') or ev['file_name']}"
    what = RECORD_NAMES.get(ev.get("record_table") or "", ev.get("record_table") or "记录")
    return f"🔗 {what}：{ev.get('title') or ev.get('record_id')}"


def fill_evidence(lst: QListWidget, db, assessment_id: int, item_no: int) -> None:
    lst.clear()
    for ev in assessment.evidence(db, assessment_id, item_no):
        it = QListWidgetItem(evidence_label(ev))
        it.setData(ROLE, dict(ev))
        lst.addItem(it)
    if lst.count() == 0:
        it = QListWidgetItem("（尚无佐证：可关联记录、附加文件，或把文件拖到这里）")
        it.setFlags(Qt.ItemFlag.NoItemFlags)
        lst.addItem(it)


def attach_files(parent: QWidget, db, assessment_id: int, item_no: int, paths=None) -> int:
    if paths is None:
        names, _f = QFileDialog.getOpenFileNames(
            parent, f"为第{item_no}项附加佐证文件", documents_dir(), FILE_FILTER
        )
        paths = names
    n, errors, notes = 0, [], []
    for p in paths:
        try:
            ev_id = assessment.add_file_evidence(db, assessment_id, item_no, p)
            n += 1
        except (UserError, OSError) as e:  # too large, wrong type, damaged (core says why)
            errors.append(f"{Path(p).name}：{workers.error_message(e)}")
            continue
        except MemoryError:
            errors.append(f"{Path(p).name}：文件太大，内存不足。请压缩或拆分后再添加。")
            continue
        if assessment.evidence_unreadable(db, ev_id):  # kept; the binder prints a note
            notes.append(unreadable_text(Path(p).name))
    if errors:
        notes.insert(0, "以下文件没有附加：\n" + "\n".join(errors))
    if notes:
        title = "附加文件" if errors else "佐证文件无法读取"
        QMessageBox.warning(parent, title, "\n\n".join(notes))
    return n


def open_evidence(parent: QWidget, db, ev: dict | None) -> Path | None:
    """打开: a file is written under a fresh temp name and shown (a PDF in the in-app
    preview); a record is described."""
    if not ev:
        return None
    if ev["kind"] != "file":
        QMessageBox.information(parent, "关联记录", evidence_label(ev))
        return None
    try:
        data = assessment.evidence_data(db, ev["id"])
        path = preview_files.write_temp(data, ev["file_name"] or "佐证", "gongkai_evidence")
    except UserError as e:
        QMessageBox.warning(parent, "打开佐证", str(e))
        return None
    open_url(QUrl.fromLocalFile(str(path)))
    return path


def remove_evidence(parent: QWidget, db, ev: dict | None, *, confirm: bool = True) -> bool:
    if not ev:
        return False
    if confirm and QMessageBox.question(
        parent, "移除佐证", f"从本项移除“{evidence_label(ev)}”吗？"
    ) != QMessageBox.StandardButton.Yes:  # fmt: skip
        return False
    try:
        assessment.remove_evidence(db, ev["id"])
    except UserError as e:
        QMessageBox.warning(parent, "移除佐证", str(e))
        return False
    return True


class LinkDialog(QDialog):
    """关联记录: the records the suggestion for this item was drawn from, to tick."""

    def __init__(self, db, assessment_id: int, item_no: int, parent, today: date | None = None):
        super().__init__(parent)
        self.db, self.assessment_id, self.item_no = db, assessment_id, item_no
        self.ui = embed_form("assessment_link", self, margin=6)
        self.records: QListWidget = self.ui.findChild(QListWidget, "recordList")
        self.error: QLabel = self.ui.findChild(QLabel, "errorLabel")
        box: QDialogButtonBox = self.ui.findChild(QDialogButtonBox, "buttonBox")
        wire_box(box, self, self.save, "关联")
        s = assessment.suggestions(db, assessment_id, today).get(item_no)
        linked = {(e["record_table"], e["record_id"]) for e in
                  assessment.evidence(db, assessment_id, item_no) if e["kind"] == "record"}  # fmt: skip
        for table, rid, title in s.evidence if s else []:
            it = QListWidgetItem(f"{RECORD_NAMES.get(table, table)}：{title}")
            it.setData(ROLE, (table, rid, title))
            done = (table, rid) in linked
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)
            if done:
                it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.records.addItem(it)
        intro = self.ui.findChild(QLabel, "introLabel")
        intro.setText(
            f"第{item_no}项：勾选要作为佐证的记录（来自本项的打分建议）。"
            if self.records.count()
            else f"第{item_no}项的记录中没有可关联的内容，可改用“附加文件”。"
        )

    def save(self) -> bool:
        try:
            for i in range(self.records.count()):
                it = self.records.item(i)
                if (
                    it.flags() & Qt.ItemFlag.ItemIsEnabled
                    and it.checkState() == Qt.CheckState.Checked
                ):
                    table, rid, title = it.data(ROLE)
                    assessment.add_record_evidence(
                        self.db, self.assessment_id, self.item_no, table, rid, title
                    )
        except UserError as e:
            self.error.setText(str(e))
            return False
        signals.notify(signals.ASSESSMENT)
        self.accept()
        return True


def open_link_dialog(parent, db, assessment_id, item_no, today=None) -> LinkDialog:
    dlg = LinkDialog(db, assessment_id, item_no, parent, today)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg


# -- import and exports --------------------------------------------------------------------


def import_template(parent: QWidget, db, path=None) -> str | None:
    """导入评估表 (json in the data-file schema, or xlsx like the seed's table); every
    problem the file has is listed in the message."""
    if path is None:
        path, _f = QFileDialog.getOpenFileName(
            parent, "导入评估表", documents_dir(), "评估表 (*.json *.xlsx);;所有文件 (*)"
        )
        if not path:
            return None
    p = Path(path)
    reader = assessment_template.import_xlsx if p.suffix.lower() == ".xlsx" else (
        assessment_template.import_json)  # fmt: skip
    try:
        t = reader(db, p)
    except UserError as e:
        box = QMessageBox(QMessageBox.Icon.Warning, "评估表没有导入",
                          f"“{p.name}”不符合评估表的格式，没有导入：", parent=parent)  # fmt: skip
        box.setInformativeText(str(e))
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        parent.import_error = str(e)
        return None
    return t.id


def _writer(kind: str):
    """build(conn, year, template, out, progress) -> Path for *kind* (exports/ does the work)."""
    xlsx = importlib.import_module("gongkai_desktop.exports.assessment_xlsx")
    if kind == "binder":
        binder = importlib.import_module("gongkai_desktop.exports.binder")
        return lambda conn, year, tid, out, progress: binder.write_binder(
            conn, year, out, template=tid, progress=progress
        )
    if kind == "xlsx":
        return lambda conn, year, tid, out, _p: xlsx.write_assessment_xlsx(
            xlsx.scored_table(conn, year, tid), out
        )
    pdf = importlib.import_module("gongkai_desktop.exports.assessment_pdf")
    return lambda conn, year, tid, out, _p: pdf.write_assessment_pdf(
        xlsx.scored_table(conn, year, tid), out
    )


def export(
    parent: QWidget, db, year: int, template: str, kind: str, *, out_path=None,
    say: Callable[[str], None] = lambda _t: None, disable: Iterable[QWidget] = (),
) -> workers.Job | None:  # fmt: skip
    what, file_filter = EXPORTS[kind]
    try:
        build = _writer(kind)
    except (ImportError, AttributeError):
        QMessageBox.information(parent, "功能尚未安装", f"“导出{what}”功能尚未安装，请升级本软件。")
        return None
    suffix = ".xlsx" if kind == "xlsx" else ".pdf"
    out = save_file_path(
        parent, f"导出{what}", f"{year}年{what}{suffix}", out_path, suffix, file_filter
    )
    if out is None:
        return None

    def _work(conn, progress):
        progress(0, 1)
        return build(conn, year, template, out, progress)

    work = on_own_connection(db, _work)

    label = f"{year}年{what}"

    def done(_result) -> None:
        say(f"已导出{label}：{out}")
        show_file_box(parent, "导出完成", f"已导出{label}：\n{out}", out)

    return workers.run_job(
        parent.window(), work, label=f"正在生成{label}……", on_success=done,
        on_error=lambda msg: QMessageBox.warning(parent, "导出失败", msg),
        on_cancel=lambda: say(f"已取消{label}。"), disable=disable,
    )  # fmt: skip
