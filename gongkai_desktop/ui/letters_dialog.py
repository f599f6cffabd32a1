"""文书: an application's letters — generate (PDF, off the GUI thread), open, save, print.

The context and 文号 come from core (applications.letter_context / store_letter via
application_letters.issue_letter), the PDF from exports/letters.render_letter. Each
letter is kept with the application so it can be printed again. Opening and printing
show it in the in-app preview (ui/pdf_preview.py, A4 at 100%; issue 7 §3).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import applications
from ..core.application_letters import issue_letter, resolve_kind
from ..core.errors import UserError
from . import preview_files, signals, workers
from .dialog_buttons import OK, wire_box
from .forms import embed_form
from .ledger_jobs import documents_dir, on_own_connection

PDF_FILTER = "PDF 文件 (*.pdf)"
# What the clerk picks (core/application_letters.KINDS); 答复告知书 follows the answer type.
CHOICES = (
    ("receipt", "登记回执"),
    ("supplement", "补正告知书"),
    ("extension", "延期答复告知书"),
    ("consultation", "征求意见书"),
    ("fee", "收费通知书"),
    ("answer", "答复告知书"),
)
# How a letter is shown: the in-app preview, which prints at 100%; replaced in tests.
open_url: Callable[[QUrl], object] = preview_files.show


def letter_name(kind: str) -> str:
    try:
        from ..exports.letters import LETTER_KINDS
    except ImportError:
        return kind
    return LETTER_KINDS.get(kind, kind)


@dataclass(frozen=True)
class LetterResult:
    letter_id: int
    kind: str
    doc_no: str
    letter_date: date
    pdf: bytes


def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")


def pdf_file_name(app_no: str, kind: str, doc_no: str) -> str:
    return _safe(f"{app_no}_{letter_name(kind)}_{doc_no}") + ".pdf"


def open_pdf(pdf: bytes, name: str) -> Path:
    """Write *pdf* under a fresh temp name (atomically; a copy still open in a viewer never
    blocks this) and show it in the preview. UserError when it cannot be written."""
    path = preview_files.write_temp(pdf, name, "gongkai_letters")
    open_url(QUrl.fromLocalFile(str(path)))
    return path


def _missing(ctx: dict, fields: list[str]) -> list[str]:
    return [f for f in fields if ctx.get(f) in (None, "", [], ())]


class LetterFieldsDialog(QDialog):
    """Asks for the fields a letter needs that the application does not hold."""

    def __init__(self, kind: str, fields: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ..exports.letters import field_labels

        self.ui = embed_form("letter_fields_dialog", self, margin=6)
        labels = field_labels()
        self.ui.findChild(QLabel, "headLabel").setText(
            f"生成《{letter_name(kind)}》还需要以下内容（只用于这份文书）："
        )
        form: QFormLayout = self.ui.findChild(QFormLayout, "fieldsForm")
        self.edits: dict[str, QLineEdit] = {}
        for f in fields:
            edit = QLineEdit(self.ui)
            edit.setObjectName(f"{f}Edit")
            form.addRow(f"{labels.get(f, f)}：", edit)
            self.edits[f] = edit
        self.error: QLabel = self.ui.findChild(QLabel, "errorLabel")
        box: QDialogButtonBox = self.ui.findChild(QDialogButtonBox, "buttonBox")
        wire_box(box, self, self._accept, "生成", OK)

    def values(self) -> dict[str, str]:
        return {k: e.text().strip() for k, e in self.edits.items()}

    def _accept(self) -> None:
        empty = [k for k, v in self.values().items() if not v]
        if empty:
            self.error.setText("请填写每一项，文书不能留空。")
            self.edits[empty[0]].setFocus()
            return
        self.accept()


def prepare_letter(
    parent: QWidget, db: sqlite_utils.Database, app_id: int, kind: str, today: date | None
) -> tuple[str, dict] | None:
    """(letter kind, extra fields) ready to render, asking for missing fields; None if the
    clerk cancels. UserError if the application cannot have this letter yet."""
    from ..exports.letters import required_fields

    app = applications.get(db, app_id)
    if app is None:
        raise UserError("该申请已被删除。")
    real = resolve_kind(app, kind)
    ctx = applications.letter_context(db, app_id, real, today)
    missing = _missing(ctx, required_fields(real))
    if not missing:
        return real, {}
    dlg = LetterFieldsDialog(real, missing, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return real, dlg.values()


def generate_letter(
    parent: QWidget,
    db: sqlite_utils.Database,
    app_id: int,
    kind: str,
    *,
    today: date | None = None,
    who: str | None = None,
    extra: dict | None = None,
    on_done: Callable[[LetterResult], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    open_after: bool = False,
    disable: Iterable[QWidget] = (),
) -> workers.Job:
    """Render and store letter *kind* in the background (PDF rendering can take a while)."""
    from ..exports.letters import render_letter

    app_no = (applications.get(db, app_id) or {}).get("app_no", "")

    def _work(conn, _progress):
        letter_id, pdf, ctx = issue_letter(
            conn, app_id, kind, render_letter, today=today, who=who, extra=extra
        )
        real = resolve_kind(applications.get(conn, app_id), kind)
        return LetterResult(letter_id, real, ctx["doc_no"], ctx["letter_date"], pdf)

    work = on_own_connection(db, _work)

    def done(result: LetterResult) -> None:
        signals.notify(signals.APPLICATIONS)
        if open_after:
            try:
                open_pdf(result.pdf, pdf_file_name(app_no, result.kind, result.doc_no))
            except UserError as e:  # stored all the same; only the preview failed
                if on_error is not None:
                    on_error(str(e))
                else:
                    QMessageBox.warning(parent, "无法打开文书", str(e))
        if on_done is not None:
            on_done(result)

    return workers.run_job(
        parent,
        work,
        label=f"正在生成《{letter_name(kind)}》……",
        on_success=done,
        on_error=on_error,
        disable=disable,
        cancellable=False,  # one short write: nothing to stop halfway
    )


class LettersDialog(QDialog):
    """The letters stored with one application, and making new ones."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        app_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.app_id, self.today = db, app_id, today
        self.job: workers.Job | None = None
        self.last_result: LetterResult | None = None
        self.ui = embed_form("letters_dialog", self, margin=6)
        f = self.ui.findChild
        self.table: QTableWidget = f(QTableWidget, "letterTable")
        self.kind: QComboBox = f(QComboBox, "kindCombo")
        self.error: QLabel = f(QLabel, "errorLabel")
        self.status: QLabel = f(QLabel, "statusLabel")
        self.title: QLabel = f(QLabel, "titleLabel")
        self.buttons = {
            n: f(QPushButton, f"{n}Button") for n in ("open", "save", "print", "generate")
        }
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.buttons["open"].clicked.connect(self.open_selected)
        self.buttons["print"].clicked.connect(self.print_selected)
        self.buttons["save"].clicked.connect(lambda: self.save_selected())
        self.buttons["generate"].clicked.connect(lambda: self.generate())
        signals.changes().changed.connect(self._on_changed)
        self._listening = True
        self.finished.connect(lambda _r: self.dispose())
        from .attachments_panel import AttachmentsPanel  # 附件, e.g. the signed scan (issue 7 §1)

        self.attachments = AttachmentsPanel(db, "app_letters")
        self.attachments.setMaximumHeight(170)
        lay = self.ui.layout()
        lay.insertWidget(lay.indexOf(self.table) + 1, self.attachments)
        self.reload()

    def dispose(self) -> None:
        if self._listening:
            self._listening = False
            signals.changes().changed.disconnect(self._on_changed)

    # -- list ---------------------------------------------------------------------------

    def reload(self) -> None:
        app = applications.get(self.db, self.app_id)
        if app is None:
            self.error.setText("该申请已被删除。")
            return
        self.app = app
        self.setWindowTitle(f"文书 — {app['app_no']} {app['applicant_name']}")
        self.title.setText(f"申请 {app['app_no']}　{app['applicant_name']}　{app['content'][:60]}")
        rows = applications.letters(self.db, self.app_id)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, lt in enumerate(rows):
            values = (
                letter_name(lt["kind"]),
                lt["doc_no"],
                lt["letter_date"],
                (lt["created_at"] or "")[:16].replace("T", " "),
            )
            for c, v in enumerate(values):
                cell = QTableWidgetItem(v)
                cell.setData(Qt.ItemDataRole.UserRole, lt["id"])
                self.table.setItem(r, c, cell)
        for c in (1, 2, 3):
            self.table.resizeColumnToContents(c)
        self._fill_kinds()
        self._update_buttons()

    def _fill_kinds(self) -> None:
        keep = self.kind.currentData()
        app = self.app
        has_pauses = bool(applications.pauses(self.db, self.app_id))
        why = {
            "supplement": None if app["supplement_requested"] else "尚未发出补正告知",
            "extension": None if app["extension_days"] else "尚未延期",
            "consultation": None if has_pauses else "尚未征求意见",
            "fee": None if app["fee_notice_date"] else "尚未发出收费通知",
            "answer": None if app["answer_type"] is not None else "尚未答复",
        }
        self.kind.clear()
        model: QStandardItemModel = self.kind.model()
        for key, label in CHOICES:
            reason = why.get(key)
            self.kind.addItem(label if reason is None else f"{label}（{reason}）", key)
            if reason is not None:
                model.item(self.kind.count() - 1).setEnabled(False)
        i = self.kind.findData(keep)
        self.kind.setCurrentIndex(i if i >= 0 and model.item(i).isEnabled() else 0)

    def _update_buttons(self) -> None:
        lid = self.selected_id()
        for n in ("open", "save", "print"):
            self.buttons[n].setEnabled(lid is not None)
        if lid != self.attachments.record_id:
            self.attachments.set_record("app_letters", lid)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def select_letter(self, letter_id: int) -> None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == letter_id:
                self.table.selectRow(r)
                return

    def _selected(self) -> tuple[dict, bytes] | None:
        lid = self.selected_id()
        if lid is None:
            return None
        row = next(r for r in self.rows if r["id"] == lid)
        try:
            return row, applications.letter_pdf(self.db, lid)
        except UserError as e:
            self.error.setText(str(e))
            return None

    def _on_changed(self, kind: str) -> None:
        if kind == signals.APPLICATIONS:
            self.reload()

    # -- actions ---------------------------------------------------------------------------

    def open_selected(self) -> Path | None:
        sel = self._selected()
        if sel is None:
            return None
        row, pdf = sel
        self.error.clear()
        self.status.clear()
        try:
            return open_pdf(pdf, pdf_file_name(self.app["app_no"], row["kind"], row["doc_no"]))
        except UserError as e:
            self.error.setText(str(e))
            return None

    def print_selected(self) -> Path | None:
        path = self.open_selected()
        if path is not None:
            self.status.setText("已在打印预览中打开，请点“打印…”，按100%比例打印。")
        return path

    def save_selected(self, out_path: str | Path | None = None) -> Path | None:
        from ..exports.official_doc import write_atomic

        sel = self._selected()
        if sel is None:
            return None
        row, pdf = sel
        if out_path is None:
            start = Path(documents_dir()) / pdf_file_name(
                self.app["app_no"], row["kind"], row["doc_no"]
            )
            name, _f = QFileDialog.getSaveFileName(self, "另存文书", str(start), PDF_FILTER)
            if not name:
                return None
            out_path = name
        out = Path(out_path)
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        try:
            write_atomic(out, pdf)
        except OSError as e:
            self.error.setText(workers.error_message(e))
            return None
        self.status.setText(f"已保存：{out}")
        return out

    def generate(self, kind: str | None = None) -> workers.Job | None:
        kind = kind or self.kind.currentData()
        self.error.clear()
        self.status.clear()
        try:
            prepared = prepare_letter(self, self.db, self.app_id, kind, self.today)
        except UserError as e:
            self.error.setText(str(e))
            return None
        if prepared is None:
            return None
        real, extra = prepared
        self.job = generate_letter(
            self,
            self.db,
            self.app_id,
            real,
            today=self.today,
            extra=extra,
            on_done=self._generated,
            on_error=self.error.setText,
            disable=[self.buttons["generate"]],
        )
        return self.job

    def _generated(self, result: LetterResult) -> None:
        self.last_result = result
        self.reload()
        self.select_letter(result.letter_id)
        self.status.setText(f"已生成《{letter_name(result.kind)}》{result.doc_no}，已随申请保存。")


def open_letters_dialog(parent: QWidget | None, db, app_id: int, today: date | None = None) -> None:
    LettersDialog(db, app_id, parent, today=today).exec()
