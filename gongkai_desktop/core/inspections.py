"""监督检查 (supervision): the daily patrol log, the half-yearly key inspection and
self-inspection.

- 日常巡查: the supervisory group checks the website column, the bulletin board and the
  reading room day to day (考核表第30项; seed 四、第二阶段3).
- 半年重点检查: one key inspection every half year with a written report (考核表第30项).
- 定期自查: results reported at the 局务会 or the 全体人员大会, problems fixed (seed 三(六)2).

Findings that need fixing become rectifications (core/rectifications.py) in the same
transaction as the record. Each write has an audit row.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import sqlite_utils

from . import audit, profile
from . import complaint_rules as rules
from . import rectifications as rect
from .db import transaction
from .errors import ValidationError

PATROL_TARGETS = ("网站栏目", "公开栏", "阅览室")  # suggestions; free text is kept
MEETING_KINDS = rules.MEETING_KINDS
PATROL_COLUMNS = ("id", "on_date", "who", "target", "checked", "findings", "created_at")
KEY_COLUMNS = (
    "id", "year", "half", "on_date", "team", "scope", "findings", "conclusion", "created_at",
)  # fmt: skip
SELF_COLUMNS = ("id", "on_date", "findings", "meeting_kind", "meeting_date", "created_at")
NO_FINDINGS = "未发现问题"


def _day(value: Any, label: str, today: date) -> date:
    d = rules.as_date(value, label)
    if d > today:
        raise ValidationError(f"{label} {d} 晚于今天（{today}），不能登记将来的日期。")
    return d


def _text(value: Any) -> str:
    return str(value or "").strip()


def _insert(db, table: str, row: dict, operator: str) -> int:
    cur = db.execute(
        f"INSERT INTO {table}({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    audit.record(db, operator, table, cur.lastrowid, "insert", None, row)
    return cur.lastrowid


def _add(db, table: str, row: dict, rects: list[dict], operator: str) -> int:
    """The record and its rectifications, one transaction."""
    with transaction(db):
        new_id = _insert(db, table, row | {"created_at": audit.now_iso()}, operator)
        for r in rects:
            rect.insert(db, r, operator, table, new_id)
    return new_id


# -- recording ------------------------------------------------------------------------------


def add_patrol(
    db: sqlite_utils.Database,
    on_date: Any,
    who: str,
    target: str,
    checked: str,
    findings: str,
    *,
    rectifications: Any = None,
    today: date | None = None,
) -> int:
    """日常巡查: date, who patrolled, what (网站栏目/公开栏/阅览室…), what was checked,
    the findings. ``rectifications=[…]`` (source 监督检查) are added with it."""
    today = today or date.today()
    d = _day(on_date, "巡查日期", today)
    row = {"on_date": d.isoformat(), "who": _text(who), "target": _text(target)}
    row |= {"checked": _text(checked), "findings": _text(findings)}
    if not row["who"]:
        raise ValidationError("请填写巡查人。")
    if not row["target"]:
        raise ValidationError("请填写巡查对象，例如：" + "、".join(PATROL_TARGETS) + "。")
    rects = rect.check_all(rectifications, source="监督检查", found=d, today=today)
    return _add(db, "patrols", row, rects, profile.operator(db))


def add_key_inspection(
    db: sqlite_utils.Database,
    on_date: Any,
    team: str,
    scope: str,
    findings: str,
    conclusion: str,
    *,
    who: str | None = None,
    rectifications: Any = None,
    today: date | None = None,
) -> int:
    """半年重点检查 (考核表第30项); the half-year comes from the date. Findings and a
    conclusion are required; each rectification dict (problem, responsible, measure,
    due_date) becomes a rectification with source 监督检查, all in one transaction."""
    today = today or date.today()
    d = _day(on_date, "检查日期", today)
    row = {"year": d.year, "half": rules.half_of(d), "on_date": d.isoformat()}
    row |= {"team": _text(team), "scope": _text(scope)}
    row |= {"findings": _text(findings), "conclusion": _text(conclusion)}
    if not row["team"]:
        raise ValidationError("请填写检查组成员（监督小组）。")
    if not row["findings"]:
        raise ValidationError(
            f"请写明重点检查发现的问题；没有发现问题的，请写“{NO_FINDINGS}”（考核表第30项要求形成检查报告）。"
        )
    if not row["conclusion"]:
        raise ValidationError("请填写检查结论。")
    rects = rect.check_all(rectifications, source="监督检查", found=d, today=today)
    return _add(db, "key_inspections", row, rects, who or profile.operator(db))


def store_report(
    db: sqlite_utils.Database, inspection_id: int, pdf: bytes, *, who: str | None = None
) -> None:
    """Keep the generated report PDF with the inspection (one file carries everything)."""
    if not pdf:
        raise ValidationError("检查报告为空，未保存。请重新生成。")
    old = db.execute(
        "SELECT length(report_pdf), report_pdf FROM key_inspections WHERE id = ?", [inspection_id]
    ).fetchone()
    if old is None:
        raise ValidationError("该重点检查记录已被删除。请刷新列表。")
    before = {"report_pdf": _pdf_label(old[1])} if old[1] else None
    with transaction(db):
        db.execute("UPDATE key_inspections SET report_pdf = ? WHERE id = ?", [pdf, inspection_id])
        audit.record(db, who or profile.operator(db), "key_inspections", inspection_id, "update",
                     before, {"report_pdf": _pdf_label(pdf)})  # fmt: skip


def _pdf_label(pdf: bytes) -> str:
    return f"PDF {len(pdf)} 字节 sha256:{hashlib.sha256(pdf).hexdigest()[:16]}"


def report_pdf(db: sqlite_utils.Database, inspection_id: int) -> bytes | None:
    r = db.execute(
        "SELECT report_pdf FROM key_inspections WHERE id = ?", [inspection_id]
    ).fetchone()
    return bytes(r[0]) if r and r[0] else None


def add_self_inspection(
    db: sqlite_utils.Database,
    on_date: Any,
    findings: str,
    meeting_kind: str,
    meeting_date: Any,
    *,
    rectifications: Any = None,
    who: str | None = None,
    today: date | None = None,
) -> int:
    """定期自查 (seed 三(六)2): findings, and the meeting where they were reported
    (局务会 / 全体人员大会; may be added later). Rectifications have source 自查."""
    today = today or date.today()
    d = _day(on_date, "自查日期", today)
    row = {"on_date": d.isoformat(), "findings": _text(findings)}
    if not row["findings"]:
        raise ValidationError(f"请写明自查发现的问题；没有发现问题的，请写“{NO_FINDINGS}”。")
    kind = _text(meeting_kind)
    meeting = meeting_date not in (None, "") and _day(meeting_date, "通报会议日期", today)
    if kind or meeting:
        kind = rules.choice(kind, MEETING_KINDS, "通报会议")
    if meeting and meeting < d:
        raise ValidationError(f"通报会议日期 {meeting} 早于自查日期 {d}，请核对。")
    row |= {"meeting_kind": kind, "meeting_date": meeting.isoformat() if meeting else None}
    rects = rect.check_all(rectifications, source="自查", found=d, today=today)
    return _add(db, "self_inspections", row, rects, who or profile.operator(db))


def delete(
    db: sqlite_utils.Database, table: str, record_id: int, *, who: str | None = None
) -> None:
    """Delete a patrol, key inspection or self-inspection with its rectifications."""
    cols = {"patrols": PATROL_COLUMNS, "key_inspections": KEY_COLUMNS,
            "self_inspections": SELF_COLUMNS}[table]  # fmt: skip
    r = db.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?", [record_id]).fetchone()
    if r is None:
        return
    operator = who or profile.operator(db)
    with transaction(db):
        rect.delete_rows(db, rect.for_source(db, table, record_id), operator)
        db.execute(f"DELETE FROM {table} WHERE id = ?", [record_id])
        audit.record(
            db, operator, table, record_id, "delete", dict(zip(cols, r, strict=True)), None
        )


# -- reading --------------------------------------------------------------------------------


def _year_rows(db, table: str, cols: tuple[str, ...], year: int) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(cols)} FROM {table} WHERE on_date >= ? AND on_date < ?"
        " ORDER BY on_date, id",
        [f"{int(year):04d}-01-01", f"{int(year) + 1:04d}-01-01"],
    ).fetchall()
    out = [dict(zip(cols, r, strict=True)) for r in rows]
    for row in out:
        row["rectifications"] = len(rect.for_source(db, table, row["id"]))
    return out


def patrols(db: sqlite_utils.Database, year: int) -> list[dict]:
    return _year_rows(db, "patrols", PATROL_COLUMNS, year)


def key_inspections(db: sqlite_utils.Database, year: int) -> list[dict]:
    """The year's key inspections with ``has_report`` and ``rectifications`` (a count)."""
    rows = _year_rows(db, "key_inspections", KEY_COLUMNS, year)
    for row in rows:
        row["has_report"] = bool(
            db.execute(
                "SELECT report_pdf IS NOT NULL FROM key_inspections WHERE id = ?", [row["id"]]
            ).fetchone()[0]
        )
    return rows


