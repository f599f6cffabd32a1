"""政府信息公开工作年度报告 (annual report): its tables, checks, texts, publication and deadline.

Format 国办公开办函〔2021〕30号 (RULES.md §6): six sections; 二、三、四 are tables 2, 3 and
4 (core/annual_tables.py); 一、五、六 are written by the clerk from drafts stating the
year's figures (core/annual_drafts.py). Publishing records the date and locks the year
(core/year_lock.py). The wording of the PDF and the deadlines are data:
resources/reports/annual_report.txt.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import sqlite_utils

from ..paths import resource
from . import audit, profile, year_lock
from .annual_drafts import draft_sections
from .annual_tables import (
    MANUAL_ROWS,
    TABLE2_BLOCKS,
    Check,
    Table2,
    Table3,
    Table4,
    checks,
    manual_values,
    table2,
    table2_columns,
    table3,
    table4,
)
from .db import transaction
from .errors import ValidationError
from .text_templates import read_template, titles

SECTIONS = {"section1": "一、总体情况", "section5": "五、存在的主要问题及改进情况",
            "section6": "六、其他需要报告的事项"}  # fmt: skip
REPORT_NAME = "政府信息公开工作年度报告"
DEFAULT_DEADLINES = {"政府部门": "01-31", "人民政府": "03-31"}  # 条例第四十九条


# -- the format file ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFormat:
    title: tuple[str, ...]  # one string per title line
    draft_mark: str
    signature: str
    deadlines: dict[str, str]
    phrases: dict[str, str]
    lines: tuple[str, ...]


def format_path():
    return resource("reports", "annual_report.txt")


@cache
def report_format() -> ReportFormat:
    """resources/reports/annual_report.txt: JSON header, ``---``, one paragraph per line."""
    return read_template(
        format_path(),
        "年度报告模板",
        _report_format,
        hint="；发布期限写成“01-31”这样的月-日",
    )


def _report_format(meta: dict, lines: list[str]) -> ReportFormat:
    deadlines = {**DEFAULT_DEADLINES, **meta.get("deadlines", {})}
    for v in deadlines.values():
        date.fromisoformat(f"2001-{v}")
    return ReportFormat(
        title=tuple(titles(meta)),
        draft_mark=str(meta.get("draft_mark", "（草稿）")),
        signature=str(meta.get("signature", "{unit_name}")),
        deadlines=deadlines,
        phrases={str(k): str(v) for k, v in meta.get("phrases", {}).items()},
        lines=tuple(lines),
    )


# -- the report ---------------------------------------------------------------------------


@dataclass
class AnnualReport:
    year: int
    unit_name: str
    unit_type: str
    table2: Table2
    table3: Table3
    table4: Table4
    checks: list[Check]
    sections: dict[str, str]
    drafted: tuple[str, ...] = ()  # sections taken from the draft (nothing saved yet)
    published_date: str | None = None
    locked: bool = False
    changed_after_publish: bool = False
    unlocks: list[dict] = field(default_factory=list)
    deadline: date | None = None
    contacts: dict[str, str] = field(default_factory=dict)  # the profile's public channels

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def title(self) -> str:
        return f"{self.unit_name}{self.year}年{REPORT_NAME}"

    def to_json(self) -> dict:
        """The shape of issue 5 §6 (`gongkai annual-report --json`)."""
        return {
            "year": self.year,
            "table3": self.table3.to_json(),
            "table4": self.table4.to_json(),
            "table2": self.table2.to_json(),
            "checks": [{"name": c.name, "ok": c.ok} for c in self.checks],
        }


def _row(db: sqlite_utils.Database, year: int) -> dict | None:
    cols = ("year", "section1", "section5", "section6", "table2_manual", "published_date",
            "locked", "changed_after_publish", "updated_at")  # fmt: skip
    r = db.execute(
        f"SELECT {', '.join(cols)} FROM annual_reports WHERE year = ?", [year]
    ).fetchone()
    return dict(zip(cols, r, strict=True)) if r else None


def _check_year(year: Any) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        y = 0
    if not 1949 <= y <= 2200:
        raise ValidationError(f"年份“{year}”无效，请写四位年份，例如 2026。")
    return y


def report(db: sqlite_utils.Database, year: int, *, today: date | None = None) -> AnnualReport:
    """The year's report as it stands: tables from the records, checks, and the texts
    (the saved ones, or the drafts for sections not yet written)."""
    year = _check_year(year)
    prof = profile.load(db)
    row = _row(db, year) or {}
    t2, t3, t4 = table2(db, year), table3(db, year), table4(db, year)
    sections, drafted = {}, []
    drafts: dict[str, str] | None = None
    for key in SECTIONS:
        text = (row.get(key) or "").strip()
        if not text:
            drafts = drafts if drafts is not None else draft_sections(db, year, today=today)
            text, _ = drafts[key], drafted.append(key)
        sections[key] = text
    return AnnualReport(
        year=year,
        unit_name=prof.unit_name if prof else "",
        unit_type=prof.unit_type if prof else profile.UNIT_TYPES[0],
        table2=t2,
        table3=t3,
        table4=t4,
        checks=checks(t3, t4, t2),
        sections=sections,
        drafted=tuple(drafted),
        published_date=row.get("published_date"),
        locked=bool(row.get("locked")),
        changed_after_publish=bool(row.get("changed_after_publish")),
        unlocks=year_lock.unlocks(db, year),
        deadline=deadline(db, year),
        contacts={k: getattr(prof, k, "") for k in ("online_channel", "consult_phone")}
        if prof
        else {},
    )


def _upsert(db: sqlite_utils.Database, year: int, changes: dict, who: str) -> None:
    """Write *changes* to the year's annual_reports row (created if missing), audited.
    Must run inside a transaction."""
    before = _row(db, year)
    now = audit.now_iso()
    if before is None:
        row = {"year": year, "section1": "", "section5": "", "section6": "",
               "table2_manual": "{}", "published_date": None, "locked": 0,
               "changed_after_publish": 0, "updated_at": now} | changes  # fmt: skip
        cols = list(row)
        db.execute(
            f"INSERT INTO annual_reports({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        audit.record(db, who, "annual_reports", year, "insert", None, row)
        return
    after = before | changes | {"updated_at": now}
    sets = [c for c in after if after[c] != before[c]]
    db.execute(
        f"UPDATE annual_reports SET {', '.join(f'{c} = ?' for c in sets)} WHERE year = ?",
        [*(after[c] for c in sets), year],
    )
    audit.record(db, who, "annual_reports", year, "update", before, after)


def save_sections(
    db: sqlite_utils.Database, year: int, sections: dict[str, str], who: str | None = None
) -> None:
    """Save the clerk's text of sections 一、五、六 (keys section1, section5, section6)."""
    year = _check_year(year)
    unknown = [k for k in sections if k not in SECTIONS]
    if unknown:
        raise ValidationError(
            "年度报告只有第一、五、六部分由经办人填写（section1、section5、section6）。"
        )
    changes = {k: str(v or "").strip() for k, v in sections.items()}
    who = who or profile.operator(db)
    with transaction(db):
        year_lock.check_editable(db, date(year, 12, 31))
        _upsert(db, year, changes, who)


