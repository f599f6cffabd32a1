"""监督检查 forms: 登记日常巡查, 登记半年重点检查, 登记定期自查.

Each saves through core/inspections in one transaction together with the
rectifications listed in it; core's Chinese message stays in the form, nothing saved.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ..core import complaint_rules as rules
from ..core import inspections, profile
from . import signals
from .org_dialogs import FormDialog
from .rectifications_view import RectificationRows, host, pydate


class _RecordDialog(FormDialog):
    """A form with dates capped at today, an error label and 保存/取消 (ui/org_dialogs.py),
    sending the 监督检查 change notice."""

    KIND = signals.SUPERVISION

    def _rows_editor(self) -> RectificationRows:
        rows = RectificationRows(today=self.today)
        host(rows, self.f(QWidget, "rectHost"))
        return rows


class PatrolDialog(_RecordDialog):
    """登记日常巡查: date, who, what (网站栏目/公开栏/阅览室), what was checked, findings."""

    FORM = "patrol_dialog"

    def __init__(self, db, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.on_date: QDateEdit = self.f(QDateEdit, "onDate")
        self.who: QLineEdit = self.f(QLineEdit, "whoEdit")
        self.target: QComboBox = self.f(QComboBox, "targetCombo")
        self.checked: QPlainTextEdit = self.f(QPlainTextEdit, "checkedEdit")
        self.findings: QPlainTextEdit = self.f(QPlainTextEdit, "findingsEdit")
        self.target.addItems(inspections.PATROL_TARGETS)
        p = profile.load(db)
        self.who.setText(p.operator if p else "")

    def save(self) -> bool:
        return self._save(
            lambda: inspections.add_patrol(
                self.db,
                pydate(self.on_date.date()),
                self.who.text().strip(),
                self.target.currentText().strip(),
                self.checked.toPlainText().strip(),
                self.findings.toPlainText().strip(),
                today=self.today,
            )
        )


class KeyInspectionDialog(_RecordDialog):
    """登记半年重点检查 (考核表第30项): date (gives the half-year), team, scope, findings,
    conclusion, and the rectifications found."""

    FORM = "key_inspection_dialog"

    def __init__(self, db, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.on_date: QDateEdit = self.f(QDateEdit, "onDate")
        self.half: QLabel = self.f(QLabel, "halfLabel")
        self.team: QLineEdit = self.f(QLineEdit, "teamEdit")
        self.scope: QPlainTextEdit = self.f(QPlainTextEdit, "scopeEdit")
        self.findings: QPlainTextEdit = self.f(QPlainTextEdit, "findingsEdit")
        self.conclusion: QPlainTextEdit = self.f(QPlainTextEdit, "conclusionEdit")
        self.rows = self._rows_editor()
        self.on_date.dateChanged.connect(lambda _d: self._update_half())
        self._update_half()

    def _update_half(self) -> None:
        d = pydate(self.on_date.date())
        self.half.setText(f"属于 {d.year}年{rules.HALF_LABELS[rules.half_of(d)]}的重点检查")

    def save(self) -> bool:
        return self._save(
            lambda: inspections.add_key_inspection(
                self.db,
                pydate(self.on_date.date()),
                self.team.text().strip(),
                self.scope.toPlainText().strip(),
                self.findings.toPlainText().strip(),
                self.conclusion.toPlainText().strip(),
                rectifications=self.rows.rows(),
                today=self.today,
            )
        )


class SelfInspectionDialog(_RecordDialog):
    """登记定期自查 (实施方案三（六）2): findings, the meeting they were reported at
    (局务会 / 全体人员大会) and its date, and the rectifications."""

    FORM = "self_inspection_dialog"

    def __init__(self, db, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.on_date: QDateEdit = self.f(QDateEdit, "onDate")
        self.findings: QPlainTextEdit = self.f(QPlainTextEdit, "findingsEdit")
        self.meeting_kind: QComboBox = self.f(QComboBox, "meetingKindCombo")
        self.meeting_date: QDateEdit = self.f(QDateEdit, "meetingDate")
        self.meeting_kind.addItem("（尚未通报）", "")
        for k in inspections.MEETING_KINDS:
            self.meeting_kind.addItem(k, k)
        self.meeting_kind.setCurrentIndex(1)
        self.meeting_kind.currentIndexChanged.connect(
            lambda _i: self.meeting_date.setEnabled(bool(self.meeting_kind.currentData()))
        )
        self.rows = self._rows_editor()

    def save(self) -> bool:
        kind = self.meeting_kind.currentData()
        return self._save(
            lambda: inspections.add_self_inspection(
                self.db,
                pydate(self.on_date.date()),
                self.findings.toPlainText().strip(),
                kind,
                pydate(self.meeting_date.date()) if kind else None,
                rectifications=self.rows.rows(),
                today=self.today,
            )
        )
