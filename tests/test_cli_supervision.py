"""`gongkai export complaints|inspections|rectifications` and `gongkai report key-inspection`:
exit codes, the summary lines, one Chinese line on errors, the files read back."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from support import one_chinese_line, run_cli, with_subcommand

from gongkai_desktop.commands import report
from gongkai_desktop.core import complaints as C
from gongkai_desktop.core import inspections as I
from gongkai_desktop.core import profile
from gongkai_desktop.core.db import connect

PAST = date(2026, 6, 25)  # the records below are entered on this day
UNIT = "厦门市人力资源和社会保障局"


@pytest.fixture(autouse=True)
def with_report_command(monkeypatch):
    with_subcommand(monkeypatch, "report", report.register)


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "office.db"
    d = connect(path)
    profile.save(
        d,
        profile.UnitProfile(
            unit_name=UNIT, fonds_no="X001", operator="张三", complaint_phone="0592-5101234"
        ),
    )
    base = {"source": "电话", "handler": "李四", "content": "栏目链接打不开"}
    late = C.create(d, base | {"kind": "投诉", "person": "", "received_date": "2026-03-02"},
                    today=PAST)  # fmt: skip
    for step in ("受理", "调查核实"):
        C.record_step(d, late, step, "2026-03-03", "李四", today=PAST)
    C.record_step(d, late, "答复", "2026-04-10", "李四", today=PAST, reply_method="电话",
                  reply_content="已修复")  # fmt: skip
    C.create(d, base | {"kind": "咨询", "person": "王五", "received_date": "2026-05-06"},
             today=PAST)  # fmt: skip
    I.add_patrol(d, "2026-03-02", "李四", "网站栏目", "更新情况", "3条信息迟延", today=PAST)
    I.add_key_inspection(
        d, "2026-06-18", "李明（组长）、王芳", "政府信息公开专栏", "“人事信息”栏目3条信息公开迟延",
        "上半年工作总体规范", who="李明", today=PAST,
        rectifications=[{"problem": "栏目信息公开迟延", "responsible": "王芳",
                         "measure": "每周核对", "due_date": "2026-07-31"}],
    )  # fmt: skip
    d.conn.close()
    return path


def test_export_complaints(capsys, tmp_path, db_file):
    out = tmp_path / "投诉与意见台账.xlsx"
    code, stdout, err = run_cli(
        capsys, "export", "complaints", "--db", db_file, "--year", 2026, "-o", out
    )
    assert code == 0 and err == ""
    assert stdout.strip() == f"已导出 2026 年 2 件投诉与意见（投诉与意见台账）到 {out}"
    ws = load_workbook(out).active
    assert ws["A1"].value == f"{UNIT}投诉与意见台账（2026年）"
    assert ws["D3"].value == "匿名"


def test_export_inspections_names_the_half_without_a_key_inspection(capsys, tmp_path, db_file):
    out = tmp_path / "监督检查台账"  # .xlsx is added
    code, stdout, err = run_cli(
        capsys, "--db", db_file, "export", "inspections", "--year", 2026, "-o", out
    )
    assert code == 0 and err == ""
    lines = stdout.strip().splitlines()
    assert lines[0] == (
        f"已导出 2026 年监督检查台账（日常巡查 1 次，半年重点检查 1 次，定期自查 0 次）到 {out}.xlsx"
    )
    assert lines[1].startswith("提示：2026年下半年没有重点检查记录")
    assert load_workbook(f"{out}.xlsx").sheetnames == ["日常巡查", "半年重点检查", "定期自查"]


def test_export_rectifications(capsys, tmp_path, db_file):
    out = tmp_path / "整改台账.xlsx"
    code, stdout, _ = run_cli(
        capsys, "export", "rectifications", "--db", db_file, "--year", 2026, "-o", out
    )
    assert code == 0 and stdout.strip() == f"已导出 2026 年 1 项整改事项（整改台账）到 {out}"
    assert load_workbook(out).active["D3"].value == "栏目信息公开迟延"


@pytest.mark.parametrize("ledger", ["complaints", "inspections", "rectifications"])
def test_export_errors_are_one_chinese_line(capsys, tmp_path, db_file, ledger):
    code, stdout, err = run_cli(
        capsys, "export", ledger, "--db", db_file, "--year", 26, "-o", tmp_path / "x.xlsx"
    )
    assert code == 2 and stdout == "" and one_chinese_line(err) and "年份" in err
    missing = tmp_path / "没有这个文件夹" / "x.xlsx"
    code, _, err = run_cli(capsys, "export", ledger, "--db", db_file, "--year", 2026, "-o", missing)
    assert code == 2 and one_chinese_line(err) and "不存在" in err
    code, _, err = run_cli(capsys, "export", ledger, "--db", db_file, "-o", tmp_path / "x.xlsx")
    assert code == 2 and one_chinese_line(err) and "缺少必填参数" in err
    assert not list(tmp_path.glob("*.xlsx"))


def test_report_key_inspection(capsys, tmp_path, db_file):
    out = tmp_path / "上半年重点检查报告.pdf"
    code, stdout, err = run_cli(
        capsys, "report", "key-inspection", "--db", db_file, "--year", 2026, "--half", 1,
        "-o", out,
    )  # fmt: skip
    assert code == 0 and err == ""
    assert stdout.strip() == f"已生成2026年上半年重点检查报告（检查日期 2026-06-18）：{out}"
    reader = PdfReader(out)
    text = "".join("".join(p.extract_text() for p in reader.pages).split())
    assert f"{UNIT}政务公开工作2026年上半年重点检查报告" in text
    assert "“人事信息”栏目3条信息公开迟延" in text and "上半年工作总体规范" in text
    assert "责任人：王芳" in text and "完成时限：2026年7月31日" in text
    assert "投诉电话0592-5101234" in text
    assert "政务公开监督小组2026年6月18日" in text
    # the half-year's figures from the records
    assert "上半年开展日常巡查1次" in text and "逾期答复1件" in text
    d = connect(db_file)
    kept = I.key_inspections(d, 2026)[0]
    assert kept["has_report"] and I.report_pdf(d, kept["id"]) == out.read_bytes()
    d.conn.close()


def test_report_for_a_half_without_inspection_is_one_line(capsys, tmp_path, db_file):
    out = tmp_path / "r.pdf"
    code, stdout, err = run_cli(
        capsys, "report", "key-inspection", "--db", db_file, "--year", 2026, "--half", 2,
        "-o", out,
    )  # fmt: skip
    assert code == 2 and stdout == "" and one_chinese_line(err)
    assert "2026年下半年没有重点检查记录" in err and not out.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--half", "3"], "无效的选项"),
        (["--half", "x"], "不是有效的整数"),
        (["--year", "26"], "年份"),
    ],
)
def test_report_bad_arguments_are_one_line(capsys, tmp_path, db_file, argv, message):
    args = {"--year": "2026", "--half": "1"} | dict(zip(argv[::2], argv[1::2], strict=True))
    flat = [x for kv in args.items() for x in kv]
    code, _, err = run_cli(
        capsys, "report", "key-inspection", "--db", db_file, *flat, "-o", tmp_path / "r.pdf"
    )
    assert code == 2 and one_chinese_line(err) and message in err
    assert not (tmp_path / "r.pdf").exists()
