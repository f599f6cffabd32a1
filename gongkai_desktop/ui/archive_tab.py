"""档案 tab (DA/T 22-2015, RULES.md §8, issue 7): 待归档 with 一键归档, the year's pieces
(档号, 题名, 日期, 页数, 盒号), boxes (create, put pieces in, seal) and the printouts
(归档文件目录, 盒脊, 盒封面, 备考表, 案卷) through workers.run_job."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import archive, print_settings
from ..core.errors import UserError
from . import archive_jobs, signals
from .archive_dialogs import ArchiveSettingsDialog, SealDialog
from .forms import load_form
from .rectifications_view import host

BUTTONS = ("fileReady", "renumber", "settings", "catalog", "spines", "cover", "note", "volume",
           "newBox", "putIn", "seal")  # fmt: skip


def _fill(
    table: QTableWidget, rows: list[tuple], right: tuple[int, ...] = (), stretch: int | None = None
) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            it = QTableWidgetItem("" if value is None else str(value))
            if c in right:
                it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, it)
    table.resizeColumnsToContents()
    if stretch is not None:  # the 题名 column takes the room left
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


class ArchiveTab(QWidget):
    """``message`` carries status-bar text for the main window."""

    message = Signal(str)

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.fixed_today = db, today
        self.today = today or date.today()
        self.ui = load_form("archive_tab", self)
        host(self.ui, self)
        f = self.ui.findChild
        self.year: QSpinBox = f(QSpinBox, "yearSpin")
        self.ready_table: QTableWidget = f(QTableWidget, "readyTable")
        self.pieces_table: QTableWidget = f(QTableWidget, "piecesTable")
        self.boxes_table: QTableWidget = f(QTableWidget, "boxesTable")
        self.spine: QComboBox = f(QComboBox, "spineCombo")
        self.buttons = {n: f(QPushButton, f"{n}Button") for n in BUTTONS}
        for t in (self.ready_table, self.pieces_table, self.boxes_table):
            t.verticalHeader().setVisible(False)
            t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 8)
        splitter: QSplitter = f(QSplitter, "splitter")
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 500])
        for mm in archive.SPINE_WIDTHS:
            self.spine.addItem(f"{mm} 毫米", mm)
        self.spine.setCurrentIndex(archive.SPINE_WIDTHS.index(30))
        self.year.setValue(self.today.year)
        self.year.valueChanged.connect(lambda _y: self.reload())
        acts = {"fileReady": self.file_ready, "renumber": self.renumber,
                "settings": self.edit_settings, "newBox": self.new_box, "putIn": self.put_in,
                "seal": self.seal}  # fmt: skip
        for name, fn in acts.items():
            self.buttons[name].clicked.connect(lambda _c=False, fn=fn: fn())
        for kind in ("catalog", "spines", "cover", "note", "volume"):
            self.buttons[kind].clicked.connect(lambda _c=False, k=kind: self.print_pdf(k))
        self.buttons["volume"].setVisible(archive_jobs.volume_available())
        self._add_overprint_button()
        self.pieces_table.itemSelectionChanged.connect(self._update_buttons)
        self.boxes_table.itemSelectionChanged.connect(self._update_buttons)
        self.ready: list[tuple[str, int]] = []
        self.pieces: list[dict] = []
        self.boxes: list[dict] = []
        self.job = None
        self.last_message = ""
        self._disposed = False
        signals.changes().changed.connect(self._on_changed)
        self.reload()

    def dispose(self) -> None:
        if not self._disposed:
            self._disposed = True
            signals.changes().changed.disconnect(self._on_changed)

    def _on_changed(self, kind: str) -> None:
        if kind in (signals.ARCHIVE, signals.ITEMS, signals.APPLICATIONS, signals.COMPLAINTS,
                    signals.PROFILE):  # fmt: skip
            self.reload()

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    # -- lists -----------------------------------------------------------------------

    def reload(self) -> None:
        year = self.year.value()
        self.ready = archive.ready(self.db, year)
        rows = []
        for table, rid in self.ready:
            d = archive.describe(self.db, table, rid)
            rows.append((archive.KINDS[table], d["title"], d["doc_date"] or ""))
        _fill(self.ready_table, rows, stretch=1)
        self.pieces = archive.pieces(self.db, year=year)
        self.boxes = archive.boxes(self.db, year=year)
        box_no = {b["id"]: b["box_no"] for b in self.boxes}
        _fill(self.pieces_table, [
            (p["archive_no"], p["title"], p["doc_date"] or "", p["pages"], box_no.get(p["box_id"], ""))
            for p in self.pieces
        ], right=(3, 4), stretch=1)  # fmt: skip
        _fill(self.boxes_table, [
            (b["box_no"], b["retention"], b["org_code"] or "—",
             f"{b['first_piece']:04d}–{b['last_piece']:04d}" if b["count"] else "（空盒）",
             b["count"], f"{b['spine_mm']} 毫米",
             f"已封盒 {b['sealed_at'][:10]}" if b["sealed_at"] else "未封盒")
            for b in self.boxes
        ], right=(0, 4))  # fmt: skip
        self.ui.findChild(QWidget, "readyLabel").setText(f"待归档（{len(self.ready)} 件）")
        self.ui.findChild(QWidget, "piecesLabel").setText(
            f"{year}年归档件（{len(self.pieces)} 件，{sum(p['pages'] or 0 for p in self.pieces)} 页）"
        )
        self._update_buttons()

    def selected_pieces(self) -> list[dict]:
        rows = sorted({i.row() for i in self.pieces_table.selectionModel().selectedRows()})
        return [self.pieces[r] for r in rows if r < len(self.pieces)]

    def selected_boxes(self) -> list[dict]:
        rows = sorted({i.row() for i in self.boxes_table.selectionModel().selectedRows()})
        return [self.boxes[r] for r in rows if r < len(self.boxes)]

    def _update_buttons(self) -> None:
        picked, boxes = self.selected_pieces(), self.selected_boxes()
        open_boxes = [b for b in boxes if not b["sealed_at"]]
        self.buttons["fileReady"].setEnabled(bool(self.ready))
        self.buttons["newBox"].setEnabled(bool(picked))
        self.buttons["renumber"].setEnabled(bool(picked))
        self.buttons["putIn"].setEnabled(bool(picked) and len(open_boxes) == 1 == len(boxes))
        self.buttons["seal"].setEnabled(len(open_boxes) == 1 == len(boxes))
        self.buttons["catalog"].setEnabled(bool(self.pieces))
        for k in ("spines", "cover", "note", "overprint"):
            self.buttons[k].setEnabled(bool(self.boxes))
        self.buttons["volume"].setEnabled(len(boxes) == 1 and bool(boxes[0]["count"]))

    # -- actions ---------------------------------------------------------------------

    def _refused(self, title: str, e: UserError) -> None:
        self._say(str(e))
        QMessageBox.warning(self, title, str(e))

    def file_ready(self) -> list[dict]:
        """一键归档: file every ready record of the year (all or none)."""
        try:
            filed = archive.file_ready(self.db, self.year.value())
        except UserError as e:
            self._refused("无法归档", e)
            return []
        signals.notify(signals.ARCHIVE)
        if filed:
            self._say(
                f"已归档 {len(filed)} 件，档号 {filed[0]['archive_no']} 至 {filed[-1]['archive_no']}。"
            )
        else:
            self._say("没有待归档的记录（事项需到“建档”环节，申请和投诉需已办结）。")
        return filed

    def renumber(self, confirm: bool = True) -> bool:
        picked = self.selected_pieces()
        if not picked:
            return False
        p = picked[0]
        org = f" {p['org_code']}" if p["org_code"] else ""
        what = f"{p['year']}年{p['retention']}{org}"
        if (
            confirm
            and QMessageBox.question(
                self, "重新编号", f"按日期重新给{what}的全部归档件编件号？\n旧件号不会再使用。"
            )
            != QMessageBox.StandardButton.Yes
        ):
            return False
        try:
            archive.renumber(self.db, p["year"], p["retention"], p["org_code"])
        except UserError as e:
            self._refused("无法重新编号", e)
            return False
        signals.notify(signals.ARCHIVE)
        self._say(f"已重新编号：{what}。")
        return True

    def edit_settings(self) -> ArchiveSettingsDialog:
        dlg = ArchiveSettingsDialog(self.db, self)
        dlg.setModal(True)
        dlg.show()
        return dlg

    def new_box(self) -> dict | None:
        """A box for the selected pieces' year/retention/机构, with the pieces put in."""
        picked = self.selected_pieces()
        if not picked:
            return None
        p = picked[0]
        try:
            b = archive.create_box(self.db, p["year"], p["retention"], p["org_code"],
                                   spine_mm=self.spine.currentData())  # fmt: skip
            b = archive.put_in_box(self.db, b["id"], [x["id"] for x in picked])
        except UserError as e:
            signals.notify(signals.ARCHIVE)  # the box may exist, empty
            self._refused("无法装盒", e)
            return None
        signals.notify(signals.ARCHIVE)
        self._say(f"已新建第 {b['box_no']} 号盒，装入 {b['count']} 件。")
        return b

    def put_in(self) -> dict | None:
        picked, boxes = self.selected_pieces(), self.selected_boxes()
        if not picked or len(boxes) != 1:
            return None
        try:
            b = archive.put_in_box(self.db, boxes[0]["id"], [x["id"] for x in picked])
        except UserError as e:
            self._refused("无法装盒", e)  # core names the conflict (年度/保管期限/机构)
            return None
        signals.notify(signals.ARCHIVE)
        self._say(f"已装入第 {b['box_no']} 号盒，盒内共 {b['count']} 件。")
        return b

    def seal(self) -> SealDialog | None:
        boxes = self.selected_boxes()
        if len(boxes) != 1:
            return None
        dlg = SealDialog(self.db, boxes[0], self, today=self.fixed_today)
        dlg.setModal(True)
        dlg.show()
        return dlg

    def print_pdf(self, kind: str, out_path=None):
        """Print *kind* (catalog/spines/cover/note/volume) off the GUI thread and open it."""
        year = self.year.value()
        picked = self.selected_boxes() or ([] if kind == "volume" else self.boxes)
        self.job = (
            archive_jobs.print_pdf(
                self,
                self.db,
                kind,
                year=year,
                box_ids=[b["id"] for b in picked],
                out_path=out_path,
                say=self._say,
                disable=[self.buttons[kind]],
            )  # fmt: skip
            or self.job
        )
        return self.job

    # -- 套打 (issue 7 §3) -----------------------------------------------------------

    def _add_overprint_button(self) -> None:
        """套打 next to the print buttons: values only, onto pre-printed covers/spines/备考表."""
        btn = QPushButton("套打", self, objectName="overprintButton")
        btn.setToolTip("只打印填写内容，套在已印好表格的盒封面、盒脊或备考表上；"
                       "按“工具 → 打印与字体设置”中保存的打印机偏移")  # fmt: skip
        menu = QMenu(btn)
        for form, label in (("box_cover", "盒封面"), ("spine", "盒脊"), ("note_sheet", "备考表")):
            menu.addAction(label, lambda f=form: self.overprint(f, printer=self._ask_printer()))
        btn.setMenu(menu)
        row = self.ui.findChild(QHBoxLayout, "topRow")
        row.insertWidget(row.indexOf(self.buttons["volume"]) + 1, btn)
        self.buttons["overprint"] = btn

    def _ask_printer(self) -> str | None:
        """The printer whose offset to use; asked only when several have one saved."""
        names = list(print_settings.offsets(self.db))
        if len(names) <= 1:
            return names[0] if names else None
        name, ok = QInputDialog.getItem(self, "套打", "使用哪台打印机的偏移？", names, 0, False)
        return name if ok else None

    def overprint(self, form: str, printer: str | None = None, out_path=None):
        """套打 *form* for the selected boxes (all of the year when none selected)."""
        picked = self.selected_boxes() or self.boxes
        self.job = archive_jobs.print_overprint(
            self, self.db, form, year=self.year.value(), box_ids=[b["id"] for b in picked],
            printer=printer, out_path=out_path, say=self._say,
            disable=[self.buttons["overprint"]],
        )  # fmt: skip
        return self.job
