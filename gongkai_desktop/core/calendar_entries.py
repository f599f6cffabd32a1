"""节假日安排 (the clerk's own holiday schedule): table ``calendar_entries``.

The clerk types in the year's State Council notice day by day (date → 放假 / 上班).
These entries win over the ``holidays`` package (RULES.md §1, item 2), and saving
them recomputes every open deadline (item 3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from . import applications, audit, complaints, items
from .calendar import KIND_OFF, KIND_WORK, WorkCalendar
from .db import transaction
from .errors import ValidationError

KINDS = (KIND_OFF, KIND_WORK)
MIN_YEAR, MAX_YEAR = 2000, 2100
# A single holiday break is at most about 9 days; a longer range is almost surely a typo.
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class Entry:
    """One day of the schedule: ``kind`` is 放假 or 上班; ``name`` e.g. 春节."""

    day: date
    kind: str
    name: str = ""

    def as_row(self) -> dict[str, str]:
        return {"day": self.day.isoformat(), "kind": self.kind, "name": self.name}


@dataclass(frozen=True)
class SaveResult:
    added: int
    changed: int
    removed: int
    deadlines_changed: int = 0  # items (公开登记)
    applications_changed: int = 0  # applications (依申请公开) whose answer deadline moved
    complaints_changed: int = 0  # complaints and opinions (投诉与意见) whose 30-day deadlines moved


def _check_year(year: int) -> None:
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValidationError(f"年份 {year} 超出范围，请输入 {MIN_YEAR}–{MAX_YEAR} 之间的年份。")


def list_entries(db: sqlite_utils.Database, year: int) -> list[Entry]:
    """The clerk's entries for *year*, by date."""
    rows = db.execute(
        "SELECT day, kind, name FROM calendar_entries WHERE day >= ? AND day < ? ORDER BY day",
        [f"{int(year):04d}-01-01", f"{int(year) + 1:04d}-01-01"],
    ).fetchall()
    return [Entry(date.fromisoformat(r[0]), r[1], r[2] or "") for r in rows]


def years_with_entries(db: sqlite_utils.Database) -> list[int]:
    rows = db.execute("SELECT DISTINCT substr(day, 1, 4) FROM calendar_entries ORDER BY 1")
    return [int(r[0]) for r in rows if str(r[0]).isdigit()]


def _parse_day(value: Any, line: int) -> date:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            f"第{line}行的日期“{text}”无法识别，请写成 2027-02-06 这样的格式。"
        ) from None


def validate(year: int, entries: Iterable[Any]) -> list[Entry]:
    """Check the clerk's rows for *year*; return them as Entry sorted by date.

    A row is an Entry, a mapping with day/kind/name, or a (day, kind, name) tuple.
    Raises ValidationError naming the row: bad date, a date outside the year, a
    day entered twice, a kind other than 放假/上班.
    """
    _check_year(year)
    seen: dict[date, int] = {}
    out: list[Entry] = []
    for line, raw in enumerate(entries, start=1):
        if isinstance(raw, Entry):
            day, kind, name = raw.day, raw.kind, raw.name
        elif isinstance(raw, dict):
            day, kind, name = raw.get("day"), raw.get("kind"), raw.get("name")
        else:
            day, kind, name = (tuple(raw) + ("", "", ""))[:3]
        d = _parse_day(day, line)
        if d.year != int(year):
            raise ValidationError(
                f"第{line}行的日期 {d} 不属于 {year} 年。请切换到 {d.year} 年再录入这一天。"
            )
        kind = str(kind or "").strip()
        if kind not in KINDS:
            raise ValidationError(
                f"第{line}行（{d}）的类型“{kind}”无效，只能是“{KIND_OFF}”或“{KIND_WORK}”。"
            )
        if d in seen:
            raise ValidationError(
                f"{d} 录入了两次（第{seen[d]}行和第{line}行）。每天只能有一条，请删除其中一条。"
            )
        seen[d] = line
        out.append(Entry(d, kind, str(name or "").strip()))
    return sorted(out, key=lambda e: e.day)


