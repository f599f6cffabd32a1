"""An application piece in the volume (issue 7 §2): record, attachments, letters, step history
in that order; running numbers stay right around the letters' own; 页数 match the volume."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from reportlab.pdfgen import canvas

from gongkai_desktop.core import applications as A
from gongkai_desktop.core import archive, attachments
from gongkai_desktop.core.application_letters import issue_letter
from gongkai_desktop.exports.archive_catalog import fonds_meta
from gongkai_desktop.exports.archive_pdf import catalog_bytes
from gongkai_desktop.exports.archive_volume import build_volume, sync_pages
from gongkai_desktop.exports.letters import render_letter


def _scan(path, pages: int) -> None:
    c = canvas.Canvas(str(path))
    for n in range(1, pages + 1):
        c.drawString(100, 400, f"SCAN-PAGE-{n}")
        c.showPage()
    c.save()


def _application_piece(db, tmp_path) -> dict:
    app = A.create(db, {"applicant_type": "自然人", "applicant_name": "王五",
                        "phone": "13800000000", "channel": "当面",
                        "received_date": "2026-02-10", "content": "2025年就业补贴发放名单"},
                   who="李四", today=date(2026, 6, 1))  # fmt: skip
    issue_letter(db, app, "receipt", render_letter, today=date(2026, 2, 12))
    _scan(tmp_path / "申请表.pdf", 2)
    attachments.add(db, "applications", app, tmp_path / "申请表.pdf")
    return archive.file_record(db, "applications", app)


def _text(reader: PdfReader, k: int) -> str:
    return reader.pages[k].extract_text()


def test_application_piece_binds_record_attachments_letters_history_in_order(db, tmp_path):
    p = _application_piece(db, tmp_path)
    assert p["pages"] == 3  # estimated at filing: record page + the 2-page scan
    box = archive.create_box(db, 2026, p["retention"])
    archive.put_in_box(db, box["id"], [p["id"]])
    result = build_volume(db, box["id"], tmp_path / "v.pdf")
    reader = PdfReader(tmp_path / "v.pdf")
    assert len(reader.pages) == result.pages == sum(n for _, n in result.parts)
    front = result.parts[0][1] + result.parts[1][1]
    n = dict(result.parts)[p["archive_no"]]
    # record 1 + scan 2 + 登记回执 1 + 办理过程记录 1
    assert n == 5
    pages = [_text(reader, front + k) for k in range(n)]
    assert "申请编号" in pages[0] and p["archive_no"] in pages[0]  # record, 档号, stamp
    assert "登记回执" in pages[0]  # the record lists the letters bound after it
    assert "SCAN-PAGE-1" in pages[1] and "SCAN-PAGE-2" in pages[2]
    assert "登记回执" in pages[3] and "依申〔2026〕1号" in pages[3]
    assert "办理过程记录" in pages[4] and "生成文书" in pages[4]
    # running numbers 1..5; the letter keeps its own “— 1 —” and also gets “— 4 —”
    for k, text in enumerate(pages, 1):
        assert f"— {k} —" in text
    assert pages[3].count("— 1 —") == 1 and "— 4 —" in pages[3]
    # the 页数 written back equals the pages bound; the stamp and the catalogue say so
    assert archive.piece(db, p["id"])["pages"] == n and result.corrected == {p["id"]: (3, 5)}
    stamp_cells = pages[0]
    assert str(n) in stamp_cells
    catalogue = "".join(_text(reader, k) for k in range(result.parts[0][1], front))
    assert p["archive_no"] in catalogue


def test_outline_has_one_bookmark_per_piece_at_its_first_page(db, tmp_path):
    p = _application_piece(db, tmp_path)
    box = archive.create_box(db, 2026, p["retention"])
    archive.put_in_box(db, box["id"], [p["id"]])
    result = build_volume(db, box["id"], tmp_path / "v.pdf")
    reader = PdfReader(tmp_path / "v.pdf")
    [mark] = reader.outline
    assert mark.title == result.bookmarks[0] and mark.title.startswith(p["archive_no"])
    assert reader.get_destination_page_number(mark) == result.parts[0][1] + result.parts[1][1]


def test_sync_pages_makes_the_printed_catalogue_match_the_volume(db, tmp_path):
    p = _application_piece(db, tmp_path)
    assert sync_pages(db, 2026) == {p["id"]: (3, 5)}
    assert sync_pages(db, 2026) == {}  # nothing left to correct
    fixed = archive.piece(db, p["id"])
    assert fixed["pages"] == 5
    # the audit trail keeps the correction
    row = db.execute(
        "SELECT before, after FROM audit WHERE tbl = 'archive_pieces' AND row_id = ?"
        " ORDER BY id DESC LIMIT 1",
        [str(p["id"])],
    ).fetchone()
    assert '"pages": 3' in row[0] and '"pages": 5' in row[1]
    text = PdfReader(io.BytesIO(catalog_bytes([fixed], fonds_meta(db)))).pages[1].extract_text()
    cells = [c.strip() for c in text.splitlines()]
    assert p["archive_no"] in cells and "5" in cells  # 页数 column
    box = archive.create_box(db, 2026, p["retention"])
    archive.put_in_box(db, box["id"], [p["id"]])
    result = build_volume(db, box["id"], tmp_path / "v.pdf")
    assert result.corrected == {} and result.piece_pages == {p["id"]: 5}


def test_a_letters_attachment_is_bound_with_the_attachments(db, tmp_path):
    p = _application_piece(db, tmp_path)
    [letter] = db.execute("SELECT id FROM app_letters").fetchall()
    _scan(tmp_path / "送达回证.pdf", 1)
    attachments.add(db, "app_letters", letter[0], tmp_path / "送达回证.pdf")
    box = archive.create_box(db, 2026, p["retention"])
    archive.put_in_box(db, box["id"], [p["id"]])
    result = build_volume(db, box["id"], tmp_path / "v.pdf")
    reader = PdfReader(tmp_path / "v.pdf")
    front = result.parts[0][1] + result.parts[1][1]
    assert dict(result.parts)[p["archive_no"]] == 6  # record, scan 2, 送达回证 1, letter, history
    assert "送达回证.pdf" in _text(reader, front)  # listed on the record page
    assert "SCAN-PAGE-1" in _text(reader, front + 3) and "登记回执" in _text(reader, front + 4)


def test_an_unreadable_pdf_is_noted_not_merged_and_the_count_stays_true(db, tmp_path):
    p = _application_piece(db, tmp_path)
    bad = tmp_path / "坏的.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")  # no xref, no pages
    attachments.add(db, "applications", p["record_id"], bad)
    box = archive.create_box(db, 2026, p["retention"])
    archive.put_in_box(db, box["id"], [p["id"]])
    result = build_volume(db, box["id"], tmp_path / "v.pdf")
    reader = PdfReader(tmp_path / "v.pdf")
    assert len(reader.pages) == result.pages
    front = result.parts[0][1] + result.parts[1][1]
    assert dict(result.parts)[p["archive_no"]] == 5 == archive.piece(db, p["id"])["pages"]
    record_page = _text(reader, front)
    assert "坏的.pdf" in record_page and "无法读取" in record_page