def _number(row: str, col: str, value: Any) -> int | float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    is_fee = row == "行政事业性收费"
    try:
        if isinstance(value, bool):
            raise ValueError
        n = float(str(value).strip()) if is_fee else int(str(value).strip())
        if not math.isfinite(n):
            raise ValueError
    except ValueError:
        kind = "不小于 0 的数（单位：万元，最多四位小数）" if is_fee else "不小于 0 的整数"
        raise ValidationError(f"表二“{row}”的“{col}”应为{kind}，现在是“{value}”。") from None
    if n < 0:
        raise ValidationError(f"表二“{row}”的“{col}”不能为负数。")
    return round(n, 4) if is_fee else n


def save_table2_manual(
    db: sqlite_utils.Database, year: int, values: dict, who: str | None = None
) -> dict:
    """Save the clerk's table 2 figures. *values*: row → number (rows with one column:
    行政许可, 行政处罚, 行政强制, 行政事业性收费 in 万元) or row → {column: number} (also to
    override a registry figure of 规章 / 行政规范性文件). None or "" clears a figure.
    Returns the stored figures."""
    year = _check_year(year)
    rows = [r for _b, _c, rs in TABLE2_BLOCKS for r in rs]
    stored = manual_values(db, year)
    for row, given in values.items():
        if row not in rows:
            raise ValidationError(f"表二没有“{row}”这一行。可填写：" + "、".join(rows) + "。")
        cols = table2_columns(row)
        if not isinstance(given, dict):
            if len(cols) != 1:
                raise ValidationError(f"表二“{row}”有三栏，请分别填写：" + "、".join(cols) + "。")
            given = {cols[0]: given}
        cur = dict(stored.get(row) or {})
        for col, v in given.items():
            if col not in cols:
                raise ValidationError(f"表二“{row}”没有“{col}”一栏。")
            n = _number(row, col, v)
            if n is None:
                cur.pop(col, None)
            else:
                cur[col] = n
        stored[row] = cur
    stored = {r: v for r, v in stored.items() if v}
    who = who or profile.operator(db)
    with transaction(db):
        year_lock.check_editable(db, date(year, 12, 31))
        _upsert(db, year, {"table2_manual": json.dumps(stored, ensure_ascii=False)}, who)
    return stored


