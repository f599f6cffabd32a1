"""公开事项登记台账 import: all rows or none, every error named by row and column, round trip."""

from datetime import date, datetime

import pytest
from openpyxl import Workbook

from gongkai_desktop.core import items, profile, workflow
from gongkai_desktop.core.db import connect
from gongkai_desktop.core.errors import UserError, ValidationError
from gongkai_desktop.core.registry_io import ImportCancelled, ImportRejected, stage_from_label
from gongkai_desktop.exports.registry_ledger import import_registry_ledger, write_registry_ledger

TODAY = date(2026, 6, 1)
HEAD = ["信息名称", "文号", "生成日期", "公开日期", "主题分类", "公开方式", "当前环节"]


def sheet(tmp_path, rows, head=HEAD, title=None, name="导入.xlsx"):
    """An .xlsx a clerk might fill in: optional title row, header row, data rows."""
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(head)
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


def count(db, sql="SELECT count(*) FROM items"):
    return db.execute(sql).fetchone()[0]


def items_audit(db):
    return count(db, "SELECT count(*) FROM audit WHERE tbl = 'items' AND action = 'insert'")


GOOD = [
    "2026年部门预算公开",
    "厦人社〔2026〕1号",
    "2026-02-10",
    "2026-02-20",
    "财务人事",
    "门户网站",
    "待反馈",
]


def test_round_trip_keeps_titles_dates_stages_categories_channels(db, tmp_path):
    a = items.create(
        db,
        {
            "title": "就业补贴政策解读",
            "formed_date": "2026-03-02",
            "category": "财务人事",
            "doc_no": "厦人社〔2026〕12号",
            "issuer": "就业处",
            "keywords": "就业 补贴",
            "major_decision": True,
            "scope": "特定对象",
            "timing_type": "阶段性内容逐段公开",
        },
        today=TODAY,
    )
    extras = {
        "初审": {"secrecy": "不涉密", "exemption": "无", "review_reason": "不涉密"},
        "公开": {"channels": ["门户网站", "固定公开栏"], "url": "http://rsj.xm.gov.cn/a"},
    }
    for step in workflow.STEPS:  # all seven: 已建档
        items.record_step(
            db,
            a,
            workflow.StepInput(
                step,
                workflow.COMPLETE,
                "张三",
                date(2026, 3, 5),
                result=workflow.DEFAULT_RESULT[step],
                extra=extras.get(step, {}),
            ),
            today=TODAY,
        )
    items.create(
        db,
        {
            "title": "=SUM(A1:A2)",
            "formed_date": "2026-04-01",
            "category": "法规文件",
            "long_term": True,
        },
        stage="初审",
        today=TODAY,
    )
    items.create(
        db,
        {
            "title": "已公开待反馈",
            "formed_date": "2026-01-05",
            "category": "其他",
            "published_date": "2026-01-09",
            "channels": ["公报"],
            "validity": "已废止",
            "end_date": "2026-02-01",
        },
        stage="反馈",
        today=TODAY,
    )
    out = tmp_path / "台账.xlsx"
    write_registry_ledger(db, 2026, out, today=TODAY)

    fresh = connect(tmp_path / "fresh.db")
    profile.save(fresh, profile.UnitProfile(unit_name="新单位", fonds_no="Z9", operator="李四"))
    ids = import_registry_ledger(fresh, out, today=TODAY)
    assert len(ids) == 3
    keys = (
        "title",
        "doc_no",
        "issuer",
        "formed_date",
        "published_date",
        "category",
        "channels",
        "url",
        "scope",
        "validity",
        "keywords",
        "timing_type",
        "major_decision",
        "long_term",
        "end_date",
        "stage",
    )

    def snapshot(d):
        return sorted(tuple(r) for r in d.execute(f"SELECT {', '.join(keys)} FROM items"))

    assert snapshot(fresh) == snapshot(db)
    stages = dict(fresh.execute("SELECT title, stage FROM items").fetchall())
    assert stages == {"就业补贴政策解读": "已建档", "=SUM(A1:A2)": "初审", "已公开待反馈": "反馈"}
    # new 索引号 from the importing unit's own pattern
    assert all(r[0].startswith("Z9-") for r in fresh.execute("SELECT index_no FROM items"))
    assert items_audit(fresh) == 3
    fresh.conn.close()


def test_one_bad_row_among_good_rows_inserts_nothing(db, tmp_path):
    rows = [
        GOOD,
        [*GOOD[:2], "2026-13-01", None, "财务人事", None, None],
        ["另一条好数据", None, "2026-03-01", None, "法规文件", None, None],
    ]
    path = sheet(tmp_path, rows, title="测试单位公开事项登记台账（2026年）")
    before = items_audit(db)
    with pytest.raises(ImportRejected) as e:
        import_registry_ledger(db, path, today=TODAY)
    assert e.value.errors == [
        "第4行“生成日期”：“2026-13-01”不是有效日期，请写成 2026-03-15 这样的格式。"
    ]
    assert "第4行“生成日期”" in str(e.value) and "没有导入任何事项" in str(e.value)
    assert isinstance(e.value, ValidationError)
    assert count(db) == 0 and items_audit(db) == before


