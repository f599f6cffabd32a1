"""机构: memberships closed not deleted, who sat on each body on a date, the three checks,
and the demo's bodies, meetings and carry-over applications."""

from datetime import date

import pytest

from gongkai_desktop.core import audit, demo_data, profile
from gongkai_desktop.core import meetings as M
from gongkai_desktop.core import organisation as O
from gongkai_desktop.core import unit_records as U
from gongkai_desktop.core.demo_organisation import add_demo_organisation
from gongkai_desktop.core.errors import ValidationError

TODAY = date(2026, 11, 27)


def member(db, body="领导小组", name="王海涛", post="局长", role="组长", start="2025-03-04", **kw):
    return O.add_member(db, body, name, post, role, start, today=TODAY, **kw)


def names(rows):
    return [r["name"] for r in rows]


def count(db):
    return db.execute("SELECT count(*) FROM memberships").fetchone()[0]


def test_add_member_is_audited_with_the_profile_operator(db):
    i = member(db, is_principal=True, phone="0592-5050100", email="wang@example.gov.cn")
    m = O.get_member(db, i)
    assert (m["body"], m["role"], m["is_principal"], m["start_date"], m["end_date"]) == (
        "领导小组",
        "组长",
        1,
        "2025-03-04",
        None,
    )
    assert [(h.action, h.who) for h in audit.history(db, "memberships", i)] == [("insert", "张三")]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"name": " "}, "请填写成员姓名"),
        ({"role": ""}, "小组职务没有选择，请选择：组长、副组长、成员、联络员、兼职工作人员"),
        ({"role": "秘书长"}, "小组职务“秘书长”无法识别"),
        ({"body": "办公室"}, "所属机构“办公室”无法识别，请选择：领导小组、工作机构、监督小组"),
        ({"start": ""}, "请填写“起始日期”"),
        ({"start": "2026-02-30"}, "“起始日期”的日期“2026-02-30”无法识别"),
        ({"start": "2026-11-28"}, "起始日期 2026-11-28 晚于今天（2026-11-27）"),
        ({"email": "wang at example"}, "电子邮箱“wang at example”格式不对"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(db, over, message):
    with pytest.raises(ValidationError, match=message):
        member(db, **over)
    assert count(db) == 0


def test_a_second_head_at_the_same_time_is_refused(db):
    member(db, is_principal=True)
    with pytest.raises(
        ValidationError, match="领导小组在2025-03-04至今已有组长王海涛，同一时间只能有一位组长"
    ):
        member(db, name="陈建国", post="副局长", start="2026-01-05")
    # another body may have its own 组长, and the same person may sit on two bodies
    member(db, body="监督小组", name="黄志伟", post="纪检组长")
    member(db, body="工作机构", name="王海涛", role="成员")
    with pytest.raises(
        ValidationError, match="王海涛在2025-03-04至今已是领导小组组长，同一时间不能重复登记"
    ):
        member(db, role="成员", start="2026-01-05")
    assert count(db) == 3


def test_end_member_closes_and_keeps_the_record(db):
    i = member(db, body="监督小组", name="苏婉清", post="纪检干部", role="成员")
    with pytest.raises(ValidationError, match="终止日期 2025-03-01 早于起始日期 2025-03-04"):
        O.end_member(db, i, "2025-03-01", today=TODAY)
    with pytest.raises(ValidationError, match="终止日期 2026-12-01 晚于今天"):
        O.end_member(db, i, "2026-12-01", today=TODAY)
    O.end_member(db, i, "2026-06-30", today=TODAY)
    assert names(O.members_on(db, "2026-06-30", "监督小组")) == ["苏婉清"]  # the last day counts
    assert O.members_on(db, "2026-07-01", "监督小组") == []
    assert names(O.history(db, "监督小组")) == ["苏婉清"]
    with pytest.raises(ValidationError, match="已于 2026-06-30 终止"):
        O.end_member(db, i, "2026-07-31", today=TODAY)
    actions = [h.action for h in audit.history(db, "memberships", i)]
    assert actions == ["insert", "update"]


def test_membership_history_across_a_change(db):
    head = member(db, is_principal=True)
    old = member(db, name="李国华", post="政策法规处处长", role="成员")
    new = O.replace_member(
        db, old, {"name": "黄丽娟", "email": "huanglj@example.gov.cn"}, "2026-03-16", today=TODAY
    )
    # the old membership ends the day before the new one starts
    assert O.get_member(db, old)["end_date"] == "2026-03-15"
    n = O.get_member(db, new)
    assert (n["start_date"], n["end_date"], n["post"], n["role"]) == (
        "2026-03-16",
        None,
        "政策法规处处长",
        "成员",
    )
    assert names(O.members_on(db, "2026-03-15", "领导小组")) == ["王海涛", "李国华"]
    assert names(O.members_on(db, "2026-03-16", "领导小组")) == ["王海涛", "黄丽娟"]
    assert names(O.members_on(db, "2025-03-03")) == []  # before the group was set up
    assert names(O.history(db, "领导小组")) == ["王海涛", "李国华", "黄丽娟"]
    assert O.get_member(db, head)["end_date"] is None
    assert [(h.action, h.who) for h in audit.history(db, "memberships", old)] == [
        ("insert", "张三"),
        ("update", "张三"),
    ]
    assert O.leading_group_emails(db, TODAY) == ["huanglj@example.gov.cn"]


def test_a_new_head_takes_over_the_seat_without_overlap(db):
    old = member(db, is_principal=True)
    new = O.replace_member(db, old, {"name": "林国强", "post": "局长"}, "2026-09-01", today=TODAY)
    assert O.get_member(db, new)["is_principal"] == 1  # the seat's principal flag carries over
    assert [c.ok for c in O.checks(db, "2026-09-01")][0]
    assert names(O.members_on(db, "2026-08-31", "领导小组")) == ["王海涛"]


def test_a_refused_change_leaves_the_old_membership_open(db):
    old = member(db, name="李国华", post="处长", role="成员")
    for new, day, message in [
        ({"name": ""}, "2026-03-16", "请填写成员姓名"),
        ({"name": "黄丽娟"}, "2025-03-04", "变更日期 2025-03-04 应晚于李国华的起始日期"),
        ({"name": "黄丽娟"}, "2026-12-01", "变更日期 2026-12-01 晚于今天"),
        ({"name": "黄丽娟", "role": "组长"}, "2026-03-16", None),
    ]:
        if message is None:  # valid, but the group already has a head: nothing changes
            member(db, start="2025-03-04", is_principal=True)
            message = "已有组长王海涛"
        with pytest.raises(ValidationError, match=message):
            O.replace_member(db, old, new, day, today=TODAY)
        assert O.get_member(db, old)["end_date"] is None
    assert names(O.history(db, "领导小组")) == ["李国华", "王海涛"]  # by start date, then entry


def test_update_member_corrects_a_typo(db):
    i = member(db, phone="0592-505010")
    O.update_member(db, i, {"phone": "0592-5050100"}, today=TODAY)
    assert O.get_member(db, i)["phone"] == "0592-5050100"
    change = audit.history(db, "memberships", i)[-1].changes()
    assert change == [("phone", "0592-505010", "0592-5050100")]


def _messages(db, day=TODAY):
    return {c.name: (c.ok, c.message) for c in O.checks(db, day)}


def test_checks_on_an_empty_file_say_what_to_register(db):
    checks = O.checks(db, TODAY)
    assert [c.ok for c in checks] == [False, False, False]
    assert "尚未登记政务公开工作领导小组" in checks[0].message
    assert "尚未登记政务公开工作监督小组成员" in checks[1].message
    assert "尚未登记政务公开工作机构" in checks[2].message


def test_a_head_who_is_not_the_principal_fails_the_first_check(db):
    member(db, name="陈建国", post="副局长")  # 组长, but not marked 主要负责人
    member(db, body="监督小组", name="黄志伟", post="纪检组长")
    member(db, body="工作机构", name="郭雅婷", post="档案员", role="成员")
    m = _messages(db)
    assert m["领导小组以主要负责人为组长"] == (
        False,
        "领导小组组长陈建国（副局长）未标记为主要负责人。考核表第1项要求以主要负责人为组长：如组长"
        "就是主要负责人，请在其任职记录中勾选“主要负责人”；否则请用“变更”由主要负责人担任组长。",
    )
    assert m["成立政务公开工作监督小组"] == (True, "监督小组现有1名成员。")
    assert m["工作机构至少有1名兼职工作人员"][0] is False
    assert "工作机构没有兼职工作人员" in m["工作机构至少有1名兼职工作人员"][1]


def test_a_group_without_a_head_fails_and_a_principal_head_passes(db):
    member(db, name="陈建国", post="副局长", role="副组长")
    assert _messages(db)["领导小组以主要负责人为组长"] == (
        False,
        "领导小组没有组长。请登记主要负责人为领导小组组长（考核表第1项）。",
    )
    member(db, is_principal=True, start="2026-01-05")
    member(db, body="工作机构", name="林晓红", post="科员", role="兼职工作人员")
    m = _messages(db)
    assert m["领导小组以主要负责人为组长"] == (True, "领导小组组长：王海涛（局长），为主要负责人。")
    assert m["工作机构至少有1名兼职工作人员"] == (True, "兼职工作人员：林晓红。")
    # on a date before the head started, the check fails again
    assert not _messages(db, date(2025, 12, 31))["领导小组以主要负责人为组长"][0]


# -- the demo -------------------------------------------------------------------------------------


def test_demo_organisation(tmp_path):
    from gongkai_desktop.core.db import connect

    db = connect(tmp_path / "demo.db")
    profile.save(db, demo_data.PROFILE)
    counts = add_demo_organisation(db, TODAY, 2026)
    assert counts["memberships"] == 15 == len(O.history(db))
    ended = [r for r in O.history(db) if r["end_date"]]
    assert [(r["name"], r["body"]) for r in ended] == [("李国华", "领导小组")]
    assert all(c.ok for c in O.checks(db, TODAY))
    assert len(O.leading_group_emails(db, TODAY)) == 8
    # last year only one special meeting, this year two
    last, this = (
        M.special_meeting_status(db, 2025, TODAY),
        M.special_meeting_status(db, 2026, TODAY),
    )
    assert (last.count, last.state, this.count, this.state) == (1, M.FAIL, 2, M.OK)
    assert counts["meetings"] == len(M.list_year(db, 2025)) + len(M.list_year(db, 2026)) == 7
    card = U.current_card(db)
    assert card["published_date"] == "2026-05-08" and "夏令时" in card["hours"]
    assert not U.missing_for_publication(card)
    assert len(U.list_rules(db, "现行有效")) == 5 and U.budget(db, 2026)["amount"] == 8.5
    assert [r["item"] for r in U.list_recognitions(db)] == [44]
    # applications received last December: 3 answered in December, 4 still open on 1 January
    carried = db.execute(
        "SELECT count(*) FROM applications WHERE received_date < '2026-01-01'"
        " AND (closed_date IS NULL OR closed_date >= '2026-01-01')"
    ).fetchone()[0]
    assert carried == counts["carried_over"] == 4 and counts["closed_in_december"] == 3
    kinds = {r[0] for r in db.execute("SELECT applicant_type FROM applications")}
    assert len(kinds) == 5
    db.conn.close()


def test_demo_early_in_january_leaves_december_open(tmp_path):
    from gongkai_desktop.core.db import connect

    db = connect(tmp_path / "demo.db")
    profile.save(db, demo_data.PROFILE)
    counts = add_demo_organisation(db, date(2026, 1, 6), 2026)
    assert counts["carried_over"] == 4 and counts["special_meetings_this_year"] == 0
    assert db.execute("SELECT max(closed_date) FROM applications").fetchone()[0] <= "2026-01-06"
    assert M.special_meeting_status(db, 2026, date(2026, 1, 6)).label == M.IN_PROGRESS
    db.conn.close()
