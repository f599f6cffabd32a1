"""节假日安排: the clerk's own schedule, its validation, atomicity and the deadline recompute."""

from datetime import date

import pytest

from gongkai_desktop.core import audit, calendar_entries, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.calendar_entries import Entry
from gongkai_desktop.core.errors import ValidationError

SPRING_2027 = [
    ("2027-02-06", "放假", "春节"),
    ("2027-02-07", "放假", "春节"),
    ("2027-02-08", "放假", "春节"),
    ("2027-02-20", "上班", "春节调休上班"),
]


def _audit_rows(db):
    return db.execute(
        "SELECT row_id, action, before, after FROM audit WHERE tbl = 'calendar_entries' ORDER BY id"
    ).fetchall()


def test_save_and_list_round_trip_with_audit(db):
    res = calendar_entries.save_year(db, 2027, SPRING_2027, "张三")
    assert (res.added, res.changed, res.removed) == (4, 0, 0)
    got = calendar_entries.list_entries(db, 2027)
    assert [(e.day.isoformat(), e.kind, e.name) for e in got] == SPRING_2027
    assert calendar_entries.list_entries(db, 2026) == []
    assert len(_audit_rows(db)) == 4
    # the calendar now follows the entries: Saturday 2027-02-20 is worked, Monday 02-08 is off
    cal = WorkCalendar.from_db(db)
    assert cal.is_working_day(date(2027, 2, 20))
    assert not cal.is_working_day(date(2027, 2, 8))
    assert cal.is_official(2027)


def test_resave_records_only_what_changed(db):
    calendar_entries.save_year(db, 2027, SPRING_2027, "张三")
    edited = [*SPRING_2027[:2], ("2027-02-08", "放假", "春节假期"), ("2027-02-09", "放假", "春节")]
    res = calendar_entries.save_year(db, 2027, edited, "李四")
    assert (res.added, res.changed, res.removed) == (1, 1, 1)
    rows = _audit_rows(db)[4:]
    assert [(r[0], r[1]) for r in rows] == [
        ("2027-02-08", "update"),
        ("2027-02-09", "insert"),
        ("2027-02-20", "delete"),
    ]
    assert "春节假期" in rows[0][3]
    assert [e.day.isoformat() for e in calendar_entries.list_entries(db, 2027)][-1] == "2027-02-09"


def test_other_years_are_untouched(db):
    calendar_entries.save_year(db, 2026, [("2026-12-31", "放假", "单位调整")], "张三")
    calendar_entries.save_year(db, 2027, [], "张三")
    assert len(calendar_entries.list_entries(db, 2026)) == 1
    assert calendar_entries.years_with_entries(db) == [2026]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("2027-02-30", "放假", "春节")], "第1行的日期“2027-02-30”无法识别"),
        ([("2027/02/06", "放假", "春节")], "无法识别"),
        (
            [("2027-02-06", "放假", ""), ("2027-02-06", "上班", "")],
            "2027-02-06 录入了两次（第1行和第2行）",
        ),
        ([("2027-02-06", "休息", "春节")], "类型“休息”无效，只能是“放假”或“上班”"),
        ([("2028-01-01", "放假", "元旦")], "不属于 2027 年"),
    ],
)
def test_bad_rows_are_refused_in_chinese_and_nothing_is_written(db, rows, message):
    calendar_entries.save_year(db, 2027, SPRING_2027, "张三")
    with pytest.raises(ValidationError, match=message):
        calendar_entries.save_year(db, 2027, rows, "张三")
    assert len(calendar_entries.list_entries(db, 2027)) == len(SPRING_2027)


def test_failure_inside_the_transaction_rolls_everything_back(db, monkeypatch):
    calendar_entries.save_year(db, 2027, SPRING_2027, "张三")
    before = len(_audit_rows(db))
    calls = []

    def failing_record(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise OSError("磁盘已满")
        return real(*args, **kwargs)

    real = audit.record
    monkeypatch.setattr(calendar_entries.audit, "record", failing_record)
    with pytest.raises(OSError):
        calendar_entries.save_year(
            db, 2027, [("2027-10-01", "放假", "国庆节"), ("2027-10-02", "放假", "国庆节")], "张三"
        )
    assert [e.day.isoformat() for e in calendar_entries.list_entries(db, 2027)] == [
        r[0] for r in SPRING_2027
    ]
    assert len(_audit_rows(db)) == before


def test_expand_range_and_merge():
    days = calendar_entries.expand_range("2027-02-06", "2027-02-12", "春节")
    assert (
        len(days) == 7 and {e.name for e in days} == {"春节"} and {e.kind for e in days} == {"放假"}
    )
    merged = calendar_entries.merge([Entry(date(2027, 2, 6), "上班", "")], days)
    assert merged[0] == Entry(date(2027, 2, 6), "放假", "春节")
    with pytest.raises(ValidationError, match="早于开始日期"):
        calendar_entries.expand_range("2027-02-12", "2027-02-06", "春节")
    with pytest.raises(ValidationError, match="名称"):
        calendar_entries.expand_range("2027-02-06", "2027-02-07", " ")


def test_package_schedule_names_the_2026_breaks():
    sched = {e.day.isoformat(): e for e in calendar_entries.package_schedule(2026)}
    assert sched["2026-10-01"].kind == "放假" and sched["2026-10-01"].name == "国庆节"
    assert sched["2026-10-10"].kind == "上班" and sched["2026-10-10"].name == "国庆节调休上班"
    assert calendar_entries.package_has_notice(2026)
    assert not calendar_entries.package_has_notice(2027)


def test_declaring_a_2027_holiday_moves_a_deadline_and_ends_the_estimate(db):
    # formed 2026-12-20: 20 working days run into 2027, which has no notice yet
    item_id = items.create(
        db,
        {
            "title": "2026年第四季度就业补助资金发放情况",
            "formed_date": "2026-12-20",
            "category": "财务人事",
        },
        today=date(2026, 12, 31),
    )
    other = items.create(
        db,
        {
            "title": "2026年11月社保基金收支情况",
            "formed_date": "2026-11-02",
            "category": "财务人事",
        },
        today=date(2026, 12, 31),
    )
    before, other_due = items.get(db, item_id), items.get(db, other)["publish_due"]
    assert (before["publish_due"], before["provisional"]) == ("2027-01-18", 1)
    res = calendar_entries.save_year_and_recompute(
        db, 2027, [("2027-01-04", "放假", "元旦调休")], "张三"
    )
    assert res.deadlines_changed == 1
    after = items.get(db, item_id)
    assert (after["publish_due"], after["provisional"]) == ("2027-01-19", 0)
    assert items.get(db, other)["publish_due"] == other_due  # a 2026-only period does not move
    # removing the entry again brings the estimate back
    res = calendar_entries.save_year_and_recompute(db, 2027, [], "张三")
    assert res.deadlines_changed == 1 and res.removed == 1
    assert (items.get(db, item_id)["publish_due"], items.get(db, item_id)["provisional"]) == (
        "2027-01-18",
        1,
    )


def test_recompute_failure_keeps_the_old_schedule(db, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(calendar_entries.items, "recompute_deadlines", broken)
    with pytest.raises(RuntimeError):
        calendar_entries.save_year_and_recompute(db, 2027, SPRING_2027, "张三")
    assert calendar_entries.list_entries(db, 2027) == []
