"""依申请公开登记台账 (applications ledger): a year's rows for export, and importing one back.

The layout (headers, 征求意见明细) and the export: :func:`iter_ledger_rows` yields the
year's applications in LEDGER_HEADERS order. Importing is core/application_import.py;
the Excel side is exports/applications_ledger.py.

Consultations: 征求意见开始日期 is the first request's date and 征求意见结束日期 the day the
last one ended (blank while one is still out). Every request is also one line of
征求意见明细, ``第三方：某公司，2026-03-02发出，2026-03-10答复，同意公开`` (or ``未答复`` /
``征求意见中``), which the importer reads back, so several consultations round-trip.
A sheet without that column gives one consultation from the two date columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import sqlite_utils

from .application_store import (
    PAUSE_COLUMNS,
    catalog,
    clock_of,
    is_overdue,
    pause_is_open,
)
from .calendar import WorkCalendar
from .deadlines import add_working_days
from .registry_io import clean_header, parse_date

# fmt: off
REQUIRED_HEADERS = (  # issue 3: spelled exactly like this
    "申请编号", "收到日期", "申请人类型", "申请人", "申请方式", "申请内容", "补正告知日期",
    "补正收到日期", "征求意见开始日期", "征求意见结束日期", "延期工作日", "答复日期", "办理结果",
    "答复期限", "是否逾期",
)
LEDGER_HEADERS = (*REQUIRED_HEADERS, "当前状态", "答复类型", "补正期限", "征求意见明细", "延期批准人",
                  "期限说明")
# fmt: on
REQUIRED = ("收到日期", "申请人类型", "申请人", "申请方式", "申请内容")
COMPUTED = ("答复期限", "是否逾期", "当前状态", "期限说明")  # written on export, ignored on import
YES, NO = "是", "否"
PROVISIONAL = "推算"
_COLS = (
    "id",
    "app_no",
    "received_date",
    "applicant_type",
    "applicant_name",
    "channel",
    "content",
    "supplement_requested",
    "supplement_received",
    "supplement_deadline",
    "extension_days",
    "extension_approver",
    "answer_date",
    "answer_type",
    "result",
    "result_reason",
    "closed_date",
    "state",
    "answer_due",
    "provisional",
)


# -- 征求意见明细 ----------------------------------------------------------------------------

_SILENT, _OPEN = "未答复", "征求意见中"
_PAUSE_LINE = re.compile(
    r"^(?P<kind>第三方|其他机关)(?:[：:](?P<party>.*?))?[，,]\s*(?P<start>\d{4}-\d{1,2}-\d{1,2})发出"
    r"[，,]\s*(?:(?P<reply>\d{4}-\d{1,2}-\d{1,2})答复|(?P<silent>未答复)|(?P<open>征求意见中))"
    r"(?:[，,]\s*(?P<outcome>.*))?$"
)


def pause_line(p: dict) -> str:
    party, outcome = (" ".join(str(p[k]).split()) for k in ("party", "outcome"))
    head = f"{p['kind']}：{party}" if party else p["kind"]
    if pause_is_open(p):
        return f"{head}，{p['start']}发出，{_OPEN}"
    tail = f"{p['reply']}答复" if p["reply"] else _SILENT
    return f"{head}，{p['start']}发出，{tail}，{outcome}"


def parse_pause_lines(text: str) -> list[dict]:
    """Inverse of pause_line for each non-blank line; ValueError names the bad line."""
    out = []
    for line in (ln.strip() for ln in str(text).splitlines()):
        if not line:
            continue
        m = _PAUSE_LINE.match(line)
        if not m:
            raise ValueError(line)
        silent = bool(m["silent"])
        outcome = (m["outcome"] or "").strip()
        if not m["open"] and not outcome:
            outcome = "已答复" if m["reply"] else "逾期未提出意见"
        out.append(
            {
                "kind": m["kind"],
                "party": (m["party"] or "").strip(),
                "start": parse_date(m["start"]),
                "reply": parse_date(m["reply"]) if m["reply"] else None,
                "outcome": "" if m["open"] else outcome,
                "silent": silent,
            }
        )
    return out


def _pause_end(p: dict, cal: WorkCalendar) -> date | None:
    if pause_is_open(p):
        return None
    if p["reply"]:
        return date.fromisoformat(p["reply"])
    return add_working_days(date.fromisoformat(p["start"]), p["reply_working_days"], cal).due


# -- Export ----------------------------------------------------------------------------


def count_year(db: sqlite_utils.Database, year: int) -> int:
    return db.execute("SELECT count(*) FROM applications WHERE year = ?", [year]).fetchone()[0]


def iter_ledger_rows(
    db: sqlite_utils.Database,
    year: int,
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> Iterator[tuple]:
    """Yield the year's applications as tuples in LEDGER_HEADERS order, by receipt date.
    Dates are ``date`` objects, empty text is None; 是否逾期 is judged against *today*."""
    today = today or date.today()
    cal = cal or WorkCalendar.from_db(db)
    cat = catalog()
    by_app: dict[int, list[dict]] = {}
    for r in db.execute(
        f"SELECT {', '.join(PAUSE_COLUMNS)} FROM app_pauses WHERE app_id IN"
        " (SELECT id FROM applications WHERE year = ?) ORDER BY app_id, start, id",
        [year],
    ):
        p = dict(zip(PAUSE_COLUMNS, r, strict=True))
        by_app.setdefault(p["app_id"], []).append(p)
    d = date.fromisoformat
    cur = db.conn.execute(
        f"SELECT {', '.join(_COLS)} FROM applications WHERE year = ? ORDER BY received_date, id",
        [year],
    )
    for values in cur:
        a = dict(zip(_COLS, values, strict=True))
        ps = by_app.get(a["id"], [])
        ends = [_pause_end(p, cal) for p in ps]
        note = None
        if a["provisional"]:
            years = "、".join(f"{y}年" for y in clock_of(a, ps, cal).provisional_years)
            note = f"{PROVISIONAL}：{years}放假安排未公布"
        yield (
            a["app_no"],
            d(a["received_date"]),
            a["applicant_type"],
            a["applicant_name"],
            a["channel"],
            a["content"],
            a["supplement_requested"] and d(a["supplement_requested"]),
            a["supplement_received"] and d(a["supplement_received"]),
            d(ps[0]["start"]) if ps else None,
            max(ends) if ps and all(ends) else None,
            a["extension_days"] or None,
            a["answer_date"] and d(a["answer_date"]),
            cat.result_label(a["result"], a["result_reason"]) if a["result"] else None,
            a["answer_due"] and d(a["answer_due"]),
            YES if is_overdue(a, today) else NO,
            a["state"],
            cat.answer_types.get(a["answer_type"]) if a["answer_type"] else None,
            a["supplement_deadline"] and d(a["supplement_deadline"]),
            "\n".join(pause_line(p) for p in ps) or None,
            a["extension_approver"] or None,
            note,
        )


def map_headers(cells: Iterable[Any]) -> dict[str, int] | None:
    """Column index of each known header, or None if this is not the header row."""
    found: dict[str, int] = {}
    for i, v in enumerate(cells):
        h = clean_header(v)
        if h in LEDGER_HEADERS and h not in found:
            found[h] = i
    return found if "申请人" in found and "收到日期" in found else None
