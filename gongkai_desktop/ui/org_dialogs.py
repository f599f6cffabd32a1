"""机构与会议 forms: 添加/修改/变更成员, 终止任职, 登记/修改会议.

Each saves through core/organisation or core/meetings in one call; core's Chinese message
stays in the form and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
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

from ..core import meetings, organisation
from ..core.errors import UserError
from . import signals
from .dialog_buttons import wire_box
from .forms import embed_form, form_child
from .rectifications_view import pydate, qdate


class FormDialog(QDialog):
    """A Designer form with dates capped at today, an error label and 保存/取消.
    ``record_id`` is set once saved; ``KIND`` is the change notice sent."""

    FORM = ""
    KIND = signals.ORGANISATION

    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None, today: date | None):
        super().__init__(parent)
        self.db, self.today = db, today or date.today()
        self.record_id: int | None = None
        self.ui = embed_form(self.FORM, self, margin=6)
        for d in self.ui.findChildren(QDateEdit):
            d.setMaximumDate(qdate(self.today))
            d.setDate(qdate(self.today))
        self.error: QLabel = self.f(QLabel, "errorLabel")
        box: QDialogButtonBox = self.f(QDialogButtonBox, "buttonBox")
        wire_box(box, self, self.save)

    def f(self, cls, name):
        return form_child(self.ui, cls, name, self.FORM)

    def _save(self, fn: Callable[[], Any]) -> bool:
        try:
            result = fn()
        except UserError as e:
            self.error.setText(str(e))
            return False
        if isinstance(result, int):
            self.record_id = result
        elif self.record_id is None:
            self.record_id = 0
        signals.notify(self.KIND)
        self.accept()
        return True

    def save(self) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


class MemberDialog(FormDialog):
    """添加成员 (mode "add"), 修改 (mode "edit": correct a record) or 变更成员 (mode
    "replace": the old membership ends the day before the 变更日期, the new one starts
    on it — core/organisation.replace_member)."""

    FORM = "member_dialog"

    def __init__(
        self,
        db: sqlite_utils.Database,
        parent: QWidget | None = None,
        *,
        mode: str = "add",
        member: dict | None = None,
        body: str | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(db, parent, today)
        self.mode, self.member = mode, member or {}
        self.body: QComboBox = self.f(QComboBox, "bodyCombo")
        self.name: QLineEdit = self.f(QLineEdit, "nameEdit")
        self.post: QLineEdit = self.f(QLineEdit, "postEdit")
        self.role: QComboBox = self.f(QComboBox, "roleCombo")
        self.principal: QCheckBox = self.f(QCheckBox, "principalCheck")
        self.phone: QLineEdit = self.f(QLineEdit, "phoneEdit")
        self.email: QLineEdit = self.f(QLineEdit, "emailEdit")
        self.start: QDateEdit = self.f(QDateEdit, "startDate")
        self.end_check: QCheckBox = self.f(QCheckBox, "endCheck")
        self.end: QDateEdit = self.f(QDateEdit, "endDate")
        intro: QLabel = self.f(QLabel, "introLabel")
        for b in organisation.BODIES:
            self.body.addItem(organisation.BODY_NAMES[b], b)
        self.role.addItems(organisation.ROLES)
        self.end_check.toggled.connect(self.end.setEnabled)
        self.end.setEnabled(False)
        self._show_end(False)
        m = self.member
        self.body.setCurrentIndex(max(self.body.findData(m.get("body") or body), 0))
        if mode == "add":
            return
        self.body.setEnabled(False)
        self.post.setText(m.get("post", ""))
        self.role.setCurrentText(m.get("role", ""))
        self.principal.setChecked(bool(m.get("is_principal")))
        seat = f"{organisation.BODY_NAMES[m['body']]}{m['role']}"
        if mode == "replace":
            self.setWindowTitle("变更成员")
            intro.setText(
                f"{m['name']}（{seat}，{m['start_date']} 起）不再担任，由新成员接任。"
                "原任职于变更日期前一天终止，记录保留在历任成员中。"
            )
            self.f(QLabel, "startDateLabel").setText("变更日期")
            self.start.setMinimumDate(qdate(date.fromisoformat(m["start_date"]) + timedelta(1)))
            self.name.setFocus()
            return
        self.setWindowTitle("修改任职记录")
        intro.setText(f"更正{m['name']}（{seat}）的任职记录。人员变动请用“变更成员”。")
        self.name.setText(m["name"])
        self.phone.setText(m.get("phone", ""))
        self.email.setText(m.get("email", ""))
        self.start.setDate(qdate(date.fromisoformat(m["start_date"])))
        self._show_end(True)
        if m.get("end_date"):
            self.end_check.setChecked(True)
            self.end.setDate(qdate(date.fromisoformat(m["end_date"])))

    def _show_end(self, visible: bool) -> None:
        self.f(QWidget, "endHost").setVisible(visible)
        self.f(QLabel, "endHostLabel").setVisible(visible)

    def fields(self) -> dict:
        return {
            "name": self.name.text().strip(),
            "post": self.post.text().strip(),
            "role": self.role.currentText(),
            "is_principal": self.principal.isChecked(),
            "phone": self.phone.text().strip(),
            "email": self.email.text().strip(),
        }

    def save(self) -> bool:
        data, start = self.fields(), pydate(self.start.date())
        if self.mode == "replace":
            return self._save(
                lambda: organisation.replace_member(
                    self.db, self.member["id"], data, start, today=self.today
                )
            )
        if self.mode == "edit":
            end = pydate(self.end.date()) if self.end_check.isChecked() else None
            return self._save(
                lambda: organisation.update_member(
                    self.db,
                    self.member["id"],
                    data | {"start_date": start, "end_date": end},
                    today=self.today,
                )
            )
        body = self.body.currentData()
        return self._save(
            lambda: organisation.add_member(
                self.db,
                body,
                data.pop("name"),
                data.pop("post"),
                data.pop("role"),
                start,
                **data,
                today=self.today,
            )
        )


class MemberEndDialog(FormDialog):
    """终止任职: the membership's last day; the record stays in the history."""

    FORM = "member_end_dialog"

    def __init__(self, db, member: dict, parent=None, *, today: date | None = None) -> None:
        super().__init__(db, parent, today)
        self.member = member
        self.end: QDateEdit = self.f(QDateEdit, "endDate")
        self.end.setMinimumDate(qdate(date.fromisoformat(member["start_date"])))
        seat = f"{organisation.BODY_NAMES[member['body']]}{member['role']}"
        self.f(QLabel, "introLabel").setText(
            f"{member['name']}（{seat}，{member['start_date']} 起）终止任职。"
        )

    def save(self) -> bool:
        end = pydate(self.end.date())
        return self._save(
            lambda: organisation.end_member(self.db, self.member["id"], end, today=self.today)
        )


