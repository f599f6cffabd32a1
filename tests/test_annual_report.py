"""年度报告 tables and checks (RULES.md §6): table 3 from hand-built applications cell by
cell, table 4 from appeals, table 2 from the registry and the clerk's figures, the
checks, the drafts of sections 一、五、六, publication and the deadline."""

from datetime import date

import pytest
from annual_fixtures import COLS, EXPECTED_T3, TODAY, YEAR, add_appeals, build_year, fill_table2

from gongkai_desktop.core import annual_report as R
from gongkai_desktop.core import annual_tables as T
from gongkai_desktop.core import items, meetings, profile
from gongkai_desktop.core.application_catalog import load as catalog
from gongkai_desktop.core.errors import ValidationError


@pytest.fixture
def year_db(db):
    ids = build_year(db)
    add_appeals(db, ids)
    db.ids = ids
    return db


# -- 表三 ---------------------------------------------------------------------------------


def test_table3_every_cell(year_db):
    t3 = T.table3(year_db, YEAR)
    assert list(t3.columns) == COLS
    assert list(t3.rows) == list(EXPECTED_T3)  # 本年新收, 上年结转, each result, 总计, 结转下年度
    for label, expected in EXPECTED_T3.items():
        assert t3.rows[label] == expected, label
    assert t3.cell("上年结转", "自然人") == 2  # C1, and C4 closed on 1 January itself
    assert t3.cell("结转下年度", "法律服务机构") == 1  # received 25 December, answered in 2027
    assert t3.problems == ()


def test_table3_rows_are_the_ledgers_result_labels():
    cat = catalog()
    labels = T.result_labels()
    assert len(labels) == 2 + 8 + 3 + 5 + 3
    assert labels[:3] == ("予以公开", "部分公开", "不予公开/属于国家秘密")
    assert labels[-1] == "其他处理/其他"
    for result, reasons in cat.results.items():
        for r in reasons:
            assert cat.result_label(result, r) in labels


def test_the_year_before_and_after(year_db):
    t25 = T.table3(year_db, YEAR - 1)
    assert t25.rows["本年新收"][-1] == 4  # C1–C4 received in December 2025
    assert t25.rows["予以公开"][-1] == 1  # C2
    assert t25.rows["结转下年度"][-1] == 3  # = 2026's 上年结转
    t27 = T.table3(year_db, YEAR + 1)
    assert t27.rows["上年结转"] == EXPECTED_T3["结转下年度"]
    assert t27.rows["本年新收"][-1] == 1


def test_checks_pass_on_consistent_records(year_db):
    t3 = T.table3(year_db, YEAR)
    result = T.checks(t3)
    assert [c.name for c in result] == [
        "表三各列：一＋二＝三（七）＋四",
        "表三各行：六类申请人之和＝总计",
        "表三（七）总计＝（一）至（六）之和",
    ]
    assert all(c.ok for c in result)
    for i in range(7):  # the rule itself, column by column
        r = t3.rows
        assert r["本年新收"][i] + r["上年结转"][i] == r["总计"][i] + r["结转下年度"][i]


def test_checks_fail_on_a_damaged_record(year_db):
    # a record written by an older tool: closed without a result, of an unknown type
    year_db.execute("UPDATE applications SET result = '', result_reason = '' WHERE app_no = 'N1'")
    year_db.execute("UPDATE applications SET applicant_type = '个人' WHERE app_no = 'N12'")
    t3 = T.table3(year_db, YEAR)
    by_name = {c.name: c for c in T.checks(t3)}
    assert by_name["表三（七）总计＝（一）至（六）之和"].ok is False
    assert "自然人：5≠6" in by_name["表三（七）总计＝（一）至（六）之和"].detail
    assert "N1" in by_name["表三（七）总计＝（一）至（六）之和"].detail
    assert by_name["表三各行：六类申请人之和＝总计"].ok is False
    assert "本年新收：12≠13" in by_name["表三各行：六类申请人之和＝总计"].detail
    assert "N12" in by_name["表三各行：六类申请人之和＝总计"].detail
    assert by_name["表三各列：一＋二＝三（七）＋四"].ok is True


