"""依申请公开 status-bar indicator: applications due soon (≤ 3 working days) and overdue
(applications.due_counts), each a link to the filtered list. Redrawn on change notices."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ..core import applications
from ..core.calendar import WorkCalendar
from . import signals


def due_links(label: str, soon: int, overdue: int) -> str:
    """“*label*：即将到期 n 件　已逾期 m 件”, each count a link (soon / overdue), in colour
    and bold when not zero."""
    grey = "color:#4d5660"
    soon_style = "color:#a15c00;font-weight:bold" if soon else grey
    over_style = "color:#c62828;font-weight:bold" if overdue else grey
    return (
        f"{label}：<a href='soon' style='{soon_style};text-decoration:none'>即将到期 {soon} 件</a>"
        f"　<a href='overdue' style='{over_style};text-decoration:none'>已逾期 {overdue} 件</a>"
    )


class DueIndicator(QLabel):
    """Status-bar text: 依申请公开 due soon / overdue, each a link to the filtered list."""

    def __init__(self, db: sqlite_utils.Database, *, today: date | None = None) -> None:
        super().__init__()
        self.db, self.fixed_today = db, today
        self.counts = (0, 0)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setToolTip("依申请公开：剩余不超过3个工作日的为即将到期；点击查看")
        signals.changes().changed.connect(self._on_changed)
        self._listening = True
        self.refresh()

    def dispose(self) -> None:
        if self._listening:
            self._listening = False
            signals.changes().changed.disconnect(self._on_changed)
        self.deleteLater()

    def _on_changed(self, kind: str) -> None:
        if kind in (signals.APPLICATIONS, signals.CALENDAR):
            self.refresh()

    def refresh(self) -> None:
        today = self.fixed_today or date.today()
        soon, overdue = applications.due_counts(self.db, today, WorkCalendar.from_db(self.db))
        self.counts = (soon, overdue)
        self.setText(due_links("依申请公开", soon, overdue))

    def plain_text(self) -> str:
        soon, overdue = self.counts
        return f"依申请公开：即将到期 {soon} 件　已逾期 {overdue} 件"
