"""依申请公开 repository: intake, every step's rule and message, state, audit, the clock."""

from datetime import date

import pytest

from gongkai_desktop.core import applications as A
from gongkai_desktop.core import audit, calendar_entries, profile
from gongkai_desktop.core.application_catalog import load as catalog
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.deadlines import add_working_days
from gongkai_desktop.core.errors import ValidationError

TODAY = date(2026, 6, 1)
CAL = WorkCalendar()


def new(db, today=TODAY, **over):
    data = {
        "applicant_type": "自然人",
        "applicant_name": "王五",
        "phone": "13800000000",
        "channel": "当面",
        "received_date": "2026-02-10",
        "content": "2025年就业补贴发放名单",
    }
    app_no = over.pop("app_no", None)
    return A.create(db, data | over, who="李四", today=today, app_no=app_no)


def app(db, i):
    return A.get(db, i)


def answer(db, i, answer_type, result, answer_date, **kw):
    """A.answer by 李四 as of TODAY; *kw* adds reason, delivered_date, … or overrides who."""
    return A.answer(
        db,
        i,
        answer_type=answer_type,
        result=result,
        answer_date=answer_date,
        **({"who": "李四", "today": TODAY} | kw),
    )


def wd(start, n):
    return add_working_days(date.fromisoformat(start), n, CAL).due.isoformat()


# -- intake ------------------------------------------------------------------------------


def test_numbers_follow_the_unit_pattern_and_an_explicit_number_is_kept(db):
    assert [app(db, new(db))["app_no"] for _ in range(2)] == ["2026-0001", "2026-0002"]
    p = profile.load(db)
    p.app_no_pattern = "{全宗号}-依申-{年}-{序号:3}"
    profile.save(db, p)
    assert app(db, new(db, received_date="2026-03-02"))["app_no"] == "X001-依申-2026-003"
    assert app(db, new(db, app_no="旧-2025-17"))["app_no"] == "旧-2025-17"
    with pytest.raises(ValidationError, match="申请编号“旧-2025-17”已经存在"):
        new(db, app_no="旧-2025-17")


def test_receipt_date_by_channel_art_31(db):
    cat = catalog()
    i = new(db, channel="网络", received_date=None, confirmed_date="2026-02-10")
    a = app(db, i)
    assert a["received_date"] == "2026-02-10" and a["receipt_note"] == cat.receipt_rules["网络"]
    assert "双方确认之日" in a["receipt_note"]
    with pytest.raises(ValidationError, match="以双方确认之日为收到申请之日.*请填写确认日期"):
        new(db, channel="传真", received_date=None)
    with pytest.raises(ValidationError, match="提交日期 2026-02-11 晚于确认日期"):
        new(db, channel="平信", submitted_date="2026-02-11")


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"applicant_type": "个人"}, "申请人类型“个人”无法识别，请选择：自然人、商业企业"),
        ({"applicant_type": ""}, "申请人类型没有选择"),
        (
            {"channel": "微信"},
            "申请方式“微信”无法识别，请选择：当面、邮寄、平信、网络、传真、电子邮件",
        ),
        ({"applicant_name": " "}, "请填写申请人姓名或名称"),
        ({"content": ""}, "请填写申请公开的政府信息"),
        ({"phone": ""}, "请至少填写一种联系方式"),
        ({"received_date": "2026-06-02"}, "收到日期 2026-06-02 晚于今天"),
        ({"received_date": "2026-02-30"}, "日期“2026-02-30”无法识别"),
    ],
)
def test_bad_intake_is_refused_with_a_chinese_fix(db, over, message):
    with pytest.raises(ValidationError, match=message):
        new(db, **over)
    assert db.execute("SELECT count(*) FROM applications").fetchone()[0] == 0


def test_create_writes_audit_and_the_intake_event(db):
    i = new(db)
    rows = audit.history(db, "applications", i)
    assert [(r.action, r.who) for r in rows] == [("insert", "张三")]  # the program's operator
    ev = A.events(db, i)
    assert [(e["step"], e["who"], e["on_date"]) for e in ev] == [("登记", "李四", "2026-02-10")]


