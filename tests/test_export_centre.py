"""导出中心 (exports/export_centre.py): the files, masking, cancel, zip and the unmask audit."""

from __future__ import annotations

import hashlib
import os
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai_desktop.core import applications, audit, complaints
from gongkai_desktop.core.errors import Cancelled, UserError, ValidationError
from gongkai_desktop.core.masking import has_unmasked
from gongkai_desktop.exports import export_centre as E
from gongkai_desktop.exports import export_writers

TODAY = date(2026, 11, 27)
ID_NO = "350203199001011234"
PHONE = "13812345678"


def _app(db, received: str, name="王五", content="社会保险基金收支情况", phone="13800000000"):
    data = {"applicant_type": "自然人", "applicant_name": name, "phone": phone,
            "channel": "当面", "received_date": received, "content": content}  # fmt: skip
    return applications.create(db, data, today=TODAY)


@pytest.fixture
def records(db, tmp_path):
    _app(db, "2026-03-02", content="请公开2025年就业补助资金分配表")
    _app(db, "2026-11-03", name=f"李四（身份证{ID_NO}）",
         content=f"申请公开本人社保缴费记录，身份证号{ID_NO}，联系电话{PHONE}")  # fmt: skip
    complaints.create(db, {"kind": "投诉", "source": "电话", "person": "赵六", "contact": PHONE,
                           "received_date": "2026-11-10", "content": "网站栏目更新不及时"},
                      today=TODAY)  # fmt: skip
    return Path(db.execute("PRAGMA database_list").fetchone()[2])


def _cells(path: Path) -> list:
    wb = load_workbook(path, read_only=True)
    try:
        return [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    finally:
        wb.close()


def _out(tmp_path) -> Path:
    out = tmp_path / "导出"
    out.mkdir()
    return out


def test_period_labels_and_bounds():
    assert (E.Period.year(2026).label, E.Period.year(2026).end) == ("2026年", date(2026, 12, 31))
    h2 = E.Period.half(2026, 2)
    assert (h2.label, h2.start, h2.end) == ("2026年下半年", date(2026, 7, 1), date(2026, 12, 31))
    feb = E.Period.month(2028, 2)
    assert (feb.label, feb.start, feb.end) == ("2028年2月", date(2028, 2, 1), date(2028, 2, 29))
    with pytest.raises(ValidationError, match="月份"):
        E.Period.month(2026, 13)


def test_plan_names_files_in_chinese():
    names = [p.name for p in E.plan(["applications", "annual_report", "binder"],
                                    {"annual_report": ["pdf"]}, E.Period.month(2026, 11))]  # fmt: skip
    # yearly reports cover the whole year even when the ledgers are cut to a month
    assert names == ["依申请公开登记台账_2026年11月.xlsx", "政府信息公开工作年度报告_2026年.pdf",
                     "迎检材料汇编_2026年.pdf"]  # fmt: skip
    with pytest.raises(ValidationError, match="只能导出为 pdf"):
        E.plan(["binder"], {"binder": ["xlsx"]}, E.Period.year(2026))
    assert {k.key for k in E.CATALOGUE if k.sensitive} == {"applications", "complaints"}


def test_masked_applications_ledger_has_no_full_id_number(records, tmp_path):
    period = E.Period.year(2026)
    res = E.run(records, E.plan(["applications", "complaints"], None, period), _out(tmp_path),
                period=period, today=TODAY)  # fmt: skip
    assert res.masked
    assert [f.name for f in res.files] == [
        "依申请公开登记台账_2026年.xlsx",
        "投诉与意见台账_2026年.xlsx",
    ]
    assert res.folder.name == "2026-11-27_2026年"
    for f in res.files:
        text = [v for v in _cells(f) if isinstance(v, str)]
        assert not any(ID_NO in v or PHONE in v for v in text), f.name
        assert not any(has_unmasked(v) for v in text), f.name
    apps = " ".join(v for v in _cells(res.files[0]) if isinstance(v, str))
    assert "身份证号3502**********1234，联系电话138****5678" in apps
    assert "138****5678" in _cells(res.files[1])  # 联系方式
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".")]  # no staging, no temp


def test_masking_by_default_writes_no_audit_row(records, tmp_path, db):
    period = E.Period.year(2026)
    E.run(records, E.plan(["applications"], None, period), _out(tmp_path), period=period)
    assert audit.history(db, E.UNMASK_TABLE, "2026年") == []


