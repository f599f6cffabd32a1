"""The volume scheme switch (issue 7 §3): with 卷 a box is one GB/T 9705-2008 案卷."""

import re

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from support import with_subcommand

from gongkai_desktop import cli
from gongkai_desktop.commands import archive as archive_cmd
from gongkai_desktop.core import archive, attachments, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import ValidationError
from gongkai_desktop.exports.archive_volume import build_volume


def _boxed(db, tmp_path, note: str = "") -> dict:
    """Three filed items (the first with a 2-page PDF) in one sealed 定期30年 box."""
    c = canvas.Canvas(str(tmp_path / "scan.pdf"))
    for n in (1, 2):
        c.drawString(100, 300, f"ATTACHED-PAGE-{n}")
        c.showPage()
    c.save()
    for k, day in enumerate(("2026-03-15", "2026-05-02", "2026-11-20")):
        i = items.create(db, {"title": f"预算公开{k}", "doc_no": f"厦人社〔2026〕{k + 3}号",
                              "formed_date": day, "category": "预算决算"},
                         cal=WorkCalendar())  # fmt: skip
        db.execute("UPDATE items SET stage = '已建档' WHERE id = ?", [i])  # test setup
        db.conn.commit()
        if k == 0:
            attachments.add(db, "items", i, tmp_path / "scan.pdf")
    pieces = archive.file_ready(db, 2026)
    box = archive.create_box(db, 2026, "定期30年")
    archive.put_in_box(db, box["id"], [p["id"] for p in pieces])
    return archive.seal_box(db, box["id"], arranger="张三", checker="李四", contents_note=note)


def test_scheme_defaults_to_pieces_and_only_pieces_or_volumes_are_accepted(db):
    assert archive.archive_settings(db)["scheme"] == "件"
    assert archive.save_archive_settings(db, {"scheme": "卷"})["scheme"] == "卷"
    assert archive.archive_settings(db)["scheme"] == "卷"
    with pytest.raises(ValidationError, match="整理方式“盒”无效"):
        archive.save_archive_settings(db, {"scheme": "盒"})
    assert archive.archive_settings(db)["scheme"] == "卷"  # nothing half-written


def test_volume_dict_maps_the_box_to_gbt9705_fields(db, tmp_path):
    box = _boxed(db, tmp_path)
    volume, docs = archive.volume_dict(db, box["id"])
    assert volume["title"] == "2026年度定期30年文书档案第1卷"
    assert volume["archive_no"] == "X001-WS·2026-D30-0001"  # 全宗号-WS·年度-期限-卷号
    assert (volume["start"][:7], volume["end"][:7]) == ("2026-03", "2026-11")
    assert volume["pieces"] == 3 and volume["pages"] == 3 + 2  # record pages + attachment
    assert (volume["maker"], volume["checker"]) == ("张三", "李四")
    assert [d["doc_no"] for d in docs] == [
        "厦人社〔2026〕3号",
        "厦人社〔2026〕4号",
        "厦人社〔2026〕5号",
    ]
    titled = _boxed(db, tmp_path, note="2026年度预算决算公开材料")
    assert archive.volume_dict(db, titled["id"])[0]["title"] == "2026年度预算决算公开材料"


def test_with_volumes_the_pdf_has_the_9705_cover_contents_and_note(db, tmp_path):
    box = _boxed(db, tmp_path)
    archive.save_archive_settings(db, {"scheme": "卷"})
    out = tmp_path / "卷.pdf"
    result = build_volume(db, box["id"], out)
    names = [name for name, _ in result.parts]
    assert names[:2] == ["案卷封面", "卷内文件目录"] and names[-1] == "卷内备考表"
    reader = PdfReader(out)
    cover = reader.pages[0].extract_text()
    assert "案卷题名" in cover and "2026年度定期30年文书档案第1卷" in cover
    assert "X001-WS·2026-D30-0001" in cover and "3件 / 5页" in cover
    contents = reader.pages[1].extract_text()
    assert "卷内文件目录" in contents and "页号" in contents
    # 页号 follow the running page numbers: 1 (3 pages), 4, then the last one 5
    first = 2
    assert "— 1 —" in reader.pages[first].extract_text()
    assert "— 4 —" in reader.pages[first + 3].extract_text()
    assert re.findall(r"2026\d{4}\s+(\d+)", contents) == ["1", "4", "5"]  # 日期, then 页号
    assert "卷内备考表" in "".join(reader.pages[-1].extract_text().split())
    assert "盒封面" not in names and "归档文件目录" not in names


def test_with_pieces_the_volume_is_unchanged(db, tmp_path):
    box = _boxed(db, tmp_path)
    result = build_volume(db, box["id"], tmp_path / "件.pdf")
    names = [name for name, _ in result.parts]
    assert names[:2] == ["盒封面", "归档文件目录"] and names[-1] == "备考表"
    assert "案卷题名" not in PdfReader(tmp_path / "件.pdf").pages[0].extract_text()


def test_cli_volume_says_which_scheme(db, tmp_path, capsys, monkeypatch):
    with_subcommand(monkeypatch, "archive", archive_cmd.register)
    _boxed(db, tmp_path)
    archive.save_archive_settings(db, {"scheme": "卷"})
    path = db.execute("PRAGMA database_list").fetchone()[2]
    out = tmp_path / "v.pdf"
    assert cli.main(["archive", "volume", "--db", path, "--year", "2026", "--box", "1",
                     "-o", str(out)]) == 0  # fmt: skip
    assert "按卷整理，GB/T 9705-2008" in capsys.readouterr().out
    assert "案卷题名" in PdfReader(out).pages[0].extract_text()
