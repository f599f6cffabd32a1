import pytest

from gongkai_desktop.core import archive, items, meetings
from gongkai_desktop.core.archive_numbers import archive_no
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.errors import ValidationError


def new_item(db, title="2026年部门预算公开", formed="2026-02-10", stage=None):
    data = {"title": title, "doc_no": "厦人社〔2026〕3号", "formed_date": formed,
            "category": "预算决算", "channels": ["门户网站"], "issuer": "厦门市人社局办公室"}  # fmt: skip
    i = items.create(db, data, cal=WorkCalendar())
    if stage:  # test setup: jump to the step
        db.execute("UPDATE items SET stage = ? WHERE id = ?", [stage, i])
    return i


def test_archive_no_follows_da_t_22_with_and_without_org_codes():
    assert archive_no("X001", 2026, "定期30年", 7, "BGS") == "X001-WS·2026-D30-BGS-0007"
    assert archive_no("X001", 2026, "永久", 12) == "X001-WS·2026-Y-0012"
    assert archive_no("X001", 2026, "定期10年", 1) == "X001-WS·2026-D10-0001"
    with pytest.raises(ValidationError, match="保管期限"):
        archive_no("X001", 2026, "长期", 1)


def test_filing_an_item_takes_its_fields_and_pages(db):
    i = new_item(db)
    p = archive.file_record(db, "items", i)
    assert p["archive_no"] == "X001-WS·2026-D30-0001"
    assert (p["title"], p["doc_no"], p["responsible"], p["doc_date"], p["pages"]) == (
        "2026年部门预算公开", "厦人社〔2026〕3号", "厦门市人社局办公室", "2026-02-10", 1)  # fmt: skip
    with pytest.raises(ValidationError, match="已经归档，档号为 X001-WS·2026-D30-0001"):
        archive.file_record(db, "items", i)


def test_org_codes_go_into_the_number_when_used(db):
    archive.save_archive_settings(db, {"use_org_codes": True, "org_codes": ["BGS", "ZCK"]})
    p = archive.file_record(db, "items", new_item(db), retention="永久", org_code="BGS")
    assert p["archive_no"] == "X001-WS·2026-Y-BGS-0001"
    with pytest.raises(ValidationError, match="请选择机构"):
        archive.file_record(db, "items", new_item(db, "x"))
    with pytest.raises(ValidationError, match="不在归档设置的列表中"):
        archive.file_record(db, "items", new_item(db, "y"), org_code="XXX")


def test_own_titles_are_in_brackets(db):
    m = meetings.add_meeting(db, "2026-03-05", "局务会", "", "研究政务公开工作", "张三、李四",
                             "通过年度要点", "纪要")  # fmt: skip
    p = archive.file_record(db, "meetings", m)
    assert p["title"] == "[局务会：研究政务公开工作]"
    assert archive.catalog_rows(db, 2026)[0][5] == "20260305"


def test_file_ready_files_items_at_the_archive_step_only(db):
    ready = new_item(db, "已建档事项", stage="已建档")
    new_item(db, "仍在审核", stage="审核")
    done = archive.file_ready(db, 2026)
    assert [(p["record_id"], p["archive_no"]) for p in done] == [(ready, "X001-WS·2026-D30-0001")]
    assert archive.file_ready(db, 2026) == []


def test_a_number_is_never_reused_even_after_renumbering(db):
    a = archive.file_record(db, "items", new_item(db, "后形成", formed="2026-05-01"))
    b = archive.file_record(db, "items", new_item(db, "先形成", formed="2026-01-05"))
    assert (a["piece_no"], b["piece_no"]) == (1, 2)
    done = archive.renumber(db, 2026, "定期30年")
    assert [(p["title"], p["piece_no"]) for p in done] == [("先形成", 3), ("后形成", 4)]
    c = archive.file_record(db, "items", new_item(db, "新来"))
    assert c["archive_no"] == "X001-WS·2026-D30-0005"


def test_a_box_never_mixes_year_or_retention(db):
    p30 = archive.file_record(db, "items", new_item(db))
    p10 = archive.file_record(db, "items", new_item(db, "x"), retention="定期10年")
    old = archive.file_record(db, "items", new_item(db, "y", formed="2025-06-01"))
    b = archive.create_box(db, 2026, "定期30年", spine_mm=30)
    with pytest.raises(ValidationError, match="保管期限是“定期10年”.*不能混装不同保管期限"):
        archive.put_in_box(db, b["id"], [p30["id"], p10["id"]])
    with pytest.raises(ValidationError, match="年度是“2025”.*不能混装不同年度"):
        archive.put_in_box(db, b["id"], [old["id"]])
    assert archive.pieces(db, box_id=b["id"]) == []  # nothing half-written
    with pytest.raises(ValidationError, match="盒脊厚度"):
        archive.create_box(db, 2026, "定期30年", spine_mm=35)


def test_box_first_last_and_renumber_refused_after_sealing(db):
    ps = [archive.file_record(db, "items", new_item(db, f"事项{n}")) for n in range(3)]
    b = archive.create_box(db, 2026, "定期30年", spine_mm=20)
    with pytest.raises(ValidationError, match="空盒"):
        archive.seal_box(db, b["id"])
    b = archive.put_in_box(db, b["id"], [p["id"] for p in ps])
    assert (b["box_no"], b["first_piece"], b["last_piece"], b["count"]) == (1, 1, 3, 3)
    archive.renumber(db, 2026, "定期30年")  # allowed before sealing
    b = archive.seal_box(db, b["id"], checker="李四", contents_note="共3件")
    assert b["sealed_at"] and b["arranger"] == "张三" and b["checker"] == "李四"
    with pytest.raises(ValidationError, match="已封盒，不能重新编号"):
        archive.renumber(db, 2026, "定期30年")
    extra = archive.file_record(db, "items", new_item(db, "晚到"))
    with pytest.raises(ValidationError, match="已封盒，不能再放入"):
        archive.put_in_box(db, b["id"], [extra["id"]])
    assert archive.create_box(db, 2026, "定期30年")["box_no"] == 2