def test_plain_clock_and_state(db):
    a = app(db, new(db))  # RULES §1: 2026-02-10 + 20 working days = 2026-03-16
    assert (a["state"], a["answer_due"], a["provisional"]) == ("办理中", "2026-03-16", 0)
    assert "2026-03-16" in A.explain(db, a["id"], today=TODAY)


# -- 补正 ----------------------------------------------------------------------------------------


def test_supplement_once_and_the_clock_restarts(db):
    i = new(db)
    A.request_supplement(db, i, "2026-02-12", "请写明年份", "2026-03-05", "李四", today=TODAY)
    a = app(db, i)
    assert (a["state"], a["answer_due"]) == ("补正中", None)
    with pytest.raises(ValidationError, match="一次性告知.*不能再次要求补正"):
        A.request_supplement(db, i, "2026-02-13", "再补", "2026-03-05", "李四", today=TODAY)
    with pytest.raises(ValidationError, match="申请正在等待补正，不能答复"):
        answer(db, i, 2, "予以公开", "2026-02-20")
    A.receive_supplement(db, i, "2026-02-25", "李四", today=TODAY)
    a = app(db, i)
    assert (
        (a["state"], a["answer_due"])
        == ("办理中", "2026-03-24")
        == ("办理中", wd("2026-02-25", 20))
    )
    with pytest.raises(ValidationError, match="已于 2026-02-25 登记收到补正材料"):
        A.receive_supplement(db, i, "2026-02-26", "李四", today=TODAY)


def test_supplement_needs_a_request_and_closing_needs_the_deadline_passed(db):
    i = new(db)
    with pytest.raises(ValidationError, match="没有发出过补正告知"):
        A.receive_supplement(db, i, "2026-02-25", "李四", today=TODAY)
    A.request_supplement(db, i, "2026-02-12", "请写明年份", "2026-03-05", "李四", today=TODAY)
    with pytest.raises(ValidationError, match="补正期限 2026-03-05 尚未届满"):
        A.close_without_supplement(db, i, "2026-03-05", "李四", today=TODAY)
    A.close_without_supplement(db, i, "2026-03-06", "李四", "期满未补正", today=TODAY)
    a = app(db, i)
    assert (a["state"], a["result"], a["closed_date"]) == ("已办结", "其他处理", "2026-03-06")
    assert a["result_reason"] == catalog().results["其他处理"][0]
    assert not A.is_overdue(a, TODAY)


def test_default_supplement_period_is_15_working_days(db):
    i = new(db)
    A.request_supplement(db, i, "2026-02-12", "请写明年份", None, "李四", today=TODAY)
    assert app(db, i)["supplement_deadline"] == wd("2026-02-12", 15)


# -- 征求意见 --------------------------------------------------------------------------------------


def test_consultation_pauses_the_clock_by_its_working_days(db):
    i = new(db)
    p = A.start_consultation(db, i, "第三方", "厦门某公司", "2026-03-02", "李四", today=TODAY)
    assert app(db, i)["state"] == "征求意见中"
    A.end_consultation(db, p, "2026-03-10", "同意公开", "李四", today=TODAY)
    a = app(db, i)
    c = A.clock(db, i, today=TODAY)
    assert c.paused_working_days == 7  # 3-2 … 3-10, both days counted (RULES §3)
    assert (a["state"], a["answer_due"]) == ("办理中", wd("2026-02-10", 27))
    with pytest.raises(ValidationError, match="已经结束"):
        A.end_consultation(db, p, "2026-03-11", "", "李四", today=TODAY)


