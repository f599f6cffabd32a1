"""Window warning for issue 5: a banner above the tabs when the leading group has held
fewer than two special meetings by 1 October (meetings.special_meeting_status, 实施方案
三（一）2) or last year's annual report is due or overdue from 1 January
(annual_report.deadline_status, 条例第四十九条). Hidden otherwise; each line links to the
screen where the clerk acts (``meetings`` / ``annual_report``)."""

from __future__ import annotations

import html
from datetime import date

import sqlite_utils

from ..core import annual_report, meetings
from . import signals
from .supervision_indicator import _Listening

STYLE_WARN = ("#5a3600", "#fff4e0", "#f0c987")
STYLE_FAIL = ("#8e1b1b", "#fdecea", "#e8a5a0")


class YearTasksBanner(_Listening):
    """``lines`` holds (link, message, failed) for what is shown."""

    # meetings; the report's state; the unit type (deadline); records dated last year
    KINDS = (signals.ORGANISATION, signals.ANNUAL_REPORT, signals.PROFILE,
             signals.APPLICATIONS, signals.ITEMS, signals.COMPLAINTS)  # fmt: skip

    def __init__(self, db: sqlite_utils.Database, *, today: date | None = None) -> None:
        super().__init__(db, today)
        self.setWordWrap(True)
        self.setObjectName("yearTasksBanner")
        self.lines: list[tuple[str, str, bool]] = []
        self.refresh()

    def refresh(self) -> None:
        lines = []
        m = meetings.special_meeting_status(self.db, self.today.year, self.today)
        if m.state == meetings.WARN:
            lines.append(("meetings", m.message, False))
        d = annual_report.deadline_status(self.db, self.today)
        if d.state in ("warn", "fail"):
            lines.append(("annual_report", d.message, d.state == "fail"))
        self.lines = lines
        if not lines:
            self.hide()
            self.setText("")
            return
        fg, bg, border = STYLE_FAIL if any(f for _l, _m, f in lines) else STYLE_WARN
        self.setStyleSheet(
            f"QLabel#yearTasksBanner {{ color: {fg}; background: {bg}; border: 1px solid {border};"
            " border-radius: 3px; padding: 4px 8px; }"
        )
        where = {"meetings": "到“机构与会议”登记会议", "annual_report": "到“年度报告”"}
        self.setText(
            "<br>".join(
                f"⚠ {html.escape(msg)}　<a href='{link}'>{where[link]}</a>"
                for link, msg, _f in lines
            )
        )
        self.show()

    def plain_text(self) -> str:
        return "\n".join(msg for _l, msg, _f in self.lines)
