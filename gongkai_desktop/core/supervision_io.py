"""监督台账 (supervision ledgers): a year's rows for the 投诉与意见台账, 监督检查台账 and 整改台账.

Each ``iter_*`` yields tuples in its ``*_HEADERS`` order, oldest first, one query read
in chunks; dates are ``date`` objects and empty text is None. The states come from
core/complaint_rules.py; the Excel side is exports/supervision_ledgers.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import sqlite_utils

from . import complaint_rules as rules
from . import rectifications
from .calendar import WorkCalendar
from .registry_io import year_range

PROVISIONAL = "推算"
ANONYMOUS = "匿名"
CHUNK = 2000

# -- 投诉与意见台账 (考核表第31–33项) ---------------------------------------------------------

# fmt: off
COMPLAINT_HEADERS = (
    "编号", "类别", "来源", "反映人", "联系方式", "收到日期", "内容", "承办人", "答复期限",
    "期限说明", "答复日期", "答复方式", "答复内容", "是否按时答复", "转送主要负责人日期",
    "主要负责人", "负责人答复期限", "负责人答复日期", "负责人答复内容", "负责人答复情况",
    "状态",
)
# fmt: on
ON_TIME, LATE, LATE_OPEN = "按时", "逾期", "逾期未答复"
_COMPLAINT_COLS = (
    "no kind source anonymous person contact received_date content handler reply_due"
    " reply_date reply_method reply_content forwarded_date principal principal_due"
    " principal_answer_date principal_answer closed_date"
).split()


def reply_timeliness(row: dict, today: date) -> str | None:
    """是否按时答复: 按时 / 逾期 (replied after the due date, still shown after 办结) /
    逾期未答复 (no reply, past due); None while the reply is not yet due."""
    if row.get("reply_date"):
        return LATE if rules.reply_late(row) else ON_TIME
    return LATE_OPEN if rules.days_left(row["reply_due"], today) < 0 else None


def count_complaints(db: sqlite_utils.Database, year: int) -> int:
    return db.execute("SELECT count(*) FROM complaints WHERE year = ?", [year]).fetchone()[0]


class _Notes:
    """期限说明 per start date: 推算 when a deadline crosses a year without an official
    holiday schedule (RULES.md §1), cached because many records share a date."""

    def __init__(self, cal: WorkCalendar):
        self.cal = cal
        self._cache: dict[tuple[str, str], str | None] = {}

    def note(self, which: str, start: str | None) -> str | None:
        if not start:
            return None
        key = (which, start)
        if key not in self._cache:
            fn = rules.reply_deadline if which == "reply" else rules.principal_deadline
            d = fn(date.fromisoformat(start), self.cal)
            text = None
            if d.provisional:
                years = "、".join(f"{y}年" for y in d.provisional_years)
                head = "" if which == "reply" else "负责人答复期限"
                text = f"{head}{PROVISIONAL}：{years}放假安排未公布"
            self._cache[key] = text
        return self._cache[key]


def iter_complaint_rows(
    db: sqlite_utils.Database,
    year: int,
    *,
    today: date | None = None,
    cal: WorkCalendar | None = None,
) -> Iterator[tuple]:
    """The year's complaints and opinions in COMPLAINT_HEADERS order, by receipt date.
    是否按时 and 状态 are judged against *today*; an anonymous person shows as 匿名."""
    today = today or date.today()
    cal = cal or WorkCalendar.from_db(db)
    notes = _Notes(cal)
    d = date.fromisoformat
    cur = db.conn.execute(
        f"SELECT {', '.join(_COMPLAINT_COLS)} FROM complaints WHERE year = ?"
        " ORDER BY received_date, id",
        [year],
    )
    while chunk := cur.fetchmany(CHUNK):
        for values in chunk:
            r = dict(zip(_COMPLAINT_COLS, values, strict=True))
            note = "；".join(
                n
                for n in (
                    notes.note("reply", r["received_date"]),
                    notes.note("principal", r["forwarded_date"]),
                )
                if n
            )
            yield (
                r["no"],
                r["kind"],
                r["source"],
                ANONYMOUS if r["anonymous"] or not r["person"] else r["person"],
                r["contact"] or None,
                d(r["received_date"]),
                r["content"],
                r["handler"] or None,
                d(r["reply_due"]),
                note or None,
                r["reply_date"] and d(r["reply_date"]),
                r["reply_method"] or None,
                r["reply_content"] or None,
                reply_timeliness(r, today),
                r["forwarded_date"] and d(r["forwarded_date"]),
                r["principal"] or None,
                r["principal_due"] and d(r["principal_due"]),
                r["principal_answer_date"] and d(r["principal_answer_date"]),
                r["principal_answer"] or None,
                rules.principal_state(r, today) or None,
                rules.complaint_state(r, today, cal),
            )


# -- 监督检查台账 (考核表第30项, seed 三(六)2) -------------------------------------------------

PATROL_HEADERS = ("序号", "巡查日期", "巡查人", "巡查对象", "检查内容", "发现问题", "整改事项")
KEY_HEADERS = (
    "半年",
    "检查情况",
    "检查日期",
    "检查组成员",
    "检查范围",
    "发现问题",
    "检查结论",
    "整改事项",
    "检查报告",
    "说明",
)
SELF_HEADERS = ("序号", "自查日期", "发现问题", "通报会议", "会议日期", "整改事项")
REPORT_DONE, REPORT_MISSING = "已生成", "未生成"


def count_inspections(db: sqlite_utils.Database, year: int) -> tuple[int, int, int]:
    """(patrols, key-inspection sheet rows, self-inspections) of the year."""
    lo, hi = year_range(year)
    patrols = db.execute(
        "SELECT count(*) FROM patrols WHERE on_date >= ? AND on_date < ?", [lo, hi]
    ).fetchone()[0]
    selfs = db.execute(
        "SELECT count(*) FROM self_inspections WHERE on_date >= ? AND on_date < ?", [lo, hi]
    ).fetchone()[0]
    halves = db.execute(
        "SELECT half, count(*) FROM key_inspections WHERE year = ? GROUP BY half", [year]
    ).fetchall()
    per_half = dict(halves)
    return patrols, sum(max(1, per_half.get(h, 0)) for h in (1, 2)), selfs


def count_key_inspections(db: sqlite_utils.Database, year: int) -> int:
    return db.execute("SELECT count(*) FROM key_inspections WHERE year = ?", [year]).fetchone()[0]


def iter_patrol_rows(
    db: sqlite_utils.Database, year: int, *, today: date | None = None
) -> Iterator[tuple]:
    """日常巡查: the year's patrols in PATROL_HEADERS order."""
    today = today or date.today()
    d = date.fromisoformat
    cur = db.conn.execute(
        "SELECT id, on_date, who, target, checked, findings FROM patrols"
        " WHERE on_date >= ? AND on_date < ? ORDER BY on_date, id",
        list(year_range(year)),
    )
    n = 0
    while chunk := cur.fetchmany(CHUNK):
        rects = _rect_summary(db, "patrols", [r[0] for r in chunk], today)
        for pid, on_date, who, target, checked, findings in chunk:
            n += 1
            yield (n, d(on_date), who, target, checked or None, findings or None, rects.get(pid))


