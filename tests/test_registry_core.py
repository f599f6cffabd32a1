"""Registry repository and the seven-step procedure (RULES.md §2)."""

from datetime import date

import pytest

from gongkai_desktop.core import audit, items, profile, workflow
from gongkai_desktop.core import registry_query as rq
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import ValidationError, WorkflowError
from gongkai_desktop.core.workflow import StepInput

TODAY = date(2026, 11, 27)
CAL = WorkCalendar()


def new_item(db, **kw):
    data = {"title": "2026年部门预算公开", "doc_no": "厦人社〔2026〕3号", "formed_date": "2026-02-10",
            "category": "预算决算", "channels": ["门户网站"], "keywords": "预算 三公经费"} | kw
    return items.create(db, data, cal=CAL, today=TODAY)


def step(db, item_id, name, on, action="完成", **kw):
    extra = kw.pop("extra", {})
    if name == "初审" and action == "完成" and not extra:
        extra = {"secrecy": "不涉密", "exemption": "无", "review_reason": "不涉及国家秘密和个人隐私"}
    if name == "公开" and not extra:
        extra = {"channels": ["门户网站", "固定公开栏"], "url": "http://hrss.xm.gov.cn/xxgk/1.htm"}
    inp = StepInput(name, action, kw.pop("who", "李四"), on, kw.pop("opinion", "同意"),
                    kw.pop("result", workflow.DEFAULT_RESULT[name]), extra)
    return items.record_step(db, item_id, inp, today=TODAY)


def test_index_number_follows_pattern_and_serial_is_never_reused(db):
    a = new_item(db)
    b = new_item(db, title="2026年第一季度统计信息", category="统计信息", doc_no="")
    assert items.get(db, a)["index_no"] == "X001-06-2026-00001"
    assert items.get(db, b)["index_no"] == "X001-05-2026-00002"
    items.delete(db, b)
    c = new_item(db, title="另一条", doc_no="")
    assert items.get(db, c)["index_no"].endswith("-00003")


def test_publish_deadline_is_stored_with_the_item(db):
    item = items.get(db, new_item(db))
    assert item["publish_due"] == "2026-03-16"  # RULES.md §1 worked example
    assert item["provisional"] == 0


def test_two_character_chinese_search_and_doc_number(db):
    new_item(db)
    new_item(db, title="关于2026年度人才引进实施办法的通知", category="法规文件",
             doc_no="厦人社〔2026〕12号", keywords="人才")
    f = rq.RegistryFilter
    assert rq.count(db, f(text="预算"), TODAY, CAL) == 1
    assert rq.count(db, f(text="人才"), TODAY, CAL) == 1
    assert rq.count(db, f(text="〔2026〕12号"), TODAY, CAL) == 1
    assert rq.count(db, f(text="厦人社"), TODAY, CAL) == 2
    assert rq.count(db, f(text="三公经费"), TODAY, CAL) == 1
    assert rq.count(db, f(text="财政"), TODAY, CAL) == 0
    assert rq.count(db, f(text="OR"), TODAY, CAL) == 0  # FTS operators are taken literally


def test_update_reindexes_search_and_audits_before_and_after(db):
    i = new_item(db)
    items.update(db, i, {"title": "2026年部门决算公开"}, cal=CAL, today=TODAY)
    assert rq.count(db, rq.RegistryFilter(text="预算公开"), TODAY, CAL) == 0
    assert rq.count(db, rq.RegistryFilter(text="决算"), TODAY, CAL) == 1
    last = audit.history(db, "items", i)[-1]
    assert last.action == "update" and last.who == "张三"
    assert ("title", "2026年部门预算公开", "2026年部门决算公开") in last.changes()


