"""The archive volume PDF of a box (issue 7 §3): parts, bookmarks, 归档章, attachments, cancel."""

from __future__ import annotations

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas
from support import with_subcommand

from gongkai_desktop import cli
from gongkai_desktop.commands import archive as archive_cmd
from gongkai_desktop.core import archive, attachments, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import UserError
from gongkai_desktop.exports.archive_volume import Cancelled, build_volume


def _attachment_pdf(path, pages: int) -> None:
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    for n in range(1, pages + 1):
        c.drawString(100, 300, f"ATTACHED-PAGE-{n}")
        c.showPage()
    c.save()


def _boxed(db, tmp_path, n_items: int = 3) -> dict:
    """n filed items (the first with a 2-page PDF and a PNG) in one sealed box."""
    _attachment_pdf(tmp_path / "scan.pdf", 2)
    Image.new("RGB", (300, 200), (20, 90, 160)).save(tmp_path / "photo.png")
    for k in range(n_items):
        i = items.create(db, {"title": f"2026年部门预算公开{k}", "doc_no": "厦人社〔2026〕3号",
                              "formed_date": "2026-03-15", "category": "预算决算"},
                         cal=WorkCalendar())  # fmt: skip
        db.execute("UPDATE items SET stage = '已建档' WHERE id = ?", [i])  # test setup
        db.execute(
            "INSERT INTO item_steps(item_id, step, action, who, on_date, opinion, created_at)"
            " VALUES (?, '审核', '完成', '李四', '2026-03-16', 'OPINION-OK', 'x')",
            [i],
        )  # test setup: one step of history
        db.conn.commit()
        if k == 0:
            attachments.add(db, "items", i, tmp_path / "scan.pdf")
            attachments.add(db, "items", i, tmp_path / "photo.png")
    pieces = archive.file_ready(db, 2026)
    box = archive.create_box(db, 2026, "定期30年")
    archive.put_in_box(db, box["id"], [p["id"] for p in pieces])
    return archive.seal_box(db, box["id"], arranger="张三", checker="李四")


def test_volume_pages_parts_bookmarks_stamp_and_attachment(db, tmp_path):
    box = _boxed(db, tmp_path)
    out = tmp_path / "案卷.pdf"
    result = build_volume(db, box["id"], out)
    reader = PdfReader(out)
    assert len(reader.pages) == result.pages == sum(n for _, n in result.parts)
    names = [name for name, _ in result.parts]
    assert names[:2] == ["盒封面", "归档文件目录"] and names[-1] == "备考表"
    pieces = archive.pieces(db, box_id=box["id"])
    assert names[2:-1] == [p["archive_no"] for p in pieces]
    # the first piece: record page + 2 attached PDF pages + 1 image page + step history
    assert dict(result.parts)[pieces[0]["archive_no"]] == 5
    # one bookmark per piece, pointing at the piece's first page
    outline = reader.outline
    assert len(outline) == len(pieces) == 3
    start = result.parts[0][1] + result.parts[1][1]
    for item, p, (_, n) in zip(outline, pieces, result.parts[2:-1], strict=True):
        assert item.title.startswith(p["archive_no"])
        assert reader.get_destination_page_number(item) == start
        text = reader.pages[start].extract_text()
        # 归档章: 全宗号, 年度, 件号, 页数; and the step history of the record
        for cell in ("X001", "2026", f"{p['piece_no']:04d}", str(n)):
            assert cell in text
        assert "OPINION-OK" not in text  # the step history comes last, on its own page
        last = reader.pages[start + n - 1].extract_text()
        assert "办理过程记录" in last and "OPINION-OK" in last
        # the catalogue's 页数 and the stored one are the pages the piece takes here
        assert archive.piece(db, p["id"])["pages"] == n == result.piece_pages[p["id"]]
        start += n
    # the attached PDF's own text is inside, right after the first record page
    first = result.parts[0][1] + result.parts[1][1]
    assert "ATTACHED-PAGE-1" in reader.pages[first + 1].extract_text()
    assert "ATTACHED-PAGE-2" in reader.pages[first + 2].extract_text()


