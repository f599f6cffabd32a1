"""依申请公开 tab, wizard, 办理 dialog, 文书, fee calculator and ledger import report (pytest-qt)."""

import tempfile
from datetime import date

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QPushButton, QWizard
from support import click, qd, shown_main_window, type_text

from gongkai_desktop.core import applications
from gongkai_desktop.core.db import connect
from gongkai_desktop.ui import letters_dialog, signals, workers
from gongkai_desktop.ui.application_wizard import PAGE_CHANNEL, PAGE_REQUEST, PAGE_SUMMARY
from gongkai_desktop.ui.applications_model import COL, RED_BG
from gongkai_desktop.ui.fee_dialog import FeeDialog
from gongkai_desktop.ui.letters_dialog import LettersDialog

TODAY = date(2026, 3, 20)


def intake(**over) -> dict:
    data = {
        "applicant_type": "自然人",
        "applicant_name": "王五",
        "phone": "13800000000",
        "channel": "当面",
        "received_date": "2026-03-02",
        "content": "2025年度社会保险基金收支情况",
    }
    return data | over


@pytest.fixture
def window(qtbot, db, tmp_path):
    w = shown_main_window(qtbot, db, tmp_path, TODAY)
    yield w
    workers.wait_all(20000)
    if w.applications is not None:
        w.applications.dispose()
    if w.registry is not None:
        w.registry.dispose()


# -- intake → supplement → extension → answer ---------------------------------------------


