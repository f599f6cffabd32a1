"""整改事项: required fields, completion with evidence, open and overdue in one list."""

from datetime import date

import pytest

from gongkai_desktop.core import audit, items
from gongkai_desktop.core import rectifications as R
from gongkai_desktop.core.errors import ValidationError

TODAY = date(2026, 6, 1)


def new(db, **over):
    kw = {"source": "监督检查", "problem": "阅览室未摆放最新公开目录", "responsible": "办公室 郭雅婷",
          "measure": "每月更新目录", "due_date": "2026-06-30", "today": TODAY} | over  # fmt: skip
    return R.create(db, **kw)


def test_create_and_audit(db):
    i = new(db, found_date="2026-05-20")
    r = R.get(db, i)
    assert (r["source"], r["year"], r["due_date"], r["done_date"]) == (
        "监督检查",
        2026,
        "2026-06-30",
        None,
    )
    assert [(h.action, h.who) for h in audit.history(db, "rectifications", i)] == [
        ("insert", "张三")
    ]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"responsible": " "}, "请填写整改责任人"),
        ({"problem": ""}, "请写明需要整改的问题"),
        ({"source": "巡视"}, "整改来源“巡视”无效，应为：投诉、意见建议、监督检查、公开登记、自查"),
        ({"due_date": ""}, "请填写“整改期限”"),
        ({"due_date": "2026-13-01"}, "“整改期限”的日期“2026-13-01”无法识别"),
        (
            {"due_date": "2026-05-01", "found_date": "2026-05-20"},
            "整改期限 2026-05-01 早于发现问题的日期 2026-05-20",
        ),
        ({"found_date": "2026-06-02"}, "发现日期 2026-06-02 晚于今天"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(db, over, message):
    with pytest.raises(ValidationError, match=message):
        new(db, **over)
    assert db.execute("SELECT count(*) FROM rectifications").fetchone()[0] == 0


def test_complete_needs_a_date_no_later_than_today_and_evidence(db):
    i = new(db)
    with pytest.raises(ValidationError, match="请填写整改佐证"):
        R.complete(db, i, "2026-05-30", " ", "郭雅婷", today=TODAY)
    with pytest.raises(ValidationError, match="完成日期 2026-06-02 晚于今天"):
        R.complete(db, i, "2026-06-02", "目录照片", "郭雅婷", today=TODAY)
    assert R.get(db, i)["done_date"] is None
    R.complete(db, i, "2026-05-30", "更新后的目录照片", "郭雅婷", today=TODAY)
    r = R.get(db, i)
    assert (r["done_date"], r["evidence"]) == ("2026-05-30", "更新后的目录照片")
    assert audit.history(db, "rectifications", i)[-1].who == "郭雅婷"
    with pytest.raises(ValidationError, match="已于 2026-05-30 完成"):
        R.complete(db, i, "2026-05-31", "x", today=TODAY)


def test_open_and_overdue_in_one_list_and_states_by_year(db):
    late = new(db, due_date="2026-05-15", found_date="2026-05-01")
    open_ = new(db, due_date="2026-06-30")
    done = new(db, due_date="2026-05-20", found_date="2026-05-01")
    R.complete(db, done, "2026-05-25", "整改报告", today=TODAY)
    rows = R.list_open(db, TODAY)
    assert [(r["id"], r["state"], r["overdue"], r["days_left"]) for r in rows] == [
        (late, "已逾期", True, -17),
        (open_, "整改中", False, 29),
    ]
    assert R.open_counts(db, TODAY) == (2, 1)
    states = {r["id"]: r["state"] for r in R.list_year(db, 2026, TODAY)}
    assert states == {late: "已逾期", open_: "整改中", done: "逾期完成"}
    assert R.list_year(db, 2025, TODAY) == []


def test_update_and_delete(db):
    i = new(db)
    R.update(db, i, {"responsible": "信息中心 谢建平", "due_date": "2026-07-15"}, today=TODAY)
    r = R.get(db, i)
    assert (r["responsible"], r["due_date"]) == ("信息中心 谢建平", "2026-07-15")
    with pytest.raises(ValidationError, match="请填写整改责任人"):
        R.update(db, i, {"responsible": ""}, today=TODAY)
    R.delete(db, i)
    assert R.get(db, i) is None
    assert [h.action for h in audit.history(db, "rectifications", i)] == [
        "insert",
        "update",
        "delete",
    ]


def test_from_the_registry_rectification_step(db):
    item = items.create(
        db,
        {"title": "2026年就业补助资金分配表", "formed_date": "2026-05-01", "category": "财务人事"},
        today=TODAY,
    )
    i = R.from_registry_item(db, item, "网址链接失效", "信息中心 谢建平", "修复链接", "2026-06-10",
                             "林晓红", today=TODAY)  # fmt: skip
    r = R.get(db, i)
    assert (r["source"], r["source_table"], r["source_id"]) == ("公开登记", "items", item)
    with pytest.raises(ValidationError, match="该公开事项已被删除"):
        R.from_registry_item(db, 999, "x", "y", "z", "2026-06-10", "林晓红", today=TODAY)