def test_two_pauses_add_up_and_a_silent_agency_counts_to_its_period_end(db):
    i = new(db)
    p1 = A.start_consultation(db, i, "第三方", "甲公司", "2026-02-24", "李四", today=TODAY)
    A.end_consultation(db, p1, "2026-02-26", "同意", "李四", today=TODAY)  # 3 working days
    p2 = A.start_consultation(db, i, "其他机关", "市财政局", "2026-03-02", "李四", today=TODAY)
    end = wd("2026-03-02", 15)
    with pytest.raises(
        ValidationError, match=f"征求意见期限至 {end}，期限届满前不能按“未答复”结束"
    ):
        A.end_consultation(db, p2, None, "", "李四", today=date.fromisoformat(end))
    A.end_consultation(db, p2, None, "", "李四", today=TODAY)
    pause = A.pauses(db, i)[1]
    assert pause["reply"] is None and "视为同意（条例第三十四条）" in pause["outcome"]
    assert A.clock(db, i, today=TODAY).paused_working_days == 3 + 16
    assert app(db, i)["answer_due"] == wd("2026-02-10", 20 + 19)


def test_consultation_needs_a_party_and_a_known_kind(db):
    i = new(db)
    with pytest.raises(ValidationError, match="应为“第三方”或“其他机关”"):
        A.start_consultation(db, i, "专家", "某人", "2026-03-02", "李四", today=TODAY)
    with pytest.raises(ValidationError, match="请填写征求意见的对象"):
        A.start_consultation(db, i, "第三方", "", "2026-03-02", "李四", today=TODAY)


# -- 延期 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 21, "10"])
def test_extension_is_1_to_20_working_days(db, days):
    i = new(db)
    with pytest.raises(ValidationError, match="延期工作日应为 1 到 20 之间的整数"):
        A.extend(db, i, days, "赵主任", "2026-03-10", "2026-03-10", "李四", today=TODAY)


def test_extension_once_with_approver_notice_and_before_the_due_date(db):
    i = new(db)
    with pytest.raises(ValidationError, match="工作机构负责人"):
        A.extend(db, i, 10, " ", "2026-03-10", "2026-03-10", "李四", today=TODAY)
    with pytest.raises(ValidationError, match="答复期限已于 2026-03-16 届满，不能再延期"):
        A.extend(db, i, 10, "赵主任", "2026-03-17", "2026-03-17", "李四", today=TODAY)
    with pytest.raises(ValidationError, match="告知申请人日期 2026-03-09 应在延期批准日期"):
        A.extend(db, i, 10, "赵主任", "2026-03-10", "2026-03-09", "李四", today=TODAY)
    A.extend(db, i, 10, "赵主任", "2026-03-10", "2026-03-11", "李四", today=TODAY)
    a = app(db, i)
    assert (a["state"], a["answer_due"]) == ("已延期", wd("2026-02-10", 30))
    assert (a["extension_approver"], a["extension_notified"]) == ("赵主任", "2026-03-11")
    with pytest.raises(ValidationError, match="不能再次延期"):
        A.extend(db, i, 5, "赵主任", "2026-03-12", "2026-03-12", "李四", today=TODAY)


def test_supplement_pause_and_extension_combine(db):
    i = new(db)
    A.request_supplement(db, i, "2026-02-12", "请写明年份", None, "李四", today=TODAY)
    A.receive_supplement(db, i, "2026-02-25", "李四", today=TODAY)
    p = A.start_consultation(db, i, "第三方", "厦门某公司", "2026-03-02", "李四", today=TODAY)
    A.end_consultation(db, p, "2026-03-10", "同意公开", "李四", today=TODAY)
    A.extend(db, i, 10, "赵主任", "2026-03-20", "2026-03-20", "李四", today=TODAY)
    assert app(db, i)["answer_due"] == wd("2026-02-25", 20 + 7 + 10) == "2026-04-17"


# -- 收费 ------------------------------------------------------------------------------------------


