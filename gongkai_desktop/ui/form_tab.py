"""The base of the tabs and sections built on one Designer form (ui/forms/<FORM>.ui)."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from .forms import form_child, host, load_form


class FormTab(QWidget):
    """``message`` carries status-bar text for the main window; ``today`` is the fixed
    day the tests pass, else the real one."""

    FORM = ""
    message = Signal(str)

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.fixed_today = db, today
        self.ui = load_form(self.FORM, self)
        host(self.ui, self)

    def _w(self, cls, name):
        return form_child(self.ui, cls, name, self.FORM)

    @property
    def today(self) -> date:
        return self.fixed_today or date.today()