def save_year(db: sqlite_utils.Database, year: int, entries: Iterable[Any], who: str) -> SaveResult:
    """Replace *year*'s entries with *entries* in one transaction, one audit row per
    day added, changed or removed. Nothing is written if any row is invalid."""
    new = {e.day: e for e in validate(year, entries)}
    old = {e.day: e for e in list_entries(db, year)}
    added = changed = removed = 0
    with transaction(db):
        db.execute(
            "DELETE FROM calendar_entries WHERE day >= ? AND day < ?",
            [f"{int(year):04d}-01-01", f"{int(year) + 1:04d}-01-01"],
        )
        for e in new.values():
            db.execute(
                "INSERT INTO calendar_entries(day, kind, name) VALUES (:day, :kind, :name)",
                e.as_row(),
            )
        for day in sorted(old.keys() | new.keys()):
            before, after = old.get(day), new.get(day)
            if before == after:
                continue
            if before is None:
                action, added = "insert", added + 1
            elif after is None:
                action, removed = "delete", removed + 1
            else:
                action, changed = "update", changed + 1
            audit.record(
                db,
                who,
                "calendar_entries",
                day.isoformat(),
                action,
                before.as_row() if before else None,
                after.as_row() if after else None,
            )
    return SaveResult(added, changed, removed)


def save_year_and_recompute(
    db: sqlite_utils.Database, year: int, entries: Iterable[Any], who: str
) -> SaveResult:
    """Save *year* and recompute every item's publish deadline, every application's
    answer deadline and every complaint's reply and principal deadlines, all or nothing
    (RULES.md §1: recompute every open deadline when the calendar changes)."""
    with transaction(db):
        res = save_year(db, year, entries, who)
        cal = WorkCalendar.from_db(db)
        n = items.recompute_deadlines(db, cal, who)
        apps = applications.recompute_due(db, cal, who)
        comps = complaints.recompute_due(db, cal, who)
    return SaveResult(res.added, res.changed, res.removed, n, apps, comps)


def expand_range(start: Any, end: Any, name: str, kind: str = KIND_OFF) -> list[Entry]:
    """Every day from *start* to *end* inclusive as one kind with one name,
    e.g. 春节 2027-02-06..2027-02-12."""
    a, b = _parse_day(start, 1), _parse_day(end, 2)
    if b < a:
        raise ValidationError(f"结束日期 {b} 早于开始日期 {a}，请对调或改正。")
    if (b - a).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError(
            f"{a} 至 {b} 共 {(b - a).days + 1} 天，超过 {MAX_RANGE_DAYS} 天，请检查日期是否写错。"
        )
    if kind not in KINDS:
        raise ValidationError(f"类型“{kind}”无效，只能是“{KIND_OFF}”或“{KIND_WORK}”。")
    if not name.strip():
        raise ValidationError("请填写这段日期的名称，例如“春节”。")
    return [Entry(a + timedelta(days=i), kind, name.strip()) for i in range((b - a).days + 1)]


def merge(entries: Iterable[Entry], extra: Iterable[Entry]) -> list[Entry]:
    """*entries* with *extra* added; a day in *extra* replaces the same day."""
    out = {e.day: e for e in entries}
    out.update({e.day: e for e in extra})
    return sorted(out.values(), key=lambda e: e.day)


def package_schedule(year: int) -> list[Entry]:
    """What the ``holidays`` package alone says for *year*: weekdays off (with the
    holiday name) and weekends worked (调休上班). A starting point for the clerk."""
    cal = WorkCalendar()
    d, end, off, work = date(year, 1, 1), date(year + 1, 1, 1), [], []
    swapped: dict[str, str] = {}  # make-up day (ISO) → festival, from "由 X 调休"
    while d < end:
        working = cal.is_working_day(d)
        if d.weekday() < 5 and not working:
            reason = cal.non_working_reason(d)
            festival = reason.split("，")[0].removesuffix("假期")
            if "由 " in reason:
                swapped[reason.split("由 ")[1][:10]] = festival
            off.append(Entry(d, KIND_OFF, festival))
        elif d.weekday() >= 5 and working:
            work.append(d)
        d += timedelta(days=1)
    named = [Entry(w, KIND_WORK, f"{swapped.get(w.isoformat(), '')}调休上班") for w in work]
    return sorted(off + named, key=lambda e: e.day)


def package_has_notice(year: int) -> bool:
    """True when the package itself carries the State Council notice for *year*."""
    return WorkCalendar().is_official(year)
