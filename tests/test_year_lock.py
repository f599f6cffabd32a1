"""年度锁定 (RULES.md §6): publishing the annual report locks its year; an edit of a record
dated in a locked year is refused; an unlock needs a reason, is audited, and the report
then shows that it changed after publication."""

from datetime import date

import pytest
from annual_fixtures import TODAY, YEAR, add_appeals, build_year, fill_table2, new

from gongkai_desktop.core import annual_report as R
from gongkai_desktop.core import applications as A
from gongkai_desktop.core import audit, items, workflow, year_lock
from gongkai_desktop.core.errors import ValidationError

LOCKED = "2026年的政府信息公开工作年度报告已于2027-01-20发布，2026年的记录已锁定"


@pytest.fixture
def published(db):
    ids = build_year(db)
    add_appeals(db, ids)
    fill_table2(db)
    item = items.create(db, {"title": "2026年就业补贴发放情况", "formed_date": "2026-05-06",
                             "category": "社会政策"}, today=TODAY)  # fmt: skip
    old = items.create(db, {"title": "旧办法", "doc_no": "厦人社规〔2020〕1号",
                            "formed_date": "2026-02-02", "category": "法规文件"}, today=TODAY)  # fmt: skip
    R.publish(db, YEAR, "2027-01-20", who="张三", today=TODAY)
    db.ids = ids | {"item": item, "old": old}
    return db


def test_publish_records_the_date_and_locks_the_year(published):
    rep = R.report(published, YEAR, today=TODAY)
    assert (rep.published_date, rep.locked, rep.changed_after_publish) == (
        "2027-01-20",
        True,
        False,
    )
    assert year_lock.is_locked(published, YEAR) and not year_lock.is_locked(published, YEAR + 1)
    assert rep.drafted == ()  # the texts as published are kept
    rows = audit.history(published, "annual_reports", YEAR)
    assert rows[-1].after["发布"] == "2027-01-20"
    assert rows[-1].after["报告数据"]["table3"]["rows"]["本年新收"][-1] == 13  # what was published


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("2026-12-31", "发布日期应在2027年以后"),
        ("2027-02-02", "晚于今天"),
        ("2027-1-x", "发布日期“2027-1-x”无法识别"),
    ],
)
def test_publish_date_is_checked(db, when, message):
    fill_table2(db)
    with pytest.raises(ValidationError, match=message):
        R.publish(db, YEAR, when, today=TODAY)


def test_a_report_failing_a_check_cannot_be_published(db):
    build_year(db)
    with pytest.raises(
        ValidationError, match="有未通过的校验，不能发布：表二：需手工填报的数字已填写"
    ):
        R.publish(db, YEAR, "2027-01-20", today=TODAY)
    assert not year_lock.is_locked(db, YEAR)


def test_edits_in_a_locked_year_are_refused(published):
    db, ids = published, published.ids
    attempts = [
        lambda: A.update(db, ids["n1"], {"applicant_name": "王五"}, today=TODAY),
        lambda: A.delete(db, ids["n2"]),
        lambda: A.update(db, ids["c3"], {"phone": "1"}, today=TODAY),  # 2025–open spans 2026
        lambda: new(db, "自然人", "2026-12-30", "LATE"),  # a backdated new application
        lambda: A.answer(
            db, ids["n12"], answer_type=2, result="予以公开", answer_date="2026-12-28", today=TODAY
        ),  # fmt: skip
        lambda: A.extend(
            db, ids["n12"], 20, "黄晓峰", "2026-12-28", "2026-12-28", "李四", today=TODAY
        ),  # fmt: skip
        lambda: A.add_appeal(db, ids["n1"], "行政复议", "", "2026-12-01", today=TODAY),
        lambda: items.update(db, ids["item"], {"title": "改名"}, today=TODAY),
        lambda: items.delete(db, ids["item"]),
        lambda: items.record_step(
            db,
            ids["item"],
            workflow.StepInput("提出", "完成", "林晓红", date(2026, 5, 8), result="拟公开"),
            today=TODAY,
        ),  # fmt: skip
        lambda: items.create(
            db, {"title": "补登", "formed_date": "2026-06-01", "category": "社会政策"}, today=TODAY
        ),  # fmt: skip
        lambda: R.save_sections(db, YEAR, {"section5": "改"}),
        lambda: R.save_table2_manual(db, YEAR, {"行政许可": 13}),
    ]
    before = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    for attempt in attempts:
        with pytest.raises(ValidationError, match=LOCKED):
            attempt()
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == before  # nothing written
    assert R.report(db, YEAR, today=TODAY).to_json()["table3"]["rows"]["本年新收"][-1] == 13


