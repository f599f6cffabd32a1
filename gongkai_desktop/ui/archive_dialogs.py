"""归档设置 and 封盒 dialogs of the 档案 tab (DA/T 22-2015, RULES.md §8)."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ..core import archive, attachments, profile
from ..core.errors import UserError
from . import signals
from .dialog_buttons import OK, wire_box
from .forms import embed_form


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class ArchiveSettingsDialog(QDialog):
    """机构（问题）代码, the default 保管期限 per kind of record and the attachment size
    limit (issue 9, settings ``attachments.max_mb``); 全宗号 is in 单位信息."""

    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.ui = embed_form("archive_settings_dialog", self)
        f = self.ui.findChild
        self.use_org: QCheckBox = f(QCheckBox, "useOrgCheck")
        self.codes: QLineEdit = f(QLineEdit, "orgCodesEdit")
        self.default_org: QLineEdit = f(QLineEdit, "defaultOrgEdit")
        self.error: QLabel = f(QLabel, "errorLabel")
        self.max_mb: QSpinBox = f(QSpinBox, "maxMbSpin")
        self.max_mb.setRange(1, attachments.MAX_MB_LIMIT)  # the core limit, one place
        self.max_mb.setValue(attachments.max_mb(db))
        prof = profile.load(db)
        fonds = prof.fonds_no if prof and prof.fonds_no else "（未填写，请在“单位信息”中填写）"
        f(QLabel, "fondsLabel").setText(f"全宗号：{fonds}")
        form: QFormLayout = f(QGroupBox, "retentionGroup").layout()
        s = archive.archive_settings(db)
        self.retention: dict[str, QComboBox] = {}
        for kind, label in archive.KINDS.items():
            combo = QComboBox()
            combo.addItems(archive.RETENTIONS)
            combo.setCurrentText(s["retention"][kind])
            form.addRow(label, combo)
            self.retention[kind] = combo
        self.scheme = QComboBox()  # 整理方式: pieces by default, volumes on request (RULES §8)
        for value, label in (
            ("件", "按件整理（DA/T 22-2015）"),
            ("卷", "按卷整理（GB/T 9705-2008）"),
        ):
            self.scheme.addItem(label, value)
        self.scheme.setCurrentIndex(max(self.scheme.findData(s.get("scheme", "件")), 0))
        form.insertRow(0, "整理方式", self.scheme)
        self.use_org.setChecked(s["use_org_codes"])
        self.codes.setText(", ".join(s["org_codes"]))
        self.default_org.setText(s["default_org_code"])
        buttons: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        wire_box(buttons, self, self.save)

    def save(self) -> bool:
        codes = [c.strip().upper() for c in self.codes.text().replace("，", ",").split(",")]
        settings = {
            "use_org_codes": self.use_org.isChecked(),
            "org_codes": [c for c in codes if c],
            "default_org_code": self.default_org.text().strip().upper(),
            "retention": {k: c.currentText() for k, c in self.retention.items()},
            "scheme": self.scheme.currentData(),
        }
        try:
            archive.save_archive_settings(self.db, settings)
            if self.max_mb.value() != attachments.max_mb(self.db):  # no audit row when unchanged
                attachments.set_max_mb(self.db, self.max_mb.value())
        except UserError as e:
            self.error.setText(str(e))
            return False
        signals.notify(signals.ARCHIVE)
        self.accept()
        return True


class SealDialog(QDialog):
    """封盒: 整理人, 整理日期, 检查人, 检查日期 and 盒内文件情况说明 (备考表)."""

    def __init__(
        self, db: sqlite_utils.Database, box: dict, parent: QWidget | None = None,
        *, today: date | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.box = db, box
        self.ui = embed_form("archive_seal_dialog", self)
        f = self.ui.findChild
        org = f" {box['org_code']}" if box["org_code"] else ""
        f(QLabel, "boxLabel").setText(
            f"{box['year']}年 {box['retention']}{org} 第 {box['box_no']} 号盒，共 {box['count']} 件"
        )
        self.arranger: QLineEdit = f(QLineEdit, "arrangerEdit")
        self.checker: QLineEdit = f(QLineEdit, "checkerEdit")
        self.arranged: QDateEdit = f(QDateEdit, "arrangedDateEdit")
        self.checked: QDateEdit = f(QDateEdit, "checkedDateEdit")
        self.note: QPlainTextEdit = f(QPlainTextEdit, "noteEdit")
        self.error: QLabel = f(QLabel, "errorLabel")
        day = _qdate(today or date.today())
        self.arranged.setDate(day)
        self.checked.setDate(day)
        self.arranger.setText(profile.operator(db))
        buttons: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        wire_box(buttons, self, self.save, "封盒", OK)

    def save(self) -> bool:
        if not self.checker.text().strip():
            self.error.setText("请填写检查人（备考表需要整理人和检查人签名）。")
            return False
        try:
            archive.seal_box(
                self.db, self.box["id"], arranger=self.arranger.text(),
                arranged_date=self.arranged.date().toString("yyyy-MM-dd"),
                checker=self.checker.text(),
                checked_date=self.checked.date().toString("yyyy-MM-dd"),
                contents_note=self.note.toPlainText(),
            )  # fmt: skip
        except UserError as e:
            self.error.setText(str(e))
            return False
        signals.notify(signals.ARCHIVE)
        self.accept()
        return True