def test_fee_notice_one_method_tiers_and_payment(db):
    i = new(db)
    with pytest.raises(ValidationError, match="只能是“按件”或“按量”"):
        A.issue_fee_notice(db, i, "按页", 50, "2026-02-20", None, "李四", today=TODAY)
    with pytest.raises(ValidationError, match="不小于 1 的整数"):
        A.issue_fee_notice(db, i, "按量", 0, "2026-02-20", None, "李四", today=TODAY)
    with pytest.raises(ValidationError, match="免费范围内，不收费"):
        A.issue_fee_notice(db, i, "按量", 30, "2026-02-20", None, "李四", today=TODAY)
    assert A.issue_fee_notice(db, i, "按量", 150, "2026-02-20", None, "李四", today=TODAY) == 1700
    a = app(db, i)
    assert (a["state"], a["fee_total"], a["fee_payment_deadline"]) == (
        "待缴费",
        1700,
        wd("2026-02-20", 20),
    )
    with pytest.raises(ValidationError, match="只能按一种方式收费一次"):
        A.issue_fee_notice(db, i, "按件", 35, "2026-02-21", None, "李四", today=TODAY)
    with pytest.raises(ValidationError, match="收费通知尚未缴费"):
        answer(db, i, 2, "予以公开", "2026-02-25")
    A.record_fee_paid(db, i, "2026-02-26", "李四", today=TODAY)
    assert app(db, i)["state"] == "办理中"


def test_unpaid_fee_closes_as_other_item_2_only_after_the_deadline(db):
    i = new(db)
    A.issue_fee_notice(db, i, "按件", 35, "2026-02-20", "2026-03-06", "李四", today=TODAY)
    assert app(db, i)["fee_total"] == 3000
    with pytest.raises(ValidationError, match="缴费期限 2026-03-06 尚未届满"):
        A.close_fee_unpaid(db, i, "2026-03-06", "李四", today=TODAY)
    A.close_fee_unpaid(db, i, "2026-03-09", "李四", today=TODAY)
    a = app(db, i)
    assert (a["result"], a["result_reason"]) == ("其他处理", catalog().results["其他处理"][1])


def test_monthly_application_count_is_per_calendar_month(db):
    for d in ("2026-01-30", "2026-02-02", "2026-02-27"):
        new(db, received_date=d)
    new(db, applicant_name="别人", received_date="2026-02-03")
    assert A.monthly_application_count(db, "王五", "2026-02-15") == 2
    assert A.monthly_application_count(db, "王五", date(2026, 1, 1)) == 1


# -- 答复 ------------------------------------------------------------------------------------------


def test_answer_pairs_art_36_type_with_the_annual_report_result(db):
    i = new(db)
    with pytest.raises(ValidationError, match="“不予公开”与办理结果“予以公开”不相符"):
        answer(db, i, 3, "予以公开", "2026-03-02")
    with pytest.raises(ValidationError, match="“经检索不存在”与办理结果“不予处理/重复申请”不相符"):
        answer(db, i, 4, "不予处理", "2026-03-02", reason="重复申请")
    with pytest.raises(ValidationError, match="须选择一项理由"):
        answer(db, i, 3, "不予公开", "2026-03-02")
    with pytest.raises(ValidationError, match="请选择答复类型"):
        answer(db, i, 9, "予以公开", "2026-03-02")
    with pytest.raises(ValidationError, match="逾期不补正办结"):
        answer(db, i, 7, "其他处理", "2026-03-02", reason=catalog().results["其他处理"][0])
    answer(
        db,
        i,
        3,
        "不予公开",
        "2026-03-02",
        reason="属于国家秘密",
        delivered_date="2026-03-04",
        text="经审查属于国家秘密",
    )
    a = app(db, i)
    assert (a["state"], a["closed_date"], a["answer_type"]) == ("已办结", "2026-03-02", 3)
    assert not A.is_overdue(a, TODAY)


def test_every_pair_in_the_mapping_is_a_row_of_table_3():
    cat = catalog()
    covered = set()
    for t, results in A.ANSWER_RESULTS.items():
        assert t in cat.answer_types
        for result, reasons in results.items():
            for reason in reasons if reasons is not None else (cat.results[result] or ("",)):
                cat.check_result(result, reason)
                covered.add((result, reason))
    closes = {("其他处理", r) for r in cat.results["其他处理"][:2]}  # their own steps
    every = {(r, x) for r, xs in cat.results.items() for x in (xs or ("",))}
    assert every - covered == closes