def test_wizard_intake_then_supplement_extension_answer(qtbot, window, db, monkeypatch, tmp_path):
    tabs = window.tabs
    assert [tabs.tabText(i) for i in range(1, 3)] == ["公开登记", "依申请公开"]  # after 工作台
    tab = window.applications
    qtbot.keyClick(
        window,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: tab.wizard is not None and tab.wizard.wizard.isVisible())
    wiz = tab.wizard
    w = wiz.wizard
    nxt = w.button(QWizard.WizardButton.NextButton)

    # page 1: applicant; without a name core's message stays on the page
    click(qtbot, nxt)
    assert w.currentId() == 0 and "申请人姓名" in wiz.applicant.error.text()
    type_text(qtbot, wiz.applicant.name, "王五")
    type_text(qtbot, wiz.applicant.phone, "13800000000")
    type_text(qtbot, wiz.applicant.address, "厦门市思明区湖滨南路1号")
    assert wiz.applicant.id_type.currentText() == "居民身份证"
    click(qtbot, nxt)

    # page 2: 平信 needs the confirmation date, which becomes the receipt date (art. 31)
    assert w.currentId() == PAGE_CHANNEL
    ch = wiz.channel
    ch.channel.setCurrentText("平信")
    assert "确认之日为收到申请之日" in ch.rule.text()
    assert ch.confirmed.isVisible() and ch.submitted_label.text() == "收到信件日期："
    ch.submitted.setDate(qd("2026-02-09"))
    ch.confirmed.setDate(qd("2026-02-10"))
    assert "2026-02-10（周二）" in ch.received.text()
    assert "2026-03-16" in ch.preview.text()  # Spring Festival skipped (RULES §1 example)
    assert "晚了 1 天" in ch.preview.text()
    click(qtbot, nxt)

    # page 3: the request; committing saves and numbers it
    assert w.currentId() == PAGE_REQUEST
    type_text(qtbot, wiz.request.content, "2025年度社会保险基金收支情况")
    click(qtbot, w.button(QWizard.WizardButton.CommitButton))
    assert w.currentId() == PAGE_SUMMARY
    app_id = wiz.app_id
    app = applications.get(db, app_id)
    assert (app["app_no"], app["channel"], app["submitted_date"], app["received_date"]) == (
        "2026-0001",
        "平信",
        "2026-02-09",
        "2026-02-10",
    )
    s = wiz.summary
    assert s.app_no.text() == "申请编号：2026-0001"
    assert "2026-03-16（周一）" in s.due.text()
    assert "2026-02-26" in s.notice.text()  # 7 working days for the supplement notice
    assert "跳过的非工作日" in s.explain.toPlainText()
    assert tab.model.rowCount() == 1  # the list heard the change notice

    # 登记回执: made in the background, kept with the application, opened for printing
    opened = []
    monkeypatch.setattr(letters_dialog, "open_url", lambda url: opened.append(url.toLocalFile()))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    job = s.make_receipt()
    assert job.wait(30000) and job.error is None
    assert [x["kind"] for x in applications.letters(db, app_id)] == ["receipt"]
    assert (
        len(opened) == 1
        and opened[0].endswith(".pdf")
        and "依申〔2026〕1号" in s.receipt_status.text()
    )

    # on to 办理
    click(qtbot, s.handle_button)
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    dlg = tab.dialog
    panel = dlg.clock_panel
    assert "2026-03-16" in panel.due.text()

    # 补正: request → clock stops
    sup = dlg.tabs["补正"]
    dlg.show_tab("补正")
    sup.request_date.setDate(qd("2026-02-12"))
    type_text(qtbot, sup.items, "请写明所需信息的年份和险种")
    click(qtbot, sup.w(QPushButton, "requestButton"))
    assert dlg.error.text() == "" and "补正告知" in dlg.done_label.text()
    assert applications.get(db, app_id)["state"] == "补正中"
    assert panel.due.text() == "答复期限：收到补正材料后重新计算"
    assert panel.state.text() == "待补正"
    assert not dlg.tabs["答复"].button.isEnabled()  # nothing can be answered meanwhile

    # receive: the clock restarts from that day (条例第三十条)
    sup.receive_date.setDate(qd("2026-02-26"))
    click(qtbot, sup.w(QPushButton, "receiveButton"))
    assert "2026-03-25（周三）" in panel.due.text()
    assert "收到补正：2026-02-26" in panel.explain.toPlainText()

    # 延期: a missing approver is core's message, and the typed values stay
    ext = dlg.tabs["延期"]
    dlg.show_tab("延期")
    ext.days.setValue(10)
    ext.approve_date.setDate(qd("2026-03-10"))
    ext.notified_date.setDate(qd("2026-03-10"))
    assert "2026-04-09" in ext.preview.text()
    click(qtbot, ext.w(QPushButton, "extendButton"))
    assert "批准延期" in dlg.error.text() and ext.days.value() == 10
    assert applications.get(db, app_id)["extension_days"] == 0
    type_text(qtbot, ext.approver, "黄晓峰")
    click(qtbot, ext.w(QPushButton, "extendButton"))
    assert dlg.error.text() == ""
    app = applications.get(db, app_id)
    assert (app["state"], app["extension_days"], app["extension_approver"]) == (
        "已延期",
        10,
        "黄晓峰",
    )
    assert "2026-04-09（周四）" in panel.due.text() and panel.state.text() == "已延期"
    row = 0
    assert tab.model.app_id(row) == app_id
    assert tab.model.index(row, COL["state"]).data() == "已延期"
    assert tab.model.index(row, COL["state"]).data(Qt.ItemDataRole.BackgroundRole) is None

    # 答复: type 3 offers 不予公开 with its reasons
    ans = dlg.tabs["答复"]
    dlg.show_tab("答复")
    ans.type.setCurrentIndex(ans.type.findData(3))
    assert "不予公开并说明理由" in ans.type_text.text()
    ans.result.setCurrentText("不予公开")
    reasons = [ans.reason.itemText(i) for i in range(ans.reason.count())]
    assert len(reasons) == 8 and reasons[0] == "属于国家秘密"
    ans.reason.setCurrentText("属于国家秘密")
    ans.answer_date.setDate(qd("2026-03-20"))
    assert "按时答复" in ans.timely.text()
    type_text(qtbot, ans.text, "所申请信息属于国家秘密，不予公开。")
    click(qtbot, ans.button)
    assert dlg.error.text() == ""
    app = applications.get(db, app_id)
    assert (app["state"], app["answer_type"], app["result"], app["result_reason"]) == (
        "已办结",
        3,
        "不予公开",
        "属于国家秘密",
    )
    assert app["answer_date"] == "2026-03-20" and app["closed_date"] == "2026-03-20"
    assert panel.state.text() == "已办结（按时答复）"
    steps = [e["step"] for e in applications.events(db, app_id)]
    assert steps == ["登记", "生成文书", "补正告知", "收到补正", "延期", "答复"]
    assert all(e["who"] == "张三" for e in applications.events(db, app_id))
    history = [dlg.history.item(i).text() for i in range(dlg.history.count())]
    assert len(history) == 6 and "不予公开/属于国家秘密" in history[-1]
    assert tab.model.index(row, COL["result"]).data() == "不予公开/属于国家秘密"
    assert tab.model.index(row, COL["state"]).data() == "已办结"
    dlg.close()