class MeetingDialog(FormDialog):
    """登记会议 / 修改会议: date, kind, body, subject, attendees, decisions, minutes. A
    领导小组 专题会议 counts towards the two a year (实施方案三（一）2)."""

    FORM = "meeting_dialog"
    NO_BODY = "（全局会议，不指定机构）"

    def __init__(self, db, parent=None, *, meeting: dict | None = None, today=None) -> None:
        super().__init__(db, parent, today)
        self.meeting = meeting
        self.on_date: QDateEdit = self.f(QDateEdit, "onDate")
        self.kind: QComboBox = self.f(QComboBox, "kindCombo")
        self.body: QComboBox = self.f(QComboBox, "bodyCombo")
        self.subject: QLineEdit = self.f(QLineEdit, "subjectEdit")
        self.attendees: QPlainTextEdit = self.f(QPlainTextEdit, "attendeesEdit")
        self.decisions: QPlainTextEdit = self.f(QPlainTextEdit, "decisionsEdit")
        self.minutes: QPlainTextEdit = self.f(QPlainTextEdit, "minutesEdit")
        self.kind.addItems(meetings.KINDS)
        self.body.addItem(self.NO_BODY, "")
        for b in organisation.BODIES:
            self.body.addItem(organisation.BODY_NAMES[b], b)
        self.body.setCurrentIndex(self.body.findData(meetings.COUNTED_BODY))
        self.attachments = None
        if meeting is None:
            return
        self.setWindowTitle("修改会议")
        from .attachments_panel import AttachmentsPanel  # 会议的附件 (issue 5 §2, issue 7 §1)

        self.attachments = AttachmentsPanel(db, "meetings", meeting["id"])
        self.attachments.setMaximumHeight(170)
        lay = self.ui.layout()
        lay.insertWidget(max(lay.count() - 1, 0), self.attachments)
        self.on_date.setDate(qdate(date.fromisoformat(meeting["on_date"])))
        self.kind.setCurrentText(meeting["kind"])
        self.body.setCurrentIndex(max(self.body.findData(meeting["body"]), 0))
        self.subject.setText(meeting["subject"])
        self.attendees.setPlainText(meeting["attendees"])
        self.decisions.setPlainText(meeting["decisions"])
        self.minutes.setPlainText(meeting["minutes"])

    def fields(self) -> dict:
        return {
            "on_date": pydate(self.on_date.date()),
            "kind": self.kind.currentText(),
            "body": self.body.currentData() or "",
            "subject": self.subject.text().strip(),
            "attendees": self.attendees.toPlainText().strip(),
            "decisions": self.decisions.toPlainText().strip(),
            "minutes": self.minutes.toPlainText().strip(),
        }

    def save(self) -> bool:
        data = self.fields()
        if self.meeting is not None:
            mid = self.meeting["id"]
            self.record_id = mid
            return self._save(lambda: meetings.update(self.db, mid, data, today=self.today))
        return self._save(lambda: meetings.add_meeting(self.db, **data, today=self.today))
