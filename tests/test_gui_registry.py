"""公开登记 tab: search, filters, SQL sorting, paging, colours, export/import through the worker."""

import threading
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from gongkai_desktop.core import audit, items
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.db import connect, transaction
from gongkai_desktop.core.deadlines import STATE_DUE_SOON, publish_status
from gongkai_desktop.core.errors import UserError
from gongkai_desktop.ui import workers
from gongkai_desktop.ui.registry_model import COL, MAX_CACHED_PAGES, PAGE_SIZE, RED, RegistryModel
from gongkai_desktop.ui.registry_tab import RegistryTab

TODAY = date(2025, 12, 31)  # the day deadlines are measured against


def _due_soon_formed_date(cal: WorkCalendar) -> date:
    d = TODAY
    while publish_status(d, None, TODAY, cal).state != STATE_DUE_SOON:
        d -= timedelta(days=1)
    return d


@pytest.fixture
def sample(db):
    """Five items: two published, one overdue, one due soon, one waiting for 初审."""
    cal = WorkCalendar.from_db(db)
    rows = [
        ("2025年部门预算", "06", date(2025, 3, 10), date(2025, 3, 20), "反馈"),
        ("2024年部门决算", "06", date(2024, 6, 1), date(2024, 6, 10), "已建档"),
        ("关于调整最低工资标准的通知", "03", date(2025, 11, 3), None, "提出"),
        ("社会保险费征缴办法", "11", _due_soon_formed_date(cal), None, "提出"),
        ("预算执行情况公告", "06", date(2025, 12, 30), None, "初审"),
    ]
    ids = {}
    for title, cat, formed, published, stage in rows:
        ids[title] = items.create(
            db,
            {"title": title, "category": cat, "formed_date": formed, "published_date": published},
            stage=stage,
            cal=cal,
        )
    return ids


@pytest.fixture
def tab(qtbot, db):
    t = RegistryTab(db, today=TODAY)
    qtbot.addWidget(t)
    t.resize(1200, 600)
    t.show()
    qtbot.waitExposed(t)
    yield t
    workers.wait_all(20000)
    t.dispose()


def titles(model) -> list[str]:
    return [model.index(r, COL["title"]).data() for r in range(model.rowCount())]


def test_search_two_chinese_characters_filters_after_debounce(qtbot, sample, tab):
    assert tab.count_label.text() == "共 5 条"
    tab.search.setText("预算")
    qtbot.waitUntil(lambda: tab.count_label.text() == "共 2 条")
    assert sorted(titles(tab.model)) == ["2025年部门预算", "预算执行情况公告"]
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 5)


@pytest.mark.parametrize(
    ("combo", "value", "expected"),
    [
        ("year_combo", 2024, ["2024年部门决算"]),
        ("category_combo", "03", ["关于调整最低工资标准的通知"]),
        ("stage_combo", "初审", ["预算执行情况公告"]),
        ("due_combo", "overdue", ["关于调整最低工资标准的通知"]),
        ("due_combo", "soon", ["社会保险费征缴办法"]),
    ],
)
def test_filters(sample, tab, combo, value, expected):
    box = getattr(tab, combo)
    box.setCurrentIndex(box.findData(value))
    assert titles(tab.model) == expected
    assert tab.count_label.text() == f"共 {len(expected)} 条"
    box.setCurrentIndex(0)
    assert tab.model.rowCount() == 5


def test_filter_labels_are_chinese(sample, tab):
    assert tab.year_combo.itemText(0) == "全部年度" and tab.year_combo.findText("2025年") > 0
    assert tab.stage_combo.findText("待初审") > 0 and tab.stage_combo.findText("已建档") > 0
    assert [tab.due_combo.itemText(i) for i in range(3)] == ["全部", "已逾期", "即将到期"]


def test_header_click_sorts_in_sql(qtbot, sample, tab, db):
    statements = []
    db.conn.set_trace_callback(statements.append)
    header = tab.table.horizontalHeader()
    header.sectionClicked.emit(COL["title"])
    assert titles(tab.model) == sorted(sample)
    assert any("ORDER BY title ASC" in s for s in statements)
    header.sectionClicked.emit(COL["title"])
    assert titles(tab.model) == sorted(sample, reverse=True)
    assert header.sortIndicatorSection() == COL["title"]
    # a computed column cannot be sorted: the order stays, the clerk is told why
    with qtbot.waitSignal(tab.message) as msg:
        header.sectionClicked.emit(COL["days_left"])
    assert "不能排序" in msg.args[0]
    assert titles(tab.model) == sorted(sample, reverse=True)
    assert header.sortIndicatorSection() == COL["title"]
    db.conn.set_trace_callback(None)


