"""期限计算: worked cases from RULES.md §1–§2."""

from datetime import date

import pytest

from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.deadlines import (
    DISPLAY_MIN_NATURAL_DAYS,
    PUBLISH_RULE,
    PUBLISH_WORKING_DAYS,
    STATE_DUE_SOON,
    STATE_LATE,
    STATE_NOT_DUE,
    STATE_ON_TIME,
    STATE_OVERDUE,
    Skipped,
    add_natural_days,
    add_working_days,
    display_period_end,
    publish_deadline,
    publish_status,
    working_days_left,
)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_constants():
    assert PUBLISH_WORKING_DAYS == 20
    assert DISPLAY_MIN_NATURAL_DAYS == 15


def test_spring_festival_2026(cal):
    # RULES §1: 2026-02-10 + 20 working days = 2026-03-16.
    dl = add_working_days(date(2026, 2, 10), 20, cal)
    assert dl.due == date(2026, 3, 16)
    skipped = [s.date for s in dl.skipped]
    for day in range(15, 24):  # the Feb 15–23 break
        assert date(2026, 2, day) in skipped
    assert date(2026, 2, 14) not in skipped  # make-up Saturdays are counted
    assert date(2026, 2, 28) not in skipped
    assert [s.date for s in dl.workdays_on_weekend] == [date(2026, 2, 14), date(2026, 2, 28)]
    assert not dl.provisional
    assert dl.provisional_years == ()


def test_national_day_2026(cal):
    # RULES §1: 2026-09-25 + 20 working days = 2026-10-29.
    dl = add_working_days(date(2026, 9, 25), 20, cal, rule="测试规则")
    assert dl.due == date(2026, 10, 29)
    assert dl.working_days == 20 and dl.natural_days is None
    assert [s.date for s in dl.skipped] == [
        date(2026, 9, 26),
        date(2026, 9, 27),
        *(date(2026, 10, d) for d in range(1, 8)),
        date(2026, 10, 11),
        date(2026, 10, 17),
        date(2026, 10, 18),
        date(2026, 10, 24),
        date(2026, 10, 25),
    ]
    reasons = {s.date: s.reason for s in dl.skipped}
    assert reasons[date(2026, 10, 1)] == "国庆节"
    assert reasons[date(2026, 10, 4)] == "周日（国庆节假期）"
    assert reasons[date(2026, 10, 7)].startswith("国庆节假期")
    assert reasons[date(2026, 10, 11)] == "周日"
    assert reasons[date(2026, 10, 17)] == "周六"
    assert date(2026, 10, 10) not in reasons  # Saturday, 调休上班
    assert dl.workdays_on_weekend == (Skipped(date(2026, 10, 10), "调休上班"),)

    data = dl.to_json()
    assert list(data) == ["start", "working_days", "due", "skipped", "provisional"]
    assert data["start"] == "2026-09-25"
    assert data["working_days"] == 20
    assert data["due"] == "2026-10-29"
    assert data["provisional"] is False
    assert data["skipped"][2] == {"date": "2026-10-01", "reason": "国庆节"}
    assert len(data["skipped"]) == 14

    text = dl.explain()
    assert "2026-09-25" in text and "当日不计入" in text
    assert "测试规则" in text
    assert "2026-10-29" in text
    assert "2026-10-01（周四）国庆节" in text
    assert "2026-10-10（周六）调休上班" in text
    assert "推算" not in text


def test_start_day_not_counted_and_makeup_saturday_counted(cal):
    assert add_working_days(date(2026, 3, 9), 1, cal).due == date(2026, 3, 10)
    # Friday + 1 working day lands on the make-up Saturday.
    assert add_working_days(date(2026, 2, 13), 1, cal).due == date(2026, 2, 14)
    assert add_working_days(date(2026, 10, 9), 1, cal).due == date(2026, 10, 10)
    # Ordinary Friday + 1 skips the weekend.
    dl = add_working_days(date(2026, 3, 13), 1, cal)
    assert dl.due == date(2026, 3, 16)
    assert dl.skipped == (Skipped(date(2026, 3, 14), "周六"), Skipped(date(2026, 3, 15), "周日"))


def test_zero_and_negative(cal):
    dl = add_working_days(date(2027, 3, 6), 0, cal)
    assert dl.due == date(2027, 3, 6) and dl.skipped == () and not dl.provisional
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 6), -1, cal)
    with pytest.raises(ValueError):
        add_natural_days(date(2026, 3, 6), -1, cal)


def test_provisional_year(cal):
    dl = add_working_days(date(2027, 3, 1), 20, cal)
    assert dl.provisional
    assert dl.provisional_years == (2027,)
    assert dl.to_json()["provisional"] is True
    assert "【推算】2027年" in dl.explain()
    assert not add_working_days(date(2026, 3, 2), 20, cal).provisional


def test_deadline_crossing_into_unofficial_year_is_provisional(cal):
    dl = add_working_days(date(2026, 12, 21), 20, cal)
    assert dl.due.year == 2027
    assert dl.provisional and dl.provisional_years == (2027,)
    # Ends in 2026: not provisional even though the start is late December.
    assert not add_working_days(date(2026, 12, 21), 3, cal).provisional


