import pytest
from support import pdf_file

from gongkai_desktop.core import attachments, audit, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import ValidationError


def new_item(db, title="2026年部门预算公开"):
    data = {"title": title, "doc_no": "厦人社〔2026〕3号", "formed_date": "2026-02-10",
            "category": "预算决算", "channels": ["门户网站"]}  # fmt: skip
    return items.create(db, data, cal=WorkCalendar())


def test_pdf_is_stored_once_with_its_page_count_and_read_back(db, tmp_path):
    a, b = new_item(db), new_item(db, "2026年部门决算公开")
    f = pdf_file(tmp_path / "预算说明.pdf", 3)
    la = attachments.add(db, "items", a, f)
    lb = attachments.add(db, "items", b, f)
    assert db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 1
    [row] = attachments.links(db, "items", a)
    assert (row["file_name"], row["mime"], row["pages"]) == ("预算说明.pdf", "application/pdf", 3)
    assert attachments.pages(db, "items", b) == 3
    assert attachments.data(db, lb) == f.read_bytes()
    out = attachments.export(db, la, tmp_path / "导出.pdf")
    assert out.read_bytes() == f.read_bytes()


def test_remove_is_audited_and_the_bytes_go_with_the_last_link(db, tmp_path):
    a, b = new_item(db), new_item(db, "另一事项")
    f = pdf_file(tmp_path / "x.pdf", 1)
    la, lb = attachments.add(db, "items", a, f), attachments.add(db, "items", b, f)
    attachments.remove(db, la, who="李四")
    assert attachments.links(db, "items", a) == []
    assert db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 1
    [h] = [r for r in audit.history(db, "attachment_links", la) if r.action == "delete"]
    assert h.who == "李四" and h.before["file_name"] == "x.pdf"
    attachments.remove(db, lb)
    assert db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    with pytest.raises(ValidationError, match="已被删除"):
        attachments.data(db, lb)


def test_office_and_images_are_accepted_by_their_content(db, tmp_path):
    i = new_item(db)
    png = tmp_path / "照片.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    doc = tmp_path / "通知.docx"
    doc.write_bytes(b"PK\x03\x04" + b"\0" * 20)
    attachments.add(db, "items", i, png)
    attachments.add(db, "items", i, doc)
    assert [r["pages"] for r in attachments.links(db, "items", i)] == [1, None]


def test_wrong_or_broken_files_are_refused_and_nothing_is_written(db, tmp_path):
    i = new_item(db)
    fake = tmp_path / "假.pdf"
    fake.write_bytes(b"not a pdf")
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        attachments.add(db, "items", i, fake)
    exe = tmp_path / "a.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(ValidationError, match="类型不支持"):
        attachments.add(db, "items", i, exe)
    with pytest.raises(ValidationError, match="已被删除"):
        attachments.add(db, "items", 999, pdf_file(tmp_path / "ok.pdf", 1))
    assert db.execute("SELECT count(*) FROM attachment_links").fetchone()[0] == 0


def test_an_annual_report_is_keyed_by_its_year(db, tmp_path):
    from gongkai_desktop.core import annual_report, attachments

    annual_report.save_sections(db, 2025, {"section1": "总体情况"})
    pdf = tmp_path / "report.pdf"
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(pdf))
    c.drawString(72, 720, "annual report 2025")
    c.save()
    attachments.add(db, "annual_reports", 2025, pdf)
    assert [a["file_name"] for a in attachments.links(db, "annual_reports", 2025)] == ["report.pdf"]
