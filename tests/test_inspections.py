"""监督检查: patrol log, key inspection, self-inspection, half-year warnings, report
context, and the demo year of supervision."""

from datetime import date

import pytest

from gongkai_desktop.core import audit, profile
from gongkai_desktop.core import complaint_query as Q
from gongkai_desktop.core import complaints as C
from gongkai_desktop.core import demo_data as dd
from gongkai_desktop.core import inspections as I  # noqa: E741
from gongkai_desktop.core import rectifications as R
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.db import connect
from gongkai_desktop.core.demo_supervision import add_demo_supervision
from gongkai_desktop.core.errors import ValidationError

TODAY = date(2026, 7, 2)


def rect(**over):
    return {"problem": "栏目更新不及时", "responsible": "信息中心 谢建平", "measure": "每周更新",
            "due_date": "2026-07-31"} | over  # fmt: skip


def key(db, **over):
    kw = {"on_date": "2026-06-20", "team": "监督小组：黄志伟、苏婉清", "scope": "上半年政务公开工作",
          "findings": "个别栏目更新滞后", "conclusion": "总体规范", "today": TODAY} | over  # fmt: skip
    return I.add_key_inspection(db, **kw)


def count(db, tbl):
    return db.execute(f"SELECT count(*) FROM {tbl}").fetchone()[0]


def test_patrol_log(db):
    i = I.add_patrol(db, "2026-06-03", "黄志伟", "网站栏目", "各栏目更新情况", "未发现问题",
                     today=TODAY)  # fmt: skip
    I.add_patrol(db, "2026-06-17", "苏婉清", "公开栏", "张贴内容", "招聘公示已过期未撤",
                 rectifications=[rect(problem="公开栏过期公示未撤")], today=TODAY)  # fmt: skip
    rows = I.patrols(db, 2026)
    assert [(r["on_date"], r["who"], r["target"], r["rectifications"]) for r in rows] == [
        ("2026-06-03", "黄志伟", "网站栏目", 0),
        ("2026-06-17", "苏婉清", "公开栏", 1),
    ]
    assert audit.history(db, "patrols", i)[0].who == "张三"
    with pytest.raises(ValidationError, match="巡查日期 2026-07-03 晚于今天"):
        I.add_patrol(db, "2026-07-03", "黄志伟", "阅览室", "", "", today=TODAY)
    with pytest.raises(ValidationError, match="请填写巡查对象"):
        I.add_patrol(db, "2026-07-01", "黄志伟", " ", "", "", today=TODAY)


def test_key_inspection_with_rectifications_in_one_transaction(db):
    k = key(
        db, rectifications=[rect(), rect(problem="答复书未载明救济途径", due_date="2026-07-20")]
    )
    (row,) = I.key_inspections(db, 2026)
    assert (row["id"], row["year"], row["half"], row["rectifications"], row["has_report"]) == (
        k, 2026, 1, 2, False,
    )  # fmt: skip
    rs = R.for_source(db, "key_inspections", k)
    assert {r["source"] for r in rs} == {"监督检查"} and len(rs) == 2


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"findings": " "}, "请写明重点检查发现的问题；没有发现问题的，请写“未发现问题”"),
        ({"conclusion": ""}, "请填写检查结论"),
        ({"team": ""}, "请填写检查组成员"),
        ({"on_date": "2026-07-03"}, "检查日期 2026-07-03 晚于今天"),
        ({"rectifications": [rect(), rect(responsible="")]}, "第2项整改：请填写整改责任人"),
        (
            {"rectifications": [rect(due_date="2026-06-01")]},
            "整改期限 2026-06-01 早于发现问题的日期 2026-06-20",
        ),
    ],
)
def test_bad_key_inspection_saves_nothing(db, over, message):
    with pytest.raises(ValidationError, match=message):
        key(db, **over)
    assert count(db, "key_inspections") == 0 and count(db, "rectifications") == 0


def test_a_failing_rectification_insert_rolls_back_the_inspection(db, monkeypatch):
    calls = []

    def broken(*a, **k):
        calls.append(1)
        raise RuntimeError("disk full")

    monkeypatch.setattr(I.rect, "insert", broken)
    with pytest.raises(RuntimeError):
        key(db, rectifications=[rect()])
    assert calls and count(db, "key_inspections") == 0 and count(db, "audit") == 1  # the profile


