"""投诉与意见的规则: the 30-day period, states, step order and the half-year check."""

from datetime import date

import pytest

from gongkai_desktop.core import complaint_rules as R
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import ValidationError, WorkflowError

CAL = WorkCalendar()


def due(received: str) -> tuple[str, bool]:
    d = R.reply_deadline(date.fromisoformat(received), CAL)
    return d.due.isoformat(), d.provisional


# -- the 30-day rule (考核表第33项; RULES.md §1 natural days) ------------------------------------


def test_mid_month():
    # 2026-03-10 + 30: 21 days to 03-31, 9 more → 04-09 (Thursday, a working day)
    assert due("2026-03-10") == ("2026-04-09", False)
    text = R.reply_deadline(date(2026, 3, 10), CAL).explain()
    assert "起算日：2026-03-10（周二），当日不计入" in text
    assert "期间最后一日为 2026-04-09（周四）" in text
    assert "届满日：2026-04-09（周四）" in text and "顺延" not in text
    assert "考核表第33项" in text


def test_ending_in_the_national_day_break_moves_to_the_first_working_day():
    # 2026-09-02 + 30: 28 days to 09-30, 2 more → 10-02 (Fri, 国庆节). The break runs
    # 10-01..10-07 (10-05 补假, 10-06/07 swapped), so the period ends Thursday 10-08.
    assert due("2026-09-02") == ("2026-10-08", False)
    text = R.reply_deadline(date(2026, 9, 2), CAL).explain()
    assert "最后一日不是工作日，顺延至其后第一个工作日（民法典第二百零三条）" in text
    assert "2026-10-02（周五）国庆节" in text
    assert "2026-10-07（周三）国庆节假期，休息日（由 2026-10-10 调休）" in text
    assert "届满日：2026-10-08（周四）" in text
    # 2026-09-05 + 30 = 10-05 (补假) → also 10-08
    assert due("2026-09-05") == ("2026-10-08", False)


def test_ending_in_the_spring_festival_break():
    # 2026-01-17 + 30: 14 days to 01-31, 16 more → 02-16 (Mon, 除夕). The break runs
    # 02-15..02-23 (02-20 and 02-23 swapped with Saturdays 02-14 and 02-28) → Tue 02-24.
    assert due("2026-01-17") == ("2026-02-24", False)
    skipped = R.reply_deadline(date(2026, 1, 17), CAL).skipped
    assert [s.date.isoformat() for s in skipped][0] == "2026-02-16"
    assert len(skipped) == 8


def test_ending_on_a_make_up_saturday_stays():
    # 2026-09-10 + 30: 20 days to 09-30, 10 more → 10-10, a Saturday worked (调休上班)
    assert due("2026-09-10") == ("2026-10-10", False)
    assert R.reply_deadline(date(2026, 9, 10), CAL).skipped == ()


def test_ending_on_an_ordinary_weekend_moves_to_monday():
    # 2026-04-16 + 30: 14 days to 04-30, 16 more → 05-16 (Sat) → Monday 05-18
    assert due("2026-04-16") == ("2026-05-18", False)


def test_across_the_year_end_is_provisional():
    # 2026-12-02 + 30: 29 days to 12-31, 1 more → 2027-01-01 (元旦), then the weekend
    # 01-02/03 → Monday 2027-01-04; 2027 has no State Council notice yet → 推算.
    assert due("2026-12-02") == ("2027-01-04", True)
    text = R.reply_deadline(date(2026, 12, 2), CAL).explain()
    assert "【推算】2027年尚无国务院放假安排" in text
    # 2026-12-10 + 30 = 2027-01-09 (Sat) → Monday 01-11, also 推算
    assert due("2026-12-10") == ("2027-01-11", True)
    # a clerk's entry for 2027 makes the year official and wins over the package
    cal = WorkCalendar({date(2027, 1, 4): (False, "元旦调休")})
    d = R.reply_deadline(date(2026, 12, 2), cal)
    assert (d.due.isoformat(), d.provisional) == ("2027-01-05", False)


def test_principal_deadline_is_30_days_of_its_own():
    d = R.principal_deadline(date(2026, 9, 2), CAL)
    assert d.due == date(2026, 10, 8)
    assert "主要负责人" in d.rule and "考核表第32项" in d.rule


# -- states ---------------------------------------------------------------------------------


def row(**kw):
    base = {"received_date": "2026-03-10", "reply_due": "2026-04-09", "reply_date": None,
            "closed_date": None, "forwarded_date": None, "principal_due": None,
            "principal_answer_date": None, "principal": ""}  # fmt: skip
    return base | kw


@pytest.mark.parametrize(
    ("today", "over", "state"),
    [
        ("2026-03-20", {}, "办理中"),
        ("2026-04-03", {}, "办理中"),  # 6 days left
        ("2026-04-04", {}, "即将到期"),  # 5 days left
        ("2026-04-09", {}, "即将到期"),  # due today
        ("2026-04-10", {}, "已逾期"),
        ("2026-04-20", {"reply_date": "2026-04-09"}, "按时答复"),
        ("2026-04-20", {"reply_date": "2026-04-10"}, "逾期答复"),
        ("2026-04-20", {"reply_date": "2026-04-10", "closed_date": "2026-04-12"}, "已办结"),
    ],
)
def test_complaint_state(today, over, state):
    assert R.complaint_state(row(**over), date.fromisoformat(today), CAL) == state


