"""规章制度 register (实施方案三（二）, 考核表第4项), 经费 per year (考核表第38项) and
表彰与推广 (考核表第39–45项): three small pages of the 机构与会议 tab."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core import unit_records
from ..core.errors import UserError
from . import signals
from .form_tab import FormTab
from .org_dialogs import FormDialog
from .rectifications_view import pydate, qdate


def fill_table(table: QTableWidget, rows: list[dict], keys: tuple[str, ...], id_key: str,
               stretch: tuple[str, ...]) -> None:  # fmt: skip
    """Rows into a read-only table; each cell keeps the row's id; long columns stretch."""
    keep = table.selectedItems()
    keep_id = keep[0].data(Qt.ItemDataRole.UserRole) if keep else None
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, key in enumerate(keys):
            value = row.get(key)
            it = QTableWidgetItem("" if value is None else str(value).replace("\n", " "))
            it.setData(Qt.ItemDataRole.UserRole, row[id_key])
            if key in stretch and value:
                it.setToolTip(str(value))
            table.setItem(r, c, it)
        if keep_id is not None and row[id_key] == keep_id:
            table.selectRow(r)
    h = table.horizontalHeader()
    for c, key in enumerate(keys):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if key in stretch
            else QHeaderView.ResizeMode.ResizeToContents
        )
        h.setSectionResizeMode(c, mode)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)


def selected_id(table: QTableWidget):
    items = table.selectedItems()
    return items[0].data(Qt.ItemDataRole.UserRole) if items else None