def test_clerk_entry_moves_due_date():
    base = add_working_days(date(2026, 12, 31), 1, WorkCalendar())
    assert base.due == date(2027, 1, 4)  # Jan 1 元旦, Jan 2–3 weekend
    assert base.provisional

    cal = WorkCalendar({date(2027, 1, 4): (False, "元旦调休")})
    dl = add_working_days(date(2026, 12, 31), 1, cal)
    assert dl.due == date(2027, 1, 5)
    assert Skipped(date(2027, 1, 4), "放假（自定义：元旦调休）") in dl.skipped
    assert not dl.provisional  # the clerk has entered 2027


def test_clerk_declared_working_saturday():
    start = date(2027, 2, 19)  # Friday
    assert add_working_days(start, 1, WorkCalendar()).due == date(2027, 2, 22)
    cal = WorkCalendar({date(2027, 2, 20): (True, "调休上班")})
    dl = add_working_days(start, 1, cal)
    assert dl.due == date(2027, 2, 20)
    assert dl.workdays_on_weekend == (Skipped(date(2027, 2, 20), "上班（自定义：调休上班）"),)


def test_natural_days(cal):
    dl = add_natural_days(date(2026, 3, 2), 15, cal)
    assert dl.due == date(2026, 3, 17)
    assert dl.skipped == ()
    assert dl.natural_days == 15 and dl.working_days is None
    assert dl.to_json()["natural_days"] == 15
    # Ends on a Saturday: moved to Monday (民法典第二百零三条).
    dl = add_natural_days(date(2026, 3, 6), 15, cal)
    assert dl.due == date(2026, 3, 23)
    assert [s.date for s in dl.skipped] == [date(2026, 3, 21), date(2026, 3, 22)]


def test_natural_days_ending_on_holiday(cal):
    dl = add_natural_days(date(2026, 9, 20), 15, cal)  # 2026-10-05 is in the National Day break
    assert dl.due == date(2026, 10, 8)
    assert [s.date for s in dl.skipped] == [date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 7)]
    assert "国庆节" in dl.skipped[0].reason
    assert "顺延" in dl.explain() and "民法典第二百零三条" in dl.explain()


def test_natural_days_ending_on_makeup_saturday_is_not_moved(cal):
    dl = add_natural_days(date(2026, 9, 25), 15, cal)
    assert dl.due == date(2026, 10, 10)
    assert dl.skipped == ()


def test_working_days_left_sign_convention(cal):
    due = date(2026, 10, 29)  # Thursday
    assert working_days_left(due, due, cal) == 0
    assert working_days_left(date(2026, 10, 28), due, cal) == 1
    assert working_days_left(date(2026, 10, 26), due, cal) == 3
    assert working_days_left(date(2026, 9, 30), due, cal) == 17  # Oct 1–7 and Oct 11 not counted
    assert working_days_left(date(2026, 10, 30), due, cal) == -1
    assert working_days_left(date(2026, 11, 2), due, cal) == -2  # Fri 30, Mon 2
    # Past due but no working day has passed since: 0 (overdue is decided by date).
    assert working_days_left(date(2026, 10, 31), date(2026, 10, 30), cal) == 0


def test_publish_deadline(cal):
    dl = publish_deadline(date(2026, 9, 25), cal)
    assert dl.due == date(2026, 10, 29)
    assert dl.rule == PUBLISH_RULE
    assert "条例第二十六条" in dl.explain()


@pytest.mark.parametrize(
    "published, today, state, left",
    [
        (None, date(2026, 10, 12), STATE_NOT_DUE, 13),
        (None, date(2026, 10, 23), STATE_NOT_DUE, 4),
        (None, date(2026, 10, 26), STATE_DUE_SOON, 3),
        (None, date(2026, 10, 29), STATE_DUE_SOON, 0),
        (None, date(2026, 10, 30), STATE_OVERDUE, -1),
        (date(2026, 10, 29), date(2026, 11, 20), STATE_ON_TIME, None),
        (date(2026, 9, 25), date(2026, 11, 20), STATE_ON_TIME, None),
        (date(2026, 10, 30), date(2026, 11, 20), STATE_LATE, None),
    ],
)
def test_publish_status(cal, published, today, state, left):
    st = publish_status(date(2026, 9, 25), published, today, cal)
    assert st.state == state
    assert st.days_left == left
    assert st.deadline.due == date(2026, 10, 29)
    text = st.explain()
    assert state in text and "2026-10-29" in text


def test_display_period_end(cal):
    assert display_period_end(date(2026, 3, 2), True, cal) is None
    dl = display_period_end(date(2026, 3, 2), False, cal)
    assert dl is not None
    assert dl.due == date(2026, 3, 17)
    assert dl.natural_days == 15
    assert "第27项" in dl.rule


def test_many_deadlines_are_fast(cal):
    # Smoke check for the cached calendar: a year of start dates, three years.
    import time

    t0 = time.perf_counter()
    for offset in range(3 * 365):
        start = date.fromordinal(date(2025, 1, 1).toordinal() + offset)
        publish_status(start, None, date(2026, 6, 1), cal)
    assert time.perf_counter() - t0 < 5