def test_overdue_row_is_red_and_explains_its_deadline(sample, tab):
    tab.due_combo.setCurrentIndex(tab.due_combo.findData("overdue"))
    m = tab.model
    state = m.index(0, COL["state"])
    assert state.data() == "已逾期"
    assert state.data(Qt.ItemDataRole.ForegroundRole).color() == RED
    tip = m.index(0, COL["due"]).data(Qt.ItemDataRole.ToolTipRole)
    assert "起算日：2025-11-03" in tip and "跳过的非工作日" in tip
    assert int(m.index(0, COL["days_left"]).data()) < 0
    assert m.index(0, COL["stage"]).data() == "待提出"


def test_published_item_shows_date_and_no_days_left(sample, tab):
    tab.year_combo.setCurrentIndex(tab.year_combo.findData(2024))
    m = tab.model
    assert m.index(0, COL["published_date"]).data() == "2024-06-10"
    assert m.index(0, COL["state"]).data() == "按时公开"
    assert m.index(0, COL["days_left"]).data() == ""
    assert m.index(0, COL["state"]).data(Qt.ItemDataRole.ForegroundRole) is None


def _bulk(db, n: int) -> None:
    cal = WorkCalendar.from_db(db)
    with transaction(db):
        for i in range(n):
            items.create(
                db,
                {
                    "title": f"批量事项{i:05d}",
                    "category": "01",
                    "formed_date": date(2025, 1, 1) + timedelta(days=i % 360),
                },
                cal=cal,
            )


def test_model_fetches_only_the_pages_it_shows(qtbot, db):
    _bulk(db, 5000)
    statements = []
    db.conn.set_trace_callback(statements.append)
    t = RegistryTab(db, today=TODAY)
    qtbot.addWidget(t)
    t.resize(1000, 500)
    t.show()
    qtbot.waitExposed(t)
    m = t.model
    assert m.rowCount() == 5000 and t.count_label.text() == "共 5,000 条"
    qtbot.waitUntil(lambda: m.cached_pages() == [0])  # painted: the first page only
    assert m.page_queries == 1
    t.table.scrollToBottom()
    qtbot.waitUntil(lambda: (5000 - 1) // PAGE_SIZE in m.cached_pages())
    assert m.page_queries <= 3  # first page, last page, maybe the one before it
    # every query for rows is a LIMITed page: nothing loads all rows
    row_selects = [s for s in statements if s.lstrip().startswith("SELECT id, index_no")]
    assert row_selects and all("LIMIT 200" in s for s in row_selects)
    # the page cache stays bounded however far the clerk scrolls
    for row in range(0, 5000, PAGE_SIZE):
        m.row(row)
    assert len(m.cached_pages()) == MAX_CACHED_PAGES
    db.conn.set_trace_callback(None)
    t.dispose()


def test_model_constructor_only_counts(db):
    _bulk(db, 300)
    statements = []
    db.conn.set_trace_callback(statements.append)
    m = RegistryModel(db, today=TODAY)
    assert m.rowCount() == 300 and m.page_queries == 0
    assert not any("LIMIT" in s for s in statements)
    assert m.index(0, COL["title"]).data().startswith("批量事项")
    assert m.page_queries == 1
    db.conn.set_trace_callback(None)


def test_delete_asks_and_removes(qtbot, sample, tab, db, monkeypatch):
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes,
    )
    tab.search.setText("最低工资")
    tab.apply_filter()
    tab.select_row(0)
    assert tab.buttons["delete"].isEnabled()
    qtbot.mouseClick(tab.buttons["delete"], Qt.MouseButton.LeftButton)
    assert "最低工资" in asked[0]
    assert tab.model.rowCount() == 0
    gone = sample["关于调整最低工资标准的通知"]
    assert items.get(db, gone) is None
    assert audit.history(db, "items", gone)[-1].action == "delete"


