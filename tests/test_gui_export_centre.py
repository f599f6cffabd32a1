"""导出中心 dialog: choose, export off the GUI thread, cancel, unmask, then mail."""

from __future__ import annotations

import sys
import threading
import types
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from gongkai_desktop.core import applications, audit
from gongkai_desktop.exports import export_centre as E
from gongkai_desktop.exports import export_writers
from gongkai_desktop.ui import export_centre_dialog as dialog_module
from gongkai_desktop.ui import workers
from gongkai_desktop.ui.export_centre_dialog import ExportCentreDialog

TODAY = date(2026, 11, 27)
ID_NO = "350203199001011234"


@pytest.fixture
def out(tmp_path) -> Path:
    d = tmp_path / "导出"
    d.mkdir()
    return d


@pytest.fixture
def dlg(qtbot, db, tmp_path, out):
    applications.create(db, {"applicant_type": "自然人", "applicant_name": "王五",
                             "phone": "13800000000", "channel": "当面",
                             "received_date": "2026-11-02",
                             "content": f"身份证号{ID_NO}"}, today=TODAY)  # fmt: skip
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue(dialog_module.FOLDER_KEY, str(out))
    d = ExportCentreDialog(db, None, today=TODAY, settings=settings)
    qtbot.addWidget(d)
    d.show()
    yield d
    workers.wait_all()


def _run(qtbot, d) -> None:
    qtbot.mouseClick(d.buttons["export"], Qt.MouseButton.LeftButton)
    assert d.job is not None and d.job.wait(60000)


def test_defaults_ledgers_this_month_masked(dlg):
    kinds, formats = dlg.chosen()
    assert kinds == list(E.LEDGER_KEYS)
    assert dlg.period().label == "2026年11月"
    assert dlg.mask.isChecked()
    assert dlg.tree.topLevelItemCount() == len(E.CATALOGUE)
    assert not dlg.buttons["mail"].isEnabled() and not dlg.buttons["openFolder"].isEnabled()


def test_export_lists_files_and_opens_folder(qtbot, dlg, out, monkeypatch):
    opened = []
    monkeypatch.setattr(dialog_module, "open_url", lambda url: opened.append(url.toLocalFile()))
    dlg.select(["applications", "assessment"])
    dlg.zip.setChecked(True)
    _run(qtbot, dlg)
    folder = out / "2026-11-27_2026年11月"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["依申请公开登记台账_2026年11月.xlsx", "自评打分表_2026年.xlsx",
                            "自评打分表_2026年.pdf", "政务公开台账_2026年11月.zip"])  # fmt: skip
    shown = [dlg.results.item(i).text() for i in range(dlg.results.count())]
    assert shown[0].startswith("依申请公开登记台账_2026年11月.xlsx（") and len(shown) == 4
    assert "已隐去身份证号和电话" in dlg.status.text()
    assert dlg.progress.value() == dlg.progress.maximum() == 4
    qtbot.mouseClick(dlg.buttons["openFolder"], Qt.MouseButton.LeftButton)
    assert opened == [str(folder)]


def test_unchecking_mask_asks_and_is_audited(qtbot, dlg, db, monkeypatch):
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    dlg.mask.setChecked(False)
    assert dlg.mask.isChecked()  # said No: still masked
    dlg.mask.setChecked(False)
    assert not dlg.mask.isChecked()
    dlg.select(["applications"])
    _run(qtbot, dlg)
    assert "未隐去身份证号和电话（已记入修改记录）" in dlg.status.text()
    (row,) = audit.history(db, E.UNMASK_TABLE, "2026年11月")
    assert row.who == "张三"


def test_cancel_removes_files_already_written(qtbot, dlg, out, monkeypatch):
    go = threading.Event()
    real = export_writers.write_one
    calls = []

    def slow(db, pf, period, path, **kw):
        calls.append(pf.name)
        if len(calls) == 2:  # the first file is complete; hold the second until Cancel
            go.wait(30)
        return real(db, pf, period, path, **kw)

    monkeypatch.setattr(export_writers, "write_one", slow)
    dlg.select(["registry", "applications", "meetings"])
    qtbot.mouseClick(dlg.buttons["export"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(calls) == 2)
    assert dlg.buttons["cancel"].isEnabled()
    qtbot.mouseClick(dlg.buttons["cancel"], Qt.MouseButton.LeftButton)
    go.set()
    assert dlg.job.wait(60000) and dlg.job.was_cancelled
    assert list(out.iterdir()) == []
    assert dlg.status.text() == "已取消导出，没有留下任何文件。"
    assert not dlg.buttons["mail"].isEnabled()


def test_no_format_or_folder_says_what_to_fix(dlg, tmp_path):
    dlg.select(["binder"])
    dlg._items()["binder"].setCheckState(2, Qt.CheckState.Unchecked)
    assert dlg.start() is None
    assert "迎检材料汇编”没有勾选任何格式" in dlg.status.text()
    dlg.select(["meetings"])
    dlg.folder.setText(str(tmp_path / "没有"))
    assert dlg.start() is None
    assert "请选择一个已存在的文件夹" in dlg.status.text()


def test_send_to_group_opens_mail_dialog_with_files(qtbot, dlg, monkeypatch):
    made = []

    class FakeMailDialog:
        def __init__(self, db, parent, *, attachments, period_label="", summary=None):
            made.append((attachments, period_label, summary))

        def show(self):
            pass

    fake = types.ModuleType("gongkai_desktop.ui.mail_dialog")
    fake.MailDialog = FakeMailDialog
    monkeypatch.setitem(sys.modules, "gongkai_desktop.ui.mail_dialog", fake)
    dlg.select(["applications", "meetings"])
    dlg.zip.setChecked(True)
    _run(qtbot, dlg)
    qtbot.mouseClick(dlg.buttons["mail"], Qt.MouseButton.LeftButton)
    ((files, label, summary),) = made
    assert files == [dlg.result.zip_path] and files[0].is_file()
    assert label == "2026年11月"
    assert summary["applications_received"] == 1


def test_folder_and_zip_are_remembered(qtbot, dlg, db, tmp_path, out):
    dlg.select(["meetings"])
    dlg.zip.setChecked(True)
    _run(qtbot, dlg)
    again = ExportCentreDialog(db, None, today=TODAY, settings=dlg.settings)
    qtbot.addWidget(again)
    assert again.folder.text() == str(out) and again.zip.isChecked()
