"""Hostile and broken spreadsheets (issue 9): each gives a Chinese report naming what is
wrong and how to fix it, and the database is left exactly as it was."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from gongkai_desktop.core import assessment_template, items, xlsx_guard
from gongkai_desktop.core.errors import ValidationError
from gongkai_desktop.exports.applications_ledger import import_applications_ledger
from gongkai_desktop.exports.registry_ledger import import_registry_ledger, write_registry_ledger

TODAY = date(2026, 6, 1)
HEAD = ["信息名称", "文号", "生成日期", "公开日期", "主题分类", "公开方式", "当前环节"]
GOOD = ["2026年部门预算公开", "厦人社〔2026〕1号", "2026-02-10", "2026-02-20", "财务人事",
        "门户网站", "待反馈"]  # fmt: skip


def sheet(path: Path, rows, head=HEAD) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def state(db) -> tuple:
    """Everything an import could touch: items, steps, applications and the audit log."""
    q = "SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM item_steps)," \
        " (SELECT count(*) FROM applications), (SELECT count(*) FROM audit)"  # fmt: skip
    return db.execute(q).fetchone()


def refused(db, path: Path, *patterns: str) -> str:
    before = state(db)
    with pytest.raises(ValidationError) as e:
        import_registry_ledger(db, path, today=TODAY)
    msg = str(e.value)
    for p in patterns:
        assert re.search(p, msg), (p, msg)
    assert "Traceback" not in msg and "\n" not in msg
    assert state(db) == before
    return msg


def test_a_good_sheet_imports(db, tmp_path):
    assert len(import_registry_ledger(db, sheet(tmp_path / "好.xlsx", [GOOD]), today=TODAY)) == 1


# -- the file itself ---------------------------------------------------------------------


def test_corrupt_zip(db, tmp_path):
    good = sheet(tmp_path / "好.xlsx", [GOOD])
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    refused(db, cut, "截断.xlsx", "已损坏", "重新复制")


@pytest.mark.parametrize(
    "content, says",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel 97-2003"),
        (b"%PDF-1.4\n1 0 obj\n", "其他类型的文件"),
        ("序号,信息名称\n1,通知\n".encode("gbk"), "其他类型的文件"),
        (b"", "空的"),
    ],
    ids=["xls", "pdf", "csv", "empty"],
)
def test_other_files_renamed_xlsx(db, tmp_path, content, says):
    p = tmp_path / "改名.xlsx"
    p.write_bytes(content)
    refused(db, p, "改名.xlsx", "不是有效的 Excel 工作簿", says, "另存为")


def test_a_word_document_renamed_xlsx(db, tmp_path):
    p = tmp_path / "文档.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    refused(db, p, "Word 文档")


def _with_dimension(src: Path, dst: Path, ref: str) -> Path:
    """Copy *src* with the first sheet's declared dimension replaced by *ref*."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            zout.writestr(info, data)
    return dst


def test_a_huge_sheet_is_refused_before_any_row_is_read(db, tmp_path, monkeypatch):
    big = _with_dimension(sheet(tmp_path / "好.xlsx", [GOOD]), tmp_path / "大表.xlsx", "A1:G250000")

    def no_reading(*a, **k):
        raise AssertionError("rows were read before the size check")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", no_reading)
    refused(db, big, "250,000 行", "200,000 行", "拆分")


def test_a_sheet_that_understates_its_size_is_still_counted(db, tmp_path):
    """A dimension of A1:G2 but a row numbered 200,005: refused while streaming."""
    src = sheet(tmp_path / "好.xlsx", [GOOD])
    dst = tmp_path / "谎报.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                far = b'<row r="200005"><c r="A200005" t="inlineStr"><is><t>x</t></is></c></row>'
                data = data.replace(b"</sheetData>", far + b"</sheetData>")
            zout.writestr(info, data)
    refused(db, dst, "超过 200,000 行（第 200,001 行仍有内容）", "拆分")


def test_a_zip_bomb_is_refused(db, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MAX_UNPACKED", 2**20)  # 1 MB here, 1 GB in the app
    p = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (xlsx_guard.MAX_UNPACKED + 1))
    refused(db, p, "解压后超过")


# -- the cells ---------------------------------------------------------------------------


def test_formulas_are_refused_and_named(db, tmp_path):
    rows = [GOOD, ['=A2&"（修订）"', *GOOD[1:]], [*GOOD[:2], "=TODAY()", *GOOD[3:]]]
    msg = refused(db, sheet(tmp_path / "公式.xlsx", rows), "2 处问题",
                  "第3行 A列（信息名称）是公式", "第4行 C列（生成日期）是公式“=TODAY\\(\\)”",
                  "选择性粘贴→数值", "数据库没有任何改动")  # fmt: skip
    assert "第2行" not in msg


