"""自评打分 tab (RULES.md §7; the seed's 福建省政务公开评估考核表).

Pick the year and the table; the items are listed by 项目 with each group's subtotal and
maximum, then the bonus section and the total. Per item: the score (0..max in steps of
0.5), the suggestion from the records with 采纳, the deduction note and the evidence count.
Clicking a score, subtotal or the total shows how it was reached (core/assessment_totals).
The evidence of the selected item is listed on the right (link records, attach files by
dialog or drag-and-drop, open, remove). All numbers and rules live in core/.
"""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..core import assessment, assessment_template
from ..core.errors import UserError
from . import assessment_actions as actions
from . import signals
from .form_tab import FormTab

YEARS_BACK = 4
NONE = -0.5  # the spin box's "未评" value: no score set yet
C_NO, C_TEXT, C_MAX, C_SCORE, C_SUGGEST, C_ACCEPT, C_NOTE, C_EVIDENCE = range(8)
ROLE = Qt.ItemDataRole.UserRole  # ("item", no) / ("group", name) / ("bonus",) / ("total",)
GROUP_BG, TOTAL_BG = QColor("#eef3f8"), QColor("#fff4e0")
# records the suggestions are read from: a change there redraws the suggestions
WATCHED = (signals.ASSESSMENT, signals.ITEMS, signals.APPLICATIONS, signals.COMPLAINTS,
           signals.SUPERVISION, signals.ORGANISATION, signals.ANNUAL_REPORT, signals.PROFILE)  # fmt: skip