def test_buttons_need_a_selection(sample, tab):
    assert not tab.buttons["edit"].isEnabled() and not tab.buttons["delete"].isEnabled()
    tab.select_row(1)
    assert tab.buttons["edit"].isEnabled() and tab.buttons["step"].isEnabled()
    assert tab.selected_id() == tab.model.item_id(1)


def test_export_button_writes_xlsx_through_the_worker(qtbot, sample, tab, tmp_path, monkeypatch):
    pytest.importorskip("gongkai_desktop.exports.registry_ledger")
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "台账.xlsx"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("2025年", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(tab.buttons["export"], Qt.MouseButton.LeftButton)
    job = tab.job
    assert job is not None
    qtbot.waitUntil(lambda: job.is_done, timeout=30000)
    assert job.error is None and job.result == 4
    assert tab.buttons["export"].isEnabled()
    assert "已导出 2025 年 4 条" in tab.last_message
    wb = openpyxl.load_workbook(out)
    cells = {c.value for row in wb.active.iter_rows() for c in row}
    assert "关于调整最低工资标准的通知" in cells and "2024年部门决算" not in cells


def test_import_runs_in_the_worker_and_refreshes(qtbot, sample, db, tmp_path, monkeypatch):
    ledger = pytest.importorskip("gongkai_desktop.exports.registry_ledger")
    src = tmp_path / "in.xlsx"
    ledger.write_registry_ledger(db, 2025, src, today=TODAY)
    other = connect(tmp_path / "other.db")
    t = RegistryTab(other, today=TODAY)
    qtbot.addWidget(t)
    shown, warned = [], []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    job = t.import_ledger(src)
    qtbot.waitUntil(lambda: job.is_done, timeout=30000)
    assert warned == [] and job.error is None and len(job.result) == 4
    assert t.model.rowCount() == 4 and t.count_label.text() == "共 4 条"
    assert "导入 4 条" in shown[0]
    # the same file again: every row is a duplicate, nothing is imported, the clerk is told
    job = t.import_ledger(src)
    qtbot.waitUntil(lambda: job.is_done, timeout=30000)
    assert job.error and warned and warned[0] == job.error
    assert t.model.rowCount() == 4
    t.dispose()
    other.conn.close()


def test_worker_reports_progress_result_error_and_cancel(qtbot):
    job = workers.run_job(None, lambda progress: progress(1, 2) and 42, label="测试")
    qtbot.waitUntil(lambda: job.is_done)
    assert job.result == 42 and not job.was_cancelled

    def broken(progress):
        raise UserError("文件已损坏，请换一个文件。")

    errors = []
    job = workers.run_job(None, broken, label="测试", on_error=errors.append)
    qtbot.waitUntil(lambda: job.is_done)
    assert errors == ["文件已损坏，请换一个文件。"]

    started = threading.Event()

    def endless(progress):
        started.set()
        while progress(0, 10):
            threading.Event().wait(0.005)
        return "stopped"

    job = workers.run_job(None, endless, label="测试")
    assert started.wait(10)
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        job.cancel()
    assert job.was_cancelled and job.result is None
    assert workers.active_jobs() == []


def test_provisional_deadline_is_marked_in_the_table(db):
    # 2000 has no State Council notice in the calendar data: the deadline is only 推算
    items.create(db, {"title": "旧档案补录", "category": "99", "formed_date": date(1999, 12, 20)})
    m = RegistryModel(db, today=TODAY)
    assert m.index(0, COL["due"]).data().endswith("（推算）")
    assert "【推算】" in m.index(0, COL["due"]).data(Qt.ItemDataRole.ToolTipRole)


def test_double_click_opens_the_item_form_for_that_row(qtbot, sample, tab):
    tab.select_row(2)
    item_id = tab.model.item_id(2)
    tab.table.doubleClicked.emit(tab.model.index(2, COL["title"]))
    qtbot.waitUntil(lambda: tab.item_dialog is not None)
    dlg = tab.item_dialog
    assert dlg.item_id == item_id and dlg.windowTitle() == "修改事项"
    assert dlg.title.text() == items.get(tab.db, item_id)["title"]
    dlg.reject()
    qtbot.waitUntil(lambda: tab.item_dialog is None)