# -- the list ------------------------------------------------------------------------------


@pytest.fixture
def sample(db):
    """Five applications: open, due soon, overdue, extended, paused for a consultation."""
    cal = None
    ids = {}
    ids["open"] = applications.create(
        db, intake(applicant_name="李四", received_date="2026-03-16"), today=TODAY
    )
    ids["soon"] = applications.create(
        db,
        intake(
            applicant_name="厦门鹭海信息科技有限公司",
            applicant_type="商业企业",
            received_date="2026-02-25",
            content="企业稳岗返还名单",
        ),
        today=TODAY,
    )
    ids["overdue"] = applications.create(
        db,
        intake(applicant_name="陈秀英", received_date="2026-01-05", content="最低工资标准"),
        today=TODAY,
    )
    ids["extended"] = applications.create(
        db, intake(applicant_name="赵六", received_date="2026-02-02"), today=TODAY
    )
    applications.extend(
        db, ids["extended"], 20, "黄晓峰", "2026-02-27", "2026-02-27", "张三", today=TODAY
    )
    ids["paused"] = applications.create(
        db, intake(applicant_name="孙七", received_date="2026-01-06"), today=TODAY
    )
    applications.start_consultation(
        db,
        ids["paused"],
        "第三方",
        "厦门海联电子有限公司",
        "2026-01-20",
        "张三",
        today=TODAY,
        cal=cal,
    )
    ids["answered"] = applications.create(
        db, intake(applicant_name="周八", received_date="2025-12-01"), today=TODAY
    )
    applications.answer(
        db,
        ids["answered"],
        answer_type=1,
        result="予以公开",
        answer_date="2025-12-10",
        who="张三",
        today=TODAY,
    )
    return ids


def _states(tab) -> dict[str, str]:
    m = tab.model
    return {
        m.index(r, COL["applicant_name"]).data(): m.index(r, COL["state"]).data()
        for r in range(m.rowCount())
    }


def test_list_states_colours_and_tooltips(qtbot, sample, window):
    tab = window.applications
    states = _states(tab)
    assert states["李四"] == "办理中"
    assert states["厦门鹭海信息科技有限公司"] == "即将到期"
    assert states["陈秀英"] == "已逾期"
    assert states["赵六"] == "已延期"
    assert states["孙七"] == "征求意见中（暂停计时）"  # past its due date, but paused
    m = tab.model
    rows = {m.index(r, COL["applicant_name"]).data(): r for r in range(m.rowCount())}
    bg = Qt.ItemDataRole.BackgroundRole
    assert m.index(rows["陈秀英"], COL["app_no"]).data(bg).color() == RED_BG
    assert m.index(rows["陈秀英"], COL["days_left"]).data().startswith("逾期")
    assert m.index(rows["赵六"], COL["state"]).data(bg) is None
    assert m.index(rows["孙七"], COL["state"]).data(bg) is None
    assert m.index(rows["孙七"], COL["days_left"]).data() == ""
    tip = m.index(rows["陈秀英"], COL["due"]).data(Qt.ItemDataRole.ToolTipRole)
    assert "收到申请：2026-01-05" in tip and "答复期限：2026-02-02" in tip
    assert window.applications.indicator.counts == (1, 1)
    assert "即将到期 1 件" in tab.indicator.text() and "已逾期 1 件" in tab.indicator.text()