def test_filters_overdue_and_due_soon(db):
    overdue = new_item(db, formed_date="2026-10-01", doc_no="")
    soon = new_item(db, formed_date="2026-10-28", title="即将到期的事项", doc_no="")  # due 2026-11-25+
    done = new_item(db, formed_date="2026-10-01", title="已公开事项", doc_no="", published_date="2026-10-09")
    f = rq.RegistryFilter
    over_ids = {r["id"] for r in rq.page(db, f(due="overdue"), TODAY, CAL)}
    assert overdue in over_ids and done not in over_ids
    due = date.fromisoformat(items.get(db, soon)["publish_due"])
    soon_ids = {r["id"] for r in rq.page(db, f(due="soon"), due, CAL)}
    assert soon in soon_ids and overdue not in soon_ids


def test_sorting_and_paging_happen_in_sql(db):
    for m in range(1, 10):
        new_item(db, title=f"事项{m}", formed_date=f"2026-0{m}-05", doc_no="")
    first = rq.page(db, rq.RegistryFilter(), TODAY, CAL, order="formed_date", descending=False, limit=3)
    assert [r["title"] for r in first] == ["事项1", "事项2", "事项3"]
    nxt = rq.page(db, rq.RegistryFilter(), TODAY, CAL, order="formed_date", descending=False, offset=3, limit=3)
    assert [r["title"] for r in nxt] == ["事项4", "事项5", "事项6"]
    # an unknown column never reaches SQL
    assert len(rq.page(db, rq.RegistryFilter(), TODAY, CAL, order="title; DROP TABLE items")) == 9


def test_all_seven_steps_in_order(db):
    i = new_item(db)
    days = [date(2026, 2, 11), date(2026, 2, 12), date(2026, 2, 13), date(2026, 2, 24),
            date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12)]
    for name, on in zip(workflow.STEPS, days, strict=True):
        step(db, i, name, on)
    item = items.get(db, i)
    assert item["stage"] == workflow.DONE
    assert item["published_date"] == "2026-02-24"
    assert "固定公开栏" in item["channels"]
    assert [s["step"] for s in items.steps(db, i)] == list(workflow.STEPS)
    with pytest.raises(WorkflowError, match="已经建档"):
        step(db, i, "建档", date(2026, 3, 13))


def test_no_step_is_skipped(db):
    i = new_item(db)
    with pytest.raises(WorkflowError, match="不能跳过"):
        step(db, i, "初审", date(2026, 2, 11))
    assert items.steps(db, i) == []


def test_dates_not_before_previous_step_nor_after_today(db):
    i = new_item(db)
    with pytest.raises(WorkflowError, match="早于信息生成"):
        step(db, i, "提出", date(2026, 2, 9))
    step(db, i, "提出", date(2026, 2, 12))
    with pytest.raises(WorkflowError, match="早于上一环节“提出”"):
        step(db, i, "初审", date(2026, 2, 11))
    with pytest.raises(WorkflowError, match="晚于今天"):
        step(db, i, "初审", date(2026, 11, 28))


def test_returns_from_preliminary_review_and_review(db):
    i = new_item(db)
    step(db, i, "提出", date(2026, 2, 11))
    with pytest.raises(WorkflowError, match="退回意见"):
        step(db, i, "初审", date(2026, 2, 12), action="退回", opinion="")
    t = step(db, i, "初审", date(2026, 2, 12), action="退回", opinion="附件缺少起草说明")
    assert t.returned and items.get(db, i)["stage"] == "提出"
    step(db, i, "提出", date(2026, 2, 13))
    step(db, i, "初审", date(2026, 2, 13))
    step(db, i, "审核", date(2026, 2, 14), action="退回", opinion="涉及个人信息，需脱敏")
    item = items.get(db, i)
    assert item["stage"] == "提出" and item["returns"] == 2
    actions = [(s["step"], s["action"]) for s in items.steps(db, i)]
    assert actions == [("提出", "完成"), ("初审", "退回"), ("提出", "完成"), ("初审", "完成"), ("审核", "退回")]
    with pytest.raises(WorkflowError, match="只有“初审”和“审核”可以退回"):
        step(db, i, "提出", date(2026, 2, 24), action="退回", opinion="x")