def self_inspections(db: sqlite_utils.Database, year: int) -> list[dict]:
    return _year_rows(db, "self_inspections", SELF_COLUMNS, year)


def half_year_checks(
    db: sqlite_utils.Database, year: int, today: date
) -> list[rules.HalfYearStatus]:
    """The two halves of *year* against 考核表第30项 (one key inspection each)."""
    dates = [r[0] for r in db.execute("SELECT on_date FROM key_inspections WHERE year = ?", [year])]
    return [rules.half_year_status(year, h, dates, today) for h in (1, 2)]


def warnings(db: sqlite_utils.Database, today: date) -> list[rules.HalfYearStatus]:
    """Halves the window should warn about: this year's ending or missed halves, and last
    year's second half while it can still be made up (today in the first half)."""
    out = [s for s in half_year_checks(db, today.year, today) if s.needs_attention]
    if rules.half_of(today) == 1 and _in_use(db, today.year - 1):
        last = half_year_checks(db, today.year - 1, today)[1]
        if last.needs_attention:
            out.insert(0, last)
    return out


def _in_use(db: sqlite_utils.Database, year: int) -> bool:
    """Whether the office kept its records here in *year* (a new file warns about no past)."""
    a, b = f"{year}-01-01", f"{year}-12-31"
    return any(
        db.execute(f"SELECT 1 FROM {table} WHERE {col} BETWEEN ? AND ? LIMIT 1", [a, b]).fetchone()
        for table, col in (("items", "formed_date"), ("applications", "received_date"),
                           ("complaints", "received_date"), ("patrols", "on_date"),
                           ("key_inspections", "on_date"))
    )


