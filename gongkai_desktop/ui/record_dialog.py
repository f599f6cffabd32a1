"""The plumbing the 办理 dialogs share (ui/application_dialog.py, ui/complaint_dialog.py).

A subclass sets CHANGES (its signals kind), passes its .ui form (which has titleLabel,
summaryLabel, historyList, whoEdit, opinionEdit, errorLabel and doneLabel) to
__init__, provides ``reload()``, and calls finish_setup() at the end of its __init__,
before the first reload().
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import sqlite_utils
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)

from ..core import profile
from ..core.calendar import WorkCalendar
from ..core.errors import UserError
from . import signals
from .forms import embed_form


class RecordDialog(QDialog):
    """A dialog that records steps on one record and redraws on change notices."""

    CHANGES = ""  # the signals kind this dialog writes and listens to

    def __init__(
        self, db: sqlite_utils.Database, form: str, parent: QWidget | None, today: date | None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today or date.today()
        self.cal = WorkCalendar.from_db(db)
        self.last_done = ""
        self.ui = embed_form(form, self, margin=6)
        f = self.ui.findChild
        self.title: QLabel = f(QLabel, "titleLabel")
        self.summary: QLabel = f(QLabel, "summaryLabel")
        self.history: QListWidget = f(QListWidget, "historyList")
        self.who_edit: QLineEdit = f(QLineEdit, "whoEdit")
        self.opinion: QLineEdit = f(QLineEdit, "opinionEdit")
        self.error: QLabel = f(QLabel, "errorLabel")
        self.done_label: QLabel = f(QLabel, "doneLabel")
        prof = profile.load(db)
        self.who_edit.setText(prof.operator if prof else "")

    def finish_setup(self, box: QDialogButtonBox) -> None:
        """关闭 button, Enter firing no step, and listening to change notices."""
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        for b in self.ui.findChildren(QPushButton):  # Enter must not fire a step
            b.setAutoDefault(False)
            b.setDefault(False)
        self._notifying = False
        signals.changes().changed.connect(self._on_changed)
        self._listening = True
        self.finished.connect(lambda _r: self.dispose())

    def dispose(self) -> None:
        if self._listening:
            self._listening = False
            signals.changes().changed.disconnect(self._on_changed)

    def who(self) -> str:
        return self.who_edit.text().strip()

    def show_error(self, message: str) -> None:
        self.done_label.clear()
        self.error.setText(message)

    def run(self, label: str, fn: Callable[[], Any]) -> bool:
        """Record one step. On a core error its message stays here and nothing changes."""
        try:
            fn()
        except UserError as e:
            self.show_error(str(e))
            return False
        self.error.clear()
        self.last_done = label
        self.done_label.setText(f"已登记：{label}")
        self.opinion.clear()
        self.reload()
        self._notifying = True
        try:
            signals.notify(self.CHANGES)
        finally:
            self._notifying = False
        return True

    def _on_changed(self, kind: str) -> None:
        if kind in (self.CHANGES, signals.CALENDAR) and not self._notifying:
            if kind == signals.CALENDAR:
                self.cal = WorkCalendar.from_db(self.db)
            self.reload()