def _rect_summary(db: sqlite_utils.Database, table: str, ids: list[int], today: date) -> dict:
    """整改事项 per source row: "2项（已完成1项，逾期1项）"."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        "SELECT source_id, count(*), count(done_date),"
        " sum(done_date IS NULL AND due_date < ?) FROM rectifications"
        f" WHERE source_table = ? AND source_id IN ({marks}) GROUP BY source_id",
        [today.isoformat(), table, *ids],
    ).fetchall()
    out = {}
    for sid, total, done, late in rows:
        parts = [f"已完成{done}项"] if done else []
        if late:
            parts.append(f"逾期未完成{late}项")
        out[sid] = f"{total}项" + (f"（{'，'.join(parts)}）" if parts else "（均未完成）")
    return out


def iter_key_inspection_rows(
    db: sqlite_utils.Database, year: int, *, today: date | None = None
) -> Iterator[tuple]:
    """半年重点检查 in KEY_HEADERS order: every inspection of the year, and one row for a
    half-year without any, whose 检查情况 and 说明 say so (未检查 / 即将结束未检查 /
    已过期未检查, from complaint_rules.half_year_status)."""
    today = today or date.today()
    d = date.fromisoformat
    rows = db.execute(
        "SELECT id, half, on_date, team, scope, findings, conclusion, report_pdf IS NOT NULL"
        " FROM key_inspections WHERE year = ? ORDER BY on_date, id",
        [year],
    ).fetchall()
    rects = _rect_summary(db, "key_inspections", [r[0] for r in rows], today)
    for half in (1, 2):
        mine = [r for r in rows if r[1] == half]
        status = rules.half_year_status(year, half, [r[2] for r in mine], today)
        if not mine:
            yield (status.label, status.state, *[None] * 7, status.explain())
        for kid, _h, on_date, team, scope, findings, conclusion, has_pdf in mine:
            yield (
                status.label,
                status.state,
                d(on_date),
                team or None,
                scope or None,
                findings,
                conclusion,
                rects.get(kid, "无"),
                REPORT_DONE if has_pdf else REPORT_MISSING,
                None,
            )


def half_years_without_inspection(
    db: sqlite_utils.Database, year: int, *, today: date | None = None
) -> list[rules.HalfYearStatus]:
    """The year's half-years that have no key inspection (any state but 已检查)."""
    today = today or date.today()
    dates = [r[0] for r in db.execute("SELECT on_date FROM key_inspections WHERE year = ?", [year])]
    statuses = [rules.half_year_status(year, h, dates, today) for h in (1, 2)]
    return [s for s in statuses if not s.dates]


