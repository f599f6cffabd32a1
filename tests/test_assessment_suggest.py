"""Suggested self-assessment scores on hand-built records (issue 6 §2, seed table items 1–45)."""

import json
from datetime import date
from pathlib import Path

import pytest

from gongkai_desktop.core import (
    annual_report,
    applications,
    inspections,
    items,
    organisation,
    profile,
    unit_records,
    workflow,
)
from gongkai_desktop.core import complaints as C
from gongkai_desktop.core.assessment_suggest import suggest
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.workflow import StepInput

YEAR = 2026
TODAY = date(2026, 12, 20)
CAL = WorkCalendar()
TEMPLATE = json.loads(
    (Path(__file__).parents[1] / "resources" / "assessment" / "fujian.json").read_text("utf-8")
)


def run(db, today=TODAY, year=YEAR):
    return suggest(db, year, TEMPLATE, today=today)


def new_item(db, formed, published=None, **kw):
    data = {"title": kw.pop("title", f"信息{formed}"), "formed_date": formed,
            "published_date": published, "category": kw.pop("category", "预算决算"),
            "channels": kw.pop("channels", ["门户网站"]), "url": "http://x.gov.cn/1.htm"} | kw  # fmt: skip
    return items.create(db, data, cal=CAL, today=TODAY)


def step(db, item_id, name, on):
    extra = {}
    if name == "初审":
        extra = {"secrecy": "不涉密", "exemption": "无", "review_reason": "不涉及国家秘密"}
    if name == "公开":
        extra = {"channels": ["门户网站", "固定公开栏"], "url": "http://x.gov.cn/1.htm"}
    inp = StepInput(name, "完成", "李四", date.fromisoformat(on), "同意",
                    workflow.DEFAULT_RESULT[name], extra)  # fmt: skip
    items.record_step(db, item_id, inp, today=TODAY)


def test_every_item_of_the_table_gets_a_chinese_reason(db):
    s = run(db)
    assert sorted(s) == list(range(1, 46))
    assert all(x.reason and any("\u4e00" <= ch <= "\u9fff" for ch in x.reason) for x in s.values())
    # an empty file: nothing is met, and what the records cannot answer is left to the clerk
    assert s[1].score == 0 and s[5].score == 0 and s[26].score is None and s[34].score is None
    assert "人工" in s[25].reason


# -- 组织机构与职责 (1–4), 经费 (38) -------------------------------------------------------------


def test_organisation_card_rules_and_budget(db):
    organisation.add_member(db, "领导小组", "王海涛", "局长", "组长", "2026-01-05",
                            is_principal=True, today=TODAY)  # fmt: skip
    s = run(db)
    assert s[1].score == 1  # leading group, but no working body yet: half
    assert "王海涛" in s[1].reason and "尚未登记政务公开工作机构" in s[1].reason
    organisation.add_member(
        db, "工作机构", "林晓红", "科员", "兼职工作人员", "2026-01-05", today=TODAY
    )
    organisation.add_member(db, "监督小组", "苏婉清", "纪检组长", "组长", "2026-01-05", today=TODAY)
    card = unit_records.save_card(db, {"name": "办公室", "head": "林晓红", "address": "湖滨北路1号",
                                       "hours": "工作日 8:00-12:00", "phone": "0592-1234567",
                                       "fax": "0592-1234568", "email": "gkb@xm.gov.cn"})  # fmt: skip
    unit_records.publish_card(db, card, "2026-02-01", today=TODAY)
    unit_records.add_rule(db, "政务公开工作制度", "厦人社〔2026〕1号", "2026-01-10", today=TODAY)
    unit_records.set_budget(db, YEAR, "3.5", "办公室业务经费")
    s = run(db)
    assert (s[1].score, s[2].score, s[3].score, s[4].score, s[38].score) == (2, 2, 3, 3, 2)
    assert "2026-02-01" in s[3].reason and "7 项内容齐全" in s[3].reason
    assert "《政务公开工作制度》" in s[4].reason
    assert "3.5 万元" in s[38].reason
    unit_records.set_budget(db, YEAR, "0")
    assert run(db)[38].score == 0


def test_public_channels_in_the_profile(db):
    p = profile.load(db)
    p.consult_phone, p.complaint_phone = "0592-1111111", "0592-2222222"
    profile.save(db, p)
    s = run(db)
    assert s[24].score == 1 and "举报电话、意见箱" in s[24].reason
    p.report_phone, p.opinion_box = "0592-3333333", "办事大厅东侧"
    profile.save(db, p)
    assert run(db)[24].score == 2


# -- 公开内容 (5–21), 公开形式 (22–23) -----------------------------------------------------------


def test_categories_and_channels_of_the_years_items(db):
    new_item(db, "2026-03-02", "2026-03-05", category="预算决算", channels=["门户网站", "公报"])
    new_item(db, "2026-03-02", "2026-03-06", category="权力运行", channels=["固定公开栏"])
    new_item(db, "2025-12-01", "2025-12-03", category="统计信息")  # last year: not counted
    s = run(db)
    assert s[5].score == 5 and s[10].score == 2  # 01 权力运行, 06 预算决算
    assert s[9].score == 0 and "统计信息" in s[9].reason
    assert s[22].score == 2 and "2 种" in s[22].reason  # 公报, 固定公开栏: fewer than 3 → half
    assert s[23].score == 3 and "门户网站公开 1 条" in s[23].reason
    new_item(db, "2026-04-01", "2026-04-02", channels=["宣传资料"])
    assert run(db)[22].score == 4


