"""年度工作计划: milestones, reminders, validation in Chinese, audit, the seed's 实施步骤."""

from datetime import date

import pytest

from gongkai_desktop.core import audit, work_plan
from gongkai_desktop.core.errors import ValidationError


def add(db, **over):
    kw = {"year": 2026, "due_date": "2026-06-30", "title": "自查报告报送市政务公开办",
          "responsible": "政务公开工作机构", "remind_days": 10} | over  # fmt: skip
    return work_plan.add(db, **kw)


def test_reminder_starts_remind_days_before_and_stops_when_done(db):
    i = add(db)
    assert work_plan.reminders(db, date(2026, 6, 19)) == []
    [r] = work_plan.reminders(db, date(2026, 6, 20))  # 30 June minus 10 days
    assert (r["id"], r["status"], r["days_left"]) == (i, "提醒中", 10)
    assert "提前10天提醒（自 2026-06-20 起）" in r["explain"]
    [r] = work_plan.reminders(db, date(2026, 7, 2))
    assert r["status"] == "已逾期" and "已超过完成期限2天" in r["explain"]
    work_plan.mark_done(db, i, "2026-07-01", who="张三")
    assert work_plan.reminders(db, date(2026, 7, 2)) == []
    row = work_plan.for_year(db, 2026)[0]
    assert work_plan.status(row, date(2026, 7, 2)) == "逾期完成"
    assert [a.action for a in audit.history(db, "work_plan", i)] == ["insert", "update"]


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(db):
    with pytest.raises(ValidationError, match="请填写“工作事项”"):
        add(db, title="  ")
    with pytest.raises(ValidationError, match="无法识别.*2026-06-30"):
        add(db, due_date="6月30日")
    with pytest.raises(ValidationError, match="不在2026年度内"):
        add(db, due_date="2028-01-10")
    with pytest.raises(ValidationError, match="提前提醒天数"):
        add(db, remind_days=-1)
    assert work_plan.for_year(db, 2026) == []
    assert add(db, due_date="2027-01-15")  # early next year is allowed


def test_update_and_remove(db):
    i = add(db)
    work_plan.update(db, i, due_date="2026-06-25", responsible="张三")
    row = work_plan.get(db, i)
    assert (row["due_date"], row["responsible"], row["title"]) == (
        "2026-06-25", "张三", "自查报告报送市政务公开办",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="没有这些字段"):
        work_plan.update(db, i, colour="red")
    work_plan.remove(db, i)
    assert work_plan.get(db, i) is None
    with pytest.raises(ValidationError, match="已被删除"):
        work_plan.remove(db, i)
    assert [a.action for a in audit.history(db, "work_plan", i)] == ["insert", "update", "delete"]


def test_seed_plan_follows_the_implementation_steps(db):
    ids = work_plan.seed_demo_plan(db, 2026, today=date(2026, 7, 10))
    rows = work_plan.for_year(db, 2026)
    assert len(ids) == len(rows) == 6
    assert [r["due_date"] for r in rows] == [
        "2026-03-31", "2026-03-31", "2026-06-30", "2026-06-30", "2026-07-31", "2026-12-31",
    ]  # fmt: skip
    assert any("自查报告" in r["title"] and "金宏网" in r["title"] for r in rows)
    assert [r["done_date"] is not None for r in rows] == [True] * 4 + [False] * 2
    [r] = work_plan.reminders(db, date(2026, 7, 20))  # the July inspection, 14 days ahead
    assert "迎接市政务公开办检查验收" in r["title"]
    assert work_plan.seed_demo_plan(db, 2026) == []  # a year with a plan is left alone
