"""投诉与意见 repository and list: intake, every step's rule, the principal, audit, lists."""

from datetime import date

import pytest

from gongkai_desktop.core import audit, calendar_entries, rectifications
from gongkai_desktop.core import complaint_query as Q
from gongkai_desktop.core import complaints as C
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import ValidationError

TODAY = date(2026, 6, 1)
CAL = WorkCalendar()


def new(db, today=TODAY, **over):
    data = {
        "kind": "投诉",
        "source": "电话",
        "person": "陈秀英",
        "contact": "13800000000",
        "received_date": "2026-03-10",
        "content": "网站“人事任免”栏目三个月未更新",
        "handler": "林晓红",
    }
    return C.create(db, data | over, today=today)


def step(db, cid, name, on, **kw):
    return C.record_step(db, cid, name, on, kw.pop("who", "黄志伟"), "", today=TODAY, **kw)


def reply(db, cid, on="2026-04-01"):
    step(db, cid, "答复", on, reply_method="电话", reply_content="已督促更新并电话告知")


def rect(**over):
    return {"problem": "栏目未及时更新", "responsible": "办公室 郭雅婷",
            "measure": "每周检查一次栏目", "due_date": "2026-05-30"} | over  # fmt: skip


def count(db, tbl):
    return db.execute(f"SELECT count(*) FROM {tbl}").fetchone()[0]


# -- intake ---------------------------------------------------------------------------------


def test_numbers_per_year_and_the_30_day_due_date(db):
    a, b = new(db), new(db, received_date="2026-04-16")
    assert [C.get(db, i)["no"] for i in (a, b)] == ["2026-001", "2026-002"]
    assert C.get(db, a)["reply_due"] == "2026-04-09"
    assert C.get(db, b)["reply_due"] == "2026-05-18"  # 05-16 is a Saturday
    late = new(db, received_date="2026-12-02", today=date(2026, 12, 2))
    row = C.get(db, late)
    assert (row["reply_due"], row["provisional"]) == ("2027-01-04", 1)
    assert row["stage"] == "受理" and row["handler"] == "林晓红"


def test_anonymous_report(db):
    i = new(db, kind="举报", source="意见箱", person="", contact="")
    row = C.get(db, i)
    assert (row["anonymous"], row["person"]) == (1, "")


def test_bad_intake_saves_nothing(db):
    with pytest.raises(ValidationError, match="收到日期 2026-06-02 晚于今天"):
        new(db, received_date="2026-06-02")
    with pytest.raises(ValidationError, match="“收到日期”的日期“2026-02-30”无法识别"):
        new(db, received_date="2026-02-30")
    with pytest.raises(ValidationError, match="来源“微信”无法识别"):
        new(db, source="微信")
    assert count(db, "complaints") == 0 and count(db, "complaint_events") == 0
    assert new(db) and C.get(db, 1)["no"] == "2026-001"  # no serial was used up


def test_registration_event_and_audit_carry_handler_and_operator(db):
    i = new(db)
    ev = C.events(db, i)
    assert [(e["step"], e["who"], e["on_date"]) for e in ev] == [("登记", "林晓红", "2026-03-10")]
    assert ev[0]["extra"] == {"no": "2026-001", "reply_due": "2026-04-09"}
    hist = audit.history(db, "complaints", i)
    assert [(h.action, h.who) for h in hist] == [("insert", "张三")]


# -- steps ----------------------------------------------------------------------------------