def test_the_new_year_goes_on(published):
    db, ids = published, published.ids
    # a carried-over application is answered in 2027; 2026's table is unchanged by it
    A.answer(db, ids["n12"], answer_type=2, result="予以公开", answer_date="2027-01-25",
             today=TODAY)  # fmt: skip
    new(db, "自然人", "2027-01-26", "N27")
    A.add_appeal(db, ids["n1"], "行政复议", "", "2027-01-26", today=TODAY)
    # repealing an old document is dated the day it is recorded
    items.update(db, ids["old"], {"validity": "已废止"}, today=TODAY)
    assert R.report(db, YEAR, today=TODAY).changed_after_publish is False


def test_unlock_needs_a_reason_is_audited_and_marks_the_report(published):
    db, ids = published, published.ids
    with pytest.raises(ValidationError, match="必须写明原因"):
        year_lock.unlock(db, YEAR, "  ")
    with pytest.raises(ValidationError, match="2027年没有锁定"):
        year_lock.unlock(db, YEAR + 1, "x")
    year_lock.unlock(db, YEAR, "更正N1的申请人姓名", who="张三")
    assert not year_lock.is_locked(db, YEAR)
    row = audit.history(db, "annual_reports", YEAR)[-1]
    assert (row.who, row.before, row.after) == (
        "张三",
        {"locked": 1},
        {"locked": 0, "reason": "更正N1的申请人姓名"},
    )
    assert [u["reason"] for u in year_lock.unlocks(db, YEAR)] == ["更正N1的申请人姓名"]
    assert R.report(db, YEAR, today=TODAY).changed_after_publish is False  # nothing edited yet
    A.update(db, ids["n1"], {"applicant_name": "王五"}, today=TODAY)
    rep = R.report(db, YEAR, today=TODAY)
    assert rep.changed_after_publish is True and rep.unlocks[0]["relocked_at"] is None
    year_lock.relock(db, YEAR, who="张三")
    assert year_lock.is_locked(db, YEAR)
    assert year_lock.unlocks(db, YEAR)[0]["relocked_at"]
    with pytest.raises(ValidationError, match=LOCKED):
        A.update(db, ids["n1"], {"applicant_name": "王六"}, today=TODAY)
    with pytest.raises(ValidationError, match="已于2027-01-20发布。更正后请用“重新锁定”"):
        R.publish(db, YEAR, "2027-01-25", today=TODAY)


def test_a_failed_edit_while_unlocked_does_not_mark_the_report(published):
    db, ids = published, published.ids
    year_lock.unlock(db, YEAR, "核对")
    with pytest.raises(ValidationError):
        items.update(db, ids["item"], {"formed_date": "2027-03-01"}, today=TODAY)  # future
    assert R.report(db, YEAR, today=TODAY).changed_after_publish is False


def test_check_editable_by_day_and_span(published):
    db = published
    year_lock.check_editable(db, "2027-01-05")
    year_lock.check_editable(db, None)
    with pytest.raises(ValidationError, match=LOCKED):
        year_lock.check_editable(db, date(2026, 6, 1))
    with pytest.raises(ValidationError, match=LOCKED):
        year_lock.check_editable(db, "2025-12-01", through="2027-01-05")  # spans 2026
    year_lock.check_editable(db, "2025-12-01")  # 2025 has no published report
