"""工作台 core: due lines from the existing rules, requirements, countdown, charts, banner."""

from datetime import date

from gongkai_desktop.core import applications as A
from gongkai_desktop.core import (
    assessment,
    audit,
    calendar_entries,
    items,
    meetings,
    organisation,
    rectifications,
    unit_records,
    workbench,
)
from gongkai_desktop.core import complaints as C
from gongkai_desktop.core.workbench_requirements import AMBER, GREEN, GREY, RED, STATUS_LABELS


def app(db, received="2026-03-02", **over):
    data = {"applicant_type": "自然人", "applicant_name": "王五", "phone": "13800000000",
            "channel": "当面", "received_date": received, "content": "2025年度社保基金收支"}  # fmt: skip
    return A.create(db, data | over, who="李四", today=date(2026, 6, 1))


def complaint(db, kind="投诉", received="2026-03-01"):
    data = {"kind": kind, "source": "电话", "person": "陈秀英", "contact": "13800000000",
            "received_date": received, "content": "网站栏目三个月未更新", "handler": "林晓红"}  # fmt: skip
    return C.create(db, data, today=date(2026, 6, 1))


def by_kind(lines):
    return {(ln.kind, ln.record_table, ln.record_id): ln for ln in lines}


def test_publish_deadline_within_the_horizon_and_not_beyond(db):
    due = items.create(
        db, {"title": "2026年部门预算", "category": "06", "formed_date": "2026-03-02"}
    )
    later = items.create(db, {"title": "二季度计划", "category": "06", "formed_date": "2026-03-20"})
    done = items.create(db, {"title": "已公开", "category": "06", "formed_date": "2026-03-02",
                             "published_date": "2026-03-10"})  # fmt: skip
    lines = by_kind(workbench.due_items(db, date(2026, 3, 25)))
    line = lines[("公开期限", "items", due)]
    # 20 working days after Mon 2 March (条例第二十六条): Mon 30 March; Thu, Fri, Mon left
    assert (line.due, line.working_days_left, line.left_text) == (
        date(2026, 3, 30),
        3,
        "剩3个工作日",
    )
    assert "条例第二十六条" in line.explain and "2026-03-30" in line.explain
    assert ("公开期限", "items", later) not in lines and ("公开期限", "items", done) not in lines


def test_overdue_application_and_the_answer_removes_it(db):
    i = app(db)
    today = date(2026, 4, 1)
    line = by_kind(workbench.due_items(db, today))[("申请答复", "applications", i)]
    assert line.due == date(2026, 3, 30) and line.working_days_left == -2 and line.overdue
    assert line.left_text == "已逾期2个工作日" and "条例第三十三条" in line.explain
    assert line.label.startswith("2026-") and "王五" in line.label
    A.answer(db, i, answer_type=2, result="予以公开", answer_date="2026-04-01", who="李四",
             today=today)  # fmt: skip
    assert not [ln for ln in workbench.due_items(db, today) if ln.record_table == "applications"]


def test_supplement_notice_window_and_the_applicants_deadline(db):
    i = app(db, received="2026-03-24")
    # 7 working days after Tue 24 March (条例第三十条): Thu 2 April
    line = by_kind(workbench.due_items(db, date(2026, 3, 30)))[("补正告知", "applications", i)]
    assert line.due == date(2026, 4, 2) and line.working_days_left == 3
    assert "一次性告知" in line.explain
    A.request_supplement(db, i, "2026-03-31", "请写明年份", "2026-04-10", "李四",
                         today=date(2026, 3, 31))  # fmt: skip
    lines = by_kind(workbench.due_items(db, date(2026, 4, 8)))
    line = lines[("补正告知", "applications", i)]
    assert line.due == date(2026, 4, 10) and "视为放弃申请" in line.explain
    assert ("申请答复", "applications", i) not in lines  # no answer clock while awaited


def test_complaints_consultations_and_the_principal(db):
    ask = complaint(db, kind="咨询")
    comp = complaint(db, kind="投诉")
    opinion = complaint(db, kind="意见建议", received="2026-03-20")
    C.forward_to_principal(
        db, opinion, "2026-03-25", "局长 王强", "林晓红", today=date(2026, 3, 25)
    )
    lines = by_kind(workbench.due_items(db, date(2026, 3, 27)))
    # 30 days after 1 March (考核表第33项): Tue 31 March
    assert lines[("咨询答复", "complaints", ask)].due == date(2026, 3, 31)
    assert lines[("投诉答复", "complaints", comp)].due == date(2026, 3, 31)
    assert "考核表第33项" in lines[("投诉答复", "complaints", comp)].explain
    assert ("投诉答复", "complaints", opinion) not in lines  # due 20 April: beyond the horizon
    lines = by_kind(workbench.due_items(db, date(2026, 4, 22)))
    principal = lines[("主要负责人答复", "complaints", opinion)]
    # 30 days after 25 March is Fri 24 April (考核表第32项)
    assert principal.due == date(2026, 4, 24) and "局长 王强" in principal.explain


