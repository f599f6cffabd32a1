"""The demo database (演示数据库) and the bulk loader for benchmarks."""

import json
import re
from datetime import date, timedelta

import pytest
from support import run_cli

from gongkai_desktop.core import audit, items, profile, search, workflow
from gongkai_desktop.core import registry_query as rq
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.db import connect
from gongkai_desktop.core.deadlines import (
    DISPLAY_MIN_NATURAL_DAYS,
    STATE_LATE,
    STATE_OVERDUE,
    publish_deadline,
    publish_status,
)
from gongkai_desktop.core.demo import build_demo, bulk_items
from gongkai_desktop.core.errors import UserError
from gongkai_desktop.core.workflow import StepInput

TODAY = date(2026, 11, 27)
CAL = WorkCalendar()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "演示.db"
    summary = build_demo(path, today=TODAY)
    db = connect(path)
    yield db, summary
    db.conn.close()


def test_a_year_with_items_waiting_at_every_step(demo):
    db, s = demo
    assert s["items"] >= 200
    stages = dict(db.execute("SELECT stage, count(*) FROM items GROUP BY stage").fetchall())
    assert set(stages) == set(workflow.STAGES)  # 7 steps waiting + 已建档
    assert stages == {k: v for k, v in s["stages"].items() if v}
    assert stages[workflow.DONE] > s["items"] / 2  # most of the year is archived
    cats = {r[0] for r in db.execute("SELECT DISTINCT category FROM items")}
    assert len(cats) == 18
    months = {r[0][:7] for r in db.execute("SELECT formed_date FROM items")}
    assert months == {f"2026-{m:02d}" for m in range(1, 12)}
    assert db.execute("SELECT max(formed_date) FROM items").fetchone()[0] <= TODAY.isoformat()


def test_unit_profile_is_a_city_personnel_bureau(demo):
    db, _ = demo
    p = profile.load(db)
    assert (p.unit_name, p.fonds_no, p.doc_prefix, p.operator) == (
        "厦门市人力资源和社会保障局",
        "X001",
        "厦人社",
        "林晓红",
    )
    assert items.get(db, 1)["index_no"] == "X001-" + items.get(db, 1)["category"] + "-2026-00001"


def test_overdue_and_late_items_by_the_20_working_day_rule(demo):
    db, s = demo
    overdue = rq.page(db, rq.RegistryFilter(due="overdue"), TODAY, CAL, limit=1000)
    assert len(overdue) == s["overdue"] >= 3
    for r in overdue:  # 条例第二十六条: formed more than 20 working days ago, not published
        st = publish_status(date.fromisoformat(r["formed_date"]), None, TODAY, CAL)
        assert st.state == STATE_OVERDUE and r["stage"] in workflow.STEPS[:4]
    late = db.execute(
        "SELECT formed_date, published_date FROM items WHERE published_date > publish_due"
    ).fetchall()
    assert len(late) == s["published_late"] >= 3
    for formed, pub in late:
        st = publish_status(date.fromisoformat(formed), date.fromisoformat(pub), TODAY, CAL)
        assert st.state == STATE_LATE


def test_returned_items_carry_the_opinion_and_were_proposed_again(demo):
    db, s = demo
    returned = [r[0] for r in db.execute("SELECT id FROM items WHERE returns > 0")]
    assert len(returned) == s["returned"] >= 3
    for item_id in returned:
        history = items.steps(db, item_id)
        backs = [i for i, h in enumerate(history) if h["action"] == workflow.RETURN]
        assert backs and all(history[i]["step"] in workflow.RETURNABLE for i in backs)
        assert all(history[i]["opinion"] for i in backs)
        if backs[-1] + 1 < len(history):  # proposed again after the return
            assert history[backs[-1] + 1]["step"] == "提出"
    waiting = db.execute(
        "SELECT count(*) FROM items WHERE returns > 0 AND stage = '提出'"
    ).fetchone()[0]
    assert waiting >= 1  # one is still with the proposing office


