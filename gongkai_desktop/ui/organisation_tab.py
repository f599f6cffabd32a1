"""机构与会议 tab (实施方案三（一）, 考核表第1–4、38–45项): the three bodies and their members,
meetings with the two-a-year counter, the published contact card, the rules register,
the budget and the recognitions — one page each, hosted from their own forms."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from PySide6.QtWidgets import QTabWidget, QWidget

from . import signals
from .contact_card_section import ContactCardSection
from .form_tab import FormTab
from .meetings_section import MeetingsSection
from .members_section import MembersSection
from .organisation_indicator import YearTasksBanner
from .rectifications_view import host
from .unit_records_section import BudgetSection, RecognitionsSection, RulesSection

SECTIONS = ("机构成员", "会议", "公开工作机构信息", "规章制度", "经费", "表彰与推广")


class OrganisationTab(FormTab):
    """``message`` carries status-bar text for the main window; ``banner`` is the window
    warning (meetings from 1 October, annual report deadline from 1 January)."""

    FORM = "organisation_tab"

    def __init__(
        self, db: sqlite_utils.Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(db, parent, today=today)
        self.sections: QTabWidget = self.ui.findChild(QTabWidget, "sectionTabs")
        self.members = MembersSection(db, today=today)
        self.meetings = MeetingsSection(db, today=today)
        self.card = ContactCardSection(db, today=today)
        self.rules = RulesSection(db, today=today)
        self.budget = BudgetSection(db, today=today)
        self.recognitions = RecognitionsSection(db, today=today)
        self.parts = (
            self.members, self.meetings, self.card, self.rules, self.budget, self.recognitions,
        )  # fmt: skip
        hosts = ("membersHost", "meetingsHost", "cardHost", "rulesHost", "budgetHost",
                 "recognitionsHost")  # fmt: skip
        for part, name in zip(self.parts, hosts, strict=True):
            host(part, self.ui.findChild(QWidget, name))
            part.message.connect(self._say)
        self.meetings.export_requested.connect(self.export_meetings)
        self.banner = YearTasksBanner(db, today=today)
        self.job = None
        self.last_message = ""
        self._disposed = False
        signals.changes().changed.connect(self._on_changed)

    def dispose(self) -> None:
        if self._disposed:
            return
        self._disposed = True
        signals.changes().changed.disconnect(self._on_changed)
        for part in self.parts:
            part.dispose()
        self.banner.dispose()

    def show_section(self, title: str) -> None:
        self.sections.setCurrentIndex(SECTIONS.index(title))

    def _on_changed(self, kind: str) -> None:
        if kind == signals.ORGANISATION:
            for part in self.parts:
                if part is not self.card:  # the card keeps what the clerk is typing
                    part.on_changed(kind)
        elif kind == signals.PROFILE and self.card.saved is None:
            self.card.reload()

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    def export_meetings(self, year: int | None = None, out_path=None):
        """导出会议台账 of *year* (the meetings page's year by default), off the GUI thread."""
        from .organisation_jobs import export_meetings

        self.job = (
            export_meetings(
                self,
                self.db,
                year=year or self.meetings.year,
                out_path=out_path,
                say=self._say,
                disable=[self.meetings.buttons["export"]],
            )
            or self.job
        )
        return self.job