def test_receipt_to_reply_rectification_and_close(db):
    i = new(db)
    step(db, i, "受理", "2026-03-10")
    step(db, i, "调查核实", "2026-03-20", who="苏婉清")
    reply(db, i, "2026-04-01")
    ids = step(db, i, "整改", "2026-04-02", rectifications=[rect(), rect(problem="无更新记录")])
    step(db, i, "办结", "2026-04-03")
    row = C.get(db, i)
    assert (row["stage"], row["reply_date"], row["closed_date"]) == (
        "已办结",
        "2026-04-01",
        "2026-04-03",
    )
    assert (row["reply_method"], row["reply_content"]) == ("电话", "已督促更新并电话告知")
    ev = C.events(db, i)
    assert [e["step"] for e in ev] == ["登记", "受理", "调查核实", "答复", "整改", "办结"]
    assert ev[2]["who"] == "苏婉清" and ev[3]["extra"]["late"] is False
    assert ev[4]["extra"]["rectifications"] == ids and len(ids) == 2
    r = rectifications.get(db, ids[0])
    assert (r["source"], r["source_table"], r["source_id"], r["year"]) == (
        "投诉",
        "complaints",
        i,
        2026,
    )
    # every write audited with the operator from the profile
    assert {h.who for h in audit.history(db, "complaints", i)} == {"张三"}
    assert len(audit.history(db, "complaints", i)) == 6  # insert + 5 steps


def test_reply_then_close_without_rectification(db):
    i = new(db)
    step(db, i, "受理", "2026-03-10")
    step(db, i, "调查核实", "2026-03-12")
    reply(db, i, "2026-04-10")  # one day after 04-09
    step(db, i, "办结", "2026-04-10")
    assert C.get(db, i)["stage"] == "已办结"
    assert C.events(db, i)[3]["extra"]["late"] is True


def test_steps_out_of_order_or_skipped_are_refused(db):
    i = new(db)
    with pytest.raises(ValidationError, match="现在应登记“受理”，不能跳过直接登记“答复”"):
        reply(db, i)
    step(db, i, "受理", "2026-03-10")
    with pytest.raises(ValidationError, match="不能跳过直接登记“办结”"):
        step(db, i, "办结", "2026-03-20")
    with pytest.raises(ValidationError, match="“受理”已经登记过了"):
        step(db, i, "受理", "2026-03-11")
    assert C.get(db, i)["stage"] == "调查核实" and len(C.events(db, i)) == 2


def test_dates_are_checked(db):
    i = new(db)
    step(db, i, "受理", "2026-03-10")
    step(db, i, "调查核实", "2026-03-15")
    with pytest.raises(ValidationError, match="答复日期 2026-03-09 早于收到日期 2026-03-10"):
        reply(db, i, "2026-03-09")
    with pytest.raises(
        ValidationError, match="答复日期 2026-03-14 早于上一环节“调查核实”的日期 2026-03-15"
    ):
        reply(db, i, "2026-03-14")
    with pytest.raises(ValidationError, match="答复日期 2026-06-02 晚于今天（2026-06-01）"):
        reply(db, i, "2026-06-02")
    with pytest.raises(ValidationError, match="请填写答复内容"):
        step(db, i, "答复", "2026-04-01", reply_method="电话", reply_content=" ")
    with pytest.raises(ValidationError, match="请选择答复方式"):
        step(db, i, "答复", "2026-04-01", reply_content="已答复")
    row = C.get(db, i)
    assert (row["stage"], row["reply_date"]) == ("答复", None)


def test_a_bad_rectification_saves_neither_the_step_nor_any_rectification(db):
    i = new(db)
    for s, on in (("受理", "2026-03-10"), ("调查核实", "2026-03-12")):
        step(db, i, s, on)
    reply(db, i)
    with pytest.raises(ValidationError, match="第2项整改：请填写整改责任人"):
        step(db, i, "整改", "2026-04-02", rectifications=[rect(), rect(responsible=" ")])
    with pytest.raises(ValidationError, match="整改事项：请写明需要整改的问题"):
        step(db, i, "整改", "2026-04-02", rectifications=[rect(problem="")])
    with pytest.raises(ValidationError, match="至少填写一项整改事项；不需要整改的，请直接办结"):
        step(db, i, "整改", "2026-04-02", rectifications=[])
    assert count(db, "rectifications") == 0 and C.get(db, i)["stage"] == "整改"


def test_a_failure_inside_the_transaction_rolls_back_the_step(db, monkeypatch):
    i = new(db)
    step(db, i, "受理", "2026-03-10")

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(C, "_event", broken)
    with pytest.raises(RuntimeError):
        step(db, i, "调查核实", "2026-03-12")
    assert C.get(db, i)["stage"] == "调查核实" and len(audit.history(db, "complaints", i)) == 2