def publish(
    db: sqlite_utils.Database,
    year: int,
    published_date: Any,
    who: str | None = None,
    *,
    today: date | None = None,
) -> None:
    """发布: record the publication date and lock the year (RULES.md §6). The report must
    pass every check; the texts as published (drafts included) are saved with it."""
    year = _check_year(year)
    today = today or date.today()
    try:
        d = published_date if isinstance(published_date, date) else date.fromisoformat(
            str(published_date or "").strip())  # fmt: skip
    except ValueError:
        raise ValidationError(
            f"发布日期“{published_date or ''}”无法识别，请写成 {year + 1}-01-20 这样的格式。"
        ) from None
    if d.year <= year:
        raise ValidationError(
            f"{year}年的年度报告统计到{year}年12月31日，发布日期应在{year + 1}年以后。"
        )
    if d > today:
        raise ValidationError(f"发布日期 {d} 晚于今天（{today}），请在实际发布后登记。")
    row = _row(db, year)
    if row and row["published_date"]:
        raise ValidationError(
            f"{year}年的年度报告已于{row['published_date']}发布。更正后请用“重新锁定”，不必再次发布。"
        )
    rep = report(db, year, today=today)
    if not rep.ok:
        raise ValidationError(
            f"{year}年的年度报告有未通过的校验，不能发布：" + failed_text(rep) + "。请先核对数据。"
        )
    who = who or profile.operator(db)
    with transaction(db):
        _upsert(db, year, dict(rep.sections) | {"published_date": d.isoformat(), "locked": 1}, who)
        audit.record(db, who, "annual_reports", year, "update", None,
                     {"发布": d.isoformat(), "报告数据": rep.to_json()})  # fmt: skip


def failed_text(rep: AnnualReport) -> str:
    """“名称（说明）；…” of the failed checks, for messages."""
    return "；".join(f"{c.name}（{c.detail}）" if c.detail else c.name for c in rep.failed())


def check_final(rep: AnnualReport) -> None:
    """A report that fails a check is exported only as 草稿 (issue 5 §5)."""
    if not rep.ok:
        raise ValidationError(
            f"{rep.year}年的年度报告有未通过的校验，不能导出正式稿："
            + failed_text(rep)
            + "。请先核对数据；需要先行审阅的，可以导出草稿。"
        )


# -- deadline (条例第四十九条) -------------------------------------------------------------


def deadline(db: sqlite_utils.Database, year: int) -> date:
    """The year's report is due on 31 January (政府部门) or 31 March (人民政府) of the next
    year, as set in resources/reports/annual_report.txt."""
    prof = profile.load(db)
    kind = prof.unit_type if prof else profile.UNIT_TYPES[0]
    md = report_format().deadlines.get(kind) or DEFAULT_DEADLINES["政府部门"]
    return date.fromisoformat(f"{int(year) + 1}-{md}")


@dataclass(frozen=True)
class DeadlineStatus:
    year: int  # the report's year (last year)
    due: date
    state: str  # ok / warn / fail / none (nothing to report: the file was not in use)
    message: str
    published_date: str | None = None
    late: bool = False


def _in_use(db: sqlite_utils.Database, year: int) -> bool:
    a, b = f"{year}-01-01", f"{year}-12-31"
    return any(
        db.execute(f"SELECT 1 FROM {t} WHERE {c} BETWEEN ? AND ? LIMIT 1", [a, b]).fetchone()
        for t, c in (("items", "formed_date"), ("applications", "received_date"),
                     ("complaints", "received_date"), ("meetings", "on_date"))
    ) or _row(db, year) is not None  # fmt: skip


def deadline_status(db: sqlite_utils.Database, today: date) -> DeadlineStatus:
    """Last year's report from 1 January: due soon (warn), overdue (fail) or published."""
    year = today.year - 1
    due = deadline(db, year)
    row = _row(db, year)
    name = f"{year}年政府信息公开工作年度报告"
    if row and row["published_date"]:
        late = row["published_date"] > due.isoformat()
        msg = f"{name}已于{row['published_date']}发布" + (
            f"，晚于{due}的发布期限（条例第四十九条）。" if late else "。"
        )
        return DeadlineStatus(year, due, "ok", msg, row["published_date"], late)
    if not _in_use(db, year):
        return DeadlineStatus(year, due, "none", "")
    left = (due - today).days
    if left >= 0:
        return DeadlineStatus(
            year, due, "warn",
            f"{name}应于{due.year}年{due.month}月{due.day}日前发布（条例第四十九条），"
            f"还有{left}天。请在“年度报告”中核对数据并发布。",
        )  # fmt: skip
    return DeadlineStatus(
        year, due, "fail",
        f"{name}已超过{due.year}年{due.month}月{due.day}日的发布期限{-left}天，尚未登记发布"
        "（条例第四十九条）。",
    )  # fmt: skip


__all__ = [
    "SECTIONS", "MANUAL_ROWS", "AnnualReport", "Check", "DeadlineStatus", "ReportFormat",
    "report", "report_format", "save_sections", "save_table2_manual", "publish", "deadline",
    "deadline_status", "failed_text", "check_final", "draft_sections", "table2", "table3", "table4", "checks",
]  # fmt: skip