def test_filters_and_search(qtbot, sample, window):
    tab = window.applications
    assert tab.model.rowCount() == 6 and tab.count_label.text() == "共 6 件"
    tab.due_combo.setCurrentIndex(tab.due_combo.findData("overdue"))
    assert list(_states(tab)) == ["陈秀英"]
    tab.due_combo.setCurrentIndex(tab.due_combo.findData("soon"))
    assert list(_states(tab)) == ["厦门鹭海信息科技有限公司"]
    tab.due_combo.setCurrentIndex(0)
    tab.state_combo.setCurrentIndex(tab.state_combo.findData("征求意见中"))
    assert list(_states(tab)) == ["孙七"]
    tab.state_combo.setCurrentIndex(0)
    tab.result_combo.setCurrentIndex(tab.result_combo.findData("予以公开"))
    assert list(_states(tab)) == ["周八"]
    tab.result_combo.setCurrentIndex(0)
    tab.year_combo.setCurrentIndex(tab.year_combo.findData(2025))
    assert list(_states(tab)) == ["周八"]
    tab.year_combo.setCurrentIndex(0)
    # search: debounced, over applicant, number and content
    type_text(qtbot, tab.search, "稳岗")
    assert tab.model.rowCount() == 6  # not yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: list(_states(tab)) == ["厦门鹭海信息科技有限公司"])
    tab.search.clear()
    type_text(qtbot, tab.search, "2026-0003")
    qtbot.waitUntil(lambda: list(_states(tab)) == ["陈秀英"])
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6)
    # the status-bar link shows the overdue ones
    window.tabs.setCurrentIndex(0)
    tab.indicator.linkActivated.emit("overdue")
    assert list(_states(tab)) == ["陈秀英"] and tab.due_combo.currentData() == "overdue"
    assert window.tabs.currentWidget() is tab