def test_rectification_overdue_and_groups_in_order(db):
    r = rectifications.create(db, source="监督检查", problem="阅览室未摆放最新公开目录",
                              responsible="办公室 郭雅婷", measure="每月更新目录",
                              due_date="2026-03-20", today=date(2026, 3, 1))  # fmt: skip
    items.create(db, {"title": "部门预算", "category": "06", "formed_date": "2026-03-02"})
    lines = workbench.due_items(db, date(2026, 3, 25))
    assert [ln.kind for ln in lines] == ["公开期限", "整改"]
    rect = lines[1]
    assert (rect.record_id, rect.working_days_left) == (r, -3)  # Mon 23, Tue 24, Wed 25
    assert "郭雅婷" in rect.explain


def test_requirements_colours_and_reasons(db):
    today = date(2026, 11, 27)
    req = {r.key: r for r in workbench.requirements(db, 2026, today)}
    assert req["meetings"].status == AMBER and "再召开2次" in req["meetings"].reason
    assert req["contact_card"].status == RED
    assert req["budget"].status == AMBER and "考核表第38项" in req["budget"].reason
    assert req["rectifications"].status == GREEN
    assert req["organisation"].status == RED and "考核表第1项" in req["organisation"].reason
    assert req["key_inspection_1"].status == RED  # the first half ended unchecked
    for d in ("2026-03-10", "2026-09-10"):
        meetings.add_meeting(db, d, "专题会议", "领导小组", "研究政务公开工作", "王强", "", "",
                             today=today)  # fmt: skip
    unit_records.set_budget(db, 2026, 8.5, "政务公开专项经费")
    organisation.add_member(db, "领导小组", "王强", "局长", "组长", "2026-01-05",
                            is_principal=True, today=today)  # fmt: skip
    req = {r.key: r for r in workbench.requirements(db, 2026, today)}
    assert req["meetings"].status == GREEN and req["meetings"].title.endswith("（2/2次）")
    assert req["budget"].status == GREEN and "8.5万元" in req["budget"].reason
    assert "监督小组" in req["organisation"].reason  # still missing, said in words
    # a new ledger has no 2025 records: the 2025 report is unknown here, not 已落实
    assert req["annual_report"].status == GREY and STATUS_LABELS[GREY] == "无记录"
    assert "无法判断2025年度报告是否已发布" in req["annual_report"].reason
    past = {r.key: r for r in workbench.requirements(db, 2025, today)}
    assert past["meetings"].status == RED and past["budget"].status == RED
    assert all(r.link for r in req.values())


def test_inspection_countdown_reads_and_writes_the_assessment_date(db):
    today = date(2026, 6, 1)
    info = workbench.inspection_countdown(db, today)
    assert info["inspection_date"] is None and info["days_left"] is None
    assert info["score_max"] == 100 and info["score_total"] == 0
    n = len(info["unscored"])
    assert n > 30 and info["unscored"][0].startswith("第1项")
    workbench.set_inspection_date(db, date(2026, 7, 15), who="张三")
    aid = assessment.find(db, 2026)
    assessment.set_score(db, aid, 1, 2)
    info = workbench.inspection_countdown(db, today)
    assert info["inspection_date"] == date(2026, 7, 15) and info["days_left"] == 44
    assert info["score_total"] == 2 and len(info["unscored"]) == n - 1
    assert assessment.get(db, aid)["inspection_date"] == "2026-07-15"  # same as 自评打分
    assert any(r.who == "张三" for r in audit.history(db, "assessments", aid))


def test_charts_count_on_time_results_and_kinds(db):
    items.create(db, {"title": "按时", "category": "06", "formed_date": "2026-03-02",
                      "published_date": "2026-03-10"})  # fmt: skip
    items.create(db, {"title": "逾期", "category": "06", "formed_date": "2026-01-05",
                      "published_date": "2026-03-20"})  # fmt: skip
    i = app(db)
    app(db, received="2026-03-05")
    A.answer(db, i, answer_type=2, result="予以公开", answer_date="2026-03-20", who="李四",
             today=date(2026, 6, 1))  # fmt: skip
    complaint(db, kind="咨询")
    complaint(db, kind="举报")
    ch = workbench.charts(db, 2026)
    assert ch["published_by_month"][2] == (3, 2, 1) and len(ch["published_by_month"]) == 12
    assert ch["applications_by_result"] == [("予以公开", 1), ("办理中", 1)]
    assert dict(ch["complaints_by_kind"]) == {"咨询": 1, "投诉": 0, "举报": 1, "意见建议": 0}


def test_calendar_warning_until_the_schedule_is_entered(db):
    today = date(2029, 12, 20)
    assert workbench.calendar_warning(db, today) is None  # nothing reaches into 2030
    items.create(db, {"title": "年末通知", "category": "06", "formed_date": "2029-12-18"},
                 today=today)  # fmt: skip
    text = workbench.calendar_warning(db, today)
    assert "2030年的放假安排尚未录入" in text and "节假日安排" in text and "1项" in text
    calendar_entries.save_year_and_recompute(db, 2030, [("2030-01-01", "放假", "元旦")], "张三")
    assert workbench.calendar_warning(db, today) is None
