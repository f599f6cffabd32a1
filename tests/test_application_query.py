"""依申请公开 list: filters, overdue / due soon, search, sort and deep pages in SQL."""

from datetime import date

from gongkai_desktop.core import application_query as Q
from gongkai_desktop.core import applications as A
from gongkai_desktop.core.calendar import WorkCalendar

TODAY = date(2026, 6, 1)  # Monday
CAL = WorkCalendar()


def new(db, received, name="王五", content="就业补贴发放名单", **over):
    data = {
        "applicant_type": "自然人",
        "applicant_name": name,
        "phone": "1380000",
        "channel": "当面",
        "received_date": received,
        "content": content,
    }
    return A.create(db, data | over, who="李四", today=TODAY)


def nos(db, f, **kw):
    return [r["app_no"] for r in Q.page(db, f, TODAY, CAL, **kw)]


def test_overdue_and_due_soon(db):
    overdue = new(db, "2026-04-20")  # due 2026-05-20
    soon = new(db, "2026-05-06")  # due 2026-06-02 (May Day break skipped): 1 working day left
    due_today = new(db, "2026-05-05")  # due 2026-06-01: due today is not yet overdue
    later = new(db, "2026-05-25")  # due 2026-06-23
    paused = new(db, "2026-04-20")
    A.start_consultation(db, paused, "第三方", "甲公司", "2026-05-06", "李四", today=TODAY)
    waiting = new(db, "2026-04-20")
    A.request_supplement(db, waiting, "2026-04-22", "请写明年份", None, "李四", today=TODAY)
    extended = new(db, "2026-04-20")
    A.extend(db, extended, 20, "赵主任", "2026-05-19", "2026-05-19", "李四", today=TODAY)
    answered = new(db, "2026-04-20")
    A.answer(
        db,
        answered,
        answer_type=2,
        result="予以公开",
        answer_date="2026-05-25",
        who="李四",
        today=TODAY,
    )
    ids = (overdue, soon, due_today, later, paused, waiting, extended)
    no = {i: A.get(db, i)["app_no"] for i in ids}
    assert nos(db, Q.ApplicationFilter(due="overdue")) == [no[overdue]]
    assert nos(db, Q.ApplicationFilter(due="soon")) == [no[soon], no[due_today]]
    assert A.due_counts(db, TODAY, CAL) == (2, 1)
    rows = {r["app_no"]: r for r in Q.page(db, Q.ApplicationFilter(), TODAY, CAL)}
    assert rows[no[overdue]]["overdue"] and rows[no[overdue]]["days_left"] < 0
    assert rows[no[soon]]["days_left"] == 1 and not rows[no[soon]]["overdue"]
    assert rows[no[paused]]["state"] == "征求意见中" and rows[no[paused]]["days_left"] is None
    assert rows[no[waiting]]["state"] == "补正中" and rows[no[waiting]]["answer_due"] is None
    assert rows[no[extended]]["state"] == "已延期" and not rows[no[extended]]["overdue"]


def test_filters_year_state_result_and_count(db):
    a = new(db, "2025-12-01")
    b = new(db, "2026-03-02")
    new(db, "2026-03-03")
    A.answer(
        db,
        a,
        answer_type=3,
        result="不予公开",
        reason="属于国家秘密",
        answer_date="2025-12-10",
        who="李四",
        today=TODAY,
    )
    A.answer(
        db, b, answer_type=2, result="予以公开", answer_date="2026-03-10", who="李四", today=TODAY
    )
    assert Q.count(db, Q.ApplicationFilter(year=2026), TODAY, CAL) == 2
    assert Q.count(db, Q.ApplicationFilter(state="已办结"), TODAY, CAL) == 2
    assert nos(db, Q.ApplicationFilter(result="不予公开/属于国家秘密")) == ["2025-0001"]
    assert nos(db, Q.ApplicationFilter(result="不予公开/属于行政执法案卷")) == []
    assert nos(db, Q.ApplicationFilter(result="予以公开")) == ["2026-0001"]
    assert Q.years(db) == [2026, 2025]


def test_search_applicant_content_and_number(db):
    new(
        db,
        "2026-03-02",
        name="厦门鹭海信息科技有限公司",
        content="稳岗返还企业名单",
        applicant_type="商业企业",
    )
    new(db, "2026-03-03", name="林志强", content="工伤认定决定书")
    assert nos(db, Q.ApplicationFilter(text="鹭海")) == ["2026-0001"]
    assert nos(db, Q.ApplicationFilter(text="工伤")) == ["2026-0002"]
    assert nos(db, Q.ApplicationFilter(text="2026 0002")) == ["2026-0002"]
    assert Q.count(db, Q.ApplicationFilter(text="名单"), TODAY, CAL) == 1
    A.update(db, 1, {"applicant_name": "厦门海湾物流有限公司"}, today=TODAY)
    assert nos(db, Q.ApplicationFilter(text="鹭海")) == [] and nos(
        db, Q.ApplicationFilter(text="海湾")
    )


def test_sort_and_deep_pages_from_the_far_end(db):
    for k in range(1, 13):
        new(db, f"2026-03-{k:02d}" if date(2026, 3, k).weekday() < 5 else f"2026-04-{k:02d}")
    f = Q.ApplicationFilter()
    every = nos(db, f, order="received_date", descending=False, limit=100)
    total = Q.count(db, f, TODAY, CAL)
    assert total == 12
    for offset in (0, 4, 8, 10):
        assert (
            nos(db, f, order="received_date", descending=False, offset=offset, limit=3, total=total)
            == every[offset : offset + 3]
        )
    by_due = Q.page(db, f, TODAY, CAL, order="answer_due", descending=True)
    assert [r["answer_due"] for r in by_due] == sorted(
        (r["answer_due"] for r in by_due), reverse=True
    )
    assert nos(db, f, order="no such column") == every[::-1]  # falls back to the receipt date
