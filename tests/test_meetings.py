"""会议: recording meetings, and the leading group's two special meetings a year
(seed 三(一)2) with the warning from 1 October."""

from datetime import date

import pytest

from gongkai_desktop.core import audit
from gongkai_desktop.core import meetings as M
from gongkai_desktop.core.errors import ValidationError

TODAY = date(2026, 11, 27)


def meeting(db, on="2026-03-10", kind="专题会议", body="领导小组", subject="研究年度政务公开工作要点",
            attendees=("王海涛", "陈建国"), today=TODAY, **kw):  # fmt: skip
    return M.add_meeting(db, on, kind, body, subject, attendees, "印发工作要点", "会议纪要全文",
                         today=today, **kw)  # fmt: skip


def status(db, today, year=2026):
    s = M.special_meeting_status(db, year, today)
    return s.count, s.state, s.label


def test_add_meeting_keeps_every_field_and_is_audited(db):
    i = meeting(db)
    m = M.get(db, i)
    assert (m["on_date"], m["kind"], m["body"], m["attendees"], m["decisions"], m["minutes"]) == (
        "2026-03-10",
        "专题会议",
        "领导小组",
        "王海涛、陈建国",
        "印发工作要点",
        "会议纪要全文",
    )
    assert [(h.action, h.who) for h in audit.history(db, "meetings", i)] == [("insert", "张三")]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"on": "2026-11-28"}, "会议日期 2026-11-28 晚于今天（2026-11-27），请在会议召开后再登记"),
        ({"on": "2026/03/10"}, "“会议日期”的日期“2026/03/10”无法识别"),
        ({"kind": "党组会"}, "会议类型“党组会”无法识别，请选择：专题会议、局务会、全体人员大会"),
        ({"subject": "  "}, "请填写会议议题"),
        ({"body": ""}, "专题会议请选择召开机构"),
        ({"body": "办公室"}, "召开机构“办公室”无法识别"),
    ],
)
def test_bad_meetings_are_refused_and_nothing_saved(db, over, message):
    with pytest.raises(ValidationError, match=message):
        meeting(db, **over)
    assert db.execute("SELECT count(*) FROM meetings").fetchone()[0] == 0


def test_the_warning_from_1_october(db):
    assert status(db, date(2026, 9, 30)) == (0, M.OK, M.IN_PROGRESS)
    meeting(db, on="2026-03-10", today=date(2026, 9, 30))
    # one held by 30 September: no warning yet
    assert status(db, date(2026, 9, 30)) == (1, M.OK, M.IN_PROGRESS)
    s = M.special_meeting_status(db, 2026, date(2026, 9, 30))
    assert not s.needs_attention and "年内还需召开1次" in s.message
    # from 1 October: warn
    s = M.special_meeting_status(db, 2026, date(2026, 10, 1))
    assert (s.count, s.state, s.label, s.target) == (1, M.WARN, M.SHORT, 2)
    assert s.needs_attention
    assert s.message == (
        "2026年领导小组已召开专题会议1次，距年底不足三个月，请在12月31日前再召开1次"
        "（实施方案三（一）2：领导小组每年召开专题会议不少于2次）。"
    )
    assert status(db, date(2026, 12, 31))[1] == M.WARN  # the last day still counts
    # the year ended with one: fail
    s = M.special_meeting_status(db, 2026, date(2027, 1, 1))
    assert (s.state, s.label) == (M.FAIL, M.MISSED)
    assert s.message.startswith("2026年领导小组全年只召开专题会议1次，未达到每年不少于2次的要求")
    # a second one: ok, before and after the year end
    meeting(db, on="2026-10-15")
    assert status(db, date(2026, 10, 15)) == (2, M.OK, M.DONE)
    assert status(db, date(2027, 1, 1)) == (2, M.OK, M.DONE)


def test_only_the_leading_groups_special_meetings_count(db):
    meeting(db, on="2026-03-10")
    meeting(db, on="2026-04-10", kind="局务会", body="")
    meeting(db, on="2026-05-10", kind="全体人员大会", body="", attendees="局机关全体干部职工")
    meeting(db, on="2026-06-10", body="工作机构")
    meeting(db, on="2025-12-30")  # last year
    assert status(db, TODAY) == (1, M.WARN, M.SHORT)
    rows = M.list_year(db, 2026)
    assert [(r["on_date"], r["counted"]) for r in rows] == [
        ("2026-03-10", True),
        ("2026-04-10", False),
        ("2026-05-10", False),
        ("2026-06-10", False),
    ]
    assert [r["on_date"] for r in M.list_year(db, 2026, "专题会议")] == ["2026-03-10", "2026-06-10"]
    assert M.special_meeting_status(db, 2025, TODAY).state == M.FAIL
    assert M.special_meeting_status(db, 2027, TODAY).label == M.NOT_STARTED


def test_a_year_without_any_meeting_fails_when_it_ends(db):
    s = M.special_meeting_status(db, 2025, TODAY)
    assert (s.count, s.state) == (0, M.FAIL)
    assert s.message.startswith("2025年领导小组全年未召开专题会议")


def test_update_and_delete_are_audited(db):
    i = meeting(db, on="2026-03-10", kind="局务会", body="")
    assert status(db, TODAY)[0] == 0
    M.update(db, i, {"kind": "专题会议", "body": "领导小组"}, today=TODAY)
    assert status(db, TODAY)[0] == 1
    with pytest.raises(ValidationError, match="晚于今天"):
        M.update(db, i, {"on_date": "2026-12-01"}, today=TODAY)
    assert M.get(db, i)["on_date"] == "2026-03-10"
    M.delete(db, i)
    assert M.get(db, i) is None and status(db, TODAY)[0] == 0
    actions = [(h.action, h.who) for h in audit.history(db, "meetings", i)]
    assert actions == [("insert", "张三"), ("update", "张三"), ("delete", "张三")]
    assert audit.history(db, "meetings", i)[1].changes() == [
        ("kind", "局务会", "专题会议"),
        ("body", "", "领导小组"),
    ]
