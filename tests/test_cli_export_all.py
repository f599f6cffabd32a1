"""`gongkai export all`: the export centre without the window."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai_desktop.cli import main
from gongkai_desktop.core import applications, audit
from gongkai_desktop.exports.export_centre import UNMASK_TABLE

ID_NO = "350203199001011234"


@pytest.fixture
def db_file(db, tmp_path) -> Path:
    applications.create(db, {"applicant_type": "自然人", "applicant_name": "王五",
                             "phone": "13800000000", "channel": "当面",
                             "received_date": "2026-11-02",
                             "content": f"申请公开本人档案，身份证号{ID_NO}"},
                        today=date(2026, 11, 27))  # fmt: skip
    return tmp_path / "t.db"


def _folder(out: Path) -> Path:
    (folder,) = out.iterdir()
    return folder


def test_month_export_prints_each_file(db_file, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    rc = main(["export", "all", "--db", str(db_file), "--year", "2026", "--month", "11",
               "--only", "applications,meetings,assessment", "-o", str(out), "--zip"])  # fmt: skip
    assert rc == 0
    lines = capsys.readouterr().out.splitlines()
    folder = _folder(out)
    assert folder.name.endswith("_2026年11月")
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["依申请公开登记台账_2026年11月.xlsx", "会议台账_2026年11月.xlsx",
                            "自评打分表_2026年.xlsx", "自评打分表_2026年.pdf",
                            "政务公开台账_2026年11月.zip"])  # fmt: skip
    for name in names:
        assert any(line.startswith(str(folder / name)) and "KB）" in line for line in lines), name
    assert "已隐去身份证号和电话号码" in lines[-1]
    with zipfile.ZipFile(folder / "政务公开台账_2026年11月.zip") as z:
        assert len(z.namelist()) == 4
    wb = load_workbook(folder / "依申请公开登记台账_2026年11月.xlsx", read_only=True)
    text = " ".join(str(v) for row in wb.active.iter_rows(values_only=True) for v in row)
    wb.close()
    assert ID_NO not in text and "3502**********1234" in text


def test_unmask_is_audited(db_file, tmp_path, capsys, db):
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", "all", "--db", str(db_file), "--year", "2026", "--only",
                 "applications", "-o", str(out), "--unmask"]) == 0  # fmt: skip
    assert "未隐去身份证号和电话号码（已记入修改记录）" in capsys.readouterr().out
    (row,) = audit.history(db, UNMASK_TABLE, "2026年")
    assert row.who == "张三" and row.after["files"] == ["依申请公开登记台账_2026年.xlsx"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--half", "1", "--month", "3"], "只能选一个"),
        (["--only", "registry,台账"], "不认识的导出项目：台账"),
        (["--month", "13"], "月份“13”无效"),
        (["--half", "3"], "半年只能是 1"),
    ],
)
def test_bad_input_says_what_to_fix(db_file, tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as e:
        main(["export", "all", "--db", str(db_file), "--year", "2026", "-o", str(tmp_path),
              *args])  # fmt: skip
    assert e.value.code == 2
    assert message in capsys.readouterr().err
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]


def test_missing_folder_is_made_and_an_unfiled_catalogue_is_skipped(db_file, tmp_path, capsys):
    out = tmp_path / "新建的文件夹"
    assert main(["export", "all", "--db", str(db_file), "--year", "2026", "-o", str(out),
                 "--zip"]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "2026年还没有归档件，未导出" in printed
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    names = {p.name for p in folder.iterdir()}
    assert "公开事项登记台账_2026年.xlsx" in names
    assert not any(n.startswith("归档文件目录") for n in names)
    with zipfile.ZipFile(folder / "政务公开台账_2026年.zip") as z:
        assert set(z.namelist()) == names - {"政务公开台账_2026年.zip"}
