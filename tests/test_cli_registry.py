"""`gongkai export registry` / `gongkai import registry`: exit codes, summaries, one-line errors."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from support import one_chinese_line, run_cli

from gongkai_desktop.core import items, profile
from gongkai_desktop.core.db import connect

ROOT = Path(__file__).resolve().parent.parent
PAST = date(2026, 3, 1)  # items dated before any day these tests run


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "office.db"
    d = connect(path)
    profile.save(
        d,
        profile.UnitProfile(
            unit_name="厦门市人力资源和社会保障局", fonds_no="X001", operator="张三"
        ),
    )
    for k, formed in enumerate(("2026-01-05", "2026-02-10")):
        items.create(
            d, {"title": f"事项{k}", "formed_date": formed, "category": "财务人事"}, today=PAST
        )
    d.conn.close()
    return path


def test_export_writes_the_file_and_says_so(capsys, tmp_path, db_file):
    out = tmp_path / "ledger.xlsx"
    code, stdout, err = run_cli(
        capsys, "export", "registry", "--db", db_file, "--year", 2026, "-o", out
    )
    assert code == 0 and err == ""
    assert stdout.strip() == f"已导出 2026 年 2 条事项到 {out}"
    ws = load_workbook(out).active
    assert [ws.cell(r, 3).value for r in (3, 4)] == ["事项0", "事项1"]


def test_top_level_db_option_works_too(capsys, tmp_path, db_file):
    out = tmp_path / "ledger.xlsx"
    code, stdout, _ = run_cli(
        capsys, "--db", db_file, "export", "registry", "--year", 2026, "-o", out
    )
    assert code == 0 and "2 条" in stdout and out.exists()


def test_import_round_trip_into_a_new_database(capsys, tmp_path, db_file):
    out = tmp_path / "ledger.xlsx"
    run_cli(capsys, "export", "registry", "--db", db_file, "--year", 2026, "-o", out)
    fresh = tmp_path / "new" / "fresh.db"
    fresh.parent.mkdir()
    code, stdout, err = run_cli(capsys, "import", "registry", "--db", fresh, out)
    assert code == 0 and err == ""
    assert "导入 2 条事项" in stdout and "索引号" in stdout
    d = connect(fresh)
    assert [r[0] for r in d.execute("SELECT title FROM items ORDER BY formed_date")] == [
        "事项0",
        "事项1",
    ]
    d.conn.close()


def test_rejected_import_is_one_line_naming_row_and_column(capsys, tmp_path, db_file):
    wb = Workbook()
    wb.active.append(["信息名称", "生成日期", "主题分类"])
    wb.active.append(["好数据", "2026-02-01", "财务人事"])
    wb.active.append(["坏日期", "2026-13-01", "财务人事"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    code, stdout, err = run_cli(capsys, "import", "registry", "--db", db_file, bad)
    assert code == 2 and stdout == "" and one_chinese_line(err)
    assert "第3行“生成日期”" in err and "没有导入任何事项" in err
    d = connect(db_file)
    assert d.execute("SELECT count(*) FROM items").fetchone()[0] == 2  # unchanged
    d.conn.close()


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["export", "registry", "--db", "DB", "--year", "20266", "-o", "x.xlsx"], "年份"),
        (["export", "registry", "--db", "DB", "--year", "二〇二六", "-o", "x.xlsx"], "参数错误"),
        (["export", "registry", "--db", "DB", "-o", "x.xlsx"], "缺少必填参数"),
        (["export"], "缺少必填参数"),
        (
            ["export", "registry", "--db", "DB", "--year", "2026", "-o", "没有这个文件夹/x.xlsx"],
            "不存在",
        ),
        (["import", "registry", "--db", "DB", "没有这个文件.xlsx"], "找不到文件"),
        (["import", "registry", "--db", "DB", "坏文件.xlsx"], "不是有效的 Excel 工作簿"),
    ],
)
def test_bad_input_exit_2_one_chinese_line(capsys, tmp_path, db_file, monkeypatch, argv, fragment):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "坏文件.xlsx").write_bytes(b"PK\x03\x04 broken")
    code, stdout, err = run_cli(capsys, *[db_file if a == "DB" else a for a in argv])
    assert code == 2 and stdout == ""
    assert one_chinese_line(err) and fragment in err, err
    assert not (tmp_path / "x.xlsx").exists()


def test_real_process_export_and_error(tmp_path, db_file):
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = tmp_path / "台账.xlsx"
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "gongkai_desktop",
            "export",
            "registry",
            "--db",
            str(db_file),
            "--year",
            "2026",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        encoding="utf-8",
    )
    assert ok.returncode == 0, ok.stderr
    assert "已导出 2026 年 2 条事项" in ok.stdout and out.exists()
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "gongkai_desktop",
            "import",
            "registry",
            "--db",
            str(db_file),
            str(tmp_path / "缺失.xlsx"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        encoding="utf-8",
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert one_chinese_line(bad.stderr) and "找不到文件" in bad.stderr