# -- 公开时间 (25–27) ----------------------------------------------------------------------------


def test_item26_the_20th_working_day_is_on_time_the_next_day_late(db):
    # formed Monday 2026-03-02: the 20th working day is Monday 2026-03-30
    new_item(db, "2026-03-02", "2026-03-30", title="按时公开的通知")
    late = new_item(db, "2026-03-02", "2026-03-31", title="晚一天公开的通知")
    s = run(db)[26]
    assert s.score == 2  # 1 of 2 on time → half of 4
    assert "本年公开 2 条，按时 1 条（50.0%），逾期 1 条" in s.reason
    assert "晚一天公开的通知（生成 2026-03-02，届满 2026-03-30，公开 2026-03-31）" in s.reason
    assert "按时公开的通知" not in s.reason
    assert s.evidence == [("items", late, "晚一天公开的通知")]


def test_item26_unpublished_past_due_counts_as_late(db):
    new_item(db, "2026-03-02", "2026-03-10")
    new_item(db, "2026-10-09", title="逾期未公开的信息")
    s = run(db)[26]
    assert s.score == 2 and "另有 1 条已过期限尚未公开：逾期未公开的信息" in s.reason


def test_item25_major_decisions_need_all_three_stages(db):
    a = new_item(db, "2026-03-02", "2026-03-05", title="养老服务补贴办法", major_decision=True)
    b = new_item(db, "2026-03-02", "2026-03-05", title="就业补助调整", major_decision=True)
    for stage, day in (
        ("决策前", "2026-03-05"),
        ("决策中", "2026-04-01"),
        ("决策后", "2026-05-01"),
    ):
        items.add_decision_stage(db, a, stage, day, "公开征求意见稿", "收到意见 12 条")
    items.add_decision_stage(db, b, "决策前", "2026-03-05", "公开征求意见稿")
    s = run(db)[25]
    assert (
        s.score == 1.5
        and "重大决策 2 项" in s.reason
        and "就业补助调整（缺决策中、决策后）" in s.reason
    )


def test_item27_long_term_and_display_periods(db):
    new_item(db, "2026-03-02", "2026-03-05", long_term=True)
    new_item(db, "2026-03-02", "2026-03-05", end_date="2026-03-20")
    s = run(db)[27]
    assert s.score == 3 and "长期公开 1 条" in s.reason and "（100.0%）" in s.reason


# -- 公开程序 (28–29, 36) ------------------------------------------------------------------------


def test_reviews_and_filing_follow_the_seven_steps(db):
    done = new_item(db, "2026-03-02", title="走完七步的信息")
    for name, on in zip(workflow.STEPS, ("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06",
                                          "2026-03-20", "2026-03-21", "2026-03-22"), strict=True):  # fmt: skip
        step(db, done, name, on)
    new_item(db, "2026-03-02", "2026-03-09", title="直接登记的已公开信息")
    s = run(db)
    assert (s[28].score, s[29].score, s[36].score) == (1, 1, 1)
    assert "经工作机构初审通过的 1 条（50.0%）" in s[28].reason
    assert "没有审核记录：直接登记的已公开信息" in s[29].reason
    assert "已建档 1 条" in s[36].reason and "直接登记的已公开信息（待反馈）" in s[36].reason


# -- 监督 (30–33) --------------------------------------------------------------------------------


def key(db, on):
    return inspections.add_key_inspection(db, on, "苏婉清、黄志伟", "网站栏目", "未发现问题",
                                          "符合要求", today=TODAY)  # fmt: skip


def test_item30_one_key_inspection_in_a_year_is_half_marks(db):
    k = key(db, "2026-05-20")
    inspections.store_report(db, k, b"%PDF-1.4 report")
    inspections.add_patrol(
        db, "2026-03-03", "黄志伟", "网站栏目", "栏目更新", "未发现问题", today=TODAY
    )
    s = run(db)[30]
    assert s.score == 2
    assert "2026年上半年重点检查 2026-05-20，有检查报告" in s.reason
    assert "2026年下半年没有重点检查" in s.reason and "日常监督巡查 1 次" in s.reason
    inspections.store_report(db, key(db, "2026-11-10"), b"%PDF-1.4 report")
    assert run(db)[30].score == 4


def test_item30_without_report_or_patrols_loses_marks(db):
    key(db, "2026-05-20")
    key(db, "2026-11-10")
    s = run(db)[30]
    assert s.score == 1  # two halves without stored reports (1 + 1), no patrols (−1)
    assert "未存检查报告" in s.reason and "没有登记日常监督巡查" in s.reason