def test_delete_asks_and_removes(qtbot, db, sample, window, monkeypatch):
    tab = window.applications
    tab.search.setText("陈秀英")
    tab.apply_filter()
    tab.select_row(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.delete_selected()
    assert applications.get(db, sample["overdue"]) is None
    assert tab.model.rowCount() == 0 and tab.indicator.counts == (1, 0)


def test_switching_database_rebuilds_the_tab(qtbot, tmp_path, sample, window):
    old = window.applications
    other = connect(tmp_path / "other.db")
    window.set_database(other, tmp_path / "other.db")
    assert window.applications is not old and window.applications.model.rowCount() == 0
    assert old._disposed and window.tabs.indexOf(old) == -1
    assert window.tabs.tabText(2) == "依申请公开"
    signals.notify(signals.APPLICATIONS)  # the old tab no longer listens (its db is closed)
    assert window.applications.indicator.counts == (0, 0)


# -- 文书, fee calculator, import report ----------------------------------------------------


def test_letter_generated_in_background_stored_and_opened(qtbot, db, monkeypatch, tmp_path):
    app_id = applications.create(db, intake(), today=TODAY)
    opened = []
    monkeypatch.setattr(letters_dialog, "open_url", lambda url: opened.append(url.toLocalFile()))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dlg = LettersDialog(db, app_id, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    kinds = [dlg.kind.itemText(i) for i in range(dlg.kind.count())]
    assert kinds[0] == "登记回执" and "补正告知书（尚未发出补正告知）" in kinds
    job = dlg.generate("receipt")
    assert job is not None and job.wait(30000) and job.error is None
    stored = applications.letters(db, app_id)
    assert [(x["kind"], x["doc_no"]) for x in stored] == [("receipt", "依申〔2026〕1号")]
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 1).text() == "依申〔2026〕1号"
    assert "已生成" in dlg.status.text()
    path = dlg.open_selected()
    assert opened == [str(path)] and path.read_bytes().startswith(b"%PDF")
    assert path.is_relative_to(tmp_path)
    out = dlg.save_selected(tmp_path / "回执")
    assert out.name == "回执.pdf" and out.read_bytes() == applications.letter_pdf(
        db, stored[0]["id"]
    )
    # an answer letter is refused before the answer, with core's message
    assert dlg.generate("answer") is None and "尚未答复" in dlg.error.text()


def test_fee_dialog_piece_35_is_3000(qtbot):
    dlg = FeeDialog(method="piece", count=35)
    qtbot.addWidget(dlg)
    assert dlg.total.text() == "合计：3,000 元"
    assert dlg.tier_rows() == [
        ("1–10件", "10件", "免费", "0"),
        ("11–30件", "20件", "100", "2,000"),
        ("31–40件", "5件", "200", "1,000"),
        ("合计", "35件", "", "3,000"),
    ]
    assert "合计：3000元" in dlg.explain.toPlainText()
    dlg.method.setCurrentIndex(dlg.method.findData("page"))
    dlg.count.setValue(101)
    assert dlg.total.text() == "合计：720 元" and dlg.count.suffix() == " 页"


def test_fee_menu_item_is_in_tools(window):
    tools = window.findChild(QMenu, "menuTools")
    assert "信息处理费计算…" in [a.text() for a in tools.actions()]


def test_import_report_lists_every_bad_row(qtbot, window, db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "申请编号",
            "收到日期",
            "申请人类型",
            "申请人",
            "申请方式",
            "申请内容",
            "办理结果",
            "答复日期",
        ]
    )
    ws.append(["", "2026-13-45", "自然人", "王五", "当面", "社保基金", "", None])
    ws.append(["", "2026-03-02", "个人", "李四", "当面", "最低工资", "不予公开/天机", "2026-03-05"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    reports = []
    job = window.applications.import_ledger(path, on_report=reports.append)
    assert job.wait(30000)
    assert len(reports) == 1
    rows = reports[0].rows()
    assert ("2", "收到日期") in [(r[0], r[1]) for r in rows]
    assert {r[1] for r in rows if r[0] == "3"} >= {"申请人类型", "办理结果"}
    assert db.execute("SELECT count(*) FROM applications").fetchone()[0] == 0
    reports[0].close()


def test_dialog_consultation_fee_and_appeal(qtbot, db):
    from gongkai_desktop.ui.application_dialog import ApplicationDialog

    for day in range(3, 14):  # eleven more this month: 按件 counts twelve
        applications.create(db, intake(received_date=f"2026-03-{day:02d}"), today=TODAY)
    app_id = applications.create(db, intake(received_date="2026-03-02"), today=TODAY)
    dlg = ApplicationDialog(db, app_id, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    panel = dlg.clock_panel
    assert "2026-03-30" in panel.due.text()

    # 征求意见: the clock pauses; silence cannot be recorded before the reply period ends
    con = dlg.tabs["征求意见"]
    dlg.show_tab("征求意见")
    type_text(qtbot, con.party, "厦门海联电子有限公司")
    con.start_date.setDate(qd("2026-03-03"))
    click(qtbot, con.w(QPushButton, "startButton"))
    assert applications.get(db, app_id)["state"] == "征求意见中"
    assert panel.state.text() == "征求意见中（暂停计时）"
    assert con.table.rowCount() == 1 and con.table.item(0, 3).text() == "2026-03-24"
    con.silent.setChecked(True)
    click(qtbot, con.w(QPushButton, "endButton"))
    assert "期限届满前不能按“未答复”结束" in dlg.error.text()
    con.silent.setChecked(False)
    con.reply_date.setDate(qd("2026-03-10"))
    type_text(qtbot, con.outcome, "不同意公开")
    click(qtbot, con.w(QPushButton, "endButton"))
    assert dlg.error.text() == "" and applications.get(db, app_id)["state"] == "办理中"
    assert con.table.item(0, 4).text() == "2026-03-10" and con.table.item(0, 6).text() == "6"
    assert "2026-04-08" in panel.due.text()  # 20 + 6 paused working days (清明 skipped)

    # 收费: 按件 prefilled with the applicant's count this month
    fee = dlg.tabs["收费"]
    dlg.show_tab("收费")
    assert fee.method.currentText() == "按件" and fee.count.value() == 12
    assert "合计：200元" in fee.explain.toPlainText()
    fee.notice_date.setDate(qd("2026-03-11"))
    click(qtbot, fee.w(QPushButton, "issueButton"))
    app = applications.get(db, app_id)
    assert (app["state"], app["fee_method"], app["fee_count"], app["fee_total"]) == (
        "待缴费",
        "按件",
        12,
        200,
    )
    assert panel.state.text() == "待缴费"
    fee.paid_date.setDate(qd("2026-03-12"))
    click(qtbot, fee.w(QPushButton, "paidButton"))
    assert applications.get(db, app_id)["fee_paid_date"] == "2026-03-12"

    # 复议/诉讼: litigation records its route
    ap = dlg.tabs["复议/诉讼"]
    dlg.show_tab("复议/诉讼")
    ap.kind.setCurrentText("行政诉讼")
    assert ap.route.isEnabled()
    ap.route.setCurrentText("复议后起诉")
    ap.filed.setDate(qd("2026-03-15"))
    click(qtbot, ap.w(QPushButton, "addButton"))
    rows = applications.appeals(db, app_id)
    assert [(r["kind"], r["route"], r["outcome"]) for r in rows] == [
        ("行政诉讼", "复议后起诉", "尚未审结")
    ]
    assert ap.table.rowCount() == 1 and ap.table.item(0, 1).text() == "复议后起诉"
    steps = [e["step"] for e in applications.events(db, app_id)]
    assert steps == ["登记", "征求意见", "征求意见结束", "收费通知", "缴费", "行政诉讼"]


def test_letter_asks_for_what_the_application_lacks(qtbot, db, monkeypatch, tmp_path):
    app_id = applications.create(db, intake(), today=TODAY)
    applications.answer(db, app_id, answer_type=5, result="无法提供",
                        reason="本机关不掌握相关政府信息", answer_date="2026-03-05", who="张三",
                        today=TODAY)  # fmt: skip
    asked = []

    def fill(self):
        asked.append(list(self.edits))
        self.edits["right_office"].setText("厦门市医疗保障局")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(letters_dialog.LetterFieldsDialog, "exec", fill)
    dlg = LettersDialog(db, app_id, today=TODAY)
    qtbot.addWidget(dlg)
    job = dlg.generate("answer")
    assert job.wait(30000) and job.error is None
    assert asked == [["right_office"]]
    assert [x["kind"] for x in applications.letters(db, app_id)] == ["answer_not_ours"]
    assert dlg.table.item(0, 0).text() == "答复告知书（不属于本机关公开）"


def test_export_ledger_through_the_worker(qtbot, tmp_path, sample, window):
    from openpyxl import load_workbook

    job = window.applications.export_ledger(2026, tmp_path / "台账")
    assert job.wait(30000) and job.error is None
    out = tmp_path / "台账.xlsx"
    ws = load_workbook(out, read_only=True).worksheets[0]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "2026-0003" in values and "陈秀英" in values
    assert "已导出 2026 年 5 件申请" in window.applications.last_message
