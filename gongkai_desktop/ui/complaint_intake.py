"""登记投诉与意见: the intake form — kind, source, anonymous or named person, contact,
received date (with its 30-day due date shown as it is picked), content, handler."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ..core import complaint_rules as rules
from ..core import complaints, profile
from ..core.calendar import WorkCalendar
from ..core.errors import UserError
from . import signals
from .complaint_dialog import due_text
from .dialog_buttons import wire_box
from .forms import embed_form
from .rectifications_view import pydate, qdate


class ComplaintNewDialog(QDialog):
    """登记: kind, source, anonymous or named person, contact, received date, content,
    handler. Shows the 30-day due date as the date is picked. ``complaint_id`` after save."""

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.today = db, today or date.today()
        self.cal = WorkCalendar.from_db(db)
        self.complaint_id: int | None = None
        self.ui = embed_form("complaint_new_dialog", self, margin=6)
        f = self.ui.findChild
        self.kind: QComboBox = f(QComboBox, "kindCombo")
        self.source: QComboBox = f(QComboBox, "sourceCombo")
        self.person: QLineEdit = f(QLineEdit, "personEdit")
        self.anonymous: QCheckBox = f(QCheckBox, "anonymousCheck")
        self.contact: QLineEdit = f(QLineEdit, "contactEdit")
        self.received: QDateEdit = f(QDateEdit, "receivedDate")
        self.due: QLabel = f(QLabel, "dueLabel")
        self.content: QPlainTextEdit = f(QPlainTextEdit, "contentEdit")
        self.handler: QLineEdit = f(QLineEdit, "handlerEdit")
        self.error: QLabel = f(QLabel, "errorLabel")
        self.kind.addItems(rules.KINDS)
        self.source.addItems(rules.SOURCES)
        self.received.setMaximumDate(qdate(self.today))
        self.received.setDate(qdate(self.today))
        p = profile.load(db)
        self.handler.setText(p.operator if p else "")
        box: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        wire_box(box, self, self.save)
        self.anonymous.toggled.connect(self._anonymous_toggled)
        self.received.dateChanged.connect(lambda _d: self._update_due())
        self._update_due()
        self.kind.setFocus()

    def _anonymous_toggled(self, on: bool) -> None:
        self.person.setEnabled(not on)
        if on:
            self.person.clear()
        self.person.setPlaceholderText("匿名" if on else "姓名或单位名称")

    def _update_due(self) -> None:
        d = rules.reply_deadline(pydate(self.received.date()), self.cal)
        self.due.setText(f"答复期限：{due_text(d)}（收到之次日起30日）")
        self.due.setToolTip(d.explain())

    def data(self) -> dict[str, Any]:
        return {
            "kind": self.kind.currentText(),
            "source": self.source.currentText(),
            "anonymous": self.anonymous.isChecked(),
            "person": "" if self.anonymous.isChecked() else self.person.text().strip(),
            "contact": self.contact.text().strip(),
            "received_date": pydate(self.received.date()),
            "content": self.content.toPlainText().strip(),
            "handler": self.handler.text().strip(),
        }

    def save(self) -> bool:
        try:
            self.complaint_id = complaints.create(self.db, self.data(), today=self.today)
        except UserError as e:
            self.error.setText(str(e))
            return False
        signals.notify(signals.COMPLAINTS)
        self.accept()
        return True