def test_a_closing_before_receipt_fails_the_column_check(db):
    from annual_fixtures import new

    i = new(db, "自然人", "2026-05-06", "X1")
    db.execute("UPDATE applications SET closed_date = '2025-12-31', result = '予以公开' WHERE id = ?",
               [i])  # fmt: skip
    c = T.checks(T.table3(db, YEAR))[0]
    assert c.ok is False and "自然人：1＋0≠0＋0" in c.detail and "办结日期早于收到日期" in c.detail


# -- 表四 ---------------------------------------------------------------------------------


def test_table4_counts_appeals_filed_in_the_year_by_outcome_at_year_end(year_db):
    t4 = T.table4(year_db, YEAR)
    assert len(t4.columns) == len(t4.values) == 15
    assert t4.columns[0] == "行政复议·结果维持"
    assert t4.columns[9] == "行政诉讼·未经复议直接起诉·总计"
    assert t4.columns[14] == "行政诉讼·复议后起诉·总计"
    # review: upheld, corrected, pending on 31 Dec (concluded 2027); the 2025 one not counted
    assert t4.groups() == {
        "行政复议": [1, 1, 0, 1, 3],
        "行政诉讼·未经复议直接起诉": [0, 0, 1, 0, 1],
        "行政诉讼·复议后起诉": [0, 0, 0, 1, 1],
    }
    # filed 31 December 2025, concluded in February: pending in 2025's table
    assert T.table4(year_db, YEAR - 1).groups()["行政复议"] == [0, 0, 0, 1, 1]


# -- 表二 ---------------------------------------------------------------------------------


def test_table2_from_the_registry_and_the_clerks_figures(db):
    year = date.today().year  # 废止 is dated the day it is recorded (the audit log)
    today = date(year, 12, 31) if date.today() > date(year, 12, 31) else date.today()
    jan = f"{year}-01-05"

    def item(title, doc_no, formed, category="法规文件", validity="现行有效"):
        return items.create(db, {"title": title, "doc_no": doc_no, "formed_date": formed,
                                 "category": category, "validity": validity}, today=today)  # fmt: skip

    item("厦门市就业创业促进办法", "厦门市人民政府令第168号", jan)  # 规章, issued this year
    item("失业保险稳岗返还办法", "厦人社规〔2026〕1号", jan)  # 规范性文件, issued
    old = item("旧的补贴办法", "厦人社规〔2019〕2号", f"{year - 3}-05-01")
    item("更早的办法", "厦人社规〔2018〕3号", f"{year - 4}-05-01", validity="已失效")
    item("许可事项目录", "", jan, category="行政许可")  # not 法规文件
    items.update(db, old, {"validity": "已废止"}, today=today)  # repealed this year
    t2 = T.table2(db, year)
    assert t2.values["规章"] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 1}
    assert t2.values["行政规范性文件"] == {"本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 1}
    # the year before: the repealed one was still in force on its 31 December
    assert T.table2(db, year - 1).values["行政规范性文件"]["现行有效件数"] == 1
    assert t2.sources["规章"]["本年制发件数"] == "登记簿"
    assert t2.values["行政许可"] == {"本年处理决定数量": None}
    assert t2.missing()[0] == "行政许可（本年处理决定数量）"
    R.save_table2_manual(db, year, {"行政许可": 12, "行政处罚": "3", "行政强制": 0,
                                    "行政事业性收费": "1.25",
                                    "规章": {"现行有效件数": 5}})  # fmt: skip
    t2 = T.table2(db, year)
    assert t2.to_json()["行政许可"] == {"本年处理决定数量": 12}
    assert t2.to_json()["行政事业性收费"] == {"本年收费金额（单位：万元）": 1.25}
    assert (
        t2.values["规章"]["现行有效件数"] == 5 and t2.sources["规章"]["现行有效件数"] == "手工填报"
    )
    assert t2.missing() == []
    R.save_table2_manual(db, year, {"规章": {"现行有效件数": ""}})  # cleared: registry again
    assert T.table2(db, year).values["规章"]["现行有效件数"] == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"行政许可": "十二"}, "表二“行政许可”的“本年处理决定数量”应为不小于 0 的整数"),
        ({"行政处罚": -1}, "不能为负数"),
        ({"行政事业性收费": "abc"}, "万元"),
        ({"行政审批": 3}, "表二没有“行政审批”这一行"),
        ({"规章": 3}, "表二“规章”有三栏"),
    ],
)
def test_table2_manual_figures_are_checked(db, values, message):
    with pytest.raises(ValidationError, match=message):
        R.save_table2_manual(db, YEAR, values)