def test_a_late_answer_is_overdue(db):
    i = new(db)
    answer(db, i, 2, "予以公开", "2026-03-17")
    assert A.is_overdue(app(db, i), TODAY)


def test_closed_applications_refuse_steps_but_take_appeals(db):
    i = new(db)
    answer(db, i, 3, "不予公开", "2026-03-02", reason="属于国家秘密")
    for step in (
        lambda: A.request_supplement(db, i, "2026-03-03", "x", None, "李四", today=TODAY),
        lambda: A.start_consultation(db, i, "第三方", "甲", "2026-03-03", "李四", today=TODAY),
        lambda: A.extend(db, i, 5, "赵", "2026-03-03", "2026-03-03", "李四", today=TODAY),
        lambda: A.issue_fee_notice(db, i, "按量", 100, "2026-03-03", None, "李四", today=TODAY),
        lambda: answer(db, i, 2, "予以公开", "2026-03-03", who=None),
    ):
        with pytest.raises(
            ValidationError, match="已于 2026-03-02 办结，不能再.*行政复议或行政诉讼"
        ):
            step()
    with pytest.raises(ValidationError, match="起诉方式"):
        A.add_appeal(db, i, "行政诉讼", "", "2026-04-01", today=TODAY)
    with pytest.raises(ValidationError, match="请填写审结日期"):
        A.add_appeal(db, i, "行政复议", "", "2026-04-01", "结果维持", today=TODAY)
    r = A.add_appeal(db, i, "行政复议", "", "2026-04-01", note="市政府受理", today=TODAY)
    s = A.add_appeal(db, i, "行政诉讼", "复议后起诉", "2026-05-20", today=TODAY)
    A.update_appeal(db, r, "结果维持", "2026-05-15", "维持", today=TODAY)
    assert [(x["kind"], x["route"], x["outcome"]) for x in A.appeals(db, i)] == [
        ("行政复议", "", "结果维持"),
        ("行政诉讼", "复议后起诉", "尚未审结"),
    ]
    assert s and [e["step"] for e in A.events(db, i)][-3:] == [
        "行政复议",
        "行政诉讼",
        "复议诉讼结果",
    ]


def test_step_dates_after_receipt_not_future_and_in_order(db):
    i = new(db)
    with pytest.raises(ValidationError, match="早于收到申请日期 2026-02-10"):
        A.request_supplement(db, i, "2026-02-09", "x", None, "李四", today=TODAY)
    with pytest.raises(ValidationError, match="晚于今天（2026-06-01），不能登记将来的日期"):
        A.start_consultation(db, i, "第三方", "甲", "2026-06-02", "李四", today=TODAY)
    A.extend(db, i, 5, "赵主任", "2026-03-02", "2026-03-02", "李四", today=TODAY)
    with pytest.raises(ValidationError, match="早于上一步“延期”的日期 2026-03-02"):
        answer(db, i, 2, "予以公开", "2026-02-27")


def test_each_step_writes_one_event_and_audit_rows_by_the_operator(db):
    i = new(db)
    A.request_supplement(
        db, i, "2026-02-12", "请写明年份", None, "李四", "电话沟通后发出", today=TODAY
    )
    ev = A.events(db, i)[-1]
    assert (ev["step"], ev["who"], ev["opinion"], ev["extra"]["items"]) == (
        "补正告知",
        "李四",
        "电话沟通后发出",
        "请写明年份",
    )
    rows = audit.history(db, "applications", i)
    assert rows[-1].who == "张三"
    assert dict((k, (b, a)) for k, b, a in rows[-1].changes())["state"] == ("办理中", "补正中")
    assert audit.history(db, "app_events", ev["id"])[0].action == "insert"