def report_context(db: sqlite_utils.Database, inspection_id: int) -> dict:
    """Everything the key inspection report (PDF) shows; figures are as of the inspection
    date, for the half-year it belongs to."""
    r = db.execute(
        f"SELECT {', '.join(KEY_COLUMNS)} FROM key_inspections WHERE id = ?", [inspection_id]
    ).fetchone()
    if r is None:
        raise ValidationError("该重点检查记录已被删除。请刷新列表。")
    ki = dict(zip(KEY_COLUMNS, r, strict=True))
    start, end = rules.half_bounds(ki["year"], ki["half"])
    upto = min(end.isoformat(), ki["on_date"])
    span = [start.isoformat(), upto]
    t = ki["on_date"]
    cq = db.execute(
        "SELECT count(*), coalesce(sum(reply_date <= :t), 0),"
        " coalesce(sum(reply_date <= :t AND reply_date <= reply_due), 0),"
        " coalesce(sum(reply_date <= :t AND reply_date > reply_due), 0),"
        " coalesce(sum((reply_date IS NULL OR reply_date > :t) AND reply_due < :t), 0)"
        " FROM complaints WHERE received_date BETWEEN :a AND :b",
        {"t": t, "a": span[0], "b": span[1]},
    ).fetchone()
    oq = db.execute(
        "SELECT count(*), coalesce(sum(principal_answer_date <= :t), 0),"
        " coalesce(sum(principal_answer_date <= :t AND principal_answer_date > principal_due), 0)"
        " FROM complaints WHERE forwarded_date BETWEEN :a AND :b",
        {"t": t, "a": span[0], "b": span[1]},
    ).fetchone()
    kinds = dict.fromkeys(rules.KINDS, 0)
    for kind, n in db.execute(
        "SELECT kind, count(*) FROM complaints WHERE received_date BETWEEN ? AND ? GROUP BY kind",
        span,
    ):
        kinds[kind] = n
    pat = [p for p in patrols(db, ki["year"]) if span[0] <= p["on_date"] <= span[1]]
    prof = profile.load(db) or profile.UnitProfile()
    half_label = rules.HALF_LABELS[ki["half"]]
    return {
        **ki,
        "unit_name": prof.unit_name,
        "half_label": half_label,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "title": f"{prof.unit_name}{ki['year']}年{half_label}政务公开工作重点检查报告",
        "rectifications": rect.for_source(db, "key_inspections", inspection_id),
        "patrols": pat,
        "complaints": {
            "received": cq[0],
            "by_kind": kinds,
            "replied": cq[1],
            "on_time": cq[2],
            "late": cq[3],
            "pending": cq[0] - cq[1],
            "overdue": cq[4],
        },  # fmt: skip
        "opinions": {
            "forwarded": oq[0],
            "answered": oq[1],
            "answered_late": oq[2],
            "pending": oq[0] - oq[1],
        },  # fmt: skip
        "channels": {
            "consult_phone": prof.consult_phone,
            "complaint_phone": prof.complaint_phone,
            "report_phone": prof.report_phone,
            "opinion_box": prof.opinion_box,
            "online_channel": prof.online_channel,
        },  # fmt: skip
        "operator": prof.operator,
    }
