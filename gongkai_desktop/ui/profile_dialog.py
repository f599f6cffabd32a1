"""单位信息 dialog: asked on first run, editable later from 编辑 → 单位信息."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from ..core import catalog, index_numbers, profile
from ..core.errors import ValidationError
from . import signals
from .forms import embed_form

# UnitProfile field → object name prefix in profile_dialog.ui (公开渠道, seed item 24)
_CHANNEL_EDITS = {
    "consult_phone": "consultPhone",
    "complaint_phone": "complaintPhone",
    "report_phone": "reportPhone",
    "opinion_box": "opinionBox",
    "online_channel": "onlineChannel",
}


class ProfileDialog(QDialog):
    """Saves the UnitProfile on 保存; validation errors stay in the dialog."""

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, first_run: bool = False
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.ui = embed_form("profile_dialog", self,
                             "欢迎使用政务公开台账 — 单位信息" if first_run else "单位信息")
        f = self.ui.findChild
        self.unit_name: QLineEdit = f(QLineEdit, "unitNameEdit")
        self.fonds_no: QLineEdit = f(QLineEdit, "fondsNoEdit")
        self.pattern: QLineEdit = f(QLineEdit, "indexPatternEdit")
        self.example: QLabel = f(QLabel, "indexExampleLabel")
        self.doc_prefix: QLineEdit = f(QLineEdit, "docPrefixEdit")
        self.operator: QLineEdit = f(QLineEdit, "operatorEdit")
        self.unit_type: QComboBox = f(QComboBox, "unitTypeCombo")
        self.app_no_pattern: QLineEdit = f(QLineEdit, "appNoPatternEdit")
        # public channels (seed item 24): field name → line edit
        self.channels: dict[str, QLineEdit] = {
            name: f(QLineEdit, f"{edit}Edit") for name, edit in _CHANNEL_EDITS.items()
        }
        self.error: QLabel = f(QLabel, "errorLabel")
        buttons: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            "以后再填" if first_run else "取消"
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.unit_type.addItems(profile.UNIT_TYPES)
        p = profile.load(db) or profile.UnitProfile()
        self.unit_name.setText(p.unit_name)
        self.fonds_no.setText(p.fonds_no)
        self.pattern.setText(p.index_pattern)
        self.doc_prefix.setText(p.doc_prefix)
        self.operator.setText(p.operator)
        self.unit_type.setCurrentText(p.unit_type)
        self.app_no_pattern.setText(p.app_no_pattern)
        for name, edit in self.channels.items():
            edit.setText(getattr(p, name))
        cats = catalog.categories(db)
        self._example_category = cats[0].code if cats else "01"
        self.pattern.textChanged.connect(self._update_example)
        self.fonds_no.textChanged.connect(self._update_example)
        self._update_example()
        self.unit_name.setFocus()

    def entered_profile(self) -> profile.UnitProfile:
        return profile.UnitProfile(
            unit_name=self.unit_name.text().strip(),
            fonds_no=self.fonds_no.text().strip(),
            index_pattern=self.pattern.text().strip(),
            doc_prefix=self.doc_prefix.text().strip(),
            operator=self.operator.text().strip(),
            unit_type=self.unit_type.currentText(),
            app_no_pattern=self.app_no_pattern.text().strip(),
            **{name: edit.text().strip() for name, edit in self.channels.items()},
        )

    def _update_example(self) -> None:
        pattern = self.pattern.text().strip()
        try:
            index_numbers.check_pattern(pattern)
        except ValidationError as e:
            self.example.setText(f"示例：—（{e}）")
            return
        text = index_numbers.render(
            pattern,
            fonds_no=self.fonds_no.text().strip() or "全宗号",
            year=date.today().year,
            category_code=self._example_category,
            serial=1,
        )
        self.example.setText(f"示例：{text}（本年第1条、分类代码 {self._example_category}）")

    def save(self) -> bool:
        try:
            profile.save(self.db, self.entered_profile())
        except ValidationError as e:
            self.error.setText(str(e))
            return False
        signals.notify(signals.PROFILE)
        self.accept()
        return True


def open_profile_dialog(
    parent: QWidget | None, db: sqlite_utils.Database, first_run: bool = False
) -> bool:
    """Modal; True when the profile was saved."""
    return ProfileDialog(db, parent, first_run=first_run).exec() == QDialog.DialogCode.Accepted