def test_every_history_replays_through_the_workflow(demo):
    db, _ = demo
    for item_id, formed, stage, returns, published in db.execute(
        "SELECT id, formed_date, stage, returns, published_date FROM items"
    ).fetchall():
        current, prev = "提出", date.fromisoformat(formed)
        history = items.steps(db, item_id)
        for h in history:
            inp = StepInput(
                h["step"],
                h["action"],
                h["who"],
                date.fromisoformat(h["on_date"]),
                h["opinion"],
                h["result"],
                h["extra"],
            )
            current = workflow.advance(current, prev, "上一环节", inp, TODAY).new_stage
            prev = inp.on_date
        assert current == stage
        assert returns == sum(h["action"] == workflow.RETURN for h in history)
        pub = [h for h in history if h["step"] == "公开"]
        assert published == (pub[0]["on_date"] if pub else None)


def test_published_items_name_channels_url_and_display_period(demo):
    db, _ = demo
    rows = db.execute(
        "SELECT channels, url, published_date, end_date, long_term FROM items"
        " WHERE published_date IS NOT NULL"
    ).fetchall()
    web = 0
    for chans, url, pub, end, long_term in rows:
        chans = json.loads(chans)
        assert chans
        if "门户网站" in chans:
            web += 1
            assert url.startswith("http://hrss.xm.gov.cn/xxgk/")
        if end:  # seed item 27: at least 15 days
            assert not long_term
            assert date.fromisoformat(end) >= date.fromisoformat(pub) + timedelta(
                DISPLAY_MIN_NATURAL_DAYS
            )
    assert web > len(rows) * 0.8
    assert db.execute("SELECT count(*) FROM items WHERE end_date IS NOT NULL").fetchone()[0] > 5
    assert db.execute("SELECT count(*) FROM items WHERE long_term = 1").fetchone()[0] > 5


def test_document_numbers_follow_gb_t_9704(demo):
    db, _ = demo
    numbers = [r[0] for r in db.execute("SELECT doc_no FROM items WHERE doc_no <> ''")]
    assert len(numbers) > 20
    for n in numbers:  # 机关代字〔年份〕序号号: no 第, no leading zeros
        assert re.fullmatch(r"厦人社(规)?〔2026〕[1-9]\d*号", n), n
    assert len(set(numbers)) == len(numbers)


def test_major_decisions_record_before_during_after(demo):
    db, s = demo
    majors = db.execute("SELECT id, published_date FROM items WHERE major_decision = 1").fetchall()
    assert len(majors) == s["major_decisions"] >= 3
    for item_id, pub in majors:
        stages = [d["stage"] for d in items.decision_stages(db, item_id)]
        assert stages[:2] == ["决策前", "决策中"]
        if pub:
            assert stages == list(items.DECISION_STAGES)
            assert items.decision_stages(db, item_id)[-1]["on_date"] == pub


def test_every_change_is_in_the_audit_log(demo):
    db, s = demo
    assert s["audit_rows"] > s["items"] + s["steps"]
    first = audit.history(db, "items", 1)
    assert first[0].action == "insert" and first[0].who == "林晓红"
    # the audit names the program's operator; each step keeps its own handler
    assert (
        db.execute("SELECT count(*) FROM audit WHERE tbl = 'item_steps'").fetchone()[0]
        == s["steps"]
    )
    handlers = {r[0] for r in db.execute("SELECT DISTINCT who FROM item_steps")}
    assert {"林晓红", "郭雅婷", "陈建国", "王海涛", "黄志伟"} <= handlers and len(handlers) > 10


def _content(path):
    db = connect(path)
    out = (
        db.execute(
            "SELECT index_no, title, doc_no, formed_date, published_date, stage, returns,"
            " channels, url, end_date FROM items ORDER BY id"
        ).fetchall(),
        db.execute(
            "SELECT item_id, step, action, who, on_date, opinion, result, extra"
            " FROM item_steps ORDER BY id"
        ).fetchall(),
    )
    db.conn.close()
    return out