def field(obj, key: str, default=None):
    """Read *key* from a dict or an object (template parts may be either)."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


class AssessmentTab(FormTab):
    """``message`` carries status-bar text; ``assessment_id`` the one shown; ``spins`` and
    ``accept_buttons`` per item number; ``job`` the last export."""

    FORM = "assessment_tab"

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(db, parent, today=today)
        w = self._w
        self.year_combo: QComboBox = w(QComboBox, "yearCombo")
        self.template_combo: QComboBox = w(QComboBox, "templateCombo")
        self.inspection: QDateEdit = w(QDateEdit, "inspectionDate")
        self.countdown: QLabel = w(QLabel, "countdownLabel")
        self.error: QLabel = w(QLabel, "errorLabel")
        self.tree: QTreeWidget = w(QTreeWidget, "scoreTree")
        self.total_label: QLabel = w(QLabel, "totalLabel")
        self.explain: QPlainTextEdit = w(QPlainTextEdit, "explainText")
        self.evidence_title: QLabel = w(QLabel, "evidenceTitle")
        self.evidence_list: QListWidget = w(QListWidget, "evidenceList")
        names = ("import", "exportXlsx", "exportPdf", "binder", "link", "attach", "open", "remove")
        self.buttons = {n: w(QPushButton, f"{n}Button") for n in names}
        splitter: QSplitter = w(QSplitter, "splitter")
        splitter.setStretchFactor(0, 3)
        splitter.setSizes([1100, 300])
        self._size_columns()
        self.error.hide()
        self.assessment_id: int | None = None
        self.template = None
        self.spins: dict[int, QDoubleSpinBox] = {}
        self.accept_buttons: dict[int, QPushButton] = {}
        self.rows: dict[object, QTreeWidgetItem] = {}
        self.summary: dict = {}
        self.totals = None
        self.current_item: int | None = None
        self.job = None
        self.last_message = ""
        self.import_error = ""  # the last rejected 导入评估表, as shown
        self._disposed = False
        self._drawing = False
        for y in range(self.today.year, self.today.year - YEARS_BACK, -1):
            self.year_combo.addItem(f"{y}年", y)
        self._fill_templates()
        self.inspection.setMinimumDate(QDate(2000, 1, 1))
        self.setAcceptDrops(True)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.template_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.inspection.dateChanged.connect(lambda _d: self._inspection_changed())
        self.tree.itemChanged.connect(self._note_edited)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._selected(cur))
        self.tree.itemClicked.connect(lambda it, col: self._clicked(it, col))
        b = self.buttons
        b["import"].clicked.connect(lambda: self.import_template())
        b["exportXlsx"].clicked.connect(lambda: self.export("xlsx"))
        b["exportPdf"].clicked.connect(lambda: self.export("pdf"))
        b["binder"].clicked.connect(lambda: self.export("binder"))
        b["link"].clicked.connect(lambda: self.link_records())
        b["attach"].clicked.connect(lambda: self.attach_files())
        b["open"].clicked.connect(lambda: actions.open_evidence(self, self.db, self._evidence()))
        b["remove"].clicked.connect(lambda: self.remove_evidence())
        self.evidence_list.itemDoubleClicked.connect(
            lambda _it: actions.open_evidence(self, self.db, self._evidence())
        )
        signals.changes().changed.connect(self._on_changed)
        self.reload()

    def dispose(self) -> None:
        if not self._disposed:
            self._disposed = True
            signals.changes().changed.disconnect(self._on_changed)

    @property
    def year(self) -> int:
        return self.year_combo.currentData() or self.today.year

    @property
    def template_id(self) -> str:
        return self.template_combo.currentData() or "fujian"

    def set_year(self, year: int) -> None:
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(year), 0))

    def _fill_templates(self, select: str | None = None) -> None:
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        for t in assessment_template.templates(self.db):
            self.template_combo.addItem(field(t, "name"), field(t, "id"))
        at = self.template_combo.findData(select or "fujian")
        self.template_combo.setCurrentIndex(max(at, 0))
        self.template_combo.blockSignals(False)

    # -- drawing -----------------------------------------------------------------------

    def reload(self) -> None:
        try:
            self.assessment_id = assessment.open_assessment(self.db, self.year, self.template_id)
            self.template = actions.template_of(self.db, self.template_id)
            self.summary = assessment.summary(
                self.db, self.year, self.template_id, today=self.fixed_today
            )
            stored = assessment.scores(self.db, self.assessment_id)
        except UserError as e:
            self.show_error(str(e))
            return
        self.show_error("")
        counts: dict[int, int] = {}
        for ev in assessment.evidence(self.db, self.assessment_id):
            counts[ev["item_no"]] = counts.get(ev["item_no"], 0) + 1
        self._drawing = True
        try:
            self._draw(stored, counts)
        finally:
            self._drawing = False
        self._show_inspection()
        self._selected(self.tree.currentItem())

    def _draw(self, stored: dict, counts: dict[int, int]) -> None:
        keep = self.current_item
        self.tree.clear()
        self.spins.clear()
        self.accept_buttons.clear()
        self.rows.clear()
        suggested = {i["no"]: i for i in self.summary["items"]}
        for g in field(self.template, "groups"):
            name = field(g, "name")
            head = QTreeWidgetItem(self.tree, [name, "", str(field(g, "max"))])
            head.setData(0, ROLE, ("bonus",) if field(g, "bonus") else ("group", name))
            self._style(head, GROUP_BG)
            self.rows[("group", name)] = head
            for it in field(self.template, "items"):
                if field(it, "group") == name:
                    self._item_row(head, it, stored.get(field(it, "no")), suggested, counts)
            head.setExpanded(True)
        total = QTreeWidgetItem(self.tree, ["总分"])
        total.setData(0, ROLE, ("total",))
        self._style(total, TOTAL_BG)
        self.rows["total"] = total
        self._show_totals()
        if keep in self.rows:
            self.tree.setCurrentItem(self.rows[keep])

    def _item_row(self, head, it, row, suggested: dict, counts: dict[int, int]) -> None:
        no, top = field(it, "no"), float(field(it, "max"))
        row = row or {}
        s = suggested.get(no, {})
        hint = s.get("suggested")
        item = QTreeWidgetItem(head, [str(no), field(it, "text"), _num(top)])
        item.setData(0, ROLE, ("item", no))
        item.setToolTip(C_TEXT, field(it, "text"))
        item.setText(C_SUGGEST, "—" if hint is None else _num(hint))
        item.setToolTip(C_SUGGEST, s.get("reason") or "记录中没有可据以建议的数据")
        item.setText(C_NOTE, row.get("note") or "")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        n = counts.get(no, 0)
        item.setText(C_EVIDENCE, f"{n} 件" if n else "")
        self.rows[no] = item
        spin = QDoubleSpinBox()
        spin.setRange(NONE, top)
        spin.setSingleStep(0.5)
        spin.setDecimals(1)
        spin.setSpecialValueText("未评")
        score = row.get("score")
        spin.setValue(NONE if score is None else float(score))
        spin.valueChanged.connect(lambda _v, no=no: self._score_edited(no))
        self.tree.setItemWidget(item, C_SCORE, spin)
        self.spins[no] = spin
        if hint is not None:
            button = QPushButton("采纳")
            button.setToolTip(f"把建议的 {_num(hint)} 分记为自评得分")
            button.setEnabled(
                score is None or float(score) != float(hint) or not row.get("accepted")
            )
            button.clicked.connect(lambda _c=False, no=no: self.accept(no))
            self.tree.setItemWidget(item, C_ACCEPT, button)
            self.accept_buttons[no] = button
        if row.get("accepted"):
            item.setText(C_NO, f"{no} ✔")

    def _size_columns(self) -> None:
        """The item's wording takes the room; numbers and buttons stay compact."""
        h = self.tree.header()
        fm = h.fontMetrics()
        for col, sample in ((C_NO, "公开程序（28）"), (C_MAX, "分值"), (C_SCORE, "10.0 / 10.0"),
                            (C_SUGGEST, "建议"), (C_ACCEPT, "采纳"), (C_NOTE, "说明（扣分原因）"),
                            (C_EVIDENCE, "佐证")):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(col, fm.horizontalAdvance(sample) + 24)
        h.setStretchLastSection(False)
        h.setSectionResizeMode(C_TEXT, QHeaderView.ResizeMode.Stretch)

    def _style(self, row: QTreeWidgetItem, bg: QColor) -> None:
        bold = QFont()
        bold.setBold(True)
        for c in range(self.tree.columnCount()):
            row.setBackground(c, QBrush(bg))
            row.setFont(c, bold)
        row.setFirstColumnSpanned(False)

    def _show_totals(self) -> None:
        """Subtotals and total from core (assessment_totals) on the scores as stored."""
        self.totals = assessment.assessment_totals(self.db, self.assessment_id)
        t = self.totals
        for g in t.groups:
            row = self.rows.get(("group", g.name))
            if row is not None:
                row.setText(C_SCORE, f"{_num(g.score)} / {_num(g.max)}")
        bonus = next((r for r in self.rows.values() if r.data(0, ROLE) == ("bonus",)), None)
        if bonus is not None:
            bonus.setText(C_SCORE, f"{_num(t.bonus_counted)}（计入）")
            bonus.setToolTip(
                C_SCORE, f"加分项合计 {_num(t.bonus_raw)}，计入 {_num(t.bonus_counted)}"
            )
        self.rows["total"].setText(C_SCORE, _num(t.total))
        self.rows["total"].setText(C_TEXT, f"基础分 {_num(t.base)} + 加分 {_num(t.bonus_counted)}")
        self.total_label.setText(
            f"总分 {_num(t.total)}（基础分 {_num(t.base)} + 加分 {_num(t.bonus_counted)}）"
        )

    def explanation(self, key) -> str:
        """How the number on row *key* was reached: an item, a group name, 'bonus', 'total'."""
        t = self.totals
        if key == "total":
            return t.explain()
        if key == "bonus":
            return f"加分项目：{t.bonus_explain}"
        for g in t.groups:
            if key == g.name:
                return f"{g.name}：{g.explain}"
        s = next((i for i in self.summary["items"] if i["no"] == key), None)
        if s is None:
            return ""
        spin = self.spins[key]
        own = "未评" if spin.value() == NONE else _num(spin.value())
        note = self.rows[key].text(C_NOTE)
        hint = "—" if s.get("suggested") is None else _num(s["suggested"])
        return (
            f"第{key}项（分值 {_num(s['max'])}）：自评得分 {own}"
            + (f"，说明：{note}" if note else "")
            + f"\n建议 {hint} 分：{s.get('reason') or '记录中没有可据以建议的数据'}"
        )

    def _clicked(self, row: QTreeWidgetItem, _col: int) -> None:
        role = row.data(0, ROLE) or ()
        key = {"item": lambda: role[1], "group": lambda: role[1]}.get(role[0] if role else "")
        key = key() if key else ("bonus" if role == ("bonus",) else "total")
        self.explain.setPlainText(self.explanation(key))

    def _show_inspection(self) -> None:
        d = actions.inspection_date(self.db, self.assessment_id)
        self.inspection.blockSignals(True)
        self.inspection.setDate(
            QDate(d.year, d.month, d.day) if d else self.inspection.minimumDate()
        )
        self.inspection.blockSignals(False)
        if d is None:
            self.countdown.setText("")
            return
        left = (d - self.today).days
        text = f"距迎检还有 {left} 天" if left > 0 else ("今天迎检" if left == 0 else "已迎检")
        self.countdown.setText(text)
        self.countdown.setStyleSheet(f"color: {'#c62828' if 0 <= left <= 14 else '#4d5660'};")

    # -- edits -------------------------------------------------------------------------

    def _score_edited(self, no: int) -> None:
        """An override: the clerk's own score, with the note shown on the row."""
        if self._drawing:
            return
        v = self.spins[no].value()
        self._write(lambda: assessment.set_score(
            self.db, self.assessment_id, no, None if v == NONE else v,
            note=self.rows[no].text(C_NOTE), accepted=False))  # fmt: skip

    def _note_edited(self, row: QTreeWidgetItem, col: int) -> None:
        role = row.data(0, ROLE) or ()
        if self._drawing or col != C_NOTE or not role or role[0] != "item":
            return
        self._score_edited(role[1])

    def set_note(self, no: int, note: str) -> None:
        self.rows[no].setText(C_NOTE, note)  # itemChanged saves it

    def accept(self, no: int) -> bool:
        """采纳: the suggested score becomes the clerk's."""
        return self._write(lambda: assessment.accept_suggestion(
            self.db, self.assessment_id, no, today=self.fixed_today))  # fmt: skip

    def _write(self, fn) -> bool:
        try:
            fn()
        except UserError as e:
            self.show_error(str(e))
            self.reload()
            return False
        self.show_error("")
        signals.notify(signals.ASSESSMENT)
        return True

    def _inspection_changed(self) -> None:
        q = self.inspection.date()
        d = None if q == self.inspection.minimumDate() else date(q.year(), q.month(), q.day())
        self._write(lambda: assessment.set_inspection_date(self.db, self.assessment_id, d))

    def _on_changed(self, kind: str) -> None:
        if kind in WATCHED:
            self.reload()

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- evidence ----------------------------------------------------------------------

    def _selected(self, row: QTreeWidgetItem | None) -> None:
        role = (row.data(0, ROLE) if row is not None else None) or ()
        self.current_item = role[1] if role and role[0] == "item" else None
        has = self.current_item is not None
        for n in ("link", "attach", "open", "remove"):
            self.buttons[n].setEnabled(has)
        self.evidence_list.clear()
        if not has:
            self.evidence_title.setText("佐证材料（先在左侧选一项）")
            return
        self.evidence_title.setText(f"第{self.current_item}项的佐证材料")
        actions.fill_evidence(self.evidence_list, self.db, self.assessment_id, self.current_item)

    def select_item(self, no: int) -> None:
        self.tree.setCurrentItem(self.rows[no])

    def _evidence(self) -> dict | None:
        it = self.evidence_list.currentItem()
        return it.data(ROLE) if it is not None else None

    def attach_files(self, paths=None) -> int:
        """附加文件: PDFs or images, from a dialog or dropped; the number attached."""
        if self.current_item is None:
            return 0
        n = actions.attach_files(self, self.db, self.assessment_id, self.current_item, paths)
        if n:
            signals.notify(signals.ASSESSMENT)
            self._say(f"已为第{self.current_item}项附加 {n} 个文件。")
        return n

    def link_records(self):
        if self.current_item is None:
            return None
        return actions.open_link_dialog(
            self, self.db, self.assessment_id, self.current_item, self.fixed_today
        )

    def remove_evidence(self, confirm: bool = True) -> bool:
        if actions.remove_evidence(self, self.db, self._evidence(), confirm=confirm):
            signals.notify(signals.ASSESSMENT)
            return True
        return False

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and self.current_item is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.attach_files(paths)
            event.acceptProposedAction()

    # -- import and exports --------------------------------------------------------------

    def import_template(self, path=None) -> str | None:
        tid = actions.import_template(self, self.db, path)
        if tid:
            self._fill_templates(select=tid)
            self.reload()
            self._say("已导入评估表。")
        return tid

    def export(self, kind: str, out_path=None):
        """导出 xlsx / pdf / 迎检材料汇编 off the GUI thread."""
        keys = {"xlsx": "exportXlsx", "pdf": "exportPdf", "binder": "binder"}
        self.job = actions.export(
            self, self.db, self.year, self.template_id, kind, out_path=out_path,
            say=self._say, disable=[self.buttons[keys[kind]]],
        ) or self.job  # fmt: skip
        return self.job


def _num(v) -> str:
    if v is None:
        return "—"
    v = float(v)
    return str(int(v)) if v == int(v) else f"{v:g}"
