"""`gongkai annual-report` (-o .xlsx|.pdf [--draft] | --json) and `gongkai export meetings`:
exit codes, output, one Chinese line on errors, the files read back."""

from __future__ import annotations

import json

import pytest
from annual_fixtures import EXPECTED_T3, TODAY, YEAR, add_appeals, build_year, fill_table2
from openpyxl import load_workbook
from pypdf import PdfReader
from support import one_chinese_line, run_cli, with_subcommand

from gongkai_desktop.commands import annual_report
from gongkai_desktop.core import meetings, profile
from gongkai_desktop.core.db import connect

UNIT = "厦门市人力资源和社会保障局"


@pytest.fixture(autouse=True)
def with_command(monkeypatch):
    with_subcommand(monkeypatch, "annual-report", annual_report.register)


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "office.db"
    d = connect(path)
    profile.save(d, profile.UnitProfile(unit_name=UNIT, fonds_no="X001", operator="张三"))
    add_appeals(d, build_year(d))
    meetings.add_meeting(d, "2026-03-10", "专题会议", "领导小组", "研究年度政务公开工作要点",
                         "王海涛", "", "", today=TODAY)  # fmt: skip
    d.conn.close()
    return path


def fill(path):
    d = connect(path)
    fill_table2(d)
    d.conn.close()


def test_json(db_file, capsys):
    code, out, err = run_cli(capsys, "annual-report", "--db", db_file, "--year", YEAR, "--json")
    assert (code, err) == (0, "")
    d = json.loads(out)
    assert list(d) == ["year", "table3", "table4", "table2", "checks"]
    assert d["table3"]["rows"] == EXPECTED_T3
    assert d["table4"]["values"] == [1, 1, 0, 1, 3, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1]
    assert d["table2"]["行政许可"] == {"本年处理决定数量": None}
    assert {c["name"]: c["ok"] for c in d["checks"]}["表二：需手工填报的数字已填写"] is False


def test_final_export_refused_while_a_check_fails_then_draft(db_file, tmp_path, capsys):
    out = tmp_path / "年度报告.pdf"
    code, _out, err = run_cli(capsys, "annual-report", "--db", db_file, "--year", YEAR, "-o", out)
    assert code == 2 and one_chinese_line(err) and not out.exists()
    assert "不能导出正式稿：表二：需手工填报的数字已填写" in err and "导出草稿" in err
    code, text, err = run_cli(capsys, "annual-report", "--db", db_file, "--year", YEAR, "-o", out,
                          "--draft")  # fmt: skip
    assert (code, err) == (0, "")
    assert f"已导出{UNIT}2026年政府信息公开工作年度报告（草稿）到 {out}" in text
    assert "未通过的校验：表二：需手工填报的数字已填写" in text
    pages = [p.extract_text() for p in PdfReader(out).pages]
    assert all("草稿" in p for p in pages)


def test_final_xlsx_and_pdf(db_file, tmp_path, capsys):
    fill(db_file)
    for name in ("年度报告.xlsx", "年度报告.pdf"):
        out = tmp_path / name
        code, text, err = run_cli(
            capsys, "annual-report", "--db", db_file, "--year", YEAR, "-o", out
        )
        assert (code, err) == (0, "")
        assert "（正式稿）" in text and "未通过" not in text
    wb = load_workbook(tmp_path / "年度报告.xlsx")
    assert wb["表三"]["A1"].value == f"{UNIT}2026年政府信息公开工作年度报告"
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "年度报告.pdf").pages)
    assert "草稿" not in text and "六、其他需要报告的事项" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/r.docx"], "只能导出为 .xlsx（表格）或 .pdf（全文）"),
        (["-o", "{tmp}/无此目录/r.pdf"], "保存位置"),
        (["--year", "20266", "--json"], "年份“20266”无效"),
        ([], "请用 -o 指定保存的文件"),
        (["--json", "-o", "{tmp}/r.pdf"], "二者选一"),
        (["--year"], "参数错误"),
    ],
)
def test_errors_are_one_chinese_line(db_file, tmp_path, capsys, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    year = [] if "--year" in args else ["--year", YEAR]
    code, _out, err = run_cli(capsys, "annual-report", "--db", db_file, *year, *args)
    assert code == 2 and one_chinese_line(err) and message in err


def test_export_meetings(db_file, tmp_path, capsys):
    out = tmp_path / "会议台账.xlsx"
    code, text, err = run_cli(
        capsys, "export", "meetings", "--db", db_file, "--year", YEAR, "-o", out
    )
    assert (code, err) == (0, "")
    assert "已导出 2026 年 1 次会议（会议台账，其中领导小组专题会议 1 次）到" in text
    assert "提示：2026年领导小组专题会议少于每年2次的要求" in text
    ws = load_workbook(out).active
    assert ws["E3"].value == "研究年度政务公开工作要点"