def test_same_day_and_seed_give_the_same_demo(tmp_path):
    build_demo(tmp_path / "a.db", today=date(2026, 6, 30))
    build_demo(tmp_path / "b.db", today=date(2026, 6, 30))
    a, b = _content(tmp_path / "a.db"), _content(tmp_path / "b.db")
    assert a == b and len(a[0]) >= 200
    assert max(r[3] for r in a[0]) <= "2026-06-30"
    assert max(r[4] for r in a[1]) <= "2026-06-30"


def test_refuses_to_overwrite_and_accepts_an_empty_file(tmp_path):
    used = tmp_path / "mine.db"
    used.write_bytes(b"clerk's own data")
    with pytest.raises(UserError, match="已存在"):
        build_demo(used, today=TODAY)
    assert used.read_bytes() == b"clerk's own data"
    empty = tmp_path / "empty.db"
    empty.touch()
    assert build_demo(empty, today=TODAY)["items"] >= 200


def test_cli_demo_prints_a_chinese_summary(capsys, tmp_path):
    path = tmp_path / "新建文件夹" / "demo.db"
    code, out, err = run_cli(capsys, "demo", str(path), "--today", "2026-11-27")
    assert code == 0 and err == ""
    assert "已创建演示数据库" in out and "厦门市人力资源和社会保障局" in out
    assert "已建档" in out and "已逾期未公开" in out
    assert connect(path).execute("SELECT count(*) FROM items").fetchone()[0] >= 200


def test_cli_demo_errors_are_one_line_exit_2(capsys, tmp_path):
    path = tmp_path / "demo.db"
    assert run_cli(capsys, "demo", str(path), "--today", "2026-11-27")[0] == 0
    size = path.stat().st_size
    code, _, err = run_cli(capsys, "demo", str(path))
    assert code == 2 and "已存在" in err and err.count("\n") == 1
    assert path.stat().st_size == size
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = run_cli(capsys, "demo", str(blocker / "demo.db"))
    assert code == 2 and "不是文件夹" in err and err.count("\n") == 1
    code, _, err = run_cli(capsys, "demo", str(tmp_path / "x.db"), "--today", "2026-02-30")
    assert code == 2 and "无法识别" in err


def test_bulk_items_are_valid_and_searchable(db):
    calls = []
    n = bulk_items(
        db,
        2500,
        2025,
        2026,
        lambda done, total: calls.append((done, total)),
        today=TODAY,
        batch=1000,
    )
    assert n == 2500 and calls == [(1000, 2500), (2000, 2500), (2500, 2500)]
    assert db.execute("SELECT count(DISTINCT index_no) FROM items").fetchone()[0] == 2500
    # one audit row per batch, saying what it was
    rows = db.execute("SELECT after FROM audit WHERE tbl = 'items'").fetchall()
    assert len(rows) == 3 and "基准测试" in rows[0][0]
    for formed, due in db.execute("SELECT formed_date, publish_due FROM items LIMIT 50"):
        assert due == publish_deadline(date.fromisoformat(formed), CAL).due.isoformat()
    assert (
        db.execute(
            "SELECT count(*) FROM items WHERE published_date < formed_date OR formed_date > ?",
            [TODAY.isoformat()],
        ).fetchone()[0]
        == 0
    )
    like = db.execute(
        "SELECT count(*) FROM items WHERE title LIKE '%预算%' OR keywords LIKE '%预算%'"
        " OR doc_no LIKE '%预算%'"
    ).fetchone()[0]
    assert like > 0 and rq.count(db, rq.RegistryFilter(text="预算"), TODAY, CAL) == like
    assert search.match_query("预算")
    # the serials go on where the bulk load stopped (core/index_numbers)
    new = items.create(
        db,
        {"title": "新事项", "formed_date": "2026-11-20", "category": "其他"},
        cal=CAL,
        today=TODAY,
    )
    last_2026 = db.execute("SELECT count(*) FROM items WHERE year = 2026").fetchone()[0]
    assert items.get(db, new)["index_no"].endswith(f"-{last_2026:05d}")


def test_bulk_items_can_be_cancelled_between_batches(db):
    n = bulk_items(db, 3000, 2026, 2026, lambda done, total: False, today=TODAY, batch=1000)
    assert n == 1000 == db.execute("SELECT count(*) FROM items").fetchone()[0]