def test_running_page_numbers_count_the_piece_pages_only(db, tmp_path):
    box = _boxed(db, tmp_path)
    result = build_volume(db, box["id"], tmp_path / "v.pdf")
    reader = PdfReader(tmp_path / "v.pdf")
    front = result.parts[0][1] + result.parts[1][1]
    numbered = result.pages - front - result.parts[-1][1]
    for n in range(1, numbered + 1):
        assert f"— {n} —" in reader.pages[front + n - 1].extract_text()
    assert "— " not in reader.pages[0].extract_text()  # the box cover has no number


def test_cancel_leaves_no_file_and_empty_box_is_refused(db, tmp_path):
    box = _boxed(db, tmp_path)
    out = tmp_path / "v.pdf"
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return done < 2  # the clerk presses Cancel after the second piece

    with pytest.raises(Cancelled):
        build_volume(db, box["id"], out, progress=progress)
    assert not out.exists() and list(tmp_path.glob("*.tmp")) == []
    assert seen[-1] == (2, 7)  # 2 × 3 pieces + writing
    empty = archive.create_box(db, 2026, "定期10年")
    with pytest.raises(UserError, match="没有文件"):
        build_volume(db, empty["id"], out)


@pytest.fixture
def with_archive_command(monkeypatch):
    with_subcommand(monkeypatch, "archive", archive_cmd.register)


def _run(*argv) -> int:
    try:
        return cli.main([str(a) for a in argv])
    except SystemExit as e:
        return e.code


def test_cli_volume(db, tmp_path, capsys, with_archive_command):
    box = _boxed(db, tmp_path, n_items=2)
    path = db.execute("PRAGMA database_list").fetchone()[2]
    out = tmp_path / "box1.pdf"
    argv = ["archive", "volume", "--db", path, "--year", "2026", "--box", "1", "-o", str(out)]
    assert cli.main(argv) == 0
    said = capsys.readouterr().out
    assert "第 1 号盒的案卷" in said and "2 件" in said and "请按100%比例打印" in said
    assert len(PdfReader(out).outline) == box["count"] == 2
    # a second box numbered 1 under another retention makes the number ambiguous
    other = archive.create_box(db, 2026, "定期10年")
    assert other["box_no"] == 1
    assert _run(*argv[:-2], "-o", tmp_path / "x.pdf") != 0
    assert "--retention" in capsys.readouterr().err
    assert _run(*argv[:-2], "--retention", "定期30年", "-o", tmp_path / "y.pdf") == 0
    nine = ["archive", "volume", "--db", path, "--year", 2026, "--box", 9]
    assert _run(*nine, "-o", tmp_path / "z.pdf") != 0
    assert "没有第 9 号档案盒" in capsys.readouterr().err


def test_demo_archive_files_the_year_and_seals_two_boxes_that_print(tmp_path):
    from datetime import date

    from gongkai_desktop.core.db import connect
    from gongkai_desktop.core.demo import build_demo

    path = tmp_path / "demo.db"
    summary = build_demo(path, today=date(2026, 11, 27))  # includes add_demo_archive
    db = connect(path)
    try:
        boxes = archive.boxes(db, 2026)
        assert len(boxes) == 2 and all(b["sealed_at"] and b["checker"] for b in boxes)
        assert summary["attachments"] >= 4 and archive.ready(db, 2026) == []
        result = build_volume(db, boxes[0]["id"], tmp_path / "box1.pdf")
        reader = PdfReader(tmp_path / "box1.pdf")
        assert len(reader.pages) == result.pages and len(reader.outline) == boxes[0]["count"]
        text = "".join(p.extract_text() for p in reader.pages)
        assert "政府信息公开申请表（扫描件）" in text  # a generated attachment, merged
    finally:
        db.conn.close()
