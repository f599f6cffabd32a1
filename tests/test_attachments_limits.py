"""Attachments from hostile or broken files (issue 9): a configurable size limit, and a PDF
pypdf cannot read is kept but flagged so a volume or binder skips it with a note."""

from __future__ import annotations

import io

import pytest
from support import pdf_file

from gongkai_desktop.core import attachments, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import ValidationError
from gongkai_desktop.exports.binder import Evidence, _file_pdf
from gongkai_desktop.exports.pdf_fonts import fonts

BROKEN = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without xref"


def new_item(db) -> int:
    data = {"title": "2026年部门预算公开", "formed_date": "2026-02-10", "category": "预算决算"}
    return items.create(db, data, cal=WorkCalendar())


def count(db, table="attachments") -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_default_limit_is_50_mb_and_a_larger_file_is_refused_unread(db, tmp_path):
    assert attachments.max_mb(db) == 50
    big = tmp_path / "扫描件.pdf"
    with open(big, "wb") as fh:  # sparse: 51 MB on paper, nothing on disk
        fh.write(b"%PDF-1.4")
        fh.truncate(51 * 1024 * 1024)
    with pytest.raises(ValidationError) as e:
        attachments.add(db, "items", new_item(db), big)
    assert (
        "51.0 MB" in str(e.value) and "上限 50 MB" in str(e.value) and "压缩或拆分" in str(e.value)
    )
    assert count(db) == 0 and count(db, "attachment_links") == 0


def test_the_limit_is_a_setting_saved_with_an_audit_row(db, tmp_path):
    item = new_item(db)
    f = tmp_path / "照片.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024))
    assert attachments.set_max_mb(db, "1") == 1
    assert attachments.max_mb(db) == 1
    with pytest.raises(ValidationError, match="超过附件大小上限 1 MB"):
        attachments.add(db, "items", item, f)
    attachments.set_max_mb(db, 5)
    attachments.add(db, "items", item, f)
    assert count(db) == 1
    row = db.execute("SELECT before, after FROM audit WHERE tbl = 'settings' AND row_id = ?"
                     " ORDER BY id DESC LIMIT 1", [attachments.MAX_MB_KEY]).fetchone()  # fmt: skip
    assert '"1"' in row[0] and '"5"' in row[1]


@pytest.mark.parametrize("bad", ["0", "-3", "abc", "", "99999"])
def test_a_nonsense_limit_is_refused(db, bad):
    with pytest.raises(ValidationError, match="1 到 2000 之间的整数"):
        attachments.set_max_mb(db, bad)
    assert attachments.max_mb(db) == 50


def test_a_hand_edited_nonsense_setting_falls_back_to_the_default(db):
    db.execute("INSERT INTO settings(key, value) VALUES (?, 'lots')", [attachments.MAX_MB_KEY])
    assert attachments.max_mb(db) == 50


def test_an_unreadable_pdf_is_stored_and_flagged(db, tmp_path):
    item = new_item(db)
    bad = tmp_path / "坏的.pdf"
    bad.write_bytes(BROKEN)
    good = pdf_file(tmp_path / "好的.pdf")
    lb = attachments.add(db, "items", item, bad)
    lg = attachments.add(db, "items", item, good)
    by_name = {a["file_name"]: a for a in attachments.links(db, "items", item)}
    assert by_name["坏的.pdf"]["unreadable"] == 1 and by_name["坏的.pdf"]["pages"] is None
    assert by_name["好的.pdf"]["unreadable"] == 0 and by_name["好的.pdf"]["pages"] == 2
    assert attachments.data(db, lb) == BROKEN  # kept as the clerk gave it
    assert attachments.readable_pdf(db, lb) is None
    assert attachments.readable_pdf(db, lg) == good.read_bytes()
    assert attachments.pages(db, "items", item) == 2  # the unreadable one adds no pages
    assert "坏的.pdf" in attachments.unreadable_note(by_name["坏的.pdf"])


def test_content_that_does_not_match_the_extension_is_still_refused(db, tmp_path):
    fake = tmp_path / "假.pdf"
    fake.write_bytes(b"MZ\x90\x00 a program renamed .pdf")
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        attachments.add(db, "items", new_item(db), fake)
    with pytest.raises(ValidationError, match="是空的"):
        attachments.add(db, "items", new_item(db), empty)
    assert count(db) == 0


def test_the_binder_puts_a_note_in_place_of_an_unreadable_pdf():
    e = Evidence(1, "file", "损坏的佐证", file_name="坏的.pdf", mime="application/pdf", data=BROKEN)
    from pypdf import PdfReader

    note = _file_pdf(e, fonts())
    assert note != BROKEN and len(PdfReader(io.BytesIO(note)).pages) == 1


def test_a_volume_with_an_unreadable_pdf_still_builds(db, tmp_path, monkeypatch):
    import sys
    from pathlib import Path

    from pypdf import PdfReader

    sys.path.insert(0, str(Path(__file__).parent))
    from test_archive_volume import _boxed

    from gongkai_desktop.exports.archive_volume import build_volume

    real_add = attachments.add

    def add_with_a_broken_one(db_, table, rid, path, who=None):
        if str(path).endswith("scan.pdf"):  # _boxed attaches its scan: add a broken PDF too
            bad = tmp_path / "坏的.pdf"
            bad.write_bytes(BROKEN)
            real_add(db_, table, rid, bad, who)
        return real_add(db_, table, rid, path, who)

    monkeypatch.setattr(attachments, "add", add_with_a_broken_one)
    box = _boxed(db, tmp_path)
    out = tmp_path / "案卷.pdf"
    result = build_volume(db, box["id"], out)
    assert len(PdfReader(out).pages) == result.pages