def test_every_error_is_reported_with_row_column_and_fix(db, tmp_path):
    rows = [
        ["", None, "2026-02-10", None, "财务人事", None, None],  # row 2
        ["标题", None, "2026-02-10", None, "不存在的分类", None, None],  # row 3
        ["标题", None, "2026-02-10", "2026-02-11", "财务人事", "飞鸽传书", "待反馈"],  # row 4
        ["标题", None, "2026-02-10", None, "财务人事", None, "待盖章"],  # row 5
        ["标题", None, "2026-12-01", None, "财务人事", None, None],  # row 6: after today
        ["标题", None, "2026-02-10", "2026-02-01", "财务人事", None, "待反馈"],  # row 7
        ["标题", None, "2026-02-10", None, "财务人事", None, "待反馈"],  # row 8: not published
    ]
    with pytest.raises(ImportRejected) as e:
        import_registry_ledger(db, sheet(tmp_path, rows), today=TODAY)
    errs = e.value.errors
    assert [x[: x.index("：")] for x in errs] == [
        "第2行“信息名称”",
        "第3行“主题分类”",
        "第4行“公开方式”",
        "第5行“当前环节”",
        "第6行“生成日期”",
        "第7行“公开日期”",
        "第8行“公开日期”",
    ]
    assert "权力运行" in errs[1] and "财务人事" in errs[1]  # names the valid choices
    assert "门户网站" in errs[2]
    assert "待初审" in errs[3] and "已建档" in errs[3]
    assert "晚于今天" in errs[4] and "早于生成日期" in errs[5] and "请填写公开日期" in errs[6]
    assert count(db) == 0


def test_long_error_list_is_cut_with_a_total(db, tmp_path):
    rows = [[f"标题{k}", None, "不是日期", None, "财务人事", None, None] for k in range(15)]
    with pytest.raises(ImportRejected) as e:
        import_registry_ledger(db, sheet(tmp_path, rows), today=TODAY)
    assert len(e.value.errors) == 15
    text = str(e.value)
    assert "第2行" in text and "第16行" not in text and "……共 15 处" in text
    assert "\n" not in text


@pytest.mark.parametrize(
    "cell",
    [
        datetime(2026, 3, 15),
        date(2026, 3, 15),
        "2026-03-15",
        "2026/3/15",
        "2026年3月15日",
        "2026.3.15",
        20260315,
    ],
)
def test_date_written_many_ways(db, tmp_path, cell):
    path = sheet(tmp_path, [["标题", None, cell, None, "财务人事", None, None]])
    import_registry_ledger(db, path, today=TODAY)
    assert db.execute("SELECT formed_date, stage FROM items").fetchone() == ("2026-03-15", "提出")


def test_published_without_stage_column_waits_for_feedback(db, tmp_path):
    path = sheet(
        tmp_path,
        [["已公开的旧台账事项", "2026-01-05", "2026-01-09", "其他"]],
        head=["信息名称", "生成日期", "公开日期", "主题分类"],
    )
    import_registry_ledger(db, path, today=TODAY)
    assert db.execute("SELECT stage, published_date FROM items").fetchone() == (
        "反馈",
        "2026-01-09",
    )


def test_blank_rows_are_skipped_and_row_numbers_stay_true(db, tmp_path):
    rows = [
        GOOD,
        [None] * 7,
        [None] * 7,
        ["标题", None, "2026/02/30", None, "财务人事", None, None],
    ]
    with pytest.raises(ImportRejected) as e:
        import_registry_ledger(db, sheet(tmp_path, rows), today=TODAY)
    assert e.value.errors[0].startswith("第5行“生成日期”：“2026/02/30”")


def test_missing_required_column(db, tmp_path):
    path = sheet(tmp_path, [["标题", "财务人事"]], head=["信息名称", "主题分类"])
    with pytest.raises(ImportRejected, match="表头缺少“生成日期”列"):
        import_registry_ledger(db, path, today=TODAY)


def test_same_item_already_in_the_database_is_refused(db, tmp_path):
    path = sheet(tmp_path, [GOOD])
    import_registry_ledger(db, path, today=TODAY)
    with pytest.raises(ImportRejected, match="第2行：与已登记的事项"):
        import_registry_ledger(db, path, today=TODAY)
    assert count(db) == 1


def test_broken_or_missing_file(db, tmp_path):
    junk = tmp_path / "坏文件.xlsx"
    junk.write_bytes(b"this is not a zip file")
    with pytest.raises(UserError, match="文件“坏文件.xlsx”不是有效的 Excel 工作簿"):
        import_registry_ledger(db, junk, today=TODAY)
    with pytest.raises(UserError, match="找不到文件"):
        import_registry_ledger(db, tmp_path / "没有.xlsx", today=TODAY)
    other = sheet(tmp_path, [["甲", "乙"]], head=["姓名", "电话"], name="通讯录.xlsx")
    with pytest.raises(UserError, match="找不到台账的表头"):
        import_registry_ledger(db, other, today=TODAY)


def test_empty_sheet_is_refused(db, tmp_path):
    with pytest.raises(ValidationError, match="没有可导入的事项"):
        import_registry_ledger(db, sheet(tmp_path, []), today=TODAY)


def test_stage_labels_invert_workflow_labels():
    for s in workflow.STAGES:
        assert stage_from_label(workflow.stage_label(s)) == s
    assert stage_from_label("待初审") == "初审" and stage_from_label("已建档") == "已建档"


def test_cancelled_import_keeps_nothing(db, tmp_path):
    rows = [[f"事项{k}", None, "2026-02-10", None, "财务人事", None, None] for k in range(250)]
    path = sheet(tmp_path, rows)
    with pytest.raises(ImportCancelled):
        import_registry_ledger(db, path, lambda done, total: done < 200, today=TODAY)
    assert count(db) == 0 and items_audit(db) == 0
