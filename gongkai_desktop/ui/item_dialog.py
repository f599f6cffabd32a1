"""登记事项表单: create or edit one registry item, with its deadline shown live."""

from __future__ import annotations

import json
from datetime import date

import sqlite_utils
from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import catalog, items
from ..core.calendar import WorkCalendar
from ..core.db import transaction
from ..core.deadlines import display_term, publish_deadline, publish_status
from ..core.errors import UserError, ValidationError
from ..core.item_defaults import last_item_defaults
from . import signals
from .forms import embed_form

NO_END_DATE = QDate(2000, 1, 1)  # endDateEdit's minimum shows “不设”


def _qdate(d: date | str) -> QDate:
    d = date.fromisoformat(d) if isinstance(d, str) else d
    return QDate(d.year, d.month, d.day)


class ItemDialog(QDialog):
    """New item when ``item_id`` is None, else edit that item. ``saved(id, title)``."""

    saved = Signal(int, str)

    def __init__(
        self,
        db: sqlite_utils.Database,
        item_id: int | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.item_id = db, item_id
        self.today = today or date.today()
        self.saved_id: int | None = None
        self.cal = WorkCalendar.from_db(db)
        self.ui = embed_form("item_dialog", self, "修改事项" if item_id else "新增事项")
        f = self.ui.findChild
        self.index_no: QLineEdit = f(QLineEdit, "indexNoEdit")
        self.title: QLineEdit = f(QLineEdit, "titleEdit")
        self.doc_no: QLineEdit = f(QLineEdit, "docNoEdit")
        self.issuer: QLineEdit = f(QLineEdit, "issuerEdit")
        self.formed: QDateEdit = f(QDateEdit, "formedDateEdit")
        self.category: QComboBox = f(QComboBox, "categoryCombo")
        self.channels: QListWidget = f(QListWidget, "channelList")
        self.url: QLineEdit = f(QLineEdit, "urlEdit")
        self.scope: QComboBox = f(QComboBox, "scopeCombo")
        self.validity: QComboBox = f(QComboBox, "validityCombo")
        self.keywords: QLineEdit = f(QLineEdit, "keywordsEdit")
        self.timing: QComboBox = f(QComboBox, "timingCombo")
        self.long_term: QCheckBox = f(QCheckBox, "longTermCheck")
        self.end_date: QDateEdit = f(QDateEdit, "endDateEdit")
        self.deadline_label: QLabel = f(QLabel, "deadlineLabel")
        self.explain: QPlainTextEdit = f(QPlainTextEdit, "explainText")
        self.major: QCheckBox = f(QCheckBox, "majorDecisionCheck")
        self.stage_table: QTableWidget = f(QTableWidget, "decisionTable")
        self.stage_combo: QComboBox = f(QComboBox, "stageCombo")
        self.stage_date: QDateEdit = f(QDateEdit, "stageDateEdit")
        self.stage_content: QLineEdit = f(QLineEdit, "stageContentEdit")
        self.stage_opinions: QLineEdit = f(QLineEdit, "stageOpinionsEdit")
        self.add_stage_button: QPushButton = f(QPushButton, "addStageButton")
        self.error: QLabel = f(QLabel, "errorLabel")
        self.buttons: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        self._pending: list[dict] = []  # decision stages written on save
        self._setup()
        self._load()
        self.attachments = None
        if item_id is not None:  # 附件 (issue 7 §1): a saved item only
            from .attachments_panel import AttachmentsPanel

            self.attachments = AttachmentsPanel(db, "items", item_id)
            self.attachments.setMaximumHeight(170)
            lay = self.ui.layout()
            lay.insertWidget(lay.indexOf(self.error), self.attachments)

    # -- setup ---------------------------------------------------------------------

    def _setup(self) -> None:
        for c in catalog.categories(self.db):
            self.category.addItem(c.name, c.code)
            self.category.setItemData(
                self.category.count() - 1, c.description, Qt.ItemDataRole.ToolTipRole
            )
        names = catalog.channels(self.db)
        for name in names:
            it = QListWidgetItem(name, self.channels)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Unchecked)
        fm = self.channels.fontMetrics()  # a grid wide enough for the longest name
        widest = max((fm.horizontalAdvance(n) for n in names), default=60)
        self.channels.setGridSize(QSize(widest + 34, fm.height() + 10))
        self.scope.addItems(items.SCOPES)
        self.validity.addItems(items.VALIDITIES)
        self.timing.addItems(items.TIMING_TYPES)
        self.stage_combo.addItems(items.DECISION_STAGES)
        today = _qdate(self.today)
        for d in (self.formed, self.stage_date):
            d.setMaximumDate(today)
            d.setDate(today)
        self.end_date.setMinimumDate(NO_END_DATE)
        self.end_date.setDate(NO_END_DATE)
        head = self.stage_table.horizontalHeader()
        for i, w in enumerate((56, 92)):
            self.stage_table.setColumnWidth(i, w)
        for i in (2, 3):
            head.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("保存")
        save.setToolTip("保存（Ctrl+S）")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        for b in self.ui.findChildren(QPushButton):  # Enter must not save half a form
            b.setAutoDefault(False)
            b.setDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.formed.dateChanged.connect(self._update_deadline)
        self.long_term.toggled.connect(self._update_term)
        self.major.toggled.connect(self._update_decision)
        self.add_stage_button.clicked.connect(self._add_stage)

    def _load(self) -> None:
        if self.item_id is None:
            d = last_item_defaults(self.db)
            self.doc_no.setText(d["doc_no"])
            self._doc_prefix = d["doc_no"]
            self.issuer.setText(d["issuer"])
            self.category.setCurrentIndex(self.category.findData(d["category"]))
            self.timing.setCurrentText(items.TIMING_TYPES[2])
        else:
            self._doc_prefix = ""
            it = items.get(self.db, self.item_id)
            if it is None:
                raise UserError("该事项已被删除。")
            self.item = it
            self.index_no.setText(it["index_no"])
            self.title.setText(it["title"])
            self.doc_no.setText(it["doc_no"])
            self.issuer.setText(it["issuer"])
            self.formed.setDate(_qdate(it["formed_date"]))
            self.category.setCurrentIndex(self.category.findData(it["category"]))
            chosen = set(json.loads(it["channels"] or "[]"))
            for i in range(self.channels.count()):
                ch = self.channels.item(i)
                if ch.text() in chosen:
                    ch.setCheckState(Qt.CheckState.Checked)
            self.url.setText(it["url"])
            self.scope.setCurrentText(it["scope"])
            self.validity.setCurrentText(it["validity"])
            self.keywords.setText(it["keywords"])
            self.timing.setCurrentText(it["timing_type"])
            self.long_term.setChecked(bool(it["long_term"]))
            if it["end_date"]:
                self.end_date.setDate(_qdate(it["end_date"]))
            self.major.setChecked(bool(it["major_decision"]))
            for st in items.decision_stages(self.db, self.item_id):
                self._append_stage_row(st, saved=True)
        self._update_term()
        self._update_decision()
        self._update_deadline()
        self.title.setFocus()

    # -- live parts ----------------------------------------------------------------

    def _update_deadline(self) -> None:
        formed = self.formed.date().toPython()
        d = publish_deadline(formed, self.cal)
        head = f"公开期限：{d.due.isoformat()}" + ("（推算）" if d.provisional else "")
        text = d.explain()
        published = getattr(self, "item", {}).get("published_date") if self.item_id else None
        if published:
            st = publish_status(formed, date.fromisoformat(published), self.today, self.cal)
            head += f"　已于 {published} 公开（{st.state}）"
            term = display_term(date.fromisoformat(published), self.long_term.isChecked(),
                                self.end_date.date().toPython() if self.end_date.isEnabled()
                                and self.item.get("end_date") else None, self.cal)
            text += f"\n持续公开（考核表第27项，不少于15日）：{term}"
        self.deadline_label.setText(head)
        self.explain.setPlainText(text)

    def _update_term(self) -> None:
        self.end_date.setEnabled(not self.long_term.isChecked())

    def _update_decision(self) -> None:
        on = self.major.isChecked()
        for w in (
            self.stage_table,
            self.stage_combo,
            self.stage_date,
            self.stage_content,
            self.stage_opinions,
            self.add_stage_button,
        ):
            w.setEnabled(on)

    def _append_stage_row(self, st: dict, saved: bool) -> None:
        r = self.stage_table.rowCount()
        self.stage_table.insertRow(r)
        stage = st["stage"] + ("" if saved else "（待保存）")
        for c, text in enumerate((stage, st["on_date"], st["content"], st["opinions"])):
            cell = QTableWidgetItem(text)
            cell.setToolTip(text)
            self.stage_table.setItem(r, c, cell)

    def _add_stage(self) -> None:
        content = self.stage_content.text().strip()
        if not content:
            self.show_error("请填写这一阶段公开的内容。", self.stage_content)
            return
        st = {
            "stage": self.stage_combo.currentText(),
            "on_date": self.stage_date.date().toPython().isoformat(),
            "content": content,
            "opinions": self.stage_opinions.text().strip(),
        }
        self._pending.append(st)
        self._append_stage_row(st, saved=False)
        self.stage_content.clear()
        self.stage_opinions.clear()
        self.error.clear()

    # -- saving ----------------------------------------------------------------------

    def data(self) -> dict:
        """The form as items.create/update input."""
        doc_no = self.doc_no.text().strip()
        if self._doc_prefix and doc_no == self._doc_prefix.strip():
            doc_no = ""  # only the prefilled 机关代字: no 文号 yet
        end = self.end_date.date()
        return {
            "title": self.title.text().strip(),
            "doc_no": doc_no,
            "issuer": self.issuer.text().strip(),
            "formed_date": self.formed.date().toPython(),
            "category": self.category.currentData() or "",
            "channels": [
                self.channels.item(i).text()
                for i in range(self.channels.count())
                if self.channels.item(i).checkState() == Qt.CheckState.Checked
            ],
            "url": self.url.text().strip(),
            "scope": self.scope.currentText(),
            "validity": self.validity.currentText(),
            "keywords": self.keywords.text().strip(),
            "timing_type": self.timing.currentText(),
            "major_decision": self.major.isChecked(),
            "long_term": self.long_term.isChecked(),
            "end_date": None
            if self.long_term.isChecked() or end == NO_END_DATE
            else end.toPython(),
        }

    def show_error(self, message: str, widget: QWidget | None = None) -> None:
        self.error.setText(message)
        if widget is not None:
            widget.setFocus()

    def _field_for(self, message: str) -> QWidget | None:
        fields = {
            "信息名称": self.title,
            "生成日期": self.formed,
            "主题分类": self.category,
            "公开方式": self.channels,
            "公开范围": self.scope,
            "有效性": self.validity,
            "公开时限类型": self.timing,
            "公开截止日期": self.end_date,
        }
        return next((w for label, w in fields.items() if label in message), None)

    def save(self) -> bool:
        """Validate, warn about duplicates, write. Stays open on any problem."""
        data = self.data()
        if not data["category"]:
            self.show_error("请选择“主题分类”。", self.category)
            return False
        try:
            items.normalize(self.db, data, self.today)
        except ValidationError as e:
            self.show_error(str(e), self._field_for(str(e)))
            return False
        dups = items.likely_duplicates(self.db, data, exclude_id=self.item_id)
        if dups and not self._confirm_duplicates(dups):
            return False
        try:
            with transaction(self.db):
                if self.item_id is None:
                    item_id = items.create(self.db, data, cal=self.cal, today=self.today)
                else:
                    item_id = self.item_id
                    items.update(self.db, item_id, data, cal=self.cal, today=self.today)
                for st in self._pending:
                    items.add_decision_stage(
                        self.db, item_id, st["stage"], st["on_date"], st["content"], st["opinions"]
                    )
        except UserError as e:
            self.show_error(str(e), self._field_for(str(e)))
            return False
        self.saved_id = item_id
        self._pending.clear()
        self.saved.emit(item_id, data["title"])
        signals.notify(signals.ITEMS)
        self.accept()
        return True

    def _confirm_duplicates(self, dups: list[dict]) -> bool:
        lines = "\n".join(f"· {d['index_no']}　{d['title']}（{d['reason']}）" for d in dups[:5])
        more = f"\n……另有 {len(dups) - 5} 条" if len(dups) > 5 else ""
        answer = QMessageBox.question(
            self,
            "可能重复",
            f"可能重复：\n{lines}{more}\n\n仍要保存吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def open_item_form(
    parent: QWidget | None, db: sqlite_utils.Database, item_id: int | None = None
) -> int | None:
    """Modal form; returns the saved item's id, or None if cancelled."""
    dlg = ItemDialog(db, item_id, parent)
    return dlg.saved_id if dlg.exec() == QDialog.DialogCode.Accepted else None
