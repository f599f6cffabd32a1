"""工作日历: package data (CN, zh_CN), 调休, the clerk's own entries, from_db."""

from datetime import date

import pytest
import sqlite_utils

from gongkai_desktop.core.calendar import WorkCalendar, weekday_label
from gongkai_desktop.core.errors import UserError


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_plain_weekdays_and_weekends(cal):
    assert cal.is_working_day(date(2026, 3, 10))  # Tuesday
    assert not cal.is_working_day(date(2026, 3, 14))  # Saturday
    assert cal.non_working_reason(date(2026, 3, 14)) == "周六"
    assert cal.non_working_reason(date(2026, 3, 15)) == "周日"
    assert cal.non_working_reason(date(2026, 3, 10)) == ""
    assert weekday_label(date(2026, 3, 9)) == "周一"


def test_statutory_holidays_have_chinese_names(cal):
    assert not cal.is_working_day(date(2026, 10, 1))
    assert cal.non_working_reason(date(2026, 10, 1)) == "国庆节"
    assert cal.non_working_reason(date(2026, 2, 17)) == "春节"
    assert cal.non_working_reason(date(2026, 1, 1)) == "元旦"


def test_2026_spring_festival_break_and_makeup_saturdays(cal):
    # State Council 2026 notice: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 worked.
    for day in range(15, 24):
        d = date(2026, 2, day)
        assert not cal.is_working_day(d), d
        assert "春节" in cal.non_working_reason(d) or "除夕" in cal.non_working_reason(d)
    # Weekend inside the break names the break; a swapped weekday names both.
    assert cal.non_working_reason(date(2026, 2, 21)) == "周六（春节假期）"
    assert cal.non_working_reason(date(2026, 2, 20)).startswith("春节假期")
    for d in (date(2026, 2, 14), date(2026, 2, 28)):
        assert cal.is_working_day(d)
        assert cal.non_working_reason(d) == ""
        assert cal.working_reason(d) == "调休上班"
    assert cal.working_reason(date(2026, 2, 24)) == ""  # ordinary weekday


def test_2026_national_day_break(cal):
    for day in range(1, 8):
        assert not cal.is_working_day(date(2026, 10, day))
    assert cal.is_working_day(date(2026, 10, 10))  # Saturday, 调休上班
    assert cal.is_working_day(date(2026, 9, 20))  # Sunday, 调休上班
    assert cal.non_working_reason(date(2026, 10, 4)) == "周日（国庆节假期）"


def test_is_official(cal):
    assert cal.is_official(2026)
    assert cal.is_official(2025)
    assert not cal.is_official(2027)  # no State Council notice in the package yet


def test_estimated_year_has_statutory_holidays_but_no_makeup_days(cal):
    assert not cal.is_working_day(date(2027, 10, 1))
    assert not any(
        cal.is_working_day(date(2027, m, d))
        for m, d in [(1, 2), (1, 3), (2, 6), (10, 2), (10, 9)]  # weekends
    )


def test_clerk_entries_take_precedence():
    entries = {
        date(2027, 1, 4): (False, "元旦调休"),
        date(2027, 2, 20): (True, "春节调休上班"),
        date(2026, 10, 8): (False, ""),
        date(2026, 10, 1): (True, "值班"),
    }
    cal = WorkCalendar(entries)
    assert not cal.is_working_day(date(2027, 1, 4))
    assert cal.non_working_reason(date(2027, 1, 4)) == "放假（自定义：元旦调休）"
    assert cal.is_working_day(date(2027, 2, 20))  # a Saturday
    assert cal.working_reason(date(2027, 2, 20)) == "上班（自定义：春节调休上班）"
    assert cal.non_working_reason(date(2026, 10, 8)) == "放假（自定义）"
    assert cal.is_working_day(date(2026, 10, 1))  # overrides the package holiday
    # One entry is enough to treat the year as officially known.
    assert cal.is_official(2027)
    assert not cal.is_official(2028)
    assert WorkCalendar().is_working_day(date(2027, 1, 4))  # entries are per instance


def test_clerk_holiday_names_the_adjacent_weekend():
    cal = WorkCalendar({date(2027, 10, 4): (False, "国庆节")})
    # 2027-10-01..03 come from the package; Oct 4 from the clerk.
    assert cal.non_working_reason(date(2027, 10, 4)) == "放假（自定义：国庆节）"
    assert cal.non_working_reason(date(2027, 10, 3)) == "国庆节"


def test_from_db_reads_entries(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    db["calendar_entries"].create({"day": str, "kind": str, "name": str}, pk="day")
    db["calendar_entries"].insert_all(
        [
            {"day": "2027-01-04", "kind": "放假", "name": "元旦"},
            {"day": "2027-02-20", "kind": "上班", "name": None},
        ]
    )
    cal = WorkCalendar.from_db(db)
    assert cal.entries == {date(2027, 1, 4): (False, "元旦"), date(2027, 2, 20): (True, "")}
    assert not cal.is_working_day(date(2027, 1, 4))
    assert cal.is_working_day(date(2027, 2, 20))
    assert cal.is_official(2027)


def test_from_db_without_table_creates_nothing(tmp_path):
    db = sqlite_utils.Database(tmp_path / "empty.db")
    cal = WorkCalendar.from_db(db)
    assert cal.entries == {}
    assert db.table_names() == []


@pytest.mark.parametrize(
    "row, fragment",
    [
        ({"day": "2027-01-04", "kind": "休息", "name": ""}, "类型"),
        ({"day": "2027/01/04", "kind": "放假", "name": ""}, "日期"),
    ],
)
def test_from_db_rejects_bad_rows_with_chinese_message(tmp_path, row, fragment):
    db = sqlite_utils.Database(tmp_path / "bad.db")
    db["calendar_entries"].insert(row, pk="day")
    with pytest.raises(UserError, match=fragment):
        WorkCalendar.from_db(db)