def iter_self_inspection_rows(
    db: sqlite_utils.Database, year: int, *, today: date | None = None
) -> Iterator[tuple]:
    """定期自查 in SELF_HEADERS order."""
    today = today or date.today()
    d = date.fromisoformat
    rows = db.execute(
        "SELECT id, on_date, findings, meeting_kind, meeting_date FROM self_inspections"
        " WHERE on_date >= ? AND on_date < ? ORDER BY on_date, id",
        list(year_range(year)),
    ).fetchall()
    rects = _rect_summary(db, "self_inspections", [r[0] for r in rows], today)
    for n, (sid, on_date, findings, kind, meeting) in enumerate(rows, 1):
        yield (n, d(on_date), findings, kind or None, meeting and d(meeting), rects.get(sid, "无"))


# -- 整改台账 ----------------------------------------------------------------------------------

RECTIFICATION_HEADERS = (
    "序号",
    "来源",
    "来源记录",
    "问题",
    "责任人",
    "整改措施",
    "整改期限",
    "完成日期",
    "整改佐证",
    "状态",
)
_HALF = rules.HALF_LABELS


def count_rectifications(db: sqlite_utils.Database, year: int) -> int:
    return db.execute("SELECT count(*) FROM rectifications WHERE year = ?", [year]).fetchone()[0]


def iter_rectification_rows(
    db: sqlite_utils.Database, year: int, *, today: date | None = None
) -> Iterator[tuple]:
    """The year's rectifications in RECTIFICATION_HEADERS order, by due date.
    来源记录 names the record it came from (complaint number, inspection, item);
    状态 is rectifications.state (已完成 / 逾期完成 / 整改中 / 已逾期)."""
    today = today or date.today()
    d = date.fromisoformat
    cur = db.conn.execute(
        "SELECT r.source, r.problem, r.responsible, r.measure, r.due_date, r.done_date,"
        " r.evidence, c.no, k.year, k.half, k.on_date, s.on_date, p.on_date, i.index_no, i.title"
        " FROM rectifications r"
        " LEFT JOIN complaints c ON r.source_table = 'complaints' AND c.id = r.source_id"
        " LEFT JOIN key_inspections k ON r.source_table = 'key_inspections' AND k.id = r.source_id"
        " LEFT JOIN self_inspections s ON r.source_table = 'self_inspections'"
        " AND s.id = r.source_id"
        " LEFT JOIN patrols p ON r.source_table = 'patrols' AND p.id = r.source_id"
        " LEFT JOIN items i ON r.source_table = 'items' AND i.id = r.source_id"
        " WHERE r.year = ? ORDER BY r.due_date, r.id",
        [year],
    )
    n = 0
    while chunk := cur.fetchmany(CHUNK):
        for (source, problem, who, measure, due, done, evidence, c_no, k_year, k_half,
             k_date, s_date, p_date, i_no, i_title) in chunk:  # fmt: skip
            n += 1
            if c_no:
                origin = f"{c_no}号"
            elif k_year:
                origin = f"{k_year}年{_HALF.get(k_half, '')}重点检查（{k_date}）"
            elif s_date:
                origin = f"定期自查（{s_date}）"
            elif p_date:
                origin = f"日常巡查（{p_date}）"
            elif i_title:
                origin = f"{i_no}“{i_title}”" if i_no else f"“{i_title}”"
            else:
                origin = None
            yield (
                n,
                source,
                origin,
                problem,
                who,
                measure or None,
                d(due),
                done and d(done),
                evidence or None,
                rectifications.state({"due_date": due, "done_date": done}, today),
            )