def test_month_cut_keeps_only_that_month(records, tmp_path):
    period = E.Period.month(2026, 11)
    res = E.run(records, E.plan(["applications"], None, period), _out(tmp_path), period=period,
                today=TODAY)  # fmt: skip
    wb = load_workbook(res.files[0], read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    assert rows[0][0] == "厦门市人力资源和社会保障局依申请公开登记台账（2026年11月）"
    received = [r[1].date() for r in rows[2:] if r[0]]
    assert received == [date(2026, 11, 3)]


def test_unmask_is_audited_and_keeps_numbers(records, tmp_path, db):
    period = E.Period.year(2026)
    planned = E.plan(["applications", "meetings"], None, period)
    res = E.run(records, planned, _out(tmp_path), period=period, unmask=True, who="李科长",
                today=TODAY)  # fmt: skip
    assert not res.masked
    assert any(isinstance(v, str) and ID_NO in v for v in _cells(res.files[0]))
    rows = audit.history(db, E.UNMASK_TABLE, "2026年")
    assert [(r.who, r.after["choice"]) for r in rows] == [("李科长", "不隐去身份证号和电话")]
    assert rows[0].after["files"] == ["依申请公开登记台账_2026年.xlsx"]


@pytest.mark.parametrize("stop_at", [0, 2, 3])  # before any file, midway, at the zip
def test_cancel_leaves_no_file(records, tmp_path, stop_at):
    out = _out(tmp_path)
    period = E.Period.year(2026)
    planned = E.plan(["registry", "applications", "complaints"], None, period)
    seen = []

    def progress(done, total, text):
        seen.append(text)
        return done < stop_at

    with pytest.raises(Cancelled, match="没有留下任何文件"):
        E.run(records, planned, out, period=period, zip_name="台账", progress=progress,
              today=TODAY)  # fmt: skip
    assert list(out.iterdir()) == []
    assert seen


def test_failure_midway_removes_files_already_complete(records, tmp_path, monkeypatch):
    out = _out(tmp_path)
    real = export_writers.write_one

    def flaky(db, pf, period, path, **kw):
        if pf.kind == "complaints":
            raise UserError("磁盘已满")
        return real(db, pf, period, path, **kw)

    monkeypatch.setattr(export_writers, "write_one", flaky)
    period = E.Period.year(2026)
    with pytest.raises(UserError, match="磁盘已满"):
        E.run(records, E.plan(["registry", "applications", "complaints"], None, period), out,
              period=period, today=TODAY)  # fmt: skip
    assert list(out.iterdir()) == []


def test_zip_round_trip(records, tmp_path):
    period = E.Period.half(2026, 2)
    res = E.run(records, E.plan(["applications", "complaints", "meetings"], None, period),
                _out(tmp_path), period=period, zip_name="政务公开台账_2026年下半年",
                today=TODAY)  # fmt: skip
    assert res.zip_path == res.folder / "政务公开台账_2026年下半年.zip"
    with zipfile.ZipFile(res.zip_path) as z:
        assert z.namelist() == [f.name for f in res.files]
        for f in res.files:
            assert (
                hashlib.sha256(z.read(f.name)).digest() == hashlib.sha256(f.read_bytes()).digest()
            )
    assert (
        res.total_bytes() == sum(f.stat().st_size for f in res.files) + res.zip_path.stat().st_size
    )


def test_second_run_same_day_replaces_the_files(records, tmp_path):
    out = _out(tmp_path)
    period = E.Period.year(2026)
    planned = E.plan(["meetings"], None, period)
    first = E.run(records, planned, out, period=period, today=TODAY)
    second = E.run(records, planned, out, period=period, today=TODAY)
    assert first.files == second.files and second.files[0].is_file()
    assert [p.name for p in out.iterdir()] == ["2026-11-27_2026年"]


def test_a_killed_runs_staging_folder_is_swept_on_the_next_run(records, tmp_path):
    out = _out(tmp_path)
    old, recent = out / ".导出中_dead0001", out / ".导出中_live0002"
    for d in (old, recent):
        d.mkdir()
        (d / "公开事项登记台账_2026年.xlsx").write_bytes(b"half")
    os.utime(old, (time.time() - 2 * 86400,) * 2)  # left by a run killed two days ago
    period = E.Period.year(2026)
    E.run(records, E.plan(["meetings"], None, period), out, period=period, today=TODAY)
    assert not old.exists()
    assert recent.exists()  # may be another window's run still going
    assert sorted(p.name for p in out.iterdir()) == [".导出中_live0002", "2026-11-27_2026年"]


def test_missing_output_folder_is_refused(records, tmp_path):
    period = E.Period.year(2026)
    with pytest.raises(UserError, match="不存在"):
        E.run(records, E.plan(["meetings"], None, period), tmp_path / "无", period=period)


def test_summary_counts_the_period(records, db):
    s = E.summary(db, E.Period.month(2026, 11), today=TODAY)
    assert (s["applications_received"], s["complaints_received"]) == (1, 1)
    assert s["period"] == "2026年11月"
    assert "收到依申请公开申请：1" in s["lines"]
    whole = E.summary(db, E.Period.year(2026), today=TODAY)
    assert whole["applications_received"] == 2