def test_self_inspection_and_its_meeting(db):
    s = I.add_self_inspection(db, "2026-06-10", "公开指南未更新", "局务会", "2026-06-15",
                              rectifications=[rect(problem="公开指南未更新")], today=TODAY)  # fmt: skip
    (row,) = I.self_inspections(db, 2026)
    assert (row["meeting_kind"], row["meeting_date"], row["rectifications"]) == (
        "局务会",
        "2026-06-15",
        1,
    )
    assert R.for_source(db, "self_inspections", s)[0]["source"] == "自查"
    with pytest.raises(
        ValidationError, match="通报会议“党组会”无法识别，请选择：局务会、全体人员大会"
    ):
        I.add_self_inspection(db, "2026-06-10", "x", "党组会", "2026-06-15", today=TODAY)
    with pytest.raises(ValidationError, match="通报会议日期 2026-06-09 早于自查日期 2026-06-10"):
        I.add_self_inspection(db, "2026-06-10", "x", "局务会", "2026-06-09", today=TODAY)
    with pytest.raises(ValidationError, match="请写明自查发现的问题"):
        I.add_self_inspection(db, "2026-06-10", "", "局务会", None, today=TODAY)
    I.add_self_inspection(db, "2026-06-20", "未发现问题", "", None, today=TODAY)  # meeting later
    assert count(db, "self_inspections") == 2


def test_half_year_checks_and_window_warnings(db):
    assert [s.state for s in I.half_year_checks(db, 2026, date(2026, 6, 15))] == [
        "即将结束未检查",
        "未检查",
    ]
    assert [s.state for s in I.half_year_checks(db, 2026, TODAY)] == ["已过期未检查", "未检查"]
    assert [s.label for s in I.warnings(db, TODAY)] == ["2026年上半年"]
    key(db)
    assert [s.state for s in I.half_year_checks(db, 2026, TODAY)] == ["已检查", "未检查"]
    assert [s.state for s in I.half_year_checks(db, 2026, date(2026, 12, 1))] == [
        "已检查",
        "即将结束未检查",
    ]
    # early next year: last year's missing second half is still shown
    assert [s.label for s in I.warnings(db, date(2027, 1, 10))] == ["2026年下半年"]


def test_report_is_stored_and_the_context_has_the_figures(db):
    p = profile.load(db)
    p.complaint_phone, p.opinion_box = "0592-1234567", "一楼办事大厅入口"
    profile.save(db, p)
    cal = WorkCalendar()
    base = {"source": "电话", "person": "陈秀英", "content": "栏目未更新", "handler": "林晓红"}
    on_time = C.create(
        db, base | {"kind": "投诉", "received_date": "2026-03-02"}, today=TODAY, cal=cal
    )
    late = C.create(
        db, base | {"kind": "举报", "received_date": "2026-03-03"}, today=TODAY, cal=cal
    )
    C.create(db, base | {"kind": "咨询", "received_date": "2026-05-01"}, today=TODAY, cal=cal)
    C.create(db, base | {"kind": "咨询", "received_date": "2026-06-25"}, today=TODAY, cal=cal)
    for cid, reply_on in ((on_time, "2026-03-20"), (late, "2026-04-10")):  # due 04-01 / 04-02
        for s in ("受理", "调查核实"):
            C.record_step(db, cid, s, "2026-03-05", "黄志伟", today=TODAY)
        C.record_step(db, cid, "答复", reply_on, "黄志伟", reply_method="书面", reply_content="已处理",
                      today=TODAY)  # fmt: skip
    I.add_patrol(db, "2026-05-06", "黄志伟", "阅览室", "目录", "未发现问题", today=TODAY)
    k = key(db, rectifications=[rect()])
    ctx = I.report_context(db, k)
    assert ctx["title"] == "厦门市人力资源和社会保障局2026年上半年政务公开工作重点检查报告"
    assert (ctx["period_start"], ctx["period_end"], ctx["half_label"]) == (
        "2026-01-01",
        "2026-06-30",
        "上半年",
    )
    # as of the inspection date 06-20: the 06-25 consultation is not counted
    assert ctx["complaints"] == {
        "received": 3, "by_kind": {"咨询": 1, "投诉": 1, "举报": 1, "意见建议": 0},
        "replied": 2, "on_time": 1, "late": 1, "pending": 1, "overdue": 1,
    }  # fmt: skip
    assert ctx["opinions"] == {"forwarded": 0, "answered": 0, "answered_late": 0, "pending": 0}
    assert [r["problem"] for r in ctx["rectifications"]] == ["栏目更新不及时"]
    assert [x["on_date"] for x in ctx["patrols"]] == ["2026-05-06"]
    assert ctx["channels"]["complaint_phone"] == "0592-1234567"
    assert ctx["channels"]["opinion_box"] == "一楼办事大厅入口"
    assert I.report_pdf(db, k) is None
    I.store_report(db, k, b"%PDF-1.4 test")
    assert I.report_pdf(db, k) == b"%PDF-1.4 test" and I.key_inspections(db, 2026)[0]["has_report"]
    assert audit.history(db, "key_inspections", k)[-1].after["report_pdf"].startswith("PDF 13 字节")


