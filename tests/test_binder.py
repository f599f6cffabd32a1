"""迎检材料汇编 (issue 6 §3): parts add up, one bookmark per item, attachments inside,
page numbers through the binder, cancel leaves nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

from gongkai_desktop import cli
from gongkai_desktop.commands import assessment_io
from gongkai_desktop.core import assessment, assessment_template, unit_records
from gongkai_desktop.core.assessment_totals import totals
from gongkai_desktop.core.errors import Cancelled
from gongkai_desktop.exports import pdf_fonts
from gongkai_desktop.exports.assessment_pdf import render_bytes
from gongkai_desktop.exports.assessment_xlsx import table_from_totals
from gongkai_desktop.exports.binder import Evidence, build_binder

NOTICE = "Notice XJ-2026-07 on the leading group"


def tiny_pdf(pages: int = 2) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A5)  # not A4: stamped on its own size
    for n in range(pages):
        c.drawString(40, 300, f"{NOTICE} p{n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def tiny_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 40, 40)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def table():
    tpl = assessment_template.load("fujian")
    scores = {it.no: it.max for it in tpl.items}
    return table_from_totals(tpl, scores, totals(tpl, scores), unit_name="厦门市人社局", year=2026)


def evidence() -> list[Evidence]:
    return [
        Evidence(1, "file", "领导小组成立通知", file_name="通知.pdf", mime="application/pdf",
                 data=tiny_pdf(2)),
        Evidence(1, "record", "领导小组专题会议", summary=["日期：2026-03-02", "议题：部署工作"]),
        Evidence(39, "file", "推广文件照片", file_name="照片.png", mime="image/png",
                 data=tiny_png()),
        Evidence(40, "file", "损坏的附件", file_name="坏.pdf", mime="application/pdf",
                 data=b"%PDF-1.4 broken"),
    ]  # fmt: skip


def outline_titles(reader: PdfReader) -> list[tuple[str, int]]:
    out = []

    def walk(nodes):
        for n in nodes:
            if isinstance(n, list):
                walk(n)
            else:
                out.append((n.title, reader.get_destination_page_number(n)))

    walk(reader.outline)
    return out


@pytest.fixture(params=["auto", "builtin"])
def fonts_mode(request, monkeypatch):
    monkeypatch.setenv(pdf_fonts.ENV, request.param)
    return request.param


def test_binder_parts_bookmarks_attachments(tmp_path, table, fonts_mode):
    calls = []
    res = build_binder(table, evidence(), tmp_path / "汇编.pdf", today="2026年11月27日",
                       progress=lambda d, n: calls.append((d, n)) or True)  # fmt: skip
    reader = PdfReader(res.path)
    # the page count is the parts added up: cover, contents, table, 45 sections + attachments
    assert len(reader.pages) == res.pages == sum(p.pages for p in res.parts)
    labels = [p.label for p in res.parts]
    assert labels[:3] == ["封面", "目录", "自评打分表"]
    assert res.parts[2].pages == len(PdfReader(io.BytesIO(render_bytes(table))).pages)
    assert sum(lab.endswith("项佐证清单") for lab in labels) == 45
    attached = {p.label: p.pages for p in res.parts[3:] if not p.label.endswith("佐证清单")}
    assert attached == {"领导小组成立通知": 2, "推广文件照片": 1, "损坏的附件": 1}
    # one bookmark per item, pointing at the item's section
    titles = outline_titles(reader)
    items = [(t, p) for t, p in titles if t.split("、")[0].isdigit()]
    assert [int(t.split("、")[0]) for t, _p in items] == list(range(1, 46))
    text = [p.extract_text().replace("\n", "").replace(" ", "") for p in reader.pages]
    for t, page in items:
        assert f"第{t.split('、')[0]}项" in text[page]
    # the attached PDF is inside, right after item 1's list; numbers run through the binder
    p1 = dict(items)[next(t for t, _p in items if t.startswith("1、"))]
    assert "领导小组专题会议" in text[p1] and "议题：部署工作" in text[p1]
    assert NOTICE.replace(" ", "") + "p1" in text[p1 + 1]
    assert NOTICE.replace(" ", "") + "p2" in text[p1 + 2]
    assert all(f"—{n}—" in text[n - 1] for n in range(1, len(text) + 1))
    assert any("坏.pdf" in t and "无法放入汇编" in t for t in text)
    assert calls[-1] == (48, 48) and [d for d, _n in calls] == list(range(1, 49))


def test_cancel_leaves_no_file(tmp_path, table):
    out = tmp_path / "汇编.pdf"
    with pytest.raises(Cancelled):
        build_binder(table, evidence(), out, progress=lambda d, n: d < 10)
    assert list(tmp_path.iterdir()) == []


def test_cli_binder_from_database(tmp_path, db, capsys, monkeypatch):
    registered = cli._subcommands()
    if "binder" not in dict(registered):  # until the lead registers it in cli._subcommands
        monkeypatch.setattr(cli, "_subcommands",
                            lambda: [*registered, ("binder", assessment_io.register)])  # fmt: skip
    aid = assessment.open_assessment(db, 2026)
    assessment.set_score(db, aid, 39, 2)
    rid = unit_records.add_recognition(db, "2026-05-10", "发文推广", "省政务公开办",
                                       "网上办事经验做法", today=date(2026, 6, 1))  # fmt: skip
    assessment.add_record_evidence(db, aid, 39, "recognitions", rid, "省政务公开办推广文件")
    (tmp_path / "通知.pdf").write_bytes(tiny_pdf(1))
    assessment.add_file_evidence(db, aid, 1, tmp_path / "通知.pdf")
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    db.conn.close()
    out = tmp_path / "迎检材料汇编.pdf"
    try:
        code = cli.main(["binder", "--db", path, "--year", "2026", "-o", str(out)])
    except SystemExit as e:
        code = e.code
    printed = capsys.readouterr().out
    assert code == 0 and "45 个评估项目书签" in printed
    reader = PdfReader(out)
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    assert NOTICE.replace(" ", "") + "p1" in text
    assert "省政务公开办推广文件（台账记录）" in text and "名称：网上办事经验做法" in text
    assert f"共{len(reader.pages)}页" in printed.replace(" ", "")