def test_late_reply_stays_visible_after_closing():
    r = row(reply_date="2026-04-10", closed_date="2026-04-12")
    assert R.reply_late(r) and not R.reply_late(row(reply_date="2026-04-09"))
    text = R.explain(r, date(2026, 5, 1), CAL)
    assert text.startswith("状态：已办结（2026-04-12，逾期答复）")


def test_principal_state_and_explanation():
    r = row(forwarded_date="2026-03-15", principal_due="2026-04-14", principal="王海涛")
    assert R.principal_state(row(), date(2026, 4, 1)) == ""
    assert R.principal_state(r, date(2026, 4, 1)) == "待答复"
    assert R.principal_state(r, date(2026, 4, 10)) == "即将到期"
    assert R.principal_state(r, date(2026, 4, 15)) == "已逾期"
    assert R.principal_state(r | {"principal_answer_date": "2026-04-15"}, date(2026, 5, 1)) == (
        "逾期答复"
    )
    text = R.explain(r, date(2026, 4, 15), CAL)
    assert "【主要负责人答复期限】（王海涛）转送日期 2026-03-15，状态：已逾期" in text
    assert "状态：已逾期（届满日 2026-04-09，已超过6天）" in text


# -- step order -------------------------------------------------------------------------------


def test_steps_in_order_with_rectification_optional():
    assert R.next_steps("受理") == ("受理",)
    assert R.next_steps("整改") == ("整改", "办结")  # 答复 → 办结 is allowed
    assert R.stage_after("答复") == "整改" and R.stage_after("办结") == R.DONE
    assert R.stage_label("整改") == "待整改或办结" and R.stage_label("答复") == "待答复"
    R.check_step("整改", "办结")
    with pytest.raises(WorkflowError, match="现在应登记“调查核实”，不能跳过直接登记“答复”"):
        R.check_step("调查核实", "答复")
    with pytest.raises(WorkflowError, match="“受理”已经登记过了，现在应登记“答复”"):
        R.check_step("答复", "受理")
    with pytest.raises(WorkflowError, match="已经办结"):
        R.check_step(R.DONE, "办结")
    with pytest.raises(ValidationError, match="没有“回访”这个办理环节"):
        R.check_step("受理", "回访")


# -- the half-year check (考核表第30项) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("half", "today", "dates", "state"),
    [
        (1, "2026-05-31", [], "未检查"),
        (1, "2026-06-15", [], "即将结束未检查"),  # warned from 1 June
        (1, "2026-06-30", [], "即将结束未检查"),
        (1, "2026-07-02", [], "已过期未检查"),
        (1, "2026-07-02", ["2026-06-20"], "已检查"),
        (1, "2026-06-15", ["2026-08-01"], "即将结束未检查"),  # an H2 date does not count
        (2, "2026-11-30", [], "未检查"),
        (2, "2026-12-01", [], "即将结束未检查"),  # warned from 1 December
        (2, "2027-01-02", [], "已过期未检查"),
        (2, "2026-12-10", ["2026-12-08"], "已检查"),
    ],
)
def test_half_year_status(half, today, dates, state):
    s = R.half_year_status(2026, half, dates, date.fromisoformat(today))
    assert s.state == state
    assert s.needs_attention == (state in ("即将结束未检查", "已过期未检查"))


def test_half_year_explanations():
    s = R.half_year_status(2026, 1, [], date(2026, 6, 15))
    assert s.label == "2026年上半年"
    assert s.explain() == (
        "2026年上半年将于 2026-06-30 结束（还剩15天），尚未登记重点检查。"
        "监督小组每半年开展一次重点检查，并形成检查报告（考核表第30项）。请尽快安排检查。"
    )
    s = R.half_year_status(2026, 2, [], date(2027, 1, 2))
    assert "2026年下半年（2026-07-01 至 2026-12-31）已结束，没有登记重点检查" in s.explain()
    s = R.half_year_status(2026, 1, [date(2026, 6, 20)], date(2026, 7, 2))
    assert s.explain() == "2026年上半年（2026-01-01 至 2026-06-30）已开展重点检查：2026-06-20。"


# -- intake validation (pure) -----------------------------------------------------------------


def test_intake_is_validated_and_anonymous_keeps_no_name():
    base = {"kind": "举报", "source": "意见箱", "received_date": "2026-03-10", "content": "某某"}
    out = R.normalize(base | {"person": "李某", "anonymous": True}, date(2026, 3, 10))
    assert (out["anonymous"], out["person"], out["year"]) == (1, "", 2026)
    assert R.normalize(base, date(2026, 3, 10))["anonymous"] == 1  # no name = anonymous
    with pytest.raises(
        ValidationError, match="类别“表扬”无法识别，请选择：咨询、投诉、举报、意见建议"
    ):
        R.normalize(base | {"kind": "表扬"}, date(2026, 3, 10))
    with pytest.raises(ValidationError, match="来源没有选择，请选择：电话、意见箱、网站留言"):
        R.normalize(base | {"source": ""}, date(2026, 3, 10))
    with pytest.raises(ValidationError, match="收到日期 2026-03-11 晚于今天（2026-03-10）"):
        R.normalize(base | {"received_date": "2026-03-11"}, date(2026, 3, 10))
    with pytest.raises(ValidationError, match="请填写反映的内容"):
        R.normalize(base | {"content": "  "}, date(2026, 3, 10))