def test_delete_takes_the_rectifications_along(db):
    k = key(db, rectifications=[rect()])
    I.delete(db, "key_inspections", k)
    assert count(db, "key_inspections") == 0 and count(db, "rectifications") == 0


# -- the demo year -------------------------------------------------------------------------------


def test_demo_year_of_supervision(tmp_path):
    db = connect(tmp_path / "demo.db")
    profile.save(db, dd.PROFILE)
    today, cal = date(2026, 11, 27), WorkCalendar()
    counts = add_demo_supervision(db, today, 2026)
    assert counts["complaints"] == 30 and counts["patrols"] >= 20
    kinds = {r[0] for r in db.execute("SELECT DISTINCT kind FROM complaints")}
    sources = {r[0] for r in db.execute("SELECT DISTINCT source FROM complaints")}
    assert kinds == {"咨询", "投诉", "举报", "意见建议"} and len(sources) == 6
    assert db.execute("SELECT count(*) FROM complaints WHERE anonymous = 1").fetchone()[0] >= 1
    nos = [r[0] for r in db.execute("SELECT no FROM complaints ORDER BY received_date, id")]
    assert nos == sorted(nos)  # numbered in order of receipt
    f = Q.ComplaintFilter
    assert Q.count(db, f(state="已办结"), today) >= 20
    assert Q.count(db, f(due="late"), today) >= 3  # some answered late
    assert (
        Q.count(db, f(state="已逾期"), today) >= 1 and Q.count(db, f(state="即将到期"), today) >= 1
    )
    rows = Q.page(db, f(kind="意见建议"), today, cal, limit=50)
    principal = sorted(r["principal_state"] for r in rows if r["principal_state"])
    assert principal == ["即将到期", "按时答复", "逾期答复"]  # one in time, one late, one pending
    assert [s.state for s in I.half_year_checks(db, 2026, today)] == ["已检查", "未检查"]
    assert [s.state for s in I.half_year_checks(db, 2026, date(2026, 12, 1))][1] == "即将结束未检查"
    open_, overdue = R.open_counts(db, today)
    assert open_ > overdue >= 1
    sources = {r[0] for r in db.execute("SELECT DISTINCT source FROM rectifications")}
    assert sources == {"投诉", "意见建议", "监督检查", "自查"}
    assert len(I.self_inspections(db, 2026)) == 1
    assert db.execute("SELECT max(on_date) FROM patrols").fetchone()[0] <= today.isoformat()
    db.conn.close()


def test_a_new_file_is_not_warned_about_last_year(db):
    from datetime import date as _d

    from gongkai_desktop.core import inspections as insp

    assert [w.label for w in insp.warnings(db, _d(2026, 3, 1))] == []
    insp.add_patrol(db, _d(2025, 9, 1), "林晓红", "门户网站", "公开栏目", "", today=_d(2026, 3, 1))
    assert len(insp.warnings(db, _d(2026, 3, 1))) == 1  # records in 2025, no key inspection in its second half
