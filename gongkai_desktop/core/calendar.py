"""工作日历 (working-day calendar): which days count as 工作日.

Source of truth, in order of precedence (RULES.md §1):

1. the clerk's own entries (the year's State Council notice typed in by hand,
   date → 放假 / 上班);
2. the ``holidays`` package, country CN, which models the statutory holidays and,
   for years it has a State Council notice for, the 调休 days (make-up working
   weekends in ``weekend_workdays``, swapped days off as substituted holidays);
3. plain Monday–Friday.

A year with neither a notice in the package nor a clerk entry is only an estimate
(推算): see :meth:`WorkCalendar.is_official`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache, lru_cache

import holidays

from gongkai_desktop.core.errors import UserError

__all__ = ["WorkCalendar", "weekday_label", "KIND_OFF", "KIND_WORK"]

# Values of calendar_entries.kind.
KIND_OFF = "放假"
KIND_WORK = "上班"

_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_ONE_DAY = timedelta(days=1)
# How far to look either side of a weekend for the festival whose break it belongs to;
# the longest break (春节/国庆) is 8–9 days.
_BREAK_SEARCH_DAYS = 9
# Package label fragments (zh_CN): substituted days off read "休息日（由 2026-02-14 调休）".
_SUBSTITUTE_MARK = "调休"
# A break that starts on 除夕 is the Spring Festival break.
_BREAK_ALIASES = {"农历除夕": "春节"}


def weekday_label(d: date) -> str:
    """Chinese weekday label: "周一" … "周日"."""
    return _WEEKDAYS[d.weekday()]


@cache
def _package_year(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """Holidays (zh_CN names) and make-up working weekends of one year, from the package.

    Loads year+1 too: a notice may declare a make-up day in the previous year
    (e.g. the 2002 notice moved 2001-12-29/30).
    """
    cn = holidays.country_holidays("CN", years=(year, year + 1), language="zh_CN")
    names = {d: name for d, name in cn.items() if d.year == year}
    makeup = frozenset(d for d in cn.weekend_workdays if d.year == year)
    return names, makeup


@lru_cache(maxsize=1)
def _package_notice_years() -> tuple[int, int]:
    """First and last year for which the package carries a State Council notice.

    The CN class keeps each notice's swapped days in ``special_public_holidays``
    keyed by year; a year outside that range has statutory holidays only, no 调休.
    """
    years = getattr(holidays.country_holidays("CN"), "special_public_holidays", {}) or {0: ()}
    return min(years), max(years)


class WorkCalendar:
    """工作日历: the working-day calendar (package data + the clerk's own entries).

    ``entries`` maps a date to ``(is_working, name)``; an entry always wins over the
    package. Cheap to build: per-year package data is cached process-wide.
    """

    def __init__(self, entries: Mapping[date, tuple[bool, str]] | None = None) -> None:
        self._entries: dict[date, tuple[bool, str]] = dict(entries or {})
        self._entry_years = frozenset(d.year for d in self._entries)
        self._reasons: dict[date, str] = {}

    @classmethod
    def from_db(cls, db) -> WorkCalendar:
        """Read the clerk's entries from table ``calendar_entries`` (day, kind, name).

        ``db`` is a ``sqlite_utils.Database``. A missing table means no entries; this
        never creates tables (migrations do).
        """
        if "calendar_entries" not in db.table_names():
            return cls()
        entries: dict[date, tuple[bool, str]] = {}
        for row in db.query("select day, kind, name from calendar_entries order by day"):
            day, kind = row["day"], row["kind"]
            try:
                d = date.fromisoformat(day)
            except (TypeError, ValueError):
                raise UserError(
                    f"工作日历中有一条日期“{day}”无法识别，应为 YYYY-MM-DD 格式，请在工作日历中修改或删除该条。"
                ) from None
            if kind not in (KIND_OFF, KIND_WORK):
                raise UserError(
                    f"工作日历中 {day} 的类型“{kind}”无效，应为“{KIND_OFF}”或“{KIND_WORK}”，请在工作日历中修改该条。"
                )
            entries[d] = (kind == KIND_WORK, row["name"] or "")
        return cls(entries)

    @property
    def entries(self) -> dict[date, tuple[bool, str]]:
        """A copy of the clerk's own entries."""
        return dict(self._entries)

    def is_working_day(self, d: date) -> bool:
        entry = self._entries.get(d)
        if entry is not None:
            return entry[0]
        names, makeup = _package_year(d.year)
        if d.weekday() >= 5:
            return d in makeup
        return d not in names

    def is_official(self, year: int) -> bool:
        """True when the year's schedule is known, not 推算: the package has the State
        Council notice for it, or the clerk has entered at least one day of it."""
        first, last = _package_notice_years()
        return first <= year <= last or year in self._entry_years

    def non_working_reason(self, d: date) -> str:
        """Chinese reason a day is not a working day ("" for a working day).

        E.g. "国庆节", "周六", "周日（春节假期）", "春节假期，休息日（由 2026-02-14 调休）",
        "放假（自定义：…）".
        """
        if d not in self._reasons:
            self._reasons[d] = "" if self.is_working_day(d) else self._off_reason(d)
        return self._reasons[d]

    def working_reason(self, d: date) -> str:
        """Why a weekend day or a package holiday is worked ("" for an ordinary weekday)."""
        entry = self._entries.get(d)
        if entry is not None:
            if not entry[0]:
                return ""
            return f"上班（自定义：{entry[1]}）" if entry[1] else "上班（自定义）"
        if d.weekday() >= 5 and self.is_working_day(d):
            return "调休上班"
        return ""

    # -- helpers ---------------------------------------------------------------

    def _off_reason(self, d: date) -> str:
        entry = self._entries.get(d)
        if entry is not None:
            return f"放假（自定义：{entry[1]}）" if entry[1] else "放假（自定义）"
        name = _package_year(d.year)[0].get(d)
        if name and _SUBSTITUTE_MARK not in name:
            return name
        festival = self._break_name(d)
        if name:  # a weekday off swapped with a make-up weekend
            return f"{festival}假期，{name}" if festival else name
        label = weekday_label(d)
        return f"{label}（{festival}假期）" if festival else label

    def _festival_name(self, d: date) -> str:
        """The festival a non-working day is named after, "" if none."""
        entry = self._entries.get(d)
        if entry is not None:
            return "" if entry[0] else entry[1]
        name = _package_year(d.year)[0].get(d, "")
        if not name or _SUBSTITUTE_MARK in name:
            return ""
        base = name.split("（")[0]
        return _BREAK_ALIASES.get(base, base)

    def _break_name(self, d: date) -> str:
        """Name of the holiday break around ``d``: the nearest named festival within the
        same run of consecutive non-working days."""
        before = after = d
        open_before = open_after = True
        for _ in range(_BREAK_SEARCH_DAYS):
            if open_before:
                before -= _ONE_DAY
                open_before = not self.is_working_day(before)
                if open_before and (name := self._festival_name(before)):
                    return name
            if open_after:
                after += _ONE_DAY
                open_after = not self.is_working_day(after)
                if open_after and (name := self._festival_name(after)):
                    return name
        return ""
