"""One application-wide change hook (变更通知), after Anki's operations pattern.

Whoever changes data calls ``notify(kind)``; each screen listens on
``changes().changed`` and refreshes only what that kind touches.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

ITEMS = "items"  # registry rows added, edited, deleted, stepped
CALENDAR = "calendar"  # holiday schedule changed: deadlines move
PROFILE = "profile"  # 单位信息
CATALOG = "catalog"  # 主题分类 / 公开方式 lists
APPLICATIONS = "applications"  # 依申请公开: registered, handled, answered, deleted, letters
COMPLAINTS = "complaints"  # 投诉与意见: registered, stepped, forwarded, answered, deleted
SUPERVISION = "supervision"  # 监督检查: patrols, key/self inspections, reports, rectifications
ORGANISATION = "organisation"  # 机构与会议: members, meetings, contact card, rules, budget, awards
ANNUAL_REPORT = "annual_report"  # 年度报告: texts, table 2 figures, publish, unlock, relock
ASSESSMENT = "assessment"  # 自评打分: scores, notes, evidence, inspection date, imported tables
ARCHIVE = "archive"  # 档案: attachments, archive settings, pieces filed/renumbered, boxes
WORK_PLAN = "work_plan"  # 工作台: the year's work plan milestones


class Changes(QObject):
    changed = Signal(str)


_changes: Changes | None = None


def changes() -> Changes:
    global _changes
    if _changes is None:
        _changes = Changes()
    return _changes


def notify(kind: str) -> None:
    changes().changed.emit(kind)
