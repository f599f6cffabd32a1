"""套打 (issue 7 §3): values only, at the layout's position plus the saved printer offset."""

import io

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from gongkai_desktop.core import print_settings
from gongkai_desktop.core.errors import UserError, ValidationError
from gongkai_desktop.exports import overprint, pdf_fonts

BOX = {"year": 2026, "retention": "定期30年", "box_no": 3, "first_piece_no": 7,
       "last_piece_no": 42, "org_code": "", "contents_note": "本盒共36件，无缺损。",
       "arranger": "张三", "arranged_date": "2026-12-20", "checker": "李四",
       "checked_date": "2026-12-22"}  # fmt: skip
META = {"fonds_no": "X001", "fonds_name": "厦门市人力资源和社会保障局"}


def placed(pdf: bytes, page: int = 0) -> dict[str, tuple[float, float]]:
    """Text -> (x, y) in mm from the sheet's top-left corner, as the printer would put it."""
    reader = PdfReader(io.BytesIO(pdf))
    h = float(reader.pages[page].mediabox.height)
    out = {}

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            out[text.strip()] = (round(x / mm, 2), round((h - y) / mm, 2))

    reader.pages[page].extract_text(visitor_text=visit)
    return out


def field(form: str, key: str) -> dict:
    return next(f for f in overprint.load_layout(form)["fields"] if f["key"] == key)


@pytest.mark.parametrize("form", ["box_cover", "spine", "note_sheet"])
def test_every_form_layout_loads_and_fits_a4(form):
    layout = overprint.load_layout(form)
    assert layout["page_mm"] == [210, 297] and layout["fields"]


def test_box_cover_field_lands_at_layout_plus_saved_offset(db):
    print_settings.save_offset(db, "HP LaserJet", 1.5, -2)
    off = print_settings.offset(db, "HP LaserJet")
    assert off == (1.5, -2.0) and print_settings.offset(db, "其他打印机") == (0.0, 0.0)
    pdf = overprint.overprint_bytes("box_cover", [overprint.box_values(BOX, META)], offset=off)
    pos = placed(pdf)
    f = field("box_cover", "box_no")
    assert pos["3"] == pytest.approx((f["x_mm"] + 1.5, f["y_mm"] - 2), abs=0.05)
    f = field("box_cover", "piece_range")
    assert pos["0007 至 0042"] == pytest.approx((f["x_mm"] + 1.5, f["y_mm"] - 2), abs=0.05)


def test_only_values_are_printed_no_captions(db):
    pdf = overprint.overprint_bytes("note_sheet", [overprint.box_values(BOX, META)])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "张三" in text and "李四" in text and "2026-12-22" in text
    assert "整理人" not in text and "备考表" not in text  # the form already carries them
    f = field("note_sheet", "checker")
    assert placed(pdf)["李四"] == pytest.approx((f["x_mm"], f["y_mm"]), abs=0.05)


def test_batch_spines_one_page_per_box_and_print_at_100_percent(tmp_path):
    boxes = [BOX, BOX | {"box_no": 4, "first_piece_no": 43, "last_piece_no": 60}]
    out = overprint.overprint_boxes_pdf("spine", boxes, META, tmp_path / "s.pdf", offset=(0, 3))
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/PrintScaling"] == "/None"
    f = field("spine", "last_piece")  # centred on its anchor
    half = stringWidth("0060", pdf_fonts.fonts().fangsong, f["size"]) / 2 / mm
    assert placed(out.read_bytes(), 1)["0060"] == pytest.approx(
        (f["x_mm"] - half, f["y_mm"] + 3), abs=0.05
    )


def test_calibration_crosshair_labels_at_their_marks_shifted_by_offset():
    pdf = overprint.calibration_bytes(offset=(2, 1))
    pos = placed(pdf)
    for x, y in overprint.CALIBRATION_MARKS:
        # the label sits 1.5 mm right of and 1.5 mm above the crosshair centre
        assert pos[f"({x:g}, {y:g})"] == pytest.approx((x + 2 + 1.5, y + 1 - 1.5), abs=0.05)
    assert "100%" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_bad_offsets_are_refused_and_nothing_saved(db):
    with pytest.raises(ValidationError, match="不是数字"):
        print_settings.save_offset(db, "", "abc", 0)
    with pytest.raises(ValidationError, match="太大"):
        print_settings.save_offset(db, "", 0, 45)
    assert print_settings.offsets(db) == {}
    with pytest.raises(UserError, match="套打版式"):
        overprint.load_layout("volume")