class _Section(FormTab):
    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None, today: date | None):
        super().__init__(db, parent, today=today)
        self.dialog: FormDialog | None = None

    f = FormTab._w

    def _open(self, dlg: FormDialog) -> FormDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.close()
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _r, d=dlg: self._closed(d))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _closed(self, dlg: FormDialog) -> None:
        if dlg.record_id is not None:
            self.message.emit(f"已{dlg.windowTitle()}。")
        if self.dialog is dlg:
            self.dialog = None

    def dispose(self) -> None:
        if self.dialog is not None:
            self.dialog.close()

    def on_changed(self, kind: str) -> None:
        if kind == signals.ORGANISATION:
            self.reload()

    def reload(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


# -- 规章制度 ----------------------------------------------------------------------------------


class RuleDialog(FormDialog):
    """登记 / 修改规章制度: title, 文号, date issued, status, and where the file is."""

    FORM = "rule_dialog"

    def __init__(self, db, parent=None, *, rule: dict | None = None, today=None) -> None:
        super().__init__(db, parent, today)
        self.rule = rule
        self.title: QLineEdit = self.f(QLineEdit, "titleEdit")
        self.doc_no: QLineEdit = self.f(QLineEdit, "docNoEdit")
        self.issued: QDateEdit = self.f(QDateEdit, "issuedDate")
        self.status: QComboBox = self.f(QComboBox, "statusCombo")
        self.file: QLineEdit = self.f(QLineEdit, "fileEdit")
        self.status.addItems(unit_records.RULE_STATUSES)
        self.f(QPushButton, "browseButton").clicked.connect(self.browse)
        if rule is not None:
            self.setWindowTitle("修改规章制度")
            self.title.setText(rule["title"])
            self.doc_no.setText(rule["doc_no"])
            self.issued.setDate(qdate(date.fromisoformat(rule["issued_date"])))
            self.status.setCurrentText(rule["status"])
            self.file.setText(rule["file_name"])

    def browse(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, "选择制度文件", self.file.text())
        if name:
            self.file.setText(name)

    def save(self) -> bool:
        data = {
            "title": self.title.text().strip(),
            "doc_no": self.doc_no.text().strip(),
            "issued_date": pydate(self.issued.date()),
            "status": self.status.currentText(),
            "file_name": self.file.text().strip(),
        }
        if self.rule is not None:
            rid = self.record_id = self.rule["id"]
            return self._save(
                lambda: unit_records.update_rule(self.db, rid, data, today=self.today)
            )
        return self._save(lambda: unit_records.add_rule(self.db, **data, today=self.today))


class RulesSection(_Section):
    FORM = "rules_section"
    KEYS = ("title", "doc_no", "issued_date", "status", "file_name")

    def __init__(self, db, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.table: QTableWidget = self.f(QTableWidget, "rulesTable")
        self.buttons = {
            n: self.f(QPushButton, f"{n}Button") for n in ("add", "edit", "open", "delete")
        }
        self.rows: list[dict] = []
        self.buttons["add"].clicked.connect(
            lambda: self._open(RuleDialog(self.db, self, today=self.fixed_today))
        )
        self.buttons["edit"].clicked.connect(self.edit_selected)
        self.buttons["open"].clicked.connect(self.open_file)
        self.buttons["delete"].clicked.connect(lambda: self.delete_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.reload()

    def reload(self) -> None:
        self.rows = unit_records.list_rules(self.db)
        fill_table(self.table, self.rows, self.KEYS, "id", ("title", "file_name"))
        for r, row in enumerate(self.rows):
            if row["status"] != unit_records.RULE_STATUSES[0]:
                for c in range(len(self.KEYS)):
                    self.table.item(r, c).setForeground(QBrush(QColor("#8a9199")))
        self._update_buttons()

    def selected(self) -> dict | None:
        rid = selected_id(self.table)
        return next((r for r in self.rows if r["id"] == rid), None)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.buttons["edit"].setEnabled(row is not None)
        self.buttons["delete"].setEnabled(row is not None)
        self.buttons["open"].setEnabled(row is not None and bool(row["file_name"]))

    def edit_selected(self) -> RuleDialog | None:
        row = self.selected()
        return (
            self._open(RuleDialog(self.db, self, rule=row, today=self.fixed_today)) if row else None
        )

    def open_file(self) -> None:
        from .letters_dialog import open_url

        row = self.selected()
        if row is None or not row["file_name"]:
            return
        path = Path(row["file_name"])
        if not path.is_file():
            QMessageBox.information(
                self,
                "打开文件",
                f"找不到文件“{path}”，它可能已被移动或删除。请修改登记的文件位置。",
            )
            return
        open_url(QUrl.fromLocalFile(str(path)))

    def delete_selected(self, confirm: bool = True) -> bool:
        row = self.selected()
        if row is None:
            return False
        if (
            confirm
            and QMessageBox.question(
                self,
                "删除制度",
                f"确定删除“{row['title']}”的登记吗？制度废止的，请改为“已废止”而不是删除。",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return False
        unit_records.delete_rule(self.db, row["id"])
        signals.notify(signals.ORGANISATION)
        self.message.emit(f"已删除“{row['title']}”。")
        return True


# -- 经费 ------------------------------------------------------------------------------------


class BudgetSection(_Section):
    FORM = "budget_section"

    def __init__(self, db, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.year: QSpinBox = self.f(QSpinBox, "yearSpin")
        self.amount: QDoubleSpinBox = self.f(QDoubleSpinBox, "amountSpin")
        self.note: QLineEdit = self.f(QLineEdit, "noteEdit")
        self.error: QLabel = self.f(QLabel, "errorLabel")
        self.table: QTableWidget = self.f(QTableWidget, "budgetTable")
        self.year.setValue((today or date.today()).year)
        self.year.valueChanged.connect(lambda _v: self._show_year())
        self.f(QPushButton, "saveButton").clicked.connect(lambda: self.save())
        self.table.itemSelectionChanged.connect(self._pick)
        self.reload()

    def reload(self) -> None:
        rows = unit_records.budgets(self.db)
        for r in rows:
            r["amount_text"] = f"{r['amount']:.2f}"
        fill_table(self.table, rows, ("year", "amount_text", "note"), "year", ("note",))
        self._show_year()

    def _show_year(self) -> None:
        row = unit_records.budget(self.db, self.year.value())
        self.amount.setValue(row["amount"] if row else 0.0)
        self.note.setText(row["note"] if row else "")

    def _pick(self) -> None:
        year = selected_id(self.table)
        if year is not None:
            self.year.setValue(int(year))

    def save(self) -> bool:
        year, amount = self.year.value(), self.amount.value()
        try:
            unit_records.set_budget(self.db, year, amount, self.note.text().strip())
        except UserError as e:
            self.error.setText(str(e))
            return False
        self.error.clear()
        signals.notify(signals.ORGANISATION)
        self.message.emit(f"已保存 {year} 年政府信息公开工作经费 {amount:.2f} 万元。")
        return True


# -- 表彰与推广 ---------------------------------------------------------------------------------


class RecognitionDialog(FormDialog):
    """登记表彰与推广: date, kind (考核表第39–45项), issuer (level), title, document,
    evidence."""

    FORM = "recognition_dialog"

    def __init__(self, db, parent=None, *, today=None) -> None:
        super().__init__(db, parent, today)
        self.on_date: QDateEdit = self.f(QDateEdit, "onDate")
        self.kind: QComboBox = self.f(QComboBox, "kindCombo")
        self.issuer: QLineEdit = self.f(QLineEdit, "issuerEdit")
        self.title: QLineEdit = self.f(QLineEdit, "titleEdit")
        self.document: QLineEdit = self.f(QLineEdit, "documentEdit")
        self.evidence: QPlainTextEdit = self.f(QPlainTextEdit, "evidenceEdit")
        for k in unit_records.RECOGNITION_KINDS:
            self.kind.addItem(k.kind, k.kind)
            self.kind.setItemData(self.kind.count() - 1, f"考核表第{k.item}项：{k.rule}",
                                  Qt.ItemDataRole.ToolTipRole)  # fmt: skip

    def save(self) -> bool:
        data = {
            "on_date": pydate(self.on_date.date()),
            "kind": self.kind.currentData(),
            "issuer": self.issuer.text().strip(),
            "title": self.title.text().strip(),
            "document": self.document.text().strip(),
            "evidence": self.evidence.toPlainText().strip(),
        }
        return self._save(lambda: unit_records.add_recognition(self.db, **data, today=self.today))


class RecognitionsSection(_Section):
    FORM = "recognitions_section"
    KEYS = ("on_date", "kind", "item_text", "issuer", "title", "document", "evidence")

    def __init__(self, db, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.table: QTableWidget = self.f(QTableWidget, "recognitionsTable")
        self.add_button: QPushButton = self.f(QPushButton, "addButton")
        self.delete_button: QPushButton = self.f(QPushButton, "deleteButton")
        self.rows: list[dict] = []
        self.add_button.clicked.connect(
            lambda: self._open(RecognitionDialog(self.db, self, today=self.fixed_today))
        )
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.table.itemSelectionChanged.connect(self._on_selection)
        from .attachments_panel import AttachmentsPanel  # 附件 (issue 7 §1)

        self.attachments = AttachmentsPanel(db, "recognitions")
        self.attachments.setMaximumHeight(170)
        self.attachments.message.connect(self.message)
        self.table.parentWidget().layout().addWidget(self.attachments)
        self.reload()

    def _on_selection(self) -> None:
        rid = selected_id(self.table)
        self.delete_button.setEnabled(rid is not None)
        if rid != self.attachments.record_id:
            self.attachments.set_record("recognitions", rid)

    def reload(self) -> None:
        self.rows = unit_records.list_recognitions(self.db)
        for r in self.rows:
            r["item_text"] = f"第{r['item']}项（+{r['points']}分）" if r["item"] else ""
        fill_table(self.table, self.rows, self.KEYS, "id", ("title", "evidence"))
        self.delete_button.setEnabled(selected_id(self.table) is not None)

    def delete_selected(self, confirm: bool = True) -> bool:
        rid = selected_id(self.table)
        row = next((r for r in self.rows if r["id"] == rid), None)
        if row is None:
            return False
        if (
            confirm
            and QMessageBox.question(
                self, "删除记录", f"确定删除 {row['on_date']} 的“{row['title']}”吗？"
            )
            != QMessageBox.StandardButton.Yes
        ):
            return False
        unit_records.delete_recognition(self.db, row["id"])
        signals.notify(signals.ORGANISATION)
        self.message.emit(f"已删除“{row['title']}”。")
        return True
