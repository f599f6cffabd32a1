"""Issue 7 §4: the font order — chosen font, then system fonts, then STSong-Light."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from gongkai_desktop.core import print_settings
from gongkai_desktop.core.errors import ValidationError
from gongkai_desktop.exports import pdf_fonts

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
TEXT = "政务公开归档文件目录"
needs_wqy = pytest.mark.skipif(not WQY.exists(), reason="WenQuanYi Zen Hei not installed")


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv(pdf_fonts.ENV, raising=False)
    pdf_fonts.set_user_font(None)
    yield
    pdf_fonts.set_user_font(None)


def render(f: pdf_fonts.FontSet) -> str:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i, name in enumerate((f.song, f.fangsong, f.hei, f.kai, f.title)):
        c.setFont(name, 14)
        c.drawString(50, 700 - 30 * i, TEXT)
    c.save()
    return PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text()


@needs_wqy
def test_level1_font_chosen_in_settings_is_used_and_extractable(db, tmp_path):
    chosen = tmp_path / "我的字体.ttc"
    chosen.write_bytes(WQY.read_bytes())  # the "user-chosen" font, not under a system folder
    print_settings.save_font(db, chosen)
    assert pdf_fonts.apply_settings(db) == str(chosen.resolve())
    f = pdf_fonts.fonts()
    assert f.source == "user" and f.embedded
    assert "设置中选择的字体" in pdf_fonts.describe() and chosen.name in pdf_fonts.describe()
    assert render(f).count(TEXT) == 5


def test_level2_system_fonts_when_nothing_chosen():
    f = pdf_fonts.fonts()
    if f.source == "builtin":
        pytest.skip("no Chinese TrueType font on this machine")
    assert f.source == "system" and "STSong" not in pdf_fonts.describe()
    assert render(f).count(TEXT) == 5


def test_level3_builtin_always_works():
    f = pdf_fonts.fonts("builtin", user_font=str(WQY))  # builtin wins over any choice
    assert f.source == "builtin" and "STSong-Light" in f.describe()
    assert render(f).count(TEXT) == 5


def test_unusable_chosen_font_falls_through_and_says_so(tmp_path):
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(b"not a font")
    f = pdf_fonts.fonts(user_font=str(bad))
    assert f.source in ("system", "builtin")
    assert "broken.ttf" in pdf_fonts.describe(str(bad)) and "无法使用" in pdf_fonts.describe(
        str(bad)
    )
    assert render(f).count(TEXT) == 5


def test_settings_refuse_a_missing_or_non_truetype_file_and_keep_the_old_choice(db, tmp_path):
    otf = tmp_path / "NotoSansCJK.otf"
    otf.write_bytes(b"OTTO")
    with pytest.raises(ValidationError, match="TrueType"):
        print_settings.save_font(db, otf)
    with pytest.raises(ValidationError, match="找不到字体文件"):
        print_settings.save_font(db, tmp_path / "nowhere.ttf")
    assert print_settings.font_path(db) == ""
    print_settings.save_font(db, "")  # back to automatic
    assert print_settings.font_path(db) == ""
    rows = db.execute("SELECT tbl, row_id FROM audit WHERE row_id = 'pdf_font'").fetchall()
    assert rows
