"""No .xlsx the app writes contains a cell that acts as a formula (issue 9: "Exports never
write cells that act as formulas, a check shared by every export"): every workbook is
built through exports/xlsx_safety, checked here on the demo database, clean and with
formula-like text planted in every free-text column."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai_desktop.core.db import connect
from gongkai_desktop.core.demo import build_demo
from gongkai_desktop.exports import export_centre as E
from gongkai_desktop.exports.xlsx_safety import guard_workbook, is_risky

TODAY = date(2026, 11, 20)
EXPORTS = Path(__file__).resolve().parent.parent / "gongkai_desktop" / "exports"
# Columns a clerk types or an import fills, per table: each gets a formula-like prefix.
FREE_TEXT = {
    "items": ("title", "doc_no", "issuer", "keywords", "url"),
    "applications": ("applicant_name", "content", "extension_approver", "result_reason"),
    "app_pauses": ("party", "outcome"),
    "complaints": ("person", "contact", "content", "handler", "reply_content"),
    "meetings": ("subject", "attendees", "decisions", "minutes"),
    "patrols": ("who", "target", "checked", "findings"),
    "key_inspections": ("team", "scope", "findings", "conclusion"),
    "self_inspections": ("findings",),
    "rectifications": ("problem", "responsible", "measure", "evidence"),
    "archive_pieces": ("title", "doc_no", "responsible", "note"),
    "assessment_scores": ("note",),
    "annual_reports": ("section1", "section5", "section6"),
    "categories": ("name",),
}
PREFIXES = ('=HYPERLINK("http://x","点我")&', "+1+", "-2+", "@SUM(1)")


def _poison(db_path: Path) -> int:
    db = connect(db_path)
    n = 0
    with db.conn:
        for k, (table, cols) in enumerate(FREE_TEXT.items()):
            for j, col in enumerate(cols):
                pre = PREFIXES[(k + j) % len(PREFIXES)]
                n += db.execute(
                    f"UPDATE {table} SET {col} = ? || {col} WHERE {col} IS NOT NULL AND {col} != ''",
                    [pre],
                ).rowcount
    db.conn.close()
    return n


def _export_every_xlsx(db_path: Path, out: Path) -> list[Path]:
    kinds = [k.key for k in E.CATALOGUE if "xlsx" in k.formats]
    period = E.Period.year(TODAY.year)
    planned = E.plan(kinds, {k: ["xlsx"] for k in kinds}, period)
    return E.run(db_path, planned, out, period=period, today=TODAY, unmask=True).files


def _acting_cells(path: Path) -> list[str]:
    bad = []
    wb = load_workbook(path)  # formulas kept: data_type "f" would show
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if c.data_type == "f" or (
                    isinstance(v, str) and v and is_risky(v) and not c.quotePrefix
                ):
                    bad.append(f"{path.name}!{ws.title}!{c.coordinate}={v!r}")
    return bad


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, today=TODAY)
    return path


@pytest.mark.parametrize("planted", [False, True], ids=["demo", "formula-text-planted"])
def test_no_exported_cell_acts_as_a_formula(demo, tmp_path, planted):
    db_path = tmp_path / "d.db"
    db_path.write_bytes(demo.read_bytes())
    if planted:
        assert _poison(db_path) > 500
    files = _export_every_xlsx(db_path, tmp_path)
    assert len(files) == 9  # six ledgers, annual report, assessment, archive catalogue
    bad = [b for f in files for b in _acting_cells(f)]
    assert bad == []
    if planted:  # the planted text is there, shown as typed
        quoted = 0
        for f in files:
            for ws in load_workbook(f).worksheets:
                quoted += sum(1 for r in ws.iter_rows() for c in r if c.quotePrefix)
        assert quoted > 500


def test_every_workbook_in_exports_goes_through_the_shared_check():
    """A normal-mode Workbook() must call guard_workbook before saving; the streaming
    ledgers (write-only) go through xlsx_ledger, which applies is_risky to every column."""
    offenders = []
    for f in sorted(EXPORTS.glob("*.py")):
        tree = ast.parse(f.read_text("utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        names = {getattr(c.func, "id", getattr(c.func, "attr", "")) for c in calls}
        for c in calls:
            if getattr(c.func, "id", None) != "Workbook":
                continue
            write_only = any(k.arg == "write_only" for k in c.keywords)
            if write_only and f.name != "xlsx_ledger.py":
                offenders.append(f"{f.name}: write-only workbook outside xlsx_ledger")
            if not write_only and "guard_workbook" not in names:
                offenders.append(f"{f.name}: Workbook() without guard_workbook")
    assert offenders == []


def test_guard_workbook_quotes_text_and_formulas():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"], ws["A4"], ws["A5"] = "=1+1", "-3", "#N/A", "#标签", 12
    assert ws["A1"].data_type == "f"
    assert guard_workbook(wb) == 3
    assert [ws[f"A{i}"].data_type for i in range(1, 6)] == ["s", "s", "s", "s", "n"]
    assert [ws[f"A{i}"].quotePrefix for i in range(1, 5)] == [True, True, True, False]
