"""会议台账 (meetings ledger): a year's meetings as rows for the .xlsx ledger.

Rows follow MEETING_HEADERS, oldest first, dates as ``date`` objects, empty text as
None. 计入专题会议 says whether the meeting counts toward the leading group's two
special meetings a year (seed 三(一)2; core/meetings.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import sqlite_utils

from .meetings import COUNTED_BODY, SPECIAL
from .organisation import BODY_NAMES

MEETING_HEADERS = ("序号", "会议日期", "会议类型", "召开机构", "会议议题", "参会人员",
                   "议定事项", "会议纪要", "计入专题会议")  # fmt: skip
CHUNK = 2000


def _range(year: int) -> tuple[str, str]:
    return f"{int(year):04d}-01-01", f"{int(year):04d}-12-31"


def count_meetings(db: sqlite_utils.Database, year: int) -> int:
    return db.execute(
        "SELECT count(*) FROM meetings WHERE on_date BETWEEN ? AND ?", _range(year)
    ).fetchone()[0]


def count_special(db: sqlite_utils.Database, year: int) -> int:
    """The leading group's special meetings in *year* (the 2-a-year requirement)."""
    return db.execute(
        "SELECT count(*) FROM meetings WHERE on_date BETWEEN ? AND ? AND kind = ? AND body = ?",
        [*_range(year), SPECIAL, COUNTED_BODY],
    ).fetchone()[0]


def iter_meeting_rows(db: sqlite_utils.Database, year: int) -> Iterator[tuple]:
    cur = db.execute(
        "SELECT on_date, kind, body, subject, attendees, decisions, minutes FROM meetings"
        " WHERE on_date BETWEEN ? AND ? ORDER BY on_date, id",
        _range(year),
    )
    n = 0
    while rows := cur.fetchmany(CHUNK):
        for on_date, kind, body, subject, attendees, decisions, minutes in rows:
            n += 1
            counted = kind == SPECIAL and body == COUNTED_BODY
            yield (
                n, date.fromisoformat(on_date), kind, BODY_NAMES.get(body, body) or None,
                subject, attendees or None, decisions or None, minutes or None,
                "是" if counted else "否",
            )  # fmt: skip
