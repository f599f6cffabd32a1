"""评估考核表 as data: the shipped Fujian table, validation, JSON and .xlsx import (RULES.md §7)."""

from __future__ import annotations

import copy
import json

import pytest
from openpyxl import Workbook

from gongkai_desktop.core import assessment_template as T
from gongkai_desktop.core.errors import UserError, ValidationError

SEED_GROUP_CELLS = {  # the seed's 项目 column, written once over merged cells
    "组织机构与职责": "组织 机构 与 职责 (10分)",
    "公开内容": "公开 内容 (38分)",
    "公开形式": "公开 形式 (9分)",
    "公开时间": "公开 时间 (10分)",
    "公开程序": "公开 程序 (28分)",
    "监督和保障": "监督 和 保障 (5分)",
    "加分项目": "加分 项目 (10分)",
}


def test_fujian_loads_with_totals_100_plus_10():
    t = T.load("fujian")
    assert t.name == "福建省政务公开评估考核表"
    assert [i.no for i in t.items] == list(range(1, 46))
    assert [(g.name, g.max) for g in t.groups] == [
        ("组织机构与职责", 10), ("公开内容", 38), ("公开形式", 9), ("公开时间", 10),
        ("公开程序", 28), ("监督和保障", 5), ("加分项目", 10),
    ]  # fmt: skip
    assert t.base_max == 100
    assert t.bonus_rule.cap == 10
    assert t.bonus_rule.exclusive == (39, 40, 41, 42, 43)
    assert t.bonus_rule.additive == (44, 45)
    # exact wording from the seed's table
    assert t.item(26).text == "主动公开的信息,自该信息形成或变更之日起20个工作日内予以公开。"
    assert t.item(37).text.startswith("政务公开单位每年3月31日前公布")
    assert (t.item(34).max, t.item(34).group) == (6, "公开程序")


def _data():
    return T.load("fujian").to_dict() | {"id": "test"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][4].update(max=6), "公开内容"),  # 39 points against 38
        (lambda d: d["items"].pop(10), "连续编号"),
        (lambda d: d["items"][0].update(group="组织"), "第1项所属项目"),
        (lambda d: d["bonus_rule"].update(exclusive=[30, 39]), "第30项不是加分项目"),
        (lambda d: d["items"][2].update(max="三"), "第3项分值"),
        (lambda d: d.update(id="福建"), "编号"),
    ],
)
def test_malformed_template_is_rejected_naming_the_problem(change, message):
    d = copy.deepcopy(_data())
    change(d)
    with pytest.raises(ValidationError, match=message):
        T.parse(d, "评估表文件 x.json")


def test_import_json_keeps_table_and_lists_it(db, tmp_path):
    d = _data() | {"id": "fujian2027", "name": "福建省政务公开评估考核表（2027）"}
    p = tmp_path / "t.json"
    p.write_text(json.dumps(d, ensure_ascii=False), "utf-8")
    t = T.import_json(db, p)
    assert T.load("fujian2027", db).to_dict() == t.to_dict()
    assert [x.id for x in T.templates(db)] == ["fujian", "fujian2027"]
    assert (
        db.execute("SELECT count(*) FROM audit WHERE tbl = 'assessment_templates'").fetchone()[0]
        == 1
    )


def test_bad_json_and_shipped_id_are_refused(db, tmp_path):
    p = tmp_path / "bad.json"
    p.write_text("{not json", "utf-8")
    with pytest.raises(ValidationError, match="不是有效的 JSON"):
        T.import_json(db, p)
    p.write_text(json.dumps(T.load().to_dict(), ensure_ascii=False), "utf-8")
    with pytest.raises(ValidationError, match="与内置的评估表相同"):
        T.import_json(db, p)
    with pytest.raises(UserError, match="找不到评估表"):
        T.load("nope", db)
    assert db.execute("SELECT count(*) FROM assessment_templates").fetchone()[0] == 0


def seed_xlsx(path, t=None, *, bad_score_row=None):
    """An .xlsx laid out like the seed's attachment: title, header, merged 项目 cells, 备注."""
    t = t or T.load()
    wb = Workbook()
    ws = wb.active
    ws.append(["福建省政务公开评估考核表"])
    ws.append(["(适用市、县(区)政府及其部门)"])
    ws.append(["项目", "评估考核内容", "分值"])
    for g in t.groups:
        first = ws.max_row + 1
        for k, it in enumerate(t.group_items(g.name)):
            score = "两分" if it.no == bad_score_row else it.max
            ws.append([SEED_GROUP_CELLS[g.name] if k == 0 else None, f"{it.no}、{it.text}", score])
        ws.merge_cells(start_row=first, start_column=1, end_row=ws.max_row, end_column=1)
    ws.append(["备注", t.bonus_rule.note])
    ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=3)
    wb.save(path)
    return path


def test_seed_shaped_xlsx_imports_equal_to_the_data_file(db, tmp_path):
    t = T.import_xlsx(db, seed_xlsx(tmp_path / "fujian_copy.xlsx"))
    assert t.id == "fujian_copy"
    assert t.to_dict() | {"id": "fujian"} == T.load("fujian").to_dict()


def test_xlsx_bad_rows_are_named(db, tmp_path):
    with pytest.raises(ValidationError, match=r"第\d+行：分值“两分”不是数字") as e:
        T.import_xlsx(db, seed_xlsx(tmp_path / "x.xlsx", bad_score_row=7))
    assert "第10行" in str(e.value)  # title, scope, header, then items 1..7
    assert db.execute("SELECT count(*) FROM assessment_templates").fetchone()[0] == 0


def test_xlsx_without_header_is_refused(db, tmp_path):
    wb = Workbook()
    wb.active.append(["序号", "内容"])
    wb.save(tmp_path / "y.xlsx")
    with pytest.raises(ValidationError, match="找不到表头"):
        T.import_xlsx(db, tmp_path / "y.xlsx")