# -- the principal (考核表第31、32项) ----------------------------------------------------------


def test_opinion_forwarded_and_answered_with_rectification(db):
    i = new(db, kind="意见建议", source="网站留言", content="建议公开栏增加办事指南")
    step(db, i, "受理", "2026-03-10")
    C.forward_to_principal(db, i, "2026-03-12", "王海涛", "黄志伟", "请主要负责人阅示",
                           today=TODAY)  # fmt: skip
    row = C.get(db, i)
    assert (row["forwarded_date"], row["principal"], row["principal_due"]) == (
        "2026-03-12", "王海涛", "2026-04-13",  # 04-11 is a Saturday
    )  # fmt: skip
    step(db, i, "调查核实", "2026-03-15")
    reply(db, i, "2026-03-20")
    with pytest.raises(ValidationError, match="尚未登记其答复或说明（考核表第32项），不能办结"):
        step(db, i, "办结", "2026-03-21")
    ids = C.record_principal_answer(db, i, "2026-04-10", "同意，由办公室落实", "王海涛",
                                    rectifications=[rect(problem="公开栏缺办事指南")],
                                    today=TODAY)  # fmt: skip
    r = rectifications.get(db, ids[0])
    assert (r["source"], r["source_id"]) == ("意见建议", i)
    step(db, i, "办结", "2026-04-11")
    ev = C.events(db, i)
    assert [e["step"] for e in ev] == [
        "登记", "受理", "转送主要负责人", "调查核实", "答复", "主要负责人答复", "办结",
    ]  # fmt: skip
    assert ev[5]["extra"]["late"] is False and ev[5]["who"] == "王海涛"


def test_only_opinions_go_to_the_principal_and_an_answer_needs_forwarding(db):
    i = new(db)
    with pytest.raises(
        ValidationError, match="只有“意见建议”需要转送主要负责人（考核表第31项），这条记录是“投诉”"
    ):
        C.forward_to_principal(db, i, "2026-03-12", "王海涛", "黄志伟", today=TODAY)
    o = new(db, kind="意见建议")
    with pytest.raises(ValidationError, match="尚未转送主要负责人，不能登记主要负责人的答复"):
        C.record_principal_answer(db, o, "2026-03-20", "同意", "王海涛", today=TODAY)
    C.forward_to_principal(db, o, "2026-03-12", "王海涛", "黄志伟", today=TODAY)
    with pytest.raises(ValidationError, match="不能重复转送"):
        C.forward_to_principal(db, o, "2026-03-13", "王海涛", "黄志伟", today=TODAY)
    with pytest.raises(ValidationError, match="答复日期 2026-03-11 早于转送日期 2026-03-12"):
        C.record_principal_answer(db, o, "2026-03-11", "同意", "王海涛", today=TODAY)
    with pytest.raises(ValidationError, match="转送日期 2026-03-09 早于收到日期"):
        C.forward_to_principal(
            db, new(db, kind="意见建议"), "2026-03-09", "王海涛", "x", today=TODAY
        )
    with pytest.raises(ValidationError, match="这条意见建议已转送主要负责人，不能改为其他类别"):
        C.update(db, o, {"kind": "投诉"}, today=TODAY)


# -- update, delete, recompute -------------------------------------------------------------------


def test_update_recomputes_due_and_respects_steps(db):
    i = new(db)
    C.update(db, i, {"received_date": "2026-03-12", "person": ""}, who="林晓红", today=TODAY)
    row = C.get(db, i)
    assert (row["reply_due"], row["anonymous"], row["person"]) == ("2026-04-13", 1, "")
    assert C.events(db, i)[0]["on_date"] == "2026-03-12"
    assert C.events(db, i)[-1]["extra"]["fields"] == sorted(["收到日期", "匿名", "反映人"])
    step(db, i, "受理", "2026-03-12")
    with pytest.raises(
        ValidationError, match="收到日期 2026-03-13 晚于已登记的办理环节日期 2026-03-12"
    ):
        C.update(db, i, {"received_date": "2026-03-13"}, today=TODAY)