# -- the report ---------------------------------------------------------------------------


def test_report_json_has_the_issue_shape(year_db):
    fill_table2(year_db)
    j = R.report(year_db, YEAR, today=TODAY).to_json()
    assert list(j) == ["year", "table3", "table4", "table2", "checks"]
    assert j["year"] == YEAR
    assert j["table3"]["columns"] == COLS
    assert j["table3"]["rows"] == EXPECTED_T3
    assert all(len(v) == 7 and all(isinstance(n, int) for n in v)
               for v in j["table3"]["rows"].values())  # fmt: skip
    assert len(j["table4"]["columns"]) == len(j["table4"]["values"]) == 15
    assert set(j["table2"]) == {"规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制",
                                "行政事业性收费"}  # fmt: skip
    assert all(set(c) == {"name", "ok"} and c["ok"] is True for c in j["checks"])


def test_unfilled_table2_fails_its_check(year_db):
    rep = R.report(year_db, YEAR, today=TODAY)
    assert not rep.ok
    assert [c.name for c in rep.failed()] == ["表二：需手工填报的数字已填写"]
    assert "行政许可（本年处理决定数量）" in R.failed_text(rep)
    with pytest.raises(ValidationError, match="不能导出正式稿：表二：需手工填报的数字已填写"):
        R.check_final(rep)


def test_drafts_state_the_years_figures(year_db):
    meetings.add_meeting(year_db, "2026-03-10", "专题会议", "领导小组", "研究年度公开要点",
                         "王海涛等", "", "", today=TODAY)  # fmt: skip
    d = R.draft_sections(year_db, YEAR, today=TODAY)
    assert set(d) == {"section1", "section5", "section6"}
    assert "全年新收政府信息公开申请13件，上年结转3件，办结13件" in d["section1"]
    assert "结转下年度继续办理3件" in d["section1"]
    assert "领导小组全年召开专题会议1次（3月10日）" in d["section1"]
    assert "少于每年2次的要求" in d["section5"]
    assert "上半年、下半年未开展重点检查" in d["section5"]
    during = R.draft_sections(year_db, YEAR, today=date(2026, 7, 1))  # the year still running
    assert "少于每年2次" not in during["section5"] and "上半年未开展重点检查" in during["section5"]
    assert "发出收费通知1件" in d["section6"]
    rep = R.report(year_db, YEAR, today=TODAY)
    assert rep.drafted == ("section1", "section5", "section6")
    R.save_sections(year_db, YEAR, {"section1": "本单位全年工作总体情况。"})
    rep = R.report(year_db, YEAR, today=TODAY)
    assert rep.sections["section1"] == "本单位全年工作总体情况。"
    assert rep.drafted == ("section5", "section6")
    with pytest.raises(ValidationError, match="第一、五、六部分"):
        R.save_sections(year_db, YEAR, {"section2": "x"})


# -- deadline (条例第四十九条) -------------------------------------------------------------


def test_deadline_follows_the_unit_type(db):
    assert R.deadline(db, 2026) == date(2027, 1, 31)
    p = profile.load(db)
    p.unit_type = "人民政府"
    profile.save(db, p)
    assert R.deadline(db, 2026) == date(2027, 3, 31)


def test_deadline_status_from_1_january(year_db):
    s = R.deadline_status(year_db, date(2027, 1, 1))
    assert (s.year, s.due, s.state) == (2026, date(2027, 1, 31), "warn")
    assert "2026年政府信息公开工作年度报告应于2027年1月31日前发布" in s.message
    assert "还有30天" in s.message
    s = R.deadline_status(year_db, date(2027, 2, 1))
    assert s.state == "fail" and "已超过2027年1月31日的发布期限1天" in s.message
    fill_table2(year_db)
    R.publish(year_db, YEAR, "2027-01-20", today=TODAY)
    s = R.deadline_status(year_db, date(2027, 2, 1))
    assert (s.state, s.published_date, s.late) == ("ok", "2027-01-20", False)


def test_a_new_file_is_not_warned_about_last_years_report(db):
    s = R.deadline_status(db, date(2027, 1, 10))
    assert s.state == "none" and s.message == ""