def test_quoted_formula_like_text_from_our_own_export_round_trips(db, tmp_path):
    items.create(db, {"title": "=1+1 与 -2 的说明", "formed_date": "2026-03-02",
                      "category": "财务人事", "keywords": "@提醒"}, today=TODAY)  # fmt: skip
    out = tmp_path / "导出.xlsx"
    write_registry_ledger(db, 2026, out, today=TODAY)
    cell = load_workbook(out).active["C3"]
    assert cell.data_type == "s" and cell.quotePrefix
    db.execute("DELETE FROM items")
    [new] = import_registry_ledger(db, out, today=TODAY)
    assert items.get(db, new)["title"] == "=1+1 与 -2 的说明"


def test_extremely_long_text(db, tmp_path):
    rows = [[("很长的标题" * 101), *GOOD[1:]], [*GOOD[:1], "号" * 40_000, *GOOD[2:]]]
    refused(db, sheet(tmp_path / "长.xlsx", rows),
            "第2行 A列（信息名称）的文字有 505 个字，超过该列上限 500 字",
            "第3行 B列（文号）的文字有 [0-9,]+ 个字，超过该列上限 100 字", "请删减")  # fmt: skip


@pytest.mark.parametrize(
    "head, row, says",
    [
        (["标题", "日期"], ["通知", "2026-01-01"], "找不到台账的表头"),
        (["信息名称", "文号"], ["通知", "1号"], "表头缺少“生成日期”、“主题分类”列"),
        (HEAD, [*GOOD[:2], "2026-13-45", *GOOD[3:]], "第3行“生成日期”：“2026-13-45”不是有效日期"),
        (HEAD, [*GOOD[:2], "去年春天", *GOOD[3:]], "“去年春天”不是有效日期"),
        (HEAD, [*GOOD[:4], "外星分类", *GOOD[5:]], "“外星分类”不在分类表中"),
        (HEAD, [*GOOD[:6], "飞走了"], "“飞走了”无法识别"),
    ],
    ids=["no-header", "missing-columns", "impossible-date", "words-as-date", "unknown-category",
         "unknown-stage"],
)  # fmt: skip
def test_wrong_headers_bad_dates_unknown_labels(db, tmp_path, head, row, says):
    refused(db, sheet(tmp_path / "错.xlsx", [GOOD, row], head=head), says)


def test_one_bad_row_among_many_imports_nothing(db, tmp_path):
    rows = [[f"事项{i}", f"厦人社〔2026〕{i}号", *GOOD[2:]] for i in range(300)]
    rows[250][2] = "=DATE(2026,1,1)"
    refused(db, sheet(tmp_path / "多.xlsx", rows), "第252行 C列")


def test_applications_import_refuses_formulas_too(db, tmp_path):
    head = ["收到日期", "申请人类型", "申请人", "申请方式", "申请内容"]
    p = sheet(tmp_path / "申请.xlsx", [["2026-03-02", "公民", "=HYPERLINK(\"x\")", "当面", "x"]],
              head=head)  # fmt: skip
    before = state(db)
    with pytest.raises(ValidationError, match="第2行 C列（申请人）是公式"):
        import_applications_ledger(db, p, today=TODAY)
    assert state(db) == before


# -- the assessment template (.xlsx laid out like the seed's table) ---------------------


def _templates(db) -> int:
    return db.execute("SELECT count(*) FROM assessment_templates").fetchone()[0]


def test_assessment_template_refuses_formulas_and_foreign_files(db, tmp_path):
    p = sheet(tmp_path / "评估表.xlsx", [["一、组织（10分）", "1、成立领导小组", "=5*2"]],
              head=["项目", "评估考核内容", "分值"])  # fmt: skip
    with pytest.raises(ValidationError, match="第2行 C列是公式“=5\\*2”"):
        assessment_template.import_xlsx(db, p)
    fake = tmp_path / "假.xlsx"
    fake.write_bytes(b"not a workbook")
    with pytest.raises(ValidationError, match="不是有效的 Excel 工作簿"):
        assessment_template.import_xlsx(db, fake)
    big = _with_dimension(p, tmp_path / "大.xlsx", "A1:C5000")
    with pytest.raises(ValidationError, match="上限 2,000 行"):
        assessment_template.import_xlsx(db, big)
    assert _templates(db) == 0