def test_delete_removes_its_rectifications(db):
    i = new(db)
    for s, on in (("受理", "2026-03-10"), ("调查核实", "2026-03-12")):
        step(db, i, s, on)
    reply(db, i)
    (rid,) = step(db, i, "整改", "2026-04-02", rectifications=[rect()])
    C.delete(db, i)
    assert C.get(db, i) is None and rectifications.get(db, rid) is None
    assert count(db, "complaint_events") == 0
    assert audit.history(db, "rectifications", rid)[-1].action == "delete"
    assert Q.count(db, Q.ComplaintFilter(text="人事任免"), TODAY) == 0


def test_calendar_change_recomputes_due_dates(db):
    i = new(db, received_date="2026-12-02", today=date(2026, 12, 2))
    assert C.get(db, i)["reply_due"] == "2027-01-04"
    res = calendar_entries.save_year_and_recompute(
        db, 2027, [("2027-01-04", "放假", "元旦调休")], "张三"
    )
    assert res.complaints_changed == 1
    row = C.get(db, i)
    assert (row["reply_due"], row["provisional"]) == ("2027-01-05", 0)


# -- lists ---------------------------------------------------------------------------------------


def test_list_filters_states_due_and_search(db):
    today = date(2026, 4, 10)
    overdue = new(db, received_date="2026-03-10", today=today)  # due 04-09
    soon = new(db, received_date="2026-03-12", content="阅览室开放时间咨询", kind="咨询",
               today=today)  # due 04-13: 3 days left  # fmt: skip
    fresh = new(db, received_date="2026-04-01", today=today)  # due 05-01
    opinion = new(db, received_date="2026-03-01", kind="意见建议", today=today)
    C.record_step(db, opinion, "受理", "2026-03-01", "x", today=today)
    C.forward_to_principal(db, opinion, "2026-03-05", "王海涛", "x", today=today)  # due 04-07
    C.record_step(db, opinion, "调查核实", "2026-03-06", "x", today=today)
    C.record_step(db, opinion, "答复", "2026-03-06", "x", reply_method="书面", reply_content="已答复",
                  today=today)  # fmt: skip

    def ids(**f):
        return {r["id"] for r in Q.page(db, Q.ComplaintFilter(**f), today, CAL)}

    assert ids(state="已逾期") == {overdue}
    assert ids(state="即将到期") == {soon}
    assert ids(state="办理中") == {fresh}
    assert ids(state="按时答复") == {opinion}
    assert ids(due="overdue") == {overdue, opinion}  # the principal's answer is overdue too
    assert ids(due="soon") == {soon}
    assert ids(kind="咨询") == {soon} and ids(text="阅览室") == {soon}
    assert C.due_counts(db, today, CAL) == (1, 2)
    rows = {r["id"]: r for r in Q.page(db, Q.ComplaintFilter(), today, CAL, order="reply_due")}
    assert (rows[overdue]["days_left"], rows[overdue]["overdue"]) == (-1, True)
    assert (rows[soon]["days_left"], rows[soon]["state"]) == (3, "即将到期")
    assert (rows[opinion]["principal_state"], rows[opinion]["principal_days_left"]) == (
        "已逾期",
        -3,
    )
    assert rows[fresh]["stage_label"] == "待受理"
    assert Q.count(db, Q.ComplaintFilter(year=2026), today, CAL) == 4
    assert Q.years(db) == [2026]


def test_paging_from_the_far_end_matches_the_near_end(db):
    for d in range(1, 21):
        new(db, received_date=f"2026-03-{d:02d}")
    f = Q.ComplaintFilter()
    total = Q.count(db, f, TODAY)
    near = [r["no"] for r in Q.page(db, f, TODAY, CAL, offset=15, limit=5)]
    far = [r["no"] for r in Q.page(db, f, TODAY, CAL, offset=15, limit=5, total=total)]
    assert near == far == ["2026-005", "2026-004", "2026-003", "2026-002", "2026-001"]
