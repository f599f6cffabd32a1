"""Window warnings for issue 4: the 投诉与意见 due counts in the status bar (replies and
principal answers, complaints.due_counts) and a banner when a half-year is ending or
ended without a key inspection (inspections.warnings, 考核表第30项). Redrawn on change
notices; each links to the screen where the clerk acts."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ..core import complaints, inspections
from ..core.calendar import WorkCalendar
from . import signals
from .due_indicator import due_links


class _Listening(QLabel):
    KINDS: tuple[str, ...] = ()

    def __init__(self, db: sqlite_utils.Database, today: date | None) -> None:
        super().__init__()
        self.db, self.fixed_today = db, today
        self.setTextFormat(Qt.TextFormat.RichText)
        signals.changes().changed.connect(self._on_changed)
        self._listening = True

    @property
    def today(self) -> date:
        return self.fixed_today or date.today()

    def dispose(self) -> None:
        if self._listening:
            self._listening = False
            signals.changes().changed.disconnect(self._on_changed)
        self.deleteLater()

    def _on_changed(self, kind: str) -> None:
        if kind in self.KINDS:
            self.refresh()

    def refresh(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class ComplaintsDueIndicator(_Listening):
    """Status-bar text: 投诉与意见 due soon / overdue, each a link to the filtered list."""

    KINDS = (signals.COMPLAINTS, signals.CALENDAR)

    def __init__(self, db: sqlite_utils.Database, *, today: date | None = None) -> None:
        super().__init__(db, today)
        self.counts = (0, 0)
        self.setToolTip(
            "投诉与意见：答复期限或主要负责人答复期限剩余不超过5日的为即将到期；点击查看"
        )
        self.refresh()

    def refresh(self) -> None:
        soon, overdue = complaints.due_counts(self.db, self.today, WorkCalendar.from_db(self.db))
        self.counts = (soon, overdue)
        self.setText(due_links("投诉与意见", soon, overdue))

    def plain_text(self) -> str:
        soon, overdue = self.counts
        return f"投诉与意见：即将到期 {soon} 件　已逾期 {overdue} 件"


class HalfYearBanner(_Listening):
    """A banner above the tabs while a half-year is ending or ended without a key
    inspection; hidden otherwise. Its link opens the 监督检查 tab."""

    KINDS = (signals.SUPERVISION,)

    def __init__(self, db: sqlite_utils.Database, *, today: date | None = None) -> None:
        super().__init__(db, today)
        self.setWordWrap(True)
        self.setObjectName("halfYearBanner")
        self.warnings: list = []
        self.refresh()

    def refresh(self) -> None:
        self.warnings = inspections.warnings(self.db, self.today)
        if not self.warnings:
            self.hide()
            self.setText("")
            return
        missed = any(w.state == "已过期未检查" for w in self.warnings)
        fg, bg, border = (
            ("#8e1b1b", "#fdecea", "#e8a5a0") if missed else ("#5a3600", "#fff4e0", "#f0c987")
        )
        self.setStyleSheet(
            f"QLabel#halfYearBanner {{ color: {fg}; background: {bg}; border: 1px solid {border};"
            " border-radius: 3px; padding: 4px 8px; }"
        )
        self.setText(
            "⚠ "
            + "<br>⚠ ".join(w.explain() for w in self.warnings)
            + "　<a href='supervision'>到“监督检查”登记重点检查</a>"
        )
        self.show()

    def plain_text(self) -> str:
        return "\n".join(w.explain() for w in self.warnings)
