"""`gongkai archive file` and `gongkai export archive`: the 档号 printed, the catalogue read back."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from support import run_cli

from gongkai_desktop.core import items, profile
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.db import connect


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "office.db"
    d = connect(path)
    profile.save(d, profile.UnitProfile(unit_name="厦门市人力资源和社会保障局", fonds_no="X001",
                                        operator="张三"))  # fmt: skip
    for title, stage in (
        ("2026年部门预算公开", "已建档"),
        ("=危险题名", "建档"),
        ("审核中", "审核"),
    ):
        i = items.create(d, {"title": title, "doc_no": "厦人社〔2026〕3号", "formed_date":
                             "2026-03-15", "category": "预算决算"}, cal=WorkCalendar())  # fmt: skip
        d.execute("UPDATE items SET stage = ? WHERE id = ?", [stage, i])  # test setup
    d.conn.close()
    return path


def test_archive_file_prints_the_numbers_and_export_writes_the_catalogue(capsys, db_file, tmp_path):
    code, out, err = run_cli(capsys, "archive", "file", "--db", db_file, "--year", 2026)
    assert code == 0, err
    assert "X001-WS·2026-D30-0001  2026年部门预算公开" in out
    assert "X001-WS·2026-D30-0002" in out and "已归档 2026 年 2 件" in out
    code, out, _ = run_cli(capsys, "archive", "file", "--db", db_file, "--year", 2026)
    assert code == 0 and "没有待归档的记录" in out

    xlsx = tmp_path / "目录.xlsx"
    code, out, err = run_cli(
        capsys, "export", "archive", "--db", db_file, "--year", 2026, "-o", xlsx
    )
    assert code == 0, err
    assert "2 件归档文件" in out
    ws = load_workbook(xlsx).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = rows.index(["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"])
    first, second = rows[header + 1], rows[header + 2]
    assert first[1:6] == ["X001-WS·2026-D30-0001", "厦人社〔2026〕3号", "厦门市人力资源和社会保障局",
                          "2026年部门预算公开", "20260315"]  # fmt: skip
    assert second[4] == "=危险题名" and ws.cell(header + 3, 5).data_type == "s"


def test_file_box_and_print_catalog_and_spines_from_the_demo(tmp_path):
    """The clerk's path: file the year, box it, print the catalogue and true-size spines."""
    from datetime import date

    from pypdf import PdfReader

    from gongkai_desktop.cli import main
    from gongkai_desktop.core import archive
    from gongkai_desktop.core.db import connect
    from gongkai_desktop.core.demo import build_demo

    path = tmp_path / "demo.db"
    build_demo(path, today=date(2026, 11, 27))
    assert main(["archive", "file", "--db", str(path), "--year", "2026"]) == 0
    db = connect(path)
    pieces = [p for p in archive.pieces(db, year=2026) if p["retention"] == "定期30年"]
    box = archive.create_box(db, 2026, "定期30年", spine_mm=40)
    archive.put_in_box(db, box["id"], [p["id"] for p in pieces[:20]])
    db.conn.close()
    cat, sp = tmp_path / "catalog.pdf", tmp_path / "spines.pdf"
    assert main(["archive", "catalog", "--db", str(path), "--year", "2026", "-o", str(cat)]) == 0
    assert main(["archive", "spines", "--db", str(path), "--year", "2026", "-o", str(sp)]) == 0
    text = "".join(p.extract_text() for p in PdfReader(cat).pages)
    assert pieces[0]["archive_no"] in text and "归档文件目录" in text
    page = PdfReader(sp).pages[0]
    assert round(float(page.mediabox.width)) == 595  # A4, labels at true size
    assert "0001" in page.extract_text()


def test_every_catalogue_gives_the_pages_the_volume_binds(capsys, db_file, tmp_path):
    """页数 fixed at filing is recomputed from the volume's own layout before any catalogue."""
    from gongkai_desktop.core import archive
    from gongkai_desktop.exports.archive_volume import build_volume

    assert run_cli(capsys, "archive", "file", "--db", db_file, "--year", 2026)[0] == 0
    d = connect(db_file)
    d.execute("UPDATE archive_pieces SET pages = 99")  # a count that no longer matches
    d.conn.close()
    xlsx = tmp_path / "目录.xlsx"
    assert run_cli(capsys, "export", "archive", "--db", db_file, "--year", 2026, "-o", xlsx)[0] == 0
    ws = load_workbook(xlsx).active
    header = [c.value for c in ws[2]]
    col = header.index("页数")
    printed = [row[col] for row in ws.iter_rows(min_row=3, values_only=True) if row[0]]
    d = connect(db_file)
    pieces = archive.pieces(d, year=2026)
    box = archive.create_box(d, year=2026, retention=pieces[0]["retention"], org_code="")["id"]
    archive.put_in_box(d, box, [p["id"] for p in pieces])
    bound = build_volume(d, box, tmp_path / "卷.pdf").piece_pages
    d.conn.close()
    assert printed == [bound[p["id"]] for p in pieces] and 99 not in printed