def test_preliminary_review_checks_confidentiality(db):
    i = new_item(db)
    step(db, i, "提出", date(2026, 2, 11))
    with pytest.raises(WorkflowError, match="保密审查"):
        step(db, i, "初审", date(2026, 2, 12), extra={"secrecy": "", "exemption": "无"})
    with pytest.raises(WorkflowError, match="个人隐私"):
        step(db, i, "初审", date(2026, 2, 12),
             extra={"secrecy": "不涉密", "exemption": "个人隐私", "review_reason": "含身份证号"})


def test_publish_needs_channel_and_url_for_website(db):
    i = new_item(db)
    for name, d in (("提出", 11), ("初审", 12), ("审核", 13)):
        step(db, i, name, date(2026, 2, d))
    with pytest.raises(WorkflowError, match="公开方式"):
        step(db, i, "公开", date(2026, 2, 24), extra={"channels": []})
    with pytest.raises(WorkflowError, match="网址"):
        step(db, i, "公开", date(2026, 2, 24), extra={"channels": ["门户网站"], "url": ""})


def test_feedback_and_rectification_accept_none(db):
    i = new_item(db)
    for name, d in (("提出", 11), ("初审", 12), ("审核", 13), ("公开", 24)):
        step(db, i, name, date(2026, 2, d))
    with pytest.raises(WorkflowError, match="无反馈"):
        step(db, i, "反馈", date(2026, 3, 1), result="")
    step(db, i, "反馈", date(2026, 3, 1), result="无反馈")
    step(db, i, "整改", date(2026, 3, 2), result="无需整改")
    assert items.get(db, i)["stage"] == "建档"


def test_step_writes_audit_rows_for_step_and_item(db):
    i = new_item(db)
    step(db, i, "提出", date(2026, 2, 11), who="王五")
    assert items.steps(db, i)[0]["who"] == "王五"  # the step keeps its handler
    rows = db.execute("SELECT tbl, who, action FROM audit WHERE id > 2 ORDER BY id").fetchall()
    # the audit trail records the operator using the program (profile: 张三)
    assert rows[-2:] == [("item_steps", "张三", "insert"), ("items", "张三", "update")]


def test_likely_duplicates_same_doc_no_or_similar_title(db):
    new_item(db)
    dup = items.likely_duplicates(db, {"title": "无关", "doc_no": "厦人社〔2026〕3号", "formed_date": "2026-05-01"})
    assert dup and "文号相同" in dup[0]["reason"]
    sim = items.likely_duplicates(db, {"title": "2026年部门预算公开。", "formed_date": "2026-05-01"})
    assert sim and "标题相似" in sim[0]["reason"]
    assert items.likely_duplicates(db, {"title": "2026年部门预算公开", "formed_date": "2025-05-01"}) == []


def test_validation_messages_name_the_field(db):
    with pytest.raises(ValidationError, match="信息名称"):
        new_item(db, title="  ")
    with pytest.raises(ValidationError, match="2026-03-15 这样的格式"):
        new_item(db, formed_date="2026-13-01")
    with pytest.raises(ValidationError, match="晚于今天"):
        new_item(db, formed_date="2026-12-01")
    with pytest.raises(ValidationError, match="公开方式“微博”"):
        new_item(db, channels=["微博"])


def test_major_decision_stages(db):
    i = new_item(db, major_decision=True)
    items.add_decision_stage(db, i, "决策前", "2026-02-11", "征求意见稿公开", "收到意见3条")
    items.add_decision_stage(db, i, "决策后", "2026-03-01", "正式文件公开")
    assert [s["stage"] for s in items.decision_stages(db, i)] == ["决策前", "决策后"]
    with pytest.raises(ValidationError):
        items.add_decision_stage(db, i, "决策外", "2026-03-01", "x")