def test_update_and_delete(db):
    i = new(db)
    A.update(
        db, i, {"applicant_name": "王小五", "received_date": "2026-02-11"}, who="李四", today=TODAY
    )
    a = app(db, i)
    assert (a["applicant_name"], a["answer_due"]) == ("王小五", wd("2026-02-11", 20))
    A.extend(db, i, 5, "赵主任", "2026-03-02", "2026-03-02", "李四", today=TODAY)
    with pytest.raises(ValidationError, match="晚于已登记的办理步骤日期 2026-03-02"):
        A.update(db, i, {"received_date": "2026-03-03"}, today=TODAY)
    A.delete(db, i)
    assert A.get(db, i) is None
    assert db.execute("SELECT count(*) FROM app_events WHERE app_id = ?", [i]).fetchone()[0] == 0
    assert audit.history(db, "applications", i)[-1].action == "delete"


def test_saving_the_calendar_recomputes_answer_deadlines(db):
    late = date(2026, 12, 31)
    i = new(db, received_date="2026-12-21", today=late)
    before = app(db, i)
    assert before["provisional"] == 1  # 2027 has no State Council notice yet
    res = calendar_entries.save_year_and_recompute(
        db, 2027, [("2027-01-04", "放假", "元旦调休"), ("2027-01-05", "放假", "元旦调休")], "张三"
    )
    after = app(db, i)
    assert res.applications_changed == 1
    assert after["provisional"] == 0 and after["answer_due"] > before["answer_due"]
    assert (
        after["answer_due"]
        == add_working_days(date(2026, 12, 21), 20, WorkCalendar.from_db(db)).due.isoformat()
    )


def test_recompute_due_changes_nothing_twice(db):
    new(db)
    assert A.recompute_due(db, CAL) == 0


# -- letters ---------------------------------------------------------------------------------------


def test_letter_context_needs_its_step(db):
    i = new(db)
    for kind, message in (
        ("supplement", "没有发出补正告知"),
        ("extension", "没有延期"),
        ("fee", "没有发出收费通知"),
        ("consultation", "没有征求意见记录"),
        ("answer", "尚未答复"),
    ):
        with pytest.raises(ValidationError, match=message):
            A.letter_context(db, i, kind, TODAY)


def test_letter_context_and_document_numbers(db):
    p = profile.load(db)
    p.doc_prefix = "厦人社"
    profile.save(db, p)
    i = new(db)
    A.extend(db, i, 10, "赵主任", "2026-03-10", "2026-03-11", "李四", today=TODAY)
    ctx = A.letter_context(db, i, "extension", TODAY)
    assert ctx["doc_no"] == "厦人社依申〔2026〕1号"
    assert (ctx["answer_due"], ctx["new_due"]) == (
        date(2026, 3, 16),
        date.fromisoformat(wd("2026-02-10", 30)),
    )
    assert (ctx["approver"], ctx["extension_days"], ctx["letter_date"]) == (
        "赵主任",
        10,
        date(2026, 3, 11),
    )
    assert (
        ctx["review_body"] == "厦门市人民政府" and ctx["unit_name"] == "厦门市人力资源和社会保障局"
    )
    pdf = b"%PDF-1.4 test"
    first = A.store_letter(db, i, "extension", ctx["doc_no"], ctx["letter_date"], pdf, "李四")
    assert A.letter_pdf(db, first) == pdf
    with pytest.raises(ValidationError, match="已被占用"):
        A.store_letter(db, i, "extension", ctx["doc_no"], ctx["letter_date"], pdf, "李四")
    assert A.letter_context(db, i, "receipt", TODAY)["doc_no"] == "厦人社依申〔2026〕2号"
    assert [x["doc_no"] for x in A.letters(db, i)] == ["厦人社依申〔2026〕1号"]


def test_answer_letter_follows_the_answer_type(db):
    i = new(db)
    answer(
        db,
        i,
        5,
        "无法提供",
        "2026-03-02",
        reason="本机关不掌握相关政府信息",
        details={"right_office": "厦门市医疗保障局"},
    )
    assert A.resolve_kind(app(db, i), "answer") == "answer_not_ours"
    assert A.letter_context(db, i, "answer", TODAY)["right_office"] == "厦门市医疗保障局"