def complaint(db, kind, received, **kw):
    cid = C.create(db, {"kind": kind, "source": "意见箱", "person": "陈秀英", "contact": "13800000000",
                        "received_date": received, "content": "建议" + received,
                        "handler": "林晓红"}, today=TODAY)  # fmt: skip
    C.record_step(db, cid, "受理", received, "黄志伟", today=TODAY)
    return cid


def reply(db, cid, on):
    C.record_step(db, cid, "调查核实", on, "黄志伟", today=TODAY)
    C.record_step(db, cid, "答复", on, "黄志伟", today=TODAY, reply_method="电话",
                  reply_content="已答复")  # fmt: skip


def test_items31_to_33_opinions_principal_and_complaints(db):
    a = complaint(db, "意见建议", "2026-03-10")
    complaint(db, "意见建议", "2026-03-11")
    C.forward_to_principal(db, a, "2026-03-12", "王海涛", "黄志伟", today=TODAY)  # due 04-13
    C.record_principal_answer(db, a, "2026-04-13", "同意", "王海涛", today=TODAY)
    on_time = complaint(db, "投诉", "2026-03-10")
    reply(db, on_time, "2026-04-09")  # the 30th day
    late = complaint(db, "投诉", "2026-03-10")
    reply(db, late, "2026-04-10")
    s = run(db)
    assert s[31].score == 1.5 and "意见建议 2 条，已向主要负责人反馈 1 条" in s[31].reason
    assert s[32].score == 3 and "30日内答复 1 条" in s[32].reason
    assert (
        s[33].score == 1.5
        and "逾期 1 条" in s[33].reason
        and "应于 2026-04-09 前反馈" in s[33].reason
    )


# -- 申请 (34–35) --------------------------------------------------------------------------------


def application(db, received, no):
    return applications.create(db, {"applicant_type": "自然人", "applicant_name": f"申请人{no}",
                                    "phone": "13800000000", "channel": "当面",
                                    "received_date": received, "content": "申请公开的信息"},
                               who="李四", today=TODAY, app_no=no)  # fmt: skip


def test_item34_answers_within_the_deadline_and_item35_fees(db):
    a = application(db, "2026-03-02", "A1")  # due 2026-03-30
    applications.answer(db, a, answer_type=2, result="予以公开", answer_date="2026-03-30",
                        who="李四", today=TODAY)  # fmt: skip
    b = application(db, "2026-03-02", "A2")
    applications.answer(db, b, answer_type=2, result="予以公开", answer_date="2026-03-31",
                        who="李四", today=TODAY)  # fmt: skip
    s = run(db)
    assert (
        s[34].score == 3
        and "按期答复 1 件（50.0%），逾期 1 件：A2（期限 2026-03-30，答复 2026-03-31）"
        in s[34].reason
    )
    assert s[35].score == 3 and "均未收费" in s[35].reason
    c = application(db, "2026-04-01", "A3")
    applications.issue_fee_notice(db, c, "按量", 40, "2026-04-03", None, "李四", today=TODAY)
    s = run(db)[35]
    assert s.score is None and "收费通知 1 件，合计 100 元" in s.reason  # pages 31–40 at 10 元
    assert "人工打分" in s.reason  # the table's older rule names only cost fees


# -- 年度报告 (37) -------------------------------------------------------------------------------


@pytest.mark.parametrize(("published", "score"), [("2026-03-31", 3), ("2026-04-01", 0)])
def test_item37_report_on_the_tables_deadline_day(db, published, score):
    annual_report.save_table2_manual(db, YEAR - 1, {"行政许可": 12, "行政处罚": 3, "行政强制": 0,
                                                   "行政事业性收费": 0})  # fmt: skip
    annual_report.publish(db, YEAR - 1, published, today=TODAY)
    s = run(db)[37]
    assert s.score == score and f"于 {published} 发布" in s.reason and "2026-03-31" in s.reason


def test_item37_before_and_after_the_deadline_without_a_report(db):
    assert run(db, today=date(2026, 2, 1))[37].score is None
    assert run(db)[37].score == 0


# -- 加分项目 (39–45) ----------------------------------------------------------------------------


def test_recognitions_score_by_kind(db):
    for kind in ("发文推广", "表彰", "绩效考评名次"):
        unit_records.add_recognition(db, "2026-06-01", kind, "福建省政务公开办", "网上公开栏经验",
                                     "闽政务〔2026〕5号", today=TODAY)  # fmt: skip
    unit_records.add_recognition(db, "2025-06-01", "文明单位", "市直机关工委", "文明单位",
                                 today=TODAY)  # fmt: skip
    s = run(db)
    assert [s[n].score for n in range(39, 46)] == [2, 1, 0, 0, 0, 2, 0]
    assert "福建省政务公开办《网上公开栏经验》（闽政务〔2026〕5号）" in s[39].reason
    assert "只按最高分值计一次" in s[40].reason
    assert s[39].evidence[0][0] == "recognitions"


def test_another_table_gets_no_automatic_scores(db):
    other = {"id": "other", "items": [{"no": 1, "max": 5}]}
    s = suggest(db, YEAR, other, today=TODAY)
    assert s[1].score is None and "other" in s[1].reason