def test_recompute_deadlines_after_calendar_change(db):
    i = items.create(db, {"title": "年末事项", "formed_date": "2026-12-20", "category": "其他"},
                     cal=CAL, today=date(2026, 12, 31))
    before = items.get(db, i)
    assert before["provisional"] == 1  # crosses into 2027, which has no official notice
    cal = WorkCalendar({date(2027, 1, 4): (False, "元旦调休"), date(2027, 1, 5): (False, "元旦调休")})
    assert items.recompute_deadlines(db, cal) == 1
    after = items.get(db, i)
    assert after["publish_due"] > before["publish_due"] and after["provisional"] == 0


def test_profile_validation(db):
    p = profile.load(db)
    p.index_pattern = "{年}-{流水}"
    with pytest.raises(ValidationError, match="不认识的占位符"):
        profile.save(db, p)
    p.index_pattern = "{年}"
    with pytest.raises(ValidationError, match="必须包含"):
        profile.save(db, p)


def test_paging_from_either_end_and_index_walk_give_the_same_rows(db):
    for m in range(1, 31):
        new_item(db, title=f"预算事项{m}" if m % 2 else f"其他事项{m}", doc_no="", keywords="",
                 formed_date=f"2026-{(m % 9) + 1:02d}-{(m % 27) + 1:02d}")
    for text in ("", "预算"):
        f = rq.RegistryFilter(text=text)
        total = rq.count(db, f, TODAY, CAL)
        assert total == (30 if not text else 15)
        for order in ("formed_date", "title", "publish_due"):
            for desc in (True, False):
                plain = rq.page(db, f, TODAY, CAL, order=order, descending=desc, limit=100)
                for off in range(0, total, 4):
                    fast = rq.page(db, f, TODAY, CAL, order=order, descending=desc, offset=off,
                                   limit=4, total=total)
                    assert [r["id"] for r in fast] == [r["id"] for r in plain[off:off + 4]]


def test_stage_and_publish_date_agree(db):
    published = new_item(db, doc_no="", published_date="2026-02-24")
    assert items.get(db, published)["stage"] == "反馈"
    with pytest.raises(ValidationError, match="当前环节应在“公开”之后"):
        items.create(db, {"title": "x", "formed_date": "2026-02-10", "category": "其他",
                          "published_date": "2026-02-24"}, cal=CAL, today=TODAY, stage="审核")
    with pytest.raises(ValidationError, match="请填写公开日期"):
        items.create(db, {"title": "x", "formed_date": "2026-02-10", "category": "其他"},
                     cal=CAL, today=TODAY, stage="已建档")
    draft = new_item(db, doc_no="", title="草稿")
    with pytest.raises(ValidationError, match="当前环节应在“公开”之后"):
        items.update(db, draft, {"published_date": "2026-03-01"}, cal=CAL, today=TODAY)


def test_display_period_at_least_15_days(db):
    # seed item 27; 2026-01-23 + 15 days = Sat 2026-02-07, moved to Mon 2026-02-09 (RULES.md §1)
    with pytest.raises(ValidationError, match="最早 2026-02-09 截止"):
        new_item(db, formed_date="2026-01-20", published_date="2026-01-23", end_date="2026-02-07")
    ok = new_item(db, formed_date="2026-01-20", published_date="2026-01-23", end_date="2026-02-09")
    assert items.get(db, ok)["end_date"] == "2026-02-09"
    # the same rule when the end date was set before publication, at the 公开 step
    i = new_item(db, doc_no="", title="公示", end_date="2026-02-20")
    for name, d in (("提出", 11), ("初审", 12), ("审核", 13)):
        step(db, i, name, date(2026, 2, d))
    with pytest.raises(ValidationError, match="不得少于15日"):
        step(db, i, "公开", date(2026, 2, 13))


def test_display_term_text():
    from gongkai_desktop.core.deadlines import display_term

    assert display_term(date(2026, 1, 23), True, None, CAL) == "长期公开"
    assert display_term(date(2026, 1, 23), False, date(2026, 3, 1), CAL) == "2026-03-01"
    assert display_term(date(2026, 1, 23), False, None, CAL) == "至少到 2026-02-09"
    assert display_term(None, False, None, CAL) == ""
